// File: ingest/pipeline.h
//
// The one door in. Every answer, whatever its channel (CSV import, demo generator, later the
// API, the web form and SMS replies), passes through PrepareResponse() and then
// CommitResponses(): validate → redact free text → store (durable) — so validation,
// redaction, idempotency and durability can never differ between channels. The engine learns
// of committed answers from the store (Service::CatchUp), never from here, so what a query
// sees is always what the store has committed.
//
// Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/status.h"
#include "model/response.h"
#include "model/unit.h"
#include "store/store.h"
#include "text/analyzer.h"

namespace mittari {

// Why one field of one input row was refused. `field` is the CSV/JSON name of the field.
struct FieldError {
  std::string field;
  std::string reason;
};

struct IngestContext {
  const OrgTree* tree = nullptr;  // units an answer may refer to
  UnixSeconds now = 0;            // answers later than now + kMaxClockSkew are refused
  // Gives each redacted comment its language, themes and sentiment; null: left unanalysed.
  const text::CommentAnalyzer* analyzer = nullptr;
};

inline constexpr UnixSeconds kMaxClockSkew = 24 * 3600;
inline constexpr UnixSeconds kEarliestAnswer = 946684800;  // 2000-01-01T00:00:00Z

// Checks a parsed response against the rules every channel shares and redacts its comment
// in place (identity codes, phone numbers, e-mails; a comment that is empty after trimming
// becomes absent), then analyses it when the context has an analyzer. Returns the first problem found, or nullopt when the response may be
// stored.
std::optional<FieldError> PrepareResponse(const IngestContext& context, Response& response);

// Stores prepared responses in one durable transaction (see Store::InsertResponses).
Result<ResponseWriteStats> CommitResponses(Store& store, const std::vector<Response>& batch,
                                           std::vector<bool>* inserted = nullptr);

}  // namespace mittari
