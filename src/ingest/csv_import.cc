#include "ingest/csv_import.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "ingest/csv_rows.h"
#include "ingest/pipeline.h"

namespace mittari {
namespace {

using ingest_internal::CheckIdentifierLike;
using ingest_internal::Header;
using ingest_internal::ParseEnumField;
using ingest_internal::ParseOptionalDate;
using ingest_internal::ParseWholeNumber;
using ingest_internal::Quoted;
using ingest_internal::ReadHeader;
using ingest_internal::Rejector;

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
  Rejector rejector(options, header, summary);
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
  Rejector rejector(options, header, summary);

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
  Rejector rejector(options, header, summary);

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
