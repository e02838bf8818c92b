// File: model/response.h
//
// One answer to a survey. Its identity is (source, external_id): the same pair imported twice
// is the same answer, which is what makes every import idempotent. The comment, when present,
// has already been redacted by the ingest pipeline: nothing else may construct a stored
// Response from raw free text.
//
// Plain value type; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/calendar.h"
#include "model/enums.h"

namespace mittari {

inline constexpr int kMinScore = 0;
inline constexpr int kMaxScore = 10;
inline constexpr int kMinScaleValue = 1;
inline constexpr int kMaxScaleValue = 5;
inline constexpr size_t kMaxCommentCodePoints = 2000;
inline constexpr size_t kMaxSourceLength = 64;
inline constexpr size_t kMaxExternalIdLength = 128;
inline constexpr size_t kMaxQuestionCodeLength = 64;

struct ScaleAnswer {
  std::string question;  // e.g. "information"; the CSV column is "q:information"
  int8_t value = 0;      // 1..5

  bool operator==(const ScaleAnswer&) const = default;
};

struct Response {
  std::string source;       // e.g. "sms", "webform", "import:paper-2024"
  std::string external_id;  // unique within source
  SurveyKind survey = SurveyKind::kPatient;
  std::string unit_code;
  UnixSeconds answered_at = 0;
  Channel channel = Channel::kSms;
  Language language = Language::kFi;
  VisitType visit_type = VisitType::kOutpatient;
  AgeGroup age_group = AgeGroup::kUnknown;
  int8_t score = 0;                    // 0..10
  std::optional<std::string> comment;  // redacted, at most kMaxCommentCodePoints
  std::vector<ScaleAnswer> scales;
  // What the comment is about, how it feels and its language (text/analyzer.h), set by the
  // ingest pipeline when there is a comment; 0 / nullopt without one.
  ThemeSet themes = 0;
  std::optional<Sentiment> sentiment;
  std::optional<Language> comment_language;

  bool operator==(const Response&) const = default;
};

// What analytics needs of a stored response: no free text, no identifiers. Produced by the
// store's scans; `unit_code` points into the store's buffers and is valid only during the
// callback that receives it.
struct ResponseFacts {
  int64_t id = 0;  // the store's own id; a later commit has a larger id
  std::string_view unit_code;
  SurveyKind survey = SurveyKind::kPatient;
  UnixSeconds answered_at = 0;
  Channel channel = Channel::kSms;
  Language language = Language::kFi;
  VisitType visit_type = VisitType::kOutpatient;
  AgeGroup age_group = AgeGroup::kUnknown;
  int8_t score = 0;
  ThemeSet themes = 0;
  bool has_comment = false;
};

}  // namespace mittari
