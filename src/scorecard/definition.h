// File: scorecard/definition.h
//
// The strategic scorecard as leadership sets it: focal points, each with goals, each with
// measurable indicators that have a target per year. This is the definition only; outcomes
// are computed elsewhere (sampled measures by the analytics engine, formulas by formula.h,
// manual figures as reported) and judged against the targets by status.h.
//
// The scorecard is written in YAML by people, not generated, so the loader refuses anything it
// does not understand (unknown keys, unparseable targets, formulas over unknown indicators),
// naming the file and line, rather than silently reporting against a target nobody set.
//
// Example scorecard.yaml:
//   name: strategy_2023_2027                    # optional; default: the file name's stem
//   title: {fi: HUS-strategia 2023–2027, sv: HUS-strategi 2023–2027, en: HUS strategy 2023–2027}
//   focal_points:
//     - id: customer_experience
//       name: {fi: Paras asiakaskokemus, sv: Bästa kundupplevelsen, en: Best customer experience}
//       goals:
//         - id: nps
//           name: {fi: Suositteluhalukkuus, sv: Rekommendationsvilja, en: Likelihood to recommend}
//           indicators:
//             - id: nps_outpatient
//               name:
//                 fi: NPS poliklinikoilla
//                 sv: NPS på poliklinikerna
//                 en: NPS at outpatient clinics
//               unit: points                  # optional for nps/enps (points) and share (%)
//               source: nps
//               filter: {where: [visit_type=outpatient]}
//               targets: {2023: "> 70", 2024: "> 70", 2025: ">= 72", 2026: "between 70 75"}
//             - id: sms_information_share
//               name: Tiedonsaanti tekstiviestikyselyssä    # plain text: the Finnish name only
//               source: share
//               filter: {unit: A01, where: [channel=sms], question: q_information}
//               targets: {2025: ">= 80"}
//     - id: economy
//       name: {fi: Kestävä talous, sv: Hållbar ekonomi, en: Sustainable finances}
//       goals:
//         - id: productivity
//           name: {fi: Tuottavuus, sv: Produktivitet, en: Productivity}
//           indicators:
//             - id: productivity
//               name: {fi: Tuottavuusindeksi, en: Productivity index}
//               unit: points
//               source: manual
//             - id: productivity_change
//               name: {fi: Tuottavuuden muutos 2025→, en: Change in productivity from 2025}
//               unit: "%"                     # "%" must be quoted in YAML; or write percent
//               source: formula
//               formula: change(productivity, 2025)
//               targets: {2027: ">= 10"}
//             - id: cost_per_resident
//               name: {fi: Kustannus asukasta kohden, en: Cost per resident}
//               unit: eur
//               source: formula
//               formula: total_cost / residents
//               targets: {2026: "<= 4200,50"}
//             - id: total_cost
//               name: Kokonaiskustannukset
//               unit: €
//               source: manual
//             - id: residents
//               name: Asukkaat
//               unit: count
//               source: manual
//             - id: waiting_list_published
//               name: {fi: Jonotilanne julkaistu, en: Waiting list published}
//               unit: yes/no
//               source: manual
//               targets: {2025: yes, 2026: yes}
//
// Keys: the scorecard: name, title, focal_points. A focal point: id, name, goals. A goal: id,
// name, indicators. An indicator: id, name, unit, source, filter, formula, targets. A filter:
// unit, where, question. `name` and `title` are {fi, sv, en} with fi required, or plain text
// (Finnish). Ids are [a-z][a-z0-9_]* (formulas refer to indicators by id) and unique across the
// scorecard within their kind. Goals and indicators may be left empty while a plan is drafted.
//
// Sources: nps and enps (the net promoter score of patients and of employees, points), share
// (the top-2-box share (4–5) of the 1–5 question filter.question, %), manual (reported by
// hand), formula (formula.h; may refer to indicators anywhere in the file, in any order, but
// not to itself, directly or through other formulas), regional (a district figure of regional
// finance named by `metric`: total_cost, residents, patients, cost_per_resident,
// cost_per_patient, ledger_cost — computed from the imported production, population, patient
// costs and ledger of the year; formulas may use them like any indicator). `filter` only applies to nps, enps and
// share; `question` only to share. `where` holds "dimension=value[,value]" like the CLI's
// --where; the values of channel, language, visit_type, age_group and survey are checked here,
// other dimensions (and unit codes) by the analytics engine when the outcome is computed.
//
// Targets map a year (2000–2100) to "> 70", ">= 72", "< 3.5", "<= 100", "= 1",
// "between 70 75" (70 ≤ outcome ≤ 75; also "between 70 and 75") — a decimal comma is accepted
// ("3,5") — or, for yes/no indicators, yes or no. Quote comparators in YAML (">" is YAML syntax,
// and the loader's message says so); yes and no need no quotes.
//
// Thread-compatible value types; the functions are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/yaml_definition.h"
#include "model/enums.h"

namespace mittari::scorecard {

enum class MeasureUnit : uint8_t { kPercent, kPoints, kEuro, kCount, kRank, kYesNo };
enum class Comparator : uint8_t {
  kGreater,
  kGreaterEqual,
  kLess,
  kLessEqual,
  kEqual,
  kBetween,
  kYes
};
enum class SourceKind : uint8_t { kNps, kEnps, kShare, kManual, kFormula, kRegional };

inline constexpr std::array<std::string_view, 6> kMeasureUnitNames = {"%",     "points", "€",
                                                                      "count", "rank",   "yes/no"};
inline constexpr std::array<std::string_view, 7> kComparatorNames = {
    ">", ">=", "<", "<=", "=", "between", "yes"};
inline constexpr std::array<std::string_view, 6> kSourceKindNames = {"nps", "enps", "share",
                                                                     "manual", "formula", "regional"};
// The district figures of regional finance a `regional` indicator may show (service::RegionalFigure).
inline constexpr std::array<std::string_view, 6> kRegionalMetricNames = {
    "total_cost", "residents", "patients", "cost_per_resident", "cost_per_patient", "ledger_cost"};

// ParseEnum<MeasureUnit> plus the spellings that are easier to type or need no YAML quoting:
// "percent" for "%" and "eur" for "€".
std::optional<MeasureUnit> ParseMeasureUnit(std::string_view name);

// What counts as reaching the target. kYes: a yes/no indicator, value 1 = yes is the target,
// 0 = no is (outcomes are likewise 1 or 0). kBetween: value ≤ outcome ≤ value_high.
struct Target {
  Comparator op = Comparator::kGreaterEqual;
  double value = 0;
  double value_high = 0;

  bool operator==(const Target&) const = default;
};

// "> 70", ">= 72", "< 3,5", "between 70 75", "yes", "no". Returns InvalidArgument saying which
// forms are accepted.
Result<Target> ParseTarget(std::string_view text);
// The canonical text ("> 70", "between 70 75", "yes"): what a report prints next to an outcome.
std::string FormatTarget(const Target& target);

// Which responses a sampled measure (nps, enps, share) is computed over.
struct SampleFilter {
  std::optional<std::string> unit;      // a unit code; its whole subtree counts
  std::vector<std::string> where;       // "visit_type=outpatient", "channel=sms,web"; all must hold
  std::optional<std::string> question;  // share only: a 1–5 scale question's code
};

// {fi, sv, en}; In(lang) falls back to Finnish, the one language every name must have.
using Names = LocalizedNames;

struct Indicator {
  std::string id;
  Names names;
  MeasureUnit unit = MeasureUnit::kPoints;
  SourceKind source = SourceKind::kManual;
  SampleFilter filter;
  std::string formula;            // source kFormula: parses with ParseFormula (the loader checked)
  std::string metric;             // source kRegional: one of kRegionalMetricNames
  std::map<int, Target> targets;  // by year
  int line = 0;  // 1-based line in the file, for messages about the indicator later on
};

struct Goal {
  std::string id;
  Names names;
  std::vector<Indicator> indicators;
};

struct FocalPoint {
  std::string id;
  Names names;
  std::vector<Goal> goals;
};

struct Scorecard {
  std::string name;
  Names title;
  std::vector<FocalPoint> focal_points;

  // The indicator with `id`, or nullptr. The pointers here and from AllIndicators() point into
  // this object: they are valid until it is modified, moved or destroyed.
  const Indicator* Find(std::string_view id) const;
  // Every indicator in file order.
  std::vector<const Indicator*> AllIndicators() const;
};

// Reads and validates a scorecard file. Returns NotFound when there is no such file and
// InvalidArgument "PATH:LINE: what is wrong" for anything else, e.g.
// "scorecard.yaml:14: indicator 'nps_er': unknown source 'npx' (nps, enps, share, manual,
// formula)".
Result<Scorecard> LoadScorecard(const std::string& path);
// The same over text already in memory; `file_name_for_errors` starts every message and gives
// the default name (its stem).
Result<Scorecard> ParseScorecard(std::string_view yaml_text,
                                 const std::string& file_name_for_errors);

}  // namespace mittari::scorecard

namespace mittari {

template <>
struct EnumTraits<scorecard::MeasureUnit> {
  static constexpr const auto& kNames = scorecard::kMeasureUnitNames;
  static constexpr std::string_view kWhat = "unit";
};
template <>
struct EnumTraits<scorecard::Comparator> {
  static constexpr const auto& kNames = scorecard::kComparatorNames;
  static constexpr std::string_view kWhat = "comparator";
};
template <>
struct EnumTraits<scorecard::SourceKind> {
  static constexpr const auto& kNames = scorecard::kSourceKindNames;
  static constexpr std::string_view kWhat = "source";
};

}  // namespace mittari
