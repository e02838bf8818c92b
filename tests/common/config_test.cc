#include "common/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mittari {
namespace {

// A YAML file under the test temporary directory, removed when the test ends.
class TempYaml {
 public:
  explicit TempYaml(const std::string& contents) {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = ::testing::TempDir() + "mittari_config_" + test->name() + "_" +
            std::to_string(::getpid()) + "_" + std::to_string(counter_++) + ".yaml";
    std::ofstream out(path_, std::ios::binary);
    out << contents;
  }
  ~TempYaml() { std::remove(path_.c_str()); }
  TempYaml(const TempYaml&) = delete;
  TempYaml& operator=(const TempYaml&) = delete;
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

Result<Config> Load(const std::string& yaml) {
  TempYaml file(yaml);
  return LoadConfig(file.path());
}

// Expects `yaml` to be refused with InvalidArgument and a message containing `key`.
void ExpectRejected(const std::string& yaml, const std::string& key) {
  SCOPED_TRACE(yaml);
  Result<Config> config = Load(yaml);
  ASSERT_FALSE(config.ok()) << "accepted";
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument) << config.status().ToString();
  EXPECT_NE(config.status().message().find(key), std::string::npos)
      << "'" << key << "' not named in: " << config.status().message();
}

TEST(LoadConfig, FullSmsSectionParses) {
  Result<Config> config = Load(R"yaml(
listen: 0.0.0.0:9090
min_n: 12
sms:
  kannel_sendsms_url: http://127.0.0.1:13013/cgi-bin/sendsms
  kannel_username: mittari
  kannel_password: "p4ss: word"
  sender: HUS
  public_url: http://mittari.example:8080/
  inbound_secret: 0123456789abcdef-xyz
  inbound_allow: [10.0.0.5, "::1", 192.168.1.1]
  key_file: /var/lib/mittari/phone.key
  delay_minutes: 90
  quiet_hours: "22:30-07:15"
  min_days_between: 14
  open_days: 5
  comment_window_hours: 12
  max_attempts: 3
  retry_base_seconds: 20
  retry_max_seconds: 20
  poll_seconds: 2
  templates:
    invitation: {fi: "Arvioi {unit}", sv: "Bedöm {unit}", en: "Rate {unit}"}
    closed:
      en: "Too late, thanks"
)yaml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->listen, "0.0.0.0:9090");
  EXPECT_EQ(config->min_n, 12);
  const SmsConfig& sms = config->sms;
  EXPECT_EQ(sms.kannel_sendsms_url, "http://127.0.0.1:13013/cgi-bin/sendsms");
  EXPECT_EQ(sms.kannel_username, "mittari");
  EXPECT_EQ(sms.kannel_password, "p4ss: word");
  EXPECT_EQ(sms.sender, "HUS");
  EXPECT_EQ(sms.public_url, "http://mittari.example:8080");  // trailing slash dropped
  EXPECT_EQ(sms.inbound_secret, "0123456789abcdef-xyz");
  EXPECT_EQ(sms.inbound_allow, (std::vector<std::string>{"10.0.0.5", "::1", "192.168.1.1"}));
  EXPECT_EQ(sms.key_file, "/var/lib/mittari/phone.key");
  EXPECT_EQ(sms.delay_minutes, 90);
  EXPECT_EQ(sms.quiet_from_minute, 22 * 60 + 30);
  EXPECT_EQ(sms.quiet_to_minute, 7 * 60 + 15);
  EXPECT_EQ(sms.min_days_between, 14);
  EXPECT_EQ(sms.open_days, 5);
  EXPECT_EQ(sms.comment_window_hours, 12);
  EXPECT_EQ(sms.max_attempts, 3);
  EXPECT_EQ(sms.retry_base_seconds, 20);
  EXPECT_EQ(sms.retry_max_seconds, 20);
  EXPECT_EQ(sms.poll_seconds, 2);
  ASSERT_EQ(sms.templates.size(), 2u);
  EXPECT_EQ(sms.templates.at("invitation"),
            (std::map<std::string, std::string>{
                {"fi", "Arvioi {unit}"}, {"sv", "Bedöm {unit}"}, {"en", "Rate {unit}"}}));
  EXPECT_EQ(sms.templates.at("closed"), (std::map<std::string, std::string>{{"en", "Too late, thanks"}}));
}

TEST(LoadConfig, DefaultsWhenTheSmsSectionIsAbsentOrPartial) {
  Result<Config> empty = Load("");
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(empty->listen, "127.0.0.1:8080");
  EXPECT_TRUE(empty->sms.kannel_sendsms_url.empty());
  EXPECT_EQ(empty->sms.inbound_allow, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(empty->sms.quiet_from_minute, 21 * 60);
  EXPECT_EQ(empty->sms.quiet_to_minute, 8 * 60);

  Result<Config> partial = Load("sms:\n  sender: HUS\n  delay_minutes: 0\n");
  ASSERT_TRUE(partial.ok()) << partial.status().ToString();
  EXPECT_EQ(partial->sms.sender, "HUS");
  EXPECT_EQ(partial->sms.delay_minutes, 0);
  EXPECT_EQ(partial->sms.open_days, 7);
  EXPECT_EQ(partial->sms.retry_max_seconds, 600);
  EXPECT_TRUE(partial->sms.templates.empty());
}

TEST(LoadConfig, QuietHoursNoneIsAnEmptyRange) {
  Result<Config> config = Load("sms:\n  quiet_hours: none\n");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->sms.quiet_from_minute, 0);
  EXPECT_EQ(config->sms.quiet_to_minute, 0);
  // A range that does not cross midnight is fine too.
  Result<Config> day = Load("sms:\n  quiet_hours: \"00:00-23:59\"\n");
  ASSERT_TRUE(day.ok()) << day.status().ToString();
  EXPECT_EQ(day->sms.quiet_from_minute, 0);
  EXPECT_EQ(day->sms.quiet_to_minute, 23 * 60 + 59);
}

TEST(LoadConfig, UnknownSmsSettingIsRefusedByName) {
  ExpectRejected("sms:\n  delay_minute: 10\n", "sms.delay_minute");
}

TEST(LoadConfig, ShortInboundSecretIsRefused) {
  ExpectRejected("sms:\n  inbound_secret: 0123456789abcde\n", "sms.inbound_secret");  // 15
  Result<Config> sixteen = Load("sms:\n  inbound_secret: 0123456789abcdef\n");
  ASSERT_TRUE(sixteen.ok()) << sixteen.status().ToString();
  EXPECT_EQ(sixteen->sms.inbound_secret, "0123456789abcdef");
}

TEST(LoadConfig, BadQuietHoursAreRefused) {
  for (const char* bad : {"25:00-08:00", "21:00-08:60", "21:00", "21:00-08:00x", "evening", "-1:00-08:00"}) {
    ExpectRejected(std::string("sms:\n  quiet_hours: \"") + bad + "\"\n", "sms.quiet_hours");
  }
  ExpectRejected("sms:\n  quiet_hours: [21, 8]\n", "sms.quiet_hours");
}

TEST(LoadConfig, TemplatesForUnknownKindsOrLanguagesAreRefused) {
  ExpectRejected("sms:\n  templates:\n    reminder: {fi: \"x\"}\n", "sms.templates.reminder");
  ExpectRejected("sms:\n  templates:\n    invitation: {de: \"x\"}\n", "sms.templates.invitation.de");
  ExpectRejected("sms:\n  templates:\n    invitation: \"x\"\n", "sms.templates.invitation");
  ExpectRejected("sms:\n  templates:\n    invitation: {fi: [a, b]}\n", "sms.templates.invitation.fi");
}

TEST(LoadConfig, RetryMaxBelowRetryBaseIsRefused) {
  ExpectRejected("sms:\n  retry_base_seconds: 60\n  retry_max_seconds: 30\n", "sms.retry_max_seconds");
  // Against the default base (10) as well.
  ExpectRejected("sms:\n  retry_max_seconds: 5\n", "sms.retry_max_seconds");
}

TEST(LoadConfig, NumbersMustBeWholeAndInRange) {
  ExpectRejected("sms:\n  delay_minutes: soon\n", "sms.delay_minutes");
  ExpectRejected("sms:\n  delay_minutes: 1.5\n", "sms.delay_minutes");
  ExpectRejected("sms:\n  delay_minutes: -1\n", "sms.delay_minutes");
  ExpectRejected("sms:\n  open_days: 0\n", "sms.open_days");
  ExpectRejected("sms:\n  max_attempts: 101\n", "sms.max_attempts");
}

TEST(LoadConfig, OtherSmsShapesAreRefused) {
  ExpectRejected("sms: on\n", "sms");
  ExpectRejected("sms:\n  inbound_allow: 127.0.0.1\n", "sms.inbound_allow");
  ExpectRejected("sms:\n  sender: [a, b]\n", "sms.sender");
}

TEST(LoadConfig, UnknownTopLevelSettingIsRefused) {
  ExpectRejected("listen: 127.0.0.1:8080\nmin_m: 10\n", "min_m");
  ExpectRejected("min_n: 0\n", "min_n");
}

TEST(LoadConfig, MissingFileAndBrokenYamlNameThePath) {
  Result<Config> missing = LoadConfig("/nonexistent-dir/mittari.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("/nonexistent-dir/mittari.yaml"), std::string::npos);
  TempYaml broken("sms: {sender: [\n");
  Result<Config> config = LoadConfig(broken.path());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find(broken.path()), std::string::npos);
}

// A value of the wrong shape is an error naming the key, never an exception escaping LoadConfig.
TEST(LoadConfig, WrongShapesAreErrorsNotExceptions) {
  for (const auto& [yaml, key] : std::vector<std::pair<std::string, std::string>>{
           {"listen: [127.0.0.1, 8080]\n", "listen"},
           {"sms:\n  inbound_allow: [127.0.0.1, {a: b}]\n", "sms.inbound_allow"}}) {
    SCOPED_TRACE(yaml);
    TempYaml file(yaml);
    std::optional<Result<Config>> config;
    EXPECT_NO_THROW(config.emplace(LoadConfig(file.path())));
    if (!config) continue;
    ASSERT_FALSE(config->ok());
    EXPECT_EQ(config->status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(config->status().message().find(key), std::string::npos) << config->status().message();
  }
}

}  // namespace
}  // namespace mittari
