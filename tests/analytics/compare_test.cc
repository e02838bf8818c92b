#include "analytics/compare.h"

#include <gtest/gtest.h>

namespace mittari {
namespace {

// Expected values below were worked out by hand and re-checked with Python's
// statistics.NormalDist and math.erfc; 1e-6 leaves room only for rounding in the last digits.
constexpr double kTol = 1e-6;

NpsCounts Counts(int64_t promoters, int64_t passives, int64_t detractors) {
  NpsCounts c;
  c.promoters = promoters;
  c.passives = passives;
  c.detractors = detractors;
  return c;
}

// Period 1: P=150, Pa=40, D=10, n=200: NPS 70, SE1 = 3.969975 (see statistics_test).
// Period 2: P=120, Pa=50, D=30, n=200: NPS 45; n' = 203, p' = 120.75/203 = 0.594828,
//   d' = 30.75/203 = 0.151478, p'-d' = 0.443350, SE2 = 100*sqrt((0.746305 - 0.196559)/203)
//   = 5.203951.
// z = (45 - 70)/sqrt(3.969975^2 + 5.203951^2) = -25/6.545387 = -3.819497,
// p = erfc(3.819497/sqrt(2)) = 1.337243e-4 < 0.05.
TEST(CompareNps, MatchesHandComputation) {
  auto c = CompareNps(Counts(150, 40, 10), Counts(120, 50, 30));
  ASSERT_TRUE(c.has_value());
  EXPECT_DOUBLE_EQ(c->first.value, 70.0);
  EXPECT_DOUBLE_EQ(c->second.value, 45.0);
  EXPECT_NEAR(c->first.se, 3.969975032, kTol);
  EXPECT_NEAR(c->second.se, 5.203950823, kTol);
  EXPECT_DOUBLE_EQ(c->difference, -25.0);
  EXPECT_NEAR(c->z, -3.819496566, kTol);
  EXPECT_NEAR(c->p_value, 1.33724321e-4, 1e-12);
  EXPECT_TRUE(c->significant);
}

TEST(CompareNps, SwappingThePeriodsFlipsOnlyTheSign) {
  auto down = CompareNps(Counts(150, 40, 10), Counts(120, 50, 30));
  auto up = CompareNps(Counts(120, 50, 30), Counts(150, 40, 10));
  ASSERT_TRUE(down.has_value());
  ASSERT_TRUE(up.has_value());
  EXPECT_DOUBLE_EQ(up->difference, 25.0);
  EXPECT_GT(up->z, 0.0);
  EXPECT_DOUBLE_EQ(up->z, -down->z);
  EXPECT_DOUBLE_EQ(up->p_value, down->p_value);
  EXPECT_EQ(up->significant, down->significant);
}

TEST(CompareNps, IdenticalPeriodsShowNoChange) {
  auto c = CompareNps(Counts(150, 40, 10), Counts(150, 40, 10));
  ASSERT_TRUE(c.has_value());
  EXPECT_DOUBLE_EQ(c->difference, 0.0);
  EXPECT_DOUBLE_EQ(c->z, 0.0);
  EXPECT_DOUBLE_EQ(c->p_value, 1.0);
  EXPECT_FALSE(c->significant);
}

// The plain SE of an all-promoter group is 0; the adjusted one is not, so this stays finite.
TEST(CompareNps, TwoAllPromoterPeriodsStayFinite) {
  auto c = CompareNps(Counts(12, 0, 0), Counts(30, 0, 0));
  ASSERT_TRUE(c.has_value());
  EXPECT_DOUBLE_EQ(c->z, 0.0);
  EXPECT_DOUBLE_EQ(c->p_value, 1.0);
  EXPECT_FALSE(c->significant);
}

// P=6, Pa=2, D=2 (NPS 40) against P=5, Pa=3, D=2 (NPS 30), n=10 each:
// SE1 = 100*sqrt((6.75/13 + 2.75/13 - (4/13)^2)/13) = 22.120208,
// SE2 = 100*sqrt((5.75/13 + 2.75/13 - (3/13)^2)/13) = 21.494037,
// z = -10/sqrt(22.120208^2 + 21.494037^2) = -10/30.843 = -0.324222, p = 0.745770.
TEST(CompareNps, TenPointDropOnTenAnswersIsNotSignificant) {
  auto c = CompareNps(Counts(6, 2, 2), Counts(5, 3, 2));
  ASSERT_TRUE(c.has_value());
  EXPECT_DOUBLE_EQ(c->difference, -10.0);
  EXPECT_NEAR(c->z, -0.3242215558, kTol);
  EXPECT_NEAR(c->p_value, 0.7457703036, kTol);
  EXPECT_FALSE(c->significant);
}

// P=60, Pa=25, D=15 (NPS 45) against P=50, Pa=25, D=25 (NPS 25), n=100 each:
// SE1 = 7.319629, SE2 = 8.147942, z = -20/10.952937 = -1.826001, p = 0.067850:
// a change at the 10% level but not at the 5% level.
TEST(CompareNps, AlphaDecidesSignificance) {
  auto strict = CompareNps(Counts(60, 25, 15), Counts(50, 25, 25));
  auto loose = CompareNps(Counts(60, 25, 15), Counts(50, 25, 25), 0.10);
  ASSERT_TRUE(strict.has_value());
  ASSERT_TRUE(loose.has_value());
  EXPECT_NEAR(strict->z, -1.826001168, kTol);
  EXPECT_NEAR(strict->p_value, 0.06785008591, kTol);
  EXPECT_FALSE(strict->significant);
  EXPECT_DOUBLE_EQ(loose->p_value, strict->p_value);
  EXPECT_TRUE(loose->significant);
}

TEST(CompareNps, EmptyPeriodHasNoComparison) {
  EXPECT_FALSE(CompareNps(Counts(0, 0, 0), Counts(5, 3, 2)).has_value());
  EXPECT_FALSE(CompareNps(Counts(5, 3, 2), Counts(0, 0, 0)).has_value());
  EXPECT_FALSE(CompareNps(Counts(0, 0, 0), Counts(0, 0, 0)).has_value());
}

// Parent P=800, Pa=150, D=50, n=1000: p = 0.8, d = 0.05, NPS 75,
// p + d - (p - d)^2 = 0.85 - 0.5625 = 0.2875.
NpsCounts Parent() { return Counts(800, 150, 50); }

// n=25: SE = 100*sqrt(0.2875/25) = 100*sqrt(0.0115) = 10.723805,
// 95%: 75 ± 1.959964*10.723805 = 75 ± 21.018272 = [53.981728, 96.018272],
// 99.8%: 75 ± 3.090232*10.723805 = 75 ± 33.139050 = [41.860950, 108.139 -> 100].
TEST(Funnel, LimitsAtTwentyFiveMatchHandComputation) {
  auto l = FunnelLimitsFor(Parent(), 25);
  ASSERT_TRUE(l.has_value());
  EXPECT_DOUBLE_EQ(l->target, 75.0);
  EXPECT_NEAR(l->low95, 53.98172785, kTol);
  EXPECT_NEAR(l->high95, 96.01827215, kTol);
  EXPECT_NEAR(l->low998, 41.86095043, kTol);
  EXPECT_DOUBLE_EQ(l->high998, 100.0);
}

// n=400: SE = 100*sqrt(0.2875/400) = 2.680951,
// 95%: 75 ± 5.254568 = [69.745432, 80.254568],
// 99.8%: 75 ± 8.284762 = [66.715238, 83.284762].
TEST(Funnel, LimitsAtFourHundredMatchHandComputation) {
  auto l = FunnelLimitsFor(Parent(), 400);
  ASSERT_TRUE(l.has_value());
  EXPECT_DOUBLE_EQ(l->target, 75.0);
  EXPECT_NEAR(l->low95, 69.74543196, kTol);
  EXPECT_NEAR(l->high95, 80.25456804, kTol);
  EXPECT_NEAR(l->low998, 66.71523761, kTol);
  EXPECT_NEAR(l->high998, 83.28476239, kTol);
}

TEST(Funnel, LimitsNarrowAsTheUnitGrows) {
  auto previous = FunnelLimitsFor(Parent(), 25);
  ASSERT_TRUE(previous.has_value());
  for (int64_t n : {50, 100, 400, 1000, 10000}) {
    auto l = FunnelLimitsFor(Parent(), n);
    ASSERT_TRUE(l.has_value());
    EXPECT_GT(l->low95, previous->low95) << "n=" << n;
    EXPECT_GT(l->low998, previous->low998) << "n=" << n;
    EXPECT_LT(l->high95, previous->high95) << "n=" << n;
    EXPECT_LE(l->high998, previous->high998) << "n=" << n;  // 100 at n=25 and 50
    EXPECT_LT(l->low998, l->low95);
    EXPECT_LT(l->high95, l->high998);
    previous = l;
  }
}

// n=1: SE = 100*sqrt(0.2875) = 53.619026; both upper limits (75 + 105.09, 75 + 165.70)
// clamp to 100, the lower ones stay inside: 75 - 105.091361 = -30.091361,
// 75 - 165.695248 = -90.695248.
TEST(Funnel, TinyUnitsClampAtHundred) {
  auto l = FunnelLimitsFor(Parent(), 1);
  ASSERT_TRUE(l.has_value());
  EXPECT_DOUBLE_EQ(l->high95, 100.0);
  EXPECT_DOUBLE_EQ(l->high998, 100.0);
  EXPECT_NEAR(l->low95, -30.09136077, kTol);
  EXPECT_NEAR(l->low998, -90.69524783, kTol);
}

TEST(Funnel, PositionsAroundTheBands) {
  auto l = FunnelLimitsFor(Parent(), 400);  // [66.72 [69.75, 80.25] 83.28]
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(PositionInFunnel(*l, 60.0), FunnelPosition::kBelow998);
  EXPECT_EQ(PositionInFunnel(*l, 68.0), FunnelPosition::kBelow95);
  EXPECT_EQ(PositionInFunnel(*l, 75.0), FunnelPosition::kWithin);
  EXPECT_EQ(PositionInFunnel(*l, 82.0), FunnelPosition::kAbove95);
  EXPECT_EQ(PositionInFunnel(*l, 90.0), FunnelPosition::kAbove998);
}

TEST(Funnel, OnALimitCountsAsInside) {
  auto l = FunnelLimitsFor(Parent(), 400);
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(PositionInFunnel(*l, l->low95), FunnelPosition::kWithin);
  EXPECT_EQ(PositionInFunnel(*l, l->high95), FunnelPosition::kWithin);
  EXPECT_EQ(PositionInFunnel(*l, l->low998), FunnelPosition::kBelow95);
  EXPECT_EQ(PositionInFunnel(*l, l->high998), FunnelPosition::kAbove95);
}

// At n=25 the 99.8% upper limit is clamped to 100, so a perfect unit is only above 95%.
TEST(Funnel, PerfectSmallUnitIsNotAboveAClampedLimit) {
  auto l = FunnelLimitsFor(Parent(), 25);
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(PositionInFunnel(*l, 100.0), FunnelPosition::kAbove95);
}

// An all-promoter parent has no spread at all: every limit is 100.
TEST(Funnel, AllPromoterParentHasNoSpread) {
  auto l = FunnelLimitsFor(Counts(40, 0, 0), 10);
  ASSERT_TRUE(l.has_value());
  EXPECT_DOUBLE_EQ(l->target, 100.0);
  EXPECT_DOUBLE_EQ(l->low95, 100.0);
  EXPECT_DOUBLE_EQ(l->low998, 100.0);
  EXPECT_EQ(PositionInFunnel(*l, 100.0), FunnelPosition::kWithin);
  EXPECT_EQ(PositionInFunnel(*l, 90.0), FunnelPosition::kBelow998);
}

TEST(Funnel, NoLimitsWithoutParentAnswersOrUnitAnswers) {
  EXPECT_FALSE(FunnelLimitsFor(Counts(0, 0, 0), 25).has_value());
  EXPECT_FALSE(FunnelLimitsFor(Parent(), 0).has_value());
  EXPECT_FALSE(FunnelLimitsFor(Parent(), -5).has_value());
}

TEST(Funnel, PositionNames) {
  EXPECT_EQ(FunnelPositionName(FunnelPosition::kBelow998), "below_99.8");
  EXPECT_EQ(FunnelPositionName(FunnelPosition::kBelow95), "below_95");
  EXPECT_EQ(FunnelPositionName(FunnelPosition::kWithin), "within");
  EXPECT_EQ(FunnelPositionName(FunnelPosition::kAbove95), "above_95");
  EXPECT_EQ(FunnelPositionName(FunnelPosition::kAbove998), "above_99.8");
}

}  // namespace
}  // namespace mittari
