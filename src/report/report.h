// File: report/report.h
//
// Every report leaves Mittari through here: a Table of named columns and typed cells,
// rendered as an aligned text table (people), CSV (spreadsheets) or JSON (programs), or as an
// XLSX workbook for downloads. The same Table gives all of them, so they never disagree. A
// null cell is a value that is deliberately not shown (a suppressed group's counts): empty in
// CSV and XLSX, null in JSON, "–" in a table.
//
// Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace mittari::report {

enum class Format { kTable, kCsv, kJson };

// Parses "table", "csv" or "json". Returns InvalidArgument naming the valid formats.
Result<Format> ParseFormat(std::string_view name);

struct Decimal {
  double value = 0;
  int places = 1;  // shown in tables and CSV; JSON keeps two more, for programs that round
};

using Cell = std::variant<std::monostate, std::string, int64_t, Decimal, bool>;

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;  // each row has columns.size() cells
};

// Renders the table. Text output ends with a newline; JSON is an array of objects keyed by
// column name, in column order.
// `pretty` indents JSON for people; the API sends it compact.
std::string Render(const Table& table, Format format, bool pretty = true);

// A number as a language writes it, for people: a decimal comma and narrow no-break spaces
// between thousands in Finnish and Swedish ("1 234 567,89"; four-digit numbers stay whole,
// "1658"), a point and commas in English ("1,234,567.89", "1,658"); a minus sign (−) only when
// the rounded value is not zero. Other language codes get the Finnish form.
std::string FormatNumber(double value, int decimals, std::string_view lang);

// The aligned text table with its numbers (integers and decimals) written by FormatNumber in
// `lang`, for people reading amounts. Put years and codes in text cells: English groups
// four-digit numbers.
std::string RenderTableIn(const Table& table, std::string_view lang);

// Renders the table as the bytes of an .xlsx workbook with one sheet: a bold, frozen header
// row with an autofilter over the table, and columns as wide as their content. Strings stay
// text, integers become numbers, and a Decimal becomes a number rounded to `places` with a
// matching number format ("0.0"), so the sheet shows and sums what the CSV shows. A bool is a
// real TRUE/FALSE boolean (Excel translates it and filters on it), not "yes"/"no" text. Null
// cells, and a Decimal that is not finite, are left empty.
//
// Returns the workbook; InvalidArgument when the sheet name or the table cannot be stored in
// XLSX (a name Excel rejects, text that is not UTF-8 or longer than 32,767 characters, more
// than 1,048,575 rows or 16,384 columns); Unavailable when the temporary file the workbook
// is assembled in cannot be written or read; Internal for any other libxlsxwriter failure.
Result<std::string> RenderXlsx(const Table& table, std::string_view sheet_name = "NPS");

// Renders the table as a self-contained HTML document (inline styles, no scripts) for printing
// or mailing: `title` as the heading, `lang` on the page. Consecutive rows with the same value
// in the first column are grouped under it as a subheading (a scorecard's focal points).
// Every text is escaped.
std::string RenderHtml(const Table& table, std::string_view title, std::string_view lang, bool group_by_first_column);

}  // namespace mittari::report
