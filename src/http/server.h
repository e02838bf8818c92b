// File: http/server.h
//
// The HTTP face of Mittari: the JSON API v1, the patient web form, health checks and metrics,
// on cpp-httplib. Handlers only parse requests, check who is asking, call one Service method
// and map the result to JSON; Status codes become HTTP statuses in one place (StatusToHttp).
//
// Example:
//   ApiServer server(service, config);
//   ASSIGN_OR_RETURN(int port, server.Bind("127.0.0.1", 8080));
//   server.Run();            // until Stop() is called from another thread
//
// Thread-safe: requests run on a thread pool; the service does its own locking.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "common/config.h"
#include "common/status.h"
#include "service/service.h"

namespace mittari::http {

// The HTTP status for a Status code: 400, 403, 404, 409, 503, 500.
int StatusToHttp(StatusCode code);

class ApiServer {
 public:
  // `web_root`: a directory with the built dashboard, served at "/"; empty or missing: none.
  ApiServer(Service& service, Config config, std::string web_root = "");
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds the listening socket. Port 0 picks a free port. Returns the port, or Unavailable
  // naming the address when it cannot be bound.
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); in-flight requests finish before it returns.
  Status Run();
  // Stops accepting requests; safe to call from a signal-handling thread.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mittari::http
