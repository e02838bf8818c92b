// File: common/csv.h
//
// Reading and writing CSV (RFC 4180, comma-separated) for survey imports and exports.
//
// CsvReader streams records from a file or a string. Import files can be a gigabyte, so a
// file is read through a fixed buffer and never held whole in memory. A malformed row is
// not an error of the read: it comes back as a record with `error` set, so an importer can
// reject that one row with a useful message and keep the rest of the file. Only I/O
// failures are Status errors.
//
// Accepted input: a UTF-8 byte order mark at the very start is skipped; records end at
// CRLF, LF, or a lone CR; the last record may lack a line ending; a completely empty line
// is skipped. Quoted fields may hold commas, doubled quotes and line breaks (kept byte for
// byte, CRLF included). Unquoted fields are kept exactly, surrounding spaces included,
// because trimming would silently change what a patient wrote. Bytes are not checked for
// UTF-8 here; see common/utf8.h.
//
// Thread-compatible: a CsvReader may be used from one thread at a time. The free functions
// are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace mittari {

struct CsvRecord {
  std::vector<std::string> fields;
  // 1-based count of records read so far: the header row is record 1 and the first data row
  // record 2, the way a spreadsheet numbers rows (skipped blank lines are not counted).
  int64_t record_number = 0;
  // 1-based physical line on which the record starts; larger than record_number once a
  // quoted field has contained a line break or a blank line has been skipped.
  int64_t line = 0;
  // Empty for a well-formed record. Otherwise says what is wrong in words meant for the
  // person who made the file, and `fields` holds a best-effort reading of the record.
  std::string error;
};

class CsvReader {
 public:
  static constexpr size_t kDefaultBufferSize = size_t{1} << 20;
  // A record larger than this is almost certainly an unterminated quote swallowing the rest
  // of the file; capping it keeps one bad byte from costing a gigabyte of memory.
  static constexpr int64_t kDefaultMaxRecordBytes = int64_t{16} << 20;

  // Opens `path` for streaming, reading `buffer_size` bytes at a time (small sizes exist for
  // tests that put a buffer boundary everywhere; 0 is treated as 1). Returns the reader on
  // success; NotFound when the path (or a directory on it) does not exist; Unavailable for
  // any other reason it cannot be read (permissions, a directory, ...). The messages name
  // the path and give the operating system's reason.
  static Result<std::unique_ptr<CsvReader>> OpenFile(const std::string& path,
                                                     size_t buffer_size = kDefaultBufferSize);
  // Reads from an in-memory string (tests, HTTP bodies). Cannot fail.
  static std::unique_ptr<CsvReader> FromString(std::string data);

  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into *record, reusing its storage. Returns true when a record was
  // read (well-formed or with record->error set; reading then goes on at the next record),
  // false at the end of the input and on every call after that. Returns Unavailable naming
  // the path and byte offset when reading the file fails; the reader then keeps returning
  // that status.
  Result<bool> Next(CsvRecord* record);

  // Bytes of input consumed so far (for progress bars); reaches total_bytes() once Next has
  // returned false, when the size is known.
  int64_t bytes_consumed() const;
  // Size of the file or string; 0 when unknown (a pipe, for instance).
  int64_t total_bytes() const { return total_bytes_; }

  // Changes the record size cap (kDefaultMaxRecordBytes); bytes of a record past the cap
  // are dropped and the record gets an error.
  void set_max_record_bytes(int64_t max_record_bytes) { max_record_bytes_ = max_record_bytes; }

 private:
  CsvReader() = default;

  // Makes more input available in [pos_, end_), keeping any unconsumed bytes. Returns true
  // when at least one byte was added, false at end of input, Unavailable on a read error.
  Result<bool> ReadMore();
  Status SkipByteOrderMark();

  // Exactly one source: a file descriptor with buffer_, or the in-memory string_data_.
  int fd_ = -1;
  std::string path_;
  std::unique_ptr<char[]> buffer_;
  size_t buffer_size_ = 0;
  std::string string_data_;

  const char* begin_ = nullptr;  // start of the bytes currently held
  const char* pos_ = nullptr;    // next unconsumed byte
  const char* end_ = nullptr;    // one past the last byte held
  int64_t begin_offset_ = 0;     // input offset of begin_

  int64_t total_bytes_ = 0;
  int64_t max_record_bytes_ = kDefaultMaxRecordBytes;
  int64_t line_ = 1;  // physical line of pos_
  int64_t records_read_ = 0;
  bool started_ = false;  // the byte order mark check has run
  bool skip_lf_ = false;  // the last record ended in CR; an LF right after it is its CRLF
  bool at_eof_ = false;
  Status read_error_;
};

// Returns `field` quoted (inner quotes doubled) when it contains a comma, quote, CR or LF,
// so that CsvReader reads it back unchanged; otherwise returns it as is.
std::string CsvEscape(std::string_view field);

// Returns the fields escaped and joined with commas, without a line ending. A single empty
// field comes out as "" (two quote characters), because an empty line would be read back as
// a blank line and skipped; no fields at all give an empty string.
std::string CsvJoin(const std::vector<std::string>& fields);

}  // namespace mittari
