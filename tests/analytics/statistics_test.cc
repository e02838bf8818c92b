#include "analytics/statistics.h"

#include <gtest/gtest.h>

namespace mittari {
namespace {

NpsCounts Counts(int64_t promoters, int64_t passives, int64_t detractors) {
  NpsCounts c;
  c.promoters = promoters;
  c.passives = passives;
  c.detractors = detractors;
  return c;
}

TEST(NpsCounts, ClassifiesScoresAtTheBoundaries) {
  NpsCounts c;
  for (int score = 0; score <= 10; ++score) c.Add(score);
  EXPECT_EQ(c.promoters, 2);   // 9, 10
  EXPECT_EQ(c.passives, 2);    // 7, 8
  EXPECT_EQ(c.detractors, 7);  // 0..6
  EXPECT_EQ(c.n(), 11);
}

TEST(NpsCounts, CombineEqualsAddingEverythingToOne) {
  NpsCounts a, b, all;
  for (int s : {10, 9, 3}) { a.Add(s); all.Add(s); }
  for (int s : {7, 0, 10, 8}) { b.Add(s); all.Add(s); }
  a.Combine(b);
  EXPECT_EQ(a, all);
}

TEST(EstimateNps, AllPromotersIsHundred) {
  auto e = EstimateNps(Counts(25, 0, 0));
  ASSERT_TRUE(e.has_value());
  EXPECT_DOUBLE_EQ(e->value, 100.0);
  EXPECT_LE(e->ci_high, 100.0);
  EXPECT_LT(e->ci_low, 100.0);  // the interval is honest even at the edge
}

TEST(EstimateNps, AllDetractorsIsMinusHundred) {
  auto e = EstimateNps(Counts(0, 0, 25));
  ASSERT_TRUE(e.has_value());
  EXPECT_DOUBLE_EQ(e->value, -100.0);
  EXPECT_GE(e->ci_low, -100.0);
}

TEST(EstimateNps, MixedGroupIsPromotersMinusDetractors) {
  auto e = EstimateNps(Counts(6, 2, 2));
  ASSERT_TRUE(e.has_value());
  EXPECT_DOUBLE_EQ(e->value, 40.0);
}

TEST(EstimateNps, EmptyGroupHasNoEstimate) { EXPECT_FALSE(EstimateNps(Counts(0, 0, 0)).has_value()); }

// Hand computation, P=150, passives 40, D=10, n=200:
// n' = 203, p' = 150.75/203 = 0.742611, d' = 10.75/203 = 0.052956,
// p'-d' = 0.689655, SE = 100*sqrt((0.795567 - 0.475624)/203) = 3.96998,
// interval 68.9655 ± 1.96*3.96998 = [61.1845, 76.7465]; the point estimate stays 70.
TEST(EstimateNps, AdjustedWaldMatchesHandComputation) {
  auto e = EstimateNps(Counts(150, 40, 10));
  ASSERT_TRUE(e.has_value());
  EXPECT_DOUBLE_EQ(e->value, 70.0);
  EXPECT_NEAR(e->se, 3.96998, 1e-4);
  EXPECT_NEAR(e->ci_low, 61.1845, 1e-3);
  EXPECT_NEAR(e->ci_high, 76.7465, 1e-3);
}

// n = 1 promoter: n' = 4, p' = 0.4375, d' = 0.1875, SE = 100*sqrt((0.625-0.0625)/4) = 37.5,
// centre 25: [25 - 73.4986, 25 + 73.4986] = [-48.4986, 98.4986].
TEST(EstimateNps, SingleAnswerGivesWideInterval) {
  auto e = EstimateNps(Counts(1, 0, 0));
  ASSERT_TRUE(e.has_value());
  EXPECT_DOUBLE_EQ(e->value, 100.0);
  EXPECT_NEAR(e->se, 37.5, 1e-9);
  EXPECT_NEAR(e->ci_low, -48.4986, 1e-3);
  EXPECT_NEAR(e->ci_high, 98.4986, 1e-3);
}

TEST(EstimateNps, IntervalIsClampedToTheScale) {
  auto e = EstimateNps(Counts(10, 0, 0));  // centre 100*(10.75-0.75)/13 = 76.9, SE 15.01
  ASSERT_TRUE(e.has_value());
  EXPECT_DOUBLE_EQ(e->ci_high, 100.0);
  EXPECT_NEAR(e->ci_low, 47.5036, 1e-3);
}

TEST(EstimateShare, WilsonIntervalMatchesHandComputation) {
  ShareCounts c;
  c.hits = 80;
  c.n = 100;
  auto e = EstimateShare(c);
  ASSERT_TRUE(e.has_value());
  EXPECT_DOUBLE_EQ(e->value, 80.0);
  // centre (0.8 + 1.9208/100)/1.038415 = 0.78891, half 1.96*sqrt(0.0016+0.00009604)/1.038415
  EXPECT_NEAR(e->ci_low, 71.1171, 1e-3);
  EXPECT_NEAR(e->ci_high, 86.6633, 1e-3);
}

TEST(EstimateShare, ZeroHitsStillHasAnUpperBound) {
  ShareCounts c;
  c.n = 10;
  auto e = EstimateShare(c);
  ASSERT_TRUE(e.has_value());
  EXPECT_DOUBLE_EQ(e->ci_low, 0.0);
  EXPECT_NEAR(e->ci_high, 27.7533, 1e-3);
}

TEST(Suppression, GroupsBelowMinimumAreSuppressedButEmptyOnesAreNot) {
  EXPECT_TRUE(IsSuppressed(9, 10));
  EXPECT_FALSE(IsSuppressed(10, 10));
  EXPECT_TRUE(IsSuppressed(1, 10));
  EXPECT_FALSE(IsSuppressed(0, 10));
}

}  // namespace
}  // namespace mittari
