#include "common/calendar.h"

#include <gtest/gtest.h>

namespace mittari {
namespace {

UnixSeconds At(std::string_view text) {
  Result<UnixSeconds> t = ParseInstant(text);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : 0;
}

std::string LocalDayOf(std::string_view instant) {
  return FormatLocalDate(HelsinkiCalendar::Get().DayOf(At(instant)));
}

TEST(ParseInstant, AcceptsOffsetsZuluAndFractions) {
  EXPECT_EQ(At("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(At("1970-01-01T02:00:00+02:00"), 0);
  EXPECT_EQ(At("1970-01-01T02:00+0200"), 0);
  EXPECT_EQ(At("1969-12-31T21:00:00.999-03"), 0);
  EXPECT_EQ(At("2024-03-31 00:30:00Z"), At("2024-03-31T02:30:00+02:00"));
}

TEST(ParseInstant, RejectsMissingOffsetAndImpossibleDates) {
  EXPECT_FALSE(ParseInstant("2024-03-31T02:30:00").ok());
  EXPECT_FALSE(ParseInstant("2023-02-29T10:00:00Z").ok());
  EXPECT_FALSE(ParseInstant("2024-13-01T10:00:00Z").ok());
  EXPECT_FALSE(ParseInstant("2024-03-31T25:00:00Z").ok());
  EXPECT_FALSE(ParseInstant("yesterday").ok());
  EXPECT_FALSE(ParseInstant("").ok());
  Result<UnixSeconds> r = ParseInstant("2024-03-31T02:30:00");
  EXPECT_NE(r.status().message().find("offset"), std::string::npos);
}

TEST(ParseLocalDate, RoundTripsAndRejectsNonDates) {
  Result<LocalDay> d = ParseLocalDate("2024-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(FormatLocalDate(*d), "2024-02-29");
  EXPECT_FALSE(ParseLocalDate("2023-02-29").ok());
  EXPECT_FALSE(ParseLocalDate("2024-2-29").ok());
}

TEST(HelsinkiCalendar, OffsetIsTwoHoursInWinterAndThreeInSummer) {
  const auto& cal = HelsinkiCalendar::Get();
  EXPECT_EQ(cal.UtcOffsetAt(At("2024-01-15T12:00:00Z")), 7200);
  EXPECT_EQ(cal.UtcOffsetAt(At("2024-07-15T12:00:00Z")), 10800);
}

// Spring forward: last Sunday of March 2024 is the 31st; 03:00 EET becomes 04:00 EEST at 01:00Z.
TEST(HelsinkiCalendar, SpringForwardKeepsDaysRight) {
  const auto& cal = HelsinkiCalendar::Get();
  EXPECT_EQ(cal.UtcOffsetAt(At("2024-03-31T00:59:59Z")), 7200);
  EXPECT_EQ(cal.UtcOffsetAt(At("2024-03-31T01:00:00Z")), 10800);
  EXPECT_EQ(LocalDayOf("2024-03-30T21:59:59Z"), "2024-03-30");  // 23:59:59 EET
  EXPECT_EQ(LocalDayOf("2024-03-30T22:00:00Z"), "2024-03-31");  // 00:00 EET
  EXPECT_EQ(LocalDayOf("2024-03-31T20:59:59Z"), "2024-03-31");  // 23:59:59 EEST
  EXPECT_EQ(LocalDayOf("2024-03-31T21:00:00Z"), "2024-04-01");  // 00:00 EEST
  // The day of the change is 23 hours long.
  LocalDay day = *ParseLocalDate("2024-03-31");
  EXPECT_EQ(cal.StartOfDay(day + 1) - cal.StartOfDay(day), 23 * 3600);
}

// Fall back: last Sunday of October 2024 is the 27th; 04:00 EEST becomes 03:00 EET at 01:00Z.
TEST(HelsinkiCalendar, FallBackKeepsDaysRight) {
  const auto& cal = HelsinkiCalendar::Get();
  EXPECT_EQ(LocalDayOf("2024-10-26T20:59:59Z"), "2024-10-26");
  EXPECT_EQ(LocalDayOf("2024-10-26T21:00:00Z"), "2024-10-27");  // 00:00 EEST
  EXPECT_EQ(LocalDayOf("2024-10-27T21:59:59Z"), "2024-10-27");  // 23:59:59 EET
  EXPECT_EQ(LocalDayOf("2024-10-27T22:00:00Z"), "2024-10-28");
  LocalDay day = *ParseLocalDate("2024-10-27");
  EXPECT_EQ(cal.StartOfDay(day + 1) - cal.StartOfDay(day), 25 * 3600);
  EXPECT_EQ(cal.StartOfDay(day), At("2024-10-26T21:00:00Z"));
}

TEST(HelsinkiCalendar, NewYearIsLocalNotUtc) {
  // 23:30 UTC on 31 December is 01:30 on 1 January in Helsinki.
  LocalDay day = HelsinkiCalendar::Get().DayOf(At("2023-12-31T23:30:00Z"));
  EXPECT_EQ(FormatBucket(TimeBucket::kYear, BucketKey(TimeBucket::kYear, day)), "2024");
  EXPECT_EQ(FormatBucket(TimeBucket::kMonth, BucketKey(TimeBucket::kMonth, day)), "2024-01");
  EXPECT_EQ(FormatBucket(TimeBucket::kQuarter, BucketKey(TimeBucket::kQuarter, day)), "2024-Q1");
}

std::string Bucket(TimeBucket bucket, std::string_view date) {
  return FormatBucket(bucket, BucketKey(bucket, *ParseLocalDate(date)));
}

TEST(TimeBuckets, IsoWeekFiftyThreeAndYearBoundaries) {
  // 2020 has 53 ISO weeks; 1–3 January 2021 still belong to 2020-W53.
  EXPECT_EQ(Bucket(TimeBucket::kWeek, "2020-12-31"), "2020-W53");
  EXPECT_EQ(Bucket(TimeBucket::kWeek, "2021-01-03"), "2020-W53");
  EXPECT_EQ(Bucket(TimeBucket::kWeek, "2021-01-04"), "2021-W01");
  // 29 December 2025 (a Monday) begins 2026-W01.
  EXPECT_EQ(Bucket(TimeBucket::kWeek, "2025-12-28"), "2025-W52");
  EXPECT_EQ(Bucket(TimeBucket::kWeek, "2025-12-29"), "2026-W01");
  EXPECT_EQ(Bucket(TimeBucket::kYear, "2025-12-29"), "2025");
  EXPECT_EQ(Bucket(TimeBucket::kDay, "2025-12-29"), "2025-12-29");
  EXPECT_EQ(Bucket(TimeBucket::kQuarter, "2025-09-30"), "2025-Q3");
  EXPECT_EQ(Bucket(TimeBucket::kQuarter, "2025-10-01"), "2025-Q4");
  EXPECT_EQ(Bucket(TimeBucket::kMonth, "2025-10-01"), "2025-10");
}

TEST(TimeBuckets, KeysSortInTimeOrder) {
  for (TimeBucket b : {TimeBucket::kWeek, TimeBucket::kMonth, TimeBucket::kQuarter, TimeBucket::kYear}) {
    EXPECT_LT(BucketKey(b, *ParseLocalDate("2020-12-31")), BucketKey(b, *ParseLocalDate("2021-12-31")));
  }
}

}  // namespace
}  // namespace mittari
