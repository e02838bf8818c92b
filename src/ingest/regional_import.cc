#include "ingest/regional_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ingest/csv_rows.h"
#include "regional/money.h"
#include "regional/standardise.h"
#include "text/redact.h"

namespace mittari {
namespace {

using ingest_internal::CheckIdentifierLike;
using ingest_internal::Header;
using ingest_internal::ParseEnumField;
using ingest_internal::ParseOptionalDate;
using ingest_internal::Quoted;
using ingest_internal::ReadHeader;
using ingest_internal::Rejector;

constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;
constexpr size_t kMunicipalityCodeLength = 3;
constexpr size_t kMaxPatientIdLength = 64;
constexpr size_t kMaxPayerLength = 64;

using Problem = std::optional<FieldError>;

Problem Empty(std::string_view field) { return FieldError{std::string(field), "is empty"}; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool AllDigits(std::string_view text) { return std::all_of(text.begin(), text.end(), IsDigit); }

// "54 000": counts in warnings are read by people, and big ones are hard to read ungrouped.
std::string GroupThousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

// --- Fields ---------------------------------------------------------------------------------

Problem ParseYear(std::string_view field, std::string_view value, int* out) {
  if (value.empty()) return Empty(field);
  std::optional<int> year = ingest_internal::ParseWholeNumber(value);
  if (!year || !AllDigits(value) || *year < kMinYear || *year > kMaxYear) {
    return FieldError{std::string(field), fmt::format("{} is not a year from {} to {}",
                                                      Quoted(value), kMinYear, kMaxYear)};
  }
  *out = *year;
  return std::nullopt;
}

// "YYYY-MM" exactly: the month is a key of stored rows, so "2025-1" and "2025-01" must not
// become two periods.
Problem ParseMonth(std::string_view field, std::string_view value, std::string* out, int* year) {
  constexpr size_t kMonthLength = 7;
  if (value.empty()) return Empty(field);
  auto bad = [&] {
    return FieldError{
        std::string(field),
        fmt::format("{} is not a month YYYY-MM (e.g. 2025-01) of a year from {} to {}",
                    Quoted(value), kMinYear, kMaxYear)};
  };
  if (value.size() != kMonthLength || value[4] != '-' || !AllDigits(value.substr(0, 4)) ||
      !AllDigits(value.substr(5))) {
    return bad();
  }
  const int y = *ingest_internal::ParseWholeNumber(value.substr(0, 4));
  const int m = *ingest_internal::ParseWholeNumber(value.substr(5));
  if (y < kMinYear || y > kMaxYear || m < 1 || m > 12) return bad();
  *out = std::string(value);
  *year = y;
  return std::nullopt;
}

// A whole number >= 0 (residents, volumes, patients).
Problem ParseCount(std::string_view field, std::string_view value, int64_t* out) {
  if (value.empty()) return Empty(field);
  int64_t number = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (ec != std::errc() || ptr != value.data() + value.size()) {
    return FieldError{std::string(field), fmt::format("{} is not a whole number", Quoted(value))};
  }
  if (number < 0) {
    return FieldError{
        std::string(field),
        fmt::format("is negative ({}); it counts something and must be 0 or more", number)};
  }
  *out = number;
  return std::nullopt;
}

Problem CheckMunicipalityCode(std::string_view field, std::string_view value) {
  if (value.empty()) return Empty(field);
  if (value.size() == kMunicipalityCodeLength && AllDigits(value)) return std::nullopt;
  std::string reason = fmt::format(
      "{} is not a municipality code: three digits, as Statistics Finland writes them (e.g. 091)",
      Quoted(value));
  if (value.size() < kMunicipalityCodeLength && AllDigits(value)) {
    reason += "; a spreadsheet may have dropped the leading zeros";
  }
  return FieldError{std::string(field), std::move(reason)};
}

Problem ParseAgeGroup(std::string_view field, std::string_view value, int* out) {
  if (value.empty()) {
    return FieldError{std::string(field), fmt::format("is empty; use one of {}",
                                                      fmt::join(regional::kAgeGroupNames, ", "))};
  }
  for (size_t i = 0; i < regional::kAgeGroupNames.size(); ++i) {
    if (regional::kAgeGroupNames[i] == value) {
      *out = static_cast<int>(i);
      return std::nullopt;
    }
  }
  return FieldError{std::string(field),
                    fmt::format("{} is not an age group; use one of {}", Quoted(value),
                                fmt::join(regional::kAgeGroupNames, ", "))};
}

enum class Sign { kNotNegative, kAny };

Problem ParseEuros(std::string_view field, std::string_view value, Sign sign, int64_t* cents) {
  if (value.empty()) return Empty(field);
  Result<regional::Money> money = regional::Money::Parse(value);
  if (!money.ok()) return FieldError{std::string(field), money.status().message()};
  if (sign == Sign::kNotNegative && money->cents() < 0) {
    return FieldError{std::string(field),
                      fmt::format("{} is negative; it must be 0 or more", Quoted(value))};
  }
  *cents = money->cents();
  return std::nullopt;
}

// Digits with at most one '.' or ',' between digits: a plain decimal, as spreadsheets in
// either locale write it. Exponents, signs and "inf" are refused along with zero.
Problem ParseNeedCoefficient(std::string_view field, std::string_view value, double* out) {
  if (value.empty()) return Empty(field);
  std::string text(value);
  const size_t separator = text.find_first_of(".,");
  if (separator != std::string::npos) text[separator] = '.';
  const std::string_view whole = std::string_view(text).substr(0, separator);
  const std::string_view fraction = separator == std::string::npos
                                        ? std::string_view()
                                        : std::string_view(text).substr(separator + 1);
  double number = 0;
  bool ok = !whole.empty() && AllDigits(whole) && AllDigits(fraction) &&
            (separator == std::string::npos || !fraction.empty());
  if (ok) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    ok = ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(number);
  }
  if (!ok) {
    return FieldError{
        std::string(field),
        fmt::format("{} is not a decimal number such as 1.07 or 1,07", Quoted(value))};
  }
  if (number <= 0) {
    return FieldError{std::string(field), "must be more than 0 (1.0 is average need)"};
  }
  *out = number;
  return std::nullopt;
}

// The redaction rules already decide what an identity code looks like for free text; ids use
// the same rules so that anything redact would hide is also never stored as an id.
bool LooksLikeIdentityCode(std::string_view value) {
  text::RedactionCounts counts;
  text::RedactPersonalData(value, &counts);
  return counts.identity_codes > 0;
}

// Never quotes the value: it may be someone's identity code.
Problem CheckPatientId(std::string_view field, std::string_view value) {
  if (value.empty()) return Empty(field);
  if (LooksLikeIdentityCode(value)) {
    return FieldError{std::string(field), "looks like a personal identity code; use a pseudonym"};
  }
  if (value.size() > kMaxPatientIdLength) {
    return FieldError{std::string(field),
                      fmt::format("is longer than {} characters", kMaxPatientIdLength)};
  }
  for (char c : value) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-' || c == '_';
    if (!ok) {
      return FieldError{std::string(field),
                        "may contain only letters A-Z and a-z, digits, '-' and '_' (a pseudonym)"};
    }
  }
  return std::nullopt;
}

Problem CheckPayer(std::string_view field, std::string_view value) {
  if (value.empty()) return Empty(field);
  if (value.size() > kMaxPayerLength) {
    return FieldError{std::string(field),
                      fmt::format("is longer than {} characters", kMaxPayerLength)};
  }
  bool lower = false;
  for (char c : value) {
    if (c >= 'a' && c <= 'z') {
      lower = true;
      continue;
    }
    const bool ok = (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '-' || c == '_';
    if (!ok) {
      return FieldError{
          std::string(field),
          fmt::format("{} may contain only upper-case letters A-Z, digits, '-' and '_'",
                      Quoted(value))};
    }
  }
  // Not upper-cased silently: a payer code names who is invoiced, and "Keski-Suomi" next to
  // "KESKI-SUOMI" is more likely a different system's code than a typo.
  if (lower) {
    return FieldError{
        std::string(field),
        fmt::format("{} has lower-case letters; payer codes are upper case", Quoted(value))};
  }
  return std::nullopt;
}

Problem RequireText(std::string_view field, std::string_view value, std::string_view why) {
  if (value.empty()) return FieldError{std::string(field), fmt::format("is empty; {}", why)};
  return std::nullopt;
}

// --- Rows -----------------------------------------------------------------------------------

// Remembers each key's first accepted row, so a repeat can name it.
class KeySeen {
 public:
  explicit KeySeen(std::string_view what) : what_(what) {}

  // A problem when `key` was accepted before; otherwise nullopt (call Accept once the row is).
  Problem Check(const std::string& key) const {
    auto it = rows_.find(key);
    if (it == rows_.end()) return std::nullopt;
    return FieldError{"", fmt::format("repeats row {} (same {})", it->second, what_)};
  }
  void Accept(std::string key, int64_t row) { rows_.emplace(std::move(key), row); }

 private:
  std::string what_;
  std::unordered_map<std::string, int64_t> rows_;
};

// Key fields joined with a separator that no valid field contains.
template <typename... Parts>
std::string Key(const Parts&... parts) {
  std::string key;
  ((key += fmt::format("{}", parts), key += '\x1f'), ...);
  return key;
}

// What every importer starts from: the summary warnings go into, and the checked header.
struct FileStart {
  ImportSummary summary;
  std::optional<Header> header;
};

Status ReadHeaderInto(CsvReader& reader, const std::vector<std::string_view>& required,
                      const std::vector<std::string_view>& optional, FileStart& start) {
  ASSIGN_OR_RETURN(std::optional<CsvRecord> header_record, ReadHeader(reader));
  if (!header_record) return InvalidArgumentError("the file is empty; expected a header row");
  ASSIGN_OR_RETURN(Header header,
                   Header::Parse(*header_record, required, optional,
                                 /*allow_scale_columns=*/false, &start.summary.warnings));
  start.header = std::move(header);
  return Status::Ok();
}

// Reads every data row, reporting progress every batch_size rows (the cadence of the batched
// importers, though nothing is committed until the end here). `parse(record, row)` fills `row`
// from a well-shaped record and returns why it is refused, or nullopt to accept it; a non-OK
// status (a failed store read) ends the import.
template <typename Row, typename Parse>
Result<std::vector<Row>> ReadRows(CsvReader& reader, Rejector& rejector,
                                  const ImportOptions& options, Parse&& parse) {
  std::vector<Row> rows;
  CsvRecord record;
  size_t since_progress = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader.Next(&record));
    if (!more) break;
    if (options.on_progress && ++since_progress >= std::max<size_t>(options.batch_size, 1)) {
      since_progress = 0;
      options.on_progress(reader.bytes_consumed(), reader.total_bytes());
    }
    ASSIGN_OR_RETURN(bool shaped, rejector.CheckShape(record));
    if (!shaped) continue;
    Row row;
    ASSIGN_OR_RETURN(Problem problem, parse(record, row));
    if (problem) {
      RETURN_IF_ERROR(rejector.Reject(record, problem->field, problem->reason));
      continue;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void FinishProgress(CsvReader& reader, const ImportOptions& options) {
  if (options.on_progress) options.on_progress(reader.total_bytes(), reader.total_bytes());
}

constexpr std::string_view kNothingStored = "no row was accepted, so nothing was stored";

enum class PeriodKind { kYear, kMonth };

// Counts a replacement into the summary, with the line that tells what it replaced.
void SummariseReplacement(const PeriodWriteStats& stats, const std::set<std::string>& periods,
                          PeriodKind kind, ImportSummary& summary) {
  summary.imported = stats.rows_inserted;
  summary.updated = stats.rows_removed;
  const size_t count = periods.size();
  const std::string_view unit = kind == PeriodKind::kMonth ? (count == 1 ? "month" : "months")
                                                           : (count == 1 ? "year" : "years");
  const std::string range =
      count == 1 ? *periods.begin() : fmt::format("{}–{}", *periods.begin(), *periods.rbegin());
  summary.warnings.push_back(fmt::format("replaced {} {} ({}): {} rows before, {} now", count, unit,
                                         range, GroupThousands(stats.rows_removed),
                                         GroupThousands(stats.rows_inserted)));
}

// Writes period rows in one store call (none when no row was accepted) and fills the summary.
template <typename Row, typename Write>
Result<ImportSummary> WritePeriods(FileStart& start, const std::vector<Row>& rows,
                                   const std::set<std::string>& periods, PeriodKind kind,
                                   std::string_view what, Write&& write) {
  ImportSummary& summary = start.summary;
  if (rows.empty()) {
    summary.warnings.emplace_back(kNothingStored);
    return summary;
  }
  Result<PeriodWriteStats> stats = write(rows);
  if (!stats.ok()) {
    return stats.status().WithContext(
        fmt::format("storing the {} failed, so nothing of the file was stored", what));
  }
  SummariseReplacement(*stats, periods, kind, summary);
  return summary;
}

// The codes of stored municipalities (for the reference check of every period file).
Result<std::unordered_set<std::string>> StoredMunicipalities(Store& store) {
  ASSIGN_OR_RETURN(std::vector<Municipality> stored, store.ListMunicipalities());
  std::unordered_set<std::string> codes;
  for (const Municipality& m : stored) codes.insert(m.code);
  return codes;
}

Problem CheckKnownMunicipality(std::string_view field, std::string_view value,
                               const std::unordered_set<std::string>& known) {
  if (auto e = CheckMunicipalityCode(field, value)) return e;
  if (!known.count(std::string(value))) {
    return FieldError{
        std::string(field),
        fmt::format("unknown municipality '{}'; import the municipalities first", value)};
  }
  return std::nullopt;
}

std::string UpsertCounts(std::string_view what, int64_t fresh, int64_t changed, int64_t same) {
  return fmt::format("{}: {} new, {} changed, {} unchanged", what, fresh, changed, same);
}

}  // namespace

// --- Municipalities -----------------------------------------------------------------------------

Result<ImportSummary> ImportMunicipalitiesCsv(Store& store, CsvReader& reader,
                                              const ImportOptions& options) {
  FileStart start;
  RETURN_IF_ERROR(ReadHeaderInto(reader, {"code", "name_fi", "name_sv", "payer", "payer_name"},
                                 {"valid_from", "valid_to"}, start));
  const Header& header = *start.header;
  Rejector rejector(options, header, start.summary);
  const size_t code = header.Require("code"), name_fi = header.Require("name_fi"),
               name_sv = header.Require("name_sv"), payer = header.Require("payer"),
               payer_name = header.Require("payer_name");
  const std::optional<size_t> valid_from = header.Find("valid_from"),
                              valid_to = header.Find("valid_to");

  ASSIGN_OR_RETURN(std::vector<Municipality> existing, store.ListMunicipalities());
  std::unordered_map<std::string, const Municipality*> stored;
  for (const Municipality& m : existing) stored.emplace(m.code, &m);

  KeySeen seen("code");
  auto parse = [&](const CsvRecord& record, Municipality& m) -> Result<Problem> {
    const auto& f = record.fields;
    m.code = f[code];
    m.name_fi = f[name_fi];
    m.name_sv = f[name_sv];
    m.payer = f[payer];
    m.payer_name = f[payer_name];
    if (auto e = CheckMunicipalityCode("code", m.code)) return e;
    if (auto e = RequireText("name_fi", m.name_fi, "every municipality needs its Finnish name"))
      return e;
    if (auto e = CheckPayer("payer", m.payer)) return e;
    if (auto e = RequireText("payer_name", m.payer_name, "invoices name the payer")) return e;
    std::optional<LocalDay> from, to;
    if (valid_from) {
      if (auto e = ParseOptionalDate("valid_from", f[*valid_from], &from)) return e;
    }
    if (valid_to) {
      if (auto e = ParseOptionalDate("valid_to", f[*valid_to], &to)) return e;
    }
    if (from && to && *to < *from) return Problem(FieldError{"valid_to", "is before valid_from"});
    m.valid_from = from ? FormatLocalDate(*from) : "";
    m.valid_to = to ? FormatLocalDate(*to) : "";
    auto old = stored.find(m.code);
    if (old != stored.end()) {
      // A column the file does not have keeps what is stored.
      if (!valid_from) m.valid_from = old->second->valid_from;
      if (!valid_to) m.valid_to = old->second->valid_to;
    }
    if (auto e = seen.Check(Key(m.code))) return e;
    seen.Accept(Key(m.code), record.record_number);
    return Problem();
  };
  ASSIGN_OR_RETURN(std::vector<Municipality> rows,
                   ReadRows<Municipality>(reader, rejector, options, parse));

  ImportSummary& summary = start.summary;
  if (rows.empty()) {
    summary.warnings.emplace_back(kNothingStored);
    FinishProgress(reader, options);
    return summary;
  }
  for (const Municipality& m : rows) {
    auto old = stored.find(m.code);
    if (old == stored.end()) {
      ++summary.imported;
    } else if (!(*old->second == m)) {
      ++summary.updated;
    } else {
      ++summary.duplicates;
    }
  }
  Result<int64_t> written = store.UpsertMunicipalities(rows);
  if (!written.ok()) {
    return written.status().WithContext(
        "storing the municipalities failed, so nothing of the file was stored");
  }
  summary.warnings.push_back(
      UpsertCounts("municipalities", summary.imported, summary.updated, summary.duplicates));
  FinishProgress(reader, options);
  return summary;
}

// --- Population ---------------------------------------------------------------------------------

Result<ImportSummary> ImportPopulationCsv(Store& store, CsvReader& reader,
                                          const ImportOptions& options) {
  FileStart start;
  RETURN_IF_ERROR(
      ReadHeaderInto(reader, {"municipality", "year", "age_group", "residents"}, {}, start));
  const Header& header = *start.header;
  Rejector rejector(options, header, start.summary);
  const size_t municipality = header.Require("municipality"), year = header.Require("year"),
               age_group = header.Require("age_group"), residents = header.Require("residents");
  ASSIGN_OR_RETURN(std::unordered_set<std::string> municipalities, StoredMunicipalities(store));

  KeySeen seen("municipality, year and age group");
  std::set<std::string> periods;
  auto parse = [&](const CsvRecord& record, PopulationRow& row) -> Result<Problem> {
    const auto& f = record.fields;
    row.municipality = f[municipality];
    if (auto e = CheckMunicipalityCode("municipality", row.municipality)) return e;
    if (auto e = ParseYear("year", f[year], &row.year)) return e;
    if (auto e = ParseAgeGroup("age_group", f[age_group], &row.age_group)) return e;
    if (auto e = ParseCount("residents", f[residents], &row.residents)) return e;
    if (auto e = CheckKnownMunicipality("municipality", row.municipality, municipalities)) return e;
    std::string key = Key(row.municipality, row.year, row.age_group);
    if (auto e = seen.Check(key)) return e;
    seen.Accept(std::move(key), record.record_number);
    periods.insert(std::to_string(row.year));
    return Problem();
  };
  ASSIGN_OR_RETURN(std::vector<PopulationRow> rows,
                   ReadRows<PopulationRow>(reader, rejector, options, parse));
  Result<ImportSummary> summary =
      WritePeriods(start, rows, periods, PeriodKind::kYear, "population",
                   [&](const auto& r) { return store.ReplacePopulation(r); });
  FinishProgress(reader, options);
  return summary;
}

// --- Price list ---------------------------------------------------------------------------------

Result<ImportSummary> ImportPriceListCsv(Store& store, CsvReader& reader,
                                         const ImportOptions& options) {
  FileStart start;
  RETURN_IF_ERROR(ReadHeaderInto(
      reader, {"product", "name_fi", "name_sv", "name_en", "kind", "year", "unit_price"}, {},
      start));
  const Header& header = *start.header;
  Rejector rejector(options, header, start.summary);
  const size_t product = header.Require("product"), name_fi = header.Require("name_fi"),
               name_sv = header.Require("name_sv"), name_en = header.Require("name_en"),
               kind = header.Require("kind"), year = header.Require("year"),
               unit_price = header.Require("unit_price");

  struct PriceRow {
    ServiceProduct product;
    ProductPrice price;
  };
  // Each product's description as first accepted, and where, so that a row describing it
  // differently can say which row it contradicts.
  std::map<std::string, std::pair<ServiceProduct, int64_t>> products;
  KeySeen seen("product and year");
  std::set<std::string> periods;
  auto parse = [&](const CsvRecord& record, PriceRow& row) -> Result<Problem> {
    const auto& f = record.fields;
    ServiceProduct& p = row.product;
    p.code = f[product];
    p.name_fi = f[name_fi];
    p.name_sv = f[name_sv];
    p.name_en = f[name_en];
    if (auto e = CheckIdentifierLike("product", p.code)) return e;
    if (auto e = RequireText("name_fi", p.name_fi, "every product needs its Finnish name"))
      return e;
    if (auto e = ParseEnumField("kind", f[kind], &p.kind)) return e;
    row.price.product = p.code;
    if (auto e = ParseYear("year", f[year], &row.price.year)) return e;
    if (auto e = ParseEuros("unit_price", f[unit_price], Sign::kNotNegative,
                            &row.price.unit_price_cents)) {
      return e;
    }
    auto first = products.find(p.code);
    if (first != products.end() && !(first->second.first == p)) {
      const ServiceProduct& q = first->second.first;
      const char* field = q.name_fi != p.name_fi   ? "name_fi"
                          : q.name_sv != p.name_sv ? "name_sv"
                          : q.name_en != p.name_en ? "name_en"
                                                   : "kind";
      return Problem(FieldError{
          field, fmt::format("differs from row {}, which describes product {} too; a product has "
                             "one description in a file",
                             first->second.second, p.code)});
    }
    std::string key = Key(p.code, row.price.year);
    if (auto e = seen.Check(key)) return e;
    seen.Accept(std::move(key), record.record_number);
    if (first == products.end()) products.emplace(p.code, std::make_pair(p, record.record_number));
    periods.insert(std::to_string(row.price.year));
    return Problem();
  };
  ASSIGN_OR_RETURN(std::vector<PriceRow> rows,
                   ReadRows<PriceRow>(reader, rejector, options, parse));
  ImportSummary& summary = start.summary;
  if (rows.empty()) {
    summary.warnings.emplace_back(kNothingStored);
    FinishProgress(reader, options);
    return summary;
  }

  ASSIGN_OR_RETURN(std::vector<ServiceProduct> existing, store.ListProducts());
  std::unordered_map<std::string, const ServiceProduct*> stored;
  for (const ServiceProduct& p : existing) stored.emplace(p.code, &p);
  std::vector<ServiceProduct> to_upsert;
  int64_t fresh = 0, changed = 0, same = 0;
  for (const auto& [code, described] : products) {
    auto old = stored.find(code);
    if (old == stored.end()) {
      ++fresh;
    } else if (!(*old->second == described.first)) {
      ++changed;
    } else {
      ++same;
    }
    to_upsert.push_back(described.first);
  }
  std::vector<ProductPrice> prices;
  prices.reserve(rows.size());
  for (PriceRow& row : rows) prices.push_back(std::move(row.price));
  // Products and prices in one transaction: a failure stores neither.
  Result<std::pair<int64_t, PeriodWriteStats>> stored_list = store.ReplacePriceList(to_upsert, prices);
  if (!stored_list.ok()) return stored_list.status();
  SummariseReplacement(stored_list->second, periods, PeriodKind::kYear, summary);
  summary.warnings.push_back(UpsertCounts("products", fresh, changed, same));
  FinishProgress(reader, options);
  return summary;
}

// --- Production ---------------------------------------------------------------------------------

Result<ImportSummary> ImportProductionCsv(Store& store, CsvReader& reader,
                                          const ImportOptions& options) {
  FileStart start;
  RETURN_IF_ERROR(ReadHeaderInto(
      reader, {"municipality", "product", "month", "age_group", "volume", "patients"}, {}, start));
  const Header& header = *start.header;
  Rejector rejector(options, header, start.summary);
  const size_t municipality = header.Require("municipality"), product = header.Require("product"),
               month = header.Require("month"), age_group = header.Require("age_group"),
               volume = header.Require("volume"), patients = header.Require("patients");
  ASSIGN_OR_RETURN(std::unordered_set<std::string> municipalities, StoredMunicipalities(store));
  ASSIGN_OR_RETURN(std::vector<ServiceProduct> stored_products, store.ListProducts());
  std::unordered_set<std::string> products;
  for (const ServiceProduct& p : stored_products) products.insert(p.code);
  // Priced products by year, read from the store on first need: a file usually spans a year
  // or two, so this is a handful of reads however long the file is.
  std::unordered_map<int, std::unordered_set<std::string>> priced;
  auto has_price = [&](const std::string& code, int year) -> Result<bool> {
    auto it = priced.find(year);
    if (it == priced.end()) {
      ASSIGN_OR_RETURN(std::vector<ProductPrice> prices, store.LoadPrices(year));
      std::unordered_set<std::string> codes;
      for (const ProductPrice& p : prices) codes.insert(p.product);
      it = priced.emplace(year, std::move(codes)).first;
    }
    return it->second.count(code) > 0;
  };

  KeySeen seen("municipality, product, month and age group");
  std::set<std::string> periods;
  auto parse = [&](const CsvRecord& record, ProductionRow& row) -> Result<Problem> {
    const auto& f = record.fields;
    row.municipality = f[municipality];
    row.product = f[product];
    int year = 0;
    if (auto e = CheckMunicipalityCode("municipality", row.municipality)) return e;
    if (auto e = CheckIdentifierLike("product", row.product)) return e;
    if (auto e = ParseMonth("month", f[month], &row.month, &year)) return e;
    if (auto e = ParseAgeGroup("age_group", f[age_group], &row.age_group)) return e;
    if (auto e = ParseCount("volume", f[volume], &row.volume)) return e;
    if (auto e = ParseCount("patients", f[patients], &row.patients)) return e;
    if (row.patients > row.volume) {
      return Problem(FieldError{
          "patients", fmt::format("{} patients is more than the volume {}; every patient counted "
                                  "had at least one",
                                  row.patients, row.volume)});
    }
    if (auto e = CheckKnownMunicipality("municipality", row.municipality, municipalities)) return e;
    if (!products.count(row.product)) {
      return Problem(FieldError{
          "product",
          fmt::format("unknown product '{}'; import the price list first", row.product)});
    }
    ASSIGN_OR_RETURN(bool priced_in_year, has_price(row.product, year));
    if (!priced_in_year) {
      return Problem(FieldError{
          "product", fmt::format("no price for product {} in {}; import the price list first",
                                 row.product, year)});
    }
    std::string key = Key(row.municipality, row.product, row.month, row.age_group);
    if (auto e = seen.Check(key)) return e;
    seen.Accept(std::move(key), record.record_number);
    periods.insert(row.month);
    return Problem();
  };
  ASSIGN_OR_RETURN(std::vector<ProductionRow> rows,
                   ReadRows<ProductionRow>(reader, rejector, options, parse));
  Result<ImportSummary> summary =
      WritePeriods(start, rows, periods, PeriodKind::kMonth, "production",
                   [&](const auto& r) { return store.ReplaceProduction(r); });
  FinishProgress(reader, options);
  return summary;
}

// --- Patient costs ------------------------------------------------------------------------------

Result<ImportSummary> ImportPatientCostsCsv(Store& store, CsvReader& reader,
                                            const ImportOptions& options) {
  FileStart start;
  RETURN_IF_ERROR(
      ReadHeaderInto(reader, {"patient_id", "municipality", "year", "cost"}, {}, start));
  const Header& header = *start.header;
  // Any rejected row, whatever its fault (a wrong field count shifts columns), may carry an
  // identity code somewhere; the rejects file gets it redacted.
  Rejector rejector(options, header, start.summary, [](std::vector<std::string>& fields) {
    for (std::string& field : fields) {
      text::RedactionCounts counts;
      std::string redacted = text::RedactPersonalData(field, &counts);
      if (counts.identity_codes > 0) field = std::move(redacted);
    }
  });
  const size_t patient_id = header.Require("patient_id"),
               municipality = header.Require("municipality"), year = header.Require("year"),
               cost = header.Require("cost");
  ASSIGN_OR_RETURN(std::unordered_set<std::string> municipalities, StoredMunicipalities(store));

  std::set<std::string> periods;
  auto parse = [&](const CsvRecord& record, PatientCostRow& row) -> Result<Problem> {
    const auto& f = record.fields;
    if (auto e = CheckPatientId("patient_id", f[patient_id])) return e;
    row.patient_id = f[patient_id];
    row.municipality = f[municipality];
    if (auto e = CheckMunicipalityCode("municipality", row.municipality)) return e;
    if (auto e = ParseYear("year", f[year], &row.year)) return e;
    if (auto e = ParseEuros("cost", f[cost], Sign::kNotNegative, &row.cost_cents)) return e;
    if (auto e = CheckKnownMunicipality("municipality", row.municipality, municipalities)) return e;
    periods.insert(std::to_string(row.year));
    return Problem();
  };
  ASSIGN_OR_RETURN(std::vector<PatientCostRow> rows,
                   ReadRows<PatientCostRow>(reader, rejector, options, parse));
  Result<ImportSummary> summary =
      WritePeriods(start, rows, periods, PeriodKind::kYear, "patient costs",
                   [&](const auto& r) { return store.ReplacePatientCosts(r); });
  FinishProgress(reader, options);
  return summary;
}

// --- Ledger -------------------------------------------------------------------------------------

Result<ImportSummary> ImportLedgerCsv(Store& store, const OrgTree& tree, CsvReader& reader,
                                      const ImportOptions& options) {
  FileStart start;
  RETURN_IF_ERROR(ReadHeaderInto(reader, {"cost_centre", "account", "month", "amount"}, {}, start));
  const Header& header = *start.header;
  Rejector rejector(options, header, start.summary);
  const size_t cost_centre = header.Require("cost_centre"), account = header.Require("account"),
               month = header.Require("month"), amount = header.Require("amount");

  KeySeen seen("cost centre, account and month");
  std::set<std::string> periods;
  auto parse = [&](const CsvRecord& record, LedgerRow& row) -> Result<Problem> {
    const auto& f = record.fields;
    row.cost_centre = f[cost_centre];
    int year = 0;
    if (row.cost_centre.empty()) return Empty("cost_centre");
    if (auto e = ParseEnumField("account", f[account], &row.account)) return e;
    if (auto e = ParseMonth("month", f[month], &row.month, &year)) return e;
    if (auto e = ParseEuros("amount", f[amount], Sign::kAny, &row.amount_cents)) return e;
    if (!tree.Find(row.cost_centre)) {
      return Problem(FieldError{
          "cost_centre", fmt::format("unknown cost centre {}; it is not a unit of the organisation "
                                     "(import the units first)",
                                     Quoted(row.cost_centre))});
    }
    std::string key = Key(row.cost_centre, ToName(row.account), row.month);
    if (auto e = seen.Check(key)) return e;
    seen.Accept(std::move(key), record.record_number);
    periods.insert(row.month);
    return Problem();
  };
  ASSIGN_OR_RETURN(std::vector<LedgerRow> rows,
                   ReadRows<LedgerRow>(reader, rejector, options, parse));
  Result<ImportSummary> summary =
      WritePeriods(start, rows, periods, PeriodKind::kMonth, "ledger",
                   [&](const auto& r) { return store.ReplaceLedger(r); });
  FinishProgress(reader, options);
  return summary;
}

// --- Need coefficients --------------------------------------------------------------------------

Result<ImportSummary> ImportNeedCoefficientsCsv(Store& store, CsvReader& reader,
                                                const ImportOptions& options) {
  FileStart start;
  RETURN_IF_ERROR(ReadHeaderInto(reader, {"municipality", "year", "need_coefficient"}, {}, start));
  const Header& header = *start.header;
  Rejector rejector(options, header, start.summary);
  const size_t municipality = header.Require("municipality"), year = header.Require("year"),
               coefficient = header.Require("need_coefficient");
  ASSIGN_OR_RETURN(std::unordered_set<std::string> municipalities, StoredMunicipalities(store));

  KeySeen seen("municipality and year");
  std::set<std::string> periods;
  auto parse = [&](const CsvRecord& record, NeedCoefficientRow& row) -> Result<Problem> {
    const auto& f = record.fields;
    row.municipality = f[municipality];
    if (auto e = CheckMunicipalityCode("municipality", row.municipality)) return e;
    if (auto e = ParseYear("year", f[year], &row.year)) return e;
    if (auto e = ParseNeedCoefficient("need_coefficient", f[coefficient], &row.coefficient))
      return e;
    if (auto e = CheckKnownMunicipality("municipality", row.municipality, municipalities)) return e;
    std::string key = Key(row.municipality, row.year);
    if (auto e = seen.Check(key)) return e;
    seen.Accept(std::move(key), record.record_number);
    periods.insert(std::to_string(row.year));
    return Problem();
  };
  ASSIGN_OR_RETURN(std::vector<NeedCoefficientRow> rows,
                   ReadRows<NeedCoefficientRow>(reader, rejector, options, parse));
  Result<ImportSummary> summary =
      WritePeriods(start, rows, periods, PeriodKind::kYear, "need coefficients",
                   [&](const auto& r) { return store.ReplaceNeedCoefficients(r); });
  FinishProgress(reader, options);
  return summary;
}

Result<ImportSummary> ImportRegionalCsv(std::string_view kind, Store& store, const OrgTree& tree,
                                        CsvReader& reader, const ImportOptions& options) {
  if (kind == "municipalities") return ImportMunicipalitiesCsv(store, reader, options);
  if (kind == "population") return ImportPopulationCsv(store, reader, options);
  if (kind == "prices") return ImportPriceListCsv(store, reader, options);
  if (kind == "production") return ImportProductionCsv(store, reader, options);
  if (kind == "patient-costs") return ImportPatientCostsCsv(store, reader, options);
  if (kind == "ledger") return ImportLedgerCsv(store, tree, reader, options);
  if (kind == "need") return ImportNeedCoefficientsCsv(store, reader, options);
  return InvalidArgumentError(fmt::format("unknown kind of regional data '{}'; use one of {}", kind,
                                          fmt::join(kRegionalImportKinds, ", ")));
}

}  // namespace mittari
