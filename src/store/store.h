#pragma once
// The store: Tandem's persistent state behind one interface, so the server and the program use
// cases never see SQL. Backends live in their own folders (store/sqlite/ today, store/postgres/
// later) and are created by their own factory, e.g. OpenSqlite() in store/sqlite/sqlite_store.h.
// docs/store.md documents the schema, the migrations and what a backend must implement.
//
// This header uses the standard library and core types only: no SQL, no JSON library. Values the
// store keeps verbatim for audit (a matching configuration, an input snapshot, a run summary) are
// passed in as JSON text that the caller produced (io/config_json.h and friends); the store never
// parses them.
//
// Errors: every method returns Status / Result. kInvalidArgument for input the store refuses
// (a duplicate employee id in one import, a program name already used, a refused status
// transition, a value outside a column's range), kNotFound for an unknown id, kIoError for the
// database itself (file, lock timeout, disk full). Every write is one transaction: on any error
// nothing of the call is written.
//
// Thread safety: a Store may be used from several threads; a backend serialises or pools its
// connections itself.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/person.h"
#include "core/status.h"

namespace tandem::store {

// Strong ids: one struct per table so swapped arguments don't compile. Values are the database's
// row ids (> 0); a default-constructed id (0) names nothing.
struct OrganizationId {
  std::int64_t value = 0;
  friend bool operator==(OrganizationId, OrganizationId) = default;
};
struct ProgramId {
  std::int64_t value = 0;
  friend bool operator==(ProgramId, ProgramId) = default;
};
struct MatchRunId {
  std::int64_t value = 0;
  friend bool operator==(MatchRunId, MatchRunId) = default;
};
struct AccountId {
  std::int64_t value = 0;
  friend bool operator==(AccountId, AccountId) = default;
};
struct JobId {
  std::int64_t value = 0;
  friend bool operator==(JobId, JobId) = default;
};
struct RelationshipId {
  std::int64_t value = 0;
  friend bool operator==(RelationshipId, RelationshipId) = default;
};
struct GoalId {
  std::int64_t value = 0;
  friend bool operator==(GoalId, GoalId) = default;
};
struct MeetingId {
  std::int64_t value = 0;
  friend bool operator==(MeetingId, MeetingId) = default;
};
struct ApplicationId {
  std::int64_t value = 0;
  friend bool operator==(ApplicationId, ApplicationId) = default;
};
struct RequestId {
  std::int64_t value = 0;
  friend bool operator==(RequestId, RequestId) = default;
};
struct NotificationId {
  std::int64_t value = 0;
  friend bool operator==(NotificationId, NotificationId) = default;
};
struct ResourceId {
  std::int64_t value = 0;
  friend bool operator==(ResourceId, ResourceId) = default;
};
struct SurveyId {
  std::int64_t value = 0;
  friend bool operator==(SurveyId, SurveyId) = default;
};

struct Organization {
  OrganizationId id;
  std::string name;        // unique across the store
  std::string created_at;  // UTC, ISO 8601 with milliseconds: "2026-11-23T18:09:56.123Z"
};

// A program's lifecycle (design.md "Program lifecycle"):
//   draft -> enrolling -> matching -> active -> closed
// plus matching -> enrolling (reopen enrollment after a proposal) and any state but closed ->
// closed (cancel). closed is final. Names are "draft", "enrolling", "matching", "active", "closed".
enum class ProgramStatus { kDraft, kEnrolling, kMatching, kActive, kClosed };

const char* ProgramStatusName(ProgramStatus status);
std::optional<ProgramStatus> ParseProgramStatus(std::string_view name);
// True when UpdateProgramStatus may move a program from `from` to `to` (from != to).
bool IsAllowedTransition(ProgramStatus from, ProgramStatus to);

struct NewProgram {
  std::string name;   // non-empty, unique within the organization
  std::string model;  // the matching model's name, e.g. "traditional" (matching::ModelName);
                      // the caller validates it, the store keeps it verbatim
  // The program's MatchConfig as JSON text (io/config_json.h), kept verbatim.
  std::string config_json;
};

struct Program {
  ProgramId id;
  OrganizationId organization;
  std::string name;
  std::string model;
  ProgramStatus status = ProgramStatus::kDraft;
  std::string config_json;
  std::string created_at;  // UTC, ISO 8601 (see Organization)
  std::string updated_at;  // last change of any field, status included
};

// One page of people in employee id order (byte-wise). next_cursor is the cursor for the next page,
// empty when this page is the last.
struct PeoplePage {
  std::vector<Person> people;
  std::string next_cursor;
};

inline constexpr int kMaxPageSize = 1000;

// A proposed pair of a saved matching run, by employee id (not by row id: a run is an audit record
// of its own input snapshot and stays readable after people change or leave).
struct RunPair {
  std::string mentee_id;
  std::string mentor_id;
  double score = 0;
  std::vector<double> factors;  // per criterion, indexed by matching::Criterion
  std::vector<std::string> skills_for;
  std::string explanation;
  // The structural models' grouping: the speed-mentoring slot, the rotation round, the group
  // (mentor-led groups) or the circle (peer circles, whose members have an empty mentor_id);
  // -1 for one-to-one pairs.
  int slot = -1;
};

struct RunUnmatched {
  std::string mentee_id;
  std::string reason;
};

// Everything needed to reproduce and audit a matching run: the configuration and the exact input
// it ran on, and what it proposed.
struct NewMatchRun {
  std::string config_json;          // the MatchConfig used, as JSON text
  std::string input_snapshot_json;  // the people as given to the engine, as JSON text
  std::vector<RunPair> pairs;       // in the engine's order
  std::vector<RunUnmatched> unmatched;
  std::string summary_json;  // program::MatchSummary as JSON text
  // A re-match of an active program: it pairs only the people left without a partner, and is
  // published while the program stays active (a proposal run is published from status matching).
  bool rematch = false;
};

struct MatchRun {
  MatchRunId id;
  ProgramId program;
  std::string created_at;  // UTC, ISO 8601 (see Organization)
  std::string config_json;
  std::string input_snapshot_json;
  std::vector<RunPair> pairs;
  std::vector<RunUnmatched> unmatched;
  std::string summary_json;
  bool rematch = false;
};

// --- Accounts and roles ---
// Roles (design.md "Users"): admin and executive are organization-wide; coordinator and committee
// are granted per program (or organization-wide with program 0); mentor and mentee come with the
// account's person and are organization-wide. Names: "admin", "coordinator", "committee",
// "mentor", "mentee", "executive".
enum class Role { kAdmin, kCoordinator, kCommittee, kMentor, kMentee, kExecutive };
const char* RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct RoleGrant {
  Role role = Role::kMentee;
  ProgramId program;  // 0: every program of the organization
  friend bool operator==(const RoleGrant&, const RoleGrant&) = default;
};

struct NewAccount {
  std::string email;          // the login; non-empty, unique across the store (case-insensitive)
  std::string display_name;   // non-empty
  std::string password_hash;  // an encoded argon2id hash (auth/password.h); never a password
  std::string employee_id;    // the person this account is, or empty (an admin who is not one)
  std::vector<RoleGrant> roles;
};

struct Account {
  AccountId id;
  OrganizationId organization;
  std::string email;
  std::string display_name;
  std::string password_hash;
  std::string employee_id;
  std::vector<RoleGrant> roles;  // by role, then program
  std::string created_at;
};

// --- Sessions (server-side; the cookie carries a random token, the store its hash) ---
struct NewSession {
  std::string token_hash;  // hex SHA-256 (or similar) of the cookie's token; unique
  AccountId account;
  std::string csrf_token;  // sent back by the client in a header on every unsafe request
  int ttl_seconds = 0;     // the session ends this long after creation (> 0)
};

struct Session {
  std::string token_hash;
  AccountId account;
  std::string csrf_token;
  std::string created_at;
  std::string expires_at;  // UTC, ISO 8601
};

// --- Jobs (long work such as a matching run, claimed by exactly one server process) ---
// queued -> running -> succeeded | failed | cancelled; queued -> cancelled.
enum class JobState { kQueued, kRunning, kSucceeded, kFailed, kCancelled };
const char* JobStateName(JobState state);
std::optional<JobState> ParseJobState(std::string_view name);

struct NewJob {
  OrganizationId organization;
  ProgramId program;  // 0 when the job belongs to no program
  std::string kind;   // e.g. "match"; non-empty
  std::string payload_json;
  AccountId created_by;
};

struct Job {
  JobId id;
  OrganizationId organization;
  ProgramId program;
  std::string kind;
  JobState state = JobState::kQueued;
  std::string payload_json;
  AccountId created_by;
  std::string claimed_by;  // the worker that claimed it, empty while queued
  double progress = 0;     // 0..1
  std::string progress_message;
  bool cancel_requested = false;
  std::string result_json;  // set when succeeded
  std::string error;        // set when failed
  std::string created_at;
  std::string started_at;   // empty until claimed
  std::string finished_at;  // empty until final
};

// --- Audit log: every state change, and admin reads of private data ---
struct NewAuditEntry {
  OrganizationId organization;
  AccountId actor;          // 0 for the system (a worker, a migration)
  std::string action;       // e.g. "program.create", "people.import", "session.login"
  std::string target;       // what it acted on, e.g. "program/3"
  std::string detail_json;  // "{}" when there is nothing more to say
};

struct AuditEntry {
  std::int64_t id = 0;
  OrganizationId organization;
  AccountId actor;
  std::string action;
  std::string target;
  std::string detail_json;
  std::string at;
};

struct AuditPage {
  std::vector<AuditEntry> entries;  // newest first
  std::int64_t next_cursor = 0;     // pass as `before` for the next page; 0 when last
};

// --- Committee review of a run ---
// Before publishing, the committee comments on pairs, locks pairs a re-run must keep, and
// approves. A pair is named by its mentee (one pair per mentee in a run).
struct ReviewComment {
  std::int64_t id = 0;
  std::string mentee_id;  // the pair commented on; empty for the run as a whole
  AccountId author;
  std::string text;
  std::string at;
};

struct RunReview {
  std::vector<std::string> locked_mentees;  // pairs a re-run keeps, by mentee id, sorted
  std::vector<ReviewComment> comments;      // oldest first
  std::vector<AccountId> approvals;         // accounts that approved, by id
  std::string published_at;                 // empty until published
};

// --- Relationships: a published pair, run by its mentor and mentee ---
// active <-> paused; active | paused -> ended (final).
enum class RelationshipStatus { kActive, kPaused, kEnded };
const char* RelationshipStatusName(RelationshipStatus status);
std::optional<RelationshipStatus> ParseRelationshipStatus(std::string_view name);

struct Relationship {
  RelationshipId id;
  ProgramId program;
  MatchRunId run;  // the run that proposed it
  std::string mentee_id;
  std::string mentor_id;
  RelationshipStatus status = RelationshipStatus::kActive;
  std::string started_at;
  std::string ended_at;    // empty unless ended
  std::string end_reason;  // empty unless ended
  AccountId ended_by;      // 0 unless ended
};

struct Milestone {
  std::string title;
  bool done = false;
  friend bool operator==(const Milestone&, const Milestone&) = default;
};

struct NewGoal {
  std::string title;     // non-empty
  std::string owner_id;  // employee id of the mentee or the mentor of the relationship
  std::string due_date;  // "YYYY-MM-DD" or empty
  std::vector<Milestone> milestones;
};

struct Goal {
  GoalId id;
  RelationshipId relationship;
  std::string title;
  std::string owner_id;
  std::string due_date;
  int progress = 0;  // percent, 0..100
  std::vector<Milestone> milestones;
  std::string created_at;
  std::string updated_at;
};

enum class MeetingStatus { kScheduled, kHeld, kCancelled };
const char* MeetingStatusName(MeetingStatus status);
std::optional<MeetingStatus> ParseMeetingStatus(std::string_view name);

struct NewMeeting {
  std::string starts_at;      // UTC, "YYYY-MM-DDTHH:MM:SSZ"
  int duration_minutes = 60;  // 5..480
  std::string location;       // a room or a video link; may be empty
  std::string agenda;
};

struct Meeting {
  MeetingId id;
  RelationshipId relationship;
  std::string starts_at;
  int duration_minutes = 60;
  std::string location;
  std::string agenda;
  MeetingStatus status = MeetingStatus::kScheduled;
  std::string notes;  // the log, written after the meeting
  int sequence = 0;   // iCalendar SEQUENCE: raised by every change of time, place or status
  std::string created_at;
  std::string updated_at;
};

// Feedback after a meeting, one per participant and meeting.
struct NewFeedback {
  std::string from_id;       // the mentee or the mentor of the meeting's relationship
  int rating = 0;            // 1..5
  std::string answers_json;  // the program's questions and the answers, as a JSON object
  std::string comment;
};

struct Feedback {
  MeetingId meeting;
  std::string from_id;
  int rating = 0;
  std::string answers_json;
  std::string comment;
  std::string at;
};

// Ratings of a program's feedback, for coordinators. The API shows them only when count >= 3.
struct FeedbackAggregate {
  std::int64_t count = 0;
  double mean_rating = 0;
  std::array<std::int64_t, 5> by_rating{};  // index r - 1
  std::int64_t from_mentees = 0;
  std::int64_t from_mentors = 0;
};

// --- Enrollment ---
// pending -> approved | rejected | waitlisted; waitlisted -> approved | rejected; any but
// withdrawn -> withdrawn (by the applicant).
enum class ApplicationStatus { kPending, kApproved, kRejected, kWaitlisted, kWithdrawn };
const char* ApplicationStatusName(ApplicationStatus status);
std::optional<ApplicationStatus> ParseApplicationStatus(std::string_view name);

struct NewApplication {
  std::string employee_id;   // a person of the program's organization
  std::string role;          // "mentee" or "mentor"
  std::string answers_json;  // the application form's answers, as a JSON object
};

struct Application {
  ApplicationId id;
  ProgramId program;
  std::string employee_id;
  std::string role;
  std::string answers_json;
  ApplicationStatus status = ApplicationStatus::kPending;
  std::string decision_note;
  AccountId decided_by;
  std::string created_at;
  std::string decided_at;  // empty while pending
};

// --- Informal mentoring: a mentee asks a mentor directly ---
// open -> accepted | declined | info_requested | expired | withdrawn; info_requested -> open
// (the mentee answers) | withdrawn | expired.
enum class RequestStatus { kOpen, kAccepted, kDeclined, kInfoRequested, kExpired, kWithdrawn };
const char* RequestStatusName(RequestStatus status);
std::optional<RequestStatus> ParseRequestStatus(std::string_view name);

struct NewRequest {
  std::string mentee_id;
  std::string mentor_id;
  std::string message;           // non-empty
  int ttl_seconds = 14 * 86400;  // an unanswered request expires after this (1 s .. 90 days)
  int max_open = 3;              // the mentee's open requests in the program may not exceed this
};

struct MentorRequest {
  RequestId id;
  ProgramId program;
  std::string mentee_id;
  std::string mentor_id;
  std::string message;
  RequestStatus status = RequestStatus::kOpen;
  std::string response;  // the mentor's reason or question, the mentee's answer
  std::string created_at;
  std::string expires_at;
  std::string responded_at;
  RelationshipId relationship;  // set when accepted
};

// --- Notifications: an in-app list, and an outbox a worker delivers by email and Slack ---
struct NewNotification {
  OrganizationId organization;
  std::string recipient_id;  // employee id
  std::string kind;          // e.g. "request.received", "run.published"; non-empty
  std::string title;         // non-empty
  std::string body;
  std::string link;                   // a path of the web UI, e.g. "#/relationships/4"
  std::vector<std::string> channels;  // besides in-app: "email", "slack"
};

struct Notification {
  NotificationId id;
  std::string recipient_id;
  std::string kind;
  std::string title;
  std::string body;
  std::string link;
  bool read = false;
  std::string created_at;
};

// pending -> sending (claimed) -> sent | pending (retry later) | failed (gave up).
struct OutboxMessage {
  std::int64_t id = 0;
  NotificationId notification;
  OrganizationId organization;
  std::string channel;
  std::string recipient_id;
  std::string title;
  std::string body;
  std::string link;
  int attempts = 0;  // finished attempts before this one
  std::string last_error;
};

// --- Recognition and training ---
struct Kudos {
  std::int64_t id = 0;
  RelationshipId relationship;
  std::string from_id;
  std::string to_id;
  std::string message;
  std::string at;
};

struct NewResource {
  std::string title;  // non-empty
  std::string url;    // http(s) URL, or empty for an offline resource
  std::string kind;   // "article", "video", "course" or "checklist"
  std::string description;
};

struct Resource {
  ResourceId id;
  OrganizationId organization;
  std::string title;
  std::string url;
  std::string kind;
  std::string description;
  std::string created_at;
};

struct Assignment {
  ResourceId resource;
  std::string employee_id;
  std::string due_date;  // "YYYY-MM-DD" or empty
  std::string assigned_at;
  std::string completed_at;  // empty until done
};

// --- Surveys: pulse and closing questionnaires of a program, ratings 1..5 per question ---
struct NewSurvey {
  std::string kind;                    // "pulse" or "closing"
  std::string title;                   // non-empty
  std::vector<std::string> questions;  // 1..20, each non-empty
};

struct Survey {
  SurveyId id;
  ProgramId program;
  std::string kind;
  std::string title;
  std::vector<std::string> questions;
  std::string created_at;
};

struct SurveyResults {
  std::int64_t responses = 0;
  // Per question: the number of answers of each rating (index r - 1) and the mean.
  std::vector<std::array<std::int64_t, 5>> by_rating;
  std::vector<double> mean;
};

// A migration recorded in schema_migrations.
struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string applied_at;  // UTC, ISO 8601 (see Organization)
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies the backend's pending numbered migrations, each in its own transaction, and records
  // each in schema_migrations (version, name, applied_at). Idempotent; factories call it on open.
  // kIoError if the database carries a version newer than this build knows.
  virtual Status Migrate() = 0;
  // The migrations recorded, by version.
  virtual Result<std::vector<AppliedMigration>> AppliedMigrations() = 0;

  // --- Organizations ---
  // REQUIRES: name non-empty. kInvalidArgument "organization name already used: <name>".
  virtual Result<OrganizationId> CreateOrganization(const std::string& name) = 0;
  virtual Result<Organization> GetOrganization(OrganizationId id) = 0;

  // --- People (Person profiles, keyed by employee id within an organization) ---
  // Inserts the people whose employee id is new in the organization and replaces every field of
  // those that exist; people not in `people` are left alone. One transaction: all or nothing.
  // Returns the number of people written (people.size()). kInvalidArgument, writing nothing, for
  // an empty employee id, "person <id> appears twice in the import", or a value a column refuses
  // (seniority outside 1..10, proficiency outside 1..5, negative capacity or priority,
  // personality scores outside [0, 1]), naming the person.
  virtual Result<int> UpsertPeople(OrganizationId organization,
                                   const std::vector<Person>& people) = 0;
  // kNotFound when the organization has no person with that employee id.
  virtual Result<Person> GetPerson(OrganizationId organization, const std::string& employee_id) = 0;
  // Keyset pagination in employee id order: people whose id sorts after `cursor` (empty: from the
  // start), at most `limit`. Stable under concurrent inserts (each id is visited at most once).
  // REQUIRES: 1 <= limit <= kMaxPageSize (else kInvalidArgument).
  virtual Result<PeoplePage> ListPeople(OrganizationId organization, const std::string& cursor,
                                        int limit) = 0;
  virtual Result<std::int64_t> CountPeople(OrganizationId organization) = 0;

  // --- Programs ---
  // A new program in status draft. kInvalidArgument "program name already used: <name>" when the
  // organization has one of that name, or for an empty name or model; kNotFound for an unknown
  // organization.
  virtual Result<ProgramId> CreateProgram(OrganizationId organization,
                                          const NewProgram& program) = 0;
  virtual Result<Program> GetProgram(ProgramId id) = 0;
  // The organization's programs by id.
  virtual Result<std::vector<Program>> ListPrograms(OrganizationId organization) = 0;
  // Moves the program to `to` when IsAllowedTransition(current, to), checked and written in one
  // transaction (and recorded in program_status_changes); kInvalidArgument
  // "program <id>: status cannot change from <a> to <b>" otherwise.
  virtual Status UpdateProgramStatus(ProgramId id, ProgramStatus to) = 0;

  // --- Matching runs ---
  // Saves a run of `program` with its pairs and unmatched mentees, in one transaction.
  // kNotFound for an unknown program.
  virtual Result<MatchRunId> SaveMatchRun(ProgramId program, const NewMatchRun& run) = 0;
  virtual Result<MatchRun> GetMatchRun(MatchRunId id) = 0;
  // The program's runs by id, newest last, without pairs and unmatched (ids and summaries only).
  virtual Result<std::vector<MatchRun>> ListMatchRuns(ProgramId program) = 0;

  // --- Programs, continued ---
  // Changes the name and configuration of a program that is not closed. Same name rules as
  // CreateProgram; kInvalidArgument "program <id> is closed" for a closed program.
  virtual Status UpdateProgram(ProgramId id, const std::string& name,
                               const std::string& config_json) = 0;

  // --- Accounts ---
  // kInvalidArgument "email already used: <email>" (case-insensitive), or for an empty email,
  // display name or password hash; kNotFound for an unknown organization.
  virtual Result<AccountId> CreateAccount(OrganizationId organization,
                                          const NewAccount& account) = 0;
  virtual Result<Account> GetAccount(AccountId id) = 0;
  // kNotFound when no account has that email (case-insensitive).
  virtual Result<Account> FindAccountByEmail(const std::string& email) = 0;
  // The organization's accounts by id.
  virtual Result<std::vector<Account>> ListAccounts(OrganizationId organization) = 0;
  // Adds a grant (no-op when present). kNotFound for an unknown account.
  virtual Status GrantRole(AccountId account, const RoleGrant& grant) = 0;
  virtual Status RevokeRole(AccountId account, const RoleGrant& grant) = 0;
  virtual Status SetPasswordHash(AccountId account, const std::string& password_hash) = 0;

  // --- Sessions ---
  // Returns the stored session (with its expiry). kInvalidArgument for a duplicate token hash or
  // ttl_seconds <= 0; kNotFound for an unknown account.
  virtual Result<Session> CreateSession(const NewSession& session) = 0;
  // kNotFound when there is no such session or it has expired (expired ones are deleted).
  virtual Result<Session> GetSession(const std::string& token_hash) = 0;
  // Ends a session (logout); ending an unknown session is not an error.
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  // Ends every session of an account (password change, account disabled).
  virtual Status DeleteSessionsOf(AccountId account) = 0;

  // --- Jobs ---
  virtual Result<JobId> CreateJob(const NewJob& job) = 0;
  virtual Result<Job> GetJob(JobId id) = 0;
  // The program's jobs, newest first (at most `limit`).
  virtual Result<std::vector<Job>> ListJobs(ProgramId program, int limit) = 0;
  // Atomically moves the oldest queued job to running, claimed by `worker`, and returns it;
  // nullopt when none is queued. Two workers (in one process or several over one database) never
  // claim the same job.
  virtual Result<std::optional<Job>> ClaimNextJob(const std::string& worker) = 0;
  // Records progress of a running job; returns whether cancellation was requested.
  // kInvalidArgument when the job is not running.
  virtual Result<bool> UpdateJobProgress(JobId id, double progress, const std::string& message) = 0;
  // A queued job becomes cancelled at once; a running job is flagged and its worker stops at the
  // next progress report. No-op for a job that has finished. kNotFound for an unknown job.
  virtual Result<Job> RequestJobCancel(JobId id) = 0;
  // Ends a running job: `state` is kSucceeded (result_json kept), kFailed (error kept) or
  // kCancelled. kInvalidArgument when the job is not running or `state` is not final.
  virtual Status FinishJob(JobId id, JobState state, const std::string& result_json,
                           const std::string& error) = 0;

  // --- Committee review and publishing ---
  // REQUIRES for writes: the run is the program's and not yet published (kInvalidArgument
  // "run <id> is published" otherwise). kNotFound for an unknown run or a mentee without a pair
  // in the run.
  virtual Result<RunReview> GetRunReview(MatchRunId run) = 0;
  virtual Status SetPairLocked(MatchRunId run, const std::string& mentee_id, bool locked) = 0;
  virtual Result<std::int64_t> AddReviewComment(MatchRunId run, const std::string& mentee_id,
                                                AccountId author, const std::string& text) = 0;
  virtual Status ApproveRun(MatchRunId run, AccountId by) = 0;
  // Exchanges the mentors of two pairs of an unpublished run (the scores and explanations of the
  // two pairs are replaced by `first` and `second`, which the caller computed for the new pairs).
  virtual Status SwapMentors(MatchRunId run, const RunPair& first, const RunPair& second) = 0;
  // Publishes the run: one active relationship per pair, and the program moves from matching to
  // active, in one transaction. kInvalidArgument when the program is not in status matching, the
  // run was published, or it has no approval. A re-match run (NewMatchRun::rematch) is published
  // instead while the program is active, which it stays ("program <id> is not in status active
  // (it is <s>)" otherwise).
  virtual Result<std::vector<Relationship>> PublishRun(MatchRunId run) = 0;

  // --- Relationships ---
  virtual Result<Relationship> GetRelationship(RelationshipId id) = 0;
  // A program's relationships, by id.
  virtual Result<std::vector<Relationship>> ListRelationships(ProgramId program) = 0;
  // Every relationship of a person (as mentee or mentor) in the organization, by id.
  virtual Result<std::vector<Relationship>> ListRelationshipsOf(OrganizationId organization,
                                                                const std::string& employee_id) = 0;
  // Pause, resume or end. kInvalidArgument "relationship <id>: status cannot change from <a> to
  // <b>"; ending needs a non-empty reason.
  virtual Status ChangeRelationshipStatus(RelationshipId id, RelationshipStatus to,
                                          const std::string& reason, AccountId by) = 0;

  // --- Goals, meetings and feedback ---
  virtual Result<GoalId> CreateGoal(RelationshipId relationship, const NewGoal& goal) = 0;
  virtual Result<Goal> GetGoal(GoalId id) = 0;
  virtual Result<std::vector<Goal>> ListGoals(RelationshipId relationship) = 0;
  // Replaces progress (0..100) and milestones.
  virtual Status UpdateGoalProgress(GoalId id, int progress,
                                    const std::vector<Milestone>& milestones) = 0;

  virtual Result<MeetingId> ScheduleMeeting(RelationshipId relationship,
                                            const NewMeeting& meeting) = 0;
  virtual Result<Meeting> GetMeeting(MeetingId id) = 0;
  // By start time.
  virtual Result<std::vector<Meeting>> ListMeetings(RelationshipId relationship) = 0;
  // Sets status and notes (the log); raises the sequence when the status changes.
  virtual Status UpdateMeeting(MeetingId id, MeetingStatus status, const std::string& notes) = 0;

  // kInvalidArgument "feedback already given" for a second answer of the same person, a rating
  // outside 1..5, or a meeting that is not held.
  virtual Status AddFeedback(MeetingId meeting, const NewFeedback& feedback) = 0;
  virtual Result<std::vector<Feedback>> ListFeedback(MeetingId meeting) = 0;
  virtual Result<FeedbackAggregate> AggregateFeedback(ProgramId program) = 0;

  // --- Program details: objectives, format, duration, cadence, application form ---
  // Kept verbatim as JSON text the API validated ("{}" when never set). kNotFound for an
  // unknown program.
  virtual Result<std::string> GetProgramDetails(ProgramId program) = 0;
  virtual Status SetProgramDetails(ProgramId program, const std::string& details_json) = 0;

  // --- Enrollment ---
  // kInvalidArgument when the program is not enrolling ("program <id> is not open for
  // applications"), the role is not mentee or mentor, or the person already applied
  // ("<employee id> already applied"); kNotFound for an unknown person or program.
  virtual Result<ApplicationId> Apply(ProgramId program, const NewApplication& application) = 0;
  virtual Result<Application> GetApplication(ApplicationId id) = 0;
  // The program's applications by id; with `status`, only those.
  virtual Result<std::vector<Application>> ListApplications(
      ProgramId program, std::optional<ApplicationStatus> status) = 0;
  // kInvalidArgument "application <id>: status cannot change from <a> to <b>".
  virtual Status DecideApplication(ApplicationId id, ApplicationStatus to, const std::string& note,
                                   AccountId by) = 0;

  // --- Informal requests ---
  // kInvalidArgument for an empty message, ttl_seconds outside 1 s..90 days, the mentee's
  // open-request cap reached ("<mentee> has <n> open requests"), an open request to the same
  // mentor, a mentor without a free place, or a mentee who already has an open relationship in the
  // program; kNotFound for an unknown program or person.
  virtual Result<RequestId> CreateRequest(ProgramId program, const NewRequest& request) = 0;
  // Open and info-requested requests past their expiry are reported as expired (and stored so).
  virtual Result<MentorRequest> GetRequest(RequestId id) = 0;
  // A person's requests in the organization, as mentee or mentor, newest first.
  virtual Result<std::vector<MentorRequest>> ListRequestsOf(OrganizationId organization,
                                                            const std::string& employee_id) = 0;
  // The mentor answers (accepted, declined with a reason, info_requested with a question) or the
  // mentee answers a question (open) or withdraws (withdrawn). Accepting creates the active
  // relationship (run 0) in the same transaction, after checking the mentor still has a free
  // place (mentor_capacity minus open relationships in the program) and the mentee has no open
  // relationship in it. kInvalidArgument "request <id>: status cannot change from <a> to <b>".
  virtual Result<MentorRequest> RespondToRequest(RequestId id, RequestStatus to,
                                                 const std::string& response) = 0;

  // --- Jobs, continued: recovery of jobs whose worker died ---
  // Running jobs (any program), oldest first.
  virtual Result<std::vector<Job>> ListRunningJobs() = 0;
  // Fails running jobs whose worker has not reported (claim or progress) for stale_seconds;
  // returns how many.
  virtual Result<int> FailStaleJobs(int stale_seconds, const std::string& error) = 0;

  // --- Notifications ---
  // The notification and one outbox message per channel, in one transaction. kInvalidArgument
  // for an empty kind or title, or an unknown channel.
  virtual Result<NotificationId> Notify(const NewNotification& notification) = 0;
  // The person's notifications, newest first, at most `limit` (1..kMaxPageSize).
  virtual Result<std::vector<Notification>> ListNotifications(OrganizationId organization,
                                                              const std::string& recipient_id,
                                                              int limit) = 0;
  // kNotFound unless the notification is the recipient's.
  virtual Status MarkNotificationRead(NotificationId id, const std::string& recipient_id) = 0;
  // Claims up to `limit` pending messages that are due, oldest first (never one twice).
  virtual Result<std::vector<OutboxMessage>> ClaimOutbox(const std::string& worker, int limit) = 0;
  // Ends an attempt: delivered -> sent; otherwise the error is kept and the message is retried
  // after retry_after_seconds, or failed for good when retry_after_seconds < 0.
  virtual Status FinishOutbox(std::int64_t id, bool delivered, const std::string& error,
                              int retry_after_seconds) = 0;
  // Outbox messages by state ("pending", "sending", "sent", "failed") for a notification.
  virtual Result<std::vector<std::pair<std::string, std::string>>> OutboxStates(
      NotificationId notification) = 0;  // (channel, state)

  // --- Recognition ---
  // From one participant of the relationship to the other. kInvalidArgument otherwise or for an
  // empty message.
  virtual Result<std::int64_t> GiveKudos(RelationshipId relationship, const std::string& from_id,
                                         const std::string& to_id, const std::string& message) = 0;
  // Kudos a person received, newest first.
  virtual Result<std::vector<Kudos>> ListKudosFor(OrganizationId organization,
                                                  const std::string& employee_id) = 0;

  // --- Training and resources ---
  virtual Result<ResourceId> CreateResource(OrganizationId organization,
                                            const NewResource& resource) = 0;
  virtual Result<std::vector<Resource>> ListResources(OrganizationId organization) = 0;
  // Assigns (or re-assigns with a new due date) a resource to a person of its organization.
  virtual Status AssignResource(ResourceId resource, const std::string& employee_id,
                                const std::string& due_date) = 0;
  // kNotFound when the resource is not assigned to the person.
  virtual Status CompleteAssignment(ResourceId resource, const std::string& employee_id) = 0;
  // Assignments in the organization; with a non-empty employee id, only theirs.
  virtual Result<std::vector<Assignment>> ListAssignments(OrganizationId organization,
                                                          const std::string& employee_id) = 0;

  // --- Surveys ---
  virtual Result<SurveyId> CreateSurvey(ProgramId program, const NewSurvey& survey) = 0;
  virtual Result<Survey> GetSurvey(SurveyId id) = 0;
  virtual Result<std::vector<Survey>> ListSurveys(ProgramId program) = 0;
  // One response per person: ratings 1..5, one per question. kInvalidArgument "already answered",
  // or for a wrong number of ratings or a rating out of range.
  virtual Status SubmitSurvey(SurveyId survey, const std::string& respondent_id,
                              const std::vector<int>& ratings, const std::string& comment) = 0;
  virtual Result<bool> HasAnswered(SurveyId survey, const std::string& respondent_id) = 0;
  virtual Result<SurveyResults> GetSurveyResults(SurveyId survey) = 0;

  // --- Audit log ---
  virtual Status AppendAudit(const NewAuditEntry& entry) = 0;
  // Entries with id < before (0: from the newest), newest first, at most limit (1..kMaxPageSize).
  virtual Result<AuditPage> ListAudit(OrganizationId organization, std::int64_t before,
                                      int limit) = 0;
};

}  // namespace tandem::store
