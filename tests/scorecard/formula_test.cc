#include "scorecard/formula.h"

#include <gtest/gtest.h>

#include <map>
#include <utility>

namespace mittari::scorecard {
namespace {

// Indicator values by (id, year); anything else is missing.
ValueLookup Values(std::map<std::pair<std::string, int>, double> values) {
  return [values = std::move(values)](const std::string& id, int year) -> std::optional<double> {
    auto it = values.find({id, year});
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::optional<double> Eval(std::string_view text, int year, const ValueLookup& lookup) {
  Result<Formula> formula = ParseFormula(text);
  EXPECT_TRUE(formula.ok()) << text << ": " << formula.status().ToString();
  if (!formula.ok()) return std::nullopt;
  return formula->Evaluate(year, lookup);
}

std::optional<double> Eval(std::string_view text) { return Eval(text, 2025, Values({})); }

std::string ParseError(std::string_view text) {
  Result<Formula> formula = ParseFormula(text);
  EXPECT_FALSE(formula.ok()) << text;
  return formula.ok() ? "" : formula.status().message();
}

TEST(Formula, MultiplicationAndDivisionBindTighterThanAdditionAndSubtraction) {
  EXPECT_EQ(Eval("1 + 2 * 3"), 7.0);
  EXPECT_EQ(Eval("10 - 6 / 2"), 7.0);
  EXPECT_EQ(Eval("2 * 3 + 4 * 5"), 26.0);
}

TEST(Formula, SameLevelOperatorsAssociateToTheLeft) {
  EXPECT_EQ(Eval("10 - 3 - 2"), 5.0);
  EXPECT_EQ(Eval("24 / 4 / 2"), 3.0);
}

TEST(Formula, UnaryMinus) {
  EXPECT_EQ(Eval("-5"), -5.0);
  EXPECT_EQ(Eval("--5"), 5.0);
  EXPECT_EQ(Eval("3 - -2"), 5.0);
  EXPECT_EQ(Eval("-2 * 3"), -6.0);
  EXPECT_EQ(Eval("-(2 + 3)"), -5.0);
}

TEST(Formula, ParenthesesOverridePrecedence) {
  EXPECT_EQ(Eval("(1 + 2) * 3"), 9.0);
  EXPECT_EQ(Eval("((1 + 2) * (3 + 4))"), 21.0);
  EXPECT_EQ(Eval("100 / (2 + 3)"), 20.0);
}

TEST(Formula, DecimalNumbersAndFreeWhitespace) {
  EXPECT_EQ(Eval("0.5 * 3"), 1.5);
  EXPECT_EQ(Eval("  1.25+0.75\t"), 2.0);
}

TEST(Formula, ARatioOfIndicatorsInTheSameYear) {
  ValueLookup lookup = Values({{{"total_cost", 2025}, 4200000.0},
                               {{"residents", 2025}, 1000.0},
                               {{"total_cost", 2024}, 1.0},
                               {{"residents", 2024}, 1.0}});
  EXPECT_EQ(Eval("total_cost / residents", 2025, lookup), 4200.0);
}

TEST(Formula, ValueReadsAFixedYear) {
  ValueLookup lookup = Values({{{"cost", 2023}, 80.0}, {{"cost", 2025}, 100.0}});
  EXPECT_EQ(Eval("cost - value(cost, 2023)", 2025, lookup), 20.0);
}

TEST(Formula, ChangeIsThePercentChangeFromTheBaseYear) {
  ValueLookup lookup = Values({{{"productivity", 2025}, 100.0}, {{"productivity", 2027}, 110.0}});
  // (110 / 100 − 1) × 100 = 10.
  EXPECT_DOUBLE_EQ(*Eval("change(productivity, 2025)", 2027, lookup), 10.0);
  // In the base year itself there is no change.
  EXPECT_DOUBLE_EQ(*Eval("change(productivity, 2025)", 2025, lookup), 0.0);
  ValueLookup falling = Values({{{"cost", 2024}, 200.0}, {{"cost", 2026}, 150.0}});
  EXPECT_DOUBLE_EQ(*Eval("change( cost ,2024 )", 2026, falling), -25.0);
}

TEST(Formula, AMissingInputGivesNoValue) {
  ValueLookup lookup = Values({{{"total_cost", 2025}, 4200000.0}});
  EXPECT_EQ(Eval("total_cost / residents", 2025, lookup), std::nullopt);
  EXPECT_EQ(Eval("total_cost / 2", 2024, lookup), std::nullopt);
  EXPECT_EQ(Eval("value(total_cost, 2023)", 2025, lookup), std::nullopt);
  EXPECT_EQ(Eval("change(total_cost, 2023)", 2025, lookup), std::nullopt);
  EXPECT_EQ(Eval("change(total_cost, 2025)", 2026, lookup), std::nullopt);
}

TEST(Formula, DivisionByZeroGivesNoValue) {
  EXPECT_EQ(Eval("1 / 0"), std::nullopt);
  EXPECT_EQ(Eval("1 / (2 - 2)"), std::nullopt);
  ValueLookup lookup =
      Values({{{"cost", 2024}, 0.0}, {{"cost", 2025}, 10.0}, {{"residents", 2025}, 0.0}});
  EXPECT_EQ(Eval("cost / residents", 2025, lookup), std::nullopt);
  EXPECT_EQ(Eval("change(cost, 2024)", 2025, lookup), std::nullopt);
}

TEST(Formula, AnIndicatorNamedLikeAFunctionIsAnIndicatorWithoutParentheses) {
  ValueLookup lookup = Values({{{"value", 2025}, 3.0}});
  EXPECT_EQ(Eval("value * 2", 2025, lookup), 6.0);
}

TEST(Formula, ReferencesListEachIdOnceInOrder) {
  Result<Formula> formula = ParseFormula("(b + a) / value(b, 2024) + change(c_2, 2023) - 3");
  ASSERT_TRUE(formula.ok()) << formula.status().ToString();
  EXPECT_EQ(formula->References(), (std::vector<std::string>{"b", "a", "c_2"}));
  EXPECT_EQ(formula->text(), "(b + a) / value(b, 2024) + change(c_2, 2023) - 3");
  EXPECT_TRUE(ParseFormula("1 + 2")->References().empty());
}

TEST(Formula, ParseErrorsNameTheColumn) {
  EXPECT_EQ(ParseError(""), "the formula is empty");
  EXPECT_EQ(ParseError("1 +"),
            "column 4: expected a number, an indicator id, a function or '(' but found the end of "
            "the formula");
  EXPECT_EQ(ParseError("a * * b"),
            "column 5: expected a number, an indicator id, a function or '(' but found '*'");
  EXPECT_EQ(ParseError("(a + b"),
            "column 7: expected ')' to close the '(' but found the end of the formula");
  EXPECT_EQ(ParseError("a + b)"),
            "column 6: expected an operator (+ - * /) or the end of the formula but found ')'");
  EXPECT_EQ(ParseError("a b"),
            "column 3: expected an operator (+ - * /) or the end of the formula but found 'b'");
  EXPECT_EQ(ParseError("sqrt(a)"), "column 1: unknown function 'sqrt' (value, change)");
  EXPECT_EQ(ParseError("change(a)"),
            "column 9: expected ',' between change()'s indicator id and year but found ')'");
  EXPECT_EQ(ParseError("value(a, 25)"),
            "column 10: value() takes a year from 2000 to 2100 second, found '25'");
  EXPECT_EQ(ParseError("value(a, 2101)"),
            "column 10: value() takes a year from 2000 to 2100 second, found '2101'");
  EXPECT_EQ(ParseError("value(a, x)"),
            "column 10: value() takes a year from 2000 to 2100 second, found 'x'");
  EXPECT_EQ(ParseError("value(3, 2024)"),
            "column 7: value() takes an indicator id first, found '3'");
  EXPECT_EQ(ParseError("change(a, 2024"),
            "column 15: expected ')' to close change( but found the end of the formula");
  EXPECT_EQ(ParseError("Cost / 2"), "column 1: indicator ids are written in lower case, found 'C'");
  EXPECT_EQ(ParseError("1. + 2"), "column 1: '1.' is not a number (write e.g. 0.5 or 12.75)");
  EXPECT_EQ(ParseError(".5"), "column 1: '.5' is not a number (write e.g. 0.5 or 12.75)");
  EXPECT_EQ(ParseError("2x"), "column 1: an indicator id must start with a letter");
  EXPECT_EQ(ParseError("a € b"),
            "column 3: expected an operator (+ - * /) or the end of the formula but found '€'");
  EXPECT_EQ(ParseError("3,5"),
            "column 2: expected an operator (+ - * /) or the end of the formula but found ','");
}

TEST(Formula, DeepNestingIsRefusedRatherThanExhaustingTheStack) {
  EXPECT_EQ(Eval(std::string(60, '(') + "1" + std::string(60, ')')), 1.0);
  EXPECT_EQ(ParseError(std::string(100000, '(') + "1"),
            "column 65: the formula is nested too deeply");
  EXPECT_EQ(ParseError(std::string(100000, '-') + "1"),
            "column 65: the formula is nested too deeply");
}

TEST(Formula, LongChainsEvaluateWithoutRecursion) {
  std::string text = "1";
  for (int i = 0; i < 100000; ++i) text += " + 1";
  EXPECT_EQ(Eval(text), 100001.0);
}

TEST(Formula, AnOverflowGivesNoValue) {
  std::string huge = "1" + std::string(300, '0');
  EXPECT_EQ(Eval(huge + " * " + huge), std::nullopt);
  EXPECT_EQ(ParseError("2 * 1" + std::string(400, '0')),
            "column 5: the number 1" + std::string(400, '0') + " is too large");
}

TEST(Formula, ADefaultConstructedFormulaHasNoValue) {
  EXPECT_EQ(Formula().Evaluate(2025, Values({})), std::nullopt);
}

}  // namespace
}  // namespace mittari::scorecard
