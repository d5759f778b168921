#include "http/message.h"

#include <algorithm>

namespace tandem::http {
namespace {

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `in`; "+" becomes a space when `plus_is_space`. False on a malformed escape or a
// decoded NUL.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return false;
    out->push_back(c);
  }
  return true;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ToLowerAscii(x) == ToLowerAscii(y);
         });
}

bool ParseTarget(std::string_view target, std::string* path,
                 std::vector<std::pair<std::string, std::string>>* query) {
  if (target.empty() || target.front() != '/') return false;
  query->clear();
  std::string_view raw_path = target;
  std::string_view raw_query;
  if (std::size_t q = target.find('?'); q != std::string_view::npos) {
    raw_path = target.substr(0, q);
    raw_query = target.substr(q + 1);
  }
  // A fragment is never sent by conforming clients; ignore one if present.
  if (std::size_t f = raw_query.find('#'); f != std::string_view::npos) {
    raw_query = raw_query.substr(0, f);
  }
  if (!PercentDecode(raw_path, /*plus_is_space=*/false, path)) return false;
  while (!raw_query.empty()) {
    std::size_t amp = raw_query.find('&');
    std::string_view pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string name;
    std::string value;
    if (!PercentDecode(pair.substr(0, eq), /*plus_is_space=*/true, &name)) return false;
    if (eq != std::string_view::npos &&
        !PercentDecode(pair.substr(eq + 1), /*plus_is_space=*/true, &value)) {
      return false;
    }
    query->emplace_back(std::move(name), std::move(value));
  }
  return true;
}

std::optional<std::string_view> Request::HeaderValue(std::string_view name) const {
  for (const Header& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::QueryValue(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  for (const Header& h : headers) {
    if (!EqualsIgnoreCase(h.name, "Cookie")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      std::size_t semi = rest.find(';');
      std::string_view pair = TrimSpaces(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (TrimSpaces(pair.substr(0, eq)) != name) continue;
      std::string_view value = TrimSpaces(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
  }
  return std::nullopt;
}

Response Response::Json(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.push_back({"Content-Type", "application/json; charset=utf-8"});
  return response;
}

void Response::SetHeader(std::string name, std::string value) {
  std::erase_if(headers, [&](const Header& h) { return EqualsIgnoreCase(h.name, name); });
  headers.push_back({std::move(name), std::move(value)});
}

void Response::AddHeader(std::string name, std::string value) {
  headers.push_back({std::move(name), std::move(value)});
}

std::optional<std::string_view> Response::HeaderValue(std::string_view name) const {
  for (const Header& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

}  // namespace tandem::http
