#include "common/calendar.h"

#include <date/date.h>
#include <date/iso_week.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>

namespace mittari {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Reads exactly `width` decimal digits at text[pos]; -1 when they are not all digits.
int ReadDigits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool IsRealDate(int year, int month, int day) {
  return date::year_month_day(date::year(year), date::month(static_cast<unsigned>(month)),
                              date::day(static_cast<unsigned>(day)))
      .ok();
}

}  // namespace

CivilDate ToCivilDate(LocalDay day) {
  date::year_month_day ymd{date::sys_days{date::days{day}}};
  return CivilDate{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

LocalDay FromCivilDate(int year, int month, int day) {
  date::sys_days days{date::year(year) / date::month(static_cast<unsigned>(month)) /
                      date::day(static_cast<unsigned>(day))};
  return static_cast<LocalDay>(days.time_since_epoch().count());
}

Result<LocalDay> ParseLocalDate(std::string_view text) {
  int year = ReadDigits(text, 0, 4);
  int month = ReadDigits(text, 5, 2);
  int day = ReadDigits(text, 8, 2);
  if (text.size() != 10 || year < 0 || month < 0 || day < 0 || text[4] != '-' || text[7] != '-') {
    return InvalidArgumentError(fmt::format("'{}' is not a date of the form YYYY-MM-DD", text));
  }
  if (!IsRealDate(year, month, day)) {
    return InvalidArgumentError(fmt::format("'{}' is not a real calendar date", text));
  }
  return FromCivilDate(year, month, day);
}

std::string FormatLocalDate(LocalDay day) {
  CivilDate c = ToCivilDate(day);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

Result<UnixSeconds> ParseInstant(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return InvalidArgumentError(
        fmt::format("'{}' is not an ISO 8601 timestamp with offset ({})", text, why));
  };
  int year = ReadDigits(text, 0, 4);
  int month = ReadDigits(text, 5, 2);
  int day = ReadDigits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || text[4] != '-' || text[7] != '-') {
    return bad("expected YYYY-MM-DDThh:mm:ss+hh:mm");
  }
  if (!IsRealDate(year, month, day)) return bad("not a real calendar date");
  if (text.size() < 11 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')) {
    return bad("missing time of day");
  }
  int hour = ReadDigits(text, 11, 2);
  int minute = ReadDigits(text, 14, 2);
  if (hour < 0 || minute < 0 || text[13] != ':') return bad("expected hh:mm after the date");
  size_t pos = 16;
  int second = 0;
  if (pos < text.size() && text[pos] == ':') {
    second = ReadDigits(text, pos + 1, 2);
    if (second < 0) return bad("expected two-digit seconds");
    pos += 3;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      size_t digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos, ++digits;
      if (digits == 0) return bad("empty fraction of a second");
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return bad("time of day out of range");
  if (second == 60) second = 59;  // a leap second belongs to the same minute for our purposes
  if (pos >= text.size()) return bad("missing offset such as Z or +02:00");
  int offset_seconds = 0;
  char sign = text[pos];
  if (sign == 'Z' || sign == 'z') {
    ++pos;
  } else if (sign == '+' || sign == '-') {
    int oh = ReadDigits(text, pos + 1, 2);
    if (oh < 0) return bad("offset must be +hh:mm, +hhmm or +hh");
    pos += 3;
    int om = 0;
    if (pos < text.size() && text[pos] == ':') {
      om = ReadDigits(text, pos + 1, 2);
      pos += 3;
    } else if (pos < text.size()) {
      om = ReadDigits(text, pos, 2);
      pos += 2;
    }
    if (om < 0 || oh > 18 || om > 59) return bad("offset must be +hh:mm, +hhmm or +hh");
    offset_seconds = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
  } else {
    return bad("missing offset such as Z or +02:00");
  }
  if (pos != text.size()) return bad("unexpected text after the offset");
  int64_t days = FromCivilDate(year, month, day);
  return days * kSecondsPerDay + hour * 3600 + minute * 60 + second - offset_seconds;
}

std::string FormatInstantUtc(UnixSeconds instant) {
  int64_t day = FloorDiv(instant, kSecondsPerDay);
  int64_t rest = instant - day * kSecondsPerDay;
  CivilDate c = ToCivilDate(static_cast<LocalDay>(day));
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, rest / 3600,
                     (rest / 60) % 60, rest % 60);
}

const HelsinkiCalendar& HelsinkiCalendar::Get() {
  static const HelsinkiCalendar* calendar = [] {
    auto* built = new HelsinkiCalendar();
    try {
      const date::time_zone* zone = date::locate_zone("Europe/Helsinki");
      // Walk the zone's periods from 1900 to 2200; later instants reuse the last rule's
      // period boundaries only if we go further, which no answer will.
      date::sys_seconds t = date::sys_days{date::year(1900) / 1 / 1};
      const date::sys_seconds end = date::sys_days{date::year(2200) / 1 / 1};
      while (t < end) {
        date::sys_info info = zone->get_info(t);
        built->transitions_.push_back(
            Transition{info.begin.time_since_epoch().count(),
                       static_cast<int32_t>(info.offset.count())});
        if (info.end <= t) break;
        t = info.end;
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr,
                   "mittari: cannot load the Europe/Helsinki time zone (%s). Install the tzdata "
                   "package (scripts/setup does this).\n",
                   e.what());
      std::abort();
    }
    return built;
  }();
  return *calendar;
}

int32_t HelsinkiCalendar::UtcOffsetAt(UnixSeconds instant) const {
  auto it = std::upper_bound(
      transitions_.begin(), transitions_.end(), instant,
      [](UnixSeconds value, const Transition& tr) { return value < tr.begin; });
  if (it == transitions_.begin()) return transitions_.front().offset_seconds;
  return std::prev(it)->offset_seconds;
}

LocalDay HelsinkiCalendar::DayOf(UnixSeconds instant) const {
  return static_cast<LocalDay>(FloorDiv(instant + UtcOffsetAt(instant), kSecondsPerDay));
}

UnixSeconds HelsinkiCalendar::StartOfDay(LocalDay day) const {
  UnixSeconds local_midnight = static_cast<int64_t>(day) * kSecondsPerDay;
  // The offset at the instant local_midnight - offset; one correction step converges because
  // Helsinki's transitions happen at 03:00/04:00 local time, never around midnight.
  int32_t offset = UtcOffsetAt(local_midnight - 7200);
  offset = UtcOffsetAt(local_midnight - offset);
  return local_midnight - offset;
}

IsoWeek IsoWeekOf(LocalDay day) {
  iso_week::year_weeknum_weekday yww{date::sys_days{date::days{day}}};
  return IsoWeek{static_cast<int>(yww.year()), static_cast<int>(static_cast<unsigned>(yww.weeknum()))};
}

int32_t BucketKey(TimeBucket bucket, LocalDay day) {
  switch (bucket) {
    case TimeBucket::kDay:
      return day;
    case TimeBucket::kWeek: {
      IsoWeek w = IsoWeekOf(day);
      return w.year * 100 + w.week;
    }
    case TimeBucket::kMonth: {
      CivilDate c = ToCivilDate(day);
      return c.year * 12 + (c.month - 1);
    }
    case TimeBucket::kQuarter: {
      CivilDate c = ToCivilDate(day);
      return c.year * 4 + (c.month - 1) / 3;
    }
    case TimeBucket::kYear:
      return ToCivilDate(day).year;
  }
  return 0;
}

std::string FormatBucket(TimeBucket bucket, int32_t key) {
  switch (bucket) {
    case TimeBucket::kDay:
      return FormatLocalDate(key);
    case TimeBucket::kWeek:
      return fmt::format("{:04}-W{:02}", key / 100, key % 100);
    case TimeBucket::kMonth:
      return fmt::format("{:04}-{:02}", key / 12, key % 12 + 1);
    case TimeBucket::kQuarter:
      return fmt::format("{:04}-Q{}", key / 4, key % 4 + 1);
    case TimeBucket::kYear:
      return fmt::format("{:04}", key);
  }
  return {};
}

}  // namespace mittari
