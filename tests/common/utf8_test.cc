#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace mittari {
namespace {

using namespace std::string_view_literals;

TEST(Utf8, AcceptsEmptyAndAscii) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Hoitaja oli ystävällinen"));
  EXPECT_TRUE(IsValidUtf8("plain ascii that is longer than eight bytes, several times over"));
  EXPECT_TRUE(IsValidUtf8("nul \0 is a code point"sv));
}

TEST(Utf8, AcceptsMultiByteCharacters) {
  EXPECT_TRUE(IsValidUtf8("ä ö å Ä Ö Å"));
  EXPECT_TRUE(IsValidUtf8("€"));                 // three bytes
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600, four bytes
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));      // U+E000, just above them
}

TEST(Utf8, AcceptsMultiByteCharacterAfterLongAsciiRun) {
  // The eight-byte fast path must hand over to the decoder at any alignment.
  for (size_t prefix = 0; prefix < 20; ++prefix) {
    std::string text(prefix, 'a');
    text += "ö\xF0\x9F\x98\x80";
    EXPECT_TRUE(IsValidUtf8(text)) << prefix;
    text += '\xC3';
    EXPECT_FALSE(IsValidUtf8(text)) << prefix;
  }
}

TEST(Utf8, RejectsOverlongEncodings) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));  // '/' in two bytes
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST(Utf8, RejectsSurrogates) {
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // U+D800
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));  // U+DFFF
  // A CESU-8 style surrogate pair for U+1F600.
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\xBD\xED\xB8\x80"));
}

TEST(Utf8, RejectsCodePointsAboveMaximum) {
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xF8\x88\x80\x80\x80"));  // old five-byte form
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Utf8, RejectsTruncatedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));        // € missing its last byte
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));       // emoji missing its last byte
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98 rest"));  // ...followed by ASCII
  EXPECT_FALSE(IsValidUtf8("\xE2\x82x"));
}

TEST(Utf8, RejectsStrayContinuationBytes) {
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_FALSE(IsValidUtf8("a\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xC3\xA4\xA4"));  // ä plus one continuation byte too many
}

TEST(Utf8, RejectsLatin1Text) {
  // The most common real-world case: a file saved as Latin-1 instead of UTF-8.
  EXPECT_FALSE(IsValidUtf8("yst\xE4v\xE4llinen"));
}

TEST(Utf8, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("äöå"), 3u);
  EXPECT_EQ(std::string_view("äöå").size(), 6u);
  EXPECT_EQ(CountCodePoints("€"), 1u);
  EXPECT_EQ(CountCodePoints("hyvä \xF0\x9F\x98\x80!"), 7u);
}

TEST(Utf8, CountEnforcesCommentLimitInCharacters) {
  std::string comment;
  for (int i = 0; i < 2000; ++i) comment += "ä";
  ASSERT_TRUE(IsValidUtf8(comment));
  EXPECT_EQ(comment.size(), 4000u);
  EXPECT_EQ(CountCodePoints(comment), 2000u);
}

}  // namespace
}  // namespace mittari
