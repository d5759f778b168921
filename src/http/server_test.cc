#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/message.h"

namespace tandem::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// --- A raw HTTP/1.1 client over POSIX sockets, so tests control every byte. ---------------------

struct RawResponse {
  int status = 0;
  std::vector<Header> headers;
  std::string body;

  std::optional<std::string> Get(std::string_view name) const {
    for (const Header& h : headers) {
      if (EqualsIgnoreCase(h.name, name)) return h.value;
    }
    return std::nullopt;
  }
  int Count(std::string_view name) const {
    int n = 0;
    for (const Header& h : headers) n += EqualsIgnoreCase(h.name, name) ? 1 : 0;
    return n;
  }
};

int ConnectTo(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  // A test that goes wrong fails on a read timeout instead of hanging.
  timeval tv{};
  tv.tv_sec = 3;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : fd_(ConnectTo(port)) {}
  ~RawClient() { Close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one response (body by Content-Length; none for HEAD). nullopt on EOF, error or timeout.
  std::optional<RawResponse> ReadResponse(bool head = false) {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    std::string head_text = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    RawResponse response;
    std::size_t line_end = head_text.find("\r\n");
    std::string status_line = head_text.substr(0, line_end);
    if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) return std::nullopt;
    response.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
      std::size_t start = line_end + 2;
      line_end = head_text.find("\r\n", start);
      std::string line = head_text.substr(
          start, line_end == std::string::npos ? std::string::npos : line_end - start);
      std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::size_t value_start = line.find_first_not_of(' ', colon + 1);
      response.headers.push_back({line.substr(0, colon), value_start == std::string::npos
                                                             ? ""
                                                             : line.substr(value_start)});
    }
    std::size_t length = 0;
    if (auto cl = response.Get("Content-Length"); cl && !head) length = std::stoul(*cl);
    while (buffer_.size() < length) {
      if (!Fill()) return std::nullopt;
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  // True when the server closes the connection (EOF or reset) within the receive timeout.
  bool WaitForClose() {
    for (;;) {
      char c[4096];
      ssize_t n = ::recv(fd_, c, sizeof(c), 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
    }
  }

 private:
  bool Fill() {
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  std::string buffer_;
};

std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n" +
         std::string(extra_headers) + "\r\n";
}

bool IsProblem(const RawResponse& r, int status) {
  return r.Get("Content-Type") == "application/problem+json" &&
         r.body.find("\"status\":" + std::to_string(status)) != std::string::npos &&
         r.body.find("\"type\":\"about:blank\"") != std::string::npos &&
         r.body.find("\"title\":") != std::string::npos &&
         r.body.find("\"detail\":") != std::string::npos;
}

// A gate handlers wait at until the test opens it.
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Counts handler entries and lets the test wait for a number of them.
class Counter {
 public:
  void Increment() {
    std::lock_guard lock(mu_);
    ++count_;
    cv_.notify_all();
  }
  bool WaitFor(int n, std::chrono::milliseconds timeout = 2s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return count_ >= n; });
  }
  int value() {
    std::lock_guard lock(mu_);
    return count_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

// Opens a gate when leaving scope, so a failed assertion does not leave a handler blocked (the
// server's destructor waits for running handlers).
struct OpenOnExit {
  Gate& gate;
  ~OpenOnExit() { gate.Open(); }
};

std::unique_ptr<Server> StartOrDie(const ServerOptions& options, Handler handler) {
  auto server = Server::Start(options, std::move(handler));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  if (!server.ok()) return nullptr;
  EXPECT_NE(server.value()->port(), 0);
  return std::move(server).value();
}

Handler OkHandler(Counter* calls = nullptr) {
  return [calls](const Request&) {
    if (calls) calls->Increment();
    return Response::Json(200, R"({"ok":true})");
  };
}

// --- Message helpers ----------------------------------------------------------------------------

TEST(MessageTest, ParseTargetDecodesPathAndQuery) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  ASSERT_TRUE(ParseTarget("/a%20b/c+d?x=1%262&y=a+b&&z&=v", &path, &query));
  EXPECT_EQ(path, "/a b/c+d");
  std::vector<std::pair<std::string, std::string>> expected = {
      {"x", "1&2"}, {"y", "a b"}, {"z", ""}, {"", "v"}};
  EXPECT_EQ(query, expected);
  EXPECT_FALSE(ParseTarget("/bad%zz", &path, &query));
  EXPECT_FALSE(ParseTarget("/bad%4", &path, &query));
  EXPECT_FALSE(ParseTarget("/nul%00", &path, &query));
  EXPECT_FALSE(ParseTarget("http://example.com/x", &path, &query));
  EXPECT_FALSE(ParseTarget("", &path, &query));
}

TEST(MessageTest, HeadersAndCookies) {
  Request request;
  request.headers = {{"Cookie", "a=1; session=\"xyz\""}, {"X-Thing", "v"}, {"cookie", "b=2"}};
  EXPECT_EQ(request.HeaderValue("x-thing"), "v");
  EXPECT_EQ(request.HeaderValue("missing"), std::nullopt);
  EXPECT_EQ(request.Cookie("a"), "1");
  EXPECT_EQ(request.Cookie("session"), "xyz");
  EXPECT_EQ(request.Cookie("b"), "2");
  EXPECT_EQ(request.Cookie("sess"), std::nullopt);

  Response response = Response::Json(201, "{}");
  EXPECT_EQ(response.HeaderValue("content-type"), "application/json; charset=utf-8");
  response.AddHeader("Set-Cookie", "a=1");
  response.AddHeader("Set-Cookie", "b=2");
  response.SetHeader("content-type", "text/plain");
  EXPECT_EQ(response.HeaderValue("Content-Type"), "text/plain");
  int content_types = 0;
  int cookies = 0;
  for (const Header& h : response.headers) {
    content_types += EqualsIgnoreCase(h.name, "Content-Type") ? 1 : 0;
    cookies += h.name == "Set-Cookie" ? 1 : 0;
  }
  EXPECT_EQ(content_types, 1);
  EXPECT_EQ(cookies, 2);
}

// --- Server -------------------------------------------------------------------------------------

TEST(ServerTest, StartRejectsBadOptions) {
  ServerOptions options;
  options.address = "not-an-address";
  auto server = Server::Start(options, OkHandler());
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), StatusCode::kInvalidArgument);
}

TEST(ServerTest, StartFailsWhenPortIsTaken) {
  auto first = StartOrDie({}, OkHandler());
  ASSERT_TRUE(first);
  ServerOptions options;
  options.port = first->port();
  auto second = Server::Start(options, OkHandler());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kIoError);
}

TEST(ServerTest, RoutesMethodPathQueryHeadersBodyAndCookiesToTheHandler) {
  std::mutex mu;
  std::optional<Request> seen;
  auto server = StartOrDie({}, [&](const Request& request) {
    {
      std::lock_guard lock(mu);
      seen = request;
    }
    Response response = Response::Json(201, R"({"created":true})");
    response.AddHeader("Set-Cookie", "a=1; HttpOnly");
    response.AddHeader("Set-Cookie", "b=2; HttpOnly");
    return response;
  });
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.connected());
  const std::string target = "/api/v1/people%20list/caf%C3%A9?limit=10&name=a%20b&q=c+d&flag";
  ASSERT_TRUE(client.Send("POST " + target +
                          " HTTP/1.1\r\nHost: localhost\r\nX-Custom: Foo\r\n"
                          "Cookie: session=abc123; theme=\"dark\"\r\n"
                          "Content-Type: application/json\r\nContent-Length: 5\r\n\r\nhello"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"({"created":true})");
  EXPECT_EQ(response->Get("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(response->Get("Content-Length"), "16");
  EXPECT_EQ(response->Count("Set-Cookie"), 2);

  std::lock_guard lock(mu);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->method, "POST");
  EXPECT_EQ(seen->target, target);
  EXPECT_EQ(seen->path, "/api/v1/people list/caf\xC3\xA9");
  std::vector<std::pair<std::string, std::string>> expected_query = {
      {"limit", "10"}, {"name", "a b"}, {"q", "c d"}, {"flag", ""}};
  EXPECT_EQ(seen->query, expected_query);
  EXPECT_EQ(seen->QueryValue("name"), "a b");
  EXPECT_EQ(seen->QueryValue("absent"), std::nullopt);
  EXPECT_EQ(seen->HeaderValue("x-custom"), "Foo");
  EXPECT_EQ(seen->HeaderValue("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(seen->Cookie("session"), "abc123");
  EXPECT_EQ(seen->Cookie("theme"), "dark");
  EXPECT_EQ(seen->Cookie("missing"), std::nullopt);
  EXPECT_EQ(seen->body, "hello");
  EXPECT_EQ(seen->remote_address, "127.0.0.1");
}

TEST(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  std::mutex mu;
  std::vector<std::string> paths;
  auto server = StartOrDie({}, [&](const Request& request) {
    std::lock_guard lock(mu);
    paths.push_back(request.path);
    return Response::Json(200, "\"" + request.path + "\"");
  });
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/api/one")));
  auto first = client.ReadResponse();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "\"/api/one\"");
  EXPECT_NE(first->Get("Connection"), "close");
  ASSERT_TRUE(client.Send(Get("/api/two")));
  auto second = client.ReadResponse();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "\"/api/two\"");
  // Pipelined: two requests in one write, answered in order.
  ASSERT_TRUE(client.Send(Get("/api/three") + Get("/api/four", "Connection: close\r\n")));
  auto third = client.ReadResponse();
  auto fourth = client.ReadResponse();
  ASSERT_TRUE(third && fourth);
  EXPECT_EQ(third->body, "\"/api/three\"");
  EXPECT_EQ(fourth->body, "\"/api/four\"");
  EXPECT_EQ(fourth->Get("Connection"), "close");
  EXPECT_TRUE(client.WaitForClose());
  std::lock_guard lock(mu);
  EXPECT_EQ(paths, (std::vector<std::string>{"/api/one", "/api/two", "/api/three", "/api/four"}));
}

TEST(ServerTest, ServesConcurrentClientsOnSeveralIoThreads) {
  Counter calls;
  ServerOptions options;
  options.io_threads = 2;
  options.worker_threads = 3;
  auto server = StartOrDie(options, [&](const Request& request) {
    calls.Increment();
    return Response::Json(200, "\"" + request.body + "\"");
  });
  ASSERT_TRUE(server);
  constexpr int kClients = 8;
  constexpr int kRequests = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      RawClient client(server->port());
      for (int i = 0; i < kRequests; ++i) {
        std::string body = std::to_string(c) + "-" + std::to_string(i);
        if (!client.Send("POST /api/echo HTTP/1.1\r\nHost: l\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n" + body)) {
          return;
        }
        auto response = client.ReadResponse();
        if (response && response->status == 200 && response->body == "\"" + body + "\"") ++ok;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(ok.load(), kClients * kRequests);
  EXPECT_EQ(calls.value(), kClients * kRequests);
}

TEST(ServerTest, AnswersExpectContinueBeforeTheBody) {
  auto server = StartOrDie(
      {}, [](const Request& request) { return Response::Json(200, "\"" + request.body + "\""); });
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(
      "PUT /api/x HTTP/1.1\r\nHost: l\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  auto interim = client.ReadResponse();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("12345"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "\"12345\"");
}

TEST(ServerTest, TooLargeContentLengthGets413WithoutCallingTheHandler) {
  Counter calls;
  ServerOptions options;
  options.max_body_bytes = 1024;
  auto server = StartOrDie(options, OkHandler(&calls));
  ASSERT_TRUE(server);
  {
    RawClient client(server->port());
    ASSERT_TRUE(
        client.Send("POST /api/x HTTP/1.1\r\nHost: l\r\nContent-Length: 100000000\r\n\r\nabc"));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 413);
    EXPECT_TRUE(IsProblem(*response, 413)) << response->body;
    EXPECT_EQ(response->Get("Connection"), "close");
    EXPECT_TRUE(client.WaitForClose());
  }
  {
    // A chunked body crossing the limit.
    RawClient client(server->port());
    ASSERT_TRUE(
        client.Send("POST /api/x HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "800\r\n" +
                    std::string(0x800, 'x') + "\r\n0\r\n\r\n"));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 413);
    EXPECT_TRUE(client.WaitForClose());
  }
  {
    // At the limit is fine.
    RawClient client(server->port());
    ASSERT_TRUE(client.Send("POST /api/x HTTP/1.1\r\nHost: l\r\nContent-Length: 1024\r\n\r\n" +
                            std::string(1024, 'x')));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
  }
  EXPECT_EQ(calls.value(), 1);
}

TEST(ServerTest, OversizedHeadersGet431AndClose) {
  Counter calls;
  auto server = StartOrDie({}, OkHandler(&calls));  // default limit: 16 KiB
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/api/x", "X-Big: " + std::string(20000, 'a') + "\r\n")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(IsProblem(*response, 431)) << response->body;
  EXPECT_TRUE(client.WaitForClose());
  EXPECT_EQ(calls.value(), 0);
}

TEST(ServerTest, GarbageGets400AndClose) {
  Counter calls;
  auto server = StartOrDie({}, OkHandler(&calls));
  ASSERT_TRUE(server);
  {
    RawClient client(server->port());
    ASSERT_TRUE(client.Send("\x01\x02 this is not http\r\n\r\n"));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 400);
    EXPECT_TRUE(IsProblem(*response, 400)) << response->body;
    EXPECT_TRUE(client.WaitForClose());
  }
  {
    RawClient client(server->port());
    ASSERT_TRUE(client.Send(Get("/api/bad%zzescape")));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 400);
    EXPECT_TRUE(client.WaitForClose());
  }
  EXPECT_EQ(calls.value(), 0);
}

TEST(ServerTest, SlowClientIsCutOffAfterTheRequestDeadline) {
  Counter calls;
  ServerOptions options;
  options.request_deadline = 300ms;
  auto server = StartOrDie(options, OkHandler(&calls));
  ASSERT_TRUE(server);
  RawClient client(server->port());
  const auto start = Clock::now();
  ASSERT_TRUE(client.Send("GET /api/x HTTP/1.1\r\nHost: loc"));  // ... and stalls
  auto response = client.ReadResponse();
  const auto elapsed = Clock::now() - start;
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 408);
  EXPECT_TRUE(IsProblem(*response, 408)) << response->body;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 1500ms);
  EXPECT_TRUE(client.WaitForClose());
  EXPECT_EQ(calls.value(), 0);
}

TEST(ServerTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions options;
  options.idle_timeout = 200ms;
  auto server = StartOrDie(options, OkHandler());
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/api/x")));
  ASSERT_TRUE(client.ReadResponse());
  const auto start = Clock::now();
  EXPECT_TRUE(client.WaitForClose());
  EXPECT_GE(Clock::now() - start, 150ms);
  EXPECT_LT(Clock::now() - start, 1500ms);
}

TEST(ServerTest, ConnectionsBeyondTheCapGet503) {
  ServerOptions options;
  options.max_connections = 2;
  auto server = StartOrDie(options, OkHandler());
  ASSERT_TRUE(server);
  auto first = std::make_unique<RawClient>(server->port());
  RawClient second(server->port());
  for (RawClient* c : {first.get(), &second}) {
    ASSERT_TRUE(c->Send(Get("/api/x")));
    auto response = c->ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
  }
  {
    RawClient third(server->port());
    ASSERT_TRUE(third.connected());
    auto response = third.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 503);
    EXPECT_TRUE(IsProblem(*response, 503)) << response->body;
    EXPECT_EQ(response->Get("Retry-After"), "1");
    EXPECT_TRUE(third.WaitForClose());
  }
  // Once a connection goes away there is room again.
  first.reset();
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    RawClient again(server->port());
    ASSERT_TRUE(again.Send(Get("/api/x")));
    auto response = again.ReadResponse();
    served = response && response->status == 200;
    if (!served) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(served);
}

TEST(ServerTest, FullWorkerQueueGets503WithoutCallingTheHandler) {
  Gate gate;
  Counter calls;
  ServerOptions options;
  options.worker_threads = 1;
  options.max_queued_requests = 1;
  auto server = StartOrDie(options, [&](const Request&) {
    calls.Increment();
    gate.Wait();
    return Response::Json(200, "{}");
  });
  ASSERT_TRUE(server);
  OpenOnExit open_on_exit{gate};
  RawClient running(server->port());
  ASSERT_TRUE(running.Send(Get("/api/slow")));
  ASSERT_TRUE(calls.WaitFor(1));  // the only worker is now busy

  // One of these waits in the queue, the other finds it full; which is which depends on arrival.
  RawClient b(server->port());
  RawClient c(server->port());
  ASSERT_TRUE(b.Send(Get("/api/slow")));
  ASSERT_TRUE(c.Send(Get("/api/slow")));
  pollfd fds[2] = {{b.fd(), POLLIN, 0}, {c.fd(), POLLIN, 0}};
  ASSERT_EQ(::poll(fds, 2, 2000), 1);
  std::this_thread::sleep_for(50ms);  // the queued one must stay unanswered
  ASSERT_EQ(::poll(fds, 2, 0), 1);
  RawClient& rejected = (fds[0].revents & POLLIN) ? b : c;
  RawClient& queued = (fds[0].revents & POLLIN) ? c : b;
  auto busy = rejected.ReadResponse();
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503);
  EXPECT_TRUE(IsProblem(*busy, 503)) << busy->body;
  EXPECT_EQ(busy->Get("Retry-After"), "1");
  EXPECT_EQ(calls.value(), 1);

  gate.Open();
  auto first = running.ReadResponse();
  auto later = queued.ReadResponse();
  ASSERT_TRUE(first && later);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(later->status, 200);
  EXPECT_EQ(calls.value(), 2);
}

TEST(ServerTest, StopLetsAnInFlightRequestFinishAndRefusesNewConnections) {
  Gate gate;
  Counter calls;
  auto server = StartOrDie({}, [&](const Request&) {
    calls.Increment();
    gate.Wait();
    return Response::Json(200, R"({"done":true})");
  });
  ASSERT_TRUE(server);
  OpenOnExit open_on_exit{gate};
  const std::uint16_t port = server->port();

  RawClient idle(port);  // an idle keep-alive connection is closed by Stop()
  ASSERT_TRUE(idle.connected());
  std::optional<RawResponse> in_flight_response;
  std::thread client([&] {
    RawClient in_flight(port);
    if (in_flight.Send(Get("/api/slow"))) in_flight_response = in_flight.ReadResponse();
  });
  ASSERT_TRUE(calls.WaitFor(1));
  std::thread stopper([&] { server->Stop(2s); });

  bool refused = false;
  const auto deadline = Clock::now() + 1s;
  while (!refused && Clock::now() < deadline) {
    int fd = ConnectTo(port);
    if (fd < 0) {
      refused = true;
    } else {
      ::close(fd);
      std::this_thread::sleep_for(5ms);
    }
  }
  EXPECT_TRUE(refused);
  EXPECT_TRUE(idle.WaitForClose());

  gate.Open();
  client.join();
  stopper.join();
  ASSERT_TRUE(in_flight_response);
  EXPECT_EQ(in_flight_response->status, 200);
  EXPECT_EQ(in_flight_response->body, R"({"done":true})");
  EXPECT_EQ(in_flight_response->Get("Connection"), "close");
  EXPECT_EQ(ConnectTo(port), -1);
  server->Stop();  // idempotent
}

TEST(ServerTest, StopAfterTheGraceClosesConnectionsThenWaitsForRunningHandlers) {
  Gate gate;
  Counter calls;
  auto server = StartOrDie({}, [&](const Request&) {
    calls.Increment();
    gate.Wait();
    return Response::Json(200, "{}");
  });
  ASSERT_TRUE(server);
  OpenOnExit open_on_exit{gate};
  RawClient in_flight(server->port());
  ASSERT_TRUE(in_flight.Send(Get("/api/stuck")));
  ASSERT_TRUE(calls.WaitFor(1));

  const auto start = Clock::now();
  std::thread opener([&] {
    std::this_thread::sleep_for(400ms);
    gate.Open();
  });
  std::thread stopper([&] { server->Stop(50ms); });
  // The connection is closed once the grace is over, without a response, while the handler runs.
  EXPECT_FALSE(in_flight.ReadResponse());
  EXPECT_LT(Clock::now() - start, 350ms);
  stopper.join();  // returns only after the handler finished
  EXPECT_GE(Clock::now() - start, 350ms);
  opener.join();
}

TEST(ServerTest, HandlerExceptionGives500ProblemAndIsLoggedWithoutTheBody) {
  auto server = StartOrDie(
      {}, [](const Request&) -> Response { throw std::runtime_error("boom in handler"); });
  ASSERT_TRUE(server);
  RawClient client(server->port());
  testing::internal::CaptureStderr();
  ASSERT_TRUE(
      client.Send("POST /api/x HTTP/1.1\r\nHost: l\r\nContent-Length: 13\r\n\r\nTOPSECRETBODY"));
  auto response = client.ReadResponse();
  std::string log = testing::internal::GetCapturedStderr();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->Get("Content-Type"), "application/problem+json");
  EXPECT_EQ(response->body,
            R"({"type":"about:blank","title":"Internal Server Error","status":500})");
  EXPECT_NE(log.find("boom in handler"), std::string::npos) << log;
  EXPECT_EQ(log.find("TOPSECRETBODY"), std::string::npos) << log;
  // The connection stays usable.
  ASSERT_TRUE(client.Send(Get("/api/x")));
  auto again = client.ReadResponse();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 500);
}

TEST(ServerTest, EveryResponseCarriesSecurityHeaders) {
  auto server = StartOrDie({}, [](const Request&) {
    Response response = Response::Json(200, "{}");
    response.SetHeader("Server", "spoofed");           // server-owned, dropped
    response.SetHeader("X-Evil", "a\r\nInjected: 1");  // invalid, dropped
    return response;
  });
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/api/x")));
  auto api = client.ReadResponse();
  ASSERT_TRUE(api);
  RawClient bad(server->port());
  ASSERT_TRUE(bad.Send("NOT HTTP AT ALL\r\n\r\n"));
  auto error = bad.ReadResponse();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status, 400);
  for (const RawResponse* r : {&*api, &*error}) {
    EXPECT_EQ(r->Get("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r->Get("Referrer-Policy"), "same-origin");
    EXPECT_EQ(r->Get("Server"), "Tandem");
    EXPECT_EQ(r->Get("Cache-Control"), "no-store");
    EXPECT_EQ(r->Count("Server"), 1);
  }
  EXPECT_EQ(api->Get("X-Evil"), std::nullopt);
  EXPECT_EQ(api->Get("Injected"), std::nullopt);
}

TEST(ServerTest, AccessLogWritesOneLinePerRequestOnlyWhenEnabled) {
  for (bool enabled : {false, true}) {
    ServerOptions options;
    options.access_log = enabled;
    auto server = StartOrDie(options, OkHandler());
    ASSERT_TRUE(server);
    testing::internal::CaptureStderr();
    {
      RawClient client(server->port());
      ASSERT_TRUE(client.Send(Get("/api/logged?token=hidden")));
      ASSERT_TRUE(client.ReadResponse());
    }
    server->Stop();  // the line is written after the response; Stop() joins the writer
    std::string log = testing::internal::GetCapturedStderr();
    if (enabled) {
      EXPECT_NE(log.find("127.0.0.1 \"GET /api/logged\" 200 11 "), std::string::npos) << log;
      EXPECT_EQ(log.find("hidden"), std::string::npos) << log;  // no query strings
      EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
    } else {
      EXPECT_EQ(log, "");
    }
  }
}

class StaticFilesTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ =
        std::filesystem::temp_directory_path() / ("tandem-http-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "www" / "assets");
    std::filesystem::create_directories(root_ / "www" / "api" / "v1");
    Write("secret.txt", "TOP SECRET");
    Write("www/index.html", "<!doctype html><title>Tandem</title>");
    Write("www/assets/app.js", "console.log('tandem');");
    Write("www/assets/style.css", "body{}");
    Write("www/logo.svg", "<svg/>");
    Write("www/api/v1/people", "static file that must not be served");

    ServerOptions options;
    options.static_dir = (root_ / "www").string();
    server_ = StartOrDie(options, OkHandler(&api_calls_));
    ASSERT_TRUE(server_);
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(root_);
  }
  void Write(const std::string& relative, const std::string& contents) {
    std::ofstream(root_ / relative, std::ios::binary) << contents;
  }
  std::optional<RawResponse> Fetch(const std::string& request, bool head = false) {
    RawClient client(server_->port());
    if (!client.Send(request)) return std::nullopt;
    return client.ReadResponse(head);
  }

  std::filesystem::path root_;
  Counter api_calls_;
  std::unique_ptr<Server> server_;
};

TEST_F(StaticFilesTest, ServesFilesWithContentTypes) {
  auto js = Fetch(Get("/assets/app.js"));
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->body, "console.log('tandem');");
  EXPECT_EQ(js->Get("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->Get("Cache-Control"), std::nullopt);
  EXPECT_EQ(js->Get("X-Content-Type-Options"), "nosniff");
  auto css = Fetch(Get("/assets/style.css"));
  ASSERT_TRUE(css);
  EXPECT_EQ(css->Get("Content-Type"), "text/css; charset=utf-8");
  auto svg = Fetch(Get("/logo.svg"));
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->Get("Content-Type"), "image/svg+xml");
  auto index = Fetch(Get("/"));
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<!doctype html><title>Tandem</title>");
  EXPECT_EQ(index->Get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->Get("Cache-Control"), "no-cache");
  EXPECT_EQ(api_calls_.value(), 0);
}

TEST_F(StaticFilesTest, HeadSendsHeadersOnly) {
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("HEAD /assets/app.js HTTP/1.1\r\nHost: l\r\n\r\n"));
  auto head = client.ReadResponse(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Get("Content-Length"), "22");
  EXPECT_EQ(head->Get("Content-Type"), "text/javascript; charset=utf-8");
  // No body bytes followed: the next response on the connection parses cleanly.
  ASSERT_TRUE(client.Send(Get("/logo.svg")));
  auto next = client.ReadResponse();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "<svg/>");
}

TEST_F(StaticFilesTest, RefusesPathTraversal) {
  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                             "/assets/../../secret.txt", "/.%2e/secret.txt"}) {
    auto response = Fetch(Get(target));
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->status, 404) << target;
    EXPECT_EQ(response->body.find("TOP SECRET"), std::string::npos) << target;
  }
}

TEST_F(StaticFilesTest, UnknownPathsWithoutExtensionFallBackToIndex) {
  auto route = Fetch(Get("/people/42"));
  ASSERT_TRUE(route);
  EXPECT_EQ(route->status, 200);
  EXPECT_EQ(route->body, "<!doctype html><title>Tandem</title>");
  EXPECT_EQ(route->Get("Cache-Control"), "no-cache");
  auto missing = Fetch(Get("/assets/missing.js"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_TRUE(IsProblem(*missing, 404)) << missing->body;
  auto post = Fetch("POST /people HTTP/1.1\r\nHost: l\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(api_calls_.value(), 0);
}

TEST_F(StaticFilesTest, ApiPrefixGoesToTheHandlerNotTheStaticDir) {
  auto api = Fetch(Get("/api/v1/people"));
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 200);
  EXPECT_EQ(api->body, R"({"ok":true})");
  EXPECT_EQ(api->Get("Cache-Control"), "no-store");
  EXPECT_EQ(api_calls_.value(), 1);
}

TEST(SignalTest, WaitForTerminationSignalReturnsOnSigterm) {
  sigset_t old_mask;
  pthread_sigmask(SIG_SETMASK, nullptr, &old_mask);
  BlockTerminationSignals();
  // Thread-directed, so no other thread of the test process can receive it.
  ASSERT_EQ(pthread_kill(pthread_self(), SIGTERM), 0);
  WaitForTerminationSignal();  // returns at once: the signal is pending
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
}

}  // namespace
}  // namespace tandem::http
