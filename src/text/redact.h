// File: text/redact.h
//
// Strips personal data out of free-text feedback before it is stored, analysed or shown:
// Finnish personal identity codes (henkilötunnus) and Swedish personnummer, phone numbers and
// e-mail addresses. Patients write these into comments even though the form asks them not to,
// and the comments are read by staff who must not be able to identify the writer.
//
// The matching is heuristic and leans towards redacting: an ordinary number mistaken for a
// phone number costs a reader little, whereas a leaked identity code cannot be taken back.
// Ordinary numbers in feedback (scores "9/10", times "klo 14.30", dates "12.3.2024",
// "2024-03-12", years, durations, prices "1 000 euroa", room numbers) are kept.
//
// Thread-safe: RedactPersonalData is a pure function of its arguments and keeps no state.
#pragma once

#include <string>
#include <string_view>

namespace mittari::text {

// How many items of each kind were replaced. A plain value; one instance may be passed to many
// calls to total an import.
struct RedactionCounts {
  int identity_codes = 0;  // Finnish and Swedish alike: both become "[HETU]"
  int phone_numbers = 0;
  int emails = 0;

  // Returns the number of replacements of all kinds.
  int total() const;
};

// Returns `text` with each identity code replaced by "[HETU]", each phone number by "[PHONE]"
// and each e-mail address by "[EMAIL]". Every other byte is copied unchanged, including
// multibyte UTF-8 and malformed UTF-8, so the result is valid UTF-8 whenever the input is.
// When `counts` is non-null, the replacements made are added to it.
//
// Rules, in brief (redact.cc has the details and the reasons):
//  - Boundaries: a number is only matched when the characters just before and just after it
//    are not letters or digits, in any script ("abc131052-308Tdef" and "ä0401234567" are
//    kept): glued to a word, a digit run is more likely a product or reference code.
//  - Finnish identity code: DDMMYY, a century sign (+ - A-F U-Y, either case), three digits
//    and a check character, with DD 01-31 and MM 01-12. The check character is NOT verified and
//    may be any ASCII letter or digit, since a mistyped code still identifies its owner; it
//    may also be missing ("131052-308"), because the nine digits alone determine it.
//  - Swedish personnummer: YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDD-NNNN and YYYYMMDDNNNN with a
//    plausible month and day (day 61-91 for samordningsnummer), century 18, 19 or 20.
//  - Phone number: starts with "+", "0" or "(0", then digit groups joined by single spaces,
//    dashes or " - ", with at most one parenthesised group ("(09)", "+358 (0)40"); at least 7
//    digits. Growth stops once the number is long enough to be complete, so a following
//    "10 kertaa" is not swallowed. "01-02-2024" shaped dates are not phone numbers.
//  - E-mail: local part of letters (any script), digits and . _ % + -, then "@" (or the
//    Finnish "(at)"/"[at]" spelling), then a domain of two or more labels ending in an
//    alphabetic top-level label of two or more letters. A sentence-final dot is not taken.
std::string RedactPersonalData(std::string_view text, RedactionCounts* counts = nullptr);

}  // namespace mittari::text
