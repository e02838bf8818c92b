// File: text/language.h
//
// Tells which language a patient comment is written in: Finnish, Swedish, English, or none of
// them. Comment analytics needs this to choose a stemmer and word lists, and the language a
// patient picked on the form is only a hint: Swedish speakers answer a Finnish form in Swedish
// and vice versa, and many answer in English.
//
// Why this approach: comments are short (median a sentence or two, many a word or two) and
// come in three languages only, so a small model of our own beats a general identifier both
// in size and in how easily its behaviour can be explained. The model has two parts:
//  - A naive Bayes classifier over character n-grams of orders 1 to 3, with word-boundary
//    markers (so " ja " and "ää " are features). Character n-grams need little training text,
//    survive misspellings and inflection, and Finnish, Swedish and English differ sharply in
//    them ("ää", "yy", "sj", "th", "å"). Probabilities are add-alpha smoothed counts from the
//    training text in <data_dir>/language/{fi,sv,en}.txt (plain sentences written for this
//    purpose, one a line; lines starting with "#" are comments).
//  - A vote of function words ("että", "och", "the", ...), which carry the decision for very
//    short texts where the n-grams say little.
// "Other" covers texts without letters (emoji, numbers), mostly non-Latin script, and Latin
// text of 12 letters or more that fits none of the three: a floor on how well the best
// language explains the text, combining the share of its trigrams seen in that language's
// training text, its lead in log-likelihood over the runner-up, and letters none of the three
// writes (ü õ ñ ł ...). The average log-likelihood alone was no use as a floor: German and
// Dutch score like a Finnish sentence full of rare words. The floor is set low on purpose,
// since a Finnish comment called "other" drops out of the analysis. Limits, measured on
// sentences written for tuning: about half of one-sentence comments in other European
// languages come out as "other" (nearly all with letters like õ ü ł ç ó); most Dutch and
// accent-free German come out as English or Swedish, Norwegian and Danish as Swedish, and
// short Estonian such as "Tänan väga" (where "väga" is also a Swedish word) as Finnish or
// Swedish. Texts under 12 letters are never judged foreign.
//
// LoadLanguageModel builds a model and installs it for the whole process; a model never
// changes once built, and building one takes about 5 ms. Identification costs one
// normalisation of the text and one hash lookup per n-gram, with no allocation per n-gram:
// about 3 microseconds for a one-sentence comment in an optimised build.
//
// Thread-safe: IdentifyLanguage may be called from any number of threads, also while
// LoadLanguageModel replaces the model (each call uses whichever model it started with).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace mittari::text {

// The languages the text library tells apart. Kept separate from the domain model's language
// so that this library depends on nothing but mittari_common.
enum class TextLanguage { kFi, kSv, kEn, kOther };

// "fi", "sv", "en" or "other".
std::string_view TextLanguageCode(TextLanguage language);

struct LanguageGuess {
  TextLanguage language = TextLanguage::kOther;
  // How sure the guess is, from 0 to 1. Texts of a sentence or more are usually above 0.95;
  // texts of under a dozen letters without a hint stay at or below 0.5, since a word or two
  // ("ok", "super") can be several languages at once.
  double confidence = 0.0;
};

// Builds the process-wide model from <data_dir>/language/{fi,sv,en}.txt and installs it,
// replacing any earlier one. Fails, leaving the earlier model in place, when a file is
// missing, unreadable, not UTF-8, or has fewer than 50 sentences.
Status LoadLanguageModel(const std::string& data_dir);

// Whether LoadLanguageModel has succeeded in this process.
bool LanguageModelLoaded();

// Where Mittari's data files live: $MITTARI_DATA_DIR when set and non-empty, otherwise the
// directory fixed at build time (the source tree's data/).
std::string DefaultDataDir();

// Returns the language of `text` (any UTF-8; malformed bytes are tolerated).
// `hint` is the language the writer chose, if known. For texts of under 12 letters the hint
// decides unless the text itself says otherwise (a function word or spelling that belongs to
// one language only: "tack", "the", "å", "ää"); for longer texts it only tips close calls.
// Texts without letters are kOther whatever the hint.
// Without a loaded model the answer is the hint (or kOther) with confidence 0.
LanguageGuess IdentifyLanguage(std::string_view text,
                               std::optional<TextLanguage> hint = std::nullopt);

}  // namespace mittari::text
