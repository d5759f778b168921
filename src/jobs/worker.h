#pragma once
// Background jobs: a worker claims queued jobs from the store (so with several server processes
// over one PostgreSQL database each job runs exactly once), runs them, reports progress and
// honours cancellation. The only kind so far is "match": a program's matching run.

#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace tandem::jobs {

struct WorkerOptions {
  std::string worker_id;        // recorded as the job's claimed_by, e.g. "host:pid"
  int threads = 1;              // jobs run at once
  int poll_milliseconds = 500;  // how often to look for jobs queued by another process
};

class Worker {
 public:
  Worker(store::Store& store, WorkerOptions options);
  ~Worker();  // Stop()
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void Start();
  // Looks for queued jobs now instead of at the next poll.
  void Wake();
  // Asks running jobs to cancel, waits for them, joins the threads. Idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs one claimed job to its end (FinishJob). Exposed for tests.
Status RunJob(store::Store& store, const store::Job& job);

}  // namespace tandem::jobs
