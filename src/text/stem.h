// File: text/stem.h
//
// Reduces inflected words to a common stem so that comment analytics counts "lääkäri",
// "lääkärin" and "lääkäriä" (or "nurse" and "nurses") as one word. A thin wrapper around the
// Snowball stemmers of libstemmer, which are small, fast, rule-based and well studied for
// Finnish, Swedish and English; their stems are not dictionary words ("lääkär", "nurs") and
// are meant for counting and matching, never for display.
//
// Snowball stems one inflected form at a time, so not every form of a word meets: Swedish
// definite singulars in "-an" keep their ending ("sjuksköterskan" stays as it is, while
// "sjuksköterska", "sjuksköterskor" and "sjuksköterskorna" become "sjukskötersk"), and
// Finnish consonant gradation splits stems ("odotusaika" -> "odotusaik", "odotusajat" ->
// "odotusaj").
//
// Thread-compatible: one Stemmer per thread. A Stemmer reuses libstemmer's internal buffer,
// so even the const Stem must not be called on the same object from two threads at once.
// Separate Stemmer objects are independent.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "text/language.h"

struct sb_stemmer;  // libstemmer's handle, kept out of this header

namespace mittari::text {

class Stemmer {
 public:
  // Returns a stemmer for Finnish, Swedish or English. kOther is InvalidArgument (there is no
  // stemmer for "any other language"; callers count such words unstemmed).
  static Result<Stemmer> Create(TextLanguage language);

  Stemmer(Stemmer&&) noexcept = default;
  Stemmer& operator=(Stemmer&&) noexcept = default;
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  ~Stemmer() = default;
  // A moved-from Stemmer may only be assigned to or destroyed.

  TextLanguage language() const { return language_; }

  // Returns the stem of one word, which should come from NormalizeForMatching and Tokenize
  // (Snowball expects folded case, and valid UTF-8). An empty word gives an empty stem; should
  // libstemmer run out of memory, the word comes back unchanged.
  std::string Stem(std::string_view normalized_word) const;

 private:
  struct Deleter {
    void operator()(sb_stemmer* stemmer) const;
  };

  Stemmer(TextLanguage language, std::unique_ptr<sb_stemmer, Deleter> stemmer)
      : language_(language), stemmer_(std::move(stemmer)) {}

  TextLanguage language_;
  std::unique_ptr<sb_stemmer, Deleter> stemmer_;
};

}  // namespace mittari::text
