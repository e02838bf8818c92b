// GenerateResponses: how the demo answers are made.
//
// Volume. Each open unit has a weight; a day's expected number of answers is the sum of its
// open units' weights (times a weekend factor for units that are quiet at weekends) times a
// seasonal factor (the July holiday dip, Christmas, spring 2020) and a little day-to-day noise.
// The N answers are shared out over the days by cumulative rounding, so their total is exactly
// N, and each answer's unit is drawn in proportion to the weights of the units open that day.
// Weights are log-normal quantiles handed out by a noisy rank (emergency departments and big
// clinics tend to rank high), which guarantees both giants and tiny units for every seed.
//
// Scores. An answer's expected NPS is the year's target plus its unit's persistent offset
// (and slow trend), its visit type's and its age group's offsets, minus the year's mean of all
// those offsets over the answers that year will actually have. The score distribution is
// linear in the expected NPS t (detractors (1-t)/4, passives (1-t)/2, promoters the rest), so
// subtracting the mean puts every year's expected district NPS exactly on the target while
// units keep their differences.

#include "demo/demo.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <numeric>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "demo/comments.h"
#include "demo/profile.h"
#include "demo/random.h"

namespace mittari::demo {
namespace {

using internal::Cumulative;
using internal::Rng;
using internal::SampleCumulative;

constexpr uint64_t kUnitModelStream = 2;
constexpr uint64_t kDayStream = 3;
constexpr uint64_t kRowStream = 4;

// The district's published yearly NPS, 2020..2025.
constexpr int kFirstYear = 2020;
constexpr std::array<double, 6> kYearlyNps = {64, 70, 75, 79, 80, 80};
// How visit types (outpatient, inpatient, emergency, remote, other) and age groups (0-17 ...
// 75+, unknown) shift a score, in NPS points: emergency visits and young adults are harder to
// please, inpatients and older patients easier.
constexpr std::array<double, EnumCount<VisitType>()> kVisitNpsOffset = {1, 3, -10, -3, 0};
constexpr std::array<double, EnumCount<AgeGroup>()> kAgeNpsOffset = {2, -7, -4, 0, 3, 2, -1};
// Unit offsets stay inside this range so that no answer's expected NPS leaves the range in
// which the score model is linear; the mean correction would otherwise be biased.
constexpr double kUnitOffsetSd = 6;
constexpr double kMinUnitOffset = -20;
constexpr double kMaxUnitOffset = 8;
constexpr double kUnitTrendSd = 0.6;  // NPS points per year
constexpr double kMaxUnitTrend = 1;
constexpr double kSuccessorGain = 4;  // reorganised units do a little better

// Log-normal spread of unit volumes: the busiest of ~300 units gets about 100 times the median.
constexpr double kVolumeSigma = 1.6;
constexpr double kRankNoise = 0.8;  // how loosely volume follows the kind of unit

constexpr std::array<double, 4> kChannelCumulative = {0.85, 0.97, 1.0, 1.0};  // sms, web, paper
constexpr double kSwedishShare = 0.10;
constexpr double kEnglishShare = 0.05;
constexpr double kMaxSwedishShare = 0.75;
constexpr double kCommentShare = 0.58;
// Relative readiness to comment: unhappy patients write more often.
constexpr double kPromoterCommentFactor = 0.92;
constexpr double kPassiveCommentFactor = 1.10;
constexpr double kDetractorCommentFactor = 1.45;

// Scores within each NPS category, as real surveys show them: 10 beats 9, 8 beats 7, and
// detractors cluster at 5-6 with a second bump at 0.
constexpr auto kDetractorScores = Cumulative<7>({0.16, 0.05, 0.06, 0.09, 0.12, 0.22, 0.30});
constexpr double kSevenShareOfPassives = 0.40;
constexpr double kNineShareOfPromoters = 0.30;

// Answers arrive from 08:00 to 21:30 local time: SMS surveys go out after the visit, with
// peaks late in the morning and after the working day.
constexpr int kFirstSlotSeconds = 8 * 3600;
constexpr int kSlotSeconds = 1800;
constexpr auto kSlotCumulative =
    Cumulative<27>({0.5, 0.7, 0.9, 1.1, 1.2, 1.3, 1.3, 1.2, 1.1, 1.1, 1.0, 1.0, 1.0, 1.0,
                    1.1, 1.2, 1.3, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4});

constexpr std::array<double, 12> kMonthFactor = {1.0,  1.02, 1.05, 1.0,  1.0,  0.85,
                                                 0.55, 0.9,  1.05, 1.05, 1.05, 0.9};
constexpr std::array<double, 6> kYearFactor = {0.92, 0.97, 1.0, 1.02, 1.04, 1.05};

// Places where Swedish is common, and how many times the district's base rate of Swedish
// answers they see (before the cap). Matched against the Finnish and Swedish names of a unit
// and its ancestors; the Finnish stems also match inflected forms ("Porvoon").
struct SwedishPlace {
  std::string_view needle;
  double factor;
};
constexpr SwedishPlace kSwedishPlaces[] = {
    {"Raseborg", 14},  {"Raasepor", 14},     {"Ekenäs", 14},  {"Karis", 14},
    {"Jakobstad", 12}, {"Pietarsaar", 12},   {"Larsmo", 18},  {"Pedersöre", 18},
    {"Nykarleby", 16}, {"Kronoby", 16},      {"Närpes", 18},  {"Korsholm", 14},
    {"Pargas", 12},    {"Kimitoön", 14},     {"Ingå", 12},    {"Inkoo", 12},
    {"Lovisa", 8},     {"Loviis", 8},        {"Hangö", 8},    {"Hango", 8},
    {"Hanko", 8},      {"Sibbo", 7},         {"Sipoo", 7},    {"Grankulla", 7},
    {"Kauniai", 7},    {"Borgå", 6},         {"Porvo", 6},    {"Kyrkslätt", 4},
    {"Kirkkonumm", 4}, {"Helsingfors", 1.5}, {"Helsin", 1.5}, {"Esbo", 1.5},
    {"Espo", 1.5},
};

struct UnitModel {
  const Unit* unit = nullptr;
  internal::UnitProfile profile;
  LocalDay open_from = 0;  // clamped to the demo period
  LocalDay open_to = 0;
  double weight = 0;
  double weekend_factor = 1;
  double nps_offset = 0;
  double nps_trend = 0;
  double expected_offset = 0;  // nps_offset plus the expected visit and age offsets
  double swedishness = 1;
  std::array<double, EnumCount<VisitType>()> visit_cumulative{};
  std::array<double, EnumCount<AgeGroup>()> age_cumulative{};
  std::array<double, 3> language_cumulative{};  // fi, sv, en
};

// The units open on a set of days of one kind (weekday or weekend), with cumulative weights.
struct DayTable {
  std::vector<uint32_t> units;
  std::vector<double> cumulative;
  double total = 0;
  double mean_offset = 0;  // volume-weighted expected_offset
  double mean_trend = 0;
};

struct Plan {
  std::vector<UnitModel> units;
  std::vector<DayTable> tables;       // two per segment: weekday, weekend
  std::vector<uint32_t> day_table;    // per day from FirstDemoDay()
  std::vector<int64_t> day_count;     // answers per day
  std::array<double, 6> year_base{};  // target minus the year's mean offset
};

// Approximate inverse of the standard normal CDF (Abramowitz and Stegun 26.2.23, error below
// 5e-4), plenty for spreading unit volumes.
double NormalQuantile(double p) {
  auto tail = [](double q) {
    double t = std::sqrt(-2.0 * std::log(q));
    return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                   (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  };
  return p < 0.5 ? -tail(p) : tail(1.0 - p);
}

bool IsWeekendOrHoliday(LocalDay day) {
  int weekday = (day + 3) % 7;  // 1970-01-01 was a Thursday; Monday is 0
  if (weekday >= 5) return true;
  CivilDate date = ToCivilDate(day);
  int md = date.month * 100 + date.day;
  return md == 101 || md == 106 || md == 501 || md == 1206 || md == 1224 || md == 1225 ||
         md == 1226;
}

double SeasonFactor(LocalDay day) {
  CivilDate date = ToCivilDate(day);
  double factor = kMonthFactor[date.month - 1] * kYearFactor[date.year - kFirstYear];
  if (date.year == 2020 &&
      (date.month == 4 || date.month == 5 || (date.month == 3 && date.day >= 16))) {
    factor *= 0.7;  // the first COVID-19 spring: non-urgent care was postponed
  }
  if (date.month == 12 && date.day >= 27) factor *= 0.7;
  return factor;
}

double Clamp(double x, double lo, double hi) { return std::min(std::max(x, lo), hi); }

double SwedishnessOf(const Unit& unit,
                     const std::unordered_map<std::string_view, const Unit*>& by_code) {
  double best = 1;
  const Unit* current = &unit;
  for (int depth = 0; current != nullptr && depth < 16; ++depth) {
    for (const SwedishPlace& place : kSwedishPlaces) {
      if (current->name_fi.find(place.needle) != std::string::npos ||
          current->name_sv.find(place.needle) != std::string::npos) {
        best = std::max(best, place.factor);
      }
    }
    auto parent = by_code.find(current->parent_code);
    current = parent == by_code.end() ? nullptr : parent->second;
  }
  return best;
}

Result<Plan> BuildPlan(const std::vector<Unit>& units, const DemoOptions& options) {
  const LocalDay first_day = FirstDemoDay();
  const LocalDay last_day = LastDemoDay();
  const size_t day_count = static_cast<size_t>(last_day - first_day + 1);

  std::unordered_map<std::string_view, const Unit*> by_code;
  for (const Unit& unit : units) by_code.emplace(unit.code, &unit);

  Plan plan;
  for (const Unit& unit : units) {
    if (unit.kind != UnitKind::kUnit) continue;
    UnitModel model;
    model.unit = &unit;
    model.open_from = std::max(first_day, unit.valid_from.value_or(first_day));
    model.open_to = std::min(last_day, unit.valid_to.value_or(last_day));
    if (model.open_from > model.open_to) continue;
    model.profile = internal::ProfileOf(unit);
    model.swedishness = SwedishnessOf(unit, by_code);
    plan.units.push_back(model);
  }
  if (plan.units.empty()) {
    return InvalidArgumentError(
        "the organisation tree has no unit of kind 'unit' that is open between 2020-01-01 and "
        "2025-12-31, so there is nothing to give demo answers to");
  }
  if (plan.units.size() > UINT32_MAX) return InvalidArgumentError("too many units");

  // Volumes, offsets and mixes of each unit.
  Rng unit_rng(internal::StreamSeed(options.seed, kUnitModelStream));
  std::vector<std::pair<double, uint32_t>> rank_keys;
  for (uint32_t i = 0; i < plan.units.size(); ++i) {
    UnitModel& model = plan.units[i];
    const internal::VisitClassTraits& traits = internal::TraitsOf(model.profile.visit);
    rank_keys.emplace_back(std::log(traits.volume) + kRankNoise * unit_rng.Normal(), i);
    model.weekend_factor = traits.weekend_factor;
    model.nps_offset = Clamp(kUnitOffsetSd * unit_rng.Normal(), kMinUnitOffset, kMaxUnitOffset);
    model.nps_trend = Clamp(kUnitTrendSd * unit_rng.Normal(), -kMaxUnitTrend, kMaxUnitTrend);
    model.visit_cumulative = Cumulative(traits.visit_type_weights);
    model.age_cumulative = Cumulative(internal::AgeWeightsOf(model.profile.patients));
  }
  std::sort(rank_keys.begin(), rank_keys.end());
  for (size_t rank = 0; rank < rank_keys.size(); ++rank) {
    double p = (static_cast<double>(rank) + 0.5) / static_cast<double>(rank_keys.size());
    plan.units[rank_keys[rank].second].weight = std::exp(kVolumeSigma * NormalQuantile(p));
  }
  // A unit that takes over from closed ones inherits their patients and a little of their
  // reputation, so that trends across the reorganisation stay believable.
  std::unordered_map<std::string_view, uint32_t> model_of;
  for (uint32_t i = 0; i < plan.units.size(); ++i) model_of.emplace(plan.units[i].unit->code, i);
  std::vector<double> inherited_weight(plan.units.size(), 0);
  std::vector<double> inherited_offset(plan.units.size(), 0);
  std::vector<int> predecessors(plan.units.size(), 0);
  for (const UnitModel& model : plan.units) {
    auto successor = model_of.find(model.unit->successor_code);
    if (successor == model_of.end()) continue;
    inherited_weight[successor->second] += model.weight;
    inherited_offset[successor->second] += model.nps_offset;
    ++predecessors[successor->second];
  }
  for (size_t i = 0; i < plan.units.size(); ++i) {
    if (predecessors[i] == 0) continue;
    plan.units[i].weight = 1.1 * inherited_weight[i];
    plan.units[i].nps_offset = Clamp(inherited_offset[i] / predecessors[i] + kSuccessorGain,
                                     kMinUnitOffset, kMaxUnitOffset);
  }
  for (UnitModel& model : plan.units) {
    const auto& visit_weights = internal::TraitsOf(model.profile.visit).visit_type_weights;
    const auto& age_weights = internal::AgeWeightsOf(model.profile.patients);
    double visit_sum = std::accumulate(visit_weights.begin(), visit_weights.end(), 0.0);
    double age_sum = std::accumulate(age_weights.begin(), age_weights.end(), 0.0);
    double expected = model.nps_offset;
    for (size_t v = 0; v < visit_weights.size(); ++v) {
      expected += visit_weights[v] / visit_sum * kVisitNpsOffset[v];
    }
    for (size_t a = 0; a < age_weights.size(); ++a) {
      expected += age_weights[a] / age_sum * kAgeNpsOffset[a];
    }
    model.expected_offset = expected;
  }

  // Segments: runs of days during which the same units are open.
  std::vector<LocalDay> boundaries = {first_day};
  for (const UnitModel& model : plan.units) {
    if (model.open_from > first_day) boundaries.push_back(model.open_from);
    if (model.open_to < last_day) boundaries.push_back(model.open_to + 1);
  }
  std::sort(boundaries.begin(), boundaries.end());
  boundaries.erase(std::unique(boundaries.begin(), boundaries.end()), boundaries.end());
  for (LocalDay segment_start : boundaries) {
    for (bool weekend : {false, true}) {
      DayTable table;
      double running = 0;
      for (uint32_t i = 0; i < plan.units.size(); ++i) {
        const UnitModel& model = plan.units[i];
        if (model.open_from > segment_start || model.open_to < segment_start) continue;
        double w = model.weight * (weekend ? model.weekend_factor : 1.0);
        running += w;
        table.units.push_back(i);
        table.cumulative.push_back(running);
        table.mean_offset += w * model.expected_offset;
        table.mean_trend += w * model.nps_trend;
      }
      table.total = running;
      if (running > 0) {
        table.mean_offset /= running;
        table.mean_trend /= running;
      }
      plan.tables.push_back(std::move(table));
    }
  }

  // Answers per day.
  Rng day_rng(internal::StreamSeed(options.seed, kDayStream));
  std::vector<double> day_weight(day_count);
  double total_weight = 0;
  plan.day_table.resize(day_count);
  for (size_t i = 0; i < day_count; ++i) {
    LocalDay day = first_day + static_cast<LocalDay>(i);
    size_t segment = static_cast<size_t>(
        std::upper_bound(boundaries.begin(), boundaries.end(), day) - boundaries.begin() - 1);
    plan.day_table[i] = static_cast<uint32_t>(2 * segment + (IsWeekendOrHoliday(day) ? 1 : 0));
    double noise = 0.9 + 0.2 * day_rng.Uniform();
    day_weight[i] = plan.tables[plan.day_table[i]].total * SeasonFactor(day) * noise;
    total_weight += day_weight[i];
  }
  if (!(total_weight > 0)) {
    return InvalidArgumentError("no unit is open on any day between 2020-01-01 and 2025-12-31");
  }
  plan.day_count.resize(day_count);
  const double n = static_cast<double>(options.responses);
  double running_weight = 0;
  int64_t assigned = 0;
  size_t last_open_day = 0;
  for (size_t i = 0; i < day_count; ++i) {
    running_weight += day_weight[i];
    if (day_weight[i] > 0) last_open_day = i;
    auto until = static_cast<int64_t>(std::floor(n * running_weight / total_weight + 0.5));
    until = std::clamp(until, assigned, options.responses);
    plan.day_count[i] = until - assigned;
    assigned = until;
  }
  // Rounding can leave an answer or two over; they go to the last day anyone can answer on.
  plan.day_count[last_open_day] += options.responses - assigned;

  // Each year's mean offset over the answers it will have, and the language mix.
  std::array<double, 6> offset_sum{};
  std::array<double, 6> year_answers{};
  std::vector<double> table_answers(plan.tables.size(), 0);
  for (size_t i = 0; i < day_count; ++i) {
    int year = ToCivilDate(first_day + static_cast<LocalDay>(i)).year - kFirstYear;
    const DayTable& table = plan.tables[plan.day_table[i]];
    double count = static_cast<double>(plan.day_count[i]);
    offset_sum[year] +=
        count * (table.mean_offset + table.mean_trend * (year + kFirstYear - 2022.5));
    year_answers[year] += count;
    table_answers[plan.day_table[i]] += count;
  }
  for (size_t y = 0; y < kYearlyNps.size(); ++y) {
    plan.year_base[y] = kYearlyNps[y] - (year_answers[y] > 0 ? offset_sum[y] / year_answers[y] : 0);
  }
  std::vector<double> expected_answers(plan.units.size(), 0);
  for (size_t t = 0; t < plan.tables.size(); ++t) {
    const DayTable& table = plan.tables[t];
    if (table.total <= 0) continue;
    for (size_t k = 0; k < table.units.size(); ++k) {
      double w = table.cumulative[k] - (k == 0 ? 0 : table.cumulative[k - 1]);
      expected_answers[table.units[k]] += table_answers[t] * w / table.total;
    }
  }
  // Find the base rate at which Swedish is exactly kSwedishShare of the expected answers.
  auto swedish_share = [&](double rate) {
    double swedish = 0, all = 0;
    for (size_t i = 0; i < plan.units.size(); ++i) {
      swedish += expected_answers[i] * std::min(kMaxSwedishShare, rate * plan.units[i].swedishness);
      all += expected_answers[i];
    }
    return all > 0 ? swedish / all : kSwedishShare;
  };
  double lo = 0, hi = kMaxSwedishShare;
  for (int iteration = 0; iteration < 60; ++iteration) {
    double mid = (lo + hi) / 2;
    (swedish_share(mid) < kSwedishShare ? lo : hi) = mid;
  }
  for (UnitModel& model : plan.units) {
    double swedish = std::min(kMaxSwedishShare, hi * model.swedishness);
    double finnish = 1.0 - swedish - kEnglishShare;
    model.language_cumulative = {finnish, finnish + swedish, 1.0};
  }
  return plan;
}

// Writes one answer into `row`, overwriting every field so that a row left over from an
// earlier batch can be reused without reallocating its strings.
class RowWriter {
 public:
  explicit RowWriter(uint64_t seed) : rng_(internal::StreamSeed(seed, kRowStream)) {}

  void Write(const UnitModel& model, int64_t number, UnixSeconds answered_at, double year_base,
             double years_from_middle, Response& row) {
    row.source.assign("demo");
    char digits[24];
    auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), number);
    (void)ec;  // 24 characters always hold an int64_t
    row.external_id.assign("demo-");
    row.external_id.append(digits, end);
    row.survey = SurveyKind::kPatient;
    row.unit_code.assign(model.unit->code);
    row.answered_at = answered_at;

    row.channel = static_cast<Channel>(SampleCumulative(kChannelCumulative, rng_.Uniform()));
    row.language =
        static_cast<Language>(SampleCumulative(model.language_cumulative, rng_.Uniform()));
    size_t visit = SampleCumulative(model.visit_cumulative, rng_.Uniform());
    size_t age = SampleCumulative(model.age_cumulative, rng_.Uniform());
    row.visit_type = static_cast<VisitType>(visit);
    row.age_group = static_cast<AgeGroup>(age);

    double nps = year_base + model.nps_offset + model.nps_trend * years_from_middle +
                 kVisitNpsOffset[visit] + kAgeNpsOffset[age];
    double t = Clamp(nps / 100.0, -1.0 / 3.0, 1.0);
    double detractors = (1 - t) / 4;
    double passives = (1 - t) / 2;
    double promoters = 1 - detractors - passives;
    double u = rng_.Uniform();
    double comment_factor;
    if (u < detractors) {
      row.score = static_cast<int8_t>(SampleCumulative(kDetractorScores, rng_.Uniform()));
      comment_factor = kDetractorCommentFactor;
    } else if (u < detractors + passives) {
      row.score = static_cast<int8_t>(rng_.Chance(kSevenShareOfPassives) ? 7 : 8);
      comment_factor = kPassiveCommentFactor;
    } else {
      row.score = static_cast<int8_t>(rng_.Chance(kNineShareOfPromoters) ? 9 : 10);
      comment_factor = kPromoterCommentFactor;
    }

    // Scaling by the row's own category mix keeps the comment share at kCommentShare in every
    // year, however the NPS moves.
    double mean_factor = promoters * kPromoterCommentFactor + passives * kPassiveCommentFactor +
                         detractors * kDetractorCommentFactor;
    if (rng_.Chance(kCommentShare * comment_factor / mean_factor)) {
      if (!row.comment) row.comment.emplace();
      internal::WriteComment(rng_, row.language, row.score, model.profile.staff,
                             model.profile.visit == internal::VisitClass::kEmergency, *row.comment);
    } else {
      row.comment.reset();
    }

    // SMS surveys ask only the recommendation question; web and paper forms add two scales.
    if (row.channel == Channel::kWeb || row.channel == Channel::kPaper) {
      row.scales.resize(2);
      row.scales[0].question.assign("information");
      row.scales[0].value = ScaleValue(row.score);
      row.scales[1].question.assign("treatment");
      row.scales[1].value = ScaleValue(row.score);
    } else {
      row.scales.clear();
    }
  }

  // Returns a uniform draw in [0, 1) from the row stream.
  double Uniform() { return rng_.Uniform(); }

  // Returns an answer time of day, in seconds after local midnight.
  int32_t TimeOfDay() {
    size_t slot = SampleCumulative(kSlotCumulative, rng_.Uniform());
    return kFirstSlotSeconds + static_cast<int32_t>(slot) * kSlotSeconds +
           static_cast<int32_t>(rng_.Below(kSlotSeconds));
  }

 private:
  // A 1-5 answer that follows the 0-10 score with some disagreement either way.
  int8_t ScaleValue(int score) {
    double noise = 1.1 * (rng_.Uniform() + rng_.Uniform() - 1.0);
    double value = std::floor(1.0 + 0.4 * score + noise + 0.5);
    return static_cast<int8_t>(Clamp(value, kMinScaleValue, kMaxScaleValue));
  }

  Rng rng_;
};

}  // namespace

Status GenerateResponses(const std::vector<Unit>& units, const DemoOptions& options,
                         size_t batch_size,
                         const std::function<Status(std::vector<Response>& batch)>& sink) {
  if (options.responses < 0) {
    return InvalidArgumentError(
        fmt::format("the number of demo answers must not be negative (got {})", options.responses));
  }
  if (batch_size == 0) return InvalidArgumentError("the demo batch size must be at least 1");
  if (!sink) return InvalidArgumentError("no sink to deliver the demo answers to");
  ASSIGN_OR_RETURN(Plan plan, BuildPlan(units, options));

  const HelsinkiCalendar& calendar = HelsinkiCalendar::Get();
  RowWriter writer(options.seed);
  std::vector<Response> batch;
  batch.reserve(std::min({batch_size, static_cast<size_t>(options.responses), size_t{1} << 16}));
  size_t filled = 0;
  auto deliver = [&]() -> Status {
    batch.resize(filled);  // a sink may have grown or emptied the vector last time
    Status status = sink(batch);
    filled = 0;
    return status;
  };

  std::vector<int32_t> times;
  int64_t number = 0;
  const LocalDay first_day = FirstDemoDay();
  for (size_t i = 0; i < plan.day_count.size(); ++i) {
    int64_t count = plan.day_count[i];
    if (count == 0) continue;
    LocalDay day = first_day + static_cast<LocalDay>(i);
    int year = ToCivilDate(day).year;
    double year_base = plan.year_base[static_cast<size_t>(year - kFirstYear)];
    double years_from_middle = year - 2022.5;
    // Clocks change at night, so one offset correction holds for all of a day's answer times.
    UnixSeconds midnight = calendar.StartOfDay(day);
    UnixSeconds shift =
        calendar.UtcOffsetAt(midnight) - calendar.UtcOffsetAt(midnight + kFirstSlotSeconds);
    const DayTable& table = plan.tables[plan.day_table[i]];

    times.resize(static_cast<size_t>(count));
    for (int32_t& time : times) time = writer.TimeOfDay();
    std::sort(times.begin(), times.end());
    for (int32_t time : times) {
      // The unit is drawn from the writer's stream too, so a seed fixes the whole sequence.
      double x = writer.Uniform() * table.total;
      size_t k = static_cast<size_t>(
          std::upper_bound(table.cumulative.begin(), table.cumulative.end(), x) -
          table.cumulative.begin());
      k = std::min(k, table.units.size() - 1);
      if (filled == batch.size()) batch.emplace_back();
      writer.Write(plan.units[table.units[k]], ++number, midnight + time + shift, year_base,
                   years_from_middle, batch[filled]);
      ++filled;
      if (filled == batch_size) RETURN_IF_ERROR(deliver());
    }
  }
  if (filled > 0) RETURN_IF_ERROR(deliver());
  return Status::Ok();
}

}  // namespace mittari::demo
