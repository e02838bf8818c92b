// The whole SMS survey loop against a real Kannel (bearerbox, smsbox, fakesmsc) and a real
// `mittari serve` process: visits in → invitations at fakesmsc → replies from fakesmsc →
// answers in the database. Also: Kannel down and back, Mittari down while replies arrive,
// and Mittari killed with SIGKILL in the middle of dispatching.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "support/kannel.h"

namespace {

using mittari::testing::Kannel;
using mittari::testing::KannelMt;
using mittari::testing::KannelOptions;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kSecret = "test-secret-0123456789";

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

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

// prefix + number, spelled out to dodge a false -Wrestrict in g++ 12's operator+(const char*, string&&).
std::string Numbered(const char* prefix, int number) {
  std::string out(prefix);
  out.append(std::to_string(number));
  return out;
}

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

class SmsLoop : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(Binary().empty()) << "run through ctest, which sets MITTARI_BINARY";
    dir_ = std::filesystem::temp_directory_path() /
           ("mittari_sms_" + std::to_string(getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "sms.db").string();
    std::string out;
    const std::string m = Binary() + " ";
    const std::string d = " --db " + db_;
    ASSERT_EQ(RunCommand(m + "demo --responses 0" + d, &out), 0) << out;
    ASSERT_EQ(RunCommand(m + "user add integ --role integration" + d, &out), 0) << out;
    ASSERT_EQ(RunCommand(m + "user token integ --label test" + d, &token_), 0) << token_;
    while (!token_.empty() && token_.back() == '\n') token_.pop_back();

    port_ = FreePort();
    KannelOptions options;
    options.mo_get_url = "http://127.0.0.1:" + std::to_string(port_) + "/api/v1/sms/inbound?secret=" +
                         kSecret + "&id=%I&from=%p&text=%a&ts=%T&charset=%C&coding=%c";
    options.http_request_retry = 15;
    options.http_queue_delay = 1;
    std::string error;
    kannel_ = Kannel::Start(dir_ / "kannel", options, &error);
    ASSERT_TRUE(kannel_) << error;
    std::ofstream(dir_ / "mittari.yaml")
        << "sms:\n"
        << "  kannel_sendsms_url: " << kannel_->sendsms_url() << "\n"
        << "  kannel_username: " << kannel_->username() << "\n"
        << "  kannel_password: " << kannel_->password() << "\n"
        << "  sender: HUS\n"
        << "  public_url: http://127.0.0.1:" << port_ << "\n"
        << "  inbound_secret: " << kSecret << "\n"
        << "  delay_minutes: 0\n"
        << "  quiet_hours: none\n"
        << "  retry_base_seconds: 1\n"
        << "  retry_max_seconds: 2\n"
        << "  max_attempts: 50\n"
        << "  poll_seconds: 1\n";
    StartMittari();
  }

  void TearDown() override {
    StopMittari(SIGTERM);
    kannel_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  void StartMittari() {
    std::string config = (dir_ / "mittari.yaml").string();
    std::string log = (dir_ / "mittari.log").string();
    std::string listen = "127.0.0.1:" + std::to_string(port_);
    int out_pipe[2];
    ASSERT_EQ(pipe(out_pipe), 0);
    server_ = fork();
    if (server_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test
      dup2(out_pipe[1], STDOUT_FILENO);
      FILE* err = std::fopen(log.c_str(), "a");
      if (err) dup2(fileno(err), STDERR_FILENO);
      close(out_pipe[0]);
      execl(Binary().c_str(), Binary().c_str(), "serve", "--db", db_.c_str(), "--listen", listen.c_str(),
            "--config", config.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out_pipe[1]);
    FILE* server_out = fdopen(out_pipe[0], "r");
    char line[256] = {0};
    ASSERT_NE(fgets(line, sizeof line, server_out), nullptr) << "the server printed nothing: " << Log();
    fclose(server_out);
    ASSERT_NE(std::string(line).find(listen), std::string::npos) << line;
  }

  void StopMittari(int signal) {
    if (server_ <= 0) return;
    kill(server_, signal);
    int status = 0;
    waitpid(server_, &status, 0);
    server_ = -1;
  }

  std::string Log() const {
    std::ifstream in(dir_ / "mittari.log");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > 4000 ? text.substr(text.size() - 4000) : text;
  }

  json PostVisits(const json& visits, int* status = nullptr) {
    httplib::Client c("127.0.0.1", port_);
    httplib::Headers headers{{"Authorization", "Bearer " + token_}};
    auto res = c.Post("/api/v1/visits", headers, visits.dump(), "application/json");
    EXPECT_TRUE(res) << "no response from mittari";
    if (!res) return json();
    if (status) *status = res->status;
    return json::parse(res->body, nullptr, false);
  }

  static json Visit(const std::string& id, const std::string& phone, const std::string& language,
                    const std::string& unit = "A01-C01") {
    // An hour ago: with no delay configured the invitation is due at once.
    std::time_t ended = std::time(nullptr) - 3600;
    char ended_at[32];
    std::strftime(ended_at, sizeof ended_at, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&ended));
    return {{"visit_id", id}, {"unit", unit}, {"ended_at", ended_at}, {"phone", phone},
            {"language", language}, {"visit_type", "outpatient"}, {"age_group", "45-64"}};
  }

  // Rows of a query against the database, each as strings ("" for NULL).
  std::vector<std::vector<std::string>> Query(const std::string& sql) {
    sqlite3* db = nullptr;
    std::vector<std::vector<std::string>> rows;
    if (sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << db_;
      sqlite3_close(db);
      return rows;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sqlite3_errmsg(db) << " in " << sql;
      sqlite3_close(db);
      return rows;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rows;
  }
  int64_t Count(const std::string& sql) {
    auto rows = Query(sql);
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }

  void SendMo(const std::string& from, const std::string& text) {
    std::string error;
    ASSERT_TRUE(kannel_->SendMo(from, "12345", text, &error)) << error;
  }

  // smsbox fetches get-urls concurrently, so two texts sent within milliseconds may reach
  // Mittari in either order. People take longer than that between texts: wait for each.
  void SendMoAndWait(const std::string& from, const std::string& text) {
    const int64_t before = Count("SELECT count(*) FROM sms_inbound");
    SendMo(from, text);
    EXPECT_TRUE(WaitFor([&] { return Count("SELECT count(*) FROM sms_inbound") > before; }, 20s))
        << text << "\n" << Log();
  }

  // MTs to one number.
  std::vector<KannelMt> MtsTo(const std::string& number) {
    std::vector<KannelMt> out;
    for (const KannelMt& mt : kannel_->ReceivedMts()) {
      if (mt.receiver == number) out.push_back(mt);
    }
    return out;
  }

  std::filesystem::path dir_;
  std::string db_;
  std::string token_;
  int port_ = 0;
  pid_t server_ = -1;
  std::unique_ptr<Kannel> kannel_;
};

TEST_F(SmsLoop, VisitsToInvitationsToRepliesToAnswers) {
  // Six patients, numbers written the ways integrations write them.
  const std::vector<std::pair<std::string, std::string>> phones = {
      {"040 123 4501", "+358401234501"}, {"+358 40 1234502", "+358401234502"},
      {"040-1234503", "+358401234503"}, {"00358401234504", "+358401234504"},
      {"+46 70 123 45 05", "+46701234505"}, {"+358401234506", "+358401234506"}};
  const std::vector<std::string> languages = {"fi", "fi", "fi", "sv", "en", "fi"};
  json visits = json::array();
  for (size_t i = 0; i < phones.size(); ++i) {
    visits.push_back(Visit(Numbered("v", static_cast<int>(i) + 1), phones[i].first, languages[i]));
  }
  visits.push_back(Visit("v1", phones[0].first, "fi"));             // the same visit again
  visits.push_back(Visit("v7", "040 123 4501", "fi", "A02-C01"));   // same number, 30-day limit
  visits.push_back(Visit("v8", "not a number", "fi"));              // rejected
  visits.push_back(Visit("v9", "+358401234599", "fi", "NO-SUCH"));  // rejected
  int status = 0;
  json result = PostVisits(visits, &status);
  ASSERT_EQ(status, 201) << result.dump();
  EXPECT_EQ(result["created"], 6) << result.dump();
  EXPECT_EQ(result["skipped"], 1) << result.dump();
  EXPECT_EQ(result["results"][7]["status"], "skipped:recent_invitation");
  EXPECT_EQ(result["duplicates"], 1) << result.dump();
  ASSERT_EQ(result["rejected"].size(), 2u) << result.dump();
  EXPECT_EQ(result["rejected"][0]["index"], 8);
  EXPECT_EQ(result["rejected"][0]["field"], "phone");
  EXPECT_EQ(result["rejected"][1]["field"], "unit");
  // Posting the same visits again changes nothing.
  json again = PostVisits(json::array({Visit("v2", phones[1].first, "fi")}));
  EXPECT_EQ(again["duplicates"], 1);

  // Every invitation reaches the phone, once, in the patient's language.
  ASSERT_EQ(kannel_->WaitForMts(6, 20s), 6u) << kannel_->LogTail() << Log();
  for (size_t i = 0; i < phones.size(); ++i) {
    std::vector<KannelMt> mts = MtsTo(phones[i].second);
    ASSERT_EQ(mts.size(), 1u) << phones[i].second;
    EXPECT_EQ(mts[0].sender, "HUS");
    EXPECT_EQ(mts[0].type, "text") << "the default invitations are GSM-7";
    const std::string& text = mts[0].text;
    // The opt-out word of the patient's language; ä and å are GSM-7, so they arrive intact.
    const std::map<std::string, std::vector<std::string>> expected = {
        {"fi", {"LOPETA", "todennäköisesti"}}, {"sv", {"SLUTA", "gärna"}}, {"en", {"STOP", "recommend"}}};
    for (const std::string& word : expected.at(languages[i])) {
      EXPECT_NE(text.find(word), std::string::npos) << word << " in " << text;
    }
    EXPECT_NE(text.find("0-10"), std::string::npos) << text;
  }
  // Handed over, the encrypted numbers are gone.
  EXPECT_TRUE(WaitFor([&] { return Count("SELECT count(*) FROM sms_messages WHERE phone_sealed IS NOT NULL") == 0; }, 5s));
  EXPECT_EQ(Count("SELECT count(*) FROM sms_messages WHERE state = 'sent'"), 6);
  // Delivery reports come back through the dlr-url.
  EXPECT_TRUE(WaitFor([&] { return Count("SELECT count(*) FROM sms_messages WHERE delivered_at IS NOT NULL") == 6; }, 10s))
      << Log();

  // The replies.
  SendMoAndWait("+358401234501", "10");
  SendMoAndWait("+358401234502", "9 kiitos hyvästä hoidosta, soita 040 765 4321");
  SendMoAndWait("+358401234503", "8");
  SendMoAndWait("+358401234504", "SLUTA");
  SendMoAndWait("+46701234505", "hyvä");
  SendMoAndWait("+46701234505", "11");
  SendMoAndWait("+46701234505", "7/10");
  SendMoAndWait("+358401234503", "Odotin pitkään, mutta hoito oli hyvää");
  SendMoAndWait("+358409999999", "9");  // never invited
  SendMoAndWait("+358401234506", " 9!");

  ASSERT_TRUE(WaitFor([&] { return Count("SELECT count(*) FROM sms_inbound") == 10; }, 20s))
      << Count("SELECT count(*) FROM sms_inbound") << Log();
  auto answers = Query("SELECT external_id, score, coalesce(comment, ''), channel, language FROM responses "
                       "WHERE source = 'sms' ORDER BY external_id");
  ASSERT_EQ(answers.size(), 5u);
  EXPECT_EQ(answers[0], (std::vector<std::string>{"v1", "10", "", "sms", "fi"}));
  EXPECT_EQ(answers[1][1], "9");
  EXPECT_EQ(answers[1][2], "kiitos hyvästä hoidosta, soita [PHONE]") << "redacted like every channel";
  EXPECT_EQ(answers[2], (std::vector<std::string>{"v3", "8", "Odotin pitkään, mutta hoito oli hyvää", "sms", "fi"}));
  EXPECT_EQ(answers[3], (std::vector<std::string>{"v5", "7", "", "sms", "en"}));
  EXPECT_EQ(answers[4], (std::vector<std::string>{"v6", "9", "", "sms", "fi"}));
  // The comment that came later was analysed with the score's answer: it is about waiting.
  EXPECT_EQ(Count("SELECT themes & 64 FROM responses WHERE source = 'sms' AND external_id = 'v3'"), 64);
  EXPECT_EQ(Count("SELECT count(*) FROM sms_opt_outs"), 1);
  auto outcomes = Query("SELECT outcome, count(*) FROM sms_inbound GROUP BY 1 ORDER BY 1");
  std::map<std::string, std::string> by_outcome;
  for (const auto& row : outcomes) by_outcome[row[0]] = row[1];
  EXPECT_EQ(by_outcome["score"], "5");
  EXPECT_EQ(by_outcome["comment"], "1");
  EXPECT_EQ(by_outcome["opt_out"], "1");
  EXPECT_EQ(by_outcome["invalid"], "2");
  EXPECT_EQ(by_outcome["unknown_number"], "1");

  // Answers back: one opt-out confirmation (Swedish) and one clarification (English), no more.
  ASSERT_EQ(kannel_->WaitForMts(8, 20s), 8u) << kannel_->LogTail() << Log();
  std::this_thread::sleep_for(2s);  // anything extra would show up now
  EXPECT_EQ(kannel_->ReceivedMts().size(), 8u);
  std::vector<KannelMt> to_p4 = MtsTo("+358401234504");
  ASSERT_EQ(to_p4.size(), 2u);
  EXPECT_NE(to_p4[1].text.find("inga fler"), std::string::npos) << to_p4[1].text;
  std::vector<KannelMt> to_p5 = MtsTo("+46701234505");
  ASSERT_EQ(to_p5.size(), 2u);
  EXPECT_NE(to_p5[1].text.find("0-10"), std::string::npos) << to_p5[1].text;
  EXPECT_TRUE(MtsTo("+358409999999").empty());

  // A second delivery of the same message (same Kannel id) is stored once.
  auto first = Query("SELECT gateway_id, received_at FROM sms_inbound WHERE outcome = 'score' ORDER BY received_at LIMIT 1");
  ASSERT_EQ(first.size(), 1u);
  httplib::Client c("127.0.0.1", port_);
  std::string path = "/api/v1/sms/inbound?secret=" + std::string(kSecret) + "&id=" + first[0][0] +
                     "&from=%2B358401234501&text=10&ts=" + first[0][1] + "&charset=UTF-8&coding=0";
  auto replay = c.Get(path);
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 200);
  EXPECT_EQ(replay->body, "duplicate\n");
  EXPECT_EQ(Count("SELECT count(*) FROM responses WHERE source = 'sms'"), 5);
  // Without the secret, or with a wrong one, nothing gets in.
  auto forged = c.Get("/api/v1/sms/inbound?secret=wrong-secret-000000000&id=x1&from=%2B358401234506&text=0");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);

  // The opted-out number gets no new invitation.
  json later = PostVisits(json::array({Visit("v10", "+358 40 123 4504", "sv", "A03-C01")}));
  EXPECT_EQ(later["results"][0]["status"], "skipped:opted_out");

  // The answers count in the NPS like any other.
  std::string out;
  ASSERT_EQ(RunCommand(Binary() + " nps --db " + db_ + " --where channel=sms --min-n 1 --format json", &out), 0) << out;
  json nps = json::parse(out, nullptr, false);
  ASSERT_TRUE(nps.is_array() && nps.size() == 1) << out;
  EXPECT_EQ(nps[0]["n"], 5);
  EXPECT_EQ(nps[0]["promoters"], 3);   // 10, 9, 9
  EXPECT_EQ(nps[0]["detractors"], 0);  // 8 and 7 are passives
}

TEST_F(SmsLoop, KannelDownThenBackDeliversEverythingOnce) {
  kannel_->Stop();
  json visits = json::array();
  for (int i = 0; i < 3; ++i) visits.push_back(Visit(Numbered("k", i), Numbered("+35840765430", i), "fi"));
  EXPECT_EQ(PostVisits(visits)["created"], 3);
  // The dispatcher tries, fails to connect, and schedules retries.
  ASSERT_TRUE(WaitFor([&] { return Count("SELECT count(*) FROM sms_messages WHERE state = 'queued' AND attempts >= 2") >= 1; }, 15s))
      << Log();
  auto errors = Query("SELECT last_error FROM sms_messages WHERE attempts >= 1 LIMIT 1");
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0][0].find("Kannel"), std::string::npos) << errors[0][0];
  std::string error;
  ASSERT_TRUE(kannel_->Restart(&error)) << error;
  ASSERT_EQ(kannel_->WaitForMts(3, 20s), 3u) << kannel_->LogTail() << Log();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(kannel_->ReceivedMts().size(), 3u);
  std::set<std::string> receivers;
  for (const KannelMt& mt : kannel_->ReceivedMts()) receivers.insert(mt.receiver);
  EXPECT_EQ(receivers.size(), 3u);
  EXPECT_EQ(Count("SELECT count(*) FROM sms_messages WHERE state = 'sent'"), 3);
}

TEST_F(SmsLoop, RepliesSentWhileMittariIsDownAreStoredWhenItIsBack) {
  EXPECT_EQ(PostVisits(json::array({Visit("d1", "+358407654321", "fi")}))["created"], 1);
  ASSERT_EQ(kannel_->WaitForMts(1, 20s), 1u) << kannel_->LogTail() << Log();
  StopMittari(SIGTERM);
  SendMo("+358407654321", "6 jonotin liian kauan");
  std::this_thread::sleep_for(3s);  // smsbox keeps retrying its get-url meanwhile
  StartMittari();
  ASSERT_TRUE(WaitFor([&] { return Count("SELECT count(*) FROM responses WHERE source = 'sms'") == 1; }, 20s))
      << kannel_->LogTail() << Log();
  auto answer = Query("SELECT score, comment FROM responses WHERE source = 'sms'");
  EXPECT_EQ(answer[0], (std::vector<std::string>{"6", "jonotin liian kauan"}));
  EXPECT_EQ(Count("SELECT count(*) FROM sms_inbound"), 1);
}

TEST_F(SmsLoop, KilledMidDispatchNeverSendsAnInvitationTwice) {
  constexpr int kVisits = 150;
  json visits = json::array();
  for (int i = 0; i < kVisits; ++i) {
    visits.push_back(Visit(Numbered("x", i), Numbered("+3584012", 10000 + i), "fi"));
  }
  EXPECT_EQ(PostVisits(visits)["created"], kVisits);
  // Kill it while it is part-way through.
  ASSERT_TRUE(WaitFor([&] { return Count("SELECT count(*) FROM sms_messages WHERE state = 'sent'") >= 10; }, 30s)) << Log();
  StopMittari(SIGKILL);
  const int64_t sent_before = Count("SELECT count(*) FROM sms_messages WHERE state = 'sent'");
  const int64_t in_flight = Count("SELECT count(*) FROM sms_messages WHERE state = 'sending'");
  EXPECT_LT(sent_before, kVisits) << "the kill came too late to test anything";
  StartMittari();
  ASSERT_TRUE(WaitFor([&] { return Count("SELECT count(*) FROM sms_messages WHERE state IN ('queued', 'sending')") == 0; }, 60s))
      << Log();
  const int64_t sent = Count("SELECT count(*) FROM sms_messages WHERE state = 'sent'");
  const int64_t unknown = Count("SELECT count(*) FROM sms_messages WHERE state = 'unknown'");
  std::printf("killed with %lld sent and %lld in flight; after restart: %lld sent, %lld unknown\n",
              static_cast<long long>(sent_before), static_cast<long long>(in_flight),
              static_cast<long long>(sent), static_cast<long long>(unknown));
  EXPECT_EQ(unknown, in_flight) << "exactly the messages in flight at the kill are unknown";
  EXPECT_EQ(sent + unknown, kVisits);
  // fakesmsc prints MTs about once a second: wait until all that Kannel got are through.
  kannel_->WaitForMts(static_cast<size_t>(sent), 20s);
  std::this_thread::sleep_for(2s);
  std::map<std::string, int> per_number;
  for (const KannelMt& mt : kannel_->ReceivedMts()) ++per_number[mt.receiver];
  for (const auto& [number, count] : per_number) EXPECT_EQ(count, 1) << number << " got the invitation twice";
  EXPECT_GE(static_cast<int64_t>(per_number.size()), sent);
  EXPECT_LE(static_cast<int64_t>(per_number.size()), sent + unknown);
  // The unknown ones are visible to operators.
  std::string out;
  ASSERT_EQ(RunCommand(Binary() + " sms status --format csv --db " + db_, &out), 0) << out;
  EXPECT_NE(out.find("messages,invitation/sent," + std::to_string(sent)), std::string::npos) << out;
  if (unknown > 0) {
    EXPECT_NE(out.find("messages,invitation/unknown," + std::to_string(unknown)), std::string::npos) << out;
  }
}

}  // namespace
