// The scorecard evaluated against a small real database: outcomes computed from answers,
// reported values and formulas, judged against targets, and rendered in three languages.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "scorecard/definition.h"
#include "service/service.h"

namespace mittari {
namespace {

constexpr const char* kScorecard = R"yaml(
title: {fi: Strategia, sv: Strategi, en: Strategy}
focal_points:
  - id: customers
    name: {fi: Asiakkaat, sv: Kunderna, en: Customers}
    goals:
      - id: recommend
        name: {fi: Suosittelu, sv: Rekommendation, en: Recommendation}
        indicators:
          - id: nps
            name: {fi: NPS, sv: NPS, en: NPS}
            source: nps
            targets: {2024: "> 40", 2025: "> 90", CURRENT: ">= 0"}
          - id: nps_er
            name: {fi: NPS päivystys, sv: NPS jour, en: NPS emergency}
            source: nps
            filter: {where: [visit_type=emergency]}
            targets: {2024: "> 0"}
  - id: staff
    name: {fi: Henkilöstö, sv: Personal, en: Staff}
    goals:
      - id: enps
        name: {fi: eNPS, sv: eNPS, en: eNPS}
        indicators:
          - id: enps
            name: {fi: eNPS, sv: eNPS, en: eNPS}
            source: enps
            targets: {2024: "> 0"}
  - id: money
    name: {fi: Talous, sv: Ekonomi, en: Economy}
    goals:
      - id: cost
        name: {fi: Kustannukset, sv: Kostnader, en: Costs}
        indicators:
          - id: cost_per_resident
            name: {fi: Kustannus asukasta kohden, sv: Kostnad per invånare, en: Cost per resident}
            unit: €
            source: formula
            formula: total_cost / residents
            targets: {2024: "<= 1500"}
          - id: total_cost
            name: {fi: Kustannus, sv: Kostnad, en: Cost}
            unit: €
            source: manual
          - id: residents
            name: {fi: Asukkaat, sv: Invånare, en: Residents}
            unit: count
            source: manual
          - id: within_budget
            name: {fi: Budjetissa, sv: Inom budget, en: Within budget}
            unit: yes/no
            source: manual
            targets: {2024: yes}
)yaml";

class ScorecardServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("mittari_scorecard_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    service_ = std::move(Service::Open((dir_ / "s.db").string(), true)).value();
    ASSERT_TRUE(service_->ImportUnits(Write("u.csv", "code,parent,kind,name_fi,name_sv,name_en\n"
                                                     "HD,,organisation,Piiri,Distrikt,District\n"
                                                     "U1,HD,unit,Yksikkö,Enhet,Unit\n"), {}).ok());
    // 2024: 30 patient answers, 20 promoters, 5 passives, 5 detractors: NPS 50.
    // 4 employee answers only: below the employee minimum of 5, so no eNPS.
    std::string rows = "source,external_id,survey,unit,answered_at,channel,language,visit_type,age_group,score\n";
    for (int i = 0; i < 30; ++i) {
      int score = i < 20 ? 10 : i < 25 ? 8 : 3;
      rows += "t," + std::to_string(i) + ",patient,U1,2024-05-0" + std::to_string(1 + i % 9) +
              "T10:00:00Z,sms,fi,outpatient,45-64," + std::to_string(score) + "\n";
    }
    for (int i = 0; i < 4; ++i) rows += "s," + std::to_string(i) + ",employee,U1,2024-10-15T10:00:00Z,web,fi,other,30-44,9\n";
    // This year so far: a few answers, for the year-in-progress verdict.
    std::time_t now = std::time(nullptr) - 3600;
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    for (int i = 0; i < 12; ++i) rows += "n," + std::to_string(i) + ",patient,U1," + stamp + ",sms,fi,outpatient,45-64,9\n";
    Result<ImportSummary> imported = service_->ImportResponses(Write("r.csv", rows), {});
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    ASSERT_EQ(imported->rejected, 0);
    char year[8];
    std::strftime(year, sizeof year, "%Y", std::gmtime(&now));
    current_year_ = std::atoi(year);
    std::string yaml = kScorecard;
    yaml.replace(yaml.find("CURRENT"), 7, year);
    auto card = scorecard::ParseScorecard(yaml, "test.yaml");
    ASSERT_TRUE(card.ok()) << card.status().ToString();
    card_ = std::move(*card);
  }
  void TearDown() override {
    service_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  const ScorecardRow& Row(const std::vector<ScorecardRow>& rows, const std::string& id) {
    for (const ScorecardRow& r : rows) {
      if (r.indicator->id == id) return r;
    }
    ADD_FAILURE() << "no row " << id;
    return rows.front();
  }

  std::filesystem::path dir_;
  std::unique_ptr<Service> service_;
  scorecard::Scorecard card_;
  int current_year_ = 0;
};

TEST_F(ScorecardServiceTest, OutcomesComeFromAnswersValuesAndFormulas) {
  std::vector<ScorecardValue> values = {{"total_cost", 2024, 3000000}, {"residents", 2024, 2400}, {"within_budget", 2024, 1}};
  ASSERT_TRUE(service_->UpsertScorecardValues(values).ok());
  auto rows = service_->EvaluateScorecard(card_, 2024);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  const ScorecardRow& nps = Row(*rows, "nps");
  ASSERT_TRUE(nps.outcome.value);
  EXPECT_DOUBLE_EQ(*nps.outcome.value, 50.0);
  ASSERT_TRUE(nps.outcome.ci_low && nps.outcome.ci_high);
  EXPECT_LT(*nps.outcome.ci_low, 50.0);
  EXPECT_EQ(nps.judgement.verdict, scorecard::Verdict::kAchieved);  // > 40
  // No emergency answers, and too few employee answers: no data rather than a guess.
  EXPECT_EQ(Row(*rows, "nps_er").judgement.verdict, scorecard::Verdict::kNoData);
  EXPECT_EQ(Row(*rows, "enps").judgement.verdict, scorecard::Verdict::kNoData);
  const ScorecardRow& cost = Row(*rows, "cost_per_resident");
  ASSERT_TRUE(cost.outcome.value);
  EXPECT_DOUBLE_EQ(*cost.outcome.value, 1250.0);
  EXPECT_EQ(cost.judgement.verdict, scorecard::Verdict::kAchieved);
  EXPECT_EQ(cost.judgement.significance, scorecard::Significance::kNone);
  EXPECT_EQ(Row(*rows, "within_budget").judgement.verdict, scorecard::Verdict::kAchieved);
  // The same year with a target NPS cannot reach: not achieved.
  auto year2025 = service_->EvaluateScorecard(card_, 2025);
  ASSERT_TRUE(year2025.ok());
  EXPECT_EQ(Row(*year2025, "nps").judgement.verdict, scorecard::Verdict::kNoData);  // no 2025 answers
}

TEST_F(ScorecardServiceTest, TheCurrentYearIsOnOrOffTrack) {
  auto rows = service_->EvaluateScorecard(card_, current_year_);
  ASSERT_TRUE(rows.ok());
  const ScorecardRow& nps = Row(*rows, "nps");
  EXPECT_TRUE(nps.year_in_progress);
  ASSERT_TRUE(nps.outcome.value);
  EXPECT_DOUBLE_EQ(*nps.outcome.value, 100.0);
  EXPECT_EQ(nps.judgement.verdict, scorecard::Verdict::kOnTrack);
}

TEST_F(ScorecardServiceTest, TheReportSpeaksTheReadersLanguage) {
  ASSERT_TRUE(service_->UpsertScorecardValues({{"total_cost", 2024, 3000000}, {"residents", 2024, 1000}, {"within_budget", 2024, 0}}).ok());
  auto rows = service_->EvaluateScorecard(card_, 2024);
  ASSERT_TRUE(rows.ok());
  std::string sv = report::Render(ScorecardTable(*rows, "sv"), report::Format::kCsv);
  EXPECT_NE(sv.find("Fokusområde,Mål,Mätare,Målnivå,Utfall,Status"), std::string::npos) << sv;
  EXPECT_NE(sv.find("Kunderna,Rekommendation,NPS,> 40,\"50,0\",Uppnåddes"), std::string::npos) << sv;
  EXPECT_NE(sv.find("Uppnåddes inte"), std::string::npos) << sv;  // 3,000 € per resident > 1,500 €
  EXPECT_NE(sv.find("nej"), std::string::npos) << sv;
  std::string fi = report::Render(ScorecardTable(*rows, "fi"), report::Format::kCsv);
  EXPECT_NE(fi.find("Saavutettiin"), std::string::npos) << fi;
  EXPECT_NE(fi.find("Ei saavutettu"), std::string::npos) << fi;
  std::string en = report::Render(ScorecardTable(*rows, "en"), report::Format::kCsv);
  EXPECT_NE(en.find("Customers,Recommendation,NPS,> 40,50.0,Achieved,within the 95% interval"), std::string::npos) << en;
  EXPECT_NE(en.find("3,000\u00a0€"), std::string::npos) << en;  // a no-break space before the unit
  nlohmann::json json = ScorecardJson(*rows, "en");
  ASSERT_EQ(json.size(), 7u);
  EXPECT_EQ(json[0]["target"]["op"], ">");
  EXPECT_EQ(json[0]["target"]["value"], 40.0);
  EXPECT_EQ(json[0]["status"], "achieved");
  // 30 answers: NPS 50 is above 40, but its 95% interval reaches below it.
  EXPECT_EQ(json[0]["significance"], "within_interval");
  EXPECT_EQ(json[3]["status"], "not_achieved");  // cost per resident
  std::string html = report::RenderHtml(ScorecardTable(*rows, "en"), "Strategy — 2024", "en", true);
  EXPECT_NE(html.find("<h2>Customers</h2>"), std::string::npos);
  EXPECT_NE(html.find("<td>&gt; 40</td>"), std::string::npos) << html;
}

// The report's layout in each language, against golden files (values from the fixtures above).
// MITTARI_UPDATE_GOLDEN=1 rewrites them after a deliberate change; review the diff.
TEST_F(ScorecardServiceTest, ReportLayoutMatchesTheGoldenFiles) {
  ASSERT_TRUE(service_->UpsertScorecardValues({{"total_cost", 2024, 3000000}, {"residents", 2024, 2400}, {"within_budget", 2024, 1}}).ok());
  auto rows = service_->EvaluateScorecard(card_, 2024);
  ASSERT_TRUE(rows.ok());
  const char* source = std::getenv("MITTARI_SOURCE_DIR");
  if (source == nullptr) source = MITTARI_TEST_SOURCE_DIR;
  for (const char* lang : {"fi", "sv", "en"}) {
    const std::string rendered = report::Render(ScorecardTable(*rows, lang), report::Format::kTable);
    const std::filesystem::path golden = std::filesystem::path(source) / "tests/data/golden" / (std::string("scorecard_2024_") + lang + ".txt");
    if (const char* update = std::getenv("MITTARI_UPDATE_GOLDEN"); update && std::string(update) == "1") {
      std::filesystem::create_directories(golden.parent_path());
      std::ofstream(golden, std::ios::binary) << rendered;
      continue;
    }
    std::ifstream in(golden, std::ios::binary);
    ASSERT_TRUE(in) << "missing golden file " << golden;
    std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(rendered, expected) << lang;
  }
}

TEST_F(ScorecardServiceTest, ValuesImportRejectsBadRowsAndReplacesOnReimport) {
  std::string csv = Write("v.csv", "indicator,year,value\n"
                                   "total_cost,2024,3000000\n"
                                   "residents,2024,\"2400,5\"\n"
                                   "nps,2024,50\n"
                                   "nosuch,2024,1\n"
                                   "within_budget,2024,2\n"
                                   "total_cost,20x4,1\n");
  std::vector<RowRejection> rejections;
  ImportOptions options;
  options.on_reject = [&](const RowRejection& r) { rejections.push_back(r); };
  auto summary = service_->ImportScorecardValues(card_, csv, options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->imported, 2);
  EXPECT_EQ(summary->rejected, 4);
  ASSERT_EQ(rejections.size(), 4u);
  EXPECT_EQ(rejections[0].row, 4);
  EXPECT_NE(rejections[0].reason.find("computed"), std::string::npos);
  EXPECT_NE(rejections[1].reason.find("not an indicator"), std::string::npos);
  EXPECT_EQ(rejections[2].field, "value");
  EXPECT_EQ(rejections[3].field, "year");
  auto again = service_->ImportScorecardValues(card_, csv, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->imported, 0);  // the same values: nothing changes
  ASSERT_TRUE(service_->ImportScorecardValues(card_, Write("w.csv", "indicator,year,value\ntotal_cost,2024,3600000\n"), {}).ok());
  auto rows = service_->EvaluateScorecard(card_, 2024);
  ASSERT_TRUE(rows.ok());
  ASSERT_TRUE(Row(*rows, "cost_per_resident").outcome.value);
  EXPECT_NEAR(*Row(*rows, "cost_per_resident").outcome.value, 3600000 / 2400.5, 1e-9);
}

}  // namespace
}  // namespace mittari

namespace mittari {
namespace {

TEST(EmployeePrivacy, NoFigureIsolatesFewerThanTheMinimumOfColleagues) {
  auto dir = std::filesystem::temp_directory_path() / "mittari_employee_privacy";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto service = std::move(Service::Open((dir / "s.db").string(), true)).value();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  ASSERT_TRUE(service->ImportUnits(write("u.csv", "code,parent,kind,name_fi,name_sv,name_en\n"
                                                  "HD,,organisation,Piiri,Distrikt,District\n"
                                                  "A,HD,area,Alue,Område,Area\n"
                                                  "U1,A,unit,Yksi,En,One\n"
                                                  "U2,A,unit,Kaksi,Två,Two\n"
                                                  "U3,A,unit,Kolme,Tre,Three\n"), {}).ok());
  // U1: 12 employees, U2: 3, U3: 9.
  std::string rows = "source,external_id,survey,unit,answered_at,channel,language,visit_type,age_group,score\n";
  int id = 0;
  for (auto [unit, n] : {std::pair{"U1", 12}, std::pair{"U2", 3}, std::pair{"U3", 9}}) {
    for (int i = 0; i < n; ++i) {
      rows += "s," + std::to_string(++id) + ",employee," + unit + ",2024-10-15T10:00:00Z,web,fi,other,30-44," +
              std::to_string(i % 11) + "\n";
    }
  }
  ASSERT_TRUE(service->ImportResponses(write("r.csv", rows), {}).ok());
  ReportRequest request;
  request.where = {"survey=employee"};
  request.min_n = 5;
  // U2's three answers are suppressed, but the area's total minus U1 and U3 would reveal
  // them: the breakdown suppresses a second group (the smallest, U3) with U2.
  request.unit = "A";
  request.by = {"unit"};
  auto table = service->NpsReport(request);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  int suppressed = 0;
  for (const auto& row : table->rows) suppressed += std::get<bool>(row.back()) ? 1 : 0;
  EXPECT_EQ(suppressed, 2) << report::Render(*table, report::Format::kCsv);
  // A unit whose complement within its parent is under the minimum is refused outright.
  ReportRequest narrow;
  narrow.where = {"survey=employee"};
  narrow.min_n = 5;
  narrow.unit = "U1";
  auto refused = service->NpsReport(narrow);
  EXPECT_TRUE(refused.ok()) << "outside U1 in A are 12 answers: allowed";
  // Move U3's answers out of the picture: a period with only U1 and U2.
  std::string more = "source,external_id,survey,unit,answered_at,channel,language,visit_type,age_group,score\n";
  for (int i = 0; i < 12; ++i) more += "t," + std::to_string(i) + ",employee,U1,2023-10-15T10:00:00Z,web,fi,other,30-44,9\n";
  for (int i = 0; i < 3; ++i) more += "t," + std::to_string(100 + i) + ",employee,U2,2023-10-15T10:00:00Z,web,fi,other,30-44,2\n";
  ASSERT_TRUE(service->ImportResponses(write("m.csv", more), {}).ok());
  narrow.from = "2023-01-01";
  narrow.to = "2023-12-31";
  refused = service->NpsReport(narrow);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("fewer than 5 employees outside U1"), std::string::npos)
      << refused.status().message();
  // Patient figures are not limited this way.
  narrow.where.clear();
  EXPECT_TRUE(service->NpsReport(narrow).ok());
  service.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mittari
