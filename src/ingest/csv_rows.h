// File: ingest/csv_rows.h
//
// Internal to src/ingest/: the row handling every CSV importer shares, so that all of them
// read headers, number rows, word their reasons and write rejects files the same way (the
// contract is in csv_import.h). Not part of the ingest library's public API; include it only
// from src/ingest/*.cc.
//
// Header-only because the pieces are small and the importers are their only users.
//
// Thread-compatible.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "common/calendar.h"
#include "common/csv.h"
#include "common/status.h"
#include "common/utf8.h"
#include "ingest/csv_import.h"
#include "ingest/pipeline.h"
#include "model/enums.h"

namespace mittari::ingest_internal {

// Maps header names to column positions and checks required columns.
class Header {
 public:
  // Returns InvalidArgument when the header row is malformed, names a column twice or lacks a
  // required column (the message names it). Columns neither required nor optional (nor "q:"
  // scale columns when allowed) add a warning and are otherwise ignored.
  static Result<Header> Parse(const CsvRecord& record,
                              const std::vector<std::string_view>& required,
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
        return InvalidArgumentError(
            fmt::format("the header has no column '{}' (required columns: {})", name,
                        fmt::join(required, ",")));
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
  const std::vector<std::pair<std::string, size_t>>& scale_columns() const {
    return scale_columns_;
  }

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
        return UnavailableError(
            fmt::format("cannot write rejects file '{}': {}", path_, std::strerror(errno)));
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

// Shared per-row bookkeeping: count, report and write a rejection.
class Rejector {
 public:
  // Rewrites a rejected row's fields before they go to the rejects file, for files whose
  // rejected values must not be copied anywhere (identity codes).
  using Scrubber = std::function<void(std::vector<std::string>& fields)>;

  Rejector(const ImportOptions& options, const Header& header, ImportSummary& summary,
           Scrubber scrub = nullptr)
      : options_(options),
        header_(header),
        writer_(options.rejects_path),
        summary_(summary),
        scrub_(std::move(scrub)) {}

  Status Reject(const CsvRecord& record, std::string field, std::string reason) {
    RowRejection rejection{record.record_number, std::move(field), std::move(reason)};
    ++summary_.rejected;
    if (options_.on_reject) options_.on_reject(rejection);
    if (!scrub_) return writer_.Write(header_.names(), rejection, record.fields);
    std::vector<std::string> fields = record.fields;
    scrub_(fields);
    return writer_.Write(header_.names(), rejection, fields);
  }

  // Returns true when the record has the right shape; otherwise rejects it.
  Result<bool> CheckShape(const CsvRecord& record) {
    if (!record.error.empty()) {
      RETURN_IF_ERROR(Reject(record, "", record.error));
      return false;
    }
    if (record.fields.size() != header_.size()) {
      RETURN_IF_ERROR(Reject(
          record, "",
          fmt::format("has {} fields; the header has {}", record.fields.size(), header_.size())));
      return false;
    }
    for (size_t i = 0; i < record.fields.size(); ++i) {
      if (!IsValidUtf8(record.fields[i])) {
        RETURN_IF_ERROR(Reject(record, header_.names()[i], "is not valid UTF-8"));
        return false;
      }
    }
    return true;
  }

 private:
  const ImportOptions& options_;
  const Header& header_;
  RejectsWriter writer_;
  ImportSummary& summary_;
  Scrubber scrub_;
};

// The header row, or nullopt for an empty input.
inline Result<std::optional<CsvRecord>> ReadHeader(CsvReader& reader) {
  CsvRecord record;
  ASSIGN_OR_RETURN(bool any, reader.Next(&record));
  if (!any) return std::optional<CsvRecord>();
  return std::optional<CsvRecord>(std::move(record));
}

inline std::optional<int> ParseWholeNumber(std::string_view text) {
  int value = 0;
  if (text.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// A value for a message, cut short so that one runaway field cannot flood a rejects file.
inline std::string Quoted(std::string_view value) {
  constexpr size_t kShown = 40;
  if (value.size() <= kShown) return fmt::format("'{}'", value);
  return fmt::format("'{}…'", value.substr(0, kShown));
}

template <typename E>
std::optional<FieldError> ParseEnumField(std::string_view field, std::string_view value, E* out) {
  if (value.empty()) {
    return FieldError{std::string(field),
                      fmt::format("is empty; use one of {}", AllowedNames<E>())};
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

// Codes that name things across files (units, products): letters, digits, '-', '_', '.'.
inline std::optional<FieldError> CheckIdentifierLike(std::string_view field,
                                                     std::string_view value) {
  constexpr size_t kMaxCodeLength = 64;
  if (value.empty()) return FieldError{std::string(field), "is empty"};
  if (value.size() > kMaxCodeLength) {
    return FieldError{std::string(field),
                      fmt::format("is longer than {} characters", kMaxCodeLength)};
  }
  for (char c : value) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) {
      return FieldError{
          std::string(field),
          fmt::format("{} may contain only letters A-Z, digits, '-', '_' and '.'", Quoted(value))};
    }
  }
  return std::nullopt;
}

// An empty value leaves *out unset.
inline std::optional<FieldError> ParseOptionalDate(std::string_view field, std::string_view value,
                                                   std::optional<LocalDay>* out) {
  if (value.empty()) return std::nullopt;
  Result<LocalDay> day = ParseLocalDate(value);
  if (!day.ok()) return FieldError{std::string(field), day.status().message()};
  *out = *day;
  return std::nullopt;
}

}  // namespace mittari::ingest_internal
