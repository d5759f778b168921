#include "store/migrations/postgres_migrations.h"

namespace tandem::store {
namespace {

// Timestamps are TEXT in UTC, ISO 8601 with milliseconds ("2026-11-23T18:09:56.123Z"), written by
// the database, exactly as in SQLite: one fixed-width format on both backends, so text order is
// time order. now() is the transaction's start time.
#define TANDEM_NOW "(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))"

// Differences from the SQLite schema, none of them in meaning:
//   - ids are bigint GENERATED ALWAYS AS IDENTITY (SQLite: INTEGER PRIMARY KEY);
//   - REAL is double precision (both are 8-byte IEEE doubles; exact round trip);
//   - 0/1 flags are boolean (the CHECK IN (0, 1) is then the type itself);
//   - text that is ordered or compared byte-wise (employee ids, emails, role names) is
//     COLLATE "C", as SQLite's default BINARY collation, so cursors and lower() mean the same.

// 1: organizations and people (see sqlite_migrations.cc).
constexpr const char* kPeople = R"sql(
CREATE TABLE organizations (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (name <> ''),
  created_at  text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);

CREATE TABLE people (
  id                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id           bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  employee_id               text COLLATE "C" NOT NULL CHECK (employee_id <> ''),
  name                      text NOT NULL,
  email                     text NOT NULL,
  title                     text NOT NULL,
  department                text NOT NULL,
  site                      text NOT NULL,
  time_zone                 text NOT NULL,
  utc_offset_minutes        integer NOT NULL CHECK (utc_offset_minutes BETWEEN -1440 AND 1440),
  seniority                 integer NOT NULL CHECK (seniority BETWEEN 1 AND 10),
  manager_id                text NOT NULL,
  communication_style       text NOT NULL,
  meeting_preference        text NOT NULL
                            CHECK (meeting_preference IN ('either', 'in_person', 'virtual')),
  availability              text NOT NULL
                            CHECK (length(availability) = 168 AND availability ~ '^[01]*$'),
  role                      text NOT NULL CHECK (role IN ('mentee', 'mentor', 'either')),
  mentor_capacity           integer NOT NULL CHECK (mentor_capacity >= 0),
  prefer_shared_background  boolean NOT NULL,
  openness                  double precision CHECK (openness BETWEEN 0 AND 1),
  conscientiousness         double precision CHECK (conscientiousness BETWEEN 0 AND 1),
  extraversion              double precision CHECK (extraversion BETWEEN 0 AND 1),
  agreeableness             double precision CHECK (agreeableness BETWEEN 0 AND 1),
  neuroticism               double precision CHECK (neuroticism BETWEEN 0 AND 1),
  updated_at                text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  UNIQUE (organization_id, employee_id),
  CONSTRAINT people_personality_all_or_none
    CHECK ((openness IS NULL) = (conscientiousness IS NULL)
           AND (openness IS NULL) = (extraversion IS NULL)
           AND (openness IS NULL) = (agreeableness IS NULL)
           AND (openness IS NULL) = (neuroticism IS NULL))
);

-- languages, career_goals, interests, learning_preferences, preferred_mentors
CREATE TABLE person_values (
  person_id  bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  field      text NOT NULL CHECK (field IN ('languages', 'career_goals', 'interests',
                                            'learning_preferences', 'preferred_mentors')),
  position   integer NOT NULL CHECK (position >= 0),
  value      text NOT NULL,
  PRIMARY KEY (person_id, field, position)
);

CREATE TABLE person_skills_held (
  person_id    bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  position     integer NOT NULL CHECK (position >= 0),
  skill        text NOT NULL,
  proficiency  integer NOT NULL CHECK (proficiency BETWEEN 1 AND 5),
  PRIMARY KEY (person_id, position)
);

CREATE TABLE person_skills_wanted (
  person_id  bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  position   integer NOT NULL CHECK (position >= 0),
  skill      text NOT NULL,
  priority   integer NOT NULL CHECK (priority >= 1),
  PRIMARY KEY (person_id, position)
);

CREATE TABLE person_self_described (
  person_id  bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  position   integer NOT NULL CHECK (position >= 0),
  key        text NOT NULL,
  value      text NOT NULL,
  PRIMARY KEY (person_id, position)
);
)sql";

// 2: programs and their status history (see sqlite_migrations.cc).
constexpr const char* kPrograms = R"sql(
CREATE TABLE programs (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name             text NOT NULL CHECK (name <> ''),
  model            text NOT NULL CHECK (model <> ''),
  status           text NOT NULL
                   CHECK (status IN ('draft', 'enrolling', 'matching', 'active', 'closed')),
  config_json      text NOT NULL,
  created_at       text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  updated_at       text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  UNIQUE (organization_id, name)
);

CREATE TABLE program_status_changes (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  program_id   bigint NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  from_status  text NOT NULL,
  to_status    text NOT NULL,
  changed_at   text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX program_status_changes_by_program ON program_status_changes (program_id);
)sql";

// 3: matching runs (see sqlite_migrations.cc). Pairs name people by employee id, no foreign key.
constexpr const char* kMatchRuns = R"sql(
CREATE TABLE match_runs (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  program_id           bigint NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  config_json          text NOT NULL,
  input_snapshot_json  text NOT NULL,
  summary_json         text NOT NULL,
  created_at           text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX match_runs_by_program ON match_runs (program_id);

CREATE TABLE match_run_pairs (
  run_id       bigint NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
  position     integer NOT NULL CHECK (position >= 0),
  mentee_id    text NOT NULL,
  mentor_id    text NOT NULL,
  score        double precision NOT NULL,
  explanation  text NOT NULL,
  PRIMARY KEY (run_id, position)
);

CREATE TABLE match_run_pair_factors (
  run_id     bigint NOT NULL,
  position   integer NOT NULL,
  criterion  integer NOT NULL CHECK (criterion >= 0),
  value      double precision NOT NULL,
  PRIMARY KEY (run_id, position, criterion),
  FOREIGN KEY (run_id, position) REFERENCES match_run_pairs (run_id, position) ON DELETE CASCADE
);

CREATE TABLE match_run_pair_skills (
  run_id          bigint NOT NULL,
  position        integer NOT NULL,
  skill_position  integer NOT NULL CHECK (skill_position >= 0),
  skill           text NOT NULL,
  PRIMARY KEY (run_id, position, skill_position),
  FOREIGN KEY (run_id, position) REFERENCES match_run_pairs (run_id, position) ON DELETE CASCADE
);

CREATE TABLE match_run_unmatched (
  run_id     bigint NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
  position   integer NOT NULL CHECK (position >= 0),
  mentee_id  text NOT NULL,
  reason     text NOT NULL,
  PRIMARY KEY (run_id, position)
);
)sql";

// 4: accounts and their role grants, server-side sessions, background jobs and the audit log
// (see sqlite_migrations.cc). Emails are unique case-insensitively, ASCII only as in SQLite:
// lower() under COLLATE "C" folds A-Z and nothing else. A grant's program_id is 0 for "every
// program", so it has no foreign key; the store checks it. Queued jobs are claimed with
// SELECT ... FOR UPDATE SKIP LOCKED (the partial index keeps the queue scan short).
constexpr const char* kAccounts = R"sql(
CREATE TABLE accounts (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  email            text COLLATE "C" NOT NULL CHECK (email <> ''),
  display_name     text NOT NULL CHECK (display_name <> ''),
  password_hash    text NOT NULL CHECK (password_hash <> ''),
  employee_id      text NOT NULL,
  created_at       text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE UNIQUE INDEX accounts_by_email ON accounts (lower(email));
CREATE INDEX accounts_by_organization ON accounts (organization_id, id);

CREATE TABLE account_roles (
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  role        text COLLATE "C" NOT NULL
              CHECK (role IN ('admin', 'coordinator', 'committee', 'mentor', 'mentee',
                              'executive')),
  program_id  bigint NOT NULL CHECK (program_id >= 0),
  PRIMARY KEY (account_id, role, program_id)
);

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  created_at  text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  expires_at  text NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE jobs (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id   bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  program_id        bigint NOT NULL CHECK (program_id >= 0),
  kind              text NOT NULL CHECK (kind <> ''),
  state             text NOT NULL
                    CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  payload_json      text NOT NULL,
  created_by        bigint NOT NULL,
  claimed_by        text NOT NULL DEFAULT '',
  progress          double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  progress_message  text NOT NULL DEFAULT '',
  cancel_requested  boolean NOT NULL DEFAULT false,
  result_json       text NOT NULL DEFAULT '',
  error             text NOT NULL DEFAULT '',
  created_at        text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  started_at        text NOT NULL DEFAULT '',
  finished_at       text NOT NULL DEFAULT ''
);
CREATE INDEX jobs_queued ON jobs (id) WHERE state = 'queued';
CREATE INDEX jobs_by_program ON jobs (program_id, id);

CREATE TABLE audit_log (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  actor            bigint NOT NULL,
  action           text NOT NULL CHECK (action <> ''),
  target           text NOT NULL,
  detail_json      text NOT NULL,
  at               text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX audit_log_by_organization ON audit_log (organization_id, id);
)sql";

// 5: committee review of runs, publishing, and the relationships that follow: goals with
// milestones, meetings and feedback (see sqlite_migrations.cc). A mentee has at most one open
// (not ended) relationship per program, enforced by the partial unique index
// relationships_open_per_mentee. Employee ids (mentee_id, mentor_id, owner_id, from_id) are
// COLLATE "C" as people.employee_id: byte-wise order, as in SQLite. comment and approval authors
// are account ids without a foreign key, as in SQLite.
constexpr const char* kRelationships = R"sql(
CREATE TABLE run_pair_locks (
  run_id     bigint NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
  mentee_id  text COLLATE "C" NOT NULL,
  PRIMARY KEY (run_id, mentee_id)
);

CREATE TABLE run_comments (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id     bigint NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
  mentee_id  text COLLATE "C" NOT NULL,
  author     bigint NOT NULL,
  text       text NOT NULL CHECK (text <> ''),
  at         text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX run_comments_by_run ON run_comments (run_id);

CREATE TABLE run_approvals (
  run_id      bigint NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
  account_id  bigint NOT NULL,
  at          text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  PRIMARY KEY (run_id, account_id)
);

CREATE TABLE run_publications (
  run_id        bigint PRIMARY KEY REFERENCES match_runs (id) ON DELETE CASCADE,
  published_at  text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);

CREATE TABLE relationships (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  program_id  bigint NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  run_id      bigint NOT NULL,  -- the run that proposed it; 0 for an accepted request
  mentee_id   text COLLATE "C" NOT NULL,
  mentor_id   text COLLATE "C" NOT NULL,
  status      text NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
  started_at  text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  ended_at    text NOT NULL DEFAULT '',
  end_reason  text NOT NULL DEFAULT '',
  ended_by    bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX relationships_open_per_mentee ON relationships (program_id, mentee_id)
  WHERE status <> 'ended';
CREATE INDEX relationships_by_mentee ON relationships (mentee_id);
CREATE INDEX relationships_by_mentor ON relationships (mentor_id);

CREATE TABLE goals (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  relationship_id  bigint NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
  title            text NOT NULL CHECK (title <> ''),
  owner_id         text COLLATE "C" NOT NULL,
  due_date         text NOT NULL,
  progress         integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  created_at       text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  updated_at       text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX goals_by_relationship ON goals (relationship_id);

CREATE TABLE goal_milestones (
  goal_id   bigint NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
  position  integer NOT NULL CHECK (position >= 0),
  title     text NOT NULL CHECK (title <> ''),
  done      boolean NOT NULL,
  PRIMARY KEY (goal_id, position)
);

CREATE TABLE meetings (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  relationship_id   bigint NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
  starts_at         text NOT NULL,
  duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
  location          text NOT NULL,
  agenda            text NOT NULL,
  status            text NOT NULL DEFAULT 'scheduled'
                    CHECK (status IN ('scheduled', 'held', 'cancelled')),
  notes             text NOT NULL DEFAULT '',
  sequence          integer NOT NULL DEFAULT 0,
  created_at        text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  updated_at        text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX meetings_by_relationship ON meetings (relationship_id, starts_at);

CREATE TABLE feedback (
  meeting_id    bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  from_id       text COLLATE "C" NOT NULL,
  side          text NOT NULL CHECK (side IN ('mentee', 'mentor')),
  rating        integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
  answers_json  text NOT NULL,
  comment       text NOT NULL,
  at            text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  PRIMARY KEY (meeting_id, from_id)
);
)sql";

// 6: program details, enrollment applications, informal requests, and job heartbeats (see
// sqlite_migrations.cc). relationships.run_id is 0 for a relationship that began as an accepted
// request (migration 5 has no foreign key on it). Employee ids are COLLATE "C" as
// people.employee_id. Two partial indexes SQLite does without (its jobs_queued index on
// (state, id) serves state = 'running' too): mentor_requests_unanswered keeps the expiry scan
// that starts every request call short, jobs_running serves ListRunningJobs and FailStaleJobs.
constexpr const char* kEnrollment = R"sql(
CREATE TABLE program_details (
  program_id    bigint PRIMARY KEY REFERENCES programs (id) ON DELETE CASCADE,
  details_json  text NOT NULL
);

CREATE TABLE applications (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  program_id     bigint NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  employee_id    text COLLATE "C" NOT NULL,
  role           text NOT NULL CHECK (role IN ('mentee', 'mentor')),
  answers_json   text NOT NULL,
  status         text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'approved', 'rejected', 'waitlisted', 'withdrawn')),
  decision_note  text NOT NULL DEFAULT '',
  decided_by     bigint NOT NULL DEFAULT 0,
  created_at     text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  decided_at     text NOT NULL DEFAULT '',
  UNIQUE (program_id, employee_id)
);

CREATE TABLE mentor_requests (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  program_id       bigint NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  mentee_id        text COLLATE "C" NOT NULL,
  mentor_id        text COLLATE "C" NOT NULL,
  message          text NOT NULL CHECK (message <> ''),
  status           text NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'accepted', 'declined', 'info_requested', 'expired',
                                     'withdrawn')),
  response         text NOT NULL DEFAULT '',
  created_at       text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  expires_at       text NOT NULL,
  responded_at     text NOT NULL DEFAULT '',
  relationship_id  bigint NOT NULL DEFAULT 0
);
CREATE INDEX mentor_requests_by_mentee ON mentor_requests (mentee_id);
CREATE INDEX mentor_requests_by_mentor ON mentor_requests (mentor_id);
CREATE INDEX mentor_requests_unanswered ON mentor_requests (expires_at)
  WHERE status IN ('open', 'info_requested');

ALTER TABLE jobs ADD COLUMN heartbeat_at text NOT NULL DEFAULT '';
CREATE INDEX jobs_running ON jobs (id) WHERE state = 'running';
)sql";

// 7: notifications (in-app list and the delivery outbox), kudos, training resources with their
// assignments, and surveys with their responses (see sqlite_migrations.cc). Employee ids
// (recipient_id, from_id, to_id, employee_id, respondent_id) are COLLATE "C" as
// people.employee_id. notifications.read is a boolean (SQLite: 0 or 1). Outbox messages are
// claimed with SELECT ... FOR UPDATE SKIP LOCKED, as jobs are; outbox_due serves that scan. One
// index SQLite does without: outbox_by_notification serves OutboxStates and the cascade from
// notifications. One response per person and survey is the primary key of survey_responses.
constexpr const char* kEngagement = R"sql(
CREATE TABLE notifications (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  recipient_id     text COLLATE "C" NOT NULL,
  kind             text NOT NULL CHECK (kind <> ''),
  title            text NOT NULL CHECK (title <> ''),
  body             text NOT NULL,
  link             text NOT NULL,
  read             boolean NOT NULL DEFAULT false,
  created_at       text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX notifications_by_recipient ON notifications (organization_id, recipient_id, id);

CREATE TABLE outbox (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_id  bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  channel          text NOT NULL CHECK (channel IN ('email', 'slack')),
  state            text NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  claimed_by       text NOT NULL DEFAULT '',
  last_error       text NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
CREATE INDEX outbox_by_notification ON outbox (notification_id);

CREATE TABLE kudos (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  relationship_id  bigint NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
  from_id          text COLLATE "C" NOT NULL,
  to_id            text COLLATE "C" NOT NULL,
  message          text NOT NULL CHECK (message <> ''),
  at               text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX kudos_by_recipient ON kudos (to_id);

CREATE TABLE resources (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  title            text NOT NULL CHECK (title <> ''),
  url              text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('article', 'video', 'course', 'checklist')),
  description      text NOT NULL,
  created_at       text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);

CREATE TABLE assignments (
  resource_id   bigint NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  employee_id   text COLLATE "C" NOT NULL,
  due_date      text NOT NULL,
  assigned_at   text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  completed_at  text NOT NULL DEFAULT '',
  PRIMARY KEY (resource_id, employee_id)
);

CREATE TABLE surveys (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  program_id      bigint NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('pulse', 'closing')),
  title           text NOT NULL CHECK (title <> ''),
  created_at      text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);

CREATE TABLE survey_questions (
  survey_id  bigint NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
  position   integer NOT NULL CHECK (position >= 0),
  text       text NOT NULL CHECK (text <> ''),
  PRIMARY KEY (survey_id, position)
);

CREATE TABLE survey_answers (
  survey_id      bigint NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
  respondent_id  text COLLATE "C" NOT NULL,
  question       integer NOT NULL CHECK (question >= 0),
  rating         integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
  PRIMARY KEY (survey_id, respondent_id, question)
);

CREATE TABLE survey_responses (
  survey_id      bigint NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
  respondent_id  text COLLATE "C" NOT NULL,
  comment        text NOT NULL,
  at             text NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  PRIMARY KEY (survey_id, respondent_id)
);
)sql";

// 8: re-match runs, published while their program is active. match_runs.rematch is a boolean
// (SQLite: 0 or 1).
constexpr const char* kRematch = R"sql(
ALTER TABLE match_runs ADD COLUMN rematch boolean NOT NULL DEFAULT false;
)sql";

// 9: the structural models' runs: each pair's slot, round, group or circle.
constexpr const char* kSlots = R"sql(
ALTER TABLE match_run_pairs ADD COLUMN slot integer NOT NULL DEFAULT -1 CHECK (slot >= -1);
)sql";

#undef TANDEM_NOW

}  // namespace

const std::vector<Migration>& PostgresMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "organizations and people", kPeople},
      {2, "programs", kPrograms},
      {3, "matching runs", kMatchRuns},
      {4, "accounts, sessions, jobs and audit log", kAccounts},
      {5, "review, relationships, goals, meetings and feedback", kRelationships},
      {6, "program details, enrollment, informal requests and job heartbeats", kEnrollment},
      {7, "notifications, kudos, training and surveys", kEngagement},
      {8, "re-match runs", kRematch},
      {9, "slots of the structural models", kSlots},
  };
  return migrations;
}

}  // namespace tandem::store
