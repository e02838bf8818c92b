// File: sms/kannel_client.h
//
// Hands one text message to Kannel's smsbox through its `sendsms` HTTP interface. The text goes
// as UTF-8 with coding 0 (GSM-7) when every character is in the GSM 03.38 alphabet and coding 2
// (UCS-2) otherwise: Kannel 1.4.5 never switches by itself and would replace other characters
// with '?'. A delivery-report URL carries Mittari's own message id, because neither the
// sendsms reply nor Kannel's %I in a report identifies the message.
//
// What a caller may conclude from the outcome matters more than anything else here:
//   kAccepted  — Kannel answered 202: bearerbox has the message.
//   kNotSent   — Kannel surely does not have it (no connection, or it refused the request):
//                safe to try again later.
//   kUnknown   — the request went out but no answer came back: Kannel may have taken it, so
//                it must not be sent again automatically.
//
// Thread-compatible: one client per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace mittari::sms {

struct KannelSettings {
  std::string sendsms_url;  // e.g. http://127.0.0.1:13013/cgi-bin/sendsms
  std::string username;
  std::string password;
  std::string sender;       // the `from` shown on phones, e.g. "HUS" or a short number
  int connect_timeout_seconds = 3;
  int read_timeout_seconds = 15;
};

enum class SendOutcome { kAccepted, kNotSent, kUnknown };

struct SendResult {
  SendOutcome outcome = SendOutcome::kNotSent;
  std::string detail;  // Kannel's reply or the transport error, for the message's last_error
};

// Percent-encodes a value for a URL query (RFC 3986 unreserved characters stay).
std::string EncodeQueryValue(const std::string& value);

class KannelClient {
 public:
  // InvalidArgument when the URL is not http://host[:port]/path.
  static Result<std::unique_ptr<KannelClient>> Create(const KannelSettings& settings);
  ~KannelClient();

  // `dlr_url` is sent as Kannel's dlr-url (it may hold Kannel's %d); empty: no reports.
  SendResult Send(const std::string& to_e164, const std::string& text, const std::string& dlr_url);

 private:
  struct Impl;
  explicit KannelClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mittari::sms
