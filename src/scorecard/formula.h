// File: scorecard/formula.h
//
// Derived indicators: arithmetic over other indicators' yearly values, so that a ratio
// ("total_cost / residents") or a change against a base year ("change(productivity, 2025)")
// is defined once in the scorecard instead of being computed by hand in a spreadsheet.
//
// Grammar (whitespace is free between tokens):
//   expression := term (("+" | "-") term)*
//   term       := unary (("*" | "/") unary)*
//   unary      := "-" unary | primary
//   primary    := number | id | "value(" id "," year ")" | "change(" id "," year ")"
//               | "(" expression ")"
//   number     := digits ["." digits]       (a decimal point; the comma separates arguments)
//   id         := [a-z][a-z0-9_]*            (an indicator id)
//   year       := a whole number from 2000 to 2100
// A bare id is the indicator's value in the year being evaluated; value(id, year) is its value
// in a fixed year; change(id, base_year) is the percent change from the base year to the year
// being evaluated, (value(id, this year) / value(id, base_year) − 1) × 100. change() is meant
// for positive quantities (costs, productivity); from a negative base its sign says nothing.
//
// Evaluation yields no value rather than a wrong one: when any input is missing, on a division
// by zero (including a zero base in change()) and when the result is not a finite number.
//
// Thread-compatible value type; Evaluate() is const and safe to call concurrently.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace mittari::scorecard {

// The years a scorecard can speak of: target years and the fixed years in formulas. A year
// outside them is a typo ("225"), not a plan.
inline constexpr int kMinYear = 2000;
inline constexpr int kMaxYear = 2100;

// Looks up an indicator's outcome in a year; nullopt when there is none.
using ValueLookup = std::function<std::optional<double>(const std::string& id, int year)>;

class Formula {
 public:
  // The indicator ids the formula reads, each once, in order of first appearance (including
  // those inside value() and change()).
  std::vector<std::string> References() const;

  // The formula's value for `year`.
  std::optional<double> Evaluate(int year, const ValueLookup& value_of) const;

  // The text it was parsed from.
  const std::string& text() const { return text_; }

 private:
  friend class FormulaParser;

  enum class Op {
    kNumber,
    kCurrent,
    kValueAt,
    kChange,
    kNegate,
    kAdd,
    kSubtract,
    kMultiply,
    kDivide
  };
  // Nodes are stored children first (post-order), so evaluation is one pass over the vector
  // with no recursion however long the formula is; the root is the last node.
  struct Node {
    Op op = Op::kNumber;
    double number = 0;
    std::string id;  // kCurrent, kValueAt, kChange
    int year = 0;    // kValueAt, kChange
    int left = -1;   // operand of kNegate; left operand of binary operators
    int right = -1;
  };

  std::string text_;
  std::vector<Node> nodes_;
};

// Returns InvalidArgument naming the 1-based column and what was expected there, e.g.
// "column 9: expected a number, an indicator id, a function or '(' but found '*'".
Result<Formula> ParseFormula(std::string_view text);

}  // namespace mittari::scorecard
