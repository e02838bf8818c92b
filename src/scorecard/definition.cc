#include "scorecard/definition.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>
#include <set>

#include "common/yaml_definition.h"
#include "scorecard/formula.h"

namespace mittari::scorecard {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string FormatNumber(double value) { return fmt::format("{}", value); }

// The values of the dimensions whose vocabulary lives in model/enums.h; other dimensions are
// the engine's to check (see the header).
template <typename E>
Status CheckEnumValues(std::string_view dimension, std::string_view values) {
  size_t start = 0;
  for (;;) {
    const size_t comma = values.find(',', start);
    const std::string_view value =
        values.substr(start, comma == std::string_view::npos ? values.npos : comma - start);
    if (!ParseEnum<E>(value)) {
      return InvalidArgumentError(fmt::format("unknown {} '{}' for {} ({})", EnumTraits<E>::kWhat,
                                              value, dimension, AllowedNames<E>()));
    }
    if (comma == std::string_view::npos) return Status::Ok();
    start = comma + 1;
  }
}

Status CheckWhere(std::string_view where) {
  const size_t equals = where.find('=');
  const std::string_view dimension =
      equals == std::string_view::npos ? where : where.substr(0, equals);
  if (equals == std::string_view::npos || !IsIdentifier(dimension)) {
    return InvalidArgumentError(
        fmt::format("where '{}' must look like dimension=value[,value]", where));
  }
  const std::string_view values = where.substr(equals + 1);
  size_t start = 0;
  for (;;) {
    const size_t comma = values.find(',', start);
    if (comma == start || start == values.size()) {
      return InvalidArgumentError(fmt::format("where '{}' has an empty value", where));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  Status status;
  if (dimension == "channel") status = CheckEnumValues<Channel>(dimension, values);
  if (dimension == "language") status = CheckEnumValues<Language>(dimension, values);
  if (dimension == "visit_type") status = CheckEnumValues<VisitType>(dimension, values);
  if (dimension == "age_group") status = CheckEnumValues<AgeGroup>(dimension, values);
  if (dimension == "survey") status = CheckEnumValues<SurveyKind>(dimension, values);
  if (!status.ok()) return status.WithContext(fmt::format("where '{}'", where));
  return Status::Ok();
}

// What the loader remembers about a formula indicator until every id in the file is known.
struct PendingFormula {
  std::string id;
  int line = 0;
  Formula formula;
};

class Loader : private YamlDefinitionReader {
 public:
  explicit Loader(std::string file) : YamlDefinitionReader(std::move(file)) {}

  Result<Scorecard> Load(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) {
      return InvalidArgumentError(
          fmt::format("{}: the scorecard is empty; it needs a title and focal_points", file()));
    }
    if (!root.IsMap())
      return Error(root, "the scorecard must be a mapping with title and focal_points");
    Scorecard scorecard;
    bool has_title = false;
    std::optional<YAML::Node> focal_points;
    RETURN_IF_ERROR(
        ForEachKey(root, "at the top level", {"name", "title", "focal_points"},
                   [&](const std::string& key, const YAML::Node&,
                       const YAML::Node& value) -> Status {
                     if (key == "name") {
                       ASSIGN_OR_RETURN(scorecard.name, ReadText(value, "the scorecard", key));
                     } else if (key == "title") {
                       ASSIGN_OR_RETURN(scorecard.title, ReadNames(value, "the scorecard", key));
                       has_title = true;
                     } else {
                       focal_points.emplace(value);
                     }
                     return Status::Ok();
                   }));
    if (scorecard.name.empty()) scorecard.name = std::filesystem::path(file()).stem().string();
    if (!has_title) return Error(root, "the scorecard needs a title ({fi: ..., sv: ..., en: ...})");
    if (!focal_points || focal_points->IsNull() ||
        (focal_points->IsSequence() && focal_points->size() == 0)) {
      return Error(focal_points ? *focal_points : root,
                   "the scorecard needs at least one focal point");
    }
    if (!focal_points->IsSequence()) return Error(*focal_points, "focal_points must be a list");
    for (const YAML::Node& item : *focal_points) {
      ASSIGN_OR_RETURN(FocalPoint focal_point, ReadFocalPoint(item));
      scorecard.focal_points.push_back(std::move(focal_point));
    }
    RETURN_IF_ERROR(CheckFormulas());
    return scorecard;
  }

 private:
  Result<FocalPoint> ReadFocalPoint(const YAML::Node& node) {
    FocalPoint focal_point;
    ASSIGN_OR_RETURN(focal_point.id, ReadId(node, "focal point", focal_point_ids_));
    const std::string owner = fmt::format("focal point '{}'", focal_point.id);
    bool has_name = false;
    RETURN_IF_ERROR(
        ForEachKey(node, "in " + owner, {"id", "name", "goals"},
                   [&](const std::string& key, const YAML::Node&,
                       const YAML::Node& value) -> Status {
                     if (key == "name") {
                       ASSIGN_OR_RETURN(focal_point.names, ReadNames(value, owner, key));
                       has_name = true;
                     } else if (key == "goals" && !value.IsNull()) {
                       if (!value.IsSequence())
                         return Error(value, fmt::format("{}: goals must be a list", owner));
                       for (const YAML::Node& item : value) {
                         ASSIGN_OR_RETURN(Goal goal, ReadGoal(item));
                         focal_point.goals.push_back(std::move(goal));
                       }
                     }
                     return Status::Ok();
                   }));
    if (!has_name) return Error(node, fmt::format("{} needs a name", owner));
    return focal_point;
  }

  Result<Goal> ReadGoal(const YAML::Node& node) {
    Goal goal;
    ASSIGN_OR_RETURN(goal.id, ReadId(node, "goal", goal_ids_));
    const std::string owner = fmt::format("goal '{}'", goal.id);
    bool has_name = false;
    RETURN_IF_ERROR(
        ForEachKey(node, "in " + owner, {"id", "name", "indicators"},
                   [&](const std::string& key, const YAML::Node&,
                       const YAML::Node& value) -> Status {
                     if (key == "name") {
                       ASSIGN_OR_RETURN(goal.names, ReadNames(value, owner, key));
                       has_name = true;
                     } else if (key == "indicators" && !value.IsNull()) {
                       if (!value.IsSequence())
                         return Error(value, fmt::format("{}: indicators must be a list", owner));
                       for (const YAML::Node& item : value) {
                         ASSIGN_OR_RETURN(Indicator indicator, ReadIndicator(item));
                         goal.indicators.push_back(std::move(indicator));
                       }
                     }
                     return Status::Ok();
                   }));
    if (!has_name) return Error(node, fmt::format("{} needs a name", owner));
    return goal;
  }

  Result<Indicator> ReadIndicator(const YAML::Node& node) {
    Indicator indicator;
    ASSIGN_OR_RETURN(indicator.id, ReadId(node, "indicator", indicator_ids_));
    indicator.line = node.Mark().line + 1;
    const std::string owner = fmt::format("indicator '{}'", indicator.id);
    // The keys that are checked against each other once all are read. Optional rather than
    // empty nodes, because a default YAML::Node is a defined null and assigning to a bound one
    // overwrites the node it refers to in the document.
    std::optional<YAML::Node> name, unit, source, filter, question, formula, metric, targets;
    RETURN_IF_ERROR(ForEachKey(node, "in " + owner,
                               {"id", "name", "unit", "source", "filter", "formula", "metric", "targets"},
                               [&](const std::string& key, const YAML::Node&,
                                   const YAML::Node& value) -> Status {
                                 if (key == "name") name.emplace(value);
                                 if (key == "unit") unit.emplace(value);
                                 if (key == "source") source.emplace(value);
                                 if (key == "filter") filter.emplace(value);
                                 if (key == "formula") formula.emplace(value);
                                 if (key == "metric") metric.emplace(value);
                                 if (key == "targets") targets.emplace(value);
                                 return Status::Ok();
                               }));

    if (!name) return Error(node, fmt::format("{} needs a name", owner));
    ASSIGN_OR_RETURN(indicator.names, ReadNames(*name, owner, "name"));

    if (!source)
      return Error(node, fmt::format("{} needs a source ({})", owner, AllowedNames<SourceKind>()));
    std::optional<SourceKind> source_kind =
        source->IsScalar() ? ParseEnum<SourceKind>(source->Scalar()) : std::nullopt;
    if (!source_kind) {
      return Error(*source, fmt::format("{}: unknown source '{}' ({})", owner,
                                        source->IsScalar() ? source->Scalar() : "",
                                        AllowedNames<SourceKind>()));
    }
    indicator.source = *source_kind;
    const bool sampled = indicator.source == SourceKind::kNps ||
                         indicator.source == SourceKind::kEnps ||
                         indicator.source == SourceKind::kShare;

    RETURN_IF_ERROR(ReadUnit(unit, node, owner, &indicator));

    if (filter) {
      if (!sampled) {
        return Error(*filter,
                     fmt::format("{}: a filter only applies to nps, enps and share, not {}", owner,
                                 ToName(indicator.source)));
      }
      RETURN_IF_ERROR(ReadFilter(*filter, owner, &indicator.filter, &question));
    }
    if (question && indicator.source != SourceKind::kShare) {
      return Error(*question, fmt::format("{}: filter.question only applies to share", owner));
    }
    if (indicator.source == SourceKind::kShare && !indicator.filter.question) {
      return Error(
          filter ? *filter : node,
          fmt::format(
              "{}: a share needs filter.question (the 1–5 question whose 4–5 answers it counts)",
              owner));
    }

    if (formula && indicator.source != SourceKind::kFormula) {
      return Error(*formula, fmt::format("{}: a formula needs source: formula", owner));
    }
    if (indicator.source == SourceKind::kFormula) {
      if (!formula) return Error(node, fmt::format("{}: source formula needs a formula", owner));
      ASSIGN_OR_RETURN(indicator.formula, ReadText(*formula, owner, "formula"));
      Result<Formula> parsed = ParseFormula(indicator.formula);
      if (!parsed.ok()) {
        return Error(*formula, fmt::format("{}: formula '{}': {}", owner, indicator.formula,
                                           parsed.status().message()));
      }
      formulas_.push_back(
          PendingFormula{indicator.id, formula->Mark().line + 1, std::move(parsed).value()});
    }

    if (metric && indicator.source != SourceKind::kRegional) {
      return Error(*metric, fmt::format("{}: a metric needs source: regional", owner));
    }
    if (indicator.source == SourceKind::kRegional) {
      std::string metrics;
      for (std::string_view m : kRegionalMetricNames) metrics += (metrics.empty() ? "" : ", ") + std::string(m);
      if (!metric) return Error(node, fmt::format("{}: source regional needs a metric ({})", owner, metrics));
      ASSIGN_OR_RETURN(indicator.metric, ReadText(*metric, owner, "metric"));
      if (std::find(kRegionalMetricNames.begin(), kRegionalMetricNames.end(), indicator.metric) ==
          kRegionalMetricNames.end()) {
        return Error(*metric, fmt::format("{}: unknown metric '{}' ({})", owner, indicator.metric, metrics));
      }
    }

    if (targets && !targets->IsNull()) {
      RETURN_IF_ERROR(ReadTargets(*targets, owner, &indicator));
    }
    return indicator;
  }

  // A sampled measure's unit follows from its definition, so it may be left out; a different
  // one would mislabel every number shown for it.
  Status ReadUnit(const std::optional<YAML::Node>& unit, const YAML::Node& indicator_node,
                  const std::string& owner, Indicator* indicator) const {
    std::optional<MeasureUnit> natural;
    if (indicator->source == SourceKind::kNps || indicator->source == SourceKind::kEnps)
      natural = MeasureUnit::kPoints;
    if (indicator->source == SourceKind::kShare) natural = MeasureUnit::kPercent;
    if (!unit) {
      if (!natural)
        return Error(indicator_node,
                     fmt::format("{} needs a unit ({})", owner, AllowedNames<MeasureUnit>()));
      indicator->unit = *natural;
      return Status::Ok();
    }
    std::optional<MeasureUnit> parsed =
        unit->IsScalar() ? ParseMeasureUnit(unit->Scalar()) : std::nullopt;
    if (!parsed) {
      return Error(
          *unit, fmt::format("{}: unknown unit '{}' ({}; also percent, eur)", owner,
                             unit->IsScalar() ? unit->Scalar() : "", AllowedNames<MeasureUnit>()));
    }
    if (natural && *parsed != *natural) {
      return Error(*unit,
                   fmt::format("{}: source {} is measured in {}, not {}", owner,
                               ToName(indicator->source), ToName(*natural), ToName(*parsed)));
    }
    indicator->unit = *parsed;
    return Status::Ok();
  }

  Status ReadFilter(const YAML::Node& node, const std::string& owner, SampleFilter* filter,
                    std::optional<YAML::Node>* question_node) const {
    if (!node.IsMap())
      return Error(node,
                   fmt::format("{}: filter must be a mapping (unit, where, question)", owner));
    return ForEachKey(
        node, fmt::format("in the filter of {}", owner), {"unit", "where", "question"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> Status {
          if (key == "unit") {
            ASSIGN_OR_RETURN(filter->unit, ReadText(value, owner, "filter.unit"));
          } else if (key == "question") {
            ASSIGN_OR_RETURN(filter->question, ReadText(value, owner, "filter.question"));
            question_node->emplace(value);
          } else {
            // One condition may be written without the list brackets.
            std::vector<YAML::Node> items;
            if (value.IsSequence()) {
              for (const YAML::Node& item : value) items.push_back(item);
            } else if (value.IsScalar()) {
              items.push_back(value);
            } else {
              return Error(
                  value, fmt::format("{}: filter.where must be a list like [visit_type=outpatient]",
                                     owner));
            }
            for (const YAML::Node& item : items) {
              ASSIGN_OR_RETURN(std::string where, ReadText(item, owner, "filter.where"));
              Status valid = CheckWhere(where);
              if (!valid.ok()) return Error(item, fmt::format("{}: {}", owner, valid.message()));
              filter->where.push_back(std::move(where));
            }
          }
          return Status::Ok();
        });
  }

  Status ReadTargets(const YAML::Node& node, const std::string& owner, Indicator* indicator) const {
    if (!node.IsMap())
      return Error(
          node,
          fmt::format("{}: targets must map years to targets, e.g. {{2025: \">= 72\"}}", owner));
    for (const auto& item : node) {
      const std::string year_text = item.first.IsScalar() ? item.first.Scalar() : std::string();
      int year = 0;
      const auto [end, ec] =
          std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
      if (year_text.empty() || ec != std::errc() || end != year_text.data() + year_text.size() ||
          year_text.front() == '-' || year < kMinYear || year > kMaxYear) {
        return Error(item.first, fmt::format("{}: '{}' is not a year from {} to {}", owner,
                                             year_text, kMinYear, kMaxYear));
      }
      if (indicator->targets.count(year)) {
        return Error(item.first, fmt::format("{}: two targets for {}", owner, year));
      }
      const std::string text = item.second.IsScalar() ? item.second.Scalar() : std::string();
      Result<Target> target = ParseTarget(text);
      if (!target.ok())
        return Error(item.second,
                     fmt::format("{}: {}: {}", owner, year, target.status().message()));
      const bool yes_no = indicator->unit == MeasureUnit::kYesNo;
      if (yes_no && target->op != Comparator::kYes) {
        return Error(item.second,
                     fmt::format("{}: {}: a yes/no indicator's target is yes or no, not '{}'",
                                 owner, year, text));
      }
      if (!yes_no && target->op == Comparator::kYes) {
        return Error(item.second,
                     fmt::format("{}: {}: target '{}' only fits a yes/no indicator (unit: yes/no)",
                                 owner, year, text));
      }
      indicator->targets.emplace(year, *target);
    }
    return Status::Ok();
  }

  // Once every indicator is known: references resolve, and no formula depends on itself.
  Status CheckFormulas() const {
    std::map<std::string, const PendingFormula*> by_id;
    for (const PendingFormula& pending : formulas_) by_id[pending.id] = &pending;
    for (const PendingFormula& pending : formulas_) {
      for (const std::string& reference : pending.formula.References()) {
        if (reference == pending.id) {
          return ErrorAtLine(
              pending.line,
              fmt::format("indicator '{}': the formula refers to the indicator itself",
                          pending.id));
        }
        if (!indicator_ids_.count(reference)) {
          return ErrorAtLine(
              pending.line,
              fmt::format("indicator '{}': the formula refers to unknown indicator '{}'",
                          pending.id, reference));
        }
      }
    }
    // Depth-first over formula indicators in file order; a reference back into the current
    // path is a cycle, reported from where it starts.
    std::map<std::string, int> state;  // absent: unvisited, 1: on the path, 2: done
    std::vector<std::string> path;
    std::function<Status(const PendingFormula&)> visit =
        [&](const PendingFormula& pending) -> Status {
      state[pending.id] = 1;
      path.push_back(pending.id);
      for (const std::string& reference : pending.formula.References()) {
        auto next = by_id.find(reference);
        if (next == by_id.end()) continue;  // a measured indicator ends the chain
        auto seen = state.find(reference);
        if (seen != state.end() && seen->second == 1) {
          std::string cycle;
          bool inside = false;
          for (const std::string& id : path) {
            inside = inside || id == reference;
            if (inside) cycle += id + " -> ";
          }
          cycle += reference;
          const PendingFormula& start = *next->second;
          return ErrorAtLine(start.line,
                             fmt::format("indicator '{}': the formula refers back to itself: {}",
                                         start.id, cycle));
        }
        if (seen == state.end()) RETURN_IF_ERROR(visit(*next->second));
      }
      path.pop_back();
      state[pending.id] = 2;
      return Status::Ok();
    };
    for (const PendingFormula& pending : formulas_) {
      if (!state.count(pending.id)) RETURN_IF_ERROR(visit(pending));
    }
    return Status::Ok();
  }

  std::set<std::string> focal_point_ids_, goal_ids_, indicator_ids_;
  std::vector<PendingFormula> formulas_;
};

}  // namespace

std::optional<MeasureUnit> ParseMeasureUnit(std::string_view name) {
  if (name == "percent") return MeasureUnit::kPercent;
  if (name == "eur") return MeasureUnit::kEuro;
  return ParseEnum<MeasureUnit>(name);
}

Result<Target> ParseTarget(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  const auto refuse = [&] {
    return InvalidArgumentError(fmt::format(
        "target '{}' is not one of: > N, >= N, < N, <= N, = N, between N M, yes, no", trimmed));
  };
  if (trimmed == "yes") return Target{Comparator::kYes, 1, 0};
  if (trimmed == "no") return Target{Comparator::kYes, 0, 0};
  constexpr std::string_view kBetween = "between";
  if (trimmed.substr(0, kBetween.size()) == kBetween) {
    std::string_view rest = trimmed.substr(kBetween.size());
    if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) return refuse();
    rest = Trim(rest);
    const size_t space = rest.find_first_of(" \t");
    if (space == std::string_view::npos) return refuse();
    std::string_view high_text = Trim(rest.substr(space));
    // "between 70 and 75" reads naturally too.
    if (high_text.substr(0, 4) == "and " || high_text.substr(0, 4) == "and\t")
      high_text = Trim(high_text.substr(4));
    std::optional<double> low = ParseDecimal(rest.substr(0, space));
    std::optional<double> high = ParseDecimal(high_text);
    if (!low || !high) return refuse();
    if (*low > *high) {
      return InvalidArgumentError(fmt::format("target '{}': the lower bound comes first", trimmed));
    }
    return Target{Comparator::kBetween, *low, *high};
  }
  // Two-character comparators first, so that ">=" is not read as ">" and "=72".
  for (Comparator op : {Comparator::kGreaterEqual, Comparator::kLessEqual, Comparator::kGreater,
                        Comparator::kLess, Comparator::kEqual}) {
    const std::string_view name = ToName(op);
    if (trimmed.substr(0, name.size()) != name) continue;
    std::optional<double> value = ParseDecimal(Trim(trimmed.substr(name.size())));
    if (!value) return refuse();
    return Target{op, *value, 0};
  }
  return refuse();
}

std::string FormatTarget(const Target& target) {
  switch (target.op) {
    case Comparator::kYes:
      return target.value != 0 ? "yes" : "no";
    case Comparator::kBetween:
      return fmt::format("between {} {}", FormatNumber(target.value),
                         FormatNumber(target.value_high));
    default:
      return fmt::format("{} {}", ToName(target.op), FormatNumber(target.value));
  }
}

const Indicator* Scorecard::Find(std::string_view id) const {
  for (const FocalPoint& focal_point : focal_points) {
    for (const Goal& goal : focal_point.goals) {
      for (const Indicator& indicator : goal.indicators) {
        if (indicator.id == id) return &indicator;
      }
    }
  }
  return nullptr;
}

std::vector<const Indicator*> Scorecard::AllIndicators() const {
  std::vector<const Indicator*> all;
  for (const FocalPoint& focal_point : focal_points) {
    for (const Goal& goal : focal_point.goals) {
      for (const Indicator& indicator : goal.indicators) all.push_back(&indicator);
    }
  }
  return all;
}

Result<Scorecard> ParseScorecard(std::string_view yaml_text,
                                 const std::string& file_name_for_errors) {
  Scorecard scorecard;
  RETURN_IF_ERROR(ParseYamlDefinition(
      yaml_text, file_name_for_errors,
      [&](const YAML::Node& root) -> Status {
        ASSIGN_OR_RETURN(scorecard, Loader(file_name_for_errors).Load(root));
        return Status::Ok();
      },
      // The likeliest cause by far: a target or unit left unquoted, which YAML reads as a
      // folded block (">") or a directive ("%").
      [](std::string_view line) -> std::string {
        const bool unquoted =
            line.find('>') != std::string_view::npos || line.find('%') != std::string_view::npos;
        return unquoted ? " (quote targets and units: \"> 70\", \"%\")" : "";
      }));
  return scorecard;
}

Result<Scorecard> LoadScorecard(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, ReadDefinitionFile(path, "scorecard"));
  return ParseScorecard(text, path);
}

}  // namespace mittari::scorecard
