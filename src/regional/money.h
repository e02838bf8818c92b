// File: regional/money.h
//
// Money: an exact amount of euros, held as whole cents in 64 bits. Municipalities audit what
// the district charges them to the cent, so amounts never pass through binary floating point:
// 0.1 + 0.2 must be 0.30 €, and a total must equal the sum of the lines it prints.
//
// Rounding, wherever a computation here has to drop a fraction of a cent, is half away from
// zero (0.005 € → 0.01 €, -0.005 € → -0.01 €), the rule an invoice reader does by hand.
// Intermediate products are computed in 128 bits, so nothing is lost before that one rounding.
//
// Range: parsing and scaling check that the result fits (about ±92 000 000 000 000 000 €) and
// report an error otherwise. + and - do not check: amounts that are sums of real charges stay
// many orders of magnitude away from the limit.
//
// Sharing a sum out (AllocateLargestRemainder and its real-weighted twin) gives every share its
// floor and the leftover cents, one each, to the largest remainders, so the shares add up to the
// sum exactly.
//
// Thread-compatible value type; the free functions are thread-safe (pure).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace mittari::regional {

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money FromCents(int64_t cents) { return Money(cents); }
  static constexpr Money Zero() { return Money(0); }

  // Accepts "1234.56", "1 234,56", "-0.5", "1,234.56 €", "+12"; group separators may be a
  // space, a no-break space or a narrow no-break space, and a trailing "€" is allowed. The
  // minus may be '-' or '−' (U+2212). More than two decimals is an error rather than a
  // rounding: a price with a fraction of a cent is a data error to look at, not to hide.
  static Result<Money> Parse(std::string_view text);

  constexpr int64_t cents() const { return cents_; }

  // "1 234,56 €" (narrow no-break space between groups, no-break space before the €) for
  // "fi" and "sv"; "1,234.56 €" for "en". Other codes get the Finnish form, the district's
  // working language.
  std::string Format(std::string_view language) const;

  constexpr Money operator+(Money other) const { return Money(cents_ + other.cents_); }
  constexpr Money operator-(Money other) const { return Money(cents_ - other.cents_); }
  constexpr Money operator-() const { return Money(-cents_); }
  constexpr Money& operator+=(Money other) {
    cents_ += other.cents_;
    return *this;
  }
  constexpr Money& operator-=(Money other) {
    cents_ -= other.cents_;
    return *this;
  }
  constexpr auto operator<=>(const Money&) const = default;

 private:
  constexpr explicit Money(int64_t cents) : cents_(cents) {}
  int64_t cents_ = 0;
};

// numerator / denominator rounded half away from zero. Error when the denominator is zero.
Result<int64_t> RoundedQuotient(int64_t numerator, int64_t denominator);

// amount × numerator / denominator, exact until the single final rounding (half away from
// zero). Error when the denominator is zero or the result does not fit.
Result<Money> ScaleRounded(Money amount, int64_t numerator, int64_t denominator);

// unit_price × volume. Both are whole numbers of their units, so the product is exact; the
// only failure is a result outside the range of Money.
Result<Money> MultiplyRounded(Money unit_price, int64_t volume);

// Shares `total` (not negative) in proportion to `weights` (not negative, not all zero),
// exactly to the cent. Leftover cents go to the largest remainders; equal remainders are
// broken by position, so callers that list recipients in code order get a deterministic,
// explainable result.
Result<std::vector<Money>> AllocateLargestRemainder(Money total,
                                                    const std::vector<int64_t>& weights);

// The same for real-valued weights (need coefficients, age weights). The weights are first
// quantised to integers relative to the largest (52 bits of resolution), which keeps the
// sharing exact and deterministic; the quantisation moves a share by far less than a cent
// for any realistic total.
Result<std::vector<Money>> AllocateLargestRemainderByReal(Money total,
                                                          const std::vector<double>& weights);

}  // namespace mittari::regional
