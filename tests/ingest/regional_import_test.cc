#include "ingest/regional_import.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/csv.h"

namespace mittari {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kUnitsCsv =
    "code,parent,kind,name_fi,name_sv,name_en\n"
    "HD,,organisation,Piiri,Distrikt,District\n"
    "A1,HD,area,Alue,Område,Area\n"
    "C1,A1,centre,Keskus,Central,Centre\n"
    "U1,C1,unit,Poliklinikka,Poliklinik,Outpatient clinic\n";

constexpr const char* kMunicipalitiesCsv =
    "code,name_fi,name_sv,payer,payer_name\n"
    "091,Helsinki,Helsingfors,HELSINKI,Helsingin kaupunki\n"
    "179,Jyväskylä,Jyväskylä,KESKI-SUOMI,Keski-Suomen hyvinvointialue\n"
    "410,Laukaa,Laukas,KESKI-SUOMI,Keski-Suomen hyvinvointialue\n";

constexpr const char* kPricesCsv =
    "product,name_fi,name_sv,name_en,kind,year,unit_price\n"
    "P-VISIT,Käynti,Besök,Visit,visit,2025,\"1 234,56\"\n"
    "P-VISIT,Käynti,Besök,Visit,visit,2024,100.00\n"
    "P-BED,Hoitopäivä,Vårddag,Bed day,bed_day,2025,450\n";

constexpr const char* kProductionHeader = "municipality,product,month,age_group,volume,patients\n";

// One row per month of 2025 for 179 and 410: 24 rows.
std::string ProductionYear(int volume) {
  std::string csv = kProductionHeader;
  for (const char* municipality : {"179", "410"}) {
    for (int month = 1; month <= 12; ++month) {
      csv += fmt::format("{},P-VISIT,2025-{:02},18-64,{},{}\n", municipality, month, volume,
                         volume / 2);
    }
  }
  return csv;
}

std::string Describe(const ProductionRow& r) {
  return fmt::format("{} {} {} {} {} {}", r.municipality, r.product, r.month, r.age_group, r.volume,
                     r.patients);
}

class RegionalImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("mittari_regional_import_") +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(OpenSqliteStore((dir_ / "t.db").string())).value();
    auto units = CsvReader::FromString(kUnitsCsv);
    Result<ImportSummary> imported = ImportUnitsCsv(*store_, *units, ImportOptions{});
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    tree_ = *OrgTree::Build(*store_->LoadUnits());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs the importer of `kind` on `csv`, collecting rejections.
  Result<ImportSummary> Import(std::string_view kind, std::string csv, std::string rejects = "") {
    auto reader = CsvReader::FromString(std::move(csv));
    ImportOptions options;
    options.rejects_path = std::move(rejects);
    options.on_reject = [&](const RowRejection& r) { rejections_.push_back(r); };
    return ImportRegionalCsv(kind, *store_, tree_, *reader, options);
  }

  // Imports and expects success.
  ImportSummary Ok(std::string_view kind, std::string csv) {
    Result<ImportSummary> summary = Import(kind, std::move(csv));
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? *summary : ImportSummary{};
  }

  void ImportReferenceData() {
    ImportSummary m = Ok("municipalities", kMunicipalitiesCsv);
    ASSERT_EQ(m.rejected, 0);
    ImportSummary p = Ok("prices", kPricesCsv);
    ASSERT_EQ(p.rejected, 0);
    rejections_.clear();
  }

  const RowRejection* RejectionFor(int64_t row) const {
    for (const RowRejection& r : rejections_) {
      if (r.row == row) return &r;
    }
    return nullptr;
  }

  // Expects row `row` rejected on `field` with a reason containing `reason`.
  void ExpectRejected(int64_t row, std::string_view field, std::string_view reason) const {
    const RowRejection* r = RejectionFor(row);
    ASSERT_NE(r, nullptr) << "row " << row << " was not rejected";
    EXPECT_EQ(r->field, field) << "row " << row << ": " << r->reason;
    EXPECT_THAT(r->reason, HasSubstr(std::string(reason))) << "row " << row;
  }

  std::vector<std::string> Production(int year) {
    std::vector<std::string> out;
    Result<std::vector<ProductionRow>> rows = store_->LoadProduction(year);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok()) return out;
    for (const ProductionRow& r : *rows) out.push_back(Describe(r));
    std::sort(out.begin(), out.end());
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  OrgTree tree_;
  std::vector<RowRejection> rejections_;
};

// --- Municipalities ---------------------------------------------------------------------------

TEST_F(RegionalImportTest, MunicipalitiesRoundTripAndReimportCountsChanges) {
  ImportSummary first =
      Ok("municipalities",
         std::string("code,name_fi,name_sv,payer,payer_name,valid_from,valid_to\n") +
             "091,Helsinki,Helsingfors,HELSINKI,Helsingin kaupunki,,\n"
             "179,Jyväskylä,Jyväskylä,KESKI-SUOMI,Keski-Suomen hyvinvointialue,2009-01-01,\n");
  EXPECT_EQ(first.imported, 2);
  EXPECT_EQ(first.rejected, 0);
  std::vector<Municipality> stored = *store_->ListMunicipalities();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0], (Municipality{"091", "Helsinki", "Helsingfors", "HELSINKI",
                                     "Helsingin kaupunki", "", ""}));
  EXPECT_EQ(stored[1].valid_from, "2009-01-01");

  // Without the validity columns the stored dates stay; one name changes.
  ImportSummary second =
      Ok("municipalities", std::string("code,name_fi,name_sv,payer,payer_name\n") +
                               "091,Helsinki,Helsingfors,HELSINKI,Helsingin kaupunki\n"
                               "179,Jyväskylä,Jyväskylä,KESKI-SUOMI,Keski-Suomi\n"
                               "410,Laukaa,Laukas,KESKI-SUOMI,Keski-Suomi\n");
  EXPECT_EQ(second.imported, 1);
  EXPECT_EQ(second.updated, 1);
  EXPECT_EQ(second.duplicates, 1);
  stored = *store_->ListMunicipalities();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[1].payer_name, "Keski-Suomi");
  EXPECT_EQ(stored[1].valid_from, "2009-01-01");
}

TEST_F(RegionalImportTest, MunicipalityRowsWithBadCodesOrPayersAreRejected) {
  ImportSummary summary =
      Ok("municipalities",
         std::string("code,name_fi,name_sv,payer,payer_name,valid_from,valid_to\n") +
             "91,Helsinki,Helsingfors,HELSINKI,Helsinki,,\n"                // row 2
             "179,Jyväskylä,Jyväskylä,keski-suomi,Keski-Suomi,,\n"          // row 3
             "410,Laukaa,Laukas,KESKI SUOMI,Keski-Suomi,,\n"                // row 4
             "499,Pedersöre,Pedersöre,POHJANMAA,,,\n"                       // row 5
             "500,Kangasala,Kangasala,PIRKANMAA,P,2020-01-01,2019-12-31\n"  // row 6
             "092,Vantaa,Vanda,VANTAA-KERAVA,Vantaa ja Kerava,,\n"          // row 7
             "092,Vantaa,Vanda,VANTAA-KERAVA,Vantaa ja Kerava,,\n");        // row 8
  EXPECT_EQ(summary.imported, 1);
  EXPECT_EQ(summary.rejected, 6);
  ExpectRejected(2, "code", "dropped the leading zero");
  ExpectRejected(3, "payer", "lower-case");
  ExpectRejected(4, "payer", "upper-case letters A-Z");
  ExpectRejected(5, "payer_name", "is empty");
  ExpectRejected(6, "valid_to", "before valid_from");
  ExpectRejected(8, "", "repeats row 7");
  ASSERT_EQ(store_->ListMunicipalities()->size(), 1u);
}

// --- Population -------------------------------------------------------------------------------

TEST_F(RegionalImportTest, PopulationRoundTripRejectingUnknownMunicipalityAndBadAgeGroup) {
  ImportReferenceData();
  ImportSummary summary = Ok("population", std::string("year,municipality,age_group,residents\n") +
                                               "2025,179,0-6,9100\n"    // row 2
                                               "2025,179,85+,3050\n"    // row 3
                                               "2025,999,0-6,10\n"      // row 4
                                               "2025,179,65+,10\n"      // row 5
                                               "2025,179,18-64,-1\n"    // row 6
                                               "1999,179,18-64,1\n"     // row 7
                                               "2025,179,0-6,9100\n");  // row 8
  EXPECT_EQ(summary.imported, 2);
  EXPECT_EQ(summary.rejected, 5);
  ExpectRejected(4, "municipality", "unknown municipality '999'");
  ExpectRejected(5, "age_group",
                 "'65+' is not an age group; use one of 0-6, 7-17, 18-64, 65-74, 75-84, 85+");
  ExpectRejected(6, "residents", "is negative");
  ExpectRejected(7, "year", "from 2000 to 2100");
  ExpectRejected(8, "", "repeats row 2");
  std::vector<PopulationRow> rows = *store_->LoadPopulation(2025);
  ASSERT_EQ(rows.size(), 2u);
  std::sort(rows.begin(), rows.end(), [](const PopulationRow& a, const PopulationRow& b) {
    return a.age_group < b.age_group;
  });
  EXPECT_EQ(rows[0].municipality, "179");
  EXPECT_EQ(rows[0].age_group, 0);
  EXPECT_EQ(rows[0].residents, 9100);
  EXPECT_EQ(rows[1].age_group, 5);
  EXPECT_EQ(rows[1].residents, 3050);
  EXPECT_THAT(summary.warnings,
              ::testing::Contains(HasSubstr("replaced 1 year (2025): 0 rows before, 2 now")));
}

// --- Prices -------------------------------------------------------------------------------------

TEST_F(RegionalImportTest, PriceListUpsertsProductsAndParsesAmountsExactly) {
  ImportSummary summary = Ok("prices", kPricesCsv);
  EXPECT_EQ(summary.imported, 3);
  EXPECT_EQ(summary.rejected, 0);
  EXPECT_THAT(summary.warnings, ::testing::Contains(HasSubstr("products: 2 new, 0 changed")));
  std::vector<ServiceProduct> products = *store_->ListProducts();
  ASSERT_EQ(products.size(), 2u);
  EXPECT_EQ(products[0],
            (ServiceProduct{"P-BED", "Hoitopäivä", "Vårddag", "Bed day", ProductKind::kBedDay}));
  EXPECT_EQ(products[1].code, "P-VISIT");
  std::vector<ProductPrice> prices = *store_->LoadPrices(2025);
  ASSERT_EQ(prices.size(), 2u);
  std::sort(prices.begin(), prices.end(),
            [](const ProductPrice& a, const ProductPrice& b) { return a.product < b.product; });
  EXPECT_EQ(prices[0].unit_price_cents, 45000);
  EXPECT_EQ(prices[1].unit_price_cents, 123456);  // "1 234,56"
  ASSERT_EQ(store_->LoadPrices(2024)->size(), 1u);
  EXPECT_EQ(store_->LoadPrices(2024)->front().unit_price_cents, 10000);
}

TEST_F(RegionalImportTest, PriceRowsWithBadAmountsKindsOrDescriptionsAreRejected) {
  ImportSummary summary =
      Ok("prices", std::string("product,name_fi,name_sv,name_en,kind,year,unit_price\n") +
                       "P-A,A,A,A,visit,2025,12.345\n"  // row 2: 3 decimals
                       "P-B,B,B,B,visit,2025,-1\n"      // row 3
                       "P-C,C,C,C,surgery,2025,10\n"    // row 4
                       "P-D,D,D,D,visit,2025,10\n"      // row 5
                       "P-D,D2,D,D,visit,2024,10\n"     // row 6
                       "P-D,D,D,D,visit,2025,11\n"      // row 7
                       "P D,D,D,D,visit,2025,11\n");    // row 8
  EXPECT_EQ(summary.imported, 1);
  EXPECT_EQ(summary.rejected, 6);
  ExpectRejected(2, "unit_price", "one or two decimals");
  ExpectRejected(3, "unit_price", "is negative");
  ExpectRejected(4, "kind", "visit, bed_day, procedure, drg, remote");
  ExpectRejected(6, "name_fi", "differs from row 5");
  ExpectRejected(7, "", "repeats row 5");
  ExpectRejected(8, "product", "may contain only");
  EXPECT_EQ(store_->ListProducts()->size(), 1u);
}

// --- Production ---------------------------------------------------------------------------------

TEST_F(RegionalImportTest, ProductionRoundTrip) {
  ImportReferenceData();
  ImportSummary summary = Ok("production", ProductionYear(10));
  EXPECT_EQ(summary.imported, 24);
  EXPECT_EQ(summary.updated, 0);
  EXPECT_EQ(summary.rejected, 0);
  EXPECT_THAT(summary.warnings,
              ::testing::Contains("replaced 12 months (2025-01–2025-12): 0 rows before, 24 now"));
  std::vector<ProductionRow> rows = *store_->LoadProduction(2025);
  ASSERT_EQ(rows.size(), 24u);
  std::vector<std::string> described = Production(2025);
  EXPECT_THAT(described, ::testing::Contains("179 P-VISIT 2025-01 2 10 5"));
  EXPECT_THAT(described, ::testing::Contains("410 P-VISIT 2025-12 2 10 5"));
  EXPECT_EQ(*store_->ProductionYears(), std::vector<int>{2025});
}

TEST_F(RegionalImportTest, ProductionBadRowsAreRejectedWithRowFieldAndReasonAndGoodRowsKept) {
  ImportReferenceData();
  std::string csv = std::string(kProductionHeader) +
                    "179,P-VISIT,2025-01,18-64,10,5\n"  // row 2: good
                    "999,P-VISIT,2025-01,18-64,10,5\n"  // row 3: unknown municipality
                    "179,P-VISIT,2025-02,18-64,-3,0\n"  // row 4: negative volume
                    "179,P-VISIT,2025-03,18-64,3,4\n"   // row 5: patients > volume
                    "179,P-BED,2024-03,18-64,3,1\n"     // row 6: no 2024 price for P-BED
                    "179,P-NONE,2025-03,18-64,3,1\n"    // row 7: unknown product
                    "179,P-VISIT,2025-13,18-64,3,1\n"   // row 8: bad month
                    "179,P-VISIT,2025-3,18-64,3,1\n"    // row 9: bad month
                    "179,P-VISIT,2025-04,18-65,3,1\n"   // row 10: bad age group
                    "179,P-VISIT,2025-01,18-64,7,7\n"   // row 11: repeats row 2
                    "179,P-VISIT,2025-01,18-64,7\n"     // row 12: too few fields
                    "179,P-VISIT,2025-01,65-74,7,7\n"   // row 13: good
                    "179,P-VISIT,2025-02,0-6,2.5,1\n";  // row 14: not whole
  Result<ImportSummary> summary = Import("production", csv);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->imported, 2);
  EXPECT_EQ(summary->rejected, 11);
  ExpectRejected(3, "municipality", "unknown municipality '999'; import the municipalities first");
  ExpectRejected(4, "volume", "is negative (-3)");
  ExpectRejected(5, "patients", "4 patients is more than the volume 3");
  ExpectRejected(6, "product", "no price for product P-BED in 2024; import the price list first");
  ExpectRejected(7, "product", "unknown product 'P-NONE'");
  ExpectRejected(8, "month", "is not a month YYYY-MM");
  ExpectRejected(9, "month", "'2025-3' is not a month");
  ExpectRejected(10, "age_group", "'18-65' is not an age group");
  ExpectRejected(11, "", "repeats row 2");
  ExpectRejected(12, "", "has 5 fields; the header has 6");
  ExpectRejected(14, "volume", "'2.5' is not a whole number");
  EXPECT_EQ(Production(2025),
            (std::vector<std::string>{"179 P-VISIT 2025-01 2 10 5", "179 P-VISIT 2025-01 3 7 7"}));
}

TEST_F(RegionalImportTest, ImportingTheSameProductionFileTwiceReplacesInsteadOfDoubling) {
  ImportReferenceData();
  ImportSummary first = Ok("production", ProductionYear(10));
  ASSERT_EQ(first.imported, 24);
  std::vector<std::string> before = Production(2025);
  ImportSummary second = Ok("production", ProductionYear(10));
  EXPECT_EQ(second.imported, 24);
  EXPECT_EQ(second.updated, first.imported);
  EXPECT_THAT(second.warnings,
              ::testing::Contains("replaced 12 months (2025-01–2025-12): 24 rows before, 24 now"));
  EXPECT_EQ(Production(2025), before);
}

TEST_F(RegionalImportTest, ACorrectedFileForOneMonthReplacesThatMonthOnly) {
  ImportReferenceData();
  ASSERT_EQ(Ok("production", ProductionYear(10)).imported, 24);
  // March is corrected: 179 gets a new volume, 410 has no March rows any more, and a new
  // age group appears.
  ImportSummary fix = Ok("production", std::string(kProductionHeader) +
                                           "179,P-VISIT,2025-03,18-64,12,6\n"
                                           "179,P-VISIT,2025-03,75-84,1,1\n");
  EXPECT_EQ(fix.imported, 2);
  EXPECT_EQ(fix.updated, 2);  // March held one row for each municipality
  EXPECT_THAT(fix.warnings,
              ::testing::Contains("replaced 1 month (2025-03): 2 rows before, 2 now"));
  std::vector<std::string> rows = Production(2025);
  EXPECT_EQ(rows.size(), 24u);
  EXPECT_THAT(rows, ::testing::Contains("179 P-VISIT 2025-03 2 12 6"));
  EXPECT_THAT(rows, ::testing::Contains("179 P-VISIT 2025-03 4 1 1"));
  EXPECT_THAT(rows, Not(::testing::Contains("410 P-VISIT 2025-03 2 10 5")));
  EXPECT_THAT(rows, ::testing::Contains("410 P-VISIT 2025-02 2 10 5"));
  EXPECT_THAT(rows, ::testing::Contains("179 P-VISIT 2025-04 2 10 5"));
}

TEST_F(RegionalImportTest, AFileWithoutAcceptedRowsWritesNothingAndKeepsStoredPeriods) {
  ImportReferenceData();
  ASSERT_EQ(Ok("production", ProductionYear(10)).imported, 24);
  ImportSummary summary =
      Ok("production", std::string(kProductionHeader) + "999,P-VISIT,2025-03,18-64,12,6\n");
  EXPECT_EQ(summary.imported, 0);
  EXPECT_EQ(summary.updated, 0);
  EXPECT_EQ(summary.rejected, 1);
  EXPECT_THAT(summary.warnings, ::testing::Contains(HasSubstr("nothing was stored")));
  EXPECT_EQ(Production(2025).size(), 24u);
}

TEST_F(RegionalImportTest, MissingRequiredColumnRejectsTheWholeFileNamingItAndWritesNothing) {
  ImportReferenceData();
  Result<ImportSummary> summary = Import("production",
                                         "municipality,product,month,age_group,volume\n"
                                         "179,P-VISIT,2025-01,18-64,10\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(summary.status().message(), HasSubstr("no column 'patients'"));
  EXPECT_TRUE(store_->LoadProduction(2025)->empty());
  EXPECT_TRUE(rejections_.empty());

  Result<ImportSummary> empty = Import("ledger", "");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("empty"));
}

TEST_F(RegionalImportTest, UnknownColumnsAreWarnedAboutAndIgnored) {
  ImportReferenceData();
  ImportSummary summary =
      Ok("need", "municipality,year,need_coefficient,comment\n179,2025,\"1,07\",from THL\n");
  EXPECT_EQ(summary.imported, 1);
  EXPECT_THAT(summary.warnings,
              ::testing::Contains("column 'comment' is not used and was ignored"));
}

// --- Patient costs ------------------------------------------------------------------------------

TEST_F(RegionalImportTest, PatientCostsRoundTripWithSeveralLinesPerPatient) {
  ImportReferenceData();
  ImportSummary summary = Ok("patient-costs", std::string("patient_id,municipality,year,cost\n") +
                                                  "a3f9c2e1b0d4,179,2025,\"1 234,56\"\n"
                                                  "a3f9c2e1b0d4,179,2025,100\n"
                                                  "P_000017,410,2025,0.05\n");
  EXPECT_EQ(summary.imported, 3);
  EXPECT_EQ(summary.rejected, 0);
  std::vector<PatientCostRow> rows = *store_->LoadPatientCosts(2025);
  ASSERT_EQ(rows.size(), 3u);
  int64_t total = 0;
  for (const PatientCostRow& r : rows) total += r.cost_cents;
  EXPECT_EQ(total, 123456 + 10000 + 5);
}

TEST_F(RegionalImportTest, IdentityCodesAsPatientIdsAreRejectedAndNeverEchoed) {
  ImportReferenceData();
  const std::string rejects = (dir_ / "costs.rejects.csv").string();
  const std::vector<std::string> codes = {"131052-308T", "P_131052A308T", "010203B1234",
                                          "311299Y123X"};
  std::string csv = "patient_id,municipality,year,cost\n";
  for (const std::string& code : codes) csv += code + ",179,2025,10\n";  // rows 2..5
  csv += "131052-308T,179,2025\n";                                       // row 6: too few fields
  csv += "ok-1,179,2025,10\n";                                           // row 7: good
  csv += "bad id!,179,2025,10\n";                                        // row 8
  Result<ImportSummary> summary = Import("patient-costs", csv, rejects);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->imported, 1);
  EXPECT_EQ(summary->rejected, 6);
  for (int64_t row = 2; row <= 5; ++row) {
    ExpectRejected(row, "patient_id", "looks like a personal identity code; use a pseudonym");
  }
  ExpectRejected(8, "patient_id", "may contain only");
  std::ifstream in(rejects);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("[HETU]"));
  for (const RowRejection& r : rejections_) {
    for (const std::string& code : codes) EXPECT_THAT(r.reason, Not(HasSubstr(code)));
  }
  for (const std::string& code : codes) {
    EXPECT_THAT(text.str(), Not(HasSubstr(code)));
  }
}

// --- Ledger -------------------------------------------------------------------------------------

TEST_F(RegionalImportTest, LedgerRoundTripRejectingUnknownCostCentresAndBadAmounts) {
  ImportSummary summary = Ok("ledger", std::string("cost_centre,account,month,amount\n") +
                                           "U1,personnel,2025-01,\"1 234,56\"\n"    // row 2
                                           "C1,purchased_services,2025-01,-50.5\n"  // row 3: credit
                                           "X9,personnel,2025-01,10\n"              // row 4
                                           "U1,travel,2025-01,10\n"                 // row 5
                                           "U1,materials,2025-01,1.005\n"           // row 6
                                           "U1,personnel,2025-01,1\n");             // row 7
  EXPECT_EQ(summary.imported, 2);
  EXPECT_EQ(summary.rejected, 4);
  ExpectRejected(4, "cost_centre", "unknown cost centre 'X9'");
  ExpectRejected(5, "account",
                 "personnel, materials, purchased_services, rents, depreciation, other");
  ExpectRejected(6, "amount", "one or two decimals");
  ExpectRejected(7, "", "repeats row 2");
  std::vector<LedgerRow> rows = *store_->LoadLedger(2025);
  ASSERT_EQ(rows.size(), 2u);
  std::sort(rows.begin(), rows.end(),
            [](const LedgerRow& a, const LedgerRow& b) { return a.cost_centre < b.cost_centre; });
  EXPECT_EQ(rows[0].cost_centre, "C1");
  EXPECT_EQ(rows[0].account, LedgerAccount::kPurchasedServices);
  EXPECT_EQ(rows[0].amount_cents, -5050);
  EXPECT_EQ(rows[1].amount_cents, 123456);
  EXPECT_EQ(rows[1].month, "2025-01");
}

// --- Need coefficients --------------------------------------------------------------------------

TEST_F(RegionalImportTest, NeedCoefficientsAcceptBothDecimalSeparatorsAndOnlyPositiveValues) {
  ImportReferenceData();
  ImportSummary summary = Ok("need", std::string("municipality,year,need_coefficient\n") +
                                         "179,2025,\"1,07\"\n"  // row 2
                                         "410,2025,0.95\n"      // row 3
                                         "091,2025,0\n"         // row 4
                                         "091,2025,-1\n"        // row 5
                                         "091,2025,1e3\n"       // row 6
                                         "091,2025,abc\n"       // row 7
                                         "091,2025,1.\n"        // row 8
                                         "179,2025,1.2\n");     // row 9
  EXPECT_EQ(summary.imported, 2);
  EXPECT_EQ(summary.rejected, 6);
  ExpectRejected(4, "need_coefficient", "more than 0");
  for (int64_t row : {5, 6, 7, 8})
    ExpectRejected(row, "need_coefficient", "is not a decimal number");
  ExpectRejected(9, "", "repeats row 2");
  std::vector<NeedCoefficientRow> rows = *store_->LoadNeedCoefficients(2025);
  ASSERT_EQ(rows.size(), 2u);
  std::sort(rows.begin(), rows.end(), [](const NeedCoefficientRow& a, const NeedCoefficientRow& b) {
    return a.municipality < b.municipality;
  });
  EXPECT_DOUBLE_EQ(rows[0].coefficient, 1.07);
  EXPECT_DOUBLE_EQ(rows[1].coefficient, 0.95);
}

// --- Dispatch and progress ----------------------------------------------------------------------

TEST_F(RegionalImportTest, EveryKindNameDispatchesAndOthersAreRefused) {
  for (std::string_view kind : kRegionalImportKinds) {
    Result<ImportSummary> summary = Import(kind, "nonsense\n");
    ASSERT_FALSE(summary.ok()) << kind;
    EXPECT_THAT(summary.status().message(), HasSubstr("the header has no column")) << kind;
  }
  Result<ImportSummary> unknown = Import("budget", "x\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("use one of municipalities, population"));
}

TEST_F(RegionalImportTest, ProgressIsReportedUpToTheWholeFile) {
  ImportReferenceData();
  std::string csv = ProductionYear(10);
  auto reader = CsvReader::FromString(csv);
  ImportOptions options;
  options.batch_size = 5;
  std::vector<int64_t> done;
  options.on_progress = [&](int64_t bytes, int64_t total) {
    EXPECT_EQ(total, static_cast<int64_t>(csv.size()));
    done.push_back(bytes);
  };
  ASSERT_TRUE(ImportProductionCsv(*store_, *reader, options).ok());
  ASSERT_GE(done.size(), 2u);
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
  EXPECT_EQ(done.back(), static_cast<int64_t>(csv.size()));
}

}  // namespace
}  // namespace mittari
