#pragma once
// Fairness audit of a matching run: match rate, mean and lowest score per group of mentees along
// several dimensions (department, site, seniority band, and each self-described attribute where
// people gave one). Groups smaller than a minimum size are suppressed so that no small group's
// outcome can be read off; gaps to the overall figures beyond a threshold are flagged.

#include <string>
#include <vector>

#include "core/person.h"
#include "program/match_run.h"

namespace tandem::analytics {

struct AuditOptions {
  int min_group_size = 5;   // groups with fewer mentees are reported as suppressed only
  double rate_gap = 0.10;   // flag a match-rate gap to the overall rate above this
  double score_gap = 0.05;  // flag a mean-score gap to the overall mean above this
};

struct GroupStats {
  std::string dimension;  // "department", "site", "seniority", "self-described: gender", ...
  std::string group;      // "Finance", "levels 4-6", "woman", ...
  int mentees = 0;
  int matched = 0;
  bool suppressed = false;  // fewer than min_group_size mentees: no figures are given
  double match_rate = 0;
  double mean_score = 0;    // over matched mentees of the group
  double lowest_score = 0;  // over matched mentees of the group
};

struct AuditFlag {
  std::string dimension;
  std::string group;
  std::string message;  // "Data: 47.8% matched against 60.7% overall (12.9 points lower)"
};

struct FairnessAudit {
  int mentees = 0;
  int matched = 0;
  double match_rate = 0;
  double mean_score = 0;
  double lowest_score = 0;
  std::vector<GroupStats> groups;  // by dimension, then group name
  std::vector<AuditFlag> flags;
  // The largest match-rate gap between two unsuppressed groups of one dimension, per dimension.
  std::vector<std::pair<std::string, double>> largest_rate_gap;
};

FairnessAudit AuditRun(const program::MatchReport& report, const std::vector<Person>& people,
                       const AuditOptions& options = {});

}  // namespace tandem::analytics
