// File: common/config.h
//
// Settings from mittari.yaml. Every key is optional; a missing file is an error only when it
// was named explicitly. Unknown keys are refused (a typo must not silently keep a default).
//
// Example mittari.yaml:
//   listen: 127.0.0.1:8080
//   min_n: 10
//   min_n_comments: 20
//   secure_cookies: false      # true behind TLS
//   session_hours: 8
//   max_failed_logins: 5
//   lockout_minutes: 15
//   form_posts_per_hour: 20    # per client address, generic form links
//   scorecard: config/scorecard.yaml  # the strategy scorecard definition (GET /api/v1/scorecard)
//   regional: config/regional.yaml    # pooling threshold, capitation and bonus definitions
//   sms:                       # the post-visit SMS survey (off unless kannel_sendsms_url is set)
//     kannel_sendsms_url: http://127.0.0.1:13013/cgi-bin/sendsms
//     kannel_username: mittari
//     kannel_password: secret
//     sender: HUS
//     public_url: http://127.0.0.1:8080   # how Kannel reaches Mittari (delivery reports)
//     inbound_secret: a-long-random-string # Kannel's get-url and dlr-url carry it
//     inbound_allow: [127.0.0.1, ::1]      # addresses allowed to post incoming messages
//     key_file: /var/lib/mittari/phone.key # default: next to the database, "<db>.phone-key"
//     delay_minutes: 120
//     quiet_hours: "21:00-08:00"           # Europe/Helsinki; "none" to send at any hour
//     min_days_between: 30
//     open_days: 7
//     comment_window_hours: 24
//     max_attempts: 8                      # then the message is marked failed
//     retry_base_seconds: 10               # backoff doubles from here …
//     retry_max_seconds: 600               # … up to here
//     poll_seconds: 5
//     templates:                           # optional overrides; {unit} is the unit's name
//       invitation: {fi: "...", sv: "...", en: "..."}
//
// Thread-compatible value type.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace mittari {

struct SmsConfig {
  std::string kannel_sendsms_url;  // empty: the dispatcher does not run
  std::string kannel_username;
  std::string kannel_password;
  std::string sender;
  std::string public_url;
  std::string inbound_secret;
  std::vector<std::string> inbound_allow = {"127.0.0.1", "::1"};
  std::string key_file;
  int delay_minutes = 120;
  int quiet_from_minute = 21 * 60;
  int quiet_to_minute = 8 * 60;
  int min_days_between = 30;
  int open_days = 7;
  int comment_window_hours = 24;
  int max_attempts = 8;
  int retry_base_seconds = 10;
  int retry_max_seconds = 600;
  int poll_seconds = 5;
  // templates[kind][language] overrides the built-in texts (kinds: invitation,
  // opt_out_confirmation, clarification, closed; languages fi, sv, en).
  std::map<std::string, std::map<std::string, std::string>> templates;
};

struct Config {
  std::string listen = "127.0.0.1:8080";
  int min_n = 10;
  int min_n_comments = 20;
  bool secure_cookies = false;
  int session_hours = 8;
  int max_failed_logins = 5;
  int lockout_minutes = 15;
  int form_posts_per_hour = 20;
  std::string scorecard_path = "config/scorecard.yaml";
  // The regional finance definitions; when this file does not exist the defaults apply
  // (pooling above 80 000 €, no capitation or bonus years).
  std::string regional_path = "config/regional.yaml";
  SmsConfig sms;
};

// Reads a YAML file. Returns NotFound/Unavailable naming the path, or InvalidArgument naming
// the key and the problem (unknown key, wrong type, value out of range).
Result<Config> LoadConfig(const std::string& path);

}  // namespace mittari
