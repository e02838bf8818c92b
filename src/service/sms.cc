// The SMS survey's use-cases: visits in, messages out through Kannel, replies in. The rules
// themselves are in sms/survey.h; this file adds locking, encryption, redaction and the
// engine's view.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "service/service.h"
#include "sms/kannel_client.h"
#include "sms/phone.h"
#include "sms/phone_vault.h"
#include "sms/survey.h"
#include "sms/templates.h"
#include "text/redact.h"

namespace mittari {
namespace {

UnixSeconds NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr UnixSeconds kMaxVisitClockSkew = 5 * 60;
constexpr size_t kMaxVisitIdLength = 128;
constexpr int kClaimBatch = 4;  // few at a time: a crash leaves at most these "unknown"

sms::SurveyRules RulesFrom(const SmsConfig& c) {
  sms::SurveyRules rules;
  rules.send.delay = static_cast<UnixSeconds>(c.delay_minutes) * 60;
  rules.send.quiet_from_minute = c.quiet_from_minute;
  rules.send.quiet_to_minute = c.quiet_to_minute;
  rules.send.open_for = static_cast<UnixSeconds>(c.open_days) * 24 * 3600;
  rules.min_interval = static_cast<UnixSeconds>(c.min_days_between) * 24 * 3600;
  rules.comment_window = static_cast<UnixSeconds>(c.comment_window_hours) * 3600;
  return rules;
}

std::optional<sms::MessageKind> KindNamed(std::string_view name) {
  for (sms::MessageKind kind : {sms::MessageKind::kInvitation, sms::MessageKind::kOptOutConfirmation,
                                sms::MessageKind::kClarification, sms::MessageKind::kClosed}) {
    if (sms::MessageKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

}  // namespace

Service::~Service() { StopSmsDispatcher(); }

Status Service::ConfigureSms(const SmsConfig& config) {
  std::lock_guard lock(sms_mu_);
  for (const auto& [kind, texts] : config.templates) {
    for (const auto& [language, text] : texts) {
      Result<std::string> rendered = sms::RenderMessage(text, "X");
      if (!rendered.ok()) {
        return rendered.status().WithContext(fmt::format("sms.templates.{}.{}", kind, language));
      }
    }
  }
  sms_config_ = config;
  phone_vault_.reset();
  kannel_.reset();
  if (!config.kannel_sendsms_url.empty()) {
    sms::KannelSettings settings;
    settings.sendsms_url = config.kannel_sendsms_url;
    settings.username = config.kannel_username;
    settings.password = config.kannel_password;
    settings.sender = config.sender;
    ASSIGN_OR_RETURN(kannel_, sms::KannelClient::Create(settings));
  }
  return EnsurePhoneVault();
}

Status Service::EnsurePhoneVault() {
  if (phone_vault_) return Status::Ok();
  std::string path = sms_config_.key_file.empty() ? db_path_ + ".phone-key" : sms_config_.key_file;
  ASSIGN_OR_RETURN(sms::PhoneVault vault, sms::PhoneVault::OpenOrCreate(path));
  phone_vault_ = std::make_unique<sms::PhoneVault>(std::move(vault));
  return Status::Ok();
}

std::string Service::SmsText(const std::string& kind, Language language, const std::string& unit_code) {
  Language text_language = language == Language::kOther ? Language::kEn : language;
  std::string template_text;
  auto by_kind = sms_config_.templates.find(kind);
  if (by_kind != sms_config_.templates.end()) {
    auto by_language = by_kind->second.find(std::string(ToName(text_language)));
    if (by_language != by_kind->second.end()) template_text = by_language->second;
  }
  if (template_text.empty()) {
    std::optional<sms::MessageKind> message_kind = KindNamed(kind);
    template_text = std::string(sms::DefaultMessage(message_kind.value_or(sms::MessageKind::kInvitation), text_language));
  }
  std::string unit_name = unit_code;
  if (!unit_code.empty()) {
    if (Result<std::string> name = UnitName(unit_code, text_language); name.ok()) unit_name = *name;
  }
  Result<std::string> text = sms::RenderMessage(template_text, unit_name);
  return text.ok() ? *text : template_text;  // templates were checked in ConfigureSms
}

std::optional<FieldError> Service::PrepareVisit(Visit& visit) {
  if (visit.visit_id.empty()) return FieldError{"visit_id", "is empty"};
  if (visit.visit_id.size() > kMaxVisitIdLength) {
    return FieldError{"visit_id", fmt::format("is longer than {} characters", kMaxVisitIdLength)};
  }
  for (unsigned char c : visit.visit_id) {
    if (c < 0x20 || c == 0x7f) return FieldError{"visit_id", "contains control characters"};
  }
  if (visit.unit_code.empty()) return FieldError{"unit", "is empty"};
  if (!engine().ok()) return FieldError{"unit", "the units could not be loaded"};
  {
    std::shared_lock lock(engine_mu_);
    if (!engine_->tree().Find(visit.unit_code)) {
      return FieldError{"unit", fmt::format("'{}' is not a known unit code", visit.unit_code)};
    }
  }
  if (visit.ended_at > NowSeconds() + kMaxVisitClockSkew) {
    return FieldError{"ended_at", "is in the future"};
  }
  Result<std::string> e164 = sms::NormalizePhone(visit.phone);
  if (!e164.ok()) return FieldError{"phone", e164.status().message()};
  visit.phone = *e164;
  return std::nullopt;
}

Result<std::vector<std::string>> Service::AddVisits(const std::vector<Visit>& visits) {
  std::lock_guard sms_lock(sms_mu_);
  RETURN_IF_ERROR(EnsurePhoneVault());
  const sms::SurveyRules rules = RulesFrom(sms_config_);
  const UnixSeconds now = NowSeconds();
  // Texts first: unit names come from the engine, which is locked before the store.
  std::vector<std::string> texts;
  texts.reserve(visits.size());
  for (const Visit& v : visits) texts.push_back(SmsText("invitation", v.language, v.unit_code));

  std::vector<SmsInvitation> invitations;
  std::vector<std::optional<SmsMessage>> messages;
  std::vector<bool> inserted;
  {
    std::lock_guard store_lock(store_mu_);
    std::map<std::string, std::vector<SmsInvitation>> planned_by_phone;
    for (size_t i = 0; i < visits.size(); ++i) {
      const Visit& v = visits[i];
      std::string hash = phone_vault_->Hash(v.phone);
      ASSIGN_OR_RETURN(bool opted_out, store_->IsOptedOut(hash));
      ASSIGN_OR_RETURN(std::vector<SmsInvitation> earlier, store_->SmsInvitationsForPhone(hash));
      std::vector<SmsInvitation>& in_batch = planned_by_phone[hash];
      earlier.insert(earlier.end(), in_batch.begin(), in_batch.end());
      SmsInvitation inv = sms::PlanInvitation(rules, v, hash, opted_out, earlier, now);
      std::optional<SmsMessage> message;
      if (inv.status == InvitationStatus::kOpen) {
        in_batch.push_back(inv);
        SmsMessage m;
        m.kind = "invitation";
        m.phone_hash = hash;
        m.phone_sealed = phone_vault_->Seal(v.phone);
        m.language = v.language;
        m.text = texts[i];
        m.not_before = inv.due_at;
        message = std::move(m);
      }
      invitations.push_back(std::move(inv));
      messages.push_back(std::move(message));
    }
    ASSIGN_OR_RETURN(int64_t stored, store_->InsertSmsInvitations(invitations, messages, &inserted));
    (void)stored;
  }
  std::vector<std::string> results;
  bool any_due = false;
  for (size_t i = 0; i < invitations.size(); ++i) {
    if (!inserted[i]) {
      results.emplace_back("duplicate");
    } else if (invitations[i].status == InvitationStatus::kSkipped) {
      results.push_back("skipped:" + invitations[i].skip_reason);
    } else {
      results.emplace_back("created");
      any_due = any_due || invitations[i].due_at <= now;
    }
  }
  if (any_due) WakeSmsDispatcher();
  return results;
}

Result<ImportSummary> Service::ImportVisits(const std::string& path, const ImportOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::OpenFile(path));
  return ImportVisitsCsv(
      *reader, options, [this](Visit& visit) { return PrepareVisit(visit); },
      [this](const std::vector<Visit>& batch) { return AddVisits(batch); });
}

Result<SmsReceipt> Service::ReceiveSms(const std::string& gateway_id, const std::string& from,
                                       const std::string& text, UnixSeconds received_at) {
  if (gateway_id.empty()) return InvalidArgumentError("id: the gateway's message id (Kannel %I) is missing");
  std::lock_guard sms_lock(sms_mu_);
  RETURN_IF_ERROR(EnsurePhoneVault());
  Result<std::string> e164 = sms::NormalizePhone(from);
  if (!e164.ok()) {
    // Not a phone number (an operator's alphanumeric sender, say): nobody to match or answer.
    spdlog::info("sms {}: ignored a message from '{}', which is not a phone number", gateway_id, from);
    return SmsReceipt{"unknown_number", false};
  }
  sms::IncomingSms incoming{gateway_id, phone_vault_->Hash(*e164), received_at, text};
  sms::ReplyDecision decision;
  {
    std::lock_guard store_lock(store_mu_);
    ASSIGN_OR_RETURN(bool opted_out, store_->IsOptedOut(incoming.phone_hash));
    ASSIGN_OR_RETURN(std::vector<SmsInvitation> invitations,
                     store_->SmsInvitationsForPhone(incoming.phone_hash));
    decision = sms::DecideReply(RulesFrom(sms_config_), incoming, opted_out, invitations);
  }
  SmsReplyWrite& write = decision.write;
  if (write.response) {
    if (std::optional<FieldError> error = Prepare(*write.response)) {
      spdlog::warn("sms {}: the score could not be stored: {} {}", gateway_id, error->field, error->reason);
      write.response.reset();
      write.invitation.reset();
      write.inbound.outcome = "rejected";
    }
  }
  std::optional<Response> commented;  // the answer a later comment is added to, as it was
  if (write.append_comment && write.invitation) {
    *write.append_comment = text::RedactPersonalData(*write.append_comment);
    {
      std::lock_guard store_lock(store_mu_);
      ASSIGN_OR_RETURN(Response stored, store_->GetResponse("sms", write.invitation->visit_id));
      commented = std::move(stored);
    }
    // The themes and sentiment are those of the whole comment, old part and new.
    std::string whole = commented->comment && !commented->comment->empty()
                            ? *commented->comment + " " + *write.append_comment
                            : *write.append_comment;
    text::CommentAnalysis analysis = analyzer_->Analyze(whole, commented->language);
    write.comment_analysis = CommentAnalysisUpdate{0, analysis.themes, analysis.sentiment, analysis.language};
  }
  if (decision.reply_kind) {
    SmsMessage reply;
    reply.invitation_id = write.inbound.invitation_id;
    reply.kind = std::string(sms::MessageKindName(*decision.reply_kind));
    reply.phone_hash = incoming.phone_hash;
    reply.phone_sealed = phone_vault_->Seal(*e164);
    reply.language = decision.reply_language;
    reply.text = SmsText(reply.kind, decision.reply_language,
                         write.invitation ? write.invitation->unit_code : std::string());
    reply.not_before = received_at;
    write.reply = std::move(reply);
  }
  bool applied = false;
  {
    std::lock_guard store_lock(store_mu_);
    ASSIGN_OR_RETURN(applied, store_->ApplySmsReply(write));
  }
  if (applied && write.response) RETURN_IF_ERROR(CatchUp());
  if (applied && commented && write.comment_analysis) {
    std::unique_lock engine_lock(engine_mu_);
    if (engine_) {
      int64_t id = 0;
      {
        std::lock_guard store_lock(store_mu_);
        ASSIGN_OR_RETURN(id, store_->ResponseIdOf("sms", commented->external_id));
      }
      ResponseFacts facts;
      facts.id = id;
      facts.unit_code = commented->unit_code;
      facts.survey = commented->survey;
      facts.answered_at = commented->answered_at;
      facts.channel = commented->channel;
      facts.language = commented->language;
      facts.visit_type = commented->visit_type;
      facts.age_group = commented->age_group;
      facts.score = commented->score;
      facts.themes = write.comment_analysis->themes;
      facts.has_comment = true;
      Status updated = engine_->UpdateCommentThemes(facts, commented->themes, commented->comment.has_value());
      if (!updated.ok()) spdlog::warn("sms {}: {}", gateway_id, updated.ToString());
    }
  }
  if (applied && write.reply) WakeSmsDispatcher();
  return SmsReceipt{applied ? write.inbound.outcome : "duplicate", !applied};
}

Status Service::RecordSmsDelivery(int64_t message_id, int report_type) {
  std::lock_guard store_lock(store_mu_);
  return store_->RecordSmsDelivery(message_id, report_type, NowSeconds());
}

Result<int64_t> Service::RecoverInterruptedSms() {
  std::lock_guard store_lock(store_mu_);
  return store_->MarkInterruptedSmsUnknown();
}

Result<SmsDispatchStats> Service::DispatchSms(UnixSeconds now) {
  std::lock_guard dispatch_lock(dispatch_mu_);
  if (!kannel_) {
    return FailedPreconditionError("no SMS gateway is configured (sms.kannel_sendsms_url in mittari.yaml)");
  }
  SmsDispatchStats stats;
  {
    std::lock_guard sms_lock(sms_mu_);
    RETURN_IF_ERROR(EnsurePhoneVault());
    std::lock_guard store_lock(store_mu_);
    ASSIGN_OR_RETURN(stats.closed, store_->CloseExpiredSmsInvitations(now));
  }
  const SmsConfig& c = sms_config_;
  while (true) {
    std::vector<SmsMessage> claimed;
    {
      std::lock_guard store_lock(store_mu_);
      ASSIGN_OR_RETURN(claimed, store_->ClaimSmsMessages(now, kClaimBatch));
    }
    if (claimed.empty()) break;
    bool gateway_down = false;
    for (const SmsMessage& m : claimed) {
      MessageState state = MessageState::kSent;
      std::string detail;
      UnixSeconds next_attempt = 0;
      if (gateway_down) {
        // Released untried, without using up an attempt's backoff.
        state = MessageState::kQueued;
        detail = "not tried: the gateway was unreachable";
        next_attempt = now + c.retry_base_seconds;
      } else if (Result<std::string> phone = phone_vault_->Open(m.phone_sealed); !phone.ok()) {
        state = MessageState::kFailed;
        detail = phone.status().message();
      } else {
        std::string dlr_url;
        if (!c.public_url.empty()) {
          dlr_url = fmt::format("{}/api/v1/sms/dlr?message={}&type=%d&secret={}", c.public_url, m.id,
                                sms::EncodeQueryValue(c.inbound_secret));
        }
        sms::SendResult result = kannel_->Send(*phone, m.text, dlr_url);
        detail = result.detail;
        if (result.outcome == sms::SendOutcome::kAccepted) {
          state = MessageState::kSent;
        } else if (result.outcome == sms::SendOutcome::kUnknown) {
          state = MessageState::kUnknown;
        } else if (m.attempts >= c.max_attempts) {
          state = MessageState::kFailed;
        } else {
          state = MessageState::kQueued;
          int64_t backoff = static_cast<int64_t>(c.retry_base_seconds) << std::min(m.attempts - 1, 20);
          next_attempt = now + std::min<int64_t>(backoff, c.retry_max_seconds);
          gateway_down = true;
        }
      }
      switch (state) {
        case MessageState::kSent: ++stats.sent; break;
        case MessageState::kUnknown: ++stats.unknown; break;
        case MessageState::kFailed: ++stats.failed; break;
        default: ++stats.retried; break;
      }
      if (state != MessageState::kSent) {
        spdlog::warn("sms message {} ({}): {} — {}", m.id, m.kind, ToName(state), detail);
      }
      std::lock_guard store_lock(store_mu_);
      RETURN_IF_ERROR(store_->FinishSmsMessage(m.id, state, NowSeconds(), detail, next_attempt));
    }
    if (gateway_down) break;
  }
  return stats;
}

void Service::WakeSmsDispatcher() {
  std::lock_guard lock(dispatcher_mu_);
  dispatcher_kicked_ = true;
  dispatcher_cv_.notify_all();
}

Status Service::StartSmsDispatcher() {
  if (!kannel_) {
    return FailedPreconditionError("no SMS gateway is configured (sms.kannel_sendsms_url in mittari.yaml)");
  }
  ASSIGN_OR_RETURN(int64_t interrupted, RecoverInterruptedSms());
  if (interrupted > 0) {
    spdlog::warn("{} SMS message(s) were being handed to Kannel when Mittari stopped; they are marked "
                 "'unknown' and will not be sent again (see `mittari sms status`)", interrupted);
  }
  std::lock_guard lock(dispatcher_mu_);
  if (dispatcher_) return Status::Ok();
  dispatcher_stop_ = false;
  dispatcher_ = std::make_unique<std::thread>([this] {
    std::unique_lock lock(dispatcher_mu_);
    while (!dispatcher_stop_) {
      dispatcher_kicked_ = false;
      lock.unlock();
      Result<SmsDispatchStats> stats = DispatchSms(NowSeconds());
      if (!stats.ok()) spdlog::error("sms dispatcher: {}", stats.status().ToString());
      lock.lock();
      dispatcher_cv_.wait_for(lock, std::chrono::seconds(sms_config_.poll_seconds),
                              [this] { return dispatcher_stop_ || dispatcher_kicked_; });
    }
  });
  return Status::Ok();
}

void Service::StopSmsDispatcher() {
  std::unique_ptr<std::thread> thread;
  {
    std::lock_guard lock(dispatcher_mu_);
    dispatcher_stop_ = true;
    dispatcher_cv_.notify_all();
    thread = std::move(dispatcher_);
  }
  if (thread) thread->join();
}

Result<report::Table> Service::SmsStatus() {
  SmsCounts counts;
  {
    std::lock_guard store_lock(store_mu_);
    ASSIGN_OR_RETURN(counts, store_->CountSms());
  }
  report::Table table;
  table.columns = {"what", "state", "count"};
  for (const auto& [state, n] : counts.invitations) table.rows.push_back({std::string("invitations"), state, n});
  for (const auto& [state, n] : counts.messages) table.rows.push_back({std::string("messages"), state, n});
  for (const auto& [outcome, n] : counts.inbound) table.rows.push_back({std::string("incoming"), outcome, n});
  table.rows.push_back({std::string("numbers"), std::string("opted_out"), counts.opted_out});
  table.rows.push_back({std::string("numbers"), std::string("encrypted_pending"), counts.sealed_phones});
  return table;
}

}  // namespace mittari
