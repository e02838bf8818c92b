// Regional finance through the service against a real SQLite database: files imported by the
// regional importers, then the invoice, the comparison, capitation, the bonus and the scorecard
// link, checked against numbers worked out by hand in the comments.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "regional/definition.h"
#include "scorecard/definition.h"
#include "service/service.h"

namespace mittari {
namespace {

using nlohmann::json;

// Three members: 001 young, 002 old, 003 in between, 1 000 residents each.
constexpr const char* kMunicipalities =
    "code,name_fi,name_sv,payer,payer_name\n"
    "001,Alfa,Alfa,NORTH,Pohjoinen\n"
    "002,Beeta,Beta,NORTH,Pohjoinen\n"
    "003,Gamma,Gamma,SOUTH,Etelä\n";
constexpr const char* kPopulation =
    "municipality,year,age_group,residents\n"
    "001,2025,18-64,900\n001,2025,75-84,100\n"
    "002,2025,18-64,500\n002,2025,75-84,500\n"
    "003,2025,18-64,600\n003,2025,75-84,400\n";
constexpr const char* kPrices =
    "product,name_fi,name_sv,name_en,kind,year,unit_price\n"
    "VISIT,Käynti,Besök,Visit,visit,2025,100.00\n"
    "BED,Hoitopäivä,Vårddag,Bed day,bed_day,2025,33.33\n";
// March for everyone, December for 001 only.
constexpr const char* kProduction =
    "municipality,product,month,age_group,volume,patients\n"
    "001,VISIT,2025-03,18-64,90,80\n001,VISIT,2025-03,75-84,30,20\n001,BED,2025-03,75-84,3,1\n"
    "002,VISIT,2025-03,18-64,50,40\n002,VISIT,2025-03,75-84,150,90\n002,BED,2025-03,75-84,30,4\n"
    "003,VISIT,2025-03,18-64,60,50\n003,VISIT,2025-03,75-84,120,80\n"
    "001,VISIT,2025-12,18-64,10,10\n";
// P1's year is 100 000 € in two lines: 20 000 € above the threshold. P2 is exactly at it.
constexpr const char* kPatientCosts =
    "patient_id,municipality,year,cost\n"
    "P1,001,2025,60000.00\nP1,001,2025,40000.00\n"
    "P2,003,2025,80000.00\n"
    "P3,002,2025,5000.00\n";
constexpr const char* kNeed =
    "municipality,year,need_coefficient\n001,2025,1.0\n002,2025,1.2\n003,2025,0.9\n";
constexpr const char* kUnits =
    "code,parent,kind,name_fi,name_sv,name_en\n"
    "HD,,organisation,Piiri,Distrikt,District\n"
    "A01,HD,area,Alue 1,Område 1,Area 1\n"
    "A01-C01,A01,centre,Keskus,Central,Centre\n"
    "A02,HD,area,Alue 2,Område 2,Area 2\n";
// A01's subtree costs 30 000 € in 2025; A02's 5 000 € is someone else's.
constexpr const char* kLedger =
    "cost_centre,account,month,amount\n"
    "A01,personnel,2025-01,20000.00\n"
    "A01-C01,materials,2025-02,10000.00\n"
    "A02,personnel,2025-01,5000.00\n";

constexpr const char* kDefinition = R"yaml(
pooling:
  threshold: 80000.00
capitation:
  - year: 2025
    total: 3000000.00
    base: 1000
    age_weights: {"0-6": 1, "7-17": 1, "18-64": 1, "65-74": 2, "75-84": 3, "85+": 4}
bonus:
  - year: 2025
    components:
      quality:
        weight: 0.4
        measures:
          - {id: infections, name: Infektiot, source: manual, floor: 6, target: 3, weight: 1}
      effectiveness:
        weight: 0.3
        measures:
          - {id: avoidable_er, name: Vältettävät päivystyskäynnit, source: manual, floor: 15, target: 8, weight: 1}
      cost_efficiency:
        weight: 0.3
        measures:
          - {id: cost_ratio, name: Kustannus suhteessa odotettuun, source: cost_vs_capitation, floor: 1.10, target: 0.95, weight: 1}
    providers:
      - id: area1
        name: {fi: Alue 1, sv: Område 1, en: Area 1}
        unit: A01
        pool: 100000.00
        capitation_share: 0.01
        values: {infections: 4.5, avoidable_er: 20}
)yaml";

int64_t Cents(const json& value) { return std::llround(value.get<double>() * 100.0); }

class RegionalServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("mittari_regional_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    service_ = std::move(Service::Open((dir_ / "r.db").string(), true)).value();
    ASSERT_TRUE(service_->ImportUnits(Write("units.csv", kUnits), {}).ok());
    Import("municipalities", kMunicipalities);
    Import("population", kPopulation);
    Import("prices", kPrices);
    Import("production", kProduction);
    Import("patient-costs", kPatientCosts);
    Import("need", kNeed);
    Import("ledger", kLedger);
    Result<regional::RegionalDefinition> definition = regional::ParseRegionalDefinition(kDefinition, "regional.yaml");
    ASSERT_TRUE(definition.ok()) << definition.status().message();
    service_->ConfigureRegional(std::move(definition).value());
  }
  void TearDown() override {
    service_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream((dir_ / name).string(), std::ios::binary) << text;
    return (dir_ / name).string();
  }
  ImportSummary Import(const std::string& kind, const std::string& text) {
    Result<ImportSummary> summary = service_->ImportRegional(kind, Write(kind + ".csv", text), {});
    EXPECT_TRUE(summary.ok()) << kind << ": " << summary.status().message();
    if (!summary.ok()) return {};
    EXPECT_EQ(summary->rejected, 0) << kind;
    return *summary;
  }
  static json Rows(const Result<report::Table>& table) {
    EXPECT_TRUE(table.ok()) << table.status().message();
    if (!table.ok()) return json::array();
    return json::parse(report::Render(*table, report::Format::kJson));
  }

  std::filesystem::path dir_;
  std::unique_ptr<Service> service_;
};

TEST_F(RegionalServiceTest, MarchInvoiceLinesReconcileToTheCent) {
  json rows = Rows(service_->RegionalInvoice("NORTH", "2025-03", "en"));
  ASSERT_EQ(rows.size(), 7u);  // 2 lines + subtotal for each of 001 and 002, then the total
  // 001: BED 3 × 33.33 = 99.99, VISIT 120 × 100.00 = 12 000.00.
  EXPECT_EQ(rows[0]["product"], "BED");
  EXPECT_EQ(rows[0]["product_name"], "Bed day");
  EXPECT_EQ(rows[0]["volume"], 3);
  EXPECT_EQ(Cents(rows[0]["amount"]), 9999);
  EXPECT_EQ(rows[1]["volume"], 120);
  EXPECT_EQ(Cents(rows[1]["amount"]), 1200000);
  EXPECT_EQ(Cents(rows[2]["amount"]), 1209999);
  // 002: BED 30 × 33.33 = 999.90, VISIT 200 × 100.00 = 20 000.00.
  EXPECT_EQ(Cents(rows[3]["amount"]), 99990);
  EXPECT_EQ(Cents(rows[5]["amount"]), 2099990);
  EXPECT_EQ(rows[6]["product_name"], "Invoice total");
  EXPECT_EQ(Cents(rows[6]["amount"]), 3309989);
  int64_t lines = 0;
  for (const json& row : rows) {
    if (!row["volume"].is_null()) {
      EXPECT_EQ(Cents(row["amount"]), row["volume"].get<int64_t>() * Cents(row["unit_price"]));
      lines += Cents(row["amount"]);
    }
  }
  EXPECT_EQ(lines, Cents(rows.back()["amount"]));
}

TEST_F(RegionalServiceTest, DecemberInvoicesSettleThePoolAndConserveIt) {
  // 20 000.00 € pooled (P1's part above 80 000; P2 at exactly 80 000 gives nothing), shared by
  // equal populations: 6 666.67, 6 666.67 and 6 666.66 (the spare cents go to the codes first).
  json north = Rows(service_->RegionalInvoice("NORTH", "2025-12", "fi"));
  json south = Rows(service_->RegionalInvoice("SOUTH", "2025-12", "fi"));
  int64_t pooled_north = 0, pooled_south = 0;
  for (const json& row : north) {
    if (row["product"] == "POOL-OUT") {
      EXPECT_EQ(Cents(row["amount"]), -2000000);
    }
    if (row["product"] == "POOL-IN") {
      EXPECT_EQ(Cents(row["amount"]), 666667);
    }
    if (row["product"] == "POOL-OUT" || row["product"] == "POOL-IN") pooled_north += Cents(row["amount"]);
  }
  for (const json& row : south) {
    if (row["product"] == "POOL-IN") {
      EXPECT_EQ(row["municipality"], "003");
      EXPECT_EQ(Cents(row["amount"]), 666666);
    }
    if (row["product"] == "POOL-OUT" || row["product"] == "POOL-IN") pooled_south += Cents(row["amount"]);
  }
  EXPECT_EQ(pooled_north, -666666);
  EXPECT_EQ(pooled_north + pooled_south, 0);  // what is taken out is all put back
  // 1 000.00 of production − 20 000.00 + 2 × 6 666.67.
  EXPECT_EQ(Cents(north.back()["amount"]), -566666);
  EXPECT_EQ(north.back()["product_name"], "Laskun loppusumma");
  EXPECT_EQ(Cents(south.back()["amount"]), 666666);
  // Months other than December carry no pooling.
  for (const json& row : Rows(service_->RegionalInvoice("NORTH", "2025-03", "fi"))) {
    EXPECT_NE(row["product"], "POOL-OUT");
    EXPECT_NE(row["product"], "POOL-IN");
  }
}

TEST_F(RegionalServiceTest, InvoiceErrorsNameWhatIsWrong) {
  Result<report::Table> unknown = service_->RegionalInvoice("EAST", "2025-03", "fi");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "no municipality is paid by 'EAST'; payers: NORTH, SOUTH");
  Result<report::Table> bad_month = service_->RegionalInvoice("NORTH", "2025-13", "fi");
  ASSERT_FALSE(bad_month.ok());
  EXPECT_EQ(bad_month.status().code(), StatusCode::kInvalidArgument);
  Result<report::Table> empty = service_->RegionalInvoice("SOUTH", "2025-04", "fi");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kNotFound);
}

TEST_F(RegionalServiceTest, AgeStandardisationChangesTheOrderAsWorkedOutByHand) {
  // Costs by age: 001 10 000.00 / 3 099.99, 002 5 000.00 / 15 999.90, 003 6 000.00 / 12 000.00
  // for 18–64 / 75–84; standard population 2 000 / 1 000.
  // Crude: 002 21.00, 003 18.00, 001 13.10 per resident.
  // Standardised: 001 (11.111 × 2000 + 31.000 × 1000) / 3000 = 17.7407,
  //               002 (10 × 2000 + 31.9998 × 1000) / 3000 = 17.3333, 003 16.6667.
  json rows = Rows(service_->RegionalComparison(2025, /*standardised=*/true, "en"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0]["municipality"], "001");
  EXPECT_NEAR(rows[0]["standardised_cost_per_resident"].get<double>(), (10000.0 / 900 * 2000 + 3099.99 / 100 * 1000) / 3000, 1e-3);
  EXPECT_NEAR(rows[0]["cost_per_resident"].get<double>(), 13.09999, 1e-3);
  EXPECT_EQ(rows[0]["rank"], 3);
  EXPECT_EQ(rows[0]["standardised_rank"], 1);
  EXPECT_EQ(rows[1]["municipality"], "002");
  EXPECT_NEAR(rows[1]["standardised_cost_per_resident"].get<double>(), (10.0 * 2000 + 15999.90 / 500 * 1000) / 3000, 1e-3);
  EXPECT_EQ(rows[1]["rank"], 1);
  EXPECT_EQ(rows[2]["municipality"], "003");
  EXPECT_NEAR(rows[2]["standardised_cost_per_resident"].get<double>(), 50000.0 / 3000, 1e-3);
  // Patients come from the per-patient lines: one distinct patient each.
  EXPECT_EQ(rows[0]["patients"], 1);
  // The district row: its own population is the standard, so both rates agree.
  EXPECT_EQ(rows[3]["municipality_name"], "Whole district");
  EXPECT_EQ(rows[3]["residents"], 3000);
  EXPECT_NEAR(rows[3]["cost_per_resident"].get<double>(), 52099.89 / 3000, 1e-3);
  EXPECT_NEAR(rows[3]["standardised_cost_per_resident"].get<double>(), rows[3]["cost_per_resident"].get<double>(), 1e-9);

  json crude = Rows(service_->RegionalComparison(2025, /*standardised=*/false, "fi"));
  EXPECT_EQ(crude[0]["municipality"], "002");
  EXPECT_FALSE(crude[0].contains("standardised_cost_per_resident"));
}

TEST_F(RegionalServiceTest, CapitationBudgetsAddUpToTheTotal) {
  // Weighted residents 1 200, 2 000, 1 800; claims × need 1 200, 2 400, 1 620 of 5 220.
  json rows = Rows(service_->RegionalCapitation(2025, "en"));
  ASSERT_EQ(rows.size(), 4u);
  int64_t sum = 0;
  for (size_t i = 0; i < 3; ++i) sum += Cents(rows[i]["budget"]);
  EXPECT_EQ(sum, 300000000);
  EXPECT_EQ(Cents(rows[3]["budget"]), 300000000);
  EXPECT_NEAR(rows[1]["weighted_residents"].get<double>(), 2000, 1e-9);
  EXPECT_EQ(Cents(rows[1]["budget"]), 137931035);  // 1 379 310.3448…, and the spare cent
  EXPECT_EQ(Cents(rows[0]["budget"]), 68965517);
  EXPECT_EQ(Cents(rows[2]["budget"]), 93103448);

  Result<report::Table> none = service_->RegionalCapitation(2024, "en");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
}

TEST_F(RegionalServiceTest, BonusScoresEachComponentFromItsSource) {
  // infections 4.5 between floor 6 and target 3: 0.5; avoidable_er 20 is below the floor of 15:
  // 0; cost ratio 30 000 / (0.01 × 3 000 000) = 1.0 between 1.10 and 0.95: 0.6667.
  // Achievement 0.4 × 0.5 + 0.3 × 0 + 0.3 × 0.6667 = 0.4, bonus 40 000.00 of 100 000.00.
  json rows = Rows(service_->RegionalBonus(2025, "en"));
  json total;
  for (const json& row : rows) {
    if (row["measure"] == "cost_ratio") {
      EXPECT_NEAR(row["value"].get<double>(), 1.0, 1e-9);
      EXPECT_NEAR(row["score"].get<double>(), 0.6667, 1e-3);
    }
    if (row["measure"] == "infections") {
      EXPECT_NEAR(row["score"].get<double>(), 0.5, 1e-9);
    }
    if (row["measure"] == "avoidable_er") {
      EXPECT_NEAR(row["score"].get<double>(), 0.0, 1e-9);
    }
    if (row["provider"] == "area1" && !row["bonus"].is_null()) total = row;
  }
  ASSERT_FALSE(total.is_null());
  EXPECT_NEAR(total["score"].get<double>(), 0.4, 1e-9);
  EXPECT_EQ(Cents(total["bonus"]), 4000000);
  EXPECT_EQ(Cents(total["pool"]), 10000000);
}

TEST_F(RegionalServiceTest, ABonusFilterTheEngineRefusesIsAnErrorNotAZeroScore) {
  std::string yaml = kDefinition;
  yaml.replace(yaml.find("          - {id: infections, name: Infektiot, source: manual, floor: 6, target: 3, weight: 1}"),
               std::string("          - {id: infections, name: Infektiot, source: manual, floor: 6, target: 3, weight: 1}").size(),
               "          - {id: nps_x, name: NPS, source: nps, where: [colour=blue], floor: 50, target: 80, weight: 1}");
  yaml.replace(yaml.find("values: {infections: 4.5, avoidable_er: 20}"),
               std::string("values: {infections: 4.5, avoidable_er: 20}").size(), "values: {avoidable_er: 20}");
  Result<regional::RegionalDefinition> definition = regional::ParseRegionalDefinition(yaml, "regional.yaml");
  ASSERT_TRUE(definition.ok()) << definition.status().message();
  service_->ConfigureRegional(std::move(definition).value());
  Result<report::Table> bonus = service_->RegionalBonus(2025, "en");
  ASSERT_FALSE(bonus.ok());
  EXPECT_NE(bonus.status().message().find("bonus 2025: measure 'nps_x'"), std::string::npos) << bonus.status().message();
  EXPECT_NE(bonus.status().message().find("colour"), std::string::npos) << bonus.status().message();
}

TEST_F(RegionalServiceTest, ReimportingAPeriodReplacesItAndNeverDoubles) {
  json before = Rows(service_->RegionalInvoice("NORTH", "2025-03", "fi"));
  ImportSummary again = Import("production", kProduction);
  EXPECT_EQ(again.imported, 9);
  EXPECT_EQ(again.updated, 9);  // the two months' rows it replaced
  EXPECT_EQ(Rows(service_->RegionalInvoice("NORTH", "2025-03", "fi")), before);
  // A corrected March for 002 only would drop 001's March: a file is the whole truth of its
  // months. Here March is corrected as a whole: 001's visits 90 → 91.
  std::string corrected = kProduction;
  corrected.replace(corrected.find("001,VISIT,2025-03,18-64,90,80"), 29, "001,VISIT,2025-03,18-64,91,80");
  Import("production", corrected);
  json after = Rows(service_->RegionalInvoice("NORTH", "2025-03", "fi"));
  EXPECT_EQ(Cents(after.back()["amount"]), Cents(before.back()["amount"]) + 10000);
}

TEST_F(RegionalServiceTest, ScorecardIndicatorsReadRegionalFigures) {
  Result<scorecard::Scorecard> card = scorecard::ParseScorecard(R"yaml(
title: {fi: Talous}
focal_points:
  - id: money
    name: Talous
    goals:
      - id: cost
        name: Kustannukset
        indicators:
          - id: cost_per_resident
            name: Kustannus asukasta kohden
            unit: €
            source: regional
            metric: cost_per_resident
            targets: {2025: "<= 20"}
          - id: total_cost
            name: Kustannus
            unit: €
            source: regional
            metric: total_cost
          - id: cost_per_thousand
            name: Kustannus tuhatta asukasta kohden
            unit: €
            source: formula
            formula: cost_per_resident * 1000
)yaml", "card.yaml");
  ASSERT_TRUE(card.ok()) << card.status().message();
  Result<std::vector<ScorecardRow>> rows = service_->EvaluateScorecard(*card, 2025);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  ASSERT_TRUE((*rows)[0].outcome.value);
  EXPECT_NEAR(*(*rows)[0].outcome.value, 52099.89 / 3000, 1e-9);
  EXPECT_EQ((*rows)[0].judgement.verdict, scorecard::Verdict::kAchieved);
  EXPECT_NEAR(*(*rows)[1].outcome.value, 52099.89, 1e-6);
  EXPECT_NEAR(*(*rows)[2].outcome.value, 52099.89 / 3, 1e-6);
  Result<std::vector<ScorecardRow>> empty_year = service_->EvaluateScorecard(*card, 2024);
  ASSERT_TRUE(empty_year.ok());
  EXPECT_FALSE((*empty_year)[0].outcome.value);
}

}  // namespace
}  // namespace mittari
