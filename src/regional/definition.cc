#include "regional/definition.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <set>

#include "common/yaml_definition.h"

namespace mittari::regional {
namespace {

constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;
// The same tolerance as ComputeBonus, so that what loads also computes.
constexpr double kWeightSumTolerance = 1e-9;

bool WeightsAddUpToOne(double sum) { return std::abs(sum - 1.0) <= kWeightSumTolerance; }

class Loader : private YamlDefinitionReader {
 public:
  explicit Loader(std::string file) : YamlDefinitionReader(std::move(file)) {}

  Result<RegionalDefinition> Load(const YAML::Node& root) {
    RegionalDefinition definition;
    // Every section is optional, so an empty file is the defaults rather than a mistake.
    if (!root.IsDefined() || root.IsNull()) return definition;
    if (!root.IsMap()) {
      return Error(root, "the file must be a mapping with pooling, capitation and bonus");
    }
    RETURN_IF_ERROR(ForEachKey(
        root, "at the top level", {"pooling", "capitation", "bonus"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> Status {
          if (key == "pooling") {
            ASSIGN_OR_RETURN(definition.pooling_threshold, ReadPooling(value));
          } else if (!value.IsNull()) {
            if (!value.IsSequence()) {
              return Error(value, fmt::format("{} must be a list of years", key));
            }
            for (const YAML::Node& item : value) {
              if (key == "capitation") {
                ASSIGN_OR_RETURN(CapitationYear year, ReadCapitationYear(item));
                definition.capitation.push_back(std::move(year));
              } else {
                ASSIGN_OR_RETURN(BonusYear year, ReadBonusYear(item));
                definition.bonus.push_back(std::move(year));
              }
            }
          }
          return Status::Ok();
        }));
    RETURN_IF_ERROR(CheckCostMeasuresHaveCapitation(definition));
    return definition;
  }

 private:
  Status RequireMap(const YAML::Node& node, std::string_view owner,
                    std::initializer_list<std::string_view> keys) const {
    if (node.IsMap()) return Status::Ok();
    return Error(node, fmt::format("{} must be a mapping ({})", owner, JoinNames(keys)));
  }

  Result<double> ReadNumber(const YAML::Node& node, std::string_view owner,
                            std::string_view key) const {
    const std::string text = node.IsScalar() ? node.Scalar() : std::string();
    std::optional<double> value = ParseDecimal(text);
    if (!value) {
      return Error(
          node, fmt::format("{}: {} must be a number like 0.4 or 0,4, not '{}'", owner, key, text));
    }
    return *value;
  }

  Result<double> ReadWeight(const YAML::Node& node, std::string_view owner,
                            std::string_view key) const {
    ASSIGN_OR_RETURN(double weight, ReadNumber(node, owner, key));
    if (weight < 0) {
      return Error(node, fmt::format("{}: {} {} must not be negative", owner, key, weight));
    }
    return weight;
  }

  // Amounts keep the text the person wrote: YAML would read 0.1 as a binary fraction, and
  // Money::Parse refuses fractions of a cent instead of rounding them away.
  Result<Money> ReadMoney(const YAML::Node& node, std::string_view owner,
                          std::string_view key) const {
    const std::string text = node.IsScalar() ? node.Scalar() : std::string();
    Result<Money> money = Money::Parse(text);
    if (!money.ok()) {
      return Error(node, fmt::format("{}: {}: {}", owner, key, money.status().message()));
    }
    if (*money < Money::Zero()) {
      return Error(node, fmt::format("{}: {} {} must not be negative", owner, key, text));
    }
    return *money;
  }

  // The year of a capitation or bonus entry, read first for the same reason as ReadId.
  // `seen` maps each year to the line that gave it, so that a repeat can point at both.
  Result<int> ReadYear(const YAML::Node& node, std::string_view kind,
                       std::map<int, int>& seen) const {
    if (!node.IsMap()) {
      return Error(node, fmt::format("each {} entry must be a mapping with a year", kind));
    }
    for (const auto& item : node) {
      if (!item.first.IsScalar() || item.first.Scalar() != "year") continue;
      const YAML::Node& value = item.second;
      const std::string text = value.IsScalar() ? value.Scalar() : std::string();
      int year = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
          text.front() == '-' || year < kMinYear || year > kMaxYear) {
        return Error(value, fmt::format("{}: '{}' is not a year from {} to {}", kind, text,
                                        kMinYear, kMaxYear));
      }
      const int line = value.Mark().line + 1;
      auto [previous, inserted] = seen.emplace(year, line);
      if (!inserted) {
        return Error(value, fmt::format("{} {} is given twice (first on line {})", kind, year,
                                        previous->second));
      }
      return year;
    }
    return Error(node, fmt::format("{} entry without a year", kind));
  }

  Result<Money> ReadPooling(const YAML::Node& node) const {
    RETURN_IF_ERROR(RequireMap(node, "pooling", {"threshold"}));
    std::optional<Money> threshold;
    RETURN_IF_ERROR(ForEachKey(
        node, "in pooling", {"threshold"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> Status {
          ASSIGN_OR_RETURN(threshold, ReadMoney(value, "pooling", key));
          return Status::Ok();
        }));
    if (!threshold) return Error(node, "pooling needs a threshold (euros per patient-year)");
    return *threshold;
  }

  Result<CapitationYear> ReadCapitationYear(const YAML::Node& node) {
    CapitationYear capitation;
    ASSIGN_OR_RETURN(capitation.year, ReadYear(node, "capitation", capitation_years_));
    capitation.line = node.Mark().line + 1;
    const std::string owner = fmt::format("capitation {}", capitation.year);
    bool has_total = false, has_base = false, has_weights = false;
    RETURN_IF_ERROR(ForEachKey(
        node, "in " + owner, {"year", "total", "base", "age_weights"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> Status {
          if (key == "total") {
            ASSIGN_OR_RETURN(capitation.total, ReadMoney(value, owner, key));
            has_total = true;
          } else if (key == "base") {
            ASSIGN_OR_RETURN(capitation.base, ReadWeight(value, owner, key));
            has_base = true;
          } else if (key == "age_weights") {
            ASSIGN_OR_RETURN(capitation.age_weights, ReadAgeWeights(value, owner));
            has_weights = true;
          }
          return Status::Ok();
        }));
    if (!has_total) return Error(node, fmt::format("{} needs a total (euros)", owner));
    if (!has_base)
      return Error(node, fmt::format("{} needs a base (euros per weighted resident)", owner));
    if (!has_weights) {
      return Error(node,
                   fmt::format("{} needs age_weights ({})", owner, JoinNames(kAgeGroupNames)));
    }
    return capitation;
  }

  Result<std::map<AgeGroup, double>> ReadAgeWeights(const YAML::Node& node,
                                                    const std::string& owner) const {
    if (!node.IsMap()) {
      return Error(node, fmt::format("{}: age_weights must map each age group ({}) to a weight",
                                     owner, JoinNames(kAgeGroupNames)));
    }
    std::map<AgeGroup, double> weights;
    for (const auto& item : node) {
      const std::string name = item.first.IsScalar() ? item.first.Scalar() : std::string();
      size_t index = 0;
      while (index < kAgeGroupCount && kAgeGroupNames[index] != name) ++index;
      if (index == kAgeGroupCount) {
        return Error(item.first, fmt::format("{}: unknown age group '{}' in age_weights ({})",
                                             owner, name, JoinNames(kAgeGroupNames)));
      }
      const AgeGroup group = static_cast<AgeGroup>(index);
      if (weights.count(group)) {
        return Error(item.first,
                     fmt::format("{}: age group {} appears twice in age_weights", owner, name));
      }
      ASSIGN_OR_RETURN(weights[group], ReadWeight(item.second, owner, "age weight " + name));
    }
    std::vector<std::string_view> missing;
    for (size_t i = 0; i < kAgeGroupCount; ++i) {
      if (!weights.count(static_cast<AgeGroup>(i))) missing.push_back(kAgeGroupNames[i]);
    }
    if (!missing.empty()) {
      return Error(node, fmt::format("{}: age_weights lacks {} (every age group needs a weight)",
                                     owner, JoinNames(missing)));
    }
    return weights;
  }

  Result<BonusYear> ReadBonusYear(const YAML::Node& node) {
    BonusYear bonus;
    ASSIGN_OR_RETURN(bonus.year, ReadYear(node, "bonus", bonus_years_));
    bonus.line = node.Mark().line + 1;
    const std::string owner = fmt::format("bonus {}", bonus.year);
    // Components before providers whatever the order in the file, because a provider's values
    // refer to the measures. Optional rather than empty nodes: a default YAML::Node is a
    // defined null, and assigning to a bound one overwrites the node it refers to.
    std::optional<YAML::Node> components_key, components, providers;
    RETURN_IF_ERROR(ForEachKey(
        node, "in " + owner, {"year", "components", "providers"},
        [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value) -> Status {
          if (key == "components") {
            components_key.emplace(key_node);
            components.emplace(value);
          } else if (key == "providers") {
            providers.emplace(value);
          }
          return Status::Ok();
        }));
    if (!components) {
      return Error(node, fmt::format("{} needs components ({})", owner, JoinNames(kBonusAimNames)));
    }
    RETURN_IF_ERROR(ReadComponents(*components_key, *components, owner, &bonus));
    if (providers && !providers->IsNull()) {
      if (!providers->IsSequence()) {
        return Error(*providers, fmt::format("{}: providers must be a list", owner));
      }
      std::set<std::string> ids;
      double share_sum = 0;
      for (const YAML::Node& item : *providers) {
        ASSIGN_OR_RETURN(BonusProvider provider, ReadProvider(item, owner, bonus, ids));
        share_sum += provider.capitation_share;
        if (share_sum > 1 + kWeightSumTolerance) {
          return Error(item, fmt::format("{}, provider '{}': the providers' capitation shares "
                                         "add up to {} so far, more than the whole capitation",
                                         owner, provider.id, share_sum));
        }
        bonus.providers.push_back(std::move(provider));
      }
    }
    return bonus;
  }

  Status ReadComponents(const YAML::Node& key_node, const YAML::Node& node,
                        const std::string& owner, BonusYear* bonus) const {
    if (!node.IsMap()) {
      return Error(node, fmt::format("{}: components must be a mapping ({})", owner,
                                     JoinNames(kBonusAimNames)));
    }
    std::set<std::string> measure_ids;
    std::array<bool, kBonusAimCount> present{};
    RETURN_IF_ERROR(ForEachKey(node, fmt::format("in the components of {}", owner), kBonusAimNames,
                               [&](const std::string& key, const YAML::Node& component_key,
                                   const YAML::Node& value) -> Status {
                                 // ForEachKey let only the three names through, so the search ends.
                                 size_t index = 0;
                                 while (kBonusAimNames[index] != key) ++index;
                                 present[index] = true;
                                 return ReadComponent(component_key, value, owner, key, measure_ids,
                                                      &bonus->components[index]);
                               }));
    std::vector<std::string_view> missing;
    double weight_sum = 0;
    for (size_t i = 0; i < kBonusAimCount; ++i) {
      if (!present[i]) missing.push_back(kBonusAimNames[i]);
      weight_sum += bonus->components[i].weight;
    }
    if (!missing.empty()) {
      return Error(key_node, fmt::format("{}: components lacks {} (the triple aim needs all three; "
                                         "give one weight 0 to leave it out)",
                                         owner, JoinNames(missing)));
    }
    if (!WeightsAddUpToOne(weight_sum)) {
      return Error(
          key_node,
          fmt::format("{}: the component weights add up to {}, not 1 ({} {}, {} {}, {} {})", owner,
                      weight_sum, kBonusAimNames[0], bonus->components[0].weight, kBonusAimNames[1],
                      bonus->components[1].weight, kBonusAimNames[2], bonus->components[2].weight));
    }
    return Status::Ok();
  }

  Status ReadComponent(const YAML::Node& key_node, const YAML::Node& node, const std::string& owner,
                       const std::string& aim, std::set<std::string>& measure_ids,
                       BonusComponentDefinition* component) const {
    const std::string component_owner = fmt::format("{}, {}", owner, aim);
    RETURN_IF_ERROR(RequireMap(node, component_owner, {"weight", "measures"}));
    bool has_weight = false;
    std::optional<YAML::Node> measures;
    RETURN_IF_ERROR(ForEachKey(
        node, "in " + component_owner, {"weight", "measures"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> Status {
          if (key == "weight") {
            ASSIGN_OR_RETURN(component->weight, ReadWeight(value, component_owner, key));
            has_weight = true;
          } else {
            measures.emplace(value);
          }
          return Status::Ok();
        }));
    if (!has_weight) return Error(key_node, fmt::format("{} needs a weight", component_owner));
    if (measures && !measures->IsNull()) {
      if (!measures->IsSequence()) {
        return Error(*measures, fmt::format("{}: measures must be a list", component_owner));
      }
      for (const YAML::Node& item : *measures) {
        ASSIGN_OR_RETURN(BonusMeasure measure, ReadMeasure(item, owner, measure_ids));
        component->measures.push_back(std::move(measure));
      }
    }
    // A component nobody is paid for may be left empty; one that pays must say for what.
    if (component->measures.empty()) {
      if (component->weight == 0) return Status::Ok();
      return Error(key_node, fmt::format("{} is weighted {} but has no measures", component_owner,
                                         component->weight));
    }
    double weight_sum = 0;
    for (const BonusMeasure& measure : component->measures) weight_sum += measure.weight;
    if (!WeightsAddUpToOne(weight_sum)) {
      return Error(key_node, fmt::format("{}: the measure weights of {} add up to {}, not 1", owner,
                                         aim, weight_sum));
    }
    return Status::Ok();
  }

  Result<BonusMeasure> ReadMeasure(const YAML::Node& node, const std::string& year_owner,
                                   std::set<std::string>& ids) const {
    BonusMeasure measure;
    ASSIGN_OR_RETURN(measure.id, ReadId(node, "measure", ids, year_owner));
    measure.line = node.Mark().line + 1;
    const std::string owner = fmt::format("{}, measure '{}'", year_owner, measure.id);
    std::optional<YAML::Node> name, source, where, floor, target, weight;
    RETURN_IF_ERROR(ForEachKey(
        node, "in " + owner, {"id", "name", "source", "where", "floor", "target", "weight"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> Status {
          if (key == "name") name.emplace(value);
          if (key == "source") source.emplace(value);
          if (key == "where") where.emplace(value);
          if (key == "floor") floor.emplace(value);
          if (key == "target") target.emplace(value);
          if (key == "weight") weight.emplace(value);
          return Status::Ok();
        }));
    const auto missing = [&](std::string_view key, std::string_view what) {
      return Error(node, fmt::format("{} needs {} {}", owner, key, what));
    };
    if (!name) return missing("a", "name");
    ASSIGN_OR_RETURN(measure.names, ReadNames(*name, owner, "name"));

    if (!source) return missing("a source", fmt::format("({})", JoinNames(kMeasureSourceNames)));
    const std::string source_text = source->IsScalar() ? source->Scalar() : std::string();
    size_t source_index = 0;
    while (source_index < kMeasureSourceNames.size() &&
           kMeasureSourceNames[source_index] != source_text) {
      ++source_index;
    }
    if (source_index == kMeasureSourceNames.size()) {
      return Error(*source, fmt::format("{}: unknown source '{}' ({})", owner, source_text,
                                        JoinNames(kMeasureSourceNames)));
    }
    measure.source = static_cast<MeasureSource>(source_index);

    if (where) {
      if (measure.source != MeasureSource::kNps) {
        return Error(*where, fmt::format("{}: where only applies to source nps, not {}", owner,
                                         source_text));
      }
      RETURN_IF_ERROR(ReadWhere(*where, owner, &measure.where));
    }

    if (!floor) return missing("a floor", "(the value that earns nothing)");
    if (!target) return missing("a target", "(the value that earns everything)");
    if (!weight) return missing("a weight", "(its share of the component)");
    ASSIGN_OR_RETURN(measure.floor, ReadNumber(*floor, owner, "floor"));
    ASSIGN_OR_RETURN(measure.target, ReadNumber(*target, owner, "target"));
    ASSIGN_OR_RETURN(measure.weight, ReadWeight(*weight, owner, "weight"));
    if (measure.floor == measure.target) {
      return Error(*target, fmt::format("{}: floor and target are both {}, so progress cannot be "
                                        "measured",
                                        owner, measure.target));
    }
    return measure;
  }

  // The conditions are the analytics engine's to check (it knows the dimensions); here they
  // only have to be there.
  Status ReadWhere(const YAML::Node& node, const std::string& owner,
                   std::vector<std::string>* where) const {
    // One condition may be written without the list brackets.
    std::vector<YAML::Node> items;
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) items.push_back(item);
    } else if (node.IsScalar()) {
      items.push_back(node);
    } else {
      return Error(node,
                   fmt::format("{}: where must be a list like [visit_type=outpatient]", owner));
    }
    for (const YAML::Node& item : items) {
      ASSIGN_OR_RETURN(std::string condition, ReadText(item, owner, "where"));
      where->push_back(std::move(condition));
    }
    return Status::Ok();
  }

  Result<BonusProvider> ReadProvider(const YAML::Node& node, const std::string& year_owner,
                                     const BonusYear& bonus, std::set<std::string>& ids) const {
    BonusProvider provider;
    ASSIGN_OR_RETURN(provider.id, ReadId(node, "provider", ids, year_owner));
    provider.line = node.Mark().line + 1;
    const std::string owner = fmt::format("{}, provider '{}'", year_owner, provider.id);
    bool has_name = false, has_unit = false, has_pool = false, has_share = false;
    RETURN_IF_ERROR(ForEachKey(
        node, "in " + owner, {"id", "name", "unit", "pool", "capitation_share", "values"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> Status {
          if (key == "name") {
            ASSIGN_OR_RETURN(provider.names, ReadNames(value, owner, "name"));
            has_name = true;
          } else if (key == "unit") {
            ASSIGN_OR_RETURN(provider.unit, ReadText(value, owner, key));
            has_unit = true;
          } else if (key == "pool") {
            ASSIGN_OR_RETURN(provider.pool, ReadMoney(value, owner, key));
            has_pool = true;
          } else if (key == "capitation_share") {
            ASSIGN_OR_RETURN(provider.capitation_share, ReadNumber(value, owner, key));
            if (provider.capitation_share <= 0 || provider.capitation_share > 1) {
              return Error(value, fmt::format("{}: capitation_share {} must be more than 0 and "
                                              "at most 1",
                                              owner, provider.capitation_share));
            }
            has_share = true;
          } else if (key == "values" && !value.IsNull()) {
            RETURN_IF_ERROR(ReadValues(value, owner, bonus, &provider.values));
          }
          return Status::Ok();
        }));
    if (!has_name) return Error(node, fmt::format("{} needs a name", owner));
    if (!has_unit)
      return Error(node, fmt::format("{} needs a unit (an organisation unit code)", owner));
    if (!has_pool) return Error(node, fmt::format("{} needs a pool (euros)", owner));
    if (!has_share) {
      return Error(
          node, fmt::format("{} needs a capitation_share (of the year's capitation total)", owner));
    }
    return provider;
  }

  Status ReadValues(const YAML::Node& node, const std::string& owner, const BonusYear& bonus,
                    std::map<std::string, double>* values) const {
    if (!node.IsMap()) {
      return Error(node, fmt::format("{}: values must map manual measure ids to numbers, e.g. "
                                     "{{infections: 4.2}}",
                                     owner));
    }
    for (const auto& item : node) {
      const std::string id = item.first.IsScalar() ? item.first.Scalar() : std::string();
      const BonusMeasure* measure = bonus.FindMeasure(id);
      if (measure == nullptr) {
        return Error(item.first, fmt::format("{}: values: there is no measure '{}' in bonus {}",
                                             owner, id, bonus.year));
      }
      if (measure->source != MeasureSource::kManual) {
        return Error(item.first,
                     fmt::format("{}: values: measure '{}' has source {}, which is computed; only "
                                 "manual measures take values",
                                 owner, id, MeasureSourceName(measure->source)));
      }
      if (values->count(id)) {
        return Error(item.first, fmt::format("{}: values: '{}' is given twice", owner, id));
      }
      ASSIGN_OR_RETURN((*values)[id], ReadNumber(item.second, owner, "values." + id));
    }
    return Status::Ok();
  }

  // Once every year is known: the expected cost is a share of the same year's capitation.
  Status CheckCostMeasuresHaveCapitation(const RegionalDefinition& definition) const {
    for (const BonusYear& bonus : definition.bonus) {
      if (definition.CapitationFor(bonus.year) != nullptr) continue;
      for (const BonusComponentDefinition& component : bonus.components) {
        for (const BonusMeasure& measure : component.measures) {
          if (measure.source != MeasureSource::kCostVsCapitation) continue;
          return ErrorAtLine(
              measure.line,
              fmt::format("bonus {}, measure '{}': source cost_vs_capitation compares cost with "
                          "the capitation, but there is no capitation entry for {}",
                          bonus.year, measure.id, bonus.year));
        }
      }
    }
    return Status::Ok();
  }

  std::map<int, int> capitation_years_, bonus_years_;
};

}  // namespace

std::string_view BonusAimName(BonusAim aim) { return kBonusAimNames[static_cast<size_t>(aim)]; }

std::string_view MeasureSourceName(MeasureSource source) {
  return kMeasureSourceNames[static_cast<size_t>(source)];
}

const BonusMeasure* BonusYear::FindMeasure(std::string_view id) const {
  for (const BonusComponentDefinition& component : components) {
    for (const BonusMeasure& measure : component.measures) {
      if (measure.id == id) return &measure;
    }
  }
  return nullptr;
}

const BonusProvider* BonusYear::FindProvider(std::string_view id) const {
  for (const BonusProvider& provider : providers) {
    if (provider.id == id) return &provider;
  }
  return nullptr;
}

const CapitationYear* RegionalDefinition::CapitationFor(int year) const {
  for (const CapitationYear& entry : capitation) {
    if (entry.year == year) return &entry;
  }
  return nullptr;
}

const BonusYear* RegionalDefinition::BonusFor(int year) const {
  for (const BonusYear& entry : bonus) {
    if (entry.year == year) return &entry;
  }
  return nullptr;
}

Result<RegionalDefinition> ParseRegionalDefinition(std::string_view yaml_text,
                                                   std::string_view file_name_for_messages) {
  const std::string file(file_name_for_messages);
  RegionalDefinition definition;
  RETURN_IF_ERROR(ParseYamlDefinition(yaml_text, file, [&](const YAML::Node& root) -> Status {
    ASSIGN_OR_RETURN(definition, Loader(file).Load(root));
    return Status::Ok();
  }));
  return definition;
}

Result<RegionalDefinition> LoadRegionalDefinition(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, ReadDefinitionFile(path, "regional definition"));
  return ParseRegionalDefinition(text, path);
}

}  // namespace mittari::regional
