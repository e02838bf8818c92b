// File: model/sms.h
//
// The post-visit SMS survey as stored: one invitation per visit, the outgoing messages (the
// invitation itself and the few replies Mittari sends back), opt-outs, and every incoming
// message by its gateway id. Phone numbers appear only as a keyed hash (for matching and
// opt-outs) and, while a message still has to be sent, sealed (encrypted) — never in clear.
//
// Plain value types; thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/calendar.h"
#include "model/enums.h"

namespace mittari {

// open: waiting for a reply (its message may not be sent yet); answered: a score came;
// closed: nothing more is accepted (time ran out or the number opted out); skipped: never sent
// (opted out, or the number had an invitation less than the minimum interval before).
enum class InvitationStatus : uint8_t { kOpen, kAnswered, kClosed, kSkipped, kCount };
inline constexpr std::array<std::string_view, 4> kInvitationStatusNames = {"open", "answered",
                                                                           "closed", "skipped"};
template <> struct EnumTraits<InvitationStatus> { static constexpr const auto& kNames = kInvitationStatusNames; static constexpr std::string_view kWhat = "invitation status"; };

// queued → sending → sent, or back to queued (the gateway surely did not take it; retried
// with backoff), or failed (retries used up), or unknown (the gateway may or may not have
// taken it: a crash or a lost reply mid-request; never re-sent blindly). cancelled: not sent
// because the number opted out or the invitation closed first.
enum class MessageState : uint8_t { kQueued, kSending, kSent, kUnknown, kFailed, kCancelled, kCount };
inline constexpr std::array<std::string_view, 6> kMessageStateNames = {
    "queued", "sending", "sent", "unknown", "failed", "cancelled"};
template <> struct EnumTraits<MessageState> { static constexpr const auto& kNames = kMessageStateNames; static constexpr std::string_view kWhat = "message state"; };

// A visit as an integration reports it, before validation. The phone is as typed.
struct Visit {
  std::string visit_id;
  std::string unit_code;
  UnixSeconds ended_at = 0;
  std::string phone;
  Language language = Language::kFi;
  VisitType visit_type = VisitType::kOutpatient;
  AgeGroup age_group = AgeGroup::kUnknown;
};

struct SmsInvitation {
  int64_t id = 0;
  std::string visit_id;  // unique: a visit gets at most one invitation
  std::string unit_code;
  Language language = Language::kFi;
  VisitType visit_type = VisitType::kOutpatient;
  AgeGroup age_group = AgeGroup::kUnknown;
  std::string phone_hash;
  UnixSeconds visit_ended_at = 0;
  UnixSeconds due_at = 0;     // when the invitation may be sent
  UnixSeconds closes_at = 0;  // replies after this get the "closed" message
  InvitationStatus status = InvitationStatus::kOpen;
  std::string skip_reason;    // for kSkipped: "opted_out" or "recent_invitation"
  std::optional<UnixSeconds> answered_at;
  bool comment_received = false;
  bool clarification_sent = false;
  bool closed_notice_sent = false;
};

struct SmsMessage {
  int64_t id = 0;
  std::optional<int64_t> invitation_id;
  std::string kind;  // "invitation", "opt_out_confirmation", "clarification", "closed"
  std::string phone_hash;
  std::string phone_sealed;  // empty once the message reached a final state
  Language language = Language::kFi;
  std::string text;
  UnixSeconds not_before = 0;
  MessageState state = MessageState::kQueued;
  int attempts = 0;
  UnixSeconds next_attempt_at = 0;
  std::string last_error;
  std::optional<UnixSeconds> sent_at;
  std::optional<UnixSeconds> delivered_at;
  int last_delivery_report = 0;  // Kannel DLR type: 1 delivered, 2 failed, 4 buffered, 8 SMSC ack, 16 SMSC reject
};

// An incoming message, once handled. The text itself is not kept here: a score and comment
// live on as a redacted Response, everything else is not needed.
struct InboundSms {
  std::string gateway_id;  // Kannel's %I: the same on every retry of one delivery
  std::string phone_hash;
  UnixSeconds received_at = 0;
  std::string outcome;  // "score", "comment", "opt_out", "invalid", "after_close", "unknown_number", "ignored"
  std::optional<int64_t> invitation_id;
};

}  // namespace mittari
