// The Store contract (store.h), checked on every backend built: each test runs on SQLite and on
// PostgreSQL. The PostgreSQL instance needs a server named by the environment variable
// TANDEM_TEST_PG, a libpq connection string (scripts/pg-test-server.sh starts a throwaway one);
// without it those tests are skipped. Each PostgreSQL test gets a new, empty schema of its own,
// dropped at the end, so tests are independent and may run in parallel against one database.
#include "store/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sample/organization.h"
#include "store/migrations/sqlite_migrations.h"
#include "store/sqlite/sqlite_store.h"
#ifdef TANDEM_WITH_POSTGRES
#include "store/migrations/postgres_migrations.h"
#include "store/postgres/pg_db.h"
#include "store/postgres/postgres_store.h"
#endif

namespace tandem::store {
namespace {

namespace fs = std::filesystem;

// Compares every field of Person, exactly (doubles included).
void ExpectSamePerson(const Person& want, const Person& got) {
  SCOPED_TRACE("person " + want.id);
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.name, got.name);
  EXPECT_EQ(want.email, got.email);
  EXPECT_EQ(want.title, got.title);
  EXPECT_EQ(want.department, got.department);
  EXPECT_EQ(want.site, got.site);
  EXPECT_EQ(want.time_zone, got.time_zone);
  EXPECT_EQ(want.utc_offset_minutes, got.utc_offset_minutes);
  EXPECT_EQ(want.seniority, got.seniority);
  EXPECT_EQ(want.manager_id, got.manager_id);
  EXPECT_EQ(want.languages, got.languages);
  ASSERT_EQ(want.skills_held.size(), got.skills_held.size());
  for (size_t i = 0; i < want.skills_held.size(); ++i) {
    EXPECT_EQ(want.skills_held[i].skill, got.skills_held[i].skill);
    EXPECT_EQ(want.skills_held[i].proficiency, got.skills_held[i].proficiency);
  }
  ASSERT_EQ(want.skills_wanted.size(), got.skills_wanted.size());
  for (size_t i = 0; i < want.skills_wanted.size(); ++i) {
    EXPECT_EQ(want.skills_wanted[i].skill, got.skills_wanted[i].skill);
    EXPECT_EQ(want.skills_wanted[i].priority, got.skills_wanted[i].priority);
  }
  EXPECT_EQ(want.career_goals, got.career_goals);
  EXPECT_EQ(want.interests, got.interests);
  EXPECT_EQ(want.learning_preferences, got.learning_preferences);
  ASSERT_EQ(want.personality.has_value(), got.personality.has_value());
  if (want.personality) {
    EXPECT_EQ(want.personality->openness, got.personality->openness);
    EXPECT_EQ(want.personality->conscientiousness, got.personality->conscientiousness);
    EXPECT_EQ(want.personality->extraversion, got.personality->extraversion);
    EXPECT_EQ(want.personality->agreeableness, got.personality->agreeableness);
    EXPECT_EQ(want.personality->neuroticism, got.personality->neuroticism);
  }
  EXPECT_EQ(want.communication_style, got.communication_style);
  EXPECT_EQ(want.meeting_preference, got.meeting_preference);
  EXPECT_EQ(want.availability, got.availability);
  EXPECT_EQ(want.role, got.role);
  EXPECT_EQ(want.mentor_capacity, got.mentor_capacity);
  EXPECT_EQ(want.preferred_mentors, got.preferred_mentors);
  EXPECT_EQ(want.self_described, got.self_described);
  EXPECT_EQ(want.prefer_shared_background, got.prefer_shared_background);
}

enum class Backend { kSqlite, kPostgres };

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}
void PrintTo(Backend backend, std::ostream* os) {
  *os << (backend == Backend::kSqlite ? "SQLite" : "PostgreSQL");
}

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const std::string unique = std::to_string(::getpid()) + "_" + std::to_string(counter++);
    if (GetParam() == Backend::kSqlite) {
      dir_ = fs::temp_directory_path() / ("tandem_store_test_" + unique);
      fs::create_directories(dir_);
      path_ = (dir_ / "tandem.db").string();
    } else {
#ifdef TANDEM_WITH_POSTGRES
      const char* conninfo = std::getenv("TANDEM_TEST_PG");
      if (conninfo == nullptr || *conninfo == '\0') {
        GTEST_SKIP() << "TANDEM_TEST_PG is not set: no PostgreSQL server to test against "
                        "(eval \"$(scripts/pg-test-server.sh start)\" starts one)";
      }
      conninfo_ = conninfo;
      Result<std::unique_ptr<postgres::Connection>> admin =
          postgres::Connection::Open(conninfo_, "");
      ASSERT_TRUE(admin.ok()) << admin.status().ToString();
      admin_ = std::move(admin).value();
      schema_ = "tandem_test_" + unique;
      ASSERT_TRUE(admin_->Exec("CREATE SCHEMA " + schema_).ok());
#else
      GTEST_SKIP() << "built without PostgreSQL (TANDEM_WITH_POSTGRES=OFF)";
#endif
    }
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
#ifdef TANDEM_WITH_POSTGRES
    if (admin_ != nullptr && !schema_.empty()) {
      EXPECT_TRUE(admin_->Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE").ok());
    }
#endif
  }

  // Another Store on the same database (as another server process would open it).
  Result<std::unique_ptr<Store>> OpenAnother() {
#ifdef TANDEM_WITH_POSTGRES
    if (GetParam() == Backend::kPostgres) {
      PostgresOptions options;
      options.schema = schema_;
      return OpenPostgres(conninfo_, options);
    }
#endif
    return OpenSqlite(path_);
  }

  void Reopen() {
    store_.reset();
    Result<std::unique_ptr<Store>> opened = OpenAnother();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  OrganizationId MakeOrganization(const std::string& name = "Acme") {
    Result<OrganizationId> id = store_->CreateOrganization(name);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : OrganizationId{};
  }

  ProgramId MakeProgram(OrganizationId org, const std::string& name) {
    Result<ProgramId> id = store_->CreateProgram(org, {name, "traditional", "{}"});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : ProgramId{};
  }

  AccountId MakeAccount(OrganizationId org, const std::string& email,
                        std::vector<RoleGrant> roles = {}) {
    Result<AccountId> id = store_->CreateAccount(
        org, {email, "Name of " + email, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA", "",
              std::move(roles)});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : AccountId{};
  }

  std::int64_t Count(OrganizationId org) {
    Result<std::int64_t> n = store_->CountPeople(org);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }

  static std::vector<Person> People(int n, std::uint64_t seed = 7) {
    sample::OrganizationSpec spec;
    spec.people = n;
    spec.seed = seed;
    return sample::GenerateOrganization(spec);
  }

  fs::path dir_;      // SQLite
  std::string path_;  // SQLite
#ifdef TANDEM_WITH_POSTGRES
  std::string conninfo_;                         // PostgreSQL
  std::string schema_;                           // PostgreSQL: this test's schema
  std::unique_ptr<postgres::Connection> admin_;  // creates and drops schema_
#endif
  std::unique_ptr<Store> store_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

// Tests of the SQLite file itself (WAL, paths); PostgreSQL has no equivalent.
class SqliteFileTest : public StoreTest {};
INSTANTIATE_TEST_SUITE_P(Backends, SqliteFileTest, ::testing::Values(Backend::kSqlite),
                         BackendName);

TEST_P(StoreTest, MigrationsAreRecordedAndIdempotent) {
  Result<std::vector<AppliedMigration>> applied = store_->AppliedMigrations();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  const size_t known = SqliteMigrations().size();
  ASSERT_EQ(applied->size(), known);
  for (size_t i = 0; i < applied->size(); ++i) {
    EXPECT_EQ((*applied)[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE((*applied)[i].name.empty());
    // "2026-11-23T18:09:56.123Z"
    EXPECT_EQ((*applied)[i].applied_at.size(), 24u) << (*applied)[i].applied_at;
    EXPECT_EQ((*applied)[i].applied_at.back(), 'Z');
  }
  EXPECT_EQ((*applied)[0].name, "organizations and people");

  ASSERT_TRUE(store_->Migrate().ok());
  ASSERT_TRUE(store_->Migrate().ok());
  Reopen();  // migrates again on open
  Result<std::vector<AppliedMigration>> again = store_->AppliedMigrations();
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), known);
  for (size_t i = 0; i < again->size(); ++i) {
    EXPECT_EQ((*again)[i].version, (*applied)[i].version);
    EXPECT_EQ((*again)[i].applied_at, (*applied)[i].applied_at);  // not re-applied
  }
}

TEST_P(StoreTest, OrganizationsHaveUniqueNames) {
  const OrganizationId acme = MakeOrganization("Acme");
  Result<Organization> got = store_->GetOrganization(acme);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "Acme");
  EXPECT_EQ(got->id, acme);

  Result<OrganizationId> dup = store_->CreateOrganization("Acme");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dup.status().message(), "organization name already used: Acme");
  EXPECT_EQ(store_->GetOrganization(OrganizationId{acme.value + 100}).status().code(),
            StatusCode::kNotFound);
}

TEST_P(StoreTest, PeopleRoundTripExactly) {
  const OrganizationId org = MakeOrganization();
  const std::vector<Person> people = People(300);
  // The sample must exercise every optional part, or the comparison proves little.
  int with_personality = 0, without_personality = 0, self_described = 0, choices = 0,
      availability = 0, either = 0, shared_background = 0;
  for (const Person& p : people) {
    (p.personality ? with_personality : without_personality)++;
    self_described += !p.self_described.empty();
    choices += !p.preferred_mentors.empty();
    availability += p.availability.any();
    either += p.role == ProgramRole::kEither;
    shared_background += p.prefer_shared_background;
  }
  ASSERT_GT(self_described, 0);
  ASSERT_GT(choices, 0);
  ASSERT_GT(availability, 0);
  ASSERT_GT(either, 0);
  ASSERT_GT(with_personality, 0);
  ASSERT_GT(without_personality, 0);
  ASSERT_GT(shared_background, 0);

  Result<int> written = store_->UpsertPeople(org, people);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(*written, 300);
  EXPECT_EQ(Count(org), 300);

  // Ids are "E000001", ... so employee id order is generation order.
  Result<PeoplePage> page = store_->ListPeople(org, "", kMaxPageSize);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->people.size(), people.size());
  EXPECT_TRUE(page->next_cursor.empty());
  for (size_t i = 0; i < people.size(); ++i) ExpectSamePerson(people[i], page->people[i]);

  Result<Person> one = store_->GetPerson(org, people[41].id);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ExpectSamePerson(people[41], *one);

  // A person with no personality and edge values round-trips too.
  Person edge = people[0];
  edge.id = "X-edge";
  edge.personality.reset();
  edge.availability.reset();
  edge.availability.set(0).set(kHoursPerWeek - 1);
  edge.languages = {"english", "english"};  // duplicates and order are kept
  edge.self_described = {{"gender", "woman"}, {"employee_groups", "pride; veterans"}};
  edge.manager_id.clear();
  edge.utc_offset_minutes = -570;
  edge.prefer_shared_background = true;
  edge.name = "Zoë \"Z\" O'Brien";
  ASSERT_TRUE(store_->UpsertPeople(org, {edge}).ok());
  Result<Person> got_edge = store_->GetPerson(org, "X-edge");
  ASSERT_TRUE(got_edge.ok());
  ExpectSamePerson(edge, *got_edge);

  EXPECT_EQ(store_->GetPerson(org, "nobody").status().code(), StatusCode::kNotFound);
  const OrganizationId other = MakeOrganization("Other");
  EXPECT_EQ(store_->GetPerson(other, people[0].id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Count(other), 0);
}

TEST_P(StoreTest, UpsertUpdatesExistingIds) {
  const OrganizationId org = MakeOrganization();
  std::vector<Person> people = People(20);
  ASSERT_TRUE(store_->UpsertPeople(org, people).ok());

  std::vector<Person> changes = {people[3], people[10]};
  changes[0].name = "Renamed Person";
  changes[0].seniority = 9;
  changes[0].skills_held = {{"rust", 5}};
  changes[0].languages.clear();
  changes[0].personality.reset();
  changes[1].self_described.clear();
  changes[1].availability.flip();
  Person added = people[0];
  added.id = "E999999";
  changes.push_back(added);

  Result<int> written = store_->UpsertPeople(org, changes);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(*written, 3);
  EXPECT_EQ(Count(org), 21);
  for (const Person& p : changes) {
    Result<Person> got = store_->GetPerson(org, p.id);
    ASSERT_TRUE(got.ok()) << p.id;
    ExpectSamePerson(p, *got);
  }
  Result<Person> untouched = store_->GetPerson(org, people[4].id);
  ASSERT_TRUE(untouched.ok());
  ExpectSamePerson(people[4], *untouched);
}

TEST_P(StoreTest, DuplicateIdInBatchWritesNothing) {
  const OrganizationId org = MakeOrganization();
  std::vector<Person> people = People(10);
  ASSERT_TRUE(store_->UpsertPeople(org, people).ok());
  ASSERT_EQ(Count(org), 10);

  std::vector<Person> batch = People(30, 99);
  for (size_t i = 0; i < batch.size(); ++i) batch[i].id = "N" + std::to_string(1000 + i);
  batch[2].name = "Changed In Failed Batch";
  batch[2].id = people[2].id;  // an update that must be rolled back
  batch[25].id = batch[5].id;  // the duplicate, after 25 rows were written
  Result<int> written = store_->UpsertPeople(org, batch);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(written.status().message(), "person N1005 appears twice in the import (rows 6 and 26)");
  EXPECT_EQ(Count(org), 10);
  EXPECT_EQ(store_->GetPerson(org, "N1000").status().code(), StatusCode::kNotFound);
  Result<Person> kept = store_->GetPerson(org, people[2].id);
  ASSERT_TRUE(kept.ok());
  ExpectSamePerson(people[2], *kept);
}

TEST_P(StoreTest, ConstraintViolationInLastRowLeavesNothingHalfWritten) {
  const OrganizationId org = MakeOrganization();
  std::vector<Person> people = People(50);
  ASSERT_TRUE(store_->UpsertPeople(org, people).ok());

  std::vector<Person> batch = People(120, 5);
  for (size_t i = 0; i < batch.size(); ++i) batch[i].id = "B" + std::to_string(i);
  batch[0] = people[0];
  batch[0].name = "Rolled Back";
  batch[0].skills_held.clear();
  batch.back().seniority = 11;  // the database's CHECK refuses it, after 119 rows were written
  Result<int> written = store_->UpsertPeople(org, batch);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(written.status().message().find("person B119: "), std::string::npos)
      << written.status().message();
  EXPECT_NE(written.status().message().find("seniority"), std::string::npos)
      << written.status().message();
  EXPECT_EQ(Count(org), 50);
  EXPECT_EQ(store_->GetPerson(org, "B1").status().code(), StatusCode::kNotFound);
  Result<Person> kept = store_->GetPerson(org, people[0].id);
  ASSERT_TRUE(kept.ok());
  ExpectSamePerson(people[0], *kept);

  // A bad child row (proficiency outside 1..5) is refused the same way.
  std::vector<Person> bad_skill = {people[1]};
  bad_skill[0].skills_held.push_back({"cobol", 9});
  EXPECT_EQ(store_->UpsertPeople(org, bad_skill).status().code(), StatusCode::kInvalidArgument);
  Result<Person> kept1 = store_->GetPerson(org, people[1].id);
  ASSERT_TRUE(kept1.ok());
  ExpectSamePerson(people[1], *kept1);

  // The store still works after the rollbacks.
  batch.back().seniority = 10;
  ASSERT_TRUE(store_->UpsertPeople(org, batch).ok());
  EXPECT_EQ(Count(org), 50 + 119);
}

TEST_P(StoreTest, UnknownOrganizationIsRefused) {
  Result<int> written = store_->UpsertPeople(OrganizationId{42}, People(2));
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, PaginationVisitsEveryPersonOnce) {
  const OrganizationId org = MakeOrganization();
  const std::vector<Person> people = People(257);
  ASSERT_TRUE(store_->UpsertPeople(org, people).ok());

  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    Result<PeoplePage> page = store_->ListPeople(org, cursor, 25);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ASSERT_LE(page->people.size(), 25u);
    for (const Person& p : page->people) seen.push_back(p.id);
    cursor = page->next_cursor;
    ++pages;
    ASSERT_LE(pages, 20);
  } while (!cursor.empty());
  EXPECT_EQ(pages, 11);  // 10 full pages and one of 7
  ASSERT_EQ(seen.size(), 257u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 257u);
  for (size_t i = 0; i < people.size(); ++i) EXPECT_EQ(seen[i], people[i].id);

  // An exact multiple of the page size ends without an empty extra page.
  Result<PeoplePage> all = store_->ListPeople(org, "", 257);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->people.size(), 257u);
  EXPECT_TRUE(all->next_cursor.empty());

  EXPECT_EQ(store_->ListPeople(org, "", 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListPeople(org, "", kMaxPageSize + 1).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(StoreTest, ProgramStatusTransitions) {
  const OrganizationId org = MakeOrganization();
  Result<ProgramId> id =
      store_->CreateProgram(org, {"Spring cohort", "traditional", R"({"model":"traditional"})"});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Result<Program> program = store_->GetProgram(*id);
  ASSERT_TRUE(program.ok());
  EXPECT_EQ(program->name, "Spring cohort");
  EXPECT_EQ(program->model, "traditional");
  EXPECT_EQ(program->config_json, R"({"model":"traditional"})");
  EXPECT_EQ(program->status, ProgramStatus::kDraft);
  EXPECT_EQ(program->organization, org);

  Result<ProgramId> dup = store_->CreateProgram(org, {"Spring cohort", "reverse", "{}"});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().message(), "program name already used: Spring cohort");
  // Another organization may use the name.
  const OrganizationId other = MakeOrganization("Other");
  EXPECT_TRUE(store_->CreateProgram(other, {"Spring cohort", "reverse", "{}"}).ok());

  Status refused = store_->UpdateProgramStatus(*id, ProgramStatus::kActive);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.message(),
            "program " + std::to_string(id->value) + ": status cannot change from draft to active");
  EXPECT_TRUE(store_->UpdateProgramStatus(*id, ProgramStatus::kEnrolling).ok());
  EXPECT_TRUE(store_->UpdateProgramStatus(*id, ProgramStatus::kMatching).ok());
  EXPECT_TRUE(store_->UpdateProgramStatus(*id, ProgramStatus::kEnrolling).ok());  // reopen
  EXPECT_TRUE(store_->UpdateProgramStatus(*id, ProgramStatus::kMatching).ok());
  EXPECT_TRUE(store_->UpdateProgramStatus(*id, ProgramStatus::kActive).ok());
  EXPECT_EQ(store_->UpdateProgramStatus(*id, ProgramStatus::kMatching).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(store_->UpdateProgramStatus(*id, ProgramStatus::kClosed).ok());
  for (ProgramStatus to : {ProgramStatus::kDraft, ProgramStatus::kEnrolling, ProgramStatus::kActive,
                           ProgramStatus::kClosed}) {
    EXPECT_EQ(store_->UpdateProgramStatus(*id, to).code(), StatusCode::kInvalidArgument)
        << ProgramStatusName(to);
  }
  Result<Program> closed = store_->GetProgram(*id);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, ProgramStatus::kClosed);
  EXPECT_EQ(store_->UpdateProgramStatus(ProgramId{999}, ProgramStatus::kEnrolling).code(),
            StatusCode::kNotFound);

  Result<std::vector<Program>> list = store_->ListPrograms(org);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, *id);

  EXPECT_FALSE(IsAllowedTransition(ProgramStatus::kDraft, ProgramStatus::kDraft));
  EXPECT_TRUE(IsAllowedTransition(ProgramStatus::kDraft, ProgramStatus::kClosed));
  EXPECT_EQ(ParseProgramStatus("enrolling"), ProgramStatus::kEnrolling);
  EXPECT_EQ(ParseProgramStatus("Enrolling"), std::nullopt);
}

TEST_P(StoreTest, MatchRunSavedAndReadBack) {
  const OrganizationId org = MakeOrganization();
  Result<ProgramId> program = store_->CreateProgram(org, {"P", "skill_based", "{\"a\":1}"});
  ASSERT_TRUE(program.ok());

  NewMatchRun run;
  run.config_json = R"({"model":"skill_based","weights":{"skills":3}})";
  run.input_snapshot_json = R"([{"id":"E1"},{"id":"E2"},{"id":"E3"}])";
  run.pairs = {
      {"E2", "E1", 0.8125, {0.1, 1.0 / 3.0, 0.0, 1.0}, {"sql", "go"}, "shares 2 skills"},
      {"E3", "E1", 0.25, {}, {}, ""},
  };
  run.unmatched = {{"E4", "no eligible mentor: language"}};
  run.summary_json = R"({"matched":2})";
  Result<MatchRunId> id = store_->SaveMatchRun(*program, run);
  ASSERT_TRUE(id.ok()) << id.status().ToString();

  Result<MatchRun> got = store_->GetMatchRun(*id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, *id);
  EXPECT_EQ(got->program, *program);
  EXPECT_EQ(got->config_json, run.config_json);
  EXPECT_EQ(got->input_snapshot_json, run.input_snapshot_json);
  EXPECT_EQ(got->summary_json, run.summary_json);
  EXPECT_EQ(got->created_at.size(), 24u);
  ASSERT_EQ(got->pairs.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(got->pairs[i].mentee_id, run.pairs[i].mentee_id);
    EXPECT_EQ(got->pairs[i].mentor_id, run.pairs[i].mentor_id);
    EXPECT_EQ(got->pairs[i].score, run.pairs[i].score);
    EXPECT_EQ(got->pairs[i].factors, run.pairs[i].factors);
    EXPECT_EQ(got->pairs[i].skills_for, run.pairs[i].skills_for);
    EXPECT_EQ(got->pairs[i].explanation, run.pairs[i].explanation);
  }
  ASSERT_EQ(got->unmatched.size(), 1u);
  EXPECT_EQ(got->unmatched[0].mentee_id, "E4");
  EXPECT_EQ(got->unmatched[0].reason, "no eligible mentor: language");

  Result<MatchRunId> second = store_->SaveMatchRun(*program, NewMatchRun{});
  ASSERT_TRUE(second.ok());
  Result<std::vector<MatchRun>> runs = store_->ListMatchRuns(*program);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].id, *id);
  EXPECT_EQ((*runs)[1].id, *second);
  EXPECT_EQ((*runs)[0].summary_json, run.summary_json);

  EXPECT_EQ(store_->SaveMatchRun(ProgramId{999}, run).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetMatchRun(MatchRunId{999}).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, UpdateProgramChangesNameAndConfig) {
  const OrganizationId org = MakeOrganization();
  const ProgramId spring = MakeProgram(org, "Spring");
  const ProgramId autumn = MakeProgram(org, "Autumn");
  Result<Program> before = store_->GetProgram(spring);
  ASSERT_TRUE(before.ok());

  ASSERT_TRUE(store_->UpdateProgram(spring, "Spring 2027", R"({"model":"reverse"})").ok());
  Result<Program> after = store_->GetProgram(spring);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->name, "Spring 2027");
  EXPECT_EQ(after->config_json, R"({"model":"reverse"})");
  EXPECT_EQ(after->model, "traditional");  // not changed by UpdateProgram
  EXPECT_EQ(after->status, ProgramStatus::kDraft);
  EXPECT_EQ(after->created_at, before->created_at);
  EXPECT_GE(after->updated_at, before->updated_at);  // one fixed-width format: text order
  // Keeping its own name is not a clash.
  EXPECT_TRUE(store_->UpdateProgram(spring, "Spring 2027", "{}").ok());

  Status clash = store_->UpdateProgram(spring, "Autumn", "{\"x\":1}");
  EXPECT_EQ(clash.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(clash.message(), "program name already used: Autumn");
  EXPECT_EQ(store_->UpdateProgram(spring, "", "{}").code(), StatusCode::kInvalidArgument);
  Result<Program> unchanged = store_->GetProgram(spring);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->name, "Spring 2027");
  EXPECT_EQ(unchanged->config_json, "{}");
  EXPECT_EQ(store_->UpdateProgram(ProgramId{999}, "X", "{}").code(), StatusCode::kNotFound);

  // A program of another organization may carry the name.
  const OrganizationId other = MakeOrganization("Other");
  const ProgramId theirs = MakeProgram(other, "Theirs");
  EXPECT_TRUE(store_->UpdateProgram(theirs, "Autumn", "{}").ok());

  // A closed program is final: its name and configuration no longer change.
  ASSERT_TRUE(store_->UpdateProgramStatus(autumn, ProgramStatus::kClosed).ok());
  Status closed = store_->UpdateProgram(autumn, "Autumn renamed", "{}");
  EXPECT_EQ(closed.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(closed.message(), "program " + std::to_string(autumn.value) + " is closed");
  Result<Program> still = store_->GetProgram(autumn);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->name, "Autumn");
}

TEST_P(StoreTest, AccountsHaveCaseInsensitiveUniqueEmails) {
  const OrganizationId org = MakeOrganization();
  const ProgramId program = MakeProgram(org, "Spring");
  NewAccount ada{"Ada.Lovelace@Example.com",
                 "Ada Lovelace",
                 "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
                 "E000001",
                 {{Role::kAdmin, ProgramId{}}, {Role::kCoordinator, program}}};
  Result<AccountId> id = store_->CreateAccount(org, ada);
  ASSERT_TRUE(id.ok()) << id.status().ToString();

  Result<Account> got = store_->GetAccount(*id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, *id);
  EXPECT_EQ(got->organization, org);
  EXPECT_EQ(got->email, ada.email);  // kept as written
  EXPECT_EQ(got->display_name, ada.display_name);
  EXPECT_EQ(got->password_hash, ada.password_hash);
  EXPECT_EQ(got->employee_id, "E000001");
  EXPECT_EQ(got->roles, ada.roles);
  EXPECT_EQ(got->created_at.size(), 24u) << got->created_at;

  // Found whatever the case of the email.
  Result<Account> found = store_->FindAccountByEmail("ada.lovelace@EXAMPLE.COM");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id, *id);
  EXPECT_EQ(found->roles, ada.roles);
  EXPECT_EQ(store_->FindAccountByEmail("grace@example.com").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetAccount(AccountId{id->value + 100}).status().code(), StatusCode::kNotFound);

  // The same email in another case is refused, in any organization.
  NewAccount dup = ada;
  dup.email = "ADA.LOVELACE@example.com";
  Result<AccountId> refused = store_->CreateAccount(org, dup);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(), "email already used: ADA.LOVELACE@example.com");
  const OrganizationId other = MakeOrganization("Other");
  dup.roles.clear();
  EXPECT_EQ(store_->CreateAccount(other, dup).status().code(), StatusCode::kInvalidArgument);

  // Refused input: an empty email, display name or password hash.
  for (int field = 0; field < 3; ++field) {
    NewAccount bad = ada;
    bad.email = "new@example.com";
    bad.roles.clear();
    if (field == 0) bad.email.clear();
    if (field == 1) bad.display_name.clear();
    if (field == 2) bad.password_hash.clear();
    EXPECT_EQ(store_->CreateAccount(org, bad).status().code(), StatusCode::kInvalidArgument)
        << field;
  }
  NewAccount grace{"grace@example.com", "Grace", "hash", "", {}};
  EXPECT_EQ(store_->CreateAccount(OrganizationId{999}, grace).status().code(),
            StatusCode::kNotFound);

  // A failing grant (a program of another organization) writes nothing of the call.
  grace.roles = {{Role::kCommittee, MakeProgram(other, "Theirs")}};
  EXPECT_FALSE(store_->CreateAccount(org, grace).ok());
  EXPECT_EQ(store_->FindAccountByEmail("grace@example.com").status().code(), StatusCode::kNotFound);

  // Listed by id, per organization.
  grace.roles.clear();
  Result<AccountId> grace_id = store_->CreateAccount(org, grace);
  ASSERT_TRUE(grace_id.ok()) << grace_id.status().ToString();
  const AccountId theirs = MakeAccount(other, "someone@other.example");
  Result<std::vector<Account>> list = store_->ListAccounts(org);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, *id);
  EXPECT_EQ((*list)[0].roles, ada.roles);
  EXPECT_EQ((*list)[1].id, *grace_id);
  EXPECT_TRUE((*list)[1].roles.empty());
  Result<std::vector<Account>> other_list = store_->ListAccounts(other);
  ASSERT_TRUE(other_list.ok());
  ASSERT_EQ(other_list->size(), 1u);
  EXPECT_EQ((*other_list)[0].id, theirs);

  // Password change.
  ASSERT_TRUE(store_->SetPasswordHash(*id, "$argon2id$new").ok());
  Result<Account> changed = store_->GetAccount(*id);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->password_hash, "$argon2id$new");
  EXPECT_EQ(store_->SetPasswordHash(*id, "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->SetPasswordHash(AccountId{999}, "h").code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, RolesAreGrantedAndRevoked) {
  const OrganizationId org = MakeOrganization();
  const ProgramId first = MakeProgram(org, "First");
  const ProgramId second = MakeProgram(org, "Second");
  const AccountId account = MakeAccount(org, "coordinator@example.com");
  auto roles = [&] {
    Result<Account> a = store_->GetAccount(account);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? a->roles : std::vector<RoleGrant>{};
  };
  EXPECT_TRUE(roles().empty());

  // Granted in any order, listed by role, then program. (These roles sort the same by name and
  // by enum value.)
  ASSERT_TRUE(store_->GrantRole(account, {Role::kExecutive, ProgramId{}}).ok());
  ASSERT_TRUE(store_->GrantRole(account, {Role::kCoordinator, second}).ok());
  ASSERT_TRUE(store_->GrantRole(account, {Role::kAdmin, ProgramId{}}).ok());
  ASSERT_TRUE(store_->GrantRole(account, {Role::kCoordinator, first}).ok());
  const std::vector<RoleGrant> all = {{Role::kAdmin, ProgramId{}},
                                      {Role::kCoordinator, first},
                                      {Role::kCoordinator, second},
                                      {Role::kExecutive, ProgramId{}}};
  EXPECT_EQ(roles(), all);
  // Granting again changes nothing.
  ASSERT_TRUE(store_->GrantRole(account, {Role::kCoordinator, first}).ok());
  EXPECT_EQ(roles(), all);

  ASSERT_TRUE(store_->RevokeRole(account, {Role::kCoordinator, first}).ok());
  EXPECT_EQ(roles(), (std::vector<RoleGrant>{{Role::kAdmin, ProgramId{}},
                                             {Role::kCoordinator, second},
                                             {Role::kExecutive, ProgramId{}}}));
  // Revoking what is not granted changes nothing; a per-program grant is not an
  // organization-wide one.
  ASSERT_TRUE(store_->RevokeRole(account, {Role::kCoordinator, first}).ok());
  ASSERT_TRUE(store_->RevokeRole(account, {Role::kCoordinator, ProgramId{}}).ok());
  ASSERT_TRUE(store_->RevokeRole(account, {Role::kMentor, ProgramId{}}).ok());
  EXPECT_EQ(roles().size(), 3u);
  ASSERT_TRUE(store_->RevokeRole(account, {Role::kAdmin, ProgramId{}}).ok());
  ASSERT_TRUE(store_->RevokeRole(account, {Role::kExecutive, ProgramId{}}).ok());
  EXPECT_EQ(roles(), (std::vector<RoleGrant>{{Role::kCoordinator, second}}));

  EXPECT_EQ(store_->GrantRole(AccountId{999}, {Role::kAdmin, ProgramId{}}).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->RevokeRole(AccountId{999}, {Role::kAdmin, ProgramId{}}).code(),
            StatusCode::kNotFound);
  // A grant on a program the account's organization does not have is refused.
  const ProgramId foreign = MakeProgram(MakeOrganization("Other"), "Foreign");
  EXPECT_FALSE(store_->GrantRole(account, {Role::kCommittee, foreign}).ok());
  EXPECT_EQ(roles(), (std::vector<RoleGrant>{{Role::kCoordinator, second}}));

  EXPECT_EQ(ParseRole("committee"), Role::kCommittee);
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
  EXPECT_STREQ(RoleName(Role::kExecutive), "executive");
}

TEST_P(StoreTest, SessionsExpireAndEnd) {
  const OrganizationId org = MakeOrganization();
  const AccountId ada = MakeAccount(org, "ada@example.com");
  const AccountId grace = MakeAccount(org, "grace@example.com");

  Result<Session> created = store_->CreateSession({"hash-1", ada, "csrf-1", 3600});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->token_hash, "hash-1");
  EXPECT_EQ(created->account, ada);
  EXPECT_EQ(created->csrf_token, "csrf-1");
  EXPECT_EQ(created->created_at.size(), 24u) << created->created_at;
  EXPECT_EQ(created->expires_at.size(), 24u) << created->expires_at;
  EXPECT_GT(created->expires_at, created->created_at);
  // An hour later: the same minutes, seconds and milliseconds.
  EXPECT_EQ(created->expires_at.substr(13), created->created_at.substr(13));

  Result<Session> got = store_->GetSession("hash-1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->account, ada);
  EXPECT_EQ(got->csrf_token, "csrf-1");
  EXPECT_EQ(got->created_at, created->created_at);
  EXPECT_EQ(got->expires_at, created->expires_at);
  EXPECT_EQ(store_->GetSession("no-such-hash").status().code(), StatusCode::kNotFound);

  EXPECT_EQ(store_->CreateSession({"hash-1", grace, "csrf-x", 60}).status().code(),
            StatusCode::kInvalidArgument);  // duplicate token hash
  EXPECT_EQ(store_->CreateSession({"hash-0", ada, "csrf", 0}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateSession({"hash-0", ada, "csrf", -5}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateSession({"hash-0", AccountId{999}, "csrf", 60}).status().code(),
            StatusCode::kNotFound);

  // Expiry: a one-second session is gone after a second, and deleted (its hash can be used
  // again). Timestamps have millisecond precision.
  ASSERT_TRUE(store_->CreateSession({"short", ada, "csrf-s", 1}).ok());
  ASSERT_TRUE(store_->GetSession("short").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(store_->GetSession("short").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetSession("short").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->CreateSession({"short", ada, "csrf-s2", 60}).ok());
  EXPECT_TRUE(store_->GetSession("hash-1").ok());  // the long one lives on

  // Logout ends one session; ending an unknown one is not an error.
  ASSERT_TRUE(store_->DeleteSession("hash-1").ok());
  EXPECT_EQ(store_->GetSession("hash-1").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->DeleteSession("hash-1").ok());
  EXPECT_TRUE(store_->DeleteSession("never-existed").ok());

  // DeleteSessionsOf ends every session of one account and no other.
  ASSERT_TRUE(store_->CreateSession({"ada-2", ada, "c", 600}).ok());
  ASSERT_TRUE(store_->CreateSession({"grace-1", grace, "c", 600}).ok());
  ASSERT_TRUE(store_->DeleteSessionsOf(ada).ok());
  EXPECT_EQ(store_->GetSession("short").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetSession("ada-2").status().code(), StatusCode::kNotFound);
  Result<Session> kept = store_->GetSession("grace-1");
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->account, grace);
  EXPECT_TRUE(store_->DeleteSessionsOf(ada).ok());  // none left: not an error
}

TEST_P(StoreTest, JobsMoveThroughTheirStates) {
  const OrganizationId org = MakeOrganization();
  const ProgramId program = MakeProgram(org, "Spring");
  const ProgramId other_program = MakeProgram(org, "Autumn");
  const AccountId admin = MakeAccount(org, "admin@example.com");
  auto create = [&](ProgramId p, const std::string& payload) {
    Result<JobId> id = store_->CreateJob({org, p, "match", payload, admin});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : JobId{};
  };
  auto get = [&](JobId id) {
    Result<Job> job = store_->GetJob(id);
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    return job.ok() ? *job : Job{};
  };

  const JobId first = create(program, R"({"run":1})");
  const JobId second = create(program, R"({"run":2})");
  const JobId elsewhere = create(other_program, "{}");
  const JobId third = create(program, R"({"run":3})");
  const JobId fourth = create(program, R"({"run":4})");

  Job queued = get(first);
  EXPECT_EQ(queued.id, first);
  EXPECT_EQ(queued.organization, org);
  EXPECT_EQ(queued.program, program);
  EXPECT_EQ(queued.kind, "match");
  EXPECT_EQ(queued.state, JobState::kQueued);
  EXPECT_EQ(queued.payload_json, R"({"run":1})");
  EXPECT_EQ(queued.created_by, admin);
  EXPECT_EQ(queued.claimed_by, "");
  EXPECT_EQ(queued.progress, 0);
  EXPECT_FALSE(queued.cancel_requested);
  EXPECT_EQ(queued.created_at.size(), 24u) << queued.created_at;
  EXPECT_EQ(queued.started_at, "");
  EXPECT_EQ(queued.finished_at, "");

  EXPECT_EQ(store_->CreateJob({org, program, "", "{}", admin}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      store_->CreateJob({OrganizationId{999}, ProgramId{}, "match", "{}", admin}).status().code(),
      StatusCode::kNotFound);
  EXPECT_EQ(store_->GetJob(JobId{999}).status().code(), StatusCode::kNotFound);

  // The program's jobs, newest first.
  Result<std::vector<Job>> listed = store_->ListJobs(program, 10);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 4u);
  EXPECT_EQ((*listed)[0].id, fourth);
  EXPECT_EQ((*listed)[1].id, third);
  EXPECT_EQ((*listed)[2].id, second);
  EXPECT_EQ((*listed)[3].id, first);
  Result<std::vector<Job>> newest = store_->ListJobs(program, 2);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ((*newest)[0].id, fourth);
  EXPECT_EQ(store_->ListJobs(program, 0).status().code(), StatusCode::kInvalidArgument);

  // Progress and cancellation need a running job.
  EXPECT_EQ(store_->UpdateJobProgress(first, 0.5, "half").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->FinishJob(first, JobState::kSucceeded, "{}", "").code(),
            StatusCode::kInvalidArgument);

  // The oldest queued job is claimed first.
  Result<std::optional<Job>> claimed = store_->ClaimNextJob("worker-a");
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  ASSERT_TRUE(claimed->has_value());
  EXPECT_EQ((*claimed)->id, first);
  EXPECT_EQ((*claimed)->state, JobState::kRunning);
  EXPECT_EQ((*claimed)->claimed_by, "worker-a");
  EXPECT_EQ((*claimed)->started_at.size(), 24u);
  EXPECT_EQ((*claimed)->payload_json, R"({"run":1})");

  Result<bool> cancel = store_->UpdateJobProgress(first, 0.25, "scoring pairs");
  ASSERT_TRUE(cancel.ok()) << cancel.status().ToString();
  EXPECT_FALSE(*cancel);
  Job running = get(first);
  EXPECT_EQ(running.state, JobState::kRunning);
  EXPECT_EQ(running.progress, 0.25);
  EXPECT_EQ(running.progress_message, "scoring pairs");
  EXPECT_EQ(store_->UpdateJobProgress(first, 1.5, "").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->UpdateJobProgress(first, -0.1, "").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->UpdateJobProgress(JobId{999}, 0.5, "").status().code(),
            StatusCode::kInvalidArgument);

  // Cancelling a queued job ends it at once: it is never claimed.
  Result<Job> cancelled = store_->RequestJobCancel(second);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  EXPECT_EQ(cancelled->state, JobState::kCancelled);
  EXPECT_TRUE(cancelled->cancel_requested);
  EXPECT_EQ(cancelled->finished_at.size(), 24u);
  EXPECT_EQ(get(second).state, JobState::kCancelled);
  EXPECT_EQ(store_->FinishJob(second, JobState::kSucceeded, "{}", "").code(),
            StatusCode::kInvalidArgument);

  // Cancelling a running job flags it; its worker learns at the next progress report.
  Result<Job> flagged = store_->RequestJobCancel(first);
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->state, JobState::kRunning);
  EXPECT_TRUE(flagged->cancel_requested);
  EXPECT_EQ(flagged->finished_at, "");
  Result<bool> told = store_->UpdateJobProgress(first, 0.3, "stopping");
  ASSERT_TRUE(told.ok());
  EXPECT_TRUE(*told);
  ASSERT_TRUE(store_->FinishJob(first, JobState::kCancelled, "", "").ok());
  Job stopped = get(first);
  EXPECT_EQ(stopped.state, JobState::kCancelled);
  EXPECT_EQ(stopped.finished_at.size(), 24u);
  EXPECT_EQ(store_->FinishJob(first, JobState::kSucceeded, "{}", "").code(),
            StatusCode::kInvalidArgument);  // already final
  EXPECT_EQ(store_->UpdateJobProgress(first, 0.5, "").status().code(),
            StatusCode::kInvalidArgument);

  // Next in line: elsewhere (another program's job, still in the one queue), then third.
  Result<std::optional<Job>> next = store_->ClaimNextJob("worker-b");
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->id, elsewhere);
  next = store_->ClaimNextJob("worker-b");
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->id, third);
  EXPECT_EQ(store_->FinishJob(third, JobState::kRunning, "", "").code(),
            StatusCode::kInvalidArgument);  // not a final state
  EXPECT_EQ(store_->FinishJob(third, JobState::kQueued, "", "").code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->FinishJob(third, JobState::kSucceeded, R"({"run_id":7})", "").ok());
  Job succeeded = get(third);
  EXPECT_EQ(succeeded.state, JobState::kSucceeded);
  EXPECT_EQ(succeeded.result_json, R"({"run_id":7})");
  EXPECT_EQ(succeeded.claimed_by, "worker-b");

  next = store_->ClaimNextJob("worker-c");
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->id, fourth);
  ASSERT_TRUE(store_->FinishJob(fourth, JobState::kFailed, "", "no mentors enrolled").ok());
  Job failed = get(fourth);
  EXPECT_EQ(failed.state, JobState::kFailed);
  EXPECT_EQ(failed.error, "no mentors enrolled");
  // Cancelling a finished job changes nothing.
  Result<Job> late = store_->RequestJobCancel(fourth);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->state, JobState::kFailed);
  EXPECT_FALSE(late->cancel_requested);
  EXPECT_EQ(late->error, "no mentors enrolled");
  EXPECT_EQ(late->finished_at, failed.finished_at);
  EXPECT_EQ(store_->RequestJobCancel(JobId{999}).status().code(), StatusCode::kNotFound);

  // Nothing queued any more.
  Result<std::optional<Job>> none = store_->ClaimNextJob("worker-a");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());

  EXPECT_EQ(ParseJobState("cancelled"), JobState::kCancelled);
  EXPECT_STREQ(JobStateName(JobState::kSucceeded), "succeeded");
}

TEST_P(StoreTest, ConcurrentWorkersClaimEveryJobOnce) {
  constexpr int kJobs = 50;
  constexpr int kWorkers = 4;
  const OrganizationId org = MakeOrganization();
  std::vector<JobId> created;
  for (int i = 0; i < kJobs; ++i) {
    Result<JobId> id =
        store_->CreateJob({org, ProgramId{}, "match", "{\"n\":" + std::to_string(i) + "}", {}});
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    created.push_back(*id);
  }
  // Each worker has a Store of its own over the same database, as separate processes would.
  std::vector<std::unique_ptr<Store>> stores;
  for (int w = 0; w < kWorkers; ++w) {
    Result<std::unique_ptr<Store>> opened = OpenAnother();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    stores.push_back(std::move(opened).value());
  }
  std::vector<std::vector<Job>> claimed(kWorkers);
  std::vector<std::string> errors(kWorkers);
  {
    std::vector<std::thread> threads;
    for (int w = 0; w < kWorkers; ++w) {
      threads.emplace_back([&, w] {
        const std::string name = "worker-" + std::to_string(w);
        for (;;) {
          Result<std::optional<Job>> job = stores[static_cast<size_t>(w)]->ClaimNextJob(name);
          if (!job.ok()) {
            errors[static_cast<size_t>(w)] = job.status().ToString();
            return;
          }
          if (!job->has_value()) return;
          claimed[static_cast<size_t>(w)].push_back(std::move(**job));
        }
      });
    }
    for (std::thread& t : threads) t.join();
  }
  std::map<std::int64_t, std::string> owner;  // job id -> the worker that claimed it
  size_t total = 0;
  for (int w = 0; w < kWorkers; ++w) {
    EXPECT_EQ(errors[static_cast<size_t>(w)], "") << "worker " << w;
    for (const Job& job : claimed[static_cast<size_t>(w)]) {
      ++total;
      EXPECT_EQ(job.state, JobState::kRunning);
      EXPECT_EQ(job.claimed_by, "worker-" + std::to_string(w));
      EXPECT_TRUE(owner.emplace(job.id.value, job.claimed_by).second)
          << "job " << job.id.value << " claimed twice";
    }
  }
  EXPECT_EQ(total, static_cast<size_t>(kJobs));
  ASSERT_EQ(owner.size(), static_cast<size_t>(kJobs));
  for (JobId id : created) {
    ASSERT_EQ(owner.count(id.value), 1u) << "job " << id.value << " never claimed";
    Result<Job> job = store_->GetJob(id);
    ASSERT_TRUE(job.ok());
    EXPECT_EQ(job->state, JobState::kRunning);
    EXPECT_EQ(job->claimed_by, owner[id.value]);  // the database agrees with the claims
  }
  Result<std::optional<Job>> none = store_->ClaimNextJob("late");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(StoreTest, AuditLogPagesNewestFirst) {
  const OrganizationId org = MakeOrganization();
  const OrganizationId other = MakeOrganization("Other");
  const AccountId admin = MakeAccount(org, "admin@example.com");
  for (int i = 0; i < 25; ++i) {
    ASSERT_TRUE(store_
                    ->AppendAudit({org, i % 2 == 0 ? admin : AccountId{}, "program.update",
                                   "program/" + std::to_string(i),
                                   i == 0 ? "" : "{\"i\":" + std::to_string(i) + "}"})
                    .ok());
    if (i % 10 == 0) {
      ASSERT_TRUE(
          store_->AppendAudit({other, AccountId{}, "session.login", "account/9", "{}"}).ok());
    }
  }
  EXPECT_EQ(store_->AppendAudit({org, admin, "", "x", "{}"}).code(), StatusCode::kInvalidArgument);

  std::vector<AuditEntry> seen;
  std::int64_t before = 0;
  std::vector<size_t> page_sizes;
  do {
    Result<AuditPage> page = store_->ListAudit(org, before, 10);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    page_sizes.push_back(page->entries.size());
    for (const AuditEntry& e : page->entries) seen.push_back(e);
    if (page->next_cursor != 0) {
      ASSERT_FALSE(page->entries.empty());
      EXPECT_EQ(page->next_cursor, page->entries.back().id);
    }
    before = page->next_cursor;
    ASSERT_LE(page_sizes.size(), 5u);
  } while (before != 0);
  EXPECT_EQ(page_sizes, (std::vector<size_t>{10, 10, 5}));
  ASSERT_EQ(seen.size(), 25u);
  for (size_t k = 0; k < seen.size(); ++k) {
    const int i = 24 - static_cast<int>(k);  // newest first
    SCOPED_TRACE(k);
    if (k > 0) {
      EXPECT_LT(seen[k].id, seen[k - 1].id);
    }
    EXPECT_EQ(seen[k].organization, org);
    EXPECT_EQ(seen[k].actor, i % 2 == 0 ? admin : AccountId{});
    EXPECT_EQ(seen[k].action, "program.update");
    EXPECT_EQ(seen[k].target, "program/" + std::to_string(i));
    EXPECT_EQ(seen[k].detail_json, i == 0 ? "{}" : "{\"i\":" + std::to_string(i) + "}");
    EXPECT_EQ(seen[k].at.size(), 24u) << seen[k].at;
    if (k > 0) {
      EXPECT_LE(seen[k].at, seen[k - 1].at);
    }
  }

  // Exactly one full page: no cursor to an empty page.
  Result<AuditPage> theirs = store_->ListAudit(other, 0, 3);
  ASSERT_TRUE(theirs.ok());
  ASSERT_EQ(theirs->entries.size(), 3u);
  EXPECT_EQ(theirs->next_cursor, 0);
  EXPECT_EQ(theirs->entries[0].action, "session.login");
  Result<AuditPage> empty = store_->ListAudit(MakeOrganization("Empty"), 0, 10);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());
  EXPECT_EQ(empty->next_cursor, 0);

  EXPECT_EQ(store_->ListAudit(org, 0, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListAudit(org, 0, kMaxPageSize + 1).status().code(),
            StatusCode::kInvalidArgument);
}

// ---- Committee review, publishing and the relationship lifecycle ----

// A program in status matching with a saved run of three pairs (M1-A, M2-B, M3-A).
struct ReviewFixture {
  OrganizationId org;
  ProgramId program;
  MatchRunId run;
};

ReviewFixture MakeReviewFixture(Store& store) {
  ReviewFixture f;
  f.org = store.CreateOrganization("Review Org").value();
  f.program = store.CreateProgram(f.org, {"Leaders", "traditional", "{}"}).value();
  EXPECT_TRUE(store.UpdateProgramStatus(f.program, ProgramStatus::kEnrolling).ok());
  EXPECT_TRUE(store.UpdateProgramStatus(f.program, ProgramStatus::kMatching).ok());
  NewMatchRun run;
  run.config_json = "{}";
  run.input_snapshot_json = "{}";
  run.summary_json = "{}";
  run.pairs = {{"M1", "A", 0.9, {0.5, 1.0}, {"go"}, "shares go"},
               {"M2", "B", 0.7, {0.25}, {}, "same site"},
               {"M3", "A", 0.5, {}, {}, "languages"}};
  f.run = store.SaveMatchRun(f.program, run).value();
  return f;
}

TEST_P(StoreTest, ReviewLocksCommentsApprovesSwapsAndPublishes) {
  const ReviewFixture f = MakeReviewFixture(*store_);
  const AccountId reviewer = MakeAccount(f.org, "committee@x.example");

  ASSERT_TRUE(store_->SetPairLocked(f.run, "M1", true).ok());
  ASSERT_TRUE(store_->SetPairLocked(f.run, "M1", true).ok());  // idempotent
  ASSERT_TRUE(store_->SetPairLocked(f.run, "M2", true).ok());
  ASSERT_TRUE(store_->SetPairLocked(f.run, "M2", false).ok());
  EXPECT_EQ(store_->SetPairLocked(f.run, "NOPE", true).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->SetPairLocked(MatchRunId{9999}, "M1", true).code(), StatusCode::kNotFound);

  Result<std::int64_t> c1 = store_->AddReviewComment(f.run, "M3", reviewer, "A has two already");
  ASSERT_TRUE(c1.ok()) << c1.status().ToString();
  ASSERT_TRUE(store_->AddReviewComment(f.run, "", reviewer, "Looks fair overall").ok());
  EXPECT_EQ(store_->AddReviewComment(f.run, "M3", reviewer, "").status().code(),
            StatusCode::kInvalidArgument);

  // Publishing needs an approval.
  Result<std::vector<Relationship>> early = store_->PublishRun(f.run);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("approval"), std::string::npos);

  // Swap the mentors of M2 (B) and M3 (A).
  const RunPair m2{"M2", "A", 0.4, {0.1}, {"sql"}, "now with A"};
  const RunPair m3{"M3", "B", 0.6, {}, {}, "now with B"};
  const RunPair wrong{"M3", "Z", 0.6, {}, {}, ""};
  EXPECT_EQ(store_->SwapMentors(f.run, m2, wrong).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->SwapMentors(f.run, m2, m3).ok());
  const MatchRun after = store_->GetMatchRun(f.run).value();
  ASSERT_EQ(after.pairs.size(), 3u);
  EXPECT_EQ(after.pairs[1].mentor_id, "A");
  EXPECT_EQ(after.pairs[1].score, 0.4);
  EXPECT_EQ(after.pairs[1].factors, std::vector<double>{0.1});
  EXPECT_EQ(after.pairs[1].skills_for, std::vector<std::string>{"sql"});
  EXPECT_EQ(after.pairs[1].explanation, "now with A");
  EXPECT_EQ(after.pairs[2].mentor_id, "B");
  EXPECT_TRUE(after.pairs[2].skills_for.empty());

  ASSERT_TRUE(store_->ApproveRun(f.run, reviewer).ok());
  ASSERT_TRUE(store_->ApproveRun(f.run, reviewer).ok());
  Result<RunReview> review = store_->GetRunReview(f.run);
  ASSERT_TRUE(review.ok()) << review.status().ToString();
  EXPECT_EQ(review->locked_mentees, std::vector<std::string>{"M1"});
  ASSERT_EQ(review->comments.size(), 2u);
  EXPECT_EQ(review->comments[0].mentee_id, "M3");
  EXPECT_EQ(review->comments[0].text, "A has two already");
  EXPECT_EQ(review->comments[0].author, reviewer);
  EXPECT_EQ(review->comments[1].mentee_id, "");
  EXPECT_EQ(review->approvals, std::vector<AccountId>{reviewer});
  EXPECT_TRUE(review->published_at.empty());

  Result<std::vector<Relationship>> published = store_->PublishRun(f.run);
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  ASSERT_EQ(published->size(), 3u);
  EXPECT_EQ((*published)[1].mentee_id, "M2");
  EXPECT_EQ((*published)[1].mentor_id, "A");
  for (const Relationship& r : *published) {
    EXPECT_EQ(r.status, RelationshipStatus::kActive);
    EXPECT_EQ(r.program, f.program);
    EXPECT_EQ(r.run, f.run);
    EXPECT_EQ(r.started_at.size(), 24u);
  }
  EXPECT_EQ(store_->GetProgram(f.program).value().status, ProgramStatus::kActive);
  EXPECT_EQ(store_->GetRunReview(f.run).value().published_at.size(), 24u);
  // A published run is final.
  EXPECT_EQ(store_->PublishRun(f.run).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->SetPairLocked(f.run, "M1", false).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ApproveRun(f.run, reviewer).code(), StatusCode::kInvalidArgument);

  EXPECT_EQ(store_->ListRelationships(f.program).value().size(), 3u);
  const std::vector<Relationship> of_a = store_->ListRelationshipsOf(f.org, "A").value();
  ASSERT_EQ(of_a.size(), 2u);
  EXPECT_EQ(of_a[0].mentee_id, "M1");
  EXPECT_EQ(of_a[1].mentee_id, "M2");
  EXPECT_TRUE(store_->ListRelationshipsOf(f.org, "NOBODY").value().empty());
}

TEST_P(StoreTest, PublishingRefusesAProgramNotInMatching) {
  const ReviewFixture f = MakeReviewFixture(*store_);
  const AccountId reviewer = MakeAccount(f.org, "c@x.example");
  ASSERT_TRUE(store_->ApproveRun(f.run, reviewer).ok());
  ASSERT_TRUE(store_->UpdateProgramStatus(f.program, ProgramStatus::kEnrolling).ok());
  Result<std::vector<Relationship>> r = store_->PublishRun(f.run);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not in status matching"), std::string::npos);
  EXPECT_TRUE(store_->ListRelationships(f.program).value().empty());  // nothing half-written
}

// A published relationship M1 (mentee) - A (mentor).
Relationship PublishOne(Store& store, AccountId* approver_out = nullptr) {
  const ReviewFixture f = MakeReviewFixture(store);
  const AccountId approver =
      store.CreateAccount(f.org, {"approver@x.example", "Approver", "$argon2id$x", "", {}}).value();
  EXPECT_TRUE(store.ApproveRun(f.run, approver).ok());
  std::vector<Relationship> published = store.PublishRun(f.run).value();
  if (approver_out != nullptr) *approver_out = approver;
  return published.front();
}

TEST_P(StoreTest, RematchRunsPublishWhileTheProgramStaysActive) {
  AccountId by;
  const Relationship first = PublishOne(*store_, &by);  // the program is active now
  const ProgramId program = first.program;
  ASSERT_TRUE(
      store_->ChangeRelationshipStatus(first.id, RelationshipStatus::kEnded, "moved away", by)
          .ok());
  NewMatchRun rematch;
  rematch.config_json = "{}";
  rematch.input_snapshot_json = "{}";
  rematch.summary_json = "{}";
  rematch.rematch = true;
  rematch.pairs = {{first.mentee_id, "B", 0.6, {}, {}, "second mentor"}};
  const MatchRunId run = store_->SaveMatchRun(program, rematch).value();
  EXPECT_TRUE(store_->GetMatchRun(run).value().rematch);
  EXPECT_TRUE(store_->ListMatchRuns(program).value().back().rematch);
  EXPECT_FALSE(store_->ListMatchRuns(program).value().front().rematch);
  EXPECT_EQ(store_->PublishRun(run).status().code(), StatusCode::kInvalidArgument);  // unapproved
  ASSERT_TRUE(store_->ApproveRun(run, by).ok());
  const std::vector<Relationship> published = store_->PublishRun(run).value();
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].mentee_id, first.mentee_id);
  EXPECT_EQ(published[0].mentor_id, "B");
  EXPECT_EQ(store_->GetProgram(program).value().status, ProgramStatus::kActive);

  // A re-match run needs the program active; a proposal run needs it matching.
  const OrganizationId org = store_->GetProgram(program).value().organization;
  const ProgramId fresh = store_->CreateProgram(org, {"Fresh", "traditional", "{}"}).value();
  ASSERT_TRUE(store_->UpdateProgramStatus(fresh, ProgramStatus::kEnrolling).ok());
  ASSERT_TRUE(store_->UpdateProgramStatus(fresh, ProgramStatus::kMatching).ok());
  const MatchRunId early = store_->SaveMatchRun(fresh, rematch).value();
  ASSERT_TRUE(store_->ApproveRun(early, by).ok());
  Result<std::vector<Relationship>> refused = store_->PublishRun(early);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "program " + std::to_string(fresh.value) + " is not in status active (it is matching)");
  EXPECT_TRUE(store_->ListRelationships(fresh).value().empty());
}

TEST_P(StoreTest, RelationshipsPauseResumeAndEndWithAReason) {
  AccountId by;
  const Relationship r = PublishOne(*store_, &by);
  EXPECT_EQ(store_->ChangeRelationshipStatus(r.id, RelationshipStatus::kActive, "", by).code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->ChangeRelationshipStatus(r.id, RelationshipStatus::kPaused, "", by).ok());
  EXPECT_EQ(store_->GetRelationship(r.id).value().status, RelationshipStatus::kPaused);
  ASSERT_TRUE(store_->ChangeRelationshipStatus(r.id, RelationshipStatus::kActive, "", by).ok());
  Status no_reason = store_->ChangeRelationshipStatus(r.id, RelationshipStatus::kEnded, "", by);
  EXPECT_EQ(no_reason.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_reason.message().find("reason"), std::string::npos);
  ASSERT_TRUE(
      store_->ChangeRelationshipStatus(r.id, RelationshipStatus::kEnded, "mentor left", by).ok());
  const Relationship ended = store_->GetRelationship(r.id).value();
  EXPECT_EQ(ended.status, RelationshipStatus::kEnded);
  EXPECT_EQ(ended.end_reason, "mentor left");
  EXPECT_EQ(ended.ended_by, by);
  EXPECT_EQ(ended.ended_at.size(), 24u);
  EXPECT_EQ(store_->ChangeRelationshipStatus(r.id, RelationshipStatus::kActive, "", by).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetRelationship(RelationshipId{9999}).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, GoalsKeepMilestonesAndProgress) {
  const Relationship r = PublishOne(*store_);
  EXPECT_EQ(store_->CreateGoal(r.id, {"", "M1", "", {}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateGoal(r.id, {"Lead a team", "STRANGER", "", {}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateGoal(r.id, {"Lead a team", "M1", "2027-13-01", {}}).status().code(),
            StatusCode::kInvalidArgument);
  Result<GoalId> g = store_->CreateGoal(
      r.id, {"Lead a team",
             "M1",
             "2027-06-30",
             {{"Shadow a planning meeting", false}, {"Run a retrospective", false}}});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(store_->CreateGoal(r.id, {"Public speaking", "A", "", {}}).ok());
  ASSERT_TRUE(store_
                  ->UpdateGoalProgress(*g, 50,
                                       {{"Shadow a planning meeting", true},
                                        {"Run a retrospective", false},
                                        {"Present at all-hands", false}})
                  .ok());
  EXPECT_EQ(store_->UpdateGoalProgress(*g, 101, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->UpdateGoalProgress(GoalId{9999}, 10, {}).code(), StatusCode::kNotFound);
  const Goal got = store_->GetGoal(*g).value();
  EXPECT_EQ(got.title, "Lead a team");
  EXPECT_EQ(got.owner_id, "M1");
  EXPECT_EQ(got.due_date, "2027-06-30");
  EXPECT_EQ(got.progress, 50);
  ASSERT_EQ(got.milestones.size(), 3u);
  EXPECT_TRUE(got.milestones[0].done);
  EXPECT_EQ(got.milestones[2].title, "Present at all-hands");
  const std::vector<Goal> all = store_->ListGoals(r.id).value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].owner_id, "A");
}

TEST_P(StoreTest, MeetingsAndFeedbackAggregate) {
  AccountId by;
  const Relationship r = PublishOne(*store_, &by);
  EXPECT_EQ(store_->ScheduleMeeting(r.id, {"2027-01-10 10:00", 60, "", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ScheduleMeeting(r.id, {"2027-01-10T10:00:00Z", 1000, "", ""}).status().code(),
            StatusCode::kInvalidArgument);
  Result<MeetingId> m = store_->ScheduleMeeting(
      r.id, {"2027-01-10T10:00:00Z", 45, "Room 4.12", "Goals for the quarter"});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_TRUE(store_->ScheduleMeeting(r.id, {"2027-01-03T09:30:00Z", 30, "", "Intro"}).ok());
  const std::vector<Meeting> listed = store_->ListMeetings(r.id).value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].agenda, "Intro");  // by start time
  const Meeting scheduled = store_->GetMeeting(*m).value();
  EXPECT_EQ(scheduled.status, MeetingStatus::kScheduled);
  EXPECT_EQ(scheduled.duration_minutes, 45);
  EXPECT_EQ(scheduled.location, "Room 4.12");
  EXPECT_EQ(scheduled.sequence, 0);

  // Feedback waits until the meeting is logged as held.
  EXPECT_EQ(store_->AddFeedback(*m, {"M1", 5, "{}", ""}).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->UpdateMeeting(*m, MeetingStatus::kHeld, "Agreed on two goals").ok());
  const Meeting held = store_->GetMeeting(*m).value();
  EXPECT_EQ(held.status, MeetingStatus::kHeld);
  EXPECT_EQ(held.notes, "Agreed on two goals");
  EXPECT_EQ(held.sequence, 1);

  ASSERT_TRUE(store_->AddFeedback(*m, {"M1", 5, R"({"useful":"yes"})", "Great"}).ok());
  EXPECT_EQ(store_->AddFeedback(*m, {"M1", 4, "{}", ""}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddFeedback(*m, {"STRANGER", 4, "{}", ""}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddFeedback(*m, {"A", 0, "{}", ""}).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->AddFeedback(*m, {"A", 3, "{}", ""}).ok());
  const std::vector<Feedback> fb = store_->ListFeedback(*m).value();
  ASSERT_EQ(fb.size(), 2u);
  const FeedbackAggregate agg = store_->AggregateFeedback(r.program).value();
  EXPECT_EQ(agg.count, 2);
  EXPECT_DOUBLE_EQ(agg.mean_rating, 4.0);
  EXPECT_EQ(agg.by_rating[4], 1);
  EXPECT_EQ(agg.by_rating[2], 1);
  EXPECT_EQ(agg.from_mentees, 1);
  EXPECT_EQ(agg.from_mentors, 1);

  // A paused relationship schedules no meetings; a cancelled meeting stays cancelled.
  ASSERT_TRUE(store_->UpdateMeeting(listed[0].id, MeetingStatus::kCancelled, "").ok());
  EXPECT_EQ(store_->UpdateMeeting(listed[0].id, MeetingStatus::kHeld, "").code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->ChangeRelationshipStatus(r.id, RelationshipStatus::kPaused, "", by).ok());
  EXPECT_EQ(store_->ScheduleMeeting(r.id, {"2027-02-01T10:00:00Z", 30, "", ""}).status().code(),
            StatusCode::kInvalidArgument);
}

// The same messages on every backend.
TEST_P(StoreTest, LifecycleErrorsNameWhatTheyRefuse) {
  const ReviewFixture f = MakeReviewFixture(*store_);
  const std::string run = std::to_string(f.run.value);
  const std::string program = std::to_string(f.program.value);
  const AccountId reviewer = MakeAccount(f.org, "c@x.example");
  EXPECT_EQ(store_->GetRunReview(MatchRunId{9999}).status().message(), "run 9999");
  EXPECT_EQ(store_->SetPairLocked(f.run, "NOPE", true).message(),
            "run " + run + " has no pair of mentee NOPE");
  EXPECT_EQ(store_->SwapMentors(f.run, {"M1", "B", 0, {}, {}, ""}, {"NOPE", "A", 0, {}, {}, ""})
                .message(),
            "run " + run + " has no pair of mentee NOPE");
  EXPECT_EQ(
      store_->SwapMentors(f.run, {"M1", "A", 0, {}, {}, ""}, {"M1", "A", 0, {}, {}, ""}).message(),
      "a swap exchanges the mentors of two different pairs");
  EXPECT_EQ(store_->PublishRun(f.run).status().message(),
            "run " + run + " has no approval yet; the committee approves before publishing");

  // A run naming one mentee twice publishes nothing: one open relationship per mentee.
  NewMatchRun twice;
  twice.config_json = twice.input_snapshot_json = twice.summary_json = "{}";
  twice.pairs = {{"M7", "A", 0.5, {}, {}, ""}, {"M7", "B", 0.4, {}, {}, ""}};
  const MatchRunId bad = store_->SaveMatchRun(f.program, twice).value();
  ASSERT_TRUE(store_->ApproveRun(bad, reviewer).ok());
  Result<std::vector<Relationship>> refused = store_->PublishRun(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(),
            "mentee M7 already has an open relationship in program " + program);
  EXPECT_TRUE(store_->ListRelationships(f.program).value().empty());
  EXPECT_EQ(store_->GetProgram(f.program).value().status, ProgramStatus::kMatching);
  EXPECT_TRUE(store_->GetRunReview(bad).value().published_at.empty());

  ASSERT_TRUE(store_->ApproveRun(f.run, reviewer).ok());
  const std::vector<Relationship> published = store_->PublishRun(f.run).value();
  ASSERT_EQ(published.size(), 3u);
  EXPECT_EQ(store_->ApproveRun(f.run, reviewer).message(), "run " + run + " is published");
  EXPECT_EQ(store_->PublishRun(bad).status().message(),
            "program " + program + " is not in status matching (it is active)");

  const Relationship& r = published[0];
  const std::string rel = std::to_string(r.id.value);
  EXPECT_EQ(
      store_->ChangeRelationshipStatus(r.id, RelationshipStatus::kActive, "", reviewer).message(),
      "relationship " + rel + ": status cannot change from active to active");
  EXPECT_EQ(
      store_->ChangeRelationshipStatus(r.id, RelationshipStatus::kEnded, "", reviewer).message(),
      "reason: ending a relationship needs a reason");
  EXPECT_EQ(store_->GetRelationship(RelationshipId{9999}).status().message(), "relationship 9999");
  EXPECT_EQ(store_->CreateGoal(r.id, {"G", "M1", "2027-02-30x", {}}).status().message(),
            "due_date: must be YYYY-MM-DD: '2027-02-30x'");
  EXPECT_EQ(store_->CreateGoal(r.id, {"G", "M1", "", {{"", false}}}).status().message(),
            "milestones[0].title: must not be empty");
  EXPECT_TRUE(store_->ListGoals(r.id).value().empty());
  EXPECT_EQ(store_->GetGoal(GoalId{9999}).status().message(), "goal 9999");
  const GoalId g = store_->CreateGoal(r.id, {"G", "A", "", {{"first", true}}}).value();
  EXPECT_EQ(store_->UpdateGoalProgress(g, 10, {{"ok", false}, {"", false}}).message(),
            "milestones[1].title: must not be empty");
  const Goal kept = store_->GetGoal(g).value();  // the refused update wrote nothing
  EXPECT_EQ(kept.progress, 0);
  EXPECT_EQ(kept.milestones, (std::vector<Milestone>{{"first", true}}));

  EXPECT_EQ(store_->ScheduleMeeting(r.id, {"2027-01-10T24:00:00Z", 30, "", ""}).status().message(),
            "starts_at: must be UTC as YYYY-MM-DDTHH:MM:SSZ: '2027-01-10T24:00:00Z'");
  const MeetingId m = store_->ScheduleMeeting(r.id, {"2027-01-10T10:00:00Z", 30, "", ""}).value();
  EXPECT_EQ(store_->AddFeedback(m, {"M1", 5, "", ""}).message(),
            "meeting " + std::to_string(m.value) + " has not been logged as held yet");
  EXPECT_EQ(store_->GetMeeting(MeetingId{9999}).status().message(), "meeting 9999");
  ASSERT_TRUE(store_->UpdateMeeting(m, MeetingStatus::kHeld, "").ok());
  ASSERT_TRUE(store_->AddFeedback(m, {"M1", 5, "", ""}).ok());
  EXPECT_EQ(store_->ListFeedback(m).value().at(0).answers_json, "{}");
  EXPECT_EQ(store_->AddFeedback(m, {"M1", 5, "", ""}).message(),
            "feedback already given for meeting " + std::to_string(m.value));
  ASSERT_TRUE(store_->UpdateMeeting(m, MeetingStatus::kCancelled, "").ok());
  EXPECT_EQ(store_->GetMeeting(m).value().sequence, 2);
  EXPECT_EQ(store_->UpdateMeeting(m, MeetingStatus::kHeld, "").message(),
            "meeting " + std::to_string(m.value) + " was cancelled");
  ASSERT_TRUE(
      store_->ChangeRelationshipStatus(r.id, RelationshipStatus::kPaused, "", reviewer).ok());
  EXPECT_EQ(store_->ScheduleMeeting(r.id, {"2027-01-10T10:00:00Z", 30, "", ""}).status().message(),
            "relationship " + rel + " is paused; meetings need it active");
}

// ---- Concurrency of the lifecycle writes: every Store of its own, as separate processes ----

// Runs `call(k)` on kThreads threads started together; returns each call's Status.
template <typename F>
std::vector<Status> RunTogether(int threads, F call) {
  std::vector<Status> results(static_cast<size_t>(threads));
  std::atomic<int> ready{0};
  std::vector<std::thread> pool;
  for (int k = 0; k < threads; ++k) {
    pool.emplace_back([&, k] {
      ready.fetch_add(1);
      while (ready.load() < threads) std::this_thread::yield();
      results[static_cast<size_t>(k)] = call(k);
    });
  }
  for (std::thread& t : pool) t.join();
  return results;
}

TEST_P(StoreTest, ConcurrentPublishOfOneRunSucceedsOnce) {
  constexpr int kStores = 4;
  const ReviewFixture f = MakeReviewFixture(*store_);
  ASSERT_TRUE(store_->ApproveRun(f.run, MakeAccount(f.org, "c@x.example")).ok());
  std::vector<std::unique_ptr<Store>> stores;
  for (int k = 0; k < kStores; ++k) {
    Result<std::unique_ptr<Store>> opened = OpenAnother();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    stores.push_back(std::move(opened).value());
  }
  const std::vector<Status> results = RunTogether(kStores, [&](int k) {
    Result<std::vector<Relationship>> r = stores[static_cast<size_t>(k)]->PublishRun(f.run);
    if (r.ok() && r->size() != 3) return Status::Internal("published " + std::to_string(r->size()));
    return r.ok() ? Status::Ok() : r.status();
  });
  int published = 0;
  for (const Status& s : results) {
    if (s.ok()) {
      ++published;
    } else {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
      EXPECT_NE(s.message().find("is published"), std::string::npos) << s.ToString();
    }
  }
  EXPECT_EQ(published, 1);
  EXPECT_EQ(store_->ListRelationships(f.program).value().size(), 3u);
  EXPECT_EQ(store_->GetProgram(f.program).value().status, ProgramStatus::kActive);
}

TEST_P(StoreTest, ConcurrentPublishOfTwoRunsOfOneProgramSucceedsOnce) {
  const ReviewFixture f = MakeReviewFixture(*store_);
  NewMatchRun second;
  second.config_json = "{}";
  second.input_snapshot_json = "{}";
  second.summary_json = "{}";
  second.pairs = {{"M1", "B", 0.8, {}, {}, ""}, {"M4", "A", 0.6, {}, {}, ""}};
  const MatchRunId other = store_->SaveMatchRun(f.program, second).value();
  const AccountId reviewer = MakeAccount(f.org, "c@x.example");
  ASSERT_TRUE(store_->ApproveRun(f.run, reviewer).ok());
  ASSERT_TRUE(store_->ApproveRun(other, reviewer).ok());
  std::vector<std::unique_ptr<Store>> stores;
  for (int k = 0; k < 2; ++k) {
    Result<std::unique_ptr<Store>> opened = OpenAnother();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    stores.push_back(std::move(opened).value());
  }
  const MatchRunId runs[2] = {f.run, other};
  const std::vector<Status> results = RunTogether(2, [&](int k) {
    Result<std::vector<Relationship>> r =
        stores[static_cast<size_t>(k)]->PublishRun(runs[static_cast<size_t>(k)]);
    return r.ok() ? Status::Ok() : r.status();
  });
  ASSERT_NE(results[0].ok(), results[1].ok())
      << results[0].ToString() << " / " << results[1].ToString();
  const Status& refused = results[0].ok() ? results[1] : results[0];
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("not in status matching (it is active)"), std::string::npos)
      << refused.ToString();
  const std::vector<Relationship> all = store_->ListRelationships(f.program).value();
  const MatchRunId winner = results[0].ok() ? f.run : other;
  EXPECT_EQ(all.size(), winner == f.run ? 3u : 2u);
  for (const Relationship& r : all) EXPECT_EQ(r.run, winner);
  EXPECT_TRUE(store_->GetRunReview(winner == f.run ? other : f.run).value().published_at.empty());
}

TEST_P(StoreTest, ConcurrentEndsOfARelationshipSucceedOnce) {
  constexpr int kStores = 4;
  AccountId by;
  const Relationship r = PublishOne(*store_, &by);
  std::vector<std::unique_ptr<Store>> stores;
  for (int k = 0; k < kStores; ++k) {
    Result<std::unique_ptr<Store>> opened = OpenAnother();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    stores.push_back(std::move(opened).value());
  }
  const std::vector<Status> results = RunTogether(kStores, [&](int k) {
    return stores[static_cast<size_t>(k)]->ChangeRelationshipStatus(
        r.id, RelationshipStatus::kEnded, "reason " + std::to_string(k), by);
  });
  int ended = -1;
  for (int k = 0; k < kStores; ++k) {
    const Status& s = results[static_cast<size_t>(k)];
    if (s.ok()) {
      EXPECT_EQ(ended, -1) << "ended twice";
      ended = k;
    } else {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
      EXPECT_NE(s.message().find("from ended to ended"), std::string::npos) << s.ToString();
    }
  }
  ASSERT_NE(ended, -1);
  EXPECT_EQ(store_->GetRelationship(r.id).value().end_reason, "reason " + std::to_string(ended));
}

TEST_P(StoreTest, ConcurrentFeedbackOfOnePersonIsKeptOnce) {
  constexpr int kStores = 4;
  const Relationship r = PublishOne(*store_);
  const MeetingId m = store_->ScheduleMeeting(r.id, {"2027-01-10T10:00:00Z", 45, "", ""}).value();
  ASSERT_TRUE(store_->UpdateMeeting(m, MeetingStatus::kHeld, "").ok());
  std::vector<std::unique_ptr<Store>> stores;
  for (int k = 0; k < kStores; ++k) {
    Result<std::unique_ptr<Store>> opened = OpenAnother();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    stores.push_back(std::move(opened).value());
  }
  // The mentee answers from every store at once; the mentor once, alongside.
  const std::vector<Status> results = RunTogether(kStores + 1, [&](int k) {
    if (k == kStores) return store_->AddFeedback(m, {"A", 4, "{}", ""});
    return stores[static_cast<size_t>(k)]->AddFeedback(m, {"M1", k + 1, "{}", ""});
  });
  EXPECT_TRUE(results[kStores].ok()) << results[kStores].ToString();
  int kept = 0;
  for (int k = 0; k < kStores; ++k) {
    const Status& s = results[static_cast<size_t>(k)];
    if (s.ok()) {
      ++kept;
    } else {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
      EXPECT_NE(s.message().find("feedback already given"), std::string::npos) << s.ToString();
    }
  }
  EXPECT_EQ(kept, 1);
  EXPECT_EQ(store_->ListFeedback(m).value().size(), 2u);
  EXPECT_EQ(store_->AggregateFeedback(r.program).value().count, 2);
}

#ifdef TANDEM_WITH_POSTGRES
// PostgreSQL's row locks, checked by holding a lock on the test's admin connection while a store
// call waits for it: the call must act on what the lock holder committed, not on what it read
// before waiting (READ COMMITTED re-reads after the lock).
class PostgresLockTest : public StoreTest {
 protected:
  // Runs `sql` statements on the admin connection in one transaction left open; `schema_` is
  // substituted for "S." in each.
  void Hold(const std::vector<std::string>& statements) {
    ASSERT_TRUE(admin_->Exec("BEGIN").ok());
    for (std::string sql : statements) {
      for (size_t at = sql.find("S."); at != std::string::npos; at = sql.find("S.", at)) {
        sql.replace(at, 2, schema_ + ".");
        at += schema_.size() + 1;
      }
      Status s = admin_->Exec(sql);
      ASSERT_TRUE(s.ok()) << sql << ": " << s.ToString();
    }
  }

  // Starts `call` on a thread, checks that it is still waiting after a while, commits the admin
  // transaction and returns the call's Status.
  template <typename F>
  Status WaitsThenSees(F call) {
    std::atomic<bool> done{false};
    Status result;
    std::thread t([&] {
      result = call();
      done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_FALSE(done.load()) << "the call did not wait for the row lock";
    EXPECT_TRUE(admin_->Exec("COMMIT").ok());
    t.join();
    return result;
  }
};
INSTANTIATE_TEST_SUITE_P(Backends, PostgresLockTest, ::testing::Values(Backend::kPostgres),
                         BackendName);

TEST_P(PostgresLockTest, ReviewWriteWaitingForAPublicationIsRefused) {
  const ReviewFixture f = MakeReviewFixture(*store_);
  const AccountId reviewer = MakeAccount(f.org, "c@x.example");
  const std::string run = std::to_string(f.run.value);
  Hold({"SELECT 1 FROM S.match_runs WHERE id = " + run + " FOR UPDATE",
        "INSERT INTO S.run_publications (run_id) VALUES (" + run + ")"});
  const Status s = WaitsThenSees([&] {
    Result<std::int64_t> id = store_->AddReviewComment(f.run, "M1", reviewer, "too late");
    return id.ok() ? Status::Ok() : id.status();
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("is published"), std::string::npos) << s.ToString();
  EXPECT_TRUE(store_->GetRunReview(f.run).value().comments.empty());
}

TEST_P(PostgresLockTest, PublishWaitingForAStatusChangeSeesTheNewStatus) {
  const ReviewFixture f = MakeReviewFixture(*store_);
  ASSERT_TRUE(store_->ApproveRun(f.run, MakeAccount(f.org, "c@x.example")).ok());
  Hold(
      {"UPDATE S.programs SET status = 'enrolling' WHERE id = " + std::to_string(f.program.value)});
  const Status s = WaitsThenSees([&] {
    Result<std::vector<Relationship>> r = store_->PublishRun(f.run);
    return r.ok() ? Status::Ok() : r.status();
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("not in status matching (it is enrolling)"), std::string::npos)
      << s.ToString();
  EXPECT_TRUE(store_->ListRelationships(f.program).value().empty());
  EXPECT_TRUE(store_->GetRunReview(f.run).value().published_at.empty());
}

TEST_P(PostgresLockTest, FeedbackWaitingForAMeetingUpdateSeesIt) {
  const Relationship r = PublishOne(*store_);
  const MeetingId m = store_->ScheduleMeeting(r.id, {"2027-01-10T10:00:00Z", 45, "", ""}).value();
  ASSERT_TRUE(store_->UpdateMeeting(m, MeetingStatus::kHeld, "").ok());
  Hold({"UPDATE S.meetings SET status = 'cancelled' WHERE id = " + std::to_string(m.value)});
  const Status s = WaitsThenSees([&] { return store_->AddFeedback(m, {"M1", 5, "{}", ""}); });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("not been logged as held"), std::string::npos) << s.ToString();
  EXPECT_TRUE(store_->ListFeedback(m).value().empty());
}

TEST_P(PostgresLockTest, MeetingWaitingForAPauseIsRefused) {
  const Relationship r = PublishOne(*store_);
  Hold({"UPDATE S.relationships SET status = 'paused' WHERE id = " + std::to_string(r.id.value)});
  const Status s = WaitsThenSees([&] {
    Result<MeetingId> m = store_->ScheduleMeeting(r.id, {"2027-01-10T10:00:00Z", 45, "", ""});
    return m.ok() ? Status::Ok() : m.status();
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("is paused"), std::string::npos) << s.ToString();
  EXPECT_TRUE(store_->ListMeetings(r.id).value().empty());
}
#endif

// ---- Program details, enrollment, informal requests, stale jobs ----

TEST_P(StoreTest, ProgramDetailsAreKeptVerbatim) {
  const OrganizationId org = MakeOrganization();
  const ProgramId p = MakeProgram(org, "P");
  EXPECT_EQ(store_->GetProgramDetails(p).value(), "{}");
  const std::string details = R"({"objectives":["retain talent"],"duration_weeks":26})";
  ASSERT_TRUE(store_->SetProgramDetails(p, details).ok());
  EXPECT_EQ(store_->GetProgramDetails(p).value(), details);
  ASSERT_TRUE(store_->SetProgramDetails(p, "{}").ok());
  EXPECT_EQ(store_->GetProgramDetails(p).value(), "{}");
  EXPECT_EQ(store_->GetProgramDetails(ProgramId{9999}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->SetProgramDetails(ProgramId{9999}, "{}").code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, ApplicationsFollowTheReviewQueue) {
  const OrganizationId org = MakeOrganization();
  ASSERT_TRUE(store_->UpsertPeople(org, People(5)).ok());
  const std::vector<Person> people = store_->ListPeople(org, "", 10).value().people;
  const ProgramId p = MakeProgram(org, "P");
  const AccountId by = MakeAccount(org, "coord@x.example");
  Result<ApplicationId> closed = store_->Apply(p, {people[0].id, "mentee", "{}"});
  ASSERT_FALSE(closed.ok());
  EXPECT_NE(closed.status().message().find("not open for applications"), std::string::npos);
  ASSERT_TRUE(store_->UpdateProgramStatus(p, ProgramStatus::kEnrolling).ok());
  const ApplicationId a = store_->Apply(p, {people[0].id, "mentee", R"({"goal":"lead"})"}).value();
  const ApplicationId b = store_->Apply(p, {people[1].id, "mentor", "{}"}).value();
  const ApplicationId c = store_->Apply(p, {people[2].id, "mentee", "{}"}).value();
  EXPECT_EQ(store_->Apply(p, {people[0].id, "mentor", "{}"}).status().code(),
            StatusCode::kInvalidArgument);  // applied already
  EXPECT_EQ(store_->Apply(p, {people[3].id, "boss", "{}"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Apply(p, {"NOBODY", "mentee", "{}"}).status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(store_->DecideApplication(a, ApplicationStatus::kApproved, "welcome", by).ok());
  ASSERT_TRUE(store_->DecideApplication(b, ApplicationStatus::kWaitlisted, "full", by).ok());
  ASSERT_TRUE(
      store_->DecideApplication(b, ApplicationStatus::kApproved, "a place opened", by).ok());
  ASSERT_TRUE(store_->DecideApplication(c, ApplicationStatus::kRejected, "not eligible", by).ok());
  EXPECT_EQ(store_->DecideApplication(c, ApplicationStatus::kApproved, "", by).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->DecideApplication(a, ApplicationStatus::kPending, "", by).code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->DecideApplication(a, ApplicationStatus::kWithdrawn, "changed mind", by).ok());
  EXPECT_EQ(store_->DecideApplication(a, ApplicationStatus::kApproved, "", by).code(),
            StatusCode::kInvalidArgument);

  const Application got = store_->GetApplication(b).value();
  EXPECT_EQ(got.employee_id, people[1].id);
  EXPECT_EQ(got.role, "mentor");
  EXPECT_EQ(got.status, ApplicationStatus::kApproved);
  EXPECT_EQ(got.decision_note, "a place opened");
  EXPECT_EQ(got.decided_by, by);
  EXPECT_EQ(got.decided_at.size(), 24u);
  EXPECT_EQ(store_->ListApplications(p, std::nullopt).value().size(), 3u);
  const std::vector<Application> approved =
      store_->ListApplications(p, ApplicationStatus::kApproved).value();
  ASSERT_EQ(approved.size(), 1u);
  EXPECT_EQ(approved[0].id, b);
  EXPECT_EQ(store_->GetApplication(a).value().answers_json, R"({"goal":"lead"})");
}

TEST_P(StoreTest, InformalRequestsRespectCapsAndCapacity) {
  const OrganizationId org = MakeOrganization();
  std::vector<Person> people = People(6);
  people[0].mentor_capacity = 1;  // the mentor everyone asks
  people[1].mentor_capacity = 2;
  ASSERT_TRUE(store_->UpsertPeople(org, people).ok());
  const ProgramId p = MakeProgram(org, "Informal");
  const std::string m0 = people[0].id, m1 = people[1].id;
  const std::string e2 = people[2].id, e3 = people[3].id, e4 = people[4].id;

  EXPECT_EQ(store_->CreateRequest(p, {e2, m0, "", 14 * 86400, 3}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateRequest(p, {e2, m0, "hi", 0, 3}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateRequest(p, {e2, "NOBODY", "hi", 14 * 86400, 3}).status().code(),
            StatusCode::kNotFound);
  const RequestId r1 =
      store_->CreateRequest(p, {e2, m0, "Could you help me negotiate?", 14 * 86400, 2}).value();
  EXPECT_EQ(store_->CreateRequest(p, {e2, m0, "again", 14 * 86400, 2}).status().code(),
            StatusCode::kInvalidArgument);  // same mentor, still open
  const RequestId r2 = store_->CreateRequest(p, {e2, m1, "Or you?", 14 * 86400, 2}).value();
  Result<RequestId> capped = store_->CreateRequest(p, {e2, people[5].id, "third", 14 * 86400, 2});
  ASSERT_FALSE(capped.ok());
  EXPECT_NE(capped.status().message().find("open requests"), std::string::npos);

  // Declining needs a reason; a question goes back to the mentee, who answers.
  EXPECT_EQ(store_->RespondToRequest(r2, RequestStatus::kDeclined, "").status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->RespondToRequest(r2, RequestStatus::kInfoRequested, "Which deal?").ok());
  EXPECT_EQ(store_->GetRequest(r2).value().status, RequestStatus::kInfoRequested);
  ASSERT_TRUE(store_->RespondToRequest(r2, RequestStatus::kOpen, "The Q3 vendor deal").ok());

  // Accepting creates the relationship and withdraws the mentee's other open requests.
  const MentorRequest accepted = store_->RespondToRequest(r1, RequestStatus::kAccepted, "").value();
  EXPECT_EQ(accepted.status, RequestStatus::kAccepted);
  ASSERT_NE(accepted.relationship.value, 0);
  const Relationship rel = store_->GetRelationship(accepted.relationship).value();
  EXPECT_EQ(rel.mentee_id, e2);
  EXPECT_EQ(rel.mentor_id, m0);
  EXPECT_EQ(rel.run.value, 0);
  EXPECT_EQ(rel.status, RelationshipStatus::kActive);
  EXPECT_EQ(store_->GetRequest(r2).value().status, RequestStatus::kWithdrawn);
  EXPECT_EQ(store_->RespondToRequest(r1, RequestStatus::kDeclined, "no").status().code(),
            StatusCode::kInvalidArgument);

  // m0 has no free place now; e2 has a mentor in this program.
  Result<RequestId> full = store_->CreateRequest(p, {e3, m0, "please", 14 * 86400, 3});
  ASSERT_FALSE(full.ok());
  EXPECT_NE(full.status().message().find("no free place"), std::string::npos);
  EXPECT_EQ(store_->CreateRequest(p, {e2, m1, "another", 14 * 86400, 3}).status().code(),
            StatusCode::kInvalidArgument);
  // A place taken between request and answer is caught at acceptance.
  const RequestId r3 = store_->CreateRequest(p, {e3, m1, "hello", 14 * 86400, 3}).value();
  const RequestId r4 = store_->CreateRequest(p, {e4, m1, "hello", 14 * 86400, 3}).value();
  ASSERT_TRUE(store_->RespondToRequest(r3, RequestStatus::kAccepted, "").ok());
  ASSERT_TRUE(store_->RespondToRequest(r4, RequestStatus::kAccepted, "").ok());  // 2nd place
  Result<RequestId> late = store_->CreateRequest(p, {people[5].id, m1, "late", 14 * 86400, 3});
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.status().message().find("no free place"), std::string::npos);
  const std::vector<MentorRequest> of_m1 = store_->ListRequestsOf(org, m1).value();
  ASSERT_EQ(of_m1.size(), 3u);  // r2 (withdrawn), r3, r4; newest first
  EXPECT_EQ(of_m1[0].id, r4);
  EXPECT_EQ(of_m1[2].id, r2);
}

TEST_P(StoreTest, UnansweredRequestsExpire) {
  const OrganizationId org = MakeOrganization();
  std::vector<Person> people = People(3);
  people[0].mentor_capacity = 2;
  ASSERT_TRUE(store_->UpsertPeople(org, people).ok());
  const ProgramId p = MakeProgram(org, "Informal");
  const RequestId r = store_->CreateRequest(p, {people[1].id, people[0].id, "hi", 1, 3}).value();
  const RequestId later =
      store_->CreateRequest(p, {people[2].id, people[0].id, "hi", 3600, 3}).value();
  const MentorRequest fresh = store_->GetRequest(r).value();
  EXPECT_EQ(fresh.status, RequestStatus::kOpen);
  EXPECT_GT(fresh.expires_at, fresh.created_at);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(store_->GetRequest(r).value().status, RequestStatus::kExpired);
  EXPECT_EQ(store_->GetRequest(later).value().status, RequestStatus::kOpen);
  EXPECT_EQ(store_->RespondToRequest(r, RequestStatus::kAccepted, "").status().code(),
            StatusCode::kInvalidArgument);
  // An expired request no longer counts against the cap or blocks asking the same mentor again.
  EXPECT_TRUE(store_->CreateRequest(p, {people[1].id, people[0].id, "again", 3600, 1}).ok());
}

TEST_P(StoreTest, StaleRunningJobsAreFailed) {
  const OrganizationId org = MakeOrganization();
  const ProgramId p = MakeProgram(org, "P");
  const JobId a = store_->CreateJob({org, p, "match", "{}", {}}).value();
  const JobId b = store_->CreateJob({org, p, "match", "{}", {}}).value();
  ASSERT_TRUE(store_->ClaimNextJob("w1").value().has_value());
  ASSERT_TRUE(store_->ClaimNextJob("w2").value().has_value());
  const std::vector<Job> running = store_->ListRunningJobs().value();
  ASSERT_EQ(running.size(), 2u);
  EXPECT_EQ(running[0].id, a);
  EXPECT_EQ(running[1].claimed_by, "w2");
  // Both reported just now: nothing is stale within an hour.
  EXPECT_EQ(store_->FailStaleJobs(3600, "gone").value(), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(store_->UpdateJobProgress(b, 0.5, "still here").ok());
  EXPECT_EQ(store_->FailStaleJobs(1, "the server running it stopped").value(), 1);
  const Job failed = store_->GetJob(a).value();
  EXPECT_EQ(failed.state, JobState::kFailed);
  EXPECT_EQ(failed.error, "the server running it stopped");
  EXPECT_EQ(store_->GetJob(b).value().state, JobState::kRunning);
  const Status negative = store_->FailStaleJobs(-1, "x").status();
  EXPECT_EQ(negative.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(negative.message(), "stale_seconds: must not be negative");
  EXPECT_EQ(store_->GetJob(b).value().state, JobState::kRunning);
}

// An informal-request fixture: a mentor with `capacity` places and four mentees (each with two
// places of their own) in a program.
struct RequestFixture {
  OrganizationId org;
  ProgramId program;
  std::string mentor;
  std::vector<std::string> mentees;
};

RequestFixture MakeRequestFixture(Store& store, int capacity) {
  RequestFixture f;
  f.org = store.CreateOrganization("Acme").value();
  sample::OrganizationSpec spec;
  spec.people = 5;
  spec.seed = 11;
  std::vector<Person> people = sample::GenerateOrganization(spec);
  for (Person& p : people) p.mentor_capacity = 2;
  people[0].mentor_capacity = capacity;
  EXPECT_TRUE(store.UpsertPeople(f.org, people).ok());
  f.program = store.CreateProgram(f.org, {"Informal", "traditional", "{}"}).value();
  f.mentor = people[0].id;
  for (size_t i = 1; i < people.size(); ++i) f.mentees.push_back(people[i].id);
  return f;
}

TEST_P(StoreTest, ConcurrentAcceptancesNeverOverfillAMentor) {
  const RequestFixture f = MakeRequestFixture(*store_, 1);
  // Two open requests to a mentor with one free place, accepted from two stores at once.
  const RequestId requests[2] = {
      store_->CreateRequest(f.program, {f.mentees[0], f.mentor, "please", 3600, 3}).value(),
      store_->CreateRequest(f.program, {f.mentees[1], f.mentor, "me too", 3600, 3}).value()};
  std::vector<std::unique_ptr<Store>> stores;
  for (int k = 0; k < 2; ++k) {
    Result<std::unique_ptr<Store>> opened = OpenAnother();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    stores.push_back(std::move(opened).value());
  }
  const std::vector<Status> results = RunTogether(2, [&](int k) {
    Result<MentorRequest> r =
        stores[static_cast<size_t>(k)]->RespondToRequest(requests[k], RequestStatus::kAccepted, "");
    return r.ok() ? Status::Ok() : r.status();
  });
  ASSERT_NE(results[0].ok(), results[1].ok())
      << results[0].ToString() << " / " << results[1].ToString();
  const int winner = results[0].ok() ? 0 : 1;
  const Status& refused = results[static_cast<size_t>(1 - winner)];
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.message(), f.mentor + " has no free place (1 of 1 taken)");
  const std::vector<Relationship> all = store_->ListRelationships(f.program).value();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].mentee_id, f.mentees[static_cast<size_t>(winner)]);
  EXPECT_EQ(store_->GetRequest(requests[winner]).value().status, RequestStatus::kAccepted);
  EXPECT_EQ(store_->GetRequest(requests[1 - winner]).value().status, RequestStatus::kOpen);
}

TEST_P(StoreTest, ConcurrentRequestsOfOneMenteeRespectTheCap) {
  constexpr int kStores = 3;
  const RequestFixture f = MakeRequestFixture(*store_, 5);
  // One mentee asks three mentors at once from three stores; the program allows one open request.
  std::vector<std::unique_ptr<Store>> stores;
  for (int k = 0; k < kStores; ++k) {
    Result<std::unique_ptr<Store>> opened = OpenAnother();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    stores.push_back(std::move(opened).value());
  }
  const std::string mentors[kStores] = {f.mentor, f.mentees[1], f.mentees[2]};
  const std::vector<Status> results = RunTogether(kStores, [&](int k) {
    Result<RequestId> r = stores[static_cast<size_t>(k)]->CreateRequest(
        f.program, {f.mentees[0], mentors[k], "hello", 3600, 1});
    return r.ok() ? Status::Ok() : r.status();
  });
  int created = 0;
  for (const Status& s : results) {
    if (s.ok()) {
      ++created;
    } else {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
      EXPECT_EQ(s.message(), f.mentees[0] + " has 1 open requests, the most this program allows");
    }
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(store_->ListRequestsOf(f.org, f.mentees[0]).value().size(), 1u);
}

#ifdef TANDEM_WITH_POSTGRES
TEST_P(PostgresLockTest, AcceptanceWaitingForAPublicationCountsItsPlaces) {
  const RequestFixture f = MakeRequestFixture(*store_, 1);
  const RequestId r =
      store_->CreateRequest(f.program, {f.mentees[0], f.mentor, "please", 3600, 3}).value();
  // As PublishRun does: the program's row locked, a relationship of the mentor inserted.
  const std::string program = std::to_string(f.program.value);
  Hold({"SELECT 1 FROM S.programs WHERE id = " + program + " FOR UPDATE",
        "INSERT INTO S.relationships (program_id, run_id, mentee_id, mentor_id, status) VALUES (" +
            program + ", 0, '" + f.mentees[1] + "', '" + f.mentor + "', 'active')"});
  const Status s = WaitsThenSees([&] {
    Result<MentorRequest> accepted = store_->RespondToRequest(r, RequestStatus::kAccepted, "");
    return accepted.ok() ? Status::Ok() : accepted.status();
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(s.message(), f.mentor + " has no free place (1 of 1 taken)");
  EXPECT_EQ(store_->ListRelationships(f.program).value().size(), 1u);
  EXPECT_EQ(store_->GetRequest(r).value().status, RequestStatus::kOpen);
}

TEST_P(PostgresLockTest, LargeImportsAreAnalyzed) {
  // Column statistics in pg_stats come from ANALYZE only.
  auto analyzed = [&](const std::string& table) {
    Result<postgres::PgResult> r =
        admin_->Query("SELECT count(*) FROM pg_stats WHERE schemaname = $1 AND tablename = $2",
                      postgres::Params().Add(schema_).Add(table));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && r->Int(0, 0) > 0;
  };
  const OrganizationId small = MakeOrganization("Small");
  ASSERT_TRUE(store_->UpsertPeople(small, People(20)).ok());
  EXPECT_FALSE(analyzed("people"));
  const OrganizationId large = MakeOrganization("Large");
  ASSERT_TRUE(store_->UpsertPeople(large, People(1001)).ok());
  EXPECT_TRUE(analyzed("people"));
  EXPECT_TRUE(analyzed("person_skills_held"));
}
#endif

// ---- Notifications, kudos, training and surveys ----

TEST_P(StoreTest, NotificationsAndTheirOutbox) {
  const OrganizationId org = MakeOrganization();
  EXPECT_EQ(store_->Notify({org, "E1", "", "t", "", "", {}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Notify({org, "E1", "k", "t", "", "", {"fax"}}).status().code(),
            StatusCode::kInvalidArgument);
  const NotificationId first = store_
                                   ->Notify({org,
                                             "E1",
                                             "request.received",
                                             "Ana asks you to mentor her",
                                             "body",
                                             "#/requests",
                                             {"email", "slack"}})
                                   .value();
  const NotificationId second =
      store_->Notify({org, "E1", "run.published", "You have a mentor", "", "", {}}).value();
  ASSERT_TRUE(store_->Notify({org, "E2", "k", "for someone else", "", "", {"email"}}).ok());
  const std::vector<Notification> mine = store_->ListNotifications(org, "E1", 10).value();
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, second);  // newest first
  EXPECT_EQ(mine[1].title, "Ana asks you to mentor her");
  EXPECT_FALSE(mine[1].read);
  EXPECT_EQ(store_->MarkNotificationRead(first, "E2").code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->MarkNotificationRead(first, "E1").ok());
  EXPECT_TRUE(store_->ListNotifications(org, "E1", 10).value()[1].read);

  // Three messages are due; a claim takes each once.
  std::vector<OutboxMessage> claimed = store_->ClaimOutbox("w1", 2).value();
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].channel, "email");
  EXPECT_EQ(claimed[0].recipient_id, "E1");
  EXPECT_EQ(claimed[0].title, "Ana asks you to mentor her");
  EXPECT_EQ(claimed[1].channel, "slack");
  const std::vector<OutboxMessage> rest = store_->ClaimOutbox("w2", 10).value();
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].recipient_id, "E2");
  EXPECT_TRUE(store_->ClaimOutbox("w3", 10).value().empty());

  ASSERT_TRUE(store_->FinishOutbox(claimed[0].id, true, "", 0).ok());
  EXPECT_EQ(store_->FinishOutbox(claimed[0].id, true, "", 0).code(),
            StatusCode::kInvalidArgument);  // already finished
  // A failed attempt comes back after its delay; with a negative delay it fails for good.
  ASSERT_TRUE(store_->FinishOutbox(claimed[1].id, false, "HTTP 500", 0).ok());
  const std::vector<OutboxMessage> retry = store_->ClaimOutbox("w1", 10).value();
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].id, claimed[1].id);
  EXPECT_EQ(retry[0].attempts, 1);
  EXPECT_EQ(retry[0].last_error, "HTTP 500");
  ASSERT_TRUE(store_->FinishOutbox(retry[0].id, false, "HTTP 500 again", 3600).ok());
  EXPECT_TRUE(store_->ClaimOutbox("w1", 10).value().empty());  // not due for an hour
  ASSERT_TRUE(store_->FinishOutbox(rest[0].id, false, "no address", -1).ok());
  const auto states = store_->OutboxStates(first).value();
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[0], (std::pair<std::string, std::string>{"email", "sent"}));
  EXPECT_EQ(states[1], (std::pair<std::string, std::string>{"slack", "pending"}));
}

TEST_P(StoreTest, ConcurrentOutboxClaimsTakeEveryMessageOnce) {
  constexpr int kMessages = 40;
  constexpr int kWorkers = 2;
  const OrganizationId org = MakeOrganization();
  std::set<std::int64_t> notifications;
  for (int i = 0; i < kMessages; ++i) {
    Result<NotificationId> id = store_->Notify(
        {org, "E" + std::to_string(i), "k", "title " + std::to_string(i), "", "", {"email"}});
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    notifications.insert(id->value);
  }
  // Each worker has a Store of its own over the same database, as separate processes would.
  std::vector<std::unique_ptr<Store>> stores;
  for (int w = 0; w < kWorkers; ++w) {
    Result<std::unique_ptr<Store>> opened = OpenAnother();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    stores.push_back(std::move(opened).value());
  }
  std::vector<std::vector<OutboxMessage>> claimed(kWorkers);
  std::vector<std::string> errors(kWorkers);
  {
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWorkers; ++w) {
      threads.emplace_back([&, w] {
        const std::string name = "worker-" + std::to_string(w);
        ++ready;
        while (ready.load() < kWorkers) std::this_thread::yield();  // start together
        for (;;) {
          Result<std::vector<OutboxMessage>> batch =
              stores[static_cast<size_t>(w)]->ClaimOutbox(name, 3);
          if (!batch.ok()) {
            errors[static_cast<size_t>(w)] = batch.status().ToString();
            return;
          }
          if (batch->empty()) return;
          for (OutboxMessage& m : *batch) claimed[static_cast<size_t>(w)].push_back(std::move(m));
        }
      });
    }
    for (std::thread& t : threads) t.join();
  }
  std::map<std::int64_t, int> owner;  // message id -> the worker that claimed it
  for (int w = 0; w < kWorkers; ++w) {
    EXPECT_EQ(errors[static_cast<size_t>(w)], "") << "worker " << w;
    for (const OutboxMessage& m : claimed[static_cast<size_t>(w)]) {
      EXPECT_TRUE(owner.emplace(m.id, w).second) << "message " << m.id << " claimed twice";
      EXPECT_EQ(m.channel, "email");
      EXPECT_EQ(m.attempts, 0);
      EXPECT_EQ(notifications.count(m.notification.value), 1u);
    }
  }
  EXPECT_EQ(owner.size(), static_cast<size_t>(kMessages));
  for (std::int64_t n : notifications) {
    const auto states = store_->OutboxStates(NotificationId{n}).value();
    ASSERT_EQ(states.size(), 1u);
    EXPECT_EQ(states[0].second, "sending") << "notification " << n;  // claimed, none left pending
  }
  EXPECT_TRUE(store_->ClaimOutbox("late", 10).value().empty());
}

TEST_P(StoreTest, KudosGoBetweenThePair) {
  const ReviewFixture f = MakeReviewFixture(*store_);
  const AccountId approver = MakeAccount(f.org, "approver@x.example");
  ASSERT_TRUE(store_->ApproveRun(f.run, approver).ok());
  const Relationship r = store_->PublishRun(f.run).value().front();  // M1 - A
  EXPECT_EQ(store_->GiveKudos(r.id, "M1", "A", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GiveKudos(r.id, "M1", "M2", "thanks").status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->GiveKudos(r.id, "M1", "A", "Thank you for the budget advice").ok());
  ASSERT_TRUE(store_->GiveKudos(r.id, "A", "M1", "Great progress").ok());
  const std::vector<Kudos> to_a = store_->ListKudosFor(f.org, "A").value();
  ASSERT_EQ(to_a.size(), 1u);
  EXPECT_EQ(to_a[0].from_id, "M1");
  EXPECT_EQ(to_a[0].message, "Thank you for the budget advice");
  EXPECT_EQ(store_->ListKudosFor(f.org, "M1").value().size(), 1u);
}

TEST_P(StoreTest, ResourcesAreAssignedAndCompleted) {
  const OrganizationId org = MakeOrganization();
  ASSERT_TRUE(store_->UpsertPeople(org, People(3)).ok());
  const std::vector<Person> people = store_->ListPeople(org, "", 10).value().people;
  EXPECT_EQ(store_->CreateResource(org, {"", "", "article", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateResource(org, {"T", "", "podcast", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateResource(org, {"T", "ftp://x", "video", ""}).status().code(),
            StatusCode::kInvalidArgument);
  const ResourceId guide =
      store_
          ->CreateResource(org, {"Mentoring guide", "https://example.com/guide", "article",
                                 "How to run a first session"})
          .value();
  const ResourceId course =
      store_->CreateResource(org, {"Coaching basics", "", "course", ""}).value();
  ASSERT_EQ(store_->ListResources(org).value().size(), 2u);
  ASSERT_TRUE(store_->AssignResource(guide, people[0].id, "2027-01-31").ok());
  ASSERT_TRUE(store_->AssignResource(course, people[0].id, "").ok());
  ASSERT_TRUE(store_->AssignResource(guide, people[1].id, "").ok());
  EXPECT_EQ(store_->AssignResource(guide, "NOBODY", "").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->AssignResource(guide, people[2].id, "soon").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CompleteAssignment(course, people[1].id).code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->CompleteAssignment(guide, people[0].id).ok());
  const std::vector<Assignment> mine = store_->ListAssignments(org, people[0].id).value();
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].resource, guide);
  EXPECT_EQ(mine[0].due_date, "2027-01-31");
  EXPECT_EQ(mine[0].completed_at.size(), 24u);
  EXPECT_TRUE(mine[1].completed_at.empty());
  EXPECT_EQ(store_->ListAssignments(org, "").value().size(), 3u);
}

TEST_P(StoreTest, SurveysCollectOneResponsePerPerson) {
  const OrganizationId org = MakeOrganization();
  const ProgramId p = MakeProgram(org, "P");
  EXPECT_EQ(store_->CreateSurvey(p, {"weekly", "T", {"Q"}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateSurvey(p, {"pulse", "T", {}}).status().code(),
            StatusCode::kInvalidArgument);
  const SurveyId s = store_
                         ->CreateSurvey(p, {"pulse",
                                            "Mid-program pulse",
                                            {"Meetings are useful", "I make progress on my goals"}})
                         .value();
  const Survey got = store_->GetSurvey(s).value();
  EXPECT_EQ(got.questions,
            (std::vector<std::string>{"Meetings are useful", "I make progress on my goals"}));
  EXPECT_EQ(store_->ListSurveys(p).value().size(), 1u);
  EXPECT_EQ(store_->SubmitSurvey(s, "E1", {5}, "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->SubmitSurvey(s, "E1", {5, 6}, "").code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->SubmitSurvey(s, "E1", {5, 4}, "good").ok());
  EXPECT_EQ(store_->SubmitSurvey(s, "E1", {1, 1}, "").code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->SubmitSurvey(s, "E2", {3, 4}, "").ok());
  EXPECT_TRUE(store_->HasAnswered(s, "E1").value());
  EXPECT_FALSE(store_->HasAnswered(s, "E3").value());
  const SurveyResults r = store_->GetSurveyResults(s).value();
  EXPECT_EQ(r.responses, 2);
  ASSERT_EQ(r.mean.size(), 2u);
  EXPECT_DOUBLE_EQ(r.mean[0], 4.0);
  EXPECT_DOUBLE_EQ(r.mean[1], 4.0);
  EXPECT_EQ(r.by_rating[0], (std::array<std::int64_t, 5>{0, 0, 1, 0, 1}));
  EXPECT_EQ(r.by_rating[1], (std::array<std::int64_t, 5>{0, 0, 0, 2, 0}));
}

TEST_P(StoreTest, StructuralRunsKeepEachPairsSlot) {
  const OrganizationId org = MakeOrganization();
  const ProgramId p = MakeProgram(org, "Speed");
  NewMatchRun run;
  run.config_json = "{}";
  run.input_snapshot_json = "{}";
  run.summary_json = "{}";
  run.pairs = {{"E1", "M1", 0.5, {}, {}, "", 0},
               {"E1", "M2", 0.4, {}, {}, "", 1},
               {"E2", "", 1.0, {}, {}, "circle", 7},
               {"E3", "M1", 0.3, {}, {}, ""}};
  const MatchRunId id = store_->SaveMatchRun(p, run).value();
  const MatchRun got = store_->GetMatchRun(id).value();
  ASSERT_EQ(got.pairs.size(), 4u);
  EXPECT_EQ(got.pairs[0].slot, 0);
  EXPECT_EQ(got.pairs[1].slot, 1);
  EXPECT_EQ(got.pairs[2].slot, 7);
  EXPECT_EQ(got.pairs[2].mentor_id, "");
  EXPECT_EQ(got.pairs[3].slot, -1);
  NewMatchRun bad = run;
  bad.pairs = {{"E1", "M1", 0.5, {}, {}, "", -2}};
  EXPECT_EQ(store_->SaveMatchRun(p, bad).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(SqliteFileTest, ReopeningKeepsData) {
  const OrganizationId org = MakeOrganization();
  const std::vector<Person> people = People(40);
  ASSERT_TRUE(store_->UpsertPeople(org, people).ok());
  Result<ProgramId> program = store_->CreateProgram(org, {"Kept", "virtual", "{}"});
  ASSERT_TRUE(program.ok());
  ASSERT_TRUE(store_->UpdateProgramStatus(*program, ProgramStatus::kEnrolling).ok());
  Result<MatchRunId> run =
      store_->SaveMatchRun(*program, {"{}", "[]", {{"E2", "E1", 0.5, {0.5}, {}, "x"}}, {}, "{}"});
  ASSERT_TRUE(run.ok());

  EXPECT_TRUE(fs::exists(path_ + "-wal"));  // WAL journal while the connection is open
  Reopen();
  EXPECT_EQ(Count(org), 40);
  Result<Person> p = store_->GetPerson(org, people[17].id);
  ASSERT_TRUE(p.ok());
  ExpectSamePerson(people[17], *p);
  Result<Program> got = store_->GetProgram(*program);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, ProgramStatus::kEnrolling);
  Result<MatchRun> got_run = store_->GetMatchRun(*run);
  ASSERT_TRUE(got_run.ok());
  ASSERT_EQ(got_run->pairs.size(), 1u);
  EXPECT_EQ(got_run->pairs[0].factors, std::vector<double>{0.5});
}

TEST_P(SqliteFileTest, OpenFailsForUnwritablePath) {
  Result<std::unique_ptr<Store>> bad = OpenSqlite((dir_ / "missing" / "dir" / "x.db").string());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kIoError);
}

#ifdef TANDEM_WITH_POSTGRES
// Both backends describe one logical schema: the same migration versions and names.
TEST(StoreMigrations, PostgresMirrorsSqlite) {
  const std::vector<Migration>& sqlite = SqliteMigrations();
  const std::vector<Migration>& pg = PostgresMigrations();
  ASSERT_EQ(pg.size(), sqlite.size());
  for (size_t i = 0; i < pg.size(); ++i) {
    EXPECT_EQ(pg[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ(pg[i].version, sqlite[i].version);
    EXPECT_STREQ(pg[i].name, sqlite[i].name);
  }
}

TEST(PostgresStore, OpenFailsWithIoErrorWhenNoServerListens) {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  Result<std::unique_ptr<Store>> store =
      OpenPostgres("host=127.0.0.1 port=1 dbname=tandem connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIoError);
  PostgresOptions bad;
  bad.schema = "x; DROP TABLE people";
  EXPECT_EQ(OpenPostgres("host=127.0.0.1 port=1", bad).status().code(),
            StatusCode::kInvalidArgument);
}
#endif

}  // namespace
}  // namespace tandem::store
