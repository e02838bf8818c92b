// File: text/analyzer.h
//
// What a (redacted) comment is about and how it feels: its language, its themes from the
// fixed taxonomy (model/enums.h Theme; several may apply) and its sentiment (positive,
// negative, neutral, mixed).
//
// The words behind the themes and the sentiment live in data files that analysts extend
// without recompiling: data/lexicon/{fi,sv,en}.yaml, one per language:
//
//   themes:
//     waiting: [odot*, "*jono*", ajanvaraus, "pääsin heti"]
//   sentiment:
//     positive: {hyvä: 1, erinomai*: 2}
//     negative: {huono: 1, "en saanut": 1.5}
//     negators: [ei, en, inte, not]            # flip the next sentiment word in the clause
//     intensifiers: {tosi: 1.5, todella: 1.5}  # multiply the next sentiment word
//     contrast: [mutta, men, but]              # start a new clause
//
// A pattern is matched against the words of the comment after Unicode normalisation and
// case folding (text/normalize.h):
//   word        the word's Snowball stem equals the stem of `word` (inflections: lääkärin,
//               lääkäriä → lääkäri)
//   =word       exactly this word form, no stemming ("=care" but not "caring")
//   prefix*     the word starts with `prefix` (Finnish and Swedish compounds and forms:
//               odot* → odotin, odotusaika)
//   *part*      the word contains `part` anywhere (puhelinjono, väntetiden)
//   *suffix     the word ends with `suffix`
//   a b         consecutive words, each a pattern as above ("en saanut", "long wait")
//
// Sentiment: each clause (split at sentence ends and contrast words) sums its sentiment
// words; a negator up to three words before a sentiment word flips it (`ei ollut
// ystävällinen`, `inte bra`, `not helpful`), an intensifier just before it multiplies it.
// A comment with clearly positive and clearly negative clauses is mixed; otherwise the sign
// of the sum decides, and nothing found is neutral. Emoji count as words (":)", "👍").
//
// Thread-safe: a CommentAnalyzer is immutable after Load; Analyze may be called from many
// threads at once (each thread keeps its own stemmers and stem cache).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "model/enums.h"

namespace mittari::text {

struct CommentAnalysis {
  Language language = Language::kOther;
  double language_confidence = 0;
  ThemeSet themes = 0;
  Sentiment sentiment = Sentiment::kNeutral;
  double sentiment_score = 0;  // positive minus negative weight, for inspection
};

class CommentAnalyzer {
 public:
  // Loads data/lexicon/{fi,sv,en}.yaml and the language model (data/language/) from
  // `data_dir`. Returns InvalidArgument naming the file, line and problem for a bad lexicon
  // (unknown theme, a weight that is not a number, an empty pattern), NotFound for a missing
  // file.
  static Result<std::shared_ptr<const CommentAnalyzer>> Load(const std::string& data_dir);
  // The data directory: $MITTARI_DATA_DIR, else the source tree's data/ at build time.
  static std::string DefaultDataDir();
  // Load(DefaultDataDir()) once per process; later calls return the same analyzer.
  static Result<std::shared_ptr<const CommentAnalyzer>> Shared();

  ~CommentAnalyzer();
  CommentAnalyzer(const CommentAnalyzer&) = delete;
  CommentAnalyzer& operator=(const CommentAnalyzer&) = delete;

  // `hint`: the language the patient answered in, used for short comments.
  CommentAnalysis Analyze(std::string_view redacted_text, std::optional<Language> hint = std::nullopt) const;

 private:
  struct Impl;
  explicit CommentAnalyzer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mittari::text
