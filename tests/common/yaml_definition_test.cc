#include "common/yaml_definition.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mittari {
namespace {

TEST(ParseDecimal, AcceptsWholeNumbersAndEitherDecimalMark) {
  EXPECT_EQ(ParseDecimal("70"), 70.0);
  EXPECT_EQ(ParseDecimal("-3"), -3.0);
  EXPECT_EQ(ParseDecimal("3,5"), 3.5);
  EXPECT_EQ(ParseDecimal("3.5"), 3.5);
  EXPECT_EQ(ParseDecimal("0"), 0.0);
  EXPECT_EQ(ParseDecimal("-0,25"), -0.25);
}

TEST(ParseDecimal, RefusesAnythingElse) {
  for (std::string_view text : {"", "-", "1e3", "inf", "nan", "3.", ".5", "3,5x", "+3", " 3", "3 ",
                                "3,5,0", "3.5.0", "--3", "0x10", "1 000"}) {
    EXPECT_EQ(ParseDecimal(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(ParseDecimal, RefusesWhatDoesNotFitADouble) {
  // Digits alone cannot make infinity: a number too large for a double is refused.
  EXPECT_EQ(ParseDecimal("1" + std::string(400, '0')), std::nullopt);
}

TEST(IsIdentifier, LowerCaseLettersDigitsAndUnderscoreFromALetter) {
  EXPECT_TRUE(IsIdentifier("a"));
  EXPECT_TRUE(IsIdentifier("nps_outpatient"));
  EXPECT_TRUE(IsIdentifier("a01"));
  EXPECT_TRUE(IsIdentifier("x_"));
  EXPECT_FALSE(IsIdentifier(""));
  EXPECT_FALSE(IsIdentifier("1a"));
  EXPECT_FALSE(IsIdentifier("_a"));
  EXPECT_FALSE(IsIdentifier("Nps"));
  EXPECT_FALSE(IsIdentifier("nps-er"));
  EXPECT_FALSE(IsIdentifier("nps er"));
  EXPECT_FALSE(IsIdentifier("ä"));
}

TEST(JoinNames, CommaSeparatedFromAnyListOfNames) {
  EXPECT_EQ(JoinNames({"fi", "sv", "en"}), "fi, sv, en");
  EXPECT_EQ(JoinNames({"only"}), "only");
  EXPECT_EQ(JoinNames(std::initializer_list<std::string_view>{}), "");
  constexpr std::array<std::string_view, 2> kArray = {"quality", "effectiveness"};
  EXPECT_EQ(JoinNames(kArray), "quality, effectiveness");
  const std::vector<std::string_view> vector = {"0-6", "85+"};
  EXPECT_EQ(JoinNames(vector), "0-6, 85+");
}

TEST(LocalizedNames, FallBackToFinnish) {
  const LocalizedNames names{"Suomeksi", "", "In English"};
  EXPECT_EQ(names.In("fi"), "Suomeksi");
  EXPECT_EQ(names.In("sv"), "Suomeksi");
  EXPECT_EQ(names.In("en"), "In English");
  EXPECT_EQ(names.In("de"), "Suomeksi");
}

// The message of a failed status, or "" (and a test failure) when it succeeded.
std::string MessageOf(const Status& status) {
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  return status.message();
}
template <typename T>
std::string MessageOf(const Result<T>& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? std::string() : MessageOf(result.status());
}

const YamlDefinitionReader kReader("d.yaml");

TEST(YamlDefinitionReader, ErrorsNameTheFileAndTheNodesLine) {
  const YAML::Node root = YAML::Load("a: 1\nb:\n  c: 2\n");
  EXPECT_EQ(MessageOf(kReader.Error(root["b"]["c"], "bad c")), "d.yaml:3: bad c");
  EXPECT_EQ(MessageOf(kReader.ErrorAtLine(17, "later")), "d.yaml:17: later");
  EXPECT_EQ(kReader.file(), "d.yaml");
}

// Runs ForEachKey over `yaml` allowing a, b and c, and returns the keys it visited.
std::pair<Status, std::vector<std::string>> VisitKeys(const std::string& yaml) {
  std::vector<std::string> visited;
  Status status = kReader.ForEachKey(
      YAML::Load(yaml), "in the test", {"a", "b", "c"},
      [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value) -> Status {
        EXPECT_EQ(key_node.Scalar(), key);
        visited.push_back(key + "=" + value.Scalar());
        return Status::Ok();
      });
  return {std::move(status), std::move(visited)};
}

TEST(YamlDefinitionReader, ForEachKeyVisitsInFileOrder) {
  auto [status, visited] = VisitKeys("c: 3\na: 1\nb: 2\n");
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(visited, (std::vector<std::string>{"c=3", "a=1", "b=2"}));
}

TEST(YamlDefinitionReader, ForEachKeyRefusesUnknownRepeatedAndNonScalarKeys) {
  auto [unknown, visited] = VisitKeys("a: 1\n\nd: 4\nb: 2\n");
  EXPECT_EQ(MessageOf(unknown), "d.yaml:3: unknown key 'd' in the test (a, b, c)");
  EXPECT_EQ(visited, (std::vector<std::string>{"a=1"}));
  EXPECT_EQ(MessageOf(VisitKeys("a: 1\nb: 2\na: 3\n").first),
            "d.yaml:3: key 'a' appears twice in the test");
  EXPECT_EQ(MessageOf(VisitKeys("a: 1\n? [x, y]\n: 2\n").first),
            "d.yaml:2: a key in the test must be plain text");
}

TEST(YamlDefinitionReader, ForEachKeyTakesAnArrayOfAllowedKeysAndStopsAtTheVisitorsError) {
  constexpr std::array<std::string_view, 2> kAllowed = {"x", "y"};
  int visits = 0;
  const Status status = kReader.ForEachKey(
      YAML::Load("x: 1\ny: 2\n"), "here", kAllowed,
      [&](const std::string&, const YAML::Node&, const YAML::Node& value) -> Status {
        ++visits;
        return kReader.Error(value, "no thanks");
      });
  EXPECT_EQ(MessageOf(status), "d.yaml:1: no thanks");
  EXPECT_EQ(visits, 1);
  EXPECT_EQ(MessageOf(kReader.ForEachKey(YAML::Load("z: 1\n"), "here", kAllowed,
                                         [](const std::string&, const YAML::Node&,
                                            const YAML::Node&) -> Status { return Status::Ok(); })),
            "d.yaml:1: unknown key 'z' here (x, y)");
}

TEST(YamlDefinitionReader, ReadTextWantsANonEmptyScalar) {
  const YAML::Node root = YAML::Load("a: hello\nb: ''\nc: [1]\n");
  EXPECT_EQ(*kReader.ReadText(root["a"], "thing 'x'", "a"), "hello");
  EXPECT_EQ(MessageOf(kReader.ReadText(root["b"], "thing 'x'", "b")),
            "d.yaml:2: thing 'x': b must be a non-empty text");
  EXPECT_EQ(MessageOf(kReader.ReadText(root["c"], "thing 'x'", "c")),
            "d.yaml:3: thing 'x': c must be a non-empty text");
}

// What ReadNames makes of `names` on line 2, as "fi|sv|en", or its message.
std::string ReadNamesOf(const std::string& names, std::string_view key = "name") {
  const YAML::Node root = YAML::Load("id: g\n" + std::string(key) + ": " + names + "\n");
  Result<LocalizedNames> read = kReader.ReadNames(root[std::string(key)], "goal 'g'", key);
  return read.ok() ? read->fi + "|" + read->sv + "|" + read->en : read.status().message();
}

TEST(YamlDefinitionReader, ReadNamesFromAMappingOrPlainFinnish) {
  EXPECT_EQ(ReadNamesOf("Nimi"), "Nimi||");
  EXPECT_EQ(ReadNamesOf("{fi: Nimi, sv: Namn, en: Name}"), "Nimi|Namn|Name");
  EXPECT_EQ(ReadNamesOf("{en: Name, fi: Nimi}"), "Nimi||Name");
  EXPECT_EQ(ReadNamesOf("{fi: Nimi, sv:, en: Name}"), "Nimi||Name");  // sv still to come

  EXPECT_EQ(ReadNamesOf("{sv: Namn}"), "d.yaml:2: goal 'g': name needs a Finnish text (fi)");
  EXPECT_EQ(ReadNamesOf("{fi: Nimi, se: Namn}", "title"),
            "d.yaml:2: unknown key 'se' in the title of goal 'g' (fi, sv, en)");
  EXPECT_EQ(ReadNamesOf("[Nimi]"),
            "d.yaml:2: goal 'g': name must be {fi: ..., sv: ..., en: ...} or a Finnish text");
  EXPECT_EQ(ReadNamesOf("{fi: Nimi, en: ''}"),
            "d.yaml:2: goal 'g': name.en must be a non-empty text");
}

TEST(YamlDefinitionReader, ReadIdIsReadFirstAndOnlyOnce) {
  const YAML::Node list = YAML::Load(
      "- {name: A, id: a}\n"
      "- {id: a}\n"
      "- {id: Bad}\n"
      "- {name: C}\n"
      "- c\n");
  std::set<std::string> ids;
  EXPECT_EQ(*kReader.ReadId(list[0], "goal", ids), "a");
  EXPECT_EQ(ids, (std::set<std::string>{"a"}));
  EXPECT_EQ(MessageOf(kReader.ReadId(list[1], "goal", ids)), "d.yaml:2: goal id 'a' is used twice");
  EXPECT_EQ(MessageOf(kReader.ReadId(list[2], "goal", ids)),
            "d.yaml:3: goal id 'Bad' must be lower-case letters, digits and _, starting with a "
            "letter");
  EXPECT_EQ(MessageOf(kReader.ReadId(list[3], "goal", ids)), "d.yaml:4: goal without an id");
  EXPECT_EQ(MessageOf(kReader.ReadId(list[4], "goal", ids)),
            "d.yaml:5: each goal must be a mapping with an id");
  // With a context, every message starts with it.
  EXPECT_EQ(MessageOf(kReader.ReadId(list[1], "measure", ids, "bonus 2025")),
            "d.yaml:2: bonus 2025: measure id 'a' is used twice");
  EXPECT_EQ(MessageOf(kReader.ReadId(list[4], "measure", ids, "bonus 2025")),
            "d.yaml:5: bonus 2025: each measure must be a mapping with an id");
}

TEST(ParseYamlDefinition, HandsTheDocumentToTheReader) {
  std::string seen;
  const Status status = ParseYamlDefinition("a: 1\n", "d.yaml", [&](const YAML::Node& root) {
    seen = root["a"].Scalar();
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(seen, "1");
  EXPECT_EQ(MessageOf(ParseYamlDefinition(
                "a: 1\n", "d.yaml",
                [](const YAML::Node& root) { return kReader.Error(root, "refused"); })),
            "d.yaml:1: refused");
}

TEST(ParseYamlDefinition, NamesTheLineOfInvalidYamlAndAddsTheHint) {
  const auto never = [](const YAML::Node&) -> Status {
    ADD_FAILURE() << "invalid YAML reached the reader";
    return Status::Ok();
  };
  const std::string invalid = "a: 1\nb: [1\n";
  const std::string plain = MessageOf(ParseYamlDefinition(invalid, "d.yaml", never));
  EXPECT_EQ(plain.rfind("d.yaml:3: not valid YAML: ", 0), 0u) << plain;
  std::string hinted_line;
  const std::string hinted = MessageOf(ParseYamlDefinition(
      "a: 1\nb: c: d\n", "d.yaml", never, [&](std::string_view line) -> std::string {
        hinted_line = line;
        return " (a hint)";
      }));
  EXPECT_EQ(hinted.rfind("d.yaml:2: not valid YAML: ", 0), 0u) << hinted;
  EXPECT_EQ(hinted.substr(hinted.size() - 9), " (a hint)") << hinted;
  EXPECT_EQ(hinted_line, "b: c: d");
}

TEST(ParseYamlDefinition, AYamlExceptionFromTheReaderBecomesAStatus) {
  const std::string message =
      MessageOf(ParseYamlDefinition("a: [1, 2]\n", "d.yaml", [](const YAML::Node& root) {
        (void)root["a"].as<int>();  // a sequence is no int: yaml-cpp throws
        return Status::Ok();
      }));
  EXPECT_EQ(message.rfind("d.yaml: ", 0), 0u) << message;
}

TEST(ReadDefinitionFile, ReadsTheTextOrSaysWhichFileIsMissing) {
  const std::string path =
      ::testing::TempDir() + "mittari_yaml_definition_" + std::to_string(::getpid()) + ".yaml";
  {
    std::ofstream out(path, std::ios::binary);
    out << "a: 1\r\nb: 2\n";
  }
  Result<std::string> text = ReadDefinitionFile(path, "test definition");
  std::remove(path.c_str());
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "a: 1\r\nb: 2\n");

  Result<std::string> missing = ReadDefinitionFile(path, "test definition");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no test definition file '" + path + "'");
  // A directory is no file either.
  Result<std::string> directory = ReadDefinitionFile(::testing::TempDir(), "test definition");
  EXPECT_EQ(directory.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mittari
