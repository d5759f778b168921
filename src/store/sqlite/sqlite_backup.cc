// Online backup and restore of the SQLite database (sqlite3_backup_*).
#include <sqlite3.h>

#include <filesystem>
#include <memory>

#include "store/migrations/sqlite_migrations.h"
#include "store/sqlite/sqlite_store.h"

namespace tandem::store {
namespace {

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Handle = std::unique_ptr<sqlite3, Closer>;

Result<Handle> OpenFile(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Handle db(raw);
  if (rc != SQLITE_OK) {
    return Status::Io("cannot open " + path + ": " +
                      (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

// The first column of the first row of `sql`, as text; empty when there is no row.
Result<std::string> QueryText(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return Status::Invalid(sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  const int rc = sqlite3_step(raw);
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(raw, 0);
    return std::string(text != nullptr ? reinterpret_cast<const char*>(text) : "");
  }
  if (rc == SQLITE_DONE) return std::string();
  return Status::Io(sqlite3_errmsg(db));
}

// An intact Tandem database whose schema this build knows.
Status CheckTandemDatabase(sqlite3* db, const std::string& path) {
  Result<std::string> integrity = QueryText(db, "PRAGMA integrity_check");
  if (!integrity.ok() || *integrity != "ok") {
    return Status::Invalid(path + " is damaged or not a SQLite database" +
                           (integrity.ok() ? ": " + *integrity : ""));
  }
  Result<std::string> version = QueryText(db, "SELECT max(version) FROM schema_migrations");
  if (!version.ok() || version->empty()) {
    return Status::Invalid(path + " is not a Tandem database (no schema_migrations)");
  }
  const int known = SqliteMigrations().back().version;
  if (std::stoi(*version) > known) {
    return Status::Invalid(path + " has schema version " + *version +
                           ", newer than this build knows (" + std::to_string(known) + ")");
  }
  return Status::Ok();
}

Status Copy(sqlite3* from, sqlite3* to, const std::string& what) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return Status::Io(what + ": " + sqlite3_errmsg(to));
  // Copy in steps so a busy writer on `from` is not locked out for the whole copy; the backup
  // restarts by itself if the source changes between steps, so the result is one snapshot.
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(backup, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Status::Io(what + ": " + sqlite3_errstr(rc));
  return Status::Ok();
}

}  // namespace

Status BackupSqlite(const std::string& database, const std::string& backup) {
  std::error_code ec;
  if (!std::filesystem::exists(database, ec)) {
    return Status::NotFound("database " + database + " does not exist");
  }
  Result<Handle> from = OpenFile(database, SQLITE_OPEN_READONLY);
  if (!from.ok()) return from.status();
  if (Status s = CheckTandemDatabase(from->get(), database); !s.ok()) return s;
  // Write next to the target and rename, so a failed backup never leaves half a file behind.
  const std::string partial = backup + ".partial";
  std::filesystem::remove(partial, ec);
  {
    Result<Handle> to = OpenFile(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!to.ok()) return to.status();
    if (Status s = Copy(from->get(), to->get(), "backup of " + database); !s.ok()) {
      to->reset();
      std::filesystem::remove(partial, ec);
      return s;
    }
    // The copy keeps the source's WAL mode; switch the backup file to a self-contained journal.
    (void)QueryText(to->get(), "PRAGMA journal_mode = DELETE");
    if (Status s = CheckTandemDatabase(to->get(), partial); !s.ok()) {
      to->reset();
      std::filesystem::remove(partial, ec);
      return Status::Io("the backup failed its check: " + s.message());
    }
  }
  std::filesystem::rename(partial, backup, ec);
  if (ec) return Status::Io("cannot write " + backup + ": " + ec.message());
  return Status::Ok();
}

Status RestoreSqlite(const std::string& backup, const std::string& database) {
  std::error_code ec;
  if (!std::filesystem::exists(backup, ec)) {
    return Status::NotFound("backup " + backup + " does not exist");
  }
  Result<Handle> from = OpenFile(backup, SQLITE_OPEN_READONLY);
  if (!from.ok()) return from.status();
  if (Status s = CheckTandemDatabase(from->get(), backup); !s.ok()) return s;
  {
    Result<Handle> to = OpenFile(database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!to.ok()) return to.status();
    if (Status s = Copy(from->get(), to->get(), "restore into " + database); !s.ok()) return s;
  }
  // Bring an older backup's schema up to this build.
  Result<std::unique_ptr<Store>> opened = OpenSqlite(database);
  return opened.ok() ? Status::Ok() : opened.status();
}

}  // namespace tandem::store
