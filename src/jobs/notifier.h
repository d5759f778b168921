#pragma once
// Delivers the notification outbox: email over SMTP and Slack incoming webhooks, both through
// libcurl (the only file that includes curl.h). A message that fails is retried with a growing
// delay (30 s, 1 min, 2 min, ...) and given up after max_attempts; the in-app notification stays
// either way. Several server processes may run notifiers over one database: the store hands each
// message to one of them.

#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace tandem::jobs {

struct NotifierOptions {
  std::string worker_id;
  // Email: "smtp://host:587" (STARTTLS when the server offers it) or "smtps://host:465"; empty
  // turns email off. The sender, e.g. "Tandem <mentoring@example.com>".
  std::string smtp_url;
  std::string smtp_from;
  std::string smtp_user;
  std::string smtp_password;
  // Slack: an incoming-webhook URL; empty turns Slack off.
  std::string slack_webhook_url;
  // Links in messages are made absolute with this, e.g. "https://tandem.example.com/".
  std::string base_url;
  int poll_milliseconds = 1000;
  int max_attempts = 5;
  int first_retry_seconds = 30;
  int timeout_seconds = 20;
};

struct OutgoingEmail {
  std::string to_name;
  std::string to_address;
  std::string subject;
  std::string body;
};

// One delivery attempt each; an error Status says why (for the outbox's last_error).
Status SendEmail(const NotifierOptions& options, const OutgoingEmail& email);
Status PostToSlack(const NotifierOptions& options, const std::string& text);

// Delivers every due message once (claim, send, finish) and returns how many it handled.
Result<int> DeliverDue(store::Store& store, const NotifierOptions& options);

class Notifier {
 public:
  Notifier(store::Store& store, NotifierOptions options);
  ~Notifier();  // Stop()
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;
  void Start();
  void Wake();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::jobs
