#include <gtest/gtest.h>
#include <sqlite3.h>

#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/units.h"

namespace mittari {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mittari_store_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
    Reopen();
    Unit root;
    root.code = "HD";
    root.kind = UnitKind::kOrganisation;
    root.name_fi = "Piiri";
    Unit unit;
    unit.code = "U1";
    unit.parent_code = "HD";
    unit.kind = UnitKind::kUnit;
    unit.name_fi = "Poliklinikka";
    unit.valid_from = *ParseLocalDate("2020-01-01");
    ASSERT_TRUE(store_->UpsertUnits({root, unit}).ok());
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

  static Response R(std::string id, int score = 9) {
    Response r;
    r.source = "test";
    r.external_id = std::move(id);
    r.unit_code = "U1";
    r.answered_at = *ParseInstant("2024-05-01T10:00:00Z");
    r.score = static_cast<int8_t>(score);
    return r;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, MigratesToCurrentSchemaAndKeepsDataAcrossReopen) {
  EXPECT_GE(store_->schema_version(), 1);
  Response r = R("a");
  r.comment = "Hyvä palvelu";
  r.scales = {{"information", 4}, {"treatment", 5}};
  r.channel = Channel::kWeb;
  r.age_group = AgeGroup::k75Plus;
  ASSERT_TRUE(store_->InsertResponses({r}).ok());
  Reopen();
  Result<Response> back = store_->GetResponse("test", "a");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, r);
  Result<std::vector<Unit>> units = store_->LoadUnits();
  ASSERT_TRUE(units.ok());
  EXPECT_EQ(units->size(), 2u);
  EXPECT_EQ(store_->GetResponse("test", "zzz").status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, UsesWriteAheadLog) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, DuplicatesAreCountedNotStoredTwice) {
  std::vector<bool> inserted;
  Result<ResponseWriteStats> first = store_->InsertResponses({R("a"), R("b"), R("a", 0)}, &inserted);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->inserted, 2);
  EXPECT_EQ(first->duplicates, 1);
  EXPECT_EQ(inserted, (std::vector<bool>{true, true, false}));
  Result<ResponseWriteStats> again = store_->InsertResponses({R("a"), R("b")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->duplicates, 2);
  EXPECT_EQ(*store_->CountResponses(), 2);
  EXPECT_EQ(store_->GetResponse("test", "a")->score, 9);  // the first one stays
}

TEST_F(SqliteStoreTest, UnknownUnitRejectsTheWholeBatch) {
  Response bad = R("c");
  bad.unit_code = "NOPE";
  Result<ResponseWriteStats> result = store_->InsertResponses({R("a"), bad});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("NOPE"), std::string::npos);
  EXPECT_EQ(*store_->CountResponses(), 0);
}

// A real fault inside SQLite half-way through a batch: nothing of the batch may remain.
TEST_F(SqliteStoreTest, FailureInsideABatchLeavesNothingOfIt) {
  ASSERT_TRUE(store_->InsertResponses({R("before")}).ok());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TRIGGER boom BEFORE INSERT ON responses WHEN NEW.external_id = 'x3' "
                         "BEGIN SELECT RAISE(ABORT, 'injected fault'); END;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Reopen();
  Result<ResponseWriteStats> result = store_->InsertResponses({R("x1"), R("x2"), R("x3"), R("x4")});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("nothing of this batch was stored"), std::string::npos);
  EXPECT_EQ(*store_->CountResponses(), 1);
  EXPECT_EQ(store_->GetResponse("test", "x1").status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, ScansFactsInIdOrderFromAGivenId) {
  ASSERT_TRUE(store_->InsertResponses({R("a", 1), R("b", 2), R("c", 3)}).ok());
  std::vector<int> scores;
  int64_t first_id = 0;
  ASSERT_TRUE(store_->ScanResponseFacts(0, [&](const ResponseFacts& f) {
    if (first_id == 0) first_id = f.id;
    EXPECT_EQ(f.unit_code, "U1");
    scores.push_back(f.score);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(scores, (std::vector<int>{1, 2, 3}));
  scores.clear();
  ASSERT_TRUE(store_->ScanResponseFacts(first_id, [&](const ResponseFacts& f) {
    scores.push_back(f.score);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(scores, (std::vector<int>{2, 3}));
}

TEST_F(SqliteStoreTest, UpsertUnitsCountsInsertedUpdatedUnchanged) {
  Result<std::vector<Unit>> units = store_->LoadUnits();
  ASSERT_TRUE(units.ok());
  std::vector<Unit> changed = *units;
  changed[1].name_sv = "Poliklinik";
  Unit fresh = changed[1];
  fresh.code = "U2";
  changed.push_back(fresh);
  Result<UnitWriteStats> stats = store_->UpsertUnits(changed);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->inserted, 1);
  EXPECT_EQ(stats->updated, 1);
  EXPECT_EQ(stats->unchanged, 1);
}

TEST(SqliteStoreOpen, MissingFileIsAClearErrorWhenNotCreating) {
  SqliteOptions options;
  options.create_if_missing = false;
  Result<std::unique_ptr<Store>> store = OpenSqliteStore("/nonexistent-dir/x.db", options);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("/nonexistent-dir/x.db"), std::string::npos);
}

}  // namespace
}  // namespace mittari
