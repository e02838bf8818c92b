#include <variant>
#include "report/report.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/csv.h"

namespace mittari::report {
namespace {

constexpr std::string_view kNullText = "–";

std::string CellText(const Cell& cell, Format format) {
  struct Visitor {
    Format format;
    std::string operator()(std::monostate) const {
      return format == Format::kTable ? std::string(kNullText) : std::string();
    }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(const Decimal& d) const {
      return fmt::format("{:.{}f}", d.value, d.places);
    }
    std::string operator()(bool b) const { return b ? "yes" : "no"; }
  };
  std::string text = std::visit(Visitor{format}, cell);
  if (format == Format::kCsv && std::holds_alternative<bool>(cell)) {
    text = std::get<bool>(cell) ? "true" : "false";
  }
  return text;
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80 ? 1 : 0;  // count code points
  return width;
}

bool RightAligned(const Cell& cell) {
  return std::holds_alternative<int64_t>(cell) || std::holds_alternative<Decimal>(cell) ||
         std::holds_alternative<std::monostate>(cell);
}

std::string RenderTable(const Table& table, std::string_view number_language = {}) {
  if (table.columns.empty()) return "";
  std::vector<size_t> widths(table.columns.size());
  std::vector<std::vector<std::string>> texts;
  for (size_t c = 0; c < table.columns.size(); ++c) widths[c] = DisplayWidth(table.columns[c]);
  for (const auto& row : table.rows) {
    std::vector<std::string> line;
    for (size_t c = 0; c < row.size(); ++c) {
      line.push_back(CellText(row[c], Format::kTable));
      if (!number_language.empty()) {
        if (const auto* d = std::get_if<Decimal>(&row[c])) line.back() = FormatNumber(d->value, d->places, number_language);
        if (const auto* i = std::get_if<int64_t>(&row[c])) {
          line.back() = FormatNumber(static_cast<double>(*i), 0, number_language);
        }
      }
      widths[c] = std::max(widths[c], DisplayWidth(line.back()));
    }
    texts.push_back(std::move(line));
  }
  std::string out;
  const size_t last = table.columns.size() - 1;
  auto pad = [&](const std::string& text, size_t column, bool right) {
    std::string spaces(widths[column] - DisplayWidth(text), ' ');
    if (right) {
      out += spaces + text;
    } else {
      out += text;
      if (column != last) out += spaces;  // no trailing blanks at the end of a line
    }
  };
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c) out += "  ";
    bool right = !table.rows.empty() && RightAligned(table.rows[0][c]);
    pad(table.columns[c], c, right);
  }
  out += "\n";
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c) out += "  ";
    out += std::string(widths[c], '-');
  }
  out += "\n";
  for (size_t r = 0; r < texts.size(); ++r) {
    for (size_t c = 0; c < texts[r].size(); ++c) {
      if (c) out += "  ";
      pad(texts[r][c], c, RightAligned(table.rows[r][c]));
    }
    out += "\n";
  }
  return out;
}

std::string RenderCsv(const Table& table) {
  std::string out = CsvJoin(table.columns) + "\n";
  for (const auto& row : table.rows) {
    std::vector<std::string> fields;
    for (const Cell& cell : row) fields.push_back(CellText(cell, Format::kCsv));
    out += CsvJoin(fields) + "\n";
  }
  return out;
}

std::string RenderJson(const Table& table, bool pretty) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const auto& row : table.rows) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (size_t c = 0; c < row.size(); ++c) {
      const Cell& cell = row[c];
      nlohmann::ordered_json value;
      if (const auto* s = std::get_if<std::string>(&cell)) {
        value = *s;
      } else if (const auto* i = std::get_if<int64_t>(&cell)) {
        value = *i;
      } else if (const auto* d = std::get_if<Decimal>(&cell)) {
        double scale = std::pow(10.0, d->places + 2);
        value = std::round(d->value * scale) / scale;
      } else if (const auto* b = std::get_if<bool>(&cell)) {
        value = *b;
      }
      object[table.columns[c]] = std::move(value);
    }
    array.push_back(std::move(object));
  }
  return array.dump(pretty ? 2 : -1) + "\n";
}

}  // namespace

Result<Format> ParseFormat(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "csv") return Format::kCsv;
  if (name == "json") return Format::kJson;
  return InvalidArgumentError(fmt::format("unknown format '{}'; use table, csv or json", name));
}

std::string RenderTableIn(const Table& table, std::string_view lang) { return RenderTable(table, lang); }

std::string FormatNumber(double value, int decimals, std::string_view lang) {
  std::string text = fmt::format("{:.{}f}", std::fabs(value), decimals);
  size_t point = text.find('.');
  std::string whole = text.substr(0, point), fraction = point == std::string::npos ? "" : text.substr(point + 1);
  const bool nordic = lang != "en";
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    // Finnish and Swedish leave four-digit numbers whole ("1658"); English groups them ("1,658").
    if (i > 0 && (whole.size() - i) % 3 == 0 && whole.size() > (nordic ? 4u : 3u)) grouped += nordic ? "\u202f" : ",";
    grouped += whole[i];
  }
  std::string out = (value < 0 && std::round(std::fabs(value) * std::pow(10, decimals)) != 0 ? "−" : "") + grouped;
  if (!fraction.empty()) out += (nordic ? "," : ".") + fraction;
  return out;
}

std::string Render(const Table& table, Format format, bool pretty) {
  switch (format) {
    case Format::kTable: return RenderTable(table);
    case Format::kCsv: return RenderCsv(table);
    case Format::kJson: return RenderJson(table, pretty);
  }
  return {};
}

namespace {

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string CellText(const Cell& cell) {
  return std::visit([](const auto& v) -> std::string {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::monostate>) return "";
    else if constexpr (std::is_same_v<T, std::string>) return v;
    else if constexpr (std::is_same_v<T, int64_t>) return std::to_string(v);
    else if constexpr (std::is_same_v<T, bool>) return v ? "yes" : "no";
    else return fmt::format("{:.{}f}", v.value, v.places);
  }, cell);
}

}  // namespace

std::string RenderHtml(const Table& table, std::string_view title, std::string_view lang, bool group_by_first_column) {
  std::string out = fmt::format(
      "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\n"
      "<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#1b1f24}}"
      "table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;padding:.35em .6em;"
      "border-bottom:1px solid #d0d7de;vertical-align:top}}th{{background:#f3f5f7}}"
      "h2{{font-size:1.1em;margin:1.4em 0 .4em}}</style></head><body>\n<h1>{}</h1>\n",
      EscapeHtml(lang), EscapeHtml(title), EscapeHtml(title));
  const size_t first = group_by_first_column ? 1 : 0;
  auto header = [&] {
    std::string h = "<table><thead><tr>";
    for (size_t c = first; c < table.columns.size(); ++c) h += "<th>" + EscapeHtml(table.columns[c]) + "</th>";
    return h + "</tr></thead><tbody>\n";
  };
  std::string group;
  bool open = false;
  for (const auto& row : table.rows) {
    if (group_by_first_column && (!open || CellText(row[0]) != group)) {
      if (open) out += "</tbody></table>\n";
      group = CellText(row[0]);
      out += "<h2>" + EscapeHtml(group) + "</h2>\n" + header();
      open = true;
    } else if (!open) {
      out += header();
      open = true;
    }
    out += "<tr>";
    for (size_t c = first; c < row.size(); ++c) out += "<td>" + EscapeHtml(CellText(row[c])) + "</td>";
    out += "</tr>\n";
  }
  if (open) out += "</tbody></table>\n";
  return out + "</body></html>\n";
}

}  // namespace mittari::report
