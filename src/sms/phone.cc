#include "sms/phone.h"

#include <fmt/format.h>

namespace mittari::sms {
namespace {

// ITU-T E.164: at most 15 digits after the +; fewer than 7 cannot be a subscriber number.
constexpr size_t kMaxE164Digits = 15;
constexpr size_t kMinE164Digits = 7;

struct CountryRule {
  std::string_view code;  // digits after +
  size_t min_national;    // national significant number, without the trunk 0
  size_t max_national;
};

// Finland: 5–12 digits (mobile 04x/050: 9–10), Sweden: 7–13.
constexpr CountryRule kFinnish{"358", 5, 12};
constexpr CountryRule kSwedish{"46", 7, 13};

}  // namespace

Result<std::string> NormalizePhone(std::string_view input, Country national) {
  auto bad = [&](std::string_view why) {
    return InvalidArgumentError(fmt::format("phone number '{}' {}", input, why));
  };
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < input.size(); ++i) {
    char c = input[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '\t') {
      continue;  // grouping people write
    } else {
      return bad("may contain only digits, spaces, dashes, parentheses and a leading +");
    }
  }
  if (digits.empty()) return bad("has no digits");
  std::string international;
  if (plus) {
    international = digits;
  } else if (digits.rfind("00", 0) == 0) {
    international = digits.substr(2);  // international call prefix used in Finland and Sweden
  } else if (digits[0] == '0') {
    const CountryRule& rule = national == Country::kSweden ? kSwedish : kFinnish;
    std::string significant = digits.substr(1);
    if (significant.size() < rule.min_national || significant.size() > rule.max_national) {
      return bad(fmt::format("has {} digits after the leading 0; a {} number has {} to {}",
                             significant.size(), national == Country::kSweden ? "Swedish" : "Finnish",
                             rule.min_national, rule.max_national));
    }
    international = std::string(rule.code) + significant;
  } else {
    return bad("must start with +, 00 or a national 0");
  }
  // "+358 (0)40 …": a trunk 0 written after the country code is not dialled.
  for (const CountryRule* rule : {&kFinnish, &kSwedish}) {
    if (international.rfind(std::string(rule->code) + "0", 0) == 0) {
      international.erase(rule->code.size(), 1);
    }
  }
  if (international[0] == '0') return bad("has no country code after the international prefix");
  if (international.size() < kMinE164Digits) return bad("is too short");
  if (international.size() > kMaxE164Digits) return bad("has more than 15 digits");
  return "+" + international;
}

}  // namespace mittari::sms
