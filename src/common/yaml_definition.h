// File: common/yaml_definition.h
//
// What the loaders of hand-written YAML definition files (scorecard/definition.h,
// regional/definition.h) have in common. People write these files, so a loader refuses
// anything it does not understand and says where: every mistake is an InvalidArgument status
// "FILE:LINE: message" with a 1-based line, e.g.
// "scorecard.yaml:7: unknown key 'nmae' in goal 'nps' (id, name, indicators)". The wording of
// the messages is part of each loader's contract (its tests and the API return them verbatim),
// so the helpers here word theirs exactly as the loaders always have.
//
// A loader starts with ReadDefinitionFile (or has the text already), hands the text to
// ParseYamlDefinition, and reads the document with a YamlDefinitionReader.
//
// Thread-compatible: a YamlDefinitionReader holds only the file name and its methods are
// const; LocalizedNames is a value type; the free functions are pure.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

// Only references cross this header, so its users need not pull in all of yaml-cpp.
namespace YAML {
class Node;
}  // namespace YAML

namespace mittari {

// "70", "-3", "3.5" or "3,5": people write numbers the Finnish way too. No exponents, no
// "inf"/"nan", no "3." or ".5", nothing after the number; so whatever parses is finite.
std::optional<double> ParseDecimal(std::string_view text);

// [a-z][a-z0-9_]*: what an id in a definition file may look like (formulas and values refer
// to things by id, so an id must read the same wherever it is written).
bool IsIdentifier(std::string_view text);

// "a, b, c": the allowed values, as a message lists them.
std::string JoinNames(std::span<const std::string_view> names);
std::string JoinNames(std::initializer_list<std::string_view> names);

// The text of the definition file at `path`. NotFound "no WHAT file 'PATH'" when there is no
// such file, Unavailable "cannot read the WHAT file 'PATH'" when it cannot be read; `what`
// names the kind of file ("scorecard").
Result<std::string> ReadDefinitionFile(const std::string& path, std::string_view what);

// A loader's guess at what a YAML syntax error on the line `line` (its text) means, appended
// to the message as it is (" (quote targets ...)"); empty when it has none.
using YamlSyntaxHint = std::function<std::string(std::string_view line)>;

// Parses `yaml_text` and hands the document to `read`, returning what `read` returns. Text
// that is not YAML is InvalidArgument "FILE:LINE: not valid YAML: why" + `hint`, or
// "FILE: not valid YAML: why" when yaml-cpp gives no position. `read` should read nodes only
// in ways that do not throw; a yaml-cpp exception all the same becomes "FILE: what" rather than
// escaping.
Status ParseYamlDefinition(std::string_view yaml_text, const std::string& file,
                           const std::function<Status(const YAML::Node& root)>& read,
                           const YamlSyntaxHint& hint = {});

// A name in the three languages of the district: {fi, sv, en} in a file, or plain text for the
// Finnish one alone.
struct LocalizedNames {
  std::string fi, sv, en;
  // The name in "fi", "sv" or "en"; Finnish when that translation is missing or the language is
  // none of them, because Finnish is the one language every name must have.
  const std::string& In(std::string_view lang) const;
};

// Reads the nodes of one definition file, naming `file` in every message.
class YamlDefinitionReader {
 public:
  // `key_node` is there for messages that point at the key rather than at its value.
  using KeyVisitor = std::function<Status(const std::string& key, const YAML::Node& key_node,
                                          const YAML::Node& value)>;

  explicit YamlDefinitionReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }

  // InvalidArgument "FILE:LINE: what", the line being that of `node`.
  Status Error(const YAML::Node& node, std::string_view what) const;
  // The same for a line remembered earlier (checks that need the whole file first).
  Status ErrorAtLine(int line, std::string_view what) const;

  // Visits every key of the mapping `map` in file order, refusing keys that are not plain
  // text, unknown keys (listing `allowed`) and repeated keys: a misspelt key would otherwise
  // silently leave a value unset. `where` places the mapping in the messages ("in goal 'x'").
  // Returns the first error, the visitor's included.
  Status ForEachKey(const YAML::Node& map, std::string_view where,
                    std::span<const std::string_view> allowed, const KeyVisitor& visit) const;
  Status ForEachKey(const YAML::Node& map, std::string_view where,
                    std::initializer_list<std::string_view> allowed, const KeyVisitor& visit) const;

  // A scalar that is not empty; "OWNER: KEY must be a non-empty text" otherwise.
  Result<std::string> ReadText(const YAML::Node& node, std::string_view owner,
                               std::string_view key) const;

  // {fi, sv, en} with fi required, or plain text for the Finnish name. A language left empty
  // ("sv:") is a translation still to come, not a mistake.
  Result<LocalizedNames> ReadNames(const YAML::Node& node, std::string_view owner,
                                   std::string_view key) const;

  // The `id` of the mapping `node` describes, read before its other keys so that every message
  // about them can name it; refuses ids that are not IsIdentifier or are already in `ids`, and
  // adds it there. `kind` names the thing ("goal"); a non-empty `context` starts each message
  // ("bonus 2025: ").
  Result<std::string> ReadId(const YAML::Node& node, std::string_view kind,
                             std::set<std::string>& ids, std::string_view context = {}) const;

 private:
  std::string file_;
};

}  // namespace mittari
