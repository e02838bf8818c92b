#include "ingest/csv_import.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "common/csv.h"

namespace mittari {
namespace {

constexpr const char* kUnitsCsv =
    "code,parent,kind,name_fi,name_sv,name_en,valid_from,valid_to,successor\n"
    "U1,C1,unit,Poliklinikka,Poliklinik,Outpatient clinic,2020-01-01,,\n"  // child before parent
    "HD,,organisation,Piiri,Distrikt,District,,,\n"
    "A1,HD,area,Alue,Område,Area,,,\n"
    "C1,A1,centre,Keskus,Central,Centre,,,\n"
    "U0,C1,unit,Vanha,Gammal,Old,2018-01-01,2022-12-31,U1\n";

constexpr const char* kHeader =
    "source,external_id,survey,unit,answered_at,channel,language,visit_type,age_group,score,comment\n";

class CsvImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("mittari_import_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(OpenSqliteStore((dir_ / "t.db").string())).value();
    ImportSummary summary = Units(kUnitsCsv);
    ASSERT_EQ(summary.imported, 5);
    ASSERT_EQ(summary.rejected, 0);
    tree_ = *OrgTree::Build(*store_->LoadUnits());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  ImportSummary Units(std::string csv) {
    auto reader = CsvReader::FromString(std::move(csv));
    ImportOptions options;
    options.on_reject = [&](const RowRejection& r) { rejections_.push_back(r); };
    Result<ImportSummary> summary = ImportUnitsCsv(*store_, *reader, options);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? *summary : ImportSummary{};
  }

  Result<ImportSummary> Responses(std::string csv, size_t batch_size = 100, std::string rejects = "") {
    auto reader = CsvReader::FromString(std::move(csv));
    ImportOptions options;
    options.batch_size = batch_size;
    options.now = *ParseInstant("2026-01-01T00:00:00Z");
    options.rejects_path = std::move(rejects);
    options.on_reject = [&](const RowRejection& r) { rejections_.push_back(r); };
    return ImportResponsesCsv(*store_, tree_, *reader, options);
  }

  const RowRejection* RejectionFor(int64_t row) {
    for (const RowRejection& r : rejections_) {
      if (r.row == row) return &r;
    }
    return nullptr;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  OrgTree tree_;
  std::vector<RowRejection> rejections_;
};

TEST_F(CsvImportTest, ImportsGoodRowsAndRejectsBadScoresWithRowAndReason) {
  std::string csv = std::string(kHeader) +
                    "s,1,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,10,\n"  // row 2
                    "s,2,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,11,\n"  // row 3
                    "s,3,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,-1,\n"
                    "s,4,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,9.5,\n"
                    "s,5,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,,\n"
                    "s,6,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,nine,\n"
                    "s,7,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,0,\n";  // row 8
  Result<ImportSummary> summary = Responses(csv);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->imported, 2);
  EXPECT_EQ(summary->rejected, 5);
  for (int row = 3; row <= 7; ++row) {
    const RowRejection* r = RejectionFor(row);
    ASSERT_NE(r, nullptr) << row;
    EXPECT_EQ(r->field, "score") << row;
  }
  EXPECT_NE(RejectionFor(3)->reason.find("'11' is not a whole number from 0 to 10"), std::string::npos);
  EXPECT_NE(RejectionFor(6)->reason.find("is empty"), std::string::npos);
  EXPECT_EQ(store_->GetResponse("s", "7")->score, 0);
}

TEST_F(CsvImportTest, QuotedNewlinesBomCrlfAndAnyColumnOrder) {
  std::string csv =
      "\xEF\xBB\xBF" "score,comment,source,external_id,survey,unit,answered_at,channel,language,visit_type,age_group\r\n"
      "9,\"Hyvä hoito,\r\nkiitos \"\"kaikille\"\"\",s,1,patient,U1,2024-01-01T10:00:00+02:00,web,fi,inpatient,0-17\r\n"
      "7,,s,2,patient,U1,2024-01-01T10:00:00+02:00,paper,sv,remote,unknown\r\n";
  Result<ImportSummary> summary = Responses(csv);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->imported, 2);
  EXPECT_EQ(summary->rejected, 0);
  Result<Response> r = store_->GetResponse("s", "1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->comment, "Hyvä hoito,\r\nkiitos \"kaikille\"");
  EXPECT_EQ(r->answered_at, *ParseInstant("2024-01-01T08:00:00Z"));
  EXPECT_FALSE(store_->GetResponse("s", "2")->comment.has_value());
}

TEST_F(CsvImportTest, MissingAndExtraFieldsAreRejectedRows) {
  std::string csv = std::string(kHeader) +
                    "s,1,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,10\n"
                    "s,2,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,10,ok,extra\n"
                    "s,3,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,10,ok\n";
  Result<ImportSummary> summary = Responses(csv);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->imported, 1);
  EXPECT_EQ(summary->rejected, 2);
  EXPECT_NE(RejectionFor(2)->reason.find("has 10 fields; the header has 11"), std::string::npos);
  EXPECT_NE(RejectionFor(3)->reason.find("has 12 fields"), std::string::npos);
}

TEST_F(CsvImportTest, MissingRequiredColumnRejectsTheFileNamingIt) {
  Result<ImportSummary> summary =
      Responses("source,external_id,survey,unit,answered_at,channel,language,age_group,score\n"
                "s,1,patient,U1,2024-01-01T10:00:00Z,sms,fi,75+,10\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.status().message().find("no column 'visit_type'"), std::string::npos);
  EXPECT_EQ(*store_->CountResponses(), 0);
}

TEST_F(CsvImportTest, FieldErrorsNameTheField) {
  std::string csv = std::string(kHeader) +
                    "s,1,patient,NOPE,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,10,\n"
                    "s,2,patient,U1,2024-01-01T10:00:00,sms,fi,outpatient,75+,10,\n"
                    "s,3,patient,U1,2024-01-01T10:00:00Z,fax,fi,outpatient,75+,10,\n"
                    "s,4,patient,U1,2024-01-01T10:00:00Z,sms,de,outpatient,75+,10,\n"
                    "s,5,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,80+,10,\n"
                    ",6,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,10,\n"
                    "s,7,patient,U1,2030-01-01T10:00:00Z,sms,fi,outpatient,75+,10,\n";
  ASSERT_TRUE(Responses(csv).ok());
  EXPECT_EQ(RejectionFor(2)->field, "unit");
  EXPECT_NE(RejectionFor(2)->reason.find("unknown unit code 'NOPE'"), std::string::npos);
  EXPECT_EQ(RejectionFor(3)->field, "answered_at");
  EXPECT_EQ(RejectionFor(4)->field, "channel");
  EXPECT_NE(RejectionFor(4)->reason.find("sms, web, paper, kiosk"), std::string::npos);
  EXPECT_EQ(RejectionFor(5)->field, "language");
  EXPECT_EQ(RejectionFor(6)->field, "age_group");
  EXPECT_EQ(RejectionFor(7)->field, "source");
  EXPECT_EQ(RejectionFor(8)->field, "answered_at");
  EXPECT_NE(RejectionFor(8)->reason.find("future"), std::string::npos);
  EXPECT_EQ(*store_->CountResponses(), 0);
}

TEST_F(CsvImportTest, ScaleColumnsAreOptionalPerRowAndChecked) {
  std::string csv =
      "source,external_id,survey,unit,answered_at,channel,language,visit_type,age_group,score,q:information\n"
      "s,1,patient,U1,2024-01-01T10:00:00Z,web,fi,outpatient,75+,10,5\n"
      "s,2,patient,U1,2024-01-01T10:00:00Z,web,fi,outpatient,75+,10,\n"
      "s,3,patient,U1,2024-01-01T10:00:00Z,web,fi,outpatient,75+,10,6\n";
  ASSERT_TRUE(Responses(csv).ok());
  EXPECT_EQ(store_->GetResponse("s", "1")->scales.size(), 1u);
  EXPECT_TRUE(store_->GetResponse("s", "2")->scales.empty());
  EXPECT_EQ(RejectionFor(4)->field, "q:information");
}

TEST_F(CsvImportTest, CommentsAreRedactedBeforeTheyAreStored) {
  std::string csv = std::string(kHeader) +
                    "s,1,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,10,"
                    "\"Soittakaa 040 123 4567, hetu 131052-308T, posti matti@example.fi\"\n";
  ASSERT_TRUE(Responses(csv).ok());
  std::string comment = *store_->GetResponse("s", "1")->comment;
  EXPECT_EQ(comment.find("123 4567"), std::string::npos) << comment;
  EXPECT_EQ(comment.find("131052"), std::string::npos) << comment;
  EXPECT_EQ(comment.find("matti@"), std::string::npos) << comment;
  EXPECT_NE(comment.find("[PHONE]"), std::string::npos) << comment;
  EXPECT_NE(comment.find("[HETU]"), std::string::npos) << comment;
  EXPECT_NE(comment.find("[EMAIL]"), std::string::npos) << comment;
}

TEST_F(CsvImportTest, ReimportingTheSameFileIsANoOp) {
  std::string csv = std::string(kHeader);
  for (int i = 0; i < 250; ++i) {
    csv += "s," + std::to_string(i) + ",patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+," +
           std::to_string(i % 11) + ",\n";
  }
  Result<ImportSummary> first = Responses(csv, 100);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->imported, 250);
  Result<ImportSummary> second = Responses(csv, 100);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->imported, 0);
  EXPECT_EQ(second->duplicates, 250);
  EXPECT_EQ(*store_->CountResponses(), 250);
}

TEST_F(CsvImportTest, StoreFailureMidImportKeepsWholeBatchesOnlyAndSaysWhereItStopped) {
  std::string csv = std::string(kHeader);
  for (int i = 0; i < 250; ++i) {
    csv += "s," + std::to_string(i) + ",patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,9,\n";
  }
  // Make the store fail on row 150 (external id 148), inside the second batch of 100.
  store_.reset();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "t.db").string().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TRIGGER boom BEFORE INSERT ON responses WHEN NEW.external_id = '148' "
                               "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  store_ = std::move(OpenSqliteStore((dir_ / "t.db").string())).value();
  Result<ImportSummary> summary = Responses(csv, 100);
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.status().message().find("rows 102–201 were not stored"), std::string::npos)
      << summary.status().message();
  EXPECT_EQ(*store_->CountResponses(), 100);  // the first batch, whole; nothing of the second
}

TEST_F(CsvImportTest, RejectsFileHasRowFieldReasonAndTheOriginalColumns) {
  std::string path = (dir_ / "answers.rejects.csv").string();
  std::string csv = std::string(kHeader) +
                    "s,1,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,11,\"a, b\"\n";
  ASSERT_TRUE(Responses(csv, 100, path).ok());
  auto reader = CsvReader::OpenFile(path);
  ASSERT_TRUE(reader.ok());
  CsvRecord header, row;
  ASSERT_TRUE(*(*reader)->Next(&header));
  ASSERT_TRUE(*(*reader)->Next(&row));
  EXPECT_EQ(header.fields[0], "row");
  EXPECT_EQ(header.fields[3], "source");
  EXPECT_EQ(row.fields[0], "2");
  EXPECT_EQ(row.fields[1], "score");
  EXPECT_EQ(row.fields.back(), "a, b");
}

TEST_F(CsvImportTest, UnitImportRejectsBadRowsAndKeepsGoodOnes) {
  ImportSummary summary = Units(
      "code,parent,kind,name_fi,name_sv,name_en\n"
      "U5,C1,unit,Uusi,Ny,New\n"
      "U6,C9,unit,Orpo,Föräldralös,Orphan\n"
      "U7,C1,ward,Osasto,Avdelning,Ward\n"
      "U1,C1,unit,Poliklinikka,Poliklinik,Outpatient clinic\n"
      "C1,A1,unit,Keskus,Central,Centre\n");
  EXPECT_EQ(summary.imported, 1);
  EXPECT_EQ(summary.rejected, 3);
  EXPECT_EQ(RejectionFor(3)->field, "parent");
  EXPECT_EQ(RejectionFor(4)->field, "kind");
  EXPECT_EQ(RejectionFor(6)->field, "kind");
  EXPECT_NE(RejectionFor(6)->reason.find("never reused"), std::string::npos);
  EXPECT_EQ(summary.updated, 0);
  EXPECT_EQ(summary.duplicates, 1);  // U1 unchanged: absent optional columns keep stored values
  EXPECT_EQ(store_->LoadUnits()->size(), 6u);
}

}  // namespace
}  // namespace mittari
