// Service use-cases for the HTTP face: access control, comments, comparisons, funnel,
// group-committed answers and web form links.
#include <fmt/format.h>
#include <sodium.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <thread>

#include "ingest/pipeline.h"
#include "service/service.h"

namespace mittari {
namespace {

constexpr size_t kTokenBytes = 32;
constexpr size_t kMinPasswordLength = 10;
constexpr UnixSeconds kInvitationSeconds = 7 * 24 * 3600;

UnixSeconds Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.pop_back();
  return out;
}

std::string RandomToken(size_t bytes = kTokenBytes) {
  std::vector<unsigned char> buffer(bytes);
  randombytes_buf(buffer.data(), buffer.size());
  return Hex(buffer.data(), buffer.size());
}

// Tokens are stored only as hashes, so a copy of the database does not let anyone log in.
std::string TokenHash(std::string_view token) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return Hex(digest, sizeof digest);
}

Result<std::string> HashPassword(const std::string& password) {
  if (!SodiumReady()) return InternalError("libsodium could not be initialised");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return UnavailableError("not enough memory to hash the password");
  }
  return std::string(hash);
}

Result<LocalDay> ParseDay(const std::optional<std::string>& text, std::string_view name) {
  if (!text) return InvalidArgumentError(fmt::format("'{}' is required (YYYY-MM-DD)", name));
  Result<LocalDay> day = ParseLocalDate(*text);
  if (!day.ok()) return day.status().WithContext(name);
  return day;
}

LocalDay ShiftYears(LocalDay day, int years) {
  CivilDate c = ToCivilDate(day);
  int y = c.year + years, d = c.day;
  if (c.month == 2 && d == 29) {
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (!leap) d = 28;
  }
  return FromCivilDate(y, c.month, d);
}

}  // namespace

struct Service::PendingSubmit {
  const std::vector<Response>* responses = nullptr;
  std::vector<bool> inserted;
  ResponseWriteStats stats;
  Status status;
  bool done = false;
};

Status Service::AddUser(const std::string& name, Role role, const std::string& password) {
  if (name.empty()) return InvalidArgumentError("the user name is empty");
  User user;
  user.name = name;
  user.role = role;
  if (!password.empty()) {
    if (password.size() < kMinPasswordLength) {
      return InvalidArgumentError(fmt::format("passwords need at least {} characters", kMinPasswordLength));
    }
    ASSIGN_OR_RETURN(user.password_hash, HashPassword(password));
  }
  std::lock_guard lock(store_mu_);
  ASSIGN_OR_RETURN(int64_t id, store_->CreateUser(user));
  (void)id;
  return store_->AppendAudit(AuditEntry{0, Now(), "cli", "user_add",
                                        nlohmann::json{{"name", name}, {"role", ToName(role)}}.dump()});
}

Status Service::SetPassword(const std::string& name, const std::string& password) {
  if (password.size() < kMinPasswordLength) {
    return InvalidArgumentError(fmt::format("passwords need at least {} characters", kMinPasswordLength));
  }
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  ForgetPrincipals();
  std::lock_guard lock(store_mu_);
  ASSIGN_OR_RETURN(User user, store_->GetUser(name));
  return store_->SetPasswordHash(user.id, hash);
}

Status Service::GrantUnit(const std::string& name, const std::string& unit_code) {
  ForgetPrincipals();
  std::lock_guard lock(store_mu_);
  ASSIGN_OR_RETURN(User user, store_->GetUser(name));
  if (user.role != Role::kManager) {
    return FailedPreconditionError(fmt::format(
        "'{}' is a {}; only managers are limited to units (the others see every unit)", name, ToName(user.role)));
  }
  return store_->GrantUnit(user.id, unit_code);
}

Result<std::string> Service::CreateApiToken(const std::string& name, const std::string& label) {
  if (!SodiumReady()) return InternalError("libsodium could not be initialised");
  std::lock_guard lock(store_mu_);
  ASSIGN_OR_RETURN(User user, store_->GetUser(name));
  std::string token = RandomToken();
  RETURN_IF_ERROR(store_->CreateApiToken(TokenHash(token), user.id, label));
  return token;
}

Result<Principal> Service::PrincipalOf(int64_t user_id, std::string csrf) {
  ASSIGN_OR_RETURN(User user, store_->GetUserById(user_id));
  return Principal{user.id, user.name, user.role, user.unit_codes, std::move(csrf)};
}

Result<LoginResult> Service::Login(const std::string& name, const std::string& password) {
  if (!SodiumReady()) return InternalError("libsodium could not be initialised");
  const Status denied = PermissionDeniedError("wrong user name or password");
  Result<User> found = [&] {
    std::lock_guard lock(store_mu_);
    return store_->GetUser(name);
  }();
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    // Verify against a real hash anyway, so the time taken does not tell which names exist.
    static const std::string kDecoy = HashPassword(RandomToken(8)).value();
    [[maybe_unused]] int ignored =
        crypto_pwhash_str_verify(kDecoy.c_str(), password.data(), password.size());
    return denied;
  }
  User user = std::move(found).value();
  const UnixSeconds now = Now();
  if (user.locked_until > now) {
    return PermissionDeniedError(fmt::format("the account is locked after {} failed logins; try again after {}",
                                             user.failed_logins, FormatInstantUtc(user.locked_until)));
  }
  bool ok = !user.password_hash.empty() &&
            crypto_pwhash_str_verify(user.password_hash.c_str(), password.data(), password.size()) == 0;
  std::lock_guard lock(store_mu_);
  if (!ok) {
    int failures = user.failed_logins + 1;
    UnixSeconds locked_until = failures >= policy_.max_failed_logins ? now + policy_.lockout_seconds : 0;
    RETURN_IF_ERROR(store_->SetLoginFailures(user.id, failures, locked_until));
    RETURN_IF_ERROR(store_->AppendAudit(AuditEntry{0, now, name, "login_failed", "{}"}));
    return denied;
  }
  if (user.failed_logins != 0) RETURN_IF_ERROR(store_->SetLoginFailures(user.id, 0, 0));
  LoginResult result;
  result.session_token = RandomToken();
  Session session{user.id, RandomToken(16), now + policy_.session_seconds};
  RETURN_IF_ERROR(store_->CreateSession(TokenHash(result.session_token), session));
  RETURN_IF_ERROR(store_->AppendAudit(AuditEntry{0, now, name, "login", "{}"}));
  result.principal = Principal{user.id, user.name, user.role, user.unit_codes, session.csrf_token};
  return result;
}

Status Service::Logout(const std::string& session_token) {
  ForgetPrincipals();
  std::lock_guard lock(store_mu_);
  return store_->DeleteSession(TokenHash(session_token));
}

// Principals are cached for a short while: a changed grant or a new password made by another
// process (the CLI) takes effect within kAuthCacheSeconds; changes made here at once.
constexpr UnixSeconds kAuthCacheSeconds = 30;

Result<Principal> Service::AuthenticateSession(const std::string& session_token) {
  if (!SodiumReady()) return InternalError("libsodium could not be initialised");
  const std::string key = "s:" + TokenHash(session_token);
  const UnixSeconds now = Now();
  {
    std::lock_guard cache(auth_cache_mu_);
    auto hit = auth_cache_.find(key);
    if (hit != auth_cache_.end() && hit->second.until > now) return hit->second.principal;
  }
  std::lock_guard lock(store_mu_);
  Result<Session> session = store_->GetSession(key.substr(2));
  if (!session.ok() || session->expires_at <= now) {
    return PermissionDeniedError("not logged in, or the session has expired");
  }
  ASSIGN_OR_RETURN(Principal who, PrincipalOf(session->user_id, session->csrf_token));
  std::lock_guard cache(auth_cache_mu_);
  auth_cache_[key] = CachedPrincipal{who, std::min(now + kAuthCacheSeconds, session->expires_at)};
  return who;
}

Result<Principal> Service::AuthenticateToken(const std::string& api_token) {
  if (!SodiumReady()) return InternalError("libsodium could not be initialised");
  const std::string key = "t:" + TokenHash(api_token);
  const UnixSeconds now = Now();
  {
    std::lock_guard cache(auth_cache_mu_);
    auto hit = auth_cache_.find(key);
    if (hit != auth_cache_.end() && hit->second.until > now) return hit->second.principal;
  }
  std::lock_guard lock(store_mu_);
  Result<int64_t> user_id = store_->GetApiTokenUser(key.substr(2));
  if (!user_id.ok()) return PermissionDeniedError("unknown API token");
  ASSIGN_OR_RETURN(Principal who, PrincipalOf(*user_id, ""));
  std::lock_guard cache(auth_cache_mu_);
  auth_cache_[key] = CachedPrincipal{who, now + kAuthCacheSeconds};
  return who;
}

void Service::ForgetPrincipals() {
  std::lock_guard cache(auth_cache_mu_);
  auth_cache_.clear();
}

Status Service::CheckUnitAccess(const Principal& who, const std::string& unit_code) {
  RETURN_IF_ERROR(engine().status());
  std::shared_lock lock(engine_mu_);
  const OrgTree& tree = engine_->tree();
  std::optional<UnitIndex> unit = tree.Find(unit_code);
  if (!unit) return NotFoundError(fmt::format("unknown unit code '{}'", unit_code));
  if (who.role == Role::kAdmin || who.role == Role::kAnalyst) return Status::Ok();
  if (who.role == Role::kManager) {
    for (const std::string& root : who.unit_codes) {
      std::optional<UnitIndex> r = tree.Find(root);
      if (r && tree.InSubtree(*r, *unit)) return Status::Ok();
    }
  }
  return PermissionDeniedError(fmt::format("{} may not see unit '{}'", who.name, unit_code));
}

Status Service::Audit(const Principal& who, const std::string& action, const std::string& detail) {
  std::lock_guard lock(store_mu_);
  return store_->AppendAudit(AuditEntry{0, Now(), who.name, action, detail});
}

Result<std::vector<AuditEntry>> Service::AuditLog(int64_t limit, int64_t offset) {
  std::lock_guard lock(store_mu_);
  return store_->ListAudit(limit, offset);
}

std::vector<std::string> Service::SubtreeCodes(const OrgTree& tree, UnitIndex root) const {
  std::vector<std::string> codes;
  for (size_t i = 0; i < tree.size(); ++i) {
    auto u = static_cast<UnitIndex>(i);
    if (tree.InSubtree(root, u) || tree.InSubtree(root, tree.CurrentSuccessor(u))) {
      codes.push_back(tree.unit(u).code);
    }
  }
  return codes;
}

Result<CommentsResult> Service::Comments(const Principal& who, const CommentsRequest& request) {
  CommentQuery query;
  RETURN_IF_ERROR(engine().status());
  {
    std::shared_lock lock(engine_mu_);
    const OrgTree& tree = engine_->tree();
    if (request.unit) {
      std::optional<UnitIndex> unit = tree.Find(*request.unit);
      if (!unit) return NotFoundError(fmt::format("unknown unit code '{}'", *request.unit));
      query.unit_codes = SubtreeCodes(tree, *unit);
    }
  }
  const HelsinkiCalendar& calendar = HelsinkiCalendar::Get();
  if (request.from) {
    ASSIGN_OR_RETURN(LocalDay day, ParseDay(request.from, "from"));
    query.from = calendar.StartOfDay(day);
  }
  if (request.to) {
    ASSIGN_OR_RETURN(LocalDay day, ParseDay(request.to, "to"));
    query.before = calendar.StartOfDay(day + 1);
  }
  if (request.page < 1) return InvalidArgumentError("page starts from 1");
  query.words = request.words;
  for (const std::string& name : request.themes) {
    std::optional<Theme> theme = ParseEnum<Theme>(name);
    if (!theme) return InvalidArgumentError(fmt::format("theme '{}' is not one of {}", name, AllowedNames<Theme>()));
    query.themes = WithTheme(query.themes, *theme);
  }
  {
    std::optional<SurveyKind> survey = ParseEnum<SurveyKind>(request.survey);
    if (!survey) return InvalidArgumentError(fmt::format("survey '{}' is not one of {}", request.survey, AllowedNames<SurveyKind>()));
    query.survey = *survey;
  }
  if (request.sentiment) {
    query.sentiment = ParseEnum<Sentiment>(*request.sentiment);
    if (!query.sentiment) {
      return InvalidArgumentError(fmt::format("sentiment '{}' is not one of {}", *request.sentiment, AllowedNames<Sentiment>()));
    }
  }
  query.limit = std::clamp<int64_t>(request.page_size, 1, 200);
  query.offset = (request.page - 1) * query.limit;
  nlohmann::json detail = {{"unit", request.unit.value_or("")}, {"from", request.from.value_or("")},
                           {"to", request.to.value_or("")}, {"q", request.words}, {"page", request.page},
                           {"themes", request.themes}, {"sentiment", request.sentiment.value_or("")}};
  std::lock_guard lock(store_mu_);
  // The read is audited before anything is returned; if the audit cannot be written, nothing is.
  RETURN_IF_ERROR(store_->AppendAudit(AuditEntry{0, Now(), who.name, "read_comments", detail.dump()}));
  // The threshold applies to the group (unit subtree and period), not to the word search.
  CommentQuery group = query;
  group.words.clear();
  group.themes = 0;
  group.sentiment.reset();
  group.limit = 0;
  ASSIGN_OR_RETURN(Store::CommentPage whole, store_->ListComments(group));
  CommentsResult result;
  if (whole.total < policy_.min_n_comments) {
    result.suppressed = true;
    return result;
  }
  ASSIGN_OR_RETURN(Store::CommentPage page, store_->ListComments(query));
  result.total = page.total;
  result.rows = std::move(page.rows);
  return result;
}

Result<Service::CompareResult> Service::CompareNps(const ReportRequest& request, CompareAgainst against) {
  ASSIGN_OR_RETURN(LocalDay from, ParseDay(request.from, "from"));
  ASSIGN_OR_RETURN(LocalDay to, ParseDay(request.to, "to"));
  if (from > to) return InvalidArgumentError("from is after to");
  LocalDay first_from, first_to;
  if (against == CompareAgainst::kPrevious) {
    first_to = from - 1;
    first_from = first_to - (to - from);
  } else {
    first_from = ShiftYears(from, -1);
    first_to = ShiftYears(to, -1);
  }
  RETURN_IF_ERROR(engine().status());
  std::shared_lock lock(engine_mu_);
  auto counts_for = [&](LocalDay a, LocalDay b) -> Result<NpsCounts> {
    ReportRequest period = request;
    period.by.clear();
    period.from = FormatLocalDate(a);
    period.to = FormatLocalDate(b);
    ASSIGN_OR_RETURN(Query query, ToQuery(*engine_, period));
    query.min_n = 1;
    ASSIGN_OR_RETURN(std::vector<NpsGroup> groups, engine_->Nps(query));
    return groups.empty() ? NpsCounts{} : groups[0].counts;
  };
  CompareResult result;
  result.first_from = FormatLocalDate(first_from);
  result.first_to = FormatLocalDate(first_to);
  result.second_from = FormatLocalDate(from);
  result.second_to = FormatLocalDate(to);
  ASSIGN_OR_RETURN(NpsCounts first, counts_for(first_from, first_to));
  ASSIGN_OR_RETURN(NpsCounts second, counts_for(from, to));
  if (IsSuppressed(first.n(), request.min_n) || IsSuppressed(second.n(), request.min_n)) {
    result.suppressed = true;
    return result;
  }
  result.first_counts = first;
  result.second_counts = second;
  result.comparison = mittari::CompareNps(first, second);
  return result;
}

Result<Service::FunnelResult> Service::Funnel(const ReportRequest& request) {
  RETURN_IF_ERROR(engine().status());
  std::shared_lock lock(engine_mu_);
  const OrgTree& tree = engine_->tree();
  if (tree.size() == 0) return FailedPreconditionError("no units are stored yet");
  UnitIndex parent = 0;
  if (request.unit) {
    std::optional<UnitIndex> found = tree.Find(*request.unit);
    if (!found) return NotFoundError(fmt::format("unknown unit code '{}'", *request.unit));
    parent = *found;
  }
  ReportRequest by_unit = request;
  by_unit.unit = tree.unit(parent).code;
  by_unit.by = {"unit"};
  ASSIGN_OR_RETURN(Query query, ToQuery(*engine_, by_unit));
  query.min_n = 1;
  ASSIGN_OR_RETURN(std::vector<NpsGroup> groups, engine_->Nps(query));
  FunnelResult result;
  result.parent_code = tree.unit(parent).code;
  std::map<UnitIndex, NpsCounts> children;
  for (const NpsGroup& g : groups) {
    UnitIndex u = *tree.Find(g.labels[0].value);
    result.parent_counts.Combine(g.counts);
    if (u == parent) continue;  // answers given to the parent itself count only for it
    while (tree.parent(u) != parent) u = tree.parent(u);
    children[u].Combine(g.counts);
  }
  for (const auto& [u, counts] : children) {
    FunnelRow row;
    row.unit_code = tree.unit(u).code;
    row.unit_name = query.name_language == Language::kSv   ? tree.unit(u).name_sv
                    : query.name_language == Language::kEn ? tree.unit(u).name_en
                                                           : tree.unit(u).name_fi;
    row.suppressed = IsSuppressed(counts.n(), request.min_n);
    if (!row.suppressed) {
      row.counts = counts;
      row.nps = EstimateNps(counts)->value;
      row.limits = FunnelLimitsFor(result.parent_counts, counts.n());
      if (row.limits) row.position = PositionInFunnel(*row.limits, row.nps);
    }
    result.units.push_back(std::move(row));
  }
  if (IsSuppressed(result.parent_counts.n(), request.min_n)) {
    result.parent_counts = NpsCounts{};
    result.units.clear();
    return result;
  }
  int64_t largest = 1;
  for (const FunnelRow& row : result.units) largest = std::max(largest, row.counts.n());
  constexpr int kCurvePoints = 60;
  const double top = static_cast<double>(largest) * 1.2;
  int64_t previous = 0;
  for (int i = 0; i <= kCurvePoints; ++i) {
    // Log-spaced, where the funnel bends.
    auto n = static_cast<int64_t>(std::llround(std::pow(std::max(top, 2.0), static_cast<double>(i) / kCurvePoints)));
    if (n <= previous) continue;
    previous = n;
    if (std::optional<FunnelLimits> limits = FunnelLimitsFor(result.parent_counts, n)) {
      result.curve.emplace_back(n, *limits);
    }
  }
  return result;
}

std::optional<FieldError> Service::Prepare(Response& response) {
  if (!engine().ok()) return FieldError{"unit", "the units could not be loaded"};
  std::shared_lock lock(engine_mu_);
  IngestContext context{&engine_->tree(), Now(), analyzer_.get()};
  return PrepareResponse(context, response);
}

Result<ResponseWriteStats> Service::CommitGroup(const std::vector<Response>& responses,
                                               std::vector<bool>* inserted) {
  std::lock_guard lock(store_mu_);
  return CommitResponses(*store_, responses, inserted);
}

Result<SubmitOutcome> Service::SubmitResponses(std::vector<Response> responses) {
  PendingSubmit me;
  me.responses = &responses;
  std::unique_lock lock(commit_mu_);
  pending_.push_back(&me);
  while (!me.done) {
    if (committing_) {
      commit_cv_.wait(lock);
      continue;
    }
    // This caller commits everyone who is waiting, in one durable transaction.
    committing_ = true;
    std::vector<PendingSubmit*> group;
    group.swap(pending_);
    lock.unlock();
    std::vector<Response> all;
    for (PendingSubmit* p : group) all.insert(all.end(), p->responses->begin(), p->responses->end());
    std::vector<bool> inserted;
    Result<ResponseWriteStats> stats = CommitGroup(all, &inserted);
    if (stats.ok()) {
      size_t offset = 0;
      for (PendingSubmit* p : group) {
        size_t n = p->responses->size();
        p->inserted.assign(inserted.begin() + static_cast<std::ptrdiff_t>(offset),
                           inserted.begin() + static_cast<std::ptrdiff_t>(offset + n));
        for (bool b : p->inserted) (b ? p->stats.inserted : p->stats.duplicates)++;
        offset += n;
      }
    } else {
      // One request's fault must not fail the others: commit each on its own.
      for (PendingSubmit* p : group) {
        Result<ResponseWriteStats> own = CommitGroup(*p->responses, &p->inserted);
        if (own.ok()) {
          p->stats = *own;
        } else {
          p->status = own.status();
        }
      }
    }
    Status visible = CatchUp();
    lock.lock();
    for (PendingSubmit* p : group) {
      if (p->status.ok() && !visible.ok()) p->status = visible;
      p->done = true;
    }
    committing_ = false;
    commit_cv_.notify_all();
  }
  lock.unlock();
  if (!me.status.ok()) return me.status;
  return SubmitOutcome{me.stats.inserted, me.stats.duplicates, me.inserted};
}

Result<std::string> Service::CreateInvitation(const std::string& unit_code, Language language,
                                              VisitType visit_type, AgeGroup age_group) {
  if (!SodiumReady()) return InternalError("libsodium could not be initialised");
  RETURN_IF_ERROR(engine().status());
  {
    std::shared_lock lock(engine_mu_);
    if (!engine_->tree().Find(unit_code)) return NotFoundError(fmt::format("unknown unit code '{}'", unit_code));
  }
  std::string token = RandomToken(16);
  FormInvitation invitation;
  invitation.token_hash = TokenHash(token);
  invitation.unit_code = unit_code;
  invitation.language = language;
  invitation.visit_type = visit_type;
  invitation.age_group = age_group;
  invitation.created_at = Now();
  invitation.expires_at = invitation.created_at + kInvitationSeconds;
  std::lock_guard lock(store_mu_);
  RETURN_IF_ERROR(store_->CreateInvitation(invitation));
  return token;
}

Result<FormInvitation> Service::FindInvitation(const std::string& token) {
  if (!SodiumReady()) return InternalError("libsodium could not be initialised");
  std::lock_guard lock(store_mu_);
  ASSIGN_OR_RETURN(FormInvitation invitation, store_->GetInvitation(TokenHash(token)));
  if (invitation.expires_at <= Now() && !invitation.answered_at) {
    return NotFoundError("this feedback link has expired");
  }
  return invitation;
}

Status Service::AnswerInvitation(const std::string& token, Response response) {
  ASSIGN_OR_RETURN(FormInvitation invitation, FindInvitation(token));
  if (invitation.answered_at) return FailedPreconditionError("this feedback link has already been used");
  response.source = "webform";
  response.external_id = invitation.token_hash;
  response.unit_code = invitation.unit_code;
  response.visit_type = invitation.visit_type;
  response.age_group = invitation.age_group;
  response.channel = Channel::kWeb;
  response.answered_at = Now();
  if (std::optional<FieldError> error = Prepare(response)) {
    return InvalidArgumentError(fmt::format("{} {}", error->field, error->reason));
  }
  {
    std::lock_guard lock(store_mu_);
    ASSIGN_OR_RETURN(ResponseWriteStats stats, store_->AnswerInvitation(invitation.token_hash, response));
    (void)stats;
  }
  return CatchUp();
}

Result<std::string> Service::UnitName(const std::string& unit_code, Language language) {
  RETURN_IF_ERROR(engine().status());
  std::shared_lock lock(engine_mu_);
  std::optional<UnitIndex> unit = engine_->tree().Find(unit_code);
  if (!unit) return NotFoundError(fmt::format("unknown unit code '{}'", unit_code));
  const Unit& u = engine_->tree().unit(*unit);
  if (language == Language::kSv && !u.name_sv.empty()) return u.name_sv;
  if (language == Language::kEn && !u.name_en.empty()) return u.name_en;
  return u.name_fi;
}

size_t Service::EngineRows() {
  std::shared_lock lock(engine_mu_);
  return engine_ ? engine_->rows() : 0;
}

}  // namespace mittari
