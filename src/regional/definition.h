// File: regional/definition.h
//
// The district's finance definitions as the board decides them, year by year: the high-cost
// patient pooling threshold, the capitation total and its age weights, and the triple-aim bonus
// (its components, their measures with floor and target, and the providers who can earn it).
// This is the definition only; the computations are in capitation.h, invoice.h and bonus.h, and
// the caller computes the measured values (NPS from answers, cost from the ledger).
//
// The file is written in YAML by people, so the loader refuses anything it does not understand
// (unknown keys, weights that do not add up, a manual value for a measure nobody defined),
// naming the file and line, rather than paying a bonus by rules nobody set.
//
// Example regional.yaml:
//   pooling:
//     threshold: 80000.00              # euros per patient-year; "80 000,00" is fine too
//   capitation:
//     - year: 2025
//       total: 650000000.00            # euros to share among the member municipalities
//       base: 1000                     # euros per weighted resident (the raw claim's scale)
//       age_weights: {"0-6": 0.9, "7-17": 0.6, "18-64": 1.0,
//                     "65-74": 2.2, "75-84": 3.6, "85+": 5.1}
//   bonus:
//     - year: 2025
//       components:                    # quality, effectiveness, cost_efficiency; weights sum to 1
//         quality:
//           weight: 0.4
//           measures:                  # measure weights within a component sum to 1
//             - id: nps_outpatient
//               name:
//                 fi: NPS poliklinikoilla
//                 sv: NPS på poliklinikerna
//                 en: NPS at outpatient clinics
//               source: nps
//               where: [visit_type=outpatient]
//               floor: 50
//               target: 80
//               weight: 0.7
//             - {id: infections, name: Sairaalainfektiot, source: manual,
//                floor: 6, target: 3, weight: 0.3}
//         effectiveness:
//           weight: 0.3
//           measures:
//             - id: avoidable_er
//               name: {fi: Vältettävät päivystyskäynnit, en: Avoidable emergency visits}
//               source: manual
//               floor: 15                # lower is better: the floor is above the target
//               target: 8
//               weight: 1
//         cost_efficiency:
//           weight: 0.3
//           measures:
//             - id: cost_ratio
//               name: {fi: Kustannukset / kapitaatio, en: Cost / capitation}
//               source: cost_vs_capitation
//               floor: 1.10
//               target: 0.95
//               weight: 1
//       providers:
//         - id: a01
//           name: {fi: Alue 1, sv: Område 1, en: Area 1}
//           unit: A01                    # its subtree's answers (nps) and cost centres (ledger)
//           pool: 250000.00              # euros
//           capitation_share: 0.12       # of the year's capitation total: its expected cost
//           values: {infections: 4.2, avoidable_er: 11.5}
//
// Keys: the file: pooling, capitation, bonus (each optional; the threshold defaults to
// 80 000,00 €). pooling: threshold. A capitation year: year, total, base, age_weights. A bonus
// year: year, components, providers. components: quality, effectiveness, cost_efficiency. A
// component: weight, measures. A measure: id, name, source, where, floor, target, weight. A
// provider: id, name, unit, pool, capitation_share, values. Within an entry every key is
// required except `where`, `values`, the `measures` of a component weighted 0, and `providers`,
// which may be left out while a plan is drafted. `name` is {fi, sv, en} with fi required, or
// plain text (Finnish).
//
// Amounts (threshold, total, pool) are Money::Parse text, so they stay exact: at most two
// decimals, not negative. Years are 2000–2100 and appear once per list. Ids are
// [a-z][a-z0-9_]* and unique within their bonus year (measure ids across all three components,
// because `values` refers to them by id alone). age_weights gives each of 0-6, 7-17, 18-64,
// 65-74, 75-84 and 85+ a weight ≥ 0. Component weights and, within each component, measure
// weights are ≥ 0 and add up to 1 (within 1e-9) so that reaching every target pays exactly the
// pool; a component weighted 0 may have no measures. A measure's floor (earns nothing) and
// target (earns everything) differ; "lower is better" is floor > target. capitation_share is
// in (0, 1], and a year's shares add up to at most 1: the providers are parts of the district.
//
// Sources: nps (the caller computes the NPS of the answers from the provider's unit subtree,
// restricted by `where`: "dimension=value" texts, which only nps takes and which are passed to
// the analytics engine as they are), manual (the provider's `values`; a value for a measure
// that is not manual, or does not exist, is an error) and cost_vs_capitation (the caller
// divides the provider's ledger cost by capitation_share × the year's capitation total, so the
// year needs a capitation entry).
//
// Thread-compatible value types; the functions are thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/yaml_definition.h"
#include "regional/money.h"
#include "regional/standardise.h"

namespace mittari::regional {

inline constexpr Money kDefaultPoolingThreshold = Money::FromCents(80'000'00);

// The triple aim's components, in the order every array indexed by them uses.
enum class BonusAim : uint8_t { kQuality, kEffectiveness, kCostEfficiency };
inline constexpr size_t kBonusAimCount = 3;
inline constexpr std::array<std::string_view, kBonusAimCount> kBonusAimNames = {
    "quality", "effectiveness", "cost_efficiency"};

enum class MeasureSource : uint8_t { kNps, kManual, kCostVsCapitation };
inline constexpr std::array<std::string_view, 3> kMeasureSourceNames = {"nps", "manual",
                                                                        "cost_vs_capitation"};

std::string_view BonusAimName(BonusAim aim);
std::string_view MeasureSourceName(MeasureSource source);

// A name in the district's three languages, {fi, sv, en}; In(lang) falls back to Finnish, the
// one language every name must have. The same type as scorecard::Names, from common/ so that
// regional/ does not depend on scorecard/.
using Names = LocalizedNames;

struct CapitationYear {
  int year = 0;
  Money total;
  double base = 0;                         // euros per weighted resident
  std::map<AgeGroup, double> age_weights;  // all six groups
  int line = 0;                            // 1-based line in the file, for later messages
};

struct BonusMeasure {
  std::string id;
  Names names;
  MeasureSource source = MeasureSource::kManual;
  std::vector<std::string> where;  // nps only
  double floor = 0;
  double target = 0;
  double weight = 0;  // within its component
  int line = 0;
};

struct BonusComponentDefinition {
  double weight = 0;
  std::vector<BonusMeasure> measures;
};

struct BonusProvider {
  std::string id;
  Names names;
  std::string unit;  // organisation unit code; its whole subtree counts
  Money pool;
  double capitation_share = 0;
  std::map<std::string, double> values;  // manual measures' values by measure id
  int line = 0;
};

struct BonusYear {
  int year = 0;
  std::array<BonusComponentDefinition, kBonusAimCount> components;  // indexed by BonusAim
  std::vector<BonusProvider> providers;
  int line = 0;

  const BonusComponentDefinition& Component(BonusAim aim) const {
    return components[static_cast<size_t>(aim)];
  }
  // nullptr when there is none. The pointers point into this object: valid until it is
  // modified, moved or destroyed.
  const BonusMeasure* FindMeasure(std::string_view id) const;
  const BonusProvider* FindProvider(std::string_view id) const;
};

struct RegionalDefinition {
  Money pooling_threshold = kDefaultPoolingThreshold;
  std::vector<CapitationYear> capitation;  // file order
  std::vector<BonusYear> bonus;            // file order

  // The entry for `year`, or nullptr. Valid as long as this object is unchanged.
  const CapitationYear* CapitationFor(int year) const;
  const BonusYear* BonusFor(int year) const;
};

// Reads and validates a definition file. Returns NotFound when there is no such file,
// Unavailable when it cannot be read and InvalidArgument "PATH:LINE: what is wrong" for
// anything else, e.g. "regional.yaml:21: bonus 2025: the measure weights of quality add up to
// 0.9, not 1".
Result<RegionalDefinition> LoadRegionalDefinition(const std::string& path);
// The same over text already in memory; `file_name_for_messages` starts every message.
Result<RegionalDefinition> ParseRegionalDefinition(std::string_view yaml_text,
                                                   std::string_view file_name_for_messages);

}  // namespace mittari::regional
