#include "regional/money.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace mittari::regional {
namespace {

__extension__ typedef __int128 Int128;

constexpr int64_t kMaxCents = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinCents = std::numeric_limits<int64_t>::min();

// Half away from zero; `denominator` is non-zero.
Int128 RoundHalfAwayFromZero(Int128 numerator, Int128 denominator) {
  Int128 quotient = numerator / denominator;
  const Int128 remainder = numerator % denominator;
  const Int128 abs_remainder = remainder < 0 ? -remainder : remainder;
  const Int128 abs_denominator = denominator < 0 ? -denominator : denominator;
  if (2 * abs_remainder >= abs_denominator) {
    const bool negative = (numerator < 0) != (denominator < 0);
    quotient += negative ? -1 : 1;
  }
  return quotient;
}

bool FitsInCents(Int128 value) { return value >= kMinCents && value <= kMaxCents; }

constexpr std::string_view kNoBreakSpace = "\u00A0";
constexpr std::string_view kNarrowNoBreakSpace = "\u202F";
constexpr std::string_view kMinusSign = "\u2212";
constexpr std::string_view kEuro = "\u20AC";

bool ConsumePrefix(std::string_view& text, std::string_view prefix) {
  if (text.substr(0, prefix.size()) != prefix) return false;
  text.remove_prefix(prefix.size());
  return true;
}

bool ConsumeSuffix(std::string_view& text, std::string_view suffix) {
  if (text.size() < suffix.size() || text.substr(text.size() - suffix.size()) != suffix) {
    return false;
  }
  text.remove_suffix(suffix.size());
  return true;
}

void TrimSpaces(std::string_view& text) {
  bool trimmed = true;
  while (trimmed && !text.empty()) {
    trimmed = ConsumePrefix(text, " ") || ConsumePrefix(text, kNoBreakSpace) ||
              ConsumePrefix(text, kNarrowNoBreakSpace) || ConsumeSuffix(text, " ") ||
              ConsumeSuffix(text, kNoBreakSpace) || ConsumeSuffix(text, kNarrowNoBreakSpace);
  }
}

// The number with every kind of space folded to ' ', so that separators are single bytes.
std::string FoldSpaces(std::string_view text) {
  std::string folded;
  while (!text.empty()) {
    if (ConsumePrefix(text, kNoBreakSpace) || ConsumePrefix(text, kNarrowNoBreakSpace)) {
      folded += ' ';
    } else {
      folded += text.front();
      text.remove_prefix(1);
    }
  }
  return folded;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<Money> Money::Parse(std::string_view original) {
  auto invalid = [original](std::string_view why) {
    return InvalidArgumentError(fmt::format("'{}' is not an amount of euros: {}", original, why));
  };
  std::string_view text = original;
  TrimSpaces(text);
  if (ConsumeSuffix(text, kEuro)) TrimSpaces(text);
  bool negative = false;
  if (ConsumePrefix(text, "-") || ConsumePrefix(text, kMinusSign)) {
    negative = true;
  } else {
    ConsumePrefix(text, "+");
  }
  const std::string body = FoldSpaces(text);
  if (body.empty()) return invalid("no digits");

  // With both '.' and ',' present the later one is the decimal separator ("1,234.56",
  // "1.234,56"); with one kind present once it is the decimal separator, several times a
  // group separator. "1,234" therefore reads as 1.234 and fails on three decimals, which is
  // the safe answer to an ambiguous text.
  const size_t last_point = body.rfind('.');
  const size_t last_comma = body.rfind(',');
  char decimal = 0;
  if (last_point != std::string::npos && last_comma != std::string::npos) {
    decimal = last_point > last_comma ? '.' : ',';
  } else if (last_point != std::string::npos) {
    if (body.find('.') == last_point) decimal = '.';
  } else if (last_comma != std::string::npos) {
    if (body.find(',') == last_comma) decimal = ',';
  }
  const size_t decimal_at = decimal == 0 ? std::string::npos : body.rfind(decimal);
  if (decimal != 0 && body.find(decimal) != decimal_at) return invalid("two decimal separators");
  const std::string_view whole = std::string_view(body).substr(0, decimal_at);
  const std::string_view fraction = decimal_at == std::string::npos
                                        ? std::string_view()
                                        : std::string_view(body).substr(decimal_at + 1);

  if (decimal != 0 && (fraction.empty() || fraction.size() > 2)) {
    return invalid("give one or two decimals (whole cents)");
  }
  if (!std::all_of(fraction.begin(), fraction.end(), IsDigit)) return invalid("bad decimals");

  // Groups after the first must be exactly three digits, so "1 23,45" is caught as a typo.
  int64_t euros = 0;
  size_t group_digits = 0;
  size_t groups = 1;
  for (size_t i = 0; i < whole.size(); ++i) {
    const char c = whole[i];
    if (IsDigit(c)) {
      ++group_digits;
      if (__builtin_mul_overflow(euros, int64_t{10}, &euros) ||
          __builtin_add_overflow(euros, int64_t{c - '0'}, &euros)) {
        return invalid("too large");
      }
      continue;
    }
    const bool group_separator = c == ' ' || ((c == '.' || c == ',') && c != decimal);
    if (!group_separator) return invalid(fmt::format("unexpected character '{}'", c));
    if (group_digits == 0 || (groups == 1 && group_digits > 3) ||
        (groups > 1 && group_digits != 3)) {
      return invalid("digit groups must be of three");
    }
    group_digits = 0;
    ++groups;
  }
  if (group_digits == 0) return invalid("no digits before the decimals");
  if (groups > 1 && group_digits != 3) return invalid("digit groups must be of three");

  int64_t fraction_cents = 0;
  for (char c : fraction) fraction_cents = fraction_cents * 10 + (c - '0');
  if (fraction.size() == 1) fraction_cents *= 10;

  const Int128 cents = Int128{euros} * 100 + fraction_cents;
  const Int128 signed_cents = negative ? -cents : cents;
  if (!FitsInCents(signed_cents)) return invalid("too large");
  return Money(static_cast<int64_t>(signed_cents));
}

std::string Money::Format(std::string_view language) const {
  const bool english = language == "en";
  const std::string_view group_separator = english ? std::string_view(",") : kNarrowNoBreakSpace;
  const char decimal = english ? '.' : ',';

  // Unsigned negation keeps the most negative value representable.
  const uint64_t magnitude =
      cents_ < 0 ? uint64_t{0} - static_cast<uint64_t>(cents_) : static_cast<uint64_t>(cents_);
  const std::string digits = std::to_string(magnitude / 100);
  std::string out;
  if (cents_ < 0) out += '-';
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += group_separator;
    out += digits[i];
  }
  out += fmt::format("{}{:02}", decimal, magnitude % 100);
  out += kNoBreakSpace;
  out += kEuro;
  return out;
}

Result<int64_t> RoundedQuotient(int64_t numerator, int64_t denominator) {
  if (denominator == 0) return InvalidArgumentError("division by zero");
  const Int128 quotient = RoundHalfAwayFromZero(numerator, denominator);
  if (!FitsInCents(quotient)) return InvalidArgumentError("quotient out of range");
  return static_cast<int64_t>(quotient);
}

Result<Money> ScaleRounded(Money amount, int64_t numerator, int64_t denominator) {
  if (denominator == 0) {
    return InvalidArgumentError(
        fmt::format("cannot scale {} by a fraction with denominator 0", amount.Format("en")));
  }
  // |cents × numerator| < 2^126, so the product is exact in 128 bits.
  const Int128 scaled = RoundHalfAwayFromZero(Int128{amount.cents()} * numerator, denominator);
  if (!FitsInCents(scaled)) {
    return InvalidArgumentError(fmt::format("{} × {}/{} is beyond the range of amounts",
                                            amount.Format("en"), numerator, denominator));
  }
  return Money::FromCents(static_cast<int64_t>(scaled));
}

Result<Money> MultiplyRounded(Money unit_price, int64_t volume) {
  return ScaleRounded(unit_price, volume, 1);
}

Result<std::vector<Money>> AllocateLargestRemainder(Money total,
                                                    const std::vector<int64_t>& weights) {
  if (total < Money::Zero()) {
    return InvalidArgumentError(
        fmt::format("cannot share out a negative sum ({})", total.Format("en")));
  }
  Int128 weight_sum = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] < 0) {
      return InvalidArgumentError(fmt::format("weight #{} is negative ({})", i + 1, weights[i]));
    }
    weight_sum += weights[i];
  }
  if (weight_sum == 0) {
    if (total == Money::Zero()) return std::vector<Money>(weights.size());
    return InvalidArgumentError(
        fmt::format("cannot share out {}: no recipient has any weight", total.Format("en")));
  }

  std::vector<Money> shares(weights.size());
  std::vector<Int128> remainders(weights.size());
  int64_t allocated = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const Int128 product = Int128{total.cents()} * weights[i];
    // Each floor is at most the total, so it fits.
    const auto floor_share = static_cast<int64_t>(product / weight_sum);
    shares[i] = Money::FromCents(floor_share);
    remainders[i] = product % weight_sum;
    allocated += floor_share;
  }
  // Fewer leftover cents than recipients: each floor lost less than one cent.
  const int64_t leftover = total.cents() - allocated;
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (int64_t k = 0; k < leftover; ++k)
    shares[order[static_cast<size_t>(k)]] += Money::FromCents(1);
  return shares;
}

Result<std::vector<Money>> AllocateLargestRemainderByReal(Money total,
                                                          const std::vector<double>& weights) {
  double largest = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (!std::isfinite(weights[i]) || weights[i] < 0) {
      return InvalidArgumentError(
          fmt::format("weight #{} must be a finite number, not negative ({})", i + 1, weights[i]));
    }
    largest = std::max(largest, weights[i]);
  }
  std::vector<int64_t> quantised(weights.size(), 0);
  if (largest > 0) {
    constexpr double kResolution = 4503599627370496.0;  // 2^52
    for (size_t i = 0; i < weights.size(); ++i) {
      quantised[i] = std::llround(weights[i] / largest * kResolution);
    }
  }
  return AllocateLargestRemainder(total, quantised);
}

}  // namespace mittari::regional
