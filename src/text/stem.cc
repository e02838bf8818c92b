#include "text/stem.h"

#include <fmt/format.h>
#include <libstemmer.h>

#include <climits>

namespace mittari::text {

void Stemmer::Deleter::operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }

Result<Stemmer> Stemmer::Create(TextLanguage language) {
  const char* algorithm = nullptr;
  switch (language) {
    case TextLanguage::kFi:
      algorithm = "finnish";
      break;
    case TextLanguage::kSv:
      algorithm = "swedish";
      break;
    case TextLanguage::kEn:
      algorithm = "english";
      break;
    case TextLanguage::kOther:
      return InvalidArgumentError(
          "no stemmer for language 'other': only fi, sv and en text can be stemmed");
  }
  // libstemmer spells the encoding "UTF_8"; "UTF-8" would fail.
  std::unique_ptr<sb_stemmer, Deleter> stemmer(sb_stemmer_new(algorithm, "UTF_8"));
  if (stemmer == nullptr) {
    // Either the library was built without the algorithm or memory ran out.
    return UnavailableError(fmt::format("libstemmer could not create the {} stemmer", algorithm));
  }
  return Stemmer(language, std::move(stemmer));
}

std::string Stemmer::Stem(std::string_view normalized_word) const {
  // sb_stemmer_stem takes an int length; no word is anywhere near that long.
  if (normalized_word.empty() || normalized_word.size() > INT_MAX) {
    return std::string(normalized_word);
  }
  const sb_symbol* stem =
      sb_stemmer_stem(stemmer_.get(), reinterpret_cast<const sb_symbol*>(normalized_word.data()),
                      static_cast<int>(normalized_word.size()));
  if (stem == nullptr) return std::string(normalized_word);
  // The result lives in the stemmer's buffer until the next call: copy it out now.
  return std::string(reinterpret_cast<const char*>(stem),
                     static_cast<size_t>(sb_stemmer_length(stemmer_.get())));
}

}  // namespace mittari::text
