#include "store/sqlite/sqlite_store.h"

#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/migrations/sqlite_migrations.h"
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

// Character h is '1' when hour h of the week is available.
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
          "INSERT INTO match_runs (program_id, config_json, input_snapshot_json, summary_json)"
          " VALUES (?1, ?2, ?3, ?4)");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR((*q)->Bind(1, program.value)
                                 .Bind(2, run.config_json)
                                 .Bind(3, run.input_snapshot_json)
                                 .Bind(4, run.summary_json)
                                 .Run());
      id = MatchRunId{db_->LastInsertRowId()};
    }
    for (size_t i = 0; i < run.pairs.size(); ++i) {
      const RunPair& pair = run.pairs[i];
      const auto pos = static_cast<std::int64_t>(i);
      {
        Result<Query> q = db_->Prepare(
            "INSERT INTO match_run_pairs (run_id, position, mentee_id, mentor_id, score,"
            " explanation) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        if (!q.ok()) return q.status();
        TANDEM_RETURN_IF_ERROR((*q)->Bind(1, id.value)
                                   .Bind(2, pos)
                                   .Bind(3, pair.mentee_id)
                                   .Bind(4, pair.mentor_id)
                                   .Bind(5, pair.score)
                                   .Bind(6, pair.explanation)
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
          "SELECT program_id, created_at, config_json, input_snapshot_json, summary_json"
          " FROM match_runs WHERE id = ?1");
      if (!q.ok()) return q.status();
      Result<bool> row = (*q)->Bind(1, id.value).Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::NotFound("match run " + std::to_string(id.value));
      run.program = ProgramId{(*q)->Int(0)};
      run.created_at = (*q)->Text(1);
      run.config_json = (*q)->Text(2);
      run.input_snapshot_json = (*q)->Text(3);
      run.summary_json = (*q)->Text(4);
    }
    {
      Result<Query> q = db_->Prepare(
          "SELECT mentee_id, mentor_id, score, explanation FROM match_run_pairs"
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
        "SELECT id, created_at, summary_json FROM match_runs WHERE program_id = ?1 ORDER BY id");
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
          " started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1 AND state = 'queued'");
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
          "UPDATE jobs SET progress = ?2, progress_message = ?3 WHERE id = ?1 AND state = "
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

 private:
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
      Result<Query> q = db_->Prepare(sql);
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR((*q)->Bind(1, row_id).Run());
    }
    for (const ValueList& list : kValueLists) {
      const std::vector<std::string>& values = p.*list.member;
      for (size_t i = 0; i < values.size(); ++i) {
        Result<Query> q = db_->Prepare(
            "INSERT INTO person_values (person_id, field, position, value)"
            " VALUES (?1, ?2, ?3, ?4)");
        if (!q.ok()) return q.status();
        TANDEM_RETURN_IF_ERROR((*q)->Bind(1, row_id)
                                   .Bind(2, list.field)
                                   .Bind(3, static_cast<std::int64_t>(i))
                                   .Bind(4, values[i])
                                   .Run());
      }
    }
    for (size_t i = 0; i < p.skills_held.size(); ++i) {
      Result<Query> q = db_->Prepare(
          "INSERT INTO person_skills_held (person_id, position, skill, proficiency)"
          " VALUES (?1, ?2, ?3, ?4)");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR((*q)->Bind(1, row_id)
                                 .Bind(2, static_cast<std::int64_t>(i))
                                 .Bind(3, p.skills_held[i].skill)
                                 .Bind(4, p.skills_held[i].proficiency)
                                 .Run());
    }
    for (size_t i = 0; i < p.skills_wanted.size(); ++i) {
      Result<Query> q = db_->Prepare(
          "INSERT INTO person_skills_wanted (person_id, position, skill, priority)"
          " VALUES (?1, ?2, ?3, ?4)");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR((*q)->Bind(1, row_id)
                                 .Bind(2, static_cast<std::int64_t>(i))
                                 .Bind(3, p.skills_wanted[i].skill)
                                 .Bind(4, p.skills_wanted[i].priority)
                                 .Run());
    }
    for (size_t i = 0; i < p.self_described.size(); ++i) {
      Result<Query> q = db_->Prepare(
          "INSERT INTO person_self_described (person_id, position, key, value)"
          " VALUES (?1, ?2, ?3, ?4)");
      if (!q.ok()) return q.status();
      TANDEM_RETURN_IF_ERROR((*q)->Bind(1, row_id)
                                 .Bind(2, static_cast<std::int64_t>(i))
                                 .Bind(3, p.self_described[i].first)
                                 .Bind(4, p.self_described[i].second)
                                 .Run());
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
