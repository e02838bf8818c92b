// File: service/service.h
//
// The application: owns the store and the analytics engine and offers the use-cases that the
// faces (the CLI now, the HTTP API later) call. Faces parse their input, call one method here
// and render the report::Table they get back, so the CLI's `--format json` and the API's JSON
// are the same rows.
//
// The engine is loaded from the store on first use and then follows it by appending what was
// committed after the rows it has (CatchUp), never by reloading everything.
//
// Thread-compatible: one thread at a time (the HTTP server will serialise writes).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analytics/engine.h"
#include "common/status.h"
#include "ingest/csv_import.h"
#include "report/report.h"
#include "store/store.h"

namespace mittari {

// A report request in the words a user types: the CLI flags and, later, the URL parameters.
struct ReportRequest {
  std::optional<std::string> unit;   // subtree
  std::optional<std::string> from;   // YYYY-MM-DD, inclusive local date
  std::optional<std::string> to;     // YYYY-MM-DD, inclusive local date
  std::vector<std::string> by;       // dimension names
  std::vector<std::string> where;    // "dimension=value[,value…]"
  int min_n = kDefaultMinN;
  bool current_structure = true;
  std::string names_language = "fi";  // language of unit names in the output
};

struct DemoRequest {
  int64_t responses = 600000;
  uint64_t seed = 1;
  std::function<void(int64_t done, int64_t total)> on_progress;
};

struct ServiceOptions {
  // Stores with at least this many answers are loaded into the engine by two threads.
  int64_t parallel_load_from = 400000;
};

class Service {
 public:
  // Opens the database at `db_path`. With create_if_missing false, a missing file is an error
  // (Unavailable) instead of a new empty database.
  static Result<std::unique_ptr<Service>> Open(const std::string& db_path, bool create_if_missing,
                                               ServiceOptions options = {});

  Store& store() { return *store_; }

  // The engine, loaded on first call. Returns the store's error when loading fails.
  Result<const Engine*> engine();
  // Appends responses committed since the engine was loaded. No-op before the first load.
  Status CatchUp();

  Result<ImportSummary> ImportUnits(const std::string& path, const ImportOptions& options);
  Result<ImportSummary> ImportResponses(const std::string& path, const ImportOptions& options);

  // NPS per group: columns are the `by` dimensions (plus `<dim>_name` for unit levels), then
  // n, promoters, passives, detractors, nps, ci_low, ci_high, suppressed. Returns
  // InvalidArgument / NotFound with a message naming the bad parameter.
  Result<report::Table> NpsReport(const ReportRequest& request);
  // Top-2-box share of a 1–5 question: the `by` columns, then n, top2, share, ci_low,
  // ci_high, suppressed.
  Result<report::Table> ShareReport(const std::string& question, const ReportRequest& request);
  // The organisation tree in pre-order: code, parent, kind, depth, names, validity, successor.
  Result<report::Table> UnitsReport();

  // Writes every stored answer's facts as CSV to `out` (no comments, no identifiers):
  // unit,centre,area,local_date,channel,language,visit_type,age_group,survey,score. Units are
  // reported under their current successor; local_date is the Europe/Helsinki date. Meant for
  // analysts and for checking Mittari against other engines (bench/compare). Returns the
  // store's error, or Unavailable when writing fails.
  Status ExportFacts(std::FILE* out);

  // Builds the demo district (idempotent: running it again adds nothing). Returns how many
  // responses were stored and how many were already there.
  Result<ResponseWriteStats> GenerateDemo(const DemoRequest& request);

 private:
  Service(std::string db_path, std::unique_ptr<Store> store, ServiceOptions options)
      : db_path_(std::move(db_path)), store_(std::move(store)), options_(options) {}
  // First load of a large store: two connections scan the two halves of the id range at
  // once, the second one converting rows while the first appends.
  Status LoadInParallel(int64_t up_to_id);
  Result<OrgTree> LoadTree();
  Result<Query> ToQuery(const Engine& engine, const ReportRequest& request) const;

  std::string db_path_;
  std::unique_ptr<Store> store_;
  ServiceOptions options_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace mittari
