// The notifier against a real SMTP conversation (a minimal SMTP server in this test, on
// loopback) and a real HTTP webhook (Tandem's own server standing in for Slack), over a SQLite
// store: delivered messages are sent, failures are retried and then given up.
#include "jobs/notifier.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "sample/organization.h"
#include "store/sqlite/sqlite_store.h"

namespace tandem::jobs {
namespace {

// Accepts SMTP sessions on 127.0.0.1 and records each message's envelope and data.
class FakeSmtp {
 public:
  struct Mail {
    std::string from;
    std::vector<std::string> to;
    std::string data;
  };

  FakeSmtp() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 4), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeSmtp() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<Mail> mails() {
    std::lock_guard lock(mu_);
    return mails_;
  }
  void RefuseRecipients(bool refuse) { refuse_ = refuse; }

 private:
  static void Send(int c, const std::string& line) {
    const std::string out = line + "\r\n";
    (void)::send(c, out.data(), out.size(), MSG_NOSIGNAL);
  }
  // One line without CRLF; false at end of stream.
  static bool ReadLine(int c, std::string& buffer, std::string* line) {
    for (;;) {
      const size_t end = buffer.find("\r\n");
      if (end != std::string::npos) {
        *line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        return true;
      }
      char chunk[4096];
      const ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
    }
  }
  void Serve() {
    while (!stopping_) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string buffer;
      std::string line;
      Mail mail;
      Send(c, "220 fake.test ESMTP");
      while (ReadLine(c, buffer, &line)) {
        const std::string verb = line.substr(0, 4);
        if (verb == "EHLO" || verb == "HELO") {
          Send(c, "250 fake.test");
        } else if (verb == "MAIL") {
          mail = Mail{};
          mail.from = line.substr(10);
          Send(c, "250 OK");
        } else if (verb == "RCPT") {
          if (refuse_) {
            Send(c, "550 no such user");
          } else {
            mail.to.push_back(line.substr(8));
            Send(c, "250 OK");
          }
        } else if (verb == "DATA") {
          Send(c, "354 go ahead");
          while (ReadLine(c, buffer, &line) && line != ".") mail.data += line + "\n";
          {
            std::lock_guard lock(mu_);
            mails_.push_back(mail);
          }
          Send(c, "250 queued");
        } else if (verb == "QUIT") {
          Send(c, "221 bye");
          break;
        } else {
          Send(c, "250 OK");
        }
      }
      ::close(c);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> refuse_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<Mail> mails_;
};

class NotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenSqlite(":memory:").value();
    org_ = store_->CreateOrganization("Acme").value();
    sample::OrganizationSpec spec;
    spec.people = 5;
    people_ = sample::GenerateOrganization(spec);
    people_[0].email = "ana.lopez@example.com";
    people_[0].name = "Ana López";
    people_[1].email = "";
    ASSERT_TRUE(store_->UpsertPeople(org_, people_).ok());
    options_.worker_id = "test";
    options_.smtp_from = "Tandem <mentoring@example.com>";
    options_.base_url = "https://tandem.example.com/";
    options_.first_retry_seconds = 0;  // due again at once
    options_.max_attempts = 3;
    options_.timeout_seconds = 5;
  }

  store::NotificationId Notify(const std::string& who, std::vector<std::string> channels) {
    return store_
        ->Notify({org_, who, "request.received", "Ben asks you to be his mentor",
                  "I am preparing a negotiation.\n.\nThanks", "#/requests", std::move(channels)})
        .value();
  }

  std::unique_ptr<store::Store> store_;
  store::OrganizationId org_;
  std::vector<Person> people_;
  NotifierOptions options_;
};

TEST_F(NotifierTest, EmailGoesOutOverSmtp) {
  FakeSmtp smtp;
  options_.smtp_url = "smtp://127.0.0.1:" + std::to_string(smtp.port());
  const store::NotificationId id = Notify(people_[0].id, {"email"});
  Result<int> handled = DeliverDue(*store_, options_);
  ASSERT_TRUE(handled.ok()) << handled.status().ToString();
  EXPECT_EQ(*handled, 1);
  const std::vector<FakeSmtp::Mail> mails = smtp.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].from, "<mentoring@example.com>");
  ASSERT_EQ(mails[0].to.size(), 1u);
  EXPECT_EQ(mails[0].to[0], "<ana.lopez@example.com>");
  const std::string& data = mails[0].data;
  EXPECT_NE(data.find("Subject: Ben asks you to be his mentor\n"), std::string::npos) << data;
  // Non-ASCII names are encoded (RFC 2047), the body keeps its lines, and the link is absolute.
  EXPECT_NE(data.find("To: =?UTF-8?B?"), std::string::npos) << data;
  EXPECT_NE(data.find("I am preparing a negotiation."), std::string::npos);
  EXPECT_NE(data.find("https://tandem.example.com/#/requests"), std::string::npos);
  // The lone "." line of the body was escaped on the wire and did not end the message early.
  EXPECT_NE(data.find("Thanks"), std::string::npos);
  const auto states = store_->OutboxStates(id).value();
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].second, "sent");
}

TEST_F(NotifierTest, RefusedAndUnreachableMailIsRetriedThenGivenUp) {
  FakeSmtp smtp;
  smtp.RefuseRecipients(true);
  options_.smtp_url = "smtp://127.0.0.1:" + std::to_string(smtp.port());
  const store::NotificationId refused = Notify(people_[0].id, {"email"});
  const store::NotificationId no_address = Notify(people_[1].id, {"email"});
  for (int attempt = 0; attempt < 4; ++attempt) ASSERT_TRUE(DeliverDue(*store_, options_).ok());
  // An SMTP refusal is retried up to max_attempts; a person without an address fails at once.
  EXPECT_EQ(store_->OutboxStates(refused).value()[0].second, "failed");
  EXPECT_EQ(store_->OutboxStates(no_address).value()[0].second, "failed");
  EXPECT_TRUE(smtp.mails().empty());
  // After it recovers, new mail goes out.
  smtp.RefuseRecipients(false);
  const store::NotificationId later = Notify(people_[0].id, {"email"});
  ASSERT_TRUE(DeliverDue(*store_, options_).ok());
  EXPECT_EQ(store_->OutboxStates(later).value()[0].second, "sent");
  EXPECT_EQ(smtp.mails().size(), 1u);
}

TEST_F(NotifierTest, SlackWebhookGetsTheMessageAndErrorsAreRetried) {
  std::mutex mu;
  std::vector<std::string> bodies;
  std::atomic<int> fail_next{1};
  http::ServerOptions server_options;
  server_options.api_prefix = "/";
  Result<std::unique_ptr<http::Server>> slack =
      http::Server::Start(server_options, [&](const http::Request& r) {
        if (fail_next.fetch_sub(1) > 0) return http::Response::Json(500, "{}");
        std::lock_guard lock(mu);
        bodies.push_back(r.body);
        return http::Response::Json(200, "{}");
      });
  ASSERT_TRUE(slack.ok()) << slack.status().ToString();
  options_.slack_webhook_url =
      "http://127.0.0.1:" + std::to_string((*slack)->port()) + "/services/T000/B000/XXXX";
  const store::NotificationId id = Notify(people_[0].id, {"slack"});
  ASSERT_TRUE(DeliverDue(*store_, options_).ok());  // HTTP 500: retried
  EXPECT_EQ(store_->OutboxStates(id).value()[0].second, "pending");
  ASSERT_TRUE(DeliverDue(*store_, options_).ok());
  EXPECT_EQ(store_->OutboxStates(id).value()[0].second, "sent");
  std::lock_guard lock(mu);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_NE(bodies[0].find("\"text\":\"*Ben asks you to be his mentor* (for Ana L"),
            std::string::npos)
      << bodies[0];
}

TEST_F(NotifierTest, MissingConfigurationFailsWithoutRetry) {
  const store::NotificationId id = Notify(people_[0].id, {"email", "slack"});
  ASSERT_TRUE(DeliverDue(*store_, options_).ok());
  const auto states = store_->OutboxStates(id).value();
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[0].second, "failed");
  EXPECT_EQ(states[1].second, "failed");
  // The in-app notification is there regardless.
  EXPECT_EQ(store_->ListNotifications(org_, people_[0].id, 10).value().size(), 1u);
}

}  // namespace
}  // namespace tandem::jobs
