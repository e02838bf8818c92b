// File: regional/capitation.h
//
// Capitation budgets: how a fixed total is divided among member municipalities by need
// rather than by last year's use. Each municipality's raw claim is
//
//   base × Σ_age (residents_age × age_weight_age) × need_coefficient
//
// and the total is then shared in proportion to the claims, in whole cents with the
// largest-remainder method, so the budgets add up to the total exactly. The base therefore
// does not change anyone's share; it is kept so that the raw claim can be shown next to the
// budget ("what the formula asks for" against "what the total allows").
//
// Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "regional/money.h"
#include "regional/standardise.h"

namespace mittari::regional {

struct MunicipalityNeed {
  std::string municipality;
  ByAgeGroup<int64_t> residents_by_age{};
  // 1.0 is average need; from morbidity and social indicators.
  double need_coefficient = 1.0;
};

struct CapitationBudget {
  std::string municipality;
  double weighted_residents = 0;  // Σ residents × age weight
  double raw_claim = 0;           // base × weighted_residents × need_coefficient, euros
  Money budget;
};

// Budgets in municipality-code order; equal remainders go to the code that sorts first.
// Errors: an age group without a weight; a negative or non-finite weight, base or residents;
// a need coefficient that is not positive; a municipality listed twice; a negative total;
// a positive total but no claims to share it by.
Result<std::vector<CapitationBudget>> AllocateCapitation(
    const std::vector<MunicipalityNeed>& municipalities,
    const std::map<AgeGroup, double>& age_weights, double base, Money total);

}  // namespace mittari::regional
