// The engine's theme breakdown (ThemeNps) against brute force, across sealing, and the update
// of an answer whose comment arrives later.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "analytics/engine.h"
#include "support/units.h"

namespace mittari {
namespace {

using testing::MakeUnit;

OrgTree District() {
  return *OrgTree::Build({MakeUnit("HD", "", UnitKind::kOrganisation), MakeUnit("A1", "HD", UnitKind::kArea),
                          MakeUnit("C1", "A1", UnitKind::kCentre), MakeUnit("U1", "C1", UnitKind::kUnit),
                          MakeUnit("U2", "C1", UnitKind::kUnit), MakeUnit("A2", "HD", UnitKind::kArea),
                          MakeUnit("C2", "A2", UnitKind::kCentre), MakeUnit("U3", "C2", UnitKind::kUnit)});
}

struct Row {
  std::string unit;
  int year;
  int score;
  ThemeSet themes;
  bool commented;
};

TEST(EngineThemes, ThemeNpsMatchesBruteForceAcrossSealedSegments) {
  EngineOptions options;
  options.segment_rows = 64;  // many sealed segments, and a tail
  Engine engine(District(), options);
  std::mt19937 rng(7);
  const char* units[] = {"U1", "U2", "U3"};
  std::vector<Row> rows;
  for (int i = 0; i < 1000; ++i) {
    Row r{units[rng() % 3], 2022 + static_cast<int>(rng() % 3), static_cast<int>(rng() % 11), 0, rng() % 3 != 0};
    if (r.commented) r.themes = static_cast<ThemeSet>(rng() % 128);
    rows.push_back(r);
    ResponseFacts f;
    f.id = i + 1;
    f.unit_code = r.unit;
    f.answered_at = *ParseInstant(std::to_string(r.year) + "-06-01T12:00:00Z");
    f.score = static_cast<int8_t>(r.score);
    f.themes = r.themes;
    f.has_comment = r.commented;
    ASSERT_TRUE(engine.Append(f).ok());
    if (i % 100 == 99) engine.Seal();
  }
  Query q;
  q.group_by = {Dimension::kYear};
  q.unit_code = "A1";
  q.min_n = 1;
  auto result = engine.ThemeNps(q);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::map<std::pair<std::string, int>, NpsCounts> expected;  // (year, slot) → counts
  for (const Row& r : rows) {
    if (!r.commented || r.unit == "U3") continue;
    expected[{std::to_string(r.year), -1}].Add(r.score);
    for (int t = 0; t < 7; ++t) {
      if (HasTheme(r.themes, static_cast<Theme>(t))) expected[{std::to_string(r.year), t}].Add(r.score);
    }
  }
  ASSERT_EQ(result->size(), 3u * 8u);  // three years, the baseline and seven themes each
  for (const ThemeNpsGroup& g : *result) {
    int slot = g.theme ? static_cast<int>(*g.theme) : -1;
    const NpsCounts& want = expected[{g.labels[0].value, slot}];
    EXPECT_EQ(g.counts.promoters, want.promoters) << g.labels[0].value << " " << slot;
    EXPECT_EQ(g.counts.passives, want.passives) << g.labels[0].value << " " << slot;
    EXPECT_EQ(g.counts.detractors, want.detractors) << g.labels[0].value << " " << slot;
  }
}

TEST(EngineThemes, ACommentArrivingLaterUpdatesItsAnswerEvenWhenSealed) {
  EngineOptions options;
  options.segment_rows = 4;
  Engine engine(District(), options);
  for (int i = 1; i <= 9; ++i) {
    ResponseFacts f;
    f.id = i;
    f.unit_code = i % 2 ? "U1" : "U2";
    f.answered_at = *ParseInstant("2024-03-0" + std::to_string(i) + "T12:00:00Z");
    f.score = static_cast<int8_t>(i);
    ASSERT_TRUE(engine.Append(f).ok());
  }
  engine.Seal();  // ids 1–8 sealed, 9 in the tail
  Query q;
  q.min_n = 1;
  auto before = engine.ThemeNps(q);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->empty()) << "no answer has a comment yet";
  for (int id : {3, 9}) {
    ResponseFacts f;
    f.id = id;
    f.unit_code = "U1";
    f.answered_at = *ParseInstant("2024-03-0" + std::to_string(id) + "T12:00:00Z");
    f.score = static_cast<int8_t>(id);
    f.themes = WithTheme(0, Theme::kWaiting);
    f.has_comment = true;
    ASSERT_TRUE(engine.UpdateCommentThemes(f, 0, false).ok()) << id;
  }
  auto after = engine.ThemeNps(q);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 8u);
  EXPECT_EQ((*after)[0].counts.n(), 2);  // baseline: two commented answers
  const ThemeNpsGroup& waiting = (*after)[1 + static_cast<int>(Theme::kWaiting)];
  EXPECT_EQ(waiting.counts.promoters, 1);   // score 9
  EXPECT_EQ(waiting.counts.detractors, 1);  // score 3
  // An answer that is not there is reported, not invented.
  ResponseFacts missing;
  missing.id = 5;
  missing.unit_code = "U3";
  missing.answered_at = *ParseInstant("2024-03-05T12:00:00Z");
  missing.score = 5;
  EXPECT_EQ(engine.UpdateCommentThemes(missing, 0, false).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mittari
