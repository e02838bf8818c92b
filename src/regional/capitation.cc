#include "regional/capitation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace mittari::regional {
namespace {

bool IsNonNegativeNumber(double value) { return std::isfinite(value) && value >= 0; }

}  // namespace

Result<std::vector<CapitationBudget>> AllocateCapitation(
    const std::vector<MunicipalityNeed>& municipalities,
    const std::map<AgeGroup, double>& age_weights, double base, Money total) {
  ByAgeGroup<double> weights{};
  for (size_t i = 0; i < kAgeGroupCount; ++i) {
    const auto group = static_cast<AgeGroup>(i);
    const auto weight = age_weights.find(group);
    if (weight == age_weights.end()) {
      return InvalidArgumentError(
          fmt::format("no capitation weight for age group {}", AgeGroupName(group)));
    }
    if (!IsNonNegativeNumber(weight->second)) {
      return InvalidArgumentError(fmt::format("capitation weight for age group {} is {}",
                                              AgeGroupName(group), weight->second));
    }
    weights[i] = weight->second;
  }
  if (!IsNonNegativeNumber(base)) {
    return InvalidArgumentError(fmt::format("capitation base {} is not a usable amount", base));
  }

  std::vector<CapitationBudget> budgets;
  for (const MunicipalityNeed& need : municipalities) {
    if (!(std::isfinite(need.need_coefficient) && need.need_coefficient > 0)) {
      return InvalidArgumentError(fmt::format("{}: need coefficient {} must be positive",
                                              need.municipality, need.need_coefficient));
    }
    CapitationBudget budget;
    budget.municipality = need.municipality;
    for (size_t i = 0; i < kAgeGroupCount; ++i) {
      if (need.residents_by_age[i] < 0) {
        return InvalidArgumentError(fmt::format("{}, age group {}: residents {} is negative",
                                                need.municipality, kAgeGroupNames[i],
                                                need.residents_by_age[i]));
      }
      budget.weighted_residents += static_cast<double>(need.residents_by_age[i]) * weights[i];
    }
    budget.raw_claim = base * budget.weighted_residents * need.need_coefficient;
    budgets.push_back(std::move(budget));
  }
  std::sort(budgets.begin(), budgets.end(),
            [](const auto& a, const auto& b) { return a.municipality < b.municipality; });
  for (size_t i = 1; i < budgets.size(); ++i) {
    if (budgets[i].municipality == budgets[i - 1].municipality) {
      return InvalidArgumentError(fmt::format("{} is listed twice", budgets[i].municipality));
    }
  }

  std::vector<double> claims;
  for (const CapitationBudget& budget : budgets) claims.push_back(budget.raw_claim);
  Result<std::vector<Money>> shares = AllocateLargestRemainderByReal(total, claims);
  if (!shares.ok()) return shares.status().WithContext("sharing the capitation total");
  for (size_t i = 0; i < budgets.size(); ++i) budgets[i].budget = (*shares)[i];
  return budgets;
}

}  // namespace mittari::regional
