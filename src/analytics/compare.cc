#include "analytics/compare.h"

#include <algorithm>
#include <cmath>

namespace mittari {

std::optional<NpsComparison> CompareNps(const NpsCounts& first, const NpsCounts& second,
                                        double alpha) {
  const std::optional<Estimate> a = EstimateNps(first);
  const std::optional<Estimate> b = EstimateNps(second);
  if (!a.has_value() || !b.has_value()) return std::nullopt;
  NpsComparison c;
  c.first = *a;
  c.second = *b;
  c.difference = b->value - a->value;
  // Adjusted-Wald SEs are strictly positive for n ≥ 1, so the denominator cannot be zero.
  c.z = c.difference / std::sqrt(a->se * a->se + b->se * b->se);
  // 2·(1 − Φ(|z|)) = erfc(|z|/√2); erfc keeps its precision in the tail where 1 − Φ would
  // cancel to zero.
  c.p_value = std::erfc(std::fabs(c.z) / std::sqrt(2.0));
  c.significant = c.p_value < alpha;
  return c;
}

std::optional<FunnelLimits> FunnelLimitsFor(const NpsCounts& parent, int64_t n) {
  const int64_t parent_n = parent.n();
  if (parent_n == 0 || n < 1) return std::nullopt;
  const double p = static_cast<double>(parent.promoters) / static_cast<double>(parent_n);
  const double d = static_cast<double>(parent.detractors) / static_cast<double>(parent_n);
  // Exactly zero for an all-promoter or all-detractor parent; the max guards against rounding
  // pushing it a hair below zero.
  const double variance = std::max(0.0, p + d - (p - d) * (p - d));
  const double se = 100.0 * std::sqrt(variance / static_cast<double>(n));
  FunnelLimits limits;
  limits.target = 100.0 * static_cast<double>(parent.promoters - parent.detractors) /
                  static_cast<double>(parent_n);
  auto clamp = [](double x) { return std::clamp(x, -100.0, 100.0); };
  limits.low95 = clamp(limits.target - kZ95 * se);
  limits.high95 = clamp(limits.target + kZ95 * se);
  limits.low998 = clamp(limits.target - kZ998 * se);
  limits.high998 = clamp(limits.target + kZ998 * se);
  return limits;
}

FunnelPosition PositionInFunnel(const FunnelLimits& limits, double unit_nps) {
  if (unit_nps < limits.low998) return FunnelPosition::kBelow998;
  if (unit_nps > limits.high998) return FunnelPosition::kAbove998;
  if (unit_nps < limits.low95) return FunnelPosition::kBelow95;
  if (unit_nps > limits.high95) return FunnelPosition::kAbove95;
  return FunnelPosition::kWithin;
}

std::string_view FunnelPositionName(FunnelPosition position) {
  switch (position) {
    case FunnelPosition::kBelow998:
      return "below_99.8";
    case FunnelPosition::kBelow95:
      return "below_95";
    case FunnelPosition::kWithin:
      return "within";
    case FunnelPosition::kAbove95:
      return "above_95";
    case FunnelPosition::kAbove998:
      return "above_99.8";
  }
  return "within";  // unreachable for valid enumerators; keeps -Wreturn-type quiet
}

}  // namespace mittari
