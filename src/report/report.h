// File: report/report.h
//
// Every report leaves Mittari through here: a Table of named columns and typed cells,
// rendered as an aligned text table (people), CSV (spreadsheets) or JSON (programs). The same
// Table gives all three, so they never disagree. A null cell is a value that is deliberately
// not shown (a suppressed group's counts): empty in CSV, null in JSON, "–" in a table.
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
std::string Render(const Table& table, Format format);

}  // namespace mittari::report
