#include "store/postgres/pg_db.h"

#include <libpq-fe.h>

#include <charconv>
#include <system_error>

namespace tandem::store::postgres {
namespace {

std::string Field(const PGresult* result, int field) {
  const char* value = PQresultErrorField(result, field);
  return value == nullptr ? std::string() : std::string(value);
}

// libpq messages end with a newline.
std::string Trimmed(const char* message) {
  std::string s = message == nullptr ? std::string() : std::string(message);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

StatusCode CodeFor(const std::string& sqlstate) {
  if (sqlstate.size() != 5) return StatusCode::kIoError;  // no server answer: connection lost
  const std::string cls = sqlstate.substr(0, 2);
  if (cls == "23" || cls == "22") return StatusCode::kInvalidArgument;
  if (cls == "42") return StatusCode::kInternal;
  return StatusCode::kIoError;
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

// --- Params ---

Params& Params::Add(std::int64_t value) {
  values_.push_back(std::to_string(value));
  is_null_.push_back(false);
  return *this;
}

Params& Params::Add(double value) {
  char buffer[64];
  const std::to_chars_result r = std::to_chars(buffer, buffer + sizeof buffer, value);
  values_.emplace_back(buffer, r.ptr);
  is_null_.push_back(false);
  return *this;
}

Params& Params::Add(std::string_view value) {
  if (value.find('\0') != std::string_view::npos) has_nul_ = true;
  values_.emplace_back(value);
  is_null_.push_back(false);
  return *this;
}

Params& Params::AddNull() {
  values_.emplace_back();
  is_null_.push_back(true);
  return *this;
}

std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> out(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    out[i] = is_null_[i] ? nullptr : values_[i].c_str();
  }
  return out;
}

// --- PgResult ---

PgResult::PgResult(PGresult* result) : result_(result) {}

PgResult::~PgResult() { PQclear(result_); }

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

int PgResult::rows() const { return PQntuples(result_); }

std::string PgResult::command() const { return PQcmdStatus(result_); }

std::int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(result_);
  std::int64_t value = 0;
  if (n != nullptr) std::from_chars(n, n + std::char_traits<char>::length(n), value);
  return value;
}

bool PgResult::IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::string PgResult::Text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<size_t>(PQgetlength(result_, row, column)));
}

std::int64_t PgResult::Int(int row, int column) const {
  const char* s = PQgetvalue(result_, row, column);
  std::int64_t value = 0;
  std::from_chars(s, s + PQgetlength(result_, row, column), value);
  return value;
}

double PgResult::Double(int row, int column) const {
  // PostgreSQL 12+ prints float8 in the shortest form that reads back exactly
  // (extra_float_digits = 1, the default); from_chars reads it back bit for bit.
  const char* s = PQgetvalue(result_, row, column);
  double value = 0;
  std::from_chars(s, s + PQgetlength(result_, row, column), value);
  return value;
}

bool PgResult::Bool(int row, int column) const {
  const char* s = PQgetvalue(result_, row, column);
  return s != nullptr && s[0] == 't';
}

// --- Connection ---

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo,
                                                     const std::string& options) {
  // expand_dbname = 1: `conninfo` in the dbname slot is parsed as a connection string or URI,
  // and the parameters after it override its settings.
  std::vector<const char*> keys = {"dbname", "client_encoding", "fallback_application_name"};
  std::vector<const char*> values = {conninfo.c_str(), "UTF8", "tandem"};
  if (!options.empty()) {
    keys.push_back("options");
    values.push_back(options.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
  if (conn == nullptr) return Status::Io("postgres: out of memory connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return Status::Io("postgres: cannot connect: " + message);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);  // "already exists, skipping" etc.
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

bool Connection::idle() const { return PQtransactionStatus(conn_) == PQTRANS_IDLE; }

Result<PgResult> Connection::Check(PGresult* result) {
  last_sqlstate_.clear();
  last_constraint_.clear();
  if (result == nullptr) {
    return Status::Io("postgres: " + Trimmed(PQerrorMessage(conn_)));
  }
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return PgResult(result);
  last_sqlstate_ = Field(result, PG_DIAG_SQLSTATE);
  last_constraint_ = Field(result, PG_DIAG_CONSTRAINT_NAME);
  std::string message = Field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (message.empty()) message = Trimmed(PQresultErrorMessage(result));
  if (message.empty()) message = Trimmed(PQerrorMessage(conn_));
  PQclear(result);
  const StatusCode code = CodeFor(last_sqlstate_);
  if (code == StatusCode::kInvalidArgument) return Status(code, message);
  return Status(code, "postgres: " + message +
                          (last_sqlstate_.empty() ? "" : " (SQLSTATE " + last_sqlstate_ + ")"));
}

Status Connection::Exec(const std::string& sql) {
  Result<PgResult> r = Check(PQexec(conn_, sql.c_str()));
  return r.ok() ? Status::Ok() : r.status();
}

Result<PgResult> Connection::Query(const std::string& sql, const Params& params) {
  if (params.has_nul()) {
    last_sqlstate_ = "22021";  // character_not_in_repertoire, what the server would say
    last_constraint_.clear();
    return Status::Invalid("text must not contain a NUL byte");
  }
  const std::vector<const char*> values = params.Pointers();
  return Check(PQexecParams(conn_, sql.c_str(), params.size(), nullptr,
                            values.empty() ? nullptr : values.data(), nullptr, nullptr, 0));
}

// --- Transaction ---

Result<Transaction> Transaction::Begin(Connection& conn, TxMode mode) {
  const char* sql =
      mode == TxMode::kSnapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN";
  if (Status s = conn.Exec(sql); !s.ok()) return s;
  return Transaction(&conn);
}

Transaction::~Transaction() {
  if (conn_ != nullptr && conn_->healthy()) (void)conn_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Connection* conn = std::exchange(conn_, nullptr);
  if (conn == nullptr) return Status::Internal("postgres: transaction already ended");
  // COMMIT of a transaction in which a statement failed answers ROLLBACK without an error; the
  // store returns on the first error, so this is a bug if it happens.
  Result<PgResult> r = conn->Query("COMMIT");
  if (!r.ok()) return r.status();
  if (r->command() != "COMMIT") {
    if (!conn->idle()) (void)conn->Exec("ROLLBACK");
    return Status::Internal("postgres: transaction was rolled back, not committed");
  }
  return Status::Ok();
}

}  // namespace tandem::store::postgres
