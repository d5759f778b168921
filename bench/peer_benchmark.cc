// Peer mentoring at organization scale: Tandem's blossom solver against LEMON's
// MaxWeightedMatching on the same general graph (built outside the timing). Prints a markdown
// table. Optionally writes the graph ("n m" then "a b weight" lines) for
// bench/peer_networkx.py.
//
//   build/release/bench/peer_benchmark [--people N] [--candidates K] [--seed S]
//       [--repeat R] [--uniform] [--write FILE]
//
// Weights are score-like: each person has a latent profile; a pair's score is the mean of a
// profile match and pair-specific noise, scaled to [0, 10^6]. Each person draws K/2 random
// candidates, so degrees average about K. --uniform: independent uniform weights instead.
// Built as C++17: LEMON 1.3's maps use std::allocator members that C++20 removed.
#include <lemon/list_graph.h>
#include <lemon/matching.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "matching/peer.h"

namespace {

using tandem::matching::PeerEdge;
using tandem::matching::PeerInstance;
using tandem::matching::PeerOptions;
using tandem::matching::PeerSolution;
using tandem::matching::Weight;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

PeerInstance Generate(std::int32_t n, std::int32_t k, std::uint64_t seed, bool uniform) {
  std::mt19937_64 rng(seed);
  constexpr int kDims = 8;
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> profile(static_cast<size_t>(n) * kDims);
  for (std::int32_t v = 0; v < n; ++v) {
    double norm = 0;
    for (int d = 0; d < kDims; ++d) {
      const double x = normal(rng);
      profile[static_cast<size_t>(v) * kDims + static_cast<size_t>(d)] = x;
      norm += x * x;
    }
    norm = std::sqrt(norm);
    for (int d = 0; d < kDims; ++d)
      profile[static_cast<size_t>(v) * kDims + static_cast<size_t>(d)] /= norm;
  }
  std::uniform_int_distribution<std::int32_t> pick(0, n - 1);
  std::uniform_real_distribution<double> noise(0.0, 1.0);
  PeerInstance inst;
  inst.num_people = n;
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(static_cast<size_t>(n) * static_cast<size_t>(k));
  for (std::int32_t a = 0; a < n; ++a) {
    for (std::int32_t c = 0; c < k / 2; ++c) {
      const std::int32_t b = pick(rng);
      if (b == a) continue;
      const std::uint64_t key = (static_cast<std::uint64_t>(std::min(a, b)) << 32) |
                                static_cast<std::uint32_t>(std::max(a, b));
      if (!seen.insert(key).second) continue;
      double cosine = 0;
      for (int d = 0; d < kDims; ++d) {
        cosine += profile[static_cast<size_t>(a) * kDims + static_cast<size_t>(d)] *
                  profile[static_cast<size_t>(b) * kDims + static_cast<size_t>(d)];
      }
      const double score = uniform ? noise(rng) : 0.5 * (cosine + 1.0) * 0.5 + 0.5 * noise(rng);
      inst.edges.push_back({a, b, tandem::matching::ScoreToWeight(std::clamp(score, 0.0, 1.0))});
    }
  }
  return inst;
}

struct Row {
  std::string solver;
  double seconds = 0;
  long long pairs = 0;
  long long weight = 0;
  std::string note;
};

Row RunLemon(const PeerInstance& inst, Weight bonus, const char* name) {
  lemon::ListGraph g;
  std::vector<lemon::ListGraph::Node> nodes;
  nodes.reserve(static_cast<size_t>(inst.num_people));
  for (std::int32_t v = 0; v < inst.num_people; ++v) nodes.push_back(g.addNode());
  lemon::ListGraph::EdgeMap<long long> w(g);
  for (const PeerEdge& e : inst.edges) {
    w[g.addEdge(nodes[static_cast<size_t>(e.a)], nodes[static_cast<size_t>(e.b)])] =
        e.weight + bonus;
  }
  const auto start = std::chrono::steady_clock::now();
  lemon::MaxWeightedMatching<lemon::ListGraph, lemon::ListGraph::EdgeMap<long long>> mwm(g, w);
  mwm.run();
  const double secs = Seconds(start);
  const long long pairs = mwm.matchingSize();
  return {name, secs, pairs, mwm.matchingWeight() - bonus * pairs, ""};
}

}  // namespace

int main(int argc, char** argv) {
  std::int32_t n = 20000;
  std::int32_t k = 50;
  std::uint64_t seed = 1;
  int repeat = 3;
  std::string write;
  bool uniform = false;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--people")) {
      n = std::atoi(next());
    } else if (!std::strcmp(argv[i], "--candidates")) {
      k = std::atoi(next());
    } else if (!std::strcmp(argv[i], "--seed")) {
      seed = std::strtoull(next(), nullptr, 10);
    } else if (!std::strcmp(argv[i], "--repeat")) {
      repeat = std::max(1, std::atoi(next()));
    } else if (!std::strcmp(argv[i], "--uniform")) {
      uniform = true;
    } else if (!std::strcmp(argv[i], "--write")) {
      write = next();
    } else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  const PeerInstance inst = Generate(n, k, seed, uniform);
  if (!write.empty()) {
    std::ofstream out(write);
    out << inst.num_people << ' ' << inst.edges.size() << '\n';
    for (const PeerEdge& e : inst.edges) out << e.a << ' ' << e.b << ' ' << e.weight << '\n';
  }
  std::printf("peer graph: %d people, %zu pairs, %s weights, seed %llu; best of %d runs\n\n", n,
              inst.edges.size(), uniform ? "uniform" : "profile",
              static_cast<unsigned long long>(seed), repeat);

  std::vector<Row> rows;
  int failures = 0;
  for (bool card : {true, false}) {
    PeerOptions options;
    options.max_cardinality_first = card;
    Row best;
    PeerSolution s;
    for (int r = 0; r < repeat; ++r) {
      const auto start = std::chrono::steady_clock::now();
      s = tandem::matching::SolveMaxWeightPeer(inst, {}, options);
      const double secs = Seconds(start);
      if (r == 0 || secs < best.seconds) best.seconds = secs;
    }
    best.solver = card ? "Tandem blossom, most pairs then weight" : "Tandem blossom, max weight";
    best.pairs = s.matched_pairs;
    best.weight = s.total_weight;
    const auto check_start = std::chrono::steady_clock::now();
    const tandem::Status st = tandem::matching::CheckPeerCertificate(inst, s);
    best.note = std::string(st.ok() ? "certificate ok" : "CERTIFICATE FAILED: " + st.message()) +
                " (check " + std::to_string(static_cast<int>(Seconds(check_start) * 1000)) +
                " ms; " + std::to_string(s.augmentations) + " augmentations, " +
                std::to_string(s.blossoms_formed) + " blossoms, " + std::to_string(s.events) +
                " events)";
    if (!st.ok()) ++failures;
    rows.push_back(best);
    Row lemon;
    for (int r = 0; r < repeat; ++r) {
      Row one = RunLemon(inst, s.bonus,
                         card ? "LEMON MaxWeightedMatching on weight + bonus"
                              : "LEMON MaxWeightedMatching on weight");
      if (r == 0 || one.seconds < lemon.seconds) lemon = one;
    }
    const bool same = lemon.pairs == best.pairs && lemon.weight == best.weight;
    lemon.note = same ? "same objective" : "DIFFERENT OBJECTIVE";
    if (!same) ++failures;
    rows.push_back(lemon);
  }
  std::printf("| solver | seconds | pairs | total weight | note |\n");
  std::printf("| --- | ---: | ---: | ---: | --- |\n");
  for (const Row& r : rows) {
    std::printf("| %s | %.3f | %lld | %lld | %s |\n", r.solver.c_str(), r.seconds, r.pairs,
                r.weight, r.note.c_str());
  }
  return failures == 0 ? 0 : 1;
}
