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
  std::printf(
      "  mentees %d, mentors %d with %lld places, %lld eligible pairs after the hard rules\n",
      s.mentees, s.mentors, static_cast<long long>(s.places),
      static_cast<long long>(s.eligible_pairs));
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

}  // namespace tandem::cli
