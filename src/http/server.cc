#include "http/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/utf8.h"
#include "http/openapi.h"
#include "report/report.h"
#include "scorecard/definition.h"
#include "web/form_pages.h"

namespace mittari::http {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

int StatusToHttp(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kDataLoss:
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

namespace {

constexpr const char* kSessionCookie = "mittari_session";
constexpr const char* kFormCsrfCookie = "mittari_form";
constexpr std::array<double, 10> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};

// Per-request context, set in the pre-routing handler; httplib runs a request on one thread.
thread_local Clock::time_point t_request_start;
thread_local std::string t_request_id;
thread_local std::string t_user;

// A text field of a JSON object in a request body: absent or null is fine unless required.
std::optional<FieldError> JsonText(const nlohmann::json& item, const char* key, std::string* out, bool required) {
  if (!item.contains(key) || item[key].is_null()) {
    if (required) return FieldError{key, "is required"};
    return std::nullopt;
  }
  if (!item[key].is_string()) return FieldError{key, "must be a string"};
  *out = item[key].get<std::string>();
  return std::nullopt;
}

// An enumeration's external name (model/enums.h), or an error listing the allowed ones.
template <typename E>
std::optional<FieldError> JsonEnum(const char* key, const std::string& value, E* out) {
  std::optional<E> parsed = ParseEnum<E>(value);
  if (!parsed) return FieldError{key, fmt::format("'{}' is not one of {}", value, AllowedNames<E>())};
  *out = *parsed;
  return std::nullopt;
}

UnixSeconds NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The route a path belongs to, for metrics and logs (no tokens or codes in label values).
std::string RouteOf(const std::string& path) {
  if (path.rfind("/f/u/", 0) == 0) return "/f/u/{unit}";
  if (path.rfind("/f/", 0) == 0) return "/f/{token}";
  static const std::array<const char*, 20> kKnown = {
      "/healthz", "/readyz", "/metrics", "/api/v1/openapi.json", "/api/v1/login", "/api/v1/logout",
      "/api/v1/me", "/api/v1/units", "/api/v1/nps", "/api/v1/nps/compare", "/api/v1/nps/funnel",
      "/api/v1/comments", "/api/v1/responses", "/api/v1/invitations", "/api/v1/export/nps.csv",
      "/api/v1/export/nps.xlsx", "/api/v1/audit", "/", "", ""};
  for (const char* known : kKnown) {
    if (*known && path == known) return known;
  }
  return "other";
}

class Metrics {
 public:
  void Observe(const std::string& route, int status, double seconds) {
    std::lock_guard lock(mu_);
    ++requests_[{route, status}];
    Histogram& h = latency_[route];
    for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      if (seconds <= kLatencyBuckets[i]) ++h.buckets[i];
    }
    ++h.count;
    h.sum += seconds;
  }
  void AddIngested(int64_t n) { ingested_ += n; }

  std::string Render(size_t engine_rows) {
    std::lock_guard lock(mu_);
    std::string out;
    out += "# HELP mittari_http_requests_total HTTP requests by route and status.\n";
    out += "# TYPE mittari_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      out += fmt::format("mittari_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first, key.second, n);
    }
    out += "# HELP mittari_http_request_duration_seconds Request latency by route.\n";
    out += "# TYPE mittari_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
        out += fmt::format("mittari_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                           kLatencyBuckets[i], h.buckets[i]);
      }
      out += fmt::format("mittari_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route, h.count);
      out += fmt::format("mittari_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, h.sum);
      out += fmt::format("mittari_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, h.count);
    }
    out += "# HELP mittari_answers_ingested_total Answers stored through this server.\n";
    out += "# TYPE mittari_answers_ingested_total counter\n";
    out += fmt::format("mittari_answers_ingested_total {}\n", ingested_.load());
    out += "# HELP mittari_engine_rows Answers held by the analytics engine.\n";
    out += "# TYPE mittari_engine_rows gauge\n";
    out += fmt::format("mittari_engine_rows {}\n", engine_rows);
    return out;
  }

 private:
  struct Histogram {
    std::array<uint64_t, kLatencyBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::atomic<int64_t> ingested_{0};
};

// Posts to the generic form links, per client address and hour.
class RateLimiter {
 public:
  explicit RateLimiter(int per_hour) : per_hour_(per_hour) {}
  bool Allow(const std::string& address) {
    std::lock_guard lock(mu_);
    UnixSeconds hour = NowSeconds() / 3600;
    if (hour != hour_) {
      counts_.clear();
      hour_ = hour;
    }
    return ++counts_[address] <= per_hour_;
  }

 private:
  int per_hour_;
  std::mutex mu_;
  UnixSeconds hour_ = 0;
  std::map<std::string, int> counts_;
};

std::string Cookie(const httplib::Request& req, std::string_view name) {
  std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    if (part.size() > name.size() && part.compare(0, name.size(), name) == 0 && part[name.size()] == '=') {
      return part.substr(name.size() + 1);
    }
    pos = end + 1;
  }
  return "";
}

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void SendError(httplib::Response& res, int status, std::string_view code, std::string_view message,
               json fields = nullptr) {
  json error = {{"code", code}, {"message", message}, {"request_id", t_request_id}};
  if (!fields.is_null()) error["fields"] = std::move(fields);
  SendJson(res, status, {{"error", error}});
}

void SendStatus(httplib::Response& res, const Status& status) {
  SendError(res, StatusToHttp(status.code()), StatusCodeName(status.code()), status.message());
}

std::optional<std::string> Param(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  std::string value = req.get_param_value(name);
  if (value.empty()) return std::nullopt;
  return value;
}

// The same rounding as the report tables' JSON, so /nps and /nps/compare agree exactly.
double Rounded(double value) { return std::round(value * 1000.0) / 1000.0; }

json EstimateJson(const std::optional<Estimate>& e, const NpsCounts& c, bool shown) {
  if (!shown || !e) {
    return {{"n", nullptr}, {"promoters", nullptr}, {"passives", nullptr}, {"detractors", nullptr},
            {"nps", nullptr}, {"se", nullptr}, {"ci_low", nullptr}, {"ci_high", nullptr}};
  }
  return {{"n", c.n()}, {"promoters", c.promoters}, {"passives", c.passives}, {"detractors", c.detractors},
          {"nps", Rounded(e->value)}, {"se", Rounded(e->se)}, {"ci_low", Rounded(e->ci_low)},
          {"ci_high", Rounded(e->ci_high)}};
}

}  // namespace

class ApiServer::Impl {
 public:
  Impl(Service& service, Config config, const std::string& web_root)
      : service_(service), config_(std::move(config)), form_limiter_(config_.form_posts_per_hour) {
    if (!web_root.empty() && std::filesystem::exists(std::filesystem::path(web_root) / "index.html")) {
      // Files first: httplib serves a matching file before it tries the API routes.
      server_.set_mount_point("/", web_root);
      spdlog::info("serving the dashboard from {}", web_root);
    } else if (!web_root.empty()) {
      spdlog::warn("no dashboard in '{}' (build it with make); serving the API only", web_root);
    }
    AccessPolicy policy;
    policy.max_failed_logins = config_.max_failed_logins;
    policy.lockout_seconds = static_cast<UnixSeconds>(config_.lockout_minutes) * 60;
    policy.session_seconds = static_cast<UnixSeconds>(config_.session_hours) * 3600;
    policy.min_n_comments = config_.min_n_comments;
    service_.set_access_policy(policy);
    if (sodium_init() < 0) spdlog::critical("libsodium could not be initialised");
    // httplib gives each keep-alive connection a thread while it lives, so the pool must
    // cover the connections expected at once; keep-alive itself saves a handshake a request.
    server_.new_task_queue = [] { return new httplib::ThreadPool(128); };
    server_.set_keep_alive_max_count(10000);
    // Headers and body go out in two writes; without NODELAY the body waits ~40 ms for the
    // client's delayed ACK on every kept-alive request.
    server_.set_tcp_nodelay(true);
    server_.set_payload_max_length(16 << 20);
    server_.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
      static std::atomic<uint64_t> counter{0};
      t_request_start = Clock::now();
      t_request_id = fmt::format("{:x}-{}", NowSeconds(), ++counter);
      t_user.clear();
      res.set_header("X-Request-Id", t_request_id);
      res.set_header("X-Content-Type-Options", "nosniff");
      // Hashed asset names change with their content, so browsers may keep them for good;
      // everything else (API answers, pages with tokens) must not be cached.
      res.set_header("Cache-Control", req.path.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable"
                                                                         : "no-store");
      // Debian's httplib compresses with Brotli at its highest quality: 0.85 s for the 520 kB
      // chart bundle against 18 ms with gzip. Offer it only gzip. The request object belongs
      // to the server thread and is not const, only the reference is.
      auto encoding = req.headers.find("Accept-Encoding");
      if (encoding != req.headers.end() && encoding->second.find("br") != std::string::npos) {
        const bool gzip = encoding->second.find("gzip") != std::string::npos;
        auto& headers = const_cast<httplib::Headers&>(req.headers);
        headers.erase("Accept-Encoding");  // invalidates `encoding`
        if (gzip) headers.emplace("Accept-Encoding", "gzip");
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      double seconds = std::chrono::duration<double>(Clock::now() - t_request_start).count();
      std::string route = RouteOf(req.path);
      metrics_.Observe(route, res.status, seconds);
      spdlog::info("request_id={} method={} route={} status={} ms={:.2f} user={} client={}", t_request_id,
                   req.method, route, res.status, seconds * 1000, t_user.empty() ? "-" : t_user,
                   req.remote_addr);
    });
    server_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      SendError(res, 500, "Internal", "unexpected error; see the server log");
    });
    Routes();
  }

  Result<int> Bind(const std::string& host, int port) {
    // A failed query must not surface as a half-loaded engine: load before listening.
    Result<const Engine*> engine = service_.engine();
    if (!engine.ok()) return engine.status();
    int bound = port == 0 ? server_.bind_to_any_port(host) : (server_.bind_to_port(host, port) ? port : -1);
    if (bound <= 0) return UnavailableError(fmt::format("cannot listen on {}:{} (in use, or not allowed)", host, port));
    ready_ = true;
    return bound;
  }

  Status Run() {
    if (!server_.listen_after_bind()) return UnavailableError("the server stopped with an error");
    return Status::Ok();
  }

  void Stop() { server_.stop(); }

 private:
  using Req = httplib::Request;
  using Res = httplib::Response;

  // Who is asking: a Bearer token or the session cookie. Writes 401 and returns nullopt when
  // neither is valid.
  std::optional<Principal> Authenticate(const Req& req, Res& res) {
    std::string authorization = req.get_header_value("Authorization");
    Result<Principal> who = PermissionDeniedError("no session or API token");
    if (authorization.rfind("Bearer ", 0) == 0) {
      who = service_.AuthenticateToken(authorization.substr(7));
    } else if (std::string cookie = Cookie(req, kSessionCookie); !cookie.empty()) {
      who = service_.AuthenticateSession(cookie);
      // A session rides along with every request the browser makes, so changes need proof
      // that this page, not another site, sent them.
      if (who.ok() && req.method != "GET" && req.get_header_value("X-CSRF-Token") != who->csrf_token) {
        SendError(res, 403, "PermissionDenied", "missing or wrong X-CSRF-Token header");
        return std::nullopt;
      }
    }
    if (!who.ok()) {
      SendError(res, 401, "Unauthenticated", who.status().message() + "; log in or send an API token");
      return std::nullopt;
    }
    t_user = who->name;
    return *who;
  }

  // Reader roles may read reports of answers; integration tokens may not, and finance users
  // see regional finance and the scorecard only (answers and comments are not their business).
  std::optional<Principal> Reader(const Req& req, Res& res, bool finance_allowed = false) {
    std::optional<Principal> who = Authenticate(req, res);
    if (who && who->role == Role::kIntegration) {
      SendError(res, 403, "PermissionDenied", "integration tokens may only write answers");
      return std::nullopt;
    }
    if (who && who->role == Role::kFinance && !finance_allowed) {
      SendError(res, 403, "PermissionDenied", "finance users may read regional finance and the scorecard only");
      return std::nullopt;
    }
    return who;
  }

  // Regional finance: the admin and finance roles only.
  std::optional<Principal> FinanceReader(const Req& req, Res& res) {
    std::optional<Principal> who = Authenticate(req, res);
    if (who && who->role != Role::kAdmin && who->role != Role::kFinance) {
      SendError(res, 403, "PermissionDenied", "regional finance is for the admin and finance roles");
      return std::nullopt;
    }
    return who;
  }

  // A regional report as JSON (column keys), CSV or XLSX (the language's labels), by ?format=.
  void SendRegional(const Req& req, Res& res, const std::string& lang, const std::string& name,
                    const std::function<Result<report::Table>()>& compute) {
    const std::string format = Param(req, "format").value_or("json");
    if (format != "json" && format != "csv" && format != "xlsx") {
      return SendError(res, 400, "InvalidArgument", "format must be json, csv or xlsx");
    }
    Result<report::Table> table = compute();
    if (!table.ok()) return SendStatus(res, table.status());
    if (format == "json") {
      return res.set_content(report::Render(*table, report::Format::kJson, /*pretty=*/false), "application/json");
    }
    if (format == "csv") {
      res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}.csv\"", name));
      return res.set_content(report::Render(LabelRegionalColumns(*table, lang), report::Format::kCsv),
                             "text/csv; charset=utf-8");
    }
    Result<std::string> bytes = report::RenderXlsx(LabelRegionalColumns(*table, lang), name.substr(0, 31));
    if (!bytes.ok()) return SendStatus(res, bytes.status());
    res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}.xlsx\"", name));
    res.set_content(*bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  }

  // The common parameters of regional reports; writes the error and returns false when bad.
  bool RegionalParams(const Req& req, Res& res, bool needs_year, int* year, std::string* lang) {
    *lang = Param(req, "lang").value_or("fi");
    if (*lang != "fi" && *lang != "sv" && *lang != "en") {
      SendError(res, 400, "InvalidArgument", "lang must be fi, sv or en");
      return false;
    }
    if (!needs_year) return true;
    const std::string text = Param(req, "year").value_or("");
    int parsed = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || parsed < 2000 || parsed > 2100) {
      SendError(res, 400, "InvalidArgument", "year must be a whole number from 2000 to 2100, e.g. year=2025");
      return false;
    }
    *year = parsed;
    return true;
  }

  // The unit a request may look at: as asked (after the access check), or a manager's only
  // unit. Writes the error and returns false when it may not.
  bool ScopeUnit(const Principal& who, std::optional<std::string>& unit, Res& res) {
    if (!unit && who.role == Role::kManager) {
      if (who.unit_codes.size() != 1) {
        SendError(res, 403, "PermissionDenied",
                  who.unit_codes.empty() ? "no units have been granted to this manager"
                                         : "choose one of your units with the unit parameter");
        return false;
      }
      unit = who.unit_codes[0];
    }
    if (unit) {
      Status access = service_.CheckUnitAccess(who, *unit);
      if (!access.ok()) {
        SendStatus(res, access);
        return false;
      }
    }
    return true;
  }

  Result<ReportRequest> ReportFrom(const Req& req) {
    ReportRequest r;
    r.unit = Param(req, "unit");
    r.from = Param(req, "from");
    r.to = Param(req, "to");
    if (auto by = Param(req, "by")) {
      size_t pos = 0;
      while (pos <= by->size()) {
        size_t comma = by->find(',', pos);
        std::string item = by->substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        if (!item.empty()) r.by.push_back(item);
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
    }
    for (size_t i = 0; i < req.get_param_value_count("where"); ++i) {
      std::string where = req.get_param_value("where", i);
      if (!where.empty()) r.where.push_back(where);
    }
    r.min_n = config_.min_n;
    if (auto min_n = Param(req, "min_n")) {
      int value = 0;
      try {
        value = std::stoi(*min_n);
      } catch (...) {
        return InvalidArgumentError(fmt::format("min_n '{}' is not a whole number", *min_n));
      }
      // Callers may ask for more caution than the server's minimum, never less.
      r.min_n = std::max(value, config_.min_n);
    }
    if (auto lang = Param(req, "lang")) r.names_language = *lang;
    if (auto historical = Param(req, "historical_units")) r.current_structure = *historical != "true";
    return r;
  }

  void Routes() {
    server_.Get("/", [](const Req&, Res& res) {
      // Until the dashboard is served here: where things are.
      res.set_content(
          "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Mittari</title>"
          "<h1>Mittari</h1><ul><li><a href=\"/api/v1/openapi.json\">API v1 (OpenAPI)</a></li>"
          "<li><a href=\"/healthz\">/healthz</a>, <a href=\"/readyz\">/readyz</a>, "
          "<a href=\"/metrics\">/metrics</a></li></ul></html>",
          "text/html; charset=utf-8");
    });
    server_.Get("/healthz", [](const Req&, Res& res) { res.set_content("ok\n", "text/plain"); });
    server_.Get("/readyz", [this](const Req&, Res& res) {
      if (!ready_) {
        res.status = 503;
        res.set_content("starting\n", "text/plain");
        return;
      }
      res.set_content("ready\n", "text/plain");
    });
    server_.Get("/metrics", [this](const Req&, Res& res) {
      res.set_content(metrics_.Render(service_.EngineRows()), "text/plain; version=0.0.4");
    });
    server_.Get("/api/v1/openapi.json", [](const Req&, Res& res) {
      res.set_content(std::string(OpenApiDocument()), "application/json");
    });

    server_.Post("/api/v1/login", [this](const Req& req, Res& res) {
      json body = json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("user") || !body.contains("password") ||
          !body["user"].is_string() || !body["password"].is_string()) {
        SendError(res, 400, "InvalidArgument", "send JSON {\"user\": \"…\", \"password\": \"…\"}");
        return;
      }
      Result<LoginResult> login = service_.Login(body["user"], body["password"]);
      if (!login.ok()) {
        // Slows down guessing; the account locks after repeated failures anyway.
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        SendStatus(res, login.status());
        return;
      }
      t_user = login->principal.name;
      res.set_header("Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
                                               kSessionCookie, login->session_token, config_.session_hours * 3600,
                                               config_.secure_cookies ? "; Secure" : ""));
      SendJson(res, 200, {{"user", login->principal.name}, {"role", ToName(login->principal.role)},
                          {"units", login->principal.unit_codes}, {"csrf", login->principal.csrf_token}});
    });
    server_.Post("/api/v1/logout", [this](const Req& req, Res& res) {
      if (!Authenticate(req, res)) return;
      Status status = service_.Logout(Cookie(req, kSessionCookie));
      if (!status.ok()) return SendStatus(res, status);
      res.set_header("Set-Cookie", fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie));
      res.status = 204;
    });
    server_.Get("/api/v1/me", [this](const Req& req, Res& res) {
      std::optional<Principal> who = Authenticate(req, res);
      if (!who) return;
      json me = {{"user", who->name}, {"role", ToName(who->role)}, {"units", who->unit_codes}};
      // A reloaded page needs the session's CSRF token again; token users have none.
      if (!who->csrf_token.empty()) me["csrf"] = who->csrf_token;
      SendJson(res, 200, me);
    });

    server_.Get("/api/v1/units", [this](const Req& req, Res& res) {
      if (!Reader(req, res)) return;
      Result<report::Table> table = service_.UnitsReport();
      if (!table.ok()) return SendStatus(res, table.status());
      res.set_content(report::Render(*table, report::Format::kJson, /*pretty=*/false), "application/json");
    });

    server_.Get("/api/v1/nps", [this](const Req& req, Res& res) { NpsTable(req, res, report::Format::kJson); });
    server_.Get("/api/v1/regional", [this](const Req& req, Res& res) {
      if (!FinanceReader(req, res)) return;
      Result<RegionalOverview> overview = service_.RegionalOverviewOf();
      if (!overview.ok()) return SendStatus(res, overview.status());
      nlohmann::json payers = nlohmann::json::array();
      for (const auto& [code, name] : overview->payers) payers.push_back({{"code", code}, {"name", name}});
      SendJson(res, 200, {{"years", overview->years}, {"payers", payers}, {"capitation_years", overview->capitation_years},
                          {"bonus_years", overview->bonus_years}});
    });
    server_.Get("/api/v1/regional/invoice", [this](const Req& req, Res& res) {
      if (!FinanceReader(req, res)) return;
      int year = 0;
      std::string lang;
      if (!RegionalParams(req, res, false, &year, &lang)) return;
      const std::string payer = Param(req, "payer").value_or(""), month = Param(req, "month").value_or("");
      if (payer.empty() || month.empty()) {
        return SendError(res, 400, "InvalidArgument", "payer and month are required, e.g. payer=PIRKANMAA&month=2025-12");
      }
      SendRegional(req, res, lang, "invoice-" + month, [&] { return service_.RegionalInvoice(payer, month, lang); });
    });
    server_.Get("/api/v1/regional/compare", [this](const Req& req, Res& res) {
      if (!FinanceReader(req, res)) return;
      int year = 0;
      std::string lang;
      if (!RegionalParams(req, res, true, &year, &lang)) return;
      const std::string standardised = Param(req, "standardised").value_or("false");
      if (standardised != "true" && standardised != "false") {
        return SendError(res, 400, "InvalidArgument", "standardised must be true or false");
      }
      SendRegional(req, res, lang, fmt::format("compare-{}", year),
                   [&] { return service_.RegionalComparison(year, standardised == "true", lang); });
    });
    server_.Get("/api/v1/regional/capitation", [this](const Req& req, Res& res) {
      if (!FinanceReader(req, res)) return;
      int year = 0;
      std::string lang;
      if (!RegionalParams(req, res, true, &year, &lang)) return;
      SendRegional(req, res, lang, fmt::format("capitation-{}", year), [&] { return service_.RegionalCapitation(year, lang); });
    });
    server_.Get("/api/v1/regional/bonus", [this](const Req& req, Res& res) {
      if (!FinanceReader(req, res)) return;
      int year = 0;
      std::string lang;
      if (!RegionalParams(req, res, true, &year, &lang)) return;
      SendRegional(req, res, lang, fmt::format("bonus-{}", year), [&] { return service_.RegionalBonus(year, lang); });
    });
    server_.Get("/api/v1/scorecard", [this](const Req& req, Res& res) {
      std::optional<Principal> who = Reader(req, res, /*finance_allowed=*/true);
      if (!who) return;
      int year = 0;
      try {
        year = std::stoi(Param(req, "year").value_or(""));
      } catch (...) {
        return SendError(res, 400, "InvalidArgument", "year must be given as a whole number, e.g. year=2025");
      }
      std::string lang = Param(req, "lang").value_or("fi");
      if (lang != "fi" && lang != "sv" && lang != "en") return SendError(res, 400, "InvalidArgument", "lang must be fi, sv or en");
      // Read on each request: leadership edits the file, and it is small.
      Result<scorecard::Scorecard> card = scorecard::LoadScorecard(config_.scorecard_path);
      if (!card.ok()) return SendStatus(res, card.status());
      Result<std::vector<ScorecardRow>> rows = service_.EvaluateScorecard(*card, year);
      if (!rows.ok()) return SendStatus(res, rows.status());
      SendJson(res, 200, {{"title", card->title.In(lang)}, {"year", year}, {"rows", ScorecardJson(*rows, lang)}});
    });
    server_.Post("/api/v1/scorecard/values", [this](const Req& req, Res& res) {
      std::optional<Principal> who = Authenticate(req, res);
      if (!who) return;
      if (who->role != Role::kAdmin) return SendError(res, 403, "PermissionDenied", "only admins report scorecard values");
      Result<scorecard::Scorecard> card = scorecard::LoadScorecard(config_.scorecard_path);
      if (!card.ok()) return SendStatus(res, card.status());
      json body = json::parse(req.body, nullptr, false);
      if (!body.is_array() || body.empty()) {
        return SendError(res, 400, "InvalidArgument", "send a non-empty array of {\"indicator\", \"year\", \"value\"}");
      }
      std::vector<ScorecardValue> values;
      json rejected = json::array();
      for (size_t i = 0; i < body.size(); ++i) {
        const json& item = body[i];
        auto reject = [&](const char* field, const std::string& reason) {
          rejected.push_back({{"index", i}, {"field", field}, {"reason", reason}});
        };
        if (!item.is_object() || !item.contains("indicator") || !item["indicator"].is_string()) { reject("indicator", "is required"); continue; }
        const scorecard::Indicator* indicator = card->Find(item["indicator"].get<std::string>());
        if (indicator == nullptr) { reject("indicator", "is not an indicator of the scorecard"); continue; }
        if (indicator->source != scorecard::SourceKind::kManual) { reject("indicator", "is computed, not reported"); continue; }
        if (!item.contains("year") || !item["year"].is_number_integer() || item["year"].get<int>() < 2000 || item["year"].get<int>() > 2100) {
          reject("year", "must be a whole number from 2000 to 2100");
          continue;
        }
        if (!item.contains("value") || !item["value"].is_number()) { reject("value", "must be a number"); continue; }
        double value = item["value"].get<double>();
        if (indicator->unit == scorecard::MeasureUnit::kYesNo && value != 0 && value != 1) { reject("value", "a yes/no indicator takes 1 or 0"); continue; }
        values.push_back(ScorecardValue{indicator->id, item["year"].get<int>(), value});
      }
      if (values.empty()) return SendError(res, 400, "InvalidArgument", "every value was rejected", rejected);
      Result<int64_t> changed = service_.UpsertScorecardValues(values);
      if (!changed.ok()) return SendStatus(res, changed.status());
      SendJson(res, 200, {{"stored", values.size()}, {"changed", *changed}, {"rejected", rejected}});
    });
    server_.Get("/api/v1/themes", [this](const Req& req, Res& res) {
      std::optional<ReportRequest> r = ScopedReport(req, res);
      if (!r) return;
      Result<report::Table> table = service_.ThemesReport(*r);
      if (!table.ok()) return SendStatus(res, table.status());
      res.set_content(report::Render(*table, report::Format::kJson, /*pretty=*/false), "application/json");
    });
    server_.Get("/api/v1/export/nps.csv", [this](const Req& req, Res& res) { NpsTable(req, res, report::Format::kCsv); });
    server_.Get("/api/v1/export/nps.xlsx", [this](const Req& req, Res& res) {
      std::optional<ReportRequest> r = ScopedReport(req, res);
      if (!r) return;
      Result<report::Table> table = service_.NpsReport(*r);
      if (!table.ok()) return SendStatus(res, table.status());
      Result<std::string> bytes = report::RenderXlsx(*table);
      if (!bytes.ok()) return SendStatus(res, bytes.status());
      res.set_header("Content-Disposition", "attachment; filename=\"nps.xlsx\"");
      res.set_content(*bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    });

    server_.Get("/api/v1/nps/compare", [this](const Req& req, Res& res) {
      std::optional<ReportRequest> r = ScopedReport(req, res);
      if (!r) return;
      std::string against = Param(req, "against").value_or("previous");
      if (against != "previous" && against != "same-last-year") {
        return SendError(res, 400, "InvalidArgument", "against must be previous or same-last-year");
      }
      Result<Service::CompareResult> result = service_.CompareNps(
          *r, against == "previous" ? Service::CompareAgainst::kPrevious : Service::CompareAgainst::kSameLastYear);
      if (!result.ok()) return SendStatus(res, result.status());
      const auto& c = result->comparison;
      bool shown = !result->suppressed && c.has_value();
      json first = EstimateJson(c ? std::optional<Estimate>(c->first) : std::nullopt, result->first_counts, shown);
      json second = EstimateJson(c ? std::optional<Estimate>(c->second) : std::nullopt, result->second_counts, shown);
      first["from"] = result->first_from;
      first["to"] = result->first_to;
      second["from"] = result->second_from;
      second["to"] = result->second_to;
      json body = {{"first", first}, {"second", second}, {"suppressed", result->suppressed}};
      body["difference"] = shown ? json(Rounded(c->difference)) : json(nullptr);
      body["z"] = shown ? json(Rounded(c->z)) : json(nullptr);
      body["p_value"] = shown ? json(c->p_value) : json(nullptr);
      body["significant"] = shown ? json(c->significant) : json(nullptr);
      SendJson(res, 200, body);
    });

    server_.Get("/api/v1/nps/funnel", [this](const Req& req, Res& res) {
      std::optional<ReportRequest> r = ScopedReport(req, res);
      if (!r) return;
      Result<Service::FunnelResult> result = service_.Funnel(*r);
      if (!result.ok()) return SendStatus(res, result.status());
      std::optional<Estimate> parent = EstimateNps(result->parent_counts);
      json units = json::array();
      for (const Service::FunnelRow& u : result->units) {
        json row = {{"code", u.unit_code}, {"name", u.unit_name}, {"suppressed", u.suppressed}};
        std::optional<Estimate> own = u.suppressed ? std::nullopt : EstimateNps(u.counts);
        row["n"] = u.suppressed ? json(nullptr) : json(u.counts.n());
        row["nps"] = own ? json(Rounded(own->value)) : json(nullptr);
        row["ci_low"] = own ? json(Rounded(own->ci_low)) : json(nullptr);
        row["ci_high"] = own ? json(Rounded(own->ci_high)) : json(nullptr);
        if (u.limits && !u.suppressed) {
          row["limits"] = {{"low95", u.limits->low95}, {"high95", u.limits->high95},
                           {"low998", u.limits->low998}, {"high998", u.limits->high998}};
          row["position"] = FunnelPositionName(u.position);
        } else {
          row["limits"] = nullptr;
          row["position"] = nullptr;
        }
        units.push_back(row);
      }
      json curve = json::array();
      for (const auto& [n, limits] : result->curve) {
        curve.push_back({{"n", n}, {"low95", limits.low95}, {"high95", limits.high95},
                         {"low998", limits.low998}, {"high998", limits.high998}});
      }
      SendJson(res, 200, {{"curve", curve},
                          {"parent", {{"code", result->parent_code},
                                      {"n", parent ? json(result->parent_counts.n()) : json(nullptr)},
                                      {"nps", parent ? json(parent->value) : json(nullptr)}}},
                          {"units", units}});
    });

    server_.Get("/api/v1/comments", [this](const Req& req, Res& res) {
      std::optional<Principal> who = Reader(req, res);
      if (!who) return;
      CommentsRequest c;
      c.unit = Param(req, "unit");
      c.from = Param(req, "from");
      c.to = Param(req, "to");
      c.words = Param(req, "q").value_or("");
      if (auto themes = Param(req, "theme")) {
        // theme=waiting,information: comments with any of them.
        size_t start = 0;
        while (start <= themes->size()) {
          size_t comma = themes->find(',', start);
          std::string name = themes->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
          if (!name.empty()) c.themes.push_back(name);
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
      }
      c.sentiment = Param(req, "sentiment");
      if (auto survey = Param(req, "survey")) c.survey = *survey;
      try {
        if (auto page = Param(req, "page")) c.page = std::stoll(*page);
        if (auto size = Param(req, "page_size")) c.page_size = std::stoll(*size);
      } catch (...) {
        return SendError(res, 400, "InvalidArgument", "page and page_size must be whole numbers");
      }
      if (!ScopeUnit(*who, c.unit, res)) return;
      Result<CommentsResult> result = service_.Comments(*who, c);
      if (!result.ok()) return SendStatus(res, result.status());
      json comments = json::array();
      for (const CommentRow& row : result->rows) {
        json themes = json::array();
        for (size_t t = 0; t < EnumCount<Theme>(); ++t) {
          if (HasTheme(row.themes, static_cast<Theme>(t))) themes.push_back(ToName(static_cast<Theme>(t)));
        }
        comments.push_back({{"answered_at", FormatInstantUtc(row.answered_at)}, {"unit", row.unit_code},
                            {"language", ToName(row.language)}, {"score", row.score}, {"text", row.text},
                            {"themes", themes},
                            {"sentiment", row.sentiment ? json(ToName(*row.sentiment)) : json(nullptr)}});
      }
      SendJson(res, 200, {{"total", result->total}, {"suppressed", result->suppressed}, {"page", c.page},
                          {"comments", comments}});
    });

    server_.Post("/api/v1/responses", [this](const Req& req, Res& res) { PostResponses(req, res); });

    server_.Post("/api/v1/invitations", [this](const Req& req, Res& res) {
      std::optional<Principal> who = Authenticate(req, res);
      if (!who) return;
      if (who->role != Role::kIntegration && who->role != Role::kAdmin) {
        return SendError(res, 403, "PermissionDenied", "only integration and admin users create invitations");
      }
      json body = json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("unit") || !body["unit"].is_string()) {
        return SendError(res, 400, "InvalidArgument", "send JSON with unit, language, visit_type, age_group");
      }
      auto get = [&](const char* key, const char* fallback) {
        return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : std::string(fallback);
      };
      auto language = ParseEnum<Language>(get("language", "fi"));
      auto visit = ParseEnum<VisitType>(get("visit_type", "outpatient"));
      auto age = ParseEnum<AgeGroup>(get("age_group", "unknown"));
      if (!language || !visit || !age) {
        return SendError(res, 400, "InvalidArgument", "language, visit_type or age_group is not a known value");
      }
      Result<std::string> token = service_.CreateInvitation(body["unit"], *language, *visit, *age);
      if (!token.ok()) return SendStatus(res, token.status());
      SendJson(res, 201, {{"token", *token}, {"url", "/f/" + *token}});
    });

    server_.Get("/api/v1/audit", [this](const Req& req, Res& res) {
      std::optional<Principal> who = Authenticate(req, res);
      if (!who) return;
      if (who->role != Role::kAdmin) return SendError(res, 403, "PermissionDenied", "only admins read the audit log");
      int64_t limit = 100, offset = 0;
      try {
        if (auto l = Param(req, "limit")) limit = std::clamp<int64_t>(std::stoll(*l), 1, 1000);
        if (auto o = Param(req, "offset")) offset = std::max<int64_t>(0, std::stoll(*o));
      } catch (...) {
        return SendError(res, 400, "InvalidArgument", "limit and offset must be whole numbers");
      }
      Result<std::vector<AuditEntry>> entries = service_.AuditLog(limit, offset);
      if (!entries.ok()) return SendStatus(res, entries.status());
      json out = json::array();
      for (const AuditEntry& e : *entries) {
        out.push_back({{"id", e.id}, {"at", FormatInstantUtc(e.at)}, {"user", e.user}, {"action", e.action},
                       {"detail", json::parse(e.detail, nullptr, false)}});
      }
      SendJson(res, 200, out);
    });

    // The SMS survey: visits from integrations, and Kannel's calls back.
    server_.Post("/api/v1/visits", [this](const Req& req, Res& res) { PostVisits(req, res); });
    server_.Get("/api/v1/sms/inbound", [this](const Req& req, Res& res) { SmsInbound(req, res); });
    server_.Post("/api/v1/sms/inbound", [this](const Req& req, Res& res) { SmsInbound(req, res); });
    server_.Get("/api/v1/sms/dlr", [this](const Req& req, Res& res) {
      if (!GatewayAllowed(req, res)) return;
      int64_t message = 0;
      int type = 0;
      try {
        message = std::stoll(Param(req, "message").value_or(""));
        type = std::stoi(Param(req, "type").value_or(""));
      } catch (...) {
        return SendError(res, 400, "InvalidArgument", "message and type must be whole numbers");
      }
      Status status = service_.RecordSmsDelivery(message, type);
      if (!status.ok()) return SendStatus(res, status);
      res.set_content("ok\n", "text/plain");
    });
    server_.Get("/api/v1/sms/status", [this](const Req& req, Res& res) {
      std::optional<Principal> who = Authenticate(req, res);
      if (!who) return;
      if (who->role != Role::kAdmin && who->role != Role::kAnalyst) {
        return SendError(res, 403, "PermissionDenied", "only admins and analysts see the SMS survey's state");
      }
      Result<report::Table> table = service_.SmsStatus();
      if (!table.ok()) return SendStatus(res, table.status());
      res.set_content(report::Render(*table, report::Format::kJson, /*pretty=*/false), "application/json");
    });

    // The patient web form.
    server_.Get(R"(/f/u/([A-Za-z0-9_.\-]+))", [this](const Req& req, Res& res) { FormGet(req, res, true); });
    server_.Post(R"(/f/u/([A-Za-z0-9_.\-]+))", [this](const Req& req, Res& res) { FormPost(req, res, true); });
    server_.Get(R"(/f/([0-9a-f]{32}))", [this](const Req& req, Res& res) { FormGet(req, res, false); });
    server_.Post(R"(/f/([0-9a-f]{32}))", [this](const Req& req, Res& res) { FormPost(req, res, false); });
  }

  // A report request from the URL, with a reader's identity checked and the unit scoped.
  // Writes the error and returns nullopt when the request may not go on.
  std::optional<ReportRequest> ScopedReport(const Req& req, Res& res) {
    std::optional<Principal> who = Reader(req, res);
    if (!who) return std::nullopt;
    Result<ReportRequest> r = ReportFrom(req);
    if (!r.ok()) {
      SendStatus(res, r.status());
      return std::nullopt;
    }
    if (!ScopeUnit(*who, r->unit, res)) return std::nullopt;
    return *r;
  }

  void NpsTable(const Req& req, Res& res, report::Format format) {
    std::optional<ReportRequest> r = ScopedReport(req, res);
    if (!r) return;
    Result<report::Table> table = service_.NpsReport(*r);
    if (!table.ok()) return SendStatus(res, table.status());
    if (format == report::Format::kCsv) {
      res.set_header("Content-Disposition", "attachment; filename=\"nps.csv\"");
      res.set_content(report::Render(*table, format), "text/csv; charset=utf-8");
    } else {
      res.set_content(report::Render(*table, format, /*pretty=*/false), "application/json");
    }
  }

  // One answer from JSON; returns the problem, if any, as a field error.
  std::optional<FieldError> ParseAnswer(const json& item, Response* r) {
    if (!item.is_object()) return FieldError{"", "each answer must be a JSON object"};
    std::string survey = "patient", at, channel, language, visit, age = "unknown", comment;
    if (auto e = JsonText(item, "source", &r->source, true)) return e;
    if (auto e = JsonText(item, "external_id", &r->external_id, true)) return e;
    if (auto e = JsonText(item, "survey", &survey, false)) return e;
    if (auto e = JsonText(item, "unit", &r->unit_code, true)) return e;
    if (auto e = JsonText(item, "answered_at", &at, true)) return e;
    if (auto e = JsonText(item, "channel", &channel, true)) return e;
    if (auto e = JsonText(item, "language", &language, true)) return e;
    if (auto e = JsonText(item, "visit_type", &visit, true)) return e;
    if (auto e = JsonText(item, "age_group", &age, false)) return e;
    if (auto e = JsonEnum("survey", survey, &r->survey)) return e;
    if (auto e = JsonEnum("channel", channel, &r->channel)) return e;
    if (auto e = JsonEnum("language", language, &r->language)) return e;
    if (auto e = JsonEnum("visit_type", visit, &r->visit_type)) return e;
    if (auto e = JsonEnum("age_group", age, &r->age_group)) return e;
    Result<UnixSeconds> instant = ParseInstant(at);
    if (!instant.ok()) return FieldError{"answered_at", instant.status().message()};
    r->answered_at = *instant;
    if (!item.contains("score") || !item["score"].is_number_integer()) {
      return FieldError{"score", "must be a whole number from 0 to 10"};
    }
    int64_t score = item["score"].get<int64_t>();
    if (score < kMinScore || score > kMaxScore) return FieldError{"score", fmt::format("{} is not from 0 to 10", score)};
    r->score = static_cast<int8_t>(score);
    if (auto e = JsonText(item, "comment", &comment, false)) return e;
    if (!comment.empty()) r->comment = comment;
    if (item.contains("scales") && !item["scales"].is_null()) {
      if (!item["scales"].is_object()) return FieldError{"scales", "must be an object of question: 1–5"};
      for (const auto& [question, value] : item["scales"].items()) {
        if (!value.is_number_integer()) return FieldError{"scales." + question, "must be a whole number from 1 to 5"};
        int64_t v = value.get<int64_t>();
        if (v < kMinScaleValue || v > kMaxScaleValue) return FieldError{"scales." + question, "must be from 1 to 5"};
        r->scales.push_back(ScaleAnswer{question, static_cast<int8_t>(v)});
      }
    }
    return service_.Prepare(*r);
  }

  // A JSON body of one object or an array of up to 10,000 objects, each parsed by `parse`;
  // bad items are collected with index, field and reason. Writes the error and returns
  // nullopt when the body is unusable or every item was rejected.
  template <typename T>
  struct ParsedBatch {
    std::vector<T> accepted;
    std::vector<size_t> accepted_index;
    json rejected = json::array();
    size_t items = 0;
  };
  template <typename T, typename Parse>
  std::optional<ParsedBatch<T>> ParseBatch(const Req& req, Res& res, std::string_view noun, Parse&& parse) {
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded()) {
      SendError(res, 400, "InvalidArgument", "the body is not valid JSON");
      return std::nullopt;
    }
    const bool single = body.is_object();
    json items = single ? json::array({body}) : body;
    if (!items.is_array() || items.empty()) {
      SendError(res, 400, "InvalidArgument", fmt::format("send one {} object or a non-empty array of them", noun));
      return std::nullopt;
    }
    constexpr size_t kMaxBatch = 10000;
    if (items.size() > kMaxBatch) {
      SendError(res, 400, "InvalidArgument", fmt::format("at most {} {}s per request", kMaxBatch, noun));
      return std::nullopt;
    }
    ParsedBatch<T> batch;
    batch.items = items.size();
    for (size_t i = 0; i < items.size(); ++i) {
      T value;
      if (std::optional<FieldError> error = parse(items[i], &value)) {
        batch.rejected.push_back({{"index", i}, {"field", error->field}, {"reason", error->reason}});
        continue;
      }
      batch.accepted.push_back(std::move(value));
      batch.accepted_index.push_back(i);
    }
    if (batch.accepted.empty()) {
      const json& first = batch.rejected[0];
      SendError(res, 400, "InvalidArgument",
                single ? fmt::format("{} {}", first["field"].get<std::string>(), first["reason"].get<std::string>())
                       : fmt::format("every {} was rejected", noun),
                batch.rejected);
      return std::nullopt;
    }
    return batch;
  }

  void PostResponses(const Req& req, Res& res) {
    std::optional<Principal> who = Authenticate(req, res);
    if (!who) return;
    if (who->role != Role::kIntegration && who->role != Role::kAdmin) {
      return SendError(res, 403, "PermissionDenied", "only integration and admin users write answers");
    }
    std::optional<ParsedBatch<Response>> batch =
        ParseBatch<Response>(req, res, "answer", [this](const json& item, Response* r) { return ParseAnswer(item, r); });
    if (!batch) return;
    std::vector<Response>& accepted = batch->accepted;
    const std::vector<size_t>& accepted_index = batch->accepted_index;
    const json& rejected = batch->rejected;
    std::vector<std::string> outcome(batch->items, "rejected");
    Result<SubmitOutcome> submitted = service_.SubmitResponses(std::move(accepted));
    if (!submitted.ok()) return SendStatus(res, submitted.status());
    metrics_.AddIngested(submitted->created);
    json results = json::array();
    for (size_t k = 0; k < accepted_index.size(); ++k) {
      outcome[accepted_index[k]] = submitted->inserted[k] ? "created" : "duplicate";
    }
    for (size_t i = 0; i < batch->items; ++i) results.push_back({{"index", i}, {"status", outcome[i]}});
    SendJson(res, submitted->created > 0 ? 201 : 200,
             {{"created", submitted->created}, {"duplicates", submitted->duplicates}, {"rejected", rejected},
              {"results", results}});
  }

  // One visit from JSON; the problem, if any, as a field error.
  std::optional<FieldError> ParseVisit(const json& item, Visit* v) {
    if (!item.is_object()) return FieldError{"", "each visit must be a JSON object"};
    std::string ended, language, visit_type, age = "unknown";
    if (auto e = JsonText(item, "visit_id", &v->visit_id, true)) return e;
    if (auto e = JsonText(item, "unit", &v->unit_code, true)) return e;
    if (auto e = JsonText(item, "ended_at", &ended, true)) return e;
    if (auto e = JsonText(item, "phone", &v->phone, true)) return e;
    if (auto e = JsonText(item, "language", &language, true)) return e;
    if (auto e = JsonText(item, "visit_type", &visit_type, true)) return e;
    if (auto e = JsonText(item, "age_group", &age, false)) return e;
    if (auto e = JsonEnum("language", language, &v->language)) return e;
    if (auto e = JsonEnum("visit_type", visit_type, &v->visit_type)) return e;
    if (auto e = JsonEnum("age_group", age, &v->age_group)) return e;
    Result<UnixSeconds> instant = ParseInstant(ended);
    if (!instant.ok()) return FieldError{"ended_at", instant.status().message()};
    v->ended_at = *instant;
    return service_.PrepareVisit(*v);
  }

  void PostVisits(const Req& req, Res& res) {
    std::optional<Principal> who = Authenticate(req, res);
    if (!who) return;
    if (who->role != Role::kIntegration && who->role != Role::kAdmin) {
      return SendError(res, 403, "PermissionDenied", "only integration and admin users report visits");
    }
    std::optional<ParsedBatch<Visit>> batch =
        ParseBatch<Visit>(req, res, "visit", [this](const json& item, Visit* v) { return ParseVisit(item, v); });
    if (!batch) return;
    const std::vector<Visit>& accepted = batch->accepted;
    const std::vector<size_t>& accepted_index = batch->accepted_index;
    const json& rejected = batch->rejected;
    std::vector<std::string> outcome(batch->items, "rejected");
    Result<std::vector<std::string>> stored = service_.AddVisits(accepted);
    if (!stored.ok()) return SendStatus(res, stored.status());
    int64_t created = 0, duplicates = 0, skipped = 0;
    for (size_t k = 0; k < accepted_index.size(); ++k) {
      const std::string& result = (*stored)[k];
      outcome[accepted_index[k]] = result;
      if (result == "created") ++created;
      else if (result == "duplicate") ++duplicates;
      else ++skipped;
    }
    json results = json::array();
    for (size_t i = 0; i < batch->items; ++i) results.push_back({{"index", i}, {"status", outcome[i]}});
    SendJson(res, created + skipped > 0 ? 201 : 200,
             {{"created", created}, {"skipped", skipped}, {"duplicates", duplicates},
              {"rejected", rejected}, {"results", results}});
  }

  // Kannel's calls: only from allowed addresses, and only with the shared secret.
  bool GatewayAllowed(const Req& req, Res& res) {
    const SmsConfig& sms = service_.sms_config();
    if (std::find(sms.inbound_allow.begin(), sms.inbound_allow.end(), req.remote_addr) == sms.inbound_allow.end()) {
      SendError(res, 403, "PermissionDenied", "this address may not deliver SMS (sms.inbound_allow)");
      return false;
    }
    std::string given = Param(req, "secret").value_or(req.get_header_value("X-Mittari-Secret"));
    if (sms.inbound_secret.empty() || given.size() != sms.inbound_secret.size() ||
        sodium_memcmp(given.data(), sms.inbound_secret.data(), given.size()) != 0) {
      SendError(res, 403, "PermissionDenied", "missing or wrong SMS gateway secret (sms.inbound_secret)");
      return false;
    }
    return true;
  }

  // UTF-16BE (Kannel's coding 2 without mo-recode) to UTF-8; false on a malformed text.
  static bool Utf16BeToUtf8(const std::string& in, std::string* out) {
    if (in.size() % 2 != 0) return false;
    out->clear();
    for (size_t i = 0; i < in.size(); i += 2) {
      uint32_t unit = (static_cast<uint8_t>(in[i]) << 8) | static_cast<uint8_t>(in[i + 1]);
      uint32_t cp = unit;
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        if (i + 3 >= in.size()) return false;
        uint32_t low = (static_cast<uint8_t>(in[i + 2]) << 8) | static_cast<uint8_t>(in[i + 3]);
        if (low < 0xDC00 || low > 0xDFFF) return false;
        cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
        return false;
      }
      if (cp < 0x80) {
        out->push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else if (cp < 0x10000) {
        out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else {
        out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
    }
    return true;
  }

  // Kannel's sms-service get-url (or post-url, with the text as the body). A 2xx answer means
  // the message is stored durably; anything else makes smsbox try again (same %I).
  void SmsInbound(const Req& req, Res& res) {
    if (!GatewayAllowed(req, res)) return;
    std::string id = Param(req, "id").value_or("");
    std::string from = Param(req, "from").value_or(req.get_header_value("X-Kannel-From"));
    std::string text = req.method == "POST" ? req.body : Param(req, "text").value_or("");
    std::string charset = Param(req, "charset").value_or("UTF-8");
    if (id.empty()) return SendError(res, 400, "InvalidArgument", "id (Kannel's %I) is required");
    if (from.empty()) return SendError(res, 400, "InvalidArgument", "from (Kannel's %p) is required");
    std::string upper = charset;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "UTF-16BE") {
      std::string decoded;
      if (!Utf16BeToUtf8(text, &decoded)) return SendError(res, 400, "InvalidArgument", "text is not valid UTF-16BE");
      text = std::move(decoded);
    } else if (upper != "UTF-8" && !upper.empty()) {
      return SendError(res, 400, "InvalidArgument",
                       fmt::format("charset '{}' is not supported; set mo-recode = true in smsbox", charset));
    }
    if (!IsValidUtf8(text)) return SendError(res, 400, "InvalidArgument", "text is not valid UTF-8");
    UnixSeconds received_at = std::time(nullptr);
    if (auto ts = Param(req, "ts")) {
      try {
        received_at = std::stoll(*ts);
      } catch (...) {
        return SendError(res, 400, "InvalidArgument", "ts must be Unix seconds (Kannel's %T)");
      }
    }
    Result<SmsReceipt> receipt = service_.ReceiveSms(id, from, text, received_at);
    if (!receipt.ok()) {
      // 503 makes smsbox retry later with the same id; nothing was stored.
      spdlog::error("sms {}: {}", id, receipt.status().ToString());
      res.status = 503;
      res.set_content("not stored, try again\n", "text/plain");
      return;
    }
    res.set_content(receipt->outcome + "\n", "text/plain");
  }

  web::PageLanguage FormLanguage(const Req& req, Language fallback) {
    if (auto code = Param(req, "lang")) {
      if (auto lang = web::ParsePageLanguage(*code)) return *lang;
    }
    return fallback == Language::kSv ? web::PageLanguage::kSv
           : fallback == Language::kEn ? web::PageLanguage::kEn : web::PageLanguage::kFi;
  }

  static Language ToLanguage(web::PageLanguage l) {
    return l == web::PageLanguage::kSv ? Language::kSv : l == web::PageLanguage::kEn ? Language::kEn : Language::kFi;
  }

  void SendPage(Res& res, int status, std::string html) {
    res.status = status;
    res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_content(std::move(html), "text/html; charset=utf-8");
  }

  void FormGet(const Req& req, Res& res, bool generic) {
    std::string key = req.matches[1];
    web::FormPage page;
    std::string unit_code;
    if (generic) {
      unit_code = key;
      page.language = FormLanguage(req, Language::kFi);
    } else {
      Result<FormInvitation> invitation = service_.FindInvitation(key);
      if (!invitation.ok()) {
        return SendPage(res, 404, web::RenderProblem(FormLanguage(req, Language::kFi), web::FormProblem::kUnknownLink));
      }
      page.language = FormLanguage(req, invitation->language);
      if (invitation->answered_at) {
        return SendPage(res, 409, web::RenderProblem(page.language, web::FormProblem::kAlreadyAnswered));
      }
      unit_code = invitation->unit_code;
    }
    Result<std::string> name = service_.UnitName(unit_code, ToLanguage(page.language));
    if (!name.ok()) return SendPage(res, 404, web::RenderProblem(page.language, web::FormProblem::kUnknownLink));
    page.unit_name = *name;
    page.action = req.path;
    // Double-submit token: the same random value in a cookie and in the form.
    page.csrf_token = RandomFormToken();
    res.set_header("Set-Cookie", fmt::format("{}={}; Path=/f/; HttpOnly; SameSite=Strict{}", kFormCsrfCookie,
                                             page.csrf_token, config_.secure_cookies ? "; Secure" : ""));
    SendPage(res, 200, web::RenderForm(page));
  }

  void FormPost(const Req& req, Res& res, bool generic) {
    std::string key = req.matches[1];
    web::PageLanguage lang = FormLanguage(req, Language::kFi);
    std::string csrf = req.get_param_value("csrf");
    if (csrf.empty() || csrf != Cookie(req, kFormCsrfCookie)) {
      return SendPage(res, 403, web::RenderProblem(lang, web::FormProblem::kUnknownLink));
    }
    if (generic && !form_limiter_.Allow(req.remote_addr)) {
      return SendPage(res, 429, web::RenderProblem(lang, web::FormProblem::kTooManyRequests));
    }
    Response r;
    r.language = ToLanguage(lang);
    std::string score = req.get_param_value("score");
    std::string comment = req.get_param_value("comment");
    // Browsers count a line break as one character but send CR LF.
    for (size_t pos; (pos = comment.find("\r\n")) != std::string::npos;) comment.erase(pos, 1);
    web::FormPage again;
    again.language = lang;
    again.action = req.path;
    again.csrf_token = csrf;
    again.comment = comment;
    int value = -1;
    if (score.size() >= 1 && score.size() <= 2 && std::all_of(score.begin(), score.end(), ::isdigit)) value = std::stoi(score);
    if (value < kMinScore || value > kMaxScore) {
      again.error = web::FormText(lang, web::FormMessage::kChooseScore);
    } else if (!IsValidUtf8(comment) || CountCodePoints(comment) > kMaxCommentCodePoints) {
      again.error = web::FormText(lang, web::FormMessage::kCommentTooLong);
      again.chosen_score = value;
    }
    if (!again.error.empty()) {
      std::string unit = generic ? key : "";
      if (!generic) {
        Result<FormInvitation> inv = service_.FindInvitation(key);
        if (inv.ok()) unit = inv->unit_code;
      }
      Result<std::string> unit_name = service_.UnitName(unit, r.language);
      again.unit_name = unit_name.ok() ? *unit_name : "";
      return SendPage(res, 400, web::RenderForm(again));
    }
    r.score = static_cast<int8_t>(value);
    if (!comment.empty()) r.comment = comment;
    if (generic) {
      r.source = "webform-public";
      r.external_id = RandomFormToken();
      r.unit_code = key;
      r.channel = Channel::kWeb;
      r.answered_at = NowSeconds();
      if (std::optional<FieldError> error = service_.Prepare(r)) {
        return SendPage(res, 404, web::RenderProblem(lang, web::FormProblem::kUnknownLink));
      }
      Result<SubmitOutcome> stored = service_.SubmitResponses({r});
      if (!stored.ok()) return SendPage(res, 503, web::RenderProblem(lang, web::FormProblem::kServerError));
      metrics_.AddIngested(stored->created);
    } else {
      Status stored = service_.AnswerInvitation(key, r);
      if (stored.code() == StatusCode::kFailedPrecondition) {
        return SendPage(res, 409, web::RenderProblem(lang, web::FormProblem::kAlreadyAnswered));
      }
      if (stored.code() == StatusCode::kNotFound) {
        return SendPage(res, 404, web::RenderProblem(lang, web::FormProblem::kUnknownLink));
      }
      if (!stored.ok()) return SendPage(res, 503, web::RenderProblem(lang, web::FormProblem::kServerError));
      metrics_.AddIngested(1);
    }
    SendPage(res, 200, web::RenderThankYou(lang));
  }

  static std::string RandomFormToken() {
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    std::string hex(sizeof bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), bytes, sizeof bytes);
    hex.pop_back();
    return hex;
  }

  Service& service_;
  Config config_;
  httplib::Server server_;
  Metrics metrics_;
  RateLimiter form_limiter_;
  std::atomic<bool> ready_{false};
};

ApiServer::ApiServer(Service& service, Config config, std::string web_root)
    : impl_(std::make_unique<Impl>(service, std::move(config), web_root)) {}
ApiServer::~ApiServer() = default;
Result<int> ApiServer::Bind(const std::string& host, int port) { return impl_->Bind(host, port); }
Status ApiServer::Run() { return impl_->Run(); }
void ApiServer::Stop() { impl_->Stop(); }

}  // namespace mittari::http
