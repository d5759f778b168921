// Times the engine's models on generated instances and prints a markdown table: the speed-
// mentoring timetable (meeting selection + slot colouring), rotation rounds, mentor-led groups
// and peer circles. Every answer is also put through its independent check.
//
//   build/h-models-rel/bench/models_benchmark [--seed N] [--skip-dense]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "matching/groups.h"
#include "matching/rotation.h"
#include "matching/speed.h"

namespace {

using tandem::matching::Edge;
using tandem::matching::Instance;
using tandem::matching::kScoreScale;
using tandem::matching::Weight;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// n mentees x m mentors with capacity `cap`; k candidates per mentee (k >= m: every pair).
Instance Generate(int n, int m, int cap, int k, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Weight> w(0, kScoreScale);
  std::uniform_int_distribution<int> pick(0, m - 1);
  Instance inst;
  inst.num_mentees = n;
  inst.capacity.assign(static_cast<size_t>(m), cap);
  std::vector<int> seen(static_cast<size_t>(m), -1);
  for (int i = 0; i < n; ++i) {
    if (k >= m) {
      for (int j = 0; j < m; ++j) inst.edges.push_back({i, j, w(rng)});
      continue;
    }
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

void Row(const std::string& model, const std::string& size, const std::string& result,
         double seconds, double check_seconds, bool ok) {
  std::printf("| %s | %s | %s | %.3f | %.3f | %s |\n", model.c_str(), size.c_str(), result.c_str(),
              seconds, check_seconds, ok ? "ok" : "FAILED");
  std::fflush(stdout);
}

void Speed(int n, int m, int slots, int k, std::uint64_t seed) {
  tandem::matching::SpeedProblem p;
  p.instance = Generate(n, m, slots, k, seed);
  p.slots = slots;
  auto start = std::chrono::steady_clock::now();
  const auto r = tandem::matching::SolveSpeed(p);
  const double t = Seconds(start);
  start = std::chrono::steady_clock::now();
  const bool ok = r.status == tandem::matching::SolveStatus::kOptimal &&
                  tandem::matching::CheckSpeedSelection(p, r).ok() &&
                  tandem::matching::CheckSpeedTimetable(p, r).ok();
  const double c = Seconds(start);
  const std::string size = std::to_string(m) + " mentors x " + std::to_string(n) + " mentees x " +
                           std::to_string(slots) + " slots, " +
                           (k >= m ? "all pairs" : std::to_string(k) + " candidates") + " (" +
                           std::to_string(p.instance.edges.size()) + " edges)";
  const std::string result = std::to_string(r.num_meetings) + " meetings, " +
                             std::to_string(r.searches) + " searches, " +
                             std::to_string(r.chain_edges) + " recoloured";
  Row("speed (select + timetable)", size, result, t, c, ok);
}

void Rotation(int n, int m, int cap, int k, int rounds, std::uint64_t seed) {
  tandem::matching::RotationProblem p;
  p.instance = Generate(n, m, cap, k, seed);
  p.rounds = rounds;
  auto start = std::chrono::steady_clock::now();
  const auto r = tandem::matching::SolveRotation(p);
  const double t = Seconds(start);
  start = std::chrono::steady_clock::now();
  const bool ok = r.status == tandem::matching::SolveStatus::kOptimal &&
                  tandem::matching::CheckRotation(p, r).ok();
  const double c = Seconds(start);
  std::string matched;
  for (const auto& round : r.rounds) {
    matched += (matched.empty() ? "" : "/") + std::to_string(round.solution.matched);
  }
  const std::string size = std::to_string(rounds) + " rounds, " + std::to_string(n) +
                           " mentees x " + std::to_string(m) + " mentors (cap " +
                           std::to_string(cap) + "), " +
                           (k >= m ? "all pairs" : std::to_string(k) + " candidates");
  Row("rotation", size, "matched " + matched, t, c, ok);
}

std::vector<std::vector<std::int32_t>> Tags(int n, std::mt19937_64& rng) {
  std::vector<std::vector<std::int32_t>> tags(static_cast<size_t>(n));
  for (auto& t : tags) {
    const int count = 3 + static_cast<int>(rng() % 4);
    const auto cluster = static_cast<std::int32_t>(rng() % 8) * 5;  // goals come in themes
    for (int x = 0; x < count; ++x) {
      t.push_back(rng() % 3 ? cluster + static_cast<std::int32_t>(rng() % 5)
                            : static_cast<std::int32_t>(rng() % 40));
    }
  }
  return tags;
}

void Groups(int n, int m, int cap, std::uint64_t seed) {
  tandem::matching::GroupProblem p;
  p.instance = Generate(n, m, cap, m, seed);
  std::mt19937_64 rng(seed + 1);
  p.mentee_tags = Tags(n, rng);
  for (int i = 0; i < n; ++i) {
    p.mentee_department.push_back(static_cast<std::int32_t>(rng() % 10));
    p.mentee_site.push_back(static_cast<std::int32_t>(rng() % 6));
  }
  p.min_size = 3;
  p.weights = {0.1, 0.05, 0.02};
  auto start = std::chrono::steady_clock::now();
  const auto r = tandem::matching::SolveGroups(p);
  const double t = Seconds(start);
  start = std::chrono::steady_clock::now();
  const bool ok = r.status == tandem::matching::SolveStatus::kOptimal &&
                  tandem::matching::CheckGroups(p, r).ok();
  const double c = Seconds(start);
  char result[256];
  std::snprintf(result, sizeof result,
                "objective %.1f -> %.1f (cohesion %.1f -> %.1f), %lld moves, %lld swaps, "
                "%lld passes",
                r.before.score(), r.after.score(), static_cast<double>(r.before.cohesion) / 1e6,
                static_cast<double>(r.after.cohesion) / 1e6, static_cast<long long>(r.moves),
                static_cast<long long>(r.swaps), static_cast<long long>(r.passes));
  Row("groups (mentor-led)",
      std::to_string(n) + " mentees x " + std::to_string(m) + " mentors (cap " +
          std::to_string(cap) + "), all pairs",
      result, t, c, ok);
}

void Circles(int n, int k, std::uint64_t seed) {
  tandem::matching::CircleProblem p;
  p.num_people = n;
  p.circle_size = k;
  std::mt19937_64 rng(seed + 2);
  p.tags = Tags(n, rng);
  for (int i = 0; i < n; ++i) p.department.push_back(static_cast<std::int32_t>(rng() % 10));
  p.weights = {1.0, 0.0, 0.05};
  auto start = std::chrono::steady_clock::now();
  const auto r = tandem::matching::SolveCircles(p);
  const double t = Seconds(start);
  start = std::chrono::steady_clock::now();
  const bool ok = r.status == tandem::matching::SolveStatus::kOptimal &&
                  tandem::matching::CheckCircles(p, r).ok();
  const double c = Seconds(start);
  char result[256];
  std::snprintf(result, sizeof result,
                "objective %.1f -> %.1f, %lld moves, %lld swaps, %lld passes", r.before.score(),
                r.after.score(), static_cast<long long>(r.moves), static_cast<long long>(r.swaps),
                static_cast<long long>(r.passes));
  Row("peer circles", std::to_string(n) + " people, k = " + std::to_string(k), result, t, c, ok);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t seed = 1;
  bool dense = true;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--seed") == 0 && a + 1 < argc) {
      seed = std::strtoull(argv[++a], nullptr, 10);
    } else if (std::strcmp(argv[a], "--skip-dense") == 0) {
      dense = false;
    } else {
      std::fprintf(stderr, "usage: %s [--seed N] [--skip-dense]\n", argv[0]);
      return 2;
    }
  }
  std::printf("| model | size | result | seconds | check seconds | check |\n");
  std::printf("| --- | --- | --- | ---: | ---: | --- |\n");
  Speed(2000, 500, 8, 50, seed);
  if (dense) Speed(2000, 500, 8, 500, seed);
  Rotation(10000, 1000, 10, 50, 4, seed);
  if (dense) Rotation(10000, 1000, 10, 1000, 4, seed);
  Groups(2000, 200, 10, seed);
  Circles(2000, 5, seed);
  return 0;
}
