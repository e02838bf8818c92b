// File: demo/comments.h
//
// Free-text comments for demo answers: short, realistic, in the answer's language, with a tone
// that fits the score (praise from promoters, complaints from detractors, "good, but ..." from
// passives) and about what patients really write about: staff friendliness, professional
// skill, the care itself, information and instructions, waiting, facilities and food, and
// digital services. Each comment is assembled from fragments, so a few hundred fragments give
// many thousands of distinct texts. About 1% of comments carry personal data (a phone number,
// an e-mail address or a Finnish personal identity code), because real ones do and the ingest
// pipeline's redaction has to be exercised.
//
// Internal to src/demo. Thread-safe: pure functions over constant tables and the caller's Rng.
#pragma once

#include <string>

#include "demo/profile.h"
#include "demo/random.h"
#include "model/enums.h"

namespace mittari::demo::internal {

// The share of comments that carry personal data.
inline constexpr double kPersonalDataShare = 0.01;

// Replaces `out` with a comment in `language` (kFi, kSv or kEn; anything else is written in
// Finnish) for an answer with `score` 0..10 to a unit whose staff class is `staff`. `emergency`
// makes waiting a more likely subject. Reuses out's capacity.
void WriteComment(Rng& rng, Language language, int score, StaffClass staff, bool emergency,
                  std::string& out);

}  // namespace mittari::demo::internal
