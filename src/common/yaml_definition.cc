#include "common/yaml_definition.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace mittari {
namespace {

// The 0-based `index`th line of `text`, without its line break; empty past the end.
std::string_view LineOf(std::string_view text, int index) {
  for (int i = 0; i < index; ++i) {
    const size_t newline = text.find('\n');
    if (newline == std::string_view::npos) return {};
    text.remove_prefix(newline + 1);
  }
  return text.substr(0, text.find('\n'));
}

}  // namespace

std::optional<double> ParseDecimal(std::string_view text) {
  std::string normal(text);
  size_t i = 0;
  if (i < normal.size() && normal[i] == '-') ++i;
  const size_t digits_start = i;
  while (i < normal.size() && normal[i] >= '0' && normal[i] <= '9') ++i;
  if (i == digits_start) return std::nullopt;
  if (i < normal.size() && (normal[i] == '.' || normal[i] == ',')) {
    normal[i] = '.';  // from_chars knows only the point
    const size_t fraction_start = ++i;
    while (i < normal.size() && normal[i] >= '0' && normal[i] <= '9') ++i;
    if (i == fraction_start) return std::nullopt;
  }
  if (i != normal.size()) return std::nullopt;
  double value = 0;
  if (std::from_chars(normal.data(), normal.data() + normal.size(), value).ec != std::errc())
    return std::nullopt;
  return value;
}

bool IsIdentifier(std::string_view text) {
  if (text.empty() || text.front() < 'a' || text.front() > 'z') return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string JoinNames(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string JoinNames(std::initializer_list<std::string_view> names) {
  return JoinNames(std::span<const std::string_view>(names.begin(), names.size()));
}

Result<std::string> ReadDefinitionFile(const std::string& path, std::string_view what) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return NotFoundError(fmt::format("no {} file '{}'", what, path));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return UnavailableError(fmt::format("cannot read the {} file '{}'", what, path));
  return text.str();
}

Status ParseYamlDefinition(std::string_view yaml_text, const std::string& file,
                           const std::function<Status(const YAML::Node& root)>& read,
                           const YamlSyntaxHint& hint) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) {
      return InvalidArgumentError(fmt::format("{}: not valid YAML: {}", file, e.msg));
    }
    const std::string hinted = hint ? hint(LineOf(yaml_text, e.mark.line)) : std::string();
    return InvalidArgumentError(
        fmt::format("{}:{}: not valid YAML: {}{}", file, e.mark.line + 1, e.msg, hinted));
  }
  try {
    return read(root);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(fmt::format("{}: {}", file, e.what()));
  }
}

const std::string& LocalizedNames::In(std::string_view lang) const {
  if (lang == "sv" && !sv.empty()) return sv;
  if (lang == "en" && !en.empty()) return en;
  return fi;
}

Status YamlDefinitionReader::Error(const YAML::Node& node, std::string_view what) const {
  return ErrorAtLine(node.Mark().line + 1, what);
}

Status YamlDefinitionReader::ErrorAtLine(int line, std::string_view what) const {
  return InvalidArgumentError(fmt::format("{}:{}: {}", file_, line, what));
}

Status YamlDefinitionReader::ForEachKey(const YAML::Node& map, std::string_view where,
                                        std::span<const std::string_view> allowed,
                                        const KeyVisitor& visit) const {
  std::set<std::string> seen;
  for (const auto& item : map) {
    if (!item.first.IsScalar()) {
      return Error(item.first, fmt::format("a key {} must be plain text", where));
    }
    const std::string key = item.first.as<std::string>();
    bool known = false;
    for (std::string_view name : allowed) known = known || name == key;
    if (!known) {
      return Error(item.first,
                   fmt::format("unknown key '{}' {} ({})", key, where, JoinNames(allowed)));
    }
    if (!seen.insert(key).second) {
      return Error(item.first, fmt::format("key '{}' appears twice {}", key, where));
    }
    RETURN_IF_ERROR(visit(key, item.first, item.second));
  }
  return Status::Ok();
}

Status YamlDefinitionReader::ForEachKey(const YAML::Node& map, std::string_view where,
                                        std::initializer_list<std::string_view> allowed,
                                        const KeyVisitor& visit) const {
  return ForEachKey(map, where, std::span<const std::string_view>(allowed.begin(), allowed.size()),
                    visit);
}

Result<std::string> YamlDefinitionReader::ReadText(const YAML::Node& node, std::string_view owner,
                                                   std::string_view key) const {
  if (!node.IsScalar() || node.Scalar().empty()) {
    return Error(node, fmt::format("{}: {} must be a non-empty text", owner, key));
  }
  return node.Scalar();
}

Result<LocalizedNames> YamlDefinitionReader::ReadNames(const YAML::Node& node,
                                                       std::string_view owner,
                                                       std::string_view key) const {
  LocalizedNames names;
  if (node.IsScalar()) {
    names.fi = node.Scalar();
  } else if (node.IsMap()) {
    RETURN_IF_ERROR(ForEachKey(
        node, fmt::format("in the {} of {}", key, owner), {"fi", "sv", "en"},
        [&](const std::string& language, const YAML::Node&, const YAML::Node& value) -> Status {
          if (value.IsNull()) return Status::Ok();  // "sv:" left for a translator
          ASSIGN_OR_RETURN(std::string text,
                           ReadText(value, owner, fmt::format("{}.{}", key, language)));
          if (language == "fi") {
            names.fi = std::move(text);
          } else if (language == "sv") {
            names.sv = std::move(text);
          } else {
            names.en = std::move(text);
          }
          return Status::Ok();
        }));
  } else {
    return Error(node, fmt::format("{}: {} must be {{fi: ..., sv: ..., en: ...}} or a Finnish text",
                                   owner, key));
  }
  if (names.fi.empty()) {
    return Error(node, fmt::format("{}: {} needs a Finnish text (fi)", owner, key));
  }
  return names;
}

Result<std::string> YamlDefinitionReader::ReadId(const YAML::Node& node, std::string_view kind,
                                                 std::set<std::string>& ids,
                                                 std::string_view context) const {
  const std::string prefix = context.empty() ? std::string() : fmt::format("{}: ", context);
  if (!node.IsMap()) {
    return Error(node, fmt::format("{}each {} must be a mapping with an id", prefix, kind));
  }
  for (const auto& item : node) {
    if (!item.first.IsScalar() || item.first.Scalar() != "id") continue;
    const YAML::Node& value = item.second;
    const std::string id = value.IsScalar() ? value.Scalar() : std::string();
    if (!IsIdentifier(id)) {
      return Error(value, fmt::format("{}{} id '{}' must be lower-case letters, digits and _, "
                                      "starting with a letter",
                                      prefix, kind, id));
    }
    if (!ids.insert(id).second) {
      return Error(value, fmt::format("{}{} id '{}' is used twice", prefix, kind, id));
    }
    return id;
  }
  return Error(node, fmt::format("{}{} without an id", prefix, kind));
}

}  // namespace mittari
