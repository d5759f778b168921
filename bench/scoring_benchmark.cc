// Scoring throughput (Google Benchmark): pairs scored per second when building the candidate
// graph of a generated organization, on one thread and on all cores.
//   build/release/bench/scoring_benchmark
#include <benchmark/benchmark.h>

#include "matching/config.h"
#include "matching/scoring.h"
#include "program/suggestions.h"
#include "sample/organization.h"

namespace {

using tandem::matching::DefaultConfig;
using tandem::matching::Model;
using tandem::matching::Scorer;

const std::vector<tandem::Person>& Organization() {
  static const std::vector<tandem::Person> people = [] {
    tandem::sample::OrganizationSpec spec;
    spec.people = 11000;
    spec.mentor_share = 1000.0 / 11000.0;
    spec.seed = 42;
    return tandem::sample::GenerateOrganization(spec);
  }();
  return people;
}

// state.range(0): threads (0 = all cores); state.range(1): 1 = every pair eligible (no hard rule
// filters), 0 = the traditional model's default rules.
void BM_BuildInstance(benchmark::State& state) {
  auto config = DefaultConfig(Model::kTraditional);
  config.threads = static_cast<int>(state.range(0));
  if (state.range(1) == 1) {
    config.min_seniority_gap = -9;
    config.require_shared_language = false;
    config.exclude_reporting_line = false;
    config.min_overlap_hours = 0;
  }
  const Scorer scorer(Organization(), config);
  const auto pairs = static_cast<std::int64_t>(scorer.mentees().size()) *
                     static_cast<std::int64_t>(scorer.mentors().size());
  std::size_t edges = 0;
  for (auto _ : state) {
    auto instance = scorer.BuildInstance();
    edges = instance->edges.size();
    benchmark::DoNotOptimize(instance);
  }
  state.SetItemsProcessed(state.iterations() * pairs);
  state.counters["mentees"] = static_cast<double>(scorer.mentees().size());
  state.counters["mentors"] = static_cast<double>(scorer.mentors().size());
  state.counters["edges"] = static_cast<double>(edges);
}
BENCHMARK(BM_BuildInstance)
    ->ArgNames({"threads", "all_eligible"})
    ->Args({1, 0})
    ->Args({0, 0})
    ->Args({1, 1})
    ->Args({0, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Informal programs: one mentee's top 5 mentors with reasons, as a web page would ask for them.
void BM_SuggestMentors(benchmark::State& state) {
  const Scorer scorer(Organization(), DefaultConfig(Model::kTraditional));
  const auto& mentees = scorer.mentees();
  size_t next = 0;
  for (auto _ : state) {
    auto top = tandem::program::SuggestMentors(scorer, mentees[next++ % mentees.size()], 5);
    benchmark::DoNotOptimize(top);
  }
  state.counters["mentors"] = static_cast<double>(scorer.mentors().size());
}
BENCHMARK(BM_SuggestMentors)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
