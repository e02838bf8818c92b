#include "regional/definition.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>

#include "regional/bonus.h"

namespace mittari::regional {
namespace {

Money Cents(int64_t cents) { return Money::FromCents(cents); }

// The example in definition.h, verbatim, so the documentation cannot drift from what loads.
constexpr std::string_view kHeaderExample = R"(
pooling:
  threshold: 80000.00              # euros per patient-year; "80 000,00" is fine too
capitation:
  - year: 2025
    total: 650000000.00            # euros to share among the member municipalities
    base: 1000                     # euros per weighted resident (the raw claim's scale)
    age_weights: {"0-6": 0.9, "7-17": 0.6, "18-64": 1.0,
                  "65-74": 2.2, "75-84": 3.6, "85+": 5.1}
bonus:
  - year: 2025
    components:                    # quality, effectiveness, cost_efficiency; weights sum to 1
      quality:
        weight: 0.4
        measures:                  # measure weights within a component sum to 1
          - id: nps_outpatient
            name:
              fi: NPS poliklinikoilla
              sv: NPS på poliklinikerna
              en: NPS at outpatient clinics
            source: nps
            where: [visit_type=outpatient]
            floor: 50
            target: 80
            weight: 0.7
          - {id: infections, name: Sairaalainfektiot, source: manual,
             floor: 6, target: 3, weight: 0.3}
      effectiveness:
        weight: 0.3
        measures:
          - id: avoidable_er
            name: {fi: Vältettävät päivystyskäynnit, en: Avoidable emergency visits}
            source: manual
            floor: 15                # lower is better: the floor is above the target
            target: 8
            weight: 1
      cost_efficiency:
        weight: 0.3
        measures:
          - id: cost_ratio
            name: {fi: Kustannukset / kapitaatio, en: Cost / capitation}
            source: cost_vs_capitation
            floor: 1.10
            target: 0.95
            weight: 1
    providers:
      - id: a01
        name: {fi: Alue 1, sv: Område 1, en: Area 1}
        unit: A01                    # its subtree's answers (nps) and cost centres (ledger)
        pool: 250000.00              # euros
        capitation_share: 0.12       # of the year's capitation total: its expected cost
        values: {infections: 4.2, avoidable_er: 11.5}
)";

// A small valid file whose line numbers the error tests rely on; each test breaks one thing.
constexpr std::string_view kValid =
    R"(pooling:
  threshold: 80000.00
capitation:
  - year: 2025
    total: 1000000.00
    base: 100
    age_weights: {"0-6": 0.9, "7-17": 0.6, "18-64": 1.0, "65-74": 2.2, "75-84": 3.6, "85+": 5.1}
bonus:
  - year: 2025
    components:
      quality:
        weight: 0.5
        measures:
          - {id: nps, name: NPS, source: nps, where: [visit_type=outpatient], floor: 50, target: 80, weight: 0.6}
          - {id: infections, name: Infektiot, source: manual, floor: 6, target: 3, weight: 0.4}
      effectiveness:
        weight: 0.25
        measures:
          - {id: avoidable_er, name: Päivystys, source: manual, floor: 15, target: 8, weight: 1}
      cost_efficiency:
        weight: 0.25
        measures:
          - {id: cost_ratio, name: Kustannus, source: cost_vs_capitation, floor: 1.10, target: 0.95, weight: 1}
    providers:
      - id: a01
        name: {fi: Alue 1, sv: Område 1, en: Area 1}
        unit: A01
        pool: 1000.00
        capitation_share: 0.5
        values: {infections: 4.5, avoidable_er: 8}
)";

// kValid with the one occurrence of `from` replaced by `to`.
std::string With(std::string_view from, std::string_view to) {
  std::string text(kValid);
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from << " is not unique";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string ErrorOf(std::string_view yaml) {
  Result<RegionalDefinition> definition = ParseRegionalDefinition(yaml, "t.yaml");
  EXPECT_FALSE(definition.ok()) << yaml;
  if (definition.ok()) return "";
  EXPECT_EQ(definition.status().code(), StatusCode::kInvalidArgument);
  return definition.status().message();
}

RegionalDefinition Parsed(std::string_view yaml) {
  Result<RegionalDefinition> definition = ParseRegionalDefinition(yaml, "t.yaml");
  EXPECT_TRUE(definition.ok()) << definition.status().ToString();
  return definition.ok() ? *std::move(definition) : RegionalDefinition{};
}

TEST(ParseRegionalDefinition, TheHeaderExampleLoads) {
  Result<RegionalDefinition> loaded = ParseRegionalDefinition(kHeaderExample, "regional.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const RegionalDefinition& definition = *loaded;
  EXPECT_EQ(definition.pooling_threshold, Cents(8'000'000));

  ASSERT_EQ(definition.capitation.size(), 1u);
  const CapitationYear* capitation = definition.CapitationFor(2025);
  ASSERT_NE(capitation, nullptr);
  EXPECT_EQ(capitation->total, Cents(65'000'000'000));
  EXPECT_EQ(capitation->base, 1000);
  EXPECT_EQ(capitation->line, 5);
  EXPECT_EQ(capitation->age_weights, (std::map<AgeGroup, double>{{AgeGroup::k0To6, 0.9},
                                                                 {AgeGroup::k7To17, 0.6},
                                                                 {AgeGroup::k18To64, 1.0},
                                                                 {AgeGroup::k65To74, 2.2},
                                                                 {AgeGroup::k75To84, 3.6},
                                                                 {AgeGroup::k85Plus, 5.1}}));
  EXPECT_EQ(definition.CapitationFor(2024), nullptr);

  const BonusYear* bonus = definition.BonusFor(2025);
  ASSERT_NE(bonus, nullptr);
  EXPECT_EQ(definition.BonusFor(2026), nullptr);
  EXPECT_EQ(bonus->line, 11);
  EXPECT_DOUBLE_EQ(bonus->Component(BonusAim::kQuality).weight, 0.4);
  EXPECT_DOUBLE_EQ(bonus->Component(BonusAim::kEffectiveness).weight, 0.3);
  EXPECT_DOUBLE_EQ(bonus->Component(BonusAim::kCostEfficiency).weight, 0.3);
  ASSERT_EQ(bonus->Component(BonusAim::kQuality).measures.size(), 2u);

  const BonusMeasure* nps = bonus->FindMeasure("nps_outpatient");
  ASSERT_NE(nps, nullptr);
  EXPECT_EQ(nps, &bonus->Component(BonusAim::kQuality).measures[0]);
  EXPECT_EQ(nps->source, MeasureSource::kNps);
  EXPECT_EQ(nps->names.In("sv"), "NPS på poliklinikerna");
  EXPECT_EQ(nps->where, (std::vector<std::string>{"visit_type=outpatient"}));
  EXPECT_EQ(nps->floor, 50);
  EXPECT_EQ(nps->target, 80);
  EXPECT_DOUBLE_EQ(nps->weight, 0.7);
  EXPECT_EQ(nps->line, 16);

  const BonusMeasure* infections = bonus->FindMeasure("infections");
  ASSERT_NE(infections, nullptr);
  EXPECT_EQ(infections->source, MeasureSource::kManual);
  EXPECT_EQ(infections->names.fi, "Sairaalainfektiot");
  EXPECT_EQ(infections->names.In("en"), "Sairaalainfektiot");  // plain text: Finnish only
  EXPECT_TRUE(infections->where.empty());
  EXPECT_EQ(infections->line, 26);

  const BonusMeasure* avoidable = bonus->FindMeasure("avoidable_er");
  ASSERT_NE(avoidable, nullptr);
  EXPECT_EQ(avoidable->names.In("sv"), "Vältettävät päivystyskäynnit");  // no sv: Finnish
  EXPECT_EQ(avoidable->names.In("en"), "Avoidable emergency visits");

  const BonusMeasure* cost = bonus->FindMeasure("cost_ratio");
  ASSERT_NE(cost, nullptr);
  EXPECT_EQ(cost->source, MeasureSource::kCostVsCapitation);
  EXPECT_DOUBLE_EQ(cost->floor, 1.10);
  EXPECT_DOUBLE_EQ(cost->target, 0.95);
  EXPECT_EQ(bonus->FindMeasure("a01"), nullptr);

  ASSERT_EQ(bonus->providers.size(), 1u);
  const BonusProvider* provider = bonus->FindProvider("a01");
  ASSERT_NE(provider, nullptr);
  EXPECT_EQ(provider->names.In("sv"), "Område 1");
  EXPECT_EQ(provider->unit, "A01");
  EXPECT_EQ(provider->pool, Cents(25'000'000));
  EXPECT_DOUBLE_EQ(provider->capitation_share, 0.12);
  EXPECT_EQ(provider->values,
            (std::map<std::string, double>{{"infections", 4.2}, {"avoidable_er", 11.5}}));
  EXPECT_EQ(provider->line, 47);
  EXPECT_EQ(bonus->FindProvider("a02"), nullptr);
}

TEST(ParseRegionalDefinition, EverySectionIsOptional) {
  for (std::string_view text : {"", "# nothing decided yet\n", "capitation:\nbonus: []\n"}) {
    RegionalDefinition definition = Parsed(text);
    EXPECT_EQ(definition.pooling_threshold, kDefaultPoolingThreshold);
    EXPECT_EQ(definition.pooling_threshold, Cents(8'000'000));
    EXPECT_TRUE(definition.capitation.empty());
    EXPECT_TRUE(definition.bonus.empty());
  }
  // A year's bonus may be planned before its providers are known.
  RegionalDefinition drafted = Parsed(kValid.substr(0, kValid.find("    providers:")));
  ASSERT_EQ(drafted.bonus.size(), 1u);
  EXPECT_TRUE(drafted.bonus[0].providers.empty());
}

TEST(ParseRegionalDefinition, AmountsAreReadExactlyInEitherNotation) {
  RegionalDefinition definition = Parsed(With("threshold: 80000.00", "threshold: 75 000,10 €"));
  EXPECT_EQ(definition.pooling_threshold, Cents(7'500'010));
  definition = Parsed(With("pool: 1000.00", "pool: 0.1"));
  EXPECT_EQ(definition.bonus[0].providers[0].pool, Cents(10));
  definition = Parsed(With("total: 1000000.00", "total: 1 000 000,05"));
  EXPECT_EQ(definition.capitation[0].total, Cents(100'000'005));
}

TEST(ParseRegionalDefinition, NumbersTakeADecimalCommaAndWhereTakesOneCondition) {
  RegionalDefinition definition =
      Parsed(With("where: [visit_type=outpatient]", "where: channel=sms"));
  EXPECT_EQ(definition.bonus[0].FindMeasure("nps")->where,
            (std::vector<std::string>{"channel=sms"}));
  definition = Parsed(With("    base: 100\n", "    base: \"1380,5\"\n"));
  EXPECT_EQ(definition.capitation[0].base, 1380.5);
}

TEST(ParseRegionalDefinitionErrors, UnknownKeysNameTheAllowedOnes) {
  EXPECT_EQ(ErrorOf(With("pooling:", "poolng:")),
            "t.yaml:1: unknown key 'poolng' at the top level (pooling, capitation, bonus)");
  EXPECT_EQ(ErrorOf(With("    base: 100\n", "    base: 100\n    bse: 1\n")),
            "t.yaml:7: unknown key 'bse' in capitation 2025 (year, total, base, age_weights)");
  EXPECT_EQ(ErrorOf(With("target: 3,", "traget: 3,")),
            "t.yaml:15: unknown key 'traget' in bonus 2025, measure 'infections' (id, name, "
            "source, where, floor, target, weight)");
  EXPECT_EQ(ErrorOf(With("      effectiveness:", "      efectiveness:")),
            "t.yaml:16: unknown key 'efectiveness' in the components of bonus 2025 (quality, "
            "effectiveness, cost_efficiency)");
  EXPECT_EQ(ErrorOf(With("        unit: A01", "        unit: A01\n        budget: 5")),
            "t.yaml:28: unknown key 'budget' in bonus 2025, provider 'a01' (id, name, unit, pool, "
            "capitation_share, values)");
  EXPECT_EQ(ErrorOf(With("{fi: Alue 1, sv:", "{fi: Alue 1, se:")),
            "t.yaml:26: unknown key 'se' in the name of bonus 2025, provider 'a01' (fi, sv, en)");
  EXPECT_EQ(ErrorOf(With("    base: 100\n", "    base: 100\n    base: 200\n")),
            "t.yaml:7: key 'base' appears twice in capitation 2025");
}

TEST(ParseRegionalDefinitionErrors, MissingRequiredKeys) {
  EXPECT_EQ(ErrorOf(With("    total: 1000000.00\n", "")),
            "t.yaml:4: capitation 2025 needs a total (euros)");
  EXPECT_EQ(ErrorOf(With("    base: 100\n", "")),
            "t.yaml:4: capitation 2025 needs a base (euros per weighted resident)");
  EXPECT_EQ(ErrorOf(With("  - year: 2025\n    total", "  - total")),
            "t.yaml:4: capitation entry without a year");
  EXPECT_EQ(ErrorOf(With("floor: 6, ", "")),
            "t.yaml:15: bonus 2025, measure 'infections' needs a floor (the value that earns "
            "nothing)");
  EXPECT_EQ(ErrorOf(With("source: manual, floor: 15", "floor: 15")),
            "t.yaml:19: bonus 2025, measure 'avoidable_er' needs a source (nps, manual, "
            "cost_vs_capitation)");
  EXPECT_EQ(ErrorOf(With("{id: avoidable_er, ", "{")),
            "t.yaml:19: bonus 2025: measure without an id");
  EXPECT_EQ(ErrorOf(With("        pool: 1000.00\n", "")),
            "t.yaml:25: bonus 2025, provider 'a01' needs a pool (euros)");
  EXPECT_EQ(ErrorOf(With("        capitation_share: 0.5\n", "")),
            "t.yaml:25: bonus 2025, provider 'a01' needs a capitation_share (of the year's "
            "capitation total)");
  EXPECT_EQ(ErrorOf(With("        weight: 0.25\n        measures:\n          - {id: avoidable_er",
                         "        measures:\n          - {id: avoidable_er")),
            "t.yaml:16: bonus 2025, effectiveness needs a weight");
  EXPECT_EQ(ErrorOf("pooling: {}\n"),
            "t.yaml:1: pooling needs a threshold (euros per patient-year)");
}

TEST(ParseRegionalDefinitionErrors, EveryComponentIsNeeded) {
  const std::string without_effectiveness = With(
      "      effectiveness:\n        weight: 0.25\n        measures:\n          - {id: "
      "avoidable_er, name: Päivystys, source: manual, floor: 15, target: 8, weight: 1}\n",
      "");
  EXPECT_EQ(ErrorOf(without_effectiveness),
            "t.yaml:10: bonus 2025: components lacks effectiveness (the triple aim needs all "
            "three; give one weight 0 to leave it out)");
}

TEST(ParseRegionalDefinitionErrors, DuplicateYearsAndIds) {
  const std::string capitation_twice =
      With("bonus:\n", "  - {year: 2025, total: 1.00, base: 1, age_weights: {}}\nbonus:\n");
  EXPECT_EQ(ErrorOf(capitation_twice),
            "t.yaml:8: capitation 2025 is given twice (first on line 4)");
  std::string bonus_twice(kValid);
  bonus_twice += "  - year: 2025\n";
  EXPECT_EQ(ErrorOf(bonus_twice), "t.yaml:31: bonus 2025 is given twice (first on line 9)");
  EXPECT_EQ(ErrorOf(With("{id: avoidable_er,", "{id: infections,")),
            "t.yaml:19: bonus 2025: measure id 'infections' is used twice");
  std::string provider_twice(kValid);
  provider_twice +=
      "      - {id: a01, name: Toinen, unit: A02, pool: 1.00, capitation_share: 0.1}\n";
  EXPECT_EQ(ErrorOf(provider_twice), "t.yaml:31: bonus 2025: provider id 'a01' is used twice");
  EXPECT_EQ(ErrorOf(With("{id: nps,", "{id: NPS,")),
            "t.yaml:14: bonus 2025: measure id 'NPS' must be lower-case letters, digits and _, "
            "starting with a letter");
  EXPECT_EQ(ErrorOf(With("  - year: 2025\n    total", "  - year: 1999\n    total")),
            "t.yaml:4: capitation: '1999' is not a year from 2000 to 2100");
}

TEST(ParseRegionalDefinitionErrors, WeightsMustAddUpToOneNamingTheComponent) {
  EXPECT_EQ(ErrorOf(With("target: 80, weight: 0.6}", "target: 80, weight: 0.5}")),
            "t.yaml:11: bonus 2025: the measure weights of quality add up to 0.9, not 1");
  EXPECT_EQ(ErrorOf(With("target: 0.95, weight: 1}", "target: 0.95, weight: 0.99}")),
            "t.yaml:20: bonus 2025: the measure weights of cost_efficiency add up to 0.99, not 1");
  EXPECT_EQ(ErrorOf(With("        weight: 0.5\n", "        weight: 0.6\n")),
            "t.yaml:10: bonus 2025: the component weights add up to 1.1, not 1 (quality 0.6, "
            "effectiveness 0.25, cost_efficiency 0.25)");
  EXPECT_EQ(ErrorOf(With("        weight: 0.5\n", "        weight: -0.5\n")),
            "t.yaml:12: bonus 2025, quality: weight -0.5 must not be negative");
  EXPECT_EQ(ErrorOf(With("        weight: 0.5\n", "        weight: half\n")),
            "t.yaml:12: bonus 2025, quality: weight must be a number like 0.4 or 0,4, not 'half'");
  // Within 1e-9 of 1 is 1: decimal weights are rarely exact in binary.
  Parsed(With("target: 80, weight: 0.6}", "target: 80, weight: 0.6000000001}"));
}

TEST(ParseRegionalDefinitionErrors, AComponentWeightedZeroMayHaveNoMeasures) {
  const std::string text = With(
      "        weight: 0.25\n        measures:\n          - {id: cost_ratio, name: Kustannus, "
      "source: cost_vs_capitation, floor: 1.10, target: 0.95, weight: 1}\n",
      "        weight: 0\n");
  const std::string rebalanced =
      std::string(text).replace(text.find("weight: 0.5"), 11, "weight: 0.75");
  RegionalDefinition definition = Parsed(rebalanced);
  ASSERT_EQ(definition.bonus.size(), 1u);
  EXPECT_TRUE(definition.bonus[0].Component(BonusAim::kCostEfficiency).measures.empty());
  EXPECT_EQ(ErrorOf(text.substr(0, text.find("        weight: 0\n")) + "        weight: 0.25\n" +
                    text.substr(text.find("        weight: 0\n") + 18)),
            "t.yaml:20: bonus 2025, cost_efficiency is weighted 0.25 but has no measures");
}

TEST(ParseRegionalDefinitionErrors, FloorEqualToTarget) {
  EXPECT_EQ(ErrorOf(With("floor: 15, target: 8", "floor: 8, target: 8")),
            "t.yaml:19: bonus 2025, measure 'avoidable_er': floor and target are both 8, so "
            "progress cannot be measured");
}

TEST(ParseRegionalDefinitionErrors, NegativeAmounts) {
  EXPECT_EQ(ErrorOf(With("pool: 1000.00", "pool: -1000.00")),
            "t.yaml:28: bonus 2025, provider 'a01': pool -1000.00 must not be negative");
  EXPECT_EQ(ErrorOf(With("total: 1000000.00", "total: -1.00")),
            "t.yaml:5: capitation 2025: total -1.00 must not be negative");
  EXPECT_EQ(ErrorOf(With("threshold: 80000.00", "threshold: −5")),
            "t.yaml:2: pooling: threshold −5 must not be negative");
}

TEST(ParseRegionalDefinitionErrors, AmountsWithFractionsOfACent) {
  const std::string message = ErrorOf(With("pool: 1000.00", "pool: 1000.005"));
  EXPECT_EQ(message.rfind("t.yaml:28: bonus 2025, provider 'a01': pool: '1000.005'", 0), 0u)
      << message;
  EXPECT_NE(message.find("decimal"), std::string::npos) << message;
  EXPECT_EQ(ErrorOf(With("threshold: 80000.00", "threshold: 80000.001")).rfind("t.yaml:2: ", 0),
            0u);
  EXPECT_EQ(ErrorOf(With("total: 1000000.00", "total: lots")).rfind("t.yaml:5: ", 0), 0u);
}

TEST(ParseRegionalDefinitionErrors, AgeGroups) {
  EXPECT_EQ(ErrorOf(With("\"85+\": 5.1", "\"90+\": 5.1")),
            "t.yaml:7: capitation 2025: unknown age group '90+' in age_weights (0-6, 7-17, 18-64, "
            "65-74, 75-84, 85+)");
  EXPECT_EQ(ErrorOf(With(", \"85+\": 5.1}", "}")),
            "t.yaml:7: capitation 2025: age_weights lacks 85+ (every age group needs a weight)");
  std::string listed = With("age_weights: {", "age_weights: [");
  listed.replace(listed.find("5.1}"), 4, "5.1]");
  EXPECT_EQ(ErrorOf(listed),
            "t.yaml:7: capitation 2025: age_weights must map each age group (0-6, 7-17, 18-64, "
            "65-74, 75-84, 85+) to a weight");
  EXPECT_EQ(ErrorOf(With("\"0-6\": 0.9", "\"0-6\": -0.9")),
            "t.yaml:7: capitation 2025: age weight 0-6 -0.9 must not be negative");
  EXPECT_EQ(ErrorOf(With("\"7-17\": 0.6", "\"0-6\": 0.6")),
            "t.yaml:7: capitation 2025: age group 0-6 appears twice in age_weights");
}

TEST(ParseRegionalDefinitionErrors, CapitationShareIsAPartOfTheWhole) {
  EXPECT_EQ(ErrorOf(With("capitation_share: 0.5", "capitation_share: 0")),
            "t.yaml:29: bonus 2025, provider 'a01': capitation_share 0 must be more than 0 and at "
            "most 1");
  EXPECT_EQ(ErrorOf(With("capitation_share: 0.5", "capitation_share: 1.5")),
            "t.yaml:29: bonus 2025, provider 'a01': capitation_share 1.5 must be more than 0 and "
            "at most 1");
  Parsed(With("capitation_share: 0.5", "capitation_share: 1"));
  std::string over(kValid);
  over += "      - {id: a02, name: Alue 2, unit: A02, pool: 1.00, capitation_share: 0.6}\n";
  EXPECT_EQ(ErrorOf(over),
            "t.yaml:31: bonus 2025, provider 'a02': the providers' capitation shares add up to "
            "1.1 so far, more than the whole capitation");
}

TEST(ParseRegionalDefinitionErrors, ManualValuesOnlyForManualMeasures) {
  EXPECT_EQ(ErrorOf(With("{infections: 4.5,", "{infectons: 4.5,")),
            "t.yaml:30: bonus 2025, provider 'a01': values: there is no measure 'infectons' in "
            "bonus 2025");
  EXPECT_EQ(ErrorOf(With("avoidable_er: 8}", "avoidable_er: 8, cost_ratio: 0.9}")),
            "t.yaml:30: bonus 2025, provider 'a01': values: measure 'cost_ratio' has source "
            "cost_vs_capitation, which is computed; only manual measures take values");
  EXPECT_EQ(ErrorOf(With("avoidable_er: 8}", "avoidable_er: 8, nps: 70}")),
            "t.yaml:30: bonus 2025, provider 'a01': values: measure 'nps' has source nps, which "
            "is computed; only manual measures take values");
  EXPECT_EQ(ErrorOf(With("avoidable_er: 8}", "avoidable_er: many}")),
            "t.yaml:30: bonus 2025, provider 'a01': values.avoidable_er must be a number like 0.4 "
            "or 0,4, not 'many'");
}

TEST(ParseRegionalDefinitionErrors, SourcesAndWhere) {
  EXPECT_EQ(ErrorOf(With("source: manual, floor: 6", "source: manul, floor: 6")),
            "t.yaml:15: bonus 2025, measure 'infections': unknown source 'manul' (nps, manual, "
            "cost_vs_capitation)");
  EXPECT_EQ(ErrorOf(With("source: manual, floor: 6", "source: manual, where: [a=b], floor: 6")),
            "t.yaml:15: bonus 2025, measure 'infections': where only applies to source nps, not "
            "manual");
  EXPECT_EQ(ErrorOf(With("where: [visit_type=outpatient]", "where: [visit_type=outpatient, \"\"]")),
            "t.yaml:14: bonus 2025, measure 'nps': where must be a non-empty text");
  // The year's expected cost is a share of its capitation total, so the two go together.
  EXPECT_EQ(ErrorOf(With("  - year: 2025\n    components", "  - year: 2026\n    components")),
            "t.yaml:23: bonus 2026, measure 'cost_ratio': source cost_vs_capitation compares cost "
            "with the capitation, but there is no capitation entry for 2026");
}

TEST(ParseRegionalDefinitionErrors, Names) {
  EXPECT_EQ(ErrorOf(With("{fi: Alue 1, sv: Område 1, en: Area 1}", "{sv: Område 1}")),
            "t.yaml:26: bonus 2025, provider 'a01': name needs a Finnish text (fi)");
  EXPECT_EQ(ErrorOf(With("name: Infektiot", "name: [Infektiot]")),
            "t.yaml:15: bonus 2025, measure 'infections': name must be {fi: ..., sv: ..., en: ...} "
            "or a Finnish text");
  // A translation may be left for later.
  RegionalDefinition definition = Parsed(With("sv: Område 1,", "sv:,"));
  EXPECT_EQ(definition.bonus[0].providers[0].names.In("sv"), "Alue 1");
}

TEST(ParseRegionalDefinitionErrors, InvalidYamlAndWrongShapes) {
  EXPECT_EQ(ErrorOf("pooling:\n  threshold: [1\n").rfind("t.yaml:3: not valid YAML: ", 0), 0u);
  EXPECT_EQ(ErrorOf("- 1\n"),
            "t.yaml:1: the file must be a mapping with pooling, capitation and bonus");
  EXPECT_EQ(ErrorOf("bonus: 2025\n"), "t.yaml:1: bonus must be a list of years");
  EXPECT_EQ(ErrorOf(With("    providers:\n      - id: a01",
                         "    providers:\n      - a01\n      - id: a01")),
            "t.yaml:25: bonus 2025: each provider must be a mapping with an id");
}

TEST(LoadRegionalDefinition, MissingFileIsNotFound) {
  Result<RegionalDefinition> missing = LoadRegionalDefinition("/nonexistent/regional.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

std::filesystem::path SourceDir() {
  const char* source = std::getenv("MITTARI_SOURCE_DIR");
  return source != nullptr ? source : MITTARI_TEST_SOURCE_DIR;
}

TEST(LoadRegionalDefinition, TheDemoDistrictsFileLoads) {
  const std::string path = (SourceDir() / "config/regional.yaml").string();
  Result<RegionalDefinition> loaded = LoadRegionalDefinition(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->pooling_threshold, Cents(8'000'000));
  const CapitationYear* capitation = loaded->CapitationFor(2025);
  ASSERT_NE(capitation, nullptr);
  // About 2 000 € per resident for about 500 000 residents.
  EXPECT_GE(capitation->total, Cents(80'000'000'000));
  EXPECT_LE(capitation->total, Cents(120'000'000'000));
  const BonusYear* bonus = loaded->BonusFor(2025);
  ASSERT_NE(bonus, nullptr);
  ASSERT_GE(bonus->providers.size(), 3u);
  ASSERT_LE(bonus->providers.size(), 5u);
  Money pools;
  for (const BonusProvider& provider : bonus->providers) {
    pools += provider.pool;
    EXPECT_EQ(provider.unit.substr(0, 2), "A0") << provider.id;
    // Every provider can be evaluated, whatever data turns up.
    Result<ProviderBonus> evaluated =
        EvaluateProviderBonus(*bonus, provider, [](const BonusMeasure&) { return std::nullopt; });
    EXPECT_TRUE(evaluated.ok()) << evaluated.status().ToString();
  }
  EXPECT_GE(pools, Cents(90'000'000));
  EXPECT_LE(pools, Cents(110'000'000));
}

// Evaluation over kValid: provider a01 has infections 4.5 (floor 6, target 3: halfway) and
// avoidable_er 8 (exactly the target); nps and cost_ratio come from the callback.
class EvaluateProviderBonusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    definition_ = Parsed(kValid);
    ASSERT_EQ(definition_.bonus.size(), 1u);
  }
  const BonusYear& Year() const { return definition_.bonus[0]; }
  const BonusProvider& Provider() const { return Year().providers[0]; }

  static ComputedMeasureValue Computed(std::optional<double> nps,
                                       std::optional<double> cost_ratio) {
    return [=](const BonusMeasure& measure) -> std::optional<double> {
      if (measure.id == "nps") return nps;
      if (measure.id == "cost_ratio") return cost_ratio;
      ADD_FAILURE() << "asked for manual measure " << measure.id;
      return std::nullopt;
    };
  }

  RegionalDefinition definition_;
};

TEST_F(EvaluateProviderBonusTest, ScoresAtFloorTargetBetweenAndBeyond) {
  // nps 50: the floor, 0. infections 4.5: halfway, 0.5. avoidable_er 8: the target, 1.
  // cost_ratio 0.80: beyond the target 0.95, still 1.
  Result<ProviderBonus> result = EvaluateProviderBonus(Year(), Provider(), Computed(50, 0.80));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->provider, "a01");
  ASSERT_EQ(result->measures.size(), 4u);
  EXPECT_EQ(result->measures[0].id, "nps");
  EXPECT_EQ(result->measures[0].value, 50);
  EXPECT_DOUBLE_EQ(result->measures[0].score, 0);
  EXPECT_EQ(result->measures[1].id, "infections");
  EXPECT_EQ(result->measures[1].value, 4.5);
  EXPECT_DOUBLE_EQ(result->measures[1].score, 0.5);
  EXPECT_EQ(result->measures[2].id, "avoidable_er");
  EXPECT_DOUBLE_EQ(result->measures[2].score, 1);
  EXPECT_EQ(result->measures[3].id, "cost_ratio");
  EXPECT_DOUBLE_EQ(result->measures[3].score, 1);
  // quality = 0.6 × 0 + 0.4 × 0.5 = 0.2; achievement = 0.5 × 0.2 + 0.25 × 1 + 0.25 × 1 = 0.6.
  EXPECT_DOUBLE_EQ(result->component_scores[0], 0.2);
  EXPECT_DOUBLE_EQ(result->component_scores[1], 1);
  EXPECT_DOUBLE_EQ(result->component_scores[2], 1);
  EXPECT_DOUBLE_EQ(result->achievement, 0.6);
  EXPECT_EQ(result->bonus, Cents(60000));

  // nps 65 is halfway from 50 to 80: quality = 0.6 × 0.5 + 0.4 × 0.5 = 0.5.
  result = EvaluateProviderBonus(Year(), Provider(), Computed(65, 0.80));
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->component_scores[0], 0.5);
  EXPECT_DOUBLE_EQ(result->achievement, 0.75);
  EXPECT_EQ(result->bonus, Cents(75000));

  // Everything at or beyond its target pays the whole pool and no more.
  BonusProvider perfect = Provider();
  perfect.values = {{"infections", 1}, {"avoidable_er", 2}};
  result = EvaluateProviderBonus(Year(), perfect, Computed(95, 0.5));
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->achievement, 1);
  EXPECT_EQ(result->bonus, perfect.pool);
}

TEST_F(EvaluateProviderBonusTest, MissingValuesEarnNothingAndAreFlagged) {
  BonusProvider unreported = Provider();
  unreported.values.erase("infections");
  Result<ProviderBonus> result =
      EvaluateProviderBonus(Year(), unreported, Computed(80, std::nullopt));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->measures[0].value, 80);
  EXPECT_DOUBLE_EQ(result->measures[0].score, 1);
  EXPECT_EQ(result->measures[1].id, "infections");
  EXPECT_EQ(result->measures[1].value, std::nullopt);
  EXPECT_DOUBLE_EQ(result->measures[1].score, 0);
  EXPECT_EQ(result->measures[3].id, "cost_ratio");
  EXPECT_EQ(result->measures[3].value, std::nullopt);
  EXPECT_DOUBLE_EQ(result->measures[3].score, 0);
  // quality = 0.6; achievement = 0.5 × 0.6 + 0.25 × 1 + 0 = 0.55.
  EXPECT_DOUBLE_EQ(result->component_scores[0], 0.6);
  EXPECT_DOUBLE_EQ(result->component_scores[2], 0);
  EXPECT_DOUBLE_EQ(result->achievement, 0.55);
  EXPECT_EQ(result->bonus, Cents(55000));

  // No callback at all: only the manual measures count.
  result = EvaluateProviderBonus(Year(), Provider(), nullptr);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->measures[0].value, std::nullopt);
  EXPECT_EQ(result->bonus, Cents(35000));  // 0.5 × 0.2 + 0.25 = 0.35
}

TEST_F(EvaluateProviderBonusTest, TheBonusIsRoundedToTheCentHalfAwayFromZero) {
  // Quality 0 (both at the floor), effectiveness and cost-efficiency 1: achievement 0.5.
  BonusProvider provider = Provider();
  provider.values["infections"] = 6;
  provider.pool = Cents(3);  // 0.5 × 3 cents = 1.5 cents → 2 cents
  Result<ProviderBonus> result = EvaluateProviderBonus(Year(), provider, Computed(50, 0.9));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_DOUBLE_EQ(result->achievement, 0.5);
  EXPECT_EQ(result->bonus, Cents(2));
  provider.pool = Cents(100001);  // 500.005 € → 500.01 €
  result = EvaluateProviderBonus(Year(), provider, Computed(50, 0.9));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->bonus, Cents(50001));
  // 0.6 × 1 000.01 € = 600.006 € → 600.01 €.
  provider.values["infections"] = 4.5;
  result = EvaluateProviderBonus(Year(), provider, Computed(50, 0.9));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->bonus, Cents(60001));
}

TEST_F(EvaluateProviderBonusTest, Errors) {
  Result<ProviderBonus> result = EvaluateProviderBonus(
      Year(), Provider(), Computed(std::numeric_limits<double>::quiet_NaN(), 1));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      result.status().message().rfind("bonus 2025, provider 'a01': quality: measure 'nps': ", 0),
      0u)
      << result.status().message();

  // A year put together in code gets the loader's checks all the same.
  BonusYear unbalanced = Year();
  unbalanced.components[0].measures[0].weight = 0.5;
  result = EvaluateProviderBonus(unbalanced, Provider(), Computed(50, 1));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(),
            "bonus 2025, provider 'a01': quality: the measure weights add up to 0.9, not 1");

  BonusYear flat = Year();
  flat.components[1].measures[0].floor = flat.components[1].measures[0].target;
  EXPECT_FALSE(EvaluateProviderBonus(flat, Provider(), Computed(50, 1)).ok());

  BonusYear components_off = Year();
  components_off.components[2].weight = 0.5;
  result = EvaluateProviderBonus(components_off, Provider(), Computed(50, 1));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("not 1"), std::string::npos);

  BonusProvider negative = Provider();
  negative.pool = Cents(-1);
  EXPECT_FALSE(EvaluateProviderBonus(Year(), negative, Computed(50, 1)).ok());
}

}  // namespace
}  // namespace mittari::regional
