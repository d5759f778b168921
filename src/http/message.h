#pragma once
// The HTTP request and response as the rest of Tandem sees them: plain std types, no Boost. The
// server (server.h) parses the wire format into a Request, calls a Handler on its worker pool and
// serialises the returned Response.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tandem::http {

struct Header {
  std::string name;
  std::string value;
};

struct Request {
  std::string method;  // "GET", "POST", ... as sent (methods are case-sensitive)
  std::string target;  // raw target, e.g. "/api/v1/people?limit=10"
  std::string path;    // percent-decoded path without the query ("+" stays "+")
  // Decoded query parameters in order of appearance ("+" is a space); "a&b=" gives {a,""},{b,""}.
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<Header> headers;  // in the order received; names as sent
  std::string body;
  std::string remote_address;  // peer IP address, e.g. "127.0.0.1"

  // Case-insensitive header lookup; the first header of that name, nullopt when absent. The view
  // points into this Request.
  std::optional<std::string_view> HeaderValue(std::string_view name) const;
  // The first query parameter of that (case-sensitive) name; nullopt when absent. The view points
  // into this Request.
  std::optional<std::string_view> QueryValue(std::string_view name) const;
  // Cookie value by (case-sensitive) name from the Cookie header(s), surrounding double quotes
  // removed; nullopt when absent.
  std::optional<std::string> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  // Content-Type etc. Content-Length and Transfer-Encoding are set by the server (any given here
  // are dropped), so are Server, X-Content-Type-Options and Referrer-Policy. Headers whose name or
  // value holds CR, LF or NUL are dropped.
  std::vector<Header> headers;
  std::string body;

  // A response with Content-Type "application/json; charset=utf-8".
  static Response Json(int status, std::string body);
  // Replaces every header of that name (case-insensitive) by one with this value.
  void SetHeader(std::string name, std::string value);
  // Appends a header even if one of that name exists (Set-Cookie).
  void AddHeader(std::string name, std::string value);
  // Case-insensitive lookup of the first header of that name; nullopt when absent.
  std::optional<std::string_view> HeaderValue(std::string_view name) const;
};

// Called on the server's worker pool, possibly on several threads at once, so it must be
// thread-safe. It should not throw; if it does, the client gets a 500 problem+json response.
using Handler = std::function<Response(const Request&)>;

// ASCII case-insensitive equality (HTTP header names, cookie attributes).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Splits an origin-form target ("/a%20b?x=1&y") into its percent-decoded path and query
// parameters. Returns false (outputs unspecified) when the target does not start with '/', holds
// a malformed percent escape, or decodes to a NUL byte.
bool ParseTarget(std::string_view target, std::string* path,
                 std::vector<std::pair<std::string, std::string>>* query);

}  // namespace tandem::http
