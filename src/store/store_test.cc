#include "store/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "sample/organization.h"
#include "store/sqlite/sqlite_store.h"

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

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("tandem_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir_);
    path_ = (dir_ / "tandem.db").string();
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void Reopen() {
    store_.reset();
    Result<std::unique_ptr<Store>> opened = OpenSqlite(path_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  OrganizationId MakeOrganization(const std::string& name = "Acme") {
    Result<OrganizationId> id = store_->CreateOrganization(name);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : OrganizationId{};
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

  fs::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, MigrationsAreRecordedAndIdempotent) {
  Result<std::vector<AppliedMigration>> applied = store_->AppliedMigrations();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_EQ(applied->size(), 3u);
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
  ASSERT_EQ(again->size(), 3u);
  for (size_t i = 0; i < again->size(); ++i) {
    EXPECT_EQ((*again)[i].version, (*applied)[i].version);
    EXPECT_EQ((*again)[i].applied_at, (*applied)[i].applied_at);  // not re-applied
  }
}

TEST_F(StoreTest, OrganizationsHaveUniqueNames) {
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

TEST_F(StoreTest, PeopleRoundTripExactly) {
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

TEST_F(StoreTest, UpsertUpdatesExistingIds) {
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

TEST_F(StoreTest, DuplicateIdInBatchWritesNothing) {
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

TEST_F(StoreTest, ConstraintViolationInLastRowLeavesNothingHalfWritten) {
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

TEST_F(StoreTest, UnknownOrganizationIsRefused) {
  Result<int> written = store_->UpsertPeople(OrganizationId{42}, People(2));
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.status().code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, PaginationVisitsEveryPersonOnce) {
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

TEST_F(StoreTest, ProgramStatusTransitions) {
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

TEST_F(StoreTest, MatchRunSavedAndReadBack) {
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

TEST_F(StoreTest, ReopeningKeepsData) {
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

TEST_F(StoreTest, OpenFailsForUnwritablePath) {
  Result<std::unique_ptr<Store>> bad = OpenSqlite((dir_ / "missing" / "dir" / "x.db").string());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace tandem::store
