// File: sms/phone.h
//
// Phone numbers as the SMS survey needs them: validated and normalised to E.164 ("+358401234567")
// so that the same phone written "040 123 4567", "040-1234567", "+358 40 123 4567" or
// "00358401234567" is one number for matching replies, the 30-day limit and opt-outs.
// National forms (a leading 0) are read in the given default country (Finland unless told
// otherwise): Finnish "040 123 4567" → +358401234567, Swedish "070-123 45 67" with country SE
// → +46701234567.
//
// Thread-safe (pure functions).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace mittari::sms {

enum class Country { kFinland, kSweden };

// Returns the E.164 form, or InvalidArgument naming the input and what is wrong (letters,
// too few or too many digits, a country code that cannot start a number).
Result<std::string> NormalizePhone(std::string_view input, Country national = Country::kFinland);

}  // namespace mittari::sms
