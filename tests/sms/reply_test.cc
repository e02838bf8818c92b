#include "sms/reply.h"

#include <gtest/gtest.h>

#include <string>

namespace mittari::sms {
namespace {

void ExpectScore(std::string_view text, int score, std::string_view comment) {
  ParsedReply reply = ParseReply(text);
  EXPECT_EQ(reply.kind, ReplyKind::kScore) << text << ": " << reply.problem;
  EXPECT_EQ(reply.score, score) << text;
  EXPECT_EQ(reply.comment, comment) << text;
  EXPECT_EQ(reply.problem, "") << text;
}

std::string Problem(std::string_view text) {
  ParsedReply reply = ParseReply(text);
  EXPECT_EQ(reply.kind, ReplyKind::kInvalid) << text;
  EXPECT_EQ(reply.score, -1) << text;
  return reply.problem;
}

TEST(ParseReply, BareScores) {
  ExpectScore("10", 10, "");
  ExpectScore("0", 0, "");
  ExpectScore("  7 \n", 7, "");
  ExpectScore("8/10", 8, "");
  ExpectScore(" 9!", 9, "");
  ExpectScore("9,", 9, "");
  ExpectScore("05", 5, "");
}

TEST(ParseReply, ScoreWithComment) {
  ExpectScore("9 kiitos hyvästä hoidosta", 9, "kiitos hyvästä hoidosta");
  ExpectScore("Annan 7", 7, "Annan");
  ExpectScore("7, odotin pitkään", 7, "odotin pitkään");
  ExpectScore("10/10 erinomaista", 10, "erinomaista");
  ExpectScore("6 - jonotus kesti, mutta hoito oli hyvää.", 6,
              "jonotus kesti, mutta hoito oli hyvää");
  ExpectScore("Arvosana: 8", 8, "Arvosana");
}

TEST(ParseReply, TextOnBothSidesOfTheScoreJoinsWithOneSpace) {
  ExpectScore("Hyvä palvelu! 9, kiitos", 9, "Hyvä palvelu! kiitos");
  ExpectScore("Annan   7   koska hoito oli hyvää", 7, "Annan koska hoito oli hyvää");
}

TEST(ParseReply, CommentKeepsUtf8AndSmileys) {
  ExpectScore("9 👍", 9, "👍");
  ExpectScore("8 Läkaren var trevlig, väntetiden lång. Å!", 8,
              "Läkaren var trevlig, väntetiden lång. Å");
  ExpectScore("10 :)", 10, ":)");
  ExpectScore("10 :-D", 10, ":-D");
  ExpectScore("9 :kiitos", 9, "kiitos");  // a colon before a word is only a separator
}

TEST(ParseReply, OnlyTheFirstNumberIsTheScore) {
  ExpectScore("9 vaikka odotin 45 min", 9, "vaikka odotin 45 min");
}

TEST(ParseReply, OptOutIsTheWholeMessageInAnyCase) {
  for (const char* text : {"STOP", "stop", "Stop", " STOP ", "Lopeta.", "LOPETA", "SLUTA!", "sluta",
                           "stop!!", "Stop ."}) {
    EXPECT_EQ(ParseReply(text).kind, ReplyKind::kOptOut) << text;
  }
}

TEST(ParseReply, OptOutWordsInsideLongerTextAreNotOptOuts) {
  ParsedReply stopp = ParseReply("stopp");
  EXPECT_EQ(stopp.kind, ReplyKind::kTextOnly);
  EXPECT_EQ(stopp.comment, "stopp");
  EXPECT_EQ(ParseReply("Lopeta jonottaminen").kind, ReplyKind::kTextOnly);
  ExpectScore("stop making people wait, 4", 4, "stop making people wait");
}

TEST(ParseReply, TextWithoutANumber) {
  ParsedReply reply = ParseReply("  hyvä ");
  EXPECT_EQ(reply.kind, ReplyKind::kTextOnly);
  EXPECT_EQ(reply.comment, "hyvä");
  EXPECT_EQ(reply.score, -1);
  EXPECT_EQ(ParseReply("Kiitos!").comment, "Kiitos!");  // nothing is cut without a score
}

TEST(ParseReply, OutOfRangeNumbersAreInvalid) {
  EXPECT_EQ(Problem("11"), "11 is not a score from 0 to 10");
  EXPECT_EQ(Problem("100"), "100 is not a score from 0 to 10");
  EXPECT_EQ(Problem("Annan 99999999999999999999999"),
            "99999999999999999999999 is not a score from 0 to 10");
  EXPECT_EQ(Problem("-1"), "-1 is not a score from 0 to 10");
  EXPECT_EQ(Problem("4/5"), "4/5 is not a score from 0 to 10");
}

TEST(ParseReply, DecimalsAndRangesAreInvalid) {
  EXPECT_EQ(Problem("7,5"), "7,5 is not a whole number from 0 to 10");
  EXPECT_EQ(Problem("Annan 7.5 pistettä"), "7.5 is not a whole number from 0 to 10");
  EXPECT_EQ(Problem("7-8"), "7-8 is a range; the reply needs one score from 0 to 10");
  EXPECT_EQ(Problem("7–8"), "7–8 is a range; the reply needs one score from 0 to 10");
  ExpectScore("Annoin 9. Kiitos", 9, "Annoin Kiitos");  // a full stop, not a decimal point
}

TEST(ParseReply, EmptyOrBrokenMessagesAreInvalid) {
  EXPECT_EQ(Problem(""), "empty message");
  EXPECT_EQ(Problem(" \t\r\n "), "empty message");
  EXPECT_EQ(Problem("9 \xC3"), "the message is not valid UTF-8");
}

}  // namespace
}  // namespace mittari::sms
