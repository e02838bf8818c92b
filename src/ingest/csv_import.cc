#include "ingest/csv_import.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/utf8.h"
#include "ingest/pipeline.h"

namespace mittari {
namespace {

// Maps header names to column positions and checks required columns.
class Header {
 public:
  static Result<Header> Parse(const CsvRecord& record, const std::vector<std::string_view>& required,
                              const std::vector<std::string_view>& optional,
                              bool allow_scale_columns, std::vector<std::string>* warnings) {
    Header header;
    header.names_ = record.fields;
    if (!record.error.empty()) {
      return InvalidArgumentError(fmt::format("the header row is malformed: {}", record.error));
    }
    for (size_t i = 0; i < record.fields.size(); ++i) {
      std::string name = record.fields[i];
      // Tolerate spreadsheet habits: surrounding spaces in header names.
      while (!name.empty() && name.back() == ' ') name.pop_back();
      while (!name.empty() && name.front() == ' ') name.erase(name.begin());
      if (header.index_.count(name)) {
        return InvalidArgumentError(fmt::format("column '{}' appears twice in the header", name));
      }
      header.index_[name] = i;
      bool known = std::find(required.begin(), required.end(), name) != required.end() ||
                   std::find(optional.begin(), optional.end(), name) != optional.end();
      if (allow_scale_columns && name.rfind("q:", 0) == 0) {
        header.scale_columns_.emplace_back(name.substr(2), i);
        known = true;
      }
      if (!known && warnings) {
        warnings->push_back(fmt::format("column '{}' is not used and was ignored", name));
      }
    }
    for (std::string_view name : required) {
      if (!header.index_.count(std::string(name))) {
        return InvalidArgumentError(fmt::format(
            "the header has no column '{}' (required columns: {})", name, fmt::join(required, ",")));
      }
    }
    return header;
  }

  std::optional<size_t> Find(std::string_view name) const {
    auto it = index_.find(std::string(name));
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  size_t Require(std::string_view name) const { return index_.at(std::string(name)); }
  size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<std::pair<std::string, size_t>>& scale_columns() const { return scale_columns_; }

 private:
  std::vector<std::string> names_;
  std::map<std::string, size_t> index_;
  std::vector<std::pair<std::string, size_t>> scale_columns_;
};

// Writes rejected rows as they come: row, field, reason, then the original columns.
class RejectsWriter {
 public:
  explicit RejectsWriter(std::string path) : path_(std::move(path)) {
    if (!path_.empty()) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);  // a stale file from an earlier run would mislead
    }
  }
  RejectsWriter(const RejectsWriter&) = delete;
  RejectsWriter& operator=(const RejectsWriter&) = delete;
  ~RejectsWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }

  Status Write(const std::vector<std::string>& header, const RowRejection& rejection,
               const std::vector<std::string>& fields) {
    if (path_.empty()) return Status::Ok();
    if (file_ == nullptr) {
      file_ = std::fopen(path_.c_str(), "wb");
      if (file_ == nullptr) {
        return UnavailableError(fmt::format("cannot write rejects file '{}': {}", path_,
                                            std::strerror(errno)));
      }
      std::vector<std::string> columns = {"row", "field", "reason"};
      columns.insert(columns.end(), header.begin(), header.end());
      std::string line = CsvJoin(columns) + "\n";
      std::fwrite(line.data(), 1, line.size(), file_);
    }
    std::vector<std::string> columns = {std::to_string(rejection.row), rejection.field,
                                        rejection.reason};
    columns.insert(columns.end(), fields.begin(), fields.end());
    std::string line = CsvJoin(columns) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
      return UnavailableError(fmt::format("cannot write rejects file '{}'", path_));
    }
    return Status::Ok();
  }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

std::optional<int> ParseWholeNumber(std::string_view text) {
  int value = 0;
  if (text.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string Quoted(std::string_view value) {
  constexpr size_t kShown = 40;
  if (value.size() <= kShown) return fmt::format("'{}'", value);
  return fmt::format("'{}…'", value.substr(0, kShown));
}

template <typename E>
std::optional<FieldError> ParseEnumField(std::string_view field, std::string_view value, E* out) {
  if (value.empty()) {
    return FieldError{std::string(field), fmt::format("is empty; use one of {}", AllowedNames<E>())};
  }
  std::optional<E> parsed = ParseEnum<E>(value);
  if (!parsed) {
    return FieldError{std::string(field),
                      fmt::format("{} is not a {}; use one of {}", Quoted(value),
                                  EnumTraits<E>::kWhat, AllowedNames<E>())};
  }
  *out = *parsed;
  return std::nullopt;
}

std::optional<FieldError> ParseScoreField(std::string_view field, std::string_view value,
                                          int min, int max, int* out) {
  if (value.empty()) return FieldError{std::string(field), "is empty"};
  std::optional<int> number = ParseWholeNumber(value);
  if (!number || *number < min || *number > max) {
    return FieldError{std::string(field),
                      fmt::format("{} is not a whole number from {} to {}", Quoted(value), min, max)};
  }
  *out = *number;
  return std::nullopt;
}

constexpr std::string_view kResponseRequired[] = {
    "source", "external_id", "survey", "unit", "answered_at", "channel",
    "language", "visit_type", "age_group", "score"};

struct ResponseColumns {
  size_t source, external_id, survey, unit, answered_at, channel, language, visit_type, age_group,
      score;
  std::optional<size_t> comment;
};

std::optional<FieldError> ParseResponseRow(const ResponseColumns& c, const Header& header,
                                           const CsvRecord& record, Response* r) {
  const auto& f = record.fields;
  r->source = f[c.source];
  r->external_id = f[c.external_id];
  r->unit_code = f[c.unit];
  if (auto e = ParseEnumField("survey", f[c.survey], &r->survey)) return e;
  if (f[c.answered_at].empty()) return FieldError{"answered_at", "is empty"};
  Result<UnixSeconds> at = ParseInstant(f[c.answered_at]);
  if (!at.ok()) return FieldError{"answered_at", at.status().message()};
  r->answered_at = *at;
  if (auto e = ParseEnumField("channel", f[c.channel], &r->channel)) return e;
  if (auto e = ParseEnumField("language", f[c.language], &r->language)) return e;
  if (auto e = ParseEnumField("visit_type", f[c.visit_type], &r->visit_type)) return e;
  if (auto e = ParseEnumField("age_group", f[c.age_group], &r->age_group)) return e;
  int score = 0;
  if (auto e = ParseScoreField("score", f[c.score], kMinScore, kMaxScore, &score)) return e;
  r->score = static_cast<int8_t>(score);
  if (c.comment && !f[*c.comment].empty()) r->comment = f[*c.comment];
  for (const auto& [question, column] : header.scale_columns()) {
    std::string_view value = f[column];
    if (value.empty()) continue;  // not answered
    int scale = 0;
    if (auto e = ParseScoreField("q:" + question, value, kMinScaleValue, kMaxScaleValue, &scale)) {
      return e;
    }
    r->scales.push_back(ScaleAnswer{question, static_cast<int8_t>(scale)});
  }
  return std::nullopt;
}

// Shared per-row bookkeeping: count, report and write a rejection.
struct Rejector {
  const ImportOptions& options;
  const Header& header;
  RejectsWriter writer;
  ImportSummary& summary;

  Status Reject(const CsvRecord& record, std::string field, std::string reason) {
    RowRejection rejection{record.record_number, std::move(field), std::move(reason)};
    ++summary.rejected;
    if (options.on_reject) options.on_reject(rejection);
    return writer.Write(header.names(), rejection, record.fields);
  }

  // Returns true when the record has the right shape; otherwise rejects it.
  Result<bool> CheckShape(const CsvRecord& record) {
    if (!record.error.empty()) {
      RETURN_IF_ERROR(Reject(record, "", record.error));
      return false;
    }
    if (record.fields.size() != header.size()) {
      RETURN_IF_ERROR(Reject(record, "",
                             fmt::format("has {} fields; the header has {}", record.fields.size(),
                                         header.size())));
      return false;
    }
    for (size_t i = 0; i < record.fields.size(); ++i) {
      if (!IsValidUtf8(record.fields[i])) {
        RETURN_IF_ERROR(Reject(record, header.names()[i], "is not valid UTF-8"));
        return false;
      }
    }
    return true;
  }
};

Result<std::optional<CsvRecord>> ReadHeader(CsvReader& reader) {
  CsvRecord record;
  ASSIGN_OR_RETURN(bool any, reader.Next(&record));
  if (!any) return std::optional<CsvRecord>();
  return std::optional<CsvRecord>(std::move(record));
}

}  // namespace

std::string RejectsPathFor(const std::string& input_path) {
  std::filesystem::path path(input_path);
  std::filesystem::path name = path.stem();
  name += ".rejects.csv";
  return (path.parent_path() / name).string();
}

Result<ImportSummary> ImportResponsesCsv(Store& store, const OrgTree& tree, CsvReader& reader,
                                         const ImportOptions& options) {
  ImportSummary summary;
  ASSIGN_OR_RETURN(std::optional<CsvRecord> header_record, ReadHeader(reader));
  if (!header_record) return InvalidArgumentError("the file is empty; expected a header row");
  std::vector<std::string_view> required(std::begin(kResponseRequired), std::end(kResponseRequired));
  ASSIGN_OR_RETURN(Header header, Header::Parse(*header_record, required, {"comment"},
                                                /*allow_scale_columns=*/true, &summary.warnings));
  ResponseColumns columns{header.Require("source"),     header.Require("external_id"),
                          header.Require("survey"),     header.Require("unit"),
                          header.Require("answered_at"), header.Require("channel"),
                          header.Require("language"),   header.Require("visit_type"),
                          header.Require("age_group"),  header.Require("score"),
                          header.Find("comment")};
  Rejector rejector{options, header, RejectsWriter(options.rejects_path), summary};
  IngestContext context{&tree, options.now, options.analyzer};

  std::vector<Response> batch;
  batch.reserve(options.batch_size);
  int64_t first_row_of_batch = 0;
  int64_t last_row = 0;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    Result<ResponseWriteStats> stats = CommitResponses(store, batch);
    if (!stats.ok()) {
      return stats.status().WithContext(fmt::format(
          "rows {}–{} were not stored ({} rows stored before them); fix the cause and run the "
          "same import again: stored rows count as duplicates",
          first_row_of_batch, last_row, summary.imported + summary.duplicates));
    }
    summary.imported += stats->inserted;
    summary.duplicates += stats->duplicates;
    batch.clear();
    if (options.on_progress) options.on_progress(reader.bytes_consumed(), reader.total_bytes());
    return Status::Ok();
  };

  CsvRecord record;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader.Next(&record));
    if (!more) break;
    ASSIGN_OR_RETURN(bool shaped, rejector.CheckShape(record));
    if (!shaped) continue;
    Response response;
    std::optional<FieldError> error = ParseResponseRow(columns, header, record, &response);
    if (!error) error = PrepareResponse(context, response);
    if (error) {
      RETURN_IF_ERROR(rejector.Reject(record, error->field, error->reason));
      continue;
    }
    if (batch.empty()) first_row_of_batch = record.record_number;
    last_row = record.record_number;
    batch.push_back(std::move(response));
    if (batch.size() >= options.batch_size) RETURN_IF_ERROR(flush());
  }
  RETURN_IF_ERROR(flush());
  if (options.on_progress) options.on_progress(reader.total_bytes(), reader.total_bytes());
  return summary;
}

namespace {

constexpr std::string_view kVisitRequired[] = {"visit_id", "unit", "ended_at", "phone", "language", "visit_type"};

}  // namespace

Result<ImportSummary> ImportVisitsCsv(CsvReader& reader, const ImportOptions& options,
                                      const VisitPreparer& prepare, const VisitCommitter& commit) {
  ImportSummary summary;
  ASSIGN_OR_RETURN(std::optional<CsvRecord> header_record, ReadHeader(reader));
  if (!header_record) return InvalidArgumentError("the file is empty; expected a header row");
  std::vector<std::string_view> required(std::begin(kVisitRequired), std::end(kVisitRequired));
  ASSIGN_OR_RETURN(Header header, Header::Parse(*header_record, required, {"age_group"},
                                                /*allow_scale_columns=*/false, &summary.warnings));
  const size_t visit_id = header.Require("visit_id"), unit = header.Require("unit"),
               ended_at = header.Require("ended_at"), phone = header.Require("phone"),
               language = header.Require("language"), visit_type = header.Require("visit_type");
  const std::optional<size_t> age_group = header.Find("age_group");
  Rejector rejector{options, header, RejectsWriter(options.rejects_path), summary};

  std::vector<Visit> batch;
  int64_t first_row_of_batch = 0, last_row = 0;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    Result<std::vector<std::string>> results = commit(batch);
    if (!results.ok()) {
      return results.status().WithContext(fmt::format(
          "rows {}–{} were not stored ({} rows stored before them); fix the cause and run the "
          "same import again: stored visits count as duplicates",
          first_row_of_batch, last_row, summary.imported + summary.duplicates));
    }
    for (const std::string& result : *results) {
      (result == "duplicate" ? summary.duplicates : summary.imported)++;
    }
    batch.clear();
    if (options.on_progress) options.on_progress(reader.bytes_consumed(), reader.total_bytes());
    return Status::Ok();
  };

  CsvRecord record;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader.Next(&record));
    if (!more) break;
    ASSIGN_OR_RETURN(bool shaped, rejector.CheckShape(record));
    if (!shaped) continue;
    const auto& f = record.fields;
    Visit visit;
    visit.visit_id = f[visit_id];
    visit.unit_code = f[unit];
    visit.phone = f[phone];
    std::optional<FieldError> error;
    if (f[ended_at].empty()) {
      error = FieldError{"ended_at", "is empty"};
    } else if (Result<UnixSeconds> at = ParseInstant(f[ended_at]); !at.ok()) {
      error = FieldError{"ended_at", at.status().message()};
    } else {
      visit.ended_at = *at;
    }
    if (!error) error = ParseEnumField("language", f[language], &visit.language);
    if (!error) error = ParseEnumField("visit_type", f[visit_type], &visit.visit_type);
    if (!error && age_group && !f[*age_group].empty()) {
      error = ParseEnumField("age_group", f[*age_group], &visit.age_group);
    }
    if (!error) error = prepare(visit);
    if (error) {
      RETURN_IF_ERROR(rejector.Reject(record, error->field, error->reason));
      continue;
    }
    if (batch.empty()) first_row_of_batch = record.record_number;
    last_row = record.record_number;
    batch.push_back(std::move(visit));
    if (batch.size() >= options.batch_size) RETURN_IF_ERROR(flush());
  }
  RETURN_IF_ERROR(flush());
  if (options.on_progress) options.on_progress(reader.total_bytes(), reader.total_bytes());
  return summary;
}

namespace {

constexpr std::string_view kUnitRequired[] = {"code",    "parent",  "kind",
                                              "name_fi", "name_sv", "name_en"};

std::optional<FieldError> CheckIdentifierLike(std::string_view field, std::string_view value) {
  constexpr size_t kMaxCodeLength = 64;
  if (value.empty()) return FieldError{std::string(field), "is empty"};
  if (value.size() > kMaxCodeLength) {
    return FieldError{std::string(field), fmt::format("is longer than {} characters", kMaxCodeLength)};
  }
  for (char c : value) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) {
      return FieldError{std::string(field),
                        fmt::format("{} may contain only letters A-Z, digits, '-', '_' and '.'",
                                    Quoted(value))};
    }
  }
  return std::nullopt;
}

std::optional<FieldError> ParseOptionalDate(std::string_view field, std::string_view value,
                                            std::optional<LocalDay>* out) {
  if (value.empty()) return std::nullopt;
  Result<LocalDay> day = ParseLocalDate(value);
  if (!day.ok()) return FieldError{std::string(field), day.status().message()};
  *out = *day;
  return std::nullopt;
}

std::optional<FieldError> ParseUnitRow(const Header& header, const CsvRecord& record, Unit* unit) {
  auto get = [&](std::string_view name) -> std::string_view {
    std::optional<size_t> i = header.Find(name);
    return i ? std::string_view(record.fields[*i]) : std::string_view();
  };
  unit->code = get("code");
  if (auto e = CheckIdentifierLike("code", unit->code)) return e;
  unit->parent_code = get("parent");
  if (auto e = ParseEnumField("kind", get("kind"), &unit->kind)) return e;
  unit->name_fi = get("name_fi");
  unit->name_sv = get("name_sv");
  unit->name_en = get("name_en");
  if (unit->name_fi.empty()) return FieldError{"name_fi", "is empty; every unit needs a Finnish name"};
  if (auto e = ParseOptionalDate("valid_from", get("valid_from"), &unit->valid_from)) return e;
  if (auto e = ParseOptionalDate("valid_to", get("valid_to"), &unit->valid_to)) return e;
  if (unit->valid_from && unit->valid_to && *unit->valid_to < *unit->valid_from) {
    return FieldError{"valid_to", "is before valid_from"};
  }
  unit->successor_code = get("successor");
  if (unit->successor_code == unit->code) {
    return FieldError{"successor", "a unit cannot be its own successor"};
  }
  if (!unit->successor_code.empty() && !unit->valid_to) {
    return FieldError{"successor", "a unit with a successor must be closed (set valid_to)"};
  }
  if (unit->kind == UnitKind::kOrganisation && !unit->parent_code.empty()) {
    return FieldError{"parent", "the organisation is the root and has no parent"};
  }
  if (unit->kind != UnitKind::kOrganisation && unit->parent_code.empty()) {
    return FieldError{"parent", fmt::format("is empty; a {} needs a parent", ToName(unit->kind))};
  }
  return std::nullopt;
}

}  // namespace

Result<ImportSummary> ImportUnitsCsv(Store& store, CsvReader& reader, const ImportOptions& options) {
  ImportSummary summary;
  ASSIGN_OR_RETURN(std::optional<CsvRecord> header_record, ReadHeader(reader));
  if (!header_record) return InvalidArgumentError("the file is empty; expected a header row");
  std::vector<std::string_view> required(std::begin(kUnitRequired), std::end(kUnitRequired));
  ASSIGN_OR_RETURN(Header header,
                   Header::Parse(*header_record, required, {"valid_from", "valid_to", "successor"},
                                 /*allow_scale_columns=*/false, &summary.warnings));
  Rejector rejector{options, header, RejectsWriter(options.rejects_path), summary};

  ASSIGN_OR_RETURN(std::vector<Unit> existing, store.LoadUnits());
  std::unordered_map<std::string, const Unit*> stored;
  for (const Unit& unit : existing) stored.emplace(unit.code, &unit);

  struct Candidate {
    Unit unit;
    CsvRecord record;
  };
  std::vector<Candidate> candidates;
  std::unordered_map<std::string, int64_t> first_row;
  CsvRecord record;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader.Next(&record));
    if (!more) break;
    ASSIGN_OR_RETURN(bool shaped, rejector.CheckShape(record));
    if (!shaped) continue;
    Unit unit;
    if (auto error = ParseUnitRow(header, record, &unit)) {
      RETURN_IF_ERROR(rejector.Reject(record, error->field, error->reason));
      continue;
    }
    auto [it, fresh] = first_row.emplace(unit.code, record.record_number);
    if (!fresh) {
      RETURN_IF_ERROR(rejector.Reject(
          record, "code", fmt::format("'{}' appears again (first on row {})", unit.code, it->second)));
      continue;
    }
    auto old = stored.find(unit.code);
    if (old != stored.end() && old->second->kind != unit.kind) {
      RETURN_IF_ERROR(rejector.Reject(
          record, "kind",
          fmt::format("'{}' is stored as a {}; unit codes are never reused for something else",
                      unit.code, ToName(old->second->kind))));
      continue;
    }
    if (old != stored.end()) {
      // An optional column the file does not have keeps what is stored.
      if (!header.Find("valid_from")) unit.valid_from = old->second->valid_from;
      if (!header.Find("valid_to")) unit.valid_to = old->second->valid_to;
      if (!header.Find("successor")) unit.successor_code = old->second->successor_code;
    }
    candidates.push_back(Candidate{std::move(unit), record});
  }

  // Accept rows whose parent is known, repeatedly, so parents may come after children.
  std::unordered_set<std::string> known;
  for (const Unit& unit : existing) known.insert(unit.code);
  std::unordered_set<std::string> all_codes = known;
  for (const Candidate& c : candidates) all_codes.insert(c.unit.code);
  std::vector<bool> accepted(candidates.size(), false);
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < candidates.size(); ++i) {
      const Unit& unit = candidates[i].unit;
      if (accepted[i]) continue;
      if (!unit.parent_code.empty() && !known.count(unit.parent_code)) continue;
      accepted[i] = true;
      known.insert(unit.code);
      progress = true;
    }
  }
  std::map<std::string, Unit> combined;
  for (const Unit& unit : existing) combined[unit.code] = unit;
  std::vector<Unit> to_write;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    if (!accepted[i]) {
      RETURN_IF_ERROR(rejector.Reject(
          c.record, "parent",
          fmt::format("unknown parent '{}' (neither stored nor accepted from this file)",
                      c.unit.parent_code)));
      continue;
    }
    if (!c.unit.successor_code.empty() && !all_codes.count(c.unit.successor_code)) {
      RETURN_IF_ERROR(rejector.Reject(
          c.record, "successor", fmt::format("unknown successor '{}'", c.unit.successor_code)));
      continue;
    }
    combined[c.unit.code] = c.unit;
    to_write.push_back(c.unit);
  }
  std::vector<Unit> tree_units;
  for (auto& [code, unit] : combined) tree_units.push_back(unit);
  Result<OrgTree> tree = OrgTree::Build(std::move(tree_units));
  if (!tree.ok()) {
    return InvalidArgumentError(fmt::format(
        "the units would not form one valid tree, so nothing was stored: {}", tree.status().message()));
  }
  ASSIGN_OR_RETURN(UnitWriteStats stats, store.UpsertUnits(to_write));
  summary.imported = stats.inserted;
  summary.updated = stats.updated;
  summary.duplicates = stats.unchanged;
  if (options.on_progress) options.on_progress(reader.total_bytes(), reader.total_bytes());
  return summary;
}

}  // namespace mittari
