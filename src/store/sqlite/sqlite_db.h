#pragma once
// RAII wrappers over the SQLite C API for the SQLite backend (the only folder that includes
// sqlite3.h). Db owns a connection and a cache of prepared statements; Query borrows a cached
// statement and resets it when it goes out of scope; Transaction runs BEGIN IMMEDIATE and rolls
// back on destruction unless committed. Not thread-safe: SqliteStore serialises access.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace tandem::store::sqlite {

class Db;

// A prepared statement owned by Db's cache.
class Statement {
 public:
  Statement(Db* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based. A failed bind is reported by the next Step()/Run().
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);  // copied (SQLITE_TRANSIENT)
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& BindNull(int index);

  // true: a row is available; false: done. Errors become a Status (Db::Error).
  Result<bool> Step();
  // Steps until done (for statements that return no rows, or whose rows are ignored).
  Status Run();

  // Columns are 0-based. REQUIRES: the last Step() returned true.
  std::int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const { return sqlite3_column_double(stmt_, column); }
  std::string Text(int column) const;
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

  void Reset();

 private:
  Statement& Check(int rc);

  Db* db_;
  sqlite3_stmt* stmt_;
  int bind_error_ = SQLITE_OK;
};

// A borrowed cached statement, reset (bindings cleared, read locks released) on destruction.
class Query {
 public:
  explicit Query(Statement* statement) : statement_(statement) {}
  ~Query() {
    if (statement_ != nullptr) statement_->Reset();
  }
  Query(Query&& other) noexcept : statement_(other.statement_) { other.statement_ = nullptr; }
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Statement& operator*() const { return *statement_; }
  Statement* operator->() const { return statement_; }

 private:
  Statement* statement_;
};

class Db {
 public:
  // Opens or creates the database file with extended result codes, foreign keys on, WAL
  // journal (except for ":memory:"), synchronous NORMAL and a busy timeout of busy_timeout_ms.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, int busy_timeout_ms);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements without results (migrations, pragmas, BEGIN/COMMIT).
  Status Exec(const char* sql);
  // A prepared statement for `sql`, from the cache (prepared once per connection).
  // REQUIRES: no other live Query for the same `sql`.
  Result<Query> Prepare(const char* sql);

  std::int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int Changes() const { return sqlite3_changes(db_); }
  // The extended result code of the last failed call (e.g. SQLITE_CONSTRAINT_UNIQUE).
  int LastErrorCode() const { return last_error_code_; }
  // A Status for result code `rc`: kInvalidArgument for constraint violations, kIoError otherwise,
  // with SQLite's message.
  Status Error(int rc);

 private:
  explicit Db(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
  int last_error_code_ = SQLITE_OK;
};

// BEGIN IMMEDIATE (takes the write lock up front, so a transaction never fails half-way on a lock
// upgrade) ... Commit(); rolled back on destruction unless committed.
class Transaction {
 public:
  static Result<Transaction> Begin(Db& db);
  ~Transaction();
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // On failure the transaction is rolled back.
  Status Commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_;  // null once committed or rolled back
};

}  // namespace tandem::store::sqlite
