#include "store/migrations/sqlite_migrations.h"

namespace tandem::store {
namespace {

// Timestamps are TEXT in UTC, ISO 8601 with milliseconds, written by the database itself.
#define TANDEM_NOW "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

// 1: organizations and people. A Person's scalar fields are columns of `people`; its lists are
// child tables with an explicit position so order round-trips exactly. Availability is 168
// characters, '1' where hour h of the week (UTC, Monday 00:00 = 0) is available, character h =
// hour h. Personality is five nullable REAL columns: all NULL (no personality) or all set.
constexpr const char* kPeople = R"sql(
CREATE TABLE organizations (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE CHECK (name <> ''),
  created_at  TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);

CREATE TABLE people (
  id                        INTEGER PRIMARY KEY,
  organization_id           INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  employee_id               TEXT NOT NULL CHECK (employee_id <> ''),
  name                      TEXT NOT NULL,
  email                     TEXT NOT NULL,
  title                     TEXT NOT NULL,
  department                TEXT NOT NULL,
  site                      TEXT NOT NULL,
  time_zone                 TEXT NOT NULL,
  utc_offset_minutes        INTEGER NOT NULL CHECK (utc_offset_minutes BETWEEN -1440 AND 1440),
  seniority                 INTEGER NOT NULL CHECK (seniority BETWEEN 1 AND 10),
  manager_id                TEXT NOT NULL,
  communication_style       TEXT NOT NULL,
  meeting_preference        TEXT NOT NULL
                            CHECK (meeting_preference IN ('either', 'in_person', 'virtual')),
  availability              TEXT NOT NULL
                            CHECK (length(availability) = 168
                                   AND availability NOT GLOB '*[^01]*'),
  role                      TEXT NOT NULL CHECK (role IN ('mentee', 'mentor', 'either')),
  mentor_capacity           INTEGER NOT NULL CHECK (mentor_capacity >= 0),
  prefer_shared_background  INTEGER NOT NULL CHECK (prefer_shared_background IN (0, 1)),
  openness                  REAL CHECK (openness BETWEEN 0 AND 1),
  conscientiousness         REAL CHECK (conscientiousness BETWEEN 0 AND 1),
  extraversion              REAL CHECK (extraversion BETWEEN 0 AND 1),
  agreeableness             REAL CHECK (agreeableness BETWEEN 0 AND 1),
  neuroticism               REAL CHECK (neuroticism BETWEEN 0 AND 1),
  updated_at                TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  UNIQUE (organization_id, employee_id),
  CHECK ((openness IS NULL) = (conscientiousness IS NULL)
         AND (openness IS NULL) = (extraversion IS NULL)
         AND (openness IS NULL) = (agreeableness IS NULL)
         AND (openness IS NULL) = (neuroticism IS NULL))
);

-- languages, career_goals, interests, learning_preferences, preferred_mentors
CREATE TABLE person_values (
  person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  field      TEXT NOT NULL CHECK (field IN ('languages', 'career_goals', 'interests',
                                            'learning_preferences', 'preferred_mentors')),
  position   INTEGER NOT NULL CHECK (position >= 0),
  value      TEXT NOT NULL,
  PRIMARY KEY (person_id, field, position)
) WITHOUT ROWID;

CREATE TABLE person_skills_held (
  person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL CHECK (position >= 0),
  skill        TEXT NOT NULL,
  proficiency  INTEGER NOT NULL CHECK (proficiency BETWEEN 1 AND 5),
  PRIMARY KEY (person_id, position)
) WITHOUT ROWID;

CREATE TABLE person_skills_wanted (
  person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL CHECK (position >= 0),
  skill      TEXT NOT NULL,
  priority   INTEGER NOT NULL CHECK (priority >= 1),
  PRIMARY KEY (person_id, position)
) WITHOUT ROWID;

CREATE TABLE person_self_described (
  person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL CHECK (position >= 0),
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (person_id, position)
) WITHOUT ROWID;
)sql";

// 2: programs and their status history. The allowed transitions are enforced by the store inside
// the updating transaction (store.h IsAllowedTransition); the CHECK keeps the names valid.
constexpr const char* kPrograms = R"sql(
CREATE TABLE programs (
  id               INTEGER PRIMARY KEY,
  organization_id  INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name             TEXT NOT NULL CHECK (name <> ''),
  model            TEXT NOT NULL CHECK (model <> ''),
  status           TEXT NOT NULL
                   CHECK (status IN ('draft', 'enrolling', 'matching', 'active', 'closed')),
  config_json      TEXT NOT NULL,
  created_at       TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  updated_at       TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  UNIQUE (organization_id, name)
);

CREATE TABLE program_status_changes (
  id           INTEGER PRIMARY KEY,
  program_id   INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  from_status  TEXT NOT NULL,
  to_status    TEXT NOT NULL,
  changed_at   TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX program_status_changes_by_program ON program_status_changes (program_id);
)sql";

// 3: matching runs, kept for reproduction and audit. Pairs name people by employee id, not by
// row id: a run records its own input snapshot and stays readable when people change or leave.
constexpr const char* kMatchRuns = R"sql(
CREATE TABLE match_runs (
  id                   INTEGER PRIMARY KEY,
  program_id           INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  config_json          TEXT NOT NULL,
  input_snapshot_json  TEXT NOT NULL,
  summary_json         TEXT NOT NULL,
  created_at           TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX match_runs_by_program ON match_runs (program_id);

CREATE TABLE match_run_pairs (
  run_id       INTEGER NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL CHECK (position >= 0),
  mentee_id    TEXT NOT NULL,
  mentor_id    TEXT NOT NULL,
  score        REAL NOT NULL,
  explanation  TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
) WITHOUT ROWID;

CREATE TABLE match_run_pair_factors (
  run_id     INTEGER NOT NULL,
  position   INTEGER NOT NULL,
  criterion  INTEGER NOT NULL CHECK (criterion >= 0),
  value      REAL NOT NULL,
  PRIMARY KEY (run_id, position, criterion),
  FOREIGN KEY (run_id, position) REFERENCES match_run_pairs (run_id, position) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE match_run_pair_skills (
  run_id          INTEGER NOT NULL,
  position        INTEGER NOT NULL,
  skill_position  INTEGER NOT NULL CHECK (skill_position >= 0),
  skill           TEXT NOT NULL,
  PRIMARY KEY (run_id, position, skill_position),
  FOREIGN KEY (run_id, position) REFERENCES match_run_pairs (run_id, position) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE match_run_unmatched (
  run_id     INTEGER NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL CHECK (position >= 0),
  mentee_id  TEXT NOT NULL,
  reason     TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
)sql";

// 4: accounts and their role grants, server-side sessions, background jobs and the audit log.
// Emails are unique case-insensitively (ASCII). A grant's program_id is 0 for "every program";
// no foreign key on it for that reason, the store checks it. Sessions are found by the hash of
// the cookie's token, never the token. Jobs are claimed with a compare-and-set on state.
constexpr const char* kAccounts = R"sql(
CREATE TABLE accounts (
  id               INTEGER PRIMARY KEY,
  organization_id  INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  email            TEXT NOT NULL CHECK (email <> ''),
  display_name     TEXT NOT NULL CHECK (display_name <> ''),
  password_hash    TEXT NOT NULL CHECK (password_hash <> ''),
  employee_id      TEXT NOT NULL,
  created_at       TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE UNIQUE INDEX accounts_by_email ON accounts (lower(email));

CREATE TABLE account_roles (
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'committee', 'mentor',
                                            'mentee', 'executive')),
  program_id  INTEGER NOT NULL CHECK (program_id >= 0),
  PRIMARY KEY (account_id, role, program_id)
) WITHOUT ROWID;

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  csrf_token  TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  expires_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE jobs (
  id                INTEGER PRIMARY KEY,
  organization_id   INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  program_id        INTEGER NOT NULL CHECK (program_id >= 0),
  kind              TEXT NOT NULL CHECK (kind <> ''),
  state             TEXT NOT NULL
                    CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  payload_json      TEXT NOT NULL,
  created_by        INTEGER NOT NULL,
  claimed_by        TEXT NOT NULL DEFAULT '',
  progress          REAL NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  progress_message  TEXT NOT NULL DEFAULT '',
  cancel_requested  INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
  result_json       TEXT NOT NULL DEFAULT '',
  error             TEXT NOT NULL DEFAULT '',
  created_at        TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  started_at        TEXT NOT NULL DEFAULT '',
  finished_at       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX jobs_queued ON jobs (state, id);
CREATE INDEX jobs_by_program ON jobs (program_id, id);

CREATE TABLE audit_log (
  id               INTEGER PRIMARY KEY,
  organization_id  INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  actor            INTEGER NOT NULL,
  action           TEXT NOT NULL CHECK (action <> ''),
  target           TEXT NOT NULL,
  detail_json      TEXT NOT NULL,
  at               TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX audit_log_by_organization ON audit_log (organization_id, id);
)sql";

// 5: committee review of runs, publishing, and the relationships that follow: goals with
// milestones, meetings and feedback. A mentee has at most one open (not ended) relationship per
// program, enforced by a partial unique index.
constexpr const char* kRelationships = R"sql(
CREATE TABLE run_pair_locks (
  run_id     INTEGER NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
  mentee_id  TEXT NOT NULL,
  PRIMARY KEY (run_id, mentee_id)
) WITHOUT ROWID;

CREATE TABLE run_comments (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
  mentee_id  TEXT NOT NULL,
  author     INTEGER NOT NULL,
  text       TEXT NOT NULL CHECK (text <> ''),
  at         TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX run_comments_by_run ON run_comments (run_id);

CREATE TABLE run_approvals (
  run_id      INTEGER NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
  account_id  INTEGER NOT NULL,
  at          TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  PRIMARY KEY (run_id, account_id)
) WITHOUT ROWID;

CREATE TABLE run_publications (
  run_id        INTEGER PRIMARY KEY REFERENCES match_runs (id) ON DELETE CASCADE,
  published_at  TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);

CREATE TABLE relationships (
  id          INTEGER PRIMARY KEY,
  program_id  INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  run_id      INTEGER NOT NULL,  -- the run that proposed it; 0 for an accepted request
  mentee_id   TEXT NOT NULL,
  mentor_id   TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
  started_at  TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  ended_at    TEXT NOT NULL DEFAULT '',
  end_reason  TEXT NOT NULL DEFAULT '',
  ended_by    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX relationships_open_per_mentee ON relationships (program_id, mentee_id)
  WHERE status <> 'ended';
CREATE INDEX relationships_by_mentee ON relationships (mentee_id);
CREATE INDEX relationships_by_mentor ON relationships (mentor_id);

CREATE TABLE goals (
  id               INTEGER PRIMARY KEY,
  relationship_id  INTEGER NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
  title            TEXT NOT NULL CHECK (title <> ''),
  owner_id         TEXT NOT NULL,
  due_date         TEXT NOT NULL,
  progress         INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  created_at       TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  updated_at       TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX goals_by_relationship ON goals (relationship_id);

CREATE TABLE goal_milestones (
  goal_id   INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL CHECK (position >= 0),
  title     TEXT NOT NULL CHECK (title <> ''),
  done      INTEGER NOT NULL CHECK (done IN (0, 1)),
  PRIMARY KEY (goal_id, position)
) WITHOUT ROWID;

CREATE TABLE meetings (
  id                INTEGER PRIMARY KEY,
  relationship_id   INTEGER NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
  starts_at         TEXT NOT NULL,
  duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
  location          TEXT NOT NULL,
  agenda            TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'scheduled'
                    CHECK (status IN ('scheduled', 'held', 'cancelled')),
  notes             TEXT NOT NULL DEFAULT '',
  sequence          INTEGER NOT NULL DEFAULT 0,
  created_at        TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  updated_at        TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX meetings_by_relationship ON meetings (relationship_id, starts_at);

CREATE TABLE feedback (
  meeting_id    INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  from_id       TEXT NOT NULL,
  side          TEXT NOT NULL CHECK (side IN ('mentee', 'mentor')),
  rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  answers_json  TEXT NOT NULL,
  comment       TEXT NOT NULL,
  at            TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  PRIMARY KEY (meeting_id, from_id)
) WITHOUT ROWID;
)sql";

// 6: program details, enrollment applications, informal requests, and job heartbeats (so jobs
// of a worker that died can be found and failed).
constexpr const char* kEnrollment = R"sql(
CREATE TABLE program_details (
  program_id    INTEGER PRIMARY KEY REFERENCES programs (id) ON DELETE CASCADE,
  details_json  TEXT NOT NULL
);

CREATE TABLE applications (
  id             INTEGER PRIMARY KEY,
  program_id     INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  employee_id    TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('mentee', 'mentor')),
  answers_json   TEXT NOT NULL,
  status         TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'approved', 'rejected', 'waitlisted', 'withdrawn')),
  decision_note  TEXT NOT NULL DEFAULT '',
  decided_by     INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  decided_at     TEXT NOT NULL DEFAULT '',
  UNIQUE (program_id, employee_id)
);

CREATE TABLE mentor_requests (
  id               INTEGER PRIMARY KEY,
  program_id       INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  mentee_id        TEXT NOT NULL,
  mentor_id        TEXT NOT NULL,
  message          TEXT NOT NULL CHECK (message <> ''),
  status           TEXT NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'accepted', 'declined', 'info_requested', 'expired',
                                     'withdrawn')),
  response         TEXT NOT NULL DEFAULT '',
  created_at       TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  expires_at       TEXT NOT NULL,
  responded_at     TEXT NOT NULL DEFAULT '',
  relationship_id  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mentor_requests_by_mentee ON mentor_requests (mentee_id);
CREATE INDEX mentor_requests_by_mentor ON mentor_requests (mentor_id);

ALTER TABLE jobs ADD COLUMN heartbeat_at TEXT NOT NULL DEFAULT '';
)sql";

// 7: notifications (in-app list and the delivery outbox), kudos, training resources with their
// assignments, and surveys with their responses.
constexpr const char* kEngagement = R"sql(
CREATE TABLE notifications (
  id               INTEGER PRIMARY KEY,
  organization_id  INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  recipient_id     TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind <> ''),
  title            TEXT NOT NULL CHECK (title <> ''),
  body             TEXT NOT NULL,
  link             TEXT NOT NULL,
  read             INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
  created_at       TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX notifications_by_recipient ON notifications (organization_id, recipient_id, id);

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  notification_id  INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  channel          TEXT NOT NULL CHECK (channel IN ('email', 'slack')),
  state            TEXT NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  claimed_by       TEXT NOT NULL DEFAULT '',
  last_error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);

CREATE TABLE kudos (
  id               INTEGER PRIMARY KEY,
  relationship_id  INTEGER NOT NULL REFERENCES relationships (id) ON DELETE CASCADE,
  from_id          TEXT NOT NULL,
  to_id            TEXT NOT NULL,
  message          TEXT NOT NULL CHECK (message <> ''),
  at               TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);
CREATE INDEX kudos_by_recipient ON kudos (to_id);

CREATE TABLE resources (
  id               INTEGER PRIMARY KEY,
  organization_id  INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  title            TEXT NOT NULL CHECK (title <> ''),
  url              TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('article', 'video', 'course', 'checklist')),
  description      TEXT NOT NULL,
  created_at       TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);

CREATE TABLE assignments (
  resource_id   INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  employee_id   TEXT NOT NULL,
  due_date      TEXT NOT NULL,
  assigned_at   TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  completed_at  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (resource_id, employee_id)
) WITHOUT ROWID;

CREATE TABLE surveys (
  id              INTEGER PRIMARY KEY,
  program_id      INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('pulse', 'closing')),
  title           TEXT NOT NULL CHECK (title <> ''),
  created_at      TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(
);

CREATE TABLE survey_questions (
  survey_id  INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL CHECK (position >= 0),
  text       TEXT NOT NULL CHECK (text <> ''),
  PRIMARY KEY (survey_id, position)
) WITHOUT ROWID;

CREATE TABLE survey_answers (
  survey_id      INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
  respondent_id  TEXT NOT NULL,
  question       INTEGER NOT NULL CHECK (question >= 0),
  rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  PRIMARY KEY (survey_id, respondent_id, question)
) WITHOUT ROWID;

CREATE TABLE survey_responses (
  survey_id      INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
  respondent_id  TEXT NOT NULL,
  comment        TEXT NOT NULL,
  at             TEXT NOT NULL DEFAULT )sql" TANDEM_NOW R"sql(,
  PRIMARY KEY (survey_id, respondent_id)
) WITHOUT ROWID;
)sql";

// 8: re-match runs, published while their program is active.
constexpr const char* kRematch = R"sql(
ALTER TABLE match_runs ADD COLUMN rematch INTEGER NOT NULL DEFAULT 0 CHECK (rematch IN (0, 1));
)sql";

// 9: the structural models' runs: each pair's slot, round, group or circle.
constexpr const char* kSlots = R"sql(
ALTER TABLE match_run_pairs ADD COLUMN slot INTEGER NOT NULL DEFAULT -1 CHECK (slot >= -1);
)sql";

#undef TANDEM_NOW

}  // namespace

const std::vector<Migration>& SqliteMigrations() {
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
