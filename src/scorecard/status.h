// File: scorecard/status.h
//
// The yearly verdict on one indicator: was the target reached ("NPS at outpatient clinics
// > 70: 75, achieved"), or, while the year is still running, is it on track. For sampled
// measures (nps, enps, share) the verdict also says whether it stands clear of sampling noise:
// an NPS of 71 against "> 70" from a few hundred answers is a hit, but its 95% interval reaches
// well below 70, and leadership should read it as such.
//
// Comparisons at a target's boundary allow for floating-point rounding (a relative 1e-9), so
// that an outcome computed as 71.99999999999999 meets ">= 72" and does not meet "> 72", as
// the "72" printed in the report would suggest.
//
// Thread-safe (pure functions).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "model/enums.h"
#include "scorecard/definition.h"

namespace mittari::scorecard {

// kOnTrack/kOffTrack replace kAchieved/kNotAchieved for the year in progress: the outcome so
// far is only a forecast of the year's.
enum class Verdict : uint8_t { kAchieved, kNotAchieved, kNoData, kOnTrack, kOffTrack };
// kNone: no interval (manual and formula measures, yes/no, no data). kClear: the whole 95%
// interval lies on the same side of the target as the outcome. kWithinInterval: the interval
// reaches across the target's boundary, so the hit or miss may be sampling noise.
enum class Significance : uint8_t { kNone, kClear, kWithinInterval };

inline constexpr std::array<std::string_view, 5> kVerdictNames = {
    "achieved", "not_achieved", "no_data", "on_track", "off_track"};
inline constexpr std::array<std::string_view, 3> kSignificanceNames = {"not_applicable", "clear",
                                                                       "within_interval"};

struct Outcome {
  std::optional<double> value;
  // The 95% interval, for sampled measures only; both or neither.
  std::optional<double> ci_low, ci_high;
};

struct Judgement {
  Verdict verdict = Verdict::kNoData;
  Significance significance = Significance::kNone;

  bool operator==(const Judgement&) const = default;
};

// Whether `value` reaches `target`. False for NaN.
bool Meets(const Target& target, double value);

// No value (or NaN) → kNoData. `year_in_progress` → kOnTrack/kOffTrack instead of
// kAchieved/kNotAchieved. Significance as described at the enum; for "between" the interval is
// not clear when it crosses either bound, and a yes/no target never has an interval.
Judgement Judge(const Target& target, const Outcome& outcome, bool year_in_progress);

}  // namespace mittari::scorecard

namespace mittari {

template <>
struct EnumTraits<scorecard::Verdict> {
  static constexpr const auto& kNames = scorecard::kVerdictNames;
  static constexpr std::string_view kWhat = "verdict";
};
template <>
struct EnumTraits<scorecard::Significance> {
  static constexpr const auto& kNames = scorecard::kSignificanceNames;
  static constexpr std::string_view kWhat = "significance";
};

}  // namespace mittari
