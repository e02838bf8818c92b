// API tests against a real `mittari serve` process on a free loopback port, with a real
// SQLite database built by the demo generator and real users, sessions and tokens.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>
#include <chrono>

namespace {

using nlohmann::json;

std::string Binary() {
  const char* b = std::getenv("MITTARI_BINARY");
  return b ? b : "";
}

int RunCommand(const std::string& command, std::string* out = nullptr) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  char buffer[4096];
  size_t n;
  std::string text;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
  if (out) *out = text;
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class Api : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_FALSE(Binary().empty()) << "run through ctest, which sets MITTARI_BINARY";
    dir_ = std::filesystem::temp_directory_path() / ("mittari_api_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "api.db").string();
    const std::string m = Binary() + " ";
    const std::string d = " --db " + db_;
    std::string out;
    ASSERT_EQ(RunCommand(m + "demo --responses 20000 --regional " + (dir_ / "regional").string() + d, &out), 0) << out;
    for (const char* role : {"admin", "analyst", "manager", "integration", "finance"}) {
      ASSERT_EQ(RunCommand("echo 'a-long-password-1' | " + m + "user add " + role + " --role " + role +
                           " --password-stdin" + d, &out), 0) << out;
    }
    ASSERT_EQ(RunCommand("echo 'a-long-password-1' | " + m + "user add twounits --role manager --password-stdin" + d, &out), 0);
    ASSERT_EQ(RunCommand("echo 'a-long-password-1' | " + m + "user add locky --role analyst --password-stdin" + d, &out), 0);
    ASSERT_EQ(RunCommand(m + "user grant manager A12" + d, &out), 0) << out;
    ASSERT_EQ(RunCommand(m + "user grant twounits A12" + d, &out), 0) << out;
    ASSERT_EQ(RunCommand(m + "user grant twounits A01" + d, &out), 0) << out;
    EXPECT_NE(RunCommand(m + "user grant analyst A12" + d, &out), 0);  // analysts see everything anyway
    ASSERT_EQ(RunCommand(m + "user token integration --label test" + d, &token_), 0) << token_;
    while (!token_.empty() && (token_.back() == '\n')) token_.pop_back();
    const char* source_dir = std::getenv("MITTARI_SOURCE_DIR");
    ASSERT_NE(source_dir, nullptr) << "run through ctest, which sets MITTARI_SOURCE_DIR";
    std::ofstream(dir_ / "mittari.yaml") << "min_n: 10\nmin_n_comments: 20\nmax_failed_logins: 3\n"
                                         << "scorecard: " << source_dir << "/config/scorecard.yaml\n"
                                         << "regional: " << source_dir << "/config/regional.yaml\n";

    // Start the server on a free port and read the port from its first line.
    int out_pipe[2];
    ASSERT_EQ(pipe(out_pipe), 0);
    server_ = fork();
    if (server_ == 0) {
      // If this test process dies (a crash, a sanitizer report), the server must not outlive
      // it holding ctest's output pipe open.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      dup2(out_pipe[1], STDOUT_FILENO);
      close(out_pipe[0]);
      std::string config = (dir_ / "mittari.yaml").string();
      execl(Binary().c_str(), Binary().c_str(), "serve", "--db", db_.c_str(), "--listen", "127.0.0.1:0",
            "--config", config.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out_pipe[1]);
    FILE* server_out = fdopen(out_pipe[0], "r");
    char line[256] = {0};
    ASSERT_NE(fgets(line, sizeof line, server_out), nullptr) << "the server printed nothing";
    std::smatch match;
    std::string text = line;
    ASSERT_TRUE(std::regex_search(text, match, std::regex("127\\.0\\.0\\.1:(\\d+)"))) << text;
    port_ = std::stoi(match[1]);
  }

  static void TearDownTestSuite() {
    if (server_ > 0) {
      kill(server_, SIGTERM);
      int status = 0;
      waitpid(server_, &status, 0);
      // Graceful shutdown: SIGTERM ends the server with exit code 0.
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
    }
    std::filesystem::remove_all(dir_);
  }

  httplib::Client Client() { return httplib::Client("127.0.0.1", port_); }

  // Logs in and returns the cookie header and CSRF token.
  std::pair<std::string, std::string> Login(const std::string& user) {
    httplib::Client c = Client();
    auto res = c.Post("/api/v1/login", json{{"user", user}, {"password", "a-long-password-1"}}.dump(), "application/json");
    EXPECT_TRUE(res && res->status == 200) << user << " " << (res ? res->body : "no response");
    if (!res) return {};
    std::string cookie = res->get_header_value("Set-Cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    return {cookie.substr(0, cookie.find(';')), json::parse(res->body)["csrf"]};
  }

  int Get(const std::string& who, const std::string& path, std::string* body = nullptr) {
    httplib::Client c = Client();
    httplib::Headers headers;
    if (who == "integration") {
      headers.emplace("Authorization", "Bearer " + token_);
    } else if (!who.empty()) {
      headers.emplace("Cookie", Login(who).first);
    }
    auto res = c.Get(path.c_str(), headers);
    if (!res) return -1;
    if (body) *body = res->body;
    return res->status;
  }

  httplib::Result PostAnswers(const json& body) {
    httplib::Client c = Client();
    return c.Post("/api/v1/responses", {{"Authorization", "Bearer " + token_}}, body.dump(), "application/json");
  }

  static json Answer(const std::string& id, int score = 9) {
    return {{"source", "api-test"}, {"external_id", id}, {"unit", "A12-C01-U01"},
            {"answered_at", "2025-06-01T10:00:00+03:00"}, {"channel", "web"}, {"language", "sv"},
            {"visit_type", "outpatient"}, {"age_group", "45-64"}, {"score", score},
            {"comment", "Bra vård, ring mig 070-123 45 67"}};
  }

  static inline std::filesystem::path dir_;
  static inline std::string db_;
  static inline std::string token_;
  static inline pid_t server_ = -1;
  static inline int port_ = 0;
};

TEST_F(Api, HealthReadinessAndMetricsArePublic) {
  EXPECT_EQ(Get("", "/healthz"), 200);
  EXPECT_EQ(Get("", "/readyz"), 200);
  std::string metrics;
  // A request's duration is recorded as it finishes, which may be just after its client has
  // the answer: look again briefly rather than race the server.
  for (int attempt = 0; attempt < 100; ++attempt) {
    EXPECT_EQ(Get("", "/metrics", &metrics), 200);
    if (metrics.find("mittari_http_request_duration_seconds_bucket") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(metrics.find("mittari_engine_rows 20000"), std::string::npos) << metrics.substr(0, 500);
  EXPECT_NE(metrics.find("mittari_http_request_duration_seconds_bucket"), std::string::npos);
  // Browsers offer Brotli; the server answers with gzip instead (see the pre-routing handler).
  httplib::Client client = Client();
  auto compressed = client.Get("/api/v1/openapi.json", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(compressed);
  EXPECT_EQ(compressed->status, 200);
  EXPECT_NE(compressed->get_header_value("Content-Encoding"), "br");
  std::string openapi;
  EXPECT_EQ(Get("", "/api/v1/openapi.json", &openapi), 200);
  EXPECT_EQ(json::parse(openapi)["openapi"].get<std::string>().substr(0, 2), "3.");
}

TEST_F(Api, EveryProtectedEndpointNeedsAuthentication) {
  for (const char* path : {"/api/v1/units", "/api/v1/nps", "/api/v1/nps/compare?from=2024-01-01&to=2024-12-31",
                           "/api/v1/nps/funnel", "/api/v1/comments", "/api/v1/export/nps.csv",
                           "/api/v1/export/nps.xlsx", "/api/v1/audit", "/api/v1/me"}) {
    std::string body;
    EXPECT_EQ(Get("", path, &body), 401) << path;
    EXPECT_EQ(json::parse(body)["error"]["code"], "Unauthenticated") << path;
  }
  httplib::Client c = Client();
  auto res = c.Post("/api/v1/responses", Answer("x").dump(), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

// Role × endpoint: who may read what.
TEST_F(Api, AccessMatrix) {
  struct Case {
    const char* path;
    int admin, analyst, manager, integration, finance;
  };
  const Case cases[] = {
      {"/api/v1/units", 200, 200, 200, 403, 403},
      {"/api/v1/nps?by=year", 200, 200, 200, 403, 403},  // manager: defaults to their one unit
      {"/api/v1/nps?unit=A12&by=year", 200, 200, 200, 403, 403},
      {"/api/v1/nps?unit=A12-C01&by=year", 200, 200, 200, 403, 403},
      {"/api/v1/nps?unit=A01&by=year", 200, 200, 403, 403, 403},
      {"/api/v1/nps?unit=HD", 200, 200, 403, 403, 403},
      {"/api/v1/nps/compare?unit=A01&from=2024-01-01&to=2024-12-31", 200, 200, 403, 403, 403},
      {"/api/v1/nps/compare?unit=A12&from=2024-01-01&to=2024-12-31", 200, 200, 200, 403, 403},
      {"/api/v1/nps/funnel?unit=A01", 200, 200, 403, 403, 403},
      {"/api/v1/nps/funnel?unit=A12", 200, 200, 200, 403, 403},
      {"/api/v1/comments?unit=A01", 200, 200, 403, 403, 403},
      {"/api/v1/comments?unit=A12", 200, 200, 200, 403, 403},
      {"/api/v1/themes?unit=A01", 200, 200, 403, 403, 403},
      {"/api/v1/themes?unit=A12&by=year", 200, 200, 200, 403, 403},
      {"/api/v1/export/nps.csv?unit=A01", 200, 200, 403, 403, 403},
      {"/api/v1/export/nps.xlsx?unit=A12", 200, 200, 200, 403, 403},
      {"/api/v1/audit", 200, 403, 403, 403, 403},
      {"/api/v1/scorecard?year=2025", 200, 200, 200, 403, 200},
      {"/api/v1/regional", 200, 403, 403, 403, 200},
      {"/api/v1/regional/compare?year=2025&standardised=true", 200, 403, 403, 403, 200},
      {"/api/v1/regional/invoice?payer=PIRKANMAA&month=2025-06", 200, 403, 403, 403, 200},
      {"/api/v1/regional/capitation?year=2025", 200, 403, 403, 403, 200},
      {"/api/v1/regional/bonus?year=2025", 200, 403, 403, 403, 200},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Get("admin", c.path), c.admin) << "admin " << c.path;
    EXPECT_EQ(Get("analyst", c.path), c.analyst) << "analyst " << c.path;
    EXPECT_EQ(Get("manager", c.path), c.manager) << "manager " << c.path;
    EXPECT_EQ(Get("integration", c.path), c.integration) << "integration " << c.path;
    EXPECT_EQ(Get("finance", c.path), c.finance) << "finance " << c.path;
  }
  // A manager with two units must say which one.
  EXPECT_EQ(Get("twounits", "/api/v1/nps"), 403);
  EXPECT_EQ(Get("twounits", "/api/v1/nps?unit=A01"), 200);
  // Writing answers: integration and admin only.
  httplib::Client client = Client();
  auto [cookie, csrf] = Login("analyst");
  auto res = client.Post("/api/v1/responses", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, Answer("m1").dump(),
                         "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
}

// Regional finance over the demo's 25 municipalities: totals reconcile, pooling conserves money
// across payers, and the files carry the language's labels.
TEST_F(Api, RegionalReportsReconcileAndDownload) {
  std::string body;
  ASSERT_EQ(Get("finance", "/api/v1/regional", &body), 200) << body;
  json overview = json::parse(body);
  EXPECT_EQ(overview["years"], json::array({2025}));
  ASSERT_EQ(overview["payers"].size(), 2u);
  int64_t pooled = 0;
  for (const json& payer : overview["payers"]) {
    const std::string code = payer["code"];
    ASSERT_EQ(Get("finance", "/api/v1/regional/invoice?payer=" + code + "&month=2025-12&lang=en", &body), 200) << body;
    json rows = json::parse(body);
    ASSERT_GE(rows.size(), 2u);
    int64_t lines = 0;
    for (size_t i = 0; i + 1 < rows.size(); ++i) {
      const json& row = rows[i];
      const int64_t cents = std::llround(row["amount"].get<double>() * 100);
      if (row["product"].is_null()) continue;  // a subtotal
      lines += cents;
      if (row["product"] == "POOL-OUT" || row["product"] == "POOL-IN") pooled += cents;
      if (!row["volume"].is_null()) {
        EXPECT_EQ(cents, row["volume"].get<int64_t>() * std::llround(row["unit_price"].get<double>() * 100)) << row.dump();
      }
    }
    EXPECT_EQ(rows.back()["product_name"], "Invoice total");
    EXPECT_EQ(lines, std::llround(rows.back()["amount"].get<double>() * 100)) << code;
  }
  EXPECT_EQ(pooled, 0) << "pooling must put back exactly what it took out";

  ASSERT_EQ(Get("admin", "/api/v1/regional/compare?year=2025&standardised=true&lang=sv", &body), 200);
  json compare = json::parse(body);
  ASSERT_EQ(compare.size(), 26u);
  EXPECT_EQ(compare.back()["municipality_name"], "Hela området");
  EXPECT_NEAR(compare.back()["standardised_cost_per_resident"].get<double>(), compare.back()["cost_per_resident"].get<double>(), 1e-6);
  EXPECT_EQ(compare[0]["standardised_rank"], 1);

  ASSERT_EQ(Get("admin", "/api/v1/regional/capitation?year=2025&format=csv&lang=fi", &body), 200);
  EXPECT_EQ(body.rfind("Kunta,Kunnan nimi,Asukkaat", 0), 0u) << body.substr(0, 80);
  ASSERT_EQ(Get("admin", "/api/v1/regional/bonus?year=2025&format=xlsx", &body), 200);
  EXPECT_EQ(body.substr(0, 2), "PK");  // a zip: the workbook

  EXPECT_EQ(Get("admin", "/api/v1/regional/compare?year=20x5", &body), 400);
  EXPECT_NE(json::parse(body)["error"]["message"].get<std::string>().find("year"), std::string::npos);
  EXPECT_EQ(Get("admin", "/api/v1/regional/invoice?payer=NOWHERE&month=2025-12", &body), 404);
  EXPECT_NE(json::parse(body)["error"]["message"].get<std::string>().find("PIRKANMAA"), std::string::npos);
  EXPECT_EQ(Get("admin", "/api/v1/regional/invoice?payer=PIRKANMAA&month=2025-13", &body), 400);
  EXPECT_EQ(Get("admin", "/api/v1/regional/capitation?year=2019", &body), 404);
  EXPECT_EQ(Get("admin", "/api/v1/regional/compare?year=2025&format=pdf", &body), 400);
}

TEST_F(Api, ManagerReportsStayInsideTheSubtree) {
  std::string body;
  ASSERT_EQ(Get("manager", "/api/v1/nps?by=area", &body), 200);
  json rows = json::parse(body);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["area"], "A12");
}

TEST_F(Api, AnswersAreIdempotentAndVisibleOnceAcknowledged) {
  std::string before;
  ASSERT_EQ(Get("analyst", "/api/v1/nps?unit=A12-C01-U01&min_n=1", &before), 200);
  int64_t n_before = json::parse(before)[0]["n"];
  auto first = PostAnswers(Answer("idem-1"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 201) << first->body;
  auto again = PostAnswers(Answer("idem-1", 0));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(json::parse(again->body)["results"][0]["status"], "duplicate");
  std::string after;
  ASSERT_EQ(Get("analyst", "/api/v1/nps?unit=A12-C01-U01&min_n=1", &after), 200);
  EXPECT_EQ(json::parse(after)[0]["n"].get<int64_t>(), n_before + 1);
}

TEST_F(Api, BatchesKeepGoodAnswersAndNameTheBadOnes) {
  json bad_score = Answer("batch-2");
  bad_score["score"] = 11;
  json bad_unit = Answer("batch-3");
  bad_unit["unit"] = "NOPE";
  json no_time = Answer("batch-4");
  no_time["answered_at"] = "2025-06-01T10:00:00";
  auto res = PostAnswers(json::array({Answer("batch-1"), bad_score, bad_unit, no_time, Answer("batch-1")}));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201) << res->body;
  json body = json::parse(res->body);
  EXPECT_EQ(body["created"], 1);
  EXPECT_EQ(body["duplicates"], 1);
  ASSERT_EQ(body["rejected"].size(), 3u);
  EXPECT_EQ(body["rejected"][0]["index"], 1);
  EXPECT_EQ(body["rejected"][0]["field"], "score");
  EXPECT_EQ(body["rejected"][1]["field"], "unit");
  EXPECT_EQ(body["rejected"][2]["field"], "answered_at");
  EXPECT_EQ(body["results"][4]["status"], "duplicate");

  auto all_bad = PostAnswers(bad_score);
  ASSERT_TRUE(all_bad);
  EXPECT_EQ(all_bad->status, 400);
  json error = json::parse(all_bad->body)["error"];
  EXPECT_EQ(error["code"], "InvalidArgument");
  EXPECT_EQ(error["fields"][0]["field"], "score");
  httplib::Client c = Client();
  auto not_json = c.Post("/api/v1/responses", {{"Authorization", "Bearer " + token_}}, "{nope", "application/json");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400);
}

TEST_F(Api, SmallGroupsNeverRevealCounts) {
  std::string body;
  ASSERT_EQ(Get("analyst", "/api/v1/nps?by=unit,day&from=2025-12-01&to=2025-12-31", &body), 200);
  json rows = json::parse(body);
  int suppressed = 0;
  for (const json& row : rows) {
    if (row["suppressed"]) {
      ++suppressed;
      EXPECT_TRUE(row["n"].is_null());
      EXPECT_TRUE(row["promoters"].is_null());
      EXPECT_TRUE(row["nps"].is_null());
    } else {
      EXPECT_GE(row["n"].get<int>(), 10);
    }
  }
  EXPECT_GT(suppressed, 0);
  // min_n can be raised, never lowered below the server's minimum.
  ASSERT_EQ(Get("analyst", "/api/v1/nps?by=unit,day&from=2025-12-01&to=2025-12-31&min_n=1", &body), 200);
  for (const json& row : json::parse(body)) {
    if (!row["suppressed"]) {
      EXPECT_GE(row["n"].get<int>(), 10);
    }
  }
}

TEST_F(Api, CommentReadsAreAuditedAndSmallGroupsHidden) {
  std::string body;
  ASSERT_EQ(Get("analyst", "/api/v1/comments?unit=A12&q=personal", &body), 200);
  json page = json::parse(body);
  EXPECT_FALSE(page["suppressed"]);
  ASSERT_EQ(Get("analyst", "/api/v1/comments?unit=A12&page_size=5", &body), 200);
  page = json::parse(body);
  ASSERT_EQ(page["comments"].size(), 5u);
  for (const json& c : page["comments"]) {
    EXPECT_EQ(c["text"].get<std::string>().find("070-123"), std::string::npos);  // redacted at ingest
  }
  // One day of one small unit: fewer than 20 comments, none shown.
  ASSERT_EQ(Get("analyst", "/api/v1/comments?unit=A12-C01-U01&from=2025-06-01&to=2025-06-01", &body), 200);
  page = json::parse(body);
  EXPECT_TRUE(page["suppressed"]);
  EXPECT_TRUE(page["comments"].empty());
  ASSERT_EQ(Get("admin", "/api/v1/audit?limit=50", &body), 200);
  int reads = 0;
  for (const json& e : json::parse(body)) {
    if (e["action"] == "read_comments" && e["user"] == "analyst") ++reads;
  }
  EXPECT_GE(reads, 3);
}

TEST_F(Api, CommentsCarryThemesAndFilterByThemeAndSentiment) {
  std::string body;
  ASSERT_EQ(Get("analyst", "/api/v1/comments?unit=A12&theme=waiting&page_size=20", &body), 200);
  json page = json::parse(body);
  ASSERT_FALSE(page["suppressed"]);
  ASSERT_FALSE(page["comments"].empty());
  for (const json& c : page["comments"]) {
    EXPECT_NE(std::find(c["themes"].begin(), c["themes"].end(), "waiting"), c["themes"].end()) << c.dump();
  }
  ASSERT_EQ(Get("analyst", "/api/v1/comments?unit=A12&sentiment=negative&page_size=20", &body), 200);
  const json negative = json::parse(body);
  for (const json& c : negative["comments"]) EXPECT_EQ(c["sentiment"], "negative") << c.dump();
  EXPECT_EQ(Get("analyst", "/api/v1/comments?unit=A12&theme=parking", &body), 400);
  EXPECT_NE(body.find("facilities"), std::string::npos) << body;  // the message lists the themes
  // Theme × NPS: the baseline first, then the seven themes; the waiting theme's NPS is below it.
  ASSERT_EQ(Get("analyst", "/api/v1/themes?unit=A12", &body), 200);
  json themes = json::parse(body);
  ASSERT_EQ(themes.size(), 8u);
  EXPECT_EQ(themes[0]["theme"], "(all comments)");
  double baseline = themes[0]["nps"].get<double>();
  for (const json& row : themes) {
    if (row["theme"] == "waiting") {
      EXPECT_LT(row["nps"].get<double>(), baseline);
    }
  }
}

TEST_F(Api, TheScorecardComesFromLiveDataInTheReadersLanguage) {
  std::string body;
  ASSERT_EQ(Get("analyst", "/api/v1/scorecard?year=2024&lang=sv", &body), 200);
  json card = json::parse(body);
  EXPECT_EQ(card["year"], 2024);
  EXPECT_EQ(card["title"], "Strategi 2023–2027");
  ASSERT_GE(card["rows"].size(), 10u);
  const json& nps = card["rows"][0];
  EXPECT_EQ(nps["indicator_id"], "nps");
  EXPECT_EQ(nps["focal_point"], "Bästa kundupplevelsen");
  EXPECT_EQ(nps["target"]["op"], ">");
  EXPECT_TRUE(nps["outcome"].is_number());
  EXPECT_TRUE(nps["status"] == "achieved" || nps["status"] == "not_achieved") << nps.dump();
  EXPECT_EQ(nps["history"].size(), 5u);
  // No manual values were reported in this database: those rows say so rather than guess.
  for (const json& row : card["rows"]) {
    if (row["indicator_id"] == "result_within_budget") {
      EXPECT_EQ(row["status"], "no_data");
    }
  }
  // Regional indicators read the imported regional finance of their year (the demo has 2025).
  ASSERT_EQ(Get("finance", "/api/v1/scorecard?year=2025&lang=en", &body), 200);
  bool regional_seen = false;
  const json card_2025 = json::parse(body);
  for (const json& row : card_2025["rows"]) {
    if (row["indicator_id"] != "member_cost_per_resident") continue;
    regional_seen = true;
    EXPECT_TRUE(row["outcome"].is_number()) << row.dump();
    ASSERT_EQ(Get("finance", "/api/v1/regional/compare?year=2025", &body), 200);
    EXPECT_NEAR(row["outcome"].get<double>(), json::parse(body).back()["cost_per_resident"].get<double>(), 0.01);
    break;
  }
  EXPECT_TRUE(regional_seen);
  EXPECT_EQ(Get("analyst", "/api/v1/scorecard?lang=sv", &body), 400);  // no year
  // Only admins report values.
  httplib::Client c = Client();
  auto res = c.Post("/api/v1/scorecard/values", {{"Authorization", "Bearer " + token_}},
                    R"([{"indicator": "result_within_budget", "year": 2024, "value": 1}])", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
}

TEST_F(Api, CompareAndFunnelComeFromTheServer) {
  std::string body;
  ASSERT_EQ(Get("analyst", "/api/v1/nps/compare?from=2021-01-01&to=2021-12-31&against=same-last-year", &body), 200);
  json cmp = json::parse(body);
  EXPECT_EQ(cmp["first"]["from"], "2020-01-01");
  EXPECT_GT(cmp["second"]["nps"].get<double>(), cmp["first"]["nps"].get<double>());  // 64 → 70
  EXPECT_TRUE(cmp["significant"].get<bool>());
  EXPECT_LT(cmp["p_value"].get<double>(), 0.05);
  ASSERT_EQ(Get("analyst", "/api/v1/nps/compare?from=2024-12-31&to=2024-01-01", &body), 400);
  ASSERT_EQ(Get("analyst", "/api/v1/nps/funnel?unit=A12", &body), 200);
  json funnel = json::parse(body);
  EXPECT_EQ(funnel["parent"]["code"], "A12");
  ASSERT_FALSE(funnel["units"].empty());
  // The curve the page draws: limits at growing n, narrowing around the parent's NPS.
  ASSERT_GE(funnel["curve"].size(), 10u);
  const json& narrow = funnel["curve"].back();
  const json& wide = funnel["curve"][1];
  EXPECT_GT(narrow["n"].get<int64_t>(), wide["n"].get<int64_t>());
  EXPECT_LT(narrow["high95"].get<double>() - narrow["low95"].get<double>(),
            wide["high95"].get<double>() - wide["low95"].get<double>());
  EXPECT_LT(narrow["low95"].get<double>(), funnel["parent"]["nps"].get<double>());
  EXPECT_GT(narrow["high95"].get<double>(), funnel["parent"]["nps"].get<double>());
  for (const json& u : funnel["units"]) {
    if (u["suppressed"]) continue;
    EXPECT_LE(u["ci_low"].get<double>(), u["nps"].get<double>());
    EXPECT_GE(u["ci_high"].get<double>(), u["nps"].get<double>());
    EXPECT_LE(u["limits"]["low998"].get<double>(), u["limits"]["low95"].get<double>());
    EXPECT_LE(u["limits"]["high95"].get<double>(), u["limits"]["high998"].get<double>());
  }
}

TEST_F(Api, ExportsMatchTheJsonReport) {
  std::string csv, xlsx;
  ASSERT_EQ(Get("analyst", "/api/v1/export/nps.csv?by=year", &csv), 200);
  EXPECT_EQ(csv.rfind("year,n,promoters,passives,detractors,nps,ci_low,ci_high,suppressed\n", 0), 0u) << csv;
  ASSERT_EQ(Get("analyst", "/api/v1/export/nps.xlsx?by=year", &xlsx), 200);
  EXPECT_EQ(xlsx.substr(0, 2), "PK");
}

TEST_F(Api, BadParametersAreClearErrors) {
  std::string body;
  EXPECT_EQ(Get("analyst", "/api/v1/nps?by=colour", &body), 400);
  EXPECT_NE(json::parse(body)["error"]["message"].get<std::string>().find("colour"), std::string::npos);
  EXPECT_EQ(Get("analyst", "/api/v1/nps?unit=NOPE", &body), 404);
  EXPECT_EQ(Get("analyst", "/api/v1/nps?from=2024-02-30", &body), 400);
  EXPECT_EQ(Get("analyst", "/api/v1/nps?where=channel%3Dfax", &body), 400);
}

TEST_F(Api, SessionWritesNeedTheCsrfToken) {
  auto [cookie, csrf] = Login("admin");
  httplib::Client c = Client();
  auto without = c.Post("/api/v1/responses", {{"Cookie", cookie}}, Answer("csrf-1").dump(), "application/json");
  ASSERT_TRUE(without);
  EXPECT_EQ(without->status, 403);
  auto with = c.Post("/api/v1/responses", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, Answer("csrf-1").dump(),
                     "application/json");
  ASSERT_TRUE(with);
  EXPECT_EQ(with->status, 201) << with->body;
}

TEST_F(Api, WrongPasswordsAreRefusedAndLockTheAccount) {
  httplib::Client c = Client();
  for (int i = 0; i < 3; ++i) {
    auto res = c.Post("/api/v1/login", json{{"user", "locky"}, {"password", "wrong-password-x"}}.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403);
  }
  auto locked = c.Post("/api/v1/login", json{{"user", "locky"}, {"password", "a-long-password-1"}}.dump(), "application/json");
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 403);
  EXPECT_NE(locked->body.find("locked"), std::string::npos) << locked->body;
  auto unknown = c.Post("/api/v1/login", json{{"user", "nobody"}, {"password", "x"}}.dump(), "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 403);
}

TEST_F(Api, WebFormAnswersOnceAndCountsImmediately) {
  httplib::Client c = Client();
  auto invitation = c.Post("/api/v1/invitations", {{"Authorization", "Bearer " + token_}},
                           json{{"unit", "A12-C01-U01"}, {"language", "sv"}}.dump(), "application/json");
  ASSERT_TRUE(invitation);
  ASSERT_EQ(invitation->status, 201) << invitation->body;
  std::string url = json::parse(invitation->body)["url"];
  auto page = c.Get(url.c_str());
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("lang=\"sv\""), std::string::npos);
  std::string set_cookie = page->get_header_value("Set-Cookie");
  std::string form_cookie = set_cookie.substr(0, set_cookie.find(';'));
  std::string csrf = form_cookie.substr(form_cookie.find('=') + 1);
  std::string before;
  ASSERT_EQ(Get("analyst", "/api/v1/nps?unit=A12&where=channel%3Dweb", &before), 200);
  int64_t n_before = json::parse(before).empty() ? 0 : json::parse(before)[0]["n"].get<int64_t>();

  httplib::Params form = {{"score", "10"}, {"comment", "Tack! Mejla mig: anna@example.se"}, {"lang", "sv"}, {"csrf", csrf}};
  auto no_cookie = c.Post(url.c_str(), form);
  ASSERT_TRUE(no_cookie);
  EXPECT_EQ(no_cookie->status, 403);
  auto answered = c.Post(url.c_str(), {{"Cookie", form_cookie}}, form);
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->status, 200) << answered->body;
  auto twice = c.Post(url.c_str(), {{"Cookie", form_cookie}}, form);
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 409);
  std::string after;
  ASSERT_EQ(Get("analyst", "/api/v1/nps?unit=A12&where=channel%3Dweb", &after), 200);
  EXPECT_EQ(json::parse(after)[0]["n"].get<int64_t>(), n_before + 1);
  // A score outside 0–10 gets the form back with a message, not an error page.
  auto generic = c.Get("/f/u/A12-C01-U01?lang=en");
  ASSERT_TRUE(generic);
  EXPECT_EQ(generic->status, 200);
  std::string gc = generic->get_header_value("Set-Cookie");
  std::string gcookie = gc.substr(0, gc.find(';'));
  auto bad = c.Post("/f/u/A12-C01-U01", {{"Cookie", gcookie}},
                    httplib::Params{{"score", "12"}, {"lang", "en"}, {"csrf", gcookie.substr(gcookie.find('=') + 1)}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("role=\"alert\""), std::string::npos);
  EXPECT_EQ(Get("", "/f/00000000000000000000000000000000"), 404);
}

}  // namespace
