#include "cli/report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

namespace tandem::cli {

namespace {

std::string Bar(double fraction, int width) {
  const int filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * width + 0.5);
  return std::string(static_cast<size_t>(filled), '#') +
         std::string(static_cast<size_t>(width - filled), '.');
}

void PrintPair(const program::ProposedPair& p, const std::vector<Person>& people) {
  const Person& a = people[static_cast<size_t>(p.mentee)];
  const Person& b = people[static_cast<size_t>(p.mentor)];
  std::printf("  %s (%s, %s, level %d)  <-  %s (%s, %s, level %d)   score %.2f\n", a.name.c_str(),
              a.department.c_str(), a.site.c_str(), a.seniority, b.name.c_str(),
              b.department.c_str(), b.site.c_str(), b.seniority, p.score);
  std::printf("    why: %s\n", p.explanation.c_str());
}

}  // namespace

void PrintSummary(const program::MatchReport& report, const std::vector<Person>& people,
                  const matching::MatchConfig& config, int explain) {
  const program::MatchSummary& s = report.summary;
  std::printf("\nProgram: %s mentoring, objective %s\n", matching::ModelName(config.model),
              matching::ObjectiveName(report.objective));
  if (s.scale_path && report.objective == matching::Objective::kStable) {
    std::printf(
        "  mentees %d, mentors %d with %lld places; organization-scale path: %lld "
        "candidate pairs kept (each mentee's best and its match)\n",
        s.mentees, s.mentors, static_cast<long long>(s.places),
        static_cast<long long>(s.eligible_pairs));
  } else if (s.scale_path) {
    std::printf(
        "  mentees %d, mentors %d with %lld places; organization-scale path: %lld "
        "candidate pairs kept, %lld pruned pairs priced against the duals\n",
        s.mentees, s.mentors, static_cast<long long>(s.places),
        static_cast<long long>(s.eligible_pairs), static_cast<long long>(s.pairs_priced));
  } else {
    std::printf(
        "  mentees %d, mentors %d with %lld places, %lld eligible pairs after the hard rules\n",
        s.mentees, s.mentors, static_cast<long long>(s.places),
        static_cast<long long>(s.eligible_pairs));
  }
  const double share = s.mentees > 0 ? static_cast<double>(s.matched) / s.mentees : 0.0;
  std::printf("  matched  %s %5.1f%%  (%d of %d mentees)\n", Bar(share, 30).c_str(), share * 100.0,
              s.matched, s.mentees);
  std::printf("  score    mean %.3f, lowest %.3f, total %.3f\n", s.mean_score, s.lowest_score,
              s.total_score);
  std::printf("  optimal  %s (%s)\n", s.certified ? "yes, certified" : "NOT CERTIFIED",
              s.certificate.c_str());
  std::printf("  time     scoring %.2f s, solving %.2f s\n", s.scoring_seconds, s.solving_seconds);

  if (!report.unmatched.empty()) {
    std::printf("\nUnmatched mentees by reason:\n");
    for (const auto& [kind, count] : s.unmatched_by_reason) {
      std::printf("  %5d  %s\n", count, kind.c_str());
    }
    std::printf("  for example: %s: %s\n",
                people[static_cast<size_t>(report.unmatched.front().mentee)].name.c_str(),
                report.unmatched.front().reason.c_str());
  }

  // Match rate by department, as bars.
  std::map<std::string, std::pair<int, int>> by_department;  // matched, mentees
  for (const program::ProposedPair& p : report.pairs) {
    auto& counts = by_department[people[static_cast<size_t>(p.mentee)].department];
    ++counts.first;
    ++counts.second;
  }
  for (const program::UnmatchedMentee& u : report.unmatched) {
    ++by_department[people[static_cast<size_t>(u.mentee)].department].second;
  }
  if (!by_department.empty()) {
    std::printf("\nMatch rate by mentee department:\n");
    for (const auto& [dept, counts] : by_department) {
      const double rate = counts.second > 0 ? static_cast<double>(counts.first) / counts.second : 0;
      std::printf("  %-22s %s %5.1f%%  (%d of %d)\n", dept.c_str(), Bar(rate, 20).c_str(),
                  rate * 100.0, counts.first, counts.second);
    }
  }

  if (explain > 0 && !report.pairs.empty()) {
    std::vector<const program::ProposedPair*> order;
    for (const auto& p : report.pairs) order.push_back(&p);
    std::stable_sort(order.begin(), order.end(),
                     [](const auto* x, const auto* y) { return x->score > y->score; });
    std::printf("\nExplained pairs (mentee <- mentor), from the best scored to the lowest:\n");
    const int shown = std::min<int>(explain, static_cast<int>(order.size()));
    for (int k = 0; k < shown; ++k) {
      const size_t at =
          shown == 1 ? 0
                     : static_cast<size_t>(k) * (order.size() - 1) / static_cast<size_t>(shown - 1);
      PrintPair(*order[at], people);
    }
  }
}

void PrintAudit(const analytics::FairnessAudit& audit, bool detailed) {
  std::printf("\nFairness audit (groups under the minimum size are suppressed):\n");
  for (const auto& [dimension, gap] : audit.largest_rate_gap) {
    std::printf("  %-32s largest match-rate gap between groups %5.1f points\n", dimension.c_str(),
                gap * 100.0);
  }
  if (audit.flags.empty()) {
    std::printf("  no group is more than the threshold below the overall figures\n");
  }
  for (const analytics::AuditFlag& flag : audit.flags) {
    std::printf("  flag  %s: %s\n", flag.dimension.c_str(), flag.message.c_str());
  }
  if (!detailed) return;
  std::printf("\n  %-28s %-22s %7s %8s %6s %7s\n", "dimension", "group", "mentees", "matched",
              "mean", "lowest");
  for (const analytics::GroupStats& g : audit.groups) {
    if (g.suppressed) {
      std::printf("  %-28s %-22s %7s %8s\n", g.dimension.c_str(), g.group.c_str(), "<min",
                  "suppressed");
      continue;
    }
    std::printf("  %-28s %-22s %7d %7.1f%% %6.3f %7.3f\n", g.dimension.c_str(), g.group.c_str(),
                g.mentees, g.match_rate * 100.0, g.mean_score, g.lowest_score);
  }
}

void PrintComparison(const program::MatchReport& a, const program::MatchReport& b,
                     const analytics::RunComparison& c, const std::vector<Person>& people,
                     int examples) {
  const auto& sa = a.summary;
  const auto& sb = b.summary;
  auto share = [](const program::MatchSummary& s) {
    return s.mentees > 0 ? 100.0 * s.matched / s.mentees : 0.0;
  };
  std::printf("\n%-34s %14s %14s\n", "", "A", "B");
  std::printf("%-34s %14s %14s\n", "objective", matching::ObjectiveName(a.objective),
              matching::ObjectiveName(b.objective));
  std::printf("%-34s %13.1f%% %13.1f%%\n", "matched share", share(sa), share(sb));
  std::printf("%-34s %14d %14d\n", "matched mentees", sa.matched, sb.matched);
  std::printf("%-34s %14.3f %14.3f\n", "mean score", sa.mean_score, sb.mean_score);
  std::printf("%-34s %14.3f %14.3f\n", "worst-off (lowest) score", sa.lowest_score,
              sb.lowest_score);
  std::printf("%-34s %14zu %14zu\n", "fairness flags", c.audit_a.flags.size(),
              c.audit_b.flags.size());
  for (const auto& [dimension, gap] : c.audit_a.largest_rate_gap) {
    double other = 0;
    for (const auto& [d2, g2] : c.audit_b.largest_rate_gap) {
      if (d2 == dimension) other = g2;
    }
    std::printf("  rate gap: %-23s %13.1f%% %13.1f%%\n", dimension.c_str(), gap * 100.0,
                other * 100.0);
  }
  std::printf("\nPairs: %d the same, %d with another mentor, %d matched only in A, %d only in B\n",
              c.same_pairs, c.changed_mentor, c.matched_only_a, c.matched_only_b);
  int shown = 0;
  for (const analytics::PairChange& ch : c.changes) {
    if (shown++ >= examples) break;
    auto name = [&](std::int32_t p) {
      return p < 0 ? std::string("(unmatched)") : people[static_cast<size_t>(p)].name;
    };
    std::printf("  %-24s A: %-24s %.2f   B: %-24s %.2f\n", name(ch.mentee).c_str(),
                name(ch.mentor_a).c_str(), ch.score_a, name(ch.mentor_b).c_str(), ch.score_b);
  }
}

}  // namespace tandem::cli
