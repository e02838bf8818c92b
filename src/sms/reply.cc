#include "sms/reply.h"

#include <fmt/format.h>

#include <array>

#include "common/utf8.h"

namespace mittari::sms {
namespace {

constexpr int kMaxScore = 10;
constexpr std::array<std::string_view, 3> kOptOutWords = {"stop", "lopeta", "sluta"};
// A hyphen or an en dash between two numbers makes a range ("7-8", "7–8").
constexpr std::array<std::string_view, 2> kRangeDashes = {"-", "\u2013"};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// What people put between the score and the comment: "9, kiitos", "9 - kiitos", "9!".
bool IsSeparator(char c) {
  return c == ',' || c == '.' || c == '!' || c == '-' || c == ':' || c == ';';
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// ":)", ";-)", ":D", ":(((" start with separator characters but are the comment itself
// ("10 :)"), so trimming must stop at them.
bool StartsWithEmoticon(std::string_view s) {
  size_t i = 0;
  if (i >= s.size() || (s[i] != ':' && s[i] != ';')) return false;
  ++i;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return false;
  char mouth = s[i];
  if (mouth != ')' && mouth != '(' && mouth != 'D' && mouth != 'P' && mouth != 'p') return false;
  // ":Palvelu" is a separator before a word, not a face.
  return i + 1 == s.size() || !IsLetter(s[i + 1]);
}

std::string_view TrimSpaceAndSeparators(std::string_view s) {
  while (!s.empty() && (IsSpace(s.front()) || IsSeparator(s.front())) && !StartsWithEmoticon(s)) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (IsSpace(s.back()) || IsSeparator(s.back()))) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoringAsciiCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// "STOP", "stop", "Lopeta.", "SLUTA!": the whole message, so that a comment mentioning the
// word is not taken as an opt-out.
bool IsOptOut(std::string_view trimmed) {
  while (!trimmed.empty() && (trimmed.back() == '.' || trimmed.back() == '!' ||
                              trimmed.back() == '?' || IsSpace(trimmed.back()))) {
    trimmed.remove_suffix(1);
  }
  for (std::string_view word : kOptOutWords) {
    if (EqualsIgnoringAsciiCase(trimmed, word)) return true;
  }
  return false;
}

size_t DigitRunEnd(std::string_view text, size_t start) {
  while (start < text.size() && IsDigit(text[start])) ++start;
  return start;
}

ParsedReply Invalid(std::string problem) {
  ParsedReply reply;
  reply.kind = ReplyKind::kInvalid;
  reply.problem = std::move(problem);
  return reply;
}

// The digits' value, or kMaxScore + 1 for anything larger (a long run must not overflow).
int ValueUpToLimit(std::string_view digits) {
  int value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
    if (value > kMaxScore) return kMaxScore + 1;
  }
  return value;
}

}  // namespace

ParsedReply ParseReply(std::string_view utf8_text) {
  if (!IsValidUtf8(utf8_text)) return Invalid("the message is not valid UTF-8");
  std::string_view text = TrimSpace(utf8_text);
  if (text.empty()) return Invalid("empty message");
  if (IsOptOut(text)) {
    ParsedReply reply;
    reply.kind = ReplyKind::kOptOut;
    return reply;
  }

  size_t start = 0;
  while (start < text.size() && !IsDigit(text[start])) ++start;
  if (start == text.size()) {
    ParsedReply reply;
    reply.kind = ReplyKind::kTextOnly;
    reply.comment = std::string(text);
    return reply;
  }
  size_t end = DigitRunEnd(text, start);
  std::string_view number = text.substr(start, end - start);
  std::string_view after = text.substr(end);

  // Each of these is a number the patient did give, but not as a 0-10 score; guessing which
  // score they meant would put words in their mouth, so the caller asks again.
  if (after.size() >= 2 && (after[0] == ',' || after[0] == '.') && IsDigit(after[1])) {
    size_t fraction_end = DigitRunEnd(text, end + 1);
    return Invalid(fmt::format("{} is not a whole number from 0 to 10",
                               text.substr(start, fraction_end - start)));
  }
  bool minus_in_front =
      start >= 1 && text[start - 1] == '-' && (start == 1 || IsSpace(text[start - 2]));
  if (minus_in_front) return Invalid(fmt::format("-{} is not a score from 0 to 10", number));
  for (std::string_view dash : kRangeDashes) {
    if (after.size() > dash.size() && after.starts_with(dash) && IsDigit(after[dash.size()])) {
      size_t second_end = DigitRunEnd(text, end + dash.size());
      return Invalid(fmt::format("{} is a range; the reply needs one score from 0 to 10",
                                 text.substr(start, second_end - start)));
    }
  }
  if (after.size() >= 2 && after[0] == '/' && IsDigit(after[1])) {
    size_t scale_end = DigitRunEnd(text, end + 1);
    std::string_view scale = text.substr(end + 1, scale_end - end - 1);
    if (scale != "10") {
      // "4/5" is a score on some other scale.
      return Invalid(
          fmt::format("{} is not a score from 0 to 10", text.substr(start, scale_end - start)));
    }
    after = text.substr(scale_end);  // "8/10" is just 8
  }
  int score = ValueUpToLimit(number);
  if (score > kMaxScore) return Invalid(fmt::format("{} is not a score from 0 to 10", number));

  // Text on both sides ("Annan 7 koska hoito oli hyvää") joins with one space; punctuation
  // that only tied the number to the text ("9, ", "9!") goes, punctuation inside stays.
  std::string_view before = TrimSpace(text.substr(0, start));
  std::string_view rest = TrimSpaceAndSeparators(after);
  std::string joined(before);
  if (!joined.empty() && !rest.empty()) joined += ' ';
  joined += rest;

  ParsedReply reply;
  reply.kind = ReplyKind::kScore;
  reply.score = score;
  reply.comment = std::string(TrimSpaceAndSeparators(joined));
  return reply;
}

}  // namespace mittari::sms
