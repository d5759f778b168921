// The only translation unit that includes Boost.Beast/Asio.
//
// Threading: I/O threads run one io_context; every connection (Session) lives on its own strand,
// so its state needs no locks. Handlers run on a bounded WorkerPool and post their Response back
// to the connection's strand. Timeouts use one steady_timer per connection; a generation counter
// makes a timer expiry that raced with the completion it guarded harmless.

#include "http/server.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <vector>

namespace tandem::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

constexpr std::size_t kReadChunk = 4096;
// How long a connection we are closing keeps reading (and discarding) what the client still
// sends, so that closing with unread data does not reset the connection before the client has
// read our response.
constexpr std::chrono::milliseconds kLingerTime{500};
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
constexpr std::string_view kInternalErrorBody =
    R"({"type":"about:blank","title":"Internal Server Error","status":500})";
constexpr std::string_view kProblemJson = "application/problem+json";
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// --- Small helpers ------------------------------------------------------------------------------

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          std::array<char, 8> buf{};
          std::snprintf(buf.data(), buf.size(), "\\u%04x", static_cast<unsigned>(c));
          out += buf.data();
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

// For log lines: control characters from the client must not forge log entries.
std::string Printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? '?' : c);
  }
  return out;
}

std::string StatusTitle(int status) {
  return std::string(bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(status))));
}

// An error produced by the server itself, as application/problem+json.
Response Problem(int status, std::string_view detail) {
  Response response;
  response.status = status;
  response.body = R"({"type":"about:blank","title":")" + JsonEscape(StatusTitle(status)) +
                  R"(","status":)" + std::to_string(status) + R"(,"detail":")" +
                  JsonEscape(detail) + "\"}";
  response.headers.push_back({"Content-Type", std::string(kProblemJson)});
  return response;
}

Response InternalError() {
  Response response;
  response.status = 500;
  response.body = std::string(kInternalErrorBody);
  response.headers.push_back({"Content-Type", std::string(kProblemJson)});
  return response;
}

bool IsValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != ':';
  });
}

bool IsValidHeaderValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Headers the server sets itself; a handler's copies are dropped.
bool IsServerOwnedHeader(std::string_view name) {
  for (std::string_view owned : {"Content-Length", "Transfer-Encoding", "Connection", "Server",
                                 "X-Content-Type-Options", "Referrer-Policy"}) {
    if (EqualsIgnoreCase(name, owned)) return true;
  }
  return false;
}

std::string_view ContentTypeFor(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool IsWithin(const std::filesystem::path& root, const std::filesystem::path& candidate) {
  auto [root_end, candidate_it] =
      std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return root_end == root.end();
}

// --- WorkerPool ---------------------------------------------------------------------------------

// A fixed set of threads over a bounded queue. Thread-safe.
class WorkerPool {
 public:
  WorkerPool(int threads, int max_queued) : max_queued_(static_cast<std::size_t>(max_queued)) {
    threads_.reserve(static_cast<std::size_t>(threads));
    try {
      for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
    } catch (...) {
      Shutdown();
      throw;
    }
  }
  ~WorkerPool() { Shutdown(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (task not run) when max_queued tasks already wait or after Shutdown().
  // The task must not throw.
  bool TrySubmit(std::function<void()> task) {
    {
      std::lock_guard lock(mu_);
      if (shutdown_ || queue_.size() >= max_queued_) return false;
      queue_.push_back(std::move(task));
    }
    cv_.notify_one();
    return true;
  }

  // Drops queued tasks, waits for running ones and joins the threads. Idempotent.
  void Shutdown() {
    std::deque<std::function<void()>> dropped;
    {
      std::lock_guard lock(mu_);
      shutdown_ = true;
      dropped.swap(queue_);
    }
    cv_.notify_all();
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    // `dropped` is destroyed here, outside the lock: tasks may own connections whose destructors
    // take other locks.
  }

 private:
  void Run() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return shutdown_ || !queue_.empty(); });
        if (shutdown_) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool shutdown_ = false;                    // guarded by mu_
  const std::size_t max_queued_;
  std::vector<std::thread> threads_;
};

class Session;

// --- ServerCore ---------------------------------------------------------------------------------

// Everything behind Server. Member order matters: sessions may be destroyed while io_ and pool_
// are torn down, and their destructors unregister themselves, so the registry outlives both.
class ServerCore {
 public:
  ServerCore(ServerOptions options, Handler handler, std::filesystem::path static_root)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        static_root_(std::move(static_root)),
        pool_(options_.worker_threads, options_.max_queued_requests),
        io_(options_.io_threads),
        accept_strand_(asio::make_strand(io_)),
        acceptor_(accept_strand_),
        accept_retry_timer_(accept_strand_) {}

  ~ServerCore() { Stop(std::chrono::milliseconds(0)); }

  Status Listen();
  void Run();  // starts accepting and the I/O threads; may throw std::system_error
  void Stop(std::chrono::milliseconds grace);
  std::uint16_t port() const { return port_; }

  const ServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }
  WorkerPool& pool() { return pool_; }

  // Runs the handler, turning an exception into a 500 (logged without the request body).
  Response CallHandler(const Request& request) const;
  // Serves a file from static_dir (GET/HEAD only).
  Response ServeStatic(const Request& request) const;
  bool IsApiPath(std::string_view path) const {
    return static_root_.empty() || path.starts_with(options_.api_prefix);
  }

  // Called by a Session's destructor; `counted`: it was not a rejected one.
  void Unregister(Session* session, bool counted);

 private:
  void DoAccept();
  void OnAccept(ErrorCode ec, tcp::socket socket);
  std::vector<std::shared_ptr<Session>> SnapshotSessions();
  void PollRemaining();

  const ServerOptions options_;
  const Handler handler_;
  const std::filesystem::path static_root_;  // canonical; empty when static files are off

  std::mutex sessions_mu_;
  std::condition_variable sessions_cv_;  // notified when sessions_ becomes empty
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;  // guarded by sessions_mu_
  std::size_t active_connections_ = 0;  // sessions_ minus rejected ones; guarded by sessions_mu_

  std::atomic<bool> stopping_{false};
  WorkerPool pool_;
  asio::io_context io_;
  asio::strand<asio::io_context::executor_type> accept_strand_;
  tcp::acceptor acceptor_;  // used on accept_strand_ only
  asio::steady_timer accept_retry_timer_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> io_threads_;
  std::uint16_t port_ = 0;

  std::mutex stop_mu_;
  bool stopped_ = false;  // guarded by stop_mu_
};

// --- Session ------------------------------------------------------------------------------------

// One client connection. All member functions except the constructor, destructor and executor()
// run on the connection's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  // `reject`: the server is full; answer 503 and close.
  Session(ServerCore& core, tcp::socket socket, bool reject)
      : core_(core),
        socket_(std::move(socket)),
        executor_(socket_.get_executor()),
        timer_(executor_),
        reject_(reject) {
    ErrorCode ec;
    tcp::endpoint peer = socket_.remote_endpoint(ec);
    if (!ec) remote_address_ = peer.address().to_string();
  }

  ~Session() { core_.Unregister(this, /*counted=*/!reject_); }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The connection's strand; safe to call from any thread.
  const asio::any_io_executor& executor() const { return executor_; }

  void Start() {
    if (reject_) {
      request_start_ = Clock::now();
      Response busy = Problem(503, "too many connections; retry shortly");
      busy.SetHeader("Retry-After", "1");
      SendResponse(std::move(busy), /*close=*/true, /*no_store=*/true);
    } else {
      ReadIdle();
    }
  }

  // The server is stopping: an idle keep-alive connection is closed now; one in the middle of a
  // request finishes it (the response says Connection: close).
  void OnServerStopping() {
    if (state_ == State::kIdle) Close();
  }

  void ForceClose() { Close(); }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kLingering, kClosed };
  enum class TimerKind { kIdle, kRequest, kWrite, kLinger };

  // --- Timer.
  void ArmTimer(std::chrono::milliseconds after, TimerKind kind) {
    ++timer_generation_;
    timer_kind_ = kind;
    timer_.expires_after(after);
    timer_.async_wait(
        [self = shared_from_this(), generation = timer_generation_](const ErrorCode& ec) {
          if (ec || generation != self->timer_generation_) return;
          self->OnTimeout();
        });
  }

  void DisarmTimer() {
    ++timer_generation_;
    timer_.cancel();
  }

  void OnTimeout() {
    if (state_ == State::kClosed) return;
    if (timer_kind_ == TimerKind::kRequest) {
      // Abort the read in progress; its handler answers 408. Shutting down the receive side also
      // ends a read that a composed operation starts after this point.
      request_timed_out_ = true;
      ErrorCode ignored;
      socket_.cancel(ignored);
      socket_.shutdown(tcp::socket::shutdown_receive, ignored);
      return;
    }
    Close();
  }

  // --- Reading.
  void ReadIdle() {
    if (state_ == State::kClosed) return;
    if (core_.stopping()) {
      Close();
      return;
    }
    if (buffer_.size() > 0) {  // a pipelined request is already buffered
      BeginRequest();
      return;
    }
    state_ = State::kIdle;
    ArmTimer(core_.options().idle_timeout, TimerKind::kIdle);
    socket_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](const ErrorCode& ec, std::size_t n) {
                              self->OnIdleRead(ec, n);
                            });
  }

  void OnIdleRead(const ErrorCode& ec, std::size_t n) {
    if (state_ == State::kClosed) return;
    DisarmTimer();
    if (ec) {  // the client closed, the idle timeout, or a reset
      Close();
      return;
    }
    buffer_.commit(n);
    BeginRequest();
  }

  void BeginRequest() {
    state_ = State::kReading;
    request_timed_out_ = false;
    request_start_ = Clock::now();
    version_ = 11;
    keep_alive_ = true;
    log_method_.clear();
    log_path_.clear();
    const ServerOptions& options = core_.options();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser_->body_limit(static_cast<std::uint64_t>(options.max_body_bytes));
    ArmTimer(options.request_deadline, TimerKind::kRequest);
    bhttp::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](const ErrorCode& ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(const ErrorCode& ec) {
    if (state_ == State::kClosed) return;
    if (ec) {
      OnReadError(ec);
      return;
    }
    const auto& header = parser_->get();
    version_ = header.version();
    log_method_ = Printable(header.method_string());
    if (parser_->is_done()) {
      OnRequestRead();
      return;
    }
    // Content-Length above the limit was already refused by the parser (body_limit), before any
    // of the body was read.
    auto expect = header.find(bhttp::field::expect);
    if (version_ >= 11 && expect != header.end() &&
        EqualsIgnoreCase(expect->value(), "100-continue")) {
      asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](const ErrorCode& write_ec, std::size_t) {
                          if (self->state_ == State::kClosed) return;
                          if (write_ec) {
                            self->OnReadError(write_ec);
                            return;
                          }
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](const ErrorCode& ec, std::size_t) { self->OnBody(ec); });
  }

  void OnBody(const ErrorCode& ec) {
    if (state_ == State::kClosed) return;
    if (ec) {
      OnReadError(ec);
      return;
    }
    OnRequestRead();
  }

  void OnReadError(const ErrorCode& ec) {
    DisarmTimer();
    if (request_timed_out_) {
      SendError(408, "the request was not received in time");
      return;
    }
    if (ec == bhttp::error::header_limit) {
      SendError(431, "the request header is larger than " +
                         std::to_string(core_.options().max_header_bytes) + " bytes");
      return;
    }
    if (ec == bhttp::error::body_limit) {
      SendError(413, "the request body is larger than " +
                         std::to_string(core_.options().max_body_bytes) + " bytes");
      return;
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      SendError(400, "malformed request: " + ec.message());
      return;
    }
    Close();  // the client went away (EOF mid-request, reset) or the server is closing us
  }

  void OnRequestRead() {
    DisarmTimer();
    bhttp::request<bhttp::string_body> raw = parser_->release();
    parser_.reset();
    keep_alive_ = raw.keep_alive();

    Request request;
    request.method = std::string(raw.method_string());
    request.target = std::string(raw.target());
    if (!ParseTarget(request.target, &request.path, &request.query)) {
      log_path_ = Printable(request.target);
      SendError(400, "malformed request target");
      return;
    }
    log_path_ = Printable(request.path);
    request.headers.reserve(static_cast<std::size_t>(std::distance(raw.begin(), raw.end())));
    for (const auto& field : raw) {
      request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    request.body = std::move(raw.body());
    request.remote_address = remote_address_;

    head_ = request.method == "HEAD";
    api_ = core_.IsApiPath(request.path);
    state_ = State::kHandling;
    bool submitted = core_.pool().TrySubmit([self = shared_from_this(),
                                             request = std::move(request), api = api_]() {
      Response response = api ? self->core_.CallHandler(request) : self->core_.ServeStatic(request);
      asio::post(self->executor(), [self, response = std::move(response)]() mutable {
        self->OnHandled(std::move(response));
      });
    });
    if (!submitted) {
      Response busy = Problem(503, "the server is busy; retry shortly");
      busy.SetHeader("Retry-After", "1");
      SendResponse(std::move(busy), /*close=*/false, /*no_store=*/true);
    }
  }

  void OnHandled(Response response) {
    if (state_ == State::kClosed) return;
    SendResponse(std::move(response), /*close=*/false, /*no_store=*/api_);
  }

  // --- Writing.
  void SendError(int status, std::string_view detail) {
    if (log_method_.empty()) {  // the request line was not understood
      log_method_ = "-";
      log_path_ = "-";
    }
    SendResponse(Problem(status, detail), /*close=*/true, /*no_store=*/true);
  }

  void SendResponse(Response response, bool close, bool no_store) {
    close = close || !keep_alive_ || core_.stopping();
    if (response.status < 100 || response.status > 599) {
      std::fprintf(stderr, "tandem http: handler returned invalid status %d for %s %s\n",
                   response.status, log_method_.c_str(), log_path_.c_str());
      response = InternalError();
    }
    auto& res = response_.emplace();
    res.version(version_ == 10 ? 10 : 11);
    res.result(static_cast<unsigned>(response.status));
    bool has_cache_control = false;
    for (Header& h : response.headers) {
      if (!IsValidHeaderName(h.name) || !IsValidHeaderValue(h.value)) {
        std::fprintf(stderr, "tandem http: dropped invalid response header '%s'\n",
                     Printable(h.name).c_str());
        continue;
      }
      if (IsServerOwnedHeader(h.name)) continue;
      if (EqualsIgnoreCase(h.name, "Cache-Control")) has_cache_control = true;
      res.insert(h.name, h.value);
    }
    res.set(bhttp::field::server, "Tandem");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "same-origin");
    if (no_store && !has_cache_control) res.set(bhttp::field::cache_control, "no-store");
    const int status = response.status;
    const bool bodiless = status < 200 || status == 204 || status == 304;
    if (!bodiless) {
      res.content_length(response.body.size());
      if (!head_) res.body() = std::move(response.body);
    }
    res.keep_alive(!close);
    log_status_ = status;
    log_bytes_ = res.body().size();

    state_ = State::kWriting;
    ArmTimer(core_.options().idle_timeout, TimerKind::kWrite);
    bhttp::async_write(socket_, res,
                       [self = shared_from_this(), close](const ErrorCode& ec, std::size_t) {
                         self->OnWrite(ec, close);
                       });
  }

  void OnWrite(const ErrorCode& ec, bool close) {
    if (state_ == State::kClosed) return;
    DisarmTimer();
    response_.reset();
    AccessLog();
    head_ = false;
    if (ec) {
      Close();
    } else if (close) {
      LingerClose();
    } else {
      ReadIdle();
    }
  }

  void AccessLog() {
    if (!core_.options().access_log || log_method_.empty()) return;
    auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - request_start_);
    std::fprintf(stderr, "%s \"%s %s\" %d %zu %lldms\n", remote_address_.c_str(),
                 log_method_.c_str(), log_path_.c_str(), log_status_, log_bytes_,
                 static_cast<long long>(elapsed.count()));
  }

  // --- Closing.
  // Half-closes and discards what the client still sends for a short while, so the client reads
  // our last response instead of a connection reset.
  void LingerClose() {
    state_ = State::kLingering;
    ErrorCode ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    ArmTimer(kLingerTime, TimerKind::kLinger);
    Discard();
  }

  void Discard() {
    socket_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](const ErrorCode& ec, std::size_t) {
                              if (self->state_ == State::kClosed) return;
                              if (ec) {
                                self->Close();
                                return;
                              }
                              self->Discard();
                            });
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    DisarmTimer();
    ErrorCode ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  ServerCore& core_;
  tcp::socket socket_;
  const asio::any_io_executor executor_;  // a copy, so other threads never touch socket_
  asio::steady_timer timer_;
  const bool reject_;
  std::string remote_address_;

  State state_ = State::kIdle;
  TimerKind timer_kind_ = TimerKind::kIdle;
  std::uint64_t timer_generation_ = 0;

  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;  // kept alive while written
  std::array<char, kReadChunk> discard_{};

  // The current request.
  bool request_timed_out_ = false;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool head_ = false;
  bool api_ = true;
  Clock::time_point request_start_{};
  std::string log_method_;
  std::string log_path_;
  int log_status_ = 0;
  std::size_t log_bytes_ = 0;
};

// --- ServerCore implementation ------------------------------------------------------------------

Status ServerCore::Listen() {
  ErrorCode ec;
  asio::ip::address address = asio::ip::make_address(options_.address, ec);
  if (ec) {
    return Status::Invalid("http: listen address '" + options_.address + "' is not an IP address");
  }
  tcp::endpoint endpoint(address, options_.port);
  std::string where = options_.address + ":" + std::to_string(options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) {
    return Status::Io("http: cannot open a socket for " + where + ": " + ec.message());
  }
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) {
    return Status::Io("http: cannot set SO_REUSEADDR for " + where + ": " + ec.message());
  }
  acceptor_.bind(endpoint, ec);
  if (ec) {
    return Status::Io("http: cannot listen on " + where + ": " + ec.message());
  }
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Io("http: cannot listen on " + where + ": " + ec.message());
  }
  tcp::endpoint local = acceptor_.local_endpoint(ec);
  if (ec) return Status::Io("http: cannot read the bound port: " + ec.message());
  port_ = local.port();
  return Status::Ok();
}

void ServerCore::Run() {
  work_.emplace(io_.get_executor());
  asio::dispatch(accept_strand_, [this] { DoAccept(); });
  for (int i = 0; i < options_.io_threads; ++i) {
    io_threads_.emplace_back([this] {
      for (;;) {
        try {
          io_.run();
          return;
        } catch (const std::exception& e) {
          std::fprintf(stderr, "tandem http: unexpected exception on an I/O thread: %s\n",
                       e.what());
        }
      }
    });
  }
}

void ServerCore::DoAccept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](const ErrorCode& ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void ServerCore::OnAccept(ErrorCode ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open() || stopping()) return;
  if (ec) {
    // E.g. out of file descriptors: wait a little instead of spinning.
    std::fprintf(stderr, "tandem http: accept failed: %s\n", ec.message().c_str());
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([this](const ErrorCode& wait_ec) {
      if (!wait_ec && acceptor_.is_open()) DoAccept();
    });
    return;
  }
  bool full;
  {
    std::lock_guard lock(sessions_mu_);
    full = active_connections_ >= static_cast<std::size_t>(options_.max_connections);
  }
  // Only this strand adds sessions, so the count cannot grow between the check and the insert.
  // The session is created outside the lock: its destructor takes the lock.
  auto session = std::make_shared<Session>(*this, std::move(socket), /*reject=*/full);
  {
    std::lock_guard lock(sessions_mu_);
    if (!full) ++active_connections_;
    // Rejected connections are registered too (so Stop() closes them) but not counted.
    sessions_.emplace(session.get(), session);
  }
  asio::dispatch(session->executor(), [session] { session->Start(); });
  DoAccept();
}

void ServerCore::Unregister(Session* session, bool counted) {
  std::lock_guard lock(sessions_mu_);
  sessions_.erase(session);
  if (counted) --active_connections_;
  if (sessions_.empty()) sessions_cv_.notify_all();
}

std::vector<std::shared_ptr<Session>> ServerCore::SnapshotSessions() {
  std::vector<std::shared_ptr<Session>> live;
  std::lock_guard lock(sessions_mu_);
  live.reserve(sessions_.size());
  for (auto& [ptr, weak] : sessions_) {
    if (auto session = weak.lock()) live.push_back(std::move(session));
  }
  return live;
}

void ServerCore::Stop(std::chrono::milliseconds grace) {
  std::lock_guard stop_lock(stop_mu_);
  if (stopped_) return;
  stopped_ = true;
  stopping_.store(true);
  const auto deadline = Clock::now() + grace;

  asio::post(accept_strand_, [this] {
    ErrorCode ignored;
    acceptor_.close(ignored);
    accept_retry_timer_.cancel();
  });
  {
    // Drop the references before leaving the block: a session's destructor takes sessions_mu_.
    auto live = SnapshotSessions();
    for (auto& session : live) {
      asio::post(session->executor(), [session] { session->OnServerStopping(); });
    }
  }
  if (!io_threads_.empty()) {
    std::unique_lock lock(sessions_mu_);
    sessions_cv_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
  }
  {
    auto live = SnapshotSessions();
    for (auto& session : live) {
      asio::post(session->executor(), [session] { session->ForceClose(); });
    }
  }
  work_.reset();
  io_.stop();
  for (std::thread& t : io_threads_) {
    if (t.joinable()) t.join();
  }
  // Run what is still queued (the ForceClose calls above, aborted operations) on this thread, so
  // every connection is closed before waiting for handlers that outlived the grace period.
  // Closed sessions start no new operations, so this ends.
  PollRemaining();
  pool_.Shutdown();
  PollRemaining();  // responses that workers posted meanwhile: dropped, their sessions freed
}

void ServerCore::PollRemaining() {
  try {
    io_.restart();
    io_.poll();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tandem http: unexpected exception while stopping: %s\n", e.what());
  }
}

Response ServerCore::CallHandler(const Request& request) const {
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tandem http: handler failed for %s %s: %s\n",
                 Printable(request.method).c_str(), Printable(request.path).c_str(), e.what());
  } catch (...) {
    std::fprintf(stderr, "tandem http: handler failed for %s %s: unknown exception\n",
                 Printable(request.method).c_str(), Printable(request.path).c_str());
  }
  return InternalError();
}

Response ServerCore::ServeStatic(const Request& request) const {
  namespace fs = std::filesystem;
  if (request.method != "GET" && request.method != "HEAD") {
    Response response = Problem(405, "only GET and HEAD are allowed here");
    response.SetHeader("Allow", "GET, HEAD");
    return response;
  }
  Response not_found = Problem(404, "no such file");
  fs::path file = static_root_;
  std::string_view rest = request.path;
  std::string_view last_segment;
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty()) continue;
    // Refuses "..", "." and hidden files; a backslash is no separator here but refuse it anyway.
    if (segment.front() == '.' || segment.find('\\') != std::string_view::npos) return not_found;
    file /= fs::path(std::string(segment));
    last_segment = segment;
  }
  const bool wants_directory = request.path.ends_with('/');
  if (wants_directory) file /= "index.html";

  std::error_code ec;
  fs::path resolved = fs::canonical(file, ec);
  if (ec || !fs::is_regular_file(resolved, ec) || !IsWithin(static_root_, resolved)) {
    // Single-page app: a path without an extension is a client-side route.
    if (wants_directory || last_segment.find('.') == std::string_view::npos) {
      resolved = fs::canonical(static_root_ / "index.html", ec);
      if (ec || !fs::is_regular_file(resolved, ec)) return not_found;
    } else {
      return not_found;
    }
  }
  std::ifstream in(resolved, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (!in) {
    std::fprintf(stderr, "tandem http: cannot read static file %s\n",
                 Printable(request.path).c_str());
    return Problem(500, "cannot read the file");
  }
  Response response;
  response.body = std::move(contents).str();
  response.headers.push_back({"Content-Type", std::string(ContentTypeFor(resolved))});
  if (resolved.filename() == "index.html")
    response.headers.push_back({"Cache-Control", "no-cache"});
  return response;
}

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

// --- Server -------------------------------------------------------------------------------------

class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler, std::filesystem::path static_root)
      : core(std::move(options), std::move(handler), std::move(static_root)) {}
  ServerCore core;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler handler) {
  if (!handler) return Status::Invalid("http: no handler given");
  if (options.io_threads < 1) return Status::Invalid("http: io_threads must be at least 1");
  if (options.worker_threads < 1) return Status::Invalid("http: worker_threads must be at least 1");
  if (options.max_queued_requests < 1) {
    return Status::Invalid("http: max_queued_requests must be at least 1");
  }
  if (options.max_connections < 1) {
    return Status::Invalid("http: max_connections must be at least 1");
  }
  if (options.max_header_bytes < 64) {
    return Status::Invalid("http: max_header_bytes must be at least 64");
  }
  if (options.request_deadline.count() <= 0 || options.idle_timeout.count() <= 0) {
    return Status::Invalid("http: request_deadline and idle_timeout must be positive");
  }
  if (options.api_prefix.empty() || options.api_prefix.front() != '/') {
    return Status::Invalid("http: api_prefix must start with '/'");
  }
  std::filesystem::path static_root;
  if (!options.static_dir.empty()) {
    std::error_code ec;
    static_root = std::filesystem::canonical(options.static_dir, ec);
    if (ec || !std::filesystem::is_directory(static_root, ec)) {
      return Status::Invalid("http: static_dir '" + options.static_dir + "' is not a directory");
    }
  }
  try {
    auto impl = std::make_unique<Impl>(options, std::move(handler), std::move(static_root));
    Status listening = impl->core.Listen();
    if (!listening.ok()) return listening;
    impl->core.Run();
    return std::unique_ptr<Server>(new Server(std::move(impl)));
  } catch (const std::exception& e) {
    // Thread creation (std::system_error) or socket setup failed.
    return Status::Internal(std::string("http: cannot start the server: ") + e.what());
  }
}

std::uint16_t Server::port() const { return impl_->core.port(); }

void Server::Stop(std::chrono::milliseconds grace) { impl_->core.Stop(grace); }

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void WaitForTerminationSignal() {
  sigset_t set = TerminationSignals();
  int signal_number = 0;
  while (sigwait(&set, &signal_number) != 0) {
  }
}

}  // namespace tandem::http
