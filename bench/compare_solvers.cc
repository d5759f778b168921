// Times Tandem's solvers and LEMON's NetworkSimplex on the same generated instances, and writes
// the dense instance for scipy (bench/compare_scipy.py). Prints a markdown table.
//
//   build/release/bench/compare_solvers [--dense N] [--sparse-mentees N] [--sparse-mentors M]
//       [--sparse-capacity C] [--candidates K] [--dense-out FILE]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "matching/certificate.h"
#include "matching/config.h"
#include "matching/fair.h"
#include "matching/lemon_reference.h"
#include "matching/preferences.h"
#include "matching/scoring.h"
#include "matching/stable.h"
#include "matching/welfare.h"
#include "sample/organization.h"

namespace {

using tandem::matching::Edge;
using tandem::matching::Instance;
using tandem::matching::Solution;
using tandem::matching::Weight;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Instance Dense(int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Weight> w(0, tandem::matching::kScoreScale);
  Instance inst;
  inst.num_mentees = n;
  inst.capacity.assign(static_cast<size_t>(n), 1);
  inst.edges.reserve(static_cast<size_t>(n) * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) inst.edges.push_back({i, j, w(rng)});
  }
  return inst;
}

Instance Sparse(int n, int m, int cap, int k, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Weight> w(0, tandem::matching::kScoreScale);
  std::uniform_int_distribution<int> pick(0, m - 1);
  Instance inst;
  inst.num_mentees = n;
  inst.capacity.assign(static_cast<size_t>(m), cap);
  inst.edges.reserve(static_cast<size_t>(n) * static_cast<size_t>(k));
  std::vector<int> seen(static_cast<size_t>(m), -1);
  for (int i = 0; i < n; ++i) {
    for (int c = 0; c < k;) {
      const int j = pick(rng);
      if (seen[static_cast<size_t>(j)] == i) continue;
      seen[static_cast<size_t>(j)] = i;
      inst.edges.push_back({i, j, w(rng)});
      ++c;
    }
  }
  return inst;
}

using LemonResult = tandem::matching::test_support::LemonWelfareRun;
LemonResult Lemon(const Instance& inst, Weight bonus) {
  return tandem::matching::test_support::LemonWelfare(inst, bonus);
}

void Row(const char* instance, const char* solver, double seconds, const std::string& note) {
  std::printf("| %s | %s | %.3f | %s |\n", instance, solver, seconds, note.c_str());
  std::fflush(stdout);
}

int IntArg(int argc, char** argv, const char* name, int fallback) {
  for (int a = 1; a + 1 < argc; ++a) {
    if (std::strcmp(argv[a], name) == 0) return std::atoi(argv[a + 1]);
  }
  return fallback;
}

std::string StringArg(int argc, char** argv, const char* name) {
  for (int a = 1; a + 1 < argc; ++a) {
    if (std::strcmp(argv[a], name) == 0) return argv[a + 1];
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  const int dense_n = IntArg(argc, argv, "--dense", 5000);
  const int sparse_n = IntArg(argc, argv, "--sparse-mentees", 100000);
  const int sparse_m = IntArg(argc, argv, "--sparse-mentors", 10000);
  const int sparse_cap = IntArg(argc, argv, "--sparse-capacity", 10);
  const int k = IntArg(argc, argv, "--candidates", 50);
  const std::string dense_out = StringArg(argc, argv, "--dense-out");
  const int scored_mentees = IntArg(argc, argv, "--scored-mentees", 10000);
  const int scored_mentors = IntArg(argc, argv, "--scored-mentors", 1000);

  std::printf("| instance | solver | seconds | result |\n|---|---|---|---|\n");
  if (scored_mentees > 0) {
    // A generated organization scored with the traditional model's defaults.
    tandem::sample::OrganizationSpec spec;
    spec.people = scored_mentees + scored_mentors;
    spec.mentor_share = static_cast<double>(scored_mentors) / spec.people;
    spec.seed = 42;
    const auto people = tandem::sample::GenerateOrganization(spec);
    const tandem::matching::Scorer scorer(
        people, tandem::matching::DefaultConfig(tandem::matching::Model::kTraditional));
    auto start = std::chrono::steady_clock::now();
    Instance scored = *scorer.BuildInstance();
    const double t_score = Seconds(start);
    const double pairs =
        static_cast<double>(scorer.mentees().size()) * static_cast<double>(scorer.mentors().size());
    const std::string name = "scored " + std::to_string(scored.num_mentees) + " x " +
                             std::to_string(scored.num_mentors()) + " (" +
                             std::to_string(scored.edges.size()) + " eligible pairs)";
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.1f million pairs/s on all cores", pairs / t_score / 1e6);
    Row(name.c_str(), "tandem scoring", t_score, rate);
    start = std::chrono::steady_clock::now();
    Solution s = tandem::matching::SolveWelfare(scored);
    const double t_welfare = Seconds(start);
    const bool ok = tandem::matching::CheckWelfareCertificate(scored, s).ok();
    Row(name.c_str(), "tandem welfare", t_welfare,
        "matched " + std::to_string(s.matched) + ", total " + std::to_string(s.total_weight) +
            (ok ? ", certificate ok" : ", CERTIFICATE FAILED"));
    LemonResult l = Lemon(scored, s.bonus);
    Row(name.c_str(), "LEMON NetworkSimplex", l.solve_seconds,
        l.objective == s.total_weight + s.bonus * s.matched ? "same objective"
                                                            : "DIFFERENT OBJECTIVE");
    start = std::chrono::steady_clock::now();
    Solution st = tandem::matching::SolveStable(scored);
    const double t_stable = Seconds(start);
    Row(name.c_str(), "tandem stable", t_stable,
        "matched " + std::to_string(st.matched) + ", blocking pairs " +
            std::to_string(st.blocking_pairs.size()) +
            " (all of it: preference lists from scores, deferred acceptance, blocking-pair check)");
    start = std::chrono::steady_clock::now();
    const auto prefs = tandem::matching::internal::BuildPreferences(scored);
    const double t_prefs = Seconds(start);
    start = std::chrono::steady_clock::now();
    const auto blocking = tandem::matching::FindBlockingPairs(scored, st.mentor_of);
    const double t_check = Seconds(start);
    Row(name.c_str(), "  of which preference lists", t_prefs,
        std::to_string(prefs.mentor.size()) + " entries sorted");
    Row(name.c_str(), "  of which blocking-pair check", t_check,
        std::to_string(blocking.size()) + " found");
    Row(name.c_str(), "  of which deferred acceptance", std::max(0.0, t_stable - t_prefs - t_check),
        std::to_string(st.proposals) + " proposals");
    start = std::chrono::steady_clock::now();
    Solution f = tandem::matching::SolveFair(scored);
    const bool fair_ok = tandem::matching::CheckFairCertificate(scored, f).ok();
    Row(name.c_str(), "tandem fair", Seconds(start),
        "matched " + std::to_string(f.matched) + ", lowest " + std::to_string(f.min_weight) +
            " (welfare lowest " + std::to_string(s.min_weight) + ")" +
            (fair_ok ? ", certificate ok" : ", CERTIFICATE FAILED"));
  }
  if (dense_n > 0) {
    Instance dense = Dense(dense_n, 1);
    const std::string name = "dense " + std::to_string(dense_n) + " x " + std::to_string(dense_n);
    if (!dense_out.empty()) {
      // Row-major float64 matrix for numpy.fromfile.
      std::vector<double> m(static_cast<size_t>(dense_n) * static_cast<size_t>(dense_n));
      for (const Edge& e : dense.edges) {
        m[static_cast<size_t>(e.mentee) * static_cast<size_t>(dense_n) +
          static_cast<size_t>(e.mentor)] = static_cast<double>(e.weight);
      }
      std::ofstream(dense_out, std::ios::binary)
          .write(reinterpret_cast<const char*>(m.data()),
                 static_cast<std::streamsize>(m.size() * sizeof(double)));
    }
    auto start = std::chrono::steady_clock::now();
    Solution s = tandem::matching::SolveWelfare(dense);
    const double t = Seconds(start);
    const bool ok = tandem::matching::CheckWelfareCertificate(dense, s).ok();
    Row(name.c_str(), "tandem welfare", t,
        "total " + std::to_string(s.total_weight) +
            (ok ? ", certificate ok" : ", CERTIFICATE FAILED"));
  }
  if (sparse_n > 0) {
    Instance sparse = Sparse(sparse_n, sparse_m, sparse_cap, k, 2);
    const std::string name = std::to_string(sparse_n) + " x " + std::to_string(sparse_m) + " cap " +
                             std::to_string(sparse_cap) + ", " + std::to_string(k) + " candidates";
    auto start = std::chrono::steady_clock::now();
    Solution s = tandem::matching::SolveWelfare(sparse);
    const double t = Seconds(start);
    const bool ok = tandem::matching::CheckWelfareCertificate(sparse, s).ok();
    Row(name.c_str(), "tandem welfare", t,
        "matched " + std::to_string(s.matched) + ", total " + std::to_string(s.total_weight) +
            (ok ? ", certificate ok" : ", CERTIFICATE FAILED"));
    LemonResult l = Lemon(sparse, s.bonus);
    const Weight ours = s.total_weight + s.bonus * s.matched;
    Row(name.c_str(), "LEMON NetworkSimplex", l.solve_seconds,
        std::string(l.objective == ours ? "same objective" : "DIFFERENT OBJECTIVE") +
            " (graph build " + std::to_string(l.build_seconds).substr(0, 5) + " s not counted)");
    start = std::chrono::steady_clock::now();
    Solution st = tandem::matching::SolveStable(sparse);
    Row(name.c_str(), "tandem stable", Seconds(start),
        "matched " + std::to_string(st.matched) + ", blocking pairs " +
            std::to_string(st.blocking_pairs.size()) + " (time includes the blocking-pair check)");
  }
  return 0;
}
