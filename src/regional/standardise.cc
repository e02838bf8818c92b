#include "regional/standardise.h"

#include <fmt/format.h>

namespace mittari::regional {
namespace {

// Checks shared by both rates; on success every group has a defined rate.
Status ValidateAgeData(const ByAgeGroup<Money>& cost_by_age,
                       const ByAgeGroup<int64_t>& residents_by_age) {
  for (size_t i = 0; i < kAgeGroupCount; ++i) {
    if (residents_by_age[i] < 0) {
      return InvalidArgumentError(fmt::format("age group {}: residents {} is negative",
                                              kAgeGroupNames[i], residents_by_age[i]));
    }
    if (cost_by_age[i] < Money::Zero()) {
      return InvalidArgumentError(fmt::format("age group {}: cost {} is negative",
                                              kAgeGroupNames[i], cost_by_age[i].Format("en")));
    }
    if (residents_by_age[i] == 0 && cost_by_age[i] != Money::Zero()) {
      return InvalidArgumentError(fmt::format(
          "age group {}: cost {} but no residents, so the rate per resident is undefined",
          kAgeGroupNames[i], cost_by_age[i].Format("en")));
    }
  }
  return Status::Ok();
}

double Euros(Money amount) { return static_cast<double>(amount.cents()) / 100.0; }

}  // namespace

Result<AgeGroup> AgeGroupOf(int age_years) {
  if (age_years < 0) return InvalidArgumentError(fmt::format("age {} is negative", age_years));
  if (age_years <= 6) return AgeGroup::k0To6;
  if (age_years <= 17) return AgeGroup::k7To17;
  if (age_years <= 64) return AgeGroup::k18To64;
  if (age_years <= 74) return AgeGroup::k65To74;
  if (age_years <= 84) return AgeGroup::k75To84;
  return AgeGroup::k85Plus;
}

std::string_view AgeGroupName(AgeGroup group) { return kAgeGroupNames[static_cast<size_t>(group)]; }

Result<double> CrudeRate(const ByAgeGroup<Money>& cost_by_age,
                         const ByAgeGroup<int64_t>& residents_by_age) {
  RETURN_IF_ERROR(ValidateAgeData(cost_by_age, residents_by_age));
  Money cost;
  int64_t residents = 0;
  for (size_t i = 0; i < kAgeGroupCount; ++i) {
    cost += cost_by_age[i];
    residents += residents_by_age[i];
  }
  if (residents == 0) return InvalidArgumentError("no residents in any age group");
  return Euros(cost) / static_cast<double>(residents);
}

Result<double> DirectlyStandardisedRate(const ByAgeGroup<Money>& cost_by_age,
                                        const ByAgeGroup<int64_t>& residents_by_age,
                                        const ByAgeGroup<int64_t>& standard_population_by_age) {
  RETURN_IF_ERROR(ValidateAgeData(cost_by_age, residents_by_age));
  int64_t residents = 0;
  int64_t standard_total = 0;
  for (size_t i = 0; i < kAgeGroupCount; ++i) {
    if (standard_population_by_age[i] < 0) {
      return InvalidArgumentError(fmt::format("age group {}: standard population {} is negative",
                                              kAgeGroupNames[i], standard_population_by_age[i]));
    }
    residents += residents_by_age[i];
    standard_total += standard_population_by_age[i];
  }
  if (residents == 0) return InvalidArgumentError("no residents in any age group");
  if (standard_total == 0) return InvalidArgumentError("the standard population is empty");

  double weighted = 0;
  for (size_t i = 0; i < kAgeGroupCount; ++i) {
    if (residents_by_age[i] == 0) continue;  // no cost either, as validated: rate zero
    const double rate = Euros(cost_by_age[i]) / static_cast<double>(residents_by_age[i]);
    weighted += rate * static_cast<double>(standard_population_by_age[i]);
  }
  return weighted / static_cast<double>(standard_total);
}

}  // namespace mittari::regional
