#include "text/normalize.h"

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <memory>

// NormalizeForMatching repairs the bytes first and hands utf8proc only valid UTF-8, because
// utf8proc rejects a whole string for one bad byte. Tokenize is a single forward pass: each
// code point is decoded once, ASCII is classified from a table, and only non-ASCII code
// points reach utf8proc's category lookup. A token's bytes are copied once, when the token is
// emitted; nothing is allocated per character.

namespace mittari::text {
namespace {

// utf8proc allocates its results with malloc.
struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Returns the length of the UTF-8 sequence at text[pos], or 0 when it is malformed.
// utf8proc_iterate does the strict checks (overlong forms, surrogates, range).
size_t ValidSequenceLength(std::string_view text, size_t pos) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos);
  utf8proc_int32_t code_point;
  const utf8proc_ssize_t length =
      utf8proc_iterate(bytes, static_cast<utf8proc_ssize_t>(text.size() - pos), &code_point);
  return length > 0 ? static_cast<size_t>(length) : 0;
}

// Returns `text` with every byte that does not belong to a well-formed sequence replaced by
// U+FFFD. Copies only when something needs replacing.
std::string ReplaceMalformedUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const size_t length = ValidSequenceLength(text, pos);
    if (length == 0) break;
    pos += length;
  }
  if (pos == text.size()) return std::string(text);

  std::string repaired(text.substr(0, pos));
  repaired.reserve(text.size() + 8);
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      repaired += text[pos++];
      continue;
    }
    const size_t length = ValidSequenceLength(text, pos);
    if (length == 0) {
      repaired += kReplacementCharacter;
      ++pos;
    } else {
      repaired.append(text, pos, length);
      pos += length;
    }
  }
  return repaired;
}

// --- Tokenize ------------------------------------------------------------------------------

enum class CharClass : uint8_t {
  kOther,
  kLetter,
  kMark,
  kDigit,
  kApostrophe,
  kHyphen,
  kSentenceEnd,  // . ! ? and their look-alikes
  kLineBreak,
  kEmoji,            // a pictograph that starts an emoji token
  kEmojiModifier,    // variation selectors, skin tones, tags, keycap: continue an emoji
  kZeroWidthJoiner,  // joins two pictographs into one emoji
  kRegionalIndicator,
};

constexpr int32_t kInvalid = -1;

struct CodePoint {
  int32_t value;  // kInvalid for a malformed byte
  size_t length;
};

CodePoint DecodeAt(std::string_view text, size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return {lead, 1};
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos);
  utf8proc_int32_t value;
  const utf8proc_ssize_t length =
      utf8proc_iterate(bytes, static_cast<utf8proc_ssize_t>(text.size() - pos), &value);
  if (length <= 0) return {kInvalid, 1};
  return {value, static_cast<size_t>(length)};
}

struct AsciiTable {
  CharClass classes[128];
  constexpr AsciiTable() : classes() {
    for (auto& c : classes) c = CharClass::kOther;
    for (int c = 'a'; c <= 'z'; ++c) classes[c] = CharClass::kLetter;
    for (int c = 'A'; c <= 'Z'; ++c) classes[c] = CharClass::kLetter;
    for (int c = '0'; c <= '9'; ++c) classes[c] = CharClass::kDigit;
    classes[static_cast<int>('\'')] = CharClass::kApostrophe;
    classes[static_cast<int>('-')] = CharClass::kHyphen;
    classes[static_cast<int>('.')] = CharClass::kSentenceEnd;
    classes[static_cast<int>('!')] = CharClass::kSentenceEnd;
    classes[static_cast<int>('?')] = CharClass::kSentenceEnd;
    classes[static_cast<int>('\n')] = CharClass::kLineBreak;
    classes[static_cast<int>('\r')] = CharClass::kLineBreak;
    classes[0x0B] = CharClass::kLineBreak;  // vertical tab
    classes[0x0C] = CharClass::kLineBreak;  // form feed
  }
};
constexpr AsciiTable kAscii;

CharClass Classify(int32_t cp) {
  if (cp < 0) return CharClass::kOther;
  if (cp < 0x80) return kAscii.classes[cp];
  // Code points whose role here differs from what their category alone would say.
  switch (cp) {
    case 0x2019:  // right single quotation mark, what phones type for an apostrophe
      return CharClass::kApostrophe;
    case 0x2010:  // hyphen
    case 0x2011:  // non-breaking hyphen
      return CharClass::kHyphen;
    case 0x2026:  // horizontal ellipsis
    case 0x203C:  // double exclamation mark
    case 0x2047:
    case 0x2048:
    case 0x2049:
    case 0x3002:  // ideographic full stop
    case 0xFF01:  // fullwidth ! and ?
    case 0xFF1F:
      return CharClass::kSentenceEnd;
    case 0x0085:  // next line
      return CharClass::kLineBreak;
    case 0x200D:
      return CharClass::kZeroWidthJoiner;
    case 0x20E3:  // combining enclosing keycap
    case 0xFE0E:  // text and emoji variation selectors
    case 0xFE0F:
      return CharClass::kEmojiModifier;
    default:
      break;
  }
  if (cp >= 0x1F3FB && cp <= 0x1F3FF) return CharClass::kEmojiModifier;  // skin tones
  if (cp >= 0xE0020 && cp <= 0xE007F) return CharClass::kEmojiModifier;  // tag sequences
  if (cp >= 0x1F1E6 && cp <= 0x1F1FF) return CharClass::kRegionalIndicator;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return CharClass::kLetter;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return CharClass::kMark;
    case UTF8PROC_CATEGORY_ND:
      return CharClass::kDigit;
    case UTF8PROC_CATEGORY_SO:
      // Below U+2000 "Symbol, other" is © ® ° and the like, which nobody means as emoji.
      return cp >= 0x2000 ? CharClass::kEmoji : CharClass::kOther;
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return CharClass::kLineBreak;
    default:
      return CharClass::kOther;
  }
}

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {
    // Comments average around five bytes a token; reserving avoids most regrowth.
    tokens_.reserve(text.size() / 5 + 1);
  }

  std::vector<Token> Run() {
    size_t pos = 0;
    while (pos < text_.size()) {
      const CodePoint cp = DecodeAt(text_, pos);
      const CharClass cls = Classify(cp.value);
      if (const size_t end = MatchEmoticon(pos); end != 0) {
        Emit(pos, end, TokenKind::kEmoji);
        pos = end;
        continue;
      }
      switch (cls) {
        case CharClass::kLetter: {
          const size_t end = ScanWordBody(pos);
          Emit(pos, end, TokenKind::kWord);
          pos = end;
          break;
        }
        case CharClass::kDigit: {
          bool joined_to_word = false;
          const size_t end = ScanNumber(pos, &joined_to_word);
          Emit(pos, end, joined_to_word ? TokenKind::kWord : TokenKind::kNumber);
          pos = end;
          break;
        }
        case CharClass::kEmoji:
        case CharClass::kRegionalIndicator: {
          const size_t end = ScanEmoji(pos, cls);
          Emit(pos, end, TokenKind::kEmoji);
          pos = end;
          break;
        }
        case CharClass::kSentenceEnd:
        case CharClass::kLineBreak:
          sentence_break_pending_ = true;
          pos += cp.length;
          break;
        default:
          pos += cp.length;
          break;
      }
    }
    return std::move(tokens_);
  }

 private:
  enum class TokenKind { kWord, kNumber, kEmoji };

  // The class of the code point at pos and its length; kOther with length 0 past the end,
  // so look-ahead needs no bounds checks of its own.
  struct Peeked {
    CharClass cls;
    size_t length;
  };
  Peeked Peek(size_t pos) const {
    if (pos >= text_.size()) return {CharClass::kOther, 0};
    const CodePoint cp = DecodeAt(text_, pos);
    return {Classify(cp.value), cp.length};
  }

  static bool IsWordBody(CharClass cls) {
    return cls == CharClass::kLetter || cls == CharClass::kMark || cls == CharClass::kDigit;
  }

  // Continues a word from pos, which holds a word-body code point; returns its end.
  size_t ScanWordBody(size_t pos) const {
    for (;;) {
      const Peeked here = Peek(pos);
      if (IsWordBody(here.cls)) {
        pos += here.length;
        continue;
      }
      if (here.cls == CharClass::kApostrophe || here.cls == CharClass::kHyphen) {
        const Peeked next = Peek(pos + here.length);
        const bool joins = next.cls == CharClass::kLetter ||
                           (here.cls == CharClass::kHyphen && next.cls == CharClass::kDigit);
        if (joins) {
          pos += here.length + next.length;
          continue;
        }
      }
      return pos;
    }
  }

  size_t ScanNumber(size_t pos, bool* joined_to_word) const {
    for (;;) {
      const Peeked here = Peek(pos);
      if (here.cls == CharClass::kDigit) {
        pos += here.length;
        continue;
      }
      const Peeked next = Peek(pos + here.length);
      if (here.cls == CharClass::kHyphen && next.cls == CharClass::kLetter) {
        *joined_to_word = true;
        return ScanWordBody(pos);
      }
      const char c = here.length == 1 ? text_[pos] : '\0';
      if ((c == '.' || c == ',' || c == ':') && next.cls == CharClass::kDigit) {
        pos += 1;
        continue;
      }
      return pos;
    }
  }

  size_t ScanEmoji(size_t pos, CharClass first) const {
    pos += Peek(pos).length;
    if (first == CharClass::kRegionalIndicator) {
      const Peeked next = Peek(pos);
      return next.cls == CharClass::kRegionalIndicator ? pos + next.length : pos;
    }
    for (;;) {
      const Peeked here = Peek(pos);
      if (here.cls == CharClass::kEmojiModifier) {
        pos += here.length;
      } else if (here.cls == CharClass::kZeroWidthJoiner &&
                 Peek(pos + here.length).cls == CharClass::kEmoji) {
        pos += here.length + Peek(pos + here.length).length;
      } else {
        return pos;
      }
    }
  }

  // Returns the end of an emoticon starting at pos, or 0 when there is none. Only ASCII
  // faces are recognised; anything fancier is typed as an emoji today.
  size_t MatchEmoticon(size_t pos) const {
    const char c = text_[pos];
    const size_t size = text_.size();
    if (c == '<') {
      const bool heart = pos + 1 < size && text_[pos + 1] == '3' &&
                         Peek(pos + 2).cls != CharClass::kDigit;  // not "<30 min"
      return heart ? pos + 2 : 0;
    }
    if (c != ':' && c != ';' && c != '=') return 0;
    size_t mouth = pos + 1;
    if (mouth < size && (text_[mouth] == '-' || text_[mouth] == '\'')) ++mouth;
    if (mouth >= size) return 0;
    const char m = text_[mouth];
    size_t end = mouth + 1;
    if (m == ')' || m == '(') {
      while (end < size && text_[end] == m) ++end;
      return end;
    }
    // A letter mouth must not run on into a word (":dokumentti"), and ":/" must not be the
    // start of "http://". Nothing is required before the eyes: "kiitos:D" is a face.
    if (m == 'd' || m == 'D' || m == 'p' || m == 'P') {
      while (end < size && text_[end] == m) ++end;
    } else if (m != '/') {
      return 0;
    }
    const CharClass after = Peek(end).cls;
    if (after == CharClass::kLetter || after == CharClass::kDigit) return 0;
    if (m == '/' && end < size && text_[end] == '/') return 0;
    return end;
  }

  void Emit(size_t begin, size_t end, TokenKind kind) {
    if (sentence_break_pending_) {
      if (!tokens_.empty()) ++sentence_;
      sentence_break_pending_ = false;
    }
    Token& token = tokens_.emplace_back();
    token.text.assign(text_.data() + begin, end - begin);
    token.is_word = kind == TokenKind::kWord;
    token.is_number = kind == TokenKind::kNumber;
    token.is_emoji = kind == TokenKind::kEmoji;
    token.sentence = sentence_;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t sentence_ = 0;
  bool sentence_break_pending_ = false;
};

}  // namespace

namespace {

// The common case without utf8proc: text made only of ASCII, precomposed Latin-1 letters
// (ä ö å é ü …), general punctuation (’ – …), dingbats and emoji, none of which NFC changes
// and whose case folding is plain lower-casing. Returns false, leaving `out` unspecified,
// when anything else (or malformed UTF-8) appears: then utf8proc does the work.
bool FoldSimpleText(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      ++i;
    } else if (c == 0xC3 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0xBF) {
      unsigned char second = p[i + 1];
      // U+00C0–U+00DE upper case (but × U+00D7 and ß U+00DF, which folds to "ss").
      if (second == 0x9F) return false;
      if (second <= 0x9E && second != 0x97) second = static_cast<unsigned char>(second + 0x20);
      out.push_back(static_cast<char>(0xC3));
      out.push_back(static_cast<char>(second));
      i += 2;
    } else if (c == 0xC2 && i + 1 < n && p[i + 1] >= 0xA0 && p[i + 1] <= 0xBF && p[i + 1] != 0xB5) {
      out.append(in.substr(i, 2));  // Latin-1 symbols, except µ (folds to μ)
      i += 2;
    } else if (c == 0xE2 && i + 2 < n && ((p[i + 1] >= 0x80 && p[i + 1] <= 0x83) || (p[i + 1] >= 0x9C && p[i + 1] <= 0x9E)) &&
               (p[i + 2] & 0xC0) == 0x80) {
      out.append(in.substr(i, 3));  // U+2000–U+20FF punctuation and currency, U+2700–U+27BF dingbats
      i += 3;
    } else if (c == 0xEF && i + 2 < n && p[i + 1] == 0xB8 && p[i + 2] == 0x8F) {
      out.append(in.substr(i, 3));  // variation selector-16 (emoji presentation)
      i += 3;
    } else if (c == 0xF0 && i + 3 < n && p[i + 1] == 0x9F && (p[i + 2] & 0xC0) == 0x80 && (p[i + 3] & 0xC0) == 0x80) {
      out.append(in.substr(i, 4));  // U+1F000–U+1FFFF: emoji
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string NormalizeForMatching(std::string_view utf8) {
  {
    std::string folded;
    if (FoldSimpleText(utf8, folded)) return folded;
  }
  const std::string valid = ReplaceMalformedUtf8(utf8);
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t length = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(valid.data()),
      static_cast<utf8proc_ssize_t>(valid.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STABLE));
  const std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owner(mapped);
  // The input is valid by now, so failure means memory ran out; the repaired text unfolded
  // is a better answer than none.
  if (length < 0) return valid;
  return std::string(reinterpret_cast<const char*>(mapped), static_cast<size_t>(length));
}

std::vector<Token> Tokenize(std::string_view normalized) { return Tokenizer(normalized).Run(); }

}  // namespace mittari::text
