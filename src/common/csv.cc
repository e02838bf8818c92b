#include "common/csv.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace mittari {
namespace {

// Room for the two bytes a partial byte order mark may leave behind when the buffer is
// refilled; see SkipByteOrderMark.
constexpr size_t kBufferSlack = 2;

// Byte classes that end a run of plain field bytes. Scanning with a table lets the hot loop
// copy whole runs into the field instead of looking at each byte in the state machine.
constexpr std::array<bool, 256> MakeStopTable(std::string_view stops) {
  std::array<bool, 256> table{};
  for (char c : stops) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kUnquotedStops = MakeStopTable(",\"\r\n");
// Line breaks stop a quoted run only so that physical lines can be counted.
constexpr std::array<bool, 256> kQuotedStops = MakeStopTable("\"\r\n");

std::string ErrnoText(int error_number) {
  // std::error_code's message is thread-safe, unlike strerror.
  return std::generic_category().message(error_number);
}

std::string DescribeByte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7F) return std::string("character '") + c + "'";
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0xF];
}

enum class ParseState {
  kFieldStart,  // nothing of the current field read yet
  kUnquoted,
  kQuoted,
  kAfterQuote,  // a quote inside a quoted field: either its end or the first of a pair
};

}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::OpenFile(const std::string& path,
                                                       size_t buffer_size) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int error_number = errno;
    std::string message = "cannot open CSV file '" + path + "': " + ErrnoText(error_number);
    if (error_number == ENOENT || error_number == ENOTDIR) return NotFoundError(message);
    return UnavailableError(message);
  }
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    const int error_number = errno;
    ::close(fd);
    return UnavailableError("cannot open CSV file '" + path + "': " + ErrnoText(error_number));
  }
  if (S_ISDIR(info.st_mode)) {
    // open() accepts a directory; catching it here gives a clearer message than read().
    ::close(fd);
    return UnavailableError("cannot open CSV file '" + path + "': it is a directory");
  }

  std::unique_ptr<CsvReader> reader(new CsvReader());
  reader->fd_ = fd;
  reader->path_ = path;
  reader->buffer_size_ = std::max<size_t>(buffer_size, 1);
  reader->buffer_ = std::make_unique_for_overwrite<char[]>(reader->buffer_size_ + kBufferSlack);
  reader->begin_ = reader->pos_ = reader->end_ = reader->buffer_.get();
  reader->total_bytes_ = S_ISREG(info.st_mode) ? static_cast<int64_t>(info.st_size) : 0;
  return reader;
}

std::unique_ptr<CsvReader> CsvReader::FromString(std::string data) {
  std::unique_ptr<CsvReader> reader(new CsvReader());
  reader->string_data_ = std::move(data);
  reader->begin_ = reader->pos_ = reader->string_data_.data();
  reader->end_ = reader->begin_ + reader->string_data_.size();
  reader->total_bytes_ = static_cast<int64_t>(reader->string_data_.size());
  return reader;
}

CsvReader::~CsvReader() {
  if (fd_ >= 0) ::close(fd_);
}

int64_t CsvReader::bytes_consumed() const { return begin_offset_ + (pos_ - begin_); }

Result<bool> CsvReader::ReadMore() {
  if (at_eof_) return false;
  if (fd_ < 0) {
    // A string reader holds all its input from the start.
    at_eof_ = true;
    return false;
  }
  char* buffer = buffer_.get();
  const size_t kept = static_cast<size_t>(end_ - pos_);
  std::memmove(buffer, pos_, kept);
  begin_offset_ += pos_ - begin_;
  begin_ = pos_ = buffer;
  end_ = buffer + kept;
  for (;;) {
    const ssize_t count = ::read(fd_, buffer + kept, buffer_size_);
    if (count > 0) {
      end_ += count;
      return true;
    }
    if (count == 0) {
      at_eof_ = true;
      return false;
    }
    if (errno == EINTR) continue;
    read_error_ = UnavailableError("cannot read CSV file '" + path_ + "' at byte " +
                                   std::to_string(bytes_consumed()) + ": " + ErrnoText(errno));
    return read_error_;
  }
}

Status CsvReader::SkipByteOrderMark() {
  static constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  // A short read can deliver the mark in pieces, so gather three bytes before deciding.
  while (end_ - pos_ < static_cast<ptrdiff_t>(kByteOrderMark.size())) {
    Result<bool> more = ReadMore();
    if (!more.ok()) return more.status();
    if (!*more) break;
  }
  if (std::string_view(pos_, end_ - pos_).starts_with(kByteOrderMark)) {
    pos_ += kByteOrderMark.size();
  }
  return Status::Ok();
}

Result<bool> CsvReader::Next(CsvRecord* record) {
  if (!read_error_.ok()) return read_error_;
  if (!started_) {
    RETURN_IF_ERROR(SkipByteOrderMark());
    started_ = true;
  }

  // Blank lines are skipped; so is the LF of a CRLF whose CR ended the previous record.
  for (;;) {
    if (pos_ == end_) {
      ASSIGN_OR_RETURN(const bool more, ReadMore());
      if (!more) return false;
    }
    const char c = *pos_;
    if (c == '\n') {
      ++pos_;
      if (!skip_lf_) ++line_;
      skip_lf_ = false;
    } else if (c == '\r') {
      ++pos_;
      ++line_;
      skip_lf_ = true;
    } else {
      skip_lf_ = false;
      break;
    }
  }

  record->record_number = ++records_read_;
  record->line = line_;
  record->error.clear();
  std::vector<std::string>& fields = record->fields;
  size_t field_count = 0;
  std::string* field = nullptr;
  int64_t record_bytes = 0;

  auto set_error = [&](std::string message) {
    // The first problem is reported; later ones in the same row are usually its echoes.
    if (record->error.empty()) record->error = std::move(message);
  };
  auto record_too_long = [&] {
    set_error("record is longer than " + std::to_string(max_record_bytes_) +
              " bytes; the rest of it was ignored");
  };
  auto start_field = [&] {
    // Each field costs a byte of the cap so that a line of commas cannot grow without bound.
    if (record_bytes >= max_record_bytes_ && field != nullptr) {
      record_too_long();
      return;
    }
    ++record_bytes;
    // Reusing the caller's strings keeps their capacity from one record to the next.
    if (field_count < fields.size()) {
      fields[field_count].clear();
    } else {
      fields.emplace_back();
    }
    field = &fields[field_count++];
  };
  auto append = [&](const char* from, const char* to) {
    int64_t count = to - from;
    if (record_bytes + count > max_record_bytes_) {
      count = std::max<int64_t>(0, max_record_bytes_ - record_bytes);
      record_too_long();
    }
    field->append(from, static_cast<size_t>(count));
    record_bytes += count;
  };

  start_field();
  ParseState state = ParseState::kFieldStart;
  int64_t quote_line = 0;
  bool quoted_after_cr = false;  // a CR just went into a quoted field; an LF now is CRLF
  bool record_done = false;
  const char* p = pos_;
  const char* end = end_;
  while (!record_done) {
    if (p == end) {
      pos_ = p;
      ASSIGN_OR_RETURN(const bool more, ReadMore());
      p = pos_;
      end = end_;
      if (!more) break;
    }
    switch (state) {
      case ParseState::kFieldStart:
        if (*p == '"') {
          ++p;
          state = ParseState::kQuoted;
          quote_line = line_;
          quoted_after_cr = false;
        } else {
          state = ParseState::kUnquoted;
        }
        break;

      case ParseState::kUnquoted: {
        const char* run = p;
        while (p < end && !kUnquotedStops[static_cast<unsigned char>(*p)]) ++p;
        append(run, p);
        if (p == end) break;
        const char c = *p++;
        if (c == ',') {
          start_field();
          state = ParseState::kFieldStart;
        } else if (c == '"') {
          set_error("quote character in unquoted field " + std::to_string(field_count) +
                    " on line " + std::to_string(line_) +
                    " (a field containing quotes must be enclosed in quotes, with each inner "
                    "quote doubled)");
          append(p - 1, p);
        } else {
          ++line_;
          skip_lf_ = (c == '\r');
          record_done = true;
        }
        break;
      }

      case ParseState::kQuoted: {
        const char* run = p;
        while (p < end && !kQuotedStops[static_cast<unsigned char>(*p)]) ++p;
        if (p != run) {
          append(run, p);
          quoted_after_cr = false;
        }
        if (p == end) break;
        const char c = *p++;
        if (c == '"') {
          state = ParseState::kAfterQuote;
          quoted_after_cr = false;
        } else {
          // CR, LF and CRLF are each one physical line break.
          if (c == '\r' || !quoted_after_cr) ++line_;
          quoted_after_cr = (c == '\r');
          append(p - 1, p);
        }
        break;
      }

      case ParseState::kAfterQuote: {
        const char c = *p;
        if (c == '"') {
          append(p, p + 1);
          ++p;
          state = ParseState::kQuoted;
        } else if (c == ',') {
          ++p;
          start_field();
          state = ParseState::kFieldStart;
        } else if (c == '\n' || c == '\r') {
          ++p;
          ++line_;
          skip_lf_ = (c == '\r');
          record_done = true;
        } else {
          set_error("unexpected " + DescribeByte(c) + " after the closing quote of field " +
                    std::to_string(field_count) + " on line " + std::to_string(line_) +
                    " (a quote inside a quoted field must be doubled)");
          // Keep the stray bytes in the field and carry on as if it were unquoted, so the
          // record still ends at the next unquoted line break rather than somewhere odd.
          state = ParseState::kUnquoted;
        }
        break;
      }
    }
  }
  pos_ = p;

  if (!record_done && state == ParseState::kQuoted) {
    // This replaces any earlier error: it is what explains why the rest of the input
    // disappeared into one field.
    record->error = "unterminated quoted field " + std::to_string(field_count) +
                    ": the quote opened on line " + std::to_string(quote_line) + " is never closed";
  }
  fields.resize(field_count);
  return true;
}

std::string CsvEscape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  const auto quotes = static_cast<size_t>(std::count(field.begin(), field.end(), '"'));
  std::string out;
  out.reserve(field.size() + quotes + 2);
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvJoin(const std::vector<std::string>& fields) {
  if (fields.size() == 1 && fields[0].empty()) return "\"\"";
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvEscape(fields[i]);
  }
  return out;
}

}  // namespace mittari
