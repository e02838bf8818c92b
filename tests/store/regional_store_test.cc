// The SQLite store's regional finance tables (schema 6) against a real database file: round
// trips, period replacement, rejected imports that must leave the stored data as it was, and
// the migration of a schema-5 database, whose users table is rebuilt for the finance role.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "store/store.h"
#include "support/units.h"

namespace mittari {
namespace {

using testing::MakeUnit;

// The row types have no operator== of their own; tests compare their fields as tuples, which
// gtest also prints readably.
auto Fields(const PopulationRow& r) {
  return std::tuple(r.municipality, r.year, r.age_group, r.residents);
}
auto Fields(const ProductPrice& r) { return std::tuple(r.product, r.year, r.unit_price_cents); }
auto Fields(const ProductionRow& r) {
  return std::tuple(r.municipality, r.product, r.month, r.age_group, r.volume, r.patients);
}
auto Fields(const PatientCostRow& r) {
  return std::tuple(r.patient_id, r.municipality, r.year, r.cost_cents);
}
auto Fields(const LedgerRow& r) {
  return std::tuple(r.cost_centre, std::string(ToName(r.account)), r.month, r.amount_cents);
}
auto Fields(const NeedCoefficientRow& r) {
  return std::tuple(r.municipality, r.year, r.coefficient);
}

template <typename Row>
auto Tuples(const std::vector<Row>& rows) {
  std::vector<decltype(Fields(std::declval<const Row&>()))> out;
  for (const Row& row : rows) out.push_back(Fields(row));
  return out;
}
template <typename Row>
auto Tuples(const Result<std::vector<Row>>& rows) {
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? Tuples(*rows) : Tuples(std::vector<Row>{});
}

// A second connection to the same file for what the Store interface cannot do: inspecting the
// schema and building an old one.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() { sqlite3_close(db_); }

  // The SQLite result code, with the message in `error` when there is one.
  int Exec(const std::string& sql, std::string* error = nullptr) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (error != nullptr) *error = message != nullptr ? message : "";
    sqlite3_free(message);
    return rc;
  }
  // The first column of the first row as text; "" when there is no row or it is NULL.
  std::string Text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class RegionalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mittari_regional_store_" +
            std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
    Reopen();
    ASSERT_TRUE(store_->UpsertUnits({MakeUnit("HD", "", UnitKind::kOrganisation),
                                     MakeUnit("C1", "HD", UnitKind::kCentre),
                                     MakeUnit("U1", "C1", UnitKind::kUnit)})
                    .ok());
    ASSERT_TRUE(store_->UpsertMunicipalities({Helsinki(), Jyvaskyla()}).ok());
    ASSERT_TRUE(store_->UpsertProducts({Product("P-BED", ProductKind::kBedDay),
                                        Product("P-VISIT", ProductKind::kVisit)})
                    .ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  static Municipality Helsinki() {
    return Municipality{"091", "Helsinki", "Helsingfors", "HELSINKI", "Helsingin kaupunki",
                        "2023-01-01", ""};
  }
  static Municipality Jyvaskyla() {
    return Municipality{"179", "Jyväskylä", "Jyväskylä", "KESKI-SUOMI",
                        "Keski-Suomen hyvinvointialue", "", ""};
  }
  static ServiceProduct Product(std::string code, ProductKind kind) {
    return ServiceProduct{code, "fi " + code, "sv " + code, "en " + code, kind};
  }
  static ProductionRow Production(std::string municipality, std::string product, std::string month,
                                  int age_group, int64_t volume) {
    return ProductionRow{std::move(municipality), std::move(product), std::move(month), age_group,
                         volume, volume / 2};
  }

  // Expects InvalidArgument whose message contains every one of `parts`.
  template <typename T>
  static void ExpectRejected(const Result<T>& result, const std::vector<std::string>& parts) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << result.status().ToString();
    for (const std::string& part : parts) {
      EXPECT_NE(result.status().message().find(part), std::string::npos)
          << "'" << part << "' not in: " << result.status().message();
    }
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(RegionalStoreTest, MunicipalitiesAndProductsRoundTripInCodeOrder) {
  Reopen();
  Result<std::vector<Municipality>> municipalities = store_->ListMunicipalities();
  ASSERT_TRUE(municipalities.ok()) << municipalities.status().ToString();
  EXPECT_EQ(*municipalities, (std::vector<Municipality>{Helsinki(), Jyvaskyla()}));
  Result<std::vector<ServiceProduct>> products = store_->ListProducts();
  ASSERT_TRUE(products.ok()) << products.status().ToString();
  EXPECT_EQ(*products, (std::vector<ServiceProduct>{Product("P-BED", ProductKind::kBedDay),
                                                    Product("P-VISIT", ProductKind::kVisit)}));
}

TEST_F(RegionalStoreTest, UpsertsCountInsertedAndChangedButNotUnchanged) {
  Municipality moved = Jyvaskyla();
  moved.valid_to = "2025-12-31";
  Municipality added{"049", "Espoo", "Esbo", "LANSI-UUSIMAA", "Länsi-Uudenmaan hyvinvointialue",
                     "", ""};
  Result<int64_t> changed = store_->UpsertMunicipalities({Helsinki(), moved, added});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 2);
  EXPECT_EQ(*store_->UpsertMunicipalities({Helsinki(), moved, added}), 0);
  EXPECT_EQ(store_->ListMunicipalities()->at(2), moved);

  ServiceProduct renamed = Product("P-VISIT", ProductKind::kRemote);
  Result<int64_t> products = store_->UpsertProducts(
      {Product("P-BED", ProductKind::kBedDay), renamed, Product("P-DRG", ProductKind::kDrg)});
  ASSERT_TRUE(products.ok()) << products.status().ToString();
  EXPECT_EQ(*products, 2);
  EXPECT_EQ(store_->ListProducts()->size(), 3u);
  EXPECT_EQ(store_->ListProducts()->at(2), renamed);
}

TEST_F(RegionalStoreTest, MunicipalityCodeMustBeThreeDigitsAndNothingIsWritten) {
  Municipality bad = Helsinki();
  bad.code = "91";
  Municipality good = Helsinki();
  good.code = "092";
  ExpectRejected(store_->UpsertMunicipalities({good, bad}), {"'91'"});
  EXPECT_EQ(store_->ListMunicipalities()->size(), 2u);
  Municipality bad_date = Helsinki();
  bad_date.valid_from = "1.1.2023";
  ExpectRejected(store_->UpsertMunicipalities({bad_date}), {"'091'"});
}

TEST_F(RegionalStoreTest, PopulationRoundTripsOrderedByKey) {
  std::vector<PopulationRow> rows = {{"179", 2024, 2, 90000}, {"091", 2024, 5, 30000},
                                     {"091", 2024, 0, 45000}, {"091", 2023, 0, 44000}};
  Result<PeriodWriteStats> stats = store_->ReplacePopulation(rows);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->periods, 2);
  EXPECT_EQ(stats->rows_removed, 0);
  EXPECT_EQ(stats->rows_inserted, 4);
  Reopen();
  EXPECT_EQ(Tuples(store_->LoadPopulation(2024)),
            Tuples(std::vector<PopulationRow>{rows[2], rows[1], rows[0]}));
  EXPECT_EQ(Tuples(store_->LoadPopulation(2023)), Tuples(std::vector<PopulationRow>{rows[3]}));
  EXPECT_TRUE(store_->LoadPopulation(2022)->empty());
}

TEST_F(RegionalStoreTest, PricesRoundTripOrderedByProduct) {
  std::vector<ProductPrice> rows = {{"P-VISIT", 2025, 12050}, {"P-BED", 2025, 85000},
                                    {"P-BED", 2024, 80000}};
  ASSERT_TRUE(store_->ReplacePrices(rows).ok());
  Reopen();
  EXPECT_EQ(Tuples(store_->LoadPrices(2025)), Tuples(std::vector<ProductPrice>{rows[1], rows[0]}));
  EXPECT_EQ(Tuples(store_->LoadPrices(2024)), Tuples(std::vector<ProductPrice>{rows[2]}));
}

TEST_F(RegionalStoreTest, APriceListStoresProductsAndPricesTogetherOrNothing) {
  const ServiceProduct scan{"P-MRI", "Magneettikuvaus", "Magnetröntgen", "MRI scan", ProductKind::kProcedure};
  Result<std::pair<int64_t, PeriodWriteStats>> stored =
      store_->ReplacePriceList({scan}, {{"P-MRI", 2025, 56820}, {"P-VISIT", 2025, 12050}});
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->first, 1);  // the new product; prices may name it in the same call
  EXPECT_EQ(stored->second.rows_inserted, 2);
  // A bad price row: neither the renamed product nor any price is stored.
  ServiceProduct renamed = scan;
  renamed.name_en = "Magnetic resonance imaging";
  Result<std::pair<int64_t, PeriodWriteStats>> refused =
      store_->ReplacePriceList({renamed}, {{"P-MRI", 2025, 60000}, {"P-NONE", 2025, 1}});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("P-NONE"), std::string::npos) << refused.status().message();
  Reopen();
  Result<std::vector<ServiceProduct>> products = store_->ListProducts();
  ASSERT_TRUE(products.ok());
  for (const ServiceProduct& p : *products) {
    if (p.code == "P-MRI") {
      EXPECT_EQ(p.name_en, "MRI scan");
    }
  }
  EXPECT_EQ(store_->LoadPrices(2025)->size(), 2u);
  EXPECT_EQ((*store_->LoadPrices(2025))[0].unit_price_cents, 56820);
}

TEST_F(RegionalStoreTest, ProductionLoadsTheMonthsOfOneYearOrderedByKey) {
  std::vector<ProductionRow> rows = {Production("179", "P-VISIT", "2025-01", 2, 10),
                                     Production("091", "P-VISIT", "2025-12", 3, 7),
                                     Production("091", "P-VISIT", "2025-01", 3, 5),
                                     Production("091", "P-BED", "2025-06", 4, 20),
                                     Production("091", "P-VISIT", "2024-12", 3, 4),
                                     Production("091", "P-VISIT", "2026-01", 3, 6)};
  Result<PeriodWriteStats> stats = store_->ReplaceProduction(rows);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->periods, 5);
  EXPECT_EQ(stats->rows_inserted, 6);
  Reopen();
  EXPECT_EQ(Tuples(store_->LoadProduction(2025)),
            Tuples(std::vector<ProductionRow>{rows[3], rows[2], rows[1], rows[0]}));
  EXPECT_EQ(Tuples(store_->LoadProduction(2024)), Tuples(std::vector<ProductionRow>{rows[4]}));
  EXPECT_EQ(*store_->ProductionYears(), (std::vector<int>{2024, 2025, 2026}));
}

TEST_F(RegionalStoreTest, PatientCostsKeepSeveralLinesPerPatientYear) {
  std::vector<PatientCostRow> rows = {{"p2", "179", 2024, 500}, {"p1", "091", 2024, 120000},
                                      {"p1", "091", 2024, 30000}, {"p1", "091", 2023, 100}};
  Result<PeriodWriteStats> stats = store_->ReplacePatientCosts(rows);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->rows_inserted, 4);
  Reopen();
  EXPECT_EQ(Tuples(store_->LoadPatientCosts(2024)),
            Tuples(std::vector<PatientCostRow>{rows[1], rows[2], rows[0]}));
  // Replacing the year again does not double the patient's lines.
  ASSERT_TRUE(store_->ReplacePatientCosts({rows[0], rows[1], rows[2]}).ok());
  EXPECT_EQ(store_->LoadPatientCosts(2024)->size(), 3u);
  EXPECT_EQ(store_->LoadPatientCosts(2023)->size(), 1u);
}

TEST_F(RegionalStoreTest, LedgerRoundTripsWithNegativeCorrections) {
  std::vector<LedgerRow> rows = {{"U1", LedgerAccount::kPersonnel, "2025-02", 1000000},
                                 {"U1", LedgerAccount::kMaterials, "2025-02", -2500},
                                 {"C1", LedgerAccount::kRents, "2025-01", 400000}};
  ASSERT_TRUE(store_->ReplaceLedger(rows).ok());
  Reopen();
  Result<std::vector<LedgerRow>> back = store_->LoadLedger(2025);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(Tuples(back), Tuples(std::vector<LedgerRow>{rows[2], rows[1], rows[0]}));
  EXPECT_TRUE(store_->LoadLedger(2024)->empty());
}

TEST_F(RegionalStoreTest, NeedCoefficientsRoundTrip) {
  std::vector<NeedCoefficientRow> rows = {{"179", 2025, 1.0625}, {"091", 2025, 0.875}};
  ASSERT_TRUE(store_->ReplaceNeedCoefficients(rows).ok());
  Reopen();
  EXPECT_EQ(Tuples(store_->LoadNeedCoefficients(2025)),
            Tuples(std::vector<NeedCoefficientRow>{rows[1], rows[0]}));
  ExpectRejected(store_->ReplaceNeedCoefficients({{"091", 2026, 0.0}}), {"091/2026"});
  ExpectRejected(store_->ReplaceNeedCoefficients({{"091", 2026, 1.0 / 0.0}}), {"091/2026"});
  EXPECT_TRUE(store_->LoadNeedCoefficients(2026)->empty());
}

TEST_F(RegionalStoreTest, ImportingTheSameRowsTwiceLeavesTheSameRows) {
  std::vector<ProductionRow> production = {Production("091", "P-VISIT", "2025-01", 2, 10),
                                           Production("091", "P-VISIT", "2025-02", 2, 11),
                                           Production("179", "P-BED", "2025-02", 4, 3)};
  std::vector<PopulationRow> population = {{"091", 2025, 0, 1}, {"179", 2025, 0, 2}};
  std::vector<LedgerRow> ledger = {{"U1", LedgerAccount::kOther, "2025-03", 5},
                                   {"C1", LedgerAccount::kOther, "2025-03", -5}};
  ASSERT_TRUE(store_->ReplaceProduction(production).ok());
  ASSERT_TRUE(store_->ReplacePopulation(population).ok());
  ASSERT_TRUE(store_->ReplaceLedger(ledger).ok());

  Result<PeriodWriteStats> again = store_->ReplaceProduction(production);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->periods, 2);
  EXPECT_EQ(again->rows_removed, 3);
  EXPECT_EQ(again->rows_inserted, 3);
  Result<PeriodWriteStats> population_again = store_->ReplacePopulation(population);
  ASSERT_TRUE(population_again.ok());
  EXPECT_EQ(population_again->rows_removed, 2);
  Result<PeriodWriteStats> ledger_again = store_->ReplaceLedger(ledger);
  ASSERT_TRUE(ledger_again.ok());
  EXPECT_EQ(ledger_again->rows_removed, 2);

  EXPECT_EQ(store_->LoadProduction(2025)->size(), 3u);
  EXPECT_EQ(store_->LoadPopulation(2025)->size(), 2u);
  EXPECT_EQ(store_->LoadLedger(2025)->size(), 2u);
}

TEST_F(RegionalStoreTest, ReplacingOneMonthLeavesOtherMonthsUntouched) {
  ASSERT_TRUE(store_->ReplaceProduction({Production("091", "P-VISIT", "2025-01", 2, 10),
                                         Production("091", "P-VISIT", "2025-02", 2, 11),
                                         Production("179", "P-BED", "2025-02", 4, 3),
                                         Production("179", "P-BED", "2025-03", 4, 8)})
                  .ok());
  // The corrected February no longer has Jyväskylä's bed days: the whole month is replaced.
  ProductionRow corrected = Production("091", "P-VISIT", "2025-02", 2, 12);
  Result<PeriodWriteStats> stats = store_->ReplaceProduction({corrected});
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->periods, 1);
  EXPECT_EQ(stats->rows_removed, 2);
  EXPECT_EQ(stats->rows_inserted, 1);
  EXPECT_EQ(Tuples(store_->LoadProduction(2025)),
            Tuples(std::vector<ProductionRow>{Production("091", "P-VISIT", "2025-01", 2, 10),
                                              corrected,
                                              Production("179", "P-BED", "2025-03", 4, 8)}));

  ASSERT_TRUE(store_->ReplaceLedger({{"U1", LedgerAccount::kRents, "2025-01", 1},
                                     {"U1", LedgerAccount::kRents, "2025-02", 2}})
                  .ok());
  ASSERT_TRUE(store_->ReplaceLedger({{"U1", LedgerAccount::kRents, "2025-02", 3}}).ok());
  EXPECT_EQ(Tuples(store_->LoadLedger(2025)),
            Tuples(std::vector<LedgerRow>{{"U1", LedgerAccount::kRents, "2025-01", 1},
                                    {"U1", LedgerAccount::kRents, "2025-02", 3}}));
}

// The rejected imports below each name a period that holds data already: that data must
// survive, since a failed replacement writes nothing, the deletes included.
class RegionalStoreRejectTest : public RegionalStoreTest {
 protected:
  void SetUp() override {
    RegionalStoreTest::SetUp();
    ASSERT_TRUE(store_->ReplaceProduction(kProduction).ok());
    ASSERT_TRUE(store_->ReplacePopulation(kPopulation).ok());
    ASSERT_TRUE(store_->ReplacePrices(kPrices).ok());
    ASSERT_TRUE(store_->ReplaceLedger(kLedger).ok());
    ASSERT_TRUE(store_->ReplacePatientCosts(kCosts).ok());
    ASSERT_TRUE(store_->ReplaceNeedCoefficients(kNeeds).ok());
  }
  void ExpectPriorDataIntact() {
    EXPECT_EQ(Tuples(store_->LoadProduction(2025)), Tuples(kProduction));
    EXPECT_EQ(Tuples(store_->LoadPopulation(2025)), Tuples(kPopulation));
    EXPECT_EQ(Tuples(store_->LoadPrices(2025)), Tuples(kPrices));
    EXPECT_EQ(Tuples(store_->LoadLedger(2025)), Tuples(kLedger));
    EXPECT_EQ(Tuples(store_->LoadPatientCosts(2025)), Tuples(kCosts));
    EXPECT_EQ(Tuples(store_->LoadNeedCoefficients(2025)), Tuples(kNeeds));
  }

  const std::vector<ProductionRow> kProduction = {Production("091", "P-VISIT", "2025-03", 2, 10)};
  const std::vector<PopulationRow> kPopulation = {{"091", 2025, 2, 100}};
  const std::vector<ProductPrice> kPrices = {{"P-VISIT", 2025, 100}};
  const std::vector<LedgerRow> kLedger = {{"U1", LedgerAccount::kPersonnel, "2025-03", 100}};
  const std::vector<PatientCostRow> kCosts = {{"p1", "091", 2025, 100}};
  const std::vector<NeedCoefficientRow> kNeeds = {{"091", 2025, 1.5}};
};

TEST_F(RegionalStoreRejectTest, UnknownMunicipalityNamesTheRowAndWritesNothing) {
  ExpectRejected(store_->ReplaceProduction({Production("091", "P-VISIT", "2025-03", 2, 1),
                                            Production("999", "P-VISIT", "2025-03", 2, 1)}),
                 {"production row 999/P-VISIT/2025-03/age group 2", "unknown municipality '999'"});
  ExpectRejected(store_->ReplacePopulation({{"091", 2025, 2, 1}, {"999", 2025, 1, 1}}),
                 {"999/2025/age group 1", "unknown municipality '999'"});
  ExpectRejected(store_->ReplacePatientCosts({{"p1", "091", 2025, 1}, {"p2", "999", 2025, 1}}),
                 {"patient cost row 2", "unknown municipality '999'"});
  ExpectRejected(store_->ReplaceNeedCoefficients({{"999", 2025, 1.0}}),
                 {"999/2025", "unknown municipality '999'"});
  ExpectPriorDataIntact();
}

TEST_F(RegionalStoreRejectTest, UnknownProductNamesTheRowAndWritesNothing) {
  ExpectRejected(store_->ReplaceProduction({Production("091", "P-NONE", "2025-03", 2, 1)}),
                 {"091/P-NONE/2025-03/age group 2", "unknown product 'P-NONE'"});
  ExpectRejected(store_->ReplacePrices({{"P-VISIT", 2025, 1}, {"P-NONE", 2025, 1}}),
                 {"P-NONE/2025", "unknown product 'P-NONE'"});
  ExpectPriorDataIntact();
}

TEST_F(RegionalStoreRejectTest, UnknownCostCentreNamesTheRowAndWritesNothing) {
  ExpectRejected(store_->ReplaceLedger({{"U1", LedgerAccount::kPersonnel, "2025-03", 1},
                                        {"X9", LedgerAccount::kRents, "2025-03", 1}}),
                 {"ledger row X9/rents/2025-03", "unknown cost centre 'X9'"});
  ExpectPriorDataIntact();
}

TEST_F(RegionalStoreRejectTest, RepeatedKeyNamesTheRowAndWritesNothing) {
  ExpectRejected(store_->ReplaceProduction({Production("091", "P-VISIT", "2025-03", 2, 1),
                                            Production("091", "P-VISIT", "2025-03", 2, 2)}),
                 {"production row 091/P-VISIT/2025-03/age group 2 repeats a key"});
  ExpectRejected(store_->ReplacePopulation({{"091", 2025, 2, 1}, {"091", 2025, 2, 1}}),
                 {"091/2025/age group 2 repeats a key"});
  ExpectRejected(store_->ReplacePrices({{"P-VISIT", 2025, 1}, {"P-VISIT", 2025, 2}}),
                 {"P-VISIT/2025 repeats a key"});
  ExpectRejected(store_->ReplaceLedger({{"U1", LedgerAccount::kPersonnel, "2025-03", 1},
                                        {"U1", LedgerAccount::kPersonnel, "2025-03", 1}}),
                 {"U1/personnel/2025-03 repeats a key"});
  ExpectRejected(store_->ReplaceNeedCoefficients({{"091", 2025, 1.0}, {"091", 2025, 1.0}}),
                 {"091/2025 repeats a key"});
  ExpectPriorDataIntact();
}

TEST_F(RegionalStoreRejectTest, BadMonthsAndYearsAreRejectedNamingTheRow) {
  for (const char* month : {"2025-13", "2025-00", "2025-3", "2025/03", "25-03", "2025-03-01",
                            "1999-12", "abcd-ef", ""}) {
    ExpectRejected(store_->ReplaceProduction({Production("091", "P-VISIT", "2025-03", 2, 1),
                                              Production("091", "P-VISIT", month, 3, 1)}),
                   {"production row 091/P-VISIT/" + std::string(month) + "/age group 3"});
    ExpectRejected(store_->ReplaceLedger({{"U1", LedgerAccount::kPersonnel, month, 1}}),
                   {"ledger row U1/personnel/" + std::string(month)});
  }
  ExpectRejected(store_->ReplacePopulation({{"091", 1999, 0, 1}}), {"091/1999", "year 1999"});
  ExpectRejected(store_->ReplacePrices({{"P-VISIT", 2101, 1}}), {"P-VISIT/2101"});
  ExpectRejected(store_->ReplacePatientCosts({{"p1", "091", 0, 1}}), {"patient cost row 1"});
  ExpectPriorDataIntact();
}

TEST_F(RegionalStoreRejectTest, ConstraintViolationsNameTheRowAndWriteNothing) {
  ProductionRow negative = Production("091", "P-VISIT", "2025-03", 2, 1);
  negative.volume = -1;
  ExpectRejected(store_->ReplaceProduction({negative}), {"091/P-VISIT/2025-03/age group 2"});
  ExpectRejected(store_->ReplaceProduction({Production("091", "P-VISIT", "2025-03", 6, 1)}),
                 {"091/P-VISIT/2025-03/age group 6"});
  ExpectRejected(store_->ReplacePopulation({{"091", 2025, 1, -5}}), {"091/2025/age group 1"});
  ExpectRejected(store_->ReplacePrices({{"P-VISIT", 2025, -1}}), {"P-VISIT/2025"});
  ExpectRejected(store_->ReplacePatientCosts({{"p1", "091", 2025, 1}, {"p1", "091", 2025, -1}}),
                 {"patient cost row 2"});
  ExpectPriorDataIntact();
}

TEST_F(RegionalStoreTest, EmptyReplacementChangesNothing) {
  ASSERT_TRUE(store_->ReplaceProduction({Production("091", "P-VISIT", "2025-03", 2, 1)}).ok());
  Result<PeriodWriteStats> stats = store_->ReplaceProduction({});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->periods, 0);
  EXPECT_EQ(store_->LoadProduction(2025)->size(), 1u);
}

TEST_F(RegionalStoreTest, FinanceRoleRoundTrips) {
  User user;
  user.name = "talous";
  user.role = Role::kFinance;
  Result<int64_t> id = store_->CreateUser(user);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Reopen();
  Result<User> back = store_->GetUser("talous");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->id, *id);
  EXPECT_EQ(back->role, Role::kFinance);
}

// Builds what a schema-5 database looks like from the current one: the tables of schema 6
// dropped and users rebuilt with the schema-5 role CHECK (the text of migration 2).
void DowngradeToSchema5(RawDb& db) {
  std::string error;
  ASSERT_EQ(db.Exec(R"sql(
PRAGMA foreign_keys=OFF;
BEGIN;
DROP TABLE need_coefficients;
DROP TABLE ledger;
DROP TABLE patient_costs;
DROP TABLE production;
DROP TABLE population;
DROP TABLE product_prices;
DROP TABLE service_products;
DROP TABLE municipalities;
CREATE TABLE users_v5 (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role = 'admin' OR role = 'analyst' OR role = 'manager' OR role = 'integration'),
  password_hash TEXT NOT NULL DEFAULT '',
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO users_v5
  SELECT id, name, role, password_hash, failed_logins, locked_until, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_v5 RENAME TO users;
DELETE FROM schema_migrations WHERE version = 6;
COMMIT;
)sql", &error), SQLITE_OK) << error;
  ASSERT_EQ(db.Text("SELECT max(version) FROM schema_migrations"), "5");
  ASSERT_EQ(db.Text("PRAGMA foreign_key_check"), "");
  // The old CHECK is really in place.
  ASSERT_EQ(db.Exec("INSERT INTO users (name, role) VALUES ('x', 'finance')"), SQLITE_CONSTRAINT);
}

TEST_F(RegionalStoreTest, MigrationFromSchema5KeepsUsersAndWhatRefersToThem) {
  EXPECT_EQ(store_->schema_version(), 6);
  User admin;
  admin.name = "admin";
  admin.role = Role::kAdmin;
  admin.password_hash = "$argon2id$hash";
  User gone;
  gone.name = "gone";
  User manager;
  manager.name = "manager";
  manager.role = Role::kManager;
  int64_t admin_id = *store_->CreateUser(admin);
  int64_t gone_id = *store_->CreateUser(gone);
  int64_t manager_id = *store_->CreateUser(manager);
  ASSERT_TRUE(store_->GrantUnit(manager_id, "C1").ok());
  ASSERT_TRUE(store_->SetLoginFailures(manager_id, 2, 1700000000).ok());
  ASSERT_TRUE(store_->CreateSession("session-hash", Session{manager_id, "csrf", 1800000000}).ok());
  ASSERT_TRUE(store_->CreateApiToken("token-hash", admin_id, "integration").ok());
  store_.reset();
  {
    RawDb db(path_);
    // A gap in the ids: a rebuild that renumbered rows would move the manager.
    ASSERT_EQ(db.Exec("DELETE FROM users WHERE id = " + std::to_string(gone_id)), SQLITE_OK);
    ASSERT_EQ(db.Exec("UPDATE users SET created_at = '2021-02-03T04:05:06Z'"), SQLITE_OK);
    ASSERT_NO_FATAL_FAILURE(DowngradeToSchema5(db));
  }

  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(store_->schema_version(), 6);
  Result<User> migrated = store_->GetUser("manager");
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  EXPECT_EQ(migrated->id, manager_id);
  EXPECT_EQ(migrated->role, Role::kManager);
  EXPECT_EQ(migrated->unit_codes, (std::vector<std::string>{"C1"}));
  EXPECT_EQ(migrated->failed_logins, 2);
  EXPECT_EQ(migrated->locked_until, 1700000000);
  EXPECT_EQ(store_->GetUser("admin")->password_hash, "$argon2id$hash");
  Result<Session> session = store_->GetSession("session-hash");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->user_id, manager_id);
  EXPECT_EQ(*store_->GetApiTokenUser("token-hash"), admin_id);

  User finance;
  finance.name = "talous";
  finance.role = Role::kFinance;
  Result<int64_t> finance_id = store_->CreateUser(finance);
  ASSERT_TRUE(finance_id.ok()) << finance_id.status().ToString();
  EXPECT_GT(*finance_id, manager_id);
  EXPECT_EQ(store_->GetUserById(*finance_id)->role, Role::kFinance);

  // Foreign keys are enforced again after the migration ran with them off.
  EXPECT_FALSE(store_->CreateSession("orphan", Session{9999, "csrf", 1}).ok());
  EXPECT_FALSE(store_->GrantUnit(9999, "C1").ok());
  // The new tables are there and work.
  EXPECT_TRUE(store_->UpsertMunicipalities({Helsinki()}).ok());
  // The products went with the downgrade.
  EXPECT_FALSE(store_->ReplaceProduction({Production("091", "P-VISIT", "2025-03", 2, 1)}).ok());
  ASSERT_TRUE(store_->UpsertProducts({Product("P-VISIT", ProductKind::kVisit)}).ok());
  EXPECT_TRUE(store_->ReplaceProduction({Production("091", "P-VISIT", "2025-03", 2, 1)}).ok());

  RawDb db(path_);
  EXPECT_EQ(db.Text("SELECT created_at FROM users WHERE name = 'manager'"), "2021-02-03T04:05:06Z");
  EXPECT_EQ(db.Text("PRAGMA foreign_key_check"), "");
  EXPECT_EQ(db.Text("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'users_v%'"), "0");
  // The tables that refer to users still name it, not a temporary table of the rebuild.
  for (const char* table : {"user_units", "sessions", "api_tokens"}) {
    std::string sql = std::string("SELECT \"table\" FROM pragma_foreign_key_list('") + table + "')";
    EXPECT_EQ(db.Text(sql), "users")
        << table;
  }
}

// With foreign keys unenforced during migrations, a reference broken before or by a migration
// must stop it rather than be carried into the new schema.
TEST_F(RegionalStoreTest, MigrationRefusesABrokenReferenceAndChangesNothing) {
  store_.reset();
  {
    RawDb db(path_);
    ASSERT_NO_FATAL_FAILURE(DowngradeToSchema5(db));
    ASSERT_EQ(db.Exec("INSERT INTO sessions (token_hash, user_id, csrf, expires_at) "
                      "VALUES ('orphan', 4242, 'c', 1)"),
              SQLITE_OK);
  }
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(store.status().message().find("sessions"), std::string::npos)
      << store.status().message();
  RawDb db(path_);
  EXPECT_EQ(db.Text("SELECT max(version) FROM schema_migrations"), "5");
  EXPECT_EQ(db.Text("SELECT count(*) FROM sqlite_schema WHERE name = 'municipalities'"), "0");
  EXPECT_EQ(db.Exec("INSERT INTO users (name, role) VALUES ('x', 'finance')"), SQLITE_CONSTRAINT);
}

}  // namespace
}  // namespace mittari
