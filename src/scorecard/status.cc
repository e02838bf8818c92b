#include "scorecard/status.h"

#include <algorithm>
#include <cmath>

namespace mittari::scorecard {
namespace {

// -1, 0 or 1 as `a` is below, at or above `bound`, where "at" allows the rounding error of a
// computed outcome (see the header).
int CompareToBound(double a, double bound) {
  const double tolerance = 1e-9 * std::max(1.0, std::abs(bound));
  if (std::abs(a - bound) <= tolerance) return 0;
  return a < bound ? -1 : 1;
}

// Whether some point of [low, high] meets the target. Every target's set of meeting values is
// a half-line, a point or a closed range, so checking the ends and the target's bounds suffices.
bool Touches(const Target& target, double low, double high) {
  switch (target.op) {
    case Comparator::kGreater:
    case Comparator::kGreaterEqual:
      return Meets(target, high);
    case Comparator::kLess:
    case Comparator::kLessEqual:
      return Meets(target, low);
    case Comparator::kEqual:
      return CompareToBound(low, target.value) <= 0 && CompareToBound(high, target.value) >= 0;
    case Comparator::kBetween:
      return CompareToBound(low, target.value_high) <= 0 && CompareToBound(high, target.value) >= 0;
    case Comparator::kYes:
      return Meets(target, low) || Meets(target, high);
  }
  return false;
}

}  // namespace

bool Meets(const Target& target, double value) {
  if (std::isnan(value)) return false;
  switch (target.op) {
    case Comparator::kGreater:
      return CompareToBound(value, target.value) > 0;
    case Comparator::kGreaterEqual:
      return CompareToBound(value, target.value) >= 0;
    case Comparator::kLess:
      return CompareToBound(value, target.value) < 0;
    case Comparator::kLessEqual:
      return CompareToBound(value, target.value) <= 0;
    case Comparator::kEqual:
      return CompareToBound(value, target.value) == 0;
    case Comparator::kBetween:
      return CompareToBound(value, target.value) >= 0 &&
             CompareToBound(value, target.value_high) <= 0;
    case Comparator::kYes:
      return (value != 0) == (target.value != 0);
  }
  return false;
}

Judgement Judge(const Target& target, const Outcome& outcome, bool year_in_progress) {
  if (!outcome.value || std::isnan(*outcome.value)) return {Verdict::kNoData, Significance::kNone};
  const bool hit = Meets(target, *outcome.value);
  Judgement judgement;
  if (year_in_progress) {
    judgement.verdict = hit ? Verdict::kOnTrack : Verdict::kOffTrack;
  } else {
    judgement.verdict = hit ? Verdict::kAchieved : Verdict::kNotAchieved;
  }
  if (target.op == Comparator::kYes || !outcome.ci_low || !outcome.ci_high ||
      std::isnan(*outcome.ci_low) || std::isnan(*outcome.ci_high)) {
    return judgement;
  }
  const auto [low, high] = std::minmax(*outcome.ci_low, *outcome.ci_high);
  // Every accepted set is convex, so a hit is clear when both ends of the interval also hit; a
  // miss is clear when no point of the interval hits.
  const bool clear = hit ? Meets(target, low) && Meets(target, high) : !Touches(target, low, high);
  judgement.significance = clear ? Significance::kClear : Significance::kWithinInterval;
  return judgement;
}

}  // namespace mittari::scorecard
