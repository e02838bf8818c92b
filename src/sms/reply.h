// File: sms/reply.h
//
// Reading a patient's SMS answer to "How likely would you recommend us, 0-10?". People answer
// as they like: "9", "8/10", "Annan 7", "9 kiitos hyvästä hoidosta", "STOP". The first whole
// number in the message is the score; whatever else they wrote is kept as the comment, with
// the punctuation that only tied it to the number ("9, ..." or "9!") dropped.
//
// A message that is doubtful is never guessed at: a number outside 0-10, a decimal ("7,5"), a
// negative number or an empty message is kInvalid with a `problem` for the log, so that the
// caller can ask again rather than store a score the patient did not give. Opt-out words
// (STOP, LOPETA, SLUTA) count only when they are the whole message, so a comment such as "stop
// making people wait, 4" stays a score.
//
// Thread-safe (pure function).
#pragma once

#include <string>
#include <string_view>

namespace mittari::sms {

enum class ReplyKind {
  kScore,     // `score` is 0-10; `comment` may be empty
  kOptOut,    // the patient wants no more survey messages
  kTextOnly,  // no number at all; `comment` is the text
  kInvalid,   // `problem` says why
};

struct ParsedReply {
  ReplyKind kind = ReplyKind::kInvalid;
  int score = -1;       // set only for kScore
  std::string comment;  // UTF-8 exactly as the patient wrote it, minus the score
  std::string problem;  // set only for kInvalid
};

ParsedReply ParseReply(std::string_view utf8_text);

}  // namespace mittari::sms
