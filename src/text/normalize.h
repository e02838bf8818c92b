// File: text/normalize.h
//
// The first two steps of comment analytics: NormalizeForMatching brings free text to one
// spelling per word, and Tokenize splits the result into words, numbers and emoji with the
// sentence each belongs to. Counting, stemming and language identification all start from
// their output, so "ÄITI", "äiti" and "äiti" typed with a combining diaeresis (as some phones
// and copy-pasted PDFs produce) must meet as the same word.
//
// Thread-safe: pure functions with no state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mittari::text {

// Returns `utf8` in Unicode NFC with full case folding ("ÄITI" -> "äiti", "Straße" ->
// "strasse"). Case folding rather than lower-casing because folding is defined for matching
// and never depends on a locale. Malformed UTF-8 (stray continuation bytes, truncated or
// overlong sequences, encoded surrogates) does not fail the call: each offending byte becomes
// U+FFFD, since a comment with one corrupt byte is still worth analysing. The result is
// always valid UTF-8.
std::string NormalizeForMatching(std::string_view utf8);

// One piece of a comment. At most one of the three flags is set; a token with none set does
// not occur (separators produce no tokens).
struct Token {
  std::string text;  // the bytes of the token as they appear in the input
  bool is_word = false;
  bool is_number = false;
  bool is_emoji = false;
  // 0 for the first sentence; see Tokenize for what ends one.
  size_t sentence = 0;
};

// Splits text (normally the output of NormalizeForMatching; any bytes are accepted) into
// tokens, in order:
//  - Word: a letter of any script, then letters, combining marks and digits ("covid19").
//    An apostrophe (' or U+2019) followed by a letter, or a hyphen (- U+2010 U+2011)
//    followed by a letter or digit, continues the word: "don't", "e-palvelu", "covid-19".
//    A number joined to letters by a hyphen is a word too ("5-vuotias"), since it is read as
//    one ("five-year-old"); digits directly followed by letters split ("2kk" -> "2", "kk").
//  - Number: a run of digits, with single "." "," or ":" between digits kept inside it
//    ("14.30", "2,5", "12.3.2024"), so that times and dates do not end a sentence.
//  - Emoji: a pictographic symbol (Unicode category So from U+2000 up, which leaves out
//    "©" and "°") with its variation selector, skin tone and zero-width-joiner sequence;
//    a flag (a pair of regional indicators); or an emoticon: ":)" ":(" ":d" ":p" ";)" "=)"
//    ":/" with an optional "-" or "'" nose and repeated mouths (":)))", ":dd"), and "<3".
//    A letter mouth or ":/" must not run on into a letter or digit (":dokumentti", "c:/x2"
//    are not faces) and ":/" must not be followed by "/" ("http://"); "kiitos:D" is a face.
//    Both cases of ":D" and ":P" match, so the text need not be folded first.
//  - Everything else separates tokens and is dropped.
// The sentence number grows by one at the first token after ". ! ? …", a line break, or a
// run of them ("Hyvä!!! Kiitos" is two sentences, not four), so numbering has no gaps.
// Abbreviations ("esim.", "e.g.") and ordinals ("3. kerta") end a sentence too: telling them
// apart needs a dictionary per language, and a split sentence costs less than a merged one.
std::vector<Token> Tokenize(std::string_view normalized);

}  // namespace mittari::text
