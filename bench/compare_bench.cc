// Mittari against SQLite and DuckDB on the same answers (run by bench/compare, which prepares
// the files and runs DuckDB through bench/duckdb/compare_duckdb.mjs).
//
//   compare_bench mittari --db MITTARI.db --out RESULT.json
//       Opens the demo database through the Service, times the engine load and runs the four
//       comparison queries (Service::NpsReport, min_n = 1).
//   compare_bench sqlite --facts FACTS.csv --sqlite-db FILE.db --out RESULT.json
//       Builds FILE.db from the facts CSV when it is missing, older than the CSV or made by an
//       older version of this program (into FILE.db.tmp, renamed when complete), then runs the
//       same queries in SQL.
//   compare_bench report --mittari A.json --sqlite B.json --duckdb C.json
//       Checks that all engines return the same groups with the same promoter / passive /
//       detractor counts, prints the timing table and, last, the summary line. Exits 1 on a
//       mismatch (after printing what differs) or when a result file is missing or malformed.
//
// Every query runs once to warm up, then kRuns times; the result files keep every timed run
// and the groups: {"engine", "version", "rows", "load_s", "load_note", "setup", "queries":
// [{"id", "runs_ms": [...], "groups": [{"key": [...], "promoters", "passives",
// "detractors"}]}]} (Mittari adds "memory_bytes").
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/service.h"

using namespace mittari;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

constexpr int kRuns = 5;

// Bumped whenever the SQLite table or its indexes change, so a cached database is rebuilt.
constexpr std::string_view kSqliteSchema = "facts-v1";
// Indexes given to SQLite (its best shot: the planner may use them for the date ranges and
// the area filter). Listed in the output.
const std::vector<std::string> kSqliteIndexes = {
    "CREATE INDEX facts_local_date ON facts(local_date)",
    "CREATE INDEX facts_area_language ON facts(area, language)",
};

struct QuerySpec {
  const char* id;
  const char* title;
  ReportRequest request;  // Mittari
  const char* sqlite_sql;  // key columns first (as text), then promoters, passives, detractors
  size_t keys;
};

#define COUNTS " SUM(score >= 9) AS p, SUM(score BETWEEN 7 AND 8) AS pa, SUM(score <= 6) AS d "

// SQLite's SQL. Months and quarters are computed from local_date with substr. Q1, Q3 and Q4
// first count per local_date (Q1 reads that in index order, no sort) and then roll the days
// up: SQLite's fastest way that we found, about 2x faster than grouping every row by the
// month or quarter expression.
std::vector<QuerySpec> Queries() {
  std::vector<QuerySpec> queries;
  auto request = [](std::vector<std::string> by) {
    ReportRequest r;
    r.by = std::move(by);
    r.min_n = 1;  // nothing suppressed: counts are comparable
    return r;
  };
  {
    QuerySpec q{"Q1", "NPS per month, all data", request({"month"}),
                "SELECT substr(day, 1, 7), SUM(p), SUM(pa), SUM(d) FROM ("
                "SELECT local_date AS day," COUNTS "FROM facts WHERE survey = 'patient' "
                "GROUP BY local_date) GROUP BY 1 ORDER BY 1",
                1};
    queries.push_back(q);
  }
  {
    QuerySpec q{"Q2", "NPS per unit, 2024, channel=sms", request({"unit"}),
                "SELECT unit," COUNTS
                "FROM facts WHERE survey = 'patient' AND channel = 'sms' "
                "AND local_date BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY 1 ORDER BY 1",
                1};
    q.request.from = "2024-01-01";
    q.request.to = "2024-12-31";
    q.request.where = {"channel=sms"};
    queries.push_back(q);
  }
  {
    QuerySpec q{"Q3", "NPS per area x quarter x visit type, 2023-2024",
                request({"area", "quarter", "visit_type"}),
                "SELECT area, substr(day, 1, 4) || '-Q' || ((CAST(substr(day, 6, 2) AS INTEGER) + 2) / 3), "
                "visit_type, SUM(p), SUM(pa), SUM(d) FROM ("
                "SELECT area, local_date AS day, visit_type," COUNTS "FROM facts WHERE survey = 'patient' "
                "AND local_date BETWEEN '2023-01-01' AND '2024-12-31' GROUP BY local_date, area, visit_type) "
                "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                3};
    q.request.from = "2023-01-01";
    q.request.to = "2024-12-31";
    queries.push_back(q);
  }
  {
    // A12 is an area: its subtree is exactly the rows whose area is A12.
    QuerySpec q{"Q4", "NPS per month, area A12, language=sv", request({"month"}),
                "SELECT substr(day, 1, 7), SUM(p), SUM(pa), SUM(d) FROM ("
                "SELECT local_date AS day," COUNTS "FROM facts WHERE survey = 'patient' "
                "AND area = 'A12' AND language = 'sv' GROUP BY local_date) GROUP BY 1 ORDER BY 1",
                1};
    q.request.unit = "A12";
    q.request.where = {"language=sv"};
    queries.push_back(q);
  }
  return queries;
}

[[noreturn]] void Die(const std::string& message) {
  fmt::print(stderr, "compare_bench: {}\n", message);
  std::exit(1);
}

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Group {
  std::vector<std::string> key;
  int64_t promoters = 0, passives = 0, detractors = 0;
};

json GroupsJson(const std::vector<Group>& groups) {
  json out = json::array();
  for (const Group& g : groups) {
    out.push_back({{"key", g.key}, {"promoters", g.promoters}, {"passives", g.passives},
                   {"detractors", g.detractors}});
  }
  return out;
}

void WriteJson(const std::string& path, const json& value) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << value.dump(1) << '\n';
    if (!out) Die("cannot write " + tmp);
  }
  fs::rename(tmp, path);
}

// Runs `query` once to warm up and kRuns times timed; returns the timings and the last result.
template <typename F>
json TimeQuery(const QuerySpec& spec, F run) {
  std::vector<Group> groups = run();
  std::vector<double> runs_ms;
  for (int i = 0; i < kRuns; ++i) {
    auto start = Clock::now();
    groups = run();
    runs_ms.push_back(MsSince(start));
  }
  return {{"id", spec.id}, {"runs_ms", runs_ms}, {"groups", GroupsJson(groups)}};
}

// ---- Mittari ------------------------------------------------------------------------------

std::vector<Group> GroupsOf(const report::Table& table, const ReportRequest& request) {
  auto column = [&](std::string_view name) {
    auto it = std::find(table.columns.begin(), table.columns.end(), name);
    if (it == table.columns.end()) Die(fmt::format("the NPS report has no column '{}'", name));
    return static_cast<size_t>(it - table.columns.begin());
  };
  std::vector<size_t> key_columns;
  for (const std::string& by : request.by) key_columns.push_back(column(by));
  size_t p = column("promoters"), pa = column("passives"), d = column("detractors");
  std::vector<Group> groups;
  for (const std::vector<report::Cell>& row : table.rows) {
    Group g;
    for (size_t c : key_columns) {
      const auto* text = std::get_if<std::string>(&row[c]);
      if (!text) Die("a group label in the NPS report is not text");
      g.key.push_back(*text);
    }
    auto count = [&](size_t c) {
      const auto* value = std::get_if<int64_t>(&row[c]);
      if (!value) Die("a group is suppressed or has no counts although min_n = 1");
      return *value;
    };
    g.promoters = count(p);
    g.passives = count(pa);
    g.detractors = count(d);
    groups.push_back(std::move(g));
  }
  return groups;
}

int RunMittari(const std::string& db, const std::string& out) {
  if (!fs::exists(db)) Die("no database " + db);
  Result<std::unique_ptr<Service>> service = Service::Open(db, /*create_if_missing=*/false);
  if (!service.ok()) Die(service.status().ToString());
  auto start = Clock::now();
  Result<const Engine*> engine = (*service)->engine();
  double load_s = MsSince(start) / 1000;
  if (!engine.ok()) Die(engine.status().ToString());

  json result = {{"engine", "mittari"},
                 {"version", "Mittari (this build), Service::NpsReport"},
                 {"rows", (*engine)->rows()},
                 {"memory_bytes", (*engine)->memory_bytes()},
                 {"load_s", load_s},
                 {"load_note", "Service::engine() from the SQLite store, its file in the OS cache"},
                 {"setup", "columnar engine in memory, min_n=1"},
                 {"queries", json::array()}};
  for (const QuerySpec& spec : Queries()) {
    result["queries"].push_back(TimeQuery(spec, [&] {
      Result<report::Table> table = (*service)->NpsReport(spec.request);
      if (!table.ok()) Die(fmt::format("{}: {}", spec.id, table.status().ToString()));
      return GroupsOf(*table, spec.request);
    }));
  }
  WriteJson(out, result);
  return 0;
}

// ---- SQLite -------------------------------------------------------------------------------

class Db {
 public:
  Db(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      Die(fmt::format("cannot open {}: {}", path, db_ ? sqlite3_errmsg(db_) : "out of memory"));
    }
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      Die(fmt::format("SQLite: {} in: {}", message, sql));
    }
  }
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      Die(fmt::format("SQLite: {} in: {}", sqlite3_errmsg(db_), sql));
    }
    return statement;
  }
  // The first column of the first row as text; nullopt when there is no row.
  std::optional<std::string> Text(const std::string& sql) {
    sqlite3_stmt* statement = Prepare(sql);
    std::optional<std::string> value;
    if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0)) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    return value;
  }
  const char* Error() { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_ = nullptr;
};

constexpr std::string_view kFactsHeader =
    "unit,centre,area,local_date,channel,language,visit_type,age_group,survey,score";

void BuildSqlite(const std::string& csv, const std::string& path) {
  std::string tmp = path + ".tmp";
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(tmp + suffix);
  fmt::print(stderr, "compare: building {} from {} (once; cached afterwards)\n", path, csv);
  auto start = Clock::now();
  std::ifstream in(csv, std::ios::binary);
  if (!in) Die("cannot read " + csv);
  {
    Db db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db.Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000");
    db.Exec(
        "CREATE TABLE facts (unit TEXT NOT NULL, centre TEXT NOT NULL, area TEXT NOT NULL, "
        "local_date TEXT NOT NULL, channel TEXT NOT NULL, language TEXT NOT NULL, "
        "visit_type TEXT NOT NULL, age_group TEXT NOT NULL, survey TEXT NOT NULL, "
        "score INTEGER NOT NULL)");
    db.Exec("CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    db.Exec("BEGIN");
    sqlite3_stmt* insert = db.Prepare("INSERT INTO facts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    std::string line;
    int64_t line_number = 0;
    while (std::getline(in, line)) {
      ++line_number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line_number == 1) {
        if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
        if (line != kFactsHeader) Die(fmt::format("{}: header is '{}', expected '{}'", csv, line, kFactsHeader));
        continue;
      }
      if (line.empty()) continue;
      // The facts are codes and enumeration names: no quoting, no commas inside fields.
      std::string_view rest = line;
      int field = 0;
      while (true) {
        size_t comma = rest.find(',');
        std::string_view value = rest.substr(0, comma);
        if (field == 10 || (field == 9 && comma != std::string_view::npos)) {
          Die(fmt::format("{} line {}: more than 10 fields", csv, line_number));
        }
        if (field == 9) {
          int score = -1;
          auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), score);
          if (ec != std::errc() || ptr != value.data() + value.size() || score < 0 || score > 10) {
            Die(fmt::format("{} line {}: score '{}' is not 0-10", csv, line_number, value));
          }
          sqlite3_bind_int(insert, 10, score);
        } else {
          sqlite3_bind_text(insert, field + 1, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
        }
        ++field;
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
      }
      if (field != 10) Die(fmt::format("{} line {}: {} fields, expected 10", csv, line_number, field));
      if (sqlite3_step(insert) != SQLITE_DONE) Die(fmt::format("SQLite insert: {}", db.Error()));
      sqlite3_reset(insert);
    }
    if (in.bad()) Die("error reading " + csv);
    sqlite3_finalize(insert);
    db.Exec("COMMIT");
    double insert_s = MsSince(start) / 1000;
    for (const std::string& index : kSqliteIndexes) db.Exec(index);
    db.Exec("ANALYZE");
    double build_s = MsSince(start) / 1000;
    db.Exec(fmt::format(
        "INSERT INTO bench_meta VALUES ('schema', '{}'), ('insert_s', '{:.3f}'), ('build_s', '{:.3f}')",
        kSqliteSchema, insert_s, build_s));
  }
  fs::rename(tmp, path);
}

std::vector<Group> RunSql(Db& db, const QuerySpec& spec) {
  sqlite3_stmt* statement = db.Prepare(spec.sqlite_sql);
  std::vector<Group> groups;
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    Group g;
    for (size_t i = 0; i < spec.keys; ++i) {
      const unsigned char* text = sqlite3_column_text(statement, static_cast<int>(i));
      g.key.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    g.promoters = sqlite3_column_int64(statement, static_cast<int>(spec.keys));
    g.passives = sqlite3_column_int64(statement, static_cast<int>(spec.keys) + 1);
    g.detractors = sqlite3_column_int64(statement, static_cast<int>(spec.keys) + 2);
    groups.push_back(std::move(g));
  }
  if (rc != SQLITE_DONE) Die(fmt::format("SQLite {}: {}", spec.id, db.Error()));
  sqlite3_finalize(statement);
  return groups;
}

int RunSqlite(const std::string& csv, const std::string& path, const std::string& out) {
  bool rebuild = !fs::exists(path) || fs::last_write_time(path) < fs::last_write_time(csv);
  if (!rebuild) {
    Db db(path, SQLITE_OPEN_READONLY);
    std::optional<std::string> schema;
    if (db.Text("SELECT name FROM sqlite_master WHERE name = 'bench_meta'")) {
      schema = db.Text("SELECT value FROM bench_meta WHERE key = 'schema'");
    }
    rebuild = schema != kSqliteSchema;
  }
  bool built = rebuild;
  if (rebuild) BuildSqlite(csv, path);

  Db db(path, SQLITE_OPEN_READONLY);
  // Enough page cache for the whole table and its indexes: warm runs read memory only.
  db.Exec("PRAGMA cache_size = -4000000; PRAGMA temp_store = MEMORY");
  double build_s = std::stod(db.Text("SELECT value FROM bench_meta WHERE key = 'build_s'").value_or("0"));
  int64_t rows = std::stoll(db.Text("SELECT count(*) FROM facts").value_or("0"));
  std::string indexes;
  for (const std::string& index : kSqliteIndexes) {
    size_t on = index.find(" ON ");
    indexes += (indexes.empty() ? "" : ", ") + index.substr(on + 4);
  }
  json result = {
      {"engine", "sqlite"},
      {"version", fmt::format("SQLite {} (library, C API)", sqlite3_libversion())},
      {"rows", rows},
      {"load_s", build_s},
      {"load_note", fmt::format("table built from the facts CSV (prepared inserts, one transaction) + "
                                "indexes + ANALYZE{}",
                                built ? "" : " (when the cached file was built)")},
      {"setup", fmt::format("TEXT columns, local_date TEXT; indexes on {}; ANALYZE; 4 GB page cache; "
                            "counts per local_date rolled up to month/quarter (substr)",
                            indexes)},
      {"queries", json::array()}};
  for (const QuerySpec& spec : Queries()) {
    result["queries"].push_back(TimeQuery(spec, [&] { return RunSql(db, spec); }));
  }
  WriteJson(out, result);
  return 0;
}

// ---- Report -------------------------------------------------------------------------------

json ReadResult(const std::string& path, std::string_view engine) {
  std::ifstream in(path);
  if (!in) Die(fmt::format("no {} result {}", engine, path));
  json result = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (result.is_discarded() || !result.is_object() || !result.contains("queries")) {
    Die(fmt::format("{} is not a result file", path));
  }
  return result;
}

double Median(std::vector<double> values) {
  if (values.empty()) Die("a query has no timed runs");
  std::sort(values.begin(), values.end());
  size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

struct Counts {
  int64_t promoters, passives, detractors;
  bool operator==(const Counts&) const = default;
};

std::map<std::vector<std::string>, Counts> GroupMap(const json& query) {
  std::map<std::vector<std::string>, Counts> groups;
  for (const json& g : query.at("groups")) {
    groups[g.at("key").get<std::vector<std::string>>()] =
        Counts{g.at("promoters").get<int64_t>(), g.at("passives").get<int64_t>(),
               g.at("detractors").get<int64_t>()};
  }
  return groups;
}

std::string KeyText(const std::vector<std::string>& key) {
  std::string text;
  for (const std::string& part : key) text += (text.empty() ? "" : " / ") + part;
  return text;
}

std::string CountsText(const Counts& c) {
  return fmt::format("P={} passive={} D={}", c.promoters, c.passives, c.detractors);
}

const json& QueryOf(const json& result, std::string_view id) {
  for (const json& q : result.at("queries")) {
    if (q.at("id") == id) return q;
  }
  Die(fmt::format("{} result has no query {}", result.value("engine", "?"), id));
}

int Report(const json& mittari, const json& sqlite, const json& duckdb) {
  const std::vector<QuerySpec> specs = Queries();
  const std::vector<const json*> others = {&sqlite, &duckdb};
  const std::vector<std::string> other_names = {"sqlite", "duckdb"};
  int64_t rows = mittari.at("rows").get<int64_t>();

  // The check: same rows loaded, same groups, same counts.
  std::vector<std::string> problems;
  for (size_t o = 0; o < others.size(); ++o) {
    int64_t other_rows = others[o]->at("rows").get<int64_t>();
    if (other_rows != rows) {
      problems.push_back(fmt::format("{} holds {} rows, mittari {}", other_names[o], other_rows, rows));
    }
  }
  std::vector<size_t> group_counts;
  for (const QuerySpec& spec : specs) {
    auto base = GroupMap(QueryOf(mittari, spec.id));
    group_counts.push_back(base.size());
    if (base.empty()) problems.push_back(fmt::format("{}: mittari returned no groups at all", spec.id));
    for (size_t o = 0; o < others.size(); ++o) {
      auto other = GroupMap(QueryOf(*others[o], spec.id));
      std::vector<std::string> lines;
      for (const auto& [key, counts] : base) {
        auto it = other.find(key);
        if (it == other.end()) {
          lines.push_back(fmt::format("  {}: only in mittari ({})", KeyText(key), CountsText(counts)));
        } else if (!(it->second == counts)) {
          lines.push_back(fmt::format("  {}: mittari {}, {} {}", KeyText(key), CountsText(counts),
                                      other_names[o], CountsText(it->second)));
        }
      }
      for (const auto& [key, counts] : other) {
        if (!base.count(key)) {
          lines.push_back(fmt::format("  {}: only in {} ({})", KeyText(key), other_names[o], CountsText(counts)));
        }
      }
      if (!lines.empty()) {
        std::string text = fmt::format("{} {}: mittari and {} differ in {} group(s) (mittari has {} groups, {} {}):",
                                       spec.id, spec.title, other_names[o], lines.size(), base.size(),
                                       other_names[o], other.size());
        constexpr size_t kShown = 20;
        for (size_t i = 0; i < lines.size() && i < kShown; ++i) text += "\n" + lines[i];
        if (lines.size() > kShown) text += fmt::format("\n  … and {} more", lines.size() - kShown);
        problems.push_back(text);
      }
    }
  }

  fmt::print("Mittari vs SQLite vs DuckDB: {} answers, patient NPS, min_n = 1\n", Thousands(rows));
  for (const json* r : {&mittari, &sqlite, &duckdb}) {
    fmt::print("  {:<8} {}; {}\n", r->at("engine").get<std::string>() + ":", r->value("version", ""),
               r->value("setup", ""));
  }
  fmt::print("\nmedian ms of {} warm runs after one warm-up; speed-up = other ms / mittari ms\n", kRuns);
  fmt::print("{:<50} {:>7} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "query", "groups", "mittari", "sqlite",
             "duckdb", "vs sqlite", "vs duckdb");
  double worst_vs_sqlite = 0, worst_vs_duckdb = 0, worst_ms = 0;
  bool first = true;
  for (size_t i = 0; i < specs.size(); ++i) {
    const QuerySpec& spec = specs[i];
    auto median = [&](const json& r) { return Median(QueryOf(r, spec.id).at("runs_ms").get<std::vector<double>>()); };
    double m = median(mittari), s = median(sqlite), d = median(duckdb);
    double vs_sqlite = s / m, vs_duckdb = d / m;
    if (first || vs_sqlite < worst_vs_sqlite) worst_vs_sqlite = vs_sqlite;
    if (first || vs_duckdb < worst_vs_duckdb) worst_vs_duckdb = vs_duckdb;
    worst_ms = std::max(worst_ms, m);
    first = false;
    fmt::print("{:<50} {:>7} {:>10.2f} {:>10.2f} {:>10.2f} {:>9.1f}x {:>9.1f}x\n",
               fmt::format("{} {}", spec.id, spec.title), group_counts[i], m, s, d, vs_sqlite, vs_duckdb);
  }

  double load_s = mittari.at("load_s").get<double>();
  double memory = mittari.at("memory_bytes").get<double>();
  double bytes_per_answer = rows > 0 ? memory / static_cast<double>(rows) : 0;
  fmt::print("\nload:   mittari {:>6.2f} s: {}\n", load_s, mittari.value("load_note", ""));
  fmt::print("        sqlite  {:>6.2f} s: {}\n", sqlite.at("load_s").get<double>(), sqlite.value("load_note", ""));
  fmt::print("        duckdb  {:>6.2f} s: {}\n", duckdb.at("load_s").get<double>(), duckdb.value("load_note", ""));
  fmt::print("memory: mittari engine {:.1f} MB = {:.2f} bytes per answer (columns' capacity)\n", memory / 1e6,
             bytes_per_answer);
  if (!problems.empty()) {
    fmt::print("\nMISMATCH: the engines do not agree\n");
    for (const std::string& p : problems) fmt::print("{}\n", p);
    fmt::print("compare: FAILED ({} problem(s)); no summary\n", problems.size());
    return 1;
  }
  fmt::print("check:  all three engines return the same groups and promoter/passive/detractor counts "
             "(Q1–Q4: {} groups)\n",
             fmt::join(group_counts, ", "));
  fmt::print("summary: worst_speedup_vs_duckdb={:.2f} worst_speedup_vs_sqlite={:.2f} worst_query_ms={:.2f} "
             "load_s={:.2f} bytes_per_answer={:.2f}\n",
             worst_vs_duckdb, worst_vs_sqlite, worst_ms, load_s, bytes_per_answer);
  return 0;
}

// "--name value" pairs after the mode.
std::map<std::string, std::string> Flags(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 2; i < argc; i += 2) {
    if (std::strncmp(argv[i], "--", 2) != 0 || i + 1 >= argc) Die(fmt::format("bad argument '{}'", argv[i]));
    flags[argv[i] + 2] = argv[i + 1];
  }
  return flags;
}

std::string Need(const std::map<std::string, std::string>& flags, const std::string& name) {
  auto it = flags.find(name);
  if (it == flags.end()) Die("missing --" + name);
  return it->second;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) Die("usage: compare_bench mittari|sqlite|report --flag value ... (see bench/compare_bench.cc)");
  std::string mode = argv[1];
  std::map<std::string, std::string> flags = Flags(argc, argv);
  try {
    if (mode == "mittari") return RunMittari(Need(flags, "db"), Need(flags, "out"));
    if (mode == "sqlite") return RunSqlite(Need(flags, "facts"), Need(flags, "sqlite-db"), Need(flags, "out"));
    if (mode == "report") {
      return Report(ReadResult(Need(flags, "mittari"), "mittari"), ReadResult(Need(flags, "sqlite"), "sqlite"),
                    ReadResult(Need(flags, "duckdb"), "duckdb"));
    }
  } catch (const std::exception& e) {  // JSON of the wrong shape, filesystem errors
    Die(e.what());
  }
  Die("unknown mode '" + mode + "'; use mittari, sqlite or report");
}
