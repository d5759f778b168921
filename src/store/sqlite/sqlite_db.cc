#include "store/sqlite/sqlite_db.h"

#include <utility>

namespace tandem::store::sqlite {

Statement& Statement::Check(int rc) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, std::int64_t value) {
  return Check(sqlite3_bind_int64(stmt_, index, value));
}

Statement& Statement::Bind(int index, double value) {
  return Check(sqlite3_bind_double(stmt_, index, value));
}

Statement& Statement::Bind(int index, std::string_view value) {
  return Check(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

Statement& Statement::BindNull(int index) { return Check(sqlite3_bind_null(stmt_, index)); }

Result<bool> Statement::Step() {
  if (bind_error_ != SQLITE_OK) return db_->Error(bind_error_);
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error(rc);
}

Status Statement::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

std::string Statement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, int busy_timeout_ms) {
  sqlite3* handle = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    return Status::Io("cannot open database " + path + ": " + message);
  }
  std::unique_ptr<Db> db(new Db(handle));
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, busy_timeout_ms);
  if (Status s = db->Exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"); !s.ok()) {
    return s;
  }
  if (path != ":memory:" && !path.empty()) {
    Result<Query> mode = db->Prepare("PRAGMA journal_mode = WAL");
    if (!mode.ok()) return mode.status();
    Result<bool> row = (*mode)->Step();
    if (!row.ok()) return row.status();
    if (!*row || (*mode)->Text(0) != "wal") {
      return Status::Io("cannot switch database " + path + " to WAL journal mode");
    }
  }
  return db;
}

Db::~Db() {
  cache_.clear();  // finalize every statement before closing
  sqlite3_close_v2(db_);
}

Status Db::Exec(const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return Status::Ok();
  last_error_code_ = sqlite3_extended_errcode(db_);
  std::string message = error != nullptr ? error : sqlite3_errstr(rc);
  sqlite3_free(error);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return Status::Invalid(message);
  return Status::Io("database: " + message);
}

Result<Query> Db::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return Status::Internal("cannot prepare statement: " + std::string(sqlite3_errmsg(db_)) +
                              ": " + sql);
    }
    it = cache_.emplace(sql, std::make_unique<Statement>(this, stmt)).first;
  }
  return Query(it->second.get());
}

Status Db::Error(int rc) {
  last_error_code_ = sqlite3_extended_errcode(db_);
  const std::string message = sqlite3_errmsg(db_);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return Status::Invalid(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Io("database is busy (another writer holds the lock): " + message);
    default:
      return Status::Io("database: " + message);
  }
}

Result<Transaction> Transaction::Begin(Db& db) {
  if (Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Db* db = std::exchange(db_, nullptr);
  Status s = db->Exec("COMMIT");
  if (!s.ok()) (void)db->Exec("ROLLBACK");
  return s;
}

}  // namespace tandem::store::sqlite
