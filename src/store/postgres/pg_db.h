#pragma once
// RAII over libpq for the PostgreSQL backend. Only pg_db.cc includes libpq-fe.h; this header
// forward-declares libpq's two handle types so that tests can use Connection without it.
//
// Connection owns a PGconn; Query() runs one parameterised statement (PQexecParams, text format)
// and returns a PgResult that owns the PGresult. Transaction runs BEGIN and rolls back on
// destruction unless committed. Errors become a Status (ErrorStatus in pg_db.cc):
//   SQLSTATE class 23 (integrity: unique, check, not null, foreign key) and class 22 (data:
//   invalid text, out of range, bad UTF-8) -> kInvalidArgument, with the server's message;
//   class 42 (syntax, undefined table) -> kInternal (a bug in our SQL);
//   everything else (connection lost, 40001 serialization, 40P01 deadlock, 55P03 lock timeout,
//   57014 statement timeout, disk full) -> kIoError.
// The SQLSTATE and constraint name of the last failure stay readable for the store's messages.
// Not thread-safe: one thread uses a Connection at a time (the store's pool hands them out).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

// libpq's handle types (libpq-fe.h declares the same typedefs).
typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace tandem::store::postgres {

// Text-format parameters for $1, $2, ... in order.
class Params {
 public:
  Params() = default;

  Params& Add(std::int64_t value);
  Params& Add(int value) { return Add(static_cast<std::int64_t>(value)); }
  Params& Add(double value);  // shortest text that reads back to the same double
  Params& Add(bool value) { return Add(std::string_view(value ? "true" : "false")); }
  // PostgreSQL text cannot hold a NUL byte: a value containing one makes the query fail with
  // kInvalidArgument instead of being silently cut.
  Params& Add(std::string_view value);
  Params& Add(const char* value) { return Add(std::string_view(value)); }
  Params& Add(const std::string& value) { return Add(std::string_view(value)); }
  Params& AddNull();

  int size() const { return static_cast<int>(values_.size()); }
  bool has_nul() const { return has_nul_; }
  // Pointers for PQexecParams (nullptr for NULL); valid while this object is unchanged.
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::string> values_;
  std::vector<bool> is_null_;
  bool has_nul_ = false;
};

// An owned PGresult of a successful statement.
class PgResult {
 public:
  explicit PgResult(PGresult* result);
  ~PgResult();
  PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  int rows() const;
  // The command tag, e.g. "INSERT 0 1" or "COMMIT".
  std::string command() const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t affected() const;
  // Rows and columns are 0-based. REQUIRES: row < rows(), column in range. NULL reads as empty
  // text, 0 or false.
  bool IsNull(int row, int column) const;
  std::string Text(int row, int column) const;
  std::int64_t Int(int row, int column) const;
  double Double(int row, int column) const;
  bool Bool(int row, int column) const;  // 't' / 'f'

 private:
  PGresult* result_;
};

class Connection {
 public:
  // Connects with `conninfo` (key=value or a postgresql:// URI), then applies `options` as the
  // server's startup options (e.g. "-c search_path=s -c lock_timeout=5000"; empty: none), with
  // client_encoding UTF8. kIoError when the server cannot be reached or refuses.
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo,
                                                  const std::string& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One or more statements without parameters (migrations, DDL).
  Status Exec(const std::string& sql);
  // One statement with parameters $1.. from `params`.
  Result<PgResult> Query(const std::string& sql, const Params& params = {});

  // False once the connection to the server is lost (the pool then drops it).
  bool healthy() const;
  // True when no transaction is open (so the pool may hand the connection out again).
  bool idle() const;

  // The SQLSTATE ("23505") and constraint name of the last failed statement, empty when unknown.
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  const std::string& last_constraint() const { return last_constraint_; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  // Takes ownership of `result`; OK for a successful command or query.
  Result<PgResult> Check(PGresult* result);

  PGconn* conn_;
  std::string last_sqlstate_;
  std::string last_constraint_;
};

enum class TxMode {
  kReadWrite,  // READ COMMITTED: writes, with row locks where a value is read and then changed
  kSnapshot,   // REPEATABLE READ READ ONLY: several reads that must agree (a row and its lists)
};

// BEGIN ... Commit(); rolled back on destruction unless committed.
class Transaction {
 public:
  static Result<Transaction> Begin(Connection& conn, TxMode mode = TxMode::kReadWrite);
  ~Transaction();
  Transaction(Transaction&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // COMMIT; an error (a deferred constraint, a lost connection) leaves nothing written.
  Status Commit();

 private:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  Connection* conn_;  // null once committed or rolled back
};

}  // namespace tandem::store::postgres
