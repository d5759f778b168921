#pragma once
// The SQLite backend of the store (Debian's libsqlite3): one file per deployment, one connection
// per Store guarded by a mutex, WAL journal, foreign keys on, a busy timeout, cached prepared
// statements, every write in BEGIN IMMEDIATE ... COMMIT. Schema: store/migrations/.

#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace tandem::store {

struct SqliteOptions {
  // How long a write waits for another connection's lock before failing with kIoError.
  int busy_timeout_ms = 5000;
};

// Opens (creating if needed) the database at `path` and applies pending migrations. ":memory:"
// opens a private in-memory database (no WAL). kIoError if the file cannot be opened or its
// schema is newer than this build.
Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path,
                                          const SqliteOptions& options = {});

}  // namespace tandem::store
