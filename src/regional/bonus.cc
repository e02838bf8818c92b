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

// A component's measures combined into its score, and each measure's outcome appended.
Result<double> ScoreComponent(std::string_view aim, const BonusComponentDefinition& component,
                              const BonusProvider& provider,
                              const ComputedMeasureValue& computed_value,
                              std::vector<MeasureOutcome>* outcomes) {
  // The loader checks the same; a year assembled in code gets no weaker guarantee.
  double weight_sum = 0;
  for (const BonusMeasure& measure : component.measures) {
    if (!std::isfinite(measure.weight) || measure.weight < 0) {
      return InvalidArgumentError(
          fmt::format("{}: measure '{}': weight {} must be a number from 0 to 1", aim, measure.id,
                      measure.weight));
    }
    weight_sum += measure.weight;
  }
  const bool unmeasured = component.measures.empty() && component.weight == 0;
  if (!unmeasured && std::abs(weight_sum - 1.0) > kWeightSumTolerance) {
    return InvalidArgumentError(
        fmt::format("{}: the measure weights add up to {}, not 1", aim, weight_sum));
  }
  double score = 0;
  for (const BonusMeasure& measure : component.measures) {
    MeasureOutcome outcome;
    outcome.id = measure.id;
    if (measure.source == MeasureSource::kManual) {
      auto value = provider.values.find(measure.id);
      if (value != provider.values.end()) outcome.value = value->second;
    } else if (computed_value) {
      outcome.value = computed_value(measure);
    }
    if (outcome.value) {
      Result<double> measure_score = ComponentScore(*outcome.value, measure.floor, measure.target);
      if (!measure_score.ok()) {
        return measure_score.status().WithContext(fmt::format("{}: measure '{}'", aim, measure.id));
      }
      outcome.score = *measure_score;
    }
    score += measure.weight * outcome.score;
    outcomes->push_back(std::move(outcome));
  }
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

Result<ProviderBonus> EvaluateProviderBonus(const BonusYear& year, const BonusProvider& provider,
                                            const ComputedMeasureValue& computed_value) {
  ProviderBonus result;
  result.provider = provider.id;
  const std::string context = fmt::format("bonus {}, provider '{}'", year.year, provider.id);
  std::array<BonusComponent, kBonusAimCount> aims;
  for (size_t i = 0; i < kBonusAimCount; ++i) {
    const BonusComponentDefinition& component = year.components[i];
    Result<double> score =
        ScoreComponent(kBonusAimNames[i], component, provider, computed_value, &result.measures);
    if (!score.ok()) return score.status().WithContext(context);
    // The component's score is already on the 0–1 scale, so as a ComputeBonus component it is
    // a value between floor 0 and target 1.
    aims[i] = BonusComponent{.value = *score, .floor = 0, .target = 1, .weight = component.weight};
  }
  Result<BonusResult> bonus = ComputeBonus(
      TripleAim{.quality = aims[static_cast<size_t>(BonusAim::kQuality)],
                .effectiveness = aims[static_cast<size_t>(BonusAim::kEffectiveness)],
                .cost_efficiency = aims[static_cast<size_t>(BonusAim::kCostEfficiency)]},
      provider.pool);
  if (!bonus.ok()) return bonus.status().WithContext(context);
  result.component_scores = {bonus->quality_score, bonus->effectiveness_score,
                             bonus->cost_efficiency_score};
  result.achievement = bonus->achievement;
  result.bonus = bonus->bonus;
  return result;
}

}  // namespace mittari::regional
