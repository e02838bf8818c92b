#include "text/normalize.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/utf8.h"

namespace mittari::text {
namespace {

// The token texts of `text`, for compact expectations.
std::vector<std::string> Texts(std::string_view text) {
  std::vector<std::string> texts;
  for (const Token& token : Tokenize(text)) texts.push_back(token.text);
  return texts;
}

using Strings = std::vector<std::string>;

// --- NormalizeForMatching ---------------------------------------------------------------------

TEST(NormalizeForMatching, CaseAndCompositionMeet) {
  const std::string expected = "\xC3\xA4iti";  // "äiti" with precomposed U+00E4
  EXPECT_EQ(NormalizeForMatching("ÄITI"), expected);
  EXPECT_EQ(NormalizeForMatching("äiti"), expected);
  EXPECT_EQ(NormalizeForMatching("a\xCC\x88iti"), expected);  // a + U+0308 combining diaeresis
  EXPECT_EQ(NormalizeForMatching("A\xCC\x88ITI"), expected);
}

TEST(NormalizeForMatching, FoldsSwedishAndEnglishAndSharpS) {
  EXPECT_EQ(NormalizeForMatching("SJUKSKÖTERSKAN Åsa"), "sjuksköterskan åsa");
  EXPECT_EQ(NormalizeForMatching("The NURSE"), "the nurse");
  EXPECT_EQ(NormalizeForMatching("Straße"), "strasse");  // full folding, not lower-casing
}

TEST(NormalizeForMatching, KeepsEverythingElse) {
  EXPECT_EQ(NormalizeForMatching(""), "");
  EXPECT_EQ(NormalizeForMatching("9/10 :) 👍"), "9/10 :) 👍");
  EXPECT_EQ(NormalizeForMatching("klo 14.30\n– ok"), "klo 14.30\n– ok");
  const std::string with_nul("a\0b", 3);
  EXPECT_EQ(NormalizeForMatching(with_nul), with_nul);
}

TEST(NormalizeForMatching, ReplacesMalformedBytes) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(NormalizeForMatching("a\xFF"
                                 "b"),
            "a" + fffd + "b");
  EXPECT_EQ(NormalizeForMatching("\x80"), fffd);                        // lone continuation
  EXPECT_EQ(NormalizeForMatching("hyv\xC3"), "hyv" + fffd);             // truncated at end
  EXPECT_EQ(NormalizeForMatching("\xC0\xAF"), fffd + fffd);             // overlong "/"
  EXPECT_EQ(NormalizeForMatching("\xED\xA0\x80"), fffd + fffd + fffd);  // UTF-16 surrogate
  EXPECT_EQ(NormalizeForMatching("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // > U+10FFFF
  // The rest of the text is still normalised.
  EXPECT_EQ(NormalizeForMatching("\xFFÄITI"), fffd + "\xC3\xA4iti");
}

TEST(NormalizeForMatching, ResultIsAlwaysValidUtf8) {
  const std::string_view samples[] = {"\xFF\xFE", "\xE2\x82", "ok\xE2\x82\xAC\xE2", "\xF0\x9F\x91",
                                      "a\xCC\x88\xC3"};
  for (std::string_view sample : samples) {
    EXPECT_TRUE(IsValidUtf8(NormalizeForMatching(sample))) << sample;
  }
}

// --- Tokenize: words and numbers ----------------------------------------------------------

TEST(Tokenize, WordsOfAnyScript) {
  EXPECT_EQ(Texts("hoitaja oli ystävällinen"), (Strings{"hoitaja", "oli", "ystävällinen"}));
  EXPECT_EQ(Texts("спасибо, 谢谢"), (Strings{"спасибо", "谢谢"}));
  // A combining mark stays inside its word even when the text was not normalised.
  EXPECT_EQ(Texts("a\xCC\x88iti tuli"), (Strings{"a\xCC\x88iti", "tuli"}));
  const std::vector<Token> tokens = Tokenize("hyvä");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_TRUE(tokens[0].is_word);
  EXPECT_FALSE(tokens[0].is_number);
  EXPECT_FALSE(tokens[0].is_emoji);
  EXPECT_EQ(tokens[0].sentence, 0u);
}

TEST(Tokenize, ApostrophesAndHyphensInsideWords) {
  EXPECT_EQ(Texts("don't e-palvelu covid-19"), (Strings{"don't", "e-palvelu", "covid-19"}));
  EXPECT_EQ(Texts("don\xE2\x80\x99t"), (Strings{"don\xE2\x80\x99t"}));  // U+2019
  EXPECT_EQ(Texts("rock'n'roll x-ray"), (Strings{"rock'n'roll", "x-ray"}));
  // Not between letters: a separator.
  EXPECT_EQ(Texts("kids' 'quoted' -ok- lääkäri- ja hoitajakäynnit"),
            (Strings{"kids", "quoted", "ok", "lääkäri", "ja", "hoitajakäynnit"}));
  EXPECT_EQ(Texts("a--b a - b"), (Strings{"a", "b", "a", "b"}));
  // An en dash is a range or a pause, not a hyphen.
  EXPECT_EQ(Texts("ma\xE2\x80\x93pe"), (Strings{"ma", "pe"}));
}

TEST(Tokenize, LettersThenDigitsAreOneWord) {
  const std::vector<Token> tokens = Tokenize("covid19 b12");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].text, "covid19");
  EXPECT_TRUE(tokens[0].is_word);
  EXPECT_EQ(tokens[1].text, "b12");
}

TEST(Tokenize, Numbers) {
  const std::vector<Token> tokens = Tokenize("9/10, klo 14.30 tai 14:30, 2,5 h, 12.3.2024");
  Strings texts;
  for (const Token& token : tokens) {
    texts.push_back(token.text);
    if (token.text != "klo" && token.text != "tai" && token.text != "h") {
      EXPECT_TRUE(token.is_number) << token.text;
      EXPECT_FALSE(token.is_word) << token.text;
    }
    EXPECT_EQ(token.sentence, 0u) << "times and dates do not end a sentence: " << token.text;
  }
  EXPECT_EQ(texts, (Strings{"9", "10", "klo", "14.30", "tai", "14:30", "2,5", "h", "12.3.2024"}));
}

TEST(Tokenize, NumberJoinedToWordByHyphen) {
  const std::vector<Token> tokens = Tokenize("5-vuotias 2kk 3-4");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].text, "5-vuotias");
  EXPECT_TRUE(tokens[0].is_word);
  EXPECT_FALSE(tokens[0].is_number);
  EXPECT_EQ(tokens[1].text, "2");
  EXPECT_TRUE(tokens[1].is_number);
  EXPECT_EQ(tokens[2].text, "kk");
  EXPECT_TRUE(tokens[2].is_word);
  EXPECT_EQ(tokens[3].text, "3");
  EXPECT_EQ(tokens[4].text, "4");
}

// --- Tokenize: emoji and emoticons -----------------------------------------------------------

TEST(Tokenize, Emoji) {
  const std::string_view samples[] = {
      "👍",
      "👍🏽",            // skin tone
      "❤️",              // U+2764 U+FE0F
      "👨‍👩‍👧",  // zero-width-joiner family
      "🇫🇮",                  // flag: two regional indicators
      "\xE2\x98\xBA",        // U+263A, So below the emoji blocks
  };
  for (std::string_view sample : samples) {
    const std::vector<Token> tokens = Tokenize(sample);
    ASSERT_EQ(tokens.size(), 1u) << sample;
    EXPECT_EQ(tokens[0].text, sample);
    EXPECT_TRUE(tokens[0].is_emoji) << sample;
    EXPECT_FALSE(tokens[0].is_word) << sample;
  }
  EXPECT_EQ(Texts("👍👍 kiitos🙂"), (Strings{"👍", "👍", "kiitos", "🙂"}));
  EXPECT_EQ(Texts("🇫🇮🇸🇪"), (Strings{"🇫🇮", "🇸🇪"}));
}

TEST(Tokenize, SymbolsThatAreNotEmoji) {
  EXPECT_EQ(Texts("20 °C © ® 5 €"), (Strings{"20", "C", "5"}));
}

TEST(Tokenize, Emoticons) {
  const std::string_view faces[] = {":)", ":(", ":D", ":d", ";)",   "<3",  ":-)", ":')",
                                    ":P", ":p", "=)", ":/", ":)))", ":DD", ":-("};
  for (std::string_view face : faces) {
    const std::vector<Token> tokens = Tokenize(face);
    ASSERT_EQ(tokens.size(), 1u) << face;
    EXPECT_EQ(tokens[0].text, face);
    EXPECT_TRUE(tokens[0].is_emoji) << face;
  }
  EXPECT_EQ(Texts("kiitos:D hyvä :) <3"), (Strings{"kiitos", ":D", "hyvä", ":)", "<3"}));
}

TEST(Tokenize, LookAlikesOfEmoticonsAreNot) {
  EXPECT_EQ(Texts("http://example.fi"), (Strings{"http", "example", "fi"}));
  for (const Token& token : Tokenize("http://example.fi :dokumentti <30 min 14:30 c:/x2")) {
    EXPECT_FALSE(token.is_emoji) << token.text;
  }
}

// --- Tokenize: sentences ----------------------------------------------------------------------

TEST(Tokenize, SentencesEndAtPunctuationAndLineBreaks) {
  const std::vector<Token> tokens =
      Tokenize("Eka. Toka? Kolmas! Neljäs\nviides\r\nkuudes… seitsemäs");
  ASSERT_EQ(tokens.size(), 7u);
  for (size_t i = 0; i < tokens.size(); ++i) EXPECT_EQ(tokens[i].sentence, i) << tokens[i].text;
}

TEST(Tokenize, RunsOfTerminatorsCountOnce) {
  const std::vector<Token> tokens = Tokenize("...Hyvä!!! Kiitos?!\n\n\nMoi.");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].sentence, 0u);  // nothing before the first word opens a sentence
  EXPECT_EQ(tokens[1].sentence, 1u);
  EXPECT_EQ(tokens[2].sentence, 2u);
}

TEST(Tokenize, EmojiBelongToTheirSentence) {
  const std::vector<Token> tokens = Tokenize("Kiitos! 👍 Hyvä :)");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].sentence, 0u);
  EXPECT_EQ(tokens[1].sentence, 1u);
  EXPECT_EQ(tokens[2].sentence, 1u);
  EXPECT_EQ(tokens[3].sentence, 1u);
}

// --- Tokenize: robustness -------------------------------------------------------------------

TEST(Tokenize, EmptyAndSeparatorsOnly) {
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize(" ,.;!? \n\t-–—\"'()").empty());
}

TEST(Tokenize, MalformedBytesSeparate) {
  EXPECT_EQ(Texts("ab\xFF"
                  "cd \xE2\x82"),
            (Strings{"ab", "cd"}));
  EXPECT_EQ(Texts("\xF0\x9F\x91"), Strings{});  // truncated emoji
  EXPECT_EQ(Texts("ok :"), (Strings{"ok"}));    // eyes at the very end
  EXPECT_EQ(Texts("x <"), (Strings{"x"}));
}

TEST(Tokenize, NormalizedInputEndToEnd) {
  const std::vector<Token> tokens =
      Tokenize(NormalizeForMatching("HOITAJA oli IHANA :D Kiitos E-PALVELUSTA!"));
  Strings texts;
  for (const Token& token : tokens) texts.push_back(token.text);
  EXPECT_EQ(texts, (Strings{"hoitaja", "oli", "ihana", ":d", "kiitos", "e-palvelusta"}));
  EXPECT_TRUE(tokens[3].is_emoji);
}

}  // namespace
}  // namespace mittari::text
