#include "analytics/engine.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "support/units.h"

namespace mittari {
namespace {

using testing::MakeUnit;

OrgTree District() {
  return *OrgTree::Build({MakeUnit("HD", "", UnitKind::kOrganisation), MakeUnit("A1", "HD", UnitKind::kArea),
                          MakeUnit("C1", "A1", UnitKind::kCentre), MakeUnit("U1", "C1", UnitKind::kUnit, "U2"),
                          MakeUnit("U2", "C1", UnitKind::kUnit), MakeUnit("A2", "HD", UnitKind::kArea),
                          MakeUnit("C2", "A2", UnitKind::kCentre), MakeUnit("U3", "C2", UnitKind::kUnit)});
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

TEST(EngineSegments, SealingKeepsScaleAnswersWithTheirRows) {
  EngineOptions options;
  options.segment_rows = 4;
  Engine engine(District(), options);
  const char* units[] = {"U3", "U2", "U3", "U1", "U2", "U3"};
  for (int i = 0; i < 6; ++i) {
    ResponseFacts f;
    f.id = i + 1;
    f.unit_code = units[i];
    f.answered_at = *ParseInstant("2024-01-01T10:00:00Z") + i * 86400;
    f.score = static_cast<int8_t>(i);
    ASSERT_TRUE(engine.Append(f).ok());
    // Unit U3 rates information 5, the others 1.
    ASSERT_TRUE(engine.AppendScale(f.id, "information", std::string(units[i]) == "U3" ? 5 : 1).ok());
  }
  Query q;
  q.min_n = 1;
  q.group_by = {Dimension::kUnit, Dimension::kDay};
  q.current_structure = false;
  auto nps_before = engine.Nps(q);
  auto share_before = engine.Share("information", q);
  engine.Seal();  // rows 0-3 become a segment ordered by unit
  auto nps_after = engine.Nps(q);
  auto share_after = engine.Share("information", q);
  ASSERT_TRUE(nps_after.ok() && share_after.ok());
  ASSERT_EQ(nps_before->size(), nps_after->size());
  for (size_t i = 0; i < nps_after->size(); ++i) {
    EXPECT_EQ((*nps_before)[i].counts, (*nps_after)[i].counts);
    EXPECT_EQ((*share_before)[i].counts, (*share_after)[i].counts);
    bool is_u3 = (*share_after)[i].labels[0].value == "U3";
    EXPECT_EQ((*share_after)[i].counts.hits, is_u3 ? 1 : 0);
  }
  EXPECT_EQ(engine.AppendScale(2, "treatment", 3).code(), StatusCode::kNotFound);  // sealed
  EXPECT_TRUE(engine.AppendScale(6, "treatment", 3).ok());                         // tail
}

TEST(EngineLimits, RefusesResultsWithTooManyGroups) {
  Unit root;
  root.code = "HD";
  root.kind = UnitKind::kOrganisation;
  EngineOptions options;
  options.max_result_groups = 5;
  Engine engine(*OrgTree::Build({root}), options);
  for (int day = 0; day < 6; ++day) {
    ResponseFacts f;
    f.id = day + 1;
    f.unit_code = "HD";
    f.answered_at = *ParseInstant("2024-01-01T10:00:00Z") + day * 86400;
    f.score = 9;
    ASSERT_TRUE(engine.Append(f).ok());
  }
  Query by_day;
  by_day.group_by = {Dimension::kDay};
  Result<std::vector<NpsGroup>> rows = engine.Nps(by_day);
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("6 groups, more than 5"), std::string::npos);
  Query by_month;
  by_month.group_by = {Dimension::kMonth};
  by_month.min_n = 1;
  EXPECT_TRUE(engine.Nps(by_month).ok());
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

}  // namespace
}  // namespace mittari
