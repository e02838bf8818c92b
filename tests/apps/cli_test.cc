// End-to-end tests of the `mittari` binary: real files, real database, real process.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct CommandRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* binary = std::getenv("MITTARI_BINARY");
    ASSERT_NE(binary, nullptr) << "run through ctest, which sets MITTARI_BINARY";
    binary_ = binary;
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("mittari_cli_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "m.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  CommandRun Mittari(const std::string& args, bool with_db = true) {
    std::string command = binary_ + " " + args + (with_db ? " --db " + db_ : "") + " 2>&1";
    CommandRun run;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return run;
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
    int status = pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
  }

  void ImportDistrict() {
    std::string units = Write("units.csv",
                              "code,parent,kind,name_fi,name_sv,name_en,valid_from,valid_to,successor\n"
                              "HD,,organisation,Piiri,Distrikt,District,,,\n"
                              "A1,HD,area,Etelä,Syd,South,,,\n"
                              "C1,A1,centre,Keskus,Central,Centre,,,\n"
                              "U1,C1,unit,Poliklinikka,Poliklinik,Clinic,,,\n");
    CommandRun run = Mittari("import units " + units);
    ASSERT_EQ(run.exit_code, 0) << run.out;
    EXPECT_NE(run.out.find("imported 4, updated 0, duplicates 0, rejected 0"), std::string::npos) << run.out;
  }

  std::string binary_;
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(CliTest, ImportThenNpsByYearAsJson) {
  ImportDistrict();
  std::string csv =
      "source,external_id,survey,unit,answered_at,channel,language,visit_type,age_group,score,comment\n";
  // 2023: 12 answers, 9 promoters, 1 detractor -> NPS 66.7. 2024: 3 answers -> suppressed.
  for (int i = 0; i < 12; ++i) {
    int score = i < 9 ? 10 : (i < 11 ? 8 : 2);
    csv += "t," + std::to_string(i) + ",patient,U1,2023-06-01T10:00:00Z,sms,fi,outpatient,45-64," +
           std::to_string(score) + ",\n";
  }
  for (int i = 0; i < 3; ++i) {
    csv += "t,b" + std::to_string(i) + ",patient,U1,2024-06-01T10:00:00+03:00,web,sv,inpatient,75+,9,\n";
  }
  std::string responses = Write("responses.csv", csv);
  CommandRun import = Mittari("import responses " + responses);
  ASSERT_EQ(import.exit_code, 0) << import.out;
  EXPECT_NE(import.out.find("imported 15, duplicates 0, rejected 0"), std::string::npos) << import.out;

  CommandRun again = Mittari("import responses " + responses);
  EXPECT_NE(again.out.find("imported 0, duplicates 15, rejected 0"), std::string::npos) << again.out;

  CommandRun nps = Mittari("nps --by year --format json");
  ASSERT_EQ(nps.exit_code, 0) << nps.out;
  nlohmann::json rows = nlohmann::json::parse(nps.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["year"], "2023");
  EXPECT_EQ(rows[0]["n"], 12);
  EXPECT_EQ(rows[0]["promoters"], 9);
  EXPECT_EQ(rows[0]["passives"], 2);
  EXPECT_EQ(rows[0]["detractors"], 1);
  EXPECT_NEAR(rows[0]["nps"].get<double>(), 66.667, 0.01);
  EXPECT_LT(rows[0]["ci_low"].get<double>(), 66.667);
  EXPECT_GT(rows[0]["ci_high"].get<double>(), 66.667);
  EXPECT_EQ(rows[0]["suppressed"], false);
  EXPECT_EQ(rows[1]["year"], "2024");
  EXPECT_TRUE(rows[1]["n"].is_null());
  EXPECT_TRUE(rows[1]["nps"].is_null());
  EXPECT_EQ(rows[1]["suppressed"], true);

  CommandRun small = Mittari("nps --by year,channel --min-n 1 --where language=sv --format csv");
  ASSERT_EQ(small.exit_code, 0) << small.out;
  EXPECT_EQ(small.out,
            "year,channel,n,promoters,passives,detractors,nps,ci_low,ci_high,suppressed\n"
            "2024,web,3,3,0,0,100.0,-6.6,100.0,false\n");  // n'=6, p'=0.625, d'=0.125: 50 ± 1.96·28.87

  CommandRun table = Mittari("nps --by area --unit A1");
  ASSERT_EQ(table.exit_code, 0) << table.out;
  EXPECT_NE(table.out.find("Etelä"), std::string::npos) << table.out;
}

TEST_F(CliTest, RejectedRowsArePrintedAndWrittenNextToTheInput) {
  ImportDistrict();
  std::string responses = Write(
      "bad.csv",
      "source,external_id,survey,unit,answered_at,channel,language,visit_type,age_group,score\n"
      "t,1,patient,U1,2023-06-01T10:00:00Z,sms,fi,outpatient,45-64,nine\n"
      "t,2,patient,U1,2023-06-01T10:00:00Z,sms,fi,outpatient,45-64,9\n");
  CommandRun run = Mittari("import responses " + responses);
  EXPECT_EQ(run.exit_code, 3) << run.out;
  EXPECT_NE(run.out.find("row 2, field score: 'nine' is not a whole number from 0 to 10"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("imported 1, duplicates 0, rejected 1"), std::string::npos) << run.out;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "bad.rejects.csv"));
}

// The whole contents of the database files (main file and write-ahead log), for privacy checks.
std::string DatabaseBytes(const std::string& db) {
  std::string bytes;
  for (const std::string& path : {db, db + "-wal"}) {
    std::ifstream in(path, std::ios::binary);
    bytes.append((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  return bytes;
}

TEST_F(CliTest, VisitsImportStoresInvitationsWithoutClearPhoneNumbers) {
  ImportDistrict();
  std::time_t hour_ago = std::time(nullptr) - 3600;
  char ended[32];
  std::strftime(ended, sizeof ended, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&hour_ago));
  const std::string e = ended;
  std::string visits = Write(
      "visits.csv",
      "visit_id,unit,ended_at,phone,language,visit_type,age_group\n"
      "a1,U1," + e + ",040 765 1111,fi,outpatient,45-64\n"
      "a2,U1," + e + ",+46 70 765 22 22,sv,emergency,\n"
      "a3,U1," + e + ",0407651111,fi,outpatient,45-64\n"       // same number as a1: 30-day limit
      "a4,U1," + e + ",040 76x 3333,fi,outpatient,45-64\n"     // bad phone
      "a5,NOPE," + e + ",040 765 4444,fi,outpatient,45-64\n"   // unknown unit
      "a6,U1,2999-01-01T10:00:00Z,040 765 5555,fi,outpatient,45-64\n"
      "a7,U1," + e + ",040 765 6666,fi,ward,45-64\n");
  CommandRun run = Mittari("import visits " + visits);
  EXPECT_EQ(run.exit_code, 3) << run.out;
  EXPECT_NE(run.out.find("row 5, field phone:"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("row 6, field unit: 'NOPE' is not a known unit code"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("row 7, field ended_at: is in the future"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("row 8, field visit_type:"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("imported 3, duplicates 0, rejected 4"), std::string::npos) << run.out;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "visits.rejects.csv"));
  CommandRun again = Mittari("import visits " + visits);
  EXPECT_NE(again.out.find("imported 0, duplicates 3, rejected 4"), std::string::npos) << again.out;

  CommandRun status = Mittari("sms status --format csv");
  ASSERT_EQ(status.exit_code, 0) << status.out;
  EXPECT_NE(status.out.find("invitations,open,2"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("invitations,skipped,1"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("messages,invitation/queued,2"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("numbers,encrypted_pending,2"), std::string::npos) << status.out;

  // The key is private to its owner, and no number is stored in clear, in any form.
  auto key = std::filesystem::status(db_ + ".phone-key");
  EXPECT_EQ(key.permissions() & std::filesystem::perms::all, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::string bytes = DatabaseBytes(db_);
  ASSERT_GT(bytes.size(), 0u);
  for (const char* digits : {"7651111", "765 1111", "701765", "765 22 22", "46707652222"}) {
    EXPECT_EQ(bytes.find(digits), std::string::npos) << digits;
  }
}

TEST_F(CliTest, TextAnalyzeReadsJsonLinesAndRejectsBadOnes) {
  std::string input = Write("comments.jsonl",
                            "{\"id\": 1, \"text\": \"Odotin kolme tuntia, soittakaa 040 123 4567\"}\n"
                            "not json\n"
                            "{\"id\": \"b\", \"text\": \"The nurse was lovely but parking was a nightmare\"}\n"
                            "{\"id\": 4, \"text\": \"Bra bemötande\", \"lang\": \"sv\"}\n"
                            "{\"id\": 5}\n");
  CommandRun run = Mittari("text analyze < " + input, /*with_db=*/false);
  EXPECT_EQ(run.exit_code, 3) << run.out;
  EXPECT_NE(run.out.find("line 2: not a JSON object"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("line 5: text: must be a string"), std::string::npos) << run.out;
  std::vector<nlohmann::json> lines;
  size_t start = 0;
  while (start < run.out.size()) {
    size_t end = run.out.find('\n', start);
    std::string line = run.out.substr(start, end - start);
    if (!line.empty() && line[0] == '{') lines.push_back(nlohmann::json::parse(line));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_EQ(lines[0]["id"], 1);
  EXPECT_EQ(lines[0]["lang"], "fi");
  EXPECT_EQ(lines[0]["redacted"], "Odotin kolme tuntia, soittakaa [PHONE]");
  EXPECT_EQ(lines[0]["themes"], nlohmann::json::array({"waiting"}));
  EXPECT_EQ(lines[0]["sentiment"], "negative");
  EXPECT_EQ(lines[1]["id"], "b");
  EXPECT_EQ(lines[1]["sentiment"], "mixed");
  EXPECT_EQ(lines[2]["lang"], "sv");
  EXPECT_EQ(lines[2]["themes"], nlohmann::json::array({"staff_attitude"}));
}

TEST_F(CliTest, TextThemesReportsThemeNpsFromStoredComments) {
  ImportDistrict();
  std::string responses = Write(
      "r.csv",
      "source,external_id,survey,unit,answered_at,channel,language,visit_type,age_group,score,comment\n"
      "t,1,patient,U1,2024-06-01T10:00:00Z,sms,fi,outpatient,45-64,2,Odotin kolme tuntia eikä kukaan kertonut mitään\n"
      "t,2,patient,U1,2024-06-01T10:00:00Z,sms,fi,outpatient,45-64,3,Jonotin ikuisuuden\n"
      "t,3,patient,U1,2024-06-01T10:00:00Z,sms,fi,outpatient,45-64,10,Hoitaja oli todella ystävällinen\n"
      "t,4,patient,U1,2024-06-01T10:00:00Z,sms,fi,outpatient,45-64,9,\n");
  ASSERT_EQ(Mittari("import responses " + responses).exit_code, 0);
  CommandRun run = Mittari("text themes --min-n 1 --format json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json rows = nlohmann::json::parse(run.out);
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_EQ(rows[0]["theme"], "(all comments)");
  EXPECT_EQ(rows[0]["n"], 3);  // the answer without a comment is not counted
  for (const auto& row : rows) {
    if (row["theme"] == "waiting") {
      EXPECT_EQ(row["n"], 2);
      EXPECT_EQ(row["detractors"], 2);
      EXPECT_EQ(row["nps"], -100.0);
      EXPECT_EQ(row["detractor_share"], 100.0);
    }
    if (row["theme"] == "staff_attitude") {
      EXPECT_EQ(row["promoters"], 1);
    }
  }
  // Below the minimum group size, nothing is shown.
  nlohmann::json suppressed = nlohmann::json::parse(Mittari("text themes --min-n 5 --format json").out);
  EXPECT_EQ(suppressed[0]["suppressed"], true);
  EXPECT_TRUE(suppressed[0]["n"].is_null());
}

TEST_F(CliTest, BadArgumentsFailWithAClearMessage) {
  ImportDistrict();
  CommandRun by = Mittari("nps --by colour");
  EXPECT_NE(by.exit_code, 0);
  EXPECT_NE(by.out.find("unknown dimension 'colour'"), std::string::npos) << by.out;
  CommandRun from = Mittari("nps --from 2024-02-30");
  EXPECT_NE(from.exit_code, 0);
  EXPECT_NE(from.out.find("2024-02-30"), std::string::npos) << from.out;
  CommandRun format = Mittari("nps --format xml");
  EXPECT_EQ(format.exit_code, 2);  // bad arguments
  EXPECT_NE(format.out.find("xml"), std::string::npos) << format.out;
  CommandRun missing = Mittari("nps --db " + (dir_ / "nope.db").string(), /*with_db=*/false);
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.out.find("nope.db"), std::string::npos) << missing.out;
  CommandRun no_file = Mittari("import responses " + (dir_ / "absent.csv").string());
  EXPECT_NE(no_file.exit_code, 0);
}

TEST_F(CliTest, EverySubcommandHasHelp) {
  for (const char* sub : {"", "import", "import units", "import responses", "import visits", "nps", "share",
                          "units", "demo", "sms", "sms status", "sms dispatch", "text", "text analyze",
                          "text themes", "text reanalyze", "regional", "regional import", "regional invoice",
                          "regional compare", "regional capitation", "regional bonus"}) {
    CommandRun run = Mittari(std::string(sub) + " --help", /*with_db=*/false);
    EXPECT_EQ(run.exit_code, 0) << sub;
    EXPECT_NE(run.out.find("Usage"), std::string::npos) << sub << ": " << run.out;
  }
}

// Regional finance from the command line: imports with row errors, re-imports that replace,
// and reports in each format.
TEST_F(CliTest, RegionalImportsReportRowsAndReimportsReplace) {
  ASSERT_EQ(Mittari("regional import municipalities " +
                    Write("m.csv", "code,name_fi,name_sv,payer,payer_name\n091,Helsinki,Helsingfors,HELSINKI,Helsingin kaupunki\n"
                                   "049,Espoo,Esbo,LANSI-UUSIMAA,Länsi-Uudenmaan hyvinvointialue\n"))
                .exit_code, 0);
  CommandRun population = Mittari("regional import population " +
                                  Write("p.csv", "municipality,year,age_group,residents\n091,2025,18-64,1000\n"
                                                 "049,2025,18-64,500\n999,2025,18-64,10\n049,2025,75-84,-5\n"));
  EXPECT_EQ(population.exit_code, 3) << population.out;
  EXPECT_NE(population.out.find("row 4, field municipality"), std::string::npos) << population.out;
  EXPECT_NE(population.out.find("row 5, field residents"), std::string::npos) << population.out;
  EXPECT_NE(population.out.find("imported 2"), std::string::npos) << population.out;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "p.rejects.csv"));
  ASSERT_EQ(Mittari("regional import prices " +
                    Write("pr.csv", "product,name_fi,name_sv,name_en,kind,year,unit_price\nV,Käynti,Besök,Visit,visit,2025,\"1 000,10\"\n"))
                .exit_code, 0);
  const std::string production = Write("prod.csv",
                                       "municipality,product,month,age_group,volume,patients\n"
                                       "091,V,2025-06,18-64,3,2\n049,V,2025-06,18-64,1,1\n");
  ASSERT_EQ(Mittari("regional import production " + production).exit_code, 0);
  CommandRun again = Mittari("regional import production " + production);
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("imported 2, replaced 2"), std::string::npos) << again.out;

  // Without --definition and with no config/regional.yaml here, a warning on standard error;
  // the reports below name their definition so that the output is only the report.
  const std::string definition = " --definition " + Write("regional.yaml", "pooling:\n  threshold: 80000.00\n");
  CommandRun invoice = Mittari("regional invoice --payer HELSINKI --month 2025-06 --format csv --lang en" + definition);
  ASSERT_EQ(invoice.exit_code, 0) << invoice.out;
  EXPECT_EQ(invoice.out,
            "Municipality,Name,Product,Product name,Volume,Unit price €,Amount €\n"
            "091,Helsinki,V,Visit,3,1000.10,3000.30\n"
            "091,Helsinki,,Subtotal,,,3000.30\n"
            "HELSINKI,Helsingin kaupunki,,Invoice total,,,3000.30\n");
  CommandRun json_invoice = Mittari("regional invoice --payer HELSINKI --month 2025-06 --format json" + definition);
  ASSERT_EQ(json_invoice.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(json_invoice.out).back()["amount"], 3000.3);
  CommandRun xlsx = Mittari("regional compare --year 2025 --standardised --format xlsx --out " + (dir_ / "c.xlsx").string());
  ASSERT_EQ(xlsx.exit_code, 0) << xlsx.out;
  std::ifstream workbook(dir_ / "c.xlsx", std::ios::binary);
  std::string magic(2, '\0');
  workbook.read(magic.data(), 2);
  EXPECT_EQ(magic, "PK");
  CommandRun compare = Mittari("regional compare --year 2025 --lang sv" + definition);
  ASSERT_EQ(compare.exit_code, 0) << compare.out;
  EXPECT_NE(compare.out.find("Hela området"), std::string::npos) << compare.out;
  EXPECT_NE(compare.out.find("Helsingfors"), std::string::npos) << compare.out;

  CommandRun unknown = Mittari("regional invoice --payer NOWHERE --month 2025-06");
  EXPECT_NE(unknown.out.find("warning: no config/regional.yaml here; using the defaults"), std::string::npos) << unknown.out;
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.out.find("payers: HELSINKI, LANSI-UUSIMAA"), std::string::npos) << unknown.out;
  CommandRun no_capitation = Mittari("regional capitation --year 2025 --definition " +
                                     Write("r.yaml", "pooling:\n  threshold: 80000\n  colour: red\n"));
  EXPECT_EQ(no_capitation.exit_code, 1);
  EXPECT_NE(no_capitation.out.find("r.yaml:3:"), std::string::npos) << no_capitation.out;
}

TEST_F(CliTest, DatabaseComesFromTheEnvironmentWhenNotGiven) {
  ImportDistrict();



  std::string command = "MITTARI_DB=" + db_ + " " + binary_ + " units --format csv 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  EXPECT_EQ(pclose(pipe), 0) << out;
  EXPECT_NE(out.find("U1,C1,unit,3,Poliklinikka"), std::string::npos) << out;
}

}  // namespace
