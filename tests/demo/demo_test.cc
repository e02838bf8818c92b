#include "demo/demo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/unit.h"

namespace mittari::demo {
namespace {

constexpr int64_t kDefaultResponses = 600000;
constexpr std::array<double, 6> kTargetNps = {64, 70, 75, 79, 80, 80};  // 2020..2025

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
}

// A phone number as people write them: starts with 0 or +, then at least nine digits that may
// be separated by single spaces or hyphens.
bool ContainsPhoneNumber(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if ((text[i] != '0' && text[i] != '+') || (i > 0 && IsWordChar(text[i - 1]))) continue;
    int digits = 0;
    size_t j = text[i] == '+' ? i + 1 : i;
    for (; j < text.size(); ++j) {
      if (IsDigit(text[j])) {
        ++digits;
      } else if (!((text[j] == ' ' || text[j] == '-') && j + 1 < text.size() &&
                   IsDigit(text[j + 1]))) {
        break;
      }
    }
    if (digits >= 9) return true;
  }
  return false;
}

bool ContainsEmail(std::string_view text) {
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    if (at == 0 || !IsWordChar(text[at - 1])) continue;
    size_t end = at + 1;
    while (end < text.size() && (IsWordChar(text[end]) || text[end] == '.' || text[end] == '-')) {
      ++end;
    }
    std::string_view domain = text.substr(at + 1, end - at - 1);
    if (domain.find('.') != std::string_view::npos && domain.find('.') > 0) return true;
  }
  return false;
}

// DDMMYY, century sign, three digits and the check character that the nine digits demand.
bool ContainsIdentityCode(std::string_view text) {
  constexpr std::string_view kCheck = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  for (size_t i = 0; i + 11 <= text.size(); ++i) {
    std::string_view s = text.substr(i, 11);
    bool shape = true;
    for (size_t k : {0, 1, 2, 3, 4, 5, 7, 8, 9}) shape = shape && IsDigit(s[k]);
    if (!shape || (s[6] != '-' && s[6] != '+' && s[6] != 'A')) continue;
    int64_t nine = 0;
    for (size_t k : {0, 1, 2, 3, 4, 5, 7, 8, 9}) nine = nine * 10 + (s[k] - '0');
    int day = (s[0] - '0') * 10 + (s[1] - '0');
    int month = (s[2] - '0') * 10 + (s[3] - '0');
    if (day >= 1 && day <= 31 && month >= 1 && month <= 12 && s[10] == kCheck[nine % 31]) {
      return true;
    }
  }
  return false;
}

bool ContainsAny(std::string_view text, std::initializer_list<std::string_view> needles) {
  for (std::string_view needle : needles) {
    if (text.find(needle) != std::string_view::npos) return true;
  }
  return false;
}

struct NpsCounts {
  int64_t answers = 0;
  int64_t promoters = 0;
  int64_t detractors = 0;

  void Add(int score) {
    ++answers;
    if (score >= 9) ++promoters;
    if (score <= 6) ++detractors;
  }
  double Nps() const {
    return answers == 0
               ? 0
               : 100.0 * static_cast<double>(promoters - detractors) / static_cast<double>(answers);
  }
};

// Everything the tests check about the default 600,000 answers, gathered in one pass.
struct Stats {
  Status status;
  int64_t total = 0;
  size_t batches = 0;
  size_t max_batch = 0;
  std::vector<Response> first_batch, last_batch;
  std::vector<std::string> problems;  // the first few malformed answers, described

  std::map<int, NpsCounts> by_year;
  std::map<std::string, NpsCounts> by_unit;
  std::array<int64_t, 4> channels{};
  std::array<int64_t, 4> languages{};
  std::array<int64_t, 5> visit_types{};
  std::array<int64_t, 7> age_groups{};
  std::array<int64_t, 13> by_month{};  // index 1..12
  std::map<std::string, std::array<int64_t, 4>> languages_by_area;

  int64_t comments = 0;
  int64_t with_phone = 0, with_email = 0, with_identity_code = 0, with_personal_data = 0;
  std::array<std::set<std::string>, 3> distinct_comments;       // fi, sv, en
  std::set<std::string> promoter_comments, detractor_comments;  // Finnish
  int64_t promoter_comments_with_but = 0, promoter_comment_count = 0;
  int64_t passive_comments_with_but = 0, passive_comment_count = 0;

  int64_t with_scales = 0;
  std::array<double, 3> scale_sum{};  // detractors, passives, promoters
  std::array<int64_t, 3> scale_count{};
};

const std::vector<Unit>& DefaultUnits() {
  static const std::vector<Unit> units = GenerateUnits(1);
  return units;
}

void Describe(Stats& stats, const Response& r, std::string_view what) {
  if (stats.problems.size() < 5) stats.problems.push_back(r.external_id + ": " + std::string(what));
}

const Stats& DefaultStats() {
  static const Stats stats = [] {
    Stats s;
    const HelsinkiCalendar& calendar = HelsinkiCalendar::Get();
    std::unordered_map<std::string, const Unit*> by_code;
    for (const Unit& unit : DefaultUnits()) by_code.emplace(unit.code, &unit);
    int64_t expected_number = 0;
    s.status = GenerateResponses(
        DefaultUnits(), DemoOptions{kDefaultResponses, 1}, 4096, [&](std::vector<Response>& batch) {
          ++s.batches;
          s.max_batch = std::max(s.max_batch, batch.size());
          if (s.batches == 1) s.first_batch = batch;
          s.last_batch = batch;
          for (const Response& r : batch) {
            ++s.total;
            if (r.source != "demo") Describe(s, r, "source is not 'demo'");
            if (r.external_id != "demo-" + std::to_string(++expected_number)) {
              Describe(s, r, "external ids are not demo-1, demo-2, ... in order");
            }
            if (r.survey != SurveyKind::kPatient) Describe(s, r, "not a patient survey");
            if (r.score < kMinScore || r.score > kMaxScore) Describe(s, r, "score out of range");
            auto unit = by_code.find(r.unit_code);
            if (unit == by_code.end()) {
              Describe(s, r, "unknown unit " + r.unit_code);
              continue;
            }
            if (unit->second->kind != UnitKind::kUnit) Describe(s, r, "unit is not of kind unit");
            LocalDay day = calendar.DayOf(r.answered_at);
            if (day < FirstDemoDay() || day > LastDemoDay()) Describe(s, r, "outside 2020-2025");
            if ((unit->second->valid_from && day < *unit->second->valid_from) ||
                (unit->second->valid_to && day > *unit->second->valid_to)) {
              Describe(s, r, "unit " + r.unit_code + " is closed on " + FormatLocalDate(day));
            }
            UnixSeconds midnight = calendar.StartOfDay(day);
            int64_t local_seconds = (r.answered_at + calendar.UtcOffsetAt(r.answered_at)) -
                                    (midnight + calendar.UtcOffsetAt(midnight));
            if (local_seconds < 8 * 3600 || local_seconds > 21 * 3600 + 1800) {
              Describe(s, r, "answered at an implausible hour");
            }
            if (r.channel == Channel::kKiosk || r.language == Language::kOther) {
              Describe(s, r, "kiosk channel or 'other' language");
            }
            CivilDate date = ToCivilDate(day);
            s.by_year[date.year].Add(r.score);
            s.by_unit[r.unit_code].Add(r.score);
            ++s.by_month[date.month];
            ++s.channels[static_cast<size_t>(r.channel)];
            ++s.languages[static_cast<size_t>(r.language)];
            ++s.visit_types[static_cast<size_t>(r.visit_type)];
            ++s.age_groups[static_cast<size_t>(r.age_group)];
            ++s.languages_by_area[r.unit_code.substr(0, 3)][static_cast<size_t>(r.language)];

            int category = r.score >= 9 ? 2 : r.score >= 7 ? 1 : 0;
            bool scales_expected = r.channel == Channel::kWeb || r.channel == Channel::kPaper;
            if (!scales_expected && !r.scales.empty()) Describe(s, r, "scales on an SMS answer");
            if (scales_expected) {
              ++s.with_scales;
              if (r.scales.size() != 2 || r.scales[0].question != "information" ||
                  r.scales[1].question != "treatment") {
                Describe(s, r, "web or paper answer without the information and treatment scales");
              }
              for (const ScaleAnswer& scale : r.scales) {
                if (scale.value < kMinScaleValue || scale.value > kMaxScaleValue) {
                  Describe(s, r, "scale value out of 1-5");
                }
                s.scale_sum[category] += scale.value;
                ++s.scale_count[category];
              }
            }

            if (!r.comment) continue;
            const std::string& text = *r.comment;
            ++s.comments;
            if (text.empty()) Describe(s, r, "empty comment");
            bool phone = ContainsPhoneNumber(text);
            bool email = ContainsEmail(text);
            bool code = ContainsIdentityCode(text);
            s.with_phone += phone;
            s.with_email += email;
            s.with_identity_code += code;
            s.with_personal_data += (phone || email || code);
            size_t language = static_cast<size_t>(r.language);
            if (language < 3 && s.distinct_comments[language].size() < 50000) {
              s.distinct_comments[language].insert(text);
            }
            bool but = ContainsAny(text, {", mutta ", ", men ", ", but "});
            if (category == 2) {
              ++s.promoter_comment_count;
              s.promoter_comments_with_but += but;
            } else if (category == 1) {
              ++s.passive_comment_count;
              s.passive_comments_with_but += but;
            }
            if (r.language == Language::kFi && !phone && !email && !code) {
              if (category == 2 && s.promoter_comments.size() < 20000)
                s.promoter_comments.insert(text);
              if (category == 0 && s.detractor_comments.size() < 20000)
                s.detractor_comments.insert(text);
            }
          }
          return Status::Ok();
        });
    return s;
  }();
  return stats;
}

std::vector<Response> Collect(const std::vector<Unit>& units, DemoOptions options,
                              size_t batch_size, std::vector<std::vector<Response>>* batches) {
  std::vector<Response> all;
  Status status = GenerateResponses(units, options, batch_size, [&](std::vector<Response>& batch) {
    if (batches != nullptr) batches->push_back(batch);
    all.insert(all.end(), batch.begin(), batch.end());
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return all;
}

double Share(int64_t part, int64_t whole) {
  return whole == 0 ? 0 : static_cast<double>(part) / static_cast<double>(whole);
}

// --- Units -------------------------------------------------------------------------------------

TEST(DemoUnits, SameSeedGivesTheSameTree) {
  EXPECT_EQ(GenerateUnits(1), GenerateUnits(1));
  EXPECT_EQ(GenerateUnits(42), GenerateUnits(42));
  EXPECT_NE(GenerateUnits(1), GenerateUnits(2));
}

TEST(DemoUnits, BuildsAFourLevelTreeOfAboutFourHundredUnits) {
  for (uint64_t seed : {1, 2, 3, 4, 5, 99}) {
    std::vector<Unit> units = GenerateUnits(seed);
    Result<OrgTree> tree = OrgTree::Build(units);
    ASSERT_TRUE(tree.ok()) << "seed " << seed << ": " << tree.status().ToString();
    EXPECT_GE(tree->size(), 350u) << seed;
    EXPECT_LE(tree->size(), 450u) << seed;
    std::array<int, 4> by_kind{};
    int max_depth = 0;
    for (UnitIndex i = 0; i < tree->size(); ++i) {
      ++by_kind[static_cast<size_t>(tree->unit(i).kind)];
      max_depth = std::max(max_depth, tree->depth(i));
      EXPECT_EQ(tree->depth(i), static_cast<int>(tree->unit(i).kind)) << tree->unit(i).code;
    }
    EXPECT_EQ(max_depth, 3);
    EXPECT_EQ(by_kind[0], 1);
    EXPECT_EQ(by_kind[1], 20);
    EXPECT_GE(by_kind[2], 50);
    EXPECT_GE(by_kind[3], 250);
  }
}

TEST(DemoUnits, CodesFollowTheDocumentedScheme) {
  const std::vector<Unit>& units = DefaultUnits();
  ASSERT_FALSE(units.empty());
  EXPECT_EQ(units[0].code, "HD");
  EXPECT_EQ(units[0].kind, UnitKind::kOrganisation);
  auto is_two_digits = [](std::string_view s) {
    return s.size() == 2 && IsDigit(s[0]) && IsDigit(s[1]);
  };
  for (const Unit& unit : units) {
    std::string_view code = unit.code;
    switch (unit.kind) {
      case UnitKind::kArea:
        EXPECT_TRUE(code.size() == 3 && code[0] == 'A' && is_two_digits(code.substr(1))) << code;
        EXPECT_EQ(unit.parent_code, "HD");
        break;
      case UnitKind::kCentre:
        EXPECT_TRUE(code.size() == 7 && code.substr(3, 2) == "-C" && is_two_digits(code.substr(5)))
            << code;
        EXPECT_EQ(unit.parent_code, code.substr(0, 3)) << code;
        break;
      case UnitKind::kUnit:
        EXPECT_TRUE(code.size() == 11 && code.substr(7, 2) == "-U" && is_two_digits(code.substr(9)))
            << code;
        EXPECT_EQ(unit.parent_code, code.substr(0, 7)) << code;
        break;
      default:
        EXPECT_EQ(code, "HD");
    }
  }
}

TEST(DemoUnits, EveryUnitHasDistinctNamesInThreeLanguages) {
  std::set<std::string> fi, sv, en;
  for (const Unit& unit : DefaultUnits()) {
    EXPECT_FALSE(unit.name_fi.empty()) << unit.code;
    EXPECT_FALSE(unit.name_sv.empty()) << unit.code;
    EXPECT_FALSE(unit.name_en.empty()) << unit.code;
    EXPECT_TRUE(fi.insert(unit.name_fi).second) << unit.name_fi;
    EXPECT_TRUE(sv.insert(unit.name_sv).second) << unit.name_sv;
    EXPECT_TRUE(en.insert(unit.name_en).second) << unit.name_en;
  }
}

TEST(DemoUnits, IncludesBilingualAreas) {
  std::set<std::string> swedish_area_names;
  for (const Unit& unit : DefaultUnits()) {
    if (unit.kind == UnitKind::kArea) swedish_area_names.insert(unit.name_sv);
  }
  for (std::string_view town : {"Borgå", "Raseborg", "Kyrkslätt", "Jakobstad"}) {
    EXPECT_TRUE(
        std::any_of(swedish_area_names.begin(), swedish_area_names.end(),
                    [&](const std::string& name) { return name.find(town) != std::string::npos; }))
        << town;
  }
}

TEST(DemoUnits, FourUnitsCloseAtTheEndOf2022AndNameSuccessorsOpenedIn2023) {
  for (uint64_t seed : {1, 2, 3}) {
    std::vector<Unit> units = GenerateUnits(seed);
    std::map<std::string, const Unit*> by_code;
    for (const Unit& unit : units) by_code[unit.code] = &unit;
    std::set<std::string> successors;
    int closed = 0, moved_to_another_centre = 0, same_centre = 0;
    for (const Unit& unit : units) {
      if (!unit.valid_to) continue;
      ++closed;
      EXPECT_EQ(unit.kind, UnitKind::kUnit);
      EXPECT_EQ(FormatLocalDate(*unit.valid_to), "2022-12-31") << unit.code;
      EXPECT_FALSE(unit.valid_from.has_value()) << unit.code;
      ASSERT_TRUE(by_code.count(unit.successor_code)) << unit.code;
      const Unit& successor = *by_code[unit.successor_code];
      successors.insert(successor.code);
      EXPECT_EQ(successor.kind, UnitKind::kUnit);
      ASSERT_TRUE(successor.valid_from.has_value()) << successor.code;
      EXPECT_EQ(FormatLocalDate(*successor.valid_from), "2023-01-01");
      EXPECT_FALSE(successor.valid_to.has_value());
      (successor.parent_code == unit.parent_code ? same_centre : moved_to_another_centre)++;
    }
    EXPECT_EQ(closed, 4) << seed;
    EXPECT_GE(same_centre, 1) << seed;
    EXPECT_GE(moved_to_another_centre, 1) << seed;
    for (const Unit& unit : units) {
      if (successors.count(unit.code) || unit.valid_to) continue;
      EXPECT_FALSE(unit.valid_from.has_value()) << unit.code;
      EXPECT_TRUE(unit.successor_code.empty()) << unit.code;
    }
  }
}

// --- Responses ---------------------------------------------------------------------------------

TEST(DemoResponses, EveryAnswerIsWellFormedAndGoesToAnOpenUnit) {
  const Stats& s = DefaultStats();
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  EXPECT_EQ(s.total, kDefaultResponses);
  for (const std::string& problem : s.problems) ADD_FAILURE() << problem;
}

TEST(DemoResponses, BatchesNeverExceedTheBatchSize) {
  const Stats& s = DefaultStats();
  EXPECT_EQ(s.max_batch, 4096u);
  EXPECT_EQ(s.batches, static_cast<size_t>((kDefaultResponses + 4095) / 4096));
  EXPECT_EQ(s.last_batch.size(), static_cast<size_t>(kDefaultResponses % 4096));

  std::vector<std::vector<Response>> batches;
  std::vector<Response> all = Collect(DefaultUnits(), {10000, 3}, 777, &batches);
  EXPECT_EQ(all.size(), 10000u);
  for (const auto& batch : batches) EXPECT_LE(batch.size(), 777u);
  EXPECT_EQ(batches.back().size(), 10000u % 777u);
}

TEST(DemoResponses, YearlyNpsFollowsThePublishedPath) {
  const Stats& s = DefaultStats();
  ASSERT_EQ(s.by_year.size(), kTargetNps.size());
  for (size_t i = 0; i < kTargetNps.size(); ++i) {
    int year = 2020 + static_cast<int>(i);
    ASSERT_TRUE(s.by_year.count(year)) << year;
    const NpsCounts& counts = s.by_year.at(year);
    EXPECT_NEAR(counts.Nps(), kTargetNps[i], 1.5) << year;
    // Roughly even volume over the years.
    EXPECT_GT(counts.answers, kDefaultResponses / 6 * 8 / 10) << year;
    EXPECT_LT(counts.answers, kDefaultResponses / 6 * 12 / 10) << year;
  }
}

TEST(DemoResponses, UnitsDifferPersistently) {
  const Stats& s = DefaultStats();
  double best = -100, worst = 100;
  for (const auto& [code, counts] : s.by_unit) {
    if (counts.answers < 3000) continue;
    best = std::max(best, counts.Nps());
    worst = std::min(worst, counts.Nps());
  }
  EXPECT_GT(best - worst, 15) << "best " << best << ", worst " << worst;
}

TEST(DemoResponses, UnitVolumesAreSkewed) {
  const Stats& s = DefaultStats();
  std::vector<int64_t> volumes;
  for (const auto& [code, counts] : s.by_unit) volumes.push_back(counts.answers);
  std::sort(volumes.begin(), volumes.end());
  ASSERT_GT(volumes.size(), 250u);
  int64_t median = volumes[volumes.size() / 2];
  EXPECT_GT(volumes.back(), 50 * median);
  EXPECT_GE(std::count_if(volumes.begin(), volumes.end(), [](int64_t v) { return v >= 10000; }), 3);
  // Fewer than ten a year: small enough that reports must suppress them.
  EXPECT_GE(std::count_if(volumes.begin(), volumes.end(), [](int64_t v) { return v < 60; }), 5);
}

TEST(DemoResponses, ClosedUnitsAndTheirSuccessorsBothGetAnswers) {
  const Stats& s = DefaultStats();
  int checked = 0;
  for (const Unit& unit : DefaultUnits()) {
    if (!unit.valid_to) continue;
    ++checked;
    EXPECT_GT(s.by_unit.count(unit.code) ? s.by_unit.at(unit.code).answers : 0, 0) << unit.code;
    EXPECT_GT(s.by_unit.count(unit.successor_code) ? s.by_unit.at(unit.successor_code).answers : 0,
              0)
        << unit.successor_code;
  }
  EXPECT_EQ(checked, 4);
}

TEST(DemoResponses, ChannelsLanguagesAndCommentsHaveTheirShares) {
  const Stats& s = DefaultStats();
  EXPECT_NEAR(Share(s.channels[0], s.total), 0.85, 0.02);
  EXPECT_NEAR(Share(s.channels[1], s.total), 0.12, 0.02);
  EXPECT_NEAR(Share(s.channels[2], s.total), 0.03, 0.01);
  EXPECT_EQ(s.channels[3], 0);
  EXPECT_NEAR(Share(s.languages[0], s.total), 0.85, 0.02);
  EXPECT_NEAR(Share(s.languages[1], s.total), 0.10, 0.02);
  EXPECT_NEAR(Share(s.languages[2], s.total), 0.05, 0.01);
  EXPECT_EQ(s.languages[3], 0);
  EXPECT_NEAR(Share(s.comments, s.total), 0.58, 0.02);
}

TEST(DemoResponses, SwedishIsCommonInBilingualAreas) {
  const Stats& s = DefaultStats();
  std::map<std::string, std::string> area_code_by_swedish_name;
  for (const Unit& unit : DefaultUnits()) {
    if (unit.kind == UnitKind::kArea) area_code_by_swedish_name[unit.name_sv] = unit.code;
  }
  auto swedish_share = [&](std::string_view town) {
    for (const auto& [name, code] : area_code_by_swedish_name) {
      if (name.find(town) == std::string::npos) continue;
      const auto& languages = s.languages_by_area.at(code);
      return Share(languages[1], languages[0] + languages[1] + languages[2]);
    }
    ADD_FAILURE() << "no area named after " << town;
    return 0.0;
  };
  EXPECT_GT(swedish_share("Raseborg"), 0.30);
  EXPECT_GT(swedish_share("Jakobstad"), 0.30);
  EXPECT_GT(swedish_share("Borgå"), 0.12);
  EXPECT_LT(swedish_share("Hyvinge"), 0.06);
  EXPECT_LT(swedish_share("Vanda"), 0.06);
}

TEST(DemoResponses, VisitTypesAndAgeGroupsArePlausible) {
  const Stats& s = DefaultStats();
  // Mostly outpatient; "other" is the rarest.
  EXPECT_GT(Share(s.visit_types[0], s.total), 0.5);
  for (size_t v = 1; v < s.visit_types.size(); ++v) {
    EXPECT_GT(s.visit_types[v], 0) << v;
    EXPECT_LT(s.visit_types[v], s.visit_types[0]) << v;
    if (v != 4) {
      EXPECT_GT(s.visit_types[v], s.visit_types[4]) << v;
    }
  }
  for (size_t a = 0; a < s.age_groups.size(); ++a) EXPECT_GT(s.age_groups[a], 0) << a;
  // Older patients answer more than young adults.
  EXPECT_GT(s.age_groups[4] + s.age_groups[5], 2 * s.age_groups[1]);
}

TEST(DemoResponses, JulyIsQuieter) {
  const Stats& s = DefaultStats();
  const double july_days = 6 * 31;
  const double other_days = LastDemoDay() - FirstDemoDay() + 1 - july_days;
  double july_per_day = static_cast<double>(s.by_month[7]) / july_days;
  double rest_per_day = static_cast<double>(s.total - s.by_month[7]) / other_days;
  EXPECT_LT(july_per_day, 0.75 * rest_per_day);
  EXPECT_GT(july_per_day, 0.3 * rest_per_day);
}

TEST(DemoResponses, SomeCommentsCarryPersonalDataForRedactionToCatch) {
  const Stats& s = DefaultStats();
  EXPECT_GT(s.with_phone, 100);
  EXPECT_GT(s.with_email, 100);
  EXPECT_GT(s.with_identity_code, 100);
  EXPECT_NEAR(Share(s.with_personal_data, s.comments), 0.01, 0.004);
}

TEST(DemoResponses, CommentsAreVariedAndFitTheScore) {
  const Stats& s = DefaultStats();
  EXPECT_GT(s.distinct_comments[0].size(), 5000u);
  EXPECT_GT(s.distinct_comments[1].size(), 1000u);
  EXPECT_GT(s.distinct_comments[2].size(), 500u);
  // Praise and complaint are different texts.
  int64_t shared = 0;
  for (const std::string& text : s.detractor_comments) shared += s.promoter_comments.count(text);
  EXPECT_LT(shared, static_cast<int64_t>(s.detractor_comments.size() / 100));
  // "Good, but ..." is the passive's sentence, not the promoter's.
  EXPECT_LT(Share(s.promoter_comments_with_but, s.promoter_comment_count), 0.01);
  EXPECT_GT(Share(s.passive_comments_with_but, s.passive_comment_count), 0.3);
}

TEST(DemoResponses, ScaleAnswersFollowTheScore) {
  const Stats& s = DefaultStats();
  EXPECT_NEAR(Share(s.with_scales, s.total), 0.15, 0.02);
  std::array<double, 3> mean{};
  for (size_t c = 0; c < 3; ++c) {
    ASSERT_GT(s.scale_count[c], 0) << c;
    mean[c] = s.scale_sum[c] / static_cast<double>(s.scale_count[c]);
  }
  EXPECT_LT(mean[0] + 0.5, mean[1]);
  EXPECT_LT(mean[1] + 0.3, mean[2]);
}

TEST(DemoResponses, SameSeedGivesTheSameAnswers) {
  const Stats& s = DefaultStats();
  std::vector<Response> first, last;
  size_t batches = 0;
  Status status = GenerateResponses(DefaultUnits(), DemoOptions{kDefaultResponses, 1}, 4096,
                                    [&](std::vector<Response>& batch) {
                                      if (++batches == 1) first = batch;
                                      last = std::move(batch);
                                      return Status::Ok();
                                    });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(first, s.first_batch);
  EXPECT_EQ(last, s.last_batch);
}

TEST(DemoResponses, DifferentSeedGivesDifferentAnswers) {
  std::vector<Response> a = Collect(DefaultUnits(), {5000, 1}, 1000, nullptr);
  std::vector<Response> b = Collect(DefaultUnits(), {5000, 2}, 1000, nullptr);
  ASSERT_EQ(a.size(), b.size());
  size_t differing_units = 0, differing_scores = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    differing_units += a[i].unit_code != b[i].unit_code;
    differing_scores += a[i].score != b[i].score;
  }
  EXPECT_GT(differing_units, a.size() / 2);
  EXPECT_GT(differing_scores, a.size() / 10);
}

TEST(DemoResponses, OutputDoesNotDependOnTheBatchSize) {
  EXPECT_EQ(Collect(DefaultUnits(), {3000, 5}, 1, nullptr),
            Collect(DefaultUnits(), {3000, 5}, 1024, nullptr));
}

TEST(DemoResponses, SinkMayMoveFromOrModifyTheBatch) {
  std::vector<Response> reference = Collect(DefaultUnits(), {2500, 9}, 100, nullptr);
  std::vector<Response> kept;
  int calls = 0;
  Status status =
      GenerateResponses(DefaultUnits(), {2500, 9}, 100, [&](std::vector<Response>& batch) {
        kept.insert(kept.end(), batch.begin(), batch.end());
        if (++calls % 2 == 0) {
          std::vector<Response> taken = std::move(batch);
        } else {
          for (Response& r : batch) r.comment = "scribbled";
          batch.resize(batch.size() + 3);
        }
        return Status::Ok();
      });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(kept, reference);
}

TEST(DemoResponses, FailingSinkStopsGenerationAndItsStatusIsReturned) {
  int calls = 0;
  Status status = GenerateResponses(DefaultUnits(), {100000, 1}, 1000, [&](std::vector<Response>&) {
    return ++calls == 3 ? UnavailableError("disk full") : Status::Ok();
  });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "disk full");
}

TEST(DemoResponses, RejectsUnusableArguments) {
  auto sink = [](std::vector<Response>&) { return Status::Ok(); };
  EXPECT_EQ(GenerateResponses(DefaultUnits(), {-1, 1}, 10, sink).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(GenerateResponses(DefaultUnits(), {10, 1}, 0, sink).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(GenerateResponses({}, {10, 1}, 10, sink).code(), StatusCode::kInvalidArgument);
  std::vector<Unit> only_root = {DefaultUnits()[0]};
  EXPECT_EQ(GenerateResponses(only_root, {10, 1}, 10, sink).code(), StatusCode::kInvalidArgument);
}

TEST(DemoResponses, ZeroAnswersCallsNoSink) {
  int calls = 0;
  Status status = GenerateResponses(DefaultUnits(), {0, 1}, 10, [&](std::vector<Response>&) {
    ++calls;
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(calls, 0);
}

TEST(DemoResponses, WorksWithAnyOrganisationTree) {
  auto unit = [](std::string code, std::string parent, UnitKind kind, std::string name) {
    Unit u;
    u.code = std::move(code);
    u.parent_code = std::move(parent);
    u.kind = kind;
    u.name_fi = std::move(name);
    return u;
  };
  std::vector<Unit> units = {
      unit("X", "", UnitKind::kOrganisation, "Testipiiri"),
      unit("X1", "X", UnitKind::kCentre, "Testisairaala"),
      unit("X1a", "X1", UnitKind::kUnit, "Testisairaala, päivystys"),
      unit("X1b", "X1", UnitKind::kUnit, "Testisairaala, kirurginen osasto"),
  };
  units[3].valid_from = FromCivilDate(2024, 3, 1);
  std::vector<Response> all = Collect(units, {20000, 4}, 5000, nullptr);
  ASSERT_EQ(all.size(), 20000u);
  std::map<std::string, int64_t> by_unit;
  std::array<int64_t, 5> visits{};
  for (const Response& r : all) {
    ++by_unit[r.unit_code];
    ++visits[static_cast<size_t>(r.visit_type)];
    if (r.unit_code == "X1b") {
      EXPECT_GE(HelsinkiCalendar::Get().DayOf(r.answered_at), FromCivilDate(2024, 3, 1));
    }
  }
  EXPECT_GT(by_unit["X1a"], 0);
  EXPECT_GT(by_unit["X1b"], 0);
  EXPECT_EQ(by_unit.size(), 2u);
  EXPECT_GT(visits[static_cast<size_t>(VisitType::kEmergency)], 0);
  EXPECT_GT(visits[static_cast<size_t>(VisitType::kInpatient)], 0);
}

}  // namespace
}  // namespace mittari::demo
