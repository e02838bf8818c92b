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
// Thread-safe (pure functions).
#pragma once

#include "common/status.h"
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

}  // namespace mittari::regional
