#pragma once
// Writing a matching run: pairs as CSV (one row per pair, for spreadsheets and HR systems) and
// the whole report as JSON (pairs with factor breakdowns, unmatched mentees with reasons,
// summary and certificate).

#include <string>
#include <vector>

#include "analytics/fairness_audit.h"
#include "core/person.h"
#include "program/match_run.h"

namespace tandem::io {

// Columns: mentee_id, mentee_name, mentor_id, mentor_name, score, skills, explanation.
std::string PairsToCsv(const program::MatchReport& report, const std::vector<Person>& people);

// Unmatched mentees: mentee_id, mentee_name, reason.
std::string UnmatchedToCsv(const program::MatchReport& report, const std::vector<Person>& people);

// With `audit`, the fairness audit is included under "fairness" (groups, flags, largest gaps).
std::string MatchReportToJson(const program::MatchReport& report, const std::vector<Person>& people,
                              const analytics::FairnessAudit* audit = nullptr);

// RFC 4180 quoting when needed.
std::string CsvField(const std::string& value);

}  // namespace tandem::io
