// File: tests/support/kannel.h
//
// A real Kannel 1.4.5 SMS gateway (Debian packages kannel + kannel-extras) on loopback, for
// integration tests: bearerbox, smsbox and an interactive fakesmsc that plays the phones.
//
//   auto kannel = Kannel::Start(dir, {.mo_get_url = "http://127.0.0.1:8080/mo?id=%I&from=%p&text=%a"}, &error);
//   // MT: GET kannel->sendsms_url() with username/password/to/from/text/charset/coding
//   kannel->WaitForMts(1, 10s);  kannel->ReceivedMts()[0].text
//   // MO: kannel->SendMo("+358401234567", "12345", "9 kiitos", &error)  -> get-url is fetched
//
// Every port is bound to 127.0.0.1 and picked free at start. The run directory (config, logs,
// fakesmsc's output) is created under `dir` and left there for post-mortems; the caller owns
// `dir`. No store is configured: messages queued inside bearerbox are lost on Stop().
//
// Behaviour of Kannel worth knowing (see /work/shared/conformance/kannel/DEBIAN-LOOP.md):
//   - 7-bit MTs (coding=0) turn characters outside GSM 03.38 into '?'; send coding=2 for those.
//   - The sms-service uses mo-recode = true, so UCS-2 MOs arrive recoded to UTF-8.
//   - %I in the get-url is a UUID and stays the same when smsbox retries the get-url.
//   - Kannel treats any config line containing the word "include" as an include directive, so
//     the get-url must not contain it (Start() fails with an error saying so).
//
// The processes get PR_SET_PDEATHSIG = SIGKILL, so they die with the thread that started them:
// call Start()/Restart() from a thread that outlives the Kannel object (normally the test's
// main thread). Not thread-safe except that ReceivedMts()/WaitForMts() may be called while
// another thread sends MTs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mittari::testing {

struct KannelOptions {
  // get-url of the catch-all sms-service (keyword default), with Kannel escape codes such as
  // %I (message UUID), %p (sender), %P (receiver), %a (text), %T (epoch), %C (charset),
  // %c (coding). Empty: the catch-all service accepts MOs and discards them.
  std::string mo_get_url;
  int http_request_retry = 10;  // how often smsbox retries a failed get-url
  int http_queue_delay = 1;     // seconds between those retries
};

// One MT as fakesmsc printed it ("Got message N: <sender receiver type payload>").
//   type "text":  7-bit; `text` is the raw UTF-8 (characters outside GSM 03.38 already '?').
//   type "ucs-2": `text` is decoded from the URL-encoded UTF-16BE payload to UTF-8.
//   type "data":  8-bit; `text` holds the URL-decoded bytes.
//   type "udh":   one part of a concatenated MT (sendsms-user concatenation = true). `udh` holds
//                 the header bytes (05 00 03 <ref> <parts> <part>), `text` the part's bytes:
//                 UTF-8 for a 7-bit message, UTF-16BE for a UCS-2 one (fakesmsc does not say
//                 which); join the parts' bytes and use DecodeKannelUcs2() for the latter.
// The fake SMSC protocol is line based: a 7-bit MT containing a line break comes out as one
// KannelMt per line, the later ones with only `text` set. Send coding=2 for multi-line texts.
struct KannelMt {
  std::string sender, receiver, type, text;
  std::string udh;
};

// UTF-16BE bytes to UTF-8; a broken surrogate or odd trailing byte becomes U+FFFD.
std::string DecodeKannelUcs2(const std::string& utf16be);

class Kannel {
 public:
  // Creates a run directory under `dir`, picks free loopback ports, writes kannel.conf and
  // starts bearerbox, smsbox and fakesmsc in that order, waiting for each (smsbox connected,
  // FAKE smsc online). Retries with new ports when a start fails. Returns nullptr and sets
  // *error (including the tail of the logs) on failure.
  static std::unique_ptr<Kannel> Start(const std::filesystem::path& dir, const KannelOptions& options,
                                       std::string* error);
  ~Kannel();  // Stop(): never leaves processes behind.

  Kannel(const Kannel&) = delete;
  Kannel& operator=(const Kannel&) = delete;

  std::string sendsms_url() const;  // http://127.0.0.1:<port>/cgi-bin/sendsms
  std::string username() const;     // of the sendsms-user (max-messages 3, concatenation)
  std::string password() const;
  int sendsms_port() const { return ports_.sendsms; }
  int admin_port() const { return ports_.admin; }
  const std::filesystem::path& run_dir() const { return run_dir_; }

  // Sends one MO as if phone `from` texted `to` (fakesmsc type "text", raw UTF-8). Waits until
  // fakesmsc reports it sent. `from`/`to` must be non-empty without blanks; the text must not
  // contain a line break and the whole fakesmsc line must stay under 255 bytes.
  bool SendMo(const std::string& from, const std::string& to, const std::string& text, std::string* error);

  // All MTs fakesmsc printed so far (over restarts too), in order.
  std::vector<KannelMt> ReceivedMts();
  // Polls until at least `count` MTs have arrived or `timeout` passed; returns the count.
  // fakesmsc drains MTs only about once a second, so allow a few seconds.
  size_t WaitForMts(size_t count, std::chrono::milliseconds timeout);

  // Stops all three processes (admin /shutdown, then SIGTERM, then SIGKILL) and reaps them.
  void Stop();
  // Starts them again on the same ports and config. False with *error if they do not come up.
  bool Restart(std::string* error);
  bool running() const { return bearerbox_ > 0; }

  // The last lines of the bearerbox, smsbox and fakesmsc logs, for failure messages.
  std::string LogTail() const;

 private:
  struct Ports {
    int admin = 0, smsbox = 0, smsc = 0, sendsms = 0;
  };

  Kannel() = default;
  bool WriteConfig(std::string* error) const;
  bool StartProcesses(std::string* error);
  void KillAll();
  bool WaitUntil(const char* what, std::chrono::milliseconds timeout, bool (Kannel::*ready)() const,
                 std::string* error);
  bool BearerboxUp() const;
  bool SmsboxConnected() const;
  bool SmscOnline() const;
  std::string AdminGet(const std::string& path) const;
  void ParseFakesmscOutput();  // needs mutex_

  std::filesystem::path run_dir_;
  KannelOptions options_;
  Ports ports_;
  pid_t bearerbox_ = -1, smsbox_ = -1, fakesmsc_ = -1;
  // Where this start's console output begins (the files are appended to over restarts).
  std::uintmax_t bearerbox_console_from_ = 0, smsbox_console_from_ = 0;
  int fifo_fd_ = -1;  // write end (opened read-write) of fakesmsc's stdin

  std::mutex mutex_;
  long output_offset_ = 0;       // how far fakesmsc's output has been parsed
  std::string partial_line_;     // an unfinished line at that offset
  std::vector<KannelMt> mts_;
  int mos_written_ = 0;          // MO lines written to the current fakesmsc
  int mos_sent_ = 0;             // highest "sent message N" of the current fakesmsc
};

}  // namespace mittari::testing
