#include "regional/invoice.h"

#include <fmt/format.h>

#include <utility>

namespace mittari::regional {

Result<Invoice> BuildInvoice(const std::string& payer, const std::vector<ProductionLine>& lines,
                             const PriceList& prices) {
  std::map<std::string, int64_t> volume_by_product;
  for (const ProductionLine& line : lines) {
    if (line.municipality != payer) continue;
    if (line.volume < 0) {
      return InvalidArgumentError(fmt::format("{}, product {}: negative volume {}",
                                              line.municipality, line.product, line.volume));
    }
    int64_t& volume = volume_by_product[line.product];
    if (__builtin_add_overflow(volume, line.volume, &volume)) {
      return InvalidArgumentError(
          fmt::format("{}, product {}: total volume is too large", payer, line.product));
    }
  }

  Invoice invoice;
  invoice.payer = payer;
  invoice.year = prices.year;
  for (const auto& [product, volume] : volume_by_product) {
    const auto price = prices.unit_price_by_product.find(product);
    if (price == prices.unit_price_by_product.end()) {
      return NotFoundError(
          fmt::format("no unit price for product {} in year {}", product, prices.year));
    }
    ASSIGN_OR_RETURN(Money amount, MultiplyRounded(price->second, volume));
    int64_t total_cents = 0;
    if (__builtin_add_overflow(invoice.total.cents(), amount.cents(), &total_cents)) {
      return InvalidArgumentError(fmt::format("invoice for {} is too large", payer));
    }
    invoice.total = Money::FromCents(total_cents);
    invoice.lines.push_back(InvoiceLine{product, volume, price->second, amount});
  }
  return invoice;
}

Result<PoolingResult> ApplyHighCostPooling(
    const std::vector<PatientYearCost>& costs, Money threshold,
    const std::map<std::string, int64_t>& population_by_municipality) {
  if (threshold < Money::Zero()) {
    return InvalidArgumentError(
        fmt::format("pooling threshold {} is negative", threshold.Format("en")));
  }
  PoolingResult result;
  for (const auto& [municipality, population] : population_by_municipality) {
    if (population < 0) {
      return InvalidArgumentError(
          fmt::format("{}: population {} is negative", municipality, population));
    }
    result.by_municipality[municipality] = MunicipalityPooling{};
  }

  struct PatientYear {
    std::string municipality;
    Money cost;
  };
  std::map<std::pair<std::string, int>, PatientYear> patient_years;
  for (const PatientYearCost& row : costs) {
    if (row.cost < Money::Zero()) {
      return InvalidArgumentError(fmt::format("patient {}, {}: cost {} is negative", row.patient_id,
                                              row.year, row.cost.Format("en")));
    }
    if (!result.by_municipality.contains(row.municipality)) {
      return InvalidArgumentError(fmt::format("patient {}, {}: municipality {} is not a member",
                                              row.patient_id, row.year, row.municipality));
    }
    auto [it, inserted] =
        patient_years.try_emplace({row.patient_id, row.year}, PatientYear{row.municipality, {}});
    if (!inserted && it->second.municipality != row.municipality) {
      return InvalidArgumentError(fmt::format("patient {}, {}: listed under both {} and {}",
                                              row.patient_id, row.year, it->second.municipality,
                                              row.municipality));
    }
    it->second.cost += row.cost;
  }

  for (const auto& [key, patient_year] : patient_years) {
    MunicipalityPooling& member = result.by_municipality[patient_year.municipality];
    member.own_cost += patient_year.cost;
    if (patient_year.cost > threshold) {
      const Money excess = patient_year.cost - threshold;
      member.removed += excess;
      result.pooled_total += excess;
    }
  }

  // Map order is code order, which is what breaks equal remainders.
  std::vector<int64_t> populations;
  for (const auto& [municipality, population] : population_by_municipality) {
    populations.push_back(population);
  }
  Result<std::vector<Money>> shares = AllocateLargestRemainder(result.pooled_total, populations);
  if (!shares.ok()) return shares.status().WithContext("sharing the high-cost pool");
  size_t i = 0;
  for (auto& [municipality, member] : result.by_municipality) {
    member.pooled_share = (*shares)[i++];
    member.net = member.own_cost - member.removed + member.pooled_share;
  }
  return result;
}

}  // namespace mittari::regional
