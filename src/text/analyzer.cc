#include "text/analyzer.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "text/language.h"
#include "text/normalize.h"
#include "text/stem.h"

namespace mittari::text {
namespace {

constexpr size_t kLanguages = 3;  // fi, sv, en: the ones with a lexicon
constexpr std::array<const char*, kLanguages> kLexiconFiles = {"fi", "sv", "en"};
constexpr std::array<TextLanguage, kLanguages> kTextLanguages = {TextLanguage::kFi, TextLanguage::kSv,
                                                                  TextLanguage::kEn};

// What a matched pattern means.
enum class Role : uint8_t { kTheme, kPositive, kNegative, kNegator, kIntensifier, kContrast, kPhrase };

struct Entry {
  Role role = Role::kTheme;
  uint8_t theme = 0;
  float weight = 1;
  uint32_t phrase = 0;  // for kPhrase: which phrase starts with this word
  uint8_t length = 0;  // of the pattern's text, in bytes (capped): short words are often shared
};

// A word of another language's lexicon counts in a comment only when it is this long: short
// words collide across languages (Swedish "sen", Finnish "sen"; Swedish "men", English "men").
constexpr uint8_t kMinForeignPatternLength = 5;

struct Pattern {
  enum class Kind : uint8_t { kStem, kExact, kPrefix, kInfix, kSuffix } kind = Kind::kStem;
  std::string text;  // normalised; for kStem the stem
};

// A pattern of two or more words.
struct Phrase {
  std::vector<Pattern> words;
  Entry entry;
};

// Lookups by std::string_view without building a std::string.
// FNV-1a: words are short, and for a handful of bytes it beats the library's hash, which
// showed up in profiles of the analyser.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    uint64_t h = 14695981039346656037ull;
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    return static_cast<size_t>(h ^ (h >> 29));
  }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// Per-thread Snowball stemmers with a cache of each word's stems in all three languages:
// patient comments repeat a small vocabulary, and one hash lookup is several times cheaper
// than stemming.
class StemCache {
 public:
  using Stems = std::array<std::string, kLanguages>;

  const Stems& StemsOf(std::string_view word) {
    auto it = cache_.find(word);
    if (it != cache_.end()) return it->second;
    Stems stems;
    for (size_t l = 0; l < kLanguages; ++l) stems[l] = StemNow(l, word);
    return cache_.emplace(std::string(word), std::move(stems)).first->second;
  }

  std::string Stem(size_t language, std::string_view word) { return StemsOf(word)[language]; }
  // Bounds the cache. Invalidates what StemsOf returned, so call it only between comments.
  void TrimIfLarge() {
    if (cache_.size() > kMaxEntries) cache_.clear();
  }

  static StemCache& ForThisThread() {
    thread_local StemCache cache;
    return cache;
  }

 private:
  std::string StemNow(size_t language, std::string_view word) {
    if (!stemmers_[language]) {
      Result<Stemmer> stemmer = Stemmer::Create(kTextLanguages[language]);
      if (stemmer.ok()) stemmers_[language] = std::make_unique<Stemmer>(std::move(*stemmer));
    }
    return stemmers_[language] ? stemmers_[language]->Stem(word) : std::string(word);
  }

  static constexpr size_t kMaxEntries = 100000;
  std::array<std::unique_ptr<Stemmer>, kLanguages> stemmers_;
  StringMap<Stems> cache_;
};

// Patterns by their bytes, so that every prefix (or, started at each position, every part) of
// a word that is a pattern is found in one walk instead of one lookup per pattern.
class ByteTrie {
 public:
  ByteTrie() : nodes_(1) {}
  void Insert(std::string_view key, const Entry& entry) {
    uint32_t node = 0;
    for (unsigned char c : key) {
      uint32_t next = Child(node, c);
      if (next == 0) {
        next = static_cast<uint32_t>(nodes_.size());
        nodes_[node].edges.emplace_back(c, next);
        if (node == 0) root_[c] = next;
        nodes_.emplace_back();
      }
      node = next;
    }
    nodes_[node].entries.push_back(entry);
  }
  bool empty() const { return nodes_.size() == 1; }
  // Visits the entries of every pattern that is a prefix of `text`.
  template <typename Visit>
  void ForEachPrefix(std::string_view text, Visit&& visit) const {
    uint32_t node = 0;
    for (unsigned char c : text) {
      node = Child(node, c);
      if (node == 0) return;
      for (const Entry& e : nodes_[node].entries) visit(e);
    }
  }

 private:
  struct Node {
    std::vector<std::pair<unsigned char, uint32_t>> edges;
    std::vector<Entry> entries;
  };
  uint32_t Child(uint32_t node, unsigned char c) const {
    if (node == 0) return root_[c];
    for (const auto& [byte, next] : nodes_[node].edges) {
      if (byte == c) return next;
    }
    return 0;
  }
  std::vector<Node> nodes_;
  std::array<uint32_t, 256> root_{};  // the root's children, looked up directly
};

struct Lexicon {
  StringMap<std::vector<Entry>> by_stem;
  StringMap<std::vector<Entry>> by_exact;
  ByteTrie prefixes;
  ByteTrie infixes;
  std::vector<std::pair<std::string, Entry>> suffixes;
  std::vector<Phrase> phrases;

  // `stem` is the word's stem in this lexicon's language, computed once per word.
  static bool Matches(const Pattern& pattern, std::string_view word, std::string_view stem) {
    switch (pattern.kind) {
      case Pattern::Kind::kStem:
        return stem == pattern.text;
      case Pattern::Kind::kExact:
        return word == pattern.text;
      case Pattern::Kind::kPrefix:
        return word.substr(0, pattern.text.size()) == pattern.text;
      case Pattern::Kind::kInfix:
        return word.find(pattern.text) != std::string_view::npos;
      case Pattern::Kind::kSuffix:
        return word.size() >= pattern.text.size() && word.substr(word.size() - pattern.text.size()) == pattern.text;
    }
    return false;
  }

  // Entries of single-word patterns, and of the first words of phrases, matching `word`.
  template <typename Visit>
  void ForEachWordMatch(std::string_view word, std::string_view stem, Visit&& visit) const {
    if (auto it = by_stem.find(stem); it != by_stem.end()) for (const Entry& e : it->second) visit(e);
    if (auto it = by_exact.find(word); it != by_exact.end()) for (const Entry& e : it->second) visit(e);
    prefixes.ForEachPrefix(word, visit);
    if (!infixes.empty()) {
      // A part found at several places counts once per place; entries are idempotent
      // (themes are a set, weights take the maximum), so that does no harm.
      for (size_t start = 0; start < word.size(); ++start) infixes.ForEachPrefix(word.substr(start), visit);
    }
    for (const auto& [suffix, e] : suffixes) {
      if (word.size() >= suffix.size() && word.substr(word.size() - suffix.size()) == suffix) visit(e);
    }
  }
};

std::string Where(const std::string& path, const YAML::Node& node) {
  return fmt::format("{}:{}", path, node.Mark().line + 1);
}

Result<Pattern> ParsePattern(const std::string& raw, size_t language, const std::string& where) {
  Pattern p;
  std::string text = raw;
  const bool exact = !text.empty() && text.front() == '=';
  if (exact) text.erase(0, 1);
  bool leading = !text.empty() && text.front() == '*';
  bool trailing = !text.empty() && text.back() == '*';
  if (leading) text.erase(0, 1);
  if (trailing && !text.empty()) text.pop_back();
  text = NormalizeForMatching(text);
  if (text.empty() || text.find('*') != std::string::npos || (exact && (leading || trailing))) {
    return InvalidArgumentError(fmt::format(
        "{}: pattern '{}' must be a word, =word, prefix*, *part* or *suffix", where, raw));
  }
  if (exact) {
    p.kind = Pattern::Kind::kExact;
  } else if (leading && trailing) {
    p.kind = Pattern::Kind::kInfix;
  } else if (leading) {
    p.kind = Pattern::Kind::kSuffix;
  } else if (trailing) {
    p.kind = Pattern::Kind::kPrefix;
  } else {
    p.kind = Pattern::Kind::kStem;
    text = StemCache::ForThisThread().Stem(language, text);
  }
  p.text = std::move(text);
  return p;
}

Status AddPattern(Lexicon& lexicon, const std::string& raw, const Entry& given, size_t language,
                  const std::string& where) {
  Entry entry = given;
  entry.length = static_cast<uint8_t>(std::min<size_t>(raw.size(), 255));
  std::vector<std::string> words;
  size_t start = 0;
  while (start < raw.size()) {
    size_t space = raw.find(' ', start);
    std::string word = raw.substr(start, space == std::string::npos ? std::string::npos : space - start);
    if (!word.empty()) words.push_back(word);
    if (space == std::string::npos) break;
    start = space + 1;
  }
  if (words.empty()) return InvalidArgumentError(fmt::format("{}: empty pattern", where));
  Entry index_entry = entry;
  if (words.size() > 1) {
    Phrase phrase;
    phrase.entry = entry;
    for (const std::string& w : words) {
      ASSIGN_OR_RETURN(Pattern p, ParsePattern(w, language, where));
      phrase.words.push_back(std::move(p));
    }
    // The phrase is found through its first word, indexed like a single-word pattern.
    index_entry.role = Role::kPhrase;
    index_entry.phrase = static_cast<uint32_t>(lexicon.phrases.size());
    lexicon.phrases.push_back(std::move(phrase));
  }
  ASSIGN_OR_RETURN(Pattern p, ParsePattern(words[0], language, where));
  const Entry& entry_to_index = index_entry;
  switch (p.kind) {
    case Pattern::Kind::kStem:
      lexicon.by_stem[p.text].push_back(entry_to_index);
      break;
    case Pattern::Kind::kExact:
      lexicon.by_exact[p.text].push_back(entry_to_index);
      break;
    case Pattern::Kind::kPrefix:
      lexicon.prefixes.Insert(p.text, entry_to_index);
      break;
    case Pattern::Kind::kInfix:
      lexicon.infixes.Insert(p.text, entry_to_index);
      break;
    case Pattern::Kind::kSuffix:
      lexicon.suffixes.emplace_back(p.text, entry_to_index);
      break;
  }
  return Status::Ok();
}

Status AddList(Lexicon& lexicon, const YAML::Node& list, const Entry& entry, size_t language,
               const std::string& path, const std::string& what) {
  if (!list.IsSequence()) {
    return InvalidArgumentError(fmt::format("{}: {} must be a list of patterns", Where(path, list), what));
  }
  for (const YAML::Node& item : list) {
    if (!item.IsScalar()) {
      return InvalidArgumentError(fmt::format("{}: each pattern in {} must be text", Where(path, item), what));
    }
    RETURN_IF_ERROR(AddPattern(lexicon, item.as<std::string>(), entry, language, Where(path, item)));
  }
  return Status::Ok();
}

Status AddWeighted(Lexicon& lexicon, const YAML::Node& map, Role role, size_t language,
                   const std::string& path, const std::string& what) {
  if (!map.IsMap()) {
    return InvalidArgumentError(fmt::format("{}: {} must map patterns to weights", Where(path, map), what));
  }
  for (const auto& item : map) {
    Entry entry;
    entry.role = role;
    try {
      entry.weight = item.second.as<float>();
    } catch (const YAML::Exception&) {
      return InvalidArgumentError(fmt::format("{}: the weight of '{}' in {} must be a number",
                                              Where(path, item.second), item.first.as<std::string>(), what));
    }
    if (!(entry.weight > 0) || entry.weight > 10) {
      return InvalidArgumentError(fmt::format("{}: the weight of '{}' in {} must be above 0 and at most 10",
                                              Where(path, item.second), item.first.as<std::string>(), what));
    }
    RETURN_IF_ERROR(AddPattern(lexicon, item.first.as<std::string>(), entry, language, Where(path, item.first)));
  }
  return Status::Ok();
}

Result<Lexicon> LoadLexicon(const std::string& path, size_t language) {
  if (!std::filesystem::exists(path)) return NotFoundError(fmt::format("no lexicon file '{}'", path));
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(fmt::format("{}: not valid YAML: {}", path, e.what()));
  }
  Lexicon lexicon;
  if (!root.IsMap()) return InvalidArgumentError(fmt::format("{}: must be a mapping with themes and sentiment", path));
  for (const auto& section : root) {
    const std::string key = section.first.as<std::string>();
    const YAML::Node& body = section.second;
    if (key == "themes") {
      if (!body.IsMap()) return InvalidArgumentError(fmt::format("{}: themes must map theme names to patterns", Where(path, body)));
      for (const auto& theme : body) {
        const std::string name = theme.first.as<std::string>();
        std::optional<Theme> parsed = ParseEnum<Theme>(name);
        if (!parsed) {
          return InvalidArgumentError(fmt::format("{}: unknown theme '{}' (themes: {})", Where(path, theme.first),
                                                  name, AllowedNames<Theme>()));
        }
        Entry entry;
        entry.role = Role::kTheme;
        entry.theme = static_cast<uint8_t>(*parsed);
        RETURN_IF_ERROR(AddList(lexicon, theme.second, entry, language, path, "themes." + name));
      }
    } else if (key == "sentiment") {
      if (!body.IsMap()) return InvalidArgumentError(fmt::format("{}: sentiment must be a mapping", Where(path, body)));
      for (const auto& part : body) {
        const std::string name = part.first.as<std::string>();
        const std::string what = "sentiment." + name;
        if (name == "positive") {
          RETURN_IF_ERROR(AddWeighted(lexicon, part.second, Role::kPositive, language, path, what));
        } else if (name == "negative") {
          RETURN_IF_ERROR(AddWeighted(lexicon, part.second, Role::kNegative, language, path, what));
        } else if (name == "intensifiers") {
          RETURN_IF_ERROR(AddWeighted(lexicon, part.second, Role::kIntensifier, language, path, what));
        } else if (name == "negators") {
          RETURN_IF_ERROR(AddList(lexicon, part.second, Entry{Role::kNegator, 0, 1}, language, path, what));
        } else if (name == "contrast") {
          RETURN_IF_ERROR(AddList(lexicon, part.second, Entry{Role::kContrast, 0, 1}, language, path, what));
        } else {
          return InvalidArgumentError(fmt::format(
              "{}: unknown key '{}' under sentiment (positive, negative, negators, intensifiers, contrast)",
              Where(path, part.first), name));
        }
      }
    } else {
      return InvalidArgumentError(fmt::format("{}: unknown section '{}' (themes, sentiment)", Where(path, section.first), key));
    }
  }
  return lexicon;
}

Language ToLanguage(TextLanguage l) {
  switch (l) {
    case TextLanguage::kFi: return Language::kFi;
    case TextLanguage::kSv: return Language::kSv;
    case TextLanguage::kEn: return Language::kEn;
    default: return Language::kOther;
  }
}

std::optional<TextLanguage> ToTextLanguage(std::optional<Language> l) {
  if (!l) return std::nullopt;
  switch (*l) {
    case Language::kFi: return TextLanguage::kFi;
    case Language::kSv: return TextLanguage::kSv;
    case Language::kEn: return TextLanguage::kEn;
    default: return std::nullopt;
  }
}

// One word's role in the sentiment of its clause.
struct Mark {
  float positive = 0, negative = 0, intensity = 0;
  bool negator = false, contrast = false, consumed = false;
};

}  // namespace

struct CommentAnalyzer::Impl {
  std::array<Lexicon, kLanguages> lexicons;
};

CommentAnalyzer::CommentAnalyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CommentAnalyzer::~CommentAnalyzer() = default;

std::string CommentAnalyzer::DefaultDataDir() {
  if (const char* dir = std::getenv("MITTARI_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  return MITTARI_DEFAULT_DATA_DIR;
}

Result<std::shared_ptr<const CommentAnalyzer>> CommentAnalyzer::Load(const std::string& data_dir) {
  RETURN_IF_ERROR(LoadLanguageModel(data_dir));
  auto impl = std::make_unique<Impl>();
  for (size_t i = 0; i < kLanguages; ++i) {
    std::string path = (std::filesystem::path(data_dir) / "lexicon" / (std::string(kLexiconFiles[i]) + ".yaml")).string();
    ASSIGN_OR_RETURN(impl->lexicons[i], LoadLexicon(path, i));
  }
  return std::shared_ptr<const CommentAnalyzer>(new CommentAnalyzer(std::move(impl)));
}

Result<std::shared_ptr<const CommentAnalyzer>> CommentAnalyzer::Shared() {
  static std::mutex mu;
  static std::shared_ptr<const CommentAnalyzer> shared;
  std::lock_guard lock(mu);
  if (!shared) {
    ASSIGN_OR_RETURN(shared, Load(DefaultDataDir()));
  }
  return shared;
}

CommentAnalysis CommentAnalyzer::Analyze(std::string_view redacted_text, std::optional<Language> hint) const {
  CommentAnalysis result;
  LanguageGuess guess = IdentifyLanguage(redacted_text, ToTextLanguage(hint));
  result.language = ToLanguage(guess.language);
  result.language_confidence = guess.confidence;
  const std::string normalized = NormalizeForMatching(redacted_text);
  const std::vector<Token> tokens = Tokenize(normalized);
  if (tokens.empty()) return result;

  // The comment's language gives all its words' meanings; the other two lexicons add only
  // themes, for the English or Finnish phrase inside a Swedish comment.
  size_t primary = 0;
  bool known = true;
  switch (guess.language) {
    case TextLanguage::kFi: primary = 0; break;
    case TextLanguage::kSv: primary = 1; break;
    case TextLanguage::kEn: primary = 2; break;
    default: known = false; break;
  }
  // Scratch space reused across calls on this thread: allocation showed in profiles.
  thread_local std::vector<Mark> marks;
  marks.assign(tokens.size(), Mark{});
  // Each word's stems, once: patterns and phrases of every language compare against them.
  StemCache& stem_cache = StemCache::ForThisThread();
  stem_cache.TrimIfLarge();
  thread_local std::vector<const StemCache::Stems*> token_stems;
  token_stems.assign(tokens.size(), nullptr);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].is_word) token_stems[i] = &stem_cache.StemsOf(tokens[i].text);
  }
  thread_local std::vector<std::string_view> stems;
  stems.assign(tokens.size(), std::string_view());
  thread_local std::vector<uint32_t> phrase_hits;
  for (size_t l = 0; l < kLanguages; ++l) {
    const Lexicon& lexicon = impl_->lexicons[l];
    const bool full = !known || l == primary;
    auto apply = [&](size_t at, const Entry& e) {
      Mark& m = marks[at];
      const bool foreign_ok = e.length >= kMinForeignPatternLength;
      if (!full && !foreign_ok) return;
      switch (e.role) {
        case Role::kTheme: result.themes = WithTheme(result.themes, static_cast<Theme>(e.theme)); break;
        case Role::kPositive: m.positive = std::max(m.positive, e.weight); break;
        case Role::kNegative: m.negative = std::max(m.negative, e.weight); break;
        case Role::kNegator: if (full) m.negator = true; break;
        case Role::kIntensifier: if (full) m.intensity = std::max(m.intensity, e.weight); break;
        case Role::kContrast: if (full) m.contrast = true; break;
        case Role::kPhrase: break;
      }
    };
    for (size_t i = 0; i < tokens.size(); ++i) {
      // Emoji have no stem: they match as they are.
      stems[i] = tokens[i].is_word ? std::string_view(token_stems[i]->at(l)) : std::string_view(tokens[i].text);
    }
    for (size_t i = 0; i < tokens.size(); ++i) {
      const Token& token = tokens[i];
      if (!token.is_word && !token.is_emoji) continue;
      phrase_hits.clear();
      lexicon.ForEachWordMatch(token.text, stems[i], [&](const Entry& e) {
        if (e.role == Role::kPhrase) {
          phrase_hits.push_back(e.phrase);
        } else {
          apply(i, e);
        }
      });
      for (uint32_t hit : phrase_hits) {
        const Phrase& phrase = lexicon.phrases[hit];
        if (i + phrase.words.size() > tokens.size()) continue;
        bool all = true;
        for (size_t k = 1; k < phrase.words.size() && all; ++k) {
          const Token& t = tokens[i + k];
          all = (t.is_word || t.is_emoji) && t.sentence == token.sentence &&
                Lexicon::Matches(phrase.words[k], t.text, stems[i + k]);
        }
        if (!all) continue;
        // The phrase carries its own meaning ("en saanut" is negative as a whole): its words
        // are not read again as negators or sentiment words.
        apply(i, phrase.entry);
        if ((full || phrase.entry.length >= kMinForeignPatternLength) &&
            (phrase.entry.role == Role::kPositive || phrase.entry.role == Role::kNegative)) {
          for (size_t k = 1; k < phrase.words.size(); ++k) {
            marks[i + k] = Mark{};
            marks[i + k].consumed = true;
          }
          marks[i].negator = false;
        }
      }
    }
  }

  // Each sentiment word counts once, turned by a negator up to four words before it in the
  // same clause (clauses end at sentence ends and contrast words) and scaled by an
  // intensifier just before it. Positive and negative weight are kept apart, so "great care,
  // terrible food" is mixed rather than a little negative.
  float positive_total = 0, negative_total = 0;
  size_t clause_sentence = tokens[0].sentence;
  constexpr int kFar = 1000;
  int since_negator = kFar, since_intensifier = kFar;
  float pending_intensity = 1;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Mark& m = marks[i];
    if (tokens[i].sentence != clause_sentence || m.contrast) {
      clause_sentence = tokens[i].sentence;
      since_negator = kFar;
      since_intensifier = kFar;
    }
    ++since_negator;
    ++since_intensifier;
    if (m.consumed) continue;
    const bool sentiment_word = m.positive != 0 || m.negative != 0;
    if (m.negator && !sentiment_word) {
      since_negator = 0;
      continue;
    }
    if (m.intensity > 0 && !sentiment_word) {
      pending_intensity = m.intensity;
      since_intensifier = 0;
      continue;
    }
    float value = m.positive - m.negative;
    if (value == 0) continue;
    if (since_intensifier <= 2) value *= pending_intensity;
    if (since_negator <= 4) {
      // "not good" is bad; "not bad" is only mildly good.
      value = value > 0 ? -value : -0.5f * value;
      since_negator = kFar;
    }
    if (value > 0) positive_total += value; else negative_total -= value;
  }
  result.sentiment_score = positive_total - negative_total;
  constexpr float kPart = 0.4f;   // each side of a mixed comment at least this
  constexpr float kClear = 0.5f;  // a one-sided comment at least this
  if (positive_total >= kPart && negative_total >= kPart) {
    result.sentiment = Sentiment::kMixed;
  } else if (result.sentiment_score >= kClear) {
    result.sentiment = Sentiment::kPositive;
  } else if (result.sentiment_score <= -kClear) {
    result.sentiment = Sentiment::kNegative;
  } else {
    result.sentiment = Sentiment::kNeutral;
  }
  return result;
}

}  // namespace mittari::text
