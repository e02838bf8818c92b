#include "sms/kannel_client.h"

#include <fmt/format.h>
#include <httplib.h>

#include "sms/segments.h"

namespace mittari::sms {

std::string EncodeQueryValue(const std::string& value) {
  return httplib::detail::encode_query_param(value);
}

struct KannelClient::Impl {
  KannelSettings settings;
  std::string path;
  std::unique_ptr<httplib::Client> http;
};

KannelClient::KannelClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KannelClient::~KannelClient() = default;

Result<std::unique_ptr<KannelClient>> KannelClient::Create(const KannelSettings& settings) {
  const std::string& url = settings.sendsms_url;
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    return InvalidArgumentError(fmt::format(
        "sms.kannel_sendsms_url '{}' must start with http:// (smsbox's sendsms interface)", url));
  }
  size_t path_start = url.find('/', scheme.size());
  if (path_start == std::string::npos || path_start == scheme.size()) {
    return InvalidArgumentError(fmt::format(
        "sms.kannel_sendsms_url '{}' needs a host and a path such as /cgi-bin/sendsms", url));
  }
  auto impl = std::make_unique<Impl>();
  impl->settings = settings;
  impl->path = url.substr(path_start);
  impl->http = std::make_unique<httplib::Client>(url.substr(0, path_start));
  impl->http->set_connection_timeout(settings.connect_timeout_seconds, 0);
  impl->http->set_read_timeout(settings.read_timeout_seconds, 0);
  impl->http->set_write_timeout(settings.read_timeout_seconds, 0);
  // A fresh connection per message: a keep-alive connection that Kannel closed while idle
  // would fail the next request mid-way, which is exactly the ambiguous case to avoid.
  impl->http->set_keep_alive(false);
  return std::unique_ptr<KannelClient>(new KannelClient(std::move(impl)));
}

SendResult KannelClient::Send(const std::string& to_e164, const std::string& text,
                              const std::string& dlr_url) {
  const KannelSettings& s = impl_->settings;
  Result<SmsLength> length = MeasureSms(text);
  if (!length.ok()) return {SendOutcome::kNotSent, length.status().message()};
  httplib::Params params{
      {"username", s.username}, {"password", s.password}, {"to", to_e164},
      {"text", text},           {"charset", "UTF-8"},
      {"coding", length->encoding == SmsEncoding::kGsm7 ? "0" : "2"}};
  if (!s.sender.empty()) params.emplace("from", s.sender);
  if (!dlr_url.empty()) {
    params.emplace("dlr-mask", "3");  // 1 delivered to phone, 2 not delivered
    params.emplace("dlr-url", dlr_url);
  }
  std::string target = impl_->path + "?" + httplib::detail::params_to_query_str(params);
  httplib::Result res = impl_->http->Get(target);
  if (!res) {
    httplib::Error error = res.error();
    std::string detail = fmt::format("Kannel sendsms: {}", httplib::to_string(error));
    // Before the request was written, Kannel cannot have acted on it.
    if (error == httplib::Error::Connection || error == httplib::Error::ConnectionTimeout ||
        error == httplib::Error::Write) {
      return {SendOutcome::kNotSent, detail};
    }
    return {SendOutcome::kUnknown, detail};
  }
  std::string body = res->body;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  if (res->status == 202 || res->status == 200) {
    return {SendOutcome::kAccepted, body};
  }
  return {SendOutcome::kNotSent, fmt::format("Kannel sendsms answered HTTP {}: {}", res->status, body)};
}

}  // namespace mittari::sms
