// File: regional/standardise.h
//
// Cost per resident, crude and age-standardised. A municipality with many old residents
// spends more per resident even when it treats every age group exactly as its neighbour
// does; the directly standardised rate answers "what would it spend per resident if it had
// the standard population's age structure", which is the fair comparison.
//
//   crude        = Σ cost / Σ residents
//   standardised = Σ_age (cost_age / residents_age) × standard_age / Σ standard
//
// Rates are in euros per resident and are doubles: they are ratios to compare, not amounts
// anyone pays. An age group with neither cost nor residents contributes a rate of zero; one
// with cost but no residents is an error, because its rate is undefined and dropping it
// would understate the municipality.
//
// Thread-safe (pure functions).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "regional/money.h"

namespace mittari::regional {

enum class AgeGroup : uint8_t { k0To6, k7To17, k18To64, k65To74, k75To84, k85Plus };
inline constexpr size_t kAgeGroupCount = 6;
inline constexpr std::array<std::string_view, kAgeGroupCount> kAgeGroupNames = {
    "0-6", "7-17", "18-64", "65-74", "75-84", "85+"};

// One value per age group, indexed by AgeGroup.
template <typename T>
using ByAgeGroup = std::array<T, kAgeGroupCount>;

// Error for a negative age.
Result<AgeGroup> AgeGroupOf(int age_years);

std::string_view AgeGroupName(AgeGroup group);

// Errors: negative residents or cost, cost in a group without residents, no residents.
Result<double> CrudeRate(const ByAgeGroup<Money>& cost_by_age,
                         const ByAgeGroup<int64_t>& residents_by_age);

// Errors: as CrudeRate, and a negative or all-zero standard population.
Result<double> DirectlyStandardisedRate(const ByAgeGroup<Money>& cost_by_age,
                                        const ByAgeGroup<int64_t>& residents_by_age,
                                        const ByAgeGroup<int64_t>& standard_population_by_age);

}  // namespace mittari::regional
