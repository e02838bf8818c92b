// The `mittari` command line: flags → one service call → a rendered report. No business logic
// lives here.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <signal.h>

#include <thread>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "common/config.h"
#include "http/server.h"
#include "ingest/regional_import.h"
#include "progress.h"
#include "report/report.h"
#include "service/service.h"
#include "scorecard/definition.h"
#include "text/analyzer.h"
#include "text/redact.h"

#include <nlohmann/json.hpp>

namespace mittari::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
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

// The SMS settings of a mittari.yaml, or the defaults when no file is named.
Result<Config> ConfigFrom(const std::string& config_path) {
  if (config_path.empty()) return Config{};
  return LoadConfig(config_path);
}

int RunImport(const std::string& db, const std::string& what, const std::string& path,
              size_t batch_size, const std::string& rejects, const std::string& config_path) {
  Result<std::unique_ptr<Service>> service = Service::Open(db, /*create_if_missing=*/true);
  if (!service.ok()) return Fail(service.status());
  if (what == "visits") {
    Result<Config> config = ConfigFrom(config_path);
    if (!config.ok()) return Fail(config.status());
    if (Status s = (*service)->ConfigureSms(config->sms); !s.ok()) return Fail(s);
  }
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
  Result<ImportSummary> summary = what == "units"       ? (*service)->ImportUnits(path, options)
                                  : what == "visits"    ? (*service)->ImportVisits(path, options)
                                  : what == "responses" ? (*service)->ImportResponses(path, options)
                                                        : (*service)->ImportRegional(what, path, options);
  bar.Finish();
  if (!summary.ok()) return Fail(summary.status().WithContext(fmt::format("importing '{}'", path)));
  for (const std::string& warning : summary->warnings) std::fprintf(stderr, "warning: %s\n", warning.c_str());
  if (rejections > kShownRejections) {
    std::fprintf(stderr, "… and %lld more rejected rows\n", static_cast<long long>(rejections - kShownRejections));
  }
  std::string line = fmt::format("imported {}, ", summary->imported);
  if (what == "units") line += fmt::format("updated {}, ", summary->updated);
  if (what != "units" && what != "visits" && what != "responses") line += fmt::format("replaced {}, ", summary->updated);
  line += fmt::format("duplicates {}, rejected {}", summary->duplicates, summary->rejected);
  if (summary->rejected > 0) line += fmt::format(" (rejected rows written to {})", options.rejects_path);
  std::printf("%s\n", line.c_str());
  return summary->rejected > 0 ? kExitRejectedRows : kExitOk;
}

// `mittari text analyze`: JSON lines in ({"id", "text", optional "lang"}), one JSON line out per
// good input line; bad lines are reported on standard error with their line number.
int AnalyzeTextLines(std::istream& in, std::FILE* out) {
  Result<std::shared_ptr<const text::CommentAnalyzer>> analyzer = text::CommentAnalyzer::Shared();
  if (!analyzer.ok()) return Fail(analyzer.status());
  std::string line;
  int64_t number = 0, rejected = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    nlohmann::json item = nlohmann::json::parse(line, nullptr, false);
    auto reject = [&](const std::string& reason) {
      ++rejected;
      std::fprintf(stderr, "line %lld: %s\n", static_cast<long long>(number), reason.c_str());
    };
    if (item.is_discarded() || !item.is_object()) { reject("not a JSON object"); continue; }
    if (!item.contains("text") || !item["text"].is_string()) { reject("text: must be a string"); continue; }
    std::optional<Language> hint;
    if (item.contains("lang") && !item["lang"].is_null()) {
      if (!item["lang"].is_string() || !ParseEnum<Language>(item["lang"].get<std::string>())) {
        reject("lang: must be one of " + AllowedNames<Language>());
        continue;
      }
      hint = ParseEnum<Language>(item["lang"].get<std::string>());
    }
    std::string redacted;
    try {
      redacted = text::RedactPersonalData(item["text"].get<std::string>());
    } catch (const nlohmann::json::exception& e) {
      reject(std::string("text: ") + e.what());
      continue;
    }
    text::CommentAnalysis a = (*analyzer)->Analyze(redacted, hint);
    nlohmann::json themes = nlohmann::json::array();
    for (size_t t = 0; t < EnumCount<Theme>(); ++t) {
      if (HasTheme(a.themes, static_cast<Theme>(t))) themes.push_back(ToName(static_cast<Theme>(t)));
    }
    nlohmann::json result = {{"id", item.contains("id") ? item["id"] : nlohmann::json(nullptr)},
                             {"lang", ToName(a.language)}, {"themes", themes},
                             {"sentiment", ToName(a.sentiment)}, {"redacted", redacted}};
    std::string text_out = result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::fwrite(text_out.data(), 1, text_out.size(), out);
  }
  if (rejected > 0) {
    std::fprintf(stderr, "%lld line(s) rejected\n", static_cast<long long>(rejected));
    return kExitRejectedRows;
  }
  return kExitOk;
}

// Writes a report to standard output or to `out_path`; binary XLSX never goes to a terminal.
int WriteOutput(const std::string& bytes, const std::string& format, const std::string& out_path) {
  if (out_path.empty() || out_path == "-") {
    if (format == "xlsx" && isatty(STDOUT_FILENO)) {
      return Fail(InvalidArgumentError("--format xlsx writes a binary file: give --out FILE.xlsx"));
    }
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  } else {
    FILE* f = std::fopen(out_path.c_str(), "wb");
    if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0) {
      return Fail(UnavailableError(fmt::format("cannot write '{}'", out_path)));
    }
    std::printf("wrote %s\n", out_path.c_str());
  }
  return kExitOk;
}

constexpr const char* kDefaultRegionalPath = "config/regional.yaml";

// `mittari scorecard report`: the year's scorecard in a language and format.
int ScorecardReport(const std::string& db, const std::string& card_path, int year, const std::string& lang,
                    const std::string& format, const std::string& out_path) {
  Result<scorecard::Scorecard> card = scorecard::LoadScorecard(card_path);
  if (!card.ok()) return Fail(card.status());
  Result<std::unique_ptr<Service>> service = OpenExisting(db);
  if (!service.ok()) return Fail(service.status());
  Result<std::vector<ScorecardRow>> rows = (*service)->EvaluateScorecard(*card, year);
  if (!rows.ok()) return Fail(rows.status());
  std::string bytes;
  if (format == "json") {
    bytes = ScorecardJson(*rows, lang).dump(2) + "\n";
  } else {
    report::Table table = ScorecardTable(*rows, lang);
    const std::string title = fmt::format("{} — {}", card->title.In(lang), year);
    if (format == "html") {
      bytes = report::RenderHtml(table, title, lang, /*group_by_first_column=*/true);
    } else if (format == "xlsx") {
      Result<std::string> xlsx = report::RenderXlsx(table, fmt::format("{}", year));
      if (!xlsx.ok()) return Fail(xlsx.status());
      bytes = *xlsx;
    } else {
      Result<report::Format> parsed = report::ParseFormat(format);
      if (!parsed.ok()) return Fail(parsed.status());
      bytes = report::Render(table, *parsed);
    }
  }
  return WriteOutput(bytes, format, out_path);
}

// The regional definitions in `path`: the defaults when the file is the default one and does
// not exist, an error naming the line for anything wrong in it.
Result<regional::RegionalDefinition> RegionalDefinitionFrom(const std::string& path) {
  if (path == kDefaultRegionalPath && !std::filesystem::exists(path)) {
    std::fprintf(stderr,
                 "warning: no %s here; using the defaults (pooling above 80 000 €, no capitation or bonus "
                 "years): give --definition FILE\n",
                 kDefaultRegionalPath);
    return regional::RegionalDefinition{};
  }
  return regional::LoadRegionalDefinition(path);
}

// A regional report in a format: JSON keeps the column keys, the others get the language's labels.
int RegionalReport(const Result<report::Table>& table, const std::string& format, const std::string& lang,
                   const std::string& out_path, const std::string& sheet) {
  if (!table.ok()) return Fail(table.status());
  std::string bytes;
  if (format == "json") {
    bytes = report::Render(*table, report::Format::kJson);
  } else if (format == "xlsx") {
    Result<std::string> xlsx = report::RenderXlsx(LabelRegionalColumns(*table, lang), sheet);
    if (!xlsx.ok()) return Fail(xlsx.status());
    bytes = *xlsx;
  } else if (format == "table") {
    bytes = report::RenderTableIn(LabelRegionalColumns(*table, lang), lang);
  } else {
    Result<report::Format> parsed = report::ParseFormat(format);
    if (!parsed.ok()) return Fail(parsed.status());
    bytes = report::Render(LabelRegionalColumns(*table, lang), *parsed);
  }
  return WriteOutput(bytes, format, out_path);
}

// Reads a password from standard input (one line), so it never appears in the process list.
std::string ReadPassword(const char* prompt) {
  if (isatty(STDIN_FILENO)) std::fprintf(stderr, "%s", prompt);
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int Serve(const std::string& db, const std::string& listen, const std::string& config_path,
          const std::string& web_root) {
  Config config;
  if (!config_path.empty()) {
    Result<Config> loaded = LoadConfig(config_path);
    if (!loaded.ok()) return Fail(loaded.status());
    config = *loaded;
  }
  std::string address = listen.empty() ? config.listen : listen;
  size_t colon = address.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    try {
      port = std::stoi(address.substr(colon + 1));
    } catch (...) {
    }
  }
  if (port < 0 || port > 65535) {
    return Fail(InvalidArgumentError(fmt::format("--listen '{}' must be HOST:PORT", address)));
  }
  std::string host = address.substr(0, colon);
  // Signals go to one thread that stops the server; the others never see them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Result<std::unique_ptr<Service>> service = Service::Open(db, /*create_if_missing=*/false);
  if (!service.ok()) return Fail(service.status());
  // Standard output carries only the address line; logs go to standard error.
  spdlog::set_default_logger(spdlog::stderr_color_mt("mittari"));
  if (Status s = (*service)->ConfigureSms(config.sms); !s.ok()) return Fail(s);
  Result<regional::RegionalDefinition> regional_definition = RegionalDefinitionFrom(config.regional_path);
  if (!regional_definition.ok()) return Fail(regional_definition.status());
  (*service)->ConfigureRegional(std::move(regional_definition).value());
  if (!config.sms.kannel_sendsms_url.empty()) {
    if (Status s = (*service)->StartSmsDispatcher(); !s.ok()) return Fail(s);
    spdlog::info("sms: sending through {}", config.sms.kannel_sendsms_url);
  }
  http::ApiServer server(**service, config, web_root);
  Result<int> bound = server.Bind(host, port);
  if (!bound.ok()) return Fail(bound.status());
  std::printf("listening on http://%s:%d\n", host.c_str(), *bound);
  std::fflush(stdout);
  std::thread stopper([&] {
    int received = 0;
    sigwait(&signals, &received);
    std::fprintf(stderr, "mittari: stopping (signal %d); finishing requests in flight\n", received);
    server.Stop();
  });
  Status status = server.Run();
  // Wake the signal thread if the server ended on its own.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (!status.ok()) return Fail(status);
  return kExitOk;
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
  std::string import_config;
  for (const char* what : {"units", "responses", "visits"}) {
    CLI::App* sub = import->add_subcommand(
        what, std::string("Import ") + what + " from a CSV file (see README for the columns)");
    add_db(sub);
    if (std::string_view(what) == "visits") {
      sub->add_option("--config", import_config, "mittari.yaml (the sms section: rules, key file)")
          ->check(CLI::ExistingFile);
    }
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

  // serve
  CLI::App* serve = app.add_subcommand("serve", "Run the HTTP API and the patient web form");
  add_db(serve);
  std::string listen, config_path;
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free one)");
  serve->add_option("--config", config_path, "mittari.yaml with settings (see README)")->check(CLI::ExistingFile);
  std::string web_root = MITTARI_DEFAULT_WEB_ROOT;
  serve->add_option("--web-root", web_root, "Directory of the built dashboard (default: the build's build/web)");

  // user
  CLI::App* user = app.add_subcommand("user", "Manage users, their units and API tokens");
  user->require_subcommand(1);
  std::string user_name, user_role = "analyst", user_unit, token_label;
  bool password_from_stdin = false;
  CLI::App* user_add = user->add_subcommand("add", "Add a user (the password is read from standard input)");
  add_db(user_add);
  user_add->add_option("name", user_name, "User name")->required();
  user_add->add_option("--role", user_role, "admin, analyst, manager, integration or finance")
      ->check(CLI::IsMember({"admin", "analyst", "manager", "integration", "finance"}));
  user_add->add_flag("--password-stdin", password_from_stdin, "Read the password from standard input");
  CLI::App* user_passwd = user->add_subcommand("passwd", "Set a user's password (read from standard input)");
  add_db(user_passwd);
  user_passwd->add_option("name", user_name, "User name")->required();
  CLI::App* user_grant = user->add_subcommand("grant", "Let a manager see a unit's subtree");
  add_db(user_grant);
  user_grant->add_option("name", user_name, "User name")->required();
  user_grant->add_option("unit", user_unit, "Unit code")->required();
  CLI::App* user_token = user->add_subcommand("token", "Create an API token for a user (printed once)");
  add_db(user_token);
  user_token->add_option("name", user_name, "User name")->required();
  user_token->add_option("--label", token_label, "What the token is for");

  // invite
  CLI::App* invite = app.add_subcommand("invite", "Create a one-time web form link for a visit");
  add_db(invite);
  std::string invite_unit, invite_language = "fi", invite_visit = "outpatient", invite_age = "unknown";
  invite->add_option("unit", invite_unit, "Unit code")->required();
  invite->add_option("--language", invite_language, "fi, sv or en")->check(CLI::IsMember({"fi", "sv", "en"}));
  invite->add_option("--visit-type", invite_visit, "Visit type")
      ->check(CLI::IsMember({"outpatient", "inpatient", "emergency", "remote", "other"}));
  invite->add_option("--age-group", invite_age, "Age group")
      ->check(CLI::IsMember({"0-17", "18-29", "30-44", "45-64", "65-74", "75+", "unknown"}));

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
  bool demo_staff_survey = false;
  demo->add_flag("--staff-survey", demo_staff_survey, "Also the staff survey 2023–2025 (eNPS and 'satisfied with my manager')");
  std::string demo_regional;
  demo->add_option("--regional", demo_regional,
                   "Also regional finance for 2025: write the demo's CSV files into this directory and import them");

  // text
  CLI::App* text_cmd = app.add_subcommand("text", "Comment analytics: language, themes, sentiment");
  text_cmd->require_subcommand(1);
  CLI::App* text_analyze = text_cmd->add_subcommand(
      "analyze", "Read JSON lines {\"id\", \"text\"[, \"lang\"]} on stdin; write {\"id\", \"lang\", "
                 "\"themes\", \"sentiment\", \"redacted\"} per line");
  CLI::App* text_themes = text_cmd->add_subcommand(
      "themes", "Theme counts and the NPS of answers whose comment mentions each theme");
  add_db(text_themes);
  ReportFlags themes_flags;
  themes_flags.AddTo(text_themes);
  CLI::App* text_reanalyze = text_cmd->add_subcommand(
      "reanalyze", "Analyse every stored comment again with the current data/lexicon files");
  add_db(text_reanalyze);

  // scorecard
  CLI::App* scorecard_cmd = app.add_subcommand("scorecard", "The strategy scorecard: targets and outcomes per year");
  scorecard_cmd->require_subcommand(1);
  std::string card_path = "config/scorecard.yaml", card_lang = "fi", card_format = "table", card_out, values_path;
  int card_year = 0;
  CLI::App* card_report = scorecard_cmd->add_subcommand("report", "The year's scorecard: goal, indicator, target, outcome, status");
  add_db(card_report);
  card_report->add_option("--scorecard", card_path, "The scorecard definition (YAML)")->check(CLI::ExistingFile);
  card_report->add_option("--year", card_year, "Year")->required()->check(CLI::Range(2000, 2100));
  card_report->add_option("--lang", card_lang, "Language of labels and numbers")->check(CLI::IsMember({"fi", "sv", "en"}));
  card_report->add_option("--format", card_format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json", "xlsx", "html"}));
  card_report->add_option("--out", card_out, "Write to this file instead of standard output");
  CLI::App* card_values = scorecard_cmd->add_subcommand("values", "Reported (manual) indicator values");
  card_values->require_subcommand(1);
  CLI::App* card_values_import = card_values->add_subcommand("import", "Import values from CSV: indicator,year,value");
  add_db(card_values_import);
  card_values_import->add_option("file", values_path, "CSV file")->required()->check(CLI::ExistingFile);
  card_values_import->add_option("--scorecard", card_path, "The scorecard definition (YAML)")->check(CLI::ExistingFile);

  // regional
  CLI::App* regional_cmd = app.add_subcommand(
      "regional", "Regional finance: municipal invoices, cost per resident, capitation, incentive bonus");
  regional_cmd->require_subcommand(1);
  std::string regional_kind, regional_path, regional_payer, regional_month, regional_lang = "fi",
      regional_format = "table", regional_out, regional_definition = kDefaultRegionalPath;
  int regional_year = 0;
  bool regional_standardised = false;
  CLI::App* regional_import = regional_cmd->add_subcommand(
      "import", "Import a CSV file; it replaces the periods (years or months) it contains");
  add_db(regional_import);
  regional_import->add_option("kind", regional_kind, "municipalities, population, prices, production, patient-costs, ledger or need")
      ->required()
      ->check(CLI::IsMember(std::vector<std::string>(kRegionalImportKinds.begin(), kRegionalImportKinds.end())));
  regional_import->add_option("file", regional_path, "CSV file")->required()->check(CLI::ExistingFile);
  regional_import->add_option("--rejects", rejects, "Where to write rejected rows (default: <file>.rejects.csv)");
  auto add_regional_report = [&](CLI::App* sub) {
    add_db(sub);
    sub->add_option("--lang", regional_lang, "Language of names and labels")->check(CLI::IsMember({"fi", "sv", "en"}));
    sub->add_option("--format", regional_format, "Output format")->check(CLI::IsMember({"table", "csv", "json", "xlsx"}));
    sub->add_option("--out", regional_out, "Write to this file instead of standard output");
    sub->add_option("--definition", regional_definition, "Pooling, capitation and bonus definitions (YAML)");
  };
  CLI::App* regional_invoice = regional_cmd->add_subcommand(
      "invoice", "A payer's invoice for a month (December's also settles the year's high-cost pooling)");
  add_regional_report(regional_invoice);
  regional_invoice->add_option("--payer", regional_payer, "Payer code (a wellbeing services county or city)")->required();
  regional_invoice->add_option("--month", regional_month, "YYYY-MM")->required();
  CLI::App* regional_compare = regional_cmd->add_subcommand(
      "compare", "Cost per resident and per patient by municipality, crude and age-standardised");
  add_regional_report(regional_compare);
  regional_compare->add_option("--year", regional_year, "Year")->required()->check(CLI::Range(2000, 2100));
  regional_compare->add_flag("--standardised", regional_standardised,
                             "Add age-standardised rates (direct, to the district's population) and rank by them");
  CLI::App* regional_capitation = regional_cmd->add_subcommand(
      "capitation", "Capitation budgets: residents × age weights × need coefficient, shared to the total");
  add_regional_report(regional_capitation);
  regional_capitation->add_option("--year", regional_year, "Year")->required()->check(CLI::Range(2000, 2100));
  CLI::App* regional_bonus = regional_cmd->add_subcommand(
      "bonus", "Triple-aim incentive bonus per provider: quality, effectiveness, cost-efficiency");
  add_regional_report(regional_bonus);
  regional_bonus->add_option("--year", regional_year, "Year")->required()->check(CLI::Range(2000, 2100));

  // sms
  CLI::App* sms = app.add_subcommand("sms", "The post-visit SMS survey: state and dispatch");
  sms->require_subcommand(1);
  std::string sms_config, sms_format = "table";
  CLI::App* sms_status = sms->add_subcommand(
      "status", "Invitations, messages and incoming messages by state (unknown = maybe sent, never re-sent)");
  add_db(sms_status);
  sms_status->add_option("--format", sms_format, "Output format")->check(CLI::IsMember({"table", "csv", "json"}));
  CLI::App* sms_dispatch = sms->add_subcommand(
      "dispatch", "One dispatch round: close expired invitations, hand due messages to Kannel");
  add_db(sms_dispatch);
  sms_dispatch->add_option("--config", sms_config, "mittari.yaml with the sms section")->required()->check(CLI::ExistingFile);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // app.exit prints the message (or the help); bad arguments are exit code 2 for scripts.
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  if (*import) {
    return RunImport(db, import_what, path, batch_size, rejects, import_config);
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
  if (*serve) return Serve(db, listen, config_path, web_root);
  if (*text_analyze) return AnalyzeTextLines(std::cin, stdout);
  if (*card_report) return ScorecardReport(db, card_path, card_year, card_lang, card_format, card_out);
  if (*card_values_import) {
    Result<scorecard::Scorecard> card = scorecard::LoadScorecard(card_path);
    if (!card.ok()) return Fail(card.status());
    Result<std::unique_ptr<Service>> service = OpenExisting(db);
    if (!service.ok()) return Fail(service.status());
    ImportOptions options;
    int64_t shown = 0;
    options.on_reject = [&](const RowRejection& r) {
      if (++shown > 20) return;
      std::fprintf(stderr, "row %lld, field %s: %s\n", static_cast<long long>(r.row), r.field.c_str(), r.reason.c_str());
    };
    Result<ImportSummary> summary = (*service)->ImportScorecardValues(*card, values_path, options);
    if (!summary.ok()) return Fail(summary.status().WithContext(fmt::format("importing '{}'", values_path)));
    std::printf("imported %lld, unchanged %lld, rejected %lld\n", static_cast<long long>(summary->imported),
                static_cast<long long>(summary->duplicates), static_cast<long long>(summary->rejected));
    return summary->rejected > 0 ? kExitRejectedRows : kExitOk;
  }
  if (*text_themes || *text_reanalyze) {
    Result<std::unique_ptr<Service>> service = OpenExisting(db);
    if (!service.ok()) return Fail(service.status());
    if (*text_themes) return PrintTable((*service)->ThemesReport(themes_flags.ToRequest()), themes_flags.format);
    ProgressBar bar("re-analysing comments");
    Result<int64_t> done = (*service)->ReanalyzeComments([&](int64_t n) { bar.Update(n, 0); });
    bar.Finish();
    if (!done.ok()) return Fail(done.status());
    std::printf("analysed %lld comments\n", static_cast<long long>(*done));
    return kExitOk;
  }
  if (*regional_import) return RunImport(db, regional_kind, regional_path, batch_size, rejects, "");
  if (*regional_cmd) {
    Result<regional::RegionalDefinition> definition = RegionalDefinitionFrom(regional_definition);
    if (!definition.ok()) return Fail(definition.status());
    Result<std::unique_ptr<Service>> service = OpenExisting(db);
    if (!service.ok()) return Fail(service.status());
    Service& s = **service;
    s.ConfigureRegional(std::move(definition).value());
    if (*regional_invoice) {
      return RegionalReport(s.RegionalInvoice(regional_payer, regional_month, regional_lang), regional_format,
                            regional_lang, regional_out, regional_month);
    }
    const std::string sheet = std::to_string(regional_year);
    if (*regional_compare) {
      return RegionalReport(s.RegionalComparison(regional_year, regional_standardised, regional_lang), regional_format,
                            regional_lang, regional_out, sheet);
    }
    if (*regional_capitation) {
      return RegionalReport(s.RegionalCapitation(regional_year, regional_lang), regional_format, regional_lang,
                            regional_out, sheet);
    }
    return RegionalReport(s.RegionalBonus(regional_year, regional_lang), regional_format, regional_lang, regional_out,
                          sheet);
  }
  if (*sms) {
    Result<std::unique_ptr<Service>> service = OpenExisting(db);
    if (!service.ok()) return Fail(service.status());
    if (*sms_status) return PrintTable((*service)->SmsStatus(), sms_format);
    Result<Config> config = ConfigFrom(sms_config);
    if (!config.ok()) return Fail(config.status());
    if (Status s = (*service)->ConfigureSms(config->sms); !s.ok()) return Fail(s);
    Result<int64_t> interrupted = (*service)->RecoverInterruptedSms();
    if (!interrupted.ok()) return Fail(interrupted.status());
    Result<SmsDispatchStats> stats = (*service)->DispatchSms(std::time(nullptr));
    if (!stats.ok()) return Fail(stats.status());
    std::printf("closed %lld, sent %lld, retry later %lld, failed %lld, unknown %lld (interrupted before: %lld)\n",
                static_cast<long long>(stats->closed), static_cast<long long>(stats->sent),
                static_cast<long long>(stats->retried), static_cast<long long>(stats->failed),
                static_cast<long long>(stats->unknown), static_cast<long long>(*interrupted));
    return kExitOk;
  }
  if (*user || *invite) {
    Result<std::unique_ptr<Service>> service = OpenExisting(db);
    if (!service.ok()) return Fail(service.status());
    Service& s = **service;
    if (*user_add) {
      std::string password;
      if (password_from_stdin) password = ReadPassword("password: ");
      Status status = s.AddUser(user_name, *ParseEnum<Role>(user_role), password);
      if (!status.ok()) return Fail(status);
      std::printf("added %s (%s)\n", user_name.c_str(), user_role.c_str());
      return kExitOk;
    }
    if (*user_passwd) {
      Status status = s.SetPassword(user_name, ReadPassword("new password: "));
      if (!status.ok()) return Fail(status);
      std::printf("password of %s changed\n", user_name.c_str());
      return kExitOk;
    }
    if (*user_grant) {
      Status status = s.GrantUnit(user_name, user_unit);
      if (!status.ok()) return Fail(status);
      std::printf("%s may now see %s and the units below it\n", user_name.c_str(), user_unit.c_str());
      return kExitOk;
    }
    if (*user_token) {
      Result<std::string> token = s.CreateApiToken(user_name, token_label);
      if (!token.ok()) return Fail(token.status());
      std::printf("%s\n", token->c_str());
      return kExitOk;
    }
    Result<std::string> token = s.CreateInvitation(invite_unit, *ParseEnum<Language>(invite_language),
                                                   *ParseEnum<VisitType>(invite_visit), *ParseEnum<AgeGroup>(invite_age));
    if (!token.ok()) return Fail(token.status());
    std::printf("/f/%s\n", token->c_str());
    return kExitOk;
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
    request.staff_survey = demo_staff_survey;
    request.on_progress = [&](int64_t done, int64_t total) { bar.Update(done, total); };
    Result<ResponseWriteStats> stats = (*service)->GenerateDemo(request);
    bar.Finish();
    if (!stats.ok()) return Fail(stats.status());
    std::printf("demo district in %s: imported %lld, duplicates %lld, rejected 0\n", db.c_str(),
                static_cast<long long>(stats->inserted), static_cast<long long>(stats->duplicates));
    if (stats->employee_inserted > 0) {
      std::printf("staff survey: imported %lld answers\n", static_cast<long long>(stats->employee_inserted));
    }
    if (!demo_regional.empty()) {
      Result<std::vector<std::string>> lines = (*service)->GenerateRegionalDemo(demo_regional, 2025, demo_seed);
      if (!lines.ok()) return Fail(lines.status());
      for (const std::string& line : *lines) std::printf("regional %s\n", line.c_str());
    }
    return kExitOk;
  }
  return kExitOk;
}

}  // namespace mittari::cli

int main(int argc, char** argv) { return mittari::cli::Main(argc, argv); }
