// File: sms/survey.h
//
// The rules of the post-visit SMS survey, as pure decisions over what the store knows, so
// they can be tested without a gateway or a database:
//   - PlanInvitation: whether and when a visit gets an invitation (delay, quiet hours, at most
//     one per number per `min_interval`, none to opted-out numbers).
//   - DecideReply: what one incoming message means (a score, a later comment, an opt-out, an
//     invalid reply, a reply after closing, an unknown number) and what Mittari sends back —
//     each kind of answer-back at most once per invitation.
// The service applies a decision in one transaction (Store::ApplySmsReply); the comment it
// carries is still raw text and must go through the ingest pipeline's redaction first.
//
// Thread-safe (pure functions).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/sms.h"
#include "sms/policy.h"
#include "sms/reply.h"
#include "sms/templates.h"
#include "store/store.h"

namespace mittari::sms {

struct SurveyRules {
  SendPolicy send;
  UnixSeconds min_interval = 30 * 24 * 3600;  // between two invitations to one number
  UnixSeconds comment_window = 24 * 3600;     // a text after the score is its comment
};

// The invitation for a validated visit whose phone hashes to `phone_hash`. `earlier` are the
// number's invitations that were not skipped (Store::SmsInvitationsForPhone) plus those
// planned earlier in the same batch. A visit reported so late that its invitation would
// already have closed at `now` is skipped ("too_late") rather than texting weeks afterwards.
SmsInvitation PlanInvitation(const SurveyRules& rules, const Visit& visit, const std::string& phone_hash,
                             bool opted_out, const std::vector<SmsInvitation>& earlier, UnixSeconds now);

struct IncomingSms {
  std::string gateway_id;
  std::string phone_hash;
  UnixSeconds received_at = 0;
  std::string text;  // UTF-8, raw
};

struct ReplyDecision {
  // Everything except the stored answer's redaction and the reply's text and sealed number,
  // which the service fills in (`write.response->comment` and `write.append_comment` are raw).
  SmsReplyWrite write;
  std::optional<MessageKind> reply_kind;
  Language reply_language = Language::kFi;
};

// `invitations`: the number's invitations, latest due first (Store::SmsInvitationsForPhone).
ReplyDecision DecideReply(const SurveyRules& rules, const IncomingSms& sms, bool opted_out,
                          const std::vector<SmsInvitation>& invitations);

}  // namespace mittari::sms
