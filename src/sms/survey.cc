#include "sms/survey.h"

#include <cctype>
#include <cstdlib>

namespace mittari::sms {

SmsInvitation PlanInvitation(const SurveyRules& rules, const Visit& visit, const std::string& phone_hash,
                             bool opted_out, const std::vector<SmsInvitation>& earlier, UnixSeconds now) {
  SmsInvitation inv;
  inv.visit_id = visit.visit_id;
  inv.unit_code = visit.unit_code;
  inv.language = visit.language;
  inv.visit_type = visit.visit_type;
  inv.age_group = visit.age_group;
  inv.phone_hash = phone_hash;
  inv.visit_ended_at = visit.ended_at;
  inv.due_at = FirstSendTime(rules.send, visit.ended_at);
  inv.closes_at = inv.due_at + rules.send.open_for;
  inv.status = InvitationStatus::kOpen;
  if (opted_out) {
    inv.status = InvitationStatus::kSkipped;
    inv.skip_reason = "opted_out";
    return inv;
  }
  if (inv.closes_at <= now) {
    inv.status = InvitationStatus::kSkipped;
    inv.skip_reason = "too_late";
    return inv;
  }
  for (const SmsInvitation& other : earlier) {
    if (other.status == InvitationStatus::kSkipped || other.visit_id == visit.visit_id) continue;
    // Both directions: visits may be reported out of order.
    if (std::llabs(other.due_at - inv.due_at) < rules.min_interval) {
      inv.status = InvitationStatus::kSkipped;
      inv.skip_reason = "recent_invitation";
      return inv;
    }
  }
  return inv;
}

namespace {

// The invitation a reply is about: the latest one already due (later ones were not sent yet).
const SmsInvitation* MatchInvitation(const IncomingSms& sms, const std::vector<SmsInvitation>& invitations) {
  for (const SmsInvitation& inv : invitations) {
    if (inv.status != InvitationStatus::kSkipped && inv.due_at <= sms.received_at) return &inv;
  }
  return nullptr;
}

// True when the text has letters (any non-ASCII character counts: ä, emoji), not just
// digits and punctuation.
bool HasWords(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0x80 || std::isalpha(c)) return true;
  }
  return false;
}

std::string Trimmed(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

}  // namespace

ReplyDecision DecideReply(const SurveyRules& rules, const IncomingSms& sms, bool opted_out,
                          const std::vector<SmsInvitation>& invitations) {
  ReplyDecision decision;
  SmsReplyWrite& write = decision.write;
  write.inbound.gateway_id = sms.gateway_id;
  write.inbound.phone_hash = sms.phone_hash;
  write.inbound.received_at = sms.received_at;
  const SmsInvitation* matched = MatchInvitation(sms, invitations);
  if (matched) {
    write.inbound.invitation_id = matched->id;
    decision.reply_language = matched->language;
  }
  const ParsedReply parsed = ParseReply(sms.text);

  if (parsed.kind == ReplyKind::kOptOut) {
    write.inbound.outcome = "opt_out";
    // Honoured for any number, so it will never be invited; confirmed once, and only to
    // numbers Mittari has texted.
    write.opt_out = true;
    if (!opted_out && !invitations.empty()) decision.reply_kind = MessageKind::kOptOutConfirmation;
    return decision;
  }
  if (opted_out) {
    write.inbound.outcome = "ignored";
    return decision;
  }
  if (!matched) {
    write.inbound.outcome = "unknown_number";
    return decision;
  }
  SmsInvitation inv = *matched;

  const bool within_comment_window = inv.status == InvitationStatus::kAnswered && inv.answered_at &&
                                     sms.received_at - *inv.answered_at <= rules.comment_window;
  if (within_comment_window) {
    if (parsed.kind != ReplyKind::kTextOnly && !HasWords(sms.text)) {
      // Only a number again ("8", "11", "7/10"): the first score stands, and a number is
      // not a comment.
      write.inbound.outcome = "ignored";
      return decision;
    }
    write.inbound.outcome = "comment";
    write.append_comment = Trimmed(sms.text);
    inv.comment_received = true;
    write.invitation = inv;
    return decision;
  }

  const bool open = inv.status == InvitationStatus::kOpen && sms.received_at < inv.closes_at;
  if (!open) {
    write.inbound.outcome = "after_close";
    if (inv.status == InvitationStatus::kOpen) inv.status = InvitationStatus::kClosed;
    if (!inv.closed_notice_sent) {
      inv.closed_notice_sent = true;
      decision.reply_kind = MessageKind::kClosed;
    }
    write.invitation = inv;
    return decision;
  }

  if (parsed.kind == ReplyKind::kScore) {
    write.inbound.outcome = "score";
    Response r;
    r.source = "sms";
    r.external_id = inv.visit_id;
    r.survey = SurveyKind::kPatient;
    r.unit_code = inv.unit_code;
    r.answered_at = sms.received_at;
    r.channel = Channel::kSms;
    r.language = inv.language;
    r.visit_type = inv.visit_type;
    r.age_group = inv.age_group;
    r.score = static_cast<int8_t>(parsed.score);
    if (!parsed.comment.empty()) r.comment = parsed.comment;
    write.response = std::move(r);
    inv.status = InvitationStatus::kAnswered;
    inv.answered_at = sms.received_at;
    inv.comment_received = !parsed.comment.empty();
    write.invitation = inv;
    return decision;
  }

  write.inbound.outcome = "invalid";
  if (!inv.clarification_sent) {
    inv.clarification_sent = true;
    decision.reply_kind = MessageKind::kClarification;
  }
  write.invitation = inv;
  return decision;
}

}  // namespace mittari::sms
