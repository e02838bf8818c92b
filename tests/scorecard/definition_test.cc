#include "scorecard/definition.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "scorecard/formula.h"

namespace mittari::scorecard {
namespace {

// The example in definition.h, verbatim, so the documentation cannot drift from what loads.
constexpr std::string_view kHeaderExample = R"(
name: strategy_2023_2027                    # optional; default: the file name's stem
title: {fi: HUS-strategia 2023–2027, sv: HUS-strategi 2023–2027, en: HUS strategy 2023–2027}
focal_points:
  - id: customer_experience
    name: {fi: Paras asiakaskokemus, sv: Bästa kundupplevelsen, en: Best customer experience}
    goals:
      - id: nps
        name: {fi: Suositteluhalukkuus, sv: Rekommendationsvilja, en: Likelihood to recommend}
        indicators:
          - id: nps_outpatient
            name:
              fi: NPS poliklinikoilla
              sv: NPS på poliklinikerna
              en: NPS at outpatient clinics
            unit: points                  # optional for nps/enps (points) and share (%)
            source: nps
            filter: {where: [visit_type=outpatient]}
            targets: {2023: "> 70", 2024: "> 70", 2025: ">= 72", 2026: "between 70 75"}
          - id: sms_information_share
            name: Tiedonsaanti tekstiviestikyselyssä    # plain text: the Finnish name only
            source: share
            filter: {unit: A01, where: [channel=sms], question: q_information}
            targets: {2025: ">= 80"}
  - id: economy
    name: {fi: Kestävä talous, sv: Hållbar ekonomi, en: Sustainable finances}
    goals:
      - id: productivity
        name: {fi: Tuottavuus, sv: Produktivitet, en: Productivity}
        indicators:
          - id: productivity
            name: {fi: Tuottavuusindeksi, en: Productivity index}
            unit: points
            source: manual
          - id: productivity_change
            name: {fi: Tuottavuuden muutos 2025→, en: Change in productivity from 2025}
            unit: "%"                     # "%" must be quoted in YAML; or write percent
            source: formula
            formula: change(productivity, 2025)
            targets: {2027: ">= 10"}
          - id: cost_per_resident
            name: {fi: Kustannus asukasta kohden, en: Cost per resident}
            unit: eur
            source: formula
            formula: total_cost / residents
            targets: {2026: "<= 4200,50"}
          - id: total_cost
            name: Kokonaiskustannukset
            unit: €
            source: manual
          - id: residents
            name: Asukkaat
            unit: count
            source: manual
          - id: waiting_list_published
            name: {fi: Jonotilanne julkaistu, en: Waiting list published}
            unit: yes/no
            source: manual
            targets: {2025: yes, 2026: yes}
)";

// One focal point with one goal; the indicators follow from line 9 on.
constexpr std::string_view kHead =
    "title: Testi\n"
    "focal_points:\n"
    "  - id: fp\n"
    "    name: Painopiste\n"
    "    goals:\n"
    "      - id: goal\n"
    "        name: Tavoite\n"
    "        indicators:\n";

// `indicators` as written at the left margin, placed under the goal.
std::string WithIndicators(std::string_view indicators) {
  std::string out(kHead);
  size_t start = 0;
  while (start < indicators.size()) {
    size_t end = indicators.find('\n', start);
    if (end == std::string_view::npos) end = indicators.size();
    out += "          ";
    out += indicators.substr(start, end - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

std::string ErrorOf(std::string_view yaml) {
  Result<Scorecard> scorecard = ParseScorecard(yaml, "t.yaml");
  EXPECT_FALSE(scorecard.ok()) << yaml;
  if (scorecard.ok()) return "";
  EXPECT_EQ(scorecard.status().code(), StatusCode::kInvalidArgument);
  return scorecard.status().message();
}

std::string IndicatorError(std::string_view indicators) {
  return ErrorOf(WithIndicators(indicators));
}

TEST(ParseScorecard, TheHeaderExampleLoads) {
  Result<Scorecard> loaded = ParseScorecard(kHeaderExample, "scorecard.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Scorecard& scorecard = *loaded;
  EXPECT_EQ(scorecard.name, "strategy_2023_2027");
  EXPECT_EQ(scorecard.title.In("sv"), "HUS-strategi 2023–2027");
  ASSERT_EQ(scorecard.focal_points.size(), 2u);
  EXPECT_EQ(scorecard.focal_points[0].id, "customer_experience");
  EXPECT_EQ(scorecard.focal_points[0].names.en, "Best customer experience");
  ASSERT_EQ(scorecard.focal_points[1].goals.size(), 1u);
  EXPECT_EQ(scorecard.focal_points[1].goals[0].names.In("sv"), "Produktivitet");

  std::vector<std::string> ids;
  for (const Indicator* indicator : scorecard.AllIndicators()) ids.push_back(indicator->id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"nps_outpatient", "sms_information_share", "productivity",
                                      "productivity_change", "cost_per_resident", "total_cost",
                                      "residents", "waiting_list_published"}));

  const Indicator* nps = scorecard.Find("nps_outpatient");
  ASSERT_NE(nps, nullptr);
  EXPECT_EQ(nps->line, 11);
  EXPECT_EQ(nps->source, SourceKind::kNps);
  EXPECT_EQ(nps->unit, MeasureUnit::kPoints);
  EXPECT_EQ(nps->filter.where, (std::vector<std::string>{"visit_type=outpatient"}));
  EXPECT_EQ(nps->filter.unit, std::nullopt);
  EXPECT_EQ(nps->names.In("en"), "NPS at outpatient clinics");
  ASSERT_EQ(nps->targets.size(), 4u);
  EXPECT_EQ(nps->targets.at(2023), (Target{Comparator::kGreater, 70, 0}));
  EXPECT_EQ(nps->targets.at(2025), (Target{Comparator::kGreaterEqual, 72, 0}));
  EXPECT_EQ(nps->targets.at(2026), (Target{Comparator::kBetween, 70, 75}));

  const Indicator* share = scorecard.Find("sms_information_share");
  ASSERT_NE(share, nullptr);
  EXPECT_EQ(share->unit, MeasureUnit::kPercent);  // the default for a share
  EXPECT_EQ(share->filter.unit, "A01");
  EXPECT_EQ(share->filter.question, "q_information");
  EXPECT_EQ(share->names.fi, "Tiedonsaanti tekstiviestikyselyssä");
  EXPECT_EQ(share->names.In("en"), "Tiedonsaanti tekstiviestikyselyssä");

  const Indicator* change = scorecard.Find("productivity_change");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->source, SourceKind::kFormula);
  EXPECT_EQ(change->unit, MeasureUnit::kPercent);
  EXPECT_EQ(change->formula, "change(productivity, 2025)");
  EXPECT_TRUE(ParseFormula(change->formula).ok());

  EXPECT_EQ(scorecard.Find("cost_per_resident")->unit, MeasureUnit::kEuro);
  EXPECT_EQ(scorecard.Find("cost_per_resident")->targets.at(2026),
            (Target{Comparator::kLessEqual, 4200.5, 0}));
  EXPECT_EQ(scorecard.Find("total_cost")->unit, MeasureUnit::kEuro);
  EXPECT_EQ(scorecard.Find("residents")->unit, MeasureUnit::kCount);
  const Indicator* published = scorecard.Find("waiting_list_published");
  EXPECT_EQ(published->unit, MeasureUnit::kYesNo);
  EXPECT_EQ(published->targets.at(2025), (Target{Comparator::kYes, 1, 0}));

  EXPECT_EQ(scorecard.Find("nps"), nullptr);  // a goal's id, not an indicator's
}

TEST(ParseScorecard, TheNameDefaultsToTheFileNamesStem) {
  Result<Scorecard> scorecard = ParseScorecard(WithIndicators(""), "config/strategy-2025.yaml");
  ASSERT_TRUE(scorecard.ok()) << scorecard.status().ToString();
  EXPECT_EQ(scorecard->name, "strategy-2025");
  EXPECT_TRUE(scorecard->focal_points[0].goals[0].indicators.empty());
}

TEST(Names, FallBackToFinnish) {
  Names names{"Suomeksi", "", "In English"};
  EXPECT_EQ(names.In("fi"), "Suomeksi");
  EXPECT_EQ(names.In("sv"), "Suomeksi");
  EXPECT_EQ(names.In("en"), "In English");
  EXPECT_EQ(names.In("de"), "Suomeksi");
  EXPECT_EQ(names.In(""), "Suomeksi");
}

TEST(ParseTarget, EveryForm) {
  EXPECT_EQ(*ParseTarget("> 70"), (Target{Comparator::kGreater, 70, 0}));
  EXPECT_EQ(*ParseTarget(">= 72"), (Target{Comparator::kGreaterEqual, 72, 0}));
  EXPECT_EQ(*ParseTarget("< 3.5"), (Target{Comparator::kLess, 3.5, 0}));
  EXPECT_EQ(*ParseTarget("<= 100"), (Target{Comparator::kLessEqual, 100, 0}));
  EXPECT_EQ(*ParseTarget("= 1"), (Target{Comparator::kEqual, 1, 0}));
  EXPECT_EQ(*ParseTarget("between 70 75"), (Target{Comparator::kBetween, 70, 75}));
  EXPECT_EQ(*ParseTarget("yes"), (Target{Comparator::kYes, 1, 0}));
  EXPECT_EQ(*ParseTarget("no"), (Target{Comparator::kYes, 0, 0}));
}

TEST(ParseTarget, DecimalCommaSpacingAndNegativeNumbers) {
  EXPECT_EQ(*ParseTarget("< 3,5"), (Target{Comparator::kLess, 3.5, 0}));
  EXPECT_EQ(*ParseTarget(">=72"), (Target{Comparator::kGreaterEqual, 72, 0}));
  EXPECT_EQ(*ParseTarget("  >   -10  "), (Target{Comparator::kGreater, -10, 0}));
  EXPECT_EQ(*ParseTarget("between 2,5 3.5"), (Target{Comparator::kBetween, 2.5, 3.5}));
  EXPECT_EQ(*ParseTarget("between 70 and 75"), (Target{Comparator::kBetween, 70, 75}));
  EXPECT_EQ(*ParseTarget("between 70 70"), (Target{Comparator::kBetween, 70, 70}));
}

TEST(ParseTarget, RefusesWhatItCannotRead) {
  for (std::string_view text : {"",
                                "70",
                                ">",
                                "> ",
                                ">> 70",
                                "=> 70",
                                "> 70 %",
                                "> 1e3",
                                "> inf",
                                "> nan",
                                "> 3,5,0",
                                "> 3.",
                                "> .5",
                                "between 70",
                                "between",
                                "between70 75",
                                "between 70 75 80",
                                "yes please",
                                "Yes",
                                "true",
                                "≥ 70",
                                "> 70.5.1"}) {
    Result<Target> target = ParseTarget(text);
    EXPECT_FALSE(target.ok()) << "'" << text << "' parsed as "
                              << (target.ok() ? FormatTarget(*target) : "");
  }
  EXPECT_EQ(ParseTarget("70").status().message(),
            "target '70' is not one of: > N, >= N, < N, <= N, = N, between N M, yes, no");
  EXPECT_EQ(ParseTarget("between 75 70").status().message(),
            "target 'between 75 70': the lower bound comes first");
}

TEST(FormatTarget, PrintsTheCanonicalText) {
  for (std::string_view text :
       {"> 70", ">= 72", "< 3.5", "<= 100", "= 1", "between 70 75", "yes", "no", "> -2.25"}) {
    EXPECT_EQ(FormatTarget(*ParseTarget(text)), text);
  }
  EXPECT_EQ(FormatTarget(*ParseTarget("<3,5")), "< 3.5");
}

TEST(MeasureUnit, NamesAndAliases) {
  EXPECT_EQ(ToName(MeasureUnit::kPercent), "%");
  EXPECT_EQ(ToName(MeasureUnit::kEuro), "€");
  EXPECT_EQ(ToName(MeasureUnit::kYesNo), "yes/no");
  EXPECT_EQ(ParseMeasureUnit("%"), MeasureUnit::kPercent);
  EXPECT_EQ(ParseMeasureUnit("percent"), MeasureUnit::kPercent);
  EXPECT_EQ(ParseMeasureUnit("€"), MeasureUnit::kEuro);
  EXPECT_EQ(ParseMeasureUnit("eur"), MeasureUnit::kEuro);
  EXPECT_EQ(ParseMeasureUnit("points"), MeasureUnit::kPoints);
  EXPECT_EQ(ParseMeasureUnit("count"), MeasureUnit::kCount);
  EXPECT_EQ(ParseMeasureUnit("rank"), MeasureUnit::kRank);
  EXPECT_EQ(ParseMeasureUnit("yes/no"), MeasureUnit::kYesNo);
  EXPECT_EQ(ParseMeasureUnit("EUR"), std::nullopt);
  EXPECT_EQ(ParseEnum<SourceKind>("enps"), SourceKind::kEnps);
  EXPECT_EQ(ToName(Comparator::kBetween), "between");
}

TEST(ParseScorecard, UnknownSource) {
  EXPECT_EQ(
      IndicatorError("- id: nps_er\n"
                     "  name: NPS päivystyksessä\n"
                     "  source: npx\n"),
      "t.yaml:11: indicator 'nps_er': unknown source 'npx' (nps, enps, share, manual, formula, regional)");
}

TEST(ParseScorecard, RegionalIndicatorsNameAKnownMetric) {
  Result<Scorecard> ok = ParseScorecard(WithIndicators("- id: cost\n"
                                                       "  name: Kustannus asukasta kohden\n"
                                                       "  unit: eur\n"
                                                       "  source: regional\n"
                                                       "  metric: cost_per_resident\n"),
                                        "t.yaml");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->Find("cost")->source, SourceKind::kRegional);
  EXPECT_EQ(ok->Find("cost")->metric, "cost_per_resident");
  EXPECT_EQ(IndicatorError("- id: cost\n  name: K\n  unit: eur\n  source: regional\n  metric: cost_per_cat\n"),
            "t.yaml:13: indicator 'cost': unknown metric 'cost_per_cat' (total_cost, residents, patients, "
            "cost_per_resident, cost_per_patient, ledger_cost)");
  EXPECT_EQ(IndicatorError("- id: cost\n  name: K\n  unit: eur\n  source: regional\n"),
            "t.yaml:9: indicator 'cost': source regional needs a metric (total_cost, residents, patients, "
            "cost_per_resident, cost_per_patient, ledger_cost)");
  EXPECT_EQ(IndicatorError("- id: cost\n  name: K\n  unit: eur\n  source: manual\n  metric: residents\n"),
            "t.yaml:13: indicator 'cost': a metric needs source: regional");
}

TEST(ParseScorecard, MissingIds) {
  EXPECT_EQ(IndicatorError("- name: Nimetön\n"
                           "  source: nps\n"),
            "t.yaml:9: indicator without an id");
  EXPECT_EQ(ErrorOf("title: T\nfocal_points:\n  - name: P\n"),
            "t.yaml:3: focal point without an id");
  EXPECT_EQ(
      ErrorOf("title: T\nfocal_points:\n  - id: p\n    name: P\n    goals:\n      - name: G\n"),
      "t.yaml:6: goal without an id");
  EXPECT_EQ(IndicatorError("- id: NPS\n"
                           "  name: N\n"),
            "t.yaml:9: indicator id 'NPS' must be lower-case letters, digits and _, starting with "
            "a letter");
}

TEST(ParseScorecard, DuplicateIndicatorIdsAnywhere) {
  const std::string yaml = WithIndicators(
                               "- id: nps_all\n"
                               "  name: N\n"
                               "  source: nps\n") +
                           "  - id: other\n"
                           "    name: Toinen\n"
                           "    goals:\n"
                           "      - id: other_goal\n"
                           "        name: G\n"
                           "        indicators:\n"
                           "          - id: nps_all\n"
                           "            name: N2\n"
                           "            source: enps\n";
  EXPECT_EQ(ErrorOf(yaml), "t.yaml:18: indicator id 'nps_all' is used twice");
  EXPECT_EQ(ErrorOf(std::string(kHead) + "      - id: goal\n        name: G\n"),
            "t.yaml:9: goal id 'goal' is used twice");
}

TEST(ParseScorecard, TargetYearsMustBeYears) {
  const std::string_view base = "- id: a\n  name: A\n  source: nps\n";
  EXPECT_EQ(IndicatorError(std::string(base) + "  targets: {twenty: \"> 1\"}\n"),
            "t.yaml:12: indicator 'a': 'twenty' is not a year from 2000 to 2100");
  EXPECT_EQ(IndicatorError(std::string(base) + "  targets: {1999: \"> 1\"}\n"),
            "t.yaml:12: indicator 'a': '1999' is not a year from 2000 to 2100");
  EXPECT_EQ(
      IndicatorError(std::string(base) + "  targets:\n    2024: \"> 1\"\n    2101: \"> 1\"\n"),
      "t.yaml:14: indicator 'a': '2101' is not a year from 2000 to 2100");
  EXPECT_EQ(IndicatorError(std::string(base) + "  targets: {2024.5: \"> 1\"}\n"),
            "t.yaml:12: indicator 'a': '2024.5' is not a year from 2000 to 2100");
  EXPECT_EQ(IndicatorError(std::string(base) + "  targets: {2024: \"> 1\", 2024: \"> 2\"}\n"),
            "t.yaml:12: indicator 'a': two targets for 2024");
}

TEST(ParseScorecard, TargetsThatDoNotParse) {
  EXPECT_EQ(IndicatorError("- id: a\n"
                           "  name: A\n"
                           "  source: nps\n"
                           "  targets:\n"
                           "    2024: \"> 70\"\n"
                           "    2025: 72\n"),
            "t.yaml:14: indicator 'a': 2025: target '72' is not one of: > N, >= N, < N, <= N, = N, "
            "between N M, "
            "yes, no");
  EXPECT_EQ(IndicatorError("- id: a\n  name: A\n  source: nps\n  targets: {2025: [1, 2]}\n"),
            "t.yaml:12: indicator 'a': 2025: target '' is not one of: > N, >= N, < N, <= N, = N, "
            "between N M, yes, no");
  EXPECT_EQ(IndicatorError("- id: a\n  name: A\n  source: nps\n  targets: [\"> 70\"]\n"),
            "t.yaml:12: indicator 'a': targets must map years to targets, e.g. {2025: \">= 72\"}");
}

TEST(ParseScorecard, YesNoIndicatorsTakeYesOrNoOnly) {
  EXPECT_EQ(IndicatorError("- id: published\n"
                           "  name: Julkaistu\n"
                           "  unit: yes/no\n"
                           "  source: manual\n"
                           "  targets: {2025: \">= 1\"}\n"),
            "t.yaml:13: indicator 'published': 2025: a yes/no indicator's target is yes or no, not "
            "'>= 1'");
  EXPECT_EQ(IndicatorError("- id: count\n"
                           "  name: Määrä\n"
                           "  unit: count\n"
                           "  source: manual\n"
                           "  targets: {2025: yes}\n"),
            "t.yaml:13: indicator 'count': 2025: target 'yes' only fits a yes/no indicator (unit: "
            "yes/no)");
  Result<Scorecard> ok = ParseScorecard(WithIndicators("- id: published\n"
                                                       "  name: Julkaistu\n"
                                                       "  unit: yes/no\n"
                                                       "  source: manual\n"
                                                       "  targets: {2025: no, 2026: \"yes\"}\n"),
                                        "t.yaml");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->Find("published")->targets.at(2025), (Target{Comparator::kYes, 0, 0}));
  EXPECT_EQ(ok->Find("published")->targets.at(2026), (Target{Comparator::kYes, 1, 0}));
}

TEST(ParseScorecard, ShareNeedsAQuestion) {
  EXPECT_EQ(IndicatorError("- id: info\n"
                           "  name: Tiedonsaanti\n"
                           "  source: share\n"),
            "t.yaml:9: indicator 'info': a share needs filter.question (the 1–5 question whose 4–5 "
            "answers it counts)");
  EXPECT_EQ(IndicatorError("- id: info\n"
                           "  name: Tiedonsaanti\n"
                           "  source: share\n"
                           "  filter: {where: [channel=sms]}\n"),
            "t.yaml:12: indicator 'info': a share needs filter.question (the 1–5 question whose "
            "4–5 answers it counts)");
  EXPECT_EQ(IndicatorError("- id: n\n"
                           "  name: N\n"
                           "  source: nps\n"
                           "  filter: {question: q1}\n"),
            "t.yaml:12: indicator 'n': filter.question only applies to share");
}

TEST(ParseScorecard, FiltersOnlyForSampledMeasuresAndWellFormed) {
  EXPECT_EQ(IndicatorError("- id: m\n"
                           "  name: M\n"
                           "  unit: count\n"
                           "  source: manual\n"
                           "  filter: {unit: A01}\n"),
            "t.yaml:13: indicator 'm': a filter only applies to nps, enps and share, not manual");
  EXPECT_EQ(IndicatorError("- id: n\n  name: N\n  source: nps\n  filter: {where: [outpatient]}\n"),
            "t.yaml:12: indicator 'n': where 'outpatient' must look like dimension=value[,value]");
  EXPECT_EQ(
      IndicatorError("- id: n\n  name: N\n  source: nps\n  filter: {where: [\"channel=sms,\"]}\n"),
      "t.yaml:12: indicator 'n': where 'channel=sms,' has an empty value");
  EXPECT_EQ(IndicatorError("- id: n\n  name: N\n  source: nps\n  filter:\n    where:\n      - "
                           "visit_type=outpatent\n"),
            "t.yaml:14: indicator 'n': where 'visit_type=outpatent': unknown visit type "
            "'outpatent' for visit_type "
            "(outpatient, inpatient, emergency, remote, other)");
  EXPECT_EQ(IndicatorError("- id: n\n  name: N\n  source: nps\n  filter: [a=b]\n"),
            "t.yaml:12: indicator 'n': filter must be a mapping (unit, where, question)");
  // A single condition without brackets, several values, and dimensions the engine checks.
  Result<Scorecard> ok = ParseScorecard(
      WithIndicators("- id: n\n"
                     "  name: N\n"
                     "  source: enps\n"
                     "  filter: {where: \"channel=sms,web\"}\n"
                     "- id: m\n"
                     "  name: M\n"
                     "  source: nps\n"
                     "  filter: {where: [year=2025, centre=A01-C01, age_group=75+]}\n"),
      "t.yaml");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->Find("n")->filter.where, (std::vector<std::string>{"channel=sms,web"}));
  EXPECT_EQ(ok->Find("m")->filter.where.size(), 3u);
}

TEST(ParseScorecard, UnitsFollowTheSource) {
  EXPECT_EQ(IndicatorError("- id: n\n  name: N\n  unit: \"%\"\n  source: nps\n"),
            "t.yaml:11: indicator 'n': source nps is measured in points, not %");
  EXPECT_EQ(IndicatorError("- id: m\n  name: M\n  source: manual\n"),
            "t.yaml:9: indicator 'm' needs a unit (%, points, €, count, rank, yes/no)");
  EXPECT_EQ(IndicatorError("- id: m\n  name: M\n  unit: kg\n  source: manual\n"),
            "t.yaml:11: indicator 'm': unknown unit 'kg' (%, points, €, count, rank, yes/no; also "
            "percent, eur)");
  EXPECT_EQ(IndicatorError("- id: m\n  name: M\n  unit: count\n"),
            "t.yaml:9: indicator 'm' needs a source (nps, enps, share, manual, formula, regional)");
}

TEST(ParseScorecard, FormulaIndicators) {
  EXPECT_EQ(IndicatorError("- id: f\n  name: F\n  unit: count\n  source: formula\n"),
            "t.yaml:9: indicator 'f': source formula needs a formula");
  EXPECT_EQ(
      IndicatorError("- id: f\n  name: F\n  unit: count\n  source: formula\n  formula: a +\n"),
      "t.yaml:13: indicator 'f': formula 'a +': column 4: expected a number, an indicator id, a "
      "function or "
      "'(' but found the end of the formula");
  EXPECT_EQ(
      IndicatorError("- id: m\n  name: M\n  unit: count\n  source: manual\n  formula: 1 + 1\n"),
      "t.yaml:13: indicator 'm': a formula needs source: formula");
  EXPECT_EQ(IndicatorError(
                "- id: f\n  name: F\n  unit: count\n  source: formula\n  formula: residentz * 2\n"
                "- id: residents\n  name: R\n  unit: count\n  source: manual\n"),
            "t.yaml:13: indicator 'f': the formula refers to unknown indicator 'residentz'");
}

TEST(ParseScorecard, FormulasMayReferToIndicatorsDefinedLater) {
  Result<Scorecard> ok = ParseScorecard(WithIndicators("- id: per_resident\n"
                                                       "  name: P\n"
                                                       "  unit: eur\n"
                                                       "  source: formula\n"
                                                       "  formula: doubled / residents\n"
                                                       "- id: doubled\n"
                                                       "  name: D\n"
                                                       "  unit: eur\n"
                                                       "  source: formula\n"
                                                       "  formula: 2 * cost\n"
                                                       "- id: cost\n"
                                                       "  name: C\n"
                                                       "  unit: eur\n"
                                                       "  source: manual\n"
                                                       "- id: residents\n"
                                                       "  name: R\n"
                                                       "  unit: count\n"
                                                       "  source: manual\n"),
                                        "t.yaml");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
}

TEST(ParseScorecard, FormulasMustNotReferToThemselves) {
  EXPECT_EQ(
      IndicatorError(
          "- id: f\n  name: F\n  unit: count\n  source: formula\n  formula: change(f, 2024)\n"),
      "t.yaml:13: indicator 'f': the formula refers to the indicator itself");
  EXPECT_EQ(
      IndicatorError(
          "- id: base\n  name: B\n  unit: count\n  source: manual\n"
          "- id: a\n  name: A\n  unit: count\n  source: formula\n  formula: b + base\n"
          "- id: b\n  name: B\n  unit: count\n  source: formula\n  formula: 2 * c\n"
          "- id: c\n  name: C\n  unit: count\n  source: formula\n  formula: value(a, 2024)\n"),
      "t.yaml:17: indicator 'a': the formula refers back to itself: a -> b -> c -> a");
  // A cycle entered from outside is reported where it closes, not at the way in.
  EXPECT_EQ(
      IndicatorError("- id: way_in\n  name: W\n  unit: count\n  source: formula\n  formula: a\n"
                     "- id: a\n  name: A\n  unit: count\n  source: formula\n  formula: b\n"
                     "- id: b\n  name: B\n  unit: count\n  source: formula\n  formula: a\n"),
      "t.yaml:18: indicator 'a': the formula refers back to itself: a -> b -> a");
}

TEST(ParseScorecard, UnknownKeysAnywhere) {
  EXPECT_EQ(ErrorOf(std::string(kHead) + "subtitle: x\n"),
            "t.yaml:9: unknown key 'subtitle' at the top level (name, title, focal_points)");
  EXPECT_EQ(ErrorOf("title: T\nfocal_points:\n  - id: p\n    name: P\n    owner: CEO\n"),
            "t.yaml:5: unknown key 'owner' in focal point 'p' (id, name, goals)");
  EXPECT_EQ(ErrorOf("title: T\nfocal_points:\n  - id: p\n    name: P\n    goals:\n      - id: g\n  "
                    "      name: G\n"
                    "        indicator: []\n"),
            "t.yaml:8: unknown key 'indicator' in goal 'g' (id, name, indicators)");
  EXPECT_EQ(IndicatorError("- id: a\n  name: A\n  source: nps\n  target: {2025: \"> 1\"}\n"),
            "t.yaml:12: unknown key 'target' in indicator 'a' (id, name, unit, source, filter, "
            "formula, metric, targets)");
  EXPECT_EQ(
      IndicatorError("- id: a\n  name: A\n  source: nps\n  filter: {visit_type: outpatient}\n"),
      "t.yaml:12: unknown key 'visit_type' in the filter of indicator 'a' (unit, where, question)");
  EXPECT_EQ(IndicatorError("- id: a\n  name: {fi: A, de: B}\n  source: nps\n"),
            "t.yaml:10: unknown key 'de' in the name of indicator 'a' (fi, sv, en)");
  EXPECT_EQ(IndicatorError("- id: a\n  name: A\n  source: nps\n  source: enps\n"),
            "t.yaml:12: key 'source' appears twice in indicator 'a'");
}

TEST(ParseScorecard, NamesNeedFinnish) {
  EXPECT_EQ(IndicatorError("- id: a\n  name: {sv: Svenska}\n  source: nps\n"),
            "t.yaml:10: indicator 'a': name needs a Finnish text (fi)");
  EXPECT_EQ(IndicatorError("- id: a\n  source: nps\n"), "t.yaml:9: indicator 'a' needs a name");
  EXPECT_EQ(ErrorOf("focal_points: []\n"),
            "t.yaml:1: the scorecard needs a title ({fi: ..., sv: ..., en: ...})");
  Result<Scorecard> ok = ParseScorecard(
      WithIndicators("- id: a\n  name: {fi: Suomi, sv: , en: English}\n  source: nps\n"), "t.yaml");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->Find("a")->names.In("sv"), "Suomi");
}

TEST(ParseScorecard, ShapeErrors) {
  EXPECT_EQ(ErrorOf(""), "t.yaml: the scorecard is empty; it needs a title and focal_points");
  EXPECT_EQ(ErrorOf("- a\n- b\n"),
            "t.yaml:1: the scorecard must be a mapping with title and focal_points");
  EXPECT_EQ(ErrorOf("title: T\n"), "t.yaml:1: the scorecard needs at least one focal point");
  EXPECT_EQ(ErrorOf("title: T\nfocal_points: []\n"),
            "t.yaml:2: the scorecard needs at least one focal point");
  EXPECT_EQ(ErrorOf("title: T\nfocal_points: {a: 1}\n"), "t.yaml:2: focal_points must be a list");
  EXPECT_EQ(ErrorOf("title: T\nfocal_points:\n  - just text\n"),
            "t.yaml:3: each focal point must be a mapping with an id");
  EXPECT_EQ(ErrorOf("title: [T]\nfocal_points: []\n"),
            "t.yaml:1: the scorecard: title must be {fi: ..., sv: ..., en: ...} or a Finnish text");
}

TEST(ParseScorecard, InvalidYamlNamesTheLine) {
  const std::string message =
      ErrorOf("title: T\nfocal_points:\n  - id: p\n    name: {fi: \"unclosed\n");
  EXPECT_EQ(message.rfind("t.yaml:", 0), 0u) << message;
  EXPECT_NE(message.find("not valid YAML"), std::string::npos) << message;
  EXPECT_EQ(message.find("quote"), std::string::npos) << message;
}

TEST(ParseScorecard, UnquotedComparatorsAndPercentGetAHint) {
  EXPECT_EQ(IndicatorError("- id: a\n  name: A\n  source: nps\n  targets: {2025: > 70}\n"),
            "t.yaml:12: not valid YAML: unknown token (quote targets and units: \"> 70\", \"%\")");
  EXPECT_EQ(IndicatorError("- id: a\n  name: A\n  source: nps\n  targets:\n    2025: >= 70\n"),
            "t.yaml:13: not valid YAML: unexpected character in block scalar (quote targets and "
            "units: \"> 70\", \"%\")");
  EXPECT_EQ(IndicatorError("- id: a\n  name: A\n  unit: %\n  source: manual\n"),
            "t.yaml:11: not valid YAML: unknown token (quote targets and units: \"> 70\", \"%\")");
  // "<=" and "=" need no quotes.
  Result<Scorecard> ok =
      ParseScorecard(WithIndicators("- id: a\n  name: A\n  source: nps\n  targets:\n"
                                    "    2025: <= 70\n    2026: = 70\n"),
                     "t.yaml");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->Find("a")->targets.at(2026), (Target{Comparator::kEqual, 70, 0}));
}

TEST(LoadScorecard, ReadsAFileAndNamesItInErrors) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("mittari_scorecard_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string good = (dir / "strategy.yaml").string();
  {
    std::ofstream out(good);
    out << kHeaderExample;
  }
  Result<Scorecard> loaded = LoadScorecard(good);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->AllIndicators().size(), 8u);

  const std::string bad = (dir / "bad.yaml").string();
  {
    std::ofstream out(bad);
    out << WithIndicators("- id: x\n  name: X\n  source: npx\n");
  }
  Result<Scorecard> refused = LoadScorecard(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            bad + ":11: indicator 'x': unknown source 'npx' (nps, enps, share, manual, formula, regional)");

  Result<Scorecard> missing = LoadScorecard((dir / "missing.yaml").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mittari::scorecard
