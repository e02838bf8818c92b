// File: model/access.h
//
// Who may do what: users with one role each, the unit subtrees a manager may see, login
// sessions and API tokens (stored only as hashes), the audit log, and one-time links to the
// patient web form. Plain value types; thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/calendar.h"
#include "model/enums.h"

namespace mittari {

// admin: everything, including users and the audit log; analyst: every unit's reports and
// comments; manager: reports and comments of their own unit subtrees only; integration:
// API tokens that may only write answers and visits; finance: regional finance (invoices,
// comparisons, capitation, bonus) and the scorecard, but no answers or comments.
enum class Role : uint8_t { kAdmin, kAnalyst, kManager, kIntegration, kFinance, kCount };
inline constexpr std::array<std::string_view, 5> kRoleNames = {"admin", "analyst", "manager",
                                                               "integration", "finance"};
template <> struct EnumTraits<Role> { static constexpr const auto& kNames = kRoleNames; static constexpr std::string_view kWhat = "role"; };

struct User {
  int64_t id = 0;
  std::string name;
  Role role = Role::kAnalyst;
  std::string password_hash;  // Argon2id string (libsodium crypto_pwhash_str); empty: no login
  int failed_logins = 0;      // consecutive failures since the last success
  UnixSeconds locked_until = 0;
  std::vector<std::string> unit_codes;  // manager's subtree roots
};

struct Session {
  int64_t user_id = 0;
  std::string csrf_token;
  UnixSeconds expires_at = 0;
};

struct AuditEntry {
  int64_t id = 0;
  UnixSeconds at = 0;
  std::string user;
  std::string action;  // e.g. "read_comments", "login", "user_add"
  std::string detail;  // the filter or object, as JSON text
};

// A one-time link to the web form for one visit.
struct FormInvitation {
  std::string token_hash;
  std::string unit_code;
  Language language = Language::kFi;
  VisitType visit_type = VisitType::kOutpatient;
  AgeGroup age_group = AgeGroup::kUnknown;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  std::optional<UnixSeconds> answered_at;
};

// One stored comment as reports show it: already redacted at ingest.
struct CommentRow {
  UnixSeconds answered_at = 0;
  std::string unit_code;
  Language language = Language::kFi;
  int score = 0;
  std::string text;
  ThemeSet themes = 0;
  std::optional<Sentiment> sentiment;
};

struct CommentQuery {
  std::vector<std::string> unit_codes;  // empty: all units
  std::optional<UnixSeconds> from;      // inclusive
  std::optional<UnixSeconds> before;    // exclusive
  std::string words;                    // every word must occur (case-insensitive); empty: all
  ThemeSet themes = 0;                  // any of these themes; 0: all
  std::optional<Sentiment> sentiment;
  SurveyKind survey = SurveyKind::kPatient;  // patients' and staff's comments are never mixed
  int64_t limit = 50;
  int64_t offset = 0;
};

}  // namespace mittari
