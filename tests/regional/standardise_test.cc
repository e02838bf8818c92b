#include "regional/standardise.h"

#include <gtest/gtest.h>

namespace mittari::regional {
namespace {

Money Euros(int64_t euros) { return Money::FromCents(euros * 100); }

TEST(AgeGroupOf, Boundaries) {
  EXPECT_EQ(*AgeGroupOf(0), AgeGroup::k0To6);
  EXPECT_EQ(*AgeGroupOf(6), AgeGroup::k0To6);
  EXPECT_EQ(*AgeGroupOf(7), AgeGroup::k7To17);
  EXPECT_EQ(*AgeGroupOf(17), AgeGroup::k7To17);
  EXPECT_EQ(*AgeGroupOf(18), AgeGroup::k18To64);
  EXPECT_EQ(*AgeGroupOf(64), AgeGroup::k18To64);
  EXPECT_EQ(*AgeGroupOf(65), AgeGroup::k65To74);
  EXPECT_EQ(*AgeGroupOf(74), AgeGroup::k65To74);
  EXPECT_EQ(*AgeGroupOf(75), AgeGroup::k75To84);
  EXPECT_EQ(*AgeGroupOf(84), AgeGroup::k75To84);
  EXPECT_EQ(*AgeGroupOf(85), AgeGroup::k85Plus);
  EXPECT_EQ(*AgeGroupOf(104), AgeGroup::k85Plus);
  EXPECT_FALSE(AgeGroupOf(-1).ok());
  EXPECT_EQ(AgeGroupName(AgeGroup::k85Plus), "85+");
}

// Both municipalities spend, per resident of each age group:
//   0-6: 500 €, 7-17: 300 €, 18-64: 1 000 €, 65-74: 2 000 €, 75-84: 4 000 €, 85+: 8 000 €.
//
// Young (10 000 residents):  1 000, 1 500, 6 000, 800, 500, 200
//   cost = 500 000 + 450 000 + 6 000 000 + 1 600 000 + 2 000 000 + 1 600 000 = 12 150 000 €
//   crude = 12 150 000 / 10 000 = 1 215 €
// Old (10 000 residents):      500,   800, 4 500, 2 000, 1 500, 700
//   cost = 250 000 + 240 000 + 4 500 000 + 4 000 000 + 6 000 000 + 5 600 000 = 20 590 000 €
//   crude = 20 590 000 / 10 000 = 2 059 €
// Standard population (100 000): 8 000, 12 000, 60 000, 11 000, 6 000, 3 000
//   Σ rate × std = 4 000 000 + 3 600 000 + 60 000 000 + 22 000 000 + 24 000 000 + 24 000 000
//                = 137 600 000;  / 100 000 = 1 376 € for both.
constexpr ByAgeGroup<int64_t> kRatePerResident = {500, 300, 1000, 2000, 4000, 8000};
constexpr ByAgeGroup<int64_t> kYoungResidents = {1000, 1500, 6000, 800, 500, 200};
constexpr ByAgeGroup<int64_t> kOldResidents = {500, 800, 4500, 2000, 1500, 700};
constexpr ByAgeGroup<int64_t> kStandard = {8000, 12000, 60000, 11000, 6000, 3000};

ByAgeGroup<Money> CostAtCommonRates(const ByAgeGroup<int64_t>& residents) {
  ByAgeGroup<Money> cost;
  for (size_t i = 0; i < kAgeGroupCount; ++i) cost[i] = Euros(residents[i] * kRatePerResident[i]);
  return cost;
}

TEST(Standardise, OlderMunicipalityHasHigherCrudeButEqualStandardisedRate) {
  const ByAgeGroup<Money> young_cost = CostAtCommonRates(kYoungResidents);
  const ByAgeGroup<Money> old_cost = CostAtCommonRates(kOldResidents);

  EXPECT_DOUBLE_EQ(*CrudeRate(young_cost, kYoungResidents), 1215.0);
  EXPECT_DOUBLE_EQ(*CrudeRate(old_cost, kOldResidents), 2059.0);

  EXPECT_DOUBLE_EQ(*DirectlyStandardisedRate(young_cost, kYoungResidents, kStandard), 1376.0);
  EXPECT_DOUBLE_EQ(*DirectlyStandardisedRate(old_cost, kOldResidents, kStandard), 1376.0);
}

TEST(Standardise, EmptyGroupWithoutCostCountsAsRateZero) {
  // Only the 18-64 group has residents: 100 residents, 50 000 € → 500 €/resident; its
  // standard share is 60 000 / 100 000, so the standardised rate is 300 €.
  ByAgeGroup<Money> cost{};
  cost[2] = Euros(50000);
  const ByAgeGroup<int64_t> residents = {0, 0, 100, 0, 0, 0};
  EXPECT_DOUBLE_EQ(*CrudeRate(cost, residents), 500.0);
  EXPECT_DOUBLE_EQ(*DirectlyStandardisedRate(cost, residents, kStandard), 300.0);
}

TEST(Standardise, CostWithoutResidentsIsAnError) {
  ByAgeGroup<Money> cost = CostAtCommonRates(kYoungResidents);
  ByAgeGroup<int64_t> residents = kYoungResidents;
  residents[5] = 0;
  Result<double> crude = CrudeRate(cost, residents);
  ASSERT_FALSE(crude.ok());
  EXPECT_NE(crude.status().message().find("85+"), std::string::npos);
  EXPECT_FALSE(DirectlyStandardisedRate(cost, residents, kStandard).ok());
}

TEST(Standardise, OtherErrors) {
  const ByAgeGroup<Money> no_cost{};
  EXPECT_FALSE(CrudeRate(no_cost, ByAgeGroup<int64_t>{}).ok());
  EXPECT_FALSE(CrudeRate(no_cost, {1, -1, 0, 0, 0, 0}).ok());
  EXPECT_FALSE(DirectlyStandardisedRate(no_cost, kYoungResidents, ByAgeGroup<int64_t>{}).ok());
  EXPECT_FALSE(DirectlyStandardisedRate(no_cost, kYoungResidents, {1, 1, 1, 1, 1, -1}).ok());
  ByAgeGroup<Money> negative{};
  negative[0] = Money::FromCents(-1);
  EXPECT_FALSE(CrudeRate(negative, kYoungResidents).ok());
}

}  // namespace
}  // namespace mittari::regional
