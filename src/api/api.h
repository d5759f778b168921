#pragma once
// The JSON API under /api/v1: routes, authentication, authorization, validation and problem
// responses, over the store and the use cases. It sees requests and responses only as the
// project's own http::Request / http::Response (the server that carries them is http/server.h),
// so the whole API is tested by calling Handle() directly as well as over a real socket.
//
// docs/api.md describes the resources and the role each endpoint requires; docs/openapi.json is
// the machine-readable description, checked against Routes() by a test.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auth/password.h"
#include "http/message.h"
#include "store/store.h"

namespace tandem::api {

struct ApiOptions {
  // A session ends this long after login.
  int session_ttl_seconds = 8 * 3600;
  // Adds "Secure" to the session cookie; set it whenever the server is reached over HTTPS.
  bool secure_cookies = false;
  // Failed logins allowed per email and per client address within login_window_seconds; past
  // that, logins from there answer 429 with Retry-After until the window has passed.
  int max_login_failures = 5;
  int login_window_seconds = 15 * 60;
  auth::HashCost hash_cost;
  // Called after a job is queued (the server wakes its job worker).
  std::function<void()> on_job_queued;
  // Channels notifications are also delivered by, besides the in-app list: "email" (to the
  // person's email address) and/or "slack". Empty: in-app only.
  std::vector<std::string> notification_channels;
  // Called after a notification is queued for delivery (the server wakes its notifier).
  std::function<void()> on_notification_queued;
};

class Api {
 public:
  Api(store::Store& store, ApiOptions options);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Thread-safe: called from the server's worker pool.
  http::Response Handle(const http::Request& request);

  // Every route as "METHOD /api/v1/path/{param}", in registration order.
  std::vector<std::string> Routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::api
