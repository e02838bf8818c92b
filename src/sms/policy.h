// File: sms/policy.h
//
// When a post-visit invitation may be sent: `delay` after the visit ended, never in quiet
// hours (Europe/Helsinki local time; a time inside them moves to their end), and it closes
// `open_for` after it was due. Defaults follow the issue: 2 h delay, quiet 21:00–08:00,
// 7 days open.
//
// Thread-safe (pure functions over an immutable calendar).
#pragma once

#include "common/calendar.h"

namespace mittari::sms {

struct SendPolicy {
  UnixSeconds delay = 2 * 3600;
  int quiet_from_minute = 21 * 60;  // local minutes after midnight
  int quiet_to_minute = 8 * 60;     // quiet hours end here (may wrap past midnight)
  UnixSeconds open_for = 7 * 24 * 3600;
};

// The first instant at or after `visit_ended + delay` that is outside quiet hours.
UnixSeconds FirstSendTime(const SendPolicy& policy, UnixSeconds visit_ended);

// True when local time at `instant` falls in quiet hours.
bool InQuietHours(const SendPolicy& policy, UnixSeconds instant);

}  // namespace mittari::sms
