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
//
// Thread-compatible value type.
#pragma once

#include <string>

#include "common/status.h"

namespace mittari {

struct Config {
  std::string listen = "127.0.0.1:8080";
  int min_n = 10;
  int min_n_comments = 20;
  bool secure_cookies = false;
  int session_hours = 8;
  int max_failed_logins = 5;
  int lockout_minutes = 15;
  int form_posts_per_hour = 20;
};

// Reads a YAML file. Returns NotFound/Unavailable naming the path, or InvalidArgument naming
// the key and the problem (unknown key, wrong type, value out of range).
Result<Config> LoadConfig(const std::string& path);

}  // namespace mittari
