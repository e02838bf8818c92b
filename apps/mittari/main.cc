// The `mittari` command line: flags → one service call → a rendered report. No business logic
// lives here.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "progress.h"
#include "report/report.h"
#include "service/service.h"

namespace mittari::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitRejectedRows = 3;

constexpr const char* kDefaultDb = "mittari.db";

int Fail(const Status& status) {
  std::fprintf(stderr, "mittari: %s\n", status.message().c_str());
  return kExitError;
}

// Flags shared by every report.
struct ReportFlags {
  std::string unit, from, to, by, format = "table", lang = "fi";
  std::vector<std::string> where;
  int min_n = kDefaultMinN;
  bool historical_units = false;

  void AddTo(CLI::App* app) {
    app->add_option("--unit", unit, "Only this unit's subtree (unit code)");
    app->add_option("--from", from, "First local date, inclusive (YYYY-MM-DD, Europe/Helsinki)");
    app->add_option("--to", to, "Last local date, inclusive (YYYY-MM-DD, Europe/Helsinki)");
    app->add_option("--by", by,
                    "Group by dimensions, comma separated: unit, centre, area, day, week, month, "
                    "quarter, year, channel, language, visit_type, age_group, survey");
    app->add_option("--where", where,
                    "Filter dimension=value[,value…]; repeat for several (e.g. --where channel=sms "
                    "--where year=2024)");
    app->add_option("--min-n", min_n, "Suppress groups with fewer answers than this")
        ->check(CLI::PositiveNumber);
    app->add_option("--format", format, "Output format")->check(CLI::IsMember({"table", "csv", "json"}));
    app->add_option("--lang", lang, "Language of unit names in the output")
        ->check(CLI::IsMember({"fi", "sv", "en"}));
    app->add_flag("--historical-units", historical_units,
                  "Report closed units under their own codes instead of their current successors");
  }

  ReportRequest ToRequest() const {
    ReportRequest request;
    if (!unit.empty()) request.unit = unit;
    if (!from.empty()) request.from = from;
    if (!to.empty()) request.to = to;
    size_t start = 0;
    while (start <= by.size() && !by.empty()) {
      size_t comma = by.find(',', start);
      std::string item = by.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty()) request.by.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    request.where = where;
    request.min_n = min_n;
    request.current_structure = !historical_units;
    request.names_language = lang;
    return request;
  }
};

int PrintTable(const Result<report::Table>& table, const std::string& format_name) {
  if (!table.ok()) return Fail(table.status());
  Result<report::Format> format = report::ParseFormat(format_name);
  if (!format.ok()) return Fail(format.status());
  std::string text = report::Render(*table, *format);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

Result<std::unique_ptr<Service>> OpenExisting(const std::string& db) {
  return Service::Open(db, /*create_if_missing=*/false);
}

int RunImport(const std::string& db, const std::string& what, const std::string& path,
              size_t batch_size, const std::string& rejects) {
  Result<std::unique_ptr<Service>> service = Service::Open(db, /*create_if_missing=*/true);
  if (!service.ok()) return Fail(service.status());
  ProgressBar bar("importing " + what);
  ImportOptions options;
  options.batch_size = batch_size;
  options.rejects_path = rejects.empty() ? RejectsPathFor(path) : rejects;
  options.on_progress = [&](int64_t done, int64_t total) { bar.Update(done, total); };
  constexpr int kShownRejections = 20;
  int64_t rejections = 0;
  options.on_reject = [&](const RowRejection& r) {
    if (++rejections > kShownRejections) return;
    bar.Finish();
    if (r.field.empty()) {
      std::fprintf(stderr, "row %lld: %s\n", static_cast<long long>(r.row), r.reason.c_str());
    } else {
      std::fprintf(stderr, "row %lld, field %s: %s\n", static_cast<long long>(r.row), r.field.c_str(),
                   r.reason.c_str());
    }
  };
  Result<ImportSummary> summary = what == "units" ? (*service)->ImportUnits(path, options)
                                                  : (*service)->ImportResponses(path, options);
  bar.Finish();
  if (!summary.ok()) return Fail(summary.status().WithContext(fmt::format("importing '{}'", path)));
  for (const std::string& warning : summary->warnings) std::fprintf(stderr, "warning: %s\n", warning.c_str());
  if (rejections > kShownRejections) {
    std::fprintf(stderr, "… and %lld more rejected rows\n", static_cast<long long>(rejections - kShownRejections));
  }
  std::string line = fmt::format("imported {}, ", summary->imported);
  if (what == "units") line += fmt::format("updated {}, ", summary->updated);
  line += fmt::format("duplicates {}, rejected {}", summary->duplicates, summary->rejected);
  if (summary->rejected > 0) line += fmt::format(" (rejected rows written to {})", options.rejects_path);
  std::printf("%s\n", line.c_str());
  return summary->rejected > 0 ? kExitRejectedRows : kExitOk;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"Mittari: honest patient-experience and strategy metrics for a hospital district"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "mittari 0.1.0");
  std::string db = kDefaultDb;
  auto add_db = [&](CLI::App* sub) {
    sub->add_option("--db", db, "SQLite database file (default mittari.db, or $MITTARI_DB)")
        ->envname("MITTARI_DB");
  };

  // import
  CLI::App* import = app.add_subcommand("import", "Import units or responses from CSV");
  import->require_subcommand(1);
  std::string path, rejects;
  size_t batch_size = 5000;
  std::string import_what;
  for (const char* what : {"units", "responses"}) {
    CLI::App* sub = import->add_subcommand(
        what, std::string("Import ") + what + " from a CSV file (see README for the columns)");
    add_db(sub);
    sub->add_option("file", path, "CSV file (UTF-8, header row)")->required()->check(CLI::ExistingFile);
    sub->add_option("--batch-size", batch_size, "Rows per durable transaction")->check(CLI::Range(1, 1000000));
    sub->add_option("--rejects", rejects, "Where to write rejected rows (default FILE.rejects.csv)");
    sub->callback([&import_what, what] { import_what = what; });
  }

  // nps
  CLI::App* nps = app.add_subcommand("nps", "Net Promoter Score with 95% intervals, by any grouping");
  add_db(nps);
  ReportFlags nps_flags;
  nps_flags.AddTo(nps);

  // share
  CLI::App* share = app.add_subcommand("share", "Top-2-box share (4–5) of a 1–5 scale question");
  add_db(share);
  std::string question;
  share->add_option("--question", question, "Question code (the CSV column q:<code>)")->required();
  ReportFlags share_flags;
  share_flags.AddTo(share);

  // units
  CLI::App* units = app.add_subcommand("units", "List the organisation tree");
  add_db(units);
  std::string units_format = "table";
  units->add_option("--format", units_format, "Output format")->check(CLI::IsMember({"table", "csv", "json"}));

  // export
  CLI::App* export_cmd = app.add_subcommand("export", "Export data as CSV");
  export_cmd->require_subcommand(1);
  CLI::App* export_facts = export_cmd->add_subcommand(
      "facts", "Every answer's facts (no comments, no identifiers): unit,centre,area,local_date,"
               "channel,language,visit_type,age_group,survey,score");
  add_db(export_facts);
  std::string export_out = "-";
  export_facts->add_option("--out", export_out, "Output file, or - for standard output");

  // demo
  CLI::App* demo = app.add_subcommand("demo", "Build the deterministic demo hospital district");
  add_db(demo);
  int64_t demo_responses = 600000;
  uint64_t demo_seed = 1;
  demo->add_option("--responses", demo_responses, "How many responses (2020–2025)")->check(CLI::Range(int64_t{0}, int64_t{100000000}));
  demo->add_option("--seed", demo_seed, "Random seed; the same seed gives the same district");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (*import) {
    return RunImport(db, import_what, path, batch_size, rejects);
  }
  if (*nps || *share) {
    Result<std::unique_ptr<Service>> service = OpenExisting(db);
    if (!service.ok()) return Fail(service.status());
    if (*nps) return PrintTable((*service)->NpsReport(nps_flags.ToRequest()), nps_flags.format);
    return PrintTable((*service)->ShareReport(question, share_flags.ToRequest()), share_flags.format);
  }
  if (*units) {
    Result<std::unique_ptr<Service>> service = OpenExisting(db);
    if (!service.ok()) return Fail(service.status());
    return PrintTable((*service)->UnitsReport(), units_format);
  }
  if (*export_facts) {
    Result<std::unique_ptr<Service>> service = OpenExisting(db);
    if (!service.ok()) return Fail(service.status());
    std::FILE* out = export_out == "-" ? stdout : std::fopen(export_out.c_str(), "wb");
    if (out == nullptr) return Fail(UnavailableError(fmt::format("cannot write '{}'", export_out)));
    Status status = (*service)->ExportFacts(out);
    if (out != stdout && std::fclose(out) != 0 && status.ok()) {
      status = UnavailableError(fmt::format("cannot write '{}'", export_out));
    }
    return status.ok() ? kExitOk : Fail(status);
  }
  if (*demo) {
    Result<std::unique_ptr<Service>> service = Service::Open(db, /*create_if_missing=*/true);
    if (!service.ok()) return Fail(service.status());
    ProgressBar bar("generating demo");
    DemoRequest request;
    request.responses = demo_responses;
    request.seed = demo_seed;
    request.on_progress = [&](int64_t done, int64_t total) { bar.Update(done, total); };
    Result<ResponseWriteStats> stats = (*service)->GenerateDemo(request);
    bar.Finish();
    if (!stats.ok()) return Fail(stats.status());
    std::printf("demo district in %s: imported %lld, duplicates %lld, rejected 0\n", db.c_str(),
                static_cast<long long>(stats->inserted), static_cast<long long>(stats->duplicates));
    return kExitOk;
  }
  return kExitOk;
}

}  // namespace mittari::cli

int main(int argc, char** argv) { return mittari::cli::Main(argc, argv); }
