#include "scorecard/formula.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace mittari::scorecard {
namespace {

// Parentheses and unary minus recurse in the parser; a limit keeps a hostile or mistyped
// formula from exhausting the stack. Real formulas nest two or three levels.
constexpr int kMaxNesting = 64;

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdChar(char c) { return IsLower(c) || IsDigit(c) || c == '_'; }

}  // namespace

// Recursive descent over the grammar in formula.h, appending nodes to the formula as each
// sub-expression completes, which is what makes the node vector post-ordered.
class FormulaParser {
 public:
  explicit FormulaParser(std::string_view text) : text_(text) {}

  Result<Formula> Parse() {
    formula_.text_ = std::string(text_);
    SkipSpaces();
    if (pos_ == text_.size()) return InvalidArgumentError("the formula is empty");
    RETURN_IF_ERROR(Expression().status());
    SkipSpaces();
    if (pos_ != text_.size()) {
      return Error(fmt::format(
          "expected an operator (+ - * /) or the end of the formula but found {}", Found()));
    }
    return std::move(formula_);
  }

 private:
  using Op = Formula::Op;

  Result<int> Expression() {
    ASSIGN_OR_RETURN(int left, Term());
    for (;;) {
      SkipSpaces();
      if (!Peek('+') && !Peek('-')) return left;
      const Op op = text_[pos_] == '+' ? Op::kAdd : Op::kSubtract;
      ++pos_;
      ASSIGN_OR_RETURN(int right, Term());
      left = Binary(op, left, right);
    }
  }

  Result<int> Term() {
    ASSIGN_OR_RETURN(int left, Unary());
    for (;;) {
      SkipSpaces();
      if (!Peek('*') && !Peek('/')) return left;
      const Op op = text_[pos_] == '*' ? Op::kMultiply : Op::kDivide;
      ++pos_;
      ASSIGN_OR_RETURN(int right, Unary());
      left = Binary(op, left, right);
    }
  }

  Result<int> Unary() {
    SkipSpaces();
    if (!Peek('-')) return Primary();
    ++pos_;
    if (++depth_ > kMaxNesting) return ErrorAt(pos_ - 1, "the formula is nested too deeply");
    ASSIGN_OR_RETURN(int operand, Unary());
    --depth_;
    Formula::Node node;
    node.op = Op::kNegate;
    node.left = operand;
    return Append(std::move(node));
  }

  Result<int> Primary() {
    SkipSpaces();
    if (Peek('(')) {
      ++pos_;
      if (++depth_ > kMaxNesting) return ErrorAt(pos_ - 1, "the formula is nested too deeply");
      ASSIGN_OR_RETURN(int inner, Expression());
      --depth_;
      RETURN_IF_ERROR(Expect(')', "to close the '('"));
      return inner;
    }
    if (pos_ < text_.size() && (IsDigit(text_[pos_]) || text_[pos_] == '.')) return Number();
    if (pos_ < text_.size() && IsLower(text_[pos_])) {
      const size_t start = pos_;
      std::string name = Identifier();
      SkipSpaces();
      if (!Peek('(')) {
        Formula::Node node;
        node.op = Op::kCurrent;
        node.id = std::move(name);
        return Append(std::move(node));
      }
      if (name != "value" && name != "change") {
        return ErrorAt(start, fmt::format("unknown function '{}' (value, change)", name));
      }
      return Function(name == "value" ? Op::kValueAt : Op::kChange, name);
    }
    if (pos_ < text_.size() && text_[pos_] >= 'A' && text_[pos_] <= 'Z') {
      return Error(fmt::format("indicator ids are written in lower case, found {}", Found()));
    }
    return Error(
        fmt::format("expected a number, an indicator id, a function or '(' but found {}", Found()));
  }

  // After the function's name: "(" id "," year ")".
  Result<int> Function(Op op, const std::string& name) {
    ++pos_;  // '('
    SkipSpaces();
    if (pos_ >= text_.size() || !IsLower(text_[pos_])) {
      return Error(fmt::format("{}() takes an indicator id first, found {}", name, Found()));
    }
    Formula::Node node;
    node.op = op;
    node.id = Identifier();
    RETURN_IF_ERROR(Expect(',', fmt::format("between {}()'s indicator id and year", name)));
    SkipSpaces();
    const size_t year_start = pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    const std::string_view digits = text_.substr(year_start, pos_ - year_start);
    int year = 0;
    if (digits.empty() || digits.size() > 4 ||
        std::from_chars(digits.data(), digits.data() + digits.size(), year).ec != std::errc() ||
        year < kMinYear || year > kMaxYear) {
      pos_ = year_start;
      return Error(fmt::format("{}() takes a year from {} to {} second, found {}", name, kMinYear,
                               kMaxYear, digits.empty() ? Found() : fmt::format("'{}'", digits)));
    }
    node.year = year;
    RETURN_IF_ERROR(Expect(')', fmt::format("to close {}(", name)));
    return Append(std::move(node));
  }

  Result<int> Number() {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      const size_t fraction = pos_;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
      if (pos_ == fraction || fraction == start + 1) {
        return ErrorAt(start, fmt::format("'{}' is not a number (write e.g. 0.5 or 12.75)",
                                          text_.substr(start, pos_ - start)));
      }
    }
    if (pos_ < text_.size() && (IsLower(text_[pos_]) || text_[pos_] == '_')) {
      return ErrorAt(start, "an indicator id must start with a letter");
    }
    Formula::Node node;
    node.op = Op::kNumber;
    const std::string_view digits = text_.substr(start, pos_ - start);
    if (std::from_chars(digits.data(), digits.data() + digits.size(), node.number).ec !=
        std::errc()) {
      return ErrorAt(start, fmt::format("the number {} is too large", digits));
    }
    return Append(std::move(node));
  }

  std::string Identifier() {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsIdChar(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  Status Expect(char c, std::string_view why) {
    SkipSpaces();
    if (Peek(c)) {
      ++pos_;
      return Status::Ok();
    }
    return Error(fmt::format("expected '{}' {} but found {}", c, why, Found()));
  }

  int Binary(Op op, int left, int right) {
    Formula::Node node;
    node.op = op;
    node.left = left;
    node.right = right;
    return Append(std::move(node));
  }

  int Append(Formula::Node node) {
    formula_.nodes_.push_back(std::move(node));
    return static_cast<int>(formula_.nodes_.size()) - 1;
  }

  void SkipSpaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  std::string Found() const {
    if (pos_ >= text_.size()) return "the end of the formula";
    // A whole UTF-8 character, so that the message stays valid text.
    size_t end = pos_ + 1;
    while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
    return fmt::format("'{}'", text_.substr(pos_, end - pos_));
  }

  Status Error(std::string what) const { return ErrorAt(pos_, std::move(what)); }
  Status ErrorAt(size_t at, std::string what) const {
    return InvalidArgumentError(fmt::format("column {}: {}", at + 1, what));
  }

  std::string_view text_;
  size_t pos_ = 0;
  int depth_ = 0;
  Formula formula_;
};

Result<Formula> ParseFormula(std::string_view text) { return FormulaParser(text).Parse(); }

std::vector<std::string> Formula::References() const {
  std::vector<std::string> ids;
  for (const Node& node : nodes_) {
    if (node.id.empty()) continue;
    bool seen = false;
    for (const std::string& id : ids) seen = seen || id == node.id;
    if (!seen) ids.push_back(node.id);
  }
  return ids;
}

std::optional<double> Formula::Evaluate(int year, const ValueLookup& value_of) const {
  std::vector<double> values(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& node = nodes_[i];
    double result = 0;
    switch (node.op) {
      case Op::kNumber:
        result = node.number;
        break;
      case Op::kCurrent:
      case Op::kValueAt: {
        std::optional<double> value = value_of(node.id, node.op == Op::kCurrent ? year : node.year);
        if (!value) return std::nullopt;
        result = *value;
        break;
      }
      case Op::kChange: {
        std::optional<double> now = value_of(node.id, year);
        std::optional<double> base = value_of(node.id, node.year);
        if (!now || !base || *base == 0) return std::nullopt;
        // (now − base) / base rounds less than now / base − 1: 100 → 110 gives exactly 10.
        result = (*now - *base) / *base * 100;
        break;
      }
      case Op::kNegate:
        result = -values[node.left];
        break;
      case Op::kAdd:
        result = values[node.left] + values[node.right];
        break;
      case Op::kSubtract:
        result = values[node.left] - values[node.right];
        break;
      case Op::kMultiply:
        result = values[node.left] * values[node.right];
        break;
      case Op::kDivide:
        if (values[node.right] == 0) return std::nullopt;
        result = values[node.left] / values[node.right];
        break;
    }
    if (!std::isfinite(result)) return std::nullopt;
    values[i] = result;
  }
  if (values.empty()) return std::nullopt;  // a default-constructed Formula
  return values.back();
}

}  // namespace mittari::scorecard
