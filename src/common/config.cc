#include "common/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

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
  for (const auto& item : root) {
    const std::string key = item.first.as<std::string>();
    const YAML::Node& value = item.second;
    Status status;
    if (key == "listen") {
      config.listen = value.as<std::string>();
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
    } else if (key == "form_posts_per_hour") {
      status = ReadInt(value, key, 1, 100000, &config.form_posts_per_hour);
    } else {
      status = InvalidArgumentError(fmt::format("unknown setting '{}'", key));
    }
    if (!status.ok()) return status.WithContext(path);
  }
  return config;
}

}  // namespace mittari
