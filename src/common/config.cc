#include "common/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <filesystem>

namespace mittari {
namespace {

Status ReadInt(const YAML::Node& node, const std::string& key, int low, int high, int* out) {
  try {
    int value = node.as<int>();
    if (value < low || value > high) {
      return InvalidArgumentError(fmt::format("{} must be from {} to {}", key, low, high));
    }
    *out = value;
    return Status::Ok();
  } catch (const YAML::Exception&) {
    return InvalidArgumentError(fmt::format("{} must be a whole number", key));
  }
}

Status ReadString(const YAML::Node& node, const std::string& key, std::string* out) {
  if (!node.IsScalar()) return InvalidArgumentError(fmt::format("{} must be a text value", key));
  *out = node.as<std::string>();
  return Status::Ok();
}

// "HH:MM-HH:MM" → minutes after midnight; "none" → an empty range (from == to).
Status ReadQuietHours(const YAML::Node& node, int* from, int* to) {
  std::string text;
  RETURN_IF_ERROR(ReadString(node, "sms.quiet_hours", &text));
  if (text == "none") {
    *from = *to = 0;
    return Status::Ok();
  }
  int h1, m1, h2, m2;
  char tail;
  if (std::sscanf(text.c_str(), "%d:%d-%d:%d%c", &h1, &m1, &h2, &m2, &tail) != 4 || h1 < 0 ||
      h1 > 23 || h2 < 0 || h2 > 23 || m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59) {
    return InvalidArgumentError(fmt::format(
        "sms.quiet_hours '{}' must look like \"21:00-08:00\" (local time) or be \"none\"", text));
  }
  *from = h1 * 60 + m1;
  *to = h2 * 60 + m2;
  return Status::Ok();
}

Status ReadSms(const YAML::Node& node, SmsConfig* sms) {
  if (!node.IsMap()) return InvalidArgumentError("sms must be a mapping of settings");
  for (const auto& item : node) {
    if (!item.first.IsScalar()) return InvalidArgumentError("sms: a setting's name must be plain text");
    const std::string key = item.first.as<std::string>();
    const std::string name = "sms." + key;
    const YAML::Node& value = item.second;
    if (key == "kannel_sendsms_url") {
      RETURN_IF_ERROR(ReadString(value, name, &sms->kannel_sendsms_url));
    } else if (key == "kannel_username") {
      RETURN_IF_ERROR(ReadString(value, name, &sms->kannel_username));
    } else if (key == "kannel_password") {
      RETURN_IF_ERROR(ReadString(value, name, &sms->kannel_password));
    } else if (key == "sender") {
      RETURN_IF_ERROR(ReadString(value, name, &sms->sender));
    } else if (key == "public_url") {
      RETURN_IF_ERROR(ReadString(value, name, &sms->public_url));
      while (!sms->public_url.empty() && sms->public_url.back() == '/') sms->public_url.pop_back();
    } else if (key == "inbound_secret") {
      RETURN_IF_ERROR(ReadString(value, name, &sms->inbound_secret));
      if (sms->inbound_secret.size() < 16) {
        return InvalidArgumentError("sms.inbound_secret must be at least 16 characters");
      }
    } else if (key == "inbound_allow") {
      if (!value.IsSequence()) return InvalidArgumentError("sms.inbound_allow must be a list of addresses");
      sms->inbound_allow.clear();
      for (const auto& address : value) {
        std::string text;
        RETURN_IF_ERROR(ReadString(address, "sms.inbound_allow", &text));
        sms->inbound_allow.push_back(std::move(text));
      }
    } else if (key == "key_file") {
      RETURN_IF_ERROR(ReadString(value, name, &sms->key_file));
    } else if (key == "delay_minutes") {
      RETURN_IF_ERROR(ReadInt(value, name, 0, 7 * 24 * 60, &sms->delay_minutes));
    } else if (key == "quiet_hours") {
      RETURN_IF_ERROR(ReadQuietHours(value, &sms->quiet_from_minute, &sms->quiet_to_minute));
    } else if (key == "min_days_between") {
      RETURN_IF_ERROR(ReadInt(value, name, 0, 366, &sms->min_days_between));
    } else if (key == "open_days") {
      RETURN_IF_ERROR(ReadInt(value, name, 1, 90, &sms->open_days));
    } else if (key == "comment_window_hours") {
      RETURN_IF_ERROR(ReadInt(value, name, 0, 24 * 30, &sms->comment_window_hours));
    } else if (key == "max_attempts") {
      RETURN_IF_ERROR(ReadInt(value, name, 1, 100, &sms->max_attempts));
    } else if (key == "retry_base_seconds") {
      RETURN_IF_ERROR(ReadInt(value, name, 1, 3600, &sms->retry_base_seconds));
    } else if (key == "retry_max_seconds") {
      RETURN_IF_ERROR(ReadInt(value, name, 1, 24 * 3600, &sms->retry_max_seconds));
    } else if (key == "poll_seconds") {
      RETURN_IF_ERROR(ReadInt(value, name, 1, 3600, &sms->poll_seconds));
    } else if (key == "templates") {
      if (!value.IsMap()) return InvalidArgumentError("sms.templates must map message kinds to languages");
      for (const auto& kind : value) {
        if (!kind.first.IsScalar()) return InvalidArgumentError("sms.templates: a message kind must be plain text");
        const std::string kind_name = kind.first.as<std::string>();
        if (kind_name != "invitation" && kind_name != "opt_out_confirmation" &&
            kind_name != "clarification" && kind_name != "closed") {
          return InvalidArgumentError(fmt::format(
              "sms.templates.{} is not a message kind (invitation, opt_out_confirmation, "
              "clarification, closed)", kind_name));
        }
        if (!kind.second.IsMap()) return InvalidArgumentError(fmt::format("sms.templates.{} must map languages to texts", kind_name));
        for (const auto& text : kind.second) {
          if (!text.first.IsScalar()) return InvalidArgumentError(fmt::format("sms.templates.{}: a language must be plain text", kind_name));
          const std::string language = text.first.as<std::string>();
          if (language != "fi" && language != "sv" && language != "en") {
            return InvalidArgumentError(fmt::format("sms.templates.{}.{}: the language must be fi, sv or en", kind_name, language));
          }
          RETURN_IF_ERROR(ReadString(text.second, fmt::format("sms.templates.{}.{}", kind_name, language),
                                     &sms->templates[kind_name][language]));
        }
      }
    } else {
      return InvalidArgumentError(fmt::format("unknown setting '{}'", name));
    }
  }
  if (sms->retry_max_seconds < sms->retry_base_seconds) {
    return InvalidArgumentError("sms.retry_max_seconds must not be below sms.retry_base_seconds");
  }
  return Status::Ok();
}

}  // namespace

Result<Config> LoadConfig(const std::string& path) {
  if (!std::filesystem::exists(path)) return NotFoundError(fmt::format("no configuration file '{}'", path));
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(fmt::format("'{}' is not valid YAML: {}", path, e.what()));
  }
  Config config;
  if (root.IsNull()) return config;
  if (!root.IsMap()) return InvalidArgumentError(fmt::format("'{}' must be a mapping of settings", path));
  // A key that is not plain text (a list or mapping used as a key) must not escape as an
  // exception; every other shape is checked where the value is read.
  for (const auto& item : root) {
    if (!item.first.IsScalar()) {
      return InvalidArgumentError(fmt::format("{}: line {}: a setting's name must be plain text", path,
                                              item.first.Mark().line + 1));
    }
    const std::string key = item.first.as<std::string>();
    const YAML::Node& value = item.second;
    Status status;
    if (key == "listen") {
      status = ReadString(value, key, &config.listen);
    } else if (key == "min_n") {
      status = ReadInt(value, key, 1, 1000, &config.min_n);
    } else if (key == "min_n_comments") {
      status = ReadInt(value, key, 1, 10000, &config.min_n_comments);
    } else if (key == "secure_cookies") {
      try {
        config.secure_cookies = value.as<bool>();
      } catch (const YAML::Exception&) {
        status = InvalidArgumentError("secure_cookies must be true or false");
      }
    } else if (key == "session_hours") {
      status = ReadInt(value, key, 1, 24 * 30, &config.session_hours);
    } else if (key == "max_failed_logins") {
      status = ReadInt(value, key, 1, 100, &config.max_failed_logins);
    } else if (key == "lockout_minutes") {
      status = ReadInt(value, key, 1, 24 * 60, &config.lockout_minutes);
    } else if (key == "scorecard") {
      status = ReadString(value, key, &config.scorecard_path);
    } else if (key == "regional") {
      status = ReadString(value, key, &config.regional_path);
    } else if (key == "form_posts_per_hour") {
      status = ReadInt(value, key, 1, 100000, &config.form_posts_per_hour);
    } else if (key == "sms") {
      status = ReadSms(value, &config.sms);
    } else {
      status = InvalidArgumentError(fmt::format("unknown setting '{}'", key));
    }
    if (!status.ok()) return status.WithContext(path);
  }
  return config;
}

}  // namespace mittari
