#pragma once
// The HTTP/1.1 server: keep-alive, limits and deadlines against slow or oversized clients, a
// bounded worker pool for handlers, an optional static-file directory for the web UI, graceful
// stop. Boost.Beast/Asio stay inside server.cc; this header is std only.
//
// Responses produced by the server itself (400, 404/405 for static files, 408, 413, 431, 500,
// 503) are application/problem+json with type, title, status and detail. Every response carries
// Server: Tandem, X-Content-Type-Options: nosniff and Referrer-Policy: same-origin; responses to
// API requests also Cache-Control: no-store unless the handler set a Cache-Control itself.
//
// Signals are not handled here: main() calls BlockTerminationSignals() first, starts the server,
// calls WaitForTerminationSignal() and then Server::Stop().

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "http/message.h"

namespace tandem::http {

struct ServerOptions {
  std::string address = "127.0.0.1";  // an IPv4 or IPv6 literal to listen on
  std::uint16_t port = 0;             // 0: pick a free port (see Server::port())
  // Request line plus headers larger than this -> 431 and close.
  std::size_t max_header_bytes = 16 * 1024;
  // A body larger than this -> 413 and close; a too-large Content-Length is refused before any of
  // the body is read (chunked bodies when the limit is crossed).
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  // A client slower than this for one request (headers and body, counted from its first byte) is
  // cut off: 408, then close.
  std::chrono::milliseconds request_deadline{30000};
  // A keep-alive connection without a new request for this long is closed. Also the limit for
  // writing one response to the client.
  std::chrono::milliseconds idle_timeout{60000};
  // Connections beyond this are accepted, answered 503 with Retry-After and closed.
  int max_connections = 1024;
  int io_threads = 1;
  // Handlers (and static-file reads) run on this bounded pool, never on the I/O threads.
  int worker_threads = 4;
  // Requests waiting for a worker beyond this (at least 1) -> 503 with Retry-After: 1; the
  // handler is not called.
  int max_queued_requests = 256;
  // When set: GET and HEAD of paths not under api_prefix serve files from this directory (content
  // types for html, js, css, svg, png, json, ico, woff2, map); dot segments and path traversal get
  // 404; unknown paths whose last segment has no extension fall back to index.html (single-page
  // app), which is sent with Cache-Control: no-cache. Other methods there get 405.
  // When empty, every request goes to the handler.
  std::string static_dir;
  std::string api_prefix = "/api/";  // requests under this go to the handler
  bool access_log = false;           // one line per request on stderr
};

class Server {
 public:
  // Binds, listens and starts the I/O threads and the worker pool. Errors: InvalidArgument for
  // bad options (address not an IP literal, thread counts < 1, ...), IoError when the address
  // cannot be bound (e.g. port in use).
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Calls Stop() with the default grace.
  ~Server();

  // The port listened on (the chosen one when options.port was 0).
  std::uint16_t port() const;

  // Graceful stop: stops accepting, closes idle keep-alive connections, lets requests in flight
  // finish (their responses carry Connection: close) for up to `grace`, then closes whatever is
  // left, drops queued requests and joins all threads. A handler still running after `grace` is
  // waited for (handlers cannot be interrupted). Idempotent and thread-safe.
  // REQUIRES: not called from a handler.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(10000));

 private:
  class Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Blocks SIGINT and SIGTERM in the calling thread; threads started afterwards inherit the mask.
// Call at the start of main(), before any thread (the server's included) exists, so that the
// signals stay pending for WaitForTerminationSignal() instead of killing the process.
void BlockTerminationSignals();

// Blocks until SIGINT or SIGTERM arrives (via sigwait).
// REQUIRES: the signals are blocked in every thread of the process (BlockTerminationSignals()
// called in main() before any thread was started); otherwise the default action may run.
void WaitForTerminationSignal();

}  // namespace tandem::http
