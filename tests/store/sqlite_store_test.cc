#include <gtest/gtest.h>
#include <sqlite3.h>

#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/units.h"

namespace mittari {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mittari_store_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
    Reopen();
    Unit root;
    root.code = "HD";
    root.kind = UnitKind::kOrganisation;
    root.name_fi = "Piiri";
    Unit unit;
    unit.code = "U1";
    unit.parent_code = "HD";
    unit.kind = UnitKind::kUnit;
    unit.name_fi = "Poliklinikka";
    unit.valid_from = *ParseLocalDate("2020-01-01");
    ASSERT_TRUE(store_->UpsertUnits({root, unit}).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  static Response R(std::string id, int score = 9) {
    Response r;
    r.source = "test";
    r.external_id = std::move(id);
    r.unit_code = "U1";
    r.answered_at = *ParseInstant("2024-05-01T10:00:00Z");
    r.score = static_cast<int8_t>(score);
    return r;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, MigratesToCurrentSchemaAndKeepsDataAcrossReopen) {
  EXPECT_GE(store_->schema_version(), 1);
  Response r = R("a");
  r.comment = "Hyvä palvelu";
  r.scales = {{"information", 4}, {"treatment", 5}};
  r.channel = Channel::kWeb;
  r.age_group = AgeGroup::k75Plus;
  ASSERT_TRUE(store_->InsertResponses({r}).ok());
  Reopen();
  Result<Response> back = store_->GetResponse("test", "a");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, r);
  Result<std::vector<Unit>> units = store_->LoadUnits();
  ASSERT_TRUE(units.ok());
  EXPECT_EQ(units->size(), 2u);
  EXPECT_EQ(store_->GetResponse("test", "zzz").status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, UsesWriteAheadLog) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, DuplicatesAreCountedNotStoredTwice) {
  std::vector<bool> inserted;
  Result<ResponseWriteStats> first = store_->InsertResponses({R("a"), R("b"), R("a", 0)}, &inserted);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->inserted, 2);
  EXPECT_EQ(first->duplicates, 1);
  EXPECT_EQ(inserted, (std::vector<bool>{true, true, false}));
  Result<ResponseWriteStats> again = store_->InsertResponses({R("a"), R("b")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->duplicates, 2);
  EXPECT_EQ(*store_->CountResponses(), 2);
  EXPECT_EQ(store_->GetResponse("test", "a")->score, 9);  // the first one stays
}

TEST_F(SqliteStoreTest, UnknownUnitRejectsTheWholeBatch) {
  Response bad = R("c");
  bad.unit_code = "NOPE";
  Result<ResponseWriteStats> result = store_->InsertResponses({R("a"), bad});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("NOPE"), std::string::npos);
  EXPECT_EQ(*store_->CountResponses(), 0);
}

// A real fault inside SQLite half-way through a batch: nothing of the batch may remain.
TEST_F(SqliteStoreTest, FailureInsideABatchLeavesNothingOfIt) {
  ASSERT_TRUE(store_->InsertResponses({R("before")}).ok());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TRIGGER boom BEFORE INSERT ON responses WHEN NEW.external_id = 'x3' "
                         "BEGIN SELECT RAISE(ABORT, 'injected fault'); END;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Reopen();
  Result<ResponseWriteStats> result = store_->InsertResponses({R("x1"), R("x2"), R("x3"), R("x4")});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("nothing of this batch was stored"), std::string::npos);
  EXPECT_EQ(*store_->CountResponses(), 1);
  EXPECT_EQ(store_->GetResponse("test", "x1").status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, ScansFactsInIdOrderFromAGivenId) {
  ASSERT_TRUE(store_->InsertResponses({R("a", 1), R("b", 2), R("c", 3)}).ok());
  std::vector<int> scores;
  int64_t first_id = 0;
  ASSERT_TRUE(store_->ScanResponseFacts(0, [&](const ResponseFacts& f) {
    if (first_id == 0) first_id = f.id;
    EXPECT_EQ(f.unit_code, "U1");
    scores.push_back(f.score);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(scores, (std::vector<int>{1, 2, 3}));
  scores.clear();
  ASSERT_TRUE(store_->ScanResponseFacts(first_id, [&](const ResponseFacts& f) {
    scores.push_back(f.score);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(scores, (std::vector<int>{2, 3}));
}

TEST_F(SqliteStoreTest, UpsertUnitsCountsInsertedUpdatedUnchanged) {
  Result<std::vector<Unit>> units = store_->LoadUnits();
  ASSERT_TRUE(units.ok());
  std::vector<Unit> changed = *units;
  changed[1].name_sv = "Poliklinik";
  Unit fresh = changed[1];
  fresh.code = "U2";
  changed.push_back(fresh);
  Result<UnitWriteStats> stats = store_->UpsertUnits(changed);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->inserted, 1);
  EXPECT_EQ(stats->updated, 1);
  EXPECT_EQ(stats->unchanged, 1);
}

TEST(SqliteStoreOpen, MissingFileIsAClearErrorWhenNotCreating) {
  SqliteOptions options;
  options.create_if_missing = false;
  Result<std::unique_ptr<Store>> store = OpenSqliteStore("/nonexistent-dir/x.db", options);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("/nonexistent-dir/x.db"), std::string::npos);
}

// --- SMS survey --------------------------------------------------------------------------------

constexpr UnixSeconds kNow = 1'700'000'000;
constexpr UnixSeconds kDay = 24 * 3600;

class SqliteSmsStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mittari_sms_store_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "sms.db").string();
    Reopen();
    ASSERT_TRUE(store_->UpsertUnits({mittari::testing::MakeUnit("HD", "", UnitKind::kOrganisation),
                                     mittari::testing::MakeUnit("U1", "HD", UnitKind::kUnit)})
                    .ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Closes the database and opens the same file again: what is seen after this was on disk.
  void Reopen() {
    store_.reset();
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  static SmsInvitation Inv(std::string visit_id, std::string phone_hash, UnixSeconds due_at,
                           InvitationStatus status = InvitationStatus::kOpen) {
    SmsInvitation inv;
    inv.visit_id = std::move(visit_id);
    inv.unit_code = "U1";
    inv.language = Language::kSv;
    inv.visit_type = VisitType::kEmergency;
    inv.age_group = AgeGroup::k45To64;
    inv.phone_hash = std::move(phone_hash);
    inv.visit_ended_at = due_at - 7200;
    inv.due_at = due_at;
    inv.closes_at = due_at + 7 * kDay;
    inv.status = status;
    if (status == InvitationStatus::kSkipped) inv.skip_reason = "recent_invitation";
    return inv;
  }
  // The sealed number has a NUL byte and a non-UTF-8 byte in it: it is a blob, not text.
  static SmsMessage Msg(const std::string& phone_hash, UnixSeconds not_before,
                        std::string kind = "invitation") {
    SmsMessage m;
    m.kind = std::move(kind);
    m.phone_hash = phone_hash;
    m.phone_sealed = std::string("sealed\0\xff", 8) + phone_hash;
    m.language = Language::kSv;
    m.text = "Hej! Hur var ditt besök? " + phone_hash;
    m.not_before = not_before;
    return m;
  }
  static Response SmsResponse(const SmsInvitation& inv, int score, UnixSeconds at) {
    Response r;
    r.source = "sms";
    r.external_id = inv.visit_id;
    r.unit_code = inv.unit_code;
    r.answered_at = at;
    r.channel = Channel::kSms;
    r.language = inv.language;
    r.visit_type = inv.visit_type;
    r.age_group = inv.age_group;
    r.score = static_cast<int8_t>(score);
    return r;
  }
  static SmsReplyWrite Reply(std::string gateway_id, const std::string& phone_hash,
                             std::string outcome, std::optional<int64_t> invitation_id) {
    SmsReplyWrite w;
    w.inbound.gateway_id = std::move(gateway_id);
    w.inbound.phone_hash = phone_hash;
    w.inbound.received_at = kNow;
    w.inbound.outcome = std::move(outcome);
    w.inbound.invitation_id = invitation_id;
    return w;
  }

  // Applies a reply write that must succeed; returns whether it was applied (not a repeat).
  bool Apply(const SmsReplyWrite& write) {
    Result<bool> applied = store_->ApplySmsReply(write);
    EXPECT_TRUE(applied.ok()) << applied.status().ToString();
    return applied.ok() && *applied;
  }

  // Stores one invitation (with its message unless nullopt) and returns it as stored.
  SmsInvitation Add(const SmsInvitation& inv, const std::optional<SmsMessage>& message) {
    std::vector<bool> inserted;
    Result<int64_t> count = store_->InsertSmsInvitations({inv}, {message}, &inserted);
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    EXPECT_EQ(inserted, std::vector<bool>{true});
    Result<SmsInvitation> stored = store_->GetSmsInvitation(inv.visit_id);
    EXPECT_TRUE(stored.ok()) << stored.status().ToString();
    return stored.ok() ? *stored : SmsInvitation{};
  }
  // Stores an open invitation for `phone_hash` whose message may go at `not_before`; returns
  // the message id.
  int64_t AddQueued(const std::string& visit_id, const std::string& phone_hash, UnixSeconds not_before) {
    SmsInvitation inv = Add(Inv(visit_id, phone_hash, not_before), Msg(phone_hash, not_before));
    std::vector<int64_t> ids = MessageIdsOf(inv.id);
    EXPECT_EQ(ids.size(), 1u) << visit_id;
    return ids.empty() ? 0 : ids[0];
  }

  // Integers read straight from the database file through a second connection.
  std::vector<int64_t> QueryInts(const std::string& sql) {
    std::vector<int64_t> values;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) values.push_back(sqlite3_column_int64(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return values;
  }
  std::vector<int64_t> MessageIdsOf(int64_t invitation_id) {
    return QueryInts("SELECT id FROM sms_messages WHERE invitation_id = " + std::to_string(invitation_id) +
                     " ORDER BY id");
  }
  int64_t MessageCount() { return QueryInts("SELECT count(*) FROM sms_messages").at(0); }

  SmsMessage Message(int64_t id) {
    Result<SmsMessage> m = store_->GetSmsMessage(id);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? *m : SmsMessage{};
  }
  SmsInvitation Invitation(std::string_view visit_id) {
    Result<SmsInvitation> inv = store_->GetSmsInvitation(visit_id);
    EXPECT_TRUE(inv.ok()) << inv.status().ToString();
    return inv.ok() ? *inv : SmsInvitation{};
  }
  std::vector<int64_t> Claim(UnixSeconds now, int limit = 100) {
    Result<std::vector<SmsMessage>> claimed = store_->ClaimSmsMessages(now, limit);
    EXPECT_TRUE(claimed.ok()) << claimed.status().ToString();
    std::vector<int64_t> ids;
    if (claimed.ok()) {
      for (const SmsMessage& m : *claimed) ids.push_back(m.id);
    }
    return ids;
  }
  // Claims exactly message `id` and finishes it as sent.
  void Send(int64_t id, UnixSeconds at) {
    ASSERT_EQ(Claim(at), std::vector<int64_t>{id});
    ASSERT_TRUE(store_->FinishSmsMessage(id, MessageState::kSent, at, "", 0).ok());
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

void ExpectSameInvitation(const SmsInvitation& got, const SmsInvitation& want) {
  EXPECT_EQ(got.visit_id, want.visit_id);
  EXPECT_EQ(got.unit_code, want.unit_code);
  EXPECT_EQ(got.language, want.language);
  EXPECT_EQ(got.visit_type, want.visit_type);
  EXPECT_EQ(got.age_group, want.age_group);
  EXPECT_EQ(got.phone_hash, want.phone_hash);
  EXPECT_EQ(got.visit_ended_at, want.visit_ended_at);
  EXPECT_EQ(got.due_at, want.due_at);
  EXPECT_EQ(got.closes_at, want.closes_at);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.skip_reason, want.skip_reason);
  EXPECT_EQ(got.answered_at, want.answered_at);
  EXPECT_EQ(got.comment_received, want.comment_received);
  EXPECT_EQ(got.clarification_sent, want.clarification_sent);
  EXPECT_EQ(got.closed_notice_sent, want.closed_notice_sent);
}

std::vector<std::string> VisitIds(const std::vector<SmsInvitation>& invitations) {
  std::vector<std::string> ids;
  for (const SmsInvitation& inv : invitations) ids.push_back(inv.visit_id);
  return ids;
}

TEST_F(SqliteSmsStore, InsertIsIdempotentOnVisitIdAndSkippedInvitationsGetNoMessage) {
  std::vector<bool> inserted;
  Result<int64_t> first = store_->InsertSmsInvitations(
      {Inv("v1", "p1", kNow), Inv("v2", "p2", kNow, InvitationStatus::kSkipped), Inv("v3", "p3", kNow)},
      {Msg("p1", kNow), std::nullopt, Msg("p3", kNow)}, &inserted);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, 3);
  EXPECT_EQ(inserted, (std::vector<bool>{true, true, true}));
  EXPECT_EQ(MessageCount(), 2);

  // The same visits again (different plans and texts), and one visit twice in one batch: only
  // the one new visit is written, once, with its one message.
  SmsMessage changed = Msg("p1", kNow + 50);
  changed.text = "a second text";
  Result<int64_t> again = store_->InsertSmsInvitations(
      {Inv("v1", "p1", kNow + 50), Inv("v2", "p2", kNow + 50), Inv("v4", "p4", kNow),
       Inv("v4", "p4", kNow + 1)},
      {changed, Msg("p2", kNow + 50), Msg("p4", kNow), Msg("p4", kNow + 1)}, &inserted);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, 1);
  EXPECT_EQ(inserted, (std::vector<bool>{false, false, true, false}));
  EXPECT_EQ(MessageCount(), 3);

  EXPECT_EQ(Invitation("v1").due_at, kNow);  // the first stays
  EXPECT_EQ(Invitation("v2").status, InvitationStatus::kSkipped);
  EXPECT_EQ(Invitation("v4").due_at, kNow);
  EXPECT_TRUE(MessageIdsOf(Invitation("v2").id).empty());
  // Each message belongs to its own invitation (its number and text say which).
  for (const char* visit : {"v1", "v3", "v4"}) {
    SCOPED_TRACE(visit);
    SmsInvitation inv = Invitation(visit);
    std::vector<int64_t> ids = MessageIdsOf(inv.id);
    ASSERT_EQ(ids.size(), 1u);
    SmsMessage m = Message(ids[0]);
    EXPECT_EQ(m.invitation_id, inv.id);
    EXPECT_EQ(m.phone_hash, inv.phone_hash);
    EXPECT_EQ(m.text, Msg(inv.phone_hash, 0).text);
    EXPECT_EQ(m.not_before, kNow);
  }
  EXPECT_EQ(store_->GetSmsInvitation("v9").status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteSmsStore, InvitationsMessagesOptOutsAndRepliesSurviveReopening) {
  SmsInvitation open = Inv("v1", "p1", kNow);
  SmsInvitation skipped = Inv("v2", "p2", kNow + 10, InvitationStatus::kSkipped);
  skipped.skip_reason = "opted_out";
  skipped.language = Language::kEn;
  skipped.visit_type = VisitType::kRemote;
  skipped.age_group = AgeGroup::k75Plus;
  SmsMessage message = Msg("p1", kNow + 5);
  ASSERT_TRUE(store_->InsertSmsInvitations({open, skipped}, {message, std::nullopt}, nullptr).ok());
  SmsReplyWrite stop = Reply("gw-stop", "p3", "opt_out", std::nullopt);
  stop.opt_out = true;
  stop.reply = Msg("p3", kNow, "opt_out_confirmation");
  ASSERT_TRUE(Apply(stop));

  Reopen();

  ExpectSameInvitation(Invitation("v1"), open);
  ExpectSameInvitation(Invitation("v2"), skipped);
  std::vector<int64_t> ids = MessageIdsOf(Invitation("v1").id);
  ASSERT_EQ(ids.size(), 1u);
  SmsMessage stored = Message(ids[0]);
  EXPECT_EQ(stored.kind, "invitation");
  EXPECT_EQ(stored.phone_hash, "p1");
  EXPECT_EQ(stored.phone_sealed, message.phone_sealed);  // all bytes of the blob
  EXPECT_EQ(stored.language, Language::kSv);
  EXPECT_EQ(stored.text, message.text);
  EXPECT_EQ(stored.not_before, kNow + 5);
  EXPECT_EQ(stored.state, MessageState::kQueued);
  EXPECT_EQ(stored.attempts, 0);
  EXPECT_EQ(stored.next_attempt_at, 0);
  EXPECT_FALSE(stored.sent_at.has_value());
  EXPECT_FALSE(stored.delivered_at.has_value());
  EXPECT_TRUE(*store_->IsOptedOut("p3"));
  Result<bool> repeat = store_->ApplySmsReply(stop);
  ASSERT_TRUE(repeat.ok()) << repeat.status().ToString();
  EXPECT_FALSE(*repeat);  // the inbound row survived too
  EXPECT_EQ(MessageCount(), 2);
}

TEST_F(SqliteSmsStore, InvitationsForPhoneLeaveOutSkippedOnesLatestDueFirst) {
  Add(Inv("older", "p1", kNow - 100, InvitationStatus::kClosed), std::nullopt);
  Add(Inv("first", "p1", kNow), Msg("p1", kNow));
  Add(Inv("latest", "p1", kNow + 100), Msg("p1", kNow + 100));
  Add(Inv("skipped", "p1", kNow + 200, InvitationStatus::kSkipped), std::nullopt);
  Add(Inv("same-due", "p1", kNow), Msg("p1", kNow));  // a tie on due_at: the later one first
  Add(Inv("other", "p2", kNow + 300), Msg("p2", kNow + 300));
  Result<std::vector<SmsInvitation>> p1 = store_->SmsInvitationsForPhone("p1");
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_EQ(VisitIds(*p1), (std::vector<std::string>{"latest", "same-due", "first", "older"}));
  EXPECT_EQ((*p1)[0].status, InvitationStatus::kOpen);
  EXPECT_EQ((*p1)[3].status, InvitationStatus::kClosed);
  EXPECT_EQ(VisitIds(*store_->SmsInvitationsForPhone("p2")), std::vector<std::string>{"other"});
  EXPECT_TRUE(store_->SmsInvitationsForPhone("nobody")->empty());
}

TEST_F(SqliteSmsStore, IsOptedOutOnlyForTheNumberThatOptedOut) {
  EXPECT_FALSE(*store_->IsOptedOut("p1"));
  SmsReplyWrite stop = Reply("gw1", "p1", "opt_out", std::nullopt);
  stop.opt_out = true;
  ASSERT_TRUE(Apply(stop));
  EXPECT_TRUE(*store_->IsOptedOut("p1"));
  EXPECT_FALSE(*store_->IsOptedOut("p2"));
  // Opting out twice (another STOP message) is fine.
  stop.inbound.gateway_id = "gw2";
  ASSERT_TRUE(Apply(stop));
  EXPECT_TRUE(*store_->IsOptedOut("p1"));
  EXPECT_EQ(store_->CountSms()->opted_out, 1);
}

TEST_F(SqliteSmsStore, ClaimTakesOnlyDueMessagesInIdOrderUpToTheLimit) {
  const int64_t a = AddQueued("a", "pa", kNow - 10);
  const int64_t later = AddQueued("later", "pl", kNow + 100);
  const int64_t b = AddQueued("b", "pb", kNow - 20);
  const int64_t c = AddQueued("c", "pc", kNow);
  ASSERT_LT(a, later);
  ASSERT_LT(later, b);
  ASSERT_LT(b, c);

  Result<std::vector<SmsMessage>> first = store_->ClaimSmsMessages(kNow, 2);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].id, a);
  EXPECT_EQ((*first)[1].id, b);
  // The claimed copies carry what a sender needs, already marked.
  EXPECT_EQ((*first)[0].phone_sealed, Msg("pa", 0).phone_sealed);
  EXPECT_EQ((*first)[0].state, MessageState::kSending);
  EXPECT_EQ((*first)[0].attempts, 1);
  for (int64_t id : {a, b}) {
    SmsMessage m = Message(id);
    EXPECT_EQ(m.state, MessageState::kSending) << id;
    EXPECT_EQ(m.attempts, 1) << id;
  }
  EXPECT_EQ(Message(c).state, MessageState::kQueued);
  EXPECT_EQ(Message(c).attempts, 0);

  EXPECT_EQ(Claim(kNow), std::vector<int64_t>{c});  // sending ones are not claimed twice
  EXPECT_EQ(Message(later).state, MessageState::kQueued);
  EXPECT_TRUE(Claim(kNow + 99).empty());
  EXPECT_EQ(Claim(kNow + 100), std::vector<int64_t>{later});
  EXPECT_TRUE(Claim(kNow + 1000).empty());
}

TEST_F(SqliteSmsStore, ClaimCancelsInvitationsToOptedOutNumbersButNotReplies) {
  const int64_t other = AddQueued("other", "p2", kNow);
  SmsReplyWrite stop = Reply("gw1", "p1", "opt_out", std::nullopt);
  stop.opt_out = true;
  stop.reply = Msg("p1", kNow, "opt_out_confirmation");
  ASSERT_TRUE(Apply(stop));
  // An invitation planned before the opt-out was seen, stored after it.
  const int64_t late = AddQueued("late", "p1", kNow);
  // Not yet due: left alone for now.
  const int64_t future = AddQueued("future", "p1", kNow + 500);
  const int64_t confirmation = QueryInts("SELECT id FROM sms_messages WHERE kind = 'opt_out_confirmation'").at(0);

  EXPECT_EQ(Claim(kNow), (std::vector<int64_t>{other, confirmation}));
  SmsMessage cancelled = Message(late);
  EXPECT_EQ(cancelled.state, MessageState::kCancelled);
  EXPECT_EQ(cancelled.attempts, 0);
  EXPECT_TRUE(cancelled.phone_sealed.empty());
  EXPECT_NE(cancelled.last_error.find("opted out"), std::string::npos) << cancelled.last_error;
  EXPECT_EQ(Message(confirmation).state, MessageState::kSending);
  EXPECT_FALSE(Message(confirmation).phone_sealed.empty());
  EXPECT_EQ(Message(future).state, MessageState::kQueued);
  EXPECT_TRUE(Claim(kNow + 500).empty());
  EXPECT_EQ(Message(future).state, MessageState::kCancelled);
}

TEST_F(SqliteSmsStore, ClaimCancelsInvitationsNoLongerOpenButNotTheirReplies) {
  SmsInvitation closed = Add(Inv("closed", "p1", kNow), Msg("p1", kNow));
  SmsInvitation answered = Add(Inv("answered", "p2", kNow), Msg("p2", kNow));
  const int64_t open = AddQueued("open", "p3", kNow);
  const int64_t closed_message = MessageIdsOf(closed.id).at(0);
  const int64_t answered_message = MessageIdsOf(answered.id).at(0);
  // The invitations change state before their messages go (the reply handler writes them);
  // a reply that comes after the close gets the "closed" notice.
  SmsReplyWrite close = Reply("gw1", "p1", "after_close", closed.id);
  close.invitation = closed;
  close.invitation->status = InvitationStatus::kClosed;
  close.invitation->closed_notice_sent = true;
  SmsMessage notice = Msg("p1", kNow, "closed");
  notice.invitation_id = closed.id;
  close.reply = notice;
  ASSERT_TRUE(Apply(close));
  SmsReplyWrite answer = Reply("gw2", "p2", "score", answered.id);
  answer.response = SmsResponse(answered, 9, kNow);
  answer.invitation = answered;
  answer.invitation->status = InvitationStatus::kAnswered;
  answer.invitation->answered_at = kNow;
  ASSERT_TRUE(Apply(answer));
  const int64_t notice_id = QueryInts("SELECT id FROM sms_messages WHERE kind = 'closed'").at(0);

  EXPECT_EQ(Claim(kNow), (std::vector<int64_t>{open, notice_id}));
  for (int64_t id : {closed_message, answered_message}) {
    SmsMessage m = Message(id);
    EXPECT_EQ(m.state, MessageState::kCancelled) << id;
    EXPECT_TRUE(m.phone_sealed.empty()) << id;
    EXPECT_EQ(m.attempts, 0) << id;
    EXPECT_NE(m.last_error.find("closed"), std::string::npos) << m.last_error;
  }
}

TEST_F(SqliteSmsStore, FinishAsSentRecordsTheTimeAndErasesTheSealedNumber) {
  const int64_t id = AddQueued("v1", "p1", kNow);
  ASSERT_EQ(Claim(kNow), std::vector<int64_t>{id});
  EXPECT_EQ(store_->CountSms()->sealed_phones, 1);
  ASSERT_TRUE(store_->FinishSmsMessage(id, MessageState::kSent, kNow + 3, "", 0).ok());
  SmsMessage m = Message(id);
  EXPECT_EQ(m.state, MessageState::kSent);
  EXPECT_EQ(m.sent_at, kNow + 3);
  EXPECT_TRUE(m.phone_sealed.empty());
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(store_->CountSms()->sealed_phones, 0);
  EXPECT_EQ(QueryInts("SELECT count(*) FROM sms_messages WHERE phone_sealed IS NULL").at(0), 1);
  // Only a message being sent can be finished: not twice, not unclaimed, not unknown ids.
  Status twice = store_->FinishSmsMessage(id, MessageState::kSent, kNow + 4, "", 0);
  EXPECT_EQ(twice.code(), StatusCode::kFailedPrecondition) << twice.ToString();
  EXPECT_EQ(Message(id).sent_at, kNow + 3);
  const int64_t queued = AddQueued("v2", "p2", kNow + 10);
  EXPECT_EQ(store_->FinishSmsMessage(queued, MessageState::kFailed, kNow, "x", 0).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Message(queued).state, MessageState::kQueued);
  EXPECT_FALSE(Message(queued).phone_sealed.empty());
  EXPECT_EQ(store_->FinishSmsMessage(424242, MessageState::kSent, kNow, "", 0).code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(SqliteSmsStore, FinishAsFailedErasesTheSealedNumberWithoutSentAt) {
  const int64_t id = AddQueued("v1", "p1", kNow);
  ASSERT_EQ(Claim(kNow), std::vector<int64_t>{id});
  ASSERT_TRUE(store_->FinishSmsMessage(id, MessageState::kFailed, kNow + 3, "rejected", 0).ok());
  SmsMessage m = Message(id);
  EXPECT_EQ(m.state, MessageState::kFailed);
  EXPECT_FALSE(m.sent_at.has_value());
  EXPECT_TRUE(m.phone_sealed.empty());
  EXPECT_EQ(m.last_error, "rejected");
  EXPECT_TRUE(Claim(kNow + kDay).empty());
}

TEST_F(SqliteSmsStore, FinishAsQueuedKeepsTheNumberAndRetriesNoEarlierThanAsked) {
  const int64_t id = AddQueued("v1", "p1", kNow);
  ASSERT_EQ(Claim(kNow), std::vector<int64_t>{id});
  ASSERT_TRUE(store_->FinishSmsMessage(id, MessageState::kQueued, kNow + 1, "gateway busy", kNow + 60).ok());
  SmsMessage m = Message(id);
  EXPECT_EQ(m.state, MessageState::kQueued);
  EXPECT_EQ(m.phone_sealed, Msg("p1", 0).phone_sealed);
  EXPECT_EQ(m.next_attempt_at, kNow + 60);
  EXPECT_EQ(m.last_error, "gateway busy");
  EXPECT_FALSE(m.sent_at.has_value());
  EXPECT_EQ(m.attempts, 1);
  EXPECT_TRUE(Claim(kNow + 59).empty());
  EXPECT_EQ(Message(id).state, MessageState::kQueued);
  Result<std::vector<SmsMessage>> retry = store_->ClaimSmsMessages(kNow + 60, 10);
  ASSERT_TRUE(retry.ok());
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ((*retry)[0].id, id);
  EXPECT_EQ((*retry)[0].attempts, 2);
  EXPECT_EQ((*retry)[0].phone_sealed, Msg("p1", 0).phone_sealed);
  EXPECT_EQ(Message(id).attempts, 2);
}

TEST_F(SqliteSmsStore, MarkInterruptedTurnsSendingIntoUnknownOnly) {
  const int64_t a = AddQueued("a", "pa", kNow);
  const int64_t b = AddQueued("b", "pb", kNow);
  const int64_t c = AddQueued("c", "pc", kNow);
  ASSERT_EQ(Claim(kNow, 2), (std::vector<int64_t>{a, b}));
  Reopen();  // as after a crash
  Result<int64_t> marked = store_->MarkInterruptedSmsUnknown();
  ASSERT_TRUE(marked.ok()) << marked.status().ToString();
  EXPECT_EQ(*marked, 2);
  for (int64_t id : {a, b}) {
    SmsMessage m = Message(id);
    EXPECT_EQ(m.state, MessageState::kUnknown) << id;
    EXPECT_TRUE(m.phone_sealed.empty()) << id;
    EXPECT_FALSE(m.last_error.empty()) << id;
  }
  SmsMessage queued = Message(c);
  EXPECT_EQ(queued.state, MessageState::kQueued);
  EXPECT_EQ(queued.phone_sealed, Msg("pc", 0).phone_sealed);
  EXPECT_EQ(*store_->MarkInterruptedSmsUnknown(), 0);
  // Unknown ones are never sent again blindly.
  EXPECT_EQ(Claim(kNow + kDay), std::vector<int64_t>{c});
}

TEST_F(SqliteSmsStore, CloseExpiredClosesOpenInvitationsAndCancelsTheirQueuedMessages) {
  SmsInvitation e1 = Inv("expired", "p1", kNow - 8 * kDay);  // closes_at = kNow - kDay
  SmsInvitation e2 = Inv("boundary", "p2", kNow - 7 * kDay);  // closes_at = kNow
  SmsInvitation e3 = Inv("still-open", "p3", kNow - 7 * kDay + 1);  // closes_at = kNow + 1
  SmsInvitation answered = Inv("answered", "p4", kNow - 8 * kDay);
  SmsInvitation sent = Inv("sent", "p5", kNow - 9 * kDay);  // went out early
  sent.closes_at = kNow - kDay;
  ASSERT_EQ(*store_->InsertSmsInvitations(
                {e1, e2, e3, answered, sent},
                {Msg("p1", e1.due_at), Msg("p2", e2.due_at), Msg("p3", e3.due_at), std::nullopt,
                 Msg("p5", sent.due_at)},
                nullptr),
            5);
  const int64_t sent_message = MessageIdsOf(Invitation("sent").id).at(0);
  Send(sent_message, sent.due_at);
  SmsInvitation stored_answered = Invitation("answered");
  SmsReplyWrite answer = Reply("gw1", "p4", "score", stored_answered.id);
  answer.response = SmsResponse(stored_answered, 7, kNow - 8 * kDay + 60);
  answer.invitation = stored_answered;
  answer.invitation->status = InvitationStatus::kAnswered;
  answer.invitation->answered_at = kNow - 8 * kDay + 60;
  ASSERT_TRUE(Apply(answer));

  Result<int64_t> closed = store_->CloseExpiredSmsInvitations(kNow);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(*closed, 3);  // expired, boundary, sent
  EXPECT_EQ(Invitation("expired").status, InvitationStatus::kClosed);
  EXPECT_EQ(Invitation("boundary").status, InvitationStatus::kClosed);
  EXPECT_EQ(Invitation("sent").status, InvitationStatus::kClosed);
  EXPECT_EQ(Invitation("still-open").status, InvitationStatus::kOpen);
  EXPECT_EQ(Invitation("answered").status, InvitationStatus::kAnswered);
  EXPECT_EQ(Invitation("answered").answered_at, kNow - 8 * kDay + 60);
  for (const char* visit : {"expired", "boundary"}) {
    SmsMessage m = Message(MessageIdsOf(Invitation(visit).id).at(0));
    EXPECT_EQ(m.state, MessageState::kCancelled) << visit;
    EXPECT_TRUE(m.phone_sealed.empty()) << visit;
  }
  SmsMessage open_message = Message(MessageIdsOf(Invitation("still-open").id).at(0));
  EXPECT_EQ(open_message.state, MessageState::kQueued);
  EXPECT_EQ(open_message.phone_sealed, Msg("p3", 0).phone_sealed);
  EXPECT_EQ(Message(sent_message).state, MessageState::kSent);
  EXPECT_EQ(store_->CountSms()->sealed_phones, 1);
  EXPECT_EQ(*store_->CloseExpiredSmsInvitations(kNow), 0);
  EXPECT_EQ(*store_->CloseExpiredSmsInvitations(kNow + 1), 1);
  EXPECT_EQ(Message(open_message.id).state, MessageState::kCancelled);
}

TEST_F(SqliteSmsStore, DeliveryReportsAreRecordedAndOnlyType1SetsDeliveredAt) {
  const int64_t id = AddQueued("v1", "p1", kNow);
  Send(id, kNow);
  ASSERT_TRUE(store_->RecordSmsDelivery(id, 8, kNow + 1).ok());
  SmsMessage acked = Message(id);
  EXPECT_EQ(acked.last_delivery_report, 8);
  EXPECT_FALSE(acked.delivered_at.has_value());
  ASSERT_TRUE(store_->RecordSmsDelivery(id, 1, kNow + 5).ok());
  SmsMessage delivered = Message(id);
  EXPECT_EQ(delivered.last_delivery_report, 1);
  EXPECT_EQ(delivered.delivered_at, kNow + 5);
  // A later non-delivery report keeps the delivery time.
  ASSERT_TRUE(store_->RecordSmsDelivery(id, 8, kNow + 9).ok());
  EXPECT_EQ(Message(id).delivered_at, kNow + 5);
  // The same report twice is not a missing message.
  ASSERT_TRUE(store_->RecordSmsDelivery(id, 8, kNow + 9).ok());
  Status unknown = store_->RecordSmsDelivery(id + 1000, 1, kNow);
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound) << unknown.ToString();
}

TEST_F(SqliteSmsStore, ScoreReplyStoresTheAnswerAndUpdatesTheInvitation) {
  SmsInvitation inv = Add(Inv("v1", "p1", kNow), Msg("p1", kNow));
  SmsReplyWrite w = Reply("gw1", "p1", "score", inv.id);
  w.response = SmsResponse(inv, 8, kNow + 60);
  w.response->comment = "Hyvä";
  w.invitation = inv;
  w.invitation->status = InvitationStatus::kAnswered;
  w.invitation->answered_at = kNow + 60;
  w.invitation->comment_received = true;
  Result<bool> applied = store_->ApplySmsReply(w);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_TRUE(*applied);
  Result<Response> stored = store_->GetResponse("sms", "v1");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(*stored, *w.response);
  SmsInvitation after = Invitation("v1");
  EXPECT_EQ(after.status, InvitationStatus::kAnswered);
  EXPECT_EQ(after.answered_at, kNow + 60);
  EXPECT_TRUE(after.comment_received);
  EXPECT_FALSE(after.clarification_sent);
  EXPECT_EQ(MessageCount(), 1);  // no reply asked for, none queued
}

TEST_F(SqliteSmsStore, RepeatedGatewayIdWritesNothing) {
  SmsInvitation inv = Add(Inv("v1", "p1", kNow), Msg("p1", kNow));
  SmsInvitation other = Add(Inv("v2", "p1", kNow - kDay), Msg("p1", kNow - kDay));
  SmsReplyWrite w = Reply("gw1", "p1", "score", inv.id);
  w.response = SmsResponse(inv, 8, kNow + 60);
  w.invitation = inv;
  w.invitation->status = InvitationStatus::kAnswered;
  w.invitation->answered_at = kNow + 60;
  ASSERT_TRUE(Apply(w));
  const int64_t messages = MessageCount();

  // The gateway delivers the same message again; whatever the second handling decided, the
  // first one stands.
  SmsReplyWrite again = Reply("gw1", "p1", "comment", other.id);
  again.response = SmsResponse(other, 2, kNow + 70);
  again.append_comment = "toinen";
  again.invitation = other;
  again.invitation->status = InvitationStatus::kAnswered;
  again.invitation->answered_at = kNow + 70;
  again.invitation->clarification_sent = true;
  again.opt_out = true;
  again.reply = Msg("p1", kNow + 70, "clarification");
  Result<bool> applied = store_->ApplySmsReply(again);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_FALSE(*applied);

  EXPECT_EQ(store_->GetResponse("sms", "v2").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetResponse("sms", "v1")->score, 8);
  EXPECT_FALSE(store_->GetResponse("sms", "v1")->comment.has_value());
  SmsInvitation other_after = Invitation("v2");
  EXPECT_EQ(other_after.status, InvitationStatus::kOpen);
  EXPECT_FALSE(other_after.answered_at.has_value());
  EXPECT_FALSE(other_after.clarification_sent);
  EXPECT_FALSE(*store_->IsOptedOut("p1"));
  EXPECT_EQ(MessageCount(), messages);
  EXPECT_EQ(*store_->CountResponses(), 1);
  Result<SmsCounts> counts = store_->CountSms();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->inbound, (std::vector<std::pair<std::string, int64_t>>{{"score", 1}}));
}

TEST_F(SqliteSmsStore, AppendedCommentsJoinWithASpaceOrStartTheComment) {
  SmsInvitation inv = Add(Inv("v1", "p1", kNow), Msg("p1", kNow));
  SmsReplyWrite score = Reply("gw1", "p1", "score", inv.id);
  score.response = SmsResponse(inv, 9, kNow + 60);  // no comment: NULL
  score.invitation = inv;
  score.invitation->status = InvitationStatus::kAnswered;
  score.invitation->answered_at = kNow + 60;
  ASSERT_TRUE(Apply(score));
  ASSERT_FALSE(store_->GetResponse("sms", "v1")->comment.has_value());

  SmsReplyWrite first = Reply("gw2", "p1", "comment", inv.id);
  first.append_comment = "Hyvä hoito.";
  first.invitation = *score.invitation;
  first.invitation->comment_received = true;
  ASSERT_TRUE(Apply(first));
  EXPECT_EQ(store_->GetResponse("sms", "v1")->comment, "Hyvä hoito.");
  EXPECT_TRUE(Invitation("v1").comment_received);
  EXPECT_EQ(Invitation("v1").answered_at, kNow + 60);

  SmsReplyWrite second = Reply("gw3", "p1", "comment", inv.id);
  second.append_comment = "Kiitos!";
  second.invitation = *first.invitation;
  ASSERT_TRUE(Apply(second));
  Result<Response> stored = store_->GetResponse("sms", "v1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->comment, "Hyvä hoito. Kiitos!");
  EXPECT_EQ(stored->score, 9);
}

TEST_F(SqliteSmsStore, OptOutClosesOpenInvitationsCancelsQueuedMessagesAndQueuesTheReply) {
  SmsInvitation sent = Add(Inv("sent", "p1", kNow - 100), Msg("p1", kNow - 100));
  const int64_t sent_message = MessageIdsOf(sent.id).at(0);
  Send(sent_message, kNow - 100);
  const int64_t queued = AddQueued("queued", "p1", kNow + 3600);
  SmsInvitation answered = Add(Inv("answered", "p1", kNow - kDay), std::nullopt);
  SmsReplyWrite answer = Reply("gw0", "p1", "score", answered.id);
  answer.response = SmsResponse(answered, 10, kNow - kDay);
  answer.invitation = answered;
  answer.invitation->status = InvitationStatus::kAnswered;
  answer.invitation->answered_at = kNow - kDay;
  ASSERT_TRUE(Apply(answer));
  const int64_t bystander = AddQueued("bystander", "p2", kNow + 3600);
  // A reply still waiting to go to the number (held over quiet hours, say) is not sent either.
  SmsReplyWrite unclear = Reply("gw-unclear", "p1", "invalid", sent.id);
  unclear.invitation = sent;
  unclear.invitation->clarification_sent = true;
  unclear.reply = Msg("p1", kNow + 3600, "clarification");
  unclear.reply->invitation_id = sent.id;
  ASSERT_TRUE(Apply(unclear));
  const int64_t clarification = QueryInts("SELECT id FROM sms_messages WHERE kind = 'clarification'").at(0);

  SmsReplyWrite stop = Reply("gw1", "p1", "opt_out", sent.id);
  stop.opt_out = true;
  stop.reply = Msg("p1", kNow, "opt_out_confirmation");
  ASSERT_TRUE(Apply(stop));

  EXPECT_TRUE(*store_->IsOptedOut("p1"));
  EXPECT_FALSE(*store_->IsOptedOut("p2"));
  EXPECT_EQ(Invitation("sent").status, InvitationStatus::kClosed);
  EXPECT_EQ(Invitation("queued").status, InvitationStatus::kClosed);
  EXPECT_EQ(Invitation("answered").status, InvitationStatus::kAnswered);
  EXPECT_EQ(Invitation("bystander").status, InvitationStatus::kOpen);
  for (int64_t id : {queued, clarification}) {
    SmsMessage cancelled = Message(id);
    EXPECT_EQ(cancelled.state, MessageState::kCancelled) << id;
    EXPECT_TRUE(cancelled.phone_sealed.empty()) << id;
  }
  EXPECT_EQ(Message(sent_message).state, MessageState::kSent);
  EXPECT_EQ(Message(bystander).state, MessageState::kQueued);
  EXPECT_FALSE(Message(bystander).phone_sealed.empty());
  const std::vector<int64_t> confirmations =
      QueryInts("SELECT id FROM sms_messages WHERE kind = 'opt_out_confirmation'");
  ASSERT_EQ(confirmations.size(), 1u);
  SmsMessage confirmation = Message(confirmations[0]);
  EXPECT_EQ(confirmation.state, MessageState::kQueued);
  EXPECT_EQ(confirmation.phone_hash, "p1");
  EXPECT_EQ(confirmation.phone_sealed, Msg("p1", 0).phone_sealed);
  EXPECT_EQ(confirmation.not_before, kNow);
  EXPECT_FALSE(confirmation.invitation_id.has_value());
  EXPECT_EQ(Claim(kNow + 3600), (std::vector<int64_t>{bystander, confirmations[0]}));
}

// Every part of one reply is written together or not at all. The failure here comes from the
// first part (an unknown unit) and from the last (a reply referring to no invitation).
TEST_F(SqliteSmsStore, AFailingReplyWritesNothingAndItsRetryIsApplied) {
  SmsInvitation inv = Add(Inv("v1", "p1", kNow), Msg("p1", kNow));
  const int64_t queued = AddQueued("v2", "p1", kNow + 3600);
  const int64_t messages = MessageCount();
  auto write = [&](const std::string& unit, std::optional<int64_t> reply_invitation) {
    SmsReplyWrite w = Reply("gw1", "p1", "score", inv.id);
    w.response = SmsResponse(inv, 6, kNow + 60);
    w.response->unit_code = unit;
    w.invitation = inv;
    w.invitation->status = InvitationStatus::kAnswered;
    w.invitation->answered_at = kNow + 60;
    w.opt_out = true;
    w.reply = Msg("p1", kNow + 60, "opt_out_confirmation");
    w.reply->invitation_id = reply_invitation;
    return w;
  };
  auto expect_nothing_written = [&]() {
    EXPECT_EQ(store_->GetResponse("sms", "v1").status().code(), StatusCode::kNotFound);
    EXPECT_EQ(*store_->CountResponses(), 0);
    SmsInvitation after = Invitation("v1");
    EXPECT_EQ(after.status, InvitationStatus::kOpen);
    EXPECT_FALSE(after.answered_at.has_value());
    EXPECT_EQ(Invitation("v2").status, InvitationStatus::kOpen);
    EXPECT_FALSE(*store_->IsOptedOut("p1"));
    EXPECT_EQ(Message(queued).state, MessageState::kQueued);
    EXPECT_FALSE(Message(queued).phone_sealed.empty());
    EXPECT_EQ(MessageCount(), messages);
    EXPECT_TRUE(store_->CountSms()->inbound.empty());
  };

  Result<bool> bad_unit = store_->ApplySmsReply(write("NOPE", std::nullopt));
  ASSERT_FALSE(bad_unit.ok());
  EXPECT_EQ(bad_unit.status().code(), StatusCode::kInvalidArgument) << bad_unit.status().ToString();
  expect_nothing_written();

  Result<bool> bad_reply = store_->ApplySmsReply(write("U1", 987654));
  ASSERT_FALSE(bad_reply.ok());
  expect_nothing_written();

  Result<bool> retry = store_->ApplySmsReply(write("U1", inv.id));
  ASSERT_TRUE(retry.ok()) << retry.status().ToString();
  EXPECT_TRUE(*retry);
  EXPECT_EQ(store_->GetResponse("sms", "v1")->score, 6);
  EXPECT_EQ(Invitation("v1").status, InvitationStatus::kAnswered);
  EXPECT_EQ(Invitation("v2").status, InvitationStatus::kClosed);
  EXPECT_TRUE(*store_->IsOptedOut("p1"));
  EXPECT_EQ(Message(queued).state, MessageState::kCancelled);
  EXPECT_EQ(MessageCount(), messages + 1);
  EXPECT_EQ(store_->CountSms()->inbound, (std::vector<std::pair<std::string, int64_t>>{{"score", 1}}));
}

TEST_F(SqliteSmsStore, CountSmsGroupsInvitationsMessagesAndInbound) {
  Result<SmsCounts> empty = store_->CountSms();
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->invitations.empty());
  EXPECT_TRUE(empty->messages.empty());
  EXPECT_TRUE(empty->inbound.empty());
  EXPECT_EQ(empty->opted_out, 0);
  EXPECT_EQ(empty->sealed_phones, 0);

  const int64_t sent = AddQueued("a", "p1", kNow);
  Send(sent, kNow);
  AddQueued("b", "p2", kNow + 3600);
  AddQueued("c", "p3", kNow + 3600);
  Add(Inv("d", "p4", kNow, InvitationStatus::kSkipped), std::nullopt);
  SmsInvitation a = Invitation("a");
  SmsReplyWrite answer = Reply("gw1", "p1", "score", a.id);
  answer.response = SmsResponse(a, 5, kNow + 10);
  answer.invitation = a;
  answer.invitation->status = InvitationStatus::kAnswered;
  answer.invitation->answered_at = kNow + 10;
  ASSERT_TRUE(Apply(answer));
  SmsReplyWrite stop = Reply("gw2", "p3", "opt_out", std::nullopt);
  stop.opt_out = true;
  stop.reply = Msg("p3", kNow, "opt_out_confirmation");
  ASSERT_TRUE(Apply(stop));
  ASSERT_TRUE(Apply(Reply("gw3", "p9", "unknown_number", std::nullopt)));
  ASSERT_TRUE(Apply(Reply("gw4", "p8", "unknown_number", std::nullopt)));

  using Groups = std::vector<std::pair<std::string, int64_t>>;
  Result<SmsCounts> counts = store_->CountSms();
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->invitations, (Groups{{"answered", 1}, {"closed", 1}, {"open", 1}, {"skipped", 1}}));
  EXPECT_EQ(counts->messages, (Groups{{"invitation/cancelled", 1},
                                      {"invitation/queued", 1},
                                      {"invitation/sent", 1},
                                      {"opt_out_confirmation/queued", 1}}));
  EXPECT_EQ(counts->inbound, (Groups{{"opt_out", 1}, {"score", 1}, {"unknown_number", 2}}));
  EXPECT_EQ(counts->opted_out, 1);
  EXPECT_EQ(counts->sealed_phones, 2);  // the queued invitation and the confirmation
}

}  // namespace
}  // namespace mittari
