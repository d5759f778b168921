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
};

}  // namespace tandem::store
