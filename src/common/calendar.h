// File: common/calendar.h
//
// Time as Mittari sees it. Answers are stamped with a UTC instant (UnixSeconds); every
// period a report talks about (day, ISO week, month, quarter, year) is a period of the
// Europe/Helsinki civil calendar, so an answer given at 00:30 local time on 1 January
// belongs to the new year even though it is still 31 December in UTC. The offset of each
// instant comes from the system time-zone database (tzdata, through howardhinnant-date),
// precomputed once into a transition table so that converting millions of answers costs a
// binary search each.
//
// LocalDay counts civil days since 1970-01-01 (so it is also a plain date, with no zone).
//
// Thread-safe: all functions are pure; HelsinkiCalendar is immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace mittari {

using UnixSeconds = int64_t;  // seconds since 1970-01-01T00:00:00Z
using LocalDay = int32_t;     // civil days since 1970-01-01 in Europe/Helsinki

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

CivilDate ToCivilDate(LocalDay day);
LocalDay FromCivilDate(int year, int month, int day);

// Parses "YYYY-MM-DD". Returns InvalidArgument naming the text when it is not a real date.
Result<LocalDay> ParseLocalDate(std::string_view text);
std::string FormatLocalDate(LocalDay day);

// Parses an ISO 8601 instant with an explicit offset: "2024-03-31T02:30:00+03:00",
// "2024-03-31T02:30Z", "2024-03-31T02:30:00.123+0300", "2024-03-31 02:30:00Z" (space for T).
// Fractions of a second are accepted and truncated. Returns InvalidArgument with the reason
// when the text is not such an instant; a time without an offset is rejected because its
// meaning would depend on the server's zone.
Result<UnixSeconds> ParseInstant(std::string_view text);
// "2024-03-31T00:30:00Z".
std::string FormatInstantUtc(UnixSeconds instant);

// The Europe/Helsinki civil calendar.
class HelsinkiCalendar {
 public:
  // The process-wide calendar, built on first use. Aborts with a message telling the user to
  // install tzdata when the zone cannot be found: no report can be right without it.
  static const HelsinkiCalendar& Get();

  // The local civil day of an instant.
  LocalDay DayOf(UnixSeconds instant) const;
  // The local offset from UTC at an instant, in seconds (+7200 in winter, +10800 in summer).
  int32_t UtcOffsetAt(UnixSeconds instant) const;
  // The first instant of a local day (local midnight). Helsinki never skips or repeats
  // midnight, so this is unambiguous.
  UnixSeconds StartOfDay(LocalDay day) const;

 private:
  HelsinkiCalendar() = default;
  struct Transition {
    UnixSeconds begin;
    int32_t offset_seconds;
  };
  std::vector<Transition> transitions_;  // sorted by begin
};

// How a report cuts time.
enum class TimeBucket : uint8_t { kDay, kWeek, kMonth, kQuarter, kYear };

// A sortable key for the bucket holding `day`: the day itself, ISO year*100 + ISO week,
// year*12 + month-1, year*4 + quarter-1, or the year.
int32_t BucketKey(TimeBucket bucket, LocalDay day);
// The bucket's name: "2024-03-31", "2024-W13", "2024-03", "2024-Q1", "2024".
std::string FormatBucket(TimeBucket bucket, int32_t key);

struct IsoWeek {
  int year = 0;  // the ISO week-numbering year, which differs from the civil year near 1 January
  int week = 0;  // 1..53
};
IsoWeek IsoWeekOf(LocalDay day);

}  // namespace mittari
