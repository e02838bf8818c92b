#include "regional/capitation.h"

#include <gtest/gtest.h>

namespace mittari::regional {
namespace {

Money Cents(int64_t cents) { return Money::FromCents(cents); }

std::map<AgeGroup, double> Weights() {
  return {{AgeGroup::k0To6, 1.2},   {AgeGroup::k7To17, 0.8},  {AgeGroup::k18To64, 1.0},
          {AgeGroup::k65To74, 2.1}, {AgeGroup::k75To84, 3.7}, {AgeGroup::k85Plus, 6.3}};
}

Money Sum(const std::vector<CapitationBudget>& budgets) {
  Money sum;
  for (const CapitationBudget& budget : budgets) sum += budget.budget;
  return sum;
}

TEST(Capitation, BudgetsSumToTheTotalToTheCent) {
  const std::vector<MunicipalityNeed> needs = {
      {"091", {40123, 60321, 400877, 70111, 40333, 12345}, 1.03},
      {"049", {20001, 35003, 200007, 30011, 15013, 4017}, 0.91},
      {"257", {2003, 4111, 25013, 4567, 2111, 777}, 1.17},
  };
  for (int64_t total : {int64_t{1}, int64_t{100}, int64_t{123456789012}, int64_t{99999999999}}) {
    Result<std::vector<CapitationBudget>> budgets =
        AllocateCapitation(needs, Weights(), 1234.56, Cents(total));
    ASSERT_TRUE(budgets.ok()) << budgets.status().ToString();
    EXPECT_EQ(Sum(*budgets), Cents(total));
  }
}

TEST(Capitation, SharesAreProportionalToClaims) {
  // A: 1 000 adults × 1.0 × need 1.0 = 1 000; B: 500 people aged 85+ × 6.3 × need 1.0 =
  // 3 150; C: 1 000 adults × need 2.0 = 2 000. Claims 1 000 : 3 150 : 2 000 of 6 150.
  // Total 61 500.00 € → 10 000, 31 500, 20 000 €.
  const std::vector<MunicipalityNeed> needs = {
      {"C", {0, 0, 1000, 0, 0, 0}, 2.0},
      {"A", {0, 0, 1000, 0, 0, 0}, 1.0},
      {"B", {0, 0, 0, 0, 0, 500}, 1.0},
  };
  Result<std::vector<CapitationBudget>> budgets =
      AllocateCapitation(needs, Weights(), 100.0, Cents(6150000));
  ASSERT_TRUE(budgets.ok()) << budgets.status().ToString();
  ASSERT_EQ(budgets->size(), 3u);
  EXPECT_EQ((*budgets)[0].municipality, "A");
  EXPECT_EQ((*budgets)[0].budget, Cents(1000000));
  EXPECT_EQ((*budgets)[1].budget, Cents(3150000));
  EXPECT_EQ((*budgets)[2].budget, Cents(2000000));
  EXPECT_DOUBLE_EQ((*budgets)[1].weighted_residents, 3150.0);
  EXPECT_DOUBLE_EQ((*budgets)[2].raw_claim, 200000.0);  // 100 × 1 000 × 2.0
}

TEST(Capitation, EqualClaimsBreakTiesByCode) {
  const std::vector<MunicipalityNeed> needs = {
      {"Y", {0, 0, 10, 0, 0, 0}, 1.0},
      {"X", {0, 0, 10, 0, 0, 0}, 1.0},
      {"Z", {0, 0, 10, 0, 0, 0}, 1.0},
  };
  Result<std::vector<CapitationBudget>> budgets =
      AllocateCapitation(needs, Weights(), 1.0, Cents(100));
  ASSERT_TRUE(budgets.ok());
  EXPECT_EQ((*budgets)[0].municipality, "X");
  EXPECT_EQ((*budgets)[0].budget, Cents(34));
  EXPECT_EQ((*budgets)[1].budget, Cents(33));
  EXPECT_EQ((*budgets)[2].budget, Cents(33));
}

TEST(Capitation, MissingWeightIsAnError) {
  std::map<AgeGroup, double> weights = Weights();
  weights.erase(AgeGroup::k75To84);
  Result<std::vector<CapitationBudget>> budgets =
      AllocateCapitation({{"A", {1, 1, 1, 1, 1, 1}, 1.0}}, weights, 1.0, Cents(100));
  ASSERT_FALSE(budgets.ok());
  EXPECT_NE(budgets.status().message().find("75-84"), std::string::npos);
}

TEST(Capitation, OtherErrors) {
  const std::vector<MunicipalityNeed> one = {{"A", {1, 1, 1, 1, 1, 1}, 1.0}};
  std::map<AgeGroup, double> negative = Weights();
  negative[AgeGroup::k0To6] = -1;
  EXPECT_FALSE(AllocateCapitation(one, negative, 1.0, Cents(100)).ok());
  EXPECT_FALSE(AllocateCapitation({{"A", {1, 1, 1, 1, 1, 1}, 0.0}}, Weights(), 1.0, Cents(1)).ok());
  EXPECT_FALSE(
      AllocateCapitation({{"A", {-1, 1, 1, 1, 1, 1}, 1.0}}, Weights(), 1.0, Cents(1)).ok());
  EXPECT_FALSE(AllocateCapitation({one[0], one[0]}, Weights(), 1.0, Cents(100)).ok());
  EXPECT_FALSE(AllocateCapitation(one, Weights(), -1.0, Cents(100)).ok());
  EXPECT_FALSE(AllocateCapitation(one, Weights(), 1.0, Cents(-100)).ok());
  EXPECT_FALSE(AllocateCapitation({{"A", {0, 0, 0, 0, 0, 0}, 1.0}}, Weights(), 1.0, Cents(1)).ok());
}

}  // namespace
}  // namespace mittari::regional
