#include "common/csv.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace mittari {
namespace {

using Fields = std::vector<std::string>;

std::vector<CsvRecord> ReadAll(CsvReader& reader) {
  std::vector<CsvRecord> records;
  CsvRecord record;
  for (;;) {
    Result<bool> more = reader.Next(&record);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    records.push_back(record);
  }
  return records;
}

std::vector<CsvRecord> Parse(std::string data) {
  std::unique_ptr<CsvReader> reader = CsvReader::FromString(std::move(data));
  return ReadAll(*reader);
}

// A file under the test temporary directory, removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    const testing::TestInfo* test = testing::UnitTest::GetInstance()->current_test_info();
    path_ = testing::TempDir() + "mittari_csv_" + test->name() + "_" + std::to_string(::getpid()) +
            ".csv";
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    EXPECT_TRUE(out.good()) << path_;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(CsvReader, ReadsLfLineEndings) {
  std::vector<CsvRecord> records = Parse("id,score\n1,9\n2,10\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (Fields{"id", "score"}));
  EXPECT_EQ(records[1].fields, (Fields{"1", "9"}));
  EXPECT_EQ(records[2].fields, (Fields{"2", "10"}));
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].record_number, static_cast<int64_t>(i + 1));
    EXPECT_EQ(records[i].line, static_cast<int64_t>(i + 1));
    EXPECT_EQ(records[i].error, "");
  }
}

TEST(CsvReader, ReadsCrlfLineEndings) {
  std::vector<CsvRecord> records = Parse("id,score\r\n1,9\r\n2,\"10\"\r\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (Fields{"id", "score"}));
  EXPECT_EQ(records[1].fields, (Fields{"1", "9"}));
  EXPECT_EQ(records[2].fields, (Fields{"2", "10"}));
  EXPECT_EQ(records[2].line, 3);
}

TEST(CsvReader, ReadsLoneCrLineEndings) {
  std::vector<CsvRecord> records = Parse("a,b\rc,d\r\"e\"\rf");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(records[2].fields, (Fields{"e"}));
  EXPECT_EQ(records[3].fields, (Fields{"f"}));
  EXPECT_EQ(records[3].line, 4);
}

TEST(CsvReader, SkipsUtf8ByteOrderMark) {
  std::vector<CsvRecord> records = Parse("\xEF\xBB\xBFid,nimi\n1,Äänekoski\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"id", "nimi"}));
  EXPECT_EQ(records[1].fields, (Fields{"1", "Äänekoski"}));
}

TEST(CsvReader, KeepsByteOrderMarkBytesThatAreNotAtTheStart) {
  std::vector<CsvRecord> records = Parse(
      "a\n\xEF\xBB\xBF"
      "b\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields, (Fields{"\xEF\xBB\xBF"
                                       "b"}));
}

TEST(CsvReader, InputOfOnlyAByteOrderMarkHasNoRecords) {
  EXPECT_TRUE(Parse("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(Parse("\xEF\xBB\xBF\r\n").empty());
  // A prefix of the mark is ordinary data.
  std::vector<CsvRecord> records = Parse("\xEF\xBB");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"\xEF\xBB"}));
}

TEST(CsvReader, EmptyInputHasNoRecords) {
  std::unique_ptr<CsvReader> reader = CsvReader::FromString("");
  CsvRecord record;
  for (int i = 0; i < 2; ++i) {
    Result<bool> more = reader->Next(&record);
    ASSERT_TRUE(more.ok());
    EXPECT_FALSE(*more);
  }
}

TEST(CsvReader, PreservesLineBreaksInsideQuotedFields) {
  std::vector<CsvRecord> records = Parse(
      "id,comment\r\n"
      "1,\"first line\r\nsecond line\"\r\n"
      "2,\"a\nb\n\nc\",x\n"
      "3,\"lone\rcr\"\n"
      "4,last\n");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[1].fields, (Fields{"1", "first line\r\nsecond line"}));
  EXPECT_EQ(records[2].fields, (Fields{"2", "a\nb\n\nc", "x"}));
  EXPECT_EQ(records[3].fields, (Fields{"3", "lone\rcr"}));
  EXPECT_EQ(records[4].fields, (Fields{"4", "last"}));
}

TEST(CsvReader, CountsRecordsAndPhysicalLinesSeparately) {
  std::vector<CsvRecord> records = Parse(
      "id,comment\r\n"             // line 1
      "1,\"first\r\nsecond\"\r\n"  // lines 2-3
      "2,\"a\nb\n\nc\"\n"          // lines 4-7
      "3,\"lone\rcr\"\n"           // lines 8-9
      "\n"                         // line 10, blank
      "4,last\n");                 // line 11
  ASSERT_EQ(records.size(), 5u);
  const int64_t expected_lines[] = {1, 2, 4, 8, 11};
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].record_number, static_cast<int64_t>(i + 1)) << i;
    EXPECT_EQ(records[i].line, expected_lines[i]) << i;
  }
}

TEST(CsvReader, DecodesDoubledQuotes) {
  std::vector<CsvRecord> records = Parse("\"she said \"\"kiitos\"\"\",\"\"\"\"\n\"\"\"a,b\"\"\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"she said \"kiitos\"", "\""}));
  EXPECT_EQ(records[0].error, "");
  EXPECT_EQ(records[1].fields, (Fields{"\"a,b\""}));
}

TEST(CsvReader, ReadsEmptyFields) {
  std::vector<CsvRecord> records = Parse(",,\na,,b\n\"\",x\n\"\"\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].fields, (Fields{"", "", ""}));
  EXPECT_EQ(records[1].fields, (Fields{"a", "", "b"}));
  EXPECT_EQ(records[2].fields, (Fields{"", "x"}));
  EXPECT_EQ(records[3].fields, (Fields{""}));
}

TEST(CsvReader, TrailingCommaGivesEmptyLastField) {
  std::vector<CsvRecord> records = Parse("a,b,\r\nc,d,");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "b", ""}));
  EXPECT_EQ(records[1].fields, (Fields{"c", "d", ""}));
}

TEST(CsvReader, ReadsLastRecordWithoutLineEnding) {
  std::vector<CsvRecord> records = Parse("a,b\nc,d");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields, (Fields{"c", "d"}));

  records = Parse("a,\"quoted, last\"");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "quoted, last"}));
  EXPECT_EQ(records[0].error, "");
}

TEST(CsvReader, SkipsBlankLines) {
  std::vector<CsvRecord> records = Parse("\n\nid\n\n\r\n\r1\n\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"id"}));
  EXPECT_EQ(records[0].record_number, 1);
  EXPECT_EQ(records[0].line, 3);
  EXPECT_EQ(records[1].fields, (Fields{"1"}));
  EXPECT_EQ(records[1].record_number, 2);
  EXPECT_EQ(records[1].line, 7);
}

TEST(CsvReader, KeepsWhitespaceInUnquotedFields) {
  std::vector<CsvRecord> records = Parse(" a , b \n \n\t\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (Fields{" a ", " b "}));
  // A line of spaces is not blank: it is one field of spaces.
  EXPECT_EQ(records[1].fields, (Fields{" "}));
  EXPECT_EQ(records[2].fields, (Fields{"\t"}));
}

TEST(CsvReader, ReportsCharacterAfterClosingQuoteAndReadsNextRecord) {
  std::vector<CsvRecord> records = Parse(
      "id,comment,score\n"
      "1,\"good\"x,3\n"
      "2,\"fine\",4\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_NE(records[1].error.find("after the closing quote of field 2"), std::string::npos)
      << records[1].error;
  EXPECT_NE(records[1].error.find("'x'"), std::string::npos) << records[1].error;
  EXPECT_EQ(records[1].fields, (Fields{"1", "goodx", "3"}));
  EXPECT_EQ(records[2].error, "");
  EXPECT_EQ(records[2].fields, (Fields{"2", "fine", "4"}));
  EXPECT_EQ(records[2].record_number, 3);
  EXPECT_EQ(records[2].line, 3);
}

TEST(CsvReader, MalformedRecordStillEndsAtItsRealBoundary) {
  // The later quoted field holds a line break; the record must not end inside it.
  std::vector<CsvRecord> records = Parse("\"a\" b,\"c\nd\"\nnext\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_FALSE(records[0].error.empty());
  EXPECT_EQ(records[0].fields, (Fields{"a b", "c\nd"}));
  EXPECT_EQ(records[1].error, "");
  EXPECT_EQ(records[1].fields, (Fields{"next"}));
  EXPECT_EQ(records[1].line, 3);
}

TEST(CsvReader, ReportsQuoteInsideUnquotedField) {
  std::vector<CsvRecord> records = Parse("1,27\" screen\n2,ok\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_NE(records[0].error.find("quote character in unquoted field 2"), std::string::npos)
      << records[0].error;
  EXPECT_EQ(records[0].fields, (Fields{"1", "27\" screen"}));
  EXPECT_EQ(records[1].error, "");
  EXPECT_EQ(records[1].fields, (Fields{"2", "ok"}));
}

TEST(CsvReader, ReportsUnterminatedQuoteNamingItsLine) {
  std::vector<CsvRecord> records = Parse(
      "id,comment\n"
      "1,ok\n"
      "2,\"never closed\n"
      "3,swallowed\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].error, "");
  const CsvRecord& bad = records[2];
  EXPECT_EQ(bad.line, 3);
  EXPECT_EQ(bad.error, "unterminated quoted field 2: the quote opened on line 3 is never closed");
  EXPECT_EQ(bad.fields, (Fields{"2", "never closed\n3,swallowed\n"}));
}

TEST(CsvReader, UnterminatedQuoteOverridesEarlierError) {
  std::vector<CsvRecord> records = Parse("\"a\"x,\"b");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_NE(records[0].error.find("unterminated quoted field 2"), std::string::npos)
      << records[0].error;
}

TEST(CsvReader, CapsRecordSize) {
  std::unique_ptr<CsvReader> reader = CsvReader::FromString(
      "short\n" + std::string(100, 'x') + ",y\n\"" + std::string(100, 'z') + "\nnext\n");
  reader->set_max_record_bytes(20);
  std::vector<CsvRecord> records = ReadAll(*reader);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].error, "");
  EXPECT_NE(records[1].error.find("longer than 20 bytes"), std::string::npos) << records[1].error;
  EXPECT_LE(records[1].fields[0].size(), 20u);
  // The cap cuts an unterminated quote short but does not hide what went wrong.
  EXPECT_EQ(records[2].error.substr(0, 12), "unterminated");
  EXPECT_LE(records[2].fields[0].size(), 20u);
}

TEST(CsvReader, CapsNumberOfFields) {
  std::unique_ptr<CsvReader> reader = CsvReader::FromString(std::string(1000, ',') + "\nok\n");
  reader->set_max_record_bytes(50);
  std::vector<CsvRecord> records = ReadAll(*reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_FALSE(records[0].error.empty());
  EXPECT_LE(records[0].fields.size(), 50u);
  EXPECT_EQ(records[1].fields, (Fields{"ok"}));
}

TEST(CsvReader, ReusesRecordStorageWithoutLeftovers) {
  std::unique_ptr<CsvReader> reader = CsvReader::FromString("a,b,c,d\ne,\"f\"x\ng\n");
  CsvRecord record;
  ASSERT_TRUE(*reader->Next(&record));
  EXPECT_EQ(record.fields.size(), 4u);
  ASSERT_TRUE(*reader->Next(&record));
  EXPECT_EQ(record.fields, (Fields{"e", "fx"}));
  EXPECT_FALSE(record.error.empty());
  ASSERT_TRUE(*reader->Next(&record));
  EXPECT_EQ(record.fields, (Fields{"g"}));
  EXPECT_EQ(record.error, "");
  EXPECT_FALSE(*reader->Next(&record));
}

TEST(CsvReader, ReportsProgress) {
  const std::string data = "a,b\r\n1,2\r\n";
  std::unique_ptr<CsvReader> reader = CsvReader::FromString(data);
  EXPECT_EQ(reader->total_bytes(), static_cast<int64_t>(data.size()));
  EXPECT_EQ(reader->bytes_consumed(), 0);
  CsvRecord record;
  ASSERT_TRUE(*reader->Next(&record));
  EXPECT_GE(reader->bytes_consumed(), 4);
  EXPECT_LE(reader->bytes_consumed(), 5);
  while (*reader->Next(&record)) {
  }
  EXPECT_EQ(reader->bytes_consumed(), reader->total_bytes());
}

// Everything the reader has to carry across a refill, in one document.
const char kTrickyDocument[] =
    "\xEF\xBB\xBFid,comment,score\r\n"
    "1,\"multi\r\nline, with \"\"quotes\"\"\",9\r\n"
    "\r\n"
    "2,plain ,10\r"
    "3,\"a\"x,y\n"
    "\n"
    "4,,\n"
    "5,\"lone\rcr\"\r\n"
    "6,\"\",\"\"\"\"\n"
    "7,27\" tv,1\n"
    "8,\"unterminated\r\nto the end,";

TEST(CsvReader, ResultDoesNotDependOnBufferBoundaries) {
  const std::vector<CsvRecord> expected = Parse(kTrickyDocument);
  ASSERT_EQ(expected.size(), 9u);
  EXPECT_EQ(expected[0].fields, (Fields{"id", "comment", "score"}));
  EXPECT_EQ(expected[1].fields, (Fields{"1", "multi\r\nline, with \"quotes\"", "9"}));
  EXPECT_EQ(expected[8].line, 13);
  EXPECT_FALSE(expected[8].error.empty());

  TempFile file(kTrickyDocument);
  for (size_t buffer_size = 1; buffer_size <= 24; ++buffer_size) {
    Result<std::unique_ptr<CsvReader>> reader = CsvReader::OpenFile(file.path(), buffer_size);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    const std::vector<CsvRecord> records = ReadAll(**reader);
    ASSERT_EQ(records.size(), expected.size()) << "buffer size " << buffer_size;
    for (size_t i = 0; i < records.size(); ++i) {
      EXPECT_EQ(records[i].fields, expected[i].fields) << "buffer " << buffer_size << " #" << i;
      EXPECT_EQ(records[i].record_number, expected[i].record_number);
      EXPECT_EQ(records[i].line, expected[i].line) << "buffer " << buffer_size << " #" << i;
      EXPECT_EQ(records[i].error, expected[i].error) << "buffer " << buffer_size << " #" << i;
    }
    EXPECT_EQ((*reader)->bytes_consumed(), (*reader)->total_bytes());
  }
}

TEST(CsvReader, ReadsFileLargerThanBuffer) {
  constexpr size_t kBoundary = CsvReader::kDefaultBufferSize;
  const std::string long_comment =
      std::string(700, 'a') + "\r\n\"quoted\", and more\n" + std::string(900, 'b');
  std::string escaped = CsvEscape(long_comment);

  std::string data = "id,comment,score\n";
  int64_t rows = 1;
  int64_t straddling_record = 0;
  int64_t straddling_line = 0;
  int64_t lines = 1;
  while (data.size() < 5 * kBoundary) {
    const std::string id = std::to_string(rows);
    if (straddling_record == 0 && data.size() + 200 > kBoundary) {
      // Opens the quote before the first refill and closes it well after.
      ASSERT_LT(data.size() + id.size() + 1, kBoundary);
      ASSERT_GT(data.size() + id.size() + escaped.size(), kBoundary);
      straddling_record = rows + 1;
      straddling_line = lines + 1;
      data += id + "," + escaped + ",5\n";
      lines += 3;
    } else {
      data += id + ",\"Hoito oli hyvää, kiitos\"," + std::to_string(rows % 11) + "\n";
      lines += 1;
    }
    ++rows;
  }
  TempFile file(data);

  Result<std::unique_ptr<CsvReader>> opened = CsvReader::OpenFile(file.path());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  CsvReader& reader = **opened;
  EXPECT_EQ(reader.total_bytes(), static_cast<int64_t>(data.size()));
  CsvRecord record;
  int64_t count = 0;
  int64_t errors = 0;
  for (;;) {
    Result<bool> more = reader.Next(&record);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ++count;
    if (!record.error.empty()) ++errors;
    if (record.record_number == straddling_record) {
      EXPECT_EQ(record.fields, (Fields{std::to_string(straddling_record - 1), long_comment, "5"}));
      EXPECT_EQ(record.line, straddling_line);
    } else if (record.record_number > 1) {
      ASSERT_EQ(record.fields.size(), 3u);
      EXPECT_EQ(record.fields[1], "Hoito oli hyvää, kiitos");
    }
  }
  EXPECT_EQ(count, rows);
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(record.line, lines);  // the last record, left as it was by the final Next
  EXPECT_EQ(reader.bytes_consumed(), reader.total_bytes());
}

TEST(CsvReader, OpenFileOnMissingPathIsNotFound) {
  const std::string path = testing::TempDir() + "mittari_no_such_dir/answers.csv";
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::OpenFile(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_NE(reader.status().message().find(path), std::string::npos) << reader.status().message();
  EXPECT_NE(reader.status().message().find("No such file or directory"), std::string::npos)
      << reader.status().message();
}

TEST(CsvReader, OpenFileOnDirectoryIsUnavailable) {
  Result<std::unique_ptr<CsvReader>> reader = CsvReader::OpenFile(testing::TempDir());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(reader.status().message().find("directory"), std::string::npos)
      << reader.status().message();
}

TEST(CsvEscape, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvEscape(""), "");
  EXPECT_EQ(CsvEscape("plain text"), "plain text");
  EXPECT_EQ(CsvEscape(" spaced "), " spaced ");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvEscape("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(CsvEscape("cr\r"), "\"cr\r\"");
}

TEST(CsvJoin, JoinsEscapedFields) {
  EXPECT_EQ(CsvJoin({}), "");
  EXPECT_EQ(CsvJoin({"a", "b,c", ""}), "a,\"b,c\",");
  // Otherwise indistinguishable from a blank line, which the reader skips.
  EXPECT_EQ(CsvJoin({""}), "\"\"");
}

TEST(CsvJoin, RoundTripsThroughReader) {
  const std::vector<Fields> rows = {
      {"id", "comment", "score"},
      {"1", "Hoitaja oli ystävällinen, kiitos!", "10"},
      {"2", "\"Lainaus\" ja\r\nrivinvaihto", ""},
      {""},
      {"", ""},
      {" leading and trailing ", "\r", "\n", ","},
      {"\xF0\x9F\x98\x80", "\"\"", "last"},
  };
  for (const char* line_ending : {"\n", "\r\n"}) {
    std::string data;
    for (const Fields& row : rows) data += CsvJoin(row) + line_ending;
    std::vector<CsvRecord> records = Parse(data);
    ASSERT_EQ(records.size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(records[i].fields, rows[i]) << i;
      EXPECT_EQ(records[i].error, "") << i;
    }
  }
}

}  // namespace
}  // namespace mittari
