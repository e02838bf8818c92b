#include "regional/invoice.h"

#include <gtest/gtest.h>

namespace mittari::regional {
namespace {

Money Cents(int64_t cents) { return Money::FromCents(cents); }

PriceList Prices2024() {
  return PriceList{2024,
                   {{"ER_VISIT", Cents(33333)},    // 333.33 €
                    {"OUTPATIENT", Cents(19999)},  // 199.99 €
                    {"WARD_DAY", Cents(71001)}}};  // 710.01 €
}

TEST(BuildInvoice, OneLinePerProductAndTotalIsTheSumOfLines) {
  const std::vector<ProductionLine> lines = {
      {"091", "ER_VISIT", 3}, {"091", "OUTPATIENT", 7}, {"049", "ER_VISIT", 1000},
      {"091", "ER_VISIT", 4}, {"091", "WARD_DAY", 13},  {"091", "OUTPATIENT", 0},
  };
  Result<Invoice> invoice = BuildInvoice("091", lines, Prices2024());
  ASSERT_TRUE(invoice.ok()) << invoice.status().ToString();
  EXPECT_EQ(invoice->payer, "091");
  EXPECT_EQ(invoice->year, 2024);
  ASSERT_EQ(invoice->lines.size(), 3u);
  EXPECT_EQ(invoice->lines[0].product, "ER_VISIT");
  EXPECT_EQ(invoice->lines[0].volume, 7);  // 3 + 4; Espoo's (049) 1000 are not Helsinki's
  EXPECT_EQ(invoice->lines[0].amount, Cents(233331));  // 7 × 333.33
  EXPECT_EQ(invoice->lines[1].amount, Cents(139993));  // 7 × 199.99
  EXPECT_EQ(invoice->lines[2].amount, Cents(923013));  // 13 × 710.01
  Money sum;
  for (const InvoiceLine& line : invoice->lines) {
    EXPECT_EQ(line.amount, *MultiplyRounded(line.unit_price, line.volume));
    sum += line.amount;
  }
  EXPECT_EQ(invoice->total, sum);
  EXPECT_EQ(invoice->total, Cents(233331 + 139993 + 923013));
}

TEST(BuildInvoice, NoProductionIsAnEmptyInvoice) {
  Result<Invoice> invoice = BuildInvoice("091", {{"049", "ER_VISIT", 5}}, Prices2024());
  ASSERT_TRUE(invoice.ok());
  EXPECT_TRUE(invoice->lines.empty());
  EXPECT_EQ(invoice->total, Money::Zero());
}

TEST(BuildInvoice, MissingPriceNamesProductAndYear) {
  Result<Invoice> invoice = BuildInvoice("091", {{"091", "MRI", 2}}, Prices2024());
  ASSERT_FALSE(invoice.ok());
  EXPECT_EQ(invoice.status().code(), StatusCode::kNotFound);
  EXPECT_NE(invoice.status().message().find("MRI"), std::string::npos);
  EXPECT_NE(invoice.status().message().find("2024"), std::string::npos);
}

TEST(BuildInvoice, NegativeVolumeIsAnError) {
  Result<Invoice> invoice = BuildInvoice("091", {{"091", "ER_VISIT", -1}}, Prices2024());
  ASSERT_FALSE(invoice.ok());
  EXPECT_EQ(invoice.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(invoice.status().message().find("ER_VISIT"), std::string::npos);
}

TEST(BuildInvoice, OverflowIsAnErrorNotAWrap) {
  const PriceList prices{2024, {{"X", Cents(int64_t{1} << 40)}}};
  EXPECT_FALSE(BuildInvoice("091", {{"091", "X", int64_t{1} << 30}}, prices).ok());
}

Money NetSum(const PoolingResult& result) {
  Money sum;
  for (const auto& [code, member] : result.by_municipality) sum += member.net;
  return sum;
}

TEST(HighCostPooling, OneEuroAmongThreeEqualMembersIsConservedToTheCent) {
  // One patient-year 1.00 € above the threshold; populations 1/1/1 → 0.3333… each; floors
  // 0.33 × 3 = 0.99, the last cent to the code that sorts first ("A").
  const std::vector<PatientYearCost> costs = {{"p1", "B", 2024, Cents(100100)}};
  Result<PoolingResult> result =
      ApplyHighCostPooling(costs, Cents(100000), {{"A", 1}, {"B", 1}, {"C", 1}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->pooled_total, Cents(100));
  const auto& by = result->by_municipality;
  EXPECT_EQ(by.at("A").pooled_share, Cents(34));
  EXPECT_EQ(by.at("B").pooled_share, Cents(33));
  EXPECT_EQ(by.at("C").pooled_share, Cents(33));
  EXPECT_EQ(by.at("B").own_cost, Cents(100100));
  EXPECT_EQ(by.at("B").removed, Cents(100));
  EXPECT_EQ(by.at("B").net, Cents(100100 - 100 + 33));
  EXPECT_EQ(by.at("A").net, Cents(34));
  EXPECT_EQ(NetSum(*result), Cents(100100));
}

TEST(HighCostPooling, ConservationWithAwkwardNumbers) {
  const std::vector<PatientYearCost> costs = {
      {"p1", "091", 2024, Cents(12345679)}, {"p2", "049", 2024, Cents(9876543)},
      {"p3", "092", 2024, Cents(5000001)},  {"p4", "235", 2024, Cents(1234)},
      {"p5", "091", 2024, Cents(7777777)},
  };
  const std::map<std::string, int64_t> population = {
      {"049", 305274}, {"091", 664028}, {"092", 242819}, {"235", 10198}, {"257", 39586}};
  Result<PoolingResult> result = ApplyHighCostPooling(costs, Cents(5000000), population);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  Money own, removed, shares;
  for (const auto& [code, member] : result->by_municipality) {
    own += member.own_cost;
    removed += member.removed;
    shares += member.pooled_share;
    EXPECT_EQ(member.net, member.own_cost - member.removed + member.pooled_share);
  }
  EXPECT_EQ(removed, result->pooled_total);
  EXPECT_EQ(shares, result->pooled_total);
  EXPECT_EQ(NetSum(*result), own);
  // 7345679 + 4876543 + 1 + 2777777
  EXPECT_EQ(result->pooled_total, Cents(15000000));
  // A member without patients still carries its share.
  EXPECT_GT(result->by_municipality.at("257").pooled_share, Money::Zero());
  EXPECT_EQ(result->by_municipality.at("257").own_cost, Money::Zero());
}

TEST(HighCostPooling, PatientExactlyAtTheThresholdPoolsNothing) {
  Result<PoolingResult> result = ApplyHighCostPooling({{"p1", "A", 2024, Cents(5000000)}},
                                                      Cents(5000000), {{"A", 10}, {"B", 10}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->pooled_total, Money::Zero());
  EXPECT_EQ(result->by_municipality.at("A").net, Cents(5000000));
  EXPECT_EQ(result->by_municipality.at("B").net, Money::Zero());
}

TEST(HighCostPooling, ThresholdAppliesPerPatientYear) {
  // The same patient, 60 000 € in each of two years, threshold 100 000 €: two patient-years
  // below the threshold, nothing pooled. Two rows in the same year are one patient-year.
  const std::vector<PatientYearCost> two_years = {{"p1", "A", 2023, Cents(6000000)},
                                                  {"p1", "A", 2024, Cents(6000000)}};
  Result<PoolingResult> result = ApplyHighCostPooling(two_years, Cents(10000000), {{"A", 1}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->pooled_total, Money::Zero());
  EXPECT_EQ(result->by_municipality.at("A").own_cost, Cents(12000000));

  const std::vector<PatientYearCost> one_year = {{"p1", "A", 2024, Cents(6000000)},
                                                 {"p1", "A", 2024, Cents(6000000)}};
  result = ApplyHighCostPooling(one_year, Cents(10000000), {{"A", 1}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->pooled_total, Cents(2000000));
}

TEST(HighCostPooling, Errors) {
  const std::map<std::string, int64_t> members = {{"A", 1}, {"B", 1}};
  EXPECT_FALSE(ApplyHighCostPooling({{"p1", "Z", 2024, Cents(1)}}, Cents(0), members).ok());
  EXPECT_FALSE(ApplyHighCostPooling({{"p1", "A", 2024, Cents(-1)}}, Cents(0), members).ok());
  EXPECT_FALSE(ApplyHighCostPooling({}, Cents(-1), members).ok());
  EXPECT_FALSE(ApplyHighCostPooling({{"p1", "A", 2024, Cents(5)}, {"p1", "B", 2024, Cents(5)}},
                                    Cents(0), members)
                   .ok());
  EXPECT_FALSE(
      ApplyHighCostPooling({{"p1", "A", 2024, Cents(5)}}, Cents(0), {{"A", 0}, {"B", 0}}).ok());
  EXPECT_FALSE(ApplyHighCostPooling({}, Cents(0), {{"A", -1}}).ok());
}

}  // namespace
}  // namespace mittari::regional
