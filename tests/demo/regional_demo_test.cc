#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/csv.h"
#include "demo/demo.h"
#include "demo/regional.h"
#include "model/unit.h"

namespace mittari::demo {
namespace {

constexpr int kYear = 2025;
const std::vector<std::string> kAgeGroups = {"0-6", "7-17", "18-64", "65-74", "75-84", "85+"};

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// Reads `text` with the project's CSV reader, failing the test on any malformed record or a
// row whose width differs from the header's.
Table Parse(const std::string& text) {
  Table table;
  std::unique_ptr<CsvReader> reader = CsvReader::FromString(text);
  CsvRecord record;
  bool first = true;
  while (true) {
    Result<bool> more = reader->Next(&record);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    EXPECT_EQ(record.error, "") << "record " << record.record_number;
    if (first) {
      table.header = record.fields;
      first = false;
      continue;
    }
    EXPECT_EQ(record.fields.size(), table.header.size()) << "record " << record.record_number;
    table.rows.push_back(record.fields);
  }
  return table;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int64_t ParseInt(std::string_view s) {
  EXPECT_TRUE(AllDigits(s)) << s;
  int64_t value = 0;
  for (char c : s) value = value * 10 + (c - '0');
  return value;
}

// "1234.56" or "-0.30" to cents, without floating point; nullopt for anything else.
std::optional<int64_t> ParseCents(std::string_view s) {
  bool negative = false;
  if (!s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  const size_t dot = s.find('.');
  if (dot == std::string_view::npos || s.size() - dot != 3) return std::nullopt;
  const std::string_view whole = s.substr(0, dot);
  const std::string_view fraction = s.substr(dot + 1);
  if (!AllDigits(whole) || !AllDigits(fraction)) return std::nullopt;
  const int64_t cents = ParseInt(whole) * 100 + ParseInt(fraction);
  return negative ? -cents : cents;
}

int64_t Cents(std::string_view s) {
  std::optional<int64_t> cents = ParseCents(s);
  EXPECT_TRUE(cents.has_value()) << "not an amount: " << s;
  return cents.value_or(0);
}

const std::vector<Unit>& Units() {
  static const std::vector<Unit> units = GenerateUnits(1);
  return units;
}

const RegionalDemoFiles& Demo() {
  static const RegionalDemoFiles files = GenerateRegionalDemo(Units(), kYear, 1);
  return files;
}

struct DemoTables {
  Table municipalities, population, price_list, production, patient_costs, ledger, need;
};

// Parsed once: the patient cost file alone has some 200,000 lines.
const DemoTables& Tables() {
  static const DemoTables tables = {Parse(Demo().municipalities),
                                    Parse(Demo().population),
                                    Parse(Demo().price_list),
                                    Parse(Demo().production),
                                    Parse(Demo().patient_costs),
                                    Parse(Demo().ledger),
                                    Parse(Demo().need)};
  return tables;
}

std::vector<std::pair<std::string, const std::string*>> AllFiles(const RegionalDemoFiles& f) {
  return {{"municipalities", &f.municipalities},
          {"population", &f.population},
          {"price_list", &f.price_list},
          {"production", &f.production},
          {"patient_costs", &f.patient_costs},
          {"ledger", &f.ledger},
          {"need", &f.need}};
}

std::set<std::string> MunicipalityCodes() {
  std::set<std::string> codes;
  for (const auto& row : Tables().municipalities.rows) codes.insert(row[0]);
  return codes;
}

// Σ volume × price of `year` per municipality, in cents.
std::map<std::string, int64_t> PricedProduction() {
  std::map<std::string, int64_t> price;
  for (const auto& row : Tables().price_list.rows) {
    if (row[5] == std::to_string(kYear)) price[row[0]] = Cents(row[6]);
  }
  std::map<std::string, int64_t> total;
  for (const auto& row : Tables().production.rows) {
    EXPECT_TRUE(price.count(row[1])) << row[1];
    total[row[0]] += ParseInt(row[4]) * price[row[1]];
  }
  return total;
}

TEST(RegionalDemoTest, SameSeedGivesSameTextAndAnotherSeedOtherText) {
  const RegionalDemoFiles again = GenerateRegionalDemo(Units(), kYear, 1);
  const RegionalDemoFiles other = GenerateRegionalDemo(Units(), kYear, 2);
  const auto first_files = AllFiles(Demo());
  const auto again_files = AllFiles(again);
  const auto other_files = AllFiles(other);
  for (size_t i = 0; i < first_files.size(); ++i) {
    EXPECT_EQ(*first_files[i].second, *again_files[i].second) << first_files[i].first;
  }
  EXPECT_NE(Demo().population, other.population);
  EXPECT_NE(Demo().production, other.production);
  EXPECT_NE(Demo().patient_costs, other.patient_costs);
  EXPECT_NE(Demo().ledger, other.ledger);
  EXPECT_NE(Demo().need, other.need);
  // The municipalities themselves are real, not drawn.
  EXPECT_EQ(Demo().municipalities, other.municipalities);
}

TEST(RegionalDemoTest, FilesHaveTheExactHeadersAndLineEndings) {
  const RegionalDemoFiles& f = Demo();
  EXPECT_EQ(Tables().municipalities.header,
            (std::vector<std::string>{"code", "name_fi", "name_sv", "payer", "payer_name"}));
  EXPECT_EQ(Tables().population.header,
            (std::vector<std::string>{"municipality", "year", "age_group", "residents"}));
  EXPECT_EQ(Tables().price_list.header,
            (std::vector<std::string>{"product", "name_fi", "name_sv", "name_en", "kind", "year",
                                      "unit_price"}));
  EXPECT_EQ(Tables().production.header,
            (std::vector<std::string>{"municipality", "product", "month", "age_group", "volume",
                                      "patients"}));
  EXPECT_EQ(Tables().patient_costs.header,
            (std::vector<std::string>{"patient_id", "municipality", "year", "cost"}));
  EXPECT_EQ(Tables().ledger.header,
            (std::vector<std::string>{"cost_centre", "account", "month", "amount"}));
  EXPECT_EQ(Tables().need.header,
            (std::vector<std::string>{"municipality", "year", "need_coefficient"}));
  for (const auto& [name, text] : AllFiles(f)) {
    ASSERT_FALSE(text->empty()) << name;
    EXPECT_EQ(text->back(), '\n') << name;
    EXPECT_EQ(text->find('\r'), std::string::npos) << name;
    EXPECT_EQ(text->find("\n\n"), std::string::npos) << name;
  }
}

TEST(RegionalDemoTest, TwentyFiveMunicipalitiesWithUniqueThreeDigitCodes) {
  const Table& table = Tables().municipalities;
  ASSERT_EQ(table.rows.size(), 25u);
  std::set<std::string> codes;
  std::map<std::string, std::string> payer_names;
  for (const auto& row : table.rows) {
    EXPECT_EQ(row[0].size(), 3u) << row[0];
    EXPECT_TRUE(AllDigits(row[0])) << row[0];
    EXPECT_TRUE(codes.insert(row[0]).second) << "repeated " << row[0];
    EXPECT_FALSE(row[1].empty());
    EXPECT_FALSE(row[2].empty());
    EXPECT_FALSE(row[3].empty());
    EXPECT_FALSE(row[4].empty());
    auto [it, inserted] = payer_names.emplace(row[3], row[4]);
    EXPECT_EQ(it->second, row[4]) << "payer " << row[3] << " has two names";
  }
  EXPECT_GE(payer_names.size(), 2u);
  EXPECT_LE(payer_names.size(), 3u);
  EXPECT_TRUE(codes.count("837"));  // Tampere
}

TEST(RegionalDemoTest, PopulationCoversEveryMunicipalityAndAgeGroup) {
  const std::set<std::string> codes = MunicipalityCodes();
  std::map<std::pair<std::string, std::string>, int> seen;  // (year, municipality|age) -> count
  int64_t total = 0;
  for (const auto& row : Tables().population.rows) {
    EXPECT_TRUE(codes.count(row[0])) << row[0];
    EXPECT_TRUE(std::count(kAgeGroups.begin(), kAgeGroups.end(), row[2])) << row[2];
    EXPECT_GT(ParseInt(row[3]), 0);
    ++seen[{row[1], row[0] + "|" + row[2]}];
    if (row[1] == std::to_string(kYear)) total += ParseInt(row[3]);
  }
  for (int year = kYear - 1; year <= kYear + 1; ++year) {
    for (const std::string& code : codes) {
      for (const std::string& age : kAgeGroups) {
        EXPECT_EQ((seen[{std::to_string(year), code + "|" + age}]), 1)
            << year << " " << code << " " << age;
      }
    }
  }
  EXPECT_GT(total, 550000);
  EXPECT_LT(total, 750000);
}

TEST(RegionalDemoTest, AgeStructuresDiffer) {
  std::map<std::string, std::pair<int64_t, int64_t>> old_and_all;
  for (const auto& row : Tables().population.rows) {
    if (row[1] != std::to_string(kYear)) continue;
    const int64_t residents = ParseInt(row[3]);
    auto& [old, all] = old_and_all[row[0]];
    all += residents;
    if (row[2] == "75-84" || row[2] == "85+") old += residents;
  }
  ASSERT_EQ(old_and_all.size(), 25u);
  // Compare old/all shares as fractions in integers: a/b >= 2 c/d  <=>  a d >= 2 c b.
  std::pair<int64_t, int64_t> youngest = old_and_all.begin()->second;
  std::pair<int64_t, int64_t> oldest = youngest;
  for (const auto& [code, share] : old_and_all) {
    if (share.first * youngest.second < youngest.first * share.second) youngest = share;
    if (share.first * oldest.second > oldest.first * share.second) oldest = share;
  }
  EXPECT_GE(oldest.first * youngest.second, 2 * youngest.first * oldest.second)
      << "75+ shares " << oldest.first << "/" << oldest.second << " and " << youngest.first << "/"
      << youngest.second;
}

TEST(RegionalDemoTest, PriceListCoversTwoYearsWithModestIncreases) {
  const std::set<std::string> kinds = {"visit", "bed_day", "procedure", "drg", "remote"};
  std::map<std::string, std::map<int64_t, int64_t>> prices;
  for (const auto& row : Tables().price_list.rows) {
    EXPECT_TRUE(kinds.count(row[4])) << row[4];
    EXPECT_FALSE(row[1].empty() || row[2].empty() || row[3].empty()) << row[0];
    const int64_t cents = Cents(row[6]);
    EXPECT_GT(cents, 0) << row[0];
    EXPECT_TRUE(prices[row[0]].emplace(ParseInt(row[5]), cents).second) << row[0];
  }
  EXPECT_GE(prices.size(), 15u);
  EXPECT_LE(prices.size(), 25u);
  for (const auto& [product, by_year] : prices) {
    ASSERT_EQ(by_year.size(), 2u) << product;
    const int64_t now = by_year.at(kYear);
    const int64_t next = by_year.at(kYear + 1);
    EXPECT_GE(next * 1000, now * 1019) << product;  // +2% less a cent of rounding
    EXPECT_LE(next * 1000, now * 1041) << product;
  }
}

TEST(RegionalDemoTest, ProductionRowsAreWellFormedAndPatientsNeverExceedVolume) {
  const std::set<std::string> codes = MunicipalityCodes();
  std::set<std::string> products;
  for (const auto& row : Tables().price_list.rows) products.insert(row[0]);
  const Table& table = Tables().production;
  ASSERT_GT(table.rows.size(), 5000u);
  std::set<std::string> months;
  std::set<std::string> row_keys;
  for (const auto& row : table.rows) {
    EXPECT_TRUE(codes.count(row[0])) << row[0];
    EXPECT_TRUE(products.count(row[1])) << row[1];
    EXPECT_EQ(row[2].substr(0, 5), std::to_string(kYear) + "-") << row[2];
    months.insert(row[2]);
    EXPECT_TRUE(std::count(kAgeGroups.begin(), kAgeGroups.end(), row[3])) << row[3];
    const int64_t volume = ParseInt(row[4]);
    const int64_t patients = ParseInt(row[5]);
    EXPECT_GT(volume, 0);
    EXPECT_GE(patients, 1);
    EXPECT_LE(patients, volume) << row[0] << " " << row[1] << " " << row[2] << " " << row[3];
    EXPECT_TRUE(row_keys.insert(row[0] + "|" + row[1] + "|" + row[2] + "|" + row[3]).second);
  }
  EXPECT_EQ(months.size(), 12u);
}

TEST(RegionalDemoTest, PatientCostsSumToPricedProductionToTheCent) {
  const std::map<std::string, int64_t> production = PricedProduction();
  ASSERT_EQ(production.size(), 25u);
  std::map<std::string, int64_t> costs;
  for (const auto& row : Tables().patient_costs.rows) {
    EXPECT_EQ(row[2], std::to_string(kYear));
    const int64_t cents = Cents(row[3]);
    EXPECT_GT(cents, 0);
    costs[row[1]] += cents;
  }
  EXPECT_EQ(costs, production);
}

TEST(RegionalDemoTest, PatientsArePseudonymousAndIncludeHighCostOnes) {
  std::map<std::string, int64_t> residents;
  for (const auto& row : Tables().population.rows) {
    if (row[1] == std::to_string(kYear)) residents[row[0]] += ParseInt(row[3]);
  }
  const Table& table = Tables().patient_costs;
  EXPECT_LT(table.rows.size(), 250000u);
  std::unordered_map<std::string, int64_t> patient_year;  // id|year -> cents
  std::unordered_map<std::string, std::string> municipality_of;
  std::map<std::string, int64_t> patients_of;
  for (const auto& row : table.rows) {
    const std::string& id = row[0];
    EXPECT_EQ(id.size(), 9u) << id;
    EXPECT_EQ(id[0], 'P') << id;
    EXPECT_TRUE(AllDigits(std::string_view(id).substr(1))) << id;
    patient_year[id + "|" + row[2]] += Cents(row[3]);
    auto [it, inserted] = municipality_of.emplace(id, row[1]);
    EXPECT_EQ(it->second, row[1]) << id << " lives in two municipalities";
    patients_of[row[1]] += inserted;
  }
  EXPECT_LT(patient_year.size(), table.rows.size()) << "no patient-year has two lines";
  int above_80k = 0;
  int above_200k = 0;
  for (const auto& [key, cents] : patient_year) {
    above_80k += cents > 8000000;
    above_200k += cents > 20000000;
  }
  EXPECT_GE(above_80k, 3);
  EXPECT_GE(above_200k, 1);
  ASSERT_EQ(patients_of.size(), 25u);
  for (const auto& [code, count] : patients_of) {
    EXPECT_GE(count * 100, residents[code] * 24) << code;
    EXPECT_LE(count * 100, residents[code] * 36) << code;
  }
}

TEST(RegionalDemoTest, LedgerIsBookedOnAreasAndCentresAndMatchesProduction) {
  std::set<std::string> cost_centres;
  for (const Unit& unit : Units()) {
    if (unit.kind == UnitKind::kArea || unit.kind == UnitKind::kCentre) {
      cost_centres.insert(unit.code);
    }
  }
  const std::set<std::string> accounts = {"personnel", "rents",        "materials",
                                          "other",     "depreciation", "purchased_services"};
  std::map<std::string, int64_t> by_account;
  std::set<std::string> seen_centres;
  int64_t total = 0;
  int negatives = 0;
  for (const auto& row : Tables().ledger.rows) {
    EXPECT_TRUE(cost_centres.count(row[0])) << row[0];
    seen_centres.insert(row[0]);
    EXPECT_TRUE(accounts.count(row[1])) << row[1];
    EXPECT_EQ(row[2].substr(0, 5), std::to_string(kYear) + "-") << row[2];
    const int64_t cents = Cents(row[3]);
    by_account[row[1]] += cents;
    total += cents;
    negatives += cents < 0;
  }
  EXPECT_EQ(seen_centres, cost_centres);  // none of them closes before 2025
  EXPECT_LT(negatives, 20);
  int64_t production = 0;
  for (const auto& [code, cents] : PricedProduction()) production += cents;
  EXPECT_GE(total * 100, production * 97);
  EXPECT_LE(total * 100, production * 103);
  EXPECT_GE(by_account["personnel"] * 100, total * 50);
  EXPECT_LE(by_account["personnel"] * 100, total * 65);
}

TEST(RegionalDemoTest, LedgerSkipsCostCentresClosedBeforeTheYear) {
  std::vector<Unit> units = Units();
  std::string closed;
  for (Unit& unit : units) {
    if (unit.kind == UnitKind::kCentre) {
      unit.valid_to = FromCivilDate(kYear - 1, 12, 31);
      closed = unit.code;
      break;
    }
  }
  ASSERT_FALSE(closed.empty());
  for (const auto& row : Parse(GenerateRegionalDemo(units, kYear, 1).ledger).rows) {
    EXPECT_NE(row[0], closed);
  }
}

TEST(RegionalDemoTest, NeedCoefficientsAreInRange) {
  const std::set<std::string> codes = MunicipalityCodes();
  std::set<std::string> this_year;
  for (const auto& row : Tables().need.rows) {
    EXPECT_TRUE(codes.count(row[0])) << row[0];
    const std::string& value = row[2];
    ASSERT_EQ(value.size(), 5u) << value;  // d.ddd
    EXPECT_EQ(value[1], '.') << value;
    const int64_t thousandths = ParseInt(value.substr(0, 1)) * 1000 + ParseInt(value.substr(2));
    EXPECT_GE(thousandths, 800) << value;
    EXPECT_LE(thousandths, 1300) << value;
    if (row[1] == std::to_string(kYear)) this_year.insert(row[0]);
  }
  EXPECT_EQ(this_year, codes);
}

}  // namespace
}  // namespace mittari::demo
