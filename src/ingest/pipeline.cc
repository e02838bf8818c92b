#include "ingest/pipeline.h"

#include <fmt/format.h>

#include "common/utf8.h"
#include "text/redact.h"

namespace mittari {
namespace {

std::string_view Trim(std::string_view text) {
  const char* kSpace = " \t\r\n";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

bool IsQuestionCode(std::string_view code) {
  if (code.empty() || code.size() > kMaxQuestionCodeLength) return false;
  for (char c : code) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<FieldError> CheckIdentifier(std::string_view field, std::string_view value,
                                          size_t max_length) {
  if (value.empty()) return FieldError{std::string(field), "is empty"};
  if (value.size() > max_length) {
    return FieldError{std::string(field), fmt::format("is longer than {} bytes", max_length)};
  }
  if (!IsValidUtf8(value)) return FieldError{std::string(field), "is not valid UTF-8"};
  for (unsigned char c : value) {
    if (c < 0x20) return FieldError{std::string(field), "contains a control character"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<FieldError> PrepareResponse(const IngestContext& context, Response& r) {
  if (auto e = CheckIdentifier("source", r.source, kMaxSourceLength)) return e;
  if (auto e = CheckIdentifier("external_id", r.external_id, kMaxExternalIdLength)) return e;
  if (r.unit_code.empty()) return FieldError{"unit", "is empty"};
  if (context.tree != nullptr && !context.tree->Find(r.unit_code)) {
    return FieldError{"unit", fmt::format("unknown unit code '{}'", r.unit_code)};
  }
  if (r.answered_at < kEarliestAnswer) {
    return FieldError{"answered_at",
                      fmt::format("{} is before 2000", FormatInstantUtc(r.answered_at))};
  }
  if (context.now != 0 && r.answered_at > context.now + kMaxClockSkew) {
    return FieldError{"answered_at",
                      fmt::format("{} is in the future", FormatInstantUtc(r.answered_at))};
  }
  if (r.score < kMinScore || r.score > kMaxScore) {
    return FieldError{"score", fmt::format("{} is not a whole number from 0 to 10", r.score)};
  }
  for (const ScaleAnswer& scale : r.scales) {
    std::string field = "q:" + scale.question;
    if (!IsQuestionCode(scale.question)) {
      return FieldError{field, "question codes use only a-z, 0-9, _ and -"};
    }
    if (scale.value < kMinScaleValue || scale.value > kMaxScaleValue) {
      return FieldError{field, fmt::format("{} is not a whole number from 1 to 5", scale.value)};
    }
  }
  if (r.comment) {
    if (!IsValidUtf8(*r.comment)) return FieldError{"comment", "is not valid UTF-8"};
    std::string_view trimmed = Trim(*r.comment);
    if (trimmed.empty()) {
      r.comment.reset();
    } else {
      size_t length = CountCodePoints(trimmed);
      if (length > kMaxCommentCodePoints) {
        return FieldError{"comment", fmt::format("has {} characters; at most {} are allowed",
                                                 length, kMaxCommentCodePoints)};
      }
      // Redaction happens here, before anything is stored: the original text never is.
      r.comment = text::RedactPersonalData(trimmed);
      if (context.analyzer != nullptr) {
        // Analysed after redaction: what is stored and what was analysed are the same text.
        text::CommentAnalysis analysis = context.analyzer->Analyze(*r.comment, r.language);
        r.themes = analysis.themes;
        r.sentiment = analysis.sentiment;
        r.comment_language = analysis.language;
      }
    }
  }
  return std::nullopt;
}

Result<ResponseWriteStats> CommitResponses(Store& store, const std::vector<Response>& batch,
                                           std::vector<bool>* inserted) {
  return store.InsertResponses(batch, inserted);
}

}  // namespace mittari
