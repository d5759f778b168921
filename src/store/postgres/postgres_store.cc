#include "store/postgres/postgres_store.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/migrations/postgres_migrations.h"
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

// Rows per multi-row INSERT: keeps a statement's parameters far below libpq's 65535.
constexpr int kRowsPerInsert = 1000;

constexpr const char* kUniqueViolation = "23505";
constexpr const char* kForeignKeyViolation = "23503";

const char* MeetingPreferenceName(MeetingPreference p) {
  switch (p) {
    case MeetingPreference::kEither:
      return "either";
    case MeetingPreference::kInPerson:
      return "in_person";
    case MeetingPreference::kVirtual:
      return "virtual";
  }
  return "either";
}

std::optional<MeetingPreference> ParseMeetingPreference(const std::string& s) {
  if (s == "either") return MeetingPreference::kEither;
  if (s == "in_person") return MeetingPreference::kInPerson;
  if (s == "virtual") return MeetingPreference::kVirtual;
  return std::nullopt;
}

const char* PersonRoleName(ProgramRole r) {
  switch (r) {
    case ProgramRole::kMentee:
      return "mentee";
    case ProgramRole::kMentor:
      return "mentor";
    case ProgramRole::kEither:
      return "either";
  }
  return "mentee";
}

std::optional<ProgramRole> ParsePersonRole(const std::string& s) {
  if (s == "mentee") return ProgramRole::kMentee;
  if (s == "mentor") return ProgramRole::kMentor;
  if (s == "either") return ProgramRole::kEither;
  return std::nullopt;
}

// Character h is '1' when hour h of the week is available (the same text as in SQLite).
std::string EncodeAvailability(const WeeklyAvailability& a) {
  std::string s(kHoursPerWeek, '0');
  for (int h = 0; h < kHoursPerWeek; ++h) {
    if (a.test(static_cast<size_t>(h))) s[static_cast<size_t>(h)] = '1';
  }
  return s;
}

WeeklyAvailability DecodeAvailability(const std::string& s) {
  WeeklyAvailability a;
  for (size_t h = 0; h < s.size() && h < a.size(); ++h) a.set(h, s[h] == '1');
  return a;
}

// The five person_values lists, by their `field` name.
struct ValueList {
  const char* field;
  std::vector<std::string> Person::*member;
};
constexpr ValueList kValueLists[] = {
    {"languages", &Person::languages},
    {"career_goals", &Person::career_goals},
    {"interests", &Person::interests},
    {"learning_preferences", &Person::learning_preferences},
    {"preferred_mentors", &Person::preferred_mentors},
};

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
                             " summary_json) VALUES ($1, $2, $3, $4) RETURNING id",
                             Params()
                                 .Add(program.value)
                                 .Add(run.config_json)
                                 .Add(run.input_snapshot_json)
                                 .Add(run.summary_json)));
    const MatchRunId id{r.Int(0, 0)};
    {
      BatchInsert pairs(db,
                        "INSERT INTO match_run_pairs (run_id, position, mentee_id, mentor_id,"
                        " score, explanation)",
                        6);
      for (size_t i = 0; i < run.pairs.size(); ++i) {
        const RunPair& pair = run.pairs[i];
        TANDEM_RETURN_IF_ERROR(pairs.Row(id.value, static_cast<std::int64_t>(i), pair.mentee_id,
                                         pair.mentor_id, pair.score, pair.explanation));
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
          db.Query("SELECT program_id, created_at, config_json, input_snapshot_json, summary_json"
                   " FROM match_runs WHERE id = $1",
                   key));
      if (r.rows() == 0) return Status::NotFound("match run " + std::to_string(id.value));
      run.program = ProgramId{r.Int(0, 0)};
      run.created_at = r.Text(0, 1);
      run.config_json = r.Text(0, 2);
      run.input_snapshot_json = r.Text(0, 3);
      run.summary_json = r.Text(0, 4);
    }
    {
      TANDEM_ASSIGN_OR_RETURN(PgResult r,
                              db.Query("SELECT mentee_id, mentor_id, score, explanation"
                                       " FROM match_run_pairs WHERE run_id = $1 ORDER BY position",
                                       key));
      run.pairs.resize(static_cast<size_t>(r.rows()));
      for (int i = 0; i < r.rows(); ++i) {
        RunPair& pair = run.pairs[static_cast<size_t>(i)];
        pair.mentee_id = r.Text(i, 0);
        pair.mentor_id = r.Text(i, 1);
        pair.score = r.Double(i, 2);
        pair.explanation = r.Text(i, 3);
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
        PgResult r,
        (*lease).Query("SELECT id, created_at, summary_json FROM match_runs WHERE program_id = $1"
                       " ORDER BY id",
                       Params().Add(program.value)));
    std::vector<MatchRun> out(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      MatchRun& run = out[static_cast<size_t>(i)];
      run.id = MatchRunId{r.Int(i, 0)};
      run.program = program;
      run.created_at = r.Text(i, 1);
      run.summary_json = r.Text(i, 2);
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
        (*lease).Query("UPDATE jobs SET progress = $2, progress_message = $3"
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
