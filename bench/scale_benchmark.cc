// Organization scale (docs/scale.md): candidate scoring rate, the end-to-end priced welfare solve
// of a generated organization, and LEMON's NetworkSimplex on the same candidate graph. Prints a
// markdown table.
//
//   build/release/bench/scale_benchmark [--mentees 100000] [--mentors 20000] [--capacity 5]
//       [--k 48] [--threads 0] [--rate-mentees 5000] [--lemon 1] [--solve 1] [--stable 1]
//       [--welfare 1]
//
// --welfare 0 leaves out the welfare run (and LEMON), so that the stable row's peak memory is
// stable's own.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "matching/candidates.h"
#include "matching/config.h"
#include "matching/lemon_reference.h"
#include "matching/scale.h"
#include "matching/scoring.h"
#include "matching/stable_scale.h"
#include "matching/welfare.h"
#include "sample/organization.h"

namespace {

using tandem::matching::CandidateScorer;
using tandem::matching::Edge;
using tandem::matching::Instance;
using tandem::matching::Weight;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int IntArg(int argc, char** argv, const char* name, int fallback) {
  for (int a = 1; a + 1 < argc; ++a) {
    if (std::strcmp(argv[a], name) == 0) return std::atoi(argv[a + 1]);
  }
  return fallback;
}

// Peak resident memory so far, from /proc/self/status (MiB; 0 when unavailable).
double PeakMiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return 0;
}

void Row(const std::string& what, const std::string& value, const std::string& note) {
  std::printf("| %s | %s | %s |\n", what.c_str(), value.c_str(), note.c_str());
  std::fflush(stdout);
}

std::string Fmt(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

using LemonRun = tandem::matching::test_support::LemonWelfareRun;
LemonRun Lemon(const Instance& inst, Weight bonus) {
  return tandem::matching::test_support::LemonWelfare(inst, bonus);
}

std::vector<tandem::Person> Organization(int mentees, int mentors, int capacity) {
  tandem::sample::OrganizationSpec spec;
  spec.people = mentees + mentors;
  spec.mentor_share = static_cast<double>(mentors) / spec.people;
  spec.seed = 42;
  auto people = tandem::sample::GenerateOrganization(spec);
  if (capacity > 0) {
    for (auto& p : people) {
      if (p.mentor_capacity > 0) p.mentor_capacity = capacity;
    }
  }
  return people;
}

}  // namespace

int main(int argc, char** argv) {
  const int mentees = IntArg(argc, argv, "--mentees", 100000);
  const int mentors = IntArg(argc, argv, "--mentors", 20000);
  const int capacity = IntArg(argc, argv, "--capacity", 5);
  const int k = IntArg(argc, argv, "--k", 48);
  const int threads = IntArg(argc, argv, "--threads", 0);
  const int rate_mentees = IntArg(argc, argv, "--rate-mentees", 5000);
  const bool lemon = IntArg(argc, argv, "--lemon", 1) != 0;
  const bool solve = IntArg(argc, argv, "--solve", 1) != 0;    // 0: the scoring rate only
  const bool stable = IntArg(argc, argv, "--stable", 1) != 0;  // stable at scale too
  const bool welfare = IntArg(argc, argv, "--welfare", 1) != 0;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  const auto config = tandem::matching::DefaultConfig(tandem::matching::Model::kTraditional);

  auto start = std::chrono::steady_clock::now();
  const auto people = Organization(mentees, mentors, capacity);
  const double t_generate = Seconds(start);
  start = std::chrono::steady_clock::now();
  const CandidateScorer scorer(people, config);
  const double t_setup = Seconds(start);
  const auto n = scorer.num_mentees();
  const auto m = scorer.num_mentors();
  std::printf(
      "Generated organization: %d people, %d mentees x %d mentors, capacity %d, K = %d, "
      "%d hardware threads.\n\n",
      static_cast<int>(people.size()), n, m, capacity, k, cores);
  std::printf("| measure | value | note |\n|---|---|---|\n");
  Row("generate people", Fmt("%.2f s", t_generate), "not part of the solve");
  Row("features (CandidateScorer)", Fmt("%.2f s", t_setup), "interning, bit sets, level table");

  // Scoring rate: candidate generation over rate_mentees mentees spread evenly over the
  // organization (every n / rate_mentees-th; the generator's order is not random, so the first
  // ones would not be typical) x all mentors.
  {
    std::vector<tandem::Person> subset;
    std::int64_t seen = 0;
    std::int64_t taken = 0;
    const std::int64_t stride = std::max<std::int64_t>(1, n / std::max(rate_mentees, 1));
    for (const auto& p : people) {
      const bool mentor_side = p.mentor_capacity > 0;
      if (mentor_side) {
        subset.push_back(p);
        continue;
      }
      if (seen++ % stride == 0 && taken < rate_mentees) {
        subset.push_back(p);
        ++taken;
      }
    }
    const CandidateScorer part(subset, config);
    const double pairs = static_cast<double>(part.num_mentees()) * part.num_mentors();
    for (int t : {1, cores}) {
      start = std::chrono::steady_clock::now();
      const auto lists = part.Best(k, t);
      const double s = Seconds(start);
      Row("candidate scoring, " + std::to_string(t) + " thread" + (t == 1 ? "" : "s"),
          Fmt("%.3g pairs/s per core", pairs / s / t),
          std::to_string(part.num_mentees()) + " x " + std::to_string(part.num_mentors()) + " in " +
              Fmt("%.2f s", s) + "; " +
              Fmt("%.1f%% past the cheap rules, ", 100.0 * lists->pairs_bounded / pairs) +
              Fmt("%.2f%% scored exactly, ", 100.0 * lists->pairs_exact / pairs) +
              Fmt("%.0f rows rescanned, ", static_cast<double>(lists->rows_rescanned)) +
              Fmt("%.1f%% in skipped blocks", 100.0 * lists->pairs_skipped / pairs));
    }
    // The exact scorer on a slice, for reference.
    std::vector<tandem::Person> slice;
    seen = 0;
    for (const auto& p : subset) {
      const bool mentor_side = p.mentor_capacity > 0;
      if (mentor_side || seen < 1000) slice.push_back(p);
      if (!mentor_side) ++seen;
    }
    const tandem::matching::Scorer exact(slice, config);
    start = std::chrono::steady_clock::now();
    const auto full = exact.BuildInstance();
    const double s = Seconds(start);
    const double slice_pairs =
        static_cast<double>(exact.mentees().size()) * static_cast<double>(exact.mentors().size());
    Row("Scorer::BuildInstance (every pair exact), all threads",
        Fmt("%.3g pairs/s per core", slice_pairs / s / cores),
        std::to_string(exact.mentees().size()) + " x " + std::to_string(exact.mentors().size()) +
            ", for reference");
  }

  if (!solve) return 0;

  tandem::matching::ScaleOptions options;
  options.k = k;
  options.threads = threads;
  // End to end.
  std::optional<tandem::matching::ScaleResult> welfare_result;
  if (welfare) {
    start = std::chrono::steady_clock::now();
    auto result = tandem::matching::SolveWelfareAtScale(scorer, options);
    const double t_total = Seconds(start);
    if (!result.ok()) {
      std::fprintf(stderr, "solve failed: %s\n", result.status().message().c_str());
      return 1;
    }
    const auto& r = *result;
    Row("end to end (candidates + solves + pricing)", Fmt("%.2f s", t_total + t_setup),
        Fmt("features %.2f s + ", t_setup) + Fmt("candidates %.2f s + ", r.seconds_scoring) +
            Fmt("solving %.2f s + ", r.seconds_solving) + Fmt("pricing %.2f s", r.seconds_pricing));
    const int used = threads > 0 ? threads : cores;
    Row("candidate scoring in this run",
        Fmt("%.3g pairs/s per core",
            static_cast<double>(r.pairs_total) / r.seconds_scoring / static_cast<double>(used)),
        Fmt("%.3g pairs", static_cast<double>(r.pairs_total)) + " on " + std::to_string(used) +
            " threads in " + Fmt("%.2f s", r.seconds_scoring));
    Row("pairs", Fmt("%.3g", static_cast<double>(r.pairs_total)),
        Fmt("%.3g past the cheap rules, ", static_cast<double>(r.pairs_bounded)) +
            Fmt("%.3g scored exactly", static_cast<double>(r.pairs_exact)));
    Row("solves",
        std::to_string(r.rounds) +
            " (round 1 cold; then warm, or cold when many mentees must be placed again)",
        std::to_string(r.augmentations) + " shortest path searches in all");
    Row("pricing", std::to_string(r.rounds) + " rounds",
        std::to_string(r.rows_priced) + " rows past the row bound, " +
            std::to_string(r.pairs_priced) + " pairs priced, " + std::to_string(r.pairs_added) +
            " added");
    Row("answer", std::to_string(r.solution.matched) + " matched",
        "total weight " + std::to_string(r.solution.total_weight) + ", candidate graph " +
            std::to_string(r.candidates.edges.size()) + " edges; prices cover all " +
            Fmt("%.3g pairs", static_cast<double>(r.pairs_total)));
    Row("peak memory (VmHWM)", Fmt("%.0f MiB", PeakMiB()), "whole process, people included");
    welfare_result = std::move(*result);
  }

  if (stable) {
    start = std::chrono::steady_clock::now();
    auto st = tandem::matching::SolveStableAtScale(scorer, options);
    const double t_stable = Seconds(start);
    if (!st.ok()) {
      std::fprintf(stderr, "stable failed: %s\n", st.status().message().c_str());
      return 1;
    }
    Row("stable at scale (candidates + deferred acceptance + check)",
        Fmt("%.2f s", t_stable + t_setup),
        Fmt("candidates %.2f s + ", st->seconds_scoring) +
            Fmt("proposing %.2f s + ", st->seconds_matching) +
            Fmt("checking %.2f s; ", st->seconds_checking) + std::to_string(st->solution.matched) +
            " matched, " + std::to_string(st->rows_extended) + " lists extended (" +
            std::to_string(st->pairs_fetched) + " proposals fetched), " +
            std::to_string(st->solution.blocking_pairs.size()) + " blocking pairs over " +
            Fmt("%.3g pairs checked", static_cast<double>(st->pairs_checked)) + " (" +
            std::to_string(st->rows_checked) + " rows scanned); candidate graph " +
            std::to_string(st->candidates.edges.size()) + " edges; " +
            Fmt("peak memory so far %.0f MiB", PeakMiB()));
  }
  if (lemon && welfare_result) {
    const auto& r = *welfare_result;
    start = std::chrono::steady_clock::now();
    const auto again = tandem::matching::SolveWelfare(r.candidates);
    const double t_ours = Seconds(start);
    const LemonRun l = Lemon(r.candidates, again.bonus);
    const Weight ours = again.total_weight + again.bonus * again.matched;
    Row("candidate graph: SolveWelfare", Fmt("%.2f s", t_ours),
        std::to_string(r.candidates.edges.size()) + " edges, one solve");
    Row("candidate graph: LEMON NetworkSimplex", Fmt("%.2f s", l.solve_seconds),
        Fmt("graph build %.2f s not timed; ", l.build_seconds) +
            (l.objective == ours ? "same objective" : "OBJECTIVE DIFFERS"));
  }
  return 0;
}
