// The workbook is checked by what a spreadsheet program would read: the XML parts inside the
// zip, extracted with the `unzip` command (scripts/setup installs it).
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "report/report.h"

namespace mittari::report {
namespace {

Table Sample() {
  Table t;
  t.columns = {"area", "n", "nps", "suppressed"};
  t.rows.push_back({std::string("Etelä"), int64_t{120}, Decimal{66.666, 1}, false});
  t.rows.push_back({std::string("Pohjoinen"), Cell(), Cell(), true});
  return t;
}

// Writes `bytes` to a temporary .xlsx file, removed again when the object goes away.
class XlsxFile {
 public:
  explicit XlsxFile(const std::string& bytes) {
    std::string name = (std::filesystem::temp_directory_path() / "xlsx-test-XXXXXX").string();
    int fd = mkstemp(name.data());
    if (fd < 0) return;
    path_ = name;
    bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    ::close(fd);
    if (!written) path_.clear();
  }
  XlsxFile(const XlsxFile&) = delete;
  XlsxFile& operator=(const XlsxFile&) = delete;
  ~XlsxFile() {
    if (!path_.empty()) std::filesystem::remove(path_);
  }

  // Returns the text of one member of the zip, or "" when it (or unzip) is missing; the test
  // fails in that case, saying why.
  std::string Member(const std::string& member) const {
    EXPECT_FALSE(path_.empty()) << "could not write the workbook to a temporary file";
    std::string command = "unzip -p '" + path_ + "' '" + member + "' 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
      ADD_FAILURE() << "cannot run unzip";
      return "";
    }
    std::string out;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    int status = pclose(pipe);
    EXPECT_EQ(status, 0) << "`" << command << "` failed; is unzip installed (scripts/setup)?";
    return out;
  }

 private:
  std::string path_;
};

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(RenderXlsx, IsAZipWorkbookWithTheTypedCells) {
  Result<std::string> bytes = RenderXlsx(Sample());
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ASSERT_GE(bytes->size(), 2u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");

  XlsxFile file(*bytes);
  std::string strings = file.Member("xl/sharedStrings.xml");
  EXPECT_TRUE(Contains(strings, "<t>area</t>")) << strings;
  EXPECT_TRUE(Contains(strings, "<t>suppressed</t>")) << strings;
  EXPECT_TRUE(Contains(strings, "<t>Etelä</t>")) << strings;  // UTF-8 kept as it is

  std::string sheet = file.Member("xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, "<c r=\"A2\" t=\"s\">")) << sheet;  // a string, not a number
  EXPECT_TRUE(Contains(sheet, "<c r=\"B2\"><v>120</v></c>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<v>66.7</v>")) << sheet;  // rounded as the CSV shows it
  EXPECT_FALSE(Contains(sheet, "66.666")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<c r=\"D2\" t=\"b\"><v>0</v></c>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<c r=\"D3\" t=\"b\"><v>1</v></c>")) << sheet;
  // Nulls are left empty: no cell at all.
  EXPECT_FALSE(Contains(sheet, "r=\"B3\"")) << sheet;
  EXPECT_FALSE(Contains(sheet, "r=\"C3\"")) << sheet;
  EXPECT_TRUE(Contains(sheet, "state=\"frozen\"")) << sheet;
  EXPECT_TRUE(Contains(sheet, "ySplit=\"1\"")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<autoFilter ref=\"A1:D3\"/>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "customWidth=\"1\"")) << sheet;

  std::string styles = file.Member("xl/styles.xml");
  EXPECT_TRUE(Contains(styles, "<b/>")) << styles;
  EXPECT_TRUE(Contains(styles, "formatCode=\"0.0\"")) << styles;

  std::string workbook = file.Member("xl/workbook.xml");
  EXPECT_TRUE(Contains(workbook, "name=\"NPS\"")) << workbook;
}

TEST(RenderXlsx, NamesTheSheet) {
  Result<std::string> bytes = RenderXlsx(Sample(), "Vuosi 2024");
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  XlsxFile file(*bytes);
  EXPECT_TRUE(Contains(file.Member("xl/workbook.xml"), "name=\"Vuosi 2024\""));
}

TEST(RenderXlsx, EmptyTableStillHasAHeader) {
  Table t;
  t.columns = {"year", "n"};
  Result<std::string> bytes = RenderXlsx(t);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  XlsxFile file(*bytes);
  EXPECT_TRUE(Contains(file.Member("xl/sharedStrings.xml"), "<t>year</t>"));
  EXPECT_TRUE(Contains(file.Member("xl/worksheets/sheet1.xml"), "<autoFilter ref=\"A1:B1\"/>"));
}

TEST(RenderXlsx, RejectsWhatExcelCannotHold) {
  Result<std::string> bad_name = RenderXlsx(Sample(), "a/b");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderXlsx(Sample(), "").status().code(), StatusCode::kInvalidArgument);

  Table not_utf8 = Sample();
  not_utf8.rows[1][0] = std::string("Pohjoinen\xff");
  Result<std::string> bad_text = RenderXlsx(not_utf8);
  ASSERT_FALSE(bad_text.ok());
  EXPECT_EQ(bad_text.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(bad_text.status().message(), "data row 2, column 'area'"))
      << bad_text.status().message();

  Table too_long = Sample();
  too_long.rows[0][0] = std::string(32768, 'x');
  Result<std::string> long_text = RenderXlsx(too_long);
  ASSERT_FALSE(long_text.ok());
  EXPECT_EQ(long_text.status().code(), StatusCode::kInvalidArgument);
}

TEST(RenderXlsx, LeavesNoTemporaryFilesBehind) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("xlsx-test-dir-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const char* old = getenv("TMPDIR");
  std::string saved = old ? old : "";
  setenv("TMPDIR", dir.c_str(), 1);

  Result<std::string> good = RenderXlsx(Sample());
  Result<std::string> bad = RenderXlsx(Sample(), "a/b");
  bool empty = std::filesystem::is_empty(dir);

  if (old) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(empty);
}

TEST(RenderXlsx, ReportsAnUnusableTempDirectory) {
  const char* old = getenv("TMPDIR");
  std::string saved = old ? old : "";
  setenv("TMPDIR", "/nonexistent/mittari-xlsx-test", 1);
  Result<std::string> bytes = RenderXlsx(Sample());
  if (old) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace mittari::report
