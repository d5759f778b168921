#include "jobs/notifier.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

namespace tandem::jobs {
namespace {

using json = nlohmann::json;

// curl_global_init is not thread-safe; run it once before any handle exists.
void EnsureCurl() {
  static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)ready;
}

struct Easy {
  Easy() : handle(curl_easy_init()) {}
  ~Easy() {
    if (handle != nullptr) curl_easy_cleanup(handle);
  }
  Easy(const Easy&) = delete;
  Easy& operator=(const Easy&) = delete;
  CURL* handle;
};

struct Upload {
  const std::string* text;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const size_t room = size * count;
  const size_t left = up->text->size() - up->offset;
  const size_t n = left < room ? left : room;
  up->text->copy(buffer, n, up->offset);
  up->offset += n;
  return n;
}

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

// The address inside "Name <address>", or the whole text.
std::string AddressOf(const std::string& mailbox) {
  const size_t open = mailbox.find('<');
  const size_t close = mailbox.find('>', open);
  if (open == std::string::npos || close == std::string::npos) return mailbox;
  return mailbox.substr(open + 1, close - open - 1);
}

// Header values must not carry line breaks (header injection).
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return s;
}

// RFC 2047 encoded-word for non-ASCII header text.
std::string EncodeHeader(const std::string& text) {
  bool ascii = true;
  for (unsigned char c : text) ascii = ascii && c < 0x80;
  if (ascii) return text;
  static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out = "=?UTF-8?B?";
  size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(text[i]) << 16) |
                       (static_cast<unsigned char>(text[i + 1]) << 8) |
                       static_cast<unsigned char>(text[i + 2]);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i + 1 == text.size()) {
    const unsigned v = static_cast<unsigned char>(text[i]) << 16;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == text.size()) {
    const unsigned v = (static_cast<unsigned char>(text[i]) << 16) |
                       (static_cast<unsigned char>(text[i + 1]) << 8);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += '=';
  }
  return out + "?=";
}

std::string RfcDate() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace

Status SendEmail(const NotifierOptions& options, const OutgoingEmail& email) {
  if (options.smtp_url.empty()) return Status::Invalid("email is not configured");
  if (email.to_address.empty()) return Status::Invalid("the person has no email address");
  EnsureCurl();
  Easy curl;
  if (curl.handle == nullptr) return Status::Internal("curl_easy_init failed");
  // Body lines end with CRLF; a line that is a lone "." would end DATA early, and curl escapes
  // leading dots itself.
  std::string body;
  for (char c : email.body) {
    if (c == '\n') {
      body += "\r\n";
    } else if (c != '\r') {
      body += c;
    }
  }
  const std::string message = "Date: " + RfcDate() + "\r\nFrom: " + OneLine(options.smtp_from) +
                              "\r\nTo: " + EncodeHeader(OneLine(email.to_name)) + " <" +
                              OneLine(email.to_address) +
                              ">\r\nSubject: " + EncodeHeader(OneLine(email.subject)) +
                              "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                              "Content-Transfer-Encoding: 8bit\r\n\r\n" +
                              body + "\r\n";
  Upload upload{&message};
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + email.to_address + ">").c_str());
  curl_easy_setopt(curl.handle, CURLOPT_URL, options.smtp_url.c_str());
  curl_easy_setopt(curl.handle, CURLOPT_MAIL_FROM,
                   ("<" + AddressOf(options.smtp_from) + ">").c_str());
  curl_easy_setopt(curl.handle, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl.handle, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl.handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl.handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl.handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(curl.handle, CURLOPT_TIMEOUT, static_cast<long>(options.timeout_seconds));
  curl_easy_setopt(curl.handle, CURLOPT_NOSIGNAL, 1L);
  if (!options.smtp_user.empty()) {
    curl_easy_setopt(curl.handle, CURLOPT_USERNAME, options.smtp_user.c_str());
    curl_easy_setopt(curl.handle, CURLOPT_PASSWORD, options.smtp_password.c_str());
  }
  const CURLcode rc = curl_easy_perform(curl.handle);
  curl_slist_free_all(recipients);
  if (rc != CURLE_OK) return Status::Io(std::string("SMTP: ") + curl_easy_strerror(rc));
  return Status::Ok();
}

Status PostToSlack(const NotifierOptions& options, const std::string& text) {
  if (options.slack_webhook_url.empty()) return Status::Invalid("Slack is not configured");
  EnsureCurl();
  Easy curl;
  if (curl.handle == nullptr) return Status::Internal("curl_easy_init failed");
  const std::string body = json{{"text", text}}.dump();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl.handle, CURLOPT_URL, options.slack_webhook_url.c_str());
  curl_easy_setopt(curl.handle, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.handle, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl.handle, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl.handle, CURLOPT_TIMEOUT, static_cast<long>(options.timeout_seconds));
  curl_easy_setopt(curl.handle, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl.handle);
  long status = 0;
  curl_easy_getinfo(curl.handle, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) return Status::Io(std::string("Slack: ") + curl_easy_strerror(rc));
  if (status < 200 || status > 299) return Status::Io("Slack: HTTP " + std::to_string(status));
  return Status::Ok();
}

Result<int> DeliverDue(store::Store& store, const NotifierOptions& options) {
  Result<std::vector<store::OutboxMessage>> batch = store.ClaimOutbox(options.worker_id, 50);
  if (!batch.ok()) return batch.status();
  for (const store::OutboxMessage& m : *batch) {
    const std::string link = m.link.empty() ? "" : options.base_url + m.link;
    Status sent;
    Result<Person> person = store.GetPerson(m.organization, m.recipient_id);
    const std::string name = person.ok() ? person->name : m.recipient_id;
    if (m.channel == "email") {
      OutgoingEmail email{
          name, person.ok() ? person->email : "", m.title,
          m.body + (link.empty() ? "" : "\n\n" + link) + "\n\n-- \nTandem mentoring"};
      sent = SendEmail(options, email);
    } else {
      sent = PostToSlack(options, "*" + m.title + "* (for " + name + ")" +
                                      (m.body.empty() ? "" : "\n" + m.body) +
                                      (link.empty() ? "" : "\n<" + link + ">"));
    }
    int retry = -1;  // give up
    // Missing configuration or address will not fix itself; network and server errors may.
    if (!sent.ok() && sent.code() == StatusCode::kIoError &&
        m.attempts + 1 < options.max_attempts) {
      retry = options.first_retry_seconds << std::min(m.attempts, 16);
    }
    if (Status st = store.FinishOutbox(m.id, sent.ok(), sent.ok() ? "" : sent.message(), retry);
        !st.ok()) {
      std::fprintf(stderr, "notifier: %s\n", st.ToString().c_str());
    }
  }
  return static_cast<int>(batch->size());
}

struct Notifier::Impl {
  Impl(store::Store& s, NotifierOptions o) : store(s), options(std::move(o)) {}
  void Loop() {
    std::unique_lock lock(mu);
    while (!stopping) {
      lock.unlock();
      Result<int> n = DeliverDue(store, options);
      if (!n.ok()) std::fprintf(stderr, "notifier: %s\n", n.status().ToString().c_str());
      lock.lock();
      if (n.ok() && *n > 0) continue;
      woken = false;
      wake.wait_for(lock, std::chrono::milliseconds(options.poll_milliseconds),
                    [this] { return stopping || woken; });
    }
  }
  store::Store& store;
  NotifierOptions options;
  std::mutex mu;
  std::condition_variable wake;
  bool stopping = false;
  bool woken = false;
  std::thread thread;
};

Notifier::Notifier(store::Store& store, NotifierOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {}
Notifier::~Notifier() { Stop(); }

void Notifier::Start() {
  if (!impl_->thread.joinable()) impl_->thread = std::thread([this] { impl_->Loop(); });
}

void Notifier::Wake() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->woken = true;
  }
  impl_->wake.notify_all();
}

void Notifier::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace tandem::jobs
