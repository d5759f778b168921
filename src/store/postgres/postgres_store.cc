#include "store/postgres/postgres_store.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/migrations/postgres_migrations.h"
#include "store/person_columns.h"
#include "store/postgres/pg_db.h"

namespace tandem::store {
namespace {

using postgres::Connection;
using postgres::Params;
using postgres::PgResult;
using postgres::Transaction;

// Evaluates a Status expression and returns it from the enclosing function when not OK.
#define TANDEM_RETURN_IF_ERROR(expr)             \
  do {                                           \
    if (Status _s = (expr); !_s.ok()) return _s; \
  } while (false)

#define TANDEM_CONCAT_INNER(a, b) a##b
#define TANDEM_CONCAT(a, b) TANDEM_CONCAT_INNER(a, b)
// `lhs = value of expr` (a Result), or returns its Status from the enclosing function.
#define TANDEM_ASSIGN_OR_RETURN(lhs, expr)                                                      \
  auto TANDEM_CONCAT(result_, __LINE__) = (expr);                                               \
  if (!TANDEM_CONCAT(result_, __LINE__).ok()) return TANDEM_CONCAT(result_, __LINE__).status(); \
  lhs = std::move(TANDEM_CONCAT(result_, __LINE__)).value()

// The current time as the schema's timestamp text (see postgres_migrations.cc).
#define TANDEM_NOW "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

// Serialises migrators of one database (pg_advisory_xact_lock key: "TANDEM" in ASCII).
constexpr std::int64_t kMigrationLock = 0x54414E44454D;

// UpsertPeople runs ANALYZE on the people tables after a batch larger than this.
constexpr size_t kAnalyzeAfterPeople = 1000;

// Namespaces (the first key of pg_advisory_xact_lock(int, int)) of the per-person locks of
// informal requests; the second key is hashtext('<program id> <employee id>'). The two-key space
// does not overlap kMigrationLock's one-key space. A hash collision only serialises two callers.
constexpr int kMenteeLockSpace = 0x544D4E45;  // "TMNE": a mentee's requests in a program
constexpr int kMentorLockSpace = 0x544D4E52;  // "TMNR": a mentor's places in a program

// Rows per multi-row INSERT: keeps a statement's parameters far below libpq's 65535.
constexpr int kRowsPerInsert = 1000;

constexpr const char* kUniqueViolation = "23505";
constexpr const char* kForeignKeyViolation = "23503";

// Upserts a person and, in the same statement, empties the lists of a person that existed (a
// no-op for a new one); the lists are then inserted afresh. Data-modifying CTEs see the rows as
// they were before the statement, so the DELETEs remove exactly the old lists.
constexpr const char* kUpsertPerson =
    "WITH up AS ("
    " INSERT INTO people (organization_id, employee_id, name, email, title, department, site,"
    " time_zone, utc_offset_minutes, seniority, manager_id, communication_style,"
    " meeting_preference, availability, role, mentor_capacity, prefer_shared_background,"
    " openness, conscientiousness, extraversion, agreeableness, neuroticism)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
    " $19, $20, $21, $22)"
    " ON CONFLICT (organization_id, employee_id) DO UPDATE SET name = excluded.name,"
    " email = excluded.email, title = excluded.title, department = excluded.department,"
    " site = excluded.site, time_zone = excluded.time_zone,"
    " utc_offset_minutes = excluded.utc_offset_minutes, seniority = excluded.seniority,"
    " manager_id = excluded.manager_id, communication_style = excluded.communication_style,"
    " meeting_preference = excluded.meeting_preference, availability = excluded.availability,"
    " role = excluded.role, mentor_capacity = excluded.mentor_capacity,"
    " prefer_shared_background = excluded.prefer_shared_background,"
    " openness = excluded.openness, conscientiousness = excluded.conscientiousness,"
    " extraversion = excluded.extraversion, agreeableness = excluded.agreeableness,"
    " neuroticism = excluded.neuroticism, updated_at = " TANDEM_NOW
    " RETURNING id),"
    " d1 AS (DELETE FROM person_values WHERE person_id IN (SELECT id FROM up)),"
    " d2 AS (DELETE FROM person_skills_held WHERE person_id IN (SELECT id FROM up)),"
    " d3 AS (DELETE FROM person_skills_wanted WHERE person_id IN (SELECT id FROM up)),"
    " d4 AS (DELETE FROM person_self_described WHERE person_id IN (SELECT id FROM up))"
    " SELECT id FROM up";

#define TANDEM_PERSON_COLUMNS                                                              \
  "id, employee_id, name, email, title, department, site, time_zone, utc_offset_minutes,"  \
  " seniority, manager_id, communication_style, meeting_preference, availability, role,"   \
  " mentor_capacity, prefer_shared_background, openness, conscientiousness, extraversion," \
  " agreeableness, neuroticism"
constexpr const char* kSelectPerson =
    "SELECT " TANDEM_PERSON_COLUMNS " FROM people WHERE organization_id = $1 AND employee_id = $2";
// employee_id is COLLATE "C": byte-wise order, as in SQLite.
constexpr const char* kSelectPeoplePage =
    "SELECT " TANDEM_PERSON_COLUMNS
    " FROM people WHERE organization_id = $1 AND employee_id > $2 ORDER BY employee_id LIMIT $3";
#undef TANDEM_PERSON_COLUMNS

#define TANDEM_PROGRAM_COLUMNS \
  "id, organization_id, name, model, status, config_json, created_at, updated_at"
constexpr const char* kSelectProgram =
    "SELECT " TANDEM_PROGRAM_COLUMNS " FROM programs WHERE id = $1";
constexpr const char* kSelectPrograms =
    "SELECT " TANDEM_PROGRAM_COLUMNS " FROM programs WHERE organization_id = $1 ORDER BY id";
#undef TANDEM_PROGRAM_COLUMNS

#define TANDEM_ACCOUNT_COLUMNS \
  "id, organization_id, email, display_name, password_hash, employee_id, created_at"
#define TANDEM_JOB_COLUMNS                                                                     \
  "id, organization_id, program_id, kind, state, payload_json, created_by, claimed_by,"        \
  " progress, progress_message, cancel_requested, result_json, error, created_at, started_at," \
  " finished_at"
#define TANDEM_SESSION_COLUMNS "token_hash, account_id, csrf_token, created_at, expires_at"
#define TANDEM_RELATIONSHIP_COLUMNS                                                         \
  "id, program_id, run_id, mentee_id, mentor_id, status, started_at, ended_at, end_reason," \
  " ended_by"
#define TANDEM_GOAL_COLUMNS \
  "id, relationship_id, title, owner_id, due_date, progress, created_at, updated_at"
#define TANDEM_MEETING_COLUMNS                                                                   \
  "id, relationship_id, starts_at, duration_minutes, location, agenda, status, notes, sequence," \
  " created_at, updated_at"
#define TANDEM_APPLICATION_COLUMNS                                                      \
  "id, program_id, employee_id, role, answers_json, status, decision_note, decided_by," \
  " created_at, decided_at"
// A request past its expiry that is still open or info_requested reads as expired, whether or
// not the expiry statement marked it yet (it skips rows another call holds locked).
#define TANDEM_REQUEST_UNANSWERED "r.status IN ('open', 'info_requested')"
#define TANDEM_REQUEST_COLUMNS                                                                 \
  "r.id, r.program_id, r.mentee_id, r.mentor_id, r.message,"                                   \
  " CASE WHEN " TANDEM_REQUEST_UNANSWERED " AND r.expires_at <= " TANDEM_NOW                   \
  " THEN 'expired' ELSE r.status END, r.response, r.created_at, r.expires_at, r.responded_at," \
  " r.relationship_id"

// "YYYY-MM-DD" with a month 1..12 and a day 1..31 (the same check as the SQLite backend).
bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// "YYYY-MM-DDTHH:MM:SSZ" (the same check as the SQLite backend).
bool IsUtcTimestamp(const std::string& s) {
  if (s.size() != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') {
    return false;
  }
  if (!IsDate(s.substr(0, 10))) return false;
  for (size_t i : {11, 12, 14, 15, 17, 18}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto two = [&s](size_t i) { return (s[i] - '0') * 10 + (s[i + 1] - '0'); };
  return two(11) < 24 && two(14) < 60 && two(17) < 60;
}

// "{1,2,3}": a bigint[] parameter for `= ANY($n::bigint[])`.
std::string BigintArray(const std::vector<std::int64_t>& ids) {
  std::string s = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) s += ',';
    s += std::to_string(ids[i]);
  }
  s += '}';
  return s;
}

// Multi-row INSERTs of at most kRowsPerInsert rows: "<head> VALUES ($1, $2), ($3, $4), ...".
class BatchInsert {
 public:
  BatchInsert(Connection& db, std::string head, int columns)
      : db_(db), head_(std::move(head)), columns_(columns) {}

  template <typename... T>
  Status Row(const T&... values) {
    static_assert(sizeof...(T) > 0);
    (params_.Add(values), ...);
    ++rows_;
    return rows_ == kRowsPerInsert ? Flush() : Status::Ok();
  }

  Status Flush() {
    if (rows_ == 0) return Status::Ok();
    std::string sql = head_ + " VALUES ";
    int n = 0;
    for (int r = 0; r < rows_; ++r) {
      sql += r == 0 ? "(" : ", (";
      for (int c = 0; c < columns_; ++c) {
        if (c > 0) sql += ", ";
        sql += '$' + std::to_string(++n);
      }
      sql += ')';
    }
    Result<PgResult> done = db_.Query(sql, params_);
    params_ = Params();
    rows_ = 0;
    return done.ok() ? Status::Ok() : done.status();
  }

 private:
  Connection& db_;
  std::string head_;
  int columns_;
  Params params_;
  int rows_ = 0;
};

// A fixed number of connections, opened on demand and handed out one caller at a time. A
// connection that broke (server restart, network) or was left inside a transaction is dropped on
// return and a new one is opened by a later caller.
class Pool {
 public:
  Pool(std::string conninfo, std::string options, int size)
      : conninfo_(std::move(conninfo)), options_(std::move(options)), size_(size) {}

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    ~Lease() {
      if (pool_ != nullptr) pool_->Release(std::move(conn_));
    }
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Connection& operator*() const { return *conn_; }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  Result<Lease> Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_;
    lock.unlock();
    Result<std::unique_ptr<Connection>> conn = Connection::Open(conninfo_, options_);
    if (!conn.ok()) {
      lock.lock();
      --open_;
      cv_.notify_one();
      return conn.status();
    }
    return Lease(this, std::move(conn).value());
  }

 private:
  void Release(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(mu_);
    if (conn != nullptr && conn->healthy() && conn->idle()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
    cv_.notify_one();
  }

  const std::string conninfo_;
  const std::string options_;
  const int size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // connections existing, idle or leased
};

class PostgresStore final : public Store {
 public:
  PostgresStore(std::string conninfo, std::string options, int pool_size)
      : pool_(std::move(conninfo), std::move(options), pool_size) {}

  Status Migrate() override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    {
      // Concurrent CREATE TABLE IF NOT EXISTS can fail on a race: take the lock first.
      TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
      TANDEM_RETURN_IF_ERROR(LockMigrations(db));
      TANDEM_RETURN_IF_ERROR(
          db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY,"
                  " name text NOT NULL, applied_at text NOT NULL DEFAULT " TANDEM_NOW ")"));
      TANDEM_RETURN_IF_ERROR(tx.Commit());
    }
    const std::vector<Migration>& migrations = PostgresMigrations();
    const int known = migrations.empty() ? 0 : migrations.back().version;
    for (const Migration& m : migrations) {
      TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
      TANDEM_RETURN_IF_ERROR(LockMigrations(db));
      TANDEM_ASSIGN_OR_RETURN(PgResult current,
                              db.Query("SELECT coalesce(max(version), 0) FROM schema_migrations"));
      const std::int64_t version = current.Int(0, 0);
      if (version > known) {
        return Status::Io("database schema version " + std::to_string(version) +
                          " is newer than this build knows (" + std::to_string(known) + ")");
      }
      if (version >= m.version) continue;  // applied before (tx rolls back: nothing written)
      if (Status s = db.Exec(m.sql); !s.ok()) {
        return Status::Internal("migration " + std::to_string(m.version) + " (" + m.name +
                                "): " + s.message());
      }
      TANDEM_ASSIGN_OR_RETURN(PgResult inserted,
                              db.Query("INSERT INTO schema_migrations (version, name)"
                                       " VALUES ($1, $2)",
                                       Params().Add(m.version).Add(m.name)));
      TANDEM_RETURN_IF_ERROR(tx.Commit());
    }
    return Status::Ok();
  }

  Result<std::vector<AppliedMigration>> AppliedMigrations() override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"));
    std::vector<AppliedMigration> out;
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back({static_cast<int>(r.Int(i, 0)), r.Text(i, 1), r.Text(i, 2)});
    }
    return out;
  }

  // --- Organizations ---

  Result<OrganizationId> CreateOrganization(const std::string& name) override {
    if (name.empty()) return Status::Invalid("organization name: must not be empty");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    Result<PgResult> r =
        db.Query("INSERT INTO organizations (name) VALUES ($1) RETURNING id", Params().Add(name));
    if (!r.ok()) {
      if (db.last_sqlstate() == kUniqueViolation) {
        return Status::Invalid("organization name already used: " + name);
      }
      return r.status();
    }
    return OrganizationId{r->Int(0, 0)};
  }

  Result<Organization> GetOrganization(OrganizationId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r, (*lease).Query("SELECT name, created_at FROM organizations"
                                                       " WHERE id = $1",
                                                       Params().Add(id.value)));
    if (r.rows() == 0) return Status::NotFound("organization " + std::to_string(id.value));
    return Organization{id, r.Text(0, 0), r.Text(0, 1)};
  }

  // --- People ---

  Result<int> UpsertPeople(OrganizationId organization,
                           const std::vector<Person>& people) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_RETURN_IF_ERROR(CheckOrganization(db, organization));
    // Row (1-based) of each employee id seen so far in this import.
    std::unordered_map<std::string, size_t> seen;
    seen.reserve(people.size());
    for (size_t i = 0; i < people.size(); ++i) {
      const Person& p = people[i];
      if (p.id.empty()) {
        return Status::Invalid("person at row " + std::to_string(i + 1) +
                               " of the import has no employee id");
      }
      auto [it, inserted] = seen.emplace(p.id, i + 1);
      if (!inserted) {
        return Status::Invalid("person " + p.id + " appears twice in the import (rows " +
                               std::to_string(it->second) + " and " + std::to_string(i + 1) + ")");
      }
      if (Status s = WritePerson(db, organization, p); !s.ok()) {
        return Status(s.code(), "person " + p.id + ": " + s.message());
      }
    }
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    if (people.size() > kAnalyzeAfterPeople) {
      // Fresh statistics, so the planner does not treat the tables as tiny until autovacuum
      // runs (the first pages would be slow). Best-effort, after the commit: an error changes
      // nothing written, and SKIP_LOCKED never waits for a concurrent ANALYZE or VACUUM.
      (void)db.Exec(
          "ANALYZE (SKIP_LOCKED) people, person_values, person_skills_held,"
          " person_skills_wanted, person_self_described");
    }
    return static_cast<int>(people.size());
  }

  Result<Person> GetPerson(OrganizationId organization, const std::string& employee_id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, db.Query(kSelectPerson, Params().Add(organization.value).Add(employee_id)));
    if (r.rows() == 0) {
      return Status::NotFound("person " + employee_id + " in organization " +
                              std::to_string(organization.value));
    }
    std::vector<std::int64_t> row_ids(1);
    std::vector<Person> people(1);
    TANDEM_RETURN_IF_ERROR(ReadPersonRow(r, 0, &row_ids[0], &people[0]));
    TANDEM_RETURN_IF_ERROR(ReadPersonLists(db, row_ids, &people));
    return std::move(people[0]);
  }

  Result<PeoplePage> ListPeople(OrganizationId organization, const std::string& cursor,
                                int limit) override {
    if (limit < 1 || limit > kMaxPageSize) {
      return Status::Invalid("limit: must be in [1, " + std::to_string(kMaxPageSize) + "]");
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    // One transaction: the people and their lists come from one snapshot.
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, postgres::TxMode::kSnapshot));
    // One row more than asked tells whether another page follows.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        db.Query(kSelectPeoplePage, Params().Add(organization.value).Add(cursor).Add(limit + 1)));
    const int rows = std::min(r.rows(), limit);
    std::vector<std::int64_t> row_ids(static_cast<size_t>(rows));
    PeoplePage page;
    page.people.resize(static_cast<size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      TANDEM_RETURN_IF_ERROR(ReadPersonRow(r, i, &row_ids[static_cast<size_t>(i)],
                                           &page.people[static_cast<size_t>(i)]));
    }
    if (r.rows() > limit) page.next_cursor = page.people.back().id;
    TANDEM_RETURN_IF_ERROR(ReadPersonLists(db, row_ids, &page.people));
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return page;
  }

  Result<std::int64_t> CountPeople(OrganizationId organization) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            (*lease).Query("SELECT count(*) FROM people WHERE organization_id = $1",
                                           Params().Add(organization.value)));
    return r.Int(0, 0);
  }

  // --- Programs ---

  Result<ProgramId> CreateProgram(OrganizationId organization, const NewProgram& program) override {
    if (program.name.empty()) return Status::Invalid("program name: must not be empty");
    if (program.model.empty()) return Status::Invalid("program model: must not be empty");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_RETURN_IF_ERROR(CheckOrganization(db, organization));
    Result<PgResult> r = db.Query(
        "INSERT INTO programs (organization_id, name, model, status, config_json)"
        " VALUES ($1, $2, $3, 'draft', $4) RETURNING id",
        Params()
            .Add(organization.value)
            .Add(program.name)
            .Add(program.model)
            .Add(program.config_json));
    if (!r.ok()) {
      if (db.last_sqlstate() == kUniqueViolation) {
        return Status::Invalid("program name already used: " + program.name);
      }
      return r.status();
    }
    const ProgramId id{r->Int(0, 0)};
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Result<Program> GetProgram(ProgramId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r, (*lease).Query(kSelectProgram, Params().Add(id.value)));
    if (r.rows() == 0) return Status::NotFound("program " + std::to_string(id.value));
    return ReadProgramRow(r, 0);
  }

  Result<std::vector<Program>> ListPrograms(OrganizationId organization) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            (*lease).Query(kSelectPrograms, Params().Add(organization.value)));
    std::vector<Program> out;
    for (int i = 0; i < r.rows(); ++i) {
      TANDEM_ASSIGN_OR_RETURN(Program program, ReadProgramRow(r, i));
      out.push_back(std::move(program));
    }
    return out;
  }

  Status UpdateProgramStatus(ProgramId id, ProgramStatus to) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // FOR UPDATE: a concurrent change waits for this transaction, then reads the new status.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        db.Query("SELECT status FROM programs WHERE id = $1 FOR UPDATE", Params().Add(id.value)));
    if (r.rows() == 0) return Status::NotFound("program " + std::to_string(id.value));
    const std::string from_name = r.Text(0, 0);
    const std::optional<ProgramStatus> from = ParseProgramStatus(from_name);
    if (!from) return Status::Internal("program " + std::to_string(id.value) + ": bad status");
    if (!IsAllowedTransition(*from, to)) {
      return Status::Invalid("program " + std::to_string(id.value) +
                             ": status cannot change from " + from_name + " to " +
                             ProgramStatusName(to));
    }
    TANDEM_ASSIGN_OR_RETURN(
        PgResult updated,
        db.Query("UPDATE programs SET status = $2, updated_at = " TANDEM_NOW
                 " WHERE id = $1 AND status = $3",
                 Params().Add(id.value).Add(ProgramStatusName(to)).Add(from_name)));
    if (updated.affected() != 1) {
      return Status::Invalid("program " + std::to_string(id.value) +
                             ": status changed concurrently");
    }
    TANDEM_ASSIGN_OR_RETURN(
        PgResult recorded,
        db.Query("INSERT INTO program_status_changes (program_id, from_status, to_status)"
                 " VALUES ($1, $2, $3)",
                 Params().Add(id.value).Add(from_name).Add(ProgramStatusName(to))));
    return tx.Commit();
  }

  Status UpdateProgram(ProgramId id, const std::string& name,
                       const std::string& config_json) override {
    if (name.empty()) return Status::Invalid("program name: must not be empty");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        db.Query("SELECT status FROM programs WHERE id = $1 FOR UPDATE", Params().Add(id.value)));
    if (r.rows() == 0) return Status::NotFound("program " + std::to_string(id.value));
    if (r.Text(0, 0) == "closed") {
      return Status::Invalid("program " + std::to_string(id.value) + " is closed");
    }
    Result<PgResult> updated =
        db.Query("UPDATE programs SET name = $2, config_json = $3, updated_at = " TANDEM_NOW
                 " WHERE id = $1",
                 Params().Add(id.value).Add(name).Add(config_json));
    if (!updated.ok()) {
      if (db.last_sqlstate() == kUniqueViolation) {
        return Status::Invalid("program name already used: " + name);
      }
      return updated.status();
    }
    return tx.Commit();
  }

  // --- Matching runs ---

  Result<MatchRunId> SaveMatchRun(ProgramId program, const NewMatchRun& run) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_ASSIGN_OR_RETURN(PgResult found, db.Query("SELECT 1 FROM programs WHERE id = $1",
                                                     Params().Add(program.value)));
    if (found.rows() == 0) return Status::NotFound("program " + std::to_string(program.value));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, db.Query("INSERT INTO match_runs (program_id, config_json, input_snapshot_json,"
                             " summary_json, rematch) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                             Params()
                                 .Add(program.value)
                                 .Add(run.config_json)
                                 .Add(run.input_snapshot_json)
                                 .Add(run.summary_json)
                                 .Add(run.rematch)));
    const MatchRunId id{r.Int(0, 0)};
    {
      BatchInsert pairs(db,
                        "INSERT INTO match_run_pairs (run_id, position, mentee_id, mentor_id,"
                        " score, explanation, slot)",
                        7);
      for (size_t i = 0; i < run.pairs.size(); ++i) {
        const RunPair& pair = run.pairs[i];
        TANDEM_RETURN_IF_ERROR(pairs.Row(id.value, static_cast<std::int64_t>(i), pair.mentee_id,
                                         pair.mentor_id, pair.score, pair.explanation, pair.slot));
      }
      TANDEM_RETURN_IF_ERROR(pairs.Flush());
    }
    {
      BatchInsert factors(
          db, "INSERT INTO match_run_pair_factors (run_id, position, criterion, value)", 4);
      BatchInsert skills(
          db, "INSERT INTO match_run_pair_skills (run_id, position, skill_position, skill)", 4);
      for (size_t i = 0; i < run.pairs.size(); ++i) {
        const RunPair& pair = run.pairs[i];
        for (size_t c = 0; c < pair.factors.size(); ++c) {
          TANDEM_RETURN_IF_ERROR(factors.Row(id.value, static_cast<std::int64_t>(i),
                                             static_cast<std::int64_t>(c), pair.factors[c]));
        }
        for (size_t s = 0; s < pair.skills_for.size(); ++s) {
          TANDEM_RETURN_IF_ERROR(skills.Row(id.value, static_cast<std::int64_t>(i),
                                            static_cast<std::int64_t>(s), pair.skills_for[s]));
        }
      }
      TANDEM_RETURN_IF_ERROR(factors.Flush());
      TANDEM_RETURN_IF_ERROR(skills.Flush());
    }
    {
      BatchInsert unmatched(
          db, "INSERT INTO match_run_unmatched (run_id, position, mentee_id, reason)", 4);
      for (size_t i = 0; i < run.unmatched.size(); ++i) {
        TANDEM_RETURN_IF_ERROR(unmatched.Row(id.value, static_cast<std::int64_t>(i),
                                             run.unmatched[i].mentee_id, run.unmatched[i].reason));
      }
      TANDEM_RETURN_IF_ERROR(unmatched.Flush());
    }
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Result<MatchRun> GetMatchRun(MatchRunId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, postgres::TxMode::kSnapshot));
    const Params key = Params().Add(id.value);
    MatchRun run;
    run.id = id;
    {
      TANDEM_ASSIGN_OR_RETURN(
          PgResult r,
          db.Query("SELECT program_id, created_at, config_json, input_snapshot_json, summary_json,"
                   " rematch FROM match_runs WHERE id = $1",
                   key));
      if (r.rows() == 0) return Status::NotFound("match run " + std::to_string(id.value));
      run.program = ProgramId{r.Int(0, 0)};
      run.created_at = r.Text(0, 1);
      run.config_json = r.Text(0, 2);
      run.input_snapshot_json = r.Text(0, 3);
      run.summary_json = r.Text(0, 4);
      run.rematch = r.Bool(0, 5);
    }
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("SELECT mentee_id, mentor_id, score, explanation, slot"
                                       " FROM match_run_pairs WHERE run_id = $1 ORDER BY position",
                                       key));
      run.pairs.resize(static_cast<size_t>(r.rows()));
      for (int i = 0; i < r.rows(); ++i) {
        RunPair& pair = run.pairs[static_cast<size_t>(i)];
        pair.mentee_id = r.Text(i, 0);
        pair.mentor_id = r.Text(i, 1);
        pair.score = r.Double(i, 2);
        pair.explanation = r.Text(i, 3);
        pair.slot = static_cast<int>(r.Int(i, 4));
      }
    }
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("SELECT position, value FROM match_run_pair_factors"
                                       " WHERE run_id = $1 ORDER BY position, criterion",
                                       key));
      for (int i = 0; i < r.rows(); ++i) {
        const auto pos = static_cast<size_t>(r.Int(i, 0));
        if (pos >= run.pairs.size()) return Status::Internal("match run: factor of no pair");
        run.pairs[pos].factors.push_back(r.Double(i, 1));
      }
    }
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("SELECT position, skill FROM match_run_pair_skills"
                                       " WHERE run_id = $1 ORDER BY position, skill_position",
                                       key));
      for (int i = 0; i < r.rows(); ++i) {
        const auto pos = static_cast<size_t>(r.Int(i, 0));
        if (pos >= run.pairs.size()) return Status::Internal("match run: skill of no pair");
        run.pairs[pos].skills_for.push_back(r.Text(i, 1));
      }
    }
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("SELECT mentee_id, reason FROM match_run_unmatched"
                                       " WHERE run_id = $1 ORDER BY position",
                                       key));
      for (int i = 0; i < r.rows(); ++i) run.unmatched.push_back({r.Text(i, 0), r.Text(i, 1)});
    }
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return run;
  }

  Result<std::vector<MatchRun>> ListMatchRuns(ProgramId program) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, (*lease).Query("SELECT id, created_at, summary_json, rematch FROM match_runs"
                                   " WHERE program_id = $1 ORDER BY id",
                                   Params().Add(program.value)));
    std::vector<MatchRun> out(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      MatchRun& run = out[static_cast<size_t>(i)];
      run.id = MatchRunId{r.Int(i, 0)};
      run.program = program;
      run.created_at = r.Text(i, 1);
      run.summary_json = r.Text(i, 2);
      run.rematch = r.Bool(i, 3);
    }
    return out;
  }

  // --- Accounts ---

  Result<AccountId> CreateAccount(OrganizationId organization, const NewAccount& account) override {
    if (account.email.empty()) return Status::Invalid("account email: must not be empty");
    if (account.display_name.empty()) {
      return Status::Invalid("account display name: must not be empty");
    }
    if (account.password_hash.empty()) {
      return Status::Invalid("account password hash: must not be empty");
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_RETURN_IF_ERROR(CheckOrganization(db, organization));
    Result<PgResult> r = db.Query(
        "INSERT INTO accounts (organization_id, email, display_name, password_hash, employee_id)"
        " VALUES ($1, $2, $3, $4, $5) RETURNING id",
        Params()
            .Add(organization.value)
            .Add(account.email)
            .Add(account.display_name)
            .Add(account.password_hash)
            .Add(account.employee_id));
    if (!r.ok()) {
      if (db.last_sqlstate() == kUniqueViolation) {
        return Status::Invalid("email already used: " + account.email);
      }
      return r.status();
    }
    const AccountId id{r->Int(0, 0)};
    for (const RoleGrant& grant : account.roles) TANDEM_RETURN_IF_ERROR(InsertGrant(db, id, grant));
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Result<Account> GetAccount(AccountId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    return ReadOneAccount(*lease, "SELECT " TANDEM_ACCOUNT_COLUMNS " FROM accounts WHERE id = $1",
                          Params().Add(id.value), "account " + std::to_string(id.value));
  }

  Result<Account> FindAccountByEmail(const std::string& email) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    // email is COLLATE "C": lower() folds ASCII only, as SQLite's; the index is on lower(email).
    return ReadOneAccount(*lease,
                          "SELECT " TANDEM_ACCOUNT_COLUMNS
                          " FROM accounts WHERE lower(email) = lower($1 COLLATE \"C\")",
                          Params().Add(email), "account with email " + email);
  }

  Result<std::vector<Account>> ListAccounts(OrganizationId organization) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, postgres::TxMode::kSnapshot));
    TANDEM_ASSIGN_OR_RETURN(PgResult r, db.Query("SELECT " TANDEM_ACCOUNT_COLUMNS
                                                 " FROM accounts WHERE organization_id = $1"
                                                 " ORDER BY id",
                                                 Params().Add(organization.value)));
    std::vector<Account> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(AccountRow(r, i));
    TANDEM_RETURN_IF_ERROR(ReadGrants(db, &out));
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return out;
  }

  Status GrantRole(AccountId account, const RoleGrant& grant) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_RETURN_IF_ERROR(CheckAccount(db, account));
    TANDEM_RETURN_IF_ERROR(InsertGrant(db, account, grant));
    return tx.Commit();
  }

  Status RevokeRole(AccountId account, const RoleGrant& grant) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_RETURN_IF_ERROR(CheckAccount(db, account));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        db.Query(
            "DELETE FROM account_roles WHERE account_id = $1 AND role = $2 AND program_id = $3",
            Params().Add(account.value).Add(RoleName(grant.role)).Add(grant.program.value)));
    return tx.Commit();
  }

  Status SetPasswordHash(AccountId account, const std::string& password_hash) override {
    if (password_hash.empty()) return Status::Invalid("account password hash: must not be empty");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            (*lease).Query("UPDATE accounts SET password_hash = $2 WHERE id = $1",
                                           Params().Add(account.value).Add(password_hash)));
    if (r.affected() != 1) return Status::NotFound("account " + std::to_string(account.value));
    return Status::Ok();
  }

  // --- Sessions ---

  Result<Session> CreateSession(const NewSession& session) override {
    if (session.token_hash.empty()) return Status::Invalid("session token hash: must not be empty");
    if (session.ttl_seconds <= 0) return Status::Invalid("session ttl: must be positive");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    Result<PgResult> r = db.Query(
        "INSERT INTO sessions (token_hash, account_id, csrf_token, expires_at)"
        " VALUES ($1, $2, $3, to_char((now() + make_interval(secs => $4)) AT TIME ZONE 'UTC',"
        " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')) RETURNING " TANDEM_SESSION_COLUMNS,
        Params()
            .Add(session.token_hash)
            .Add(session.account.value)
            .Add(session.csrf_token)
            .Add(session.ttl_seconds));
    if (!r.ok()) {
      if (db.last_sqlstate() == kUniqueViolation) {
        return Status::Invalid("session token hash already used");
      }
      if (db.last_sqlstate() == kForeignKeyViolation) {
        return Status::NotFound("account " + std::to_string(session.account.value));
      }
      return r.status();
    }
    return SessionRow(*r, 0);
  }

  Result<Session> GetSession(const std::string& token_hash) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    // Timestamps share one fixed-width format, so text order is time order. One statement: the
    // expired session is deleted and not returned.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("WITH expired AS (DELETE FROM sessions WHERE token_hash = $1"
                       " AND expires_at <= " TANDEM_NOW " RETURNING token_hash)"
                       " SELECT " TANDEM_SESSION_COLUMNS ", EXISTS (SELECT 1 FROM expired)"
                       " FROM sessions WHERE token_hash = $1",
                       Params().Add(token_hash)));
    if (r.rows() == 0) return Status::NotFound("session");
    if (r.Bool(0, 5)) return Status::NotFound("session expired");
    return SessionRow(r, 0);
  }

  Status DeleteSession(const std::string& token_hash) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r, (*lease).Query("DELETE FROM sessions WHERE token_hash = $1",
                                                       Params().Add(token_hash)));
    return Status::Ok();
  }

  Status DeleteSessionsOf(AccountId account) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r, (*lease).Query("DELETE FROM sessions WHERE account_id = $1",
                                                       Params().Add(account.value)));
    return Status::Ok();
  }

  // --- Jobs ---

  Result<JobId> CreateJob(const NewJob& job) override {
    if (job.kind.empty()) return Status::Invalid("job kind: must not be empty");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    Result<PgResult> r = db.Query(
        "INSERT INTO jobs (organization_id, program_id, kind, state, payload_json, created_by)"
        " VALUES ($1, $2, $3, 'queued', $4, $5) RETURNING id",
        Params()
            .Add(job.organization.value)
            .Add(job.program.value)
            .Add(job.kind)
            .Add(job.payload_json)
            .Add(job.created_by.value));
    if (!r.ok()) {
      if (db.last_sqlstate() == kForeignKeyViolation) {
        return Status::NotFound("organization " + std::to_string(job.organization.value));
      }
      return r.status();
    }
    return JobId{r->Int(0, 0)};
  }

  Result<Job> GetJob(JobId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            (*lease).Query("SELECT " TANDEM_JOB_COLUMNS " FROM jobs WHERE id = $1",
                                           Params().Add(id.value)));
    if (r.rows() == 0) return Status::NotFound("job " + std::to_string(id.value));
    return JobRow(r, 0);
  }

  Result<std::vector<Job>> ListJobs(ProgramId program, int limit) override {
    if (limit < 1 || limit > kMaxPageSize) return Status::Invalid("limit: must be 1..1000");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, (*lease).Query("SELECT " TANDEM_JOB_COLUMNS " FROM jobs WHERE program_id = $1"
                                   " ORDER BY id DESC LIMIT $2",
                                   Params().Add(program.value).Add(limit)));
    std::vector<Job> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(JobRow(r, i));
    return out;
  }

  Result<std::optional<Job>> ClaimNextJob(const std::string& worker) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    // One statement, so one transaction. FOR UPDATE SKIP LOCKED: a queued row another worker is
    // claiming right now is skipped, not waited for; a row whose claim committed meanwhile no
    // longer matches state = 'queued' when re-checked under the lock. So every job is claimed
    // once, by any number of workers in any number of processes.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query(
            "UPDATE jobs SET state = 'running', claimed_by = $1, started_at = " TANDEM_NOW
            ", heartbeat_at = " TANDEM_NOW
            " WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY id"
            " FOR UPDATE SKIP LOCKED LIMIT 1)"
            " RETURNING " TANDEM_JOB_COLUMNS,
            Params().Add(worker)));
    if (r.rows() == 0) return std::optional<Job>();
    return std::optional<Job>(JobRow(r, 0));
  }

  Result<bool> UpdateJobProgress(JobId id, double progress, const std::string& message) override {
    if (!(progress >= 0 && progress <= 1)) return Status::Invalid("job progress: must be 0..1");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("UPDATE jobs SET progress = $2, progress_message = $3,"
                       " heartbeat_at = " TANDEM_NOW
                       " WHERE id = $1 AND state = 'running' RETURNING cancel_requested",
                       Params().Add(id.value).Add(progress).Add(message)));
    if (r.rows() != 1)
      return Status::Invalid("job " + std::to_string(id.value) + " is not running");
    return r.Bool(0, 0);
  }

  Result<Job> RequestJobCancel(JobId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    // The SET expressions read the row as it was: a queued job is cancelled at once, a running
    // one is flagged, a finished one is left as it is.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query(
            "UPDATE jobs SET state = CASE state WHEN 'queued' THEN 'cancelled' ELSE state END,"
            " finished_at = CASE state WHEN 'queued' THEN " TANDEM_NOW " ELSE finished_at END,"
            " cancel_requested = (cancel_requested OR state IN ('queued', 'running'))"
            " WHERE id = $1 RETURNING " TANDEM_JOB_COLUMNS,
            Params().Add(id.value)));
    if (r.rows() == 0) return Status::NotFound("job " + std::to_string(id.value));
    return JobRow(r, 0);
  }

  Status FinishJob(JobId id, JobState state, const std::string& result_json,
                   const std::string& error) override {
    if (state != JobState::kSucceeded && state != JobState::kFailed &&
        state != JobState::kCancelled) {
      return Status::Invalid(std::string("job state ") + JobStateName(state) + " is not final");
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query(
            "UPDATE jobs SET state = $2, result_json = $3, error = $4,"
            " progress = CASE WHEN $2 = 'succeeded' THEN 1 ELSE progress END,"
            " finished_at = " TANDEM_NOW " WHERE id = $1 AND state = 'running'",
            Params().Add(id.value).Add(JobStateName(state)).Add(result_json).Add(error)));
    if (r.affected() != 1) {
      return Status::Invalid("job " + std::to_string(id.value) + " is not running");
    }
    return Status::Ok();
  }

  // --- Committee review and publishing ---
  // Every write to a run's review locks the run's row first (FOR SHARE: comments, locks and
  // approvals may be written side by side; FOR UPDATE: SwapMentors and PublishRun, which must see
  // and change the pairs alone) and only then reads run_publications, in a statement of its own:
  // under READ COMMITTED that statement sees a publication committed while the lock was awaited.

  Result<RunReview> GetRunReview(MatchRunId run) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, postgres::TxMode::kSnapshot));
    const Params key = Params().Add(run.value);
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r, db.Query("SELECT 1 FROM match_runs WHERE id = $1", key));
      if (r.rows() == 0) return Status::NotFound("run " + std::to_string(run.value));
    }
    RunReview review;
    {
      // mentee_id is COLLATE "C": byte-wise, as in SQLite.
      TANDEM_ASSIGN_OR_RETURN(
          PgResult r,
          db.Query("SELECT mentee_id FROM run_pair_locks WHERE run_id = $1 ORDER BY mentee_id",
                   key));
      for (int i = 0; i < r.rows(); ++i) review.locked_mentees.push_back(r.Text(i, 0));
    }
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("SELECT id, mentee_id, author, text, at FROM run_comments"
                                       " WHERE run_id = $1 ORDER BY id",
                                       key));
      for (int i = 0; i < r.rows(); ++i) {
        review.comments.push_back(
            {r.Int(i, 0), r.Text(i, 1), AccountId{r.Int(i, 2)}, r.Text(i, 3), r.Text(i, 4)});
      }
    }
    {
      TANDEM_ASSIGN_OR_RETURN(
          PgResult r,
          db.Query("SELECT account_id FROM run_approvals WHERE run_id = $1 ORDER BY account_id",
                   key));
      for (int i = 0; i < r.rows(); ++i) review.approvals.push_back(AccountId{r.Int(i, 0)});
    }
    {
      TANDEM_ASSIGN_OR_RETURN(
          PgResult r, db.Query("SELECT published_at FROM run_publications WHERE run_id = $1", key));
      if (r.rows() > 0) review.published_at = r.Text(0, 0);
    }
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return review;
  }

  Status SetPairLocked(MatchRunId run, const std::string& mentee_id, bool locked) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_RETURN_IF_ERROR(LockUnpublishedRun(db, run, RunLock::kShare).status());
    TANDEM_RETURN_IF_ERROR(CheckPair(db, run, mentee_id));
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            db.Query(locked ? "INSERT INTO run_pair_locks (run_id, mentee_id)"
                                              " VALUES ($1, $2) ON CONFLICT DO NOTHING"
                                            : "DELETE FROM run_pair_locks WHERE run_id = $1"
                                              " AND mentee_id = $2",
                                     Params().Add(run.value).Add(mentee_id)));
    return tx.Commit();
  }

  Result<std::int64_t> AddReviewComment(MatchRunId run, const std::string& mentee_id,
                                        AccountId author, const std::string& text) override {
    if (text.empty()) return Status::Invalid("comment: must not be empty");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_RETURN_IF_ERROR(LockUnpublishedRun(db, run, RunLock::kShare).status());
    if (!mentee_id.empty()) TANDEM_RETURN_IF_ERROR(CheckPair(db, run, mentee_id));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, db.Query("INSERT INTO run_comments (run_id, mentee_id, author, text)"
                             " VALUES ($1, $2, $3, $4) RETURNING id",
                             Params().Add(run.value).Add(mentee_id).Add(author.value).Add(text)));
    const std::int64_t id = r.Int(0, 0);
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Status ApproveRun(MatchRunId run, AccountId by) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_RETURN_IF_ERROR(LockUnpublishedRun(db, run, RunLock::kShare).status());
    TANDEM_ASSIGN_OR_RETURN(PgResult r, db.Query("INSERT INTO run_approvals (run_id, account_id)"
                                                 " VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                                 Params().Add(run.value).Add(by.value)));
    return tx.Commit();
  }

  Status SwapMentors(MatchRunId run, const RunPair& first, const RunPair& second) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // FOR UPDATE: two swaps of one run (or a swap and a publish) run one after the other, each
    // reading the mentors the previous one left.
    TANDEM_RETURN_IF_ERROR(LockUnpublishedRun(db, run, RunLock::kUpdate).status());
    const RunPair* pairs[2] = {&first, &second};
    std::int64_t positions[2] = {-1, -1};
    std::string mentors[2];
    for (int k = 0; k < 2; ++k) {
      // One pair per mentee; should a run hold two, the last one (as the SQLite backend).
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("SELECT position, mentor_id FROM match_run_pairs"
                                       " WHERE run_id = $1 AND mentee_id = $2"
                                       " ORDER BY position DESC LIMIT 1",
                                       Params().Add(run.value).Add(pairs[k]->mentee_id)));
      if (r.rows() == 0) {
        return Status::NotFound("run " + std::to_string(run.value) + " has no pair of mentee " +
                                pairs[k]->mentee_id);
      }
      positions[k] = r.Int(0, 0);
      mentors[k] = r.Text(0, 1);
    }
    if (first.mentee_id == second.mentee_id || first.mentor_id != mentors[1] ||
        second.mentor_id != mentors[0]) {
      return Status::Invalid("a swap exchanges the mentors of two different pairs");
    }
    BatchInsert factors(
        db, "INSERT INTO match_run_pair_factors (run_id, position, criterion, value)", 4);
    BatchInsert skills(
        db, "INSERT INTO match_run_pair_skills (run_id, position, skill_position, skill)", 4);
    for (int k = 0; k < 2; ++k) {
      const RunPair& p = *pairs[k];
      // The pair's row and, in the same statement, the removal of its old factors and skills.
      TANDEM_ASSIGN_OR_RETURN(
          PgResult r,
          db.Query("WITH f AS (DELETE FROM match_run_pair_factors WHERE run_id = $1"
                   " AND position = $2), s AS (DELETE FROM match_run_pair_skills"
                   " WHERE run_id = $1 AND position = $2)"
                   " UPDATE match_run_pairs SET mentor_id = $3, score = $4, explanation = $5"
                   " WHERE run_id = $1 AND position = $2",
                   Params()
                       .Add(run.value)
                       .Add(positions[k])
                       .Add(p.mentor_id)
                       .Add(p.score)
                       .Add(p.explanation)));
      for (size_t c = 0; c < p.factors.size(); ++c) {
        TANDEM_RETURN_IF_ERROR(
            factors.Row(run.value, positions[k], static_cast<std::int64_t>(c), p.factors[c]));
      }
      for (size_t s = 0; s < p.skills_for.size(); ++s) {
        TANDEM_RETURN_IF_ERROR(
            skills.Row(run.value, positions[k], static_cast<std::int64_t>(s), p.skills_for[s]));
      }
    }
    TANDEM_RETURN_IF_ERROR(factors.Flush());
    TANDEM_RETURN_IF_ERROR(skills.Flush());
    return tx.Commit();
  }

  Result<std::vector<Relationship>> PublishRun(MatchRunId run) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // Locks, in this order everywhere: the run, then its program. A second publish of the run
    // waits here and then finds the publication; a publish of another run of the program waits
    // at the program and then finds it active.
    TANDEM_ASSIGN_OR_RETURN(const std::int64_t program,
                            LockUnpublishedRun(db, run, RunLock::kUpdate));
    const Params key = Params().Add(run.value);
    // A re-match run is published while the program is active, and leaves it active; any other
    // run moves the program from matching to active.
    bool rematch = false;
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("SELECT rematch FROM match_runs WHERE id = $1", key));
      rematch = r.rows() > 0 && r.Bool(0, 0);
    }
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r, db.Query("SELECT status FROM programs WHERE id = $1"
                                                   " FOR UPDATE",
                                                   Params().Add(program)));
      const std::string status = r.rows() > 0 ? r.Text(0, 0) : std::string();
      const char* wanted = rematch ? "active" : "matching";
      if (status != wanted) {
        return Status::Invalid("program " + std::to_string(program) + " is not in status " +
                               wanted + " (it is " + status + ")");
      }
    }
    {
      TANDEM_ASSIGN_OR_RETURN(
          PgResult r, db.Query("SELECT count(*) FROM run_approvals WHERE run_id = $1", key));
      if (r.Int(0, 0) == 0) {
        return Status::Invalid("run " + std::to_string(run.value) +
                               " has no approval yet; the committee approves before publishing");
      }
    }
    // The first pair, in run order, whose mentee already has an open relationship in the
    // program (or an earlier pair of this run): the pair whose insert would break
    // relationships_open_per_mentee, named as SQLite names it. Open relationships of a program
    // are only created here, under the program's lock, so the answer holds until commit.
    const Params run_and_program = Params().Add(run.value).Add(program);
    {
      TANDEM_ASSIGN_OR_RETURN(
          PgResult r,
          db.Query("SELECT p.mentee_id FROM match_run_pairs p WHERE p.run_id = $1"
                   " AND (EXISTS (SELECT 1 FROM relationships o WHERE o.program_id = $2"
                   " AND o.mentee_id = p.mentee_id AND o.status <> 'ended')"
                   " OR EXISTS (SELECT 1 FROM match_run_pairs q WHERE q.run_id = p.run_id"
                   " AND q.mentee_id = p.mentee_id AND q.position < p.position))"
                   " ORDER BY p.position LIMIT 1",
                   run_and_program));
      if (r.rows() > 0) return OpenRelationshipExists(r.Text(0, 0), program);
    }
    {
      // Ids in run order, as the SQLite backend inserts them pair by pair.
      Result<PgResult> r = db.Query(
          "INSERT INTO relationships (program_id, run_id, mentee_id, mentor_id, status)"
          " SELECT $2, run_id, mentee_id, mentor_id, 'active' FROM match_run_pairs"
          " WHERE run_id = $1 ORDER BY position",
          run_and_program);
      if (!r.ok()) {
        if (db.last_sqlstate() == kUniqueViolation) return OpenRelationshipExists("", program);
        return r.status();
      }
    }
    {
      Result<PgResult> r = db.Query("INSERT INTO run_publications (run_id) VALUES ($1)", key);
      if (!r.ok()) {
        if (db.last_sqlstate() == kUniqueViolation) {
          return Status::Invalid("run " + std::to_string(run.value) + " is published");
        }
        return r.status();
      }
    }
    if (!rematch) {
      TANDEM_ASSIGN_OR_RETURN(
          PgResult r, db.Query("WITH moved AS (UPDATE programs SET status = 'active',"
                               " updated_at = " TANDEM_NOW " WHERE id = $1 AND status = 'matching'"
                               " RETURNING id)"
                               " INSERT INTO program_status_changes (program_id, from_status,"
                               " to_status) SELECT id, 'matching', 'active' FROM moved",
                               Params().Add(program)));
      if (r.affected() != 1) {
        return Status::Invalid("program " + std::to_string(program) +
                               ": status changed concurrently");
      }
    }
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            db.Query("SELECT " TANDEM_RELATIONSHIP_COLUMNS
                                     " FROM relationships WHERE run_id = $1 ORDER BY id",
                                     key));
    std::vector<Relationship> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(RelationshipRow(r, i));
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return out;
  }

  // --- Relationships ---

  Result<Relationship> GetRelationship(RelationshipId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    return ReadRelationship(*lease, id, "");
  }

  Result<std::vector<Relationship>> ListRelationships(ProgramId program) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            (*lease).Query("SELECT " TANDEM_RELATIONSHIP_COLUMNS
                                           " FROM relationships WHERE program_id = $1 ORDER BY id",
                                           Params().Add(program.value)));
    std::vector<Relationship> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(RelationshipRow(r, i));
    return out;
  }

  Result<std::vector<Relationship>> ListRelationshipsOf(OrganizationId organization,
                                                        const std::string& employee_id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("SELECT r.id, r.program_id, r.run_id, r.mentee_id, r.mentor_id, r.status,"
                       " r.started_at, r.ended_at, r.end_reason, r.ended_by FROM relationships r"
                       " JOIN programs p ON p.id = r.program_id WHERE p.organization_id = $1"
                       " AND (r.mentee_id = $2 OR r.mentor_id = $2) ORDER BY r.id",
                       Params().Add(organization.value).Add(employee_id)));
    std::vector<Relationship> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(RelationshipRow(r, i));
    return out;
  }

  Status ChangeRelationshipStatus(RelationshipId id, RelationshipStatus to,
                                  const std::string& reason, AccountId by) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // FOR UPDATE: a concurrent change waits, then reads the status this one wrote.
    TANDEM_ASSIGN_OR_RETURN(const Relationship current, ReadRelationship(db, id, " FOR UPDATE"));
    const RelationshipStatus from = current.status;
    if (from == RelationshipStatus::kEnded || from == to) {
      return Status::Invalid("relationship " + std::to_string(id.value) +
                             ": status cannot change from " + RelationshipStatusName(from) +
                             " to " + RelationshipStatusName(to));
    }
    if (to == RelationshipStatus::kEnded) {
      if (reason.empty()) return Status::Invalid("reason: ending a relationship needs a reason");
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("UPDATE relationships SET status = 'ended', end_reason = $2,"
                                       " ended_by = $3, ended_at = " TANDEM_NOW " WHERE id = $1",
                                       Params().Add(id.value).Add(reason).Add(by.value)));
    } else {
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("UPDATE relationships SET status = $2 WHERE id = $1",
                                       Params().Add(id.value).Add(RelationshipStatusName(to))));
    }
    return tx.Commit();
  }

  // --- Goals ---

  Result<GoalId> CreateGoal(RelationshipId relationship, const NewGoal& goal) override {
    if (goal.title.empty()) return Status::Invalid("title: must not be empty");
    if (!goal.due_date.empty() && !IsDate(goal.due_date)) {
      return Status::Invalid("due_date: must be YYYY-MM-DD: '" + goal.due_date + "'");
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // A relationship's mentee and mentor never change: no lock needed to check the owner.
    TANDEM_ASSIGN_OR_RETURN(const Relationship r, ReadRelationship(db, relationship, ""));
    if (goal.owner_id != r.mentee_id && goal.owner_id != r.mentor_id) {
      return Status::Invalid("owner: must be the mentee or the mentor of the relationship");
    }
    TANDEM_ASSIGN_OR_RETURN(
        PgResult inserted, db.Query("INSERT INTO goals (relationship_id, title, owner_id, due_date)"
                                    " VALUES ($1, $2, $3, $4) RETURNING id",
                                    Params()
                                        .Add(relationship.value)
                                        .Add(goal.title)
                                        .Add(goal.owner_id)
                                        .Add(goal.due_date)));
    const GoalId id{inserted.Int(0, 0)};
    TANDEM_RETURN_IF_ERROR(WriteMilestones(db, id, goal.milestones));
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Result<Goal> GetGoal(GoalId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        std::vector<Goal> goals,
        ReadGoals(*lease, "SELECT " TANDEM_GOAL_COLUMNS " FROM goals WHERE id = $1", id.value));
    if (goals.empty()) return Status::NotFound("goal " + std::to_string(id.value));
    return std::move(goals.front());
  }

  Result<std::vector<Goal>> ListGoals(RelationshipId relationship) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    return ReadGoals(
        *lease, "SELECT " TANDEM_GOAL_COLUMNS " FROM goals WHERE relationship_id = $1 ORDER BY id",
        relationship.value);
  }

  Status UpdateGoalProgress(GoalId id, int progress,
                            const std::vector<Milestone>& milestones) override {
    if (progress < 0 || progress > 100) return Status::Invalid("progress: must be 0..100");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // The UPDATE locks the goal's row: concurrent updates of one goal run one after the other,
    // so its milestones are always the list of one call.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        db.Query("UPDATE goals SET progress = $2, updated_at = " TANDEM_NOW " WHERE id = $1",
                 Params().Add(id.value).Add(progress)));
    if (r.affected() != 1) return Status::NotFound("goal " + std::to_string(id.value));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult deleted,
        db.Query("DELETE FROM goal_milestones WHERE goal_id = $1", Params().Add(id.value)));
    TANDEM_RETURN_IF_ERROR(WriteMilestones(db, id, milestones));
    return tx.Commit();
  }

  // --- Meetings ---

  Result<MeetingId> ScheduleMeeting(RelationshipId relationship,
                                    const NewMeeting& meeting) override {
    if (!IsUtcTimestamp(meeting.starts_at)) {
      return Status::Invalid("starts_at: must be UTC as YYYY-MM-DDTHH:MM:SSZ: '" +
                             meeting.starts_at + "'");
    }
    if (meeting.duration_minutes < 5 || meeting.duration_minutes > 480) {
      return Status::Invalid("duration_minutes: must be 5..480");
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // FOR SHARE: a concurrent pause or end (FOR UPDATE) waits until this meeting is in, or this
    // call waits for it and then reads the new status.
    TANDEM_ASSIGN_OR_RETURN(const Relationship r, ReadRelationship(db, relationship, " FOR SHARE"));
    if (r.status != RelationshipStatus::kActive) {
      return Status::Invalid("relationship " + std::to_string(relationship.value) + " is " +
                             RelationshipStatusName(r.status) + "; meetings need it active");
    }
    TANDEM_ASSIGN_OR_RETURN(
        PgResult inserted,
        db.Query("INSERT INTO meetings (relationship_id, starts_at, duration_minutes, location,"
                 " agenda) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                 Params()
                     .Add(relationship.value)
                     .Add(meeting.starts_at)
                     .Add(meeting.duration_minutes)
                     .Add(meeting.location)
                     .Add(meeting.agenda)));
    const MeetingId id{inserted.Int(0, 0)};
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Result<Meeting> GetMeeting(MeetingId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    return ReadMeeting(*lease, id, "");
  }

  Result<std::vector<Meeting>> ListMeetings(RelationshipId relationship) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r, (*lease).Query("SELECT " TANDEM_MEETING_COLUMNS
                                                       " FROM meetings WHERE relationship_id = $1"
                                                       " ORDER BY starts_at, id",
                                                       Params().Add(relationship.value)));
    std::vector<Meeting> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(MeetingRow(r, i));
    return out;
  }

  Status UpdateMeeting(MeetingId id, MeetingStatus status, const std::string& notes) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // FOR UPDATE: the status and sequence read here are the ones this update replaces.
    TANDEM_ASSIGN_OR_RETURN(const Meeting current, ReadMeeting(db, id, " FOR UPDATE"));
    if (current.status == MeetingStatus::kCancelled && status != MeetingStatus::kCancelled) {
      return Status::Invalid("meeting " + std::to_string(id.value) + " was cancelled");
    }
    const int sequence = current.sequence + (status != current.status ? 1 : 0);
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        db.Query("UPDATE meetings SET status = $2, notes = $3, sequence = $4,"
                 " updated_at = " TANDEM_NOW " WHERE id = $1",
                 Params().Add(id.value).Add(MeetingStatusName(status)).Add(notes).Add(sequence)));
    return tx.Commit();
  }

  // --- Feedback ---

  Status AddFeedback(MeetingId meeting, const NewFeedback& feedback) override {
    if (feedback.rating < 1 || feedback.rating > 5) {
      return Status::Invalid("rating: must be 1..5");
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // FOR SHARE OF m: the meeting stays held until this feedback is in (UpdateMeeting takes
    // FOR UPDATE and waits), while both participants may answer at the same time.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, db.Query("SELECT m.status, r.mentee_id, r.mentor_id FROM meetings m"
                             " JOIN relationships r ON r.id = m.relationship_id WHERE m.id = $1"
                             " FOR SHARE OF m",
                             Params().Add(meeting.value)));
    if (r.rows() == 0) return Status::NotFound("meeting " + std::to_string(meeting.value));
    if (r.Text(0, 0) != "held") {
      return Status::Invalid("meeting " + std::to_string(meeting.value) +
                             " has not been logged as held yet");
    }
    const char* side = feedback.from_id == r.Text(0, 1)   ? "mentee"
                       : feedback.from_id == r.Text(0, 2) ? "mentor"
                                                          : nullptr;
    if (side == nullptr) {
      return Status::Invalid("from: only the mentee and the mentor give feedback");
    }
    Result<PgResult> inserted = db.Query(
        "INSERT INTO feedback (meeting_id, from_id, side, rating, answers_json, comment)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        Params()
            .Add(meeting.value)
            .Add(feedback.from_id)
            .Add(side)
            .Add(feedback.rating)
            .Add(feedback.answers_json.empty() ? "{}" : feedback.answers_json)
            .Add(feedback.comment));
    if (!inserted.ok()) {
      // The primary key (meeting_id, from_id): one answer per person and meeting. A concurrent
      // second answer waits on the key and fails here once the first commits.
      if (db.last_sqlstate() == kUniqueViolation) {
        return Status::Invalid("feedback already given for meeting " +
                               std::to_string(meeting.value));
      }
      return inserted.status();
    }
    return tx.Commit();
  }

  Result<std::vector<Feedback>> ListFeedback(MeetingId meeting) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    // from_id is COLLATE "C": byte-wise, as in SQLite.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, (*lease).Query("SELECT from_id, rating, answers_json, comment, at FROM feedback"
                                   " WHERE meeting_id = $1 ORDER BY at, from_id",
                                   Params().Add(meeting.value)));
    std::vector<Feedback> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back({meeting, r.Text(i, 0), static_cast<int>(r.Int(i, 1)), r.Text(i, 2),
                     r.Text(i, 3), r.Text(i, 4)});
    }
    return out;
  }

  Result<FeedbackAggregate> AggregateFeedback(ProgramId program) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("SELECT f.rating, f.side, count(*) FROM feedback f"
                       " JOIN meetings m ON m.id = f.meeting_id"
                       " JOIN relationships r ON r.id = m.relationship_id WHERE r.program_id = $1"
                       " GROUP BY f.rating, f.side",
                       Params().Add(program.value)));
    FeedbackAggregate a;
    std::int64_t sum = 0;
    for (int i = 0; i < r.rows(); ++i) {
      const auto rating = static_cast<int>(r.Int(i, 0));
      const std::int64_t n = r.Int(i, 2);
      if (rating < 1 || rating > 5) return Status::Internal("feedback: rating out of range");
      a.count += n;
      sum += n * rating;
      a.by_rating[static_cast<size_t>(rating - 1)] += n;
      (r.Text(i, 1) == "mentee" ? a.from_mentees : a.from_mentors) += n;
    }
    if (a.count > 0) a.mean_rating = static_cast<double>(sum) / static_cast<double>(a.count);
    return a;
  }

  // --- Program details ---

  Result<std::string> GetProgramDetails(ProgramId program) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("SELECT d.details_json FROM programs p"
                       " LEFT JOIN program_details d ON d.program_id = p.id WHERE p.id = $1",
                       Params().Add(program.value)));
    if (r.rows() == 0) return Status::NotFound("program " + std::to_string(program.value));
    return r.IsNull(0, 0) ? std::string("{}") : r.Text(0, 0);
  }

  Status SetProgramDetails(ProgramId program, const std::string& details_json) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // The program's row first: it tells whether the program exists, and its lock makes
    // concurrent writes of one program's details run one after the other.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, db.Query("UPDATE programs SET updated_at = " TANDEM_NOW " WHERE id = $1",
                             Params().Add(program.value)));
    if (r.affected() != 1) return Status::NotFound("program " + std::to_string(program.value));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult written,
        db.Query("INSERT INTO program_details (program_id, details_json) VALUES ($1, $2)"
                 " ON CONFLICT (program_id) DO UPDATE SET details_json = excluded.details_json",
                 Params().Add(program.value).Add(details_json)));
    return tx.Commit();
  }

  // --- Enrollment ---

  Result<ApplicationId> Apply(ProgramId program, const NewApplication& a) override {
    if (a.role != "mentee" && a.role != "mentor") {
      return Status::Invalid("role: must be mentee or mentor");
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // FOR SHARE: the program stays enrolling until the application is in (a status change
    // waits), or this call waits for the change and then reads the new status; applications
    // of several people go in side by side.
    TANDEM_ASSIGN_OR_RETURN(PgResult p, db.Query("SELECT status, organization_id FROM programs"
                                                 " WHERE id = $1 FOR SHARE",
                                                 Params().Add(program.value)));
    if (p.rows() == 0) return Status::NotFound("program " + std::to_string(program.value));
    const std::string status = p.Text(0, 0);
    if (status != "enrolling") {
      return Status::Invalid("program " + std::to_string(program.value) +
                             " is not open for applications (it is " + status + ")");
    }
    TANDEM_ASSIGN_OR_RETURN(
        PgResult person,
        db.Query("SELECT 1 FROM people WHERE organization_id = $1 AND employee_id = $2",
                 Params().Add(p.Int(0, 1)).Add(a.employee_id)));
    if (person.rows() == 0) return Status::NotFound("person " + a.employee_id);
    // UNIQUE (program_id, employee_id): a concurrent second application of the person waits on
    // the key and fails here once the first commits.
    Result<PgResult> inserted = db.Query(
        "INSERT INTO applications (program_id, employee_id, role, answers_json)"
        " VALUES ($1, $2, $3, $4) RETURNING id",
        Params()
            .Add(program.value)
            .Add(a.employee_id)
            .Add(a.role)
            .Add(a.answers_json.empty() ? "{}" : a.answers_json));
    if (!inserted.ok()) {
      if (db.last_sqlstate() == kUniqueViolation) {
        return Status::Invalid(a.employee_id + " already applied");
      }
      return inserted.status();
    }
    const ApplicationId id{inserted->Int(0, 0)};
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Result<Application> GetApplication(ApplicationId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r, (*lease).Query("SELECT " TANDEM_APPLICATION_COLUMNS
                                                       " FROM applications WHERE id = $1",
                                                       Params().Add(id.value)));
    if (r.rows() == 0) return Status::NotFound("application " + std::to_string(id.value));
    return ApplicationRow(r, 0);
  }

  Result<std::vector<Application>> ListApplications(
      ProgramId program, std::optional<ApplicationStatus> status) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query(
            "SELECT " TANDEM_APPLICATION_COLUMNS " FROM applications"
            " WHERE program_id = $1 AND ($2 = '' OR status = $2) ORDER BY id",
            Params().Add(program.value).Add(status ? ApplicationStatusName(*status) : "")));
    std::vector<Application> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(ApplicationRow(r, i));
    return out;
  }

  Status DecideApplication(ApplicationId id, ApplicationStatus to, const std::string& note,
                           AccountId by) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // FOR UPDATE: a concurrent decision waits, then reads the status this one wrote.
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            db.Query("SELECT status FROM applications WHERE id = $1 FOR UPDATE",
                                     Params().Add(id.value)));
    if (r.rows() == 0) return Status::NotFound("application " + std::to_string(id.value));
    const std::string from = r.Text(0, 0);
    using A = ApplicationStatus;
    const A current = ParseApplicationStatus(from).value_or(A::kWithdrawn);
    const bool allowed =
        current != to && current != A::kWithdrawn && to != A::kPending &&
        (to == A::kWithdrawn || current == A::kPending ||
         (current == A::kWaitlisted && (to == A::kApproved || to == A::kRejected)));
    if (!allowed) {
      return Status::Invalid("application " + std::to_string(id.value) +
                             ": status cannot change from " + from + " to " +
                             ApplicationStatusName(to));
    }
    TANDEM_ASSIGN_OR_RETURN(
        PgResult updated,
        db.Query("UPDATE applications SET status = $2, decision_note = $3, decided_by = $4,"
                 " decided_at = " TANDEM_NOW " WHERE id = $1",
                 Params().Add(id.value).Add(ApplicationStatusName(to)).Add(note).Add(by.value)));
    return tx.Commit();
  }

  // --- Informal requests ---
  // Every call first marks the requests past their expiry as expired, in a statement of its own
  // that never waits (ExpireRequests); reads treat a request past its expiry as expired whether
  // or not it was marked (TANDEM_REQUEST_COLUMNS, and `expires_at > now` where open requests are
  // counted). Writes that a mentee's or a mentor's other requests decide take transaction-level
  // advisory locks keyed by program and person, always in this order: the program's row
  // (FOR SHARE, acceptance only), the mentee, the mentor, the request's row.

  Result<RequestId> CreateRequest(ProgramId program, const NewRequest& r) override {
    if (r.message.empty()) return Status::Invalid("message: must not be empty");
    if (r.ttl_seconds < 1 || r.ttl_seconds > 90 * 86400) {
      return Status::Invalid("ttl: must be 1 second to 90 days");
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_RETURN_IF_ERROR(ExpireRequests(db));
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // The mentee's lock: concurrent requests of one mentee in one program run one after the
    // other, so the cap and the one-request-per-mentor rule hold (and an acceptance, which
    // takes it too, is seen).
    TANDEM_RETURN_IF_ERROR(LockPerson(db, kMenteeLockSpace, program, r.mentee_id));
    TANDEM_ASSIGN_OR_RETURN(PgResult p, db.Query("SELECT organization_id FROM programs"
                                                 " WHERE id = $1",
                                                 Params().Add(program.value)));
    if (p.rows() == 0) return Status::NotFound("program " + std::to_string(program.value));
    const std::int64_t org = p.Int(0, 0);
    TANDEM_ASSIGN_OR_RETURN(PgResult mentor,
                            db.Query("SELECT mentor_capacity FROM people"
                                     " WHERE organization_id = $1 AND employee_id = $2",
                                     Params().Add(org).Add(r.mentor_id)));
    if (mentor.rows() == 0) return Status::NotFound("person " + r.mentor_id);
    const auto capacity = static_cast<int>(mentor.Int(0, 0));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult mentee,
        db.Query("SELECT 1 FROM people WHERE organization_id = $1 AND employee_id = $2",
                 Params().Add(org).Add(r.mentee_id)));
    if (mentee.rows() == 0) return Status::NotFound("person " + r.mentee_id);
    if (r.mentee_id == r.mentor_id) return Status::Invalid("a person cannot mentor themself");
    TANDEM_ASSIGN_OR_RETURN(
        PgResult open, db.Query("SELECT r.mentor_id FROM mentor_requests r WHERE r.program_id = $1"
                                " AND r.mentee_id = $2 AND " TANDEM_REQUEST_UNANSWERED
                                " AND r.expires_at > " TANDEM_NOW,
                                Params().Add(program.value).Add(r.mentee_id)));
    for (int i = 0; i < open.rows(); ++i) {
      if (open.Text(i, 0) == r.mentor_id) {
        return Status::Invalid("there is already an open request to " + r.mentor_id);
      }
    }
    if (open.rows() >= r.max_open) {
      return Status::Invalid(r.mentee_id + " has " + std::to_string(open.rows()) +
                             " open requests, the most this program allows");
    }
    TANDEM_RETURN_IF_ERROR(CheckFreePlace(db, program, r.mentee_id, r.mentor_id, capacity));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult inserted,
        db.Query("INSERT INTO mentor_requests (program_id, mentee_id, mentor_id, message,"
                 " expires_at) VALUES ($1, $2, $3, $4, to_char((now() + make_interval(secs =>"
                 " $5)) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')) RETURNING id",
                 Params()
                     .Add(program.value)
                     .Add(r.mentee_id)
                     .Add(r.mentor_id)
                     .Add(r.message)
                     .Add(r.ttl_seconds)));
    const RequestId id{inserted.Int(0, 0)};
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Result<MentorRequest> GetRequest(RequestId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_RETURN_IF_ERROR(ExpireRequests(db));
    return ReadRequest(db, id, "");
  }

  Result<std::vector<MentorRequest>> ListRequestsOf(OrganizationId organization,
                                                    const std::string& employee_id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_RETURN_IF_ERROR(ExpireRequests(db));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, db.Query("SELECT " TANDEM_REQUEST_COLUMNS " FROM mentor_requests r"
                             " JOIN programs p ON p.id = r.program_id WHERE p.organization_id = $1"
                             " AND (r.mentee_id = $2 OR r.mentor_id = $2) ORDER BY r.id DESC",
                             Params().Add(organization.value).Add(employee_id)));
    std::vector<MentorRequest> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(RequestRow(r, i));
    return out;
  }

  Result<MentorRequest> RespondToRequest(RequestId id, RequestStatus to,
                                         const std::string& response) override {
    using R = RequestStatus;
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_RETURN_IF_ERROR(ExpireRequests(db));
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // A request's program, mentee and mentor never change: read them unlocked to know which
    // locks to take, then lock and re-read the row for its status.
    TANDEM_ASSIGN_OR_RETURN(const MentorRequest unlocked, ReadRequest(db, id, ""));
    const ProgramId program = unlocked.program;
    if (to == R::kAccepted) {
      // The program's row (FOR SHARE): PublishRun, which creates open relationships under the
      // program's FOR UPDATE, and an acceptance do not run at the same time. The mentee's lock:
      // its other requests, withdrawn below, are not being created or accepted meanwhile. The
      // mentor's lock: two acceptances for one mentor in one program count the places one
      // after the other, so the mentor is never over-filled.
      TANDEM_ASSIGN_OR_RETURN(
          PgResult locked,
          db.Query("SELECT 1 FROM programs WHERE id = $1 FOR SHARE", Params().Add(program.value)));
      TANDEM_RETURN_IF_ERROR(LockPerson(db, kMenteeLockSpace, program, unlocked.mentee_id));
      TANDEM_RETURN_IF_ERROR(LockPerson(db, kMentorLockSpace, program, unlocked.mentor_id));
    }
    // FOR UPDATE: a concurrent answer to this request waits, then reads the status written.
    TANDEM_ASSIGN_OR_RETURN(const MentorRequest current, ReadRequest(db, id, " FOR UPDATE"));
    const R from = current.status;
    const bool allowed = (from == R::kOpen && (to == R::kAccepted || to == R::kDeclined ||
                                               to == R::kInfoRequested || to == R::kWithdrawn)) ||
                         (from == R::kInfoRequested && (to == R::kOpen || to == R::kWithdrawn));
    if (!allowed) {
      return Status::Invalid("request " + std::to_string(id.value) +
                             ": status cannot change from " + RequestStatusName(from) + " to " +
                             RequestStatusName(to));
    }
    if ((to == R::kDeclined || to == R::kInfoRequested) && response.empty()) {
      return Status::Invalid(std::string("response: ") + (to == R::kDeclined
                                                              ? "say why you decline"
                                                              : "say what you would like to know"));
    }
    std::int64_t relationship = 0;
    if (to == R::kAccepted) {
      // FOR SHARE OF pe: the capacity counted against stays as read until commit.
      TANDEM_ASSIGN_OR_RETURN(PgResult cap,
                              db.Query("SELECT pe.mentor_capacity FROM people pe JOIN programs p"
                                       " ON p.organization_id = pe.organization_id WHERE p.id = $1"
                                       " AND pe.employee_id = $2 FOR SHARE OF pe",
                                       Params().Add(program.value).Add(current.mentor_id)));
      const int capacity = cap.rows() > 0 ? static_cast<int>(cap.Int(0, 0)) : 0;
      TANDEM_RETURN_IF_ERROR(
          CheckFreePlace(db, program, current.mentee_id, current.mentor_id, capacity));
      Result<PgResult> inserted = db.Query(
          "INSERT INTO relationships (program_id, run_id, mentee_id, mentor_id, status)"
          " VALUES ($1, 0, $2, $3, 'active') RETURNING id",
          Params().Add(program.value).Add(current.mentee_id).Add(current.mentor_id));
      if (!inserted.ok()) {
        if (db.last_sqlstate() == kUniqueViolation) {
          return MenteeHasAMentor(current.mentee_id, program);
        }
        return inserted.status();
      }
      relationship = inserted->Int(0, 0);
      // The mentee's other open requests in the program are withdrawn: they have a mentor now.
      // Those past their expiry stay as they are (they read as expired).
      TANDEM_ASSIGN_OR_RETURN(
          PgResult withdrawn,
          db.Query("UPDATE mentor_requests r SET status = 'withdrawn', responded_at = " TANDEM_NOW
                   " WHERE r.program_id = $1 AND r.mentee_id = $2 AND r.id <> $3"
                   " AND " TANDEM_REQUEST_UNANSWERED " AND r.expires_at > " TANDEM_NOW,
                   Params().Add(program.value).Add(current.mentee_id).Add(id.value)));
    }
    TANDEM_ASSIGN_OR_RETURN(
        PgResult updated,
        db.Query(
            "UPDATE mentor_requests SET status = $2, response = $3, relationship_id = $4,"
            " responded_at = " TANDEM_NOW " WHERE id = $1",
            Params().Add(id.value).Add(RequestStatusName(to)).Add(response).Add(relationship)));
    TANDEM_ASSIGN_OR_RETURN(MentorRequest out, ReadRequest(db, id, ""));
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return out;
  }

  // --- Jobs, continued ---

  Result<std::vector<Job>> ListRunningJobs() override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, (*lease).Query("SELECT " TANDEM_JOB_COLUMNS " FROM jobs WHERE state = 'running'"
                                   " ORDER BY id"));
    std::vector<Job> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(JobRow(r, i));
    return out;
  }

  Result<int> FailStaleJobs(int stale_seconds, const std::string& error) override {
    if (stale_seconds < 0) return Status::Invalid("stale_seconds: must not be negative");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    // One statement. A job whose worker reports (or finishes it) meanwhile is re-checked under
    // its row lock with the new heartbeat (or state) and left alone.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("UPDATE jobs SET state = 'failed', error = $2, finished_at = " TANDEM_NOW
                       " WHERE state = 'running' AND heartbeat_at < to_char((now() -"
                       " make_interval(secs => $1)) AT TIME ZONE 'UTC',"
                       " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
                       Params().Add(stale_seconds).Add(error)));
    return static_cast<int>(r.affected());
  }

  // --- Notifications ---

  Result<NotificationId> Notify(const NewNotification& n) override {
    if (n.kind.empty()) return Status::Invalid("kind: must not be empty");
    if (n.title.empty()) return Status::Invalid("title: must not be empty");
    for (const std::string& c : n.channels) {
      if (c != "email" && c != "slack") return Status::Invalid("channel: unknown '" + c + "'");
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_RETURN_IF_ERROR(CheckOrganization(db, n.organization));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult inserted,
        db.Query("INSERT INTO notifications (organization_id, recipient_id, kind, title, body,"
                 " link) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                 Params()
                     .Add(n.organization.value)
                     .Add(n.recipient_id)
                     .Add(n.kind)
                     .Add(n.title)
                     .Add(n.body)
                     .Add(n.link)));
    const NotificationId id{inserted.Int(0, 0)};
    // One message per channel, in the order given (ids ascending: claimed in that order).
    BatchInsert rows(db, "INSERT INTO outbox (notification_id, channel)", 2);
    for (const std::string& c : n.channels) TANDEM_RETURN_IF_ERROR(rows.Row(id.value, c));
    TANDEM_RETURN_IF_ERROR(rows.Flush());
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Result<std::vector<Notification>> ListNotifications(OrganizationId organization,
                                                      const std::string& recipient_id,
                                                      int limit) override {
    if (limit < 1 || limit > kMaxPageSize) return Status::Invalid("limit: must be 1..1000");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("SELECT id, recipient_id, kind, title, body, link, read, created_at"
                       " FROM notifications WHERE organization_id = $1 AND recipient_id = $2"
                       " ORDER BY id DESC LIMIT $3",
                       Params().Add(organization.value).Add(recipient_id).Add(limit)));
    std::vector<Notification> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back({NotificationId{r.Int(i, 0)}, r.Text(i, 1), r.Text(i, 2), r.Text(i, 3),
                     r.Text(i, 4), r.Text(i, 5), r.Bool(i, 6), r.Text(i, 7)});
    }
    return out;
  }

  Status MarkNotificationRead(NotificationId id, const std::string& recipient_id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r, (*lease).Query("UPDATE notifications SET read = true"
                                                       " WHERE id = $1 AND recipient_id = $2",
                                                       Params().Add(id.value).Add(recipient_id)));
    if (r.affected() != 1) return Status::NotFound("notification " + std::to_string(id.value));
    return Status::Ok();
  }

  Result<std::vector<OutboxMessage>> ClaimOutbox(const std::string& worker, int limit) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    // One statement, so one transaction, as ClaimNextJob. FOR UPDATE SKIP LOCKED: a pending
    // message another worker is claiming right now is skipped, not waited for; one whose claim
    // committed meanwhile is re-checked under the lock, no longer matches state = 'pending' and
    // drops out. So every message is handed to one worker, however many claim at once. A negative
    // limit claims every due message, as SQLite's LIMIT -1 (LIMIT NULL: no limit).
    Params params = Params().Add(worker);
    if (limit < 0) {
      params.AddNull();
    } else {
      params.Add(limit);
    }
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query(
            "WITH due AS (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at "
            "<= " TANDEM_NOW " ORDER BY id LIMIT $2::bigint FOR UPDATE SKIP LOCKED),"
            " claimed AS (UPDATE outbox o SET state = 'sending', claimed_by = $1 FROM due"
            " WHERE o.id = due.id RETURNING o.id, o.notification_id, o.channel, o.attempts,"
            " o.last_error)"
            " SELECT c.id, c.notification_id, n.organization_id, c.channel, n.recipient_id,"
            " n.title, n.body, n.link, c.attempts, c.last_error FROM claimed c"
            " JOIN notifications n ON n.id = c.notification_id ORDER BY c.id",
            params));
    std::vector<OutboxMessage> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back({r.Int(i, 0), NotificationId{r.Int(i, 1)}, OrganizationId{r.Int(i, 2)},
                     r.Text(i, 3), r.Text(i, 4), r.Text(i, 5), r.Text(i, 6), r.Text(i, 7),
                     static_cast<int>(r.Int(i, 8)), r.Text(i, 9)});
    }
    return out;
  }

  Status FinishOutbox(std::int64_t id, bool delivered, const std::string& error,
                      int retry_after_seconds) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    // One statement; `state = 'sending'` makes a second finish of one attempt change nothing,
    // which is refused below. The retry time is now + retry_after_seconds, as SQLite's
    // strftime(..., 'now', '+N seconds').
    const char* sql = nullptr;
    Params params = Params().Add(id);
    if (delivered) {
      sql =
          "UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_error = ''"
          " WHERE id = $1 AND state = 'sending'";
    } else if (retry_after_seconds < 0) {
      sql =
          "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = $2"
          " WHERE id = $1 AND state = 'sending'";
      params.Add(error);
    } else {
      sql =
          "UPDATE outbox SET state = 'pending', attempts = attempts + 1, last_error = $2,"
          " next_attempt_at = to_char((now() + make_interval(secs => $3))"
          " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
          " WHERE id = $1 AND state = 'sending'";
      params.Add(error).Add(retry_after_seconds);
    }
    TANDEM_ASSIGN_OR_RETURN(PgResult r, (*lease).Query(sql, params));
    if (r.affected() != 1) {
      return Status::Invalid("outbox message " + std::to_string(id) + " is not being sent");
    }
    return Status::Ok();
  }

  Result<std::vector<std::pair<std::string, std::string>>> OutboxStates(
      NotificationId notification) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r, (*lease).Query("SELECT channel, state FROM outbox"
                                                       " WHERE notification_id = $1 ORDER BY id",
                                                       Params().Add(notification.value)));
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.Text(i, 0), r.Text(i, 1));
    return out;
  }

  // --- Recognition ---

  Result<std::int64_t> GiveKudos(RelationshipId relationship, const std::string& from_id,
                                 const std::string& to_id, const std::string& message) override {
    if (message.empty()) return Status::Invalid("message: must not be empty");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // A relationship's mentee and mentor never change: no lock needed to check the pair.
    TANDEM_ASSIGN_OR_RETURN(const Relationship r, ReadRelationship(db, relationship, ""));
    const bool pair = (from_id == r.mentee_id && to_id == r.mentor_id) ||
                      (from_id == r.mentor_id && to_id == r.mentee_id);
    if (!pair) return Status::Invalid("kudos go from one person of the relationship to the other");
    TANDEM_ASSIGN_OR_RETURN(
        PgResult inserted,
        db.Query("INSERT INTO kudos (relationship_id, from_id, to_id, message)"
                 " VALUES ($1, $2, $3, $4) RETURNING id",
                 Params().Add(relationship.value).Add(from_id).Add(to_id).Add(message)));
    const std::int64_t id = inserted.Int(0, 0);
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Result<std::vector<Kudos>> ListKudosFor(OrganizationId organization,
                                          const std::string& employee_id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("SELECT k.id, k.relationship_id, k.from_id, k.to_id, k.message, k.at"
                       " FROM kudos k JOIN relationships r ON r.id = k.relationship_id"
                       " JOIN programs p ON p.id = r.program_id"
                       " WHERE p.organization_id = $1 AND k.to_id = $2 ORDER BY k.id DESC",
                       Params().Add(organization.value).Add(employee_id)));
    std::vector<Kudos> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back({r.Int(i, 0), RelationshipId{r.Int(i, 1)}, r.Text(i, 2), r.Text(i, 3),
                     r.Text(i, 4), r.Text(i, 5)});
    }
    return out;
  }

  // --- Training ---

  Result<ResourceId> CreateResource(OrganizationId organization,
                                    const NewResource& resource) override {
    if (resource.title.empty()) return Status::Invalid("title: must not be empty");
    if (resource.kind != "article" && resource.kind != "video" && resource.kind != "course" &&
        resource.kind != "checklist") {
      return Status::Invalid("kind: must be article, video, course or checklist");
    }
    if (!resource.url.empty() && resource.url.rfind("https://", 0) != 0 &&
        resource.url.rfind("http://", 0) != 0) {
      return Status::Invalid("url: must start with https:// or http://");
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_RETURN_IF_ERROR(CheckOrganization(db, organization));
    TANDEM_ASSIGN_OR_RETURN(PgResult inserted,
                            db.Query("INSERT INTO resources (organization_id, title, url, kind,"
                                     " description) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                     Params()
                                         .Add(organization.value)
                                         .Add(resource.title)
                                         .Add(resource.url)
                                         .Add(resource.kind)
                                         .Add(resource.description)));
    const ResourceId id{inserted.Int(0, 0)};
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Result<std::vector<Resource>> ListResources(OrganizationId organization) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("SELECT id, title, url, kind, description, created_at FROM resources"
                       " WHERE organization_id = $1 ORDER BY id",
                       Params().Add(organization.value)));
    std::vector<Resource> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back({ResourceId{r.Int(i, 0)}, organization, r.Text(i, 1), r.Text(i, 2),
                     r.Text(i, 3), r.Text(i, 4), r.Text(i, 5)});
    }
    return out;
  }

  Status AssignResource(ResourceId resource, const std::string& employee_id,
                        const std::string& due_date) override {
    if (!due_date.empty() && !IsDate(due_date)) {
      return Status::Invalid("due_date: must be YYYY-MM-DD: '" + due_date + "'");
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            db.Query("SELECT organization_id FROM resources WHERE id = $1",
                                     Params().Add(resource.value)));
    if (r.rows() == 0) return Status::NotFound("resource " + std::to_string(resource.value));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult person,
        db.Query("SELECT 1 FROM people WHERE organization_id = $1 AND employee_id = $2",
                 Params().Add(r.Int(0, 0)).Add(employee_id)));
    if (person.rows() == 0) return Status::NotFound("person " + employee_id);
    // ON CONFLICT: a concurrent assignment of the same pair waits on the key and then updates.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult written,
        db.Query("INSERT INTO assignments (resource_id, employee_id, due_date) VALUES ($1, $2, $3)"
                 " ON CONFLICT (resource_id, employee_id) DO UPDATE SET due_date ="
                 " excluded.due_date",
                 Params().Add(resource.value).Add(employee_id).Add(due_date)));
    return tx.Commit();
  }

  Status CompleteAssignment(ResourceId resource, const std::string& employee_id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    // One statement; a second completion keeps the first time.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query(
            "UPDATE assignments SET completed_at = CASE completed_at WHEN '' THEN " TANDEM_NOW
            " ELSE completed_at END"
            " WHERE resource_id = $1 AND employee_id = $2",
            Params().Add(resource.value).Add(employee_id)));
    if (r.affected() != 1) {
      return Status::NotFound("resource " + std::to_string(resource.value) +
                              " is not assigned to " + employee_id);
    }
    return Status::Ok();
  }

  Result<std::vector<Assignment>> ListAssignments(OrganizationId organization,
                                                  const std::string& employee_id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    // employee_id is COLLATE "C": byte-wise order, as in SQLite.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, (*lease).Query("SELECT a.resource_id, a.employee_id, a.due_date, a.assigned_at,"
                                   " a.completed_at FROM assignments a JOIN resources r ON r.id ="
                                   " a.resource_id WHERE r.organization_id = $1"
                                   " AND ($2::text = '' OR a.employee_id = $2::text)"
                                   " ORDER BY a.employee_id, a.resource_id",
                                   Params().Add(organization.value).Add(employee_id)));
    std::vector<Assignment> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back(
          {ResourceId{r.Int(i, 0)}, r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4)});
    }
    return out;
  }

  // --- Surveys ---

  Result<SurveyId> CreateSurvey(ProgramId program, const NewSurvey& survey) override {
    if (survey.kind != "pulse" && survey.kind != "closing") {
      return Status::Invalid("kind: must be pulse or closing");
    }
    if (survey.title.empty()) return Status::Invalid("title: must not be empty");
    if (survey.questions.empty() || survey.questions.size() > 20) {
      return Status::Invalid("questions: 1 to 20");
    }
    for (size_t i = 0; i < survey.questions.size(); ++i) {
      if (survey.questions[i].empty()) {
        return Status::Invalid("questions[" + std::to_string(i) + "]: must not be empty");
      }
    }
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    TANDEM_ASSIGN_OR_RETURN(PgResult found, db.Query("SELECT 1 FROM programs WHERE id = $1",
                                                     Params().Add(program.value)));
    if (found.rows() == 0) return Status::NotFound("program " + std::to_string(program.value));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult inserted,
        db.Query("INSERT INTO surveys (program_id, kind, title) VALUES ($1, $2, $3) RETURNING id",
                 Params().Add(program.value).Add(survey.kind).Add(survey.title)));
    const SurveyId id{inserted.Int(0, 0)};
    BatchInsert rows(db, "INSERT INTO survey_questions (survey_id, position, text)", 3);
    for (size_t i = 0; i < survey.questions.size(); ++i) {
      TANDEM_RETURN_IF_ERROR(rows.Row(id.value, static_cast<std::int64_t>(i), survey.questions[i]));
    }
    TANDEM_RETURN_IF_ERROR(rows.Flush());
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return id;
  }

  Result<Survey> GetSurvey(SurveyId id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(std::vector<Survey> out,
                            ReadSurveys(*lease,
                                        "SELECT id, program_id, kind, title, created_at FROM"
                                        " surveys WHERE id = $1",
                                        id.value));
    if (out.empty()) return Status::NotFound("survey " + std::to_string(id.value));
    return std::move(out.front());
  }

  Result<std::vector<Survey>> ListSurveys(ProgramId program) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    return ReadSurveys(*lease,
                       "SELECT id, program_id, kind, title, created_at FROM"
                       " surveys WHERE program_id = $1 ORDER BY id",
                       program.value);
  }

  Status SubmitSurvey(SurveyId survey, const std::string& respondent_id,
                      const std::vector<int>& ratings, const std::string& comment) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // A survey's questions never change after CreateSurvey: no lock needed to count them.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        db.Query("SELECT (SELECT count(*) FROM survey_questions q WHERE q.survey_id = s.id)"
                 " FROM surveys s WHERE s.id = $1",
                 Params().Add(survey.value)));
    if (r.rows() == 0) return Status::NotFound("survey " + std::to_string(survey.value));
    const std::int64_t questions = r.Int(0, 0);
    if (static_cast<std::int64_t>(ratings.size()) != questions) {
      return Status::Invalid("ratings: one per question (" + std::to_string(questions) + ")");
    }
    for (size_t i = 0; i < ratings.size(); ++i) {
      if (ratings[i] < 1 || ratings[i] > 5) {
        return Status::Invalid("ratings[" + std::to_string(i) + "]: must be 1..5");
      }
    }
    // The primary key (survey_id, respondent_id): one response per person. A concurrent second
    // response of the person waits on the key and fails here once the first commits.
    Result<PgResult> inserted = db.Query(
        "INSERT INTO survey_responses (survey_id, respondent_id, comment)"
        " VALUES ($1, $2, $3)",
        Params().Add(survey.value).Add(respondent_id).Add(comment));
    if (!inserted.ok()) {
      if (db.last_sqlstate() == kUniqueViolation) {
        return Status::Invalid("survey " + std::to_string(survey.value) + " already answered");
      }
      return inserted.status();
    }
    BatchInsert rows(db, "INSERT INTO survey_answers (survey_id, respondent_id, question, rating)",
                     4);
    for (size_t i = 0; i < ratings.size(); ++i) {
      TANDEM_RETURN_IF_ERROR(
          rows.Row(survey.value, respondent_id, static_cast<std::int64_t>(i), ratings[i]));
    }
    TANDEM_RETURN_IF_ERROR(rows.Flush());
    return tx.Commit();
  }

  Result<bool> HasAnswered(SurveyId survey, const std::string& respondent_id) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            (*lease).Query("SELECT 1 FROM survey_responses"
                                           " WHERE survey_id = $1 AND respondent_id = $2",
                                           Params().Add(survey.value).Add(respondent_id)));
    return r.rows() > 0;
  }

  Result<SurveyResults> GetSurveyResults(SurveyId survey) override {
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& db = *lease;
    // One snapshot: the response count and the answers agree.
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, postgres::TxMode::kSnapshot));
    TANDEM_ASSIGN_OR_RETURN(
        PgResult head,
        db.Query("SELECT (SELECT count(*) FROM survey_questions q WHERE q.survey_id = s.id),"
                 " (SELECT count(*) FROM survey_responses x WHERE x.survey_id = s.id)"
                 " FROM surveys s WHERE s.id = $1",
                 Params().Add(survey.value)));
    if (head.rows() == 0) return Status::NotFound("survey " + std::to_string(survey.value));
    const std::int64_t questions = head.Int(0, 0);
    SurveyResults results;
    results.responses = head.Int(0, 1);
    results.by_rating.assign(static_cast<size_t>(questions), {});
    results.mean.assign(static_cast<size_t>(questions), 0.0);
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            db.Query("SELECT question, rating, count(*) FROM survey_answers"
                                     " WHERE survey_id = $1 GROUP BY question, rating",
                                     Params().Add(survey.value)));
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    for (int i = 0; i < r.rows(); ++i) {
      const std::int64_t q = r.Int(i, 0);
      const std::int64_t rating = r.Int(i, 1);
      if (q >= 0 && q < questions && rating >= 1 && rating <= 5) {
        results.by_rating[static_cast<size_t>(q)][static_cast<size_t>(rating - 1)] = r.Int(i, 2);
      }
    }
    for (size_t q = 0; q < results.by_rating.size(); ++q) {
      std::int64_t n = 0;
      std::int64_t sum = 0;
      for (int k = 0; k < 5; ++k) {
        n += results.by_rating[q][static_cast<size_t>(k)];
        sum += results.by_rating[q][static_cast<size_t>(k)] * (k + 1);
      }
      results.mean[q] = n > 0 ? static_cast<double>(sum) / static_cast<double>(n) : 0.0;
    }
    return results;
  }

  // --- Audit log ---

  Status AppendAudit(const NewAuditEntry& entry) override {
    if (entry.action.empty()) return Status::Invalid("audit action: must not be empty");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("INSERT INTO audit_log (organization_id, actor, action, target, detail_json)"
                       " VALUES ($1, $2, $3, $4, $5)",
                       Params()
                           .Add(entry.organization.value)
                           .Add(entry.actor.value)
                           .Add(entry.action)
                           .Add(entry.target)
                           .Add(entry.detail_json.empty() ? "{}" : entry.detail_json)));
    return Status::Ok();
  }

  Result<AuditPage> ListAudit(OrganizationId organization, std::int64_t before,
                              int limit) override {
    if (limit < 1 || limit > kMaxPageSize) return Status::Invalid("limit: must be 1..1000");
    TANDEM_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    // One row more than asked tells whether another page follows.
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        (*lease).Query("SELECT id, actor, action, target, detail_json, at FROM audit_log"
                       " WHERE organization_id = $1 AND ($2::bigint = 0 OR id < $2::bigint)"
                       " ORDER BY id DESC LIMIT $3",
                       Params().Add(organization.value).Add(before).Add(limit + 1)));
    AuditPage page;
    const int rows = std::min(r.rows(), limit);
    page.entries.resize(static_cast<size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      AuditEntry& e = page.entries[static_cast<size_t>(i)];
      e.id = r.Int(i, 0);
      e.organization = organization;
      e.actor = AccountId{r.Int(i, 1)};
      e.action = r.Text(i, 2);
      e.target = r.Text(i, 3);
      e.detail_json = r.Text(i, 4);
      e.at = r.Text(i, 5);
    }
    if (r.rows() > limit) page.next_cursor = page.entries.back().id;
    return page;
  }

 private:
  static Status LockMigrations(Connection& db) {
    Result<PgResult> r = db.Query("SELECT pg_advisory_xact_lock($1)", Params().Add(kMigrationLock));
    return r.ok() ? Status::Ok() : r.status();
  }

  static Status CheckOrganization(Connection& db, OrganizationId organization) {
    TANDEM_ASSIGN_OR_RETURN(PgResult r, db.Query("SELECT 1 FROM organizations WHERE id = $1",
                                                 Params().Add(organization.value)));
    if (r.rows() == 0)
      return Status::NotFound("organization " + std::to_string(organization.value));
    return Status::Ok();
  }

  static Status CheckAccount(Connection& db, AccountId account) {
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, db.Query("SELECT 1 FROM accounts WHERE id = $1", Params().Add(account.value)));
    if (r.rows() == 0) return Status::NotFound("account " + std::to_string(account.value));
    return Status::Ok();
  }

  // REQUIRES: inside a transaction.
  static Status WritePerson(Connection& db, OrganizationId organization, const Person& p) {
    Params params;
    params.Add(organization.value)
        .Add(p.id)
        .Add(p.name)
        .Add(p.email)
        .Add(p.title)
        .Add(p.department)
        .Add(p.site)
        .Add(p.time_zone)
        .Add(p.utc_offset_minutes)
        .Add(p.seniority)
        .Add(p.manager_id)
        .Add(p.communication_style)
        .Add(MeetingPreferenceName(p.meeting_preference))
        .Add(EncodeAvailability(p.availability))
        .Add(PersonRoleName(p.role))
        .Add(p.mentor_capacity)
        .Add(p.prefer_shared_background);
    if (p.personality) {
      const BigFive& b = *p.personality;
      params.Add(b.openness)
          .Add(b.conscientiousness)
          .Add(b.extraversion)
          .Add(b.agreeableness)
          .Add(b.neuroticism);
    } else {
      for (int i = 0; i < 5; ++i) params.AddNull();
    }
    TANDEM_ASSIGN_OR_RETURN(PgResult r, db.Query(kUpsertPerson, params));
    if (r.rows() != 1) return Status::Internal("upsert returned no id");
    const std::int64_t row_id = r.Int(0, 0);

    // Every list of the person in one statement: a data-modifying CTE per non-empty list.
    std::vector<std::string> inserts;
    Params lists;
    lists.Add(row_id);  // $1
    int n = 1;
    auto next = [&n] { return "$" + std::to_string(++n); };
    auto values = [&](const char* head, std::vector<std::string> rows) {
      if (rows.empty()) return;
      std::string sql = head;
      sql += " VALUES ";
      for (size_t i = 0; i < rows.size(); ++i) sql += (i > 0 ? ", " : "") + rows[i];
      inserts.push_back(std::move(sql));
    };
    {
      std::vector<std::string> rows;
      for (const ValueList& list : kValueLists) {
        const std::vector<std::string>& items = p.*list.member;
        for (size_t i = 0; i < items.size(); ++i) {
          lists.Add(list.field).Add(static_cast<std::int64_t>(i)).Add(items[i]);
          const std::string a = next(), b = next(), c = next();
          rows.push_back("($1, " + a + ", " + b + ", " + c + ")");
        }
      }
      values("INSERT INTO person_values (person_id, field, position, value)", std::move(rows));
    }
    {
      std::vector<std::string> rows;
      for (size_t i = 0; i < p.skills_held.size(); ++i) {
        lists.Add(static_cast<std::int64_t>(i))
            .Add(p.skills_held[i].skill)
            .Add(p.skills_held[i].proficiency);
        const std::string a = next(), b = next(), c = next();
        rows.push_back("($1, " + a + ", " + b + ", " + c + ")");
      }
      values("INSERT INTO person_skills_held (person_id, position, skill, proficiency)",
             std::move(rows));
    }
    {
      std::vector<std::string> rows;
      for (size_t i = 0; i < p.skills_wanted.size(); ++i) {
        lists.Add(static_cast<std::int64_t>(i))
            .Add(p.skills_wanted[i].skill)
            .Add(p.skills_wanted[i].priority);
        const std::string a = next(), b = next(), c = next();
        rows.push_back("($1, " + a + ", " + b + ", " + c + ")");
      }
      values("INSERT INTO person_skills_wanted (person_id, position, skill, priority)",
             std::move(rows));
    }
    {
      std::vector<std::string> rows;
      for (size_t i = 0; i < p.self_described.size(); ++i) {
        lists.Add(static_cast<std::int64_t>(i))
            .Add(p.self_described[i].first)
            .Add(p.self_described[i].second);
        const std::string a = next(), b = next(), c = next();
        rows.push_back("($1, " + a + ", " + b + ", " + c + ")");
      }
      values("INSERT INTO person_self_described (person_id, position, key, value)",
             std::move(rows));
    }
    if (inserts.empty()) return Status::Ok();
    // "WITH l0 AS (INSERT ...), l1 AS (INSERT ...) INSERT ...": the last one is the main query.
    std::string sql;
    for (size_t i = 0; i + 1 < inserts.size(); ++i) {
      sql += (i == 0 ? "WITH l" : ", l") + std::to_string(i) + " AS (" + inserts[i] + ")";
    }
    sql += (sql.empty() ? "" : " ") + inserts.back();
    TANDEM_ASSIGN_OR_RETURN(PgResult done, db.Query(sql, lists));
    return Status::Ok();
  }

  // Reads the scalar fields of row `i` selected with kSelectPerson's columns.
  static Status ReadPersonRow(const PgResult& r, int i, std::int64_t* row_id, Person* p) {
    *row_id = r.Int(i, 0);
    p->id = r.Text(i, 1);
    p->name = r.Text(i, 2);
    p->email = r.Text(i, 3);
    p->title = r.Text(i, 4);
    p->department = r.Text(i, 5);
    p->site = r.Text(i, 6);
    p->time_zone = r.Text(i, 7);
    p->utc_offset_minutes = static_cast<int>(r.Int(i, 8));
    p->seniority = static_cast<int>(r.Int(i, 9));
    p->manager_id = r.Text(i, 10);
    p->communication_style = r.Text(i, 11);
    const std::optional<MeetingPreference> meeting = ParseMeetingPreference(r.Text(i, 12));
    const std::optional<ProgramRole> role = ParsePersonRole(r.Text(i, 14));
    if (!meeting || !role) return Status::Internal("person " + p->id + ": bad enum in database");
    p->meeting_preference = *meeting;
    p->availability = DecodeAvailability(r.Text(i, 13));
    p->role = *role;
    p->mentor_capacity = static_cast<int>(r.Int(i, 15));
    p->prefer_shared_background = r.Bool(i, 16);
    if (r.IsNull(i, 17)) {
      p->personality.reset();
    } else {
      p->personality = BigFive{r.Double(i, 17), r.Double(i, 18), r.Double(i, 19), r.Double(i, 20),
                               r.Double(i, 21)};
    }
    return Status::Ok();
  }

  // Fills the lists of `people` (whose row ids are `row_ids`, same order): one query per list
  // table for the whole page.
  static Status ReadPersonLists(Connection& db, const std::vector<std::int64_t>& row_ids,
                                std::vector<Person>* people) {
    if (row_ids.empty()) return Status::Ok();
    std::unordered_map<std::int64_t, Person*> by_row;
    for (size_t i = 0; i < row_ids.size(); ++i) by_row[row_ids[i]] = &(*people)[i];
    const Params ids = Params().Add(BigintArray(row_ids));
    auto person = [&](const PgResult& r, int i) -> Person* {
      auto it = by_row.find(r.Int(i, 0));
      return it == by_row.end() ? nullptr : it->second;
    };
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("SELECT person_id, field, value FROM person_values"
                                       " WHERE person_id = ANY($1::bigint[])"
                                       " ORDER BY person_id, field, position",
                                       ids));
      for (int i = 0; i < r.rows(); ++i) {
        Person* p = person(r, i);
        if (p == nullptr) return Status::Internal("person list of no person");
        const std::string field = r.Text(i, 1);
        bool known = false;
        for (const ValueList& list : kValueLists) {
          if (field == list.field) {
            (p->*list.member).push_back(r.Text(i, 2));
            known = true;
            break;
          }
        }
        if (!known) return Status::Internal("person " + p->id + ": unknown list " + field);
      }
    }
    {
      TANDEM_ASSIGN_OR_RETURN(
          PgResult r, db.Query("SELECT person_id, skill, proficiency FROM person_skills_held"
                               " WHERE person_id = ANY($1::bigint[])"
                               " ORDER BY person_id, position",
                               ids));
      for (int i = 0; i < r.rows(); ++i) {
        Person* p = person(r, i);
        if (p == nullptr) return Status::Internal("person list of no person");
        p->skills_held.push_back({r.Text(i, 1), static_cast<int>(r.Int(i, 2))});
      }
    }
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("SELECT person_id, skill, priority FROM person_skills_wanted"
                                       " WHERE person_id = ANY($1::bigint[])"
                                       " ORDER BY person_id, position",
                                       ids));
      for (int i = 0; i < r.rows(); ++i) {
        Person* p = person(r, i);
        if (p == nullptr) return Status::Internal("person list of no person");
        p->skills_wanted.push_back({r.Text(i, 1), static_cast<int>(r.Int(i, 2))});
      }
    }
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("SELECT person_id, key, value FROM person_self_described"
                                       " WHERE person_id = ANY($1::bigint[])"
                                       " ORDER BY person_id, position",
                                       ids));
      for (int i = 0; i < r.rows(); ++i) {
        Person* p = person(r, i);
        if (p == nullptr) return Status::Internal("person list of no person");
        p->self_described.emplace_back(r.Text(i, 1), r.Text(i, 2));
      }
    }
    return Status::Ok();
  }

  static Result<Program> ReadProgramRow(const PgResult& r, int i) {
    Program p;
    p.id = ProgramId{r.Int(i, 0)};
    p.organization = OrganizationId{r.Int(i, 1)};
    p.name = r.Text(i, 2);
    p.model = r.Text(i, 3);
    const std::optional<ProgramStatus> status = ParseProgramStatus(r.Text(i, 4));
    if (!status) return Status::Internal("program " + std::to_string(p.id.value) + ": bad status");
    p.status = *status;
    p.config_json = r.Text(i, 5);
    p.created_at = r.Text(i, 6);
    p.updated_at = r.Text(i, 7);
    return p;
  }

  static Account AccountRow(const PgResult& r, int i) {
    Account a;
    a.id = AccountId{r.Int(i, 0)};
    a.organization = OrganizationId{r.Int(i, 1)};
    a.email = r.Text(i, 2);
    a.display_name = r.Text(i, 3);
    a.password_hash = r.Text(i, 4);
    a.employee_id = r.Text(i, 5);
    a.created_at = r.Text(i, 6);
    return a;
  }

  // One account selected by `sql` (TANDEM_ACCOUNT_COLUMNS), with its grants, in one snapshot.
  static Result<Account> ReadOneAccount(Connection& db, const char* sql, const Params& params,
                                        const std::string& what) {
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, postgres::TxMode::kSnapshot));
    TANDEM_ASSIGN_OR_RETURN(PgResult r, db.Query(sql, params));
    if (r.rows() == 0) return Status::NotFound(what);
    std::vector<Account> one = {AccountRow(r, 0)};
    TANDEM_RETURN_IF_ERROR(ReadGrants(db, &one));
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return std::move(one[0]);
  }

  // Grants by role name (byte-wise, as SQLite), then program.
  static Status ReadGrants(Connection& db, std::vector<Account>* accounts) {
    if (accounts->empty()) return Status::Ok();
    std::unordered_map<std::int64_t, Account*> by_id;
    std::vector<std::int64_t> ids;
    for (Account& a : *accounts) {
      by_id[a.id.value] = &a;
      ids.push_back(a.id.value);
      a.roles.clear();
    }
    TANDEM_ASSIGN_OR_RETURN(PgResult r,
                            db.Query("SELECT account_id, role, program_id FROM account_roles"
                                     " WHERE account_id = ANY($1::bigint[])"
                                     " ORDER BY account_id, role, program_id",
                                     Params().Add(BigintArray(ids))));
    for (int i = 0; i < r.rows(); ++i) {
      auto it = by_id.find(r.Int(i, 0));
      const std::optional<Role> role = ParseRole(r.Text(i, 1));
      if (it == by_id.end() || !role) return Status::Internal("account_roles: bad row");
      it->second->roles.push_back({*role, ProgramId{r.Int(i, 2)}});
    }
    return Status::Ok();
  }

  // REQUIRES: inside a transaction; the account exists.
  static Status InsertGrant(Connection& db, AccountId account, const RoleGrant& grant) {
    if (grant.program.value != 0) {
      TANDEM_ASSIGN_OR_RETURN(
          PgResult r, db.Query("SELECT 1 FROM programs p JOIN accounts a ON a.organization_id ="
                               " p.organization_id WHERE p.id = $1 AND a.id = $2",
                               Params().Add(grant.program.value).Add(account.value)));
      if (r.rows() == 0) {
        return Status::NotFound("program " + std::to_string(grant.program.value) +
                                " in the account's organization");
      }
    }
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        db.Query("INSERT INTO account_roles (account_id, role, program_id) VALUES ($1, $2, $3)"
                 " ON CONFLICT DO NOTHING",
                 Params().Add(account.value).Add(RoleName(grant.role)).Add(grant.program.value)));
    return Status::Ok();
  }

  enum class RunLock { kShare, kUpdate };

  // Locks the run's row and checks it is not published; returns its program. kNotFound for an
  // unknown run, kInvalidArgument "run <id> is published". REQUIRES: inside a transaction.
  static Result<std::int64_t> LockUnpublishedRun(Connection& db, MatchRunId run, RunLock lock) {
    const Params key = Params().Add(run.value);
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, db.Query(lock == RunLock::kUpdate
                                 ? "SELECT program_id FROM match_runs WHERE id = $1 FOR UPDATE"
                                 : "SELECT program_id FROM match_runs WHERE id = $1 FOR SHARE",
                             key));
    if (r.rows() == 0) return Status::NotFound("run " + std::to_string(run.value));
    // A statement of its own, after the lock: it sees a publication committed meanwhile.
    TANDEM_ASSIGN_OR_RETURN(PgResult published,
                            db.Query("SELECT 1 FROM run_publications WHERE run_id = $1", key));
    if (published.rows() > 0) {
      return Status::Invalid("run " + std::to_string(run.value) + " is published");
    }
    return r.Int(0, 0);
  }

  // kNotFound "run <id> has no pair of mentee <m>".
  static Status CheckPair(Connection& db, MatchRunId run, const std::string& mentee_id) {
    TANDEM_ASSIGN_OR_RETURN(PgResult r, db.Query("SELECT 1 FROM match_run_pairs WHERE run_id = $1"
                                                 " AND mentee_id = $2 LIMIT 1",
                                                 Params().Add(run.value).Add(mentee_id)));
    if (r.rows() == 0) {
      return Status::NotFound("run " + std::to_string(run.value) + " has no pair of mentee " +
                              mentee_id);
    }
    return Status::Ok();
  }

  static Status OpenRelationshipExists(const std::string& mentee, std::int64_t program) {
    return Status::Invalid((mentee.empty() ? std::string("a mentee") : "mentee " + mentee) +
                           " already has an open relationship in program " +
                           std::to_string(program));
  }

  static Relationship RelationshipRow(const PgResult& r, int i) {
    Relationship x;
    x.id = RelationshipId{r.Int(i, 0)};
    x.program = ProgramId{r.Int(i, 1)};
    x.run = MatchRunId{r.Int(i, 2)};
    x.mentee_id = r.Text(i, 3);
    x.mentor_id = r.Text(i, 4);
    x.status = ParseRelationshipStatus(r.Text(i, 5)).value_or(RelationshipStatus::kEnded);
    x.started_at = r.Text(i, 6);
    x.ended_at = r.Text(i, 7);
    x.end_reason = r.Text(i, 8);
    x.ended_by = AccountId{r.Int(i, 9)};
    return x;
  }

  // `lock`: "" or a locking clause such as " FOR UPDATE".
  static Result<Relationship> ReadRelationship(Connection& db, RelationshipId id,
                                               const std::string& lock) {
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        db.Query("SELECT " TANDEM_RELATIONSHIP_COLUMNS " FROM relationships WHERE id = $1" + lock,
                 Params().Add(id.value)));
    if (r.rows() == 0) return Status::NotFound("relationship " + std::to_string(id.value));
    return RelationshipRow(r, 0);
  }

  // REQUIRES: inside a transaction; the goal has no milestones.
  static Status WriteMilestones(Connection& db, GoalId goal,
                                const std::vector<Milestone>& milestones) {
    BatchInsert rows(db, "INSERT INTO goal_milestones (goal_id, position, title, done)", 4);
    for (size_t i = 0; i < milestones.size(); ++i) {
      if (milestones[i].title.empty()) {
        return Status::Invalid("milestones[" + std::to_string(i) + "].title: must not be empty");
      }
      TANDEM_RETURN_IF_ERROR(rows.Row(goal.value, static_cast<std::int64_t>(i), milestones[i].title,
                                      milestones[i].done));
    }
    return rows.Flush();
  }

  // The goals selected by `sql` (TANDEM_GOAL_COLUMNS, one parameter), with their milestones, in
  // one snapshot.
  static Result<std::vector<Goal>> ReadGoals(Connection& db, const char* sql, std::int64_t key) {
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, postgres::TxMode::kSnapshot));
    TANDEM_ASSIGN_OR_RETURN(PgResult r, db.Query(sql, Params().Add(key)));
    std::vector<Goal> goals(static_cast<size_t>(r.rows()));
    std::unordered_map<std::int64_t, Goal*> by_id;
    std::vector<std::int64_t> ids;
    for (int i = 0; i < r.rows(); ++i) {
      Goal& g = goals[static_cast<size_t>(i)];
      g.id = GoalId{r.Int(i, 0)};
      g.relationship = RelationshipId{r.Int(i, 1)};
      g.title = r.Text(i, 2);
      g.owner_id = r.Text(i, 3);
      g.due_date = r.Text(i, 4);
      g.progress = static_cast<int>(r.Int(i, 5));
      g.created_at = r.Text(i, 6);
      g.updated_at = r.Text(i, 7);
      by_id[g.id.value] = &g;
      ids.push_back(g.id.value);
    }
    if (!ids.empty()) {
      TANDEM_ASSIGN_OR_RETURN(PgResult m,
                              db.Query("SELECT goal_id, title, done FROM goal_milestones"
                                       " WHERE goal_id = ANY($1::bigint[])"
                                       " ORDER BY goal_id, position",
                                       Params().Add(BigintArray(ids))));
      for (int i = 0; i < m.rows(); ++i) {
        auto it = by_id.find(m.Int(i, 0));
        if (it == by_id.end()) return Status::Internal("milestone of no goal");
        it->second->milestones.push_back({m.Text(i, 1), m.Bool(i, 2)});
      }
    }
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return goals;
  }

  // The surveys selected by `sql` (id, program_id, kind, title, created_at; one parameter), with
  // their questions, in one snapshot.
  static Result<std::vector<Survey>> ReadSurveys(Connection& db, const char* sql,
                                                 std::int64_t key) {
    TANDEM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db, postgres::TxMode::kSnapshot));
    TANDEM_ASSIGN_OR_RETURN(PgResult r, db.Query(sql, Params().Add(key)));
    std::vector<Survey> surveys(static_cast<size_t>(r.rows()));
    std::unordered_map<std::int64_t, Survey*> by_id;
    std::vector<std::int64_t> ids;
    for (int i = 0; i < r.rows(); ++i) {
      Survey& s = surveys[static_cast<size_t>(i)];
      s.id = SurveyId{r.Int(i, 0)};
      s.program = ProgramId{r.Int(i, 1)};
      s.kind = r.Text(i, 2);
      s.title = r.Text(i, 3);
      s.created_at = r.Text(i, 4);
      by_id[s.id.value] = &s;
      ids.push_back(s.id.value);
    }
    if (!ids.empty()) {
      TANDEM_ASSIGN_OR_RETURN(PgResult q, db.Query("SELECT survey_id, text FROM survey_questions"
                                                   " WHERE survey_id = ANY($1::bigint[])"
                                                   " ORDER BY survey_id, position",
                                                   Params().Add(BigintArray(ids))));
      for (int i = 0; i < q.rows(); ++i) {
        auto it = by_id.find(q.Int(i, 0));
        if (it == by_id.end()) return Status::Internal("survey question of no survey");
        it->second->questions.push_back(q.Text(i, 1));
      }
    }
    TANDEM_RETURN_IF_ERROR(tx.Commit());
    return surveys;
  }

  static Meeting MeetingRow(const PgResult& r, int i) {
    Meeting m;
    m.id = MeetingId{r.Int(i, 0)};
    m.relationship = RelationshipId{r.Int(i, 1)};
    m.starts_at = r.Text(i, 2);
    m.duration_minutes = static_cast<int>(r.Int(i, 3));
    m.location = r.Text(i, 4);
    m.agenda = r.Text(i, 5);
    m.status = ParseMeetingStatus(r.Text(i, 6)).value_or(MeetingStatus::kCancelled);
    m.notes = r.Text(i, 7);
    m.sequence = static_cast<int>(r.Int(i, 8));
    m.created_at = r.Text(i, 9);
    m.updated_at = r.Text(i, 10);
    return m;
  }

  // `lock`: "" or a locking clause such as " FOR UPDATE".
  static Result<Meeting> ReadMeeting(Connection& db, MeetingId id, const std::string& lock) {
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, db.Query("SELECT " TANDEM_MEETING_COLUMNS " FROM meetings WHERE id = $1" + lock,
                             Params().Add(id.value)));
    if (r.rows() == 0) return Status::NotFound("meeting " + std::to_string(id.value));
    return MeetingRow(r, 0);
  }

  // Takes the transaction-level advisory lock of `employee_id` in `program` in `space`
  // (kMenteeLockSpace or kMentorLockSpace). REQUIRES: inside a transaction.
  static Status LockPerson(Connection& db, int space, ProgramId program,
                           const std::string& employee_id) {
    Result<PgResult> r =
        db.Query("SELECT pg_advisory_xact_lock($1, hashtext($2::bigint::text || ' ' || $3))",
                 Params().Add(space).Add(program.value).Add(employee_id));
    return r.ok() ? Status::Ok() : r.status();
  }

  // Marks open and info-requested requests past their expiry as expired: one statement, its own
  // transaction, committed before the caller's. FOR UPDATE SKIP LOCKED: a row another call holds
  // is left to it (it reads the request as expired anyway), so this statement never waits and
  // holds no lock while the caller's transaction waits for others.
  static Status ExpireRequests(Connection& db) {
    Result<PgResult> r = db.Query(
        "UPDATE mentor_requests SET status = 'expired' WHERE id IN (SELECT r.id"
        " FROM mentor_requests r WHERE " TANDEM_REQUEST_UNANSWERED
        " AND r.expires_at <= " TANDEM_NOW " FOR UPDATE SKIP LOCKED)");
    return r.ok() ? Status::Ok() : r.status();
  }

  static MentorRequest RequestRow(const PgResult& r, int i) {
    MentorRequest x;
    x.id = RequestId{r.Int(i, 0)};
    x.program = ProgramId{r.Int(i, 1)};
    x.mentee_id = r.Text(i, 2);
    x.mentor_id = r.Text(i, 3);
    x.message = r.Text(i, 4);
    x.status = ParseRequestStatus(r.Text(i, 5)).value_or(RequestStatus::kExpired);
    x.response = r.Text(i, 6);
    x.created_at = r.Text(i, 7);
    x.expires_at = r.Text(i, 8);
    x.responded_at = r.Text(i, 9);
    x.relationship = RelationshipId{r.Int(i, 10)};
    return x;
  }

  // `lock`: "" or a locking clause such as " FOR UPDATE".
  static Result<MentorRequest> ReadRequest(Connection& db, RequestId id, const std::string& lock) {
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r,
        db.Query("SELECT " TANDEM_REQUEST_COLUMNS " FROM mentor_requests r WHERE r.id = $1" + lock,
                 Params().Add(id.value)));
    if (r.rows() == 0) return Status::NotFound("request " + std::to_string(id.value));
    return RequestRow(r, 0);
  }

  static Status MenteeHasAMentor(const std::string& mentee, ProgramId program) {
    return Status::Invalid(mentee + " already has a mentor in program " +
                           std::to_string(program.value));
  }

  // The mentor has a free place in the program (capacity minus open relationships) and the
  // mentee no open relationship in it. REQUIRES: inside a transaction.
  static Status CheckFreePlace(Connection& db, ProgramId program, const std::string& mentee,
                               const std::string& mentor, int capacity) {
    TANDEM_ASSIGN_OR_RETURN(
        PgResult r, db.Query("SELECT mentee_id, mentor_id FROM relationships WHERE program_id = $1"
                             " AND status <> 'ended' AND (mentor_id = $2 OR mentee_id = $3)",
                             Params().Add(program.value).Add(mentor).Add(mentee)));
    std::int64_t taken = 0;
    bool mentee_taken = false;
    for (int i = 0; i < r.rows(); ++i) {
      if (r.Text(i, 1) == mentor) ++taken;
      if (r.Text(i, 0) == mentee) mentee_taken = true;
    }
    if (mentee_taken) return MenteeHasAMentor(mentee, program);
    if (taken >= capacity) {
      return Status::Invalid(mentor + " has no free place (" + std::to_string(taken) + " of " +
                             std::to_string(capacity) + " taken)");
    }
    return Status::Ok();
  }

  static Application ApplicationRow(const PgResult& r, int i) {
    Application a;
    a.id = ApplicationId{r.Int(i, 0)};
    a.program = ProgramId{r.Int(i, 1)};
    a.employee_id = r.Text(i, 2);
    a.role = r.Text(i, 3);
    a.answers_json = r.Text(i, 4);
    a.status = ParseApplicationStatus(r.Text(i, 5)).value_or(ApplicationStatus::kWithdrawn);
    a.decision_note = r.Text(i, 6);
    a.decided_by = AccountId{r.Int(i, 7)};
    a.created_at = r.Text(i, 8);
    a.decided_at = r.Text(i, 9);
    return a;
  }

  static Session SessionRow(const PgResult& r, int i) {
    return Session{r.Text(i, 0), AccountId{r.Int(i, 1)}, r.Text(i, 2), r.Text(i, 3), r.Text(i, 4)};
  }

  static Job JobRow(const PgResult& r, int i) {
    Job j;
    j.id = JobId{r.Int(i, 0)};
    j.organization = OrganizationId{r.Int(i, 1)};
    j.program = ProgramId{r.Int(i, 2)};
    j.kind = r.Text(i, 3);
    j.state = ParseJobState(r.Text(i, 4)).value_or(JobState::kFailed);
    j.payload_json = r.Text(i, 5);
    j.created_by = AccountId{r.Int(i, 6)};
    j.claimed_by = r.Text(i, 7);
    j.progress = r.Double(i, 8);
    j.progress_message = r.Text(i, 9);
    j.cancel_requested = r.Bool(i, 10);
    j.result_json = r.Text(i, 11);
    j.error = r.Text(i, 12);
    j.created_at = r.Text(i, 13);
    j.started_at = r.Text(i, 14);
    j.finished_at = r.Text(i, 15);
    return j;
  }

  Pool pool_;
};

bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgres(const std::string& conninfo,
                                            const PostgresOptions& options) {
  if (options.pool_size < 1) return Status::Invalid("postgres pool size: must be at least 1");
  if (options.lock_timeout_ms < 0) return Status::Invalid("postgres lock timeout: must be >= 0");
  std::string startup = "-c lock_timeout=" + std::to_string(options.lock_timeout_ms);
  if (!options.schema.empty()) {
    if (!IsIdentifier(options.schema)) {
      return Status::Invalid("postgres schema: letters, digits and '_' only: " + options.schema);
    }
    // Unquoted, so folded to lower case as in SQL.
    startup += " -c search_path=" + options.schema;
  }
  auto store = std::make_unique<PostgresStore>(conninfo, startup, options.pool_size);
  if (Status s = store->Migrate(); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tandem::store
