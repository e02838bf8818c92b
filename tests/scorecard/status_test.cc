#include "scorecard/status.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace mittari::scorecard {
namespace {

Target T(Comparator op, double value, double value_high = 0) {
  return Target{op, value, value_high};
}

Outcome Value(double value) { return Outcome{value, std::nullopt, std::nullopt}; }
Outcome Sampled(double value, double low, double high) { return Outcome{value, low, high}; }

constexpr double kStep = 0.01;

TEST(Meets, Greater) {
  const Target target = T(Comparator::kGreater, 70);
  EXPECT_FALSE(Meets(target, 70));
  EXPECT_TRUE(Meets(target, 70 + kStep));
  EXPECT_FALSE(Meets(target, 70 - kStep));
}

TEST(Meets, GreaterEqual) {
  const Target target = T(Comparator::kGreaterEqual, 72);
  EXPECT_TRUE(Meets(target, 72));
  EXPECT_TRUE(Meets(target, 72 + kStep));
  EXPECT_FALSE(Meets(target, 72 - kStep));
}

TEST(Meets, Less) {
  const Target target = T(Comparator::kLess, 3.5);
  EXPECT_FALSE(Meets(target, 3.5));
  EXPECT_FALSE(Meets(target, 3.5 + kStep));
  EXPECT_TRUE(Meets(target, 3.5 - kStep));
}

TEST(Meets, LessEqual) {
  const Target target = T(Comparator::kLessEqual, 100);
  EXPECT_TRUE(Meets(target, 100));
  EXPECT_FALSE(Meets(target, 100 + kStep));
  EXPECT_TRUE(Meets(target, 100 - kStep));
}

TEST(Meets, Equal) {
  const Target target = T(Comparator::kEqual, 1);
  EXPECT_TRUE(Meets(target, 1));
  EXPECT_FALSE(Meets(target, 1 + kStep));
  EXPECT_FALSE(Meets(target, 1 - kStep));
}

TEST(Meets, BetweenIncludesBothEnds) {
  const Target target = T(Comparator::kBetween, 70, 75);
  EXPECT_TRUE(Meets(target, 70));
  EXPECT_TRUE(Meets(target, 75));
  EXPECT_TRUE(Meets(target, 72.5));
  EXPECT_TRUE(Meets(target, 70 + kStep));
  EXPECT_TRUE(Meets(target, 75 - kStep));
  EXPECT_FALSE(Meets(target, 70 - kStep));
  EXPECT_FALSE(Meets(target, 75 + kStep));
}

TEST(Meets, YesNo) {
  EXPECT_TRUE(Meets(T(Comparator::kYes, 1), 1));
  EXPECT_FALSE(Meets(T(Comparator::kYes, 1), 0));
  EXPECT_TRUE(Meets(T(Comparator::kYes, 0), 0));
  EXPECT_FALSE(Meets(T(Comparator::kYes, 0), 1));
}

TEST(Meets, RoundingErrorAtTheBoundaryCountsAsTheBoundary) {
  // A computed outcome can land a hair off 72; the report prints 72 and so must the verdict.
  const double just_below = std::nextafter(72.0, 0.0);
  const double just_above = std::nextafter(72.0, 100.0);
  EXPECT_TRUE(Meets(T(Comparator::kGreaterEqual, 72), just_below));
  EXPECT_FALSE(Meets(T(Comparator::kGreater, 72), just_above));
  EXPECT_TRUE(Meets(T(Comparator::kLessEqual, 72), just_above));
  EXPECT_FALSE(Meets(T(Comparator::kLess, 72), just_below));
  EXPECT_TRUE(Meets(T(Comparator::kEqual, 72), just_above));
  EXPECT_TRUE(Meets(T(Comparator::kBetween, 60, 72), just_above));
  // Near zero the tolerance is absolute, not relative to a zero bound.
  EXPECT_TRUE(Meets(T(Comparator::kEqual, 0), 1e-12));
  EXPECT_FALSE(Meets(T(Comparator::kEqual, 0), 1e-6));
}

TEST(Meets, NanNeverMeets) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (Comparator op :
       {Comparator::kGreater, Comparator::kGreaterEqual, Comparator::kLess, Comparator::kLessEqual,
        Comparator::kEqual, Comparator::kBetween, Comparator::kYes}) {
    EXPECT_FALSE(Meets(T(op, 0, 1), nan)) << ToName(op);
  }
}

TEST(Judge, AchievedOrNotAfterTheYear) {
  EXPECT_EQ(Judge(T(Comparator::kGreater, 70), Value(75), false),
            (Judgement{Verdict::kAchieved, Significance::kNone}));
  EXPECT_EQ(Judge(T(Comparator::kGreater, 70), Value(65), false),
            (Judgement{Verdict::kNotAchieved, Significance::kNone}));
}

TEST(Judge, OnTrackOrOffTrackDuringTheYear) {
  EXPECT_EQ(Judge(T(Comparator::kGreater, 70), Value(75), true),
            (Judgement{Verdict::kOnTrack, Significance::kNone}));
  EXPECT_EQ(Judge(T(Comparator::kGreater, 70), Value(65), true),
            (Judgement{Verdict::kOffTrack, Significance::kNone}));
  EXPECT_EQ(Judge(T(Comparator::kGreater, 70), Sampled(75, 72, 78), true),
            (Judgement{Verdict::kOnTrack, Significance::kClear}));
}

TEST(Judge, NoValueIsNoData) {
  EXPECT_EQ(Judge(T(Comparator::kGreater, 70), Outcome{}, false),
            (Judgement{Verdict::kNoData, Significance::kNone}));
  EXPECT_EQ(Judge(T(Comparator::kGreater, 70), Outcome{}, true),
            (Judgement{Verdict::kNoData, Significance::kNone}));
  // An interval without a value (should not happen) does not make data out of nothing.
  EXPECT_EQ(Judge(T(Comparator::kGreater, 70), Outcome{std::nullopt, 60.0, 80.0}, false).verdict,
            Verdict::kNoData);
  EXPECT_EQ(
      Judge(T(Comparator::kGreater, 70), Value(std::numeric_limits<double>::quiet_NaN()), false)
          .verdict,
      Verdict::kNoData);
}

TEST(Judge, YesNo) {
  EXPECT_EQ(Judge(T(Comparator::kYes, 1), Value(1), false),
            (Judgement{Verdict::kAchieved, Significance::kNone}));
  EXPECT_EQ(Judge(T(Comparator::kYes, 1), Value(0), false),
            (Judgement{Verdict::kNotAchieved, Significance::kNone}));
  EXPECT_EQ(Judge(T(Comparator::kYes, 0), Value(0), false),
            (Judgement{Verdict::kAchieved, Significance::kNone}));
  // A yes/no outcome has no interval to speak of, even if one is passed.
  EXPECT_EQ(Judge(T(Comparator::kYes, 1), Sampled(1, 0, 1), false).significance,
            Significance::kNone);
}

TEST(Judge, GreaterWithInterval) {
  const Target target = T(Comparator::kGreater, 70);
  EXPECT_EQ(Judge(target, Sampled(75, 71, 79), false),
            (Judgement{Verdict::kAchieved, Significance::kClear}));
  EXPECT_EQ(Judge(target, Sampled(72, 66, 78), false),
            (Judgement{Verdict::kAchieved, Significance::kWithinInterval}));
  EXPECT_EQ(Judge(target, Sampled(65, 61, 69), false),
            (Judgement{Verdict::kNotAchieved, Significance::kClear}));
  EXPECT_EQ(Judge(target, Sampled(68, 62, 74), false),
            (Judgement{Verdict::kNotAchieved, Significance::kWithinInterval}));
  // An interval that reaches the bound of a strict comparator does not get past it.
  EXPECT_EQ(Judge(target, Sampled(75, 70, 80), false).significance, Significance::kWithinInterval);
  EXPECT_EQ(Judge(target, Sampled(65, 60, 70), false).significance, Significance::kClear);
}

TEST(Judge, GreaterEqualWithIntervalTouchingTheBound) {
  const Target target = T(Comparator::kGreaterEqual, 70);
  EXPECT_EQ(Judge(target, Sampled(75, 70, 80), false).significance, Significance::kClear);
  EXPECT_EQ(Judge(target, Sampled(65, 60, 70), false).significance, Significance::kWithinInterval);
}

TEST(Judge, LessWithInterval) {
  const Target target = T(Comparator::kLess, 20);
  EXPECT_EQ(Judge(target, Sampled(15, 12, 18), false),
            (Judgement{Verdict::kAchieved, Significance::kClear}));
  EXPECT_EQ(Judge(target, Sampled(18, 14, 22), false),
            (Judgement{Verdict::kAchieved, Significance::kWithinInterval}));
  EXPECT_EQ(Judge(target, Sampled(25, 21, 29), false),
            (Judgement{Verdict::kNotAchieved, Significance::kClear}));
  EXPECT_EQ(Judge(target, Sampled(22, 17, 27), false),
            (Judgement{Verdict::kNotAchieved, Significance::kWithinInterval}));
}

TEST(Judge, BetweenWithInterval) {
  const Target target = T(Comparator::kBetween, 70, 75);
  EXPECT_EQ(Judge(target, Sampled(72.5, 71, 74), false),
            (Judgement{Verdict::kAchieved, Significance::kClear}));
  EXPECT_EQ(Judge(target, Sampled(72.5, 70, 75), false),
            (Judgement{Verdict::kAchieved, Significance::kClear}));
  // A hit whose interval crosses either bound.
  EXPECT_EQ(Judge(target, Sampled(71, 68, 74), false),
            (Judgement{Verdict::kAchieved, Significance::kWithinInterval}));
  EXPECT_EQ(Judge(target, Sampled(74, 72, 77), false),
            (Judgement{Verdict::kAchieved, Significance::kWithinInterval}));
  // Misses below and above, clear of the range or reaching into it.
  EXPECT_EQ(Judge(target, Sampled(65, 62, 68), false),
            (Judgement{Verdict::kNotAchieved, Significance::kClear}));
  EXPECT_EQ(Judge(target, Sampled(80, 77, 83), false),
            (Judgement{Verdict::kNotAchieved, Significance::kClear}));
  EXPECT_EQ(Judge(target, Sampled(68, 65, 71), false),
            (Judgement{Verdict::kNotAchieved, Significance::kWithinInterval}));
  EXPECT_EQ(Judge(target, Sampled(77, 74, 80), false),
            (Judgement{Verdict::kNotAchieved, Significance::kWithinInterval}));
  // A wide interval spanning the whole range crosses both bounds.
  EXPECT_EQ(Judge(target, Sampled(69, 60, 85), false),
            (Judgement{Verdict::kNotAchieved, Significance::kWithinInterval}));
}

TEST(Judge, EqualWithInterval) {
  const Target target = T(Comparator::kEqual, 50);
  EXPECT_EQ(Judge(target, Sampled(50, 45, 55), false).significance, Significance::kWithinInterval);
  EXPECT_EQ(Judge(target, Sampled(40, 35, 45), false).significance, Significance::kClear);
  EXPECT_EQ(Judge(target, Sampled(47, 44, 52), false).significance, Significance::kWithinInterval);
}

TEST(Judge, AnIntervalGivenUpsideDownIsReadTheRightWayRound) {
  EXPECT_EQ(Judge(T(Comparator::kGreater, 70), Sampled(75, 79, 71), false).significance,
            Significance::kClear);
}

TEST(Judge, AHalfIntervalIsNoInterval) {
  EXPECT_EQ(
      Judge(T(Comparator::kGreater, 70), Outcome{75.0, 71.0, std::nullopt}, false).significance,
      Significance::kNone);
}

TEST(StatusNames, AreTheJsonNames) {
  EXPECT_EQ(ToName(Verdict::kAchieved), "achieved");
  EXPECT_EQ(ToName(Verdict::kNotAchieved), "not_achieved");
  EXPECT_EQ(ToName(Verdict::kNoData), "no_data");
  EXPECT_EQ(ToName(Verdict::kOnTrack), "on_track");
  EXPECT_EQ(ToName(Verdict::kOffTrack), "off_track");
  EXPECT_EQ(ToName(Significance::kNone), "not_applicable");
  EXPECT_EQ(ToName(Significance::kClear), "clear");
  EXPECT_EQ(ToName(Significance::kWithinInterval), "within_interval");
  EXPECT_EQ(ParseEnum<Verdict>("off_track"), Verdict::kOffTrack);
  EXPECT_EQ(ParseEnum<Significance>("within_interval"), Significance::kWithinInterval);
}

}  // namespace
}  // namespace mittari::scorecard
