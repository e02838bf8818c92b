// File: analytics/engine.h
//
// The analytics engine: every question about answers (NPS, top-2-box shares, by any grouping,
// with intervals and suppression) is answered here, whoever asks — the CLI, the HTTP API, the
// scorecard. Answers are held in memory as columns (one byte per score, two per local day and
// unit, one per enumeration), filled from the store at start and appended to as new answers
// are committed; the engine never reads the store itself and can always be rebuilt from it.
//
// Query semantics:
// - Periods are Europe/Helsinki civil periods; `from`/`to` are inclusive local dates.
// - `unit_code` keeps the unit's whole subtree. With `current_structure` (the default) a
//   closed unit's answers count as answers of its current successor, both for the subtree
//   filter and for grouping, so trends survive reorganisations.
// - Unless the query filters or groups by survey, only patient answers count: patient NPS and
//   staff eNPS are never mixed silently.
// - A group with fewer than `min_n` answers is suppressed: it is listed, but without counts.
//
// Example:
//   Engine engine(tree);
//   RETURN_IF_ERROR(engine.Append(facts));            // for each stored response
//   Query query;
//   query.group_by = {Dimension::kYear};
//   ASSIGN_OR_RETURN(std::vector<NpsGroup> rows, engine.Nps(query));
//
// How it is fast: rows live in sealed segments of about 65,000 answers, each ordered by unit
// and knowing its day range, so a query reads only segments in its period and, in each, only
// its units' rows (a subtree is a contiguous run in pre-order). A query is compiled into
// three small lookup tables — unit → group offset, day → group offset, packed attributes →
// group offset — each of which also encodes the query's filters (a filtered-out value maps to
// a discard slot). The scan then costs, per answer, three table lookups, an add and an
// increment, over 7 bytes of columns, split across threads (Init / Update / Combine /
// Finalize on dense count arrays).
//
// Thread-compatible: concurrent const calls are safe; Append needs exclusive access.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analytics/statistics.h"
#include "common/calendar.h"
#include "common/status.h"
#include "model/enums.h"
#include "model/response.h"
#include "model/unit.h"

namespace mittari {

enum class Dimension : uint8_t {
  kUnit, kCentre, kArea,
  kDay, kWeek, kMonth, kQuarter, kYear,
  kChannel, kLanguage, kVisitType, kAgeGroup, kSurvey,
  kCount
};

// "unit", "centre", "area", "day", "week", "month", "quarter", "year", "channel", "language",
// "visit_type", "age_group", "survey": the names used by --by, --where and JSON keys.
std::string_view DimensionName(Dimension dimension);
// Returns InvalidArgument listing the valid names when `name` is none of them.
Result<Dimension> ParseDimension(std::string_view name);

inline constexpr size_t kMaxGroupBy = 6;

// Keeps rows whose value of `dimension` is one of `values` (engine-internal keys; build
// filters with Engine::ParseWhere).
struct DimensionFilter {
  Dimension dimension = Dimension::kChannel;
  std::vector<int32_t> values;
};

struct Query {
  std::optional<std::string> unit_code;  // subtree filter
  std::optional<LocalDay> from;          // inclusive local date
  std::optional<LocalDay> to;            // inclusive local date
  std::vector<DimensionFilter> where;    // all must hold
  std::vector<Dimension> group_by;       // at most kMaxGroupBy
  int min_n = kDefaultMinN;
  bool current_structure = true;
  Language name_language = Language::kFi;  // which unit names to return
};

struct GroupLabel {
  std::string value;  // "2024", "sms", a unit code, ...
  std::string name;   // a unit's name in the query's language; empty for other dimensions
};

struct NpsGroup {
  std::vector<GroupLabel> labels;  // one per group_by dimension, in order
  NpsCounts counts;                // all zero when suppressed
  std::optional<Estimate> estimate;  // nullopt when suppressed
  bool suppressed = false;
};

struct ShareGroup {
  std::vector<GroupLabel> labels;
  ShareCounts counts;
  std::optional<Estimate> estimate;
  bool suppressed = false;
};

// NPS of the answers whose comment mentions a theme, per group (see Engine::ThemeNps).
struct ThemeNpsGroup {
  std::vector<GroupLabel> labels;  // the query's group_by dimensions
  std::optional<Theme> theme;      // nullopt: every answer with a comment (the baseline)
  NpsCounts counts;
  std::optional<Estimate> estimate;
  bool suppressed = false;
};

struct EngineOptions {
  // Threads a query may use; each scans its share of the rows into its own partial counts.
  int threads = 2;
  // A thread pays for its start-up only with enough rows to scan.
  size_t min_rows_per_thread = 250000;
  // Rows per sealed segment (about three weeks of a large district's answers).
  size_t segment_rows = size_t{1} << 16;
  // Queries whose group space (units × periods × attribute combinations) is larger than this
  // aggregate into a hash map instead of a dense array.
  size_t max_dense_groups = size_t{1} << 22;
  // A result with more groups is refused: nobody reads it, and building it costs seconds.
  size_t max_result_groups = 1000000;
};

class Engine {
 public:
  explicit Engine(OrgTree tree, EngineOptions options = {});

  // A response converted to the engine's encoding, ready to append.
  struct PreparedRow {
    int64_t id = 0;
    UnitIndex unit = 0;
    uint16_t day = 0;
    uint16_t attrs = 0;
    uint8_t score = 0;
    uint8_t themes = 0;  // ThemeSet, plus kCommentBit when the answer has a comment
  };
  // In the themes column: the answer has a comment (themes use bits 0–6).
  static constexpr uint8_t kCommentBit = 0x80;

  // Adds one stored response. Responses must come in increasing id order. Returns
  // InvalidArgument when its unit is not in the tree, it was answered outside the years the
  // engine can hold (2000–2178), or its id is not larger than the last one.
  Status Append(const ResponseFacts& facts);
  // The conversion half of Append: reads only the tree, so it may run on other threads while
  // one thread appends; a large load converts in parallel and appends in order. Errors as
  // Append.
  Result<PreparedRow> Prepare(const ResponseFacts& facts) const;
  // The storing half of Append. Returns InvalidArgument when the id does not increase.
  Status AppendPrepared(const PreparedRow& row);
  // Gives back spare capacity after a bulk load.
  void ShrinkToFit();
  // Turns full chunks of recently appended rows into sealed segments: each chunk's rows are
  // ordered by unit and it records its day range, so queries skip segments outside their
  // period and read only their units' rows. Call after appending a batch and its scale
  // answers; scale answers can no longer be added to sealed rows.
  void Seal();
  // Adds one scale answer of an already appended response. Returns NotFound when the
  // response is not in the engine.
  Status AppendScale(int64_t response_id, std::string_view question, int value);

  // A stored answer's comment changed after it was appended (an SMS comment arriving after
  // its score): `facts` are the answer as stored now, `old_themes`/`old_has_comment` what it
  // had. Rows that agree in unit, day, attributes, score and themes are indistinguishable to
  // every query, so when the row itself cannot be told apart any one of them is updated: the
  // results are the same. NotFound when no such row exists.
  Status UpdateCommentThemes(const ResponseFacts& facts, ThemeSet old_themes, bool old_has_comment);

  // Changes how later queries run (threads, dense limit); needs exclusive access.
  void set_options(const EngineOptions& options) { options_ = options; }

  size_t rows() const { return score_.size(); }
  size_t scale_rows() const { return scale_value_.size(); }
  // Bytes held by the columns (capacity, not just size): what the engine costs in memory.
  size_t memory_bytes() const;
  // The largest response id appended so far; 0 when empty. Loading resumes after it.
  int64_t last_response_id() const { return last_id_; }
  const OrgTree& tree() const { return tree_; }

  // Parses "dimension=value[,value...]" into a filter. Returns InvalidArgument naming the
  // dimension or value when either is unknown (e.g. "channel=fax", "year=20x4"), NotFound for
  // an unknown unit code.
  Result<DimensionFilter> ParseWhere(std::string_view text) const;

  // NPS per group, groups in key order (units in tree order, periods in time order).
  // Returns InvalidArgument for more than kMaxGroupBy dimensions, a dimension given twice,
  // from after to, or min_n < 1; NotFound for an unknown unit code.
  Result<std::vector<NpsGroup>> Nps(const Query& query) const;
  // Top-2-box share (4–5) of a scale question per group. Returns NotFound when no answer to
  // `question` was ever stored, otherwise as Nps().
  Result<std::vector<ShareGroup>> Share(std::string_view question, const Query& query) const;
  // For each group and each theme: the NPS of the answers whose comment has that theme, and
  // (theme nullopt) of all answers with a comment, so a theme's NPS can be read against it.
  // Groups come in key order, themes in taxonomy order after the baseline. Errors as Nps().
  Result<std::vector<ThemeNpsGroup>> ThemeNps(const Query& query) const;

 private:
  struct Plan;
  using Key = std::array<int32_t, kMaxGroupBy>;

  Result<Plan> Compile(const Query& query) const;
  // Counts per dense group (4 counters each: promoters, passives, detractors, unused) over the
  // rows [begin, end), or over the scale answers [begin, end) when `scale_question` >= 0.
  template <typename Counter>
  void Scan(const Plan& plan, size_t begin, size_t end, int scale_question, Counter& counter) const;
  // The row ranges a query must read: per segment in its period, its units' rows; the tail.
  std::vector<std::pair<uint32_t, uint32_t>> RowRanges(const Plan& plan) const;
  void SealRows(uint32_t begin, uint32_t end);
  template <typename Counts>
  Result<std::vector<std::pair<Key, Counts>>> Aggregate(const Plan& plan, int scale_question) const;
  std::vector<GroupLabel> Labels(const Query& query, const Key& key) const;
  std::optional<uint32_t> RowOf(int64_t response_id) const;

  OrgTree tree_;
  EngineOptions options_;
  // Columns, one entry per response, in store id order. 8 bytes per answer.
  std::vector<uint8_t> score_;
  std::vector<uint16_t> day_;  // local days since 2000-01-01
  std::vector<UnitIndex> unit_;
  std::vector<uint16_t> attrs_;  // survey, channel, language, visit type, age group packed
  std::vector<uint8_t> themes_;  // the comment's themes and kCommentBit
  uint16_t max_day_ = 0;
  // Sealed segments: [begin, end) rows ordered by unit, unit_start[u] the first row of raw
  // unit u (unit_start[size] == end), and the segment's day range. Rows from tail_begin_ on
  // are the unsealed tail, in id order, with their ids in tail_ids_.
  struct Segment {
    uint32_t begin = 0;
    uint32_t end = 0;
    uint16_t min_day = 0;
    uint16_t max_day = 0;
    int64_t first_id = 0;  // the segment holds the answers with ids first_id..last_id
    int64_t last_id = 0;
    std::vector<uint32_t> unit_start;
  };
  std::vector<Segment> segments_;
  uint32_t tail_begin_ = 0;
  std::vector<int64_t> tail_ids_;
  int64_t last_id_ = 0;
  // Scale answers, one entry each: the response's row, the question's id, the value.
  std::vector<uint32_t> scale_row_;
  std::vector<uint16_t> scale_question_;
  std::vector<uint8_t> scale_value_;
  std::unordered_map<std::string, uint16_t> question_ids_;
  // Ancestor-of-kind lookups per unit (kNone when there is none).
  std::vector<int32_t> centre_of_;
  std::vector<int32_t> area_of_;
};

}  // namespace mittari
