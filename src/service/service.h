// File: service/service.h
//
// The application: owns the store and the analytics engine and offers the use-cases that the
// faces (the CLI now, the HTTP API later) call. Faces parse their input, call one method here
// and render the report::Table they get back, so the CLI's `--format json` and the API's JSON
// are the same rows.
//
// The engine is loaded from the store on first use and then follows it by appending what was
// committed after the rows it has (CatchUp), never by reloading everything.
//
// Thread-safe: reports share the engine under a reader lock; writes take the writer lock; the
// store (one SQLite connection) is used under its own mutex. Lock order: engine, then store.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/compare.h"
#include "model/access.h"

#include "analytics/engine.h"
#include "common/config.h"
#include "common/status.h"
#include "model/sms.h"
#include "ingest/csv_import.h"
#include "ingest/pipeline.h"
#include "regional/definition.h"
#include "report/report.h"
#include "scorecard/definition.h"
#include "scorecard/status.h"
#include "sms/kannel_client.h"
#include "sms/phone_vault.h"
#include "store/store.h"
#include "text/analyzer.h"

namespace mittari {

// A report request in the words a user types: the CLI flags and, later, the URL parameters.
struct ReportRequest {
  std::optional<std::string> unit;   // subtree
  std::optional<std::string> from;   // YYYY-MM-DD, inclusive local date
  std::optional<std::string> to;     // YYYY-MM-DD, inclusive local date
  std::vector<std::string> by;       // dimension names
  std::vector<std::string> where;    // "dimension=value[,value…]"
  int min_n = kDefaultMinN;
  bool current_structure = true;
  std::string names_language = "fi";  // language of unit names in the output
};

// Who is asking: the result of authenticating a session cookie or an API token.
struct Principal {
  int64_t user_id = 0;
  std::string name;
  Role role = Role::kAnalyst;
  std::vector<std::string> unit_codes;  // manager's subtree roots
  std::string csrf_token;               // sessions only
};

struct AccessPolicy {
  int max_failed_logins = 5;           // then the account is locked
  UnixSeconds lockout_seconds = 15 * 60;
  UnixSeconds session_seconds = 8 * 3600;
  int min_n_comments = 20;             // fewer comments in a filter: none are shown
};

struct LoginResult {
  std::string session_token;  // the cookie value; only its hash is stored
  Principal principal;
};

struct CommentsRequest {
  std::optional<std::string> unit;
  std::optional<std::string> from;  // YYYY-MM-DD inclusive local dates
  std::optional<std::string> to;
  std::string words;
  std::vector<std::string> themes;       // any of these themes (names); empty: all
  std::optional<std::string> sentiment;  // positive, negative, neutral or mixed
  std::string survey = "patient";        // or "employee": staff comments need the staff minimum too
  int64_t page = 1;
  int64_t page_size = 50;
};

struct CommentsResult {
  int64_t total = 0;          // comments matching; 0 when suppressed
  bool suppressed = false;    // fewer than min_n_comments: none shown
  std::vector<CommentRow> rows;
};

// One answer as the API receives it, after JSON parsing, with its position in the request.
struct SubmitOutcome {
  int64_t created = 0;
  int64_t duplicates = 0;
  std::vector<bool> inserted;  // per accepted response, in order
};

struct DemoRequest {
  int64_t responses = 600000;
  uint64_t seed = 1;
  bool staff_survey = false;  // also the staff survey (eNPS) 2023–2025
  std::function<void(int64_t done, int64_t total)> on_progress;
};

// What one round of the SMS dispatcher did.
struct SmsDispatchStats {
  int64_t closed = 0;   // invitations that ran out of time
  int64_t sent = 0;     // accepted by Kannel
  int64_t retried = 0;  // Kannel surely did not take them; queued again with backoff
  int64_t failed = 0;   // retries used up, or the number could not be decrypted
  int64_t unknown = 0;  // the request went out but no answer came: not re-sent
};

struct SmsReceipt {
  std::string outcome;     // see InboundSms::outcome
  bool duplicate = false;  // the gateway delivered this message before; nothing changed
};

// One indicator's line in the yearly scorecard report.
struct ScorecardRow {
  const scorecard::FocalPoint* focal_point = nullptr;  // point into the Scorecard evaluated
  const scorecard::Goal* goal = nullptr;
  const scorecard::Indicator* indicator = nullptr;
  std::optional<scorecard::Target> target;  // nullopt: no target set for the year
  scorecard::Outcome outcome;
  scorecard::Judgement judgement;
  bool year_in_progress = false;  // the current year: the outcome so far, on/off track
  std::vector<std::pair<int, std::optional<double>>> history;  // the five years up to this one
};

// The scorecard rows as a report table in a language (fi, sv, en): focal point, goal,
// indicator, target, outcome, status, certainty, with labels and numbers as that language
// writes them.
report::Table ScorecardTable(const std::vector<ScorecardRow>& rows, std::string_view lang);
// The rows as JSON objects {focal_point, goal, indicator, indicator_id, unit, target: {op, value,
// value_high}, outcome, ci_low, ci_high, year_to_date, status, significance, history}.
nlohmann::json ScorecardJson(const std::vector<ScorecardRow>& rows, std::string_view lang);

// Employee figures are never shown for fewer than this many answers.
inline constexpr int kEmployeeMinGroup = 5;

struct RegionalOverview {
  std::vector<int> years;
  std::vector<std::pair<std::string, std::string>> payers;
  std::vector<int> capitation_years;
  std::vector<int> bonus_years;
};

struct ServiceOptions {
  // Stores with at least this many answers are loaded into the engine by two threads.
  int64_t parallel_load_from = 400000;
};

class Service {
 public:
  ~Service();

  // Opens the database at `db_path`. With create_if_missing false, a missing file is an error
  // (Unavailable) instead of a new empty database.
  static Result<std::unique_ptr<Service>> Open(const std::string& db_path, bool create_if_missing,
                                               ServiceOptions options = {});

  Store& store() { return *store_; }

  // The engine, loaded on first call. Returns the store's error when loading fails.
  Result<const Engine*> engine();
  // Appends responses committed since the engine was loaded. No-op before the first load.
  Status CatchUp();

  Result<ImportSummary> ImportUnits(const std::string& path, const ImportOptions& options);
  Result<ImportSummary> ImportResponses(const std::string& path, const ImportOptions& options);

  // NPS per group: columns are the `by` dimensions (plus `<dim>_name` for unit levels), then
  // n, promoters, passives, detractors, nps, ci_low, ci_high, suppressed. Returns
  // InvalidArgument / NotFound with a message naming the bad parameter.
  Result<report::Table> NpsReport(const ReportRequest& request);
  // What comments talk about and what drives the score: for each group of `request.by` and
  // each theme (and "(all comments)" first), the answers whose comment has the theme, their
  // NPS with its interval, the theme's share of all comments, and its share of detractors'
  // and of promoters' comments. Columns: the `by` columns, theme, n, share, detractor_share,
  // promoter_share, promoters, passives, detractors, nps, ci_low, ci_high, suppressed.
  Result<report::Table> ThemesReport(const ReportRequest& request);
  // Analyses every stored comment again with the current lexicons (after analysts changed
  // data/lexicon/) and reloads the engine. Returns how many comments were analysed.
  Result<int64_t> ReanalyzeComments(const std::function<void(int64_t done)>& on_progress = {});
  const text::CommentAnalyzer* analyzer() const { return analyzer_.get(); }
  // Top-2-box share of a 1–5 question: the `by` columns, then n, top2, share, ci_low,
  // ci_high, suppressed.
  Result<report::Table> ShareReport(const std::string& question, const ReportRequest& request);
  // The organisation tree in pre-order: code, parent, kind, depth, names, validity, successor.
  Result<report::Table> UnitsReport();

  // Writes every stored answer's facts as CSV to `out` (no comments, no identifiers):
  // unit,centre,area,local_date,channel,language,visit_type,age_group,survey,score. Units are
  // reported under their current successor; local_date is the Europe/Helsinki date. Meant for
  // analysts and for checking Mittari against other engines (bench/compare). Returns the
  // store's error, or Unavailable when writing fails.
  Status ExportFacts(std::FILE* out);

  // --- Access ------------------------------------------------------------------------
  void set_access_policy(const AccessPolicy& policy) { policy_ = policy; }
  const AccessPolicy& access_policy() const { return policy_; }
  // Creates a user with an Argon2id password hash (empty password: token-only user).
  // Returns AlreadyExists, or InvalidArgument for an empty name or a short password.
  Status AddUser(const std::string& name, Role role, const std::string& password);
  Status SetPassword(const std::string& name, const std::string& password);
  // Gives a manager one more unit subtree. NotFound for unknown users or units.
  Status GrantUnit(const std::string& name, const std::string& unit_code);
  // Creates an API token for a user and returns it; only its hash is kept.
  Result<std::string> CreateApiToken(const std::string& name, const std::string& label);
  // Checks a password. Returns PermissionDenied for a wrong name or password (the same
  // message for both) and for a locked account; each failure counts towards the lock.
  Result<LoginResult> Login(const std::string& name, const std::string& password);
  Status Logout(const std::string& session_token);
  // Returns the principal of a live session or an API token; PermissionDenied otherwise.
  Result<Principal> AuthenticateSession(const std::string& session_token);
  Result<Principal> AuthenticateToken(const std::string& api_token);
  // OK when the principal may see `unit_code` (and so its subtree); PermissionDenied for a
  // manager asking outside their subtrees; NotFound for an unknown unit.
  Status CheckUnitAccess(const Principal& who, const std::string& unit_code);
  // Writes an audit entry (who, now, action, detail).
  Status Audit(const Principal& who, const std::string& action, const std::string& detail);
  Result<std::vector<AuditEntry>> AuditLog(int64_t limit, int64_t offset);

  // --- Faces' use-cases ----------------------------------------------------------------
  // Comments for a filter, newest first, paged; suppressed below min_n_comments. Every call
  // is written to the audit log before anything is returned.
  Result<CommentsResult> Comments(const Principal& who, const CommentsRequest& request);
  // NPS of a period and of the period before it (or the same period a year earlier), with
  // the z-test of their difference.
  enum class CompareAgainst { kPrevious, kSameLastYear };
  struct CompareResult {
    std::string first_from, first_to, second_from, second_to;
    NpsCounts first_counts, second_counts;
    std::optional<NpsComparison> comparison;  // nullopt when either period is empty
    bool suppressed = false;                  // either period below min_n
  };
  Result<CompareResult> CompareNps(const ReportRequest& request, CompareAgainst against);
  // The child units of `request.unit` (or the root) with n and NPS, the parent's NPS and
  // funnel limits for each unit's n.
  struct FunnelRow {
    std::string unit_code, unit_name;
    NpsCounts counts;
    double nps = 0;
    std::optional<FunnelLimits> limits;
    FunnelPosition position = FunnelPosition::kWithin;
    bool suppressed = false;
  };
  struct FunnelResult {
    std::string parent_code;
    NpsCounts parent_counts;
    std::vector<FunnelRow> units;
    // The control limits along n (from 1 to a little past the largest unit), for drawing
    // the funnel: the page draws, it does not compute.
    std::vector<std::pair<int64_t, FunnelLimits>> curve;
  };
  Result<FunnelResult> Funnel(const ReportRequest& request);
  // Stores prepared answers through the group committer: concurrent callers share one
  // durable transaction. Returns when the answers are committed and visible to queries.
  Result<SubmitOutcome> SubmitResponses(std::vector<Response> responses);
  // Validates and redacts one answer (the ingest pipeline's PrepareResponse).
  std::optional<FieldError> Prepare(Response& response);
  // Creates a one-time web form link for a visit; returns the token for the URL.
  Result<std::string> CreateInvitation(const std::string& unit_code, Language language,
                                       VisitType visit_type, AgeGroup age_group);
  Result<FormInvitation> FindInvitation(const std::string& token);
  // Stores a web form answer for a one-time link and closes it; FailedPrecondition when the
  // link was used already.
  Status AnswerInvitation(const std::string& token, Response response);
  // The unit's name in a language, or NotFound.
  Result<std::string> UnitName(const std::string& unit_code, Language language);
  // Engine size, for /metrics.
  size_t EngineRows();

  // --- SMS survey ----------------------------------------------------------------------
  // Rules, texts, the Kannel gateway and the phone key file (created on first use; default
  // "<db>.phone-key"). Without this call the defaults apply and nothing is sent.
  Status ConfigureSms(const SmsConfig& config);
  const SmsConfig& sms_config() const { return sms_config_; }
  // Checks a visit (id, known unit, end time not in the future) and normalises its phone to
  // E.164 in place. Returns the problem as a field error.
  std::optional<FieldError> PrepareVisit(Visit& visit);
  // Stores the invitations of prepared visits in one durable transaction. Per visit:
  // "created", "duplicate" (visit id seen before) or "skipped:<reason>".
  Result<std::vector<std::string>> AddVisits(const std::vector<Visit>& visits);
  Result<ImportSummary> ImportVisits(const std::string& path, const ImportOptions& options);
  // Handles one incoming SMS, durably, before returning. `from` is the sender as the gateway
  // gives it; `text` is UTF-8.
  Result<SmsReceipt> ReceiveSms(const std::string& gateway_id, const std::string& from,
                                const std::string& text, UnixSeconds received_at);
  Status RecordSmsDelivery(int64_t message_id, int report_type);
  // One round: closes expired invitations, then hands due messages to Kannel until none is
  // due or Kannel is unreachable. FailedPrecondition when no gateway is configured.
  Result<SmsDispatchStats> DispatchSms(UnixSeconds now);
  // Marks messages left "sending" by a crash as "unknown". Run before dispatching.
  Result<int64_t> RecoverInterruptedSms();
  // A background thread that dispatches every poll_seconds and whenever something is queued.
  Status StartSmsDispatcher();
  void StopSmsDispatcher();
  // Counts of invitations, messages and incoming messages by state: what / state / count.
  Result<report::Table> SmsStatus();

  // --- Strategy scorecard ------------------------------------------------------------------
  // Every indicator's outcome in `year` (year to date for the current year) judged against its
  // target: nps/enps/share from the engine (employee figures need 5 answers), manual values
  // from the store, formulas from other indicators in any year.
  Result<std::vector<ScorecardRow>> EvaluateScorecard(const scorecard::Scorecard& card, int year);
  // Imports manual values (CSV indicator,year,value); rows naming unknown or computed
  // indicators, bad years or values are rejected with reasons; re-importing replaces.
  Result<ImportSummary> ImportScorecardValues(const scorecard::Scorecard& card, const std::string& path,
                                              const ImportOptions& options);
  Result<int64_t> UpsertScorecardValues(const std::vector<ScorecardValue>& values);

  // --- Regional finance --------------------------------------------------------------------
  // What there is to report on: the years with production, the payers (code, name), and the
  // years the definition has capitation and bonus for.
  Result<RegionalOverview> RegionalOverviewOf();
  // The pooling threshold, capitation and bonus definitions (regional/definition.h). Until
  // called the defaults apply: pooling above 80 000 € per patient-year, no capitation or
  // bonus years.
  void ConfigureRegional(regional::RegionalDefinition definition);
  std::shared_ptr<const regional::RegionalDefinition> regional_definition();
  // Imports one regional CSV file; `kind` is one of kRegionalImportKinds (ingest/regional_import.h).
  // A file replaces the periods it contains.
  Result<ImportSummary> ImportRegional(std::string_view kind, const std::string& path, const ImportOptions& options);
  // Reports in a language (fi, sv, en: names of municipalities, products, labels of total
  // rows). Columns are keys; LabelRegionalColumns() turns them into the language's labels.
  //
  // A payer's invoice for a month: a line per member municipality and product (volume × that
  // year's unit price, exact to the cent), a subtotal per municipality, on December's invoice
  // the year's high-cost pooling settlement (amounts taken out, population share put in), and
  // the total, which is the exact sum of the lines above it. Columns: municipality,
  // municipality_name, product, product_name, volume, unit_price, amount.
  Result<report::Table> RegionalInvoice(const std::string& payer, const std::string& month, std::string_view lang);
  // Cost per resident and per patient by municipality in a year, crude and (standardised) age-
  // standardised to the district's population, with indices (district = 100) and ranks (1 =
  // most expensive), and a district row. Sorted by the rank asked for.
  Result<report::Table> RegionalComparison(int year, bool standardised, std::string_view lang);
  // Capitation budgets of the year: residents, weighted residents, need, raw claim, budget;
  // the budgets add up to the definition's total exactly.
  Result<report::Table> RegionalCapitation(int year, std::string_view lang);
  // The triple-aim bonus of each provider of the year: a row per measure (value, floor,
  // target, score), per component (score) and per provider (achievement, pool, bonus).
  Result<report::Table> RegionalBonus(int year, std::string_view lang);
  // A district figure of a year for scorecard indicators (scorecard::kRegionalMetrics):
  // total_cost, residents, patients, cost_per_resident, cost_per_patient, ledger_cost.
  // nullopt when the year's data is missing.
  Result<std::optional<double>> RegionalFigure(std::string_view metric, int year);
  // The demo district's regional data for `year` (25 member municipalities, population, price
  // list, production, patient costs, ledger, need coefficients), written as CSV files into
  // `directory` and imported through the regional importers like any other file. Run after
  // GenerateDemo (the ledger's cost centres are its units). Returns one line per file.
  Result<std::vector<std::string>> GenerateRegionalDemo(const std::string& directory, int year, uint64_t seed);

  // Builds the demo district (idempotent: running it again adds nothing). Returns how many
  // responses were stored and how many were already there.
  Result<ResponseWriteStats> GenerateDemo(const DemoRequest& request);

 private:
  Service(std::string db_path, std::unique_ptr<Store> store, ServiceOptions options,
          std::shared_ptr<const text::CommentAnalyzer> analyzer)
      : db_path_(std::move(db_path)), store_(std::move(store)), options_(options), analyzer_(std::move(analyzer)) {}
  // First load of a large store: two connections scan the two halves of the id range at
  // once, the second one converting rows while the first appends.
  Status LoadInParallel(int64_t up_to_id);
  Result<OrgTree> LoadTree();  // caller holds store_mu_
  Status CatchUpLocked();      // caller holds engine_mu_ exclusively
  Result<Query> ToQuery(const Engine& engine, const ReportRequest& request) const;
  // Refuses an employee figure for a unit whose parent's figure would isolate fewer than
  // min_n employees outside it. Caller holds engine_mu_.
  Status CheckEmployeeComplement(const Engine& engine, const ReportRequest& request);

  Result<Principal> PrincipalOf(int64_t user_id, std::string csrf);
  void ForgetPrincipals();
  // Subtree codes for comment filters: the unit, its descendants, and closed units whose
  // current successor is among them.
  std::vector<std::string> SubtreeCodes(const OrgTree& tree, UnitIndex root) const;
  Result<ResponseWriteStats> CommitGroup(const std::vector<Response>& responses,
                                         std::vector<bool>* inserted);

  std::string db_path_;
  AccessPolicy policy_;
  // Report results by request, with the engine version they were computed at.
  std::mutex cache_mu_;
  std::map<std::string, std::pair<uint64_t, report::Table>> report_cache_;
  uint64_t engine_generation_ = 0;  // bumped whenever the engine is rebuilt
  // Authenticated principals by token hash, briefly, so each request does not hit SQLite.
  struct CachedPrincipal {
    Principal principal;
    UnixSeconds until = 0;
  };
  std::mutex auth_cache_mu_;
  std::map<std::string, CachedPrincipal> auth_cache_;
  std::shared_mutex engine_mu_;
  std::mutex store_mu_;
  // Group commit: requests wait in `pending_`; one of them commits everyone's answers.
  struct PendingSubmit;
  std::mutex commit_mu_;
  std::condition_variable commit_cv_;
  std::vector<PendingSubmit*> pending_;
  bool committing_ = false;
  std::unique_ptr<Store> store_;
  ServiceOptions options_;
  std::shared_ptr<const text::CommentAnalyzer> analyzer_;
  std::unique_ptr<Engine> engine_;

  // SMS survey. Lock order: sms_mu_, then engine_mu_, then store_mu_.
  Status EnsurePhoneVault();  // caller holds sms_mu_
  std::string SmsText(const std::string& kind, Language language, const std::string& unit_code);
  void WakeSmsDispatcher();
  SmsConfig sms_config_;
  std::mutex sms_mu_;       // serialises SMS decisions (read, decide, write)
  std::mutex dispatch_mu_;  // one dispatch round at a time
  std::unique_ptr<sms::PhoneVault> phone_vault_;
  std::unique_ptr<sms::KannelClient> kannel_;
  std::mutex dispatcher_mu_;
  std::condition_variable dispatcher_cv_;
  bool dispatcher_stop_ = false;
  bool dispatcher_kicked_ = false;
  std::unique_ptr<std::thread> dispatcher_;

  std::mutex regional_mu_;
  std::shared_ptr<const regional::RegionalDefinition> regional_;
};

// The regional report's column keys as labels of a language (fi, sv, en), for people.
report::Table LabelRegionalColumns(report::Table table, std::string_view lang);

}  // namespace mittari
