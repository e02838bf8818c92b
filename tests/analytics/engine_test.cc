#include "analytics/engine.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace mittari {
namespace {

Unit U(std::string code, std::string parent, UnitKind kind, std::string successor = "") {
  Unit u;
  u.code = std::move(code);
  u.parent_code = std::move(parent);
  u.kind = kind;
  u.name_fi = "fi " + u.code;
  u.name_sv = "sv " + u.code;
  u.name_en = "en " + u.code;
  u.successor_code = std::move(successor);
  return u;
}

OrgTree District() {
  return *OrgTree::Build({U("HD", "", UnitKind::kOrganisation), U("A1", "HD", UnitKind::kArea),
                          U("C1", "A1", UnitKind::kCentre), U("U1", "C1", UnitKind::kUnit, "U2"),
                          U("U2", "C1", UnitKind::kUnit), U("A2", "HD", UnitKind::kArea),
                          U("C2", "A2", UnitKind::kCentre), U("U3", "C2", UnitKind::kUnit)});
}

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : engine_(District()) {}

  void Add(std::string_view unit, std::string_view instant, int score,
           Channel channel = Channel::kSms, SurveyKind survey = SurveyKind::kPatient) {
    ResponseFacts f;
    f.id = ++next_id_;
    f.unit_code = unit;
    f.answered_at = *ParseInstant(instant);
    f.score = static_cast<int8_t>(score);
    f.channel = channel;
    f.survey = survey;
    ASSERT_TRUE(engine_.Append(f).ok());
  }

  std::vector<NpsGroup> Run(Query q) {
    q.min_n = q.min_n == kDefaultMinN ? 1 : q.min_n;
    Result<std::vector<NpsGroup>> r = engine_.Nps(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<NpsGroup>{};
  }

  Engine engine_;
  int64_t next_id_ = 0;
};

TEST_F(EngineTest, GroupsByLocalYearNotUtcYear) {
  Add("U3", "2023-12-31T21:30:00Z", 10);  // 23:30 local, still 2023
  Add("U3", "2023-12-31T22:30:00Z", 0);   // 00:30 local, already 2024
  Query q;
  q.group_by = {Dimension::kYear};
  auto rows = Run(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].labels[0].value, "2023");
  EXPECT_EQ(rows[0].counts.promoters, 1);
  EXPECT_EQ(rows[1].labels[0].value, "2024");
  EXPECT_EQ(rows[1].counts.detractors, 1);
}

TEST_F(EngineTest, ClosedUnitsCountUnderTheirSuccessorUnlessAskedOtherwise) {
  Add("U1", "2022-06-01T10:00:00Z", 10);
  Add("U2", "2023-06-01T10:00:00Z", 9);
  Query q;
  q.group_by = {Dimension::kUnit};
  auto current = Run(q);
  ASSERT_EQ(current.size(), 1u);
  EXPECT_EQ(current[0].labels[0].value, "U2");
  EXPECT_EQ(current[0].labels[0].name, "fi U2");
  EXPECT_EQ(current[0].counts.n(), 2);
  q.current_structure = false;
  auto historical = Run(q);
  ASSERT_EQ(historical.size(), 2u);
  EXPECT_EQ(historical[0].labels[0].value, "U1");
}

TEST_F(EngineTest, SubtreeFilterAndUnitLevels) {
  Add("U1", "2024-01-10T10:00:00Z", 10);
  Add("U3", "2024-01-10T10:00:00Z", 0);
  Add("U3", "2024-01-11T10:00:00Z", 0);
  Query q;
  q.unit_code = "A2";
  q.group_by = {Dimension::kArea, Dimension::kCentre};
  auto rows = Run(q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].labels[0].value, "A2");
  EXPECT_EQ(rows[0].labels[1].value, "C2");
  EXPECT_DOUBLE_EQ(rows[0].estimate->value, -100.0);
  q.unit_code = "NOPE";
  EXPECT_EQ(engine_.Nps(q).status().code(), StatusCode::kNotFound);
}

TEST_F(EngineTest, DateRangeIsInclusiveInLocalDays) {
  Add("U3", "2024-03-30T22:30:00Z", 10);  // 2024-03-31 00:30 local
  Add("U3", "2024-03-31T20:30:00Z", 10);  // 2024-03-31 23:30 local (EEST)
  Add("U3", "2024-03-31T21:30:00Z", 10);  // 2024-04-01 00:30 local
  Query q;
  q.from = *ParseLocalDate("2024-03-31");
  q.to = *ParseLocalDate("2024-03-31");
  auto rows = Run(q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].counts.n(), 2);
}

TEST_F(EngineTest, EmployeeAnswersNeverMixIntoPatientNpsByDefault) {
  Add("U3", "2024-01-10T10:00:00Z", 10);
  Add("U3", "2024-01-10T10:00:00Z", 0, Channel::kWeb, SurveyKind::kEmployee);
  EXPECT_EQ(Run(Query{})[0].counts.n(), 1);
  Query by_survey;
  by_survey.group_by = {Dimension::kSurvey};
  EXPECT_EQ(Run(by_survey).size(), 2u);
  Query employees;
  employees.where.push_back(*engine_.ParseWhere("survey=employee"));
  auto rows = Run(employees);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].counts.detractors, 1);
}

TEST_F(EngineTest, WhereFiltersOnEnumsPeriodsAndUnits) {
  Add("U3", "2024-01-10T10:00:00Z", 10, Channel::kSms);
  Add("U3", "2024-02-10T10:00:00Z", 10, Channel::kWeb);
  Add("U2", "2024-02-10T10:00:00Z", 0, Channel::kPaper);
  Query q;
  q.where.push_back(*engine_.ParseWhere("channel=web,paper"));
  q.where.push_back(*engine_.ParseWhere("month=2024-02"));
  q.group_by = {Dimension::kChannel};
  auto rows = Run(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].labels[0].value, "web");
  EXPECT_EQ(rows[1].labels[0].value, "paper");
  Query by_centre;
  by_centre.where.push_back(*engine_.ParseWhere("centre=C1"));
  EXPECT_EQ(Run(by_centre)[0].counts.n(), 1);
}

TEST_F(EngineTest, BadFiltersNameTheProblem) {
  auto message = [&](std::string_view text) { return engine_.ParseWhere(text).status().message(); };
  EXPECT_NE(message("channel=fax").find("unknown channel 'fax'"), std::string::npos);
  EXPECT_NE(message("year=20x4").find("YYYY"), std::string::npos);
  EXPECT_NE(message("colour=red").find("unknown dimension 'colour'"), std::string::npos);
  EXPECT_NE(message("area=C1").find("but the filter is on area"), std::string::npos);
  EXPECT_NE(message("channel").find("dimension=value"), std::string::npos);
  Query twice;
  twice.group_by = {Dimension::kYear, Dimension::kYear};
  EXPECT_EQ(engine_.Nps(twice).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(EngineTest, SmallGroupsAreSuppressedWithoutCounts) {
  for (int i = 0; i < 12; ++i) Add("U3", "2024-01-10T10:00:00Z", 10);
  for (int i = 0; i < 3; ++i) Add("U2", "2024-01-10T10:00:00Z", 0);
  Query q;
  q.group_by = {Dimension::kUnit};
  q.min_n = 10;
  Result<std::vector<NpsGroup>> rows = engine_.Nps(q);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const NpsGroup& small = (*rows)[0];  // U2 comes first in tree order
  EXPECT_EQ(small.labels[0].value, "U2");
  EXPECT_TRUE(small.suppressed);
  EXPECT_EQ(small.counts.n(), 0);
  EXPECT_FALSE(small.estimate.has_value());
  EXPECT_FALSE((*rows)[1].suppressed);
  EXPECT_EQ((*rows)[1].counts.n(), 12);
}

TEST_F(EngineTest, ShareOfScaleQuestions) {
  Add("U3", "2024-01-10T10:00:00Z", 10);
  Add("U3", "2024-01-10T10:00:00Z", 3);
  ASSERT_TRUE(engine_.AppendScale(1, "information", 5).ok());
  ASSERT_TRUE(engine_.AppendScale(2, "information", 2).ok());
  EXPECT_EQ(engine_.AppendScale(99, "information", 2).code(), StatusCode::kNotFound);
  Query q;
  q.min_n = 1;
  Result<std::vector<ShareGroup>> rows = engine_.Share("information", q);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].counts.n, 2);
  EXPECT_EQ((*rows)[0].counts.hits, 1);
  EXPECT_DOUBLE_EQ((*rows)[0].estimate->value, 50.0);
  EXPECT_EQ(engine_.Share("parking", q).status().code(), StatusCode::kNotFound);
}

// Random data, random queries, compared with the plainest possible reference: for every
// response, decide inclusion and the group from first principles.
TEST(EngineDifferential, MatchesNaiveReferenceOnRandomQueries) {
  OrgTree tree = District();
  Engine engine(tree);
  std::mt19937_64 rng(20240531);
  struct Row { std::string unit; UnixSeconds at; int score; Channel channel; Language language; };
  std::vector<Row> rows;
  const char* units[] = {"U1", "U2", "U3", "C1"};
  UnixSeconds start = *ParseInstant("2019-12-25T00:00:00Z");
  for (int i = 0; i < 3000; ++i) {
    Row r{units[rng() % 4], start + static_cast<UnixSeconds>(rng() % (6ull * 365 * 86400)),
          static_cast<int>(rng() % 11), static_cast<Channel>(rng() % 4), static_cast<Language>(rng() % 4)};
    rows.push_back(r);
    ResponseFacts f;
    f.id = i + 1;
    f.unit_code = r.unit;
    f.answered_at = r.at;
    f.score = static_cast<int8_t>(r.score);
    f.channel = r.channel;
    f.language = r.language;
    ASSERT_TRUE(engine.Append(f).ok());
  }
  const auto& cal = HelsinkiCalendar::Get();
  const Dimension dims[] = {Dimension::kUnit, Dimension::kArea, Dimension::kMonth, Dimension::kWeek,
                            Dimension::kQuarter, Dimension::kYear, Dimension::kChannel, Dimension::kLanguage};
  for (int trial = 0; trial < 300; ++trial) {
    Query q;
    q.min_n = 1;
    q.current_structure = rng() % 2;
    for (const Dimension d : dims) {
      if (rng() % 4 == 0 && q.group_by.size() < 3) q.group_by.push_back(d);
    }
    if (rng() % 2) q.from = *ParseLocalDate("2020-01-01") + static_cast<LocalDay>(rng() % 1500);
    if (rng() % 2) q.to = (q.from ? *q.from : *ParseLocalDate("2020-01-01")) + static_cast<LocalDay>(rng() % 900);
    if (rng() % 3 == 0) q.unit_code = (rng() % 2) ? "A1" : "C1";
    std::optional<Channel> channel;
    if (rng() % 3 == 0) {
      channel = static_cast<Channel>(rng() % 4);
      q.where.push_back(*engine.ParseWhere(std::string("channel=") + std::string(ToName(*channel))));
    }
    std::map<std::vector<std::string>, NpsCounts> expected;
    for (const Row& r : rows) {
      UnitIndex unit = *tree.Find(r.unit);
      if (q.current_structure) unit = tree.CurrentSuccessor(unit);
      LocalDay day = cal.DayOf(r.at);
      if (q.from && day < *q.from) continue;
      if (q.to && day > *q.to) continue;
      if (q.unit_code && !tree.InSubtree(*tree.Find(*q.unit_code), unit)) continue;
      if (channel && r.channel != *channel) continue;
      std::vector<std::string> key;
      for (Dimension d : q.group_by) {
        switch (d) {
          case Dimension::kUnit: key.push_back(tree.unit(unit).code); break;
          case Dimension::kArea: key.push_back(tree.unit(*tree.AncestorOfKind(unit, UnitKind::kArea)).code); break;
          case Dimension::kMonth: key.push_back(FormatBucket(TimeBucket::kMonth, BucketKey(TimeBucket::kMonth, day))); break;
          case Dimension::kWeek: key.push_back(FormatBucket(TimeBucket::kWeek, BucketKey(TimeBucket::kWeek, day))); break;
          case Dimension::kQuarter: key.push_back(FormatBucket(TimeBucket::kQuarter, BucketKey(TimeBucket::kQuarter, day))); break;
          case Dimension::kYear: key.push_back(FormatBucket(TimeBucket::kYear, BucketKey(TimeBucket::kYear, day))); break;
          case Dimension::kChannel: key.emplace_back(ToName(r.channel)); break;
          case Dimension::kLanguage: key.emplace_back(ToName(r.language)); break;
          default: break;
        }
      }
      expected[key].Add(r.score);
    }
    Result<std::vector<NpsGroup>> actual = engine.Nps(q);
    ASSERT_TRUE(actual.ok()) << actual.status().ToString();
    ASSERT_EQ(actual->size(), expected.size()) << "trial " << trial;
    for (const NpsGroup& g : *actual) {
      std::vector<std::string> key;
      for (const GroupLabel& l : g.labels) key.push_back(l.value);
      auto it = expected.find(key);
      ASSERT_NE(it, expected.end()) << "trial " << trial;
      EXPECT_EQ(g.counts, it->second) << "trial " << trial;
    }
  }
}

}  // namespace
}  // namespace mittari
