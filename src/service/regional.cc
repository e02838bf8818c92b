// Regional finance use-cases: imports through the regional importers, and the reports that
// finance reads — the municipal invoice, cost per resident crude and age-standardised,
// capitation budgets and the triple-aim bonus — computed with src/regional/ from the stored
// rows of one year. Money stays in cents until a report cell is made.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "common/calendar.h"
#include "demo/demo.h"
#include "demo/regional.h"
#include "ingest/regional_import.h"
#include "regional/bonus.h"
#include "regional/capitation.h"
#include "regional/invoice.h"
#include "regional/money.h"
#include "regional/standardise.h"
#include "service/service.h"

namespace mittari {
namespace {

using RegionalAgeGroup = regional::AgeGroup;
using regional::ByAgeGroup;
using regional::kAgeGroupCount;
using regional::Money;

report::Cell MoneyCell(Money amount) { return report::Decimal{static_cast<double>(amount.cents()) / 100.0, 2}; }
report::Cell RateCell(double value, int places = 2) {
  if (!std::isfinite(value)) return std::monostate{};
  return report::Decimal{value, places};
}

std::string MunicipalityName(const Municipality& m, std::string_view lang) {
  return lang == "sv" && !m.name_sv.empty() ? m.name_sv : m.name_fi;
}

std::string ProductName(const ServiceProduct& p, std::string_view lang) {
  if (lang == "sv" && !p.name_sv.empty()) return p.name_sv;
  if (lang == "en" && !p.name_en.empty()) return p.name_en;
  return p.name_fi;
}

const char* Say(std::string_view lang, const char* fi, const char* sv, const char* en) {
  if (lang == "sv") return sv;
  if (lang == "en") return en;
  return fi;
}

bool ValidMonth(std::string_view month) {
  if (month.size() != 7 || month[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (month[i] < '0' || month[i] > '9') return false;
  }
  const int m = (month[5] - '0') * 10 + (month[6] - '0');
  const int y = std::stoi(std::string(month.substr(0, 4)));
  return m >= 1 && m <= 12 && y >= 2000 && y <= 2100;
}

// Everything one year's reports read, loaded under one store lock.
struct RegionalYear {
  int year = 0;
  std::vector<Municipality> municipalities;            // code order
  std::map<std::string, const Municipality*> municipality_by_code;
  std::map<std::string, ServiceProduct> products;
  regional::PriceList prices;
  std::map<std::string, ByAgeGroup<int64_t>> residents;  // municipalities with population rows
  std::vector<ProductionRow> production;
  std::vector<PatientCostRow> patient_costs;
  std::vector<LedgerRow> ledger;
  std::map<std::string, double> need;

  int64_t Residents(const std::string& code) const {
    auto it = residents.find(code);
    if (it == residents.end()) return 0;
    int64_t sum = 0;
    for (int64_t r : it->second) sum += r;
    return sum;
  }
  const Municipality* Find(const std::string& code) const {
    auto it = municipality_by_code.find(code);
    return it == municipality_by_code.end() ? nullptr : it->second;
  }
};

// The parts of a year a report reads beyond municipalities, products, prices and population:
// the per-patient lines alone are some 200 000 rows a year, so nobody loads what they ignore.
enum RegionalPart : unsigned {
  kProductionPart = 1,
  kPatientCostsPart = 2,
  kLedgerPart = 4,
  kNeedPart = 8,
};

Result<RegionalYear> LoadRegionalYear(Store& store, int year, unsigned parts) {
  RegionalYear data;
  data.year = year;
  data.prices.year = year;
  ASSIGN_OR_RETURN(data.municipalities, store.ListMunicipalities());
  for (const Municipality& m : data.municipalities) data.municipality_by_code[m.code] = &m;
  ASSIGN_OR_RETURN(std::vector<ServiceProduct> products, store.ListProducts());
  for (ServiceProduct& p : products) data.products[p.code] = std::move(p);
  ASSIGN_OR_RETURN(std::vector<ProductPrice> prices, store.LoadPrices(year));
  for (const ProductPrice& p : prices) data.prices.unit_price_by_product[p.product] = Money::FromCents(p.unit_price_cents);
  ASSIGN_OR_RETURN(std::vector<PopulationRow> population, store.LoadPopulation(year));
  for (const PopulationRow& row : population) {
    if (row.age_group < 0 || row.age_group >= static_cast<int>(kAgeGroupCount)) {
      return DataLossError(fmt::format("stored population of {} in {} has age group {}", row.municipality, year, row.age_group));
    }
    data.residents[row.municipality][row.age_group] += row.residents;
  }
  if (parts & kProductionPart) {
    ASSIGN_OR_RETURN(data.production, store.LoadProduction(year));
  }
  if (parts & kPatientCostsPart) {
    ASSIGN_OR_RETURN(data.patient_costs, store.LoadPatientCosts(year));
  }
  if (parts & kLedgerPart) {
    ASSIGN_OR_RETURN(data.ledger, store.LoadLedger(year));
  }
  if (parts & kNeedPart) {
    ASSIGN_OR_RETURN(std::vector<NeedCoefficientRow> need, store.LoadNeedCoefficients(year));
    for (const NeedCoefficientRow& row : need) data.need[row.municipality] = row.coefficient;
  }
  return data;
}

// The priced production of the year by municipality and age group. A product without a price
// is an error naming it: pricing it at zero would quietly understate someone's costs.
Result<std::map<std::string, ByAgeGroup<Money>>> PricedProduction(const RegionalYear& data) {
  std::map<std::string, ByAgeGroup<Money>> cost;
  for (const ProductionRow& row : data.production) {
    auto price = data.prices.unit_price_by_product.find(row.product);
    if (price == data.prices.unit_price_by_product.end()) {
      return FailedPreconditionError(fmt::format(
          "product {} has production in {} but no price for {}; import the price list for {}", row.product,
          row.month, data.year, data.year));
    }
    ASSIGN_OR_RETURN(Money amount, regional::MultiplyRounded(price->second, row.volume));
    cost[row.municipality][row.age_group] += amount;
  }
  return cost;
}

Money SumAges(const ByAgeGroup<Money>& by_age) {
  Money sum;
  for (Money m : by_age) sum += m;
  return sum;
}

// Distinct patients per municipality from the per-patient cost lines.
std::map<std::string, int64_t> DistinctPatients(const RegionalYear& data) {
  std::map<std::string, std::set<std::string>> ids;
  for (const PatientCostRow& row : data.patient_costs) ids[row.municipality].insert(row.patient_id);
  std::map<std::string, int64_t> counts;
  for (const auto& [code, set] : ids) counts[code] = static_cast<int64_t>(set.size());
  return counts;
}

Result<regional::PoolingResult> PoolYear(const RegionalYear& data, Money threshold) {
  std::vector<regional::PatientYearCost> costs;
  costs.reserve(data.patient_costs.size());
  for (const PatientCostRow& row : data.patient_costs) {
    costs.push_back({row.patient_id, row.municipality, row.year, Money::FromCents(row.cost_cents)});
  }
  std::map<std::string, int64_t> population;
  for (const auto& [code, by_age] : data.residents) population[code] = data.Residents(code);
  return regional::ApplyHighCostPooling(costs, threshold, population);
}

unsigned FigureParts(std::string_view metric) {
  if (metric == "ledger_cost") return kLedgerPart;
  if (metric == "residents") return 0;
  if (metric == "total_cost" || metric == "cost_per_resident") return kProductionPart;
  return kProductionPart | kPatientCostsPart;
}

Status NoData(std::string_view what, int year) {
  return NotFoundError(fmt::format("no {} for {}; import it with `mittari regional import`", what, year));
}

}  // namespace

// Column labels of the regional reports, by key, for people (table, CSV, XLSX); JSON keeps
// the keys, which programs and the dashboard read.
report::Table LabelRegionalColumns(report::Table table, std::string_view lang) {
  static const std::map<std::string, std::array<const char*, 3>> kLabels = {
      {"municipality", {"Kunta", "Kommun", "Municipality"}},
      {"municipality_name", {"Kunnan nimi", "Kommunens namn", "Name"}},
      {"payer", {"Maksaja", "Betalare", "Payer"}},
      {"product", {"Tuote", "Produkt", "Product"}},
      {"product_name", {"Tuotteen nimi", "Produktnamn", "Product name"}},
      {"volume", {"Määrä", "Volym", "Volume"}},
      {"unit_price", {"Yksikköhinta €", "Styckpris €", "Unit price €"}},
      {"amount", {"Summa €", "Belopp €", "Amount €"}},
      {"residents", {"Asukkaat", "Invånare", "Residents"}},
      {"share_75_plus", {"Yli 75-v. %", "Över 75 år %", "Aged 75+ %"}},
      {"patients", {"Potilaat", "Patienter", "Patients"}},
      {"cost", {"Kustannus €", "Kostnad €", "Cost €"}},
      {"cost_per_resident", {"€/asukas", "€/invånare", "€ per resident"}},
      {"cost_per_patient", {"€/potilas", "€/patient", "€ per patient"}},
      {"standardised_cost_per_resident", {"€/asukas ikävakioitu", "€/invånare åldersstandardiserad", "€ per resident, age-standardised"}},
      {"index", {"Indeksi", "Index", "Index"}},
      {"standardised_index", {"Indeksi ikävakioitu", "Index åldersstandardiserat", "Index, age-standardised"}},
      {"rank", {"Sija", "Plats", "Rank"}},
      {"standardised_rank", {"Sija ikävakioitu", "Plats åldersstandardiserad", "Rank, age-standardised"}},
      {"weighted_residents", {"Painotetut asukkaat", "Viktade invånare", "Weighted residents"}},
      {"need_coefficient", {"Tarvekerroin", "Behovskoefficient", "Need coefficient"}},
      {"raw_claim", {"Kaavan mukainen €", "Enligt formeln €", "Formula claim €"}},
      {"budget", {"Budjetti €", "Budget €", "Budget €"}},
      {"budget_per_resident", {"Budjetti €/asukas", "Budget €/invånare", "Budget € per resident"}},
      {"provider", {"Tuottaja", "Producent", "Provider"}},
      {"provider_name", {"Tuottajan nimi", "Producentens namn", "Provider name"}},
      {"component", {"Osa-alue", "Delområde", "Component"}},
      {"measure", {"Mittari", "Mätare", "Measure"}},
      {"measure_name", {"Mittarin nimi", "Mätarens namn", "Measure name"}},
      {"value", {"Arvo", "Värde", "Value"}},
      {"floor", {"Alaraja", "Golv", "Floor"}},
      {"target", {"Tavoite", "Mål", "Target"}},
      {"weight", {"Paino", "Vikt", "Weight"}},
      {"score", {"Pisteet", "Poäng", "Score"}},
      {"pool", {"Bonuspotti €", "Bonuspott €", "Pool €"}},
      {"bonus", {"Bonus €", "Bonus €", "Bonus €"}},
  };
  const size_t index = lang == "sv" ? 1 : lang == "en" ? 2 : 0;
  for (std::string& column : table.columns) {
    if (auto it = kLabels.find(column); it != kLabels.end()) column = it->second[index];
  }
  return table;
}

Result<ImportSummary> Service::ImportRegional(std::string_view kind, const std::string& path,
                                              const ImportOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::OpenFile(path));
  std::lock_guard store_lock(store_mu_);
  // Only the ledger needs the tree (its cost centres are units); the rest may come before any unit.
  OrgTree tree;
  if (kind == "ledger") {
    ASSIGN_OR_RETURN(tree, LoadTree());
  }
  return ImportRegionalCsv(kind, *store_, tree, *reader, options);
}

void Service::ConfigureRegional(regional::RegionalDefinition definition) {
  std::lock_guard lock(regional_mu_);
  regional_ = std::make_shared<const regional::RegionalDefinition>(std::move(definition));
}

std::shared_ptr<const regional::RegionalDefinition> Service::regional_definition() {
  std::lock_guard lock(regional_mu_);
  if (!regional_) regional_ = std::make_shared<const regional::RegionalDefinition>();
  return regional_;
}

Result<report::Table> Service::RegionalInvoice(const std::string& payer, const std::string& month,
                                               std::string_view lang) {
  if (!ValidMonth(month)) return InvalidArgumentError(fmt::format("month '{}' is not YYYY-MM", month));
  const int year = std::stoi(month.substr(0, 4));
  const bool december = month.substr(5) == "12";
  ASSIGN_OR_RETURN(RegionalYear data, [&]() -> Result<RegionalYear> {
    std::lock_guard store_lock(store_mu_);
    return LoadRegionalYear(*store_, year, kProductionPart | (december ? kPatientCostsPart : 0u));
  }());
  std::vector<const Municipality*> members;
  std::set<std::string> payers;
  for (const Municipality& m : data.municipalities) {
    payers.insert(m.payer);
    if (m.payer == payer) members.push_back(&m);
  }
  if (members.empty()) {
    std::string known;
    for (const std::string& p : payers) known += (known.empty() ? "" : ", ") + p;
    return NotFoundError(fmt::format("no municipality is paid by '{}'; payers: {}", payer,
                                     known.empty() ? "none imported" : known));
  }
  std::vector<regional::ProductionLine> lines;
  for (const ProductionRow& row : data.production) {
    if (row.month == month) lines.push_back({row.municipality, row.product, row.volume});
  }

  report::Table table;
  table.columns = {"municipality", "municipality_name", "product", "product_name", "volume", "unit_price", "amount"};
  Money total;
  bool any_line = false;
  for (const Municipality* m : members) {
    ASSIGN_OR_RETURN(regional::Invoice invoice, regional::BuildInvoice(m->code, lines, data.prices));
    for (const regional::InvoiceLine& line : invoice.lines) {
      auto product = data.products.find(line.product);
      table.rows.push_back({m->code, MunicipalityName(*m, lang), line.product,
                            product == data.products.end() ? line.product : ProductName(product->second, lang),
                            line.volume, MoneyCell(line.unit_price), MoneyCell(line.amount)});
      any_line = true;
    }
    if (!invoice.lines.empty()) {
      table.rows.push_back({m->code, MunicipalityName(*m, lang), std::monostate{},
                            std::string(Say(lang, "Yhteensä", "Summa", "Subtotal")), std::monostate{},
                            std::monostate{}, MoneyCell(invoice.total)});
    }
    total += invoice.total;
  }
  // Patient-years are complete only when the year is, so pooling is settled on the December
  // invoice, once, rather than estimated every month.
  if (december && !data.patient_costs.empty()) {
    const Money threshold = regional_definition()->pooling_threshold;
    ASSIGN_OR_RETURN(regional::PoolingResult pooling, PoolYear(data, threshold));
    const std::string out_label = fmt::format("{} {} {}", Say(lang, "Suurten potilaskustannusten tasaus: yli", "Utjämning av höga patientkostnader: över",
                                                             "High-cost pooling: above"),
                                              threshold.Format(lang), Say(lang, "potilasvuodelta", "per patientår", "per patient-year"));
    const std::string in_label = Say(lang, "Osuus tasauksesta väestön mukaan", "Andel av utjämningen enligt befolkning",
                                     "Share of the pool by population");
    for (const Municipality* m : members) {
      auto it = pooling.by_municipality.find(m->code);
      if (it == pooling.by_municipality.end()) continue;
      if (it->second.removed != Money::Zero()) {
        table.rows.push_back({m->code, MunicipalityName(*m, lang), std::string("POOL-OUT"), out_label, std::monostate{},
                              std::monostate{}, MoneyCell(-it->second.removed)});
        total -= it->second.removed;
        any_line = true;
      }
      if (it->second.pooled_share != Money::Zero()) {
        table.rows.push_back({m->code, MunicipalityName(*m, lang), std::string("POOL-IN"), in_label, std::monostate{},
                              std::monostate{}, MoneyCell(it->second.pooled_share)});
        total += it->second.pooled_share;
        any_line = true;
      }
    }
  }
  if (!any_line) {
    return NotFoundError(fmt::format("no production of {} in {}; import the month's production first", payer, month));
  }
  table.rows.push_back({std::string(payer), std::string(members.front()->payer_name), std::monostate{},
                        std::string(Say(lang, "Laskun loppusumma", "Fakturans totalbelopp", "Invoice total")),
                        std::monostate{}, std::monostate{}, MoneyCell(total)});
  return table;
}

Result<report::Table> Service::RegionalComparison(int year, bool standardised, std::string_view lang) {
  ASSIGN_OR_RETURN(RegionalYear data, [&]() -> Result<RegionalYear> {
    std::lock_guard store_lock(store_mu_);
    return LoadRegionalYear(*store_, year, kProductionPart | kPatientCostsPart);
  }());
  if (data.residents.empty()) return NoData("population", year);
  if (data.production.empty()) return NoData("production", year);
  ASSIGN_OR_RETURN(auto cost, PricedProduction(data));
  const std::map<std::string, int64_t> patients = DistinctPatients(data);

  ByAgeGroup<int64_t> standard{};
  ByAgeGroup<Money> district_cost{};
  for (const auto& [code, by_age] : data.residents) {
    for (size_t a = 0; a < kAgeGroupCount; ++a) standard[a] += by_age[a];
  }
  for (const auto& [code, by_age] : cost) {
    if (!data.residents.count(code)) {
      return FailedPreconditionError(fmt::format(
          "municipality {} has production in {} but no population; import its population for {}", code, year, year));
    }
    for (size_t a = 0; a < kAgeGroupCount; ++a) district_cost[a] += by_age[a];
  }
  ASSIGN_OR_RETURN(double district_rate, regional::CrudeRate(district_cost, standard));

  struct Row {
    const Municipality* municipality = nullptr;
    std::string code;
    int64_t residents = 0, patients = -1;
    double share_75_plus = 0;
    Money cost;
    double crude = 0, standardised = 0;
    int rank = 0, standardised_rank = 0;
  };
  std::vector<Row> rows;
  for (const auto& [code, by_age] : data.residents) {
    Row row;
    row.code = code;
    row.municipality = data.Find(code);
    row.residents = data.Residents(code);
    row.share_75_plus = row.residents > 0
                            ? 100.0 * static_cast<double>(by_age[static_cast<size_t>(RegionalAgeGroup::k75To84)] +
                                                          by_age[static_cast<size_t>(RegionalAgeGroup::k85Plus)]) /
                                  static_cast<double>(row.residents)
                            : 0;
    ByAgeGroup<Money> own{};
    if (auto it = cost.find(code); it != cost.end()) own = it->second;
    row.cost = SumAges(own);
    if (auto it = patients.find(code); it != patients.end()) row.patients = it->second;
    Result<double> crude = regional::CrudeRate(own, by_age);
    if (!crude.ok()) return crude.status().WithContext(fmt::format("municipality {}", code));
    row.crude = *crude;
    Result<double> adjusted = regional::DirectlyStandardisedRate(own, by_age, standard);
    if (!adjusted.ok()) return adjusted.status().WithContext(fmt::format("municipality {}", code));
    row.standardised = *adjusted;
    rows.push_back(std::move(row));
  }
  // Rank 1 is the most expensive per resident, the way finance reads such a list.
  auto rank_by = [&](double Row::*rate, int Row::*rank) {
    std::vector<Row*> order;
    for (Row& r : rows) order.push_back(&r);
    std::stable_sort(order.begin(), order.end(), [&](const Row* a, const Row* b) { return a->*rate > b->*rate; });
    for (size_t i = 0; i < order.size(); ++i) order[i]->*rank = static_cast<int>(i + 1);
  };
  rank_by(&Row::crude, &Row::rank);
  rank_by(&Row::standardised, &Row::standardised_rank);
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    return standardised ? a.standardised_rank < b.standardised_rank : a.rank < b.rank;
  });

  report::Table table;
  table.columns = {"municipality", "municipality_name", "payer", "residents", "share_75_plus", "patients",
                   "cost", "cost_per_resident", "cost_per_patient", "index", "rank"};
  if (standardised) {
    for (const char* c : {"standardised_cost_per_resident", "standardised_index", "standardised_rank"}) table.columns.push_back(c);
  }
  auto patient_cells = [&](int64_t n, Money amount) -> std::pair<report::Cell, report::Cell> {
    if (n < 0) return {std::monostate{}, std::monostate{}};
    return {n, n > 0 ? RateCell(static_cast<double>(amount.cents()) / 100.0 / static_cast<double>(n)) : report::Cell{}};
  };
  int64_t total_residents = 0, total_patients = 0;
  bool all_patients = true;
  for (const Row& r : rows) {
    auto [n, per_patient] = patient_cells(r.patients, r.cost);
    std::vector<report::Cell> cells = {
        r.code,
        r.municipality ? MunicipalityName(*r.municipality, lang) : r.code,
        r.municipality ? report::Cell{r.municipality->payer} : report::Cell{},
        r.residents,
        RateCell(r.share_75_plus, 1),
        n,
        MoneyCell(r.cost),
        RateCell(r.crude),
        per_patient,
        RateCell(district_rate > 0 ? 100.0 * r.crude / district_rate : NAN, 1),
        int64_t{r.rank}};
    if (standardised) {
      cells.push_back(RateCell(r.standardised));
      cells.push_back(RateCell(district_rate > 0 ? 100.0 * r.standardised / district_rate : NAN, 1));
      cells.push_back(int64_t{r.standardised_rank});
    }
    table.rows.push_back(std::move(cells));
    total_residents += r.residents;
    if (r.patients < 0) all_patients = false; else total_patients += r.patients;
  }
  const Money total_cost = SumAges(district_cost);
  auto [n, per_patient] = patient_cells(all_patients ? total_patients : -1, total_cost);
  const int64_t district_75 = standard[static_cast<size_t>(RegionalAgeGroup::k75To84)] + standard[static_cast<size_t>(RegionalAgeGroup::k85Plus)];
  std::vector<report::Cell> district = {
      std::monostate{}, std::string(Say(lang, "Koko alue", "Hela området", "Whole district")), std::monostate{},
      total_residents, RateCell(total_residents > 0 ? 100.0 * static_cast<double>(district_75) / static_cast<double>(total_residents) : NAN, 1),
      n, MoneyCell(total_cost), RateCell(district_rate), per_patient, RateCell(100.0, 1), std::monostate{}};
  if (standardised) {
    // The standard population is the district's own, so its standardised rate is its crude one.
    district.push_back(RateCell(district_rate));
    district.push_back(RateCell(100.0, 1));
    district.push_back(std::monostate{});
  }
  table.rows.push_back(std::move(district));
  return table;
}

Result<report::Table> Service::RegionalCapitation(int year, std::string_view lang) {
  std::shared_ptr<const regional::RegionalDefinition> definition = regional_definition();
  const regional::CapitationYear* settings = definition->CapitationFor(year);
  if (settings == nullptr) {
    return NotFoundError(fmt::format("the regional definition has no capitation for {}; add it under `capitation:`", year));
  }
  ASSIGN_OR_RETURN(RegionalYear data, [&]() -> Result<RegionalYear> {
    std::lock_guard store_lock(store_mu_);
    return LoadRegionalYear(*store_, year, kNeedPart);
  }());
  if (data.residents.empty()) return NoData("population", year);
  std::vector<regional::MunicipalityNeed> needs;
  for (const auto& [code, by_age] : data.residents) {
    auto need = data.need.find(code);
    if (need == data.need.end()) {
      return FailedPreconditionError(fmt::format(
          "municipality {} has no need coefficient for {}; import need coefficients (`mittari regional import need`)", code, year));
    }
    needs.push_back({code, by_age, need->second});
  }
  ASSIGN_OR_RETURN(std::vector<regional::CapitationBudget> budgets,
                   regional::AllocateCapitation(needs, settings->age_weights, settings->base, settings->total));
  report::Table table;
  table.columns = {"municipality", "municipality_name", "residents", "weighted_residents", "need_coefficient",
                   "raw_claim", "budget", "budget_per_resident"};
  Money total;
  int64_t residents = 0;
  double weighted = 0, claims = 0;
  for (const regional::CapitationBudget& b : budgets) {
    const Municipality* m = data.Find(b.municipality);
    const int64_t n = data.Residents(b.municipality);
    table.rows.push_back({b.municipality, m ? MunicipalityName(*m, lang) : b.municipality, n, RateCell(b.weighted_residents, 1),
                          RateCell(data.need[b.municipality], 3), RateCell(b.raw_claim), MoneyCell(b.budget),
                          RateCell(n > 0 ? static_cast<double>(b.budget.cents()) / 100.0 / static_cast<double>(n) : NAN)});
    total += b.budget;
    residents += n;
    weighted += b.weighted_residents;
    claims += b.raw_claim;
  }
  table.rows.push_back({std::monostate{}, std::string(Say(lang, "Yhteensä", "Summa", "Total")), residents, RateCell(weighted, 1),
                        std::monostate{}, RateCell(claims), MoneyCell(total),
                        RateCell(residents > 0 ? static_cast<double>(total.cents()) / 100.0 / static_cast<double>(residents) : NAN)});
  return table;
}

Result<std::optional<double>> Service::RegionalFigure(std::string_view metric, int year) {
  ASSIGN_OR_RETURN(RegionalYear data, [&]() -> Result<RegionalYear> {
    std::lock_guard store_lock(store_mu_);
    return LoadRegionalYear(*store_, year, FigureParts(metric));
  }());
  int64_t residents = 0;
  for (const auto& [code, by_age] : data.residents) residents += data.Residents(code);
  std::optional<double> cost;
  if (!data.production.empty()) {
    ASSIGN_OR_RETURN(auto priced, PricedProduction(data));
    Money sum;
    for (const auto& [code, by_age] : priced) sum += SumAges(by_age);
    cost = static_cast<double>(sum.cents()) / 100.0;
  }
  std::optional<double> patients;
  if (!data.patient_costs.empty()) {
    int64_t n = 0;
    for (const auto& [code, count] : DistinctPatients(data)) n += count;
    patients = static_cast<double>(n);
  }
  if (metric == "total_cost") return cost;
  if (metric == "residents") return residents > 0 ? std::optional<double>(static_cast<double>(residents)) : std::nullopt;
  if (metric == "patients") return patients;
  if (metric == "cost_per_resident") {
    if (!cost || residents == 0) return std::optional<double>();
    return std::optional<double>(*cost / static_cast<double>(residents));
  }
  if (metric == "cost_per_patient") {
    if (!cost || !patients || *patients == 0) return std::optional<double>();
    return std::optional<double>(*cost / *patients);
  }
  if (metric == "ledger_cost") {
    if (data.ledger.empty()) return std::optional<double>();
    int64_t cents = 0;
    for (const LedgerRow& row : data.ledger) cents += row.amount_cents;
    return std::optional<double>(static_cast<double>(cents) / 100.0);
  }
  return InvalidArgumentError(fmt::format("unknown regional figure '{}'", metric));
}

}  // namespace mittari

namespace mittari {

Result<report::Table> Service::RegionalBonus(int year, std::string_view lang) {
  std::shared_ptr<const regional::RegionalDefinition> definition = regional_definition();
  const regional::BonusYear* bonus = definition->BonusFor(year);
  if (bonus == nullptr) {
    return NotFoundError(fmt::format("the regional definition has no bonus for {}; add it under `bonus:`", year));
  }
  ASSIGN_OR_RETURN(RegionalYear data, [&]() -> Result<RegionalYear> {
    std::lock_guard store_lock(store_mu_);
    return LoadRegionalYear(*store_, year, kLedgerPart);
  }());
  ASSIGN_OR_RETURN(OrgTree tree, [&]() -> Result<OrgTree> {
    std::lock_guard store_lock(store_mu_);
    return LoadTree();
  }());
  RETURN_IF_ERROR(engine().status());
  const regional::CapitationYear* capitation = definition->CapitationFor(year);

  report::Table table;
  table.columns = {"provider", "provider_name", "component", "measure", "measure_name", "value", "floor",
                   "target", "weight", "score", "pool", "bonus"};
  Money total_pool, total_bonus;
  for (const regional::BonusProvider& provider : bonus->providers) {
    std::optional<UnitIndex> root = tree.Find(provider.unit);
    if (!root) {
      return FailedPreconditionError(fmt::format("bonus {}: provider '{}' names unit '{}', which is not in the organisation",
                                                 year, provider.id, provider.unit));
    }
    Status measure_error = Status::Ok();
    auto computed = [&](const regional::BonusMeasure& measure) -> std::optional<double> {
      if (measure.source == regional::MeasureSource::kNps) {
        ReportRequest request;
        request.unit = provider.unit;
        request.from = fmt::format("{}-01-01", year);
        request.to = fmt::format("{}-12-31", year);
        request.where = measure.where;
        std::shared_lock engine_lock(engine_mu_);
        Result<Query> query = ToQuery(*engine_, request);
        Result<std::vector<NpsGroup>> groups = query.ok() ? engine_->Nps(*query) : Result<std::vector<NpsGroup>>(query.status());
        if (!groups.ok()) {
          // A filter the engine refuses is a mistake in the definition, not missing data: scoring
          // it 0 would quietly cost the provider its bonus.
          if (measure_error.ok()) {
            measure_error = groups.status().WithContext(fmt::format(
                "bonus {}: measure '{}' (line {}) for provider '{}'", year, measure.id, measure.line, provider.id));
          }
          return std::nullopt;
        }
        // Fewer answers than the minimum group size: no value, like any suppressed figure.
        if (groups->size() != 1 || !(*groups)[0].estimate) return std::nullopt;
        return (*groups)[0].estimate->value;
      }
      if (measure.source == regional::MeasureSource::kCostVsCapitation) {
        if (capitation == nullptr || data.ledger.empty()) return std::nullopt;
        int64_t cents = 0;
        for (const LedgerRow& row : data.ledger) {
          std::optional<UnitIndex> centre = tree.Find(row.cost_centre);
          if (centre && tree.InSubtree(*root, *centre)) cents += row.amount_cents;
        }
        const double expected = static_cast<double>(capitation->total.cents()) * provider.capitation_share;
        if (expected <= 0) return std::nullopt;
        return static_cast<double>(cents) / expected;
      }
      return std::nullopt;
    };
    ASSIGN_OR_RETURN(regional::ProviderBonus result, regional::EvaluateProviderBonus(*bonus, provider, computed));
    RETURN_IF_ERROR(measure_error);
    const std::string name = provider.names.In(lang);
    for (size_t aim = 0; aim < regional::kBonusAimCount; ++aim) {
      const regional::BonusComponentDefinition& component = bonus->components[aim];
      const std::string aim_name(regional::kBonusAimNames[aim]);
      for (const regional::BonusMeasure& measure : component.measures) {
        auto outcome = std::find_if(result.measures.begin(), result.measures.end(),
                                    [&](const regional::MeasureOutcome& m) { return m.id == measure.id; });
        report::Cell value = std::monostate{};
        double score = 0;
        if (outcome != result.measures.end()) {
          if (outcome->value) value = report::Decimal{*outcome->value, 2};
          score = outcome->score;
        }
        table.rows.push_back({provider.id, name, aim_name, measure.id, measure.names.In(lang), value,
                              report::Decimal{measure.floor, 2}, report::Decimal{measure.target, 2},
                              report::Decimal{measure.weight, 2}, report::Decimal{score, 3}, std::monostate{},
                              std::monostate{}});
      }
      table.rows.push_back({provider.id, name, aim_name, std::monostate{}, std::string(Say(lang, "Osa-alue yhteensä", "Delområdet totalt", "Component total")),
                            std::monostate{}, std::monostate{}, std::monostate{}, report::Decimal{component.weight, 2},
                            report::Decimal{result.component_scores[aim], 3}, std::monostate{}, std::monostate{}});
    }
    table.rows.push_back({provider.id, name, std::monostate{}, std::monostate{},
                          std::string(Say(lang, "Bonus yhteensä", "Bonus totalt", "Bonus total")), std::monostate{},
                          std::monostate{}, std::monostate{}, std::monostate{}, report::Decimal{result.achievement, 3},
                          MoneyCell(provider.pool), MoneyCell(result.bonus)});
    total_pool += provider.pool;
    total_bonus += result.bonus;
  }
  table.rows.push_back({std::monostate{}, std::string(Say(lang, "Kaikki tuottajat", "Alla producenter", "All providers")),
                        std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{},
                        std::monostate{}, std::monostate{}, std::monostate{}, MoneyCell(total_pool), MoneyCell(total_bonus)});
  return table;
}

}  // namespace mittari

namespace mittari {

Result<RegionalOverview> Service::RegionalOverviewOf() {
  RegionalOverview overview;
  {
    std::lock_guard store_lock(store_mu_);
    ASSIGN_OR_RETURN(overview.years, store_->ProductionYears());
    ASSIGN_OR_RETURN(std::vector<Municipality> municipalities, store_->ListMunicipalities());
    std::map<std::string, std::string> payers;
    for (const Municipality& m : municipalities) payers.emplace(m.payer, m.payer_name);
    overview.payers.assign(payers.begin(), payers.end());
  }
  std::shared_ptr<const regional::RegionalDefinition> definition = regional_definition();
  for (const regional::CapitationYear& c : definition->capitation) overview.capitation_years.push_back(c.year);
  for (const regional::BonusYear& b : definition->bonus) overview.bonus_years.push_back(b.year);
  std::sort(overview.capitation_years.begin(), overview.capitation_years.end());
  std::sort(overview.bonus_years.begin(), overview.bonus_years.end());
  return overview;
}

}  // namespace mittari

namespace mittari {

Result<std::vector<std::string>> Service::GenerateRegionalDemo(const std::string& directory, int year, uint64_t seed) {
  std::vector<Unit> units = demo::GenerateUnits(seed);
  const demo::RegionalDemoFiles files = demo::GenerateRegionalDemo(units, year, seed);
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return UnavailableError(fmt::format("cannot create '{}': {}", directory, error.message()));
  // In dependency order: prices before production, municipalities before everything.
  const std::pair<const char*, const std::string*> order[] = {
      {"municipalities", &files.municipalities}, {"population", &files.population}, {"prices", &files.price_list},
      {"production", &files.production},         {"patient-costs", &files.patient_costs},
      {"ledger", &files.ledger},                 {"need", &files.need}};
  std::vector<std::string> lines;
  for (const auto& [kind, text] : order) {
    const std::string path = (std::filesystem::path(directory) / (std::string(kind) + ".csv")).string();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr || std::fwrite(text->data(), 1, text->size(), f) != text->size() || std::fclose(f) != 0) {
      return UnavailableError(fmt::format("cannot write '{}'", path));
    }
    ImportOptions options;
    ASSIGN_OR_RETURN(ImportSummary summary, ImportRegional(kind, path, options));
    if (summary.rejected > 0) {
      return InternalError(fmt::format("the demo's {} file has {} rejected rows", kind, summary.rejected));
    }
    lines.push_back(fmt::format("{}: imported {} rows from {}", kind, summary.imported, path));
  }
  return lines;
}

}  // namespace mittari
