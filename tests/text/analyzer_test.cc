// The comment analyser's rules on small examples, and its lexicon loading errors.
#include "text/analyzer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "text/normalize.h"

namespace mittari::text {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("MITTARI_SOURCE_DIR");
  return dir ? dir : MITTARI_TEST_SOURCE_DIR;
}

const CommentAnalyzer& Analyzer() {
  static std::shared_ptr<const CommentAnalyzer> analyzer = [] {
    auto loaded = CommentAnalyzer::Load(SourceDir() + "/data");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return loaded.ok() ? *loaded : nullptr;
  }();
  return *analyzer;
}

TEST(CommentAnalyzer, NegationTurnsPraiseIntoComplaint) {
  EXPECT_EQ(Analyzer().Analyze("Hoitaja oli ystävällinen").sentiment, Sentiment::kPositive);
  EXPECT_EQ(Analyzer().Analyze("Hoitaja ei ollut ystävällinen").sentiment, Sentiment::kNegative);
  EXPECT_EQ(Analyzer().Analyze("Bemötandet var inte bra").sentiment, Sentiment::kNegative);
  EXPECT_EQ(Analyzer().Analyze("The nurse was not helpful").sentiment, Sentiment::kNegative);
  EXPECT_EQ(Analyzer().Analyze("En saanut mitään tietoa jatkosta").sentiment, Sentiment::kNegative);
  // "not bad" is mildly good, not bad.
  EXPECT_NE(Analyzer().Analyze("The food was not bad").sentiment, Sentiment::kNegative);
}

TEST(CommentAnalyzer, IntensifiersAndContrastGiveStrengthAndMixedFeelings) {
  CommentAnalysis plain = Analyzer().Analyze("hyvä hoito");
  CommentAnalysis strong = Analyzer().Analyze("tosi hyvä hoito");
  EXPECT_EQ(strong.sentiment, Sentiment::kPositive);
  EXPECT_GT(strong.sentiment_score, plain.sentiment_score);
  EXPECT_EQ(Analyzer().Analyze("Great care, terrible food").sentiment, Sentiment::kMixed);
  EXPECT_EQ(Analyzer().Analyze("Väldigt trevlig personal men lång väntan").sentiment, Sentiment::kMixed);
  EXPECT_EQ(Analyzer().Analyze("Kävin verikokeessa").sentiment, Sentiment::kNeutral);
}

TEST(CommentAnalyzer, SeveralThemesFromInflectedAndCompoundWords) {
  CommentAnalysis a = Analyzer().Analyze("Odotusaika oli pitkä ja pysäköintihalli täynnä, mutta lääkäri oli ammattitaitoinen");
  EXPECT_EQ(a.language, Language::kFi);
  EXPECT_TRUE(HasTheme(a.themes, Theme::kWaiting));
  EXPECT_TRUE(HasTheme(a.themes, Theme::kFacilities));
  EXPECT_TRUE(HasTheme(a.themes, Theme::kProfessionalSkill));
  EXPECT_FALSE(HasTheme(a.themes, Theme::kDigital));
  CommentAnalysis sv = Analyzer().Analyze("Tidsbokningen på nätet fungerade smidigt");
  EXPECT_EQ(sv.language, Language::kSv);
  EXPECT_TRUE(HasTheme(sv.themes, Theme::kDigital));
  EXPECT_EQ(Analyzer().Analyze("kiitos").themes, 0);
}

TEST(CommentAnalyzer, ShortCommentsFollowTheAnswersLanguage) {
  EXPECT_EQ(Analyzer().Analyze("ok", Language::kSv).language, Language::kSv);
  EXPECT_EQ(Analyzer().Analyze("ok", Language::kFi).language, Language::kFi);
  EXPECT_EQ(Analyzer().Analyze("👍👍").sentiment, Sentiment::kPositive);
}

TEST(Normalize, TheFastPathFoldsLikeUtf8proc) {
  // A trailing ß forces the general path (it folds to "ss"); what comes before must be the same.
  for (const char* text : {"ÄITI Öljy Åbo", "Ça va, ÉLÈVE Ünal", "Kiitos! 👍❤️ – “hyvä” …", "ÆØÅ æøå Þ ð",
                           "Tack 😀😃 så mycket", "A × B ÷ C", "plain ASCII TEXT 123"}) {
    std::string fast = NormalizeForMatching(text);
    std::string slow = NormalizeForMatching(std::string(text) + "ß");
    ASSERT_GE(slow.size(), 2u);
    EXPECT_EQ(fast, slow.substr(0, slow.size() - 2)) << text;
  }
  EXPECT_EQ(NormalizeForMatching("ÄITI"), "äiti");
  EXPECT_EQ(NormalizeForMatching("a\u0308iti"), "äiti");  // decomposed input is composed
}

TEST(LexiconLoading, ErrorsNameTheFileLineAndProblem) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("mittari_lexicon_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "lexicon");
  std::filesystem::copy(SourceDir() + "/data/language", dir / "language");
  for (const char* l : {"sv", "en"}) {
    std::filesystem::copy_file(SourceDir() + "/data/lexicon/" + l + ".yaml", dir / "lexicon" / (std::string(l) + ".yaml"));
  }
  auto write_fi = [&](const std::string& text) { std::ofstream(dir / "lexicon" / "fi.yaml") << text; };
  write_fi("themes:\n  waiting: [odot*]\n  parking: [parkki*]\n");
  auto bad = CommentAnalyzer::Load(dir.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("fi.yaml:3"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("unknown theme 'parking'"), std::string::npos) << bad.status().message();
  write_fi("sentiment:\n  positive:\n    hyvä: lots\n");
  bad = CommentAnalyzer::Load(dir.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("fi.yaml:3"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("must be a number"), std::string::npos) << bad.status().message();
  // An analyst's new word works without recompiling.
  write_fi("themes:\n  digital: [kantapalvelu*]\nsentiment:\n  positive:\n    loistava: 2\n");
  auto good = CommentAnalyzer::Load(dir.string());
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  CommentAnalysis a = (*good)->Analyze("Kantapalvelussa kaikki näkyi, loistava", Language::kFi);
  EXPECT_TRUE(HasTheme(a.themes, Theme::kDigital));
  EXPECT_EQ(a.sentiment, Sentiment::kPositive);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mittari::text
