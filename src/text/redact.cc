#include "text/redact.h"

#include <cstddef>
#include <cstdint>

// One forward pass over the bytes. At each position that can start an item the matchers are
// tried in a fixed order (e-mail, identity code, phone); on a match the replacement goes out
// and scanning resumes after the item, otherwise the whole number is stepped over so that its
// tail is never taken for the start of another item. Nothing is copied until the first match,
// so the common comment without personal data costs one scan and one copy.

namespace mittari::text {

int RedactionCounts::total() const { return identity_codes + phone_numbers + emails; }

namespace {

constexpr std::string_view kIdentityToken = "[HETU]";
constexpr std::string_view kPhoneToken = "[PHONE]";
constexpr std::string_view kEmailToken = "[EMAIL]";

// Matchers return the end of what they matched; an item is never empty, so 0 can mean none.
constexpr size_t kNoMatch = 0;

constexpr uint32_t kInvalidCodePoint = 0xFFFFFFFF;

struct Decoded {
  uint32_t code_point;
  size_t length;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsAsciiAlnum(char c) { return IsDigit(c) || IsAsciiAlpha(c); }
bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Returns the code point that starts at text[pos] and its length. A malformed, overlong or
// truncated sequence decodes as kInvalidCodePoint of length 1, so a scan always advances and
// never reads past the end.
Decoded DecodeAt(std::string_view text, size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return {lead, 1};
  size_t length;
  uint32_t code_point;
  uint32_t smallest;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
    smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
    smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
    smallest = 0x10000;
  } else {
    return {kInvalidCodePoint, 1};
  }
  if (length > text.size() - pos) return {kInvalidCodePoint, 1};
  for (size_t k = 1; k < length; ++k) {
    if (!IsContinuationByte(text[pos + k])) return {kInvalidCodePoint, 1};
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[pos + k]) & 0x3F);
  }
  if (code_point < smallest || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return {kInvalidCodePoint, 1};
  }
  return {code_point, length};
}

// Returns whether a code point belongs inside a word (a letter, digit or combining mark of any
// script). Exact Unicode categories would need tables; block ranges are enough to tell
// "ä0401234567" (glued to a word) from "€25" or "–040 123 4567" (punctuation, symbols).
bool IsWordCodePoint(uint32_t cp) {
  if (cp < 0x80) return IsAsciiAlnum(static_cast<char>(cp));
  if (cp < 0xC0) return false;                 // Latin-1 punctuation, NBSP, « »
  if (cp == 0xD7 || cp == 0xF7) return false;  // × ÷
  if (cp < 0x2000) return true;                // Latin, Greek, Cyrillic, ..., marks
  if (cp < 0x2C00) return false;               // punctuation, currency, arrows, math
  if (cp < 0x2E00) return true;
  if (cp < 0x2E80) return false;  // supplemental punctuation
  if (cp < 0x3000) return true;
  if (cp < 0x3040) return false;  // CJK punctuation, ideographic space
  if (cp < 0xD800) return true;
  if (cp < 0xF900) return false;  // surrogates, private use
  if (cp < 0xFE00) return true;
  if (cp < 0xFE70) return false;  // variation selectors, small forms
  if (cp < 0xFEFF) return true;
  if (cp < 0xFF00) return false;  // byte order mark
  if (cp < 0xFFF0) {              // full-width digits and letters only
    return (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
           (cp >= 0xFF41 && cp <= 0xFF5A) || (cp >= 0xFF66 && cp < 0xFFE0);
  }
  if (cp < 0x10000) return false;
  if (cp < 0x1F000) return true;   // historic scripts
  if (cp < 0x20000) return false;  // emoji and pictographs
  return cp <= 0x10FFFF;           // CJK extensions
}

// Returns whether the character starting at text[pos] is part of a word; the end of the text
// is not.
bool IsWordAt(std::string_view text, size_t pos) {
  if (pos >= text.size()) return false;
  const char c = text[pos];
  if (static_cast<unsigned char>(c) < 0x80) return IsAsciiAlnum(c);
  return IsWordCodePoint(DecodeAt(text, pos).code_point);
}

// Returns whether the character that ends just before text[pos] is part of a word; the start
// of the text is not.
bool IsWordBefore(std::string_view text, size_t pos) {
  if (pos == 0) return false;
  const char c = text[pos - 1];
  if (static_cast<unsigned char>(c) < 0x80) return IsAsciiAlnum(c);
  size_t start = pos - 1;
  while (start > 0 && pos - start < 4 && IsContinuationByte(text[start])) --start;
  const Decoded decoded = DecodeAt(text, start);
  // A sequence that does not end exactly at pos is malformed: treat it as a non-letter.
  return decoded.length == pos - start && IsWordCodePoint(decoded.code_point);
}

bool IsBoundaryAt(std::string_view text, size_t pos) { return !IsWordAt(text, pos); }

// Returns whether text[pos, pos + count) exists and is all ASCII digits.
bool AllDigits(std::string_view text, size_t pos, size_t count) {
  if (pos > text.size() || count > text.size() - pos) return false;
  for (size_t k = pos; k < pos + count; ++k) {
    if (!IsDigit(text[k])) return false;
  }
  return true;
}

// Returns the value of the two digits at text[pos]; the caller has checked they are digits.
int TwoDigits(std::string_view text, size_t pos) {
  return (text[pos] - '0') * 10 + (text[pos + 1] - '0');
}

// ---------------------------------------------------------------------------------------------
// Identity codes

// Returns whether c is a henkilötunnus century sign: + (1800s), - and U-Y (1900s), A-F (2000s).
// The letters are the 2023 additions; lower case is accepted because people type it.
bool IsFinnishCenturySign(char c) {
  if (c == '+' || c == '-') return true;
  const char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return (upper >= 'A' && upper <= 'F') || (upper >= 'U' && upper <= 'Y');
}

// Returns the end of a henkilötunnus DDMMYY?NNNC starting at text[i], or kNoMatch. The check
// character is deliberately not verified, and may be absent: a typo in it does not make the
// code any less identifying, and DDMMYY?NNN alone determines it.
size_t MatchFinnishIdentityCode(std::string_view text, size_t i) {
  if (!AllDigits(text, i, 6) || text.size() - i < 10 || !IsFinnishCenturySign(text[i + 6]) ||
      !AllDigits(text, i + 7, 3)) {
    return kNoMatch;
  }
  const int day = TwoDigits(text, i);
  const int month = TwoDigits(text, i + 2);
  if (day < 1 || day > 31 || month < 1 || month > 12) return kNoMatch;
  if (i + 10 < text.size() && IsAsciiAlnum(text[i + 10])) {
    return IsBoundaryAt(text, i + 11) ? i + 11 : kNoMatch;
  }
  return IsBoundaryAt(text, i + 10) ? i + 10 : kNoMatch;
}

// Returns whether month and day can be those of a personnummer; samordningsnummer (given to
// people not registered in Sweden) add 60 to the day.
bool IsPlausibleSwedishDate(int month, int day) {
  if (month < 1 || month > 12) return false;
  return (day >= 1 && day <= 31) || (day >= 61 && day <= 91);
}

// Returns the end of a personnummer starting at text[i], or kNoMatch. The Luhn check digit is
// not verified, for the same reason as the Finnish check character.
size_t MatchSwedishIdentityCode(std::string_view text, size_t i) {
  const size_t available = text.size() - i;
  // YYYYMMDD-NNNN and YYYYMMDDNNNN. The century guard keeps other 12-digit numbers out.
  if (available >= 12 && AllDigits(text, i, 8)) {
    const int century = TwoDigits(text, i);
    if (century >= 18 && century <= 20 &&
        IsPlausibleSwedishDate(TwoDigits(text, i + 4), TwoDigits(text, i + 6))) {
      if (available >= 13 && (text[i + 8] == '-' || text[i + 8] == '+') &&
          AllDigits(text, i + 9, 4) && IsBoundaryAt(text, i + 13)) {
        return i + 13;
      }
      if (AllDigits(text, i + 8, 4) && IsBoundaryAt(text, i + 12)) return i + 12;
    }
  }
  // YYMMDD-NNNN and YYMMDD+NNNN (the plus marks people aged 100 or more).
  if (available >= 11 && AllDigits(text, i, 6) && (text[i + 6] == '-' || text[i + 6] == '+') &&
      AllDigits(text, i + 7, 4) &&
      IsPlausibleSwedishDate(TwoDigits(text, i + 2), TwoDigits(text, i + 4)) &&
      IsBoundaryAt(text, i + 11)) {
    return i + 11;
  }
  return kNoMatch;
}

// Returns the end of a Finnish or Swedish identity code starting at text[i], or kNoMatch.
size_t MatchIdentityCode(std::string_view text, size_t i) {
  const size_t end = MatchFinnishIdentityCode(text, i);
  return end != kNoMatch ? end : MatchSwedishIdentityCode(text, i);
}

// ---------------------------------------------------------------------------------------------
// Phone numbers

// How many digits a number of each form has when it is complete, and at most. Numbers are
// grown one space-separated group at a time; without a ceiling "040 123 4567 10 kertaa" would
// lose its "10". The ceilings follow E.164 (15 digits after the country code's "+").
struct PhoneLimits {
  int complete;
  int most;
};
constexpr PhoneLimits kNationalLimits = {10, 12};
constexpr PhoneLimits kPlusLimits = {12, 15};
constexpr PhoneLimits kDoubleZeroLimits = {14, 17};

constexpr int kMinPhoneDigits = 7;
constexpr int kMinPhoneDigitsWithAreaCode = 6;
constexpr int kMostParenthesisedDigits = 4;

// One group of a phone number: a run of digits, or digits in parentheses like "(09)".
struct PhoneGroup {
  size_t end = 0;
  int digits = 0;  // 0 when no group starts at the position
  bool parenthesised = false;
};

// Returns the group starting at text[pos]; digits is 0 when there is none.
PhoneGroup ReadPhoneGroup(std::string_view text, size_t pos, bool allow_parentheses) {
  PhoneGroup group;
  if (pos >= text.size()) return group;
  if (text[pos] == '(') {
    if (!allow_parentheses) return group;
    size_t p = pos + 1;
    while (p < text.size() && IsDigit(text[p]) && p - pos <= kMostParenthesisedDigits) ++p;
    const int digits = static_cast<int>(p - pos - 1);
    if (digits == 0 || p >= text.size() || text[p] != ')') return group;
    group.end = p + 1;
    group.digits = digits;
    group.parenthesised = true;
    return group;
  }
  size_t p = pos;
  while (p < text.size() && IsDigit(text[p])) ++p;
  group.end = p;
  group.digits = static_cast<int>(p - pos);
  return group;
}

// Returns the position after a group separator at text[pos] (" ", "-" or " - "), or pos when
// there is none. Only single separators count: a wider gap ends the number.
size_t SkipPhoneSeparator(std::string_view text, size_t pos) {
  if (pos >= text.size()) return pos;
  if (text[pos] == '-') return pos + 1;
  if (text[pos] == ' ') {
    if (pos + 2 < text.size() && text[pos + 1] == '-' && text[pos + 2] == ' ') return pos + 3;
    return pos + 1;
  }
  return pos;
}

// Returns whether three dash-joined groups of 2, 2 and 4 digits read as DD-MM-YYYY, which is
// a date rather than a phone number even though it starts with 0 and has 8 digits.
bool LooksLikeDashedDate(std::string_view text, size_t start, const int* lengths, int groups,
                         bool only_dashes) {
  if (groups != 3 || !only_dashes || !IsDigit(text[start]) || lengths[0] != 2 || lengths[1] != 2 ||
      lengths[2] != 4) {
    return false;
  }
  const int day = TwoDigits(text, start);
  const int month = TwoDigits(text, start + 3);
  return day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

// Returns the end of a phone number starting at text[i], or kNoMatch. text[i] is a digit,
// "+" or "(".
size_t MatchPhone(std::string_view text, size_t i) {
  const size_t n = text.size();
  size_t p = i;
  PhoneLimits limits;
  bool international;
  if (text[p] == '+') {
    ++p;
    if (p >= n || !IsDigit(text[p])) return kNoMatch;
    limits = kPlusLimits;
    international = true;
  } else {
    const size_t first_digit = text[p] == '(' ? p + 1 : p;
    if (first_digit >= n || text[first_digit] != '0') return kNoMatch;
    international = first_digit + 1 < n && text[first_digit + 1] == '0';
    limits = international ? kDoubleZeroLimits : kNationalLimits;
  }

  const PhoneGroup first = ReadPhoneGroup(text, p, /*allow_parentheses=*/!international);
  if (first.digits == 0 || first.digits > limits.most) return kNoMatch;

  // Digits in "(0)" after a country code are the trunk prefix a caller at home would dial;
  // they do not count against the limits.
  int digits = first.digits;
  int trunk_digits = 0;
  int counted_groups = 1;  // groups other than a trunk prefix
  bool used_parentheses = first.parenthesised;
  bool previous_parenthesised = first.parenthesised;
  size_t end = first.end;

  int lengths[3] = {first.digits, 0, 0};
  int groups = 1;
  bool only_dashes = true;

  while (true) {
    const size_t next = SkipPhoneSeparator(text, end);
    const bool has_separator = next != end;
    if (!has_separator && !previous_parenthesised && !(next < n && text[next] == '(')) break;
    const PhoneGroup group =
        ReadPhoneGroup(text, next, /*allow_parentheses=*/!used_parentheses && groups == 1);
    if (group.digits == 0) break;
    // A group glued to letters ("2kpl") belongs to the following word, not to the number.
    if (!group.parenthesised && IsWordAt(text, group.end)) break;
    if (group.parenthesised && IsWordAt(text, group.end) && !IsDigit(text[group.end])) break;

    const bool is_trunk = group.parenthesised && international;
    const int counted = digits - trunk_digits;
    if (counted >= limits.complete) break;
    if (!is_trunk && counted + group.digits > limits.most) break;
    // Single digits appear only near the start ("+358 9 ...", "+1 212 ..."); later ones are
    // more likely the next number in the sentence or a pasted 0-10 scale.
    if (group.digits == 1 && !group.parenthesised && counted_groups >= 2) break;

    if (groups < 3) lengths[groups] = group.digits;
    ++groups;
    only_dashes = only_dashes && next == end + 1 && text[end] == '-';
    digits += group.digits;
    if (is_trunk) {
      trunk_digits += group.digits;
    } else {
      ++counted_groups;
    }
    used_parentheses = used_parentheses || group.parenthesised;
    previous_parenthesised = group.parenthesised;
    end = group.end;
  }

  // A parenthesised area code marks a phone number even when it is short: "(09) 4711", a
  // switchboard, has six digits.
  const int min_digits = used_parentheses ? kMinPhoneDigitsWithAreaCode : kMinPhoneDigits;
  if (digits < min_digits || !IsBoundaryAt(text, end)) return kNoMatch;
  if (!international &&
      LooksLikeDashedDate(text, i, lengths, groups, only_dashes && !used_parentheses)) {
    return kNoMatch;
  }
  return end;
}

// ---------------------------------------------------------------------------------------------
// Skipping numbers that are not personal data

// Returns the end of a number written with spaces between thousands ("1 000 000 000") that
// starts at text[i] and whose first group ends at first_end, or first_end when it is not one.
// Without this, "000 000 000" would pass for a nine-digit phone number. A number that goes on
// with a group of another size ("214 040 123 4567") is not taken, so the phone survives.
size_t SkipThousands(std::string_view text, size_t i, size_t first_end) {
  const size_t first_digits = first_end - i;
  if (first_digits == 0 || first_digits > 3 || text[i] == '0') return first_end;
  for (size_t k = i; k < first_end; ++k) {
    if (!IsDigit(text[k])) return first_end;
  }
  size_t p = first_end;
  while (p < text.size() && text[p] == ' ' && AllDigits(text, p + 1, 3) &&
         !AllDigits(text, p + 4, 1)) {
    p += 4;
  }
  if (p + 1 < text.size() && text[p] == ' ' && IsDigit(text[p + 1])) return first_end;
  return p;
}

// Returns the position after the number starting at text[i], which has been found not to be
// personal data. Stepping over all of "2024-03-12" or "12.3.2024" at once keeps their tails
// ("03-12 ...") from being tried as the start of a phone number.
size_t SkipNumber(std::string_view text, size_t i) {
  if (!IsDigit(text[i])) return i + 1;
  size_t p = i;
  while (p < text.size()) {
    const char c = text[p];
    if (IsAsciiAlnum(c)) {
      ++p;
    } else if ((c == '.' || c == ',' || c == ':' || c == '/' || c == '-') && p + 1 < text.size() &&
               IsDigit(text[p + 1])) {
      p += 2;
    } else {
      break;
    }
  }
  return SkipThousands(text, i, p);
}

// ---------------------------------------------------------------------------------------------
// E-mail addresses

bool IsLocalPunctuation(char c) { return c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; }

// Returns whether an e-mail local part may start at a byte: ASCII letters, digits and local
// punctuation, or the lead byte of a multibyte character (checked properly by the matcher).
bool MayStartLocalPart(char c) {
  const auto b = static_cast<unsigned char>(c);
  if (b >= 0xC0) return true;
  return b < 0x80 && (IsAsciiAlnum(c) || IsLocalPunctuation(c));
}

bool EqualsIgnoringAsciiCase(char c, char lower) {
  return c == lower || c == static_cast<char>(lower - 'a' + 'A');
}

// Returns the length of the at sign at text[pos]: 1 for "@", 4 for "(at)" or "[at]" (how
// Finnish web pages hide addresses from harvesters, copied from there into comments), or 0.
size_t AtSignLength(std::string_view text, size_t pos) {
  if (pos >= text.size()) return 0;
  if (text[pos] == '@') return 1;
  if (text.size() - pos >= 4 && (text[pos] == '(' || text[pos] == '[') &&
      EqualsIgnoringAsciiCase(text[pos + 1], 'a') && EqualsIgnoringAsciiCase(text[pos + 2], 't') &&
      text[pos + 3] == (text[pos] == '(' ? ')' : ']')) {
    return 4;
  }
  return 0;
}

// Returns whether text contains anything AtSignLength accepts, so that texts without one (the
// great majority) skip the e-mail matcher altogether.
bool ContainsAtSign(std::string_view text) {
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if ((c == '@' || c == '(' || c == '[') && AtSignLength(text, pos) != 0) return true;
  }
  return false;
}

// Returns the end of the run of characters starting at text[pos] that an e-mail local part
// (with_punctuation) or domain label (without, but with '-') may contain.
size_t ScanAddressRun(std::string_view text, size_t pos, bool local_part) {
  while (pos < text.size()) {
    const char c = text[pos];
    if (static_cast<unsigned char>(c) < 0x80) {
      if (IsAsciiAlnum(c) || (local_part ? IsLocalPunctuation(c) : c == '-')) {
        ++pos;
        continue;
      }
      return pos;
    }
    const Decoded decoded = DecodeAt(text, pos);
    if (!IsWordCodePoint(decoded.code_point)) return pos;
    pos += decoded.length;
  }
  return pos;
}

// Returns the end of a domain starting at text[pos], or kNoMatch. At least two labels, and the
// last one taken must be alphabetic ASCII of two or more letters; trailing labels that fail
// ("example.fi.123") and a sentence-final dot are left out.
size_t MatchDomain(std::string_view text, size_t pos) {
  size_t best = kNoMatch;
  int labels = 0;
  size_t p = pos;
  while (p < text.size() && text[p] != '-') {
    const size_t label_start = p;
    p = ScanAddressRun(text, p, /*local_part=*/false);
    if (p == label_start) break;
    ++labels;
    bool alphabetic = p - label_start >= 2;
    for (size_t k = label_start; alphabetic && k < p; ++k) alphabetic = IsAsciiAlpha(text[k]);
    if (labels >= 2 && alphabetic) best = p;
    if (p + 1 < text.size() && text[p] == '.') {
      ++p;
    } else {
      break;
    }
  }
  return best;
}

struct EmailMatch {
  size_t start = 0;
  size_t end = kNoMatch;
  size_t run_end = 0;  // end of the local-part run examined, whether or not it matched
};

// Returns the address whose local part begins in the run starting at text[i]. run_end is set
// even without a match so that the caller does not retry inside the same run.
EmailMatch MatchEmail(std::string_view text, size_t i) {
  EmailMatch match;
  const size_t run_end = ScanAddressRun(text, i, /*local_part=*/true);
  match.run_end = run_end;
  // Leading punctuation ("...matti@", "-matti@") is the sentence's, not the address's.
  size_t start = i;
  while (start < run_end && IsLocalPunctuation(text[start])) ++start;
  if (start == run_end) return match;
  const size_t at_length = AtSignLength(text, run_end);
  if (at_length == 0) return match;
  const size_t end = MatchDomain(text, run_end + at_length);
  if (end == kNoMatch) return match;
  match.start = start;
  match.end = end;
  return match;
}

}  // namespace

std::string RedactPersonalData(std::string_view text, RedactionCounts* counts) {
  const size_t n = text.size();
  std::string out;
  size_t copied = 0;  // text[0, copied) is already in out; 0 until the first replacement
  RedactionCounts found;

  auto replace = [&](size_t start, size_t end, std::string_view token) {
    if (copied == 0) out.reserve(n + 16);
    out.append(text.substr(copied, start - copied));
    out.append(token);
    copied = end;
  };

  const bool may_contain_email = ContainsAtSign(text);
  size_t email_checked_until = 0;
  size_t i = 0;
  while (i < n) {
    const char c = text[i];
    if (may_contain_email && i >= email_checked_until && MayStartLocalPart(c)) {
      // Tried before the numbers so that "0401234567@example.fi" is one address.
      const EmailMatch email = MatchEmail(text, i);
      if (email.end != kNoMatch) {
        replace(email.start, email.end, kEmailToken);
        ++found.emails;
        i = email.end;
        email_checked_until = i;
        continue;
      }
      email_checked_until = email.run_end > i ? email.run_end : i + 1;
    }
    // Right after a replacement counts as a boundary: the replaced item ended at one, and
    // redacting again must not find anything new ("0401234567+358401234567").
    if ((IsDigit(c) || c == '+' || c == '(') &&
        ((copied != 0 && i == copied) || !IsWordBefore(text, i))) {
      size_t end = IsDigit(c) ? MatchIdentityCode(text, i) : kNoMatch;
      if (end != kNoMatch) {
        replace(i, end, kIdentityToken);
        ++found.identity_codes;
        i = end;
        continue;
      }
      end = MatchPhone(text, i);
      if (end != kNoMatch) {
        replace(i, end, kPhoneToken);
        ++found.phone_numbers;
        i = end;
        continue;
      }
      i = SkipNumber(text, i);
      continue;
    }
    ++i;
  }

  if (counts != nullptr) {
    counts->identity_codes += found.identity_codes;
    counts->phone_numbers += found.phone_numbers;
    counts->emails += found.emails;
  }
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

}  // namespace mittari::text
