#pragma once
// Test and benchmark support only (targets that link tandem_lemon): the welfare objective solved
// by LEMON's NetworkSimplex, an independent min-cost-flow solver, on the same instance:
//   source -> mentee (cap 1) -> mentor (cap 1, cost -(w + bonus)) -> sink (cap c_j),
// plus a zero-cost bypass source -> sink so that any mentee may stay unmatched.

#include <lemon/list_graph.h>
#include <lemon/network_simplex.h>

#include <chrono>
#include <vector>

#include "matching/instance.h"

namespace tandem::matching::test_support {

struct LemonWelfareRun {
  bool optimal = false;
  Weight objective = 0;  // total weight + bonus * matched, as Solution reports it
  double build_seconds = 0;
  double solve_seconds = 0;
};

// Over the edges of weight >= min_weight.
inline LemonWelfareRun LemonWelfare(const Instance& inst, Weight bonus, Weight min_weight = 0) {
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  LemonWelfareRun run;
  auto start = Clock::now();
  lemon::ListDigraph g;
  lemon::ListDigraph::ArcMap<long long> cap(g);
  lemon::ListDigraph::ArcMap<long long> cost(g);
  g.reserveNode(inst.num_mentees + inst.num_mentors() + 2);
  g.reserveArc(static_cast<int>(inst.edges.size()) + inst.num_mentees + inst.num_mentors() + 1);
  const auto source = g.addNode();
  const auto sink = g.addNode();
  std::vector<lemon::ListDigraph::Node> mentee;
  std::vector<lemon::ListDigraph::Node> mentor;
  for (int i = 0; i < inst.num_mentees; ++i) {
    mentee.push_back(g.addNode());
    const auto a = g.addArc(source, mentee.back());
    cap[a] = 1;
    cost[a] = 0;
  }
  for (int j = 0; j < inst.num_mentors(); ++j) {
    mentor.push_back(g.addNode());
    const auto a = g.addArc(mentor.back(), sink);
    cap[a] = inst.capacity[static_cast<size_t>(j)];
    cost[a] = 0;
  }
  for (const Edge& e : inst.edges) {
    if (e.weight < min_weight) continue;
    const auto a =
        g.addArc(mentee[static_cast<size_t>(e.mentee)], mentor[static_cast<size_t>(e.mentor)]);
    cap[a] = 1;
    cost[a] = -(e.weight + bonus);
  }
  const auto bypass = g.addArc(source, sink);
  cap[bypass] = inst.num_mentees;
  cost[bypass] = 0;
  lemon::NetworkSimplex<lemon::ListDigraph, long long, long long> ns(g);
  ns.upperMap(cap).costMap(cost).stSupply(source, sink, inst.num_mentees);
  run.build_seconds = seconds(start);
  start = Clock::now();
  run.optimal = ns.run() == decltype(ns)::OPTIMAL;
  run.objective = -ns.totalCost<long long>();
  run.solve_seconds = seconds(start);
  return run;
}

}  // namespace tandem::matching::test_support
