#include "sms/policy.h"

namespace mittari::sms {
namespace {

constexpr UnixSeconds kDay = 86400;

// Wall-clock minutes after local midnight (on the days the clocks change, elapsed time since
// midnight differs from the wall clock by an hour).
int LocalMinute(UnixSeconds instant) {
  UnixSeconds local = instant + HelsinkiCalendar::Get().UtcOffsetAt(instant);
  return static_cast<int>(((local % kDay) + kDay) % kDay / 60);
}

// The instant at which the Helsinki wall clock shows `minute` on local `day`.
UnixSeconds AtLocalMinute(LocalDay day, int minute) {
  const HelsinkiCalendar& calendar = HelsinkiCalendar::Get();
  UnixSeconds wall = static_cast<UnixSeconds>(day) * kDay + static_cast<UnixSeconds>(minute) * 60;
  UnixSeconds guess = wall - calendar.UtcOffsetAt(wall - 7200);
  return wall - calendar.UtcOffsetAt(guess);
}

}  // namespace

bool InQuietHours(const SendPolicy& policy, UnixSeconds instant) {
  int minute = LocalMinute(instant);
  if (policy.quiet_from_minute == policy.quiet_to_minute) return false;
  if (policy.quiet_from_minute < policy.quiet_to_minute) {
    return minute >= policy.quiet_from_minute && minute < policy.quiet_to_minute;
  }
  return minute >= policy.quiet_from_minute || minute < policy.quiet_to_minute;  // wraps midnight
}

UnixSeconds FirstSendTime(const SendPolicy& policy, UnixSeconds visit_ended) {
  UnixSeconds due = visit_ended + policy.delay;
  if (!InQuietHours(policy, due)) return due;
  // Quiet: move to the end of the quiet hours, on the local day they end.
  LocalDay day = HelsinkiCalendar::Get().DayOf(due);
  if (policy.quiet_from_minute > policy.quiet_to_minute && LocalMinute(due) >= policy.quiet_from_minute) ++day;
  return AtLocalMinute(day, policy.quiet_to_minute);
}

}  // namespace mittari::sms
