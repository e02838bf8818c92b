// GenerateRegionalDemo: the regional finance demo files, built from tables of real member
// municipalities and of service products with age-specific use rates. The seed varies the
// residents, the municipalities' need and practice, the monthly volumes, the patients' costs
// and the ledger; the tables themselves are fixed. See regional.h for what the numbers are
// modelled on.

#include "demo/regional.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <string_view>
#include <vector>

#include "common/calendar.h"
#include "common/csv.h"
#include "demo/random.h"

namespace mittari::demo {
namespace {

using internal::Rng;

// Separate streams, so that a change in one part of the model (say the ledger) leaves the
// numbers of the other parts as they were.
constexpr uint64_t kPopulationStream = 0x7e610001;
constexpr uint64_t kPriceStream = 0x7e610002;
constexpr uint64_t kProductionStream = 0x7e610003;
constexpr uint64_t kPatientStream = 0x7e610004;
constexpr uint64_t kLedgerStream = 0x7e610005;

constexpr size_t kAgeGroups = 6;
using AgeArray = std::array<double, kAgeGroups>;
constexpr std::array<std::string_view, kAgeGroups> kAgeGroupNames = {"0-6",   "7-17",  "18-64",
                                                                     "65-74", "75-84", "85+"};

struct Payer {
  std::string_view code;
  std::string_view name;
};
constexpr Payer kPayers[] = {{"PIRKANMAA", "Pirkanmaan hyvinvointialue"},
                             {"KANTA-HAME", "Kanta-Hämeen hyvinvointialue"}};
constexpr size_t kPirkanmaa = 0;
constexpr size_t kKantaHame = 1;

struct MunicipalitySpec {
  std::string_view code;  // Statistics Finland
  std::string_view fi;
  std::string_view sv;  // the Finnish name where there is no established Swedish one
  size_t payer;
  int64_t residents;  // about the mid-2020s
  // Where the age structure lies between a young commuter suburb (0) and the ageing
  // countryside (1); it also drives need and population trend.
  double oldness;
  bool city;  // the student-city age profile instead
};

// clang-format off
constexpr MunicipalitySpec kMunicipalities[] = {
    {"020", "Akaa", "Ackas", kPirkanmaa, 16400, 0.50, false},
    {"061", "Forssa", "Forssa", kKantaHame, 16700, 0.75, false},
    {"082", "Hattula", "Hattula", kKantaHame, 9500, 0.40, false},
    {"108", "Hämeenkyrö", "Tavastkyro", kPirkanmaa, 10500, 0.50, false},
    {"109", "Hämeenlinna", "Tavastehus", kKantaHame, 68000, 0.45, false},
    {"143", "Ikaalinen", "Ikalis", kPirkanmaa, 6900, 0.90, false},
    {"177", "Juupajoki", "Juupajoki", kPirkanmaa, 1700, 1.00, false},
    {"211", "Kangasala", "Kangasala", kPirkanmaa, 33800, 0.20, false},
    {"250", "Kihniö", "Kihniö", kPirkanmaa, 1800, 1.00, false},
    {"418", "Lempäälä", "Lembois", kPirkanmaa, 25000, 0.05, false},
    {"508", "Mänttä-Vilppula", "Mänttä-Vilppula", kPirkanmaa, 9300, 0.95, false},
    {"536", "Nokia", "Nokia", kPirkanmaa, 35900, 0.25, false},
    {"562", "Orivesi", "Orivesi", kPirkanmaa, 8900, 0.70, false},
    {"581", "Parkano", "Parkano", kPirkanmaa, 6100, 0.85, false},
    {"604", "Pirkkala", "Birkala", kPirkanmaa, 20600, 0.05, false},
    {"619", "Punkalaidun", "Punkalaidun", kPirkanmaa, 2700, 1.00, false},
    {"635", "Pälkäne", "Pälkäne", kPirkanmaa, 6400, 0.70, false},
    {"702", "Ruovesi", "Ruovesi", kPirkanmaa, 4100, 1.00, false},
    {"790", "Sastamala", "Sastamala", kPirkanmaa, 23500, 0.70, false},
    {"837", "Tampere", "Tammerfors", kPirkanmaa, 258000, 0.30, true},
    {"887", "Urjala", "Urjala", kPirkanmaa, 4600, 0.90, false},
    {"908", "Valkeakoski", "Valkeakoski", kPirkanmaa, 21100, 0.55, false},
    {"922", "Vesilahti", "Vesilax", kPirkanmaa, 4600, 0.10, false},
    {"936", "Virrat", "Virdois", kPirkanmaa, 6300, 1.00, false},
    {"980", "Ylöjärvi", "Ylöjärvi", kPirkanmaa, 33900, 0.15, false},
};
// clang-format on

// Percentages of residents by age group.
constexpr AgeArray kSuburbProfile = {8.5, 15.0, 57.8, 10.7, 6.2, 1.8};
constexpr AgeArray kCountrysideProfile = {3.8, 8.2, 48.5, 20.0, 14.5, 5.0};
constexpr AgeArray kCityProfile = {5.5, 9.0, 66.0, 10.5, 6.5, 2.5};
// Yearly change of each age group on top of the municipality's trend: fewer children are born
// and the large post-war cohorts are moving from 65-74 into 75-84.
constexpr AgeArray kAgeingPerYear = {0.975, 0.990, 0.998, 0.990, 1.045, 1.025};

enum class Season { kScheduled, kAcute, kFlat };
// Monthly factors that average to one: scheduled care stops for the July holidays, acute care
// peaks in winter (influenza, slippery streets).
constexpr std::array<double, 12> kScheduledSeason = {1.04, 1.06, 1.10, 1.02, 1.04, 0.88,
                                                     0.62, 0.94, 1.08, 1.10, 1.10, 1.02};
constexpr std::array<double, 12> kAcuteSeason = {1.10, 1.06, 1.03, 0.98, 0.96, 0.95,
                                                 0.94, 0.95, 0.97, 1.00, 1.01, 1.05};

double SeasonFactor(Season season, int month_index) {
  switch (season) {
    case Season::kScheduled:
      return kScheduledSeason[static_cast<size_t>(month_index)];
    case Season::kAcute:
      return kAcuteSeason[static_cast<size_t>(month_index)];
    case Season::kFlat:
      break;
  }
  return 1.0;
}

struct ProductSpec {
  std::string_view code, fi, sv, en, kind;
  int64_t price_cents;  // in the production year
  AgeArray rate;        // uses a year per resident of the age group
  // Volume per distinct patient within a month: a bed day product has several per patient,
  // a first visit about one.
  double volume_per_patient;
  Season season;
};

// clang-format off
constexpr ProductSpec kProducts[] = {
    {"POLI-FIRST", "Poliklinikkakäynti, ensikäynti", "Poliklinikbesök, första besök",
     "Outpatient visit, first", "visit", 41230,
     {0.184, 0.138, 0.184, 0.345, 0.414, 0.368}, 1.03, Season::kScheduled},
    {"POLI-FOLLOW", "Poliklinikkakäynti, jatkokäynti", "Poliklinikbesök, återbesök",
     "Outpatient visit, follow-up", "visit", 29870,
     {0.504, 0.364, 0.588, 1.330, 1.610, 1.330}, 1.25, Season::kScheduled},
    {"POLI-NURSE", "Hoitajan vastaanottokäynti", "Sjukskötarbesök", "Nurse visit", "visit", 14840,
     {0.286, 0.208, 0.390, 0.806, 1.040, 0.910}, 1.35, Season::kScheduled},
    {"ER-VISIT", "Päivystyskäynti", "Jourbesök", "Emergency department visit", "visit", 48690,
     {0.330, 0.143, 0.187, 0.275, 0.462, 0.748}, 1.12, Season::kAcute},
    {"REMOTE-CONTACT", "Etäkontakti", "Distanskontakt", "Remote contact", "remote", 9650,
     {0.400, 0.320, 0.720, 1.200, 1.350, 1.000}, 1.70, Season::kScheduled},
    {"REMOTE-VIDEO", "Videovastaanotto", "Videomottagning", "Video consultation", "remote", 21480,
     {0.020, 0.040, 0.070, 0.050, 0.030, 0.010}, 1.05, Season::kScheduled},
    {"BEDDAY-SOMATIC", "Hoitopäivä, somaattinen", "Vårddag, somatisk", "Bed day, somatic",
     "bed_day", 112800, {0.459, 0.095, 0.230, 0.702, 1.418, 2.295}, 4.8, Season::kAcute},
    {"BEDDAY-PSY", "Hoitopäivä, psykiatrinen", "Vårddag, psykiatrisk", "Bed day, psychiatric",
     "bed_day", 74260, {0.0, 0.100, 0.210, 0.120, 0.080, 0.060}, 13.0, Season::kFlat},
    {"BEDDAY-ICU", "Tehohoitopäivä", "Intensivvårddag", "Intensive care day", "bed_day", 438000,
     {0.012, 0.002, 0.006, 0.014, 0.016, 0.008}, 2.6, Season::kAcute},
    {"BEDDAY-GERI", "Hoitopäivä, geriatrinen kuntoutus", "Vårddag, geriatrisk rehabilitering",
     "Bed day, geriatric rehabilitation", "bed_day", 51240,
     {0.0, 0.0, 0.0096, 0.084, 0.360, 0.840}, 11.0, Season::kAcute},
    {"PROC-ENDO", "Tähystystutkimus", "Endoskopi", "Endoscopy", "procedure", 81250,
     {0.004, 0.010, 0.040, 0.100, 0.110, 0.060}, 1.02, Season::kScheduled},
    {"PROC-MRI", "Magneettikuvaus", "Magnetkameraundersökning", "MRI scan", "procedure", 56820,
     {0.010, 0.030, 0.060, 0.090, 0.080, 0.030}, 1.03, Season::kScheduled},
    {"PROC-CT", "Tietokonetomografia", "Datortomografi", "CT scan", "procedure", 34210,
     {0.020, 0.020, 0.070, 0.160, 0.220, 0.240}, 1.15, Season::kAcute},
    {"PROC-CATARACT", "Kaihileikkaus", "Gråstarrsoperation", "Cataract surgery", "procedure",
     164000, {0.0, 0.0, 0.002, 0.030, 0.060, 0.040}, 1.0, Season::kScheduled},
    {"PROC-DAYSURG", "Päiväkirurginen toimenpide", "Dagkirurgiskt ingrepp", "Day surgery",
     "procedure", 248000, {0.024, 0.036, 0.048, 0.072, 0.060, 0.024}, 1.02, Season::kScheduled},
    {"DRG-014", "Aivoverenkiertohäiriö", "Cerebrovaskulär sjukdom", "Stroke", "drg", 897000,
     {0.0, 0.0, 0.0008, 0.004, 0.009, 0.014}, 1.0, Season::kAcute},
    {"DRG-107", "Sepelvaltimon ohitusleikkaus", "Kranskärlsbypass", "Coronary artery bypass",
     "drg", 2740000, {0.0, 0.0, 0.0003, 0.0012, 0.0012, 0.0002}, 1.0, Season::kScheduled},
    {"DRG-127", "Sydämen vajaatoiminta", "Hjärtsvikt", "Heart failure", "drg", 542000,
     {0.0, 0.0, 0.001, 0.006, 0.016, 0.030}, 1.05, Season::kAcute},
    {"DRG-209", "Lonkan tai polven tekonivelleikkaus", "Höft- eller knäledsprotes",
     "Hip or knee joint replacement", "drg", 986000,
     {0.0, 0.0, 0.002, 0.012, 0.013, 0.004}, 1.0, Season::kScheduled},
    {"DRG-373", "Alatiesynnytys", "Vaginal förlossning", "Vaginal delivery", "drg", 326000,
     {0.0, 0.0004, 0.014, 0.0, 0.0, 0.0}, 1.0, Season::kFlat},
    {"DRG-386", "Keskosen tai vastasyntyneen tehohoito", "Intensivvård av prematur eller nyfödd",
     "Neonatal intensive care", "drg", 1480000, {0.0025, 0.0, 0.0, 0.0, 0.0, 0.0}, 1.0,
     Season::kFlat},
    {"DRG-410", "Solunsalpaajahoitojakso", "Cytostatikabehandling", "Chemotherapy episode", "drg",
     415000, {0.0026, 0.0013, 0.0104, 0.039, 0.039, 0.0156}, 1.6, Season::kFlat},
};
// clang-format on

constexpr size_t kAccounts = 6;
constexpr std::array<std::string_view, kAccounts> kAccountNames = {
    "personnel", "materials", "purchased_services", "rents", "depreciation", "other"};
constexpr std::array<double, kAccounts> kAccountShares = {0.575, 0.120, 0.170, 0.065, 0.035, 0.035};
constexpr size_t kMaterials = 1;
constexpr size_t kPurchasedServices = 2;
constexpr size_t kRents = 3;
constexpr size_t kDepreciation = 4;
constexpr size_t kOther = 5;
// Personnel costs rise with June's holiday bonuses and fall with July's missing substitutes;
// purchased services bunch up with the year-end invoices; rents and depreciation are flat.
constexpr std::array<std::array<double, 12>, kAccounts> kAccountMonths = {{
    {1.00, 0.96, 1.00, 0.99, 1.00, 1.16, 0.92, 0.98, 1.00, 1.00, 0.99, 1.00},
    kScheduledSeason,
    {0.97, 0.98, 1.00, 0.99, 1.00, 0.98, 0.90, 0.97, 1.02, 1.03, 1.04, 1.12},
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
}};

// The spread of log cost between the patients of a municipality; 1.35 puts about 0.4% of
// patient-years above €80,000 at a mean around €6,000, in line with real high-cost pooling
// data.
constexpr double kPatientCostSigma = 1.35;
// The share of patient-years invoiced in two lines (say, an outpatient and an inpatient one).
constexpr double kTwoLineShare = 0.12;

int64_t RoundToInt(double x) { return static_cast<int64_t>(std::floor(x + 0.5)); }

// e^x by range reduction to |r| <= ln 2 / 2 and a Taylor series. Only + - * /, floor and
// ldexp, all exact or correctly rounded, so every platform gets the same bits (libm's exp
// may differ in the last place, and one bit can change a Poisson draw).
double Exp(double x) {
  constexpr double kLn2 = 0.6931471805599453;
  const double k = std::floor(x / kLn2 + 0.5);
  const double r = x - k * kLn2;
  double term = 1.0;
  double sum = 1.0;
  for (int n = 1; n <= 16; ++n) {
    term *= r / n;
    sum += term;
  }
  return std::ldexp(sum, static_cast<int>(k));
}

// Returns a Poisson variate: exact (Knuth's product of uniforms) for small means, where most
// cells of small municipalities are, and the normal approximation above.
int64_t Poisson(Rng& rng, double mean) {
  if (!(mean > 0)) return 0;
  if (mean < 30) {
    const double limit = Exp(-mean);
    int64_t count = 0;
    for (double p = rng.Uniform(); p > limit; p *= rng.Uniform()) ++count;
    return count;
  }
  return std::max<int64_t>(0, RoundToInt(mean + std::sqrt(mean) * rng.Normal()));
}

double Clamp(double x, double low, double high) { return std::min(std::max(x, low), high); }

// Splits `total` (>= 0) cents in proportion to `weights` (>= 0, some positive) so that the
// parts sum to `total` exactly: each part is the floor of its share, and the cents the floors
// leave over go one each to the first parts. Doubles are precise enough, as totals stay far
// below 2^53 cents; any rounding slip of a floor is corrected by the same loop.
std::vector<int64_t> Apportion(int64_t total, const std::vector<double>& weights) {
  double sum = 0;
  for (double w : weights) sum += w;
  std::vector<int64_t> parts(weights.size(), 0);
  if (parts.empty() || !(sum > 0)) return parts;
  int64_t assigned = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    parts[i] = static_cast<int64_t>(std::floor(static_cast<double>(total) * (weights[i] / sum)));
    assigned += parts[i];
  }
  int64_t rest = total - assigned;
  for (size_t i = 0; rest != 0; i = (i + 1) % parts.size()) {
    if (rest > 0) {
      ++parts[i];
      --rest;
    } else if (parts[i] > 0) {
      --parts[i];
      ++rest;
    }
  }
  return parts;
}

void AppendEuros(std::string& out, int64_t cents) {
  const uint64_t magnitude =
      cents < 0 ? uint64_t{0} - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  fmt::format_to(std::back_inserter(out), "{}{}.{:02}", cents < 0 ? "-" : "", magnitude / 100,
                 magnitude % 100);
}

void AppendThousandths(std::string& out, int value) {
  fmt::format_to(std::back_inserter(out), "{}.{:03}", value / 1000, value % 1000);
}

// A member municipality as the seed made it.
struct Member {
  const MunicipalitySpec* spec = nullptr;
  std::array<int64_t, kAgeGroups> residents{};  // in the production year
  std::array<double, kAgeGroups> yearly_change{};
  std::array<int, 3> need_thousandths{};  // year-1, year, year+1
  double use = 1.0;                       // multiplies every use rate
  int64_t production_cents = 0;

  int64_t total_residents() const {
    int64_t total = 0;
    for (int64_t r : residents) total += r;
    return total;
  }
};

std::vector<Member> MakeMembers(uint64_t seed) {
  Rng rng(internal::StreamSeed(seed, kPopulationStream));
  std::vector<Member> members;
  for (const MunicipalitySpec& spec : kMunicipalities) {
    Member member;
    member.spec = &spec;
    const double total = static_cast<double>(spec.residents) * (1.0 + 0.01 * rng.Normal());
    AgeArray shares{};
    double share_sum = 0;
    for (size_t g = 0; g < kAgeGroups; ++g) {
      const double base =
          spec.city
              ? kCityProfile[g]
              : kSuburbProfile[g] + spec.oldness * (kCountrysideProfile[g] - kSuburbProfile[g]);
      shares[g] = base * (1.0 + 0.03 * rng.Normal());
      share_sum += shares[g];
    }
    const double trend = spec.city ? 1.012 : 1.009 - 0.021 * spec.oldness;
    for (size_t g = 0; g < kAgeGroups; ++g) {
      member.residents[g] = std::max<int64_t>(1, RoundToInt(total * shares[g] / share_sum));
      member.yearly_change[g] = trend * kAgeingPerYear[g];
    }

    // Need follows the age structure only loosely: it measures morbidity beyond age, which is
    // higher in the countryside and, for psychiatry, in the city.
    const double need = Clamp(
        0.84 + 0.34 * spec.oldness + (spec.city ? 0.03 : 0.0) + 0.035 * rng.Normal(), 0.80, 1.30);
    const int now = static_cast<int>(RoundToInt(need * 1000));
    const int before = now - 10 + static_cast<int>(rng.Below(21));
    const int after = now - 10 + static_cast<int>(rng.Below(21));
    member.need_thousandths = {std::clamp(before, 800, 1300), now, std::clamp(after, 800, 1300)};
    // Practice variation that persists over products, so that two municipalities of equal need
    // and age still differ per resident, as they do.
    const double practice = Clamp(1.0 + 0.045 * rng.Normal(), 0.88, 1.12);
    member.use = (0.5 + 0.5 * need) * practice;
    members.push_back(member);
  }
  return members;
}

std::string MunicipalitiesCsv() {
  std::string out = "code,name_fi,name_sv,payer,payer_name\n";
  for (const MunicipalitySpec& spec : kMunicipalities) {
    const Payer& payer = kPayers[spec.payer];
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{}\n", spec.code, CsvEscape(spec.fi),
                   CsvEscape(spec.sv), payer.code, CsvEscape(payer.name));
  }
  return out;
}

std::string PopulationCsv(const std::vector<Member>& members, int year) {
  std::string out = "municipality,year,age_group,residents\n";
  for (const Member& member : members) {
    for (int y = year - 1; y <= year + 1; ++y) {
      for (size_t g = 0; g < kAgeGroups; ++g) {
        double factor = 1.0;
        for (int k = year; k < y; ++k) factor *= member.yearly_change[g];
        for (int k = y; k < year; ++k) factor /= member.yearly_change[g];
        const int64_t residents =
            std::max<int64_t>(1, RoundToInt(static_cast<double>(member.residents[g]) * factor));
        fmt::format_to(std::back_inserter(out), "{},{},{},{}\n", member.spec->code, y,
                       kAgeGroupNames[g], residents);
      }
    }
  }
  return out;
}

std::string NeedCsv(const std::vector<Member>& members, int year) {
  std::string out = "municipality,year,need_coefficient\n";
  for (const Member& member : members) {
    for (size_t i = 0; i < member.need_thousandths.size(); ++i) {
      fmt::format_to(std::back_inserter(out), "{},{},", member.spec->code,
                     year - 1 + static_cast<int>(i));
      AppendThousandths(out, member.need_thousandths[i]);
      out += '\n';
    }
  }
  return out;
}

std::string PriceListCsv(int year, uint64_t seed) {
  Rng rng(internal::StreamSeed(seed, kPriceStream));
  std::string out = "product,name_fi,name_sv,name_en,kind,year,unit_price\n";
  for (const ProductSpec& product : kProducts) {
    // Next year's list is up 2-4%, the range of recent yearly index increases.
    const int64_t basis_points = 200 + rng.Below(201);
    const int64_t next = (product.price_cents * (10000 + basis_points) + 5000) / 10000;
    const std::array<int64_t, 2> prices = {product.price_cents, next};
    for (int i = 0; i < 2; ++i) {
      fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},", product.code,
                     CsvEscape(product.fi), CsvEscape(product.sv), CsvEscape(product.en),
                     product.kind, year + i);
      AppendEuros(out, prices[static_cast<size_t>(i)]);
      out += '\n';
    }
  }
  return out;
}

// Writes the production rows and adds each member's priced total to production_cents.
std::string ProductionCsv(std::vector<Member>& members, int year, uint64_t seed) {
  Rng rng(internal::StreamSeed(seed, kProductionStream));
  std::string out = "municipality,product,month,age_group,volume,patients\n";
  out.reserve(size_t{2} << 20);
  for (Member& member : members) {
    for (const ProductSpec& product : kProducts) {
      // How this municipality's practice differs for this one product.
      const double product_use = member.use * Clamp(1.0 + 0.05 * rng.Normal(), 0.85, 1.15);
      for (int m = 0; m < 12; ++m) {
        const double season = SeasonFactor(product.season, m);
        for (size_t g = 0; g < kAgeGroups; ++g) {
          if (product.rate[g] <= 0) continue;
          const double mean = static_cast<double>(member.residents[g]) * product.rate[g] / 12.0 *
                              season * product_use * (1.0 + 0.03 * rng.Normal());
          const int64_t volume = Poisson(rng, mean);
          if (volume == 0) continue;
          const double expected_patients = static_cast<double>(volume) /
                                           product.volume_per_patient * (1.0 + 0.04 * rng.Normal());
          const int64_t patients = std::clamp<int64_t>(RoundToInt(expected_patients), 1, volume);
          member.production_cents += volume * product.price_cents;
          fmt::format_to(std::back_inserter(out), "{},{},{}-{:02},{},{},{}\n", member.spec->code,
                         product.code, year, m + 1, kAgeGroupNames[g], volume, patients);
        }
      }
    }
  }
  return out;
}

std::string PatientCostsCsv(const std::vector<Member>& members, int year, uint64_t seed) {
  Rng rng(internal::StreamSeed(seed, kPatientStream));
  std::string out = "patient_id,municipality,year,cost\n";
  out.reserve(size_t{8} << 20);
  // Even the lightest patient-year had one contact, so nobody costs less than the cheapest
  // product.
  int64_t floor_cents = kProducts[0].price_cents;
  for (const ProductSpec& product : kProducts)
    floor_cents = std::min(floor_cents, product.price_cents);

  // Pseudonyms step forward by a random stride, so they look issued rather than counted and
  // carry no information but themselves.
  int64_t next_id = 100000 + rng.Below(400000);
  std::vector<double> weights;
  for (const Member& member : members) {
    const int64_t total = member.production_cents;
    if (total <= 0) continue;
    const double share =
        Clamp(0.25 + 0.09 * member.spec->oldness + 0.008 * rng.Normal(), 0.25, 0.35);
    int64_t patients =
        std::max<int64_t>(1, RoundToInt(static_cast<double>(member.total_residents()) * share));
    // A tiny total (a freak seed) gets fewer patients rather than patients below the floor.
    patients = std::min(patients, std::max<int64_t>(1, total / (2 * floor_cents)));
    const int64_t per_patient_floor = total >= patients * floor_cents ? floor_cents : 0;

    weights.assign(static_cast<size_t>(patients), 0.0);
    for (double& w : weights) w = Exp(kPatientCostSigma * rng.Normal());
    const std::vector<int64_t> parts = Apportion(total - patients * per_patient_floor, weights);

    for (int64_t part : parts) {
      const int64_t cost = per_patient_floor + part;
      next_id += 1 + rng.Below(9);
      std::array<int64_t, 2> lines = {cost, 0};
      if (cost >= 2 && rng.Chance(kTwoLineShare)) {
        lines[0] = std::clamp<int64_t>(
            static_cast<int64_t>(static_cast<double>(cost) * (0.15 + 0.7 * rng.Uniform())), 1,
            cost - 1);
        lines[1] = cost - lines[0];
      }
      for (int64_t line : lines) {
        if (line == 0) continue;
        fmt::format_to(std::back_inserter(out), "P{:08},{},{},", next_id, member.spec->code, year);
        AppendEuros(out, line);
        out += '\n';
      }
    }
  }
  return out;
}

std::string LedgerCsv(const std::vector<Unit>& units, int64_t production_cents, int year,
                      uint64_t seed) {
  Rng rng(internal::StreamSeed(seed, kLedgerStream));
  std::string out = "cost_centre,account,month,amount\n";
  const LocalDay first_day = FromCivilDate(year, 1, 1);
  const LocalDay last_day = FromCivilDate(year, 12, 31);
  std::vector<const Unit*> centres;
  for (const Unit& unit : units) {
    if (unit.kind != UnitKind::kArea && unit.kind != UnitKind::kCentre) continue;
    if (unit.valid_from && *unit.valid_from > last_day) continue;
    if (unit.valid_to && *unit.valid_to < first_day) continue;
    centres.push_back(&unit);
  }
  if (centres.empty() || production_cents <= 0) return out;

  // Cells in output order: centre, account, month.
  std::vector<double> weights;
  weights.reserve(centres.size() * kAccounts * 12);
  for (const Unit* centre : centres) {
    // Unit characteristics come from the names, as in the rest of the demo: a hospital costs
    // several health stations, an area's own office little but buys services for its centres.
    double size = 1.0;
    std::array<double, kAccounts> shares = kAccountShares;
    if (centre->kind == UnitKind::kArea) {
      size = 0.3;
      shares[kMaterials] *= 0.4;
      shares[kPurchasedServices] *= 1.8;
    } else if (centre->name_fi.find("sairaala") != std::string::npos) {
      size = 3.2;
      shares[kMaterials] *= 1.3;
    } else if (centre->name_fi.find("hyvinvointikeskus") != std::string::npos) {
      size = 1.4;
    }
    size *= 0.8 + 0.45 * rng.Uniform();
    double share_sum = 0;
    for (double& share : shares) {
      share *= Clamp(1.0 + 0.08 * rng.Normal(), 0.7, 1.3);
      share_sum += share;
    }
    for (size_t a = 0; a < kAccounts; ++a) {
      const bool fixed = a == kRents || a == kDepreciation;  // booked evenly every month
      for (int m = 0; m < 12; ++m) {
        const double noise = fixed ? 1.0 : 1.0 + 0.02 * rng.Normal();
        weights.push_back(size * shares[a] / share_sum * kAccountMonths[a][static_cast<size_t>(m)] *
                          noise);
      }
    }
  }
  // The ledger and the priced production are two views of one year's costs; they agree within
  // a few percent, the gap being what the price list did not foresee.
  const int64_t permille = 970 + rng.Below(61);
  std::vector<int64_t> amounts = Apportion(production_cents * permille / 1000, weights);

  // A few centres get a credit note: part of an invoice booked under "other" is refunded the
  // next month, which then shows a negative amount. The invoice, with that month's own other
  // costs, sits in the month before, so the year's total is unchanged.
  for (size_t c = 0; c < centres.size(); ++c) {
    if (!rng.Chance(0.08)) continue;
    const size_t month = 1 + rng.Below(11);
    const size_t cell = (c * kAccounts + kOther) * 12 + month;
    const int64_t reversal = 5000 + rng.Below(295001);
    amounts[cell - 1] += amounts[cell] + reversal;
    amounts[cell] = -reversal;
  }

  size_t cell = 0;
  for (const Unit* centre : centres) {
    for (size_t a = 0; a < kAccounts; ++a) {
      for (int m = 1; m <= 12; ++m) {
        fmt::format_to(std::back_inserter(out), "{},{},{}-{:02},", CsvEscape(centre->code),
                       kAccountNames[a], year, m);
        AppendEuros(out, amounts[cell++]);
        out += '\n';
      }
    }
  }
  return out;
}

}  // namespace

RegionalDemoFiles GenerateRegionalDemo(const std::vector<Unit>& units, int year, uint64_t seed) {
  RegionalDemoFiles files;
  std::vector<Member> members = MakeMembers(seed);
  files.municipalities = MunicipalitiesCsv();
  files.population = PopulationCsv(members, year);
  files.need = NeedCsv(members, year);
  files.price_list = PriceListCsv(year, seed);
  files.production = ProductionCsv(members, year, seed);
  files.patient_costs = PatientCostsCsv(members, year, seed);
  int64_t production_cents = 0;
  for (const Member& member : members) production_cents += member.production_cents;
  files.ledger = LedgerCsv(units, production_cents, year, seed);
  return files;
}

}  // namespace mittari::demo
