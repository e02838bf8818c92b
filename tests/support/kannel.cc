// File: tests/support/kannel.cc
#include "support/kannel.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace mittari::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kBearerbox = "/usr/sbin/bearerbox";
constexpr const char* kSmsbox = "/usr/sbin/smsbox";
constexpr const char* kFakesmsc = "/usr/lib/kannel/test/fakesmsc";
constexpr const char* kAdminPassword = "mittari-admin";
constexpr const char* kUsername = "mittari";
constexpr const char* kPassword = "mittari-sendsms";
constexpr int kStartAttempts = 3;
constexpr auto kBoxTimeout = 10s;
constexpr auto kNudgeAfter = 1500ms;
constexpr auto kMoTimeout = 10s;

// Picks `count` distinct free loopback ports: binds them all to port 0 at once, reads the
// ports and closes the sockets again.
bool PickPorts(int count, std::vector<int>* ports, std::string* error) {
  std::vector<int> fds;
  bool ok = true;
  for (int i = 0; i < count && ok; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      ok = false;
      break;
    }
    fds.push_back(fd);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ok = false;
      break;
    }
    ports->push_back(ntohs(addr.sin_port));
  }
  if (!ok) *error = fmt::format("could not pick a free loopback port: {}", std::strerror(errno));
  for (int fd : fds) close(fd);
  return ok;
}

// A value for kannel.conf: quoted, with \ and " escaped as Kannel's config parser expects.
std::string Quote(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

// True once the child has exited (and reaps it, setting *pid to -1). `how` describes the exit.
bool Exited(pid_t* pid, std::string* how = nullptr) {
  if (*pid <= 0) return true;
  int status = 0;
  pid_t r = waitpid(*pid, &status, WNOHANG);
  if (r == 0) return false;
  if (r < 0 && errno == EINTR) return false;
  if (how) {
    if (r < 0) {
      *how = "vanished";
    } else if (WIFEXITED(status)) {
      *how = fmt::format("exited with status {}", WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
      *how = fmt::format("was killed by signal {}", WTERMSIG(status));
    } else {
      *how = "stopped";
    }
  }
  *pid = -1;
  return true;
}

// Waits until every listed child has exited or `timeout` passed; returns whether all exited.
// `also_reap` is reaped on the way if it exits, but not waited for.
bool WaitForExit(std::initializer_list<pid_t*> pids, std::chrono::milliseconds timeout,
                 pid_t* also_reap = nullptr) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    bool all = true;
    for (pid_t* pid : pids) all = Exited(pid) && all;
    if (also_reap) Exited(also_reap);
    if (all) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
}

// fork/exec of `argv` with stdin from `stdin_fd` and stdout+stderr appended to `output`.
// Returns the pid or -1. Between fork and exec the child only makes async-signal-safe calls.
pid_t Spawn(const std::vector<std::string>& args, int stdin_fd, const std::filesystem::path& output,
            std::string* error) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int out_fd = open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out_fd < 0) {
    *error = fmt::format("cannot open {}: {}", output.string(), std::strerror(errno));
    return -1;
  }
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    // Die with the test: SIGKILL when the thread that forked us goes away.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, nullptr);
    if (dup2(stdin_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 || dup2(out_fd, STDERR_FILENO) < 0) {
      _exit(126);
    }
    // Leave no other descriptor (the test's sockets, the FIFO's write end) to the box.
    close_range(3, ~0U, 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int saved = errno;
  close(out_fd);
  if (pid < 0) *error = fmt::format("fork failed: {}", std::strerror(saved));
  return pid;
}

std::string TailOfFile(const std::filesystem::path& path, size_t max_lines) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(size > 16384 ? size - 16384 : 0);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > max_lines ? lines.size() - max_lines : 0; i < lines.size(); ++i) {
    out += lines[i] + "\n";
  }
  return out;
}

// The part of a file from `offset` on ("" if it is missing).
std::string ReadFrom(const std::filesystem::path& path, std::uintmax_t offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(static_cast<std::streamoff>(offset));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::uintmax_t FileSize(const std::filesystem::path& path) {
  std::error_code ec;
  std::uintmax_t size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// URL-decoding as fakesmsc prints payloads: %XX is a byte and '+' is a space byte (0x20).
std::string UrlDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string DecodeKannelUcs2(const std::string& bytes) {
  std::string out;
  auto unit = [&](size_t i) -> char32_t {
    return (static_cast<unsigned char>(bytes[i]) << 8) | static_cast<unsigned char>(bytes[i + 1]);
  };
  size_t i = 0;
  while (i + 1 < bytes.size()) {
    char32_t u = unit(i);
    i += 2;
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < bytes.size() && unit(i) >= 0xDC00 && unit(i) <= 0xDFFF) {
      AppendUtf8(0x10000 + ((u - 0xD800) << 10) + (unit(i) - 0xDC00), &out);
      i += 2;
    } else if (u >= 0xD800 && u <= 0xDFFF) {
      AppendUtf8(0xFFFD, &out);
    } else {
      AppendUtf8(u, &out);
    }
  }
  if (i < bytes.size()) AppendUtf8(0xFFFD, &out);
  return out;
}

namespace {

// "<sender receiver type payload>" without the angle brackets.
KannelMt ParseMt(const std::string& inner) {
  KannelMt mt;
  size_t a = inner.find(' ');
  size_t b = a == std::string::npos ? a : inner.find(' ', a + 1);
  size_t c = b == std::string::npos ? b : inner.find(' ', b + 1);
  if (c == std::string::npos) {
    mt.text = inner;
    return mt;
  }
  mt.sender = inner.substr(0, a);
  mt.receiver = inner.substr(a + 1, b - a - 1);
  mt.type = inner.substr(b + 1, c - b - 1);
  std::string payload = inner.substr(c + 1);
  if (mt.type == "ucs-2") {
    mt.text = DecodeKannelUcs2(UrlDecode(payload));
  } else if (mt.type == "udh") {
    // "<urlencoded udh> data <urlencoded part>"; the encoded header has no blanks.
    const std::string kData = " data ";
    size_t data = payload.find(kData);
    if (data == std::string::npos) {
      mt.text = payload;
    } else {
      mt.udh = UrlDecode(payload.substr(0, data));
      mt.text = UrlDecode(payload.substr(data + kData.size()));
    }
  } else if (mt.type == "data") {
    mt.text = UrlDecode(payload);
  } else {
    mt.text = payload;
  }
  return mt;
}

std::atomic<int> run_counter{0};

}  // namespace

std::unique_ptr<Kannel> Kannel::Start(const std::filesystem::path& dir, const KannelOptions& options,
                                      std::string* error) {
  std::string dummy;
  if (!error) error = &dummy;
  for (const char* binary : {kBearerbox, kSmsbox, kFakesmsc}) {
    if (access(binary, X_OK) != 0) {
      *error = fmt::format("{} is not installed (apt-get install kannel kannel-extras)", binary);
      return nullptr;
    }
  }
  if (options.mo_get_url.find_first_of("\r\n") != std::string::npos) {
    *error = "the get-url must not contain line breaks";
    return nullptr;
  }
  std::string failures;
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    std::unique_ptr<Kannel> kannel(new Kannel());
    kannel->options_ = options;
    kannel->run_dir_ = dir / fmt::format("kannel-{}-{}", getpid(), ++run_counter);
    std::error_code ec;
    std::filesystem::create_directories(kannel->run_dir_, ec);
    if (ec) {
      *error = fmt::format("cannot create {}: {}", kannel->run_dir_.string(), ec.message());
      return nullptr;
    }
    std::vector<int> ports;
    std::string why;
    if (!PickPorts(4, &ports, &why)) {
      *error = why;
      return nullptr;
    }
    kannel->ports_ = {ports[0], ports[1], ports[2], ports[3]};
    if (!kannel->WriteConfig(&why)) {
      *error = why;  // a config problem does not go away with other ports
      return nullptr;
    }
    if (kannel->StartProcesses(&why)) return kannel;
    failures += fmt::format("attempt {} ({}): {}\n{}\n", attempt, kannel->run_dir_.string(), why, kannel->LogTail());
  }
  *error = fmt::format("Kannel did not start in {} attempts:\n{}", kStartAttempts, failures);
  return nullptr;
}

Kannel::~Kannel() { Stop(); }

std::string Kannel::sendsms_url() const {
  return fmt::format("http://127.0.0.1:{}/cgi-bin/sendsms", ports_.sendsms);
}

std::string Kannel::username() const { return kUsername; }

std::string Kannel::password() const { return kPassword; }

bool Kannel::WriteConfig(std::string* error) const {
  const std::string run = run_dir_.string();
  auto file = [&](const char* name) { return Quote(run + "/" + name); };
  std::string service;
  if (options_.mo_get_url.empty()) {
    service = "text = \"discarded\"\n";  // max-messages = 0: the text is never sent
  } else {
    service = fmt::format("get-url = {}\n", Quote(options_.mo_get_url));
  }
  // No blank lines inside a group: a blank line ends the group.
  std::string config = fmt::format(
      "# Written by mittari::testing::Kannel. Every port is on 127.0.0.1.\n"
      "group = core\n"
      "admin-port = {admin}\n"
      "admin-interface = 127.0.0.1\n"
      "admin-password = {adminpw}\n"
      "status-password = {adminpw}\n"
      "admin-deny-ip = \"*.*.*.*\"\n"
      "admin-allow-ip = \"127.0.0.1\"\n"
      "smsbox-port = {smsbox}\n"
      "smsbox-interface = 127.0.0.1\n"
      "box-deny-ip = \"*.*.*.*\"\n"
      "box-allow-ip = \"127.0.0.1\"\n"
      "log-file = {bblog}\n"
      "log-level = 1\n"
      "access-log = {bbaccess}\n"
      "dlr-storage = internal\n"
      "\n"
      "group = smsc\n"
      "smsc = fake\n"
      "smsc-id = FAKE\n"
      "our-host = 127.0.0.1\n"
      "port = {smsc}\n"
      "connect-allow-ip = 127.0.0.1\n"
      "\n"
      "group = smsbox\n"
      "bearerbox-host = 127.0.0.1\n"
      "bearerbox-port = {smsbox}\n"
      "sendsms-port = {sendsms}\n"
      "sendsms-interface = 127.0.0.1\n"
      "log-file = {sblog}\n"
      "log-level = 1\n"
      "access-log = {sbaccess}\n"
      "mo-recode = true\n"
      "http-request-retry = {retry}\n"
      "http-queue-delay = {delay}\n"
      "\n"
      "group = sendsms-user\n"
      "username = {user}\n"
      "password = {userpw}\n"
      "user-deny-ip = \"*.*.*.*\"\n"
      "user-allow-ip = \"127.0.0.1\"\n"
      "max-messages = 3\n"
      "concatenation = true\n"
      "\n"
      "group = sms-service\n"
      "keyword = default\n"
      "catch-all = true\n"
      "accepted-smsc = FAKE\n"
      "max-messages = 0\n"
      "{service}",
      fmt::arg("admin", ports_.admin), fmt::arg("adminpw", kAdminPassword), fmt::arg("smsbox", ports_.smsbox),
      fmt::arg("smsc", ports_.smsc), fmt::arg("sendsms", ports_.sendsms), fmt::arg("bblog", file("bearerbox.log")),
      fmt::arg("bbaccess", file("bearerbox-access.log")), fmt::arg("sblog", file("smsbox.log")),
      fmt::arg("sbaccess", file("smsbox-access.log")), fmt::arg("retry", options_.http_request_retry),
      fmt::arg("delay", options_.http_queue_delay), fmt::arg("user", kUsername), fmt::arg("userpw", kPassword),
      fmt::arg("service", service));
  // Kannel's config reader takes every line containing "include" for an include directive.
  std::istringstream lines(config);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("include") != std::string::npos) {
      *error = fmt::format(
          "Kannel would read this config line as an include directive (it contains \"include\"): {}", line);
      return false;
    }
  }
  std::ofstream out(run_dir_ / "kannel.conf", std::ios::binary | std::ios::trunc);
  out << config;
  out.close();
  if (!out) {
    *error = fmt::format("cannot write {}", (run_dir_ / "kannel.conf").string());
    return false;
  }
  return true;
}

std::string Kannel::AdminGet(const std::string& path) const {
  httplib::Client client("127.0.0.1", ports_.admin);
  client.set_connection_timeout(1s);
  client.set_read_timeout(2s);
  auto res = client.Get(fmt::format("{}?password={}", path, kAdminPassword).c_str());
  return res ? res->body : "";
}

bool Kannel::BearerboxUp() const { return AdminGet("/status.txt").find("Kannel bearerbox") != std::string::npos; }

bool Kannel::SmsboxConnected() const {
  std::istringstream status(AdminGet("/status.txt"));
  bool connected = false;
  for (std::string line; std::getline(status, line);) {
    if (line.find("smsbox:") != std::string::npos && line.find("on-line") != std::string::npos) connected = true;
  }
  if (!connected) return false;
  httplib::Client client("127.0.0.1", ports_.sendsms);
  client.set_connection_timeout(1s);
  client.set_read_timeout(5s);
  return static_cast<bool>(client.Get("/"));
}

bool Kannel::SmscOnline() const {
  std::istringstream status(AdminGet("/status.txt"));
  for (std::string line; std::getline(status, line);) {
    if (line.find("FAKE[FAKE]") != std::string::npos && line.find("(online") != std::string::npos) return true;
  }
  return false;
}

bool Kannel::WaitUntil(const char* what, std::chrono::milliseconds timeout, bool (Kannel::*ready)() const,
                       std::string* error) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    const std::pair<const char*, pid_t*> children[] = {
        {"bearerbox", &bearerbox_}, {"smsbox", &smsbox_}, {"fakesmsc", &fakesmsc_}};
    for (const auto& [name, pid] : children) {
      std::string how;
      if (*pid > 0 && Exited(pid, &how)) {
        *error = fmt::format("waiting for {}: {} {}", what, name, how);
        return false;
      }
    }
    // bearerbox keeps running when it cannot bind a port (admin, smsbox, fake smsc); it only
    // logs "bind failed". Give up at once instead of waiting for the timeout.
    const std::pair<const char*, std::uintmax_t> consoles[] = {
        {"bearerbox.console", bearerbox_console_from_}, {"smsbox.console", smsbox_console_from_}};
    for (const auto& [name, from] : consoles) {
      std::string console = ReadFrom(run_dir_ / name, from);
      if (console.find("bind failed") != std::string::npos) {
        *error = fmt::format("waiting for {}: a port is taken ({} says bind failed)", what, name);
        return false;
      }
    }
    if ((this->*ready)()) return true;
    if (Clock::now() >= deadline) {
      *error = fmt::format("timed out waiting for {}", what);
      return false;
    }
    std::this_thread::sleep_for(50ms);
  }
}

bool Kannel::StartProcesses(std::string* error) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    mos_written_ = 0;
    mos_sent_ = 0;
  }
  const std::string config = (run_dir_ / "kannel.conf").string();
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    *error = "cannot open /dev/null";
    return false;
  }
  // Console output at warning level and up; the info-level logs go to the log-file.
  bearerbox_console_from_ = FileSize(run_dir_ / "bearerbox.console");
  smsbox_console_from_ = FileSize(run_dir_ / "smsbox.console");
  bearerbox_ = Spawn({kBearerbox, "-v", "2", config}, null_fd, run_dir_ / "bearerbox.console", error);
  bool ok = bearerbox_ > 0 && WaitUntil("bearerbox", kBoxTimeout, &Kannel::BearerboxUp, error);
  if (ok) {
    smsbox_ = Spawn({kSmsbox, "-v", "2", config}, null_fd, run_dir_ / "smsbox.console", error);
    ok = smsbox_ > 0 && WaitUntil("smsbox to connect", kBoxTimeout, &Kannel::SmsboxConnected, error);
  }
  close(null_fd);
  if (ok) {
    // fakesmsc reads MOs from a FIFO that we hold open read-write, so it never sees EOF until
    // Stop() closes it.
    const std::filesystem::path fifo = run_dir_ / "fakesmsc.in";
    if (!std::filesystem::exists(fifo) && mkfifo(fifo.c_str(), 0600) != 0) {
      *error = fmt::format("mkfifo {}: {}", fifo.string(), std::strerror(errno));
      ok = false;
    }
    if (ok) fifo_fd_ = open(fifo.c_str(), O_RDWR | O_CLOEXEC);
    int read_fd = fifo_fd_ >= 0 ? open(fifo.c_str(), O_RDONLY | O_CLOEXEC) : -1;
    if (read_fd < 0) {
      if (ok) *error = fmt::format("cannot open {}: {}", fifo.string(), std::strerror(errno));
      ok = false;
    } else {
      // Interactive mode (no message arguments), no pause between MOs, and no -v: the MT
      // lines are printed at debug level.
      fakesmsc_ = Spawn({kFakesmsc, "-H", "127.0.0.1", "-r", std::to_string(ports_.smsc), "-i", "0"}, read_fd,
                        run_dir_ / "fakesmsc.log", error);
      close(read_fd);
      ok = fakesmsc_ > 0 && WaitUntil("the FAKE smsc to come online", kBoxTimeout, &Kannel::SmscOnline, error);
    }
  }
  if (!ok) KillAll();
  return ok;
}

void Kannel::KillAll() {
  for (pid_t* pid : {&fakesmsc_, &smsbox_, &bearerbox_}) {
    if (*pid > 0 && !Exited(pid)) {
      kill(*pid, SIGKILL);
      while (waitpid(*pid, nullptr, 0) < 0 && errno == EINTR) {
      }
      *pid = -1;
    }
  }
  if (fifo_fd_ >= 0) close(fifo_fd_);
  fifo_fd_ = -1;
}

void Kannel::Stop() {
  if (bearerbox_ > 0 && !Exited(&bearerbox_)) {
    // Clean shutdown: bearerbox tells smsbox to go and drops the fakesmsc connection.
    httplib::Client client("127.0.0.1", ports_.admin);
    client.set_connection_timeout(1s);
    client.set_read_timeout(3s);
    client.Get(fmt::format("/shutdown?password={}", kAdminPassword).c_str());
  }
  // fakesmsc goes as soon as bearerbox drops its connection, before bearerbox itself is done.
  WaitForExit({&bearerbox_, &smsbox_}, 8s, &fakesmsc_);
  if (fifo_fd_ >= 0) close(fifo_fd_);  // EOF on stdin ends fakesmsc (it aborts on the way out)
  fifo_fd_ = -1;
  WaitForExit({&fakesmsc_}, 3s);
  bool term_sent = false;
  for (pid_t* pid : {&bearerbox_, &smsbox_, &fakesmsc_}) {
    if (*pid > 0) {
      kill(*pid, SIGTERM);
      term_sent = true;
    }
  }
  if (term_sent) WaitForExit({&bearerbox_, &smsbox_, &fakesmsc_}, 5s);
  KillAll();
  std::lock_guard<std::mutex> lock(mutex_);
  ParseFakesmscOutput();
  partial_line_.clear();
}

bool Kannel::Restart(std::string* error) {
  std::string dummy;
  if (!error) error = &dummy;
  if (bearerbox_ > 0 || smsbox_ > 0 || fakesmsc_ > 0) {
    *error = "Restart() needs Stop() first";
    return false;
  }
  if (!StartProcesses(error)) {
    *error += "\n" + LogTail();
    return false;
  }
  return true;
}

void Kannel::ParseFakesmscOutput() {
  std::ifstream in(run_dir_ / "fakesmsc.log", std::ios::binary);
  if (!in) return;
  in.seekg(output_offset_);
  std::string fresh((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  output_offset_ += static_cast<long>(fresh.size());
  std::string text = partial_line_ + fresh;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = text.substr(start, nl - start);
    // "<date> <time> [pid] [thread] DEBUG: Got message N: <...>" (INFO only for the -m'th);
    // "... DEBUG: fakesmsc: sent message N". The markers include the level so that an MT's
    // text cannot pass for one.
    static const std::string kGot[] = {"] DEBUG: Got message ", "] INFO: Got message "};
    static const std::string kSent = "] DEBUG: fakesmsc: sent message ";
    size_t got = line.find(kGot[0]);
    if (got == std::string::npos) got = line.find(kGot[1]);
    if (got != std::string::npos) {
      size_t open = line.find(": <", got + kGot[1].size());
      if (open == std::string::npos) continue;
      std::string inner = line.substr(open + 3);
      if (!inner.empty() && inner.back() == '>') inner.pop_back();
      mts_.push_back(ParseMt(inner));
    } else if (size_t at = line.find(kSent); at != std::string::npos) {
      mos_sent_ = std::max(mos_sent_, std::atoi(line.c_str() + at + kSent.size()));
    }
  }
  partial_line_ = text.substr(start);
}

bool Kannel::SendMo(const std::string& from, const std::string& to, const std::string& text, std::string* error) {
  std::string dummy;
  if (!error) error = &dummy;
  auto blank = [](const std::string& s) { return s.empty() || s.find_first_of(" \t\r\n") != std::string::npos; };
  if (blank(from) || blank(to)) {
    *error = fmt::format("SendMo: sender '{}' and receiver '{}' must be non-empty without blanks", from, to);
    return false;
  }
  if (text.find_first_of("\r\n") != std::string::npos) {
    *error = "SendMo: the text must not contain line breaks";
    return false;
  }
  const std::string line = fmt::format("{} {} text {}", from, to, text);
  if (line.size() >= 255) {
    *error = fmt::format("SendMo: the fakesmsc line is {} bytes; it must stay under 255", line.size());
    return false;
  }
  if (fakesmsc_ <= 0 || Exited(&fakesmsc_) || fifo_fd_ < 0) {
    *error = "SendMo: fakesmsc is not running";
    return false;
  }
  auto write_all = [this](const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = write(fifo_fd_, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  };
  int target;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ParseFakesmscOutput();
    target = ++mos_written_;
  }
  if (!write_all(line + "\n")) {
    *error = fmt::format("SendMo: writing to fakesmsc failed: {}", std::strerror(errno));
    return false;
  }
  const auto deadline = Clock::now() + kMoTimeout;
  auto last_write = Clock::now();
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ParseFakesmscOutput();
      if (mos_sent_ >= target) return true;
    }
    if (Exited(&fakesmsc_)) {
      *error = "SendMo: fakesmsc exited\n" + LogTail();
      return false;
    }
    if (Clock::now() >= deadline) {
      *error = fmt::format("SendMo: fakesmsc did not report message {} sent\n{}", target, LogTail());
      return false;
    }
    if (Clock::now() - last_write >= kNudgeAfter) {
      // fakesmsc select()s on the fd but reads with fgets, so a line can sit in its stdio
      // buffer until more input arrives. An empty line is ignored and shakes it loose.
      write_all("\n");
      last_write = Clock::now();
    }
    std::this_thread::sleep_for(20ms);
  }
}

std::vector<KannelMt> Kannel::ReceivedMts() {
  std::lock_guard<std::mutex> lock(mutex_);
  ParseFakesmscOutput();
  return mts_;
}

size_t Kannel::WaitForMts(size_t count, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    size_t have;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ParseFakesmscOutput();
      have = mts_.size();
    }
    if (have >= count || Clock::now() >= deadline) return have;
    std::this_thread::sleep_for(50ms);
  }
}

std::string Kannel::LogTail() const {
  std::string out;
  for (const char* name : {"bearerbox.console", "bearerbox.log", "smsbox.console", "smsbox.log", "fakesmsc.log"}) {
    std::string tail = TailOfFile(run_dir_ / name, 15);
    if (!tail.empty()) out += fmt::format("==> {} <==\n{}", (run_dir_ / name).string(), tail);
  }
  return out;
}

}  // namespace mittari::testing
