#include "text/stem.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "text/normalize.h"

namespace mittari::text {
namespace {

static_assert(!std::is_copy_constructible_v<Stemmer>);
static_assert(!std::is_copy_assignable_v<Stemmer>);
static_assert(std::is_nothrow_move_constructible_v<Stemmer>);
static_assert(std::is_nothrow_move_assignable_v<Stemmer>);

Stemmer MakeStemmer(TextLanguage language) {
  Result<Stemmer> stemmer = Stemmer::Create(language);
  EXPECT_TRUE(stemmer.ok()) << stemmer.status().ToString();
  return std::move(stemmer).value();
}

// The expected stems below are what libstemmer's Snowball algorithms produce (checked by
// running them); the point of each test is which forms share a stem.

TEST(Stemmer, FinnishInflectedFormsShareAStem) {
  const Stemmer stemmer = MakeStemmer(TextLanguage::kFi);
  EXPECT_EQ(stemmer.language(), TextLanguage::kFi);
  EXPECT_EQ(stemmer.Stem("lääkäri"), "lääkär");
  EXPECT_EQ(stemmer.Stem("lääkärin"), "lääkär");
  EXPECT_EQ(stemmer.Stem("lääkäriä"), "lääkär");
  EXPECT_EQ(stemmer.Stem("lääkärille"), "lääkär");
  EXPECT_EQ(stemmer.Stem("hoitaja"), stemmer.Stem("hoitajat"));
  EXPECT_EQ(stemmer.Stem("hoitaja"), stemmer.Stem("hoitajan"));
  // Consonant gradation is beyond Snowball: documented, not a goal.
  EXPECT_NE(stemmer.Stem("odotusaika"), stemmer.Stem("odotusajat"));
}

TEST(Stemmer, SwedishInflectedFormsShareAStem) {
  const Stemmer stemmer = MakeStemmer(TextLanguage::kSv);
  EXPECT_EQ(stemmer.Stem("sjuksköterska"), "sjukskötersk");
  EXPECT_EQ(stemmer.Stem("sjuksköterskor"), "sjukskötersk");
  EXPECT_EQ(stemmer.Stem("sjuksköterskorna"), "sjukskötersk");
  // Snowball's Swedish suffix list has no "-an", so the definite singular keeps it.
  EXPECT_EQ(stemmer.Stem("sjuksköterskan"), "sjuksköterskan");
  EXPECT_EQ(stemmer.Stem("väntetiden"), "väntetid");
  EXPECT_EQ(stemmer.Stem("väntetid"), "väntetid");
  EXPECT_EQ(stemmer.Stem("läkaren"), stemmer.Stem("läkare"));
}

TEST(Stemmer, EnglishInflectedFormsShareAStem) {
  const Stemmer stemmer = MakeStemmer(TextLanguage::kEn);
  EXPECT_EQ(stemmer.Stem("waiting"), "wait");
  EXPECT_EQ(stemmer.Stem("waited"), "wait");
  EXPECT_EQ(stemmer.Stem("nurses"), "nurs");
  EXPECT_EQ(stemmer.Stem("nurse"), "nurs");
  EXPECT_EQ(stemmer.Stem("doctors"), "doctor");
}

TEST(Stemmer, WorksOnNormalizedTokens) {
  const Stemmer stemmer = MakeStemmer(TextLanguage::kFi);
  std::vector<std::string> stems;
  // The second "lääkäriä" is decomposed: a + U+0308 for each "ä".
  const std::string text =
      "LÄÄKÄRIN ja la\xCC\x88"
      "a\xCC\x88"
      "ka\xCC\x88"
      "ria\xCC\x88";
  for (const Token& token : Tokenize(NormalizeForMatching(text))) {
    if (token.is_word) stems.push_back(stemmer.Stem(token.text));
  }
  EXPECT_EQ(stems, (std::vector<std::string>{"lääkär", "ja", "lääkär"}));
}

TEST(Stemmer, EmptyWord) {
  const Stemmer stemmer = MakeStemmer(TextLanguage::kEn);
  EXPECT_EQ(stemmer.Stem(""), "");
}

TEST(Stemmer, NoStemmerForOther) {
  const Result<Stemmer> stemmer = Stemmer::Create(TextLanguage::kOther);
  ASSERT_FALSE(stemmer.ok());
  EXPECT_EQ(stemmer.status().code(), StatusCode::kInvalidArgument);
}

TEST(Stemmer, MovesKeepTheStemmer) {
  Stemmer first = MakeStemmer(TextLanguage::kEn);
  Stemmer second = std::move(first);
  EXPECT_EQ(second.Stem("nurses"), "nurs");
  Stemmer third = MakeStemmer(TextLanguage::kFi);
  third = std::move(second);
  EXPECT_EQ(third.language(), TextLanguage::kEn);
  EXPECT_EQ(third.Stem("waiting"), "wait");
}

TEST(Stemmer, OneStemmerPerThread) {
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &mismatches] {
      const Stemmer stemmer = MakeStemmer(TextLanguage::kFi);
      for (int i = 0; i < 500; ++i) {
        if (stemmer.Stem(i % 2 == 0 ? "lääkärin" : "lääkäriä") != "lääkär") ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, (std::vector<int>{0, 0, 0, 0}));
}

}  // namespace
}  // namespace mittari::text
