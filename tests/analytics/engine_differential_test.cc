// Differential test: the engine against the plainest possible reference — for every answer,
// decide inclusion and group from first principles — over random data and thousands of
// random queries (filters on every dimension, groupings, buckets, date ranges), seeded.
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
                          MakeUnit("C1", "A1", UnitKind::kCentre), MakeUnit("U1", "C1", UnitKind::kUnit, "U2"),
                          MakeUnit("U2", "C1", UnitKind::kUnit), MakeUnit("C3", "A1", UnitKind::kCentre),
                          MakeUnit("U4", "C3", UnitKind::kUnit, "U3"), MakeUnit("A2", "HD", UnitKind::kArea),
                          MakeUnit("C2", "A2", UnitKind::kCentre), MakeUnit("U3", "C2", UnitKind::kUnit),
                          MakeUnit("U5", "C2", UnitKind::kUnit)});
}

struct Row {
  std::string unit;
  UnixSeconds at;
  int score;
  Channel channel;
  Language language;
  VisitType visit_type;
  AgeGroup age_group;
  SurveyKind survey;
};

constexpr Dimension kAllDimensions[] = {
    Dimension::kUnit,    Dimension::kCentre,  Dimension::kArea,      Dimension::kDay,
    Dimension::kWeek,    Dimension::kMonth,   Dimension::kQuarter,   Dimension::kYear,
    Dimension::kChannel, Dimension::kLanguage, Dimension::kVisitType, Dimension::kAgeGroup,
    Dimension::kSurvey};

class Reference {
 public:
  Reference(const OrgTree& tree, const std::vector<Row>& rows) : tree_(tree), rows_(rows) {}

  // The value of dimension d for a row, as the label the engine prints.
  std::string Value(Dimension d, const Row& r, UnitIndex unit, LocalDay day) const {
    auto code_of_kind = [&](UnitKind kind) {
      std::optional<UnitIndex> a = tree_.AncestorOfKind(unit, kind);
      return a ? tree_.unit(*a).code : "(no " + std::string(DimensionName(d)) + ")";
    };
    switch (d) {
      case Dimension::kUnit: return tree_.unit(unit).code;
      case Dimension::kCentre: return code_of_kind(UnitKind::kCentre);
      case Dimension::kArea: return code_of_kind(UnitKind::kArea);
      case Dimension::kDay: return FormatLocalDate(day);
      case Dimension::kWeek: return FormatBucket(TimeBucket::kWeek, BucketKey(TimeBucket::kWeek, day));
      case Dimension::kMonth: return FormatBucket(TimeBucket::kMonth, BucketKey(TimeBucket::kMonth, day));
      case Dimension::kQuarter: return FormatBucket(TimeBucket::kQuarter, BucketKey(TimeBucket::kQuarter, day));
      case Dimension::kYear: return FormatBucket(TimeBucket::kYear, BucketKey(TimeBucket::kYear, day));
      case Dimension::kChannel: return std::string(ToName(r.channel));
      case Dimension::kLanguage: return std::string(ToName(r.language));
      case Dimension::kVisitType: return std::string(ToName(r.visit_type));
      case Dimension::kAgeGroup: return std::string(ToName(r.age_group));
      case Dimension::kSurvey: return std::string(ToName(r.survey));
      case Dimension::kCount: break;
    }
    return "";
  }

  // where: dimension → allowed labels (all filters must hold).
  std::map<std::vector<std::string>, NpsCounts> Run(
      const Query& q, const std::vector<std::pair<Dimension, std::vector<std::string>>>& where) const {
    std::map<std::vector<std::string>, NpsCounts> out;
    bool survey_named = false;
    for (const auto& [d, values] : where) survey_named |= d == Dimension::kSurvey;
    for (Dimension d : q.group_by) survey_named |= d == Dimension::kSurvey;
    for (const Row& r : rows_) {
      UnitIndex unit = *tree_.Find(r.unit);
      if (q.current_structure) unit = tree_.CurrentSuccessor(unit);
      LocalDay day = HelsinkiCalendar::Get().DayOf(r.at);
      if (q.from && day < *q.from) continue;
      if (q.to && day > *q.to) continue;
      if (q.unit_code && !tree_.InSubtree(*tree_.Find(*q.unit_code), unit)) continue;
      if (!survey_named && r.survey != SurveyKind::kPatient) continue;
      bool keep = true;
      for (const auto& [d, values] : where) {
        std::string v = Value(d, r, unit, day);
        if (std::find(values.begin(), values.end(), v) == values.end()) keep = false;
      }
      if (!keep) continue;
      std::vector<std::string> key;
      for (Dimension d : q.group_by) key.push_back(Value(d, r, unit, day));
      out[key].Add(r.score);
    }
    return out;
  }

 private:
  const OrgTree& tree_;
  const std::vector<Row>& rows_;
};

template <typename E>
E RandomEnum(std::mt19937_64& rng) {
  return static_cast<E>(rng() % EnumCount<E>());
}

void RunDifferential(EngineOptions options, uint64_t seed, int trials) {
  OrgTree tree = District();
  Engine engine(tree, options);
  std::mt19937_64 rng(seed);
  std::vector<Row> rows;
  const char* units[] = {"U1", "U2", "U3", "U4", "U5", "C1", "A2"};
  const UnixSeconds start = *ParseInstant("2019-12-20T00:00:00Z");
  int64_t id = 0;
  for (int i = 0; i < 4000; ++i) {
    Row r{units[rng() % 7], start + static_cast<UnixSeconds>(rng() % (6ull * 366 * 86400)),
          static_cast<int>(rng() % 11), RandomEnum<Channel>(rng), RandomEnum<Language>(rng),
          RandomEnum<VisitType>(rng), RandomEnum<AgeGroup>(rng),
          rng() % 8 == 0 ? SurveyKind::kEmployee : SurveyKind::kPatient};
    rows.push_back(r);
    id += 1 + static_cast<int64_t>(rng() % 3 == 0);  // ids with gaps, as a store may leave
    ResponseFacts f;
    f.id = id;
    f.unit_code = r.unit;
    f.answered_at = r.at;
    f.score = static_cast<int8_t>(r.score);
    f.channel = r.channel;
    f.language = r.language;
    f.visit_type = r.visit_type;
    f.age_group = r.age_group;
    f.survey = r.survey;
    ASSERT_TRUE(engine.Append(f).ok());
    // Seal now and then, as the service does after each batch, leaving a partial tail.
    if (i % 700 == 699) engine.Seal();
  }
  Reference reference(tree, rows);
  const LocalDay first_day = *ParseLocalDate("2019-12-01");
  for (int trial = 0; trial < trials; ++trial) {
    Query q;
    q.min_n = 1;
    q.current_structure = rng() % 2;
    std::vector<Dimension> dims(std::begin(kAllDimensions), std::end(kAllDimensions));
    std::shuffle(dims.begin(), dims.end(), rng);
    size_t group_count = rng() % 4;
    q.group_by.assign(dims.begin(), dims.begin() + static_cast<std::ptrdiff_t>(group_count));
    if (rng() % 2) q.from = first_day + static_cast<LocalDay>(rng() % 2300);
    if (rng() % 2) q.to = (q.from ? *q.from : first_day) + static_cast<LocalDay>(rng() % 1200);
    const char* subtrees[] = {"HD", "A1", "A2", "C1", "C2", "U3"};
    if (rng() % 3 == 0) q.unit_code = subtrees[rng() % 6];
    // Filters: pick values from real rows so that they match something.
    std::vector<std::pair<Dimension, std::vector<std::string>>> where;
    int filters = static_cast<int>(rng() % 3);
    for (int f = 0; f < filters; ++f) {
      Dimension d = kAllDimensions[rng() % std::size(kAllDimensions)];
      std::vector<std::string> values;
      for (int k = 0; k < 1 + static_cast<int>(rng() % 2); ++k) {
        const Row& r = rows[rng() % rows.size()];
        UnitIndex unit = *tree.Find(r.unit);
        if (q.current_structure) unit = tree.CurrentSuccessor(unit);
        std::string v = reference.Value(d, r, unit, HelsinkiCalendar::Get().DayOf(r.at));
        if (v.rfind("(no ", 0) == 0) continue;
        values.push_back(v);
      }
      if (values.empty()) continue;
      std::string text = std::string(DimensionName(d)) + "=";
      for (size_t k = 0; k < values.size(); ++k) text += (k ? "," : "") + values[k];
      Result<DimensionFilter> filter = engine.ParseWhere(text);
      ASSERT_TRUE(filter.ok()) << text << ": " << filter.status().ToString();
      q.where.push_back(*filter);
      where.emplace_back(d, values);
    }
    auto expected = reference.Run(q, where);
    Result<std::vector<NpsGroup>> actual = engine.Nps(q);
    ASSERT_TRUE(actual.ok()) << actual.status().ToString();
    ASSERT_EQ(actual->size(), expected.size()) << "trial " << trial;
    for (const NpsGroup& g : *actual) {
      std::vector<std::string> key;
      for (const GroupLabel& l : g.labels) key.push_back(l.value);
      auto it = expected.find(key);
      ASSERT_NE(it, expected.end()) << "trial " << trial << " unexpected group " << ::testing::PrintToString(key);
      ASSERT_EQ(g.counts, it->second) << "trial " << trial;
    }
  }
}

TEST(EngineDifferential, DenseParallelMatchesReference) {
  EngineOptions options;
  options.threads = 2;
  options.min_rows_per_thread = 1;
  options.segment_rows = 256;
  RunDifferential(options, 20240531, 1500);
}

TEST(EngineDifferential, HashAggregationMatchesReference) {
  EngineOptions options;
  options.max_dense_groups = 1;  // forces the hash-map path for every grouped query
  options.min_rows_per_thread = 1;
  options.segment_rows = 100;
  RunDifferential(options, 7, 1000);
}

TEST(EngineDifferential, SingleThreadWithoutSegmentsMatchesReference) {
  EngineOptions options;
  options.threads = 1;
  options.segment_rows = 1000000;  // everything stays in the unsealed tail
  RunDifferential(options, 99, 500);
}

}  // namespace
}  // namespace mittari
