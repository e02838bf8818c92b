#include "sms/survey.h"

#include <gtest/gtest.h>

namespace mittari::sms {
namespace {

UnixSeconds At(std::string_view text) { return *ParseInstant(text); }
constexpr UnixSeconds kDay = 24 * 3600;

Visit VisitAt(std::string id, UnixSeconds ended) {
  Visit v;
  v.visit_id = std::move(id);
  v.unit_code = "A01-C01";
  v.ended_at = ended;
  v.phone = "+358401234567";
  v.language = Language::kSv;
  v.visit_type = VisitType::kEmergency;
  return v;
}

TEST(PlanInvitation, DueAfterTheDelayOutsideQuietHoursAndOpenForSevenDays) {
  SurveyRules rules;
  const UnixSeconds ended = At("2025-06-02T20:30:00+03:00");
  SmsInvitation inv = PlanInvitation(rules, VisitAt("v1", ended), "h", false, {}, ended);
  EXPECT_EQ(inv.status, InvitationStatus::kOpen);
  EXPECT_EQ(inv.due_at, At("2025-06-03T08:00:00+03:00"));
  EXPECT_EQ(inv.closes_at, inv.due_at + 7 * kDay);
  EXPECT_EQ(inv.language, Language::kSv);
  EXPECT_EQ(inv.visit_type, VisitType::kEmergency);
}

TEST(PlanInvitation, OptedOutNumbersAreSkipped) {
  SurveyRules rules;
  const UnixSeconds ended = At("2025-06-02T10:00:00+03:00");
  SmsInvitation inv = PlanInvitation(rules, VisitAt("v1", ended), "h", true, {}, ended);
  EXPECT_EQ(inv.status, InvitationStatus::kSkipped);
  EXPECT_EQ(inv.skip_reason, "opted_out");
}

TEST(PlanInvitation, AtMostOnePerNumberPerThirtyDaysInEitherOrder) {
  SurveyRules rules;
  const UnixSeconds ended = At("2025-06-02T10:00:00+03:00");
  SmsInvitation first = PlanInvitation(rules, VisitAt("v1", ended), "h", false, {}, ended);
  ASSERT_EQ(first.status, InvitationStatus::kOpen);
  SmsInvitation soon = PlanInvitation(rules, VisitAt("v2", ended + 29 * kDay), "h", false, {first}, ended);
  EXPECT_EQ(soon.status, InvitationStatus::kSkipped);
  EXPECT_EQ(soon.skip_reason, "recent_invitation");
  // A visit reported late, from before the first one, is also within 30 days of it.
  SmsInvitation earlier = PlanInvitation(rules, VisitAt("v0", ended - 3 * kDay), "h", false, {first}, ended);
  EXPECT_EQ(earlier.status, InvitationStatus::kSkipped);
  SmsInvitation later = PlanInvitation(rules, VisitAt("v3", ended + 31 * kDay), "h", false, {first}, ended);
  EXPECT_EQ(later.status, InvitationStatus::kOpen);
}

TEST(PlanInvitation, VisitsReportedAfterTheirInvitationWouldCloseAreSkipped) {
  SurveyRules rules;
  const UnixSeconds ended = At("2025-06-02T10:00:00+03:00");
  SmsInvitation inv = PlanInvitation(rules, VisitAt("v1", ended), "h", false, {}, ended + 8 * kDay);
  EXPECT_EQ(inv.status, InvitationStatus::kSkipped);
  EXPECT_EQ(inv.skip_reason, "too_late");
}

class DecideReplyTest : public ::testing::Test {
 protected:
  DecideReplyTest() {
    invitation_.id = 7;
    invitation_.visit_id = "v7";
    invitation_.unit_code = "A01-C01";
    invitation_.language = Language::kEn;
    invitation_.phone_hash = "h";
    invitation_.due_at = At("2025-06-02T12:00:00+03:00");
    invitation_.closes_at = invitation_.due_at + 7 * kDay;
  }
  ReplyDecision Decide(const std::string& text, UnixSeconds at, bool opted_out = false) {
    return DecideReply(rules_, IncomingSms{"id-" + text, "h", at, text}, opted_out, {invitation_});
  }
  // Applies a decision's effect on the invitation, as the store would.
  void Apply(const ReplyDecision& d) {
    if (d.write.invitation) invitation_ = *d.write.invitation;
  }
  SurveyRules rules_;
  SmsInvitation invitation_;
};

TEST_F(DecideReplyTest, AScoreWithACommentBecomesAnAnswer) {
  const UnixSeconds at = invitation_.due_at + 600;
  ReplyDecision d = Decide("9 kiitos hyvästä hoidosta", at);
  EXPECT_EQ(d.write.inbound.outcome, "score");
  ASSERT_TRUE(d.write.response);
  EXPECT_EQ(d.write.response->source, "sms");
  EXPECT_EQ(d.write.response->external_id, "v7");
  EXPECT_EQ(d.write.response->score, 9);
  EXPECT_EQ(d.write.response->comment.value_or(""), "kiitos hyvästä hoidosta");
  EXPECT_EQ(d.write.response->language, Language::kEn);
  EXPECT_EQ(d.write.response->channel, Channel::kSms);
  EXPECT_EQ(d.write.response->answered_at, at);
  ASSERT_TRUE(d.write.invitation);
  EXPECT_EQ(d.write.invitation->status, InvitationStatus::kAnswered);
  EXPECT_FALSE(d.reply_kind);
}

TEST_F(DecideReplyTest, TextWithinADayOfTheScoreIsItsCommentLaterItIsTooLate) {
  const UnixSeconds at = invitation_.due_at + 600;
  Apply(Decide("8", at));
  ReplyDecision comment = Decide("Odotin 2 tuntia mutta hoito oli hyvää", at + 3600);
  EXPECT_EQ(comment.write.inbound.outcome, "comment");
  EXPECT_EQ(comment.write.append_comment.value_or(""), "Odotin 2 tuntia mutta hoito oli hyvää");
  EXPECT_FALSE(comment.write.response);
  // Another bare number, valid or not, changes nothing; a number with words is a comment.
  EXPECT_EQ(Decide("8", at + 7200).write.inbound.outcome, "ignored");
  EXPECT_EQ(Decide("11", at + 7200).write.inbound.outcome, "ignored");
  EXPECT_EQ(Decide("7/10!", at + 7200).write.inbound.outcome, "ignored");
  EXPECT_EQ(Decide("9 kiitos vielä", at + 7200).write.inbound.outcome, "comment");
  ReplyDecision late = Decide("vielä yksi asia", at + 25 * 3600);
  EXPECT_EQ(late.write.inbound.outcome, "after_close");
  EXPECT_FALSE(late.write.append_comment);
}

TEST_F(DecideReplyTest, InvalidRepliesGetOneClarification) {
  const UnixSeconds at = invitation_.due_at + 600;
  ReplyDecision first = Decide("11", at);
  EXPECT_EQ(first.write.inbound.outcome, "invalid");
  EXPECT_EQ(first.reply_kind, MessageKind::kClarification);
  EXPECT_EQ(first.reply_language, Language::kEn);
  Apply(first);
  ReplyDecision second = Decide("hyvä", at + 60);
  EXPECT_EQ(second.write.inbound.outcome, "invalid");
  EXPECT_FALSE(second.reply_kind);
  Apply(second);
  // A valid score afterwards still counts.
  EXPECT_EQ(Decide("7", at + 120).write.inbound.outcome, "score");
}

TEST_F(DecideReplyTest, RepliesAfterClosingGetOneClosedNotice) {
  const UnixSeconds late = invitation_.closes_at + 1;
  ReplyDecision first = Decide("10", late);
  EXPECT_EQ(first.write.inbound.outcome, "after_close");
  EXPECT_EQ(first.reply_kind, MessageKind::kClosed);
  EXPECT_FALSE(first.write.response);
  Apply(first);
  EXPECT_EQ(invitation_.status, InvitationStatus::kClosed);
  ReplyDecision second = Decide("10 again", late + 60);
  EXPECT_EQ(second.write.inbound.outcome, "after_close");
  EXPECT_FALSE(second.reply_kind);
}

TEST_F(DecideReplyTest, StopInAnyLanguageOptsOutAndIsConfirmedOnce) {
  for (const char* word : {"STOP", "lopeta", "Sluta"}) {
    ReplyDecision d = Decide(word, invitation_.due_at + 60);
    EXPECT_EQ(d.write.inbound.outcome, "opt_out") << word;
    EXPECT_TRUE(d.write.opt_out) << word;
    EXPECT_EQ(d.reply_kind, MessageKind::kOptOutConfirmation) << word;
  }
  ReplyDecision again = Decide("STOP", invitation_.due_at + 60, /*opted_out=*/true);
  EXPECT_TRUE(again.write.opt_out);
  EXPECT_FALSE(again.reply_kind);
  // After opting out, scores are not taken.
  EXPECT_EQ(Decide("9", invitation_.due_at + 120, /*opted_out=*/true).write.inbound.outcome, "ignored");
}

TEST_F(DecideReplyTest, UnknownNumbersAndNotYetSentInvitationsAreIgnored) {
  ReplyDecision unknown = DecideReply(rules_, IncomingSms{"x", "other", invitation_.due_at, "9"}, false, {});
  EXPECT_EQ(unknown.write.inbound.outcome, "unknown_number");
  EXPECT_FALSE(unknown.write.response);
  EXPECT_FALSE(unknown.reply_kind);
  ReplyDecision early = Decide("9", invitation_.due_at - 60);
  EXPECT_EQ(early.write.inbound.outcome, "unknown_number");
  // STOP from a number never texted: honoured, but not answered.
  ReplyDecision stop = DecideReply(rules_, IncomingSms{"y", "other", invitation_.due_at, "STOP"}, false, {});
  EXPECT_TRUE(stop.write.opt_out);
  EXPECT_FALSE(stop.reply_kind);
}

}  // namespace
}  // namespace mittari::sms
