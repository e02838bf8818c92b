// Import throughput: writes an N-row responses CSV from the demo generator (once, cached),
// imports it into a fresh SQLite database through the real pipeline (parse → validate →
// redact → durable batched commits) and prints rows per second. Then loads the engine from
// the database and times a few NPS queries.
//
// Usage: import_bench [--rows N] [--dir DIR]
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "common/csv.h"
#include "demo/demo.h"
#include "ingest/csv_import.h"
#include "service/service.h"

using namespace mittari;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

Status WriteCsv(const std::string& path, int64_t rows) {
  std::FILE* out = std::fopen((path + ".tmp").c_str(), "wb");
  if (!out) return UnavailableError("cannot write " + path);
  std::string header =
      "source,external_id,survey,unit,answered_at,channel,language,visit_type,age_group,score,comment,"
      "q:information,q:treatment\n";
  std::fwrite(header.data(), 1, header.size(), out);
  demo::DemoOptions options;
  options.responses = rows;
  std::vector<Unit> units = demo::GenerateUnits(options.seed);
  Status status = demo::GenerateResponses(units, options, 10000, [&](std::vector<Response>& batch) {
    std::string text;
    for (const Response& r : batch) {
      std::string information, treatment;
      for (const ScaleAnswer& s : r.scales) {
        (s.question == "information" ? information : treatment) = std::to_string(s.value);
      }
      text += CsvJoin({r.source, r.external_id, std::string(ToName(r.survey)), r.unit_code,
                       FormatInstantUtc(r.answered_at), std::string(ToName(r.channel)),
                       std::string(ToName(r.language)), std::string(ToName(r.visit_type)),
                       std::string(ToName(r.age_group)), std::to_string(r.score), r.comment.value_or(""),
                       information, treatment});
      text += '\n';
    }
    std::fwrite(text.data(), 1, text.size(), out);
    return Status::Ok();
  });
  std::fclose(out);
  RETURN_IF_ERROR(status);
  std::filesystem::rename(path + ".tmp", path);
  return Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  int64_t rows = 1000000;
  std::string dir = "build/bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--rows") == 0) rows = std::stoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
  }
  std::filesystem::create_directories(dir);
  std::string csv = fmt::format("{}/responses-{}.csv", dir, rows);
  if (!std::filesystem::exists(csv)) {
    auto start = Clock::now();
    Status status = WriteCsv(csv, rows);
    if (!status.ok()) {
      fmt::print(stderr, "{}\n", status.ToString());
      return 1;
    }
    fmt::print("wrote {} ({} rows, {:.0f} MB) in {:.1f} s\n", csv, rows,
               std::filesystem::file_size(csv) / 1e6, Seconds(start));
  }
  std::string db = fmt::format("{}/import-{}.db", dir, rows);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);

  Result<std::unique_ptr<Service>> service = Service::Open(db, true);
  if (!service.ok()) {
    fmt::print(stderr, "{}\n", service.status().ToString());
    return 1;
  }
  Result<ResponseWriteStats> units = (*service)->GenerateDemo(DemoRequest{0, 1, false, nullptr});
  if (!units.ok()) {
    fmt::print(stderr, "{}\n", units.status().ToString());
    return 1;
  }
  ImportOptions options;
  auto start = Clock::now();
  Result<ImportSummary> summary = (*service)->ImportResponses(csv, options);
  double import_seconds = Seconds(start);
  if (!summary.ok()) {
    fmt::print(stderr, "{}\n", summary.status().ToString());
    return 1;
  }
  fmt::print("import: {} rows in {:.2f} s = {:.0f} rows/s (imported {}, duplicates {}, rejected {})\n",
             rows, import_seconds, rows / import_seconds, summary->imported, summary->duplicates,
             summary->rejected);

  // Loading the engine from the store: a fresh service, as a CLI call would do.
  service->reset();
  service = Service::Open(db, false);
  start = Clock::now();
  Result<const Engine*> engine = (*service)->engine();
  if (!engine.ok()) {
    fmt::print(stderr, "{}\n", engine.status().ToString());
    return 1;
  }
  fmt::print("engine load: {} rows in {:.2f} s\n", (*engine)->rows(), Seconds(start));
  for (const char* by : {"year", "month", "unit", "area,quarter,visit_type"}) {
    ReportRequest request;
    std::string list = by;
    size_t pos = 0;
    while (true) {
      size_t comma = list.find(',', pos);
      request.by.push_back(list.substr(pos, comma - pos));
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    start = Clock::now();
    constexpr int kRepeats = 5;
    size_t groups = 0;
    for (int i = 0; i < kRepeats; ++i) groups = (*service)->NpsReport(request)->rows.size();
    fmt::print("nps --by {}: {} groups, {:.1f} ms per query\n", by, groups, Seconds(start) * 1000 / kRepeats);
  }
  return 0;
}
