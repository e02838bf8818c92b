// File: sms/segments.h
//
// How many SMS parts a text costs. Texts that fit the GSM 03.38 7-bit alphabet (which has ä,
// ö, å, Ä, Ö, Å, é, ü…) go as 160 septets in one part or 153 per part when concatenated; the
// extension characters ^ { } \ [ ~ ] | € take two septets. Anything else forces UCS-2: 70
// UTF-16 units in one part, 67 per part (characters outside the BMP take two units).
//
// Thread-safe (pure functions).
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"

namespace mittari::sms {

enum class SmsEncoding { kGsm7, kUcs2 };

struct SmsLength {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  size_t units = 0;  // septets (GSM-7) or UTF-16 code units (UCS-2)
  int parts = 0;     // 0 for an empty text
};

// Measures a UTF-8 text. Returns InvalidArgument when it is not valid UTF-8.
Result<SmsLength> MeasureSms(std::string_view text);

}  // namespace mittari::sms
