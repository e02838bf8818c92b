// File: ingest/csv_import.h
//
// CSV importers for units and responses. Both follow the same contract:
// - the header row names the columns; order is free; a missing required column rejects the
//   whole file before anything is written, naming the column; unknown columns are ignored
//   with a warning (so a rejects file, which adds row/field/reason columns, can be fixed and
//   imported as it is);
// - a bad row is rejected with its row number (the header is row 1, as in a spreadsheet),
//   the field and the reason, reported through `on_reject` and written to a rejects CSV next
//   to the input; the good rows are kept;
// - rows are committed in batches, each one durable transaction: an interrupted import
//   leaves whole batches or nothing of a batch, and re-running the same file stores only
//   what is missing (already stored answers count as duplicates).
//
// Thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/csv.h"
#include "common/status.h"
#include "model/sms.h"
#include "model/unit.h"
#include "ingest/pipeline.h"
#include "store/store.h"

namespace mittari {

struct RowRejection {
  int64_t row = 0;
  std::string field;  // empty when the whole row is at fault (e.g. wrong number of fields)
  std::string reason;
};

struct ImportOptions {
  size_t batch_size = 5000;
  UnixSeconds now = 0;  // answers after now + 1 day are rejected; 0 disables the check
  // Where rejected rows go; empty: nowhere. RejectsPathFor() gives the conventional name.
  std::string rejects_path;
  std::function<void(int64_t bytes_done, int64_t bytes_total)> on_progress;
  std::function<void(const RowRejection&)> on_reject;
  // Analyses comments (language, themes, sentiment) as they are stored; null: not analysed.
  const text::CommentAnalyzer* analyzer = nullptr;
};

struct ImportSummary {
  int64_t imported = 0;
  int64_t updated = 0;  // units only: existing codes whose data changed
  int64_t duplicates = 0;
  int64_t rejected = 0;
  std::vector<std::string> warnings;
};

// "data/answers.csv" -> "data/answers.rejects.csv".
std::string RejectsPathFor(const std::string& input_path);

// Imports responses (columns source, external_id, survey, unit, answered_at, channel,
// language, visit_type, age_group, score; optional comment and q:<code> scale columns).
// Returns the summary; a non-OK Status only when the file cannot be read, lacks a required
// column, or the store fails (then the message says how many rows were committed before).
Result<ImportSummary> ImportResponsesCsv(Store& store, const OrgTree& tree, CsvReader& reader,
                                         const ImportOptions& options);

// Imports units (columns code, parent, kind, name_fi, name_sv, name_en; optional valid_from,
// valid_to, successor). Parents may come after their children in the file. All accepted rows
// are written in one transaction, after the whole resulting tree has been checked.
Result<ImportSummary> ImportUnitsCsv(Store& store, CsvReader& reader, const ImportOptions& options);

// Imports visits for the SMS survey (columns visit_id, unit, ended_at, phone, language,
// visit_type; optional age_group). Rows are parsed here; `prepare` checks one visit (unit,
// phone, times) and `commit` stores a batch durably and returns per-visit results
// ("created", "duplicate" or "skipped:<reason>"), counted into the summary (skipped ones are
// counted as imported: their visit is stored, only no message goes out).
using VisitPreparer = std::function<std::optional<FieldError>(Visit&)>;
using VisitCommitter = std::function<Result<std::vector<std::string>>(const std::vector<Visit>&)>;
Result<ImportSummary> ImportVisitsCsv(CsvReader& reader, const ImportOptions& options,
                                      const VisitPreparer& prepare, const VisitCommitter& commit);

}  // namespace mittari
