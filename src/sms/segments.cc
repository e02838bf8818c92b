#include "sms/segments.h"

#include <string>

#include "common/utf8.h"

namespace mittari::sms {
namespace {

// The GSM 03.38 basic character set, as Unicode code points.
constexpr char32_t kGsmBasic[] = {
    U'@', U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç', U'\n', U'Ø', U'ø', U'\r', U'Å', U'å',
    U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ', U'Σ', U'Θ', U'Ξ', U'Æ', U'æ', U'ß', U'É', U' ',
    U'!', U'"', U'#', U'¤', U'%', U'&', U'\'', U'(', U')', U'*', U'+', U',', U'-', U'.', U'/', U':',
    U';', U'<', U'=', U'>', U'?', U'¡', U'Ä', U'Ö', U'Ñ', U'Ü', U'§', U'¿', U'ä', U'ö', U'ñ', U'ü',
    U'à'};
constexpr char32_t kGsmExtension[] = {U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€', U'\f'};

constexpr size_t kGsmSingle = 160, kGsmPart = 153, kUcsSingle = 70, kUcsPart = 67;

int GsmSeptets(char32_t c) {
  if ((c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z')) return 1;
  for (char32_t b : kGsmBasic) {
    if (b == c) return 1;
  }
  for (char32_t e : kGsmExtension) {
    if (e == c) return 2;
  }
  return 0;  // not in the GSM alphabet
}

// Decodes valid UTF-8 (checked by the caller) one code point at a time.
char32_t Next(std::string_view text, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) return text[i++];
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
  char32_t c = b & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) c = (c << 6) | (byte(i + static_cast<size_t>(k)) & 0x3F);
  i += static_cast<size_t>(extra) + 1;
  return c;
}

int Parts(size_t units, size_t single, size_t part) {
  if (units == 0) return 0;
  if (units <= single) return 1;
  return static_cast<int>((units + part - 1) / part);
}

}  // namespace

Result<SmsLength> MeasureSms(std::string_view text) {
  if (!IsValidUtf8(text)) return InvalidArgumentError("the message is not valid UTF-8");
  size_t septets = 0, utf16 = 0;
  bool gsm = true;
  for (size_t i = 0; i < text.size();) {
    char32_t c = Next(text, i);
    int s = GsmSeptets(c);
    if (s == 0) gsm = false;
    septets += static_cast<size_t>(s);
    utf16 += c > 0xFFFF ? 2 : 1;
  }
  SmsLength length;
  if (gsm) {
    length.encoding = SmsEncoding::kGsm7;
    length.units = septets;
    length.parts = Parts(septets, kGsmSingle, kGsmPart);
  } else {
    length.encoding = SmsEncoding::kUcs2;
    length.units = utf16;
    length.parts = Parts(utf16, kUcsSingle, kUcsPart);
  }
  return length;
}

}  // namespace mittari::sms
