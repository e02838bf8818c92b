// File: regional/bonus.h
//
// The triple-aim incentive: a bonus pool paid out in proportion to how far the district got
// towards its targets in quality, effectiveness and cost-efficiency.
//
//   score_c = clamp((value − floor) / (target − floor), 0, 1)
//   bonus   = pool × Σ_c weight_c × score_c, rounded to the cent (half away from zero)
//
// The floor is the value that earns nothing and the target the value that earns everything,
// so "lower is better" measures (waiting days, cost per visit) simply have floor > target and
// need no flag. Beyond the target there is nothing more to earn; below the floor nothing is
// taken away. Weights must add up to 1 (within 1e-9), so that reaching every target pays
// exactly the pool.
//
// A component may be measured by several measures (definition.h): its score is then the
// weighted mean of theirs, Σ_m weight_m × score_m, and EvaluateProviderBonus feeds those
// component scores to ComputeBonus, so that the rounding and the weight checks live in one place.
// A measure without a value scores 0: no data earns nothing, and the outcome says it was missing.
//
// Thread-safe (pure functions).
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "regional/definition.h"
#include "regional/money.h"

namespace mittari::regional {

struct BonusComponent {
  double value = 0;
  double floor = 0;
  double target = 0;
  double weight = 0;
};

struct TripleAim {
  BonusComponent quality;
  BonusComponent effectiveness;
  BonusComponent cost_efficiency;
};

struct BonusResult {
  double quality_score = 0;
  double effectiveness_score = 0;
  double cost_efficiency_score = 0;
  double achievement = 0;  // Σ weight × score, from 0 to 1
  Money bonus;
};

// Errors: a non-finite value, floor or target, or floor equal to target (nothing to measure
// progress by).
Result<double> ComponentScore(double value, double floor, double target);

// Errors: as ComponentScore; a negative or non-finite weight, weights not adding up to 1, a
// negative pool.
Result<BonusResult> ComputeBonus(const TripleAim& aims, Money pool);

struct MeasureOutcome {
  std::string id;
  std::optional<double> value;  // nullopt: no data, and the score is 0
  double score = 0;             // from 0 to 1
};

struct ProviderBonus {
  std::string provider;
  std::array<double, kBonusAimCount> component_scores{};  // indexed by BonusAim, from 0 to 1
  std::vector<MeasureOutcome> measures;  // every measure of the year, components in BonusAim order
  double achievement = 0;                // Σ component weight × component score, from 0 to 1
  Money bonus;
};

// The value of a measure that is not manual (nps, cost_vs_capitation), or nullopt when there
// is no data for it (too few answers, no ledger yet).
using ComputedMeasureValue = std::function<std::optional<double>(const BonusMeasure&)>;

// The bonus `provider` earns in `year`. Manual measures take their value from provider.values;
// the others from `computed_value`, which is called once per such measure (an empty function
// means no computed data at all). Errors: a computed or manual value that is not finite; a
// measure whose floor equals its target; measure weights in a component that do not add up to
// 1 (a component weighted 0 may have none); as ComputeBonus for the component weights and the
// pool. Each message names the provider and, where there is one, the measure.
Result<ProviderBonus> EvaluateProviderBonus(const BonusYear& year, const BonusProvider& provider,
                                            const ComputedMeasureValue& computed_value);

}  // namespace mittari::regional
