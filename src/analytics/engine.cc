#include "analytics/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <bitset>
#include <charconv>
#include <limits>
#include <map>
#include <thread>
#include <type_traits>

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

namespace {

// Packed attributes: channel bits 0–1, language 2–3, visit type 4–6, age group 7–9, survey 10.
constexpr size_t kAttrCombos = 2048;
uint16_t PackAttrs(const ResponseFacts& f) {
  return static_cast<uint16_t>(static_cast<unsigned>(f.channel) |
                               (static_cast<unsigned>(f.language) << 2) |
                               (static_cast<unsigned>(f.visit_type) << 4) |
                               (static_cast<unsigned>(f.age_group) << 7) |
                               (static_cast<unsigned>(f.survey) << 10));
}
int32_t AttrValue(Dimension d, uint32_t attrs) {
  switch (d) {
    case Dimension::kChannel: return static_cast<int32_t>(attrs & 3);
    case Dimension::kLanguage: return static_cast<int32_t>((attrs >> 2) & 3);
    case Dimension::kVisitType: return static_cast<int32_t>((attrs >> 4) & 7);
    case Dimension::kAgeGroup: return static_cast<int32_t>((attrs >> 7) & 7);
    default: return static_cast<int32_t>((attrs >> 10) & 1);
  }
}
bool IsRealAttrs(uint32_t attrs) {
  return AttrValue(Dimension::kVisitType, attrs) < static_cast<int32_t>(VisitType::kCount) &&
         AttrValue(Dimension::kAgeGroup, attrs) < static_cast<int32_t>(AgeGroup::kCount);
}

// Score → counter: promoters 0, passives 1, detractors 2.
constexpr std::array<uint8_t, 16> kScoreClass = {2, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 2, 2, 2, 2, 2};
constexpr size_t kCounters = 4;
// Beyond this a result is no longer a report anyone reads, and building it costs seconds.
constexpr size_t kMaxResultGroups = 1000000;  // per group: promoters, passives, detractors, padding

// Dense tuples of one component (units, days or attribute combinations).
class TupleIndex {
 public:
  int32_t Intern(const std::vector<int32_t>& tuple) {
    auto [it, fresh] = index_.emplace(tuple, static_cast<int32_t>(tuples_.size()));
    if (fresh) tuples_.push_back(tuple);
    return it->second;
  }
  size_t size() const { return tuples_.size(); }
  const std::vector<int32_t>& tuple(size_t i) const { return tuples_[i]; }

 private:
  std::map<std::vector<int32_t>, int32_t> index_;
  std::vector<std::vector<int32_t>> tuples_;
};

}  // namespace

// A compiled query: for each unit, day and attribute combination, either its component
// index or -1 when the query's filters exclude it.
struct Engine::Plan {
  std::vector<Dimension> group_by;
  std::vector<size_t> unit_dims, time_dims, attr_dims;  // positions in group_by
  TupleIndex unit_tuples, time_tuples, attr_tuples;
  std::vector<int32_t> unit_comp, day_comp, attr_comp;
  uint16_t day_low = 0, day_high = 0;  // engine days the query can match
  uint64_t groups = 0;
  bool dense = true;
  // Dense offsets: a discarded value maps to `groups` or more, and min(sum, groups) is the
  // discard slot, so the scan needs no branch.
  std::vector<uint32_t> unit_offset, day_offset, attr_offset;
};

Engine::Engine(OrgTree tree, EngineOptions options) : tree_(std::move(tree)), options_(options) {
  centre_of_.resize(tree_.size(), kNone);
  area_of_.resize(tree_.size(), kNone);
  for (size_t i = 0; i < tree_.size(); ++i) {
    auto index = static_cast<UnitIndex>(i);
    if (auto c = tree_.AncestorOfKind(index, UnitKind::kCentre)) centre_of_[i] = *c;
    if (auto a = tree_.AncestorOfKind(index, UnitKind::kArea)) area_of_[i] = *a;
  }
  Days();
}

Result<Engine::PreparedRow> Engine::Prepare(const ResponseFacts& facts) const {
  std::optional<UnitIndex> unit = tree_.Find(facts.unit_code);
  if (!unit) {
    return InvalidArgumentError(fmt::format("response {} has unit '{}', which is not in the tree",
                                            facts.id, facts.unit_code));
  }
  int64_t day = static_cast<int64_t>(HelsinkiCalendar::Get().DayOf(facts.answered_at)) - kEngineEpoch;
  if (day < 0 || day >= kDayCount) {
    return InvalidArgumentError(fmt::format("response {} was answered at {}, outside 2000–2178",
                                            facts.id, FormatInstantUtc(facts.answered_at)));
  }
  if (facts.score < kMinScore || facts.score > kMaxScore) {
    return InvalidArgumentError(fmt::format("response {} has score {}", facts.id, facts.score));
  }
  PreparedRow row;
  row.id = facts.id;
  row.unit = *unit;
  row.day = static_cast<uint16_t>(day);
  row.attrs = PackAttrs(facts);
  row.score = static_cast<uint8_t>(facts.score);
  row.themes = static_cast<uint8_t>((facts.themes & 0x7f) | (facts.has_comment ? kCommentBit : 0));
  return row;
}

Status Engine::AppendPrepared(const PreparedRow& prepared) {
  if (prepared.id <= last_id_) {
    return InvalidArgumentError(
        fmt::format("response {} appended after {}: ids must increase", prepared.id, last_id_));
  }
  tail_ids_.push_back(prepared.id);
  last_id_ = prepared.id;
  score_.push_back(prepared.score);
  day_.push_back(prepared.day);
  max_day_ = std::max(max_day_, prepared.day);
  unit_.push_back(prepared.unit);
  attrs_.push_back(prepared.attrs);
  themes_.push_back(prepared.themes);
  return Status::Ok();
}

Status Engine::Append(const ResponseFacts& facts) {
  ASSIGN_OR_RETURN(PreparedRow row, Prepare(facts));
  return AppendPrepared(row);
}

void Engine::ShrinkToFit() {
  score_.shrink_to_fit();
  day_.shrink_to_fit();
  unit_.shrink_to_fit();
  attrs_.shrink_to_fit();
  themes_.shrink_to_fit();
  tail_ids_.shrink_to_fit();
  scale_row_.shrink_to_fit();
  scale_question_.shrink_to_fit();
  scale_value_.shrink_to_fit();
}

std::optional<uint32_t> Engine::RowOf(int64_t response_id) const {
  auto it = std::lower_bound(tail_ids_.begin(), tail_ids_.end(), response_id);
  if (it == tail_ids_.end() || *it != response_id) return std::nullopt;
  return static_cast<uint32_t>(tail_begin_ + (it - tail_ids_.begin()));
}

void Engine::Seal() {
  const size_t segment = std::max<size_t>(1, options_.segment_rows);
  while (score_.size() - tail_begin_ >= segment) {
    SealRows(tail_begin_, static_cast<uint32_t>(tail_begin_ + segment));
    segments_.back().first_id = tail_ids_.front();
    segments_.back().last_id = tail_ids_[segment - 1];
    tail_ids_.erase(tail_ids_.begin(), tail_ids_.begin() + static_cast<std::ptrdiff_t>(segment));
    tail_begin_ = static_cast<uint32_t>(tail_begin_ + segment);
  }
}

void Engine::SealRows(uint32_t begin, uint32_t end) {
  // Counting sort by unit; rows of one unit keep their (time) order.
  Segment seg;
  seg.begin = begin;
  seg.end = end;
  seg.min_day = std::numeric_limits<uint16_t>::max();
  seg.unit_start.assign(tree_.size() + 1, 0);
  for (uint32_t row = begin; row < end; ++row) {
    ++seg.unit_start[unit_[row] + 1];
    seg.min_day = std::min(seg.min_day, day_[row]);
    seg.max_day = std::max(seg.max_day, day_[row]);
  }
  seg.unit_start[0] = begin;
  for (size_t u = 1; u < seg.unit_start.size(); ++u) seg.unit_start[u] += seg.unit_start[u - 1];
  std::vector<uint32_t> next(seg.unit_start.begin(), seg.unit_start.end() - 1);
  std::vector<uint32_t> new_row(end - begin);
  for (uint32_t row = begin; row < end; ++row) new_row[row - begin] = next[unit_[row]]++;
  auto permute = [&](auto& column) {
    std::vector<typename std::decay_t<decltype(column)>::value_type> moved(end - begin);
    for (uint32_t row = begin; row < end; ++row) moved[new_row[row - begin] - begin] = column[row];
    std::copy(moved.begin(), moved.end(), column.begin() + begin);
  };
  permute(score_);
  permute(day_);
  permute(unit_);
  permute(attrs_);
  permute(themes_);
  // Scale answers of these rows are the newest ones, at the end of their columns.
  for (size_t i = scale_row_.size(); i-- > 0 && scale_row_[i] >= begin;) {
    if (scale_row_[i] < end) scale_row_[i] = new_row[scale_row_[i] - begin];
  }
  segments_.push_back(std::move(seg));
}

std::vector<std::pair<uint32_t, uint32_t>> Engine::RowRanges(const Plan& plan) const {
  // Raw units the query keeps, as maximal runs in pre-order.
  std::vector<std::pair<size_t, size_t>> units;
  for (size_t u = 0; u < plan.unit_comp.size(); ++u) {
    if (plan.unit_comp[u] < 0) continue;
    if (!units.empty() && units.back().second == u) {
      units.back().second = u + 1;
    } else {
      units.emplace_back(u, u + 1);
    }
  }
  std::vector<std::pair<uint32_t, uint32_t>> ranges;
  for (const Segment& seg : segments_) {
    if (seg.max_day < plan.day_low || seg.min_day > plan.day_high) continue;
    for (const auto& [low, high] : units) {
      uint32_t b = seg.unit_start[low], e = seg.unit_start[high];
      if (b == e) continue;
      if (!ranges.empty() && ranges.back().second == b) {
        ranges.back().second = e;
      } else {
        ranges.emplace_back(b, e);
      }
    }
  }
  if (tail_begin_ < score_.size()) ranges.emplace_back(tail_begin_, static_cast<uint32_t>(score_.size()));
  return ranges;
}

Status Engine::AppendScale(int64_t response_id, std::string_view question, int value) {
  std::optional<uint32_t> row = RowOf(response_id);
  if (!row) {
    return NotFoundError(fmt::format("scale answer for response {}, which is not loaded", response_id));
  }
  if (value < kMinScaleValue || value > kMaxScaleValue) {
    return InvalidArgumentError(
        fmt::format("scale answer {} of response {} is not 1–5", value, response_id));
  }
  auto [q, inserted] = question_ids_.emplace(std::string(question), question_ids_.size());
  (void)inserted;
  scale_row_.push_back(*row);
  scale_question_.push_back(q->second);
  scale_value_.push_back(static_cast<uint8_t>(value));
  return Status::Ok();
}

size_t Engine::memory_bytes() const {
  auto bytes = [](const auto& column) { return column.capacity() * sizeof(column[0]); };
  size_t total = bytes(score_) + bytes(day_) + bytes(unit_) + bytes(attrs_) + bytes(themes_) + bytes(tail_ids_) +
                 bytes(scale_row_) + bytes(scale_question_) + bytes(scale_value_);
  for (const Segment& seg : segments_) total += sizeof(Segment) + bytes(seg.unit_start);
  return total;
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

Result<Engine::Plan> Engine::Compile(const Query& query) const {
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
  if (query.from && query.to && *query.from > *query.to) {
    return InvalidArgumentError(fmt::format("from {} is after to {}", FormatLocalDate(*query.from),
                                            FormatLocalDate(*query.to)));
  }
  int32_t unit_low = 0, unit_high = static_cast<int32_t>(tree_.size());
  if (query.unit_code) {
    std::optional<UnitIndex> unit = tree_.Find(*query.unit_code);
    if (!unit) return NotFoundError(fmt::format("unknown unit code '{}'", *query.unit_code));
    unit_low = *unit;
    unit_high = tree_.subtree_end(*unit);
  }
  // Filters by dimension; several filters on one dimension must all hold.
  std::array<std::vector<std::vector<int32_t>>, static_cast<size_t>(Dimension::kCount)> filters;
  bool survey_mentioned = false;
  for (const DimensionFilter& f : query.where) {
    filters[static_cast<size_t>(f.dimension)].push_back(f.values);
    if (f.dimension == Dimension::kSurvey) survey_mentioned = true;
  }
  Plan plan;
  plan.group_by = query.group_by;
  for (size_t i = 0; i < query.group_by.size(); ++i) {
    Dimension d = query.group_by[i];
    if (d == Dimension::kSurvey) survey_mentioned = true;
    (IsUnitDimension(d) ? plan.unit_dims : IsTimeDimension(d) ? plan.time_dims : plan.attr_dims).push_back(i);
  }
  if (!survey_mentioned) {
    filters[static_cast<size_t>(Dimension::kSurvey)].push_back({static_cast<int32_t>(SurveyKind::kPatient)});
  }
  auto passes = [&](Dimension d, int32_t value) {
    for (const std::vector<int32_t>& allowed : filters[static_cast<size_t>(d)]) {
      if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) return false;
    }
    return true;
  };

  // Units: subtree, successor mapping, unit-level filters and groupings.
  auto unit_value = [&](Dimension d, UnitIndex u) -> int32_t {
    return d == Dimension::kUnit ? u : d == Dimension::kCentre ? centre_of_[u] : area_of_[u];
  };
  plan.unit_comp.assign(tree_.size(), -1);
  std::vector<int32_t> tuple;
  for (size_t raw = 0; raw < tree_.size(); ++raw) {
    UnitIndex u = query.current_structure ? tree_.CurrentSuccessor(static_cast<UnitIndex>(raw))
                                          : static_cast<UnitIndex>(raw);
    if (u < unit_low || u >= unit_high) continue;
    if (!passes(Dimension::kUnit, u) || !passes(Dimension::kCentre, centre_of_[u]) ||
        !passes(Dimension::kArea, area_of_[u])) {
      continue;
    }
    tuple.clear();
    for (size_t i : plan.unit_dims) tuple.push_back(unit_value(query.group_by[i], u));
    plan.unit_comp[raw] = plan.unit_tuples.Intern(tuple);
  }

  // Days: date range, period filters and groupings.
  const DayTables& days = Days();
  auto time_value = [&](Dimension d, size_t day) -> int32_t {
    switch (d) {
      case Dimension::kWeek: return days.week[day];
      case Dimension::kMonth: return days.month[day];
      case Dimension::kQuarter: return days.quarter[day];
      case Dimension::kYear: return days.year[day];
      default: return kEngineEpoch + static_cast<int32_t>(day);
    }
  };
  int64_t day_low = query.from ? *query.from - kEngineEpoch : 0;
  int64_t day_high = query.to ? *query.to - kEngineEpoch : kDayCount - 1;
  plan.day_comp.assign(static_cast<size_t>(max_day_) + 1, -1);
  plan.day_low = static_cast<uint16_t>(std::clamp<int64_t>(day_low, 0, kDayCount - 1));
  plan.day_high = static_cast<uint16_t>(std::clamp<int64_t>(day_high, 0, kDayCount - 1));
  if (day_high < 0 || day_low >= kDayCount) plan.day_low = 1, plan.day_high = 0;  // matches nothing
  for (size_t day = 0; day <= max_day_; ++day) {
    if (static_cast<int64_t>(day) < day_low || static_cast<int64_t>(day) > day_high) continue;
    bool ok = true;
    for (Dimension d : {Dimension::kDay, Dimension::kWeek, Dimension::kMonth, Dimension::kQuarter,
                        Dimension::kYear}) {
      if (!filters[static_cast<size_t>(d)].empty() && !passes(d, time_value(d, day))) ok = false;
    }
    if (!ok) continue;
    tuple.clear();
    for (size_t i : plan.time_dims) tuple.push_back(time_value(query.group_by[i], day));
    plan.day_comp[day] = plan.time_tuples.Intern(tuple);
  }

  // Attribute combinations: enumeration filters and groupings.
  plan.attr_comp.assign(kAttrCombos, -1);
  for (uint32_t attrs = 0; attrs < kAttrCombos; ++attrs) {
    if (!IsRealAttrs(attrs)) continue;
    bool ok = true;
    for (Dimension d : {Dimension::kChannel, Dimension::kLanguage, Dimension::kVisitType,
                        Dimension::kAgeGroup, Dimension::kSurvey}) {
      if (!passes(d, AttrValue(d, attrs))) ok = false;
    }
    if (!ok) continue;
    tuple.clear();
    for (size_t i : plan.attr_dims) tuple.push_back(AttrValue(query.group_by[i], attrs));
    plan.attr_comp[attrs] = plan.attr_tuples.Intern(tuple);
  }

  const uint64_t nu = plan.unit_tuples.size(), nt = plan.time_tuples.size(),
                 na = plan.attr_tuples.size();
  plan.groups = nu * nt * na;
  plan.dense = plan.groups <= options_.max_dense_groups;
  if (plan.dense) {
    const auto discard = static_cast<uint32_t>(plan.groups);
    auto offsets = [&](const std::vector<int32_t>& comp, uint64_t stride, std::vector<uint32_t>& out) {
      out.resize(comp.size());
      for (size_t i = 0; i < comp.size(); ++i) {
        out[i] = comp[i] < 0 ? discard : static_cast<uint32_t>(comp[i] * stride);
      }
    };
    offsets(plan.unit_comp, nt * na, plan.unit_offset);
    offsets(plan.day_comp, na, plan.day_offset);
    offsets(plan.attr_comp, 1, plan.attr_offset);
  }
  return plan;
}

namespace {

// Dense partial counts: one array of counters per group plus a discard slot; four lanes so
// that runs of answers to the same group do not wait on each other's increments.
struct DenseCounter {
  explicit DenseCounter(uint64_t groups)
      : groups(groups), lanes(groups < 4096 ? 4 : 1), counts((groups + 1) * kCounters * lanes, 0) {}
  uint64_t groups;
  size_t lanes;
  std::vector<uint32_t> counts;
  void Combine(const DenseCounter& other) {
    for (size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
  }
  // Sum of the lanes for group g, counter c.
  uint64_t Get(uint64_t g, size_t c) const {
    uint64_t total = 0;
    for (size_t lane = 0; lane < lanes; ++lane) total += counts[(lane * (groups + 1) + g) * kCounters + c];
    return total;
  }
};

// Partial counts for group spaces too large for a dense array: open addressing with linear
// probing (std::unordered_map costs a node allocation per group and a pointer chase per row).
struct SparseCounter {
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  std::vector<uint64_t> keys = std::vector<uint64_t>(1024, kEmpty);
  std::vector<std::array<uint64_t, kCounters>> values = std::vector<std::array<uint64_t, kCounters>>(1024);
  size_t used = 0;

  std::array<uint64_t, kCounters>& operator[](uint64_t key) {
    size_t mask = keys.size() - 1;
    size_t slot = static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 20) & mask;
    while (keys[slot] != key) {
      if (keys[slot] == kEmpty) {
        if ((used + 1) * 2 > keys.size()) {
          Grow();
          return (*this)[key];
        }
        keys[slot] = key;
        values[slot] = {};
        ++used;
        break;
      }
      slot = (slot + 1) & mask;
    }
    return values[slot];
  }
  void Grow() {
    std::vector<uint64_t> old_keys = std::move(keys);
    std::vector<std::array<uint64_t, kCounters>> old_values = std::move(values);
    keys.assign(old_keys.size() * 2, kEmpty);
    values.assign(old_keys.size() * 2, {});
    used = 0;
    for (size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] != kEmpty) (*this)[old_keys[i]] = old_values[i];
    }
  }
  void Combine(const SparseCounter& other) {
    for (size_t i = 0; i < other.keys.size(); ++i) {
      if (other.keys[i] == kEmpty) continue;
      auto& mine = (*this)[other.keys[i]];
      for (size_t c = 0; c < kCounters; ++c) mine[c] += other.values[i][c];
    }
  }
  template <typename Visit>
  void ForEach(Visit visit) const {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] != kEmpty) visit(keys[i], values[i]);
    }
  }
};

}  // namespace

template <typename Counter>
void Engine::Scan(const Plan& plan, size_t begin, size_t end, int scale_question,
                  Counter& counter) const {
  const uint8_t* score = score_.data();
  const uint16_t* day = day_.data();
  const UnitIndex* unit = unit_.data();
  const uint16_t* attrs = attrs_.data();
  if constexpr (std::is_same_v<Counter, DenseCounter>) {
    const uint32_t* uo = plan.unit_offset.data();
    const uint32_t* dof = plan.day_offset.data();
    const uint32_t* ao = plan.attr_offset.data();
    const auto discard = static_cast<uint32_t>(plan.groups);
    const size_t lane_stride = (plan.groups + 1) * kCounters;
    uint32_t* counts = counter.counts.data();
    if (scale_question < 0) {
      if (counter.lanes == 4) {
        size_t row = begin;
        for (; row + 4 <= end; row += 4) {
          for (size_t k = 0; k < 4; ++k) {
            size_t r = row + k;
            uint32_t g = std::min(uo[unit[r]] + dof[day[r]] + ao[attrs[r]], discard);
            ++counts[k * lane_stride + g * kCounters + kScoreClass[score[r]]];
          }
        }
        for (; row < end; ++row) {
          uint32_t g = std::min(uo[unit[row]] + dof[day[row]] + ao[attrs[row]], discard);
          ++counts[g * kCounters + kScoreClass[score[row]]];
        }
      } else {
        for (size_t row = begin; row < end; ++row) {
          uint32_t g = std::min(uo[unit[row]] + dof[day[row]] + ao[attrs[row]], discard);
          ++counts[g * kCounters + kScoreClass[score[row]]];
        }
      }
    } else {
      for (size_t i = begin; i < end; ++i) {
        if (scale_question_[i] != scale_question) continue;
        uint32_t row = scale_row_[i];
        uint32_t g = std::min(uo[unit[row]] + dof[day[row]] + ao[attrs[row]], discard);
        // Top-2 box: counter 0 counts hits (4–5), counter 1 the rest.
        ++counts[g * kCounters + (scale_value_[i] >= 4 ? 0 : 1)];
      }
    }
  } else {
    const uint64_t nt = plan.time_tuples.size(), na = plan.attr_tuples.size();
    auto add = [&](uint32_t row, size_t c) {
      int32_t u = plan.unit_comp[unit[row]], t = plan.day_comp[day[row]], a = plan.attr_comp[attrs[row]];
      if (u < 0 || t < 0 || a < 0) return;
      ++counter[(static_cast<uint64_t>(u) * nt + static_cast<uint64_t>(t)) * na +
                static_cast<uint64_t>(a)][c];
    };
    if (scale_question < 0) {
      for (size_t row = begin; row < end; ++row) add(static_cast<uint32_t>(row), kScoreClass[score[row]]);
    } else {
      for (size_t i = begin; i < end; ++i) {
        if (scale_question_[i] == scale_question) add(scale_row_[i], scale_value_[i] >= 4 ? 0 : 1);
      }
    }
  }
}

template <typename Counts>
Result<std::vector<std::pair<Engine::Key, Counts>>> Engine::Aggregate(const Plan& plan,
                                                                     int scale_question) const {
  // Work: row ranges for NPS (segments pruned by period and units), all scale answers for
  // shares; split into one slice per thread with about the same number of rows each.
  std::vector<std::pair<uint32_t, uint32_t>> ranges;
  if (scale_question < 0) {
    ranges = RowRanges(plan);
  } else {
    ranges.emplace_back(0, static_cast<uint32_t>(scale_value_.size()));
  }
  size_t total = 0;
  for (const auto& [b, e] : ranges) total += e - b;
  size_t threads = std::clamp<size_t>(total / std::max<size_t>(1, options_.min_rows_per_thread), 1,
                                      static_cast<size_t>(std::max(1, options_.threads)));
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> slices(threads);
  {
    size_t per_thread = (total + threads - 1) / threads, filled = 0, t = 0;
    for (auto [b, e] : ranges) {
      while (b < e) {
        size_t room = per_thread - filled;
        uint32_t cut = static_cast<uint32_t>(std::min<size_t>(e, b + room));
        slices[t].emplace_back(b, cut);
        filled += cut - b;
        b = cut;
        if (filled == per_thread && t + 1 < threads) ++t, filled = 0;
      }
    }
  }
  std::vector<std::pair<uint64_t, std::array<uint64_t, kCounters>>> groups;  // dense index → counters
  auto run = [&](auto make_counter) {
    using Counter = decltype(make_counter());
    std::vector<Counter> partials;
    for (size_t t = 0; t < threads; ++t) partials.push_back(make_counter());
    std::vector<std::thread> workers;
    auto scan_slice = [&](size_t t) {
      for (const auto& [b, e] : slices[t]) Scan(plan, b, e, scale_question, partials[t]);
    };
    for (size_t t = 1; t < threads; ++t) workers.emplace_back(scan_slice, t);
    scan_slice(0);
    for (std::thread& w : workers) w.join();
    for (size_t t = 1; t < threads; ++t) partials[0].Combine(partials[t]);
    return std::move(partials[0]);
  };
  if (plan.dense) {
    DenseCounter counter = run([&] { return DenseCounter(plan.groups); });
    for (uint64_t g = 0; g < plan.groups; ++g) {
      std::array<uint64_t, kCounters> c{counter.Get(g, 0), counter.Get(g, 1), counter.Get(g, 2), 0};
      if (c[0] + c[1] + c[2] > 0) groups.emplace_back(g, c);
    }
  } else {
    SparseCounter counter = run([] { return SparseCounter(); });
    counter.ForEach([&](uint64_t g, const std::array<uint64_t, kCounters>& c) { groups.emplace_back(g, c); });
  }
  if (groups.size() > options_.max_result_groups) {
    return InvalidArgumentError(fmt::format(
        "the query gives {} groups, more than {}; use fewer dimensions, a shorter period or a "
        "smaller subtree", groups.size(), options_.max_result_groups));
  }
  // Finalize: dense index → the group's key in the order the query named its dimensions.
  const uint64_t nt = plan.time_tuples.size(), na = plan.attr_tuples.size();
  std::vector<std::pair<Key, Counts>> out;
  out.reserve(groups.size());
  for (const auto& [g, c] : groups) {
    Key key{};
    const std::vector<int32_t>& ut = plan.unit_tuples.tuple(g / (nt * na));
    const std::vector<int32_t>& tt = plan.time_tuples.tuple((g / na) % nt);
    const std::vector<int32_t>& at = plan.attr_tuples.tuple(g % na);
    for (size_t i = 0; i < plan.unit_dims.size(); ++i) key[plan.unit_dims[i]] = ut[i];
    for (size_t i = 0; i < plan.time_dims.size(); ++i) key[plan.time_dims[i]] = tt[i];
    for (size_t i = 0; i < plan.attr_dims.size(); ++i) key[plan.attr_dims[i]] = at[i];
    Counts counts;
    if constexpr (std::is_same_v<Counts, NpsCounts>) {
      counts.promoters = static_cast<int64_t>(c[0]);
      counts.passives = static_cast<int64_t>(c[1]);
      counts.detractors = static_cast<int64_t>(c[2]);
    } else {
      counts.hits = static_cast<int64_t>(c[0]);
      counts.n = static_cast<int64_t>(c[0] + c[1]);
    }
    out.emplace_back(key, counts);
  }
  // Units in tree order, periods in time order, enumerations in declaration order.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
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
  ASSIGN_OR_RETURN(Plan plan, Compile(query));
  ASSIGN_OR_RETURN(auto groups, Aggregate<NpsCounts>(plan, -1));
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
  ASSIGN_OR_RETURN(Plan plan, Compile(query));
  ASSIGN_OR_RETURN(auto groups, Aggregate<ShareCounts>(plan, q->second));
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

Status Engine::UpdateCommentThemes(const ResponseFacts& facts, ThemeSet old_themes, bool old_has_comment) {
  ASSIGN_OR_RETURN(PreparedRow now, Prepare(facts));
  const uint8_t old_byte = static_cast<uint8_t>((old_themes & 0x7f) | (old_has_comment ? kCommentBit : 0));
  if (std::optional<uint32_t> row = RowOf(facts.id)) {
    themes_[*row] = now.themes;
    return Status::Ok();
  }
  for (const Segment& seg : segments_) {
    if (facts.id < seg.first_id || facts.id > seg.last_id) continue;
    for (uint32_t r = seg.unit_start[now.unit]; r < seg.unit_start[now.unit + 1]; ++r) {
      if (day_[r] == now.day && attrs_[r] == now.attrs && score_[r] == now.score && themes_[r] == old_byte) {
        themes_[r] = now.themes;
        return Status::Ok();
      }
    }
  }
  return NotFoundError(fmt::format("response {} is not in the engine", facts.id));
}

Result<std::vector<ThemeNpsGroup>> Engine::ThemeNps(const Query& query) const {
  ASSIGN_OR_RETURN(Plan plan, Compile(query));
  if (!plan.dense) {
    return InvalidArgumentError(fmt::format(
        "the grouping has {} possible groups, too many for a theme breakdown; use fewer dimensions "
        "or a shorter period", plan.groups));
  }
  // Per dense group: 8 slots (the baseline, then the seven themes) × 3 score classes. Most
  // answers have no comment, so the scan mostly tests one byte and moves on.
  constexpr size_t kSlots = 8;
  std::vector<uint32_t> counts((plan.groups + 1) * kSlots * 3, 0);
  const uint32_t* uo = plan.unit_offset.data();
  const uint32_t* dof = plan.day_offset.data();
  const uint32_t* ao = plan.attr_offset.data();
  const auto discard = static_cast<uint32_t>(plan.groups);
  for (const auto& [begin, end] : RowRanges(plan)) {
    for (uint32_t r = begin; r < end; ++r) {
      const uint8_t t = themes_[r];
      if (!(t & kCommentBit)) continue;
      const uint32_t g = std::min(uo[unit_[r]] + dof[day_[r]] + ao[attrs_[r]], discard);
      uint32_t* slot = &counts[g * kSlots * 3];
      const int cls = kScoreClass[score_[r]];
      ++slot[cls];
      for (uint8_t bits = t & 0x7f; bits != 0; bits &= static_cast<uint8_t>(bits - 1)) {
        ++slot[(1 + std::countr_zero(bits)) * 3 + cls];
      }
    }
  }
  const uint64_t nt = plan.time_tuples.size(), na = plan.attr_tuples.size();
  std::vector<std::pair<Key, uint64_t>> groups;
  for (uint64_t g = 0; g < plan.groups; ++g) {
    const uint32_t* slot = &counts[g * kSlots * 3];
    if (slot[0] + slot[1] + slot[2] == 0) continue;
    Key key{};
    const std::vector<int32_t>& ut = plan.unit_tuples.tuple(g / (nt * na));
    const std::vector<int32_t>& tt = plan.time_tuples.tuple((g / na) % nt);
    const std::vector<int32_t>& at = plan.attr_tuples.tuple(g % na);
    for (size_t i = 0; i < plan.unit_dims.size(); ++i) key[plan.unit_dims[i]] = ut[i];
    for (size_t i = 0; i < plan.time_dims.size(); ++i) key[plan.time_dims[i]] = tt[i];
    for (size_t i = 0; i < plan.attr_dims.size(); ++i) key[plan.attr_dims[i]] = at[i];
    groups.emplace_back(key, g);
  }
  std::sort(groups.begin(), groups.end());
  std::vector<ThemeNpsGroup> out;
  for (const auto& [key, g] : groups) {
    std::vector<GroupLabel> labels = Labels(query, key);
    for (size_t s = 0; s < kSlots; ++s) {
      const uint32_t* c = &counts[(g * kSlots + s) * 3];
      ThemeNpsGroup row;
      row.labels = labels;
      if (s > 0) row.theme = static_cast<Theme>(s - 1);
      NpsCounts n{static_cast<int64_t>(c[0]), static_cast<int64_t>(c[1]), static_cast<int64_t>(c[2])};
      row.suppressed = IsSuppressed(n.n(), query.min_n);
      if (!row.suppressed) {
        row.counts = n;
        row.estimate = EstimateNps(n);
      }
      out.push_back(std::move(row));
    }
  }
  return out;
}

}  // namespace mittari
