// XLSX output through libxlsxwriter. The Debian 12 library (1.1.4) can only write a workbook
// to a named file (writing to a memory buffer came in 1.1.5), so each workbook is assembled in
// a private temporary file that is read back and removed, on error paths too.
#include "report/report.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>

#include "common/utf8.h"

namespace mittari::report {
namespace {

// Excel's limits on a worksheet; a row is also needed for the header.
constexpr size_t kMaxDataRows = LXW_ROW_MAX - 1;
constexpr size_t kMaxColumns = LXW_COL_MAX;

// Column widths are in characters of the default font. The header needs room for the
// autofilter's drop-down button, and free text (comments) must not make a column so wide that
// the rest of the table scrolls out of sight.
constexpr double kFilterButtonWidth = 3;
constexpr double kCellPadding = 1;
constexpr double kMinColumnWidth = 4;
constexpr double kMaxColumnWidth = 60;

// Excel shows at most 30 decimals; fewer than 0 makes no sense.
constexpr int kMaxPlaces = 30;

// Returns the Status for a libxlsxwriter error: Unavailable when memory or the file system let
// it down (worth retrying), InvalidArgument when the data cannot be stored in XLSX, and
// Internal otherwise, because the remaining errors mean this file called the library wrongly.
Status XlsxError(lxw_error error, std::string_view what) {
  std::string message = fmt::format("XLSX export: {}: {}", what, lxw_strerror(error));
  switch (error) {
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
      return UnavailableError(std::move(message));
    case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
      return InvalidArgumentError(std::move(message));
    default:
      return InternalError(std::move(message));
  }
}

// A file that only this process can name (mkstemp), removed when the object goes away so that
// no return path leaves an export with patient data behind in the temp directory.
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ < 0) return;
    ::close(fd_);
    ::unlink(path_.c_str());
  }

  // Returns OK once an empty file exists in `dir`, Unavailable when it cannot be created.
  Status Create(const std::filesystem::path& dir) {
    std::string name = (dir / "mittari-export-XXXXXX").string();
    fd_ = ::mkstemp(name.data());
    if (fd_ < 0) {
      return UnavailableError(fmt::format("XLSX export: cannot create a temporary file in {}: {}",
                                          dir.string(), std::strerror(errno)));
    }
    path_ = std::move(name);
    return Status::Ok();
  }

  // Returns the file's whole content, read through the descriptor mkstemp opened: the sticky
  // temp directory keeps others from replacing the name, and the descriptor makes sure of it.
  Result<std::string> ReadAll() const {
    struct stat info;
    if (::fstat(fd_, &info) != 0) return ReadError();
    std::string bytes(static_cast<size_t>(info.st_size), '\0');
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::pread(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return ReadError();
      if (n == 0) break;  // shrank since fstat; what is there is all there is
      done += static_cast<size_t>(n);
    }
    bytes.resize(done);
    return bytes;
  }

  const std::string& path() const { return path_; }

 private:
  // Returns Unavailable naming the file and errno.
  Status ReadError() const {
    return UnavailableError(fmt::format("XLSX export: cannot read back {}: {}", path_,
                                        std::strerror(errno)));
  }

  std::string path_;
  int fd_ = -1;
};

// Frees a workbook that will not be written. workbook_close() would write the whole file
// first; an abandoned workbook only needs its memory back.
struct WorkbookFree {
  void operator()(lxw_workbook* workbook) const { lxw_workbook_free(workbook); }
};
using WorkbookPtr = std::unique_ptr<lxw_workbook, WorkbookFree>;

// Returns OK when `text` can go into a cell as it is, InvalidArgument otherwise: Excel
// refuses a workbook whose XML is not UTF-8, and libxlsxwriter takes C strings, so a NUL byte
// would silently cut the text short.
Status CheckText(std::string_view text, std::string_view where) {
  if (!IsValidUtf8(text)) {
    return InvalidArgumentError(fmt::format("XLSX export: {} is not valid UTF-8", where));
  }
  if (text.find('\0') != std::string_view::npos) {
    return InvalidArgumentError(fmt::format("XLSX export: {} contains a NUL character", where));
  }
  return Status::Ok();
}

// Returns "0" for 0 places, "0.0" for 1, "0.00" for 2 and so on.
std::string NumberFormat(int places) {
  return places == 0 ? "0" : "0." + std::string(static_cast<size_t>(places), '0');
}

// Returns the places a Decimal is shown with, within what Excel accepts.
int ClampPlaces(int places) { return std::clamp(places, 0, kMaxPlaces); }

// Returns the value the CSV shows for `d`, as a number. Rounding through the same text the
// CSV prints (rather than std::round(v * 10^p)) keeps the two outputs equal even at exact
// halves such as 0.25, where the two ways disagree.
double RoundedAsShown(const Decimal& d, std::string& text) {
  text = fmt::format("{:.{}f}", d.value, ClampPlaces(d.places));
  double rounded = d.value;
  std::from_chars(text.data(), text.data() + text.size(), rounded);
  return rounded;
}

// Returns the number of characters `cell` is shown with, for the column width.
size_t ShownLength(const Cell& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) return CountCodePoints(*s);
  if (const auto* i = std::get_if<int64_t>(&cell)) return std::to_string(*i).size();
  if (const auto* d = std::get_if<Decimal>(&cell)) {
    if (!std::isfinite(d->value)) return 0;  // left empty
    std::string text;
    RoundedAsShown(*d, text);
    return text.size();
  }
  if (const auto* b = std::get_if<bool>(&cell)) return *b ? 4 : 5;  // TRUE, FALSE
  return 0;
}

// Adds the sheet and its cells to `workbook`. Returns OK, or the first error.
Status FillWorkbook(lxw_workbook* workbook, const Table& table, const std::string& sheet_name) {
  if (sheet_name.empty()) return InvalidArgumentError("XLSX export: the sheet name is empty");
  RETURN_IF_ERROR(CheckText(sheet_name, "the sheet name"));
  if (lxw_error error = workbook_validate_sheet_name(workbook, sheet_name.c_str())) {
    return InvalidArgumentError(fmt::format("XLSX export: sheet name '{}': {}", sheet_name,
                                            lxw_strerror(error)));
  }
  if (table.columns.size() > kMaxColumns) {
    return InvalidArgumentError(fmt::format(
        "XLSX export: the table has {} columns; an Excel sheet holds at most {}",
        table.columns.size(), kMaxColumns));
  }
  if (table.rows.size() > kMaxDataRows) {
    return InvalidArgumentError(fmt::format(
        "XLSX export: the table has {} rows; an Excel sheet holds at most {} below the header",
        table.rows.size(), kMaxDataRows));
  }

  lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheet_name.c_str());
  if (sheet == nullptr) {
    return InternalError(fmt::format("XLSX export: cannot add the sheet '{}'", sheet_name));
  }
  lxw_format* bold = workbook_add_format(workbook);
  if (bold == nullptr) return XlsxError(LXW_ERROR_MEMORY_MALLOC_FAILED, "header format");
  format_set_bold(bold);
  // One format per number of places; formats live as long as the workbook.
  std::map<int, lxw_format*> decimal_formats;
  auto decimal_format = [&](int places) -> lxw_format* {
    auto [it, added] = decimal_formats.try_emplace(places, nullptr);
    if (added) {
      it->second = workbook_add_format(workbook);
      if (it->second != nullptr) format_set_num_format(it->second, NumberFormat(places).c_str());
    }
    return it->second;
  };

  const size_t column_count = table.columns.size();
  std::vector<double> widths(column_count, kMinColumnWidth);
  for (size_t c = 0; c < column_count; ++c) {
    const std::string& name = table.columns[c];
    RETURN_IF_ERROR(CheckText(name, fmt::format("column name {}", c + 1)));
    const auto col = static_cast<lxw_col_t>(c);
    if (lxw_error error = worksheet_write_string(sheet, 0, col, name.c_str(), bold)) {
      return XlsxError(error, fmt::format("column name '{}'", name));
    }
    widths[c] = std::max(widths[c], static_cast<double>(CountCodePoints(name)) +
                                        kFilterButtonWidth + kCellPadding);
  }

  for (size_t r = 0; r < table.rows.size(); ++r) {
    const std::vector<Cell>& cells = table.rows[r];
    if (cells.size() != column_count) {
      return InternalError(fmt::format("XLSX export: data row {} has {} cells for {} columns",
                                       r + 1, cells.size(), column_count));
    }
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (size_t c = 0; c < column_count; ++c) {
      const Cell& cell = cells[c];
      const auto col = static_cast<lxw_col_t>(c);
      auto where = [&] { return fmt::format("data row {}, column '{}'", r + 1, table.columns[c]); };
      lxw_error error = LXW_NO_ERROR;
      if (const auto* s = std::get_if<std::string>(&cell)) {
        RETURN_IF_ERROR(CheckText(*s, where()));
        error = worksheet_write_string(sheet, row, col, s->c_str(), nullptr);
      } else if (const auto* i = std::get_if<int64_t>(&cell)) {
        // Excel keeps every number as a double: exact up to 2^53, far beyond any count here.
        error = worksheet_write_number(sheet, row, col, static_cast<double>(*i), nullptr);
      } else if (const auto* d = std::get_if<Decimal>(&cell)) {
        // XML has no NaN or infinity, and JSON already shows them as null.
        if (std::isfinite(d->value)) {
          std::string text;
          double value = RoundedAsShown(*d, text);
          lxw_format* format = decimal_format(ClampPlaces(d->places));
          if (format == nullptr) return XlsxError(LXW_ERROR_MEMORY_MALLOC_FAILED, where());
          error = worksheet_write_number(sheet, row, col, value, format);
        }
      } else if (const auto* b = std::get_if<bool>(&cell)) {
        error = worksheet_write_boolean(sheet, row, col, *b ? 1 : 0, nullptr);
      }
      if (error != LXW_NO_ERROR) return XlsxError(error, where());
      widths[c] = std::max(widths[c], static_cast<double>(ShownLength(cell)) + kCellPadding);
    }
  }

  if (column_count == 0) return Status::Ok();
  const auto last_col = static_cast<lxw_col_t>(column_count - 1);
  for (size_t c = 0; c < column_count; ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    double width = std::min(widths[c], kMaxColumnWidth);
    if (lxw_error error = worksheet_set_column(sheet, col, col, width, nullptr)) {
      return XlsxError(error, fmt::format("width of column '{}'", table.columns[c]));
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
  if (lxw_error error = worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                                             last_col)) {
    return XlsxError(error, "autofilter");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> RenderXlsx(const Table& table, std::string_view sheet_name) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) {
    return UnavailableError(
        fmt::format("XLSX export: no usable temporary directory: {}", ec.message()));
  }
  TempFile file;
  RETURN_IF_ERROR(file.Create(dir));

  // libxlsxwriter's own scratch files go to the same directory, so TMPDIR is honoured for all.
  std::string scratch_dir = dir.string();
  lxw_workbook_options options{};
  options.tmpdir = scratch_dir.data();
  WorkbookPtr workbook(workbook_new_opt(file.path().c_str(), &options));
  if (workbook == nullptr) {
    return XlsxError(LXW_ERROR_MEMORY_MALLOC_FAILED, "cannot start a workbook");
  }
  RETURN_IF_ERROR(FillWorkbook(workbook.get(), table, std::string(sheet_name)));
  // workbook_close() frees the workbook whether or not it manages to write it.
  if (lxw_error error = workbook_close(workbook.release())) {
    return XlsxError(error, fmt::format("cannot write {}", file.path()));
  }
  return file.ReadAll();
}

}  // namespace mittari::report
