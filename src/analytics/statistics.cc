#include "analytics/statistics.h"

#include <algorithm>
#include <cmath>

namespace mittari {

std::optional<Estimate> EstimateNps(const NpsCounts& counts) {
  const int64_t n = counts.n();
  if (n == 0) return std::nullopt;
  // Adjusted Wald adds 3 pseudo-answers: 3/4 promoter, 3/4 detractor, 3/2 passive.
  const double n_adj = static_cast<double>(n) + 3.0;
  const double p_adj = (static_cast<double>(counts.promoters) + 0.75) / n_adj;
  const double d_adj = (static_cast<double>(counts.detractors) + 0.75) / n_adj;
  const double diff = p_adj - d_adj;
  const double se = 100.0 * std::sqrt((p_adj + d_adj - diff * diff) / n_adj);
  Estimate e;
  e.value = 100.0 * static_cast<double>(counts.promoters - counts.detractors) /
            static_cast<double>(n);
  e.se = se;
  e.ci_low = std::clamp(100.0 * diff - kZ95 * se, -100.0, 100.0);
  e.ci_high = std::clamp(100.0 * diff + kZ95 * se, -100.0, 100.0);
  return e;
}

std::optional<Estimate> EstimateShare(const ShareCounts& counts) {
  if (counts.n == 0) return std::nullopt;
  const double n = static_cast<double>(counts.n);
  const double p = static_cast<double>(counts.hits) / n;
  const double z2 = kZ95 * kZ95;
  const double denominator = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denominator;
  const double half = kZ95 * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator;
  Estimate e;
  e.value = 100.0 * p;
  e.se = 100.0 * std::sqrt(p * (1.0 - p) / n);
  e.ci_low = std::clamp(100.0 * (centre - half), 0.0, 100.0);
  e.ci_high = std::clamp(100.0 * (centre + half), 0.0, 100.0);
  return e;
}

}  // namespace mittari
