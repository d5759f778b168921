#include "store/sqlite/sqlite_store.h"

#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/migrations/sqlite_migrations.h"
#include "store/person_columns.h"
#include "store/sqlite/sqlite_db.h"

namespace tandem::store {
namespace {

using sqlite::Db;
using sqlite::Query;
using sqlite::Statement;
using sqlite::Transaction;

// Evaluates a Status expression and returns it from the enclosing function when not OK.
#define TANDEM_RETURN_IF_ERROR(expr)             \
  do {                                           \
    if (Status _s = (expr); !_s.ok()) return _s; \
  } while (false)

constexpr const char* kUpsertPerson =
    "INSERT INTO people (organization_id, employee_id, name, email, title, department, site,"
    " time_zone, utc_offset_minutes, seniority, manager_id, communication_style,"
    " meeting_preference, availability, role, mentor_capacity, prefer_shared_background,"
    " openness, conscientiousness, extraversion, agreeableness, neuroticism)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21, ?22)"
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
    " neuroticism = excluded.neuroticism,"
    " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    " RETURNING id";

#define TANDEM_PERSON_COLUMNS                                                              \
  "id, employee_id, name, email, title, department, site, time_zone, utc_offset_minutes,"  \
  " seniority, manager_id, communication_style, meeting_preference, availability, role,"   \
  " mentor_capacity, prefer_shared_background, openness, conscientiousness, extraversion," \
  " agreeableness, neuroticism"

constexpr const char* kSelectPerson =
    "SELECT " TANDEM_PERSON_COLUMNS " FROM people WHERE organization_id = ?1 AND employee_id = ?2";
constexpr const char* kSelectPeoplePage =
    "SELECT " TANDEM_PERSON_COLUMNS
    " FROM people WHERE organization_id = ?1 AND employee_id > ?2 ORDER BY employee_id LIMIT ?3";
#undef TANDEM_PERSON_COLUMNS

#define TANDEM_PROGRAM_COLUMNS \
  "id, organization_id, name, model, status, config_json, created_at, updated_at"
constexpr const char* kSelectProgram =
    "SELECT " TANDEM_PROGRAM_COLUMNS " FROM programs WHERE id = ?1";
constexpr const char* kSelectPrograms =
    "SELECT " TANDEM_PROGRAM_COLUMNS " FROM programs WHERE organization_id = ?1 ORDER BY id";
#undef TANDEM_PROGRAM_COLUMNS

#define TANDEM_ACCOUNT_COLUMNS \
  "id, organization_id, email, display_name, password_hash, employee_id, created_at"
#define TANDEM_RELATIONSHIP_COLUMNS                                                         \
  "id, program_id, run_id, mentee_id, mentor_id, status, started_at, ended_at, end_reason," \
  " ended_by"
#define TANDEM_GOAL_COLUMNS \
  "id, relationship_id, title, owner_id, due_date, progress, created_at, updated_at"
#define TANDEM_MEETING_COLUMNS                                                                   \
  "id, relationship_id, starts_at, duration_minutes, location, agenda, status, notes, sequence," \
  " created_at, updated_at"
#define TANDEM_APPLICATION_COLUMNS                                                       \
  "id, program_id, employee_id, role, answers_json, status, decision_note, decided_by, " \
  "created_at,"                                                                          \
  " decided_at"
#define TANDEM_JOB_COLUMNS                                                                     \
  "id, organization_id, program_id, kind, state, payload_json, created_by, claimed_by,"        \
  " progress, progress_message, cancel_requested, result_json, error, created_at, started_at," \
  " finished_at"

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Status Migrate() override {
    std::lock_guard lock(mu_);
    return MigrateLocked();
  }

  Result<std::vector<AppliedMigration>> AppliedMigrations() override {
    std::lock_guard lock(mu_);
    Result<Query> q =
        db_->Prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
    if (!q.ok()) return q.status();
    std::vector<AppliedMigration> out;
    for (;;) {
      Result<bool> row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.push_back({static_cast<int>((*q)->Int(0)), (*q)->Text(1), (*q)->Text(2)});
    }
    return out;
  }

  Result<OrganizationId> CreateOrganization(const std::string& name) override {
    if (name.empty()) return Status::Invalid("organization name: must not be empty");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    Result<Query> q = db_->Prepare("INSERT INTO organizations (name) VALUES (?1)");
    if (!q.ok()) return q.status();
    if (Status s = (*q)->Bind(1, name).Run(); !s.ok()) {
      if (db_->LastErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
        return Status::Invalid("organization name already used: " + name);
      }
      return s;
    }
    const OrganizationId id{db_->LastInsertRowId()};
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<Organization> GetOrganization(OrganizationId id) override {
    std::lock_guard lock(mu_);
    Result<Query> q = db_->Prepare("SELECT name, created_at FROM organizations WHERE id = ?1");
    if (!q.ok()) return q.status();
    Result<bool> row = (*q)->Bind(1, id.value).Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("organization " + std::to_string(id.value));
    return Organization{id, (*q)->Text(0), (*q)->Text(1)};
  }

  Result<int> UpsertPeople(OrganizationId organization,
                           const std::vector<Person>& people) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckOrganization(organization));
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
      if (Status s = WritePerson(organization, p); !s.ok()) {
        return Status(s.code(), "person " + p.id + ": " + s.message());
      }
    }
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return static_cast<int>(people.size());
  }

  Result<Person> GetPerson(OrganizationId organization, const std::string& employee_id) override {
    std::lock_guard lock(mu_);
    std::int64_t row_id = 0;
    Person person;
    {
      Result<Query> q = db_->Prepare(kSelectPerson);
      if (!q.ok()) return q.status();
      Result<bool> row = (*q)->Bind(1, organization.value).Bind(2, employee_id).Step();
      if (!row.ok()) return row.status();
      if (!*row) {
        return Status::NotFound("person " + employee_id + " in organization " +
                                std::to_string(organization.value));
      }
      TANDEM_RETURN_IF_ERROR(ReadPersonRow(**q, &row_id, &person));
    }
    TANDEM_RETURN_IF_ERROR(ReadPersonLists(row_id, &person));
    return person;
  }

  Result<PeoplePage> ListPeople(OrganizationId organization, const std::string& cursor,
                                int limit) override {
    if (limit < 1 || limit > kMaxPageSize) {
      return Status::Invalid("limit: must be in [1, " + std::to_string(kMaxPageSize) + "]");
    }
    std::lock_guard lock(mu_);
    std::vector<std::pair<std::int64_t, Person>> rows;
    {
      Result<Query> q = db_->Prepare(kSelectPeoplePage);
      if (!q.ok()) return q.status();
      // One row more than asked tells whether another page follows.
      (*q)->Bind(1, organization.value).Bind(2, cursor).Bind(3, limit + 1);
      for (;;) {
        Result<bool> row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        auto& [row_id, person] = rows.emplace_back();
        TANDEM_RETURN_IF_ERROR(ReadPersonRow(**q, &row_id, &person));
      }
    }
    PeoplePage page;
    if (rows.size() > static_cast<size_t>(limit)) {
      rows.pop_back();
      page.next_cursor = rows.back().second.id;
    }
    page.people.reserve(rows.size());
    for (auto& [row_id, person] : rows) {
      TANDEM_RETURN_IF_ERROR(ReadPersonLists(row_id, &person));
      page.people.push_back(std::move(person));
    }
    return page;
  }

  Result<std::int64_t> CountPeople(OrganizationId organization) override {
    std::lock_guard lock(mu_);
    Result<Query> q = db_->Prepare("SELECT count(*) FROM people WHERE organization_id = ?1");
    if (!q.ok()) return q.status();
    Result<bool> row = (*q)->Bind(1, organization.value).Step();
    if (!row.ok()) return row.status();
    return (*q)->Int(0);
  }

  Result<ProgramId> CreateProgram(OrganizationId organization, const NewProgram& program) override {
    if (program.name.empty()) return Status::Invalid("program name: must not be empty");
    if (program.model.empty()) return Status::Invalid("program model: must not be empty");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckOrganization(organization));
    Result<Query> q = db_->Prepare(
        "INSERT INTO programs (organization_id, name, model, status, config_json)"
        " VALUES (?1, ?2, ?3, 'draft', ?4)");
    if (!q.ok()) return q.status();
    Status s = (*q)->Bind(1, organization.value)
                   .Bind(2, program.name)
                   .Bind(3, program.model)
                   .Bind(4, program.config_json)
                   .Run();
    if (!s.ok()) {
      if (db_->LastErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
        return Status::Invalid("program name already used: " + program.name);
      }
      return s;
    }
    const ProgramId id{db_->LastInsertRowId()};
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<Program> GetProgram(ProgramId id) override {
    std::lock_guard lock(mu_);
    Result<Query> q = db_->Prepare(kSelectProgram);
    if (!q.ok()) return q.status();
    Result<bool> row = (*q)->Bind(1, id.value).Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("program " + std::to_string(id.value));
    return ReadProgramRow(**q);
  }

  Result<std::vector<Program>> ListPrograms(OrganizationId organization) override {
    std::lock_guard lock(mu_);
    Result<Query> q = db_->Prepare(kSelectPrograms);
    if (!q.ok()) return q.status();
    (*q)->Bind(1, organization.value);
    std::vector<Program> out;
    for (;;) {
      Result<bool> row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      Result<Program> program = ReadProgramRow(**q);
      if (!program.ok()) return program.status();
      out.push_back(std::move(program).value());
    }
    return out;
  }

  Status UpdateProgramStatus(ProgramId id, ProgramStatus to) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    std::string from_name;
    {
      Result<Query> q = db_->Prepare("SELECT status FROM programs WHERE id = ?1");
      if (!q.ok()) return q.status();
      Result<bool> row = (*q)->Bind(1, id.value).Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::NotFound("program " + std::to_string(id.value));
      from_name = (*q)->Text(0);
    }
    const std::optional<ProgramStatus> from = ParseProgramStatus(from_name);
    if (!from) return Status::Internal("program " + std::to_string(id.value) + ": bad status");
    if (!IsAllowedTransition(*from, to)) {
      return Status::Invalid("program " + std::to_string(id.value) +
                             ": status cannot change from " + from_name + " to " +
                             ProgramStatusName(to));
    }
    {
      // Compare-and-set on the status read above (a PostgreSQL backend relies on it under
      // READ COMMITTED; here BEGIN IMMEDIATE already excludes other writers).
      Result<Query> q = db_->Prepare(
          "UPDATE programs SET status = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
          " WHERE id = ?1 AND status = ?3");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR(
          (*q)->Bind(1, id.value).Bind(2, ProgramStatusName(to)).Bind(3, from_name).Run());
      if (db_->Changes() != 1) {
        return Status::Invalid("program " + std::to_string(id.value) +
                               ": status changed concurrently");
      }
    }
    {
      Result<Query> q = db_->Prepare(
          "INSERT INTO program_status_changes (program_id, from_status, to_status)"
          " VALUES (?1, ?2, ?3)");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR(
          (*q)->Bind(1, id.value).Bind(2, from_name).Bind(3, ProgramStatusName(to)).Run());
    }
    return tx->Commit();
  }

  Result<MatchRunId> SaveMatchRun(ProgramId program, const NewMatchRun& run) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    {
      Result<Query> q = db_->Prepare("SELECT 1 FROM programs WHERE id = ?1");
      if (!q.ok()) return q.status();
      Result<bool> row = (*q)->Bind(1, program.value).Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::NotFound("program " + std::to_string(program.value));
    }
    MatchRunId id;
    {
      Result<Query> q = db_->Prepare(
          "INSERT INTO match_runs (program_id, config_json, input_snapshot_json, summary_json,"
          " rematch) VALUES (?1, ?2, ?3, ?4, ?5)");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR((*q)->Bind(1, program.value)
                                 .Bind(2, run.config_json)
                                 .Bind(3, run.input_snapshot_json)
                                 .Bind(4, run.summary_json)
                                 .Bind(5, run.rematch ? 1 : 0)
                                 .Run());
      id = MatchRunId{db_->LastInsertRowId()};
    }
    for (size_t i = 0; i < run.pairs.size(); ++i) {
      const RunPair& pair = run.pairs[i];
      const auto pos = static_cast<std::int64_t>(i);
      {
        Result<Query> q = db_->Prepare(
            "INSERT INTO match_run_pairs (run_id, position, mentee_id, mentor_id, score,"
            " explanation, slot) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        if (!q.ok()) return q.status();
        TANDEM_RETURN_IF_ERROR((*q)->Bind(1, id.value)
                                   .Bind(2, pos)
                                   .Bind(3, pair.mentee_id)
                                   .Bind(4, pair.mentor_id)
                                   .Bind(5, pair.score)
                                   .Bind(6, pair.explanation)
                                   .Bind(7, pair.slot)
                                   .Run());
      }
      for (size_t c = 0; c < pair.factors.size(); ++c) {
        Result<Query> q = db_->Prepare(
            "INSERT INTO match_run_pair_factors (run_id, position, criterion, value)"
            " VALUES (?1, ?2, ?3, ?4)");
        if (!q.ok()) return q.status();
        TANDEM_RETURN_IF_ERROR((*q)->Bind(1, id.value)
                                   .Bind(2, pos)
                                   .Bind(3, static_cast<std::int64_t>(c))
                                   .Bind(4, pair.factors[c])
                                   .Run());
      }
      for (size_t k = 0; k < pair.skills_for.size(); ++k) {
        Result<Query> q = db_->Prepare(
            "INSERT INTO match_run_pair_skills (run_id, position, skill_position, skill)"
            " VALUES (?1, ?2, ?3, ?4)");
        if (!q.ok()) return q.status();
        TANDEM_RETURN_IF_ERROR((*q)->Bind(1, id.value)
                                   .Bind(2, pos)
                                   .Bind(3, static_cast<std::int64_t>(k))
                                   .Bind(4, pair.skills_for[k])
                                   .Run());
      }
    }
    for (size_t i = 0; i < run.unmatched.size(); ++i) {
      Result<Query> q = db_->Prepare(
          "INSERT INTO match_run_unmatched (run_id, position, mentee_id, reason)"
          " VALUES (?1, ?2, ?3, ?4)");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR((*q)->Bind(1, id.value)
                                 .Bind(2, static_cast<std::int64_t>(i))
                                 .Bind(3, run.unmatched[i].mentee_id)
                                 .Bind(4, run.unmatched[i].reason)
                                 .Run());
    }
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<MatchRun> GetMatchRun(MatchRunId id) override {
    std::lock_guard lock(mu_);
    MatchRun run;
    run.id = id;
    {
      Result<Query> q = db_->Prepare(
          "SELECT program_id, created_at, config_json, input_snapshot_json, summary_json,"
          " rematch FROM match_runs WHERE id = ?1");
      if (!q.ok()) return q.status();
      Result<bool> row = (*q)->Bind(1, id.value).Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::NotFound("match run " + std::to_string(id.value));
      run.program = ProgramId{(*q)->Int(0)};
      run.created_at = (*q)->Text(1);
      run.config_json = (*q)->Text(2);
      run.input_snapshot_json = (*q)->Text(3);
      run.summary_json = (*q)->Text(4);
      run.rematch = (*q)->Int(5) != 0;
    }
    {
      Result<Query> q = db_->Prepare(
          "SELECT mentee_id, mentor_id, score, explanation, slot FROM match_run_pairs"
          " WHERE run_id = ?1 ORDER BY position");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, id.value);
      for (;;) {
        Result<bool> row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        RunPair& pair = run.pairs.emplace_back();
        pair.mentee_id = (*q)->Text(0);
        pair.mentor_id = (*q)->Text(1);
        pair.score = (*q)->Double(2);
        pair.explanation = (*q)->Text(3);
        pair.slot = static_cast<int>((*q)->Int(4));
      }
    }
    {
      Result<Query> q = db_->Prepare(
          "SELECT position, value FROM match_run_pair_factors WHERE run_id = ?1"
          " ORDER BY position, criterion");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, id.value);
      for (;;) {
        Result<bool> row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        const auto pos = static_cast<size_t>((*q)->Int(0));
        if (pos >= run.pairs.size()) return Status::Internal("match run: factor of no pair");
        run.pairs[pos].factors.push_back((*q)->Double(1));
      }
    }
    {
      Result<Query> q = db_->Prepare(
          "SELECT position, skill FROM match_run_pair_skills WHERE run_id = ?1"
          " ORDER BY position, skill_position");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, id.value);
      for (;;) {
        Result<bool> row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        const auto pos = static_cast<size_t>((*q)->Int(0));
        if (pos >= run.pairs.size()) return Status::Internal("match run: skill of no pair");
        run.pairs[pos].skills_for.push_back((*q)->Text(1));
      }
    }
    {
      Result<Query> q = db_->Prepare(
          "SELECT mentee_id, reason FROM match_run_unmatched WHERE run_id = ?1 ORDER BY position");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, id.value);
      for (;;) {
        Result<bool> row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        run.unmatched.push_back({(*q)->Text(0), (*q)->Text(1)});
      }
    }
    return run;
  }

  Result<std::vector<MatchRun>> ListMatchRuns(ProgramId program) override {
    std::lock_guard lock(mu_);
    Result<Query> q = db_->Prepare(
        "SELECT id, created_at, summary_json, rematch FROM match_runs WHERE program_id = ?1"
        " ORDER BY id");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, program.value);
    std::vector<MatchRun> out;
    for (;;) {
      Result<bool> row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      MatchRun& run = out.emplace_back();
      run.id = MatchRunId{(*q)->Int(0)};
      run.program = program;
      run.created_at = (*q)->Text(1);
      run.summary_json = (*q)->Text(2);
      run.rematch = (*q)->Int(3) != 0;
    }
    return out;
  }

  Status UpdateProgram(ProgramId id, const std::string& name,
                       const std::string& config_json) override {
    if (name.empty()) return Status::Invalid("program name: must not be empty");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    {
      Result<Query> q = db_->Prepare("SELECT status FROM programs WHERE id = ?1");
      if (!q.ok()) return q.status();
      Result<bool> row = (*q)->Bind(1, id.value).Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::NotFound("program " + std::to_string(id.value));
      if ((*q)->Text(0) == "closed") {
        return Status::Invalid("program " + std::to_string(id.value) + " is closed");
      }
    }
    Result<Query> q = db_->Prepare(
        "UPDATE programs SET name = ?2, config_json = ?3,"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1");
    if (!q.ok()) return q.status();
    if (Status s = (*q)->Bind(1, id.value).Bind(2, name).Bind(3, config_json).Run(); !s.ok()) {
      if (db_->LastErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
        return Status::Invalid("program name already used: " + name);
      }
      return s;
    }
    return tx->Commit();
  }

  Result<AccountId> CreateAccount(OrganizationId organization, const NewAccount& account) override {
    if (account.email.empty()) return Status::Invalid("account email: must not be empty");
    if (account.display_name.empty()) {
      return Status::Invalid("account display name: must not be empty");
    }
    if (account.password_hash.empty()) {
      return Status::Invalid("account password hash: must not be empty");
    }
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckOrganization(organization));
    Result<Query> q = db_->Prepare(
        "INSERT INTO accounts (organization_id, email, display_name, password_hash, employee_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!q.ok()) return q.status();
    Status s = (*q)->Bind(1, organization.value)
                   .Bind(2, account.email)
                   .Bind(3, account.display_name)
                   .Bind(4, account.password_hash)
                   .Bind(5, account.employee_id)
                   .Run();
    if (!s.ok()) {
      if (db_->LastErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
        return Status::Invalid("email already used: " + account.email);
      }
      return s;
    }
    const AccountId id{db_->LastInsertRowId()};
    for (const RoleGrant& grant : account.roles) {
      TANDEM_RETURN_IF_ERROR(InsertGrant(id, grant));
    }
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<Account> GetAccount(AccountId id) override {
    std::lock_guard lock(mu_);
    return ReadAccount("SELECT " TANDEM_ACCOUNT_COLUMNS " FROM accounts WHERE id = ?1", id.value,
                       {}, "account " + std::to_string(id.value));
  }

  Result<Account> FindAccountByEmail(const std::string& email) override {
    std::lock_guard lock(mu_);
    return ReadAccount("SELECT " TANDEM_ACCOUNT_COLUMNS
                       " FROM accounts WHERE lower(email) = lower(?1)",
                       std::nullopt, email, "account with email " + email);
  }

  Result<std::vector<Account>> ListAccounts(OrganizationId organization) override {
    std::lock_guard lock(mu_);
    std::vector<Account> out;
    {
      Result<Query> q = db_->Prepare("SELECT " TANDEM_ACCOUNT_COLUMNS
                                     " FROM accounts WHERE organization_id = ?1 ORDER BY id");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, organization.value);
      for (;;) {
        Result<bool> row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        out.push_back(AccountRow(**q));
      }
    }
    for (Account& a : out) TANDEM_RETURN_IF_ERROR(ReadGrants(a));
    return out;
  }

  Status GrantRole(AccountId account, const RoleGrant& grant) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckAccount(account));
    TANDEM_RETURN_IF_ERROR(InsertGrant(account, grant));
    return tx->Commit();
  }

  Status RevokeRole(AccountId account, const RoleGrant& grant) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckAccount(account));
    Result<Query> q = db_->Prepare(
        "DELETE FROM account_roles WHERE account_id = ?1 AND role = ?2 AND program_id = ?3");
    if (!q.ok()) return q.status();
    TANDEM_RETURN_IF_ERROR((*q)->Bind(1, account.value)
                               .Bind(2, RoleName(grant.role))
                               .Bind(3, grant.program.value)
                               .Run());
    return tx->Commit();
  }

  Status SetPasswordHash(AccountId account, const std::string& password_hash) override {
    if (password_hash.empty()) return Status::Invalid("account password hash: must not be empty");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    Result<Query> q = db_->Prepare("UPDATE accounts SET password_hash = ?2 WHERE id = ?1");
    if (!q.ok()) return q.status();
    TANDEM_RETURN_IF_ERROR((*q)->Bind(1, account.value).Bind(2, password_hash).Run());
    if (db_->Changes() != 1) return Status::NotFound("account " + std::to_string(account.value));
    return tx->Commit();
  }

  Result<Session> CreateSession(const NewSession& session) override {
    if (session.token_hash.empty()) return Status::Invalid("session token hash: must not be empty");
    if (session.ttl_seconds <= 0) return Status::Invalid("session ttl: must be positive");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckAccount(session.account));
    {
      Result<Query> q = db_->Prepare(
          "INSERT INTO sessions (token_hash, account_id, csrf_token, expires_at) VALUES (?1, ?2,"
          " ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?4 || ' seconds'))");
      if (!q.ok()) return q.status();
      Status s = (*q)->Bind(1, session.token_hash)
                     .Bind(2, session.account.value)
                     .Bind(3, session.csrf_token)
                     .Bind(4, std::to_string(session.ttl_seconds))
                     .Run();
      if (!s.ok()) {
        if (db_->LastErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY) {
          return Status::Invalid("session token hash already used");
        }
        return s;
      }
    }
    Result<Session> out = ReadSession(session.token_hash);
    if (!out.ok()) return out.status();
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return out;
  }

  Result<Session> GetSession(const std::string& token_hash) override {
    std::lock_guard lock(mu_);
    Result<Session> session = ReadSession(token_hash);
    if (!session.ok()) return session.status();
    // Timestamps share one fixed-width format, so text order is time order.
    Result<Query> q = db_->Prepare("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    if (!q.ok()) return q.status();
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (session->expires_at <= (*q)->Text(0)) {
      Result<Query> del = db_->Prepare("DELETE FROM sessions WHERE token_hash = ?1");
      if (!del.ok()) return del.status();
      TANDEM_RETURN_IF_ERROR((*del)->Bind(1, token_hash).Run());
      return Status::NotFound("session expired");
    }
    return session;
  }

  Status DeleteSession(const std::string& token_hash) override {
    std::lock_guard lock(mu_);
    Result<Query> q = db_->Prepare("DELETE FROM sessions WHERE token_hash = ?1");
    if (!q.ok()) return q.status();
    return (*q)->Bind(1, token_hash).Run();
  }

  Status DeleteSessionsOf(AccountId account) override {
    std::lock_guard lock(mu_);
    Result<Query> q = db_->Prepare("DELETE FROM sessions WHERE account_id = ?1");
    if (!q.ok()) return q.status();
    return (*q)->Bind(1, account.value).Run();
  }

  Result<JobId> CreateJob(const NewJob& job) override {
    if (job.kind.empty()) return Status::Invalid("job kind: must not be empty");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckOrganization(job.organization));
    Result<Query> q = db_->Prepare(
        "INSERT INTO jobs (organization_id, program_id, kind, state, payload_json, created_by)"
        " VALUES (?1, ?2, ?3, 'queued', ?4, ?5)");
    if (!q.ok()) return q.status();
    TANDEM_RETURN_IF_ERROR((*q)->Bind(1, job.organization.value)
                               .Bind(2, job.program.value)
                               .Bind(3, job.kind)
                               .Bind(4, job.payload_json)
                               .Bind(5, job.created_by.value)
                               .Run());
    const JobId id{db_->LastInsertRowId()};
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<Job> GetJob(JobId id) override {
    std::lock_guard lock(mu_);
    return ReadJob(id);
  }

  Result<std::vector<Job>> ListJobs(ProgramId program, int limit) override {
    if (limit < 1 || limit > kMaxPageSize) return Status::Invalid("limit: must be 1..1000");
    std::lock_guard lock(mu_);
    Result<Query> q = db_->Prepare("SELECT " TANDEM_JOB_COLUMNS
                                   " FROM jobs WHERE program_id = ?1 ORDER BY id DESC LIMIT ?2");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, program.value).Bind(2, limit);
    std::vector<Job> out;
    for (;;) {
      Result<bool> row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.push_back(JobRow(**q));
    }
    return out;
  }

  Result<std::optional<Job>> ClaimNextJob(const std::string& worker) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    std::int64_t id = 0;
    {
      // BEGIN IMMEDIATE holds the write lock: no other connection claims between these two
      // statements; the state condition in the UPDATE keeps the claim a compare-and-set anyway.
      Result<Query> q =
          db_->Prepare("SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1");
      if (!q.ok()) return q.status();
      Result<bool> row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) return std::optional<Job>();
      id = (*q)->Int(0);
    }
    {
      Result<Query> q = db_->Prepare(
          "UPDATE jobs SET state = 'running', claimed_by = ?2,"
          " started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),"
          " heartbeat_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1 AND state = "
          "'queued'");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR((*q)->Bind(1, id).Bind(2, worker).Run());
      if (db_->Changes() != 1) return Status::Internal("job claim lost a race");
    }
    Result<Job> job = ReadJob(JobId{id});
    if (!job.ok()) return job.status();
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return std::optional<Job>(std::move(job).value());
  }

  Result<bool> UpdateJobProgress(JobId id, double progress, const std::string& message) override {
    if (!(progress >= 0 && progress <= 1)) return Status::Invalid("job progress: must be 0..1");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    {
      Result<Query> q = db_->Prepare(
          "UPDATE jobs SET progress = ?2, progress_message = ?3,"
          " heartbeat_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1 AND state = "
          "'running'");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR((*q)->Bind(1, id.value).Bind(2, progress).Bind(3, message).Run());
      if (db_->Changes() != 1) {
        return Status::Invalid("job " + std::to_string(id.value) + " is not running");
      }
    }
    bool cancel = false;
    {
      Result<Query> q = db_->Prepare("SELECT cancel_requested FROM jobs WHERE id = ?1");
      if (!q.ok()) return q.status();
      Result<bool> row = (*q)->Bind(1, id.value).Step();
      if (!row.ok()) return row.status();
      cancel = *row && (*q)->Int(0) != 0;
    }
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return cancel;
  }

  Result<Job> RequestJobCancel(JobId id) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    {
      Result<Query> q = db_->Prepare(
          "UPDATE jobs SET state = CASE state WHEN 'queued' THEN 'cancelled' ELSE state END,"
          " finished_at = CASE state WHEN 'queued' THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
          " ELSE finished_at END,"
          " cancel_requested = CASE WHEN state IN ('queued', 'running') THEN 1"
          " ELSE cancel_requested END WHERE id = ?1");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR((*q)->Bind(1, id.value).Run());
      if (db_->Changes() != 1) return Status::NotFound("job " + std::to_string(id.value));
    }
    Result<Job> job = ReadJob(id);
    if (!job.ok()) return job.status();
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return job;
  }

  Status FinishJob(JobId id, JobState state, const std::string& result_json,
                   const std::string& error) override {
    if (state != JobState::kSucceeded && state != JobState::kFailed &&
        state != JobState::kCancelled) {
      return Status::Invalid(std::string("job state ") + JobStateName(state) + " is not final");
    }
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    Result<Query> q = db_->Prepare(
        "UPDATE jobs SET state = ?2, result_json = ?3, error = ?4, progress = CASE ?2 WHEN"
        " 'succeeded' THEN 1 ELSE progress END,"
        " finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1 AND state = "
        "'running'");
    if (!q.ok()) return q.status();
    TANDEM_RETURN_IF_ERROR((*q)->Bind(1, id.value)
                               .Bind(2, JobStateName(state))
                               .Bind(3, result_json)
                               .Bind(4, error)
                               .Run());
    if (db_->Changes() != 1) {
      return Status::Invalid("job " + std::to_string(id.value) + " is not running");
    }
    return tx->Commit();
  }

  Status AppendAudit(const NewAuditEntry& entry) override {
    if (entry.action.empty()) return Status::Invalid("audit action: must not be empty");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    Result<Query> q = db_->Prepare(
        "INSERT INTO audit_log (organization_id, actor, action, target, detail_json)"
        " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!q.ok()) return q.status();
    TANDEM_RETURN_IF_ERROR((*q)->Bind(1, entry.organization.value)
                               .Bind(2, entry.actor.value)
                               .Bind(3, entry.action)
                               .Bind(4, entry.target)
                               .Bind(5, entry.detail_json.empty() ? "{}" : entry.detail_json)
                               .Run());
    return tx->Commit();
  }

  Result<AuditPage> ListAudit(OrganizationId organization, std::int64_t before,
                              int limit) override {
    if (limit < 1 || limit > kMaxPageSize) return Status::Invalid("limit: must be 1..1000");
    std::lock_guard lock(mu_);
    Result<Query> q = db_->Prepare(
        "SELECT id, actor, action, target, detail_json, at FROM audit_log"
        " WHERE organization_id = ?1 AND (?2 = 0 OR id < ?2) ORDER BY id DESC LIMIT ?3");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, organization.value).Bind(2, before).Bind(3, limit + 1);
    AuditPage page;
    for (;;) {
      Result<bool> row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      if (static_cast<int>(page.entries.size()) == limit) {
        page.next_cursor = page.entries.back().id;
        break;
      }
      AuditEntry& e = page.entries.emplace_back();
      e.id = (*q)->Int(0);
      e.organization = organization;
      e.actor = AccountId{(*q)->Int(1)};
      e.action = (*q)->Text(2);
      e.target = (*q)->Text(3);
      e.detail_json = (*q)->Text(4);
      e.at = (*q)->Text(5);
    }
    return page;
  }

  // ---- Program details ----

  Result<std::string> GetProgramDetails(ProgramId program) override {
    std::lock_guard lock(mu_);
    bool found = false;
    std::string details = "{}";
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT d.details_json FROM programs p LEFT JOIN program_details d ON d.program_id = p.id"
        " WHERE p.id = ?1",
        [&](const Statement& s) {
          found = true;
          if (!s.IsNull(0)) details = s.Text(0);
        },
        program.value));
    if (!found) return Status::NotFound("program " + std::to_string(program.value));
    return details;
  }

  Status SetProgramDetails(ProgramId program, const std::string& details_json) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    bool found = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT 1 FROM programs WHERE id = ?1", [&](const Statement&) { found = true; },
        program.value));
    if (!found) return Status::NotFound("program " + std::to_string(program.value));
    TANDEM_RETURN_IF_ERROR(
        Exec("INSERT INTO program_details (program_id, details_json) VALUES (?1, ?2)"
             " ON CONFLICT (program_id) DO UPDATE SET details_json = excluded.details_json",
             program.value, details_json));
    TANDEM_RETURN_IF_ERROR(
        Exec("UPDATE programs SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
             program.value));
    return tx->Commit();
  }

  // ---- Enrollment ----

  Result<ApplicationId> Apply(ProgramId program, const NewApplication& a) override {
    if (a.role != "mentee" && a.role != "mentor") {
      return Status::Invalid("role: must be mentee or mentor");
    }
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    std::string status;
    std::int64_t org = 0;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT status, organization_id FROM programs WHERE id = ?1",
        [&](const Statement& s) {
          status = s.Text(0);
          org = s.Int(1);
        },
        program.value));
    if (status.empty()) return Status::NotFound("program " + std::to_string(program.value));
    if (status != "enrolling") {
      return Status::Invalid("program " + std::to_string(program.value) +
                             " is not open for applications (it is " + status + ")");
    }
    bool person = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT 1 FROM people WHERE organization_id = ?1 AND employee_id = ?2",
        [&](const Statement&) { person = true; }, org, a.employee_id));
    if (!person) return Status::NotFound("person " + a.employee_id);
    Status st = Exec(
        "INSERT INTO applications (program_id, employee_id, role, answers_json)"
        " VALUES (?1, ?2, ?3, ?4)",
        program.value, a.employee_id, a.role, a.answers_json.empty() ? "{}" : a.answers_json);
    if (!st.ok() && db_->LastErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
      return Status::Invalid(a.employee_id + " already applied");
    }
    TANDEM_RETURN_IF_ERROR(st);
    const ApplicationId id{db_->LastInsertRowId()};
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<Application> GetApplication(ApplicationId id) override {
    std::lock_guard lock(mu_);
    std::optional<Application> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT " TANDEM_APPLICATION_COLUMNS " FROM applications WHERE id = ?1",
        [&](const Statement& s) { out = ApplicationRow(s); }, id.value));
    if (!out) return Status::NotFound("application " + std::to_string(id.value));
    return *out;
  }

  Result<std::vector<Application>> ListApplications(
      ProgramId program, std::optional<ApplicationStatus> status) override {
    std::lock_guard lock(mu_);
    std::vector<Application> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT " TANDEM_APPLICATION_COLUMNS
        " FROM applications WHERE program_id = ?1 AND (?2 = '' OR status = ?2) ORDER BY id",
        [&](const Statement& s) { out.push_back(ApplicationRow(s)); }, program.value,
        status ? ApplicationStatusName(*status) : ""));
    return out;
  }

  Status DecideApplication(ApplicationId id, ApplicationStatus to, const std::string& note,
                           AccountId by) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    std::string from;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT status FROM applications WHERE id = ?1",
        [&](const Statement& s) { from = s.Text(0); }, id.value));
    if (from.empty()) return Status::NotFound("application " + std::to_string(id.value));
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
    TANDEM_RETURN_IF_ERROR(
        Exec("UPDATE applications SET status = ?2, decision_note = ?3, decided_by = ?4,"
             " decided_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
             id.value, ApplicationStatusName(to), note, by.value));
    return tx->Commit();
  }

  // ---- Informal requests ----

  Result<RequestId> CreateRequest(ProgramId program, const NewRequest& r) override {
    if (r.message.empty()) return Status::Invalid("message: must not be empty");
    if (r.ttl_seconds < 1 || r.ttl_seconds > 90 * 86400) {
      return Status::Invalid("ttl: must be 1 second to 90 days");
    }
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(ExpireRequests());
    std::int64_t org = 0;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT organization_id FROM programs WHERE id = ?1",
        [&](const Statement& s) { org = s.Int(0); }, program.value));
    if (org == 0) return Status::NotFound("program " + std::to_string(program.value));
    int capacity = -1;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT mentor_capacity FROM people WHERE organization_id = ?1 AND employee_id = ?2",
        [&](const Statement& s) { capacity = static_cast<int>(s.Int(0)); }, org, r.mentor_id));
    if (capacity < 0) return Status::NotFound("person " + r.mentor_id);
    bool mentee = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT 1 FROM people WHERE organization_id = ?1 AND employee_id = ?2",
        [&](const Statement&) { mentee = true; }, org, r.mentee_id));
    if (!mentee) return Status::NotFound("person " + r.mentee_id);
    if (r.mentee_id == r.mentor_id) return Status::Invalid("a person cannot mentor themself");
    std::int64_t open = 0;
    bool same = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT mentor_id FROM mentor_requests WHERE program_id = ?1 AND mentee_id = ?2"
        " AND status IN ('open', 'info_requested')",
        [&](const Statement& s) {
          ++open;
          same = same || s.Text(0) == r.mentor_id;
        },
        program.value, r.mentee_id));
    if (same) return Status::Invalid("there is already an open request to " + r.mentor_id);
    if (open >= r.max_open) {
      return Status::Invalid(r.mentee_id + " has " + std::to_string(open) +
                             " open requests, the most this program allows");
    }
    TANDEM_RETURN_IF_ERROR(CheckFreePlace(program, r.mentee_id, r.mentor_id, capacity));
    TANDEM_RETURN_IF_ERROR(
        Exec("INSERT INTO mentor_requests (program_id, mentee_id, mentor_id, message, expires_at)"
             " VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?5 || ' seconds'))",
             program.value, r.mentee_id, r.mentor_id, r.message, std::to_string(r.ttl_seconds)));
    const RequestId id{db_->LastInsertRowId()};
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<MentorRequest> GetRequest(RequestId id) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(ExpireRequests());
    Result<MentorRequest> out = ReadRequest(id);
    if (!out.ok()) return out.status();
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return out;
  }

  Result<std::vector<MentorRequest>> ListRequestsOf(OrganizationId organization,
                                                    const std::string& employee_id) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(ExpireRequests());
    std::vector<MentorRequest> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT r.id, r.program_id, r.mentee_id, r.mentor_id, r.message, r.status, r.response,"
        " r.created_at, r.expires_at, r.responded_at, r.relationship_id FROM mentor_requests r"
        " JOIN programs p ON p.id = r.program_id WHERE p.organization_id = ?1"
        " AND (r.mentee_id = ?2 OR r.mentor_id = ?2) ORDER BY r.id DESC",
        [&](const Statement& s) { out.push_back(RequestRow(s)); }, organization.value,
        employee_id));
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return out;
  }

  Result<MentorRequest> RespondToRequest(RequestId id, RequestStatus to,
                                         const std::string& response) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(ExpireRequests());
    Result<MentorRequest> current = ReadRequest(id);
    if (!current.ok()) return current.status();
    using R = RequestStatus;
    const R from = current->status;
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
      int capacity = 0;
      TANDEM_RETURN_IF_ERROR(ForEachRow(
          "SELECT pe.mentor_capacity FROM people pe JOIN programs p ON p.organization_id ="
          " pe.organization_id WHERE p.id = ?1 AND pe.employee_id = ?2",
          [&](const Statement& s) { capacity = static_cast<int>(s.Int(0)); },
          current->program.value, current->mentor_id));
      TANDEM_RETURN_IF_ERROR(
          CheckFreePlace(current->program, current->mentee_id, current->mentor_id, capacity));
      TANDEM_RETURN_IF_ERROR(
          Exec("INSERT INTO relationships (program_id, run_id, mentee_id, mentor_id, status)"
               " VALUES (?1, 0, ?2, ?3, 'active')",
               current->program.value, current->mentee_id, current->mentor_id));
      relationship = db_->LastInsertRowId();
      // The mentee's other open requests in the program are withdrawn: they have a mentor now.
      TANDEM_RETURN_IF_ERROR(
          Exec("UPDATE mentor_requests SET status = 'withdrawn', responded_at = strftime("
               "'%Y-%m-%dT%H:%M:%fZ', 'now') WHERE program_id = ?1 AND mentee_id = ?2 AND id <> ?3"
               " AND status IN ('open', 'info_requested')",
               current->program.value, current->mentee_id, id.value));
    }
    TANDEM_RETURN_IF_ERROR(
        Exec("UPDATE mentor_requests SET status = ?2, response = ?3, relationship_id = ?4,"
             " responded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
             id.value, RequestStatusName(to), response, relationship));
    Result<MentorRequest> out = ReadRequest(id);
    if (!out.ok()) return out.status();
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return out;
  }

  Result<std::vector<Job>> ListRunningJobs() override {
    std::lock_guard lock(mu_);
    std::vector<Job> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow("SELECT " TANDEM_JOB_COLUMNS
                                      " FROM jobs WHERE state = 'running' ORDER BY id",
                                      [&](const Statement& s) { out.push_back(JobRow(s)); }));
    return out;
  }

  Result<int> FailStaleJobs(int stale_seconds, const std::string& error) override {
    if (stale_seconds < 0) return Status::Invalid("stale_seconds: must not be negative");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(
        Exec("UPDATE jobs SET state = 'failed', error = ?2,"
             " finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE state = 'running'"
             " AND heartbeat_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)",
             "-" + std::to_string(stale_seconds) + " seconds", error));
    const int changed = db_->Changes();
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return changed;
  }

  // ---- Notifications ----

  Result<NotificationId> Notify(const NewNotification& n) override {
    if (n.kind.empty()) return Status::Invalid("kind: must not be empty");
    if (n.title.empty()) return Status::Invalid("title: must not be empty");
    for (const std::string& c : n.channels) {
      if (c != "email" && c != "slack") return Status::Invalid("channel: unknown '" + c + "'");
    }
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckOrganization(n.organization));
    TANDEM_RETURN_IF_ERROR(
        Exec("INSERT INTO notifications (organization_id, recipient_id, kind, title, body, link)"
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
             n.organization.value, n.recipient_id, n.kind, n.title, n.body, n.link));
    const NotificationId id{db_->LastInsertRowId()};
    for (const std::string& c : n.channels) {
      TANDEM_RETURN_IF_ERROR(
          Exec("INSERT INTO outbox (notification_id, channel) VALUES (?1, ?2)", id.value, c));
    }
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<std::vector<Notification>> ListNotifications(OrganizationId organization,
                                                      const std::string& recipient_id,
                                                      int limit) override {
    if (limit < 1 || limit > kMaxPageSize) return Status::Invalid("limit: must be 1..1000");
    std::lock_guard lock(mu_);
    std::vector<Notification> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT id, recipient_id, kind, title, body, link, read, created_at FROM notifications"
        " WHERE organization_id = ?1 AND recipient_id = ?2 ORDER BY id DESC LIMIT ?3",
        [&](const Statement& s) {
          out.push_back({NotificationId{s.Int(0)}, s.Text(1), s.Text(2), s.Text(3), s.Text(4),
                         s.Text(5), s.Int(6) != 0, s.Text(7)});
        },
        organization.value, recipient_id, limit));
    return out;
  }

  Status MarkNotificationRead(NotificationId id, const std::string& recipient_id) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(
        Exec("UPDATE notifications SET read = 1 WHERE id = ?1 AND recipient_id = ?2", id.value,
             recipient_id));
    if (db_->Changes() != 1) return Status::NotFound("notification " + std::to_string(id.value));
    return tx->Commit();
  }

  Result<std::vector<OutboxMessage>> ClaimOutbox(const std::string& worker, int limit) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    std::vector<OutboxMessage> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT o.id, o.notification_id, n.organization_id, o.channel, n.recipient_id, n.title,"
        " n.body, n.link, o.attempts, o.last_error FROM outbox o JOIN notifications n ON n.id ="
        " o.notification_id WHERE o.state = 'pending' AND o.next_attempt_at <="
        " strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ORDER BY o.id LIMIT ?1",
        [&](const Statement& s) {
          out.push_back({s.Int(0), NotificationId{s.Int(1)}, OrganizationId{s.Int(2)}, s.Text(3),
                         s.Text(4), s.Text(5), s.Text(6), s.Text(7), static_cast<int>(s.Int(8)),
                         s.Text(9)});
        },
        limit));
    for (const OutboxMessage& m : out) {
      TANDEM_RETURN_IF_ERROR(
          Exec("UPDATE outbox SET state = 'sending', claimed_by = ?2 WHERE id = ?1 AND state = "
               "'pending'",
               m.id, worker));
    }
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return out;
  }

  Status FinishOutbox(std::int64_t id, bool delivered, const std::string& error,
                      int retry_after_seconds) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    if (delivered) {
      TANDEM_RETURN_IF_ERROR(
          Exec("UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_error = ''"
               " WHERE id = ?1 AND state = 'sending'",
               id));
    } else if (retry_after_seconds < 0) {
      TANDEM_RETURN_IF_ERROR(
          Exec("UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?2"
               " WHERE id = ?1 AND state = 'sending'",
               id, error));
    } else {
      TANDEM_RETURN_IF_ERROR(
          Exec("UPDATE outbox SET state = 'pending', attempts = attempts + 1, last_error = ?2,"
               " next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?3) WHERE id = ?1 AND"
               " state = 'sending'",
               id, error, "+" + std::to_string(retry_after_seconds) + " seconds"));
    }
    if (db_->Changes() != 1) {
      return Status::Invalid("outbox message " + std::to_string(id) + " is not being sent");
    }
    return tx->Commit();
  }

  Result<std::vector<std::pair<std::string, std::string>>> OutboxStates(
      NotificationId notification) override {
    std::lock_guard lock(mu_);
    std::vector<std::pair<std::string, std::string>> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT channel, state FROM outbox WHERE notification_id = ?1 ORDER BY id",
        [&](const Statement& s) { out.emplace_back(s.Text(0), s.Text(1)); }, notification.value));
    return out;
  }

  // ---- Recognition ----

  Result<std::int64_t> GiveKudos(RelationshipId relationship, const std::string& from_id,
                                 const std::string& to_id, const std::string& message) override {
    if (message.empty()) return Status::Invalid("message: must not be empty");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    Result<Relationship> r = ReadRelationship(relationship);
    if (!r.ok()) return r.status();
    const bool pair = (from_id == r->mentee_id && to_id == r->mentor_id) ||
                      (from_id == r->mentor_id && to_id == r->mentee_id);
    if (!pair) return Status::Invalid("kudos go from one person of the relationship to the other");
    TANDEM_RETURN_IF_ERROR(
        Exec("INSERT INTO kudos (relationship_id, from_id, to_id, message) VALUES (?1, ?2, ?3, ?4)",
             relationship.value, from_id, to_id, message));
    const std::int64_t id = db_->LastInsertRowId();
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<std::vector<Kudos>> ListKudosFor(OrganizationId organization,
                                          const std::string& employee_id) override {
    std::lock_guard lock(mu_);
    std::vector<Kudos> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT k.id, k.relationship_id, k.from_id, k.to_id, k.message, k.at FROM kudos k"
        " JOIN relationships r ON r.id = k.relationship_id JOIN programs p ON p.id ="
        " r.program_id WHERE p.organization_id = ?1 AND k.to_id = ?2 ORDER BY k.id DESC",
        [&](const Statement& s) {
          out.push_back(
              {s.Int(0), RelationshipId{s.Int(1)}, s.Text(2), s.Text(3), s.Text(4), s.Text(5)});
        },
        organization.value, employee_id));
    return out;
  }

  // ---- Training ----

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
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckOrganization(organization));
    TANDEM_RETURN_IF_ERROR(Exec(
        "INSERT INTO resources (organization_id, title, url, kind, description)"
        " VALUES (?1, ?2, ?3, ?4, ?5)",
        organization.value, resource.title, resource.url, resource.kind, resource.description));
    const ResourceId id{db_->LastInsertRowId()};
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<std::vector<Resource>> ListResources(OrganizationId organization) override {
    std::lock_guard lock(mu_);
    std::vector<Resource> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT id, title, url, kind, description, created_at FROM resources"
        " WHERE organization_id = ?1 ORDER BY id",
        [&](const Statement& s) {
          out.push_back({ResourceId{s.Int(0)}, organization, s.Text(1), s.Text(2), s.Text(3),
                         s.Text(4), s.Text(5)});
        },
        organization.value));
    return out;
  }

  Status AssignResource(ResourceId resource, const std::string& employee_id,
                        const std::string& due_date) override {
    if (!due_date.empty() && !IsDate(due_date)) {
      return Status::Invalid("due_date: must be YYYY-MM-DD: '" + due_date + "'");
    }
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    std::int64_t org = 0;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT organization_id FROM resources WHERE id = ?1",
        [&](const Statement& s) { org = s.Int(0); }, resource.value));
    if (org == 0) return Status::NotFound("resource " + std::to_string(resource.value));
    bool person = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT 1 FROM people WHERE organization_id = ?1 AND employee_id = ?2",
        [&](const Statement&) { person = true; }, org, employee_id));
    if (!person) return Status::NotFound("person " + employee_id);
    TANDEM_RETURN_IF_ERROR(
        Exec("INSERT INTO assignments (resource_id, employee_id, due_date) VALUES (?1, ?2, ?3)"
             " ON CONFLICT (resource_id, employee_id) DO UPDATE SET due_date = excluded.due_date",
             resource.value, employee_id, due_date));
    return tx->Commit();
  }

  Status CompleteAssignment(ResourceId resource, const std::string& employee_id) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(
        Exec("UPDATE assignments SET completed_at = CASE completed_at WHEN '' THEN"
             " strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE completed_at END"
             " WHERE resource_id = ?1 AND employee_id = ?2",
             resource.value, employee_id));
    if (db_->Changes() != 1) {
      return Status::NotFound("resource " + std::to_string(resource.value) +
                              " is not assigned to " + employee_id);
    }
    return tx->Commit();
  }

  Result<std::vector<Assignment>> ListAssignments(OrganizationId organization,
                                                  const std::string& employee_id) override {
    std::lock_guard lock(mu_);
    std::vector<Assignment> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT a.resource_id, a.employee_id, a.due_date, a.assigned_at, a.completed_at"
        " FROM assignments a JOIN resources r ON r.id = a.resource_id WHERE r.organization_id ="
        " ?1 AND (?2 = '' OR a.employee_id = ?2) ORDER BY a.employee_id, a.resource_id",
        [&](const Statement& s) {
          out.push_back({ResourceId{s.Int(0)}, s.Text(1), s.Text(2), s.Text(3), s.Text(4)});
        },
        organization.value, employee_id));
    return out;
  }

  // ---- Surveys ----

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
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    bool found = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT 1 FROM programs WHERE id = ?1", [&](const Statement&) { found = true; },
        program.value));
    if (!found) return Status::NotFound("program " + std::to_string(program.value));
    TANDEM_RETURN_IF_ERROR(Exec("INSERT INTO surveys (program_id, kind, title) VALUES (?1, ?2, ?3)",
                                program.value, survey.kind, survey.title));
    const SurveyId id{db_->LastInsertRowId()};
    for (size_t i = 0; i < survey.questions.size(); ++i) {
      TANDEM_RETURN_IF_ERROR(
          Exec("INSERT INTO survey_questions (survey_id, position, text) VALUES (?1, ?2, ?3)",
               id.value, static_cast<std::int64_t>(i), survey.questions[i]));
    }
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<Survey> GetSurvey(SurveyId id) override {
    std::lock_guard lock(mu_);
    std::vector<Survey> out;
    TANDEM_RETURN_IF_ERROR(
        ReadSurveys("SELECT id, program_id, kind, title, created_at FROM"
                    " surveys WHERE id = ?1",
                    id.value, &out));
    if (out.empty()) return Status::NotFound("survey " + std::to_string(id.value));
    return out.front();
  }

  Result<std::vector<Survey>> ListSurveys(ProgramId program) override {
    std::lock_guard lock(mu_);
    std::vector<Survey> out;
    TANDEM_RETURN_IF_ERROR(
        ReadSurveys("SELECT id, program_id, kind, title, created_at FROM"
                    " surveys WHERE program_id = ?1 ORDER BY id",
                    program.value, &out));
    return out;
  }

  Status SubmitSurvey(SurveyId survey, const std::string& respondent_id,
                      const std::vector<int>& ratings, const std::string& comment) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    std::int64_t questions = -1;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT (SELECT count(*) FROM survey_questions q WHERE q.survey_id = s.id) FROM surveys s"
        " WHERE s.id = ?1",
        [&](const Statement& s) { questions = s.Int(0); }, survey.value));
    if (questions < 0) return Status::NotFound("survey " + std::to_string(survey.value));
    if (static_cast<std::int64_t>(ratings.size()) != questions) {
      return Status::Invalid("ratings: one per question (" + std::to_string(questions) + ")");
    }
    for (size_t i = 0; i < ratings.size(); ++i) {
      if (ratings[i] < 1 || ratings[i] > 5) {
        return Status::Invalid("ratings[" + std::to_string(i) + "]: must be 1..5");
      }
    }
    Status st =
        Exec("INSERT INTO survey_responses (survey_id, respondent_id, comment) VALUES (?1, ?2, ?3)",
             survey.value, respondent_id, comment);
    if (!st.ok() && db_->LastErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return Status::Invalid("survey " + std::to_string(survey.value) + " already answered");
    }
    TANDEM_RETURN_IF_ERROR(st);
    for (size_t i = 0; i < ratings.size(); ++i) {
      TANDEM_RETURN_IF_ERROR(
          Exec("INSERT INTO survey_answers (survey_id, respondent_id, question, rating)"
               " VALUES (?1, ?2, ?3, ?4)",
               survey.value, respondent_id, static_cast<std::int64_t>(i), ratings[i]));
    }
    return tx->Commit();
  }

  Result<bool> HasAnswered(SurveyId survey, const std::string& respondent_id) override {
    std::lock_guard lock(mu_);
    bool answered = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT 1 FROM survey_responses WHERE survey_id = ?1 AND respondent_id = ?2",
        [&](const Statement&) { answered = true; }, survey.value, respondent_id));
    return answered;
  }

  Result<SurveyResults> GetSurveyResults(SurveyId survey) override {
    std::lock_guard lock(mu_);
    SurveyResults r;
    std::int64_t questions = -1;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT (SELECT count(*) FROM survey_questions q WHERE q.survey_id = s.id),"
        " (SELECT count(*) FROM survey_responses x WHERE x.survey_id = s.id) FROM surveys s"
        " WHERE s.id = ?1",
        [&](const Statement& s) {
          questions = s.Int(0);
          r.responses = s.Int(1);
        },
        survey.value));
    if (questions < 0) return Status::NotFound("survey " + std::to_string(survey.value));
    r.by_rating.assign(static_cast<size_t>(questions), {});
    r.mean.assign(static_cast<size_t>(questions), 0.0);
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT question, rating, count(*) FROM survey_answers WHERE survey_id = ?1"
        " GROUP BY question, rating",
        [&](const Statement& s) {
          const auto q = static_cast<size_t>(s.Int(0));
          if (q < r.by_rating.size()) {
            r.by_rating[q][static_cast<size_t>(s.Int(1) - 1)] = s.Int(2);
          }
        },
        survey.value));
    for (size_t q = 0; q < r.by_rating.size(); ++q) {
      std::int64_t n = 0;
      std::int64_t sum = 0;
      for (int k = 0; k < 5; ++k) {
        n += r.by_rating[q][static_cast<size_t>(k)];
        sum += r.by_rating[q][static_cast<size_t>(k)] * (k + 1);
      }
      r.mean[q] = n > 0 ? static_cast<double>(sum) / static_cast<double>(n) : 0.0;
    }
    return r;
  }

  // ---- Committee review and publishing ----

  Result<RunReview> GetRunReview(MatchRunId run) override {
    std::lock_guard lock(mu_);
    TANDEM_RETURN_IF_ERROR(CheckRun(run));
    RunReview review;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT mentee_id FROM run_pair_locks WHERE run_id = ?1 ORDER BY mentee_id",
        [&](const Statement& s) { review.locked_mentees.push_back(s.Text(0)); }, run.value));
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT id, mentee_id, author, text, at FROM run_comments WHERE run_id = ?1 ORDER BY id",
        [&](const Statement& s) {
          review.comments.push_back(
              {s.Int(0), s.Text(1), AccountId{s.Int(2)}, s.Text(3), s.Text(4)});
        },
        run.value));
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT account_id FROM run_approvals WHERE run_id = ?1 ORDER BY account_id",
        [&](const Statement& s) { review.approvals.push_back(AccountId{s.Int(0)}); }, run.value));
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT published_at FROM run_publications WHERE run_id = ?1",
        [&](const Statement& s) { review.published_at = s.Text(0); }, run.value));
    return review;
  }

  Status SetPairLocked(MatchRunId run, const std::string& mentee_id, bool locked) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckUnpublishedPair(run, mentee_id));
    TANDEM_RETURN_IF_ERROR(
        locked ? Exec("INSERT OR IGNORE INTO run_pair_locks (run_id, mentee_id) VALUES (?1, ?2)",
                      run.value, mentee_id)
               : Exec("DELETE FROM run_pair_locks WHERE run_id = ?1 AND mentee_id = ?2", run.value,
                      mentee_id));
    return tx->Commit();
  }

  Result<std::int64_t> AddReviewComment(MatchRunId run, const std::string& mentee_id,
                                        AccountId author, const std::string& text) override {
    if (text.empty()) return Status::Invalid("comment: must not be empty");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    if (mentee_id.empty()) {
      TANDEM_RETURN_IF_ERROR(CheckUnpublished(run));
    } else {
      TANDEM_RETURN_IF_ERROR(CheckUnpublishedPair(run, mentee_id));
    }
    TANDEM_RETURN_IF_ERROR(
        Exec("INSERT INTO run_comments (run_id, mentee_id, author, text) VALUES (?1, ?2, ?3, ?4)",
             run.value, mentee_id, author.value, text));
    const std::int64_t id = db_->LastInsertRowId();
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Status ApproveRun(MatchRunId run, AccountId by) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckUnpublished(run));
    TANDEM_RETURN_IF_ERROR(
        Exec("INSERT OR IGNORE INTO run_approvals (run_id, account_id) VALUES (?1, ?2)", run.value,
             by.value));
    return tx->Commit();
  }

  Status SwapMentors(MatchRunId run, const RunPair& first, const RunPair& second) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckUnpublished(run));
    std::int64_t positions[2] = {-1, -1};
    std::string mentors[2];
    const RunPair* pairs[2] = {&first, &second};
    for (int k = 0; k < 2; ++k) {
      TANDEM_RETURN_IF_ERROR(ForEachRow(
          "SELECT position, mentor_id FROM match_run_pairs WHERE run_id = ?1 AND mentee_id = ?2",
          [&](const Statement& s) {
            positions[k] = s.Int(0);
            mentors[k] = s.Text(1);
          },
          run.value, pairs[k]->mentee_id));
      if (positions[k] < 0) {
        return Status::NotFound("run " + std::to_string(run.value) + " has no pair of mentee " +
                                pairs[k]->mentee_id);
      }
    }
    if (first.mentee_id == second.mentee_id || first.mentor_id != mentors[1] ||
        second.mentor_id != mentors[0]) {
      return Status::Invalid("a swap exchanges the mentors of two different pairs");
    }
    for (int k = 0; k < 2; ++k) {
      const RunPair& p = *pairs[k];
      TANDEM_RETURN_IF_ERROR(
          Exec("UPDATE match_run_pairs SET mentor_id = ?3, score = ?4, explanation = ?5"
               " WHERE run_id = ?1 AND position = ?2",
               run.value, positions[k], p.mentor_id, p.score, p.explanation));
      TANDEM_RETURN_IF_ERROR(
          Exec("DELETE FROM match_run_pair_factors WHERE run_id = ?1 AND position = ?2", run.value,
               positions[k]));
      TANDEM_RETURN_IF_ERROR(
          Exec("DELETE FROM match_run_pair_skills WHERE run_id = ?1 AND position = ?2", run.value,
               positions[k]));
      for (size_t c = 0; c < p.factors.size(); ++c) {
        TANDEM_RETURN_IF_ERROR(
            Exec("INSERT INTO match_run_pair_factors (run_id, position, criterion, value)"
                 " VALUES (?1, ?2, ?3, ?4)",
                 run.value, positions[k], static_cast<std::int64_t>(c), p.factors[c]));
      }
      for (size_t s = 0; s < p.skills_for.size(); ++s) {
        TANDEM_RETURN_IF_ERROR(
            Exec("INSERT INTO match_run_pair_skills (run_id, position, skill_position, skill)"
                 " VALUES (?1, ?2, ?3, ?4)",
                 run.value, positions[k], static_cast<std::int64_t>(s), p.skills_for[s]));
      }
    }
    return tx->Commit();
  }

  Result<std::vector<Relationship>> PublishRun(MatchRunId run) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(CheckUnpublished(run));
    std::int64_t program = 0;
    std::string status;
    bool rematch = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT p.id, p.status, r.rematch FROM match_runs r JOIN programs p ON p.id ="
        " r.program_id WHERE r.id = ?1",
        [&](const Statement& s) {
          program = s.Int(0);
          status = s.Text(1);
          rematch = s.Int(2) != 0;
        },
        run.value));
    const char* wanted = rematch ? "active" : "matching";
    if (status != wanted) {
      return Status::Invalid("program " + std::to_string(program) + " is not in status " + wanted +
                             " (it is " + status + ")");
    }
    std::int64_t approvals = 0;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT count(*) FROM run_approvals WHERE run_id = ?1",
        [&](const Statement& s) { approvals = s.Int(0); }, run.value));
    if (approvals == 0) {
      return Status::Invalid("run " + std::to_string(run.value) +
                             " has no approval yet; the committee approves before publishing");
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT mentee_id, mentor_id FROM match_run_pairs WHERE run_id = ?1 ORDER BY position",
        [&](const Statement& s) { pairs.emplace_back(s.Text(0), s.Text(1)); }, run.value));
    for (const auto& [mentee, mentor] : pairs) {
      Status s = Exec(
          "INSERT INTO relationships (program_id, run_id, mentee_id, mentor_id, status)"
          " VALUES (?1, ?2, ?3, ?4, 'active')",
          program, run.value, mentee, mentor);
      if (!s.ok()) {
        if (db_->LastErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
          return Status::Invalid("mentee " + mentee +
                                 " already has an open relationship in program " +
                                 std::to_string(program));
        }
        return s;
      }
    }
    TANDEM_RETURN_IF_ERROR(Exec("INSERT INTO run_publications (run_id) VALUES (?1)", run.value));
    if (!rematch) {
      TANDEM_RETURN_IF_ERROR(
          Exec("UPDATE programs SET status = 'active', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', "
               "'now') WHERE id = ?1",
               program));
      TANDEM_RETURN_IF_ERROR(
          Exec("INSERT INTO program_status_changes (program_id, from_status, to_status)"
               " VALUES (?1, 'matching', 'active')",
               program));
    }
    std::vector<Relationship> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT " TANDEM_RELATIONSHIP_COLUMNS " FROM relationships WHERE run_id = ?1 ORDER BY id",
        [&](const Statement& s) { out.push_back(RelationshipRow(s)); }, run.value));
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return out;
  }

  // ---- Relationships ----

  Result<Relationship> GetRelationship(RelationshipId id) override {
    std::lock_guard lock(mu_);
    return ReadRelationship(id);
  }

  Result<std::vector<Relationship>> ListRelationships(ProgramId program) override {
    std::lock_guard lock(mu_);
    std::vector<Relationship> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT " TANDEM_RELATIONSHIP_COLUMNS
        " FROM relationships WHERE program_id = ?1 ORDER BY id",
        [&](const Statement& s) { out.push_back(RelationshipRow(s)); }, program.value));
    return out;
  }

  Result<std::vector<Relationship>> ListRelationshipsOf(OrganizationId organization,
                                                        const std::string& employee_id) override {
    std::lock_guard lock(mu_);
    std::vector<Relationship> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT r.id, r.program_id, r.run_id, r.mentee_id, r.mentor_id, r.status, r.started_at,"
        " r.ended_at, r.end_reason, r.ended_by FROM relationships r JOIN programs p ON p.id ="
        " r.program_id WHERE p.organization_id = ?1 AND (r.mentee_id = ?2 OR r.mentor_id = ?2)"
        " ORDER BY r.id",
        [&](const Statement& s) { out.push_back(RelationshipRow(s)); }, organization.value,
        employee_id));
    return out;
  }

  Status ChangeRelationshipStatus(RelationshipId id, RelationshipStatus to,
                                  const std::string& reason, AccountId by) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    Result<Relationship> current = ReadRelationship(id);
    if (!current.ok()) return current.status();
    const RelationshipStatus from = current->status;
    const bool allowed = from != RelationshipStatus::kEnded && from != to;
    if (!allowed) {
      return Status::Invalid("relationship " + std::to_string(id.value) +
                             ": status cannot change from " + RelationshipStatusName(from) +
                             " to " + RelationshipStatusName(to));
    }
    if (to == RelationshipStatus::kEnded) {
      if (reason.empty()) return Status::Invalid("reason: ending a relationship needs a reason");
      TANDEM_RETURN_IF_ERROR(
          Exec("UPDATE relationships SET status = 'ended', end_reason = ?2, ended_by = ?3,"
               " ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
               id.value, reason, by.value));
    } else {
      TANDEM_RETURN_IF_ERROR(Exec("UPDATE relationships SET status = ?2 WHERE id = ?1", id.value,
                                  RelationshipStatusName(to)));
    }
    return tx->Commit();
  }

  // ---- Goals ----

  Result<GoalId> CreateGoal(RelationshipId relationship, const NewGoal& goal) override {
    if (goal.title.empty()) return Status::Invalid("title: must not be empty");
    if (!goal.due_date.empty() && !IsDate(goal.due_date)) {
      return Status::Invalid("due_date: must be YYYY-MM-DD: '" + goal.due_date + "'");
    }
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    Result<Relationship> r = ReadRelationship(relationship);
    if (!r.ok()) return r.status();
    if (goal.owner_id != r->mentee_id && goal.owner_id != r->mentor_id) {
      return Status::Invalid("owner: must be the mentee or the mentor of the relationship");
    }
    TANDEM_RETURN_IF_ERROR(Exec(
        "INSERT INTO goals (relationship_id, title, owner_id, due_date) VALUES (?1, ?2, ?3, ?4)",
        relationship.value, goal.title, goal.owner_id, goal.due_date));
    const GoalId id{db_->LastInsertRowId()};
    TANDEM_RETURN_IF_ERROR(WriteMilestones(id, goal.milestones));
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<Goal> GetGoal(GoalId id) override {
    std::lock_guard lock(mu_);
    std::vector<Goal> goals;
    TANDEM_RETURN_IF_ERROR(
        ReadGoals("SELECT " TANDEM_GOAL_COLUMNS " FROM goals WHERE id = ?1", id.value, &goals));
    if (goals.empty()) return Status::NotFound("goal " + std::to_string(id.value));
    return goals.front();
  }

  Result<std::vector<Goal>> ListGoals(RelationshipId relationship) override {
    std::lock_guard lock(mu_);
    std::vector<Goal> goals;
    TANDEM_RETURN_IF_ERROR(ReadGoals("SELECT " TANDEM_GOAL_COLUMNS
                                     " FROM goals WHERE relationship_id = ?1 ORDER BY id",
                                     relationship.value, &goals));
    return goals;
  }

  Status UpdateGoalProgress(GoalId id, int progress,
                            const std::vector<Milestone>& milestones) override {
    if (progress < 0 || progress > 100) return Status::Invalid("progress: must be 0..100");
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    TANDEM_RETURN_IF_ERROR(
        Exec("UPDATE goals SET progress = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
             " WHERE id = ?1",
             id.value, progress));
    if (db_->Changes() != 1) return Status::NotFound("goal " + std::to_string(id.value));
    TANDEM_RETURN_IF_ERROR(Exec("DELETE FROM goal_milestones WHERE goal_id = ?1", id.value));
    TANDEM_RETURN_IF_ERROR(WriteMilestones(id, milestones));
    return tx->Commit();
  }

  // ---- Meetings ----

  Result<MeetingId> ScheduleMeeting(RelationshipId relationship,
                                    const NewMeeting& meeting) override {
    if (!IsUtcTimestamp(meeting.starts_at)) {
      return Status::Invalid("starts_at: must be UTC as YYYY-MM-DDTHH:MM:SSZ: '" +
                             meeting.starts_at + "'");
    }
    if (meeting.duration_minutes < 5 || meeting.duration_minutes > 480) {
      return Status::Invalid("duration_minutes: must be 5..480");
    }
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    Result<Relationship> r = ReadRelationship(relationship);
    if (!r.ok()) return r.status();
    if (r->status != RelationshipStatus::kActive) {
      return Status::Invalid("relationship " + std::to_string(relationship.value) + " is " +
                             RelationshipStatusName(r->status) + "; meetings need it active");
    }
    TANDEM_RETURN_IF_ERROR(
        Exec("INSERT INTO meetings (relationship_id, starts_at, duration_minutes, location, agenda)"
             " VALUES (?1, ?2, ?3, ?4, ?5)",
             relationship.value, meeting.starts_at, meeting.duration_minutes, meeting.location,
             meeting.agenda));
    const MeetingId id{db_->LastInsertRowId()};
    TANDEM_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<Meeting> GetMeeting(MeetingId id) override {
    std::lock_guard lock(mu_);
    return ReadMeeting(id);
  }

  Result<std::vector<Meeting>> ListMeetings(RelationshipId relationship) override {
    std::lock_guard lock(mu_);
    std::vector<Meeting> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT " TANDEM_MEETING_COLUMNS
        " FROM meetings WHERE relationship_id = ?1 ORDER BY starts_at, id",
        [&](const Statement& s) { out.push_back(MeetingRow(s)); }, relationship.value));
    return out;
  }

  Status UpdateMeeting(MeetingId id, MeetingStatus status, const std::string& notes) override {
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    Result<Meeting> current = ReadMeeting(id);
    if (!current.ok()) return current.status();
    if (current->status == MeetingStatus::kCancelled && status != MeetingStatus::kCancelled) {
      return Status::Invalid("meeting " + std::to_string(id.value) + " was cancelled");
    }
    const int sequence = current->sequence + (status != current->status ? 1 : 0);
    TANDEM_RETURN_IF_ERROR(
        Exec("UPDATE meetings SET status = ?2, notes = ?3, sequence = ?4,"
             " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
             id.value, MeetingStatusName(status), notes, sequence));
    return tx->Commit();
  }

  // ---- Feedback ----

  Status AddFeedback(MeetingId meeting, const NewFeedback& feedback) override {
    if (feedback.rating < 1 || feedback.rating > 5) {
      return Status::Invalid("rating: must be 1..5");
    }
    std::lock_guard lock(mu_);
    Result<Transaction> tx = Transaction::Begin(*db_);
    if (!tx.ok()) return tx.status();
    Result<Meeting> m = ReadMeeting(meeting);
    if (!m.ok()) return m.status();
    if (m->status != MeetingStatus::kHeld) {
      return Status::Invalid("meeting " + std::to_string(meeting.value) +
                             " has not been logged as held yet");
    }
    Result<Relationship> r = ReadRelationship(m->relationship);
    if (!r.ok()) return r.status();
    const char* side = feedback.from_id == r->mentee_id   ? "mentee"
                       : feedback.from_id == r->mentor_id ? "mentor"
                                                          : nullptr;
    if (side == nullptr) {
      return Status::Invalid("from: only the mentee and the mentor give feedback");
    }
    Status s = Exec(
        "INSERT INTO feedback (meeting_id, from_id, side, rating, answers_json, comment)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        meeting.value, feedback.from_id, side, feedback.rating,
        feedback.answers_json.empty() ? "{}" : feedback.answers_json, feedback.comment);
    if (!s.ok() && db_->LastErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return Status::Invalid("feedback already given for meeting " + std::to_string(meeting.value));
    }
    TANDEM_RETURN_IF_ERROR(s);
    return tx->Commit();
  }

  Result<std::vector<Feedback>> ListFeedback(MeetingId meeting) override {
    std::lock_guard lock(mu_);
    std::vector<Feedback> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT from_id, rating, answers_json, comment, at FROM feedback WHERE meeting_id = ?1"
        " ORDER BY at, from_id",
        [&](const Statement& s) {
          out.push_back(
              {meeting, s.Text(0), static_cast<int>(s.Int(1)), s.Text(2), s.Text(3), s.Text(4)});
        },
        meeting.value));
    return out;
  }

  Result<FeedbackAggregate> AggregateFeedback(ProgramId program) override {
    std::lock_guard lock(mu_);
    FeedbackAggregate a;
    std::int64_t sum = 0;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT f.rating, f.side, count(*) FROM feedback f JOIN meetings m ON m.id = f.meeting_id"
        " JOIN relationships r ON r.id = m.relationship_id WHERE r.program_id = ?1"
        " GROUP BY f.rating, f.side",
        [&](const Statement& s) {
          const auto rating = static_cast<int>(s.Int(0));
          const std::int64_t n = s.Int(2);
          a.count += n;
          sum += n * rating;
          a.by_rating[static_cast<size_t>(rating - 1)] += n;
          (s.Text(1) == "mentee" ? a.from_mentees : a.from_mentors) += n;
        },
        program.value));
    if (a.count > 0) a.mean_rating = static_cast<double>(sum) / static_cast<double>(a.count);
    return a;
  }

 private:
  // Binds `args` to ?1, ?2, ... of `sql` and runs it. REQUIRES: mu_ held.
  template <typename... Args>
  Status Exec(const char* sql, const Args&... args) {
    Result<Query> q = db_->Prepare(sql);
    if (!q.ok()) return q.status();
    int index = 1;
    ((*q)->Bind(index++, args), ...);
    return (*q)->Run();
  }

  // Calls `row` for each result row. REQUIRES: mu_ held.
  template <typename F, typename... Args>
  Status ForEachRow(const char* sql, F&& row, const Args&... args) {
    Result<Query> q = db_->Prepare(sql);
    if (!q.ok()) return q.status();
    int index = 1;
    ((*q)->Bind(index++, args), ...);
    for (;;) {
      Result<bool> more = (*q)->Step();
      if (!more.ok()) return more.status();
      if (!*more) return Status::Ok();
      row(static_cast<const Statement&>(**q));
    }
  }

  static bool IsDate(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
      if (s[i] < '0' || s[i] > '9') return false;
    }
    const int month = std::stoi(s.substr(5, 2));
    const int day = std::stoi(s.substr(8, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }

  static bool IsUtcTimestamp(const std::string& s) {
    if (s.size() != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') {
      return false;
    }
    if (!IsDate(s.substr(0, 10))) return false;
    for (size_t i : {11, 12, 14, 15, 17, 18}) {
      if (s[i] < '0' || s[i] > '9') return false;
    }
    return std::stoi(s.substr(11, 2)) < 24 && std::stoi(s.substr(14, 2)) < 60 &&
           std::stoi(s.substr(17, 2)) < 60;
  }

  Status CheckRun(MatchRunId run) {
    bool found = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT 1 FROM match_runs WHERE id = ?1", [&](const Statement&) { found = true; },
        run.value));
    return found ? Status::Ok() : Status::NotFound("run " + std::to_string(run.value));
  }

  Status CheckUnpublished(MatchRunId run) {
    TANDEM_RETURN_IF_ERROR(CheckRun(run));
    bool published = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT 1 FROM run_publications WHERE run_id = ?1",
        [&](const Statement&) { published = true; }, run.value));
    return published ? Status::Invalid("run " + std::to_string(run.value) + " is published")
                     : Status::Ok();
  }

  Status CheckUnpublishedPair(MatchRunId run, const std::string& mentee_id) {
    TANDEM_RETURN_IF_ERROR(CheckUnpublished(run));
    bool found = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT 1 FROM match_run_pairs WHERE run_id = ?1 AND mentee_id = ?2",
        [&](const Statement&) { found = true; }, run.value, mentee_id));
    return found ? Status::Ok()
                 : Status::NotFound("run " + std::to_string(run.value) + " has no pair of mentee " +
                                    mentee_id);
  }

  static Application ApplicationRow(const Statement& s) {
    Application a;
    a.id = ApplicationId{s.Int(0)};
    a.program = ProgramId{s.Int(1)};
    a.employee_id = s.Text(2);
    a.role = s.Text(3);
    a.answers_json = s.Text(4);
    a.status = ParseApplicationStatus(s.Text(5)).value_or(ApplicationStatus::kWithdrawn);
    a.decision_note = s.Text(6);
    a.decided_by = AccountId{s.Int(7)};
    a.created_at = s.Text(8);
    a.decided_at = s.Text(9);
    return a;
  }

  static MentorRequest RequestRow(const Statement& s) {
    MentorRequest r;
    r.id = RequestId{s.Int(0)};
    r.program = ProgramId{s.Int(1)};
    r.mentee_id = s.Text(2);
    r.mentor_id = s.Text(3);
    r.message = s.Text(4);
    r.status = ParseRequestStatus(s.Text(5)).value_or(RequestStatus::kExpired);
    r.response = s.Text(6);
    r.created_at = s.Text(7);
    r.expires_at = s.Text(8);
    r.responded_at = s.Text(9);
    r.relationship = RelationshipId{s.Int(10)};
    return r;
  }

  Result<MentorRequest> ReadRequest(RequestId id) {
    std::optional<MentorRequest> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT id, program_id, mentee_id, mentor_id, message, status, response, created_at,"
        " expires_at, responded_at, relationship_id FROM mentor_requests WHERE id = ?1",
        [&](const Statement& s) { out = RequestRow(s); }, id.value));
    if (!out) return Status::NotFound("request " + std::to_string(id.value));
    return *out;
  }

  // REQUIRES: inside a transaction. Marks unanswered requests past their expiry as expired.
  Status ExpireRequests() {
    return Exec(
        "UPDATE mentor_requests SET status = 'expired' WHERE status IN ('open', "
        "'info_requested') AND expires_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
  }

  // The mentor has a free place in the program and the mentee no open relationship in it.
  Status CheckFreePlace(ProgramId program, const std::string& mentee, const std::string& mentor,
                        int capacity) {
    std::int64_t taken = 0;
    bool mentee_taken = false;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT mentee_id, mentor_id FROM relationships WHERE program_id = ?1"
        " AND status <> 'ended' AND (mentor_id = ?2 OR mentee_id = ?3)",
        [&](const Statement& s) {
          if (s.Text(1) == mentor) ++taken;
          if (s.Text(0) == mentee) mentee_taken = true;
        },
        program.value, mentor, mentee));
    if (mentee_taken) {
      return Status::Invalid(mentee + " already has a mentor in program " +
                             std::to_string(program.value));
    }
    if (taken >= capacity) {
      return Status::Invalid(mentor + " has no free place (" + std::to_string(taken) + " of " +
                             std::to_string(capacity) + " taken)");
    }
    return Status::Ok();
  }

  Status ReadSurveys(const char* sql, std::int64_t key, std::vector<Survey>* out) {
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        sql,
        [&](const Statement& s) {
          out->push_back(
              {SurveyId{s.Int(0)}, ProgramId{s.Int(1)}, s.Text(2), s.Text(3), {}, s.Text(4)});
        },
        key));
    for (Survey& survey : *out) {
      TANDEM_RETURN_IF_ERROR(ForEachRow(
          "SELECT text FROM survey_questions WHERE survey_id = ?1 ORDER BY position",
          [&](const Statement& s) { survey.questions.push_back(s.Text(0)); }, survey.id.value));
    }
    return Status::Ok();
  }

  static Relationship RelationshipRow(const Statement& s) {
    Relationship r;
    r.id = RelationshipId{s.Int(0)};
    r.program = ProgramId{s.Int(1)};
    r.run = MatchRunId{s.Int(2)};
    r.mentee_id = s.Text(3);
    r.mentor_id = s.Text(4);
    r.status = ParseRelationshipStatus(s.Text(5)).value_or(RelationshipStatus::kEnded);
    r.started_at = s.Text(6);
    r.ended_at = s.Text(7);
    r.end_reason = s.Text(8);
    r.ended_by = AccountId{s.Int(9)};
    return r;
  }

  Result<Relationship> ReadRelationship(RelationshipId id) {
    std::optional<Relationship> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT " TANDEM_RELATIONSHIP_COLUMNS " FROM relationships WHERE id = ?1",
        [&](const Statement& s) { out = RelationshipRow(s); }, id.value));
    if (!out) return Status::NotFound("relationship " + std::to_string(id.value));
    return *out;
  }

  Status WriteMilestones(GoalId goal, const std::vector<Milestone>& milestones) {
    for (size_t i = 0; i < milestones.size(); ++i) {
      if (milestones[i].title.empty()) {
        return Status::Invalid("milestones[" + std::to_string(i) + "].title: must not be empty");
      }
      TANDEM_RETURN_IF_ERROR(Exec(
          "INSERT INTO goal_milestones (goal_id, position, title, done) VALUES (?1, ?2, ?3, ?4)",
          goal.value, static_cast<std::int64_t>(i), milestones[i].title,
          milestones[i].done ? 1 : 0));
    }
    return Status::Ok();
  }

  Status ReadGoals(const char* sql, std::int64_t key, std::vector<Goal>* goals) {
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        sql,
        [&](const Statement& s) {
          Goal g;
          g.id = GoalId{s.Int(0)};
          g.relationship = RelationshipId{s.Int(1)};
          g.title = s.Text(2);
          g.owner_id = s.Text(3);
          g.due_date = s.Text(4);
          g.progress = static_cast<int>(s.Int(5));
          g.created_at = s.Text(6);
          g.updated_at = s.Text(7);
          goals->push_back(std::move(g));
        },
        key));
    for (Goal& g : *goals) {
      TANDEM_RETURN_IF_ERROR(ForEachRow(
          "SELECT title, done FROM goal_milestones WHERE goal_id = ?1 ORDER BY position",
          [&](const Statement& s) {
            g.milestones.push_back({s.Text(0), s.Int(1) != 0});
          },
          g.id.value));
    }
    return Status::Ok();
  }

  static Meeting MeetingRow(const Statement& s) {
    Meeting m;
    m.id = MeetingId{s.Int(0)};
    m.relationship = RelationshipId{s.Int(1)};
    m.starts_at = s.Text(2);
    m.duration_minutes = static_cast<int>(s.Int(3));
    m.location = s.Text(4);
    m.agenda = s.Text(5);
    m.status = ParseMeetingStatus(s.Text(6)).value_or(MeetingStatus::kCancelled);
    m.notes = s.Text(7);
    m.sequence = static_cast<int>(s.Int(8));
    m.created_at = s.Text(9);
    m.updated_at = s.Text(10);
    return m;
  }

  Result<Meeting> ReadMeeting(MeetingId id) {
    std::optional<Meeting> out;
    TANDEM_RETURN_IF_ERROR(ForEachRow(
        "SELECT " TANDEM_MEETING_COLUMNS " FROM meetings WHERE id = ?1",
        [&](const Statement& s) { out = MeetingRow(s); }, id.value));
    if (!out) return Status::NotFound("meeting " + std::to_string(id.value));
    return *out;
  }

  static Account AccountRow(const Statement& s) {
    Account a;
    a.id = AccountId{s.Int(0)};
    a.organization = OrganizationId{s.Int(1)};
    a.email = s.Text(2);
    a.display_name = s.Text(3);
    a.password_hash = s.Text(4);
    a.employee_id = s.Text(5);
    a.created_at = s.Text(6);
    return a;
  }

  // One account by id (when `id` is set) or by email, with its grants.
  Result<Account> ReadAccount(const char* sql, std::optional<std::int64_t> id,
                              const std::string& email, const std::string& what) {
    Account a;
    {
      Result<Query> q = db_->Prepare(sql);
      if (!q.ok()) return q.status();
      if (id) {
        (*q)->Bind(1, *id);
      } else {
        (*q)->Bind(1, email);
      }
      Result<bool> row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::NotFound(what);
      a = AccountRow(**q);
    }
    TANDEM_RETURN_IF_ERROR(ReadGrants(a));
    return a;
  }

  Status ReadGrants(Account& a) {
    Result<Query> q = db_->Prepare(
        "SELECT role, program_id FROM account_roles WHERE account_id = ?1 ORDER BY role, "
        "program_id");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, a.id.value);
    a.roles.clear();
    for (;;) {
      Result<bool> row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      const std::optional<Role> role = ParseRole((*q)->Text(0));
      if (!role) return Status::Internal("account " + std::to_string(a.id.value) + ": bad role");
      a.roles.push_back({*role, ProgramId{(*q)->Int(1)}});
    }
    return Status::Ok();
  }

  // REQUIRES: inside a transaction.
  Status InsertGrant(AccountId account, const RoleGrant& grant) {
    if (grant.program.value != 0) {
      Result<Query> q = db_->Prepare(
          "SELECT 1 FROM programs p JOIN accounts a ON a.organization_id = p.organization_id"
          " WHERE p.id = ?1 AND a.id = ?2");
      if (!q.ok()) return q.status();
      Result<bool> row = (*q)->Bind(1, grant.program.value).Bind(2, account.value).Step();
      if (!row.ok()) return row.status();
      if (!*row) {
        return Status::NotFound("program " + std::to_string(grant.program.value) +
                                " in the account's organization");
      }
    }
    Result<Query> q = db_->Prepare(
        "INSERT OR IGNORE INTO account_roles (account_id, role, program_id) VALUES (?1, ?2, ?3)");
    if (!q.ok()) return q.status();
    return (*q)
        ->Bind(1, account.value)
        .Bind(2, RoleName(grant.role))
        .Bind(3, grant.program.value)
        .Run();
  }

  Status CheckAccount(AccountId account) {
    Result<Query> q = db_->Prepare("SELECT 1 FROM accounts WHERE id = ?1");
    if (!q.ok()) return q.status();
    Result<bool> row = (*q)->Bind(1, account.value).Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("account " + std::to_string(account.value));
    return Status::Ok();
  }

  Result<Session> ReadSession(const std::string& token_hash) {
    Result<Query> q = db_->Prepare(
        "SELECT account_id, csrf_token, created_at, expires_at FROM sessions WHERE token_hash = "
        "?1");
    if (!q.ok()) return q.status();
    Result<bool> row = (*q)->Bind(1, token_hash).Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("session");
    return Session{token_hash, AccountId{(*q)->Int(0)}, (*q)->Text(1), (*q)->Text(2),
                   (*q)->Text(3)};
  }

  static Job JobRow(const Statement& s) {
    Job j;
    j.id = JobId{s.Int(0)};
    j.organization = OrganizationId{s.Int(1)};
    j.program = ProgramId{s.Int(2)};
    j.kind = s.Text(3);
    j.state = ParseJobState(s.Text(4)).value_or(JobState::kFailed);
    j.payload_json = s.Text(5);
    j.created_by = AccountId{s.Int(6)};
    j.claimed_by = s.Text(7);
    j.progress = s.Double(8);
    j.progress_message = s.Text(9);
    j.cancel_requested = s.Int(10) != 0;
    j.result_json = s.Text(11);
    j.error = s.Text(12);
    j.created_at = s.Text(13);
    j.started_at = s.Text(14);
    j.finished_at = s.Text(15);
    return j;
  }

  Result<Job> ReadJob(JobId id) {
    Result<Query> q = db_->Prepare("SELECT " TANDEM_JOB_COLUMNS " FROM jobs WHERE id = ?1");
    if (!q.ok()) return q.status();
    Result<bool> row = (*q)->Bind(1, id.value).Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("job " + std::to_string(id.value));
    return JobRow(**q);
  }

  Status MigrateLocked() {
    TANDEM_RETURN_IF_ERROR(
        db_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                  " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                  " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"));
    const std::vector<Migration>& migrations = SqliteMigrations();
    const int known = migrations.empty() ? 0 : migrations.back().version;
    for (const Migration& m : migrations) {
      Result<Transaction> tx = Transaction::Begin(*db_);
      if (!tx.ok()) return tx.status();
      std::int64_t current = 0;
      {
        Result<Query> q = db_->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
        if (!q.ok()) return q.status();
        Result<bool> row = (*q)->Step();
        if (!row.ok()) return row.status();
        current = (*q)->Int(0);
      }
      if (current > known) {
        return Status::Io("database schema version " + std::to_string(current) +
                          " is newer than this build knows (" + std::to_string(known) + ")");
      }
      if (current >= m.version) continue;  // applied before (tx rolls back: nothing written)
      if (Status s = db_->Exec(m.sql); !s.ok()) {
        return Status::Internal("migration " + std::to_string(m.version) + " (" + m.name +
                                "): " + s.message());
      }
      Result<Query> q =
          db_->Prepare("INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR((*q)->Bind(1, m.version).Bind(2, m.name).Run());
      TANDEM_RETURN_IF_ERROR(tx->Commit());
    }
    return Status::Ok();
  }

  Status CheckOrganization(OrganizationId organization) {
    Result<Query> q = db_->Prepare("SELECT 1 FROM organizations WHERE id = ?1");
    if (!q.ok()) return q.status();
    Result<bool> row = (*q)->Bind(1, organization.value).Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("organization " + std::to_string(organization.value));
    return Status::Ok();
  }

  // REQUIRES: inside a transaction.
  Status WritePerson(OrganizationId organization, const Person& p) {
    std::int64_t row_id = 0;
    {
      Result<Query> q = db_->Prepare(kUpsertPerson);
      if (!q.ok()) return q.status();
      Statement& s = **q;
      s.Bind(1, organization.value)
          .Bind(2, p.id)
          .Bind(3, p.name)
          .Bind(4, p.email)
          .Bind(5, p.title)
          .Bind(6, p.department)
          .Bind(7, p.site)
          .Bind(8, p.time_zone)
          .Bind(9, p.utc_offset_minutes)
          .Bind(10, p.seniority)
          .Bind(11, p.manager_id)
          .Bind(12, p.communication_style)
          .Bind(13, MeetingPreferenceName(p.meeting_preference))
          .Bind(14, EncodeAvailability(p.availability))
          .Bind(15, PersonRoleName(p.role))
          .Bind(16, p.mentor_capacity)
          .Bind(17, p.prefer_shared_background ? 1 : 0);
      if (p.personality) {
        const BigFive& b = *p.personality;
        s.Bind(18, b.openness)
            .Bind(19, b.conscientiousness)
            .Bind(20, b.extraversion)
            .Bind(21, b.agreeableness)
            .Bind(22, b.neuroticism);
      } else {
        for (int i = 18; i <= 22; ++i) s.BindNull(i);
      }
      Result<bool> row = s.Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Internal("upsert returned no id");
      row_id = s.Int(0);
      TANDEM_RETURN_IF_ERROR(s.Run());  // finish the statement
    }
    // Replace the lists: a no-op for a new person.
    for (const char* sql : {"DELETE FROM person_values WHERE person_id = ?1",
                            "DELETE FROM person_skills_held WHERE person_id = ?1",
                            "DELETE FROM person_skills_wanted WHERE person_id = ?1",
                            "DELETE FROM person_self_described WHERE person_id = ?1"}) {
      TANDEM_RETURN_IF_ERROR(Exec(sql, row_id));
    }
    for (const ValueList& list : kValueLists) {
      const std::vector<std::string>& values = p.*list.member;
      for (size_t i = 0; i < values.size(); ++i) {
        TANDEM_RETURN_IF_ERROR(Exec(
            "INSERT INTO person_values (person_id, field, position, value) VALUES (?1, ?2, ?3, ?4)",
            row_id, list.field, static_cast<std::int64_t>(i), values[i]));
      }
    }
    for (size_t i = 0; i < p.skills_held.size(); ++i) {
      TANDEM_RETURN_IF_ERROR(
          Exec("INSERT INTO person_skills_held (person_id, position, skill, proficiency)"
               " VALUES (?1, ?2, ?3, ?4)",
               row_id, static_cast<std::int64_t>(i), p.skills_held[i].skill,
               p.skills_held[i].proficiency));
    }
    for (size_t i = 0; i < p.skills_wanted.size(); ++i) {
      TANDEM_RETURN_IF_ERROR(
          Exec("INSERT INTO person_skills_wanted (person_id, position, skill, priority)"
               " VALUES (?1, ?2, ?3, ?4)",
               row_id, static_cast<std::int64_t>(i), p.skills_wanted[i].skill,
               p.skills_wanted[i].priority));
    }
    for (size_t i = 0; i < p.self_described.size(); ++i) {
      TANDEM_RETURN_IF_ERROR(
          Exec("INSERT INTO person_self_described (person_id, position, key, value)"
               " VALUES (?1, ?2, ?3, ?4)",
               row_id, static_cast<std::int64_t>(i), p.self_described[i].first,
               p.self_described[i].second));
    }
    return Status::Ok();
  }

  // Reads the scalar fields of a `people` row selected with kSelectPerson's columns.
  static Status ReadPersonRow(const Statement& s, std::int64_t* row_id, Person* p) {
    *row_id = s.Int(0);
    p->id = s.Text(1);
    p->name = s.Text(2);
    p->email = s.Text(3);
    p->title = s.Text(4);
    p->department = s.Text(5);
    p->site = s.Text(6);
    p->time_zone = s.Text(7);
    p->utc_offset_minutes = static_cast<int>(s.Int(8));
    p->seniority = static_cast<int>(s.Int(9));
    p->manager_id = s.Text(10);
    p->communication_style = s.Text(11);
    const std::optional<MeetingPreference> meeting = ParseMeetingPreference(s.Text(12));
    const std::optional<ProgramRole> role = ParsePersonRole(s.Text(14));
    if (!meeting || !role) return Status::Internal("person " + p->id + ": bad enum in database");
    p->meeting_preference = *meeting;
    p->availability = DecodeAvailability(s.Text(13));
    p->role = *role;
    p->mentor_capacity = static_cast<int>(s.Int(15));
    p->prefer_shared_background = s.Int(16) != 0;
    if (s.IsNull(17)) {
      p->personality.reset();
    } else {
      p->personality =
          BigFive{s.Double(17), s.Double(18), s.Double(19), s.Double(20), s.Double(21)};
    }
    return Status::Ok();
  }

  Status ReadPersonLists(std::int64_t row_id, Person* p) {
    {
      Result<Query> q = db_->Prepare(
          "SELECT field, value FROM person_values WHERE person_id = ?1 ORDER BY field, position");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, row_id);
      for (;;) {
        Result<bool> row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        const std::string field = (*q)->Text(0);
        bool known = false;
        for (const ValueList& list : kValueLists) {
          if (field == list.field) {
            (p->*list.member).push_back((*q)->Text(1));
            known = true;
            break;
          }
        }
        if (!known) return Status::Internal("person " + p->id + ": unknown list " + field);
      }
    }
    {
      Result<Query> q = db_->Prepare(
          "SELECT skill, proficiency FROM person_skills_held WHERE person_id = ?1"
          " ORDER BY position");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, row_id);
      for (;;) {
        Result<bool> row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        p->skills_held.push_back({(*q)->Text(0), static_cast<int>((*q)->Int(1))});
      }
    }
    {
      Result<Query> q = db_->Prepare(
          "SELECT skill, priority FROM person_skills_wanted WHERE person_id = ?1"
          " ORDER BY position");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, row_id);
      for (;;) {
        Result<bool> row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        p->skills_wanted.push_back({(*q)->Text(0), static_cast<int>((*q)->Int(1))});
      }
    }
    {
      Result<Query> q = db_->Prepare(
          "SELECT key, value FROM person_self_described WHERE person_id = ?1 ORDER BY position");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, row_id);
      for (;;) {
        Result<bool> row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        p->self_described.emplace_back((*q)->Text(0), (*q)->Text(1));
      }
    }
    return Status::Ok();
  }

  static Result<Program> ReadProgramRow(const Statement& s) {
    Program p;
    p.id = ProgramId{s.Int(0)};
    p.organization = OrganizationId{s.Int(1)};
    p.name = s.Text(2);
    p.model = s.Text(3);
    const std::optional<ProgramStatus> status = ParseProgramStatus(s.Text(4));
    if (!status) return Status::Internal("program " + std::to_string(p.id.value) + ": bad status");
    p.status = *status;
    p.config_json = s.Text(5);
    p.created_at = s.Text(6);
    p.updated_at = s.Text(7);
    return p;
  }

  std::mutex mu_;  // serialises use of the one connection
  std::unique_ptr<Db> db_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path, const SqliteOptions& options) {
  Result<std::unique_ptr<Db>> db = Db::Open(path, options.busy_timeout_ms);
  if (!db.ok()) return db.status();
  auto store = std::make_unique<SqliteStore>(std::move(db).value());
  if (Status s = store->Migrate(); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tandem::store
