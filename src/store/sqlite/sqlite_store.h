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

// Copies the Tandem database at `database` to the file `backup` (replaced if it exists) with
// SQLite's online backup API: a consistent snapshot even while a server is writing. The copy is
// checked with PRAGMA integrity_check. kNotFound when `database` does not exist, kInvalidArgument
// when it is not a Tandem database, kIoError for the files.
Status BackupSqlite(const std::string& database, const std::string& backup);

// Replaces the contents of `database` (created if missing) with the backup at `backup`, after
// checking that the backup is an intact Tandem database no newer than this build; then applies
// any newer migrations. Stop the servers that use `database` first.
Status RestoreSqlite(const std::string& backup, const std::string& database);

}  // namespace tandem::store
