// Tests of the Kannel test fixture (tests/support/kannel.h) against the real bearerbox, smsbox
// and fakesmsc: MTs through sendsms, MOs through the get-url to a small web server started
// here, Kannel going down and coming back, and smsbox retrying while the web server is down.
#include "support/kannel.h"

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>

namespace {

using mittari::testing::Kannel;
using mittari::testing::KannelMt;
using mittari::testing::KannelOptions;
using namespace std::chrono_literals;

constexpr const char* kPhone = "+358401234567";

std::string UrlEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

bool LooksLikeUuid(const std::string& s) {
  static const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  return std::regex_match(s, uuid);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Processes whose command line mentions `dir` (bearerbox and smsbox get the config path).
std::vector<std::string> ProcessesUsing(const std::filesystem::path& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    std::string cmdline = ReadFile(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(dir.string()) != std::string::npos) {
      found.push_back(entry.path().filename().string() + " " + cmdline);
    }
  }
  return found;
}

// The web app end of the get-url: records every MO request and can be taken down and brought
// back on the same port.
class MoReceiver {
 public:
  struct Mo {
    std::string id, from, to, text, charset, coding, ts;
    int status = 0;  // what we answered
  };

  ~MoReceiver() { Stop(); }

  // The first Start() picks a free loopback port; later ones reuse it.
  bool Start() {
    server_ = std::make_unique<httplib::Server>();
    server_->Get("/mo", [this](const httplib::Request& req, httplib::Response& res) {
      Mo mo{req.get_param_value("id"),      req.get_param_value("from"),   req.get_param_value("to"),
            req.get_param_value("text"),    req.get_param_value("charset"), req.get_param_value("coding"),
            req.get_param_value("ts"),      200};
      std::lock_guard<std::mutex> lock(mutex_);
      if (fail_next_ > 0) {
        --fail_next_;
        mo.status = 503;
      }
      res.status = mo.status;
      res.set_content(mo.status == 200 ? "" : "try later", "text/plain");
      mos_.push_back(mo);
      changed_.notify_all();
    });
    if (port_ == 0) {
      port_ = server_->bind_to_any_port("127.0.0.1");
      if (port_ <= 0) return false;
    } else if (!server_->bind_to_port("127.0.0.1", port_)) {
      return false;
    }
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    return true;
  }

  void Stop() {
    if (!server_) return;
    server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  void FailNext(int n) {
    std::lock_guard<std::mutex> lock(mutex_);
    fail_next_ = n;
  }

  // Waits until `count` MOs have arrived (or the timeout passed) and returns all of them.
  std::vector<Mo> WaitFor(size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return mos_.size() >= count; });
    return mos_;
  }

  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Mo> mos_;
  int fail_next_ = 0;
};

class KannelFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/sbin/bearerbox", X_OK) != 0 || access("/usr/lib/kannel/test/fakesmsc", X_OK) != 0) {
      GTEST_SKIP() << "Kannel is not installed (apt-get install kannel kannel-extras)";
    }
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("mittari_kannel_{}_{}", getpid(), ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ASSERT_TRUE(receiver_.Start());
    KannelOptions options;
    options.mo_get_url = fmt::format(
        "http://127.0.0.1:{}/mo?id=%I&from=%p&to=%P&text=%a&charset=%C&coding=%c&ts=%T", receiver_.port());
    options.http_request_retry = 10;
    options.http_queue_delay = 1;
    std::string error;
    kannel_ = Kannel::Start(dir_, options, &error);
    ASSERT_NE(kannel_, nullptr) << error;
  }

  void TearDown() override {
    if (kannel_) {
      const int sendsms_port = kannel_->sendsms_port();
      const int admin_port = kannel_->admin_port();
      kannel_.reset();
      // The destructor stopped everything: nothing answers on Kannel's ports any more.
      httplib::Client sendsms("127.0.0.1", sendsms_port);
      EXPECT_FALSE(sendsms.Get("/"));
      httplib::Client admin("127.0.0.1", admin_port);
      EXPECT_FALSE(admin.Get("/status.txt"));
      for (const std::string& process : ProcessesUsing(dir_)) ADD_FAILURE() << "left behind: " << process;
    }
    receiver_.Stop();
    if (!dir_.empty()) {
      if (HasFailure()) {
        std::fprintf(stderr, "Kannel run directory kept: %s\n", dir_.c_str());
      } else {
        std::filesystem::remove_all(dir_);
      }
    }
  }

  // GET sendsms with charset=UTF-8 and the given coding (0 = 7-bit, 2 = UCS-2).
  httplib::Result SendSms(const std::string& to, const std::string& text, int coding) {
    const std::string url = kannel_->sendsms_url();  // http://127.0.0.1:<port>/cgi-bin/sendsms
    const size_t path = url.find('/', url.find("//") + 2);
    httplib::Client client(url.substr(0, path));
    client.set_connection_timeout(2s);
    client.set_read_timeout(10s);
    return client.Get(fmt::format("{}?username={}&password={}&from=Mittari&to={}&text={}&charset=UTF-8&coding={}",
                                  url.substr(path), UrlEncode(kannel_->username()), UrlEncode(kannel_->password()),
                                  UrlEncode(to), UrlEncode(text), coding));
  }

  std::filesystem::path dir_;
  MoReceiver receiver_;
  std::unique_ptr<Kannel> kannel_;
};

TEST_F(KannelFixture, MtTextUcs2AndConcatenatedArriveIntactAtFakesmsc) {
  const std::string question = "Kuinka todennäköisesti suosittelisitte meitä? Vastaa 0-10";
  auto res = SendSms(kPhone, question, 0);
  ASSERT_TRUE(res) << httplib::to_string(res.error()) << "\n" << kannel_->LogTail();
  EXPECT_EQ(res->status, 202) << res->body;
  EXPECT_EQ(res->body, "0: Accepted for delivery");

  // Outside GSM 03.38 (the emoji) needs UCS-2; fakesmsc prints it URL-encoded UTF-16BE.
  res = SendSms(kPhone, "€ 😀", 2);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 202) << res->body;

  // Longer than one SMS: the sendsms-user allows 3 concatenated parts.
  std::string long_text;
  while (long_text.size() < 200) long_text += "Kiitos vastauksestanne, se on meille tärkeä! ";
  res = SendSms(kPhone, long_text, 0);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 202) << res->body;

  ASSERT_EQ(kannel_->WaitForMts(4, 15s), 4u) << kannel_->LogTail();
  std::vector<KannelMt> mts = kannel_->ReceivedMts();
  ASSERT_EQ(mts.size(), 4u);
  EXPECT_EQ(mts[0].sender, "Mittari");
  EXPECT_EQ(mts[0].receiver, kPhone);
  EXPECT_EQ(mts[0].type, "text");
  EXPECT_EQ(mts[0].text, question);
  EXPECT_EQ(mts[1].receiver, kPhone);
  EXPECT_EQ(mts[1].type, "ucs-2");
  EXPECT_EQ(mts[1].text, "€ 😀");
  std::string joined;
  for (int part = 1; part <= 2; ++part) {
    const KannelMt& mt = mts[static_cast<size_t>(part + 1)];
    EXPECT_EQ(mt.receiver, kPhone);
    EXPECT_EQ(mt.type, "udh");
    // Concatenation header: IEI 0, length 3, reference, 2 parts, this part.
    ASSERT_EQ(mt.udh.size(), 6u);
    EXPECT_EQ(mt.udh.substr(0, 3), std::string("\x05\x00\x03", 3));
    EXPECT_EQ(mt.udh[4], 2);
    EXPECT_EQ(mt.udh[5], part);
    joined += mt.text;
  }
  EXPECT_EQ(joined, long_text);
}

TEST_F(KannelFixture, MoReachesTheGetUrl) {
  std::string error;
  ASSERT_TRUE(kannel_->SendMo(kPhone, "12345", "9 kiitos hyvästä hoidosta", &error)) << error;
  std::vector<MoReceiver::Mo> mos = receiver_.WaitFor(1, 10s);
  ASSERT_EQ(mos.size(), 1u) << kannel_->LogTail();
  EXPECT_EQ(mos[0].from, kPhone);
  EXPECT_EQ(mos[0].to, "12345");
  EXPECT_EQ(mos[0].text, "9 kiitos hyvästä hoidosta");
  EXPECT_EQ(mos[0].charset, "UTF-8");
  EXPECT_EQ(mos[0].coding, "0");
  EXPECT_TRUE(LooksLikeUuid(mos[0].id)) << mos[0].id;
  EXPECT_GT(std::stoll(mos[0].ts), 1'600'000'000) << mos[0].ts;
  // max-messages = 0: the (empty) answer of the web app goes back to nobody.
  EXPECT_EQ(kannel_->WaitForMts(1, 1500ms), 0u);
}

TEST_F(KannelFixture, StopThenRestartOnTheSamePorts) {
  const std::string url = kannel_->sendsms_url();
  kannel_->Stop();
  EXPECT_FALSE(kannel_->running());
  auto res = SendSms(kPhone, "ei perille", 0);
  ASSERT_FALSE(res) << "sendsms answered while Kannel was stopped: " << res->status;
  EXPECT_EQ(res.error(), httplib::Error::Connection) << httplib::to_string(res.error());

  std::string error;
  ASSERT_TRUE(kannel_->Restart(&error)) << error;
  EXPECT_TRUE(kannel_->running());
  EXPECT_EQ(kannel_->sendsms_url(), url);
  res = SendSms(kPhone, "taas toiminnassa", 0);
  ASSERT_TRUE(res) << httplib::to_string(res.error()) << "\n" << kannel_->LogTail();
  EXPECT_EQ(res->status, 202) << res->body;
  ASSERT_EQ(kannel_->WaitForMts(1, 15s), 1u) << kannel_->LogTail();
  EXPECT_EQ(kannel_->ReceivedMts()[0].text, "taas toiminnassa");

  // The new fakesmsc sends MOs too (its message counter started again from 1).
  ASSERT_TRUE(kannel_->SendMo(kPhone, "12345", "10 taas", &error)) << error;
  std::vector<MoReceiver::Mo> mos = receiver_.WaitFor(1, 10s);
  ASSERT_EQ(mos.size(), 1u) << kannel_->LogTail();
  EXPECT_EQ(mos[0].text, "10 taas");
}

TEST_F(KannelFixture, MoSurvivesAWebAppOutageThroughSmsboxRetries) {
  receiver_.Stop();
  std::string error;
  ASSERT_TRUE(kannel_->SendMo(kPhone, "12345", "7 odotus oli pitkä", &error)) << error;
  std::this_thread::sleep_for(2s);
  // smsbox has been failing to fetch the get-url meanwhile.
  EXPECT_NE(ReadFile(kannel_->run_dir() / "smsbox.log").find("Couldn't fetch"), std::string::npos)
      << kannel_->LogTail();

  // Back up, but the first request it sees fails too; the retry after that succeeds.
  receiver_.FailNext(1);
  ASSERT_TRUE(receiver_.Start());
  std::vector<MoReceiver::Mo> mos = receiver_.WaitFor(2, 15s);
  ASSERT_EQ(mos.size(), 2u) << kannel_->LogTail();
  EXPECT_EQ(mos[0].status, 503);
  EXPECT_EQ(mos[1].status, 200);
  EXPECT_TRUE(LooksLikeUuid(mos[0].id)) << mos[0].id;
  EXPECT_EQ(mos[1].id, mos[0].id) << "a retry must reuse the message id";
  EXPECT_EQ(mos[1].from, kPhone);
  EXPECT_EQ(mos[1].text, "7 odotus oli pitkä");
  EXPECT_EQ(mos[1].charset, "UTF-8");
  // Once answered with 200, smsbox stops retrying.
  EXPECT_EQ(receiver_.WaitFor(3, 1500ms).size(), 2u);
}

TEST(KannelConfig, RefusesAGetUrlThatKannelWouldReadAsAnInclude) {
  if (access("/usr/sbin/bearerbox", X_OK) != 0) GTEST_SKIP() << "Kannel is not installed";
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("mittari_kannel_{}_include", getpid());
  std::string error;
  KannelOptions options;
  options.mo_get_url = "http://127.0.0.1:9/include?id=%I";
  EXPECT_EQ(Kannel::Start(dir, options, &error), nullptr);
  EXPECT_NE(error.find("include directive"), std::string::npos) << error;
  std::filesystem::remove_all(dir);
}

}  // namespace
