// The demo district's staff survey: one round each October 2023–2025, answered by a part of
// every unit's staff, with an eNPS that improves from year to year (the strategy's "most
// desirable workplace") and a 1–5 question "I am satisfied with my manager".
#include <fmt/format.h>

#include <cmath>

#include "demo/demo.h"
#include "demo/random.h"

namespace mittari::demo {
namespace {

// eNPS targets per survey year: promoters and detractors shares (passives the rest).
struct StaffYear {
  int year;
  double promoters;
  double detractors;
  double manager_top2;  // share answering 4–5 to "satisfied with my manager"
};
constexpr StaffYear kStaffYears[] = {{2023, 0.34, 0.27, 0.66}, {2024, 0.37, 0.24, 0.70}, {2025, 0.40, 0.22, 0.73}};

}  // namespace

Status GenerateEmployeeAnswers(const std::vector<Unit>& units, uint64_t seed, size_t batch_size,
                               const std::function<Status(std::vector<Response>& batch)>& sink) {
  internal::Rng rng(internal::StreamSeed(seed, 0x5ea7f0));
  const HelsinkiCalendar& calendar = HelsinkiCalendar::Get();
  std::vector<Response> batch;
  int64_t serial = 0;
  for (const StaffYear& year : kStaffYears) {
    const LocalDay survey_day = *ParseLocalDate(fmt::format("{}-10-15", year.year));
    for (const Unit& unit : units) {
      if (unit.kind != UnitKind::kUnit) continue;
      if (unit.valid_from && *unit.valid_from > survey_day) continue;
      if (unit.valid_to && *unit.valid_to < survey_day) continue;
      // Units differ: some teams are clearly happier than others, year after year.
      const double unit_shift = (static_cast<double>(std::hash<std::string>{}(unit.code) % 1000) / 1000.0 - 0.5) * 0.16;
      const int respondents = 6 + static_cast<int>(rng.Next() % 15);
      for (int i = 0; i < respondents; ++i) {
        Response r;
        r.source = "demo-staff";
        r.external_id = fmt::format("{}-{}", year.year, ++serial);
        r.survey = SurveyKind::kEmployee;
        r.unit_code = unit.code;
        r.answered_at = calendar.StartOfDay(survey_day) + 8 * 3600 + static_cast<UnixSeconds>(rng.Next() % (10 * 3600));
        r.channel = Channel::kWeb;
        const double language = rng.Uniform();
        r.language = language < 0.91 ? Language::kFi : language < 0.97 ? Language::kSv : Language::kEn;
        r.visit_type = VisitType::kOther;
        static constexpr AgeGroup kAges[] = {AgeGroup::k18To29, AgeGroup::k30To44, AgeGroup::k45To64, AgeGroup::k65To74};
        r.age_group = kAges[rng.Next() % 3 + (rng.Next() % 50 == 0 ? 1 : 0)];
        const double u = rng.Uniform();
        const double promoters = std::clamp(year.promoters + unit_shift, 0.05, 0.9);
        const double detractors = std::clamp(year.detractors - unit_shift, 0.05, 0.9);
        if (u < promoters) {
          r.score = static_cast<int8_t>(9 + rng.Next() % 2);
        } else if (u < promoters + detractors) {
          r.score = static_cast<int8_t>(rng.Next() % 7);
        } else {
          r.score = static_cast<int8_t>(7 + rng.Next() % 2);
        }
        const bool satisfied = rng.Uniform() < std::clamp(year.manager_top2 + unit_shift, 0.1, 0.95);
        r.scales.push_back(ScaleAnswer{"manager", static_cast<int8_t>(satisfied ? 4 + rng.Next() % 2 : 1 + rng.Next() % 3)});
        batch.push_back(std::move(r));
        if (batch.size() >= batch_size) {
          RETURN_IF_ERROR(sink(batch));
          batch.clear();
        }
      }
    }
  }
  if (!batch.empty()) RETURN_IF_ERROR(sink(batch));
  return Status::Ok();
}

}  // namespace mittari::demo
