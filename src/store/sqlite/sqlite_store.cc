#include <fmt/format.h>
#include <sqlite3.h>

#include <cmath>
#include <functional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "store/sqlite/sqlite_handle.h"
#include "store/store.h"

namespace mittari {
namespace {

using sqlite::Exec;
using sqlite::FromSqlite;
using sqlite::Statement;
using sqlite::Transaction;

// Schema migrations, applied in order; index + 1 is the version. Never edit a released
// migration: append a new one.
constexpr const char* kMigrations[] = {
    // 1: units, responses, scale answers. Enumeration checks are written as OR chains, not
    // IN lists: SQLite evaluates an IN list of three or more through an ephemeral table built
    // for every inserted row, which made imports several times slower.
    R"sql(
CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  parent_code TEXT,
  kind TEXT NOT NULL CHECK (kind = 'organisation' OR kind = 'area' OR kind = 'centre' OR kind = 'unit'),
  name_fi TEXT NOT NULL,
  name_sv TEXT NOT NULL,
  name_en TEXT NOT NULL,
  valid_from TEXT,
  valid_to TEXT,
  successor_code TEXT
);
CREATE TABLE responses (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,
  survey TEXT NOT NULL CHECK (survey = 'patient' OR survey = 'employee'),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  answered_at INTEGER NOT NULL,
  channel TEXT NOT NULL CHECK (channel = 'sms' OR channel = 'web' OR channel = 'paper' OR channel = 'kiosk'),
  language TEXT NOT NULL CHECK (language = 'fi' OR language = 'sv' OR language = 'en' OR language = 'other'),
  visit_type TEXT NOT NULL
    CHECK (visit_type = 'outpatient' OR visit_type = 'inpatient' OR visit_type = 'emergency' OR visit_type = 'remote' OR visit_type = 'other'),
  age_group TEXT NOT NULL
    CHECK (age_group = '0-17' OR age_group = '18-29' OR age_group = '30-44' OR age_group = '45-64' OR age_group = '65-74' OR age_group = '75+' OR age_group = 'unknown'),
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
  comment TEXT,
  UNIQUE (source, external_id)
);
CREATE TABLE response_scales (
  response_id INTEGER NOT NULL REFERENCES responses(id),
  question TEXT NOT NULL,
  value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
  PRIMARY KEY (response_id, question)
) WITHOUT ROWID;
)sql",
    // 2: access control, audit log, web form links. Tokens are stored only as hashes.
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role = 'admin' OR role = 'analyst' OR role = 'manager' OR role = 'integration'),
  password_hash TEXT NOT NULL DEFAULT '',
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE TABLE user_units (
  user_id INTEGER NOT NULL REFERENCES users(id),
  unit_code TEXT NOT NULL,
  PRIMARY KEY (user_id, unit_code)
) WITHOUT ROWID;
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
) WITHOUT ROWID;
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE TABLE form_invitations (
  token_hash TEXT PRIMARY KEY,
  unit_code TEXT NOT NULL,
  language TEXT NOT NULL,
  visit_type TEXT NOT NULL,
  age_group TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  answered_at INTEGER
) WITHOUT ROWID;
CREATE INDEX responses_answered_at ON responses (answered_at);
)sql",
    // 3: the SMS survey. Numbers only as keyed hashes, or sealed while a message is pending.
    R"sql(
CREATE TABLE sms_invitations (
  id INTEGER PRIMARY KEY,
  visit_id TEXT NOT NULL UNIQUE,
  unit_code TEXT NOT NULL,
  language TEXT NOT NULL,
  visit_type TEXT NOT NULL,
  age_group TEXT NOT NULL,
  phone_hash TEXT NOT NULL,
  visit_ended_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  closes_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status = 'open' OR status = 'answered' OR status = 'closed' OR status = 'skipped'),
  skip_reason TEXT NOT NULL DEFAULT '',
  answered_at INTEGER,
  comment_received INTEGER NOT NULL DEFAULT 0,
  clarification_sent INTEGER NOT NULL DEFAULT 0,
  closed_notice_sent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sms_invitations_phone ON sms_invitations (phone_hash, due_at);
CREATE INDEX sms_invitations_open ON sms_invitations (status, closes_at);
CREATE TABLE sms_messages (
  id INTEGER PRIMARY KEY,
  invitation_id INTEGER REFERENCES sms_invitations(id),
  kind TEXT NOT NULL,
  phone_hash TEXT NOT NULL,
  phone_sealed BLOB,
  language TEXT NOT NULL,
  text TEXT NOT NULL,
  not_before INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state = 'queued' OR state = 'sending' OR state = 'sent' OR state = 'unknown' OR state = 'failed' OR state = 'cancelled'),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  sent_at INTEGER,
  delivered_at INTEGER,
  last_delivery_report INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sms_messages_state ON sms_messages (state, not_before);
CREATE TABLE sms_opt_outs (
  phone_hash TEXT PRIMARY KEY,
  at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE sms_inbound (
  gateway_id TEXT PRIMARY KEY,
  phone_hash TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  invitation_id INTEGER
) WITHOUT ROWID;
)sql",
    // 4: what each comment is about (a bit set of themes), how it feels, and its language.
    R"sql(
ALTER TABLE responses ADD COLUMN themes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN sentiment TEXT;
ALTER TABLE responses ADD COLUMN comment_language TEXT;
)sql",
    // 5: scorecard indicator values that are reported, not measured (manual sources).
    R"sql(
CREATE TABLE scorecard_values (
  indicator_id TEXT NOT NULL,
  year INTEGER NOT NULL CHECK (year >= 2000 AND year <= 2100),
  value REAL NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (indicator_id, year)
) WITHOUT ROWID;
)sql",
    // 6: regional finance, and the finance role. SQLite cannot alter a CHECK, so users is
    // rebuilt under its own name with the same ids; user_units, sessions and api_tokens refer
    // to it by name and id, so they point at the new table unchanged. This needs foreign key
    // enforcement off (see Migrate), or dropping the old table would first delete its rows
    // and fail on every row that refers to them.
    // Periods are indexed where the key does not start with them, so that loading a year and
    // replacing a period are range scans. Months are text YYYY-MM, which sorts by date.
    R"sql(
CREATE TABLE users_v6 (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role = 'admin' OR role = 'analyst' OR role = 'manager' OR role = 'integration' OR role = 'finance'),
  password_hash TEXT NOT NULL DEFAULT '',
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO users_v6 (id, name, role, password_hash, failed_logins, locked_until, created_at)
  SELECT id, name, role, password_hash, failed_logins, locked_until, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_v6 RENAME TO users;

CREATE TABLE municipalities (
  code TEXT PRIMARY KEY CHECK (code GLOB '[0-9][0-9][0-9]'),
  name_fi TEXT NOT NULL,
  name_sv TEXT NOT NULL,
  payer TEXT NOT NULL,
  payer_name TEXT NOT NULL,
  valid_from TEXT,
  valid_to TEXT
) WITHOUT ROWID;
CREATE TABLE service_products (
  code TEXT PRIMARY KEY,
  name_fi TEXT NOT NULL,
  name_sv TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL
    CHECK (kind = 'visit' OR kind = 'bed_day' OR kind = 'procedure' OR kind = 'drg' OR kind = 'remote')
) WITHOUT ROWID;
CREATE TABLE product_prices (
  product TEXT NOT NULL REFERENCES service_products(code),
  year INTEGER NOT NULL CHECK (year >= 2000 AND year <= 2100),
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  PRIMARY KEY (product, year)
) WITHOUT ROWID;
CREATE INDEX product_prices_year ON product_prices (year);
CREATE TABLE population (
  municipality TEXT NOT NULL REFERENCES municipalities(code),
  year INTEGER NOT NULL CHECK (year >= 2000 AND year <= 2100),
  age_group INTEGER NOT NULL CHECK (age_group >= 0 AND age_group <= 5),
  residents INTEGER NOT NULL CHECK (residents >= 0),
  PRIMARY KEY (municipality, year, age_group)
) WITHOUT ROWID;
CREATE INDEX population_year ON population (year);
CREATE TABLE production (
  municipality TEXT NOT NULL REFERENCES municipalities(code),
  product TEXT NOT NULL REFERENCES service_products(code),
  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
  age_group INTEGER NOT NULL CHECK (age_group >= 0 AND age_group <= 5),
  volume INTEGER NOT NULL CHECK (volume >= 0),
  patients INTEGER NOT NULL CHECK (patients >= 0),
  PRIMARY KEY (municipality, product, month, age_group)
) WITHOUT ROWID;
CREATE INDEX production_month ON production (month);
CREATE TABLE patient_costs (
  id INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL,
  municipality TEXT NOT NULL REFERENCES municipalities(code),
  year INTEGER NOT NULL CHECK (year >= 2000 AND year <= 2100),
  cost_cents INTEGER NOT NULL CHECK (cost_cents >= 0)
);
CREATE INDEX patient_costs_year ON patient_costs (year, patient_id);
CREATE TABLE ledger (
  cost_centre TEXT NOT NULL REFERENCES units(code),
  account TEXT NOT NULL
    CHECK (account = 'personnel' OR account = 'materials' OR account = 'purchased_services'
      OR account = 'rents' OR account = 'depreciation' OR account = 'other'),
  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
  amount_cents INTEGER NOT NULL,
  PRIMARY KEY (cost_centre, account, month)
) WITHOUT ROWID;
CREATE INDEX ledger_month ON ledger (month);
CREATE TABLE need_coefficients (
  municipality TEXT NOT NULL REFERENCES municipalities(code),
  year INTEGER NOT NULL CHECK (year >= 2000 AND year <= 2100),
  coefficient REAL NOT NULL CHECK (coefficient > 0),
  PRIMARY KEY (municipality, year)
) WITHOUT ROWID;
CREATE INDEX need_coefficients_year ON need_coefficients (year);
)sql",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

template <typename E>
Result<E> ParseStoredEnum(std::string_view text, std::string_view column) {
  std::optional<E> value = ParseEnum<E>(text);
  if (!value) {
    return DataLossError(fmt::format("stored {} '{}' is not one this build knows", column, text));
  }
  return *value;
}

std::optional<std::string> OptionalDate(const std::optional<LocalDay>& day) {
  if (!day) return std::nullopt;
  return FormatLocalDate(*day);
}

// The years the schema's CHECKs accept. Rows are checked against them in code first, so that
// the message names the row rather than the constraint.
constexpr int kFirstYear = 2000;
constexpr int kLastYear = 2100;

Status CheckYear(int year) {
  if (year >= kFirstYear && year <= kLastYear) return Status::Ok();
  return InvalidArgumentError(
      fmt::format("year {} is not between {} and {}", year, kFirstYear, kLastYear));
}

// Months are stored as text so that they sort and range-scan by date; that holds only for
// exactly YYYY-MM with a real month.
Status CheckMonth(std::string_view month) {
  auto digits = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      if (month[i] < '0' || month[i] > '9') return false;
    }
    return true;
  };
  if (month.size() != 7 || month[4] != '-' || !digits(0, 4) || !digits(5, 7)) {
    return InvalidArgumentError(fmt::format("month '{}' is not YYYY-MM", month));
  }
  int number = (month[5] - '0') * 10 + (month[6] - '0');
  if (number < 1 || number > 12) {
    return InvalidArgumentError(
        fmt::format("month '{}' is not YYYY-MM with a month 01 to 12", month));
  }
  int year = 0;
  for (size_t i = 0; i < 4; ++i) year = year * 10 + (month[i] - '0');
  return CheckYear(year);
}

// The first and last month of a year as stored, for range scans over month text.
std::string FirstMonth(int year) { return fmt::format("{:04d}-01", year); }
std::string LastMonth(int year) { return fmt::format("{:04d}-12", year); }

// A rejected row: `name` says which ("production row 091/P1/2025-03/age group 2"), `why` what
// is wrong with it. Every write is one transaction, so a rejected row means nothing was stored.
Status RowError(std::string_view name, const Status& why) {
  return Status(why.code(), fmt::format("{}: {}; nothing was stored", name, why.message()));
}

// Empty means no date; stored as NULL.
Status CheckOptionalDate(std::string_view text) {
  if (text.empty()) return Status::Ok();
  Result<LocalDay> day = ParseLocalDate(text);
  return day.ok() ? Status::Ok() : day.status();
}

void BindOptionalText(Statement& statement, int index, std::string_view text) {
  if (text.empty()) statement.BindNull(index); else statement.BindText(index, text);
}

// An enumerator out of range would index past its name table in ToName.
template <typename E>
Status CheckEnum(E value) {
  if (static_cast<size_t>(value) < EnumCount<E>()) return Status::Ok();
  return InvalidArgumentError(fmt::format("{} {} is not one of {}", EnumTraits<E>::kWhat,
                                          static_cast<int>(value), AllowedNames<E>()));
}

void BindPeriod(Statement& statement, int index, int year) { statement.BindInt(index, year); }
void BindPeriod(Statement& statement, int index, const std::string& month) {
  statement.BindText(index, month);
}

// How one kind of periodic rows is replaced (SqliteStore::ReplacePeriods). Period is int for a
// year, std::string for a month.
template <typename Row, typename Period>
struct PeriodicTable {
  std::string_view table;
  std::string_view period_column;
  std::string_view insert_sql;
  // How messages name a row: its key ("production row 091/P1/2025-03/age group 2"), or, when
  // rows have no key and may repeat (keyed = false), its position.
  std::function<std::string(const Row&, size_t index)> name;
  bool keyed = true;
  std::function<Period(const Row&)> period;
  // What code checks before anything is written: periods, enumerations, references.
  std::function<Status(const Row&)> check;
  std::function<void(Statement&, const Row&)> bind;
};

// The codes of a table that rows refer to, read on first use. Checking them in code names the
// unknown code; a failing foreign key would not say which one (the keys stay as a backstop).
class KnownCodes {
 public:
  // `table` and `what` are fixed names from this file, never input.
  KnownCodes(sqlite3* db, std::string_view table, std::string_view what)
      : db_(db), table_(table), what_(what) {}

  Status Require(std::string_view code) {
    if (!loaded_) {
      ASSIGN_OR_RETURN(Statement select,
                       Statement::Prepare(db_, fmt::format("SELECT code FROM {}", table_)));
      while (true) {
        ASSIGN_OR_RETURN(bool row, select.Step());
        if (!row) break;
        codes_.emplace(select.ColumnText(0));
      }
      loaded_ = true;
    }
    if (codes_.find(code) != codes_.end()) return Status::Ok();
    return InvalidArgumentError(fmt::format("unknown {} '{}'", what_, code));
  }

 private:
  sqlite3* db_;
  std::string_view table_;
  std::string_view what_;
  bool loaded_ = false;
  std::set<std::string, std::less<>> codes_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override {
    // Statements must be finalised before the connection closes.
    insert_response_ = {};
    insert_scale_ = {};
    sqlite3_close_v2(db_);
  }

  Status Init() {
    sqlite3_busy_timeout(db_, 10000);
    RETURN_IF_ERROR(Exec(db_, "PRAGMA journal_mode=WAL"));
    RETURN_IF_ERROR(Exec(db_, "PRAGMA synchronous=FULL"));
    RETURN_IF_ERROR(Exec(db_, "PRAGMA foreign_keys=ON"));
    // 64 MiB of page cache: the default 2 MiB thrashes once the (source, external_id) index
    // outgrows it, and imports slow down several-fold.
    RETURN_IF_ERROR(Exec(db_, "PRAGMA cache_size=-65536"));
    RETURN_IF_ERROR(Migrate());
    ASSIGN_OR_RETURN(insert_response_, Statement::Prepare(db_, R"sql(
INSERT INTO responses (source, external_id, survey, unit_id, answered_at, channel, language,
                       visit_type, age_group, score, comment, themes, sentiment, comment_language)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
ON CONFLICT (source, external_id) DO NOTHING)sql"));
    ASSIGN_OR_RETURN(insert_scale_, Statement::Prepare(db_,
        "INSERT INTO response_scales (response_id, question, value) VALUES (?1, ?2, ?3)"));
    return Status::Ok();
  }

  int schema_version() const override { return version_; }

  Result<std::vector<Unit>> LoadUnits() override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, R"sql(
SELECT code, parent_code, kind, name_fi, name_sv, name_en, valid_from, valid_to, successor_code
FROM units ORDER BY id)sql"));
    std::vector<Unit> units;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      Unit unit;
      unit.code = select.ColumnText(0);
      unit.parent_code = select.ColumnText(1);
      ASSIGN_OR_RETURN(unit.kind, ParseStoredEnum<UnitKind>(select.ColumnText(2), "unit kind"));
      unit.name_fi = select.ColumnText(3);
      unit.name_sv = select.ColumnText(4);
      unit.name_en = select.ColumnText(5);
      if (!select.ColumnIsNull(6)) {
        ASSIGN_OR_RETURN(unit.valid_from, ParseLocalDate(select.ColumnText(6)));
      }
      if (!select.ColumnIsNull(7)) {
        ASSIGN_OR_RETURN(unit.valid_to, ParseLocalDate(select.ColumnText(7)));
      }
      unit.successor_code = select.ColumnText(8);
      units.push_back(std::move(unit));
    }
    return units;
  }

  Result<UnitWriteStats> UpsertUnits(const std::vector<Unit>& units) override {
    ASSIGN_OR_RETURN(std::vector<Unit> existing, LoadUnits());
    std::unordered_map<std::string, const Unit*> by_code;
    for (const Unit& unit : existing) by_code.emplace(unit.code, &unit);

    ASSIGN_OR_RETURN(Statement upsert, Statement::Prepare(db_, R"sql(
INSERT INTO units (code, parent_code, kind, name_fi, name_sv, name_en, valid_from, valid_to,
                   successor_code)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code, kind = excluded.kind,
  name_fi = excluded.name_fi, name_sv = excluded.name_sv, name_en = excluded.name_en,
  valid_from = excluded.valid_from, valid_to = excluded.valid_to,
  successor_code = excluded.successor_code)sql"));
    UnitWriteStats stats;
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    for (const Unit& unit : units) {
      auto found = by_code.find(unit.code);
      if (found != by_code.end() && *found->second == unit) {
        ++stats.unchanged;
        continue;
      }
      (found == by_code.end() ? stats.inserted : stats.updated)++;
      upsert.Reset();
      upsert.BindText(1, unit.code);
      if (unit.parent_code.empty()) upsert.BindNull(2); else upsert.BindText(2, unit.parent_code);
      upsert.BindText(3, ToName(unit.kind));
      upsert.BindText(4, unit.name_fi);
      upsert.BindText(5, unit.name_sv);
      upsert.BindText(6, unit.name_en);
      auto bind_optional = [&](int index, const std::optional<std::string>& text) {
        if (text) upsert.BindText(index, *text); else upsert.BindNull(index);
      };
      bind_optional(7, OptionalDate(unit.valid_from));
      bind_optional(8, OptionalDate(unit.valid_to));
      if (unit.successor_code.empty()) upsert.BindNull(9); else upsert.BindText(9, unit.successor_code);
      RETURN_IF_ERROR(upsert.Run().WithContext(fmt::format("storing unit '{}'", unit.code)));
    }
    RETURN_IF_ERROR(transaction.Commit());
    unit_ids_.clear();  // reloaded on the next insert
    return stats;
  }

  Result<ResponseWriteStats> InsertResponses(const std::vector<Response>& batch,
                                             std::vector<bool>* inserted) override {
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(ResponseWriteStats stats, InsertInTransaction(batch, inserted));
    RETURN_IF_ERROR(transaction.Commit());
    return stats;
  }

  Result<ResponseWriteStats> AnswerInvitation(std::string_view token_hash,
                                              const Response& response) override {
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(Statement close, Statement::Prepare(db_,
        "UPDATE form_invitations SET answered_at = ?2 WHERE token_hash = ?1 AND answered_at IS NULL"));
    close.BindText(1, token_hash);
    close.BindInt(2, response.answered_at);
    RETURN_IF_ERROR(close.Run());
    if (sqlite3_changes(db_) == 0) {
      return FailedPreconditionError("this feedback link has already been used");
    }
    ASSIGN_OR_RETURN(ResponseWriteStats stats, InsertInTransaction({response}, nullptr));
    RETURN_IF_ERROR(transaction.Commit());
    return stats;
  }

  using Store::ScanResponseFacts;
  Status ScanResponseFacts(int64_t after_id, int64_t up_to_id,
                           const std::function<Status(const ResponseFacts&)>& visit) override {
    std::unordered_map<int64_t, std::string> unit_codes;
    {
      ASSIGN_OR_RETURN(Statement units, Statement::Prepare(db_, "SELECT id, code FROM units"));
      while (true) {
        ASSIGN_OR_RETURN(bool row, units.Step());
        if (!row) break;
        unit_codes.emplace(units.ColumnInt(0), std::string(units.ColumnText(1)));
      }
    }
    // One read transaction so the scan sees one consistent snapshot.
    RETURN_IF_ERROR(Exec(db_, "BEGIN"));
    Status status = [&]() -> Status {
      ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, R"sql(
SELECT id, unit_id, survey, answered_at, channel, language, visit_type, age_group, score,
       themes, comment IS NOT NULL
FROM responses WHERE id > ?1 AND id <= ?2 ORDER BY id)sql"));
      select.BindInt(1, after_id);
      select.BindInt(2, up_to_id);
      ResponseFacts facts;
      int64_t cached_unit_id = -1;
      while (true) {
        ASSIGN_OR_RETURN(bool row, select.Step());
        if (!row) break;
        facts.id = select.ColumnInt(0);
        int64_t unit_id = select.ColumnInt(1);
        if (unit_id != cached_unit_id) {
          auto it = unit_codes.find(unit_id);
          if (it == unit_codes.end()) {
            return DataLossError(fmt::format("response {} refers to missing unit id {}",
                                             facts.id, unit_id));
          }
          facts.unit_code = it->second;
          cached_unit_id = unit_id;
        }
        ASSIGN_OR_RETURN(facts.survey, ParseStoredEnum<SurveyKind>(select.ColumnText(2), "survey"));
        facts.answered_at = select.ColumnInt(3);
        ASSIGN_OR_RETURN(facts.channel, ParseStoredEnum<Channel>(select.ColumnText(4), "channel"));
        ASSIGN_OR_RETURN(facts.language,
                         ParseStoredEnum<Language>(select.ColumnText(5), "language"));
        ASSIGN_OR_RETURN(facts.visit_type,
                         ParseStoredEnum<VisitType>(select.ColumnText(6), "visit type"));
        ASSIGN_OR_RETURN(facts.age_group,
                         ParseStoredEnum<AgeGroup>(select.ColumnText(7), "age group"));
        facts.score = static_cast<int8_t>(select.ColumnInt(8));
        facts.themes = static_cast<ThemeSet>(select.ColumnInt(9));
        facts.has_comment = select.ColumnInt(10) != 0;
        RETURN_IF_ERROR(visit(facts));
      }
      return Status::Ok();
    }();
    Exec(db_, "COMMIT").IgnoreError();  // read-only: nothing to lose if it fails
    return status;
  }

  Status ScanScaleAnswers(
      int64_t after_id, int64_t up_to_id,
      const std::function<Status(const StoredScaleAnswer&)>& visit) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, R"sql(
SELECT response_id, question, value FROM response_scales
WHERE response_id > ?1 AND response_id <= ?2 ORDER BY response_id, question)sql"));
    select.BindInt(1, after_id);
    select.BindInt(2, up_to_id);
    StoredScaleAnswer answer;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      answer.response_id = select.ColumnInt(0);
      answer.question = select.ColumnText(1);
      answer.value = static_cast<int8_t>(select.ColumnInt(2));
      RETURN_IF_ERROR(visit(answer));
    }
    return Status::Ok();
  }

  Result<int64_t> ResponseIdOf(std::string_view source, std::string_view external_id) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT id FROM responses WHERE source = ?1 AND external_id = ?2"));
    select.BindText(1, source);
    select.BindText(2, external_id);
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return NotFoundError(fmt::format("no response {}/{}", source, external_id));
    return select.ColumnInt(0);
  }

  Result<Response> GetResponse(std::string_view source, std::string_view external_id) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, R"sql(
SELECT r.id, r.survey, u.code, r.answered_at, r.channel, r.language, r.visit_type, r.age_group,
       r.score, r.comment, r.themes, r.sentiment, r.comment_language
FROM responses r JOIN units u ON u.id = r.unit_id
WHERE r.source = ?1 AND r.external_id = ?2)sql"));
    select.BindText(1, source);
    select.BindText(2, external_id);
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) {
      return NotFoundError(fmt::format("no response {}/{}", source, external_id));
    }
    Response r;
    r.source = source;
    r.external_id = external_id;
    int64_t id = select.ColumnInt(0);
    ASSIGN_OR_RETURN(r.survey, ParseStoredEnum<SurveyKind>(select.ColumnText(1), "survey"));
    r.unit_code = select.ColumnText(2);
    r.answered_at = select.ColumnInt(3);
    ASSIGN_OR_RETURN(r.channel, ParseStoredEnum<Channel>(select.ColumnText(4), "channel"));
    ASSIGN_OR_RETURN(r.language, ParseStoredEnum<Language>(select.ColumnText(5), "language"));
    ASSIGN_OR_RETURN(r.visit_type, ParseStoredEnum<VisitType>(select.ColumnText(6), "visit type"));
    ASSIGN_OR_RETURN(r.age_group, ParseStoredEnum<AgeGroup>(select.ColumnText(7), "age group"));
    r.score = static_cast<int8_t>(select.ColumnInt(8));
    if (!select.ColumnIsNull(9)) r.comment = std::string(select.ColumnText(9));
    r.themes = static_cast<ThemeSet>(select.ColumnInt(10));
    if (!select.ColumnIsNull(11)) {
      ASSIGN_OR_RETURN(r.sentiment, ParseStoredEnum<Sentiment>(select.ColumnText(11), "sentiment"));
    }
    if (!select.ColumnIsNull(12)) {
      ASSIGN_OR_RETURN(r.comment_language, ParseStoredEnum<Language>(select.ColumnText(12), "comment language"));
    }
    ASSIGN_OR_RETURN(Statement scales, Statement::Prepare(db_,
        "SELECT question, value FROM response_scales WHERE response_id = ?1 ORDER BY question"));
    scales.BindInt(1, id);
    while (true) {
      ASSIGN_OR_RETURN(bool more, scales.Step());
      if (!more) break;
      r.scales.push_back(ScaleAnswer{std::string(scales.ColumnText(0)),
                                     static_cast<int8_t>(scales.ColumnInt(1))});
    }
    return r;
  }

  Status ScanComments(int64_t after_id, const std::function<Status(const StoredComment&)>& visit) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT id, language, comment FROM responses WHERE id > ?1 AND comment IS NOT NULL ORDER BY id"));
    select.BindInt(1, after_id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      StoredComment c;
      c.response_id = select.ColumnInt(0);
      ASSIGN_OR_RETURN(c.language, ParseStoredEnum<Language>(select.ColumnText(1), "language"));
      c.text = select.ColumnText(2);
      RETURN_IF_ERROR(visit(c));
    }
    return Status::Ok();
  }

  Status UpdateCommentAnalyses(const std::vector<CommentAnalysisUpdate>& updates) override {
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(Statement update, Statement::Prepare(db_,
        "UPDATE responses SET themes = ?2, sentiment = ?3, comment_language = ?4 WHERE id = ?1"));
    for (const CommentAnalysisUpdate& u : updates) {
      update.Reset();
      update.BindInt(1, u.response_id);
      update.BindInt(2, u.themes);
      if (u.sentiment) update.BindText(3, ToName(*u.sentiment)); else update.BindNull(3);
      if (u.comment_language) update.BindText(4, ToName(*u.comment_language)); else update.BindNull(4);
      RETURN_IF_ERROR(update.Run());
    }
    return transaction.Commit();
  }

  Result<int64_t> MaxResponseId() override {
    ASSIGN_OR_RETURN(Statement max, Statement::Prepare(db_, "SELECT coalesce(max(id), 0) FROM responses"));
    ASSIGN_OR_RETURN(bool row, max.Step());
    (void)row;
    return max.ColumnInt(0);
  }

  Result<int64_t> CountResponses() override {
    ASSIGN_OR_RETURN(Statement count, Statement::Prepare(db_, "SELECT count(*) FROM responses"));
    ASSIGN_OR_RETURN(bool row, count.Step());
    (void)row;
    return count.ColumnInt(0);
  }

  Result<CommentPage> ListComments(const CommentQuery& query) override {
    // The filter is built from fixed fragments and bound parameters only.
    std::string where = "r.comment IS NOT NULL AND r.survey = ?8";
    if (!query.unit_codes.empty()) {
      where += " AND u.code IN (SELECT value FROM json_each(?1))";
    }
    if (query.from) where += " AND r.answered_at >= ?2";
    if (query.before) where += " AND r.answered_at < ?3";
    if (query.themes != 0) where += " AND (r.themes & ?6) != 0";
    if (query.sentiment) where += " AND r.sentiment = ?7";
    std::vector<std::string> words;
    {
      std::string word;
      for (char c : query.words + " ") {
        if (c == ' ' || c == '\t') {
          if (!word.empty()) words.push_back(word);
          word.clear();
        } else {
          word += c;
        }
      }
    }
    for (size_t i = 0; i < words.size() && i < 8; ++i) {
      where += fmt::format(" AND instr(lower(r.comment), lower(?{})) > 0", 10 + i);
    }
    auto bind = [&](Statement& st) {
      if (!query.unit_codes.empty()) {
        std::string list = "[";
        for (size_t i = 0; i < query.unit_codes.size(); ++i) {
          if (i) list += ",";
          list += "\"";
          for (char c : query.unit_codes[i]) {
            if (c == '"' || c == '\\') list += '\\';
            list += c;
          }
          list += "\"";
        }
        list += "]";
        st.BindText(1, list);
      }
      if (query.from) st.BindInt(2, *query.from);
      if (query.before) st.BindInt(3, *query.before);
      if (query.themes != 0) st.BindInt(6, query.themes);
      if (query.sentiment) st.BindText(7, ToName(*query.sentiment));
      st.BindText(8, ToName(query.survey));
      for (size_t i = 0; i < words.size() && i < 8; ++i) st.BindText(static_cast<int>(10 + i), words[i]);
    };
    CommentPage page;
    ASSIGN_OR_RETURN(Statement count, Statement::Prepare(db_,
        "SELECT count(*) FROM responses r JOIN units u ON u.id = r.unit_id WHERE " + where));
    bind(count);
    ASSIGN_OR_RETURN(bool any, count.Step());
    (void)any;
    page.total = count.ColumnInt(0);
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT r.answered_at, u.code, r.language, r.score, r.comment, r.themes, r.sentiment FROM responses r "
        "JOIN units u ON u.id = r.unit_id WHERE " + where +
        " ORDER BY r.answered_at DESC, r.id DESC LIMIT ?4 OFFSET ?5"));
    bind(select);
    select.BindInt(4, query.limit);
    select.BindInt(5, query.offset);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      CommentRow c;
      c.answered_at = select.ColumnInt(0);
      c.unit_code = select.ColumnText(1);
      ASSIGN_OR_RETURN(c.language, ParseStoredEnum<Language>(select.ColumnText(2), "language"));
      c.score = static_cast<int>(select.ColumnInt(3));
      c.text = select.ColumnText(4);
      c.themes = static_cast<ThemeSet>(select.ColumnInt(5));
      if (!select.ColumnIsNull(6)) {
        ASSIGN_OR_RETURN(c.sentiment, ParseStoredEnum<Sentiment>(select.ColumnText(6), "sentiment"));
      }
      page.rows.push_back(std::move(c));
    }
    return page;
  }

  Result<int64_t> CreateUser(const User& user) override {
    ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db_,
        "INSERT INTO users (name, role, password_hash) VALUES (?1, ?2, ?3)"));
    insert.BindText(1, user.name);
    insert.BindText(2, ToName(user.role));
    insert.BindText(3, user.password_hash);
    Status status = insert.Run();
    if (!status.ok()) {
      if (status.code() == StatusCode::kInvalidArgument) {
        return AlreadyExistsError(fmt::format("a user named '{}' already exists", user.name));
      }
      return status;
    }
    return sqlite3_last_insert_rowid(db_);
  }

  Result<User> GetUser(std::string_view name) override { return ReadUser("name = ?1", std::string(name), 0); }
  Result<User> GetUserById(int64_t id) override { return ReadUser("id = ?2", "", id); }

  Result<std::vector<User>> ListUsers() override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, "SELECT name FROM users ORDER BY name"));
    std::vector<std::string> names;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      names.emplace_back(select.ColumnText(0));
    }
    std::vector<User> users;
    for (const std::string& name : names) {
      ASSIGN_OR_RETURN(User user, GetUser(name));
      users.push_back(std::move(user));
    }
    return users;
  }

  Status SetPasswordHash(int64_t user_id, std::string_view hash) override {
    ASSIGN_OR_RETURN(Statement update, Statement::Prepare(db_,
        "UPDATE users SET password_hash = ?2, failed_logins = 0, locked_until = 0 WHERE id = ?1"));
    update.BindInt(1, user_id);
    update.BindText(2, hash);
    return update.Run();
  }

  Status SetLoginFailures(int64_t user_id, int failures, UnixSeconds locked_until) override {
    ASSIGN_OR_RETURN(Statement update, Statement::Prepare(db_,
        "UPDATE users SET failed_logins = ?2, locked_until = ?3 WHERE id = ?1"));
    update.BindInt(1, user_id);
    update.BindInt(2, failures);
    update.BindInt(3, locked_until);
    return update.Run();
  }

  Status GrantUnit(int64_t user_id, std::string_view unit_code) override {
    ASSIGN_OR_RETURN(Statement exists, Statement::Prepare(db_, "SELECT 1 FROM units WHERE code = ?1"));
    exists.BindText(1, unit_code);
    ASSIGN_OR_RETURN(bool found, exists.Step());
    if (!found) return NotFoundError(fmt::format("unknown unit code '{}'", unit_code));
    ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db_,
        "INSERT OR IGNORE INTO user_units (user_id, unit_code) VALUES (?1, ?2)"));
    insert.BindInt(1, user_id);
    insert.BindText(2, unit_code);
    return insert.Run();
  }

  Status CreateSession(std::string_view token_hash, const Session& session) override {
    ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db_,
        "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)"));
    insert.BindText(1, token_hash);
    insert.BindInt(2, session.user_id);
    insert.BindText(3, session.csrf_token);
    insert.BindInt(4, session.expires_at);
    return insert.Run();
  }

  Result<Session> GetSession(std::string_view token_hash) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = ?1"));
    select.BindText(1, token_hash);
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return NotFoundError("no such session");
    return Session{select.ColumnInt(0), std::string(select.ColumnText(1)), select.ColumnInt(2)};
  }

  Status DeleteSession(std::string_view token_hash) override {
    ASSIGN_OR_RETURN(Statement del, Statement::Prepare(db_, "DELETE FROM sessions WHERE token_hash = ?1"));
    del.BindText(1, token_hash);
    return del.Run();
  }

  Status CreateApiToken(std::string_view token_hash, int64_t user_id, std::string_view label) override {
    ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db_,
        "INSERT INTO api_tokens (token_hash, user_id, label) VALUES (?1, ?2, ?3)"));
    insert.BindText(1, token_hash);
    insert.BindInt(2, user_id);
    insert.BindText(3, label);
    return insert.Run();
  }

  Result<int64_t> GetApiTokenUser(std::string_view token_hash) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT user_id FROM api_tokens WHERE token_hash = ?1"));
    select.BindText(1, token_hash);
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return NotFoundError("no such API token");
    return select.ColumnInt(0);
  }

  Status AppendAudit(const AuditEntry& entry) override {
    ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db_,
        "INSERT INTO audit_log (at, user_name, action, detail) VALUES (?1, ?2, ?3, ?4)"));
    insert.BindInt(1, entry.at);
    insert.BindText(2, entry.user);
    insert.BindText(3, entry.action);
    insert.BindText(4, entry.detail);
    return insert.Run();
  }

  Result<std::vector<AuditEntry>> ListAudit(int64_t limit, int64_t offset) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT id, at, user_name, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1 OFFSET ?2"));
    select.BindInt(1, limit);
    select.BindInt(2, offset);
    std::vector<AuditEntry> entries;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      entries.push_back(AuditEntry{select.ColumnInt(0), select.ColumnInt(1), std::string(select.ColumnText(2)),
                                   std::string(select.ColumnText(3)), std::string(select.ColumnText(4))});
    }
    return entries;
  }

  Status CreateInvitation(const FormInvitation& inv) override {
    ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db_, R"sql(
INSERT INTO form_invitations (token_hash, unit_code, language, visit_type, age_group, created_at, expires_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7))sql"));
    insert.BindText(1, inv.token_hash);
    insert.BindText(2, inv.unit_code);
    insert.BindText(3, ToName(inv.language));
    insert.BindText(4, ToName(inv.visit_type));
    insert.BindText(5, ToName(inv.age_group));
    insert.BindInt(6, inv.created_at);
    insert.BindInt(7, inv.expires_at);
    return insert.Run();
  }


  // --- SMS survey ------------------------------------------------------------------------
  Result<int64_t> InsertSmsInvitations(const std::vector<SmsInvitation>& invitations,
                                       const std::vector<std::optional<SmsMessage>>& messages,
                                       std::vector<bool>* inserted) override {
    if (inserted) inserted->assign(invitations.size(), false);
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db_, R"sql(
INSERT INTO sms_invitations (visit_id, unit_code, language, visit_type, age_group, phone_hash,
  visit_ended_at, due_at, closes_at, status, skip_reason)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (visit_id) DO NOTHING)sql"));
    int64_t count = 0;
    for (size_t i = 0; i < invitations.size(); ++i) {
      const SmsInvitation& inv = invitations[i];
      insert.Reset();
      insert.BindText(1, inv.visit_id);
      insert.BindText(2, inv.unit_code);
      insert.BindText(3, ToName(inv.language));
      insert.BindText(4, ToName(inv.visit_type));
      insert.BindText(5, ToName(inv.age_group));
      insert.BindText(6, inv.phone_hash);
      insert.BindInt(7, inv.visit_ended_at);
      insert.BindInt(8, inv.due_at);
      insert.BindInt(9, inv.closes_at);
      insert.BindText(10, ToName(inv.status));
      insert.BindText(11, inv.skip_reason);
      RETURN_IF_ERROR(insert.Run().WithContext(fmt::format(
          "storing the invitation of visit '{}'; nothing of this batch was stored", inv.visit_id)));
      if (sqlite3_changes(db_) == 0) continue;
      ++count;
      if (inserted) (*inserted)[i] = true;
      if (i < messages.size() && messages[i]) {
        SmsMessage message = *messages[i];
        message.invitation_id = sqlite3_last_insert_rowid(db_);
        RETURN_IF_ERROR(InsertMessage(message));
      }
    }
    RETURN_IF_ERROR(transaction.Commit());
    return count;
  }

  Result<std::vector<SmsInvitation>> SmsInvitationsForPhone(std::string_view phone_hash) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, std::string(kInvitationColumns) +
        " WHERE phone_hash = ?1 AND status <> 'skipped' ORDER BY due_at DESC, id DESC"));
    select.BindText(1, phone_hash);
    std::vector<SmsInvitation> result;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(SmsInvitation inv, ReadInvitation(select));
      result.push_back(std::move(inv));
    }
    return result;
  }

  Result<SmsInvitation> GetSmsInvitation(std::string_view visit_id) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, std::string(kInvitationColumns) +
        " WHERE visit_id = ?1"));
    select.BindText(1, visit_id);
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return NotFoundError(fmt::format("no SMS invitation for visit '{}'", visit_id));
    return ReadInvitation(select);
  }

  Result<bool> IsOptedOut(std::string_view phone_hash) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT 1 FROM sms_opt_outs WHERE phone_hash = ?1"));
    select.BindText(1, phone_hash);
    return select.Step();
  }

  Result<int64_t> CloseExpiredSmsInvitations(UnixSeconds now) override {
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(Statement cancel, Statement::Prepare(db_, R"sql(
UPDATE sms_messages SET state = 'cancelled', phone_sealed = NULL, last_error = 'the invitation closed before it could be sent'
WHERE state = 'queued' AND invitation_id IN
  (SELECT id FROM sms_invitations WHERE status = 'open' AND closes_at <= ?1))sql"));
    cancel.BindInt(1, now);
    RETURN_IF_ERROR(cancel.Run());
    ASSIGN_OR_RETURN(Statement close, Statement::Prepare(db_,
        "UPDATE sms_invitations SET status = 'closed' WHERE status = 'open' AND closes_at <= ?1"));
    close.BindInt(1, now);
    RETURN_IF_ERROR(close.Run());
    int64_t closed = sqlite3_changes(db_);
    RETURN_IF_ERROR(transaction.Commit());
    return closed;
  }

  Result<std::vector<SmsMessage>> ClaimSmsMessages(UnixSeconds now, int limit) override {
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(Statement cancel, Statement::Prepare(db_, R"sql(
UPDATE sms_messages SET state = 'cancelled', phone_sealed = NULL,
  last_error = CASE WHEN phone_hash IN (SELECT phone_hash FROM sms_opt_outs)
                    THEN 'the number opted out' ELSE 'the invitation closed' END
WHERE state = 'queued' AND kind = 'invitation' AND not_before <= ?1 AND
  (phone_hash IN (SELECT phone_hash FROM sms_opt_outs) OR
   invitation_id IN (SELECT id FROM sms_invitations WHERE status <> 'open')))sql"));
    cancel.BindInt(1, now);
    RETURN_IF_ERROR(cancel.Run());
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, std::string(kMessageColumns) +
        " WHERE state = 'queued' AND not_before <= ?1 AND next_attempt_at <= ?1 ORDER BY id LIMIT ?2"));
    select.BindInt(1, now);
    select.BindInt(2, limit);
    std::vector<SmsMessage> claimed;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(SmsMessage message, ReadMessage(select));
      claimed.push_back(std::move(message));
    }
    ASSIGN_OR_RETURN(Statement mark, Statement::Prepare(db_,
        "UPDATE sms_messages SET state = 'sending', attempts = attempts + 1 WHERE id = ?1"));
    for (SmsMessage& message : claimed) {
      mark.Reset();
      mark.BindInt(1, message.id);
      RETURN_IF_ERROR(mark.Run());
      message.state = MessageState::kSending;
      ++message.attempts;
    }
    RETURN_IF_ERROR(transaction.Commit());
    return claimed;
  }

  Status FinishSmsMessage(int64_t id, MessageState state, UnixSeconds at, std::string_view error,
                          UnixSeconds next_attempt_at) override {
    const bool final_state = state != MessageState::kQueued;
    ASSIGN_OR_RETURN(Statement update, Statement::Prepare(db_, R"sql(
UPDATE sms_messages SET state = ?2, last_error = ?3, next_attempt_at = ?4,
  sent_at = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent_at END,
  phone_sealed = CASE WHEN ?6 THEN NULL ELSE phone_sealed END
WHERE id = ?1 AND state = 'sending')sql"));
    update.BindInt(1, id);
    update.BindText(2, ToName(state));
    update.BindText(3, error);
    update.BindInt(4, next_attempt_at);
    update.BindInt(5, at);
    update.BindInt(6, final_state ? 1 : 0);
    RETURN_IF_ERROR(update.Run());
    if (sqlite3_changes(db_) == 0) {
      return FailedPreconditionError(fmt::format("SMS message {} is not being sent", id));
    }
    return Status::Ok();
  }

  Result<int64_t> MarkInterruptedSmsUnknown() override {
    RETURN_IF_ERROR(Exec(db_, R"sql(
UPDATE sms_messages SET state = 'unknown', phone_sealed = NULL,
  last_error = 'Mittari stopped while handing this message to the gateway; it may or may not have been sent'
WHERE state = 'sending')sql"));
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  Status RecordSmsDelivery(int64_t message_id, int report_type, UnixSeconds at) override {
    ASSIGN_OR_RETURN(Statement update, Statement::Prepare(db_, R"sql(
UPDATE sms_messages SET last_delivery_report = ?2,
  delivered_at = CASE WHEN ?2 = 1 THEN ?3 ELSE delivered_at END
WHERE id = ?1)sql"));
    update.BindInt(1, message_id);
    update.BindInt(2, report_type);
    update.BindInt(3, at);
    RETURN_IF_ERROR(update.Run());
    if (sqlite3_changes(db_) == 0) return NotFoundError(fmt::format("no SMS message {}", message_id));
    return Status::Ok();
  }

  Result<SmsMessage> GetSmsMessage(int64_t id) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, std::string(kMessageColumns) +
        " WHERE id = ?1"));
    select.BindInt(1, id);
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return NotFoundError(fmt::format("no SMS message {}", id));
    return ReadMessage(select);
  }

  Result<bool> ApplySmsReply(const SmsReplyWrite& write) override {
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(Statement inbound, Statement::Prepare(db_, R"sql(
INSERT INTO sms_inbound (gateway_id, phone_hash, received_at, outcome, invitation_id)
VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (gateway_id) DO NOTHING)sql"));
    inbound.BindText(1, write.inbound.gateway_id);
    inbound.BindText(2, write.inbound.phone_hash);
    inbound.BindInt(3, write.inbound.received_at);
    inbound.BindText(4, write.inbound.outcome);
    if (write.inbound.invitation_id) inbound.BindInt(5, *write.inbound.invitation_id); else inbound.BindNull(5);
    RETURN_IF_ERROR(inbound.Run());
    if (sqlite3_changes(db_) == 0) return false;  // handled before; the transaction rolls back
    if (write.response) {
      ASSIGN_OR_RETURN(ResponseWriteStats stats, InsertInTransaction({*write.response}, nullptr));
      (void)stats;
    }
    if (write.append_comment && write.invitation) {
      ASSIGN_OR_RETURN(Statement append, Statement::Prepare(db_, R"sql(
UPDATE responses SET comment = CASE WHEN comment IS NULL OR comment = '' THEN ?2 ELSE comment || ' ' || ?2 END
WHERE source = 'sms' AND external_id = ?1)sql"));
      append.BindText(1, write.invitation->visit_id);
      append.BindText(2, *write.append_comment);
      RETURN_IF_ERROR(append.Run());
      if (write.comment_analysis) {
        const CommentAnalysisUpdate& a = *write.comment_analysis;
        ASSIGN_OR_RETURN(Statement analysed, Statement::Prepare(db_,
            "UPDATE responses SET themes = ?2, sentiment = ?3, comment_language = ?4 "
            "WHERE source = 'sms' AND external_id = ?1"));
        analysed.BindText(1, write.invitation->visit_id);
        analysed.BindInt(2, a.themes);
        if (a.sentiment) analysed.BindText(3, ToName(*a.sentiment)); else analysed.BindNull(3);
        if (a.comment_language) analysed.BindText(4, ToName(*a.comment_language)); else analysed.BindNull(4);
        RETURN_IF_ERROR(analysed.Run());
      }
    }
    if (write.invitation) {
      const SmsInvitation& inv = *write.invitation;
      ASSIGN_OR_RETURN(Statement update, Statement::Prepare(db_, R"sql(
UPDATE sms_invitations SET status = ?2, answered_at = ?3, comment_received = ?4,
  clarification_sent = ?5, closed_notice_sent = ?6 WHERE id = ?1)sql"));
      update.BindInt(1, inv.id);
      update.BindText(2, ToName(inv.status));
      if (inv.answered_at) update.BindInt(3, *inv.answered_at); else update.BindNull(3);
      update.BindInt(4, inv.comment_received);
      update.BindInt(5, inv.clarification_sent);
      update.BindInt(6, inv.closed_notice_sent);
      RETURN_IF_ERROR(update.Run());
    }
    if (write.opt_out) {
      ASSIGN_OR_RETURN(Statement opt_out, Statement::Prepare(db_,
          "INSERT INTO sms_opt_outs (phone_hash, at) VALUES (?1, ?2) ON CONFLICT DO NOTHING"));
      opt_out.BindText(1, write.inbound.phone_hash);
      opt_out.BindInt(2, write.inbound.received_at);
      RETURN_IF_ERROR(opt_out.Run());
      ASSIGN_OR_RETURN(Statement close, Statement::Prepare(db_,
          "UPDATE sms_invitations SET status = 'closed' WHERE phone_hash = ?1 AND status = 'open'"));
      close.BindText(1, write.inbound.phone_hash);
      RETURN_IF_ERROR(close.Run());
      ASSIGN_OR_RETURN(Statement cancel, Statement::Prepare(db_, R"sql(
UPDATE sms_messages SET state = 'cancelled', phone_sealed = NULL, last_error = 'the number opted out'
WHERE phone_hash = ?1 AND state = 'queued')sql"));
      cancel.BindText(1, write.inbound.phone_hash);
      RETURN_IF_ERROR(cancel.Run());
    }
    if (write.reply) RETURN_IF_ERROR(InsertMessage(*write.reply));
    RETURN_IF_ERROR(transaction.Commit());
    return true;
  }

  Result<int64_t> UpsertScorecardValues(const std::vector<ScorecardValue>& values, UnixSeconds now) override {
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(Statement upsert, Statement::Prepare(db_, R"sql(
INSERT INTO scorecard_values (indicator_id, year, value, updated_at) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (indicator_id, year) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
WHERE value <> excluded.value)sql"));
    int64_t changed = 0;
    for (const ScorecardValue& v : values) {
      upsert.Reset();
      upsert.BindText(1, v.indicator_id);
      upsert.BindInt(2, v.year);
      sqlite3_bind_double(upsert.handle(), 3, v.value);
      upsert.BindInt(4, now);
      RETURN_IF_ERROR(upsert.Run().WithContext(fmt::format("storing {} {}", v.indicator_id, v.year)));
      changed += sqlite3_changes(db_);
    }
    RETURN_IF_ERROR(transaction.Commit());
    return changed;
  }

  Result<std::vector<ScorecardValue>> ListScorecardValues() override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT indicator_id, year, value FROM scorecard_values ORDER BY indicator_id, year"));
    std::vector<ScorecardValue> values;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      values.push_back(ScorecardValue{std::string(select.ColumnText(0)), static_cast<int>(select.ColumnInt(1)),
                                      sqlite3_column_double(select.handle(), 2)});
    }
    return values;
  }

  // --- Regional finance --------------------------------------------------------------------
  Result<int64_t> UpsertMunicipalities(const std::vector<Municipality>& municipalities) override {
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(Statement upsert, Statement::Prepare(db_, R"sql(
INSERT INTO municipalities (code, name_fi, name_sv, payer, payer_name, valid_from, valid_to)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (code) DO UPDATE SET name_fi = excluded.name_fi, name_sv = excluded.name_sv,
  payer = excluded.payer, payer_name = excluded.payer_name, valid_from = excluded.valid_from,
  valid_to = excluded.valid_to
WHERE name_fi IS NOT excluded.name_fi OR name_sv IS NOT excluded.name_sv
  OR payer IS NOT excluded.payer OR payer_name IS NOT excluded.payer_name
  OR valid_from IS NOT excluded.valid_from OR valid_to IS NOT excluded.valid_to)sql"));
    int64_t changed = 0;
    for (const Municipality& m : municipalities) {
      std::string name = fmt::format("municipality '{}'", m.code);
      Status dates = CheckOptionalDate(m.valid_from);
      if (dates.ok()) dates = CheckOptionalDate(m.valid_to);
      if (!dates.ok()) return RowError(name, dates);
      upsert.Reset();
      upsert.BindText(1, m.code);
      upsert.BindText(2, m.name_fi);
      upsert.BindText(3, m.name_sv);
      upsert.BindText(4, m.payer);
      upsert.BindText(5, m.payer_name);
      BindOptionalText(upsert, 6, m.valid_from);
      BindOptionalText(upsert, 7, m.valid_to);
      if (Status stored = upsert.Run(); !stored.ok()) return RowError(name, stored);
      changed += sqlite3_changes(db_);  // 0 when the update's WHERE found nothing different
    }
    RETURN_IF_ERROR(transaction.Commit());
    return changed;
  }

  Result<std::vector<Municipality>> ListMunicipalities() override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, R"sql(
SELECT code, name_fi, name_sv, payer, payer_name, valid_from, valid_to
FROM municipalities ORDER BY code)sql"));
    std::vector<Municipality> municipalities;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      municipalities.push_back(Municipality{
          std::string(select.ColumnText(0)), std::string(select.ColumnText(1)),
          std::string(select.ColumnText(2)), std::string(select.ColumnText(3)),
          std::string(select.ColumnText(4)), std::string(select.ColumnText(5)),
          std::string(select.ColumnText(6))});
    }
    return municipalities;
  }

  Result<int64_t> UpsertProducts(const std::vector<ServiceProduct>& products) override {
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(int64_t changed, UpsertProductsInTransaction(products));
    RETURN_IF_ERROR(transaction.Commit());
    return changed;
  }

  Result<std::pair<int64_t, PeriodWriteStats>> ReplacePriceList(const std::vector<ServiceProduct>& products,
                                                                const std::vector<ProductPrice>& prices) override {
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(int64_t changed, UpsertProductsInTransaction(products));
    ASSIGN_OR_RETURN(PeriodWriteStats stats, ReplacePeriodsInTransaction(prices, PriceTable()));
    RETURN_IF_ERROR(transaction.Commit());
    return std::make_pair(changed, stats);
  }

  // The body of UpsertProducts, inside a transaction the caller owns.
  Result<int64_t> UpsertProductsInTransaction(const std::vector<ServiceProduct>& products) {
    ASSIGN_OR_RETURN(Statement upsert, Statement::Prepare(db_, R"sql(
INSERT INTO service_products (code, name_fi, name_sv, name_en, kind) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (code) DO UPDATE SET name_fi = excluded.name_fi, name_sv = excluded.name_sv,
  name_en = excluded.name_en, kind = excluded.kind
WHERE name_fi IS NOT excluded.name_fi OR name_sv IS NOT excluded.name_sv
  OR name_en IS NOT excluded.name_en OR kind IS NOT excluded.kind)sql"));
    int64_t changed = 0;
    for (const ServiceProduct& p : products) {
      std::string name = fmt::format("product '{}'", p.code);
      if (Status kind = CheckEnum(p.kind); !kind.ok()) return RowError(name, kind);
      upsert.Reset();
      upsert.BindText(1, p.code);
      upsert.BindText(2, p.name_fi);
      upsert.BindText(3, p.name_sv);
      upsert.BindText(4, p.name_en);
      upsert.BindText(5, ToName(p.kind));
      if (Status stored = upsert.Run(); !stored.ok()) return RowError(name, stored);
      changed += sqlite3_changes(db_);
    }
    return changed;
  }

  Result<std::vector<ServiceProduct>> ListProducts() override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT code, name_fi, name_sv, name_en, kind FROM service_products ORDER BY code"));
    std::vector<ServiceProduct> products;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      ServiceProduct p;
      p.code = select.ColumnText(0);
      p.name_fi = select.ColumnText(1);
      p.name_sv = select.ColumnText(2);
      p.name_en = select.ColumnText(3);
      ASSIGN_OR_RETURN(p.kind, ParseStoredEnum<ProductKind>(select.ColumnText(4), "product kind"));
      products.push_back(std::move(p));
    }
    return products;
  }

  Result<PeriodWriteStats> ReplacePopulation(const std::vector<PopulationRow>& rows) override {
    KnownCodes municipalities(db_, "municipalities", "municipality");
    return ReplacePeriods(rows, PeriodicTable<PopulationRow, int>{
        .table = "population",
        .period_column = "year",
        .insert_sql = "INSERT INTO population (municipality, year, age_group, residents) "
                      "VALUES (?1, ?2, ?3, ?4)",
        .name = [](const PopulationRow& r, size_t) {
          return fmt::format("population row {}/{}/age group {}", r.municipality, r.year,
                             r.age_group);
        },
        .period = [](const PopulationRow& r) { return r.year; },
        .check = [&](const PopulationRow& r) -> Status {
          RETURN_IF_ERROR(CheckYear(r.year));
          return municipalities.Require(r.municipality);
        },
        .bind = [](Statement& insert, const PopulationRow& r) {
          insert.BindText(1, r.municipality);
          insert.BindInt(2, r.year);
          insert.BindInt(3, r.age_group);
          insert.BindInt(4, r.residents);
        }});
  }

  Result<PeriodWriteStats> ReplacePrices(const std::vector<ProductPrice>& rows) override {
    return ReplacePeriods(rows, PriceTable());
  }

  // Prices check their products when the rows are checked, which in ReplacePriceList is after
  // the same transaction has stored the file's products.
  PeriodicTable<ProductPrice, int> PriceTable() {
    auto products = std::make_shared<KnownCodes>(db_, "service_products", "product");
    return PeriodicTable<ProductPrice, int>{
        .table = "product_prices",
        .period_column = "year",
        .insert_sql = "INSERT INTO product_prices (product, year, unit_price_cents) "
                      "VALUES (?1, ?2, ?3)",
        .name = [](const ProductPrice& r, size_t) {
          return fmt::format("price row {}/{}", r.product, r.year);
        },
        .period = [](const ProductPrice& r) { return r.year; },
        .check = [products](const ProductPrice& r) -> Status {
          RETURN_IF_ERROR(CheckYear(r.year));
          return products->Require(r.product);
        },
        .bind = [](Statement& insert, const ProductPrice& r) {
          insert.BindText(1, r.product);
          insert.BindInt(2, r.year);
          insert.BindInt(3, r.unit_price_cents);
        }};
  }

  Result<PeriodWriteStats> ReplaceProduction(const std::vector<ProductionRow>& rows) override {
    KnownCodes municipalities(db_, "municipalities", "municipality");
    KnownCodes products(db_, "service_products", "product");
    return ReplacePeriods(rows, PeriodicTable<ProductionRow, std::string>{
        .table = "production",
        .period_column = "month",
        .insert_sql = "INSERT INTO production (municipality, product, month, age_group, volume, "
                      "patients) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        .name = [](const ProductionRow& r, size_t) {
          return fmt::format("production row {}/{}/{}/age group {}", r.municipality, r.product,
                             r.month, r.age_group);
        },
        .period = [](const ProductionRow& r) { return r.month; },
        .check = [&](const ProductionRow& r) -> Status {
          RETURN_IF_ERROR(CheckMonth(r.month));
          RETURN_IF_ERROR(municipalities.Require(r.municipality));
          return products.Require(r.product);
        },
        .bind = [](Statement& insert, const ProductionRow& r) {
          insert.BindText(1, r.municipality);
          insert.BindText(2, r.product);
          insert.BindText(3, r.month);
          insert.BindInt(4, r.age_group);
          insert.BindInt(5, r.volume);
          insert.BindInt(6, r.patients);
        }});
  }

  Result<PeriodWriteStats> ReplacePatientCosts(const std::vector<PatientCostRow>& rows) override {
    KnownCodes municipalities(db_, "municipalities", "municipality");
    return ReplacePeriods(rows, PeriodicTable<PatientCostRow, int>{
        .table = "patient_costs",
        .period_column = "year",
        .insert_sql = "INSERT INTO patient_costs (patient_id, municipality, year, cost_cents) "
                      "VALUES (?1, ?2, ?3, ?4)",
        // By position: several lines per patient-year are normal, and the pseudonym is
        // better left out of messages that end up in logs.
        .name = [](const PatientCostRow& r, size_t index) {
          return fmt::format("patient cost row {} ({}/{})", index + 1, r.municipality, r.year);
        },
        .keyed = false,
        .period = [](const PatientCostRow& r) { return r.year; },
        .check = [&](const PatientCostRow& r) -> Status {
          RETURN_IF_ERROR(CheckYear(r.year));
          return municipalities.Require(r.municipality);
        },
        .bind = [](Statement& insert, const PatientCostRow& r) {
          insert.BindText(1, r.patient_id);
          insert.BindText(2, r.municipality);
          insert.BindInt(3, r.year);
          insert.BindInt(4, r.cost_cents);
        }});
  }

  Result<PeriodWriteStats> ReplaceLedger(const std::vector<LedgerRow>& rows) override {
    KnownCodes units(db_, "units", "cost centre");
    return ReplacePeriods(rows, PeriodicTable<LedgerRow, std::string>{
        .table = "ledger",
        .period_column = "month",
        .insert_sql = "INSERT INTO ledger (cost_centre, account, month, amount_cents) "
                      "VALUES (?1, ?2, ?3, ?4)",
        .name = [](const LedgerRow& r, size_t) {
          // Also names rows whose check failed, so an out-of-range account is named by
          // number rather than read past the name table.
          std::string account = CheckEnum(r.account).ok()
                                    ? std::string(ToName(r.account))
                                    : std::to_string(static_cast<int>(r.account));
          return fmt::format("ledger row {}/{}/{}", r.cost_centre, account, r.month);
        },
        .period = [](const LedgerRow& r) { return r.month; },
        .check = [&](const LedgerRow& r) -> Status {
          RETURN_IF_ERROR(CheckMonth(r.month));
          RETURN_IF_ERROR(CheckEnum(r.account));
          return units.Require(r.cost_centre);
        },
        .bind = [](Statement& insert, const LedgerRow& r) {
          insert.BindText(1, r.cost_centre);
          insert.BindText(2, ToName(r.account));
          insert.BindText(3, r.month);
          insert.BindInt(4, r.amount_cents);
        }});
  }

  Result<PeriodWriteStats> ReplaceNeedCoefficients(
      const std::vector<NeedCoefficientRow>& rows) override {
    KnownCodes municipalities(db_, "municipalities", "municipality");
    return ReplacePeriods(rows, PeriodicTable<NeedCoefficientRow, int>{
        .table = "need_coefficients",
        .period_column = "year",
        .insert_sql = "INSERT INTO need_coefficients (municipality, year, coefficient) "
                      "VALUES (?1, ?2, ?3)",
        .name = [](const NeedCoefficientRow& r, size_t) {
          return fmt::format("need coefficient row {}/{}", r.municipality, r.year);
        },
        .period = [](const NeedCoefficientRow& r) { return r.year; },
        .check = [&](const NeedCoefficientRow& r) -> Status {
          RETURN_IF_ERROR(CheckYear(r.year));
          // The CHECK catches zero and negatives, but infinity passes it and NaN binds as NULL.
          if (!std::isfinite(r.coefficient) || r.coefficient <= 0) {
            return InvalidArgumentError(
                fmt::format("coefficient {} is not a positive number", r.coefficient));
          }
          return municipalities.Require(r.municipality);
        },
        .bind = [](Statement& insert, const NeedCoefficientRow& r) {
          insert.BindText(1, r.municipality);
          insert.BindInt(2, r.year);
          sqlite3_bind_double(insert.handle(), 3, r.coefficient);
        }});
  }

  Result<std::vector<PopulationRow>> LoadPopulation(int year) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, R"sql(
SELECT municipality, year, age_group, residents FROM population WHERE year = ?1
ORDER BY municipality, age_group)sql"));
    select.BindInt(1, year);
    std::vector<PopulationRow> rows;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      rows.push_back(PopulationRow{std::string(select.ColumnText(0)),
                                   static_cast<int>(select.ColumnInt(1)),
                                   static_cast<int>(select.ColumnInt(2)), select.ColumnInt(3)});
    }
    return rows;
  }

  Result<std::vector<ProductPrice>> LoadPrices(int year) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT product, year, unit_price_cents FROM product_prices WHERE year = ?1 "
        "ORDER BY product"));
    select.BindInt(1, year);
    std::vector<ProductPrice> rows;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      rows.push_back(ProductPrice{std::string(select.ColumnText(0)),
                                  static_cast<int>(select.ColumnInt(1)), select.ColumnInt(2)});
    }
    return rows;
  }

  Result<std::vector<ProductionRow>> LoadProduction(int year) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, R"sql(
SELECT municipality, product, month, age_group, volume, patients FROM production
WHERE month BETWEEN ?1 AND ?2 ORDER BY municipality, product, month, age_group)sql"));
    select.BindText(1, FirstMonth(year));
    select.BindText(2, LastMonth(year));
    std::vector<ProductionRow> rows;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      rows.push_back(ProductionRow{std::string(select.ColumnText(0)),
                                   std::string(select.ColumnText(1)),
                                   std::string(select.ColumnText(2)),
                                   static_cast<int>(select.ColumnInt(3)), select.ColumnInt(4),
                                   select.ColumnInt(5)});
    }
    return rows;
  }

  Result<std::vector<PatientCostRow>> LoadPatientCosts(int year) override {
    // A patient's lines in the order they were imported.
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, R"sql(
SELECT patient_id, municipality, year, cost_cents FROM patient_costs WHERE year = ?1
ORDER BY patient_id, id)sql"));
    select.BindInt(1, year);
    std::vector<PatientCostRow> rows;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      rows.push_back(PatientCostRow{std::string(select.ColumnText(0)),
                                    std::string(select.ColumnText(1)),
                                    static_cast<int>(select.ColumnInt(2)), select.ColumnInt(3)});
    }
    return rows;
  }

  Result<std::vector<LedgerRow>> LoadLedger(int year) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, R"sql(
SELECT cost_centre, account, month, amount_cents FROM ledger
WHERE month BETWEEN ?1 AND ?2 ORDER BY cost_centre, account, month)sql"));
    select.BindText(1, FirstMonth(year));
    select.BindText(2, LastMonth(year));
    std::vector<LedgerRow> rows;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      LedgerRow r;
      r.cost_centre = select.ColumnText(0);
      ASSIGN_OR_RETURN(r.account, ParseStoredEnum<LedgerAccount>(select.ColumnText(1), "account"));
      r.month = select.ColumnText(2);
      r.amount_cents = select.ColumnInt(3);
      rows.push_back(std::move(r));
    }
    return rows;
  }

  Result<std::vector<NeedCoefficientRow>> LoadNeedCoefficients(int year) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT municipality, year, coefficient FROM need_coefficients WHERE year = ?1 "
        "ORDER BY municipality"));
    select.BindInt(1, year);
    std::vector<NeedCoefficientRow> rows;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      rows.push_back(NeedCoefficientRow{std::string(select.ColumnText(0)),
                                        static_cast<int>(select.ColumnInt(1)),
                                        sqlite3_column_double(select.handle(), 2)});
    }
    return rows;
  }

  Result<std::vector<int>> ProductionYears() override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        "SELECT DISTINCT CAST(substr(month, 1, 4) AS INTEGER) FROM production ORDER BY 1"));
    std::vector<int> years;
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      years.push_back(static_cast<int>(select.ColumnInt(0)));
    }
    return years;
  }

  Result<SmsCounts> CountSms() override {
    SmsCounts counts;
    auto group = [&](const char* sql, std::vector<std::pair<std::string, int64_t>>* out) -> Status {
      ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, sql));
      while (true) {
        ASSIGN_OR_RETURN(bool row, select.Step());
        if (!row) break;
        out->emplace_back(std::string(select.ColumnText(0)), select.ColumnInt(1));
      }
      return Status::Ok();
    };
    RETURN_IF_ERROR(group("SELECT status, count(*) FROM sms_invitations GROUP BY 1 ORDER BY 1", &counts.invitations));
    RETURN_IF_ERROR(group("SELECT kind || '/' || state, count(*) FROM sms_messages GROUP BY 1 ORDER BY 1", &counts.messages));
    RETURN_IF_ERROR(group("SELECT outcome, count(*) FROM sms_inbound GROUP BY 1 ORDER BY 1", &counts.inbound));
    ASSIGN_OR_RETURN(Statement opted, Statement::Prepare(db_,
        "SELECT (SELECT count(*) FROM sms_opt_outs), (SELECT count(*) FROM sms_messages WHERE phone_sealed IS NOT NULL)"));
    ASSIGN_OR_RETURN(bool row, opted.Step());
    (void)row;
    counts.opted_out = opted.ColumnInt(0);
    counts.sealed_phones = opted.ColumnInt(1);
    return counts;
  }

  Result<FormInvitation> GetInvitation(std::string_view token_hash) override {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, R"sql(
SELECT unit_code, language, visit_type, age_group, created_at, expires_at, answered_at
FROM form_invitations WHERE token_hash = ?1)sql"));
    select.BindText(1, token_hash);
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return NotFoundError("no such feedback link");
    FormInvitation inv;
    inv.token_hash = token_hash;
    inv.unit_code = select.ColumnText(0);
    ASSIGN_OR_RETURN(inv.language, ParseStoredEnum<Language>(select.ColumnText(1), "language"));
    ASSIGN_OR_RETURN(inv.visit_type, ParseStoredEnum<VisitType>(select.ColumnText(2), "visit type"));
    ASSIGN_OR_RETURN(inv.age_group, ParseStoredEnum<AgeGroup>(select.ColumnText(3), "age group"));
    inv.created_at = select.ColumnInt(4);
    inv.expires_at = select.ColumnInt(5);
    if (!select.ColumnIsNull(6)) inv.answered_at = select.ColumnInt(6);
    return inv;
  }

 private:
  static constexpr const char* kInvitationColumns = R"sql(
SELECT id, visit_id, unit_code, language, visit_type, age_group, phone_hash, visit_ended_at, due_at,
  closes_at, status, skip_reason, answered_at, comment_received, clarification_sent, closed_notice_sent
FROM sms_invitations)sql";

  static Result<SmsInvitation> ReadInvitation(const Statement& row) {
    SmsInvitation inv;
    inv.id = row.ColumnInt(0);
    inv.visit_id = row.ColumnText(1);
    inv.unit_code = row.ColumnText(2);
    ASSIGN_OR_RETURN(inv.language, ParseStoredEnum<Language>(row.ColumnText(3), "language"));
    ASSIGN_OR_RETURN(inv.visit_type, ParseStoredEnum<VisitType>(row.ColumnText(4), "visit type"));
    ASSIGN_OR_RETURN(inv.age_group, ParseStoredEnum<AgeGroup>(row.ColumnText(5), "age group"));
    inv.phone_hash = row.ColumnText(6);
    inv.visit_ended_at = row.ColumnInt(7);
    inv.due_at = row.ColumnInt(8);
    inv.closes_at = row.ColumnInt(9);
    ASSIGN_OR_RETURN(inv.status, ParseStoredEnum<InvitationStatus>(row.ColumnText(10), "invitation status"));
    inv.skip_reason = row.ColumnText(11);
    if (!row.ColumnIsNull(12)) inv.answered_at = row.ColumnInt(12);
    inv.comment_received = row.ColumnInt(13) != 0;
    inv.clarification_sent = row.ColumnInt(14) != 0;
    inv.closed_notice_sent = row.ColumnInt(15) != 0;
    return inv;
  }

  static constexpr const char* kMessageColumns = R"sql(
SELECT id, invitation_id, kind, phone_hash, phone_sealed, language, text, not_before, state, attempts,
  next_attempt_at, last_error, sent_at, delivered_at, last_delivery_report
FROM sms_messages)sql";

  static Result<SmsMessage> ReadMessage(const Statement& row) {
    SmsMessage m;
    m.id = row.ColumnInt(0);
    if (!row.ColumnIsNull(1)) m.invitation_id = row.ColumnInt(1);
    m.kind = row.ColumnText(2);
    m.phone_hash = row.ColumnText(3);
    m.phone_sealed = row.ColumnBlob(4);
    ASSIGN_OR_RETURN(m.language, ParseStoredEnum<Language>(row.ColumnText(5), "language"));
    m.text = row.ColumnText(6);
    m.not_before = row.ColumnInt(7);
    ASSIGN_OR_RETURN(m.state, ParseStoredEnum<MessageState>(row.ColumnText(8), "message state"));
    m.attempts = static_cast<int>(row.ColumnInt(9));
    m.next_attempt_at = row.ColumnInt(10);
    m.last_error = row.ColumnText(11);
    if (!row.ColumnIsNull(12)) m.sent_at = row.ColumnInt(12);
    if (!row.ColumnIsNull(13)) m.delivered_at = row.ColumnInt(13);
    m.last_delivery_report = static_cast<int>(row.ColumnInt(14));
    return m;
  }

  Status InsertMessage(const SmsMessage& m) {
    ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db_, R"sql(
INSERT INTO sms_messages (invitation_id, kind, phone_hash, phone_sealed, language, text, not_before, state)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued'))sql"));
    if (m.invitation_id) insert.BindInt(1, *m.invitation_id); else insert.BindNull(1);
    insert.BindText(2, m.kind);
    insert.BindText(3, m.phone_hash);
    insert.BindBlob(4, m.phone_sealed);
    insert.BindText(5, ToName(m.language));
    insert.BindText(6, m.text);
    insert.BindInt(7, m.not_before);
    return insert.Run().WithContext(fmt::format("queueing an SMS ({})", m.kind));
  }

  // Period replacement (Store::ReplacePopulation and the rest) for one kind of rows, in one
  // durable transaction. Every row is checked before the first delete, so that a bad row
  // costs no work and the message names that row rather than whichever statement failed.
  template <typename Row, typename Period>
  Result<PeriodWriteStats> ReplacePeriods(const std::vector<Row>& rows,
                                          const PeriodicTable<Row, Period>& spec) {
    if (rows.empty()) return PeriodWriteStats{};
    Transaction transaction(db_);
    RETURN_IF_ERROR(transaction.Begin());
    ASSIGN_OR_RETURN(PeriodWriteStats stats, ReplacePeriodsInTransaction(rows, spec));
    RETURN_IF_ERROR(transaction.Commit());
    return stats;
  }

  // The body of ReplacePeriods, inside a transaction the caller owns.
  template <typename Row, typename Period>
  Result<PeriodWriteStats> ReplacePeriodsInTransaction(const std::vector<Row>& rows,
                                                       const PeriodicTable<Row, Period>& spec) {
    PeriodWriteStats stats;
    if (rows.empty()) return stats;
    std::set<Period> periods;
    std::unordered_set<std::string> keys;
    for (size_t i = 0; i < rows.size(); ++i) {
      const Row& row = rows[i];
      if (Status valid = spec.check(row); !valid.ok()) return RowError(spec.name(row, i), valid);
      if (spec.keyed && !keys.insert(spec.name(row, i)).second) {
        return InvalidArgumentError(
            fmt::format("{} repeats a key; nothing was stored", spec.name(row, i)));
      }
      periods.insert(spec.period(row));
    }
    ASSIGN_OR_RETURN(Statement remove, Statement::Prepare(db_, fmt::format(
        "DELETE FROM {} WHERE {} = ?1", spec.table, spec.period_column)));
    for (const Period& period : periods) {
      remove.Reset();
      BindPeriod(remove, 1, period);
      if (Status removed = remove.Run(); !removed.ok()) {
        return RowError(fmt::format("replacing {} {}", spec.table, period), removed);
      }
      stats.rows_removed += sqlite3_changes(db_);
    }
    stats.periods = static_cast<int64_t>(periods.size());
    ASSIGN_OR_RETURN(Statement insert, Statement::Prepare(db_, spec.insert_sql));
    for (size_t i = 0; i < rows.size(); ++i) {
      insert.Reset();
      spec.bind(insert, rows[i]);
      if (Status stored = insert.Run(); !stored.ok()) {
        return RowError(spec.name(rows[i], i), stored);
      }
      ++stats.rows_inserted;
    }
    return stats;
  }

  Result<User> ReadUser(const char* condition, const std::string& name, int64_t id) {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_,
        std::string("SELECT id, name, role, password_hash, failed_logins, locked_until FROM users WHERE ") + condition));
    if (!name.empty()) select.BindText(1, name);
    if (id != 0) select.BindInt(2, id);
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return NotFoundError(name.empty() ? fmt::format("no user with id {}", id)
                                                : fmt::format("no user named '{}'", name));
    User user;
    user.id = select.ColumnInt(0);
    user.name = select.ColumnText(1);
    ASSIGN_OR_RETURN(user.role, ParseStoredEnum<Role>(select.ColumnText(2), "role"));
    user.password_hash = select.ColumnText(3);
    user.failed_logins = static_cast<int>(select.ColumnInt(4));
    user.locked_until = select.ColumnInt(5);
    ASSIGN_OR_RETURN(Statement units, Statement::Prepare(db_,
        "SELECT unit_code FROM user_units WHERE user_id = ?1 ORDER BY unit_code"));
    units.BindInt(1, user.id);
    while (true) {
      ASSIGN_OR_RETURN(bool more, units.Step());
      if (!more) break;
      user.unit_codes.emplace_back(units.ColumnText(0));
    }
    return user;
  }

  Status Migrate() {
    RETURN_IF_ERROR(Exec(db_,
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"));
    {
      // Scoped: a statement left mid-read makes DROP TABLE fail with "table is locked".
      ASSIGN_OR_RETURN(Statement current, Statement::Prepare(db_,
          "SELECT coalesce(max(version), 0) FROM schema_migrations"));
      ASSIGN_OR_RETURN(bool row, current.Step());
      (void)row;
      version_ = static_cast<int>(current.ColumnInt(0));
    }
    if (version_ > kSchemaVersion) {
      return FailedPreconditionError(fmt::format(
          "the database is at schema version {}, newer than this build's {}; use a newer "
          "mittari", version_, kSchemaVersion));
    }
    if (version_ == kSchemaVersion) return Status::Ok();
    // A migration that rebuilds a table (6 rebuilds users) drops the old one, and with foreign
    // keys enforced that drop first deletes every row and fails on the rows referring to them.
    // So migrations run unenforced, and each proves before committing that it broke no
    // reference. The pragma is a no-op inside a transaction, hence here around the loop.
    RETURN_IF_ERROR(Exec(db_, "PRAGMA foreign_keys=OFF"));
    Status migrated = ApplyMigrations();
    Status enforced = Exec(db_, "PRAGMA foreign_keys=ON");
    RETURN_IF_ERROR(migrated);
    return enforced;
  }

  Status ApplyMigrations() {
    while (version_ < kSchemaVersion) {
      const int next = version_ + 1;
      Transaction transaction(db_);
      RETURN_IF_ERROR(transaction.Begin());
      RETURN_IF_ERROR(Exec(db_, kMigrations[version_])
                          .WithContext(fmt::format("migrating to schema {}", next)));
      RETURN_IF_ERROR(CheckForeignKeys().WithContext(fmt::format("migrating to schema {}", next)));
      RETURN_IF_ERROR(Exec(db_, fmt::format("INSERT INTO schema_migrations (version) VALUES ({})",
                                            next)));
      RETURN_IF_ERROR(transaction.Commit());
      version_ = next;
    }
    return Status::Ok();
  }

  // The whole database, not only what the migration touched: with enforcement off, nothing
  // else vouches for it, and an upgrade is the one time this scan is paid.
  Status CheckForeignKeys() {
    ASSIGN_OR_RETURN(Statement check, Statement::Prepare(db_, "PRAGMA foreign_key_check"));
    ASSIGN_OR_RETURN(bool broken, check.Step());
    if (!broken) return Status::Ok();
    std::string rowid = check.ColumnIsNull(1) ? "" : fmt::format(" (rowid {})", check.ColumnInt(1));
    return DataLossError(fmt::format(
        "a row of {}{} refers to a row of {} that does not exist; the migration was rolled back",
        check.ColumnText(0), rowid, check.ColumnText(2)));
  }

  // The body of InsertResponses, inside a transaction the caller owns.
  Result<ResponseWriteStats> InsertInTransaction(const std::vector<Response>& batch,
                                                 std::vector<bool>* inserted) {
    ResponseWriteStats stats;
    if (inserted) inserted->assign(batch.size(), false);
    if (unit_ids_.empty()) RETURN_IF_ERROR(LoadUnitIds());
    for (size_t i = 0; i < batch.size(); ++i) {
      const Response& r = batch[i];
      Statement& insert = insert_response_;
      insert.Reset();
      insert.BindText(1, r.source);
      insert.BindText(2, r.external_id);
      insert.BindText(3, ToName(r.survey));
      auto unit_id = unit_ids_.find(r.unit_code);
      if (unit_id == unit_ids_.end()) {
        return InvalidArgumentError(fmt::format(
            "response {}/{} has unknown unit '{}'; nothing of this batch was stored", r.source,
            r.external_id, r.unit_code));
      }
      insert.BindInt(4, unit_id->second);
      insert.BindInt(5, r.answered_at);
      insert.BindText(6, ToName(r.channel));
      insert.BindText(7, ToName(r.language));
      insert.BindText(8, ToName(r.visit_type));
      insert.BindText(9, ToName(r.age_group));
      insert.BindInt(10, r.score);
      if (r.comment) insert.BindText(11, *r.comment); else insert.BindNull(11);
      insert.BindInt(12, r.themes);
      if (r.sentiment) insert.BindText(13, ToName(*r.sentiment)); else insert.BindNull(13);
      if (r.comment_language) insert.BindText(14, ToName(*r.comment_language)); else insert.BindNull(14);
      Status status = insert.Run();
      if (!status.ok()) {
        if (status.code() == StatusCode::kInvalidArgument) {
          return InvalidArgumentError(fmt::format(
              "response {}/{} (unit '{}') violates a constraint: {}; nothing of this batch was "
              "stored", r.source, r.external_id, r.unit_code, status.message()));
        }
        return status.WithContext("storing responses; nothing of this batch was stored");
      }
      if (sqlite3_changes(db_) == 0) {
        ++stats.duplicates;
        continue;
      }
      ++stats.inserted;
      if (inserted) (*inserted)[i] = true;
      int64_t response_id = sqlite3_last_insert_rowid(db_);
      for (const ScaleAnswer& scale : r.scales) {
        insert_scale_.Reset();
        insert_scale_.BindInt(1, response_id);
        insert_scale_.BindText(2, scale.question);
        insert_scale_.BindInt(3, scale.value);
        RETURN_IF_ERROR(insert_scale_.Run().WithContext(fmt::format(
            "storing scale answer '{}' of response {}/{}", scale.question, r.source,
            r.external_id)));
      }
    }
    return stats;
  }

  // Resolving unit codes here rather than with a subquery in the INSERT: SQLite builds an
  // ephemeral table for that subquery on every row, which made inserts several times slower.
  Status LoadUnitIds() {
    ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db_, "SELECT code, id FROM units"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      unit_ids_.emplace(std::string(select.ColumnText(0)), select.ColumnInt(1));
    }
    return Status::Ok();
  }

  sqlite3* db_;
  int version_ = 0;
  std::unordered_map<std::string, int64_t> unit_ids_;
  Statement insert_response_;
  Statement insert_scale_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create_if_missing) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return UnavailableError(fmt::format("cannot open database '{}': {}{}", path, reason,
                                        options.create_if_missing
                                            ? ""
                                            : " (create it with `mittari demo` or an import)"));
  }
  auto store = std::make_unique<SqliteStore>(db);
  Status status = store->Init();
  if (!status.ok()) return status.WithContext(fmt::format("opening database '{}'", path));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace mittari
