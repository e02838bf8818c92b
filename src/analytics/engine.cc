#include "analytics/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <bitset>
#include <charconv>
#include <map>

namespace mittari {
namespace {

constexpr LocalDay kEngineEpoch = 10957;  // 2000-01-01 as days since 1970-01-01
constexpr int32_t kDayCount = 65536;
constexpr int32_t kNone = -1;

constexpr std::array<std::string_view, static_cast<size_t>(Dimension::kCount)> kDimensionNames = {
    "unit", "centre", "area", "day", "week", "month", "quarter", "year",
    "channel", "language", "visit_type", "age_group", "survey"};

bool IsTimeDimension(Dimension d) { return d >= Dimension::kDay && d <= Dimension::kYear; }
bool IsUnitDimension(Dimension d) { return d <= Dimension::kArea; }

TimeBucket BucketOf(Dimension d) {
  switch (d) {
    case Dimension::kWeek: return TimeBucket::kWeek;
    case Dimension::kMonth: return TimeBucket::kMonth;
    case Dimension::kQuarter: return TimeBucket::kQuarter;
    case Dimension::kYear: return TimeBucket::kYear;
    default: return TimeBucket::kDay;
  }
}

// Bucket keys of every day the engine can hold, computed once: a lookup beats calendar
// arithmetic per row.
struct DayTables {
  std::vector<int32_t> week, month, quarter, year;
  DayTables() : week(kDayCount), month(kDayCount), quarter(kDayCount), year(kDayCount) {
    for (int32_t d = 0; d < kDayCount; ++d) {
      LocalDay day = kEngineEpoch + d;
      week[d] = BucketKey(TimeBucket::kWeek, day);
      month[d] = BucketKey(TimeBucket::kMonth, day);
      quarter[d] = BucketKey(TimeBucket::kQuarter, day);
      year[d] = BucketKey(TimeBucket::kYear, day);
    }
  }
};
const DayTables& Days() {
  static const DayTables tables;
  return tables;
}

bool ParseInt(std::string_view text, int* out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// Parses a period label as FormatBucket writes it.
std::optional<int32_t> ParseBucketLabel(TimeBucket bucket, std::string_view text) {
  int year = 0, part = 0;
  switch (bucket) {
    case TimeBucket::kDay: {
      Result<LocalDay> day = ParseLocalDate(text);
      if (!day.ok()) return std::nullopt;
      return *day;
    }
    case TimeBucket::kWeek:
      if (text.size() != 8 || text[4] != '-' || text[5] != 'W' || !ParseInt(text.substr(0, 4), &year) ||
          !ParseInt(text.substr(6, 2), &part) || part < 1 || part > 53) {
        return std::nullopt;
      }
      return year * 100 + part;
    case TimeBucket::kMonth:
      if (text.size() != 7 || text[4] != '-' || !ParseInt(text.substr(0, 4), &year) ||
          !ParseInt(text.substr(5, 2), &part) || part < 1 || part > 12) {
        return std::nullopt;
      }
      return year * 12 + part - 1;
    case TimeBucket::kQuarter:
      if (text.size() != 7 || text[4] != '-' || text[5] != 'Q' ||
          !ParseInt(text.substr(0, 4), &year) || !ParseInt(text.substr(6, 1), &part) ||
          part < 1 || part > 4) {
        return std::nullopt;
      }
      return year * 4 + part - 1;
    case TimeBucket::kYear:
      if (text.size() != 4 || !ParseInt(text, &year)) return std::nullopt;
      return year;
  }
  return std::nullopt;
}

std::string_view TimeFormatHint(Dimension d) {
  switch (d) {
    case Dimension::kDay: return "YYYY-MM-DD";
    case Dimension::kWeek: return "YYYY-Www";
    case Dimension::kMonth: return "YYYY-MM";
    case Dimension::kQuarter: return "YYYY-Qn";
    default: return "YYYY";
  }
}

template <typename E>
std::optional<int32_t> ParseEnumValue(std::string_view text) {
  std::optional<E> value = ParseEnum<E>(text);
  if (!value) return std::nullopt;
  return static_cast<int32_t>(*value);
}

std::string EnumAllowed(Dimension d) {
  switch (d) {
    case Dimension::kChannel: return AllowedNames<Channel>();
    case Dimension::kLanguage: return AllowedNames<Language>();
    case Dimension::kVisitType: return AllowedNames<VisitType>();
    case Dimension::kAgeGroup: return AllowedNames<AgeGroup>();
    default: return AllowedNames<SurveyKind>();
  }
}

std::string_view EnumLabel(Dimension d, int32_t value) {
  switch (d) {
    case Dimension::kChannel: return ToName(static_cast<Channel>(value));
    case Dimension::kLanguage: return ToName(static_cast<Language>(value));
    case Dimension::kVisitType: return ToName(static_cast<VisitType>(value));
    case Dimension::kAgeGroup: return ToName(static_cast<AgeGroup>(value));
    default: return ToName(static_cast<SurveyKind>(value));
  }
}

const std::string& UnitName(const Unit& unit, Language language) {
  switch (language) {
    case Language::kSv: return unit.name_sv.empty() ? unit.name_fi : unit.name_sv;
    case Language::kEn: return unit.name_en.empty() ? unit.name_fi : unit.name_en;
    default: return unit.name_fi;
  }
}

}  // namespace

std::string_view DimensionName(Dimension dimension) {
  return kDimensionNames[static_cast<size_t>(dimension)];
}

Result<Dimension> ParseDimension(std::string_view name) {
  for (size_t i = 0; i < kDimensionNames.size(); ++i) {
    if (kDimensionNames[i] == name) return static_cast<Dimension>(i);
  }
  std::string names;
  for (std::string_view n : kDimensionNames) names += names.empty() ? std::string(n) : ", " + std::string(n);
  return InvalidArgumentError(fmt::format("unknown dimension '{}'; use one of {}", name, names));
}

// A query turned into what the row loop checks: integer ranges and bitmasks.
struct Engine::Compiled {
  int32_t unit_low = 0, unit_high = 0;  // effective unit in [low, high)
  int32_t day_low = 0, day_high = kDayCount - 1;  // inclusive, engine day numbers
  bool current_structure = true;
  std::vector<std::pair<Dimension, std::vector<int32_t>>> value_filters;  // sorted values
  std::array<std::bitset<16>, static_cast<size_t>(Dimension::kCount)> enum_masks;
  std::array<bool, static_cast<size_t>(Dimension::kCount)> has_enum_mask{};
  std::vector<Dimension> group_by;
};

size_t Engine::KeyHash::operator()(const Key& key) const {
  uint64_t h = 1469598103934665603ull;
  for (int32_t v : key) {
    h ^= static_cast<uint32_t>(v);
    h *= 1099511628211ull;
  }
  return static_cast<size_t>(h ^ (h >> 29));
}

Engine::Engine(OrgTree tree) : tree_(std::move(tree)) {
  centre_of_.resize(tree_.size(), kNone);
  area_of_.resize(tree_.size(), kNone);
  for (size_t i = 0; i < tree_.size(); ++i) {
    auto index = static_cast<UnitIndex>(i);
    if (auto c = tree_.AncestorOfKind(index, UnitKind::kCentre)) centre_of_[i] = *c;
    if (auto a = tree_.AncestorOfKind(index, UnitKind::kArea)) area_of_[i] = *a;
  }
  Days();
}

Status Engine::Append(const ResponseFacts& facts) {
  std::optional<UnitIndex> unit = tree_.Find(facts.unit_code);
  if (!unit) {
    return InvalidArgumentError(
        fmt::format("response {} has unit '{}', which is not in the tree", facts.id, facts.unit_code));
  }
  int64_t day = static_cast<int64_t>(HelsinkiCalendar::Get().DayOf(facts.answered_at)) - kEngineEpoch;
  if (day < 0 || day >= kDayCount) {
    return InvalidArgumentError(fmt::format("response {} was answered at {}, outside 2000–2178",
                                            facts.id, FormatInstantUtc(facts.answered_at)));
  }
  if (facts.score < kMinScore || facts.score > kMaxScore) {
    return InvalidArgumentError(fmt::format("response {} has score {}", facts.id, facts.score));
  }
  if (!response_id_.empty() && facts.id <= response_id_.back()) {
    return InvalidArgumentError(fmt::format("response {} appended after {}: ids must increase",
                                            facts.id, response_id_.back()));
  }
  response_id_.push_back(facts.id);
  score_.push_back(static_cast<uint8_t>(facts.score));
  day_.push_back(static_cast<uint16_t>(day));
  unit_.push_back(*unit);
  survey_.push_back(static_cast<uint8_t>(facts.survey));
  channel_.push_back(static_cast<uint8_t>(facts.channel));
  language_.push_back(static_cast<uint8_t>(facts.language));
  visit_type_.push_back(static_cast<uint8_t>(facts.visit_type));
  age_group_.push_back(static_cast<uint8_t>(facts.age_group));
  return Status::Ok();
}

Status Engine::AppendScale(int64_t response_id, std::string_view question, int value) {
  auto it = std::lower_bound(response_id_.begin(), response_id_.end(), response_id);
  if (it == response_id_.end() || *it != response_id) {
    return NotFoundError(fmt::format("scale answer for response {}, which is not loaded", response_id));
  }
  if (value < kMinScaleValue || value > kMaxScaleValue) {
    return InvalidArgumentError(fmt::format("scale answer {} of response {} is not 1–5", value, response_id));
  }
  auto [q, inserted] = question_ids_.emplace(std::string(question), question_ids_.size());
  (void)inserted;
  scale_row_.push_back(static_cast<uint32_t>(it - response_id_.begin()));
  scale_question_.push_back(q->second);
  scale_value_.push_back(static_cast<uint8_t>(value));
  return Status::Ok();
}

Result<DimensionFilter> Engine::ParseWhere(std::string_view text) const {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    return InvalidArgumentError(fmt::format("filter '{}' must look like dimension=value", text));
  }
  ASSIGN_OR_RETURN(Dimension dimension, ParseDimension(text.substr(0, eq)));
  DimensionFilter filter;
  filter.dimension = dimension;
  std::string_view rest = text.substr(eq + 1);
  while (true) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    if (item.empty()) {
      return InvalidArgumentError(fmt::format("filter '{}' has an empty value", text));
    }
    std::optional<int32_t> value;
    if (IsUnitDimension(dimension)) {
      std::optional<UnitIndex> unit = tree_.Find(item);
      if (!unit) return NotFoundError(fmt::format("unknown unit code '{}' in filter '{}'", item, text));
      UnitKind wanted = dimension == Dimension::kArea     ? UnitKind::kArea
                        : dimension == Dimension::kCentre ? UnitKind::kCentre
                                                          : tree_.unit(*unit).kind;
      if (tree_.unit(*unit).kind != wanted) {
        return InvalidArgumentError(fmt::format("'{}' is a {}, but the filter is on {}", item,
                                                ToName(tree_.unit(*unit).kind), ToName(wanted)));
      }
      value = *unit;
    } else if (IsTimeDimension(dimension)) {
      value = ParseBucketLabel(BucketOf(dimension), item);
      if (!value) {
        return InvalidArgumentError(fmt::format("'{}' is not a {} (write {})", item,
                                                DimensionName(dimension), TimeFormatHint(dimension)));
      }
    } else {
      switch (dimension) {
        case Dimension::kChannel: value = ParseEnumValue<Channel>(item); break;
        case Dimension::kLanguage: value = ParseEnumValue<Language>(item); break;
        case Dimension::kVisitType: value = ParseEnumValue<VisitType>(item); break;
        case Dimension::kAgeGroup: value = ParseEnumValue<AgeGroup>(item); break;
        default: value = ParseEnumValue<SurveyKind>(item); break;
      }
      if (!value) {
        return InvalidArgumentError(fmt::format("unknown {} '{}'; use one of {}",
                                                DimensionName(dimension), item, EnumAllowed(dimension)));
      }
    }
    filter.values.push_back(*value);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return filter;
}

Result<Engine::Compiled> Engine::Compile(const Query& query) const {
  Compiled c;
  if (query.group_by.size() > kMaxGroupBy) {
    return InvalidArgumentError(fmt::format("at most {} grouping dimensions", kMaxGroupBy));
  }
  for (size_t i = 0; i < query.group_by.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (query.group_by[i] == query.group_by[j]) {
        return InvalidArgumentError(
            fmt::format("dimension '{}' is grouped by twice", DimensionName(query.group_by[i])));
      }
    }
  }
  if (query.min_n < 1) return InvalidArgumentError("min_n must be at least 1");
  c.group_by = query.group_by;
  c.current_structure = query.current_structure;
  c.unit_high = static_cast<int32_t>(tree_.size());
  if (query.unit_code) {
    std::optional<UnitIndex> unit = tree_.Find(*query.unit_code);
    if (!unit) return NotFoundError(fmt::format("unknown unit code '{}'", *query.unit_code));
    c.unit_low = *unit;
    c.unit_high = tree_.subtree_end(*unit);
  }
  if (query.from && query.to && *query.from > *query.to) {
    return InvalidArgumentError(fmt::format("from {} is after to {}", FormatLocalDate(*query.from),
                                            FormatLocalDate(*query.to)));
  }
  if (query.from) c.day_low = std::clamp<int64_t>(*query.from - kEngineEpoch, 0, kDayCount);
  if (query.to) c.day_high = std::clamp<int64_t>(*query.to - kEngineEpoch, -1, kDayCount - 1);
  bool survey_mentioned =
      std::find(query.group_by.begin(), query.group_by.end(), Dimension::kSurvey) != query.group_by.end();
  for (const DimensionFilter& f : query.where) {
    auto d = static_cast<size_t>(f.dimension);
    if (f.dimension == Dimension::kSurvey) survey_mentioned = true;
    if (f.dimension >= Dimension::kChannel) {
      std::bitset<16> mask;
      for (int32_t v : f.values) {
        if (v >= 0 && v < 16) mask.set(static_cast<size_t>(v));
      }
      c.enum_masks[d] = c.has_enum_mask[d] ? (c.enum_masks[d] & mask) : mask;
      c.has_enum_mask[d] = true;
    } else {
      std::vector<int32_t> values = f.values;
      std::sort(values.begin(), values.end());
      c.value_filters.emplace_back(f.dimension, std::move(values));
    }
  }
  if (!survey_mentioned) {
    auto d = static_cast<size_t>(Dimension::kSurvey);
    c.enum_masks[d].set(static_cast<size_t>(SurveyKind::kPatient));
    c.has_enum_mask[d] = true;
  }
  return c;
}

int32_t Engine::ValueOf(Dimension dimension, UnitIndex effective_unit, size_t row) const {
  const DayTables& days = Days();
  switch (dimension) {
    case Dimension::kUnit: return effective_unit;
    case Dimension::kCentre: return centre_of_[effective_unit];
    case Dimension::kArea: return area_of_[effective_unit];
    case Dimension::kDay: return kEngineEpoch + day_[row];
    case Dimension::kWeek: return days.week[day_[row]];
    case Dimension::kMonth: return days.month[day_[row]];
    case Dimension::kQuarter: return days.quarter[day_[row]];
    case Dimension::kYear: return days.year[day_[row]];
    case Dimension::kChannel: return channel_[row];
    case Dimension::kLanguage: return language_[row];
    case Dimension::kVisitType: return visit_type_[row];
    case Dimension::kAgeGroup: return age_group_[row];
    case Dimension::kSurvey: return survey_[row];
    case Dimension::kCount: break;
  }
  return kNone;
}

bool Engine::Matches(const Compiled& c, size_t row) const {
  UnitIndex unit = c.current_structure ? tree_.CurrentSuccessor(unit_[row]) : unit_[row];
  if (unit < c.unit_low || unit >= c.unit_high) return false;
  if (day_[row] < c.day_low || day_[row] > c.day_high) return false;
  auto check = [&](Dimension d, uint8_t value) {
    auto i = static_cast<size_t>(d);
    return !c.has_enum_mask[i] || c.enum_masks[i].test(value);
  };
  if (!check(Dimension::kSurvey, survey_[row]) || !check(Dimension::kChannel, channel_[row]) ||
      !check(Dimension::kLanguage, language_[row]) ||
      !check(Dimension::kVisitType, visit_type_[row]) ||
      !check(Dimension::kAgeGroup, age_group_[row])) {
    return false;
  }
  for (const auto& [dimension, values] : c.value_filters) {
    if (!std::binary_search(values.begin(), values.end(), ValueOf(dimension, unit, row))) return false;
  }
  return true;
}

Engine::Key Engine::KeyOf(const Compiled& c, size_t row) const {
  Key key{};
  UnitIndex unit = c.current_structure ? tree_.CurrentSuccessor(unit_[row]) : unit_[row];
  for (size_t i = 0; i < c.group_by.size(); ++i) key[i] = ValueOf(c.group_by[i], unit, row);
  return key;
}

std::vector<GroupLabel> Engine::Labels(const Query& query, const Key& key) const {
  std::vector<GroupLabel> labels;
  for (size_t i = 0; i < query.group_by.size(); ++i) {
    Dimension d = query.group_by[i];
    GroupLabel label;
    if (IsUnitDimension(d)) {
      if (key[i] == kNone) {
        label.value = fmt::format("(no {})", DimensionName(d));
      } else {
        const Unit& unit = tree_.unit(static_cast<UnitIndex>(key[i]));
        label.value = unit.code;
        label.name = UnitName(unit, query.name_language);
      }
    } else if (IsTimeDimension(d)) {
      label.value = FormatBucket(BucketOf(d), key[i]);
    } else {
      label.value = EnumLabel(d, key[i]);
    }
    labels.push_back(std::move(label));
  }
  return labels;
}

Result<std::vector<NpsGroup>> Engine::Nps(const Query& query) const {
  ASSIGN_OR_RETURN(Compiled compiled, Compile(query));
  std::unordered_map<Key, NpsCounts, KeyHash> partial;
  for (size_t row = 0; row < score_.size(); ++row) {
    if (!Matches(compiled, row)) continue;
    partial[KeyOf(compiled, row)].Add(score_[row]);
  }
  // Ordered by key: units in tree order, periods in time order, as reports want them.
  std::map<Key, NpsCounts> groups(partial.begin(), partial.end());
  std::vector<NpsGroup> out;
  out.reserve(groups.size());
  for (const auto& [key, counts] : groups) {
    NpsGroup group;
    group.labels = Labels(query, key);
    group.suppressed = IsSuppressed(counts.n(), query.min_n);
    if (!group.suppressed) {
      group.counts = counts;
      group.estimate = EstimateNps(counts);
    }
    out.push_back(std::move(group));
  }
  return out;
}

Result<std::vector<ShareGroup>> Engine::Share(std::string_view question, const Query& query) const {
  auto q = question_ids_.find(std::string(question));
  if (q == question_ids_.end()) {
    return NotFoundError(fmt::format("no answers to scale question '{}'", question));
  }
  ASSIGN_OR_RETURN(Compiled compiled, Compile(query));
  std::unordered_map<Key, ShareCounts, KeyHash> partial;
  for (size_t i = 0; i < scale_value_.size(); ++i) {
    if (scale_question_[i] != q->second) continue;
    size_t row = scale_row_[i];
    if (!Matches(compiled, row)) continue;
    partial[KeyOf(compiled, row)].Add(scale_value_[i] >= 4);
  }
  std::map<Key, ShareCounts> groups(partial.begin(), partial.end());
  std::vector<ShareGroup> out;
  for (const auto& [key, counts] : groups) {
    ShareGroup group;
    group.labels = Labels(query, key);
    group.suppressed = IsSuppressed(counts.n, query.min_n);
    if (!group.suppressed) {
      group.counts = counts;
      group.estimate = EstimateShare(counts);
    }
    out.push_back(std::move(group));
  }
  return out;
}

}  // namespace mittari
