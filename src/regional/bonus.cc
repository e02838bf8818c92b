#include "regional/bonus.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>

namespace mittari::regional {
namespace {

constexpr double kWeightSumTolerance = 1e-9;

Result<double> NamedScore(std::string_view name, const BonusComponent& component) {
  if (!std::isfinite(component.weight) || component.weight < 0) {
    return InvalidArgumentError(
        fmt::format("{}: weight {} must be a number from 0 to 1", name, component.weight));
  }
  Result<double> score = ComponentScore(component.value, component.floor, component.target);
  if (!score.ok()) return score.status().WithContext(name);
  return score;
}

}  // namespace

Result<double> ComponentScore(double value, double floor, double target) {
  if (!std::isfinite(value) || !std::isfinite(floor) || !std::isfinite(target)) {
    return InvalidArgumentError(
        fmt::format("value {}, floor {} and target {} must all be numbers", value, floor, target));
  }
  if (floor == target) {
    return InvalidArgumentError(
        fmt::format("floor and target are both {}, so progress cannot be measured", floor));
  }
  return std::clamp((value - floor) / (target - floor), 0.0, 1.0);
}

Result<BonusResult> ComputeBonus(const TripleAim& aims, Money pool) {
  if (pool < Money::Zero()) {
    return InvalidArgumentError(fmt::format("bonus pool {} is negative", pool.Format("en")));
  }
  BonusResult result;
  ASSIGN_OR_RETURN(result.quality_score, NamedScore("quality", aims.quality));
  ASSIGN_OR_RETURN(result.effectiveness_score, NamedScore("effectiveness", aims.effectiveness));
  ASSIGN_OR_RETURN(result.cost_efficiency_score,
                   NamedScore("cost-efficiency", aims.cost_efficiency));
  const double weight_sum =
      aims.quality.weight + aims.effectiveness.weight + aims.cost_efficiency.weight;
  if (std::abs(weight_sum - 1.0) > kWeightSumTolerance) {
    return InvalidArgumentError(fmt::format(
        "weights add up to {}, not 1 (quality {}, effectiveness {}, cost-efficiency {})",
        weight_sum, aims.quality.weight, aims.effectiveness.weight, aims.cost_efficiency.weight));
  }
  result.achievement = aims.quality.weight * result.quality_score +
                       aims.effectiveness.weight * result.effectiveness_score +
                       aims.cost_efficiency.weight * result.cost_efficiency_score;
  // Weights within the tolerance of 1 can put a perfect score a hair above 1; the pool is
  // the most anyone can earn.
  result.achievement = std::clamp(result.achievement, 0.0, 1.0);
  // llround rounds half away from zero; a pool below 2^53 cents (90 billion euros) is exact in
  // a double.
  result.bonus =
      Money::FromCents(std::llround(static_cast<double>(pool.cents()) * result.achievement));
  return result;
}

}  // namespace mittari::regional
