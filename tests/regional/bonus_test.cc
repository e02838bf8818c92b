#include "regional/bonus.h"

#include <gtest/gtest.h>

#include <limits>

namespace mittari::regional {
namespace {

Money Cents(int64_t cents) { return Money::FromCents(cents); }

TEST(ComponentScore, FloorTargetBetweenAndBeyond) {
  // Higher is better: floor 60, target 80.
  EXPECT_DOUBLE_EQ(*ComponentScore(60, 60, 80), 0.0);
  EXPECT_DOUBLE_EQ(*ComponentScore(80, 60, 80), 1.0);
  EXPECT_DOUBLE_EQ(*ComponentScore(65, 60, 80), 0.25);
  EXPECT_DOUBLE_EQ(*ComponentScore(70, 60, 80), 0.5);
  EXPECT_DOUBLE_EQ(*ComponentScore(95, 60, 80), 1.0);
  EXPECT_DOUBLE_EQ(*ComponentScore(10, 60, 80), 0.0);
}

TEST(ComponentScore, LowerIsBetter) {
  // Waiting days: floor 30 (earns nothing), target 10 (earns everything).
  EXPECT_DOUBLE_EQ(*ComponentScore(30, 30, 10), 0.0);
  EXPECT_DOUBLE_EQ(*ComponentScore(10, 30, 10), 1.0);
  EXPECT_DOUBLE_EQ(*ComponentScore(25, 30, 10), 0.25);
  EXPECT_DOUBLE_EQ(*ComponentScore(5, 30, 10), 1.0);
  EXPECT_DOUBLE_EQ(*ComponentScore(45, 30, 10), 0.0);
}

TEST(ComponentScore, Errors) {
  EXPECT_FALSE(ComponentScore(1, 5, 5).ok());
  EXPECT_FALSE(ComponentScore(std::numeric_limits<double>::quiet_NaN(), 0, 1).ok());
  EXPECT_FALSE(ComponentScore(0, 0, std::numeric_limits<double>::infinity()).ok());
}

TripleAim Aims(double quality, double effectiveness, double cost) {
  return TripleAim{
      .quality = {quality, 60, 80, 0.5},  // NPS
      .effectiveness = {effectiveness, 0, 10, 0.3},
      .cost_efficiency = {cost, 30, 10, 0.2},  // lower is better
  };
}

TEST(ComputeBonus, NothingAtTheFloorsAndThePoolAtTheTargets) {
  Result<BonusResult> at_floor = ComputeBonus(Aims(60, 0, 30), Cents(10000000));
  ASSERT_TRUE(at_floor.ok()) << at_floor.status().ToString();
  EXPECT_EQ(at_floor->bonus, Money::Zero());
  Result<BonusResult> at_target = ComputeBonus(Aims(80, 10, 10), Cents(10000000));
  ASSERT_TRUE(at_target.ok());
  EXPECT_EQ(at_target->bonus, Cents(10000000));
  Result<BonusResult> beyond = ComputeBonus(Aims(100, 20, 0), Cents(10000000));
  ASSERT_TRUE(beyond.ok());
  EXPECT_EQ(beyond->bonus, Cents(10000000));
}

TEST(ComputeBonus, LinearInBetweenAndRoundedToTheCent) {
  // Scores 0.5, 0.2, 0.25 → 0.5×0.5 + 0.3×0.2 + 0.2×0.25 = 0.25 + 0.06 + 0.05 = 0.36.
  // 0.36 × 1 000.01 € = 360.0036 € → 360.00 €.
  Result<BonusResult> result = ComputeBonus(Aims(70, 2, 25), Cents(100001));
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->quality_score, 0.5);
  EXPECT_DOUBLE_EQ(result->effectiveness_score, 0.2);
  EXPECT_DOUBLE_EQ(result->cost_efficiency_score, 0.25);
  EXPECT_NEAR(result->achievement, 0.36, 1e-12);
  EXPECT_EQ(result->bonus, Cents(36000));
  // Half a cent rounds away from zero: 0.5 × 0.01 € → 0.01 €.
  Result<BonusResult> half =
      ComputeBonus(TripleAim{{1, 0, 2, 1.0}, {0, 0, 1, 0.0}, {0, 0, 1, 0.0}}, Cents(1));
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->bonus, Cents(1));
}

TEST(ComputeBonus, WeightsMustAddUpToOne) {
  TripleAim aims = Aims(70, 5, 20);
  aims.cost_efficiency.weight = 0.3;
  Result<BonusResult> result = ComputeBonus(aims, Cents(100));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("not 1"), std::string::npos);
  aims.cost_efficiency.weight = 0.1;
  EXPECT_FALSE(ComputeBonus(aims, Cents(100)).ok());
  // 0.1 + 0.2 + 0.7 is not exactly 1.0 in binary, but is within the tolerance.
  aims.quality.weight = 0.1;
  aims.effectiveness.weight = 0.2;
  aims.cost_efficiency.weight = 0.7;
  EXPECT_TRUE(ComputeBonus(aims, Cents(100)).ok());
}

TEST(ComputeBonus, OtherErrors) {
  TripleAim aims = Aims(70, 5, 20);
  aims.quality.weight = -0.5;
  aims.effectiveness.weight = 1.3;
  EXPECT_FALSE(ComputeBonus(aims, Cents(100)).ok());
  EXPECT_FALSE(ComputeBonus(Aims(70, 5, 20), Cents(-1)).ok());
  TripleAim flat = Aims(70, 5, 20);
  flat.effectiveness.target = flat.effectiveness.floor;
  Result<BonusResult> result = ComputeBonus(flat, Cents(100));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("effectiveness"), std::string::npos);
}

}  // namespace
}  // namespace mittari::regional
