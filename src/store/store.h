// File: store/store.h
//
// The system of record. Everything Mittari knows is here; the analytics engine and every
// report can be rebuilt from it. The interface is what both the SQLite store (embedded, the
// default) and a PostgreSQL store satisfy, so the rest of the program never knows which one
// it talks to.
//
// Durability contract: when a write method returns OK, what it wrote has been committed and
// flushed to stable storage (SQLite: WAL with synchronous=FULL). A write that fails has
// written nothing: every write method is one transaction.
//
// Thread-compatible: one Store object is used by one thread at a time; callers that share it
// serialise access themselves (the service layer does).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/access.h"
#include "model/regional.h"
#include "model/response.h"
#include "model/sms.h"
#include "model/unit.h"

namespace mittari {

struct UnitWriteStats {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

struct ResponseWriteStats {
  int64_t inserted = 0;
  int64_t duplicates = 0;  // (source, external_id) already stored; the stored answer is kept
  int64_t employee_inserted = 0;  // the demo's staff survey answers, counted apart
};

// A comment's analysis, for re-analysing stored comments after the lexicons changed.
struct CommentAnalysisUpdate {
  int64_t response_id = 0;
  ThemeSet themes = 0;
  std::optional<Sentiment> sentiment;
  std::optional<Language> comment_language;
};

// What handling one incoming SMS changes, written in one transaction (see ApplySmsReply).
struct SmsReplyWrite {
  InboundSms inbound;                        // always recorded; its gateway_id makes it idempotent
  std::optional<Response> response;          // a new answer (already validated and redacted)
  std::optional<std::string> append_comment; // redacted text added to the answer of `invitation`
  std::optional<CommentAnalysisUpdate> comment_analysis;  // of the whole comment after appending
  std::optional<SmsInvitation> invitation;   // the matched invitation with its new status/flags
  bool opt_out = false;                      // the number opts out: its open invitations close,
                                             // its queued messages are cancelled
  std::optional<SmsMessage> reply;           // a message to send back (queued)
};

struct SmsCounts {
  std::vector<std::pair<std::string, int64_t>> invitations;  // by status
  std::vector<std::pair<std::string, int64_t>> messages;     // by "kind/state"
  std::vector<std::pair<std::string, int64_t>> inbound;      // by outcome
  int64_t opted_out = 0;
  int64_t sealed_phones = 0;  // messages still holding an encrypted number
};

struct StoredComment {
  int64_t response_id = 0;
  Language language = Language::kFi;  // the answer's language
  std::string_view text;              // valid only during the callback
};

// A reported (not measured) value of a scorecard indicator for a year.
struct ScorecardValue {
  std::string indicator_id;
  int year = 0;
  double value = 0;
};

struct StoredScaleAnswer {
  int64_t response_id = 0;
  std::string_view question;  // valid only during the callback
  int8_t value = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // The schema version the database is at after opening (migrations applied).
  virtual int schema_version() const = 0;

  // All units, in no particular order. Returns Unavailable/DataLoss when the database cannot
  // be read.
  virtual Result<std::vector<Unit>> LoadUnits() = 0;

  // Inserts new units and updates changed ones, in one transaction. Units are matched by
  // code. The caller validates the resulting tree first (OrgTree::Build); the store checks
  // only what its constraints check.
  virtual Result<UnitWriteStats> UpsertUnits(const std::vector<Unit>& units) = 0;

  // Stores a batch of responses in one durable transaction. A response whose (source,
  // external_id) is already stored is a duplicate: counted, not written, and the stored one
  // is kept unchanged. When `inserted` is non-null it receives one flag per input row.
  // Returns InvalidArgument when a unit code is unknown (nothing of the batch is written),
  // Unavailable when the database is locked or the disk fails (nothing written).
  virtual Result<ResponseWriteStats> InsertResponses(const std::vector<Response>& batch,
                                                     std::vector<bool>* inserted = nullptr) = 0;

  // Calls `visit` for each stored response with after_id < id <= up_to_id, in id order, from
  // one consistent snapshot. Stops and returns the first non-OK status `visit` returns.
  virtual Status ScanResponseFacts(int64_t after_id, int64_t up_to_id,
                                   const std::function<Status(const ResponseFacts&)>& visit) = 0;
  Status ScanResponseFacts(int64_t after_id,
                           const std::function<Status(const ResponseFacts&)>& visit) {
    return ScanResponseFacts(after_id, std::numeric_limits<int64_t>::max(), visit);
  }

  // The largest response id stored; 0 when there are none.
  virtual Result<int64_t> MaxResponseId() = 0;

  // Calls `visit` for each scale answer of responses with after_id < id <= up_to_id, in
  // response order.
  virtual Status ScanScaleAnswers(
      int64_t after_id, int64_t up_to_id,
      const std::function<Status(const StoredScaleAnswer&)>& visit) = 0;

  // The store's id of a response (what ResponseFacts::id holds). NotFound when there is none.
  virtual Result<int64_t> ResponseIdOf(std::string_view source, std::string_view external_id) = 0;
  // Reads one response by identity. Returns NotFound when there is none.
  virtual Result<Response> GetResponse(std::string_view source, std::string_view external_id) = 0;

  virtual Result<int64_t> CountResponses() = 0;

  // Calls `visit` for each stored comment with response id > after_id, in id order.
  virtual Status ScanComments(int64_t after_id, const std::function<Status(const StoredComment&)>& visit) = 0;
  // Writes new analyses of stored comments, in one durable transaction.
  virtual Status UpdateCommentAnalyses(const std::vector<CommentAnalysisUpdate>& updates) = 0;

  // Comments, newest first, with the total matching (for paging and for the minimum group
  // size before any comment is shown).
  struct CommentPage {
    int64_t total = 0;
    std::vector<CommentRow> rows;
  };
  virtual Result<CommentPage> ListComments(const CommentQuery& query) = 0;

  // --- Users, sessions, tokens, audit, form links ---------------------------------------
  // Creates a user. Returns AlreadyExists when the name is taken.
  virtual Result<int64_t> CreateUser(const User& user) = 0;
  // Returns NotFound when there is no such user. The user's unit_codes are filled in.
  virtual Result<User> GetUser(std::string_view name) = 0;
  virtual Result<User> GetUserById(int64_t id) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Status SetPasswordHash(int64_t user_id, std::string_view hash) = 0;
  virtual Status SetLoginFailures(int64_t user_id, int failures, UnixSeconds locked_until) = 0;
  // Adds a unit subtree to a manager. Returns NotFound for an unknown unit code.
  virtual Status GrantUnit(int64_t user_id, std::string_view unit_code) = 0;

  virtual Status CreateSession(std::string_view token_hash, const Session& session) = 0;
  // Returns NotFound when the session does not exist (expiry is the caller's check).
  virtual Result<Session> GetSession(std::string_view token_hash) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  virtual Status CreateApiToken(std::string_view token_hash, int64_t user_id, std::string_view label) = 0;
  // The user id of an API token; NotFound when unknown.
  virtual Result<int64_t> GetApiTokenUser(std::string_view token_hash) = 0;

  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  // Newest first.
  virtual Result<std::vector<AuditEntry>> ListAudit(int64_t limit, int64_t offset) = 0;

  virtual Status CreateInvitation(const FormInvitation& invitation) = 0;
  virtual Result<FormInvitation> GetInvitation(std::string_view token_hash) = 0;
  // Stores the answer and closes the invitation in one transaction. Returns
  // FailedPrecondition when the invitation was already answered (nothing is stored).
  virtual Result<ResponseWriteStats> AnswerInvitation(std::string_view token_hash,
                                                      const Response& response) = 0;

  // --- SMS survey ------------------------------------------------------------------------
  // Stores new invitations, each with its queued invitation message unless skipped, in one
  // transaction. A visit id already stored is a duplicate: nothing of it is written. `messages`
  // is parallel to `invitations` (nullopt for skipped ones). `inserted` gets one flag per row.
  virtual Result<int64_t> InsertSmsInvitations(const std::vector<SmsInvitation>& invitations,
                                               const std::vector<std::optional<SmsMessage>>& messages,
                                               std::vector<bool>* inserted) = 0;
  // The invitations sent or to be sent to a number (not skipped ones), latest due first.
  virtual Result<std::vector<SmsInvitation>> SmsInvitationsForPhone(std::string_view phone_hash) = 0;
  virtual Result<SmsInvitation> GetSmsInvitation(std::string_view visit_id) = 0;
  virtual Result<bool> IsOptedOut(std::string_view phone_hash) = 0;
  // Closes open invitations with closes_at <= now and cancels their queued messages (erasing
  // the sealed numbers). Returns how many invitations closed.
  virtual Result<int64_t> CloseExpiredSmsInvitations(UnixSeconds now) = 0;
  // In one durable transaction: queued messages due at `now` (not_before and next_attempt_at
  // passed) to opted-out numbers or for closed invitations are cancelled; up to `limit` others
  // are marked sending (attempts + 1) and returned, oldest first.
  virtual Result<std::vector<SmsMessage>> ClaimSmsMessages(UnixSeconds now, int limit) = 0;
  // The outcome of handing a claimed message to the gateway. kQueued schedules a retry at
  // `next_attempt_at`; kSent, kFailed and kUnknown are final and erase the sealed number.
  virtual Status FinishSmsMessage(int64_t id, MessageState state, UnixSeconds at,
                                  std::string_view error, UnixSeconds next_attempt_at) = 0;
  // After a crash: messages still marked sending become unknown (sealed number erased), since
  // the gateway may have taken them. Returns how many.
  virtual Result<int64_t> MarkInterruptedSmsUnknown() = 0;
  // A delivery report for a message. NotFound for an unknown message id.
  virtual Status RecordSmsDelivery(int64_t message_id, int report_type, UnixSeconds at) = 0;
  virtual Result<SmsMessage> GetSmsMessage(int64_t id) = 0;
  // Applies what handling one incoming message decided, in one durable transaction. Returns
  // false, writing nothing, when a message with the same gateway id was handled before.
  virtual Result<bool> ApplySmsReply(const SmsReplyWrite& write) = 0;
  virtual Result<SmsCounts> CountSms() = 0;

  // --- Scorecard ---------------------------------------------------------------------------
  // Stores values in one durable transaction; a value already stored for the same indicator
  // and year is replaced (re-importing is idempotent). Returns how many rows changed.
  virtual Result<int64_t> UpsertScorecardValues(const std::vector<ScorecardValue>& values, UnixSeconds now) = 0;
  virtual Result<std::vector<ScorecardValue>> ListScorecardValues() = 0;

  // --- Regional finance (model/regional.h) -------------------------------------------------
  // Municipalities and products are matched by code: new ones inserted, changed ones updated,
  // in one durable transaction. Returns how many rows were inserted or changed.
  virtual Result<int64_t> UpsertMunicipalities(const std::vector<Municipality>& municipalities) = 0;
  virtual Result<std::vector<Municipality>> ListMunicipalities() = 0;  // in code order
  virtual Result<int64_t> UpsertProducts(const std::vector<ServiceProduct>& products) = 0;
  virtual Result<std::vector<ServiceProduct>> ListProducts() = 0;  // in code order

  // Period replacement: in one durable transaction, every row stored for a period (year or
  // month) that occurs in `rows` is deleted, then `rows` are inserted. Importing the same file
  // twice therefore leaves the same rows; a corrected file for a month replaces that month.
  // Returns InvalidArgument (nothing written) when rows repeat a key, name an unknown
  // municipality, product or cost centre (the store's foreign keys), or break a constraint.
  virtual Result<PeriodWriteStats> ReplacePopulation(const std::vector<PopulationRow>& rows) = 0;
  virtual Result<PeriodWriteStats> ReplacePrices(const std::vector<ProductPrice>& rows) = 0;
  // A price list file in one transaction: its products upserted (the count of inserted or
  // changed ones), then the years of its prices replaced.
  virtual Result<std::pair<int64_t, PeriodWriteStats>> ReplacePriceList(
      const std::vector<ServiceProduct>& products, const std::vector<ProductPrice>& prices) = 0;
  virtual Result<PeriodWriteStats> ReplaceProduction(const std::vector<ProductionRow>& rows) = 0;
  virtual Result<PeriodWriteStats> ReplacePatientCosts(const std::vector<PatientCostRow>& rows) = 0;
  virtual Result<PeriodWriteStats> ReplaceLedger(const std::vector<LedgerRow>& rows) = 0;
  virtual Result<PeriodWriteStats> ReplaceNeedCoefficients(const std::vector<NeedCoefficientRow>& rows) = 0;

  // A year's rows (for monthly data: the months of that year), ordered by their key.
  virtual Result<std::vector<PopulationRow>> LoadPopulation(int year) = 0;
  virtual Result<std::vector<ProductPrice>> LoadPrices(int year) = 0;
  virtual Result<std::vector<ProductionRow>> LoadProduction(int year) = 0;
  virtual Result<std::vector<PatientCostRow>> LoadPatientCosts(int year) = 0;
  virtual Result<std::vector<LedgerRow>> LoadLedger(int year) = 0;
  virtual Result<std::vector<NeedCoefficientRow>> LoadNeedCoefficients(int year) = 0;
  // The years that have production rows, ascending.
  virtual Result<std::vector<int>> ProductionYears() = 0;
};

struct SqliteOptions {
  // When false the database must exist already (reports); when true it is created.
  bool create_if_missing = true;
};

// Opens (and creates or migrates) an SQLite database file. Returns Unavailable naming the
// path when it cannot be opened, FailedPrecondition when it was written by a newer Mittari
// (a schema version this build does not know), DataLoss when it is not a Mittari database.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options = {});

}  // namespace mittari
