#include "matching/scale.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "matching/candidates.h"
#include "matching/certificate.h"
#include "matching/config.h"
#include "matching/scoring.h"
#include "matching/stable.h"
#include "matching/stable_scale.h"
#include "matching/welfare.h"
#include "sample/organization.h"

namespace tandem::matching {
namespace {

std::vector<Person> Organization(int mentees, int mentors, std::uint64_t seed) {
  sample::OrganizationSpec spec;
  spec.people = mentees + mentors;
  spec.mentor_share = static_cast<double>(mentors) / spec.people;
  spec.seed = seed;
  return sample::GenerateOrganization(spec);
}

// The people with a copy of each of the first `mentees` mentees and the first `mentors` mentors
// appended (another id, the same profile): a copy's pairs weigh exactly what the original's do,
// so ties decide between them, on either side.
std::vector<Person> WithTwins(std::vector<Person> people, int mentees, int mentors = 0) {
  const size_t n = people.size();
  for (size_t p = 0; p < n; ++p) {
    const bool mentor = people[p].role == ProgramRole::kMentor;
    int& left = mentor ? mentors : mentees;
    if (left == 0) continue;
    Person twin = people[p];
    twin.id += mentor ? "-copy" : "-twin";
    twin.email = "twin-" + twin.email;
    people.push_back(std::move(twin));
    --left;
  }
  return people;
}

// Every `every`-th mentor gets no places: still a mentor, but no pair with it is eligible.
void CloseMentors(std::vector<Person>& people, int every) {
  int seen = 0;
  for (Person& p : people) {
    if (p.role == ProgramRole::kMentor && seen++ % every == 0) p.mentor_capacity = 0;
  }
}

// The same people with the profiles the score bound treats specially: no wanted skills, more
// wanted skills than the bound reads from its table, no languages, availability, personality,
// style, site or time zone, in-person meetings only, up to six named mentors, a shared
// background asked for, UTC offsets whole days outside [-24 h, 24 h]. With `large`, interests and
// skills get catalogues too large for bit sets and the level table (one unique name per person).
std::vector<Person> WithEdgeCases(std::vector<Person> people, bool large) {
  std::vector<std::string> mentor_ids;
  for (const Person& p : people) {
    if (p.mentor_capacity > 0) mentor_ids.push_back(p.id);
  }
  for (size_t p = 0; p < people.size(); ++p) {
    Person& x = people[p];
    switch (p % 11) {
      case 0:
        x.skills_wanted.clear();
        break;
      case 1:
        for (const SkillHeld& h : people[(p + 3) % people.size()].skills_held) {
          x.skills_wanted.push_back({h.skill, static_cast<int>(x.skills_wanted.size()) + 1});
        }
        break;
      case 2:
        x.languages.clear();
        break;
      case 3:
        x.availability.reset();
        break;
      case 4:
        x.personality.reset();
        x.communication_style.clear();
        break;
      case 5:
        x.site.clear();
        x.time_zone.clear();
        break;
      case 6:
        x.meeting_preference = MeetingPreference::kInPerson;
        break;
      case 7:
        for (size_t c = 0; c < 1 + p % 6 && !mentor_ids.empty(); ++c) {
          x.preferred_mentors.push_back(mentor_ids[(p * 7 + c * 13) % mentor_ids.size()]);
        }
        break;
      case 8:
        x.prefer_shared_background = true;
        x.self_described = {{"gender", p % 2 == 0 ? "woman" : "man"}, {"caregiver", "yes"}};
        break;
      case 9:
        x.self_described = {{"gender", "woman"}};
        break;

      default:
        break;
    }
    // The same time zone written whole days apart (-3 to +3 days), for a third of the people.
    if (p % 3 == 0) x.utc_offset_minutes += 1440 * (static_cast<int>((p / 3) % 7) - 3);
    if (large) {
      x.interests.push_back("interest-" + std::to_string(p));
      x.skills_held.push_back({"skill-" + std::to_string(p), 4});
    }
  }
  return people;
}

// Configurations that exercise every rule and both style modes.
std::vector<MatchConfig> Configs(const std::vector<Person>& people) {
  std::vector<MatchConfig> configs;
  for (int model = 0; model < kModelCount; ++model) {
    configs.push_back(DefaultConfig(static_cast<Model>(model)));
  }
  MatchConfig c = DefaultConfig(Model::kTraditional);
  c.format = Format::kInPerson;
  c.department_rule = DepartmentRule::kRequireCross;
  c.max_time_zone_difference_hours = 3;
  c.either_role = EitherRole::kBothSides;
  c.blocked_pairs = {{people[5].id, people[0].id}, {people[7].id, people[1].id}};
  configs.push_back(c);
  c = DefaultConfig(Model::kReverse);
  c.department_rule = DepartmentRule::kPreferSame;
  c.require_shared_language = false;
  c.exclude_reporting_line = false;
  c.min_overlap_hours = 0;
  configs.push_back(c);
  c = DefaultConfig(Model::kVirtual);
  c.department_rule = DepartmentRule::kRequireSame;
  c.require_shared_language = true;
  configs.push_back(c);
  return configs;
}

// Selects a build of the vector bound (TANDEM_VECTOR_BOUND, read when a CandidateScorer is
// made) for the guard's lifetime; "" is the default.
class ScopedBuild {
 public:
  explicit ScopedBuild(const char* build) { setenv("TANDEM_VECTOR_BOUND", build, 1); }
  ~ScopedBuild() { unsetenv("TANDEM_VECTOR_BOUND"); }
  ScopedBuild(const ScopedBuild&) = delete;
  ScopedBuild& operator=(const ScopedBuild&) = delete;
};

// A CandidateScorer of the given build ("portable", "compiled", or "" for the best there is).
std::unique_ptr<CandidateScorer> ScorerOfBuild(const char* build, const std::vector<Person>& people,
                                               const MatchConfig& config) {
  const ScopedBuild chosen(build);
  return std::make_unique<CandidateScorer>(people, config);
}

// Full weights as a mentees x mentors table (-1 = not eligible).
std::vector<Weight> FullTable(const Instance& full) {
  std::vector<Weight> table(
      static_cast<size_t>(full.num_mentees) * static_cast<size_t>(full.num_mentors()), -1);
  for (const Edge& e : full.edges) {
    table[static_cast<size_t>(e.mentee) * static_cast<size_t>(full.num_mentors()) +
          static_cast<size_t>(e.mentor)] = e.weight;
  }
  return table;
}

// A random instance and a sub-instance with the same bonus: every mentee keeps its best edge
// (so the largest weight is the same), each other edge is kept with probability `keep`.
struct RandomPair {
  Instance full;
  Instance part;
};

RandomPair RandomInstances(std::mt19937_64& rng, double keep) {
  RandomPair out;
  Instance& full = out.full;
  full.num_mentees = std::uniform_int_distribution<int>(1, 70)(rng);
  const int m = std::uniform_int_distribution<int>(1, 25)(rng);
  const int max_cap = std::uniform_int_distribution<int>(1, 5)(rng);
  for (int j = 0; j < m; ++j) {
    full.capacity.push_back(std::uniform_int_distribution<int>(1, max_cap)(rng));
  }
  const double density = std::uniform_real_distribution<double>(0.05, 0.9)(rng);
  // Few distinct weights now and then, so that ties are common.
  const Weight top = std::uniform_int_distribution<int>(0, 1)(rng) == 0 ? 5 : 1000;
  std::uniform_real_distribution<double> coin(0, 1);
  out.part.num_mentees = full.num_mentees;
  out.part.capacity = full.capacity;
  for (std::int32_t i = 0; i < full.num_mentees; ++i) {
    std::vector<Edge> row;
    for (std::int32_t j = 0; j < m; ++j) {
      if (coin(rng) < density) {
        row.push_back({i, j, std::uniform_int_distribution<Weight>(0, top)(rng)});
      }
    }
    size_t best = 0;
    for (size_t e = 0; e < row.size(); ++e) {
      if (row[e].weight > row[best].weight) best = e;
    }
    for (size_t e = 0; e < row.size(); ++e) {
      full.edges.push_back(row[e]);
      if (e == best || coin(rng) < keep) out.part.edges.push_back(row[e]);
    }
  }
  return out;
}

// Mentees a warm start must place again: an edge the prices do not cover, or the assigned edge
// gone.
std::int64_t Uncovered(const Instance& instance, const Solution& start) {
  std::vector<char> out(static_cast<size_t>(instance.num_mentees), 0);
  std::vector<char> kept(static_cast<size_t>(instance.num_mentees), 0);
  for (const Edge& e : instance.edges) {
    const auto i = static_cast<size_t>(e.mentee);
    if (start.mentee_price[i] + start.mentor_price[static_cast<size_t>(e.mentor)] <
        e.weight + start.bonus) {
      out[i] = 1;
    }
    if (start.mentor_of[i] == e.mentor) kept[i] = 1;
  }
  std::int64_t count = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    count += out[i] || (start.mentor_of[i] >= 0 && !kept[i]) ? 1 : 0;
  }
  return count;
}

// `warm_start`: the start fits, so the solve places only the uncovered mentees.
void ExpectWarmOptimal(const Instance& instance, const Solution& start, bool warm_start = true) {
  const Solution cold = SolveWelfare(instance);
  const Solution warm = SolveWelfareFrom(instance, start);
  ASSERT_EQ(warm.status, SolveStatus::kOptimal);
  if (warm_start) {
    EXPECT_EQ(warm.augmentations, Uncovered(instance, start));
  }
  EXPECT_EQ(warm.matched, cold.matched);
  EXPECT_EQ(warm.total_weight, cold.total_weight);
  const Status check = CheckWelfareCertificate(instance, warm);
  EXPECT_TRUE(check.ok()) << check.message();
}

TEST(SolveWelfareFrom, AddedEdgesReachTheColdOptimum) {
  std::mt19937_64 rng(20261123);
  for (int trial = 0; trial < 400; ++trial) {
    SCOPED_TRACE(testing::Message() << "trial " << trial);
    const auto [full, part] = RandomInstances(rng, trial % 2 == 0 ? 0.3 : 0.0);
    const Solution start = SolveWelfare(part);
    ASSERT_EQ(start.status, SolveStatus::kOptimal);
    ExpectWarmOptimal(full, start);
    ExpectWarmOptimal(part, start);  // the same instance: nothing to place again
    if (HasFailure()) return;
  }
}

TEST(SolveWelfareFrom, RemovedEdgesAndChainedRounds) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    SCOPED_TRACE(testing::Message() << "trial " << trial);
    const auto [full, part] = RandomInstances(rng, 0.5);
    // Assigned edges that disappear: start from the full optimum, solve the sub-instance.
    ExpectWarmOptimal(part, SolveWelfare(full));
    // Rounds as in column generation: part -> part plus half of the rest -> full, each warm.
    Instance middle = part;
    for (const Edge& e : full.edges) {
      if ((e.mentee + e.mentor + trial) % 2 == 0) middle.edges.push_back(e);
    }
    std::sort(middle.edges.begin(), middle.edges.end(), [](const Edge& x, const Edge& y) {
      return std::tie(x.mentee, x.mentor) < std::tie(y.mentee, y.mentor);
    });
    middle.edges.erase(std::unique(middle.edges.begin(), middle.edges.end(),
                                   [](const Edge& x, const Edge& y) {
                                     return x.mentee == y.mentee && x.mentor == y.mentor;
                                   }),
                       middle.edges.end());
    const Solution first = SolveWelfareFrom(middle, SolveWelfare(part));
    ExpectWarmOptimal(middle, SolveWelfare(part));
    ExpectWarmOptimal(full, first);
    if (HasFailure()) return;
  }
}

TEST(SolveWelfareFrom, UnfitStartSolvesFromScratch) {
  std::mt19937_64 rng(3);
  const auto [full, part] = RandomInstances(rng, 0.5);
  Solution other = SolveWelfare(part);
  other.bonus += 1;  // another bonus: the prices do not apply
  ExpectWarmOptimal(full, other, false);
  other = SolveWelfare(part);
  other.mentor_of.pop_back();  // another size
  ExpectWarmOptimal(full, other, false);
  other = Solution{};  // no answer at all
  ExpectWarmOptimal(full, other, false);
  // A positive price on a mentor with a free place (an empty extra mentor).
  Instance wider = full;
  wider.capacity.push_back(2);
  other = SolveWelfare(part);
  other.mentor_price.push_back(7);
  ExpectWarmOptimal(wider, other, false);
}

TEST(SolveWelfare, LongRowsSolvedInRoundsAreCertified) {
  // Enough mentees and edges per mentee for the solve in rounds (welfare.cc): best edges first,
  // uncovered edges added warm. The certificate proves the answer optimal on the whole graph.
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 12; ++trial) {
    SCOPED_TRACE(testing::Message() << "trial " << trial);
    Instance inst;
    inst.num_mentees = std::uniform_int_distribution<int>(300, 900)(rng);
    const int m = std::uniform_int_distribution<int>(40, 160)(rng);
    const int max_cap = 1 + trial % 5;
    for (int j = 0; j < m; ++j) {
      inst.capacity.push_back(std::uniform_int_distribution<int>(1, max_cap)(rng));
    }
    const double density = std::uniform_real_distribution<double>(0.2, 0.45)(rng);
    const Weight top = trial % 3 == 0 ? 3 : 100000;
    std::uniform_real_distribution<double> coin(0, 1);
    for (std::int32_t i = 0; i < inst.num_mentees; ++i) {
      for (std::int32_t j = 0; j < m; ++j) {
        if (coin(rng) < density) {
          inst.edges.push_back({i, j, std::uniform_int_distribution<Weight>(0, top)(rng)});
        }
      }
    }
    ASSERT_GE(inst.edges.size(), 12 * static_cast<size_t>(inst.num_mentees));
    const Solution s = SolveWelfare(inst);
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    const Status check = CheckWelfareCertificate(inst, s);
    EXPECT_TRUE(check.ok()) << check.message();
    // Warm from the answer itself: nothing to place again, the same objective.
    const Solution again = SolveWelfareFrom(inst, s);
    EXPECT_EQ(again.augmentations, 0);
    EXPECT_EQ(again.total_weight, s.total_weight);
    EXPECT_EQ(again.matched, s.matched);
  }
}

// Cost scaling on scored organizations (the instances it is chosen for): it finishes on its own
// (no price war, no fallback), and its answer equals the shortest augmenting path solver's with
// a valid certificate; with one place per mentor, many mentees stay unmatched.
TEST(SolveWelfare, CostScalingOnOrganizations) {
  SolveOptions scaling;
  scaling.welfare_method = WelfareMethod::kCostScaling;
  SolveOptions paths;
  paths.welfare_method = WelfareMethod::kShortestPaths;
  for (int capacity : {1, 3}) {
    SCOPED_TRACE(testing::Message() << "capacity " << capacity);
    auto people = Organization(2500, 500, 11);
    for (Person& p : people) {
      if (p.mentor_capacity > 0) p.mentor_capacity = capacity;
    }
    const Scorer scorer(people, DefaultConfig(Model::kTraditional));
    const Instance full = *scorer.BuildInstance();
    const Solution s = SolveWelfare(full, scaling);
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    EXPECT_GT(s.pushes, 0);
    const Solution p = SolveWelfare(full, paths);
    EXPECT_EQ(s.matched, p.matched);
    EXPECT_EQ(s.total_weight, p.total_weight);
    if (capacity == 1) {
      EXPECT_LT(s.matched, full.num_mentees);
    }
    const Status check = CheckWelfareCertificate(full, s);
    EXPECT_TRUE(check.ok()) << check.message();
  }
}

// A warm start that must place again many mentees of a large instance goes to cost scaling
// (then the exact warm finish): the same optimum as the paths, certified.
TEST(SolveWelfareFrom, ManyUncoveredMenteesOfALargeInstance) {
  auto people = Organization(2500, 500, 12);
  for (Person& p : people) {
    if (p.mentor_capacity > 0) p.mentor_capacity = 2;
  }
  const Scorer scorer(people, DefaultConfig(Model::kTraditional));
  const Instance full = *scorer.BuildInstance();
  ASSERT_GE(full.num_mentees, 2000);
  // The start: an optimum of each mentee's two best edges.
  Instance part = full;
  part.edges.clear();
  std::vector<std::vector<Edge>> rows(static_cast<size_t>(full.num_mentees));
  for (const Edge& e : full.edges) rows[static_cast<size_t>(e.mentee)].push_back(e);
  for (auto& row : rows) {
    std::sort(row.begin(), row.end(), [](const Edge& x, const Edge& y) {
      return x.weight != y.weight ? x.weight > y.weight : x.mentor < y.mentor;
    });
    for (size_t q = 0; q < std::min<size_t>(2, row.size()); ++q) part.edges.push_back(row[q]);
  }
  std::sort(part.edges.begin(), part.edges.end(), [](const Edge& x, const Edge& y) {
    return x.mentee != y.mentee ? x.mentee < y.mentee : x.mentor < y.mentor;
  });
  SolveOptions paths;
  paths.welfare_method = WelfareMethod::kShortestPaths;
  const Solution start = SolveWelfare(part, paths);
  ASSERT_EQ(start.status, SolveStatus::kOptimal);
  ASSERT_GT(Uncovered(full, start) * 20, full.num_mentees);
  const Solution warm = SolveWelfareFrom(full, start);
  ASSERT_EQ(warm.status, SolveStatus::kOptimal);
  EXPECT_GT(warm.pushes, 0);  // solved by cost scaling, not by one search per mentee
  const Solution cold = SolveWelfare(full, paths);
  EXPECT_EQ(warm.matched, cold.matched);
  EXPECT_EQ(warm.total_weight, cold.total_weight);
  const Status check = CheckWelfareCertificate(full, warm);
  EXPECT_TRUE(check.ok()) << check.message();
}

// Stable on the candidate path: the same assignment as SolveStable on the full instance (the
// mentee-optimal stable matching is unique), no blocking pair in the full instance, and a
// candidate graph of the K best and the match. One place per mentor and short lists force
// extensions, and rows the check must scan.
TEST(SolveStableAtScale, EqualsDenseStable) {
  for (const auto& [capacity, k] :
       {std::pair{1, 1}, std::pair{1, 4}, std::pair{3, 2}, std::pair{0, 48}}) {
    SCOPED_TRACE(testing::Message() << "capacity " << capacity << " k " << k);
    // Twins: ties between equal weights are broken by index, on both sides.
    auto people = WithTwins(Organization(1500, 300, 21), 200, 40);
    if (capacity > 0) {
      for (Person& p : people) {
        if (p.mentor_capacity > 0) p.mentor_capacity = capacity;
      }
    }
    CloseMentors(people, 10);
    for (const MatchConfig& config :
         {DefaultConfig(Model::kTraditional), DefaultConfig(Model::kSkillBased)}) {
      ScaleOptions options;
      options.k = k;
      auto result = SolveStableAtScale(people, config, options);
      ASSERT_TRUE(result.ok()) << result.status().message();
      const Scorer scorer(people, config);
      const Instance full = *scorer.BuildInstance();
      const Solution dense = SolveStable(full);
      EXPECT_EQ(result->solution.mentor_of, dense.mentor_of);
      EXPECT_EQ(result->solution.matched, dense.matched);
      EXPECT_EQ(result->solution.total_weight, dense.total_weight);
      EXPECT_TRUE(result->solution.blocking_pairs.empty());
      EXPECT_TRUE(FindBlockingPairs(full, result->solution.mentor_of).empty());
      EXPECT_LT(result->candidates.edges.size(), full.edges.size());
      if (capacity == 1 && k == 1) {
        EXPECT_GT(result->rows_extended, 0);
        EXPECT_GT(result->rows_checked, 0);
      }
    }
  }
}

// The check at scale against FindBlockingPairs on the full instance: for the stable matching,
// and for matchings with faults (mentees left unmatched, mentors swapped between two mentees,
// a mentee moved to another eligible mentor, which may go over its capacity); with the K best
// lists and without them.
// For FindBlockingPairsAtScale.EqualsTheCheckOnTheFullInstance: `twins` mentees at the end are
// copies of earlier ones; one more matching gives each matched original's mentor to its twin and
// the twin's place (or none) to the original, whose mentor then prefers the original on the tie.
void ExpectTheCheckAtScaleFindsTheBlockingPairs(const std::vector<Person>& people,
                                                const MatchConfig& config, int twins) {
  SCOPED_TRACE(testing::Message() << "model " << ModelName(config.model) << ", " << twins
                                  << " twins");
  ScaleOptions options;
  options.k = 4;
  const auto stable = SolveStableAtScale(people, config, options);
  ASSERT_TRUE(stable.ok()) << stable.status().message();
  const Scorer scorer(people, config);
  const Instance full = *scorer.BuildInstance();
  const CandidateScorer fast(people, config);
  const auto lists = fast.Best(options.k, 2);
  ASSERT_TRUE(lists.has_value());
  std::vector<std::vector<std::int32_t>> eligible(static_cast<size_t>(full.num_mentees));
  for (const Edge& e : full.edges) eligible[static_cast<size_t>(e.mentee)].push_back(e.mentor);
  std::map<std::string, size_t> mentee_of_id;
  for (size_t i = 0; i < fast.mentee_labels().size(); ++i)
    mentee_of_id[fast.mentee_labels()[i]] = i;
  std::mt19937 random(9);
  size_t found = 0;
  // faults < 0: the twins' swap.
  for (int faults = twins > 0 ? -1 : 0; faults < 12; faults += faults < 0 ? 1 : 2) {
    auto mentor_of = stable->solution.mentor_of;
    size_t swapped = 0;
    for (const auto& [id, twin] : mentee_of_id) {
      const auto original = mentee_of_id.find(id.substr(0, id.size() - 5));
      if (faults >= 0 || !id.ends_with("-twin") || original == mentee_of_id.end()) continue;
      if (mentor_of[original->second] < 0) continue;
      std::swap(mentor_of[original->second], mentor_of[twin]);
      ++swapped;
    }
    for (int f = 0; f < faults; ++f) {
      const auto i = static_cast<size_t>(random() % mentor_of.size());
      const auto other = static_cast<size_t>(random() % mentor_of.size());
      switch (random() % 3) {
        case 0:
          mentor_of[i] = -1;
          break;
        case 1:
          std::swap(mentor_of[i], mentor_of[other]);
          break;
        default:
          if (!eligible[i].empty()) mentor_of[i] = eligible[i][random() % eligible[i].size()];
      }
    }
    const auto expect = FindBlockingPairs(full, mentor_of);
    std::int64_t checked = 0;
    std::int64_t scanned = 0;
    const auto with_lists =
        FindBlockingPairsAtScale(fast, mentor_of, &*lists, 2, &checked, &scanned);
    const auto without = FindBlockingPairsAtScale(fast, mentor_of, nullptr, 2);
    ASSERT_TRUE(with_lists.has_value() && without.has_value());
    EXPECT_EQ(*with_lists, expect) << faults << " faults";
    EXPECT_EQ(*without, expect) << faults << " faults";
    EXPECT_GT(scanned, 0);
    EXPECT_GT(checked, 0);
    if (faults == 0) {
      EXPECT_TRUE(expect.empty());
    }
    if (faults < 0) {
      // Each swap lets the original block with its old mentor on the tie alone.
      EXPECT_GT(swapped, 20U);
      EXPECT_GE(expect.size(), swapped);
    }
    found += expect.size();
  }
  EXPECT_GT(found, 0U);
}

TEST(FindBlockingPairsAtScale, EqualsTheCheckOnTheFullInstance) {
  for (const auto& [twins, capacity] : {std::pair{0, 2}, std::pair{250, 1}}) {
    auto people = WithTwins(Organization(1200, 300, 23), twins, twins / 5);
    for (Person& p : people) {
      if (p.mentor_capacity > 0) p.mentor_capacity = capacity;
    }
    CloseMentors(people, 10);
    for (const MatchConfig& config :
         {DefaultConfig(Model::kTraditional), DefaultConfig(Model::kSkillBased)}) {
      ExpectTheCheckAtScaleFindsTheBlockingPairs(people, config, twins);
    }
  }
}

TEST(SolveStableAtScale, CancelsAndRejectsBadOptions) {
  const auto people = Organization(400, 80, 4);
  ScaleOptions bad;
  bad.k = 0;
  EXPECT_EQ(SolveStableAtScale(people, DefaultConfig(Model::kTraditional), bad).status().code(),
            StatusCode::kInvalidArgument);
  std::atomic<bool> cancel{true};
  ScaleOptions options;
  options.cancel = &cancel;
  EXPECT_EQ(SolveStableAtScale(people, DefaultConfig(Model::kTraditional), options).status().code(),
            StatusCode::kCancelled);
}

TEST(CandidateScorer, WeightsEqualScorerAndBoundsHold) {
  for (const auto& people :
       {Organization(700, 200, 7), WithEdgeCases(Organization(700, 200, 8), false),
        WithEdgeCases(Organization(700, 400, 9), true)})
    for (const MatchConfig& config : Configs(people)) {
      const Scorer scorer(people, config);
      const CandidateScorer fast(people, config);
      ASSERT_EQ(scorer.mentees(), fast.mentees());
      ASSERT_EQ(scorer.mentors(), fast.mentors());
      const Instance full = *scorer.BuildInstance();
      const auto table = FullTable(full);
      std::int64_t eligible = 0;
      for (std::int32_t i = 0; i < fast.num_mentees(); ++i) {
        for (std::int32_t j = 0; j < fast.num_mentors(); ++j) {
          const Weight want =
              table[static_cast<size_t>(i) * static_cast<size_t>(full.num_mentors()) +
                    static_cast<size_t>(j)];
          const Weight got = fast.PairWeight(i, j);
          ASSERT_EQ(got, want) << "model " << ModelName(config.model) << " pair " << i << ", " << j;
          const Weight bound = fast.WeightBound(i, j);
          if (got >= 0) {
            ++eligible;
            ASSERT_GE(bound, got) << "pair " << i << ", " << j;
          }
        }
      }
      EXPECT_GT(eligible, 0);
    }
}

// NextAbove against the sorted full rows, after the k-th pair: with no limits and no end; with
// random limits (none, a free place, a weight) and an end a few pairs further on; and with limits
// at the exact weights of the next pairs (those left out) or one below (those kept). In the
// portable build and the native one.
void ExpectNextAboveFollowsTheRows(
    const std::vector<Person>& people, const MatchConfig& config,
    const std::vector<std::vector<std::pair<Weight, std::int32_t>>>& rows, int k) {
  for (const char* build : {"portable", ""}) {
    SCOPED_TRACE(testing::Message() << "build '" << build << "'");
    const auto scorer_build = ScorerOfBuild(build, people, config);
    const CandidateScorer& fast = *scorer_build;
    std::mt19937 random(5);
    std::vector<Weight> none(static_cast<size_t>(fast.num_mentors()), -1);
    std::vector<Weight> some(none.size());
    for (Weight& l : some) {
      const auto r = random() % 4;
      l = r == 0   ? -1
          : r == 1 ? std::numeric_limits<Weight>::max()
                   : static_cast<Weight>(random() % static_cast<unsigned>(kScoreScale));
    }
    std::int64_t exact = 0;
    std::int64_t nonempty = 0;
    for (std::int32_t i = 0; i < fast.num_mentees(); i += 7) {
      const auto& row = rows[static_cast<size_t>(i)];
      if (row.size() <= static_cast<size_t>(k)) continue;
      const auto [w, j] = row[static_cast<size_t>(k) - 1];
      const auto end = std::min(row.size() - 1, static_cast<size_t>(k) + 12);
      // Limits at a pair's exact weight (left out) and one below it (kept).
      std::vector<Weight> tight = none;
      for (size_t q = static_cast<size_t>(k); q < std::min(end, static_cast<size_t>(k) + 3); ++q) {
        tight[static_cast<size_t>(row[q].second)] = row[q].first - (q % 2 == 0 ? 0 : 1);
      }
      for (const int variant : {0, 1, 2}) {
        const auto& limit = variant == 0 ? none : variant == 1 ? some : tight;
        const CandidateScorer::Place until =
            variant > 0 ? CandidateScorer::Place{row[end].first, row[end].second}
                        : CandidateScorer::Place{-1, -1};
        std::vector<std::pair<Weight, std::int32_t>> expect;
        for (size_t q = static_cast<size_t>(k); q < (variant > 0 ? end : row.size()); ++q) {
          if (row[q].first > limit[static_cast<size_t>(row[q].second)] && expect.size() < 5) {
            expect.push_back(row[q]);
          }
        }
        const auto next = fast.NextAbove(i, {w, j}, until, limit, 5, &exact);
        EXPECT_EQ(next, expect) << "mentee " << i << ", limits " << variant;
        nonempty += static_cast<std::int64_t>(!next.empty());
      }
    }
    EXPECT_GT(nonempty, 0);
    EXPECT_GT(exact, 0);
  }
}

// Best(k) against the sorted rows of the full instance, for k = 1, 4, 40, and NextAbove after
// the 4th.
void ExpectBestIsTheKBest(const std::vector<Person>& people, const MatchConfig& config) {
  SCOPED_TRACE(testing::Message() << "model " << ModelName(config.model));
  const Scorer scorer(people, config);
  const CandidateScorer fast(people, config);
  const Instance full = *scorer.BuildInstance();
  for (int k : {1, 4, 40}) {
    const auto lists = fast.Best(k, 2);
    ASSERT_TRUE(lists.has_value());
    std::vector<std::vector<std::pair<Weight, std::int32_t>>> rows(
        static_cast<size_t>(full.num_mentees));
    for (const Edge& e : full.edges)
      rows[static_cast<size_t>(e.mentee)].emplace_back(e.weight, e.mentor);
    for (std::int32_t i = 0; i < full.num_mentees; ++i) {
      auto& row = rows[static_cast<size_t>(i)];
      std::sort(row.begin(), row.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      const size_t kept = std::min(row.size(), static_cast<size_t>(k));
      const auto b = static_cast<size_t>(lists->start[static_cast<size_t>(i)]);
      ASSERT_EQ(static_cast<size_t>(lists->start[static_cast<size_t>(i) + 1]) - b, kept);
      for (size_t q = 0; q < kept; ++q) {
        EXPECT_EQ(lists->mentor[b + q], row[q].second) << "mentee " << i << " rank " << q;
        EXPECT_EQ(lists->weight[b + q], row[q].first);
      }
      EXPECT_EQ(lists->complete[static_cast<size_t>(i)] != 0, row.size() < static_cast<size_t>(k));
    }
    // Pass 2 scores a pair at most once, a rescan every pair of its row at most once more.
    EXPECT_LE(lists->pairs_exact,
              lists->pairs_bounded + lists->rows_rescanned * full.num_mentors());
    if (k == 4) ExpectNextAboveFollowsTheRows(people, config, rows, k);
  }
}

TEST(CandidateScorer, BestKEqualsTheKBestOfTheFullInstance) {
  for (const auto& people :
       {Organization(600, 150, 11), WithEdgeCases(Organization(600, 150, 12), false),
        WithEdgeCases(Organization(700, 400, 13), true)}) {
    for (const MatchConfig& config : Configs(people)) ExpectBestIsTheKBest(people, config);
  }
}

// The shortlist's floor follows the k-th largest bound as the list is cut (by sorting in the
// portable build, bit by bit in the AVX-512 one). Where the bound is as tight as on generated
// profiles, a row whose k best fell out of its list is scanned a second time: hardly any is (one
// of 2,000 here; a list cut too high rescans nearly all), in either build, and both keep the
// same lists.
TEST(CandidateScorer, ShortlistsKeepTheKBestWithoutASecondScan) {
  const auto people = Organization(2000, 800, 41);
  const MatchConfig config = DefaultConfig(Model::kTraditional);
  std::vector<CandidateLists> kept;
  for (const char* build : {"portable", ""}) {
    SCOPED_TRACE(testing::Message() << "build '" << build << "'");
    const auto scorer_build = ScorerOfBuild(build, people, config);
    const CandidateScorer& scorer = *scorer_build;
    for (int k : {4, 16}) {
      auto lists = scorer.Best(k, 2);
      ASSERT_TRUE(lists.has_value());
      EXPECT_LE(lists->rows_rescanned, scorer.num_mentees() / 200) << "k " << k;
      kept.push_back(std::move(*lists));
    }
  }
  for (size_t e = 0; e < 2; ++e) {
    EXPECT_EQ(kept[e].mentor, kept[e + 2].mentor);
    EXPECT_EQ(kept[e].weight, kept[e + 2].weight);
  }
}

// A block of alike mentors whose UTC offsets (300, 600 and 900 minutes) straddle the mentee's
// (600, written two days ahead): the block holds mentors in the mentee's zone, so the time zone
// rule must not skip it although its first and last mentors are 5 hours away.
TEST(CandidateScorer, TimeZoneRuleSkipsNoBlockWithAMentorInRange) {
  auto people = Organization(80, 16, 31);
  int mentors = 0;
  for (Person& p : people) {
    if (p.mentor_capacity > 0) {
      p.utc_offset_minutes = 300 * (1 + mentors++ % 3);
    } else {
      p.utc_offset_minutes = 600 + 2 * 1440;
    }
  }
  ASSERT_GE(mentors, 3);
  MatchConfig config = DefaultConfig(Model::kTraditional);
  config.max_time_zone_difference_hours = 3;
  ExpectBestIsTheKBest(people, config);
}

void ExpectDenseOptimum(const std::vector<Person>& people, const MatchConfig& config, int k,
                        ScaleResult* out = nullptr) {
  ScaleOptions options;
  options.k = k;
  options.threads = 2;
  auto result = SolveWelfareAtScale(people, config, options);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const Scorer scorer(people, config);
  const Instance full = *scorer.BuildInstance();
  const Solution dense = SolveWelfare(full);
  EXPECT_EQ(result->solution.matched, dense.matched);
  EXPECT_EQ(result->solution.total_weight, dense.total_weight);
  EXPECT_TRUE(CheckWelfareCertificate(full, result->solution).ok());
  const Status check = CheckScaleCertificate(people, config, *result);
  EXPECT_TRUE(check.ok()) << check.message();
  if (out != nullptr) *out = std::move(*result);
}

// The three builds of the vector bound give the same lists, and their bounds hold: the portable
// one (machines without AVX-512), the same code compiled for AVX-512 ("compiled"), and the
// hand-written AVX-512 kernel (the default where the processor has AVX-512; elsewhere all three
// are the portable build).
void ExpectEveryBuildAgrees(const std::vector<Person>& people) {
  for (const MatchConfig& config : Configs(people)) {
    SCOPED_TRACE(testing::Message()
                 << "model " << ModelName(config.model) << ", " << people.size() << " people");
    const auto made = [&](const char* build) { return ScorerOfBuild(build, people, config); };
    const auto portable_build = made("portable");
    const auto compiled_build = made("compiled");
    const auto native_build = made("");
    const CandidateScorer& portable = *portable_build;
    const CandidateScorer& compiled = *compiled_build;
    const CandidateScorer& native = *native_build;
    for (std::int32_t i = 0; i < portable.num_mentees(); ++i) {
      for (std::int32_t j = 0; j < portable.num_mentors(); ++j) {
        const Weight w = portable.PairWeight(i, j);
        const Weight bound = portable.WeightBound(i, j);
        if (w >= 0) {
          ASSERT_GE(bound, w) << "pair " << i << ", " << j;
        }
        // The builds exclude the same pairs and agree to far inside the bound's margin.
        for (const CandidateScorer* other : {&compiled, &native}) {
          const Weight b = other->WeightBound(i, j);
          ASSERT_EQ(bound < 0, b < 0) << "pair " << i << ", " << j;
          EXPECT_NEAR(static_cast<double>(bound), static_cast<double>(b), 2.0)
              << "pair " << i << ", " << j;
        }
      }
    }
    for (int k : {1, 8}) {
      const auto a = portable.Best(k, 2);
      for (const CandidateScorer* other : {&compiled, &native}) {
        const auto b = other->Best(k, 1);
        ASSERT_TRUE(a.has_value() && b.has_value());
        EXPECT_EQ(a->start, b->start);
        EXPECT_EQ(a->mentor, b->mentor);
        EXPECT_EQ(a->weight, b->weight);
        // The same pairs past the cheap rules and in skipped blocks: the blocks' own path and
        // the skip tests agree too (a block skipped wrongly or computed needlessly shows here).
        EXPECT_EQ(a->pairs_bounded, b->pairs_bounded);
        EXPECT_EQ(a->pairs_skipped, b->pairs_skipped);
      }
    }
  }
}

TEST(CandidateScorer, EveryBuildOfTheBoundGivesTheSameLists) {
  for (const auto& people : {WithEdgeCases(Organization(500, 150, 21), false),
                             WithEdgeCases(Organization(400, 150, 23), true)}) {
    ExpectEveryBuildAgrees(people);
  }
}

TEST(SolveWelfareAtScale, PricedAnswerIsTheDenseOptimum) {
  for (std::uint64_t seed : {1, 2}) {
    const auto people = Organization(2000, 300, seed);
    for (int k : {3, 5}) {
      SCOPED_TRACE(testing::Message() << "seed " << seed << " k " << k);
      ExpectDenseOptimum(people, DefaultConfig(Model::kTraditional), k);
    }
    ExpectDenseOptimum(people, DefaultConfig(Model::kSkillBased), 4);
  }
}

TEST(SolveWelfareAtScale, AddsPrunedPairsUnderCompetition) {
  // One place per mentor and one candidate per mentee: mentees crowd the same top mentors, and
  // the optimum needs pairs outside every candidate list.
  auto people = Organization(2000, 300, 3);
  for (Person& p : people) {
    if (p.mentor_capacity > 0) p.mentor_capacity = 1;
  }
  ScaleResult result;
  ExpectDenseOptimum(people, DefaultConfig(Model::kTraditional), 1, &result);
  EXPECT_GT(result.pairs_added, 0);
  EXPECT_GT(result.rounds, 1);
  EXPECT_GT(result.pairs_priced, 0);
  // Rounds after the first are warm: together they place far fewer mentees than a cold solve.
  const auto n = static_cast<std::int64_t>(result.solution.mentor_of.size());
  EXPECT_LT(result.augmentations, n + n / 2) << result.rounds << " rounds";
}

TEST(SolveWelfareAtScale, IncrementalPricingMissesNoPair) {
  // Many rounds: short lists and few places make every solve move prices, so later passes check
  // rows by their slack; each answer must still be the dense optimum.
  int many_rounds = 0;
  for (std::uint64_t seed : {11, 12, 13, 14}) {
    auto people = Organization(1200, 200, seed);
    for (Person& p : people) {
      if (p.mentor_capacity > 0) p.mentor_capacity = 1 + static_cast<int>(seed % 2);
    }
    for (int k : {1, 2}) {
      SCOPED_TRACE(testing::Message() << "seed " << seed << " k " << k);
      ScaleResult result;
      ExpectDenseOptimum(
          people, DefaultConfig(seed % 2 == 0 ? Model::kTraditional : Model::kVirtual), k, &result);
      if (result.rounds >= 4) ++many_rounds;
    }
  }
  EXPECT_GE(many_rounds, 4);
}

// Also for every build: pricing's vector paths (the skip masks and the tile test against the
// limits) have a portable counterpart that machines without AVX-512 run.
TEST(SolveWelfareAtScale, PricingSkipsOnlyBlocksARuleExcludes) {
  // Enough mentors that each of the pricing layout's price buckets holds whole blocks of 16,
  // which full scans skip when a hard rule excludes all of them (a time-zone limit and required
  // languages exclude many); short lists and one place each make pricing add pairs.
  auto people = Organization(1500, 1200, 21);
  for (Person& p : people) {
    if (p.mentor_capacity > 0) p.mentor_capacity = 1;
  }
  MatchConfig config = DefaultConfig(Model::kTraditional);
  config.max_time_zone_difference_hours = 4;
  config.require_shared_language = true;
  for (const char* build : {"portable", "compiled", ""}) {
    SCOPED_TRACE(testing::Message() << "build '" << build << "'");
    const ScopedBuild chosen(build);
    ScaleResult result;
    ExpectDenseOptimum(people, config, 2, &result);
    EXPECT_GT(result.pairs_added, 0);
    EXPECT_GE(result.rounds, 3);
  }
}

TEST(SolveWelfareAtScale, SameAnswerForAnyThreadCount) {
  const auto people = Organization(1500, 250, 5);
  const MatchConfig config = DefaultConfig(Model::kVirtual);
  std::vector<ScaleResult> results;
  for (int threads : {1, 2, 3}) {
    ScaleOptions options;
    options.k = 2;
    options.threads = threads;
    auto r = SolveWelfareAtScale(people, config, options);
    ASSERT_TRUE(r.ok());
    results.push_back(std::move(*r));
  }
  for (size_t t = 1; t < results.size(); ++t) {
    EXPECT_EQ(results[t].solution.mentor_of, results[0].solution.mentor_of);
    EXPECT_EQ(results[t].solution.mentee_price, results[0].solution.mentee_price);
    EXPECT_EQ(results[t].candidates.edges.size(), results[0].candidates.edges.size());
    EXPECT_EQ(results[t].pairs_added, results[0].pairs_added);
    EXPECT_EQ(results[t].rounds, results[0].rounds);
  }
}

TEST(SolveWelfareAtScale, Cancels) {
  const auto people = Organization(1000, 200, 9);
  std::atomic<bool> cancel{true};
  ScaleOptions options;
  options.cancel = &cancel;
  auto r = SolveWelfareAtScale(people, DefaultConfig(Model::kTraditional), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  // Raised midway, from the progress callback.
  std::atomic<bool> later{false};
  options.cancel = &later;
  options.progress = [&](const char*, double fraction) {
    if (fraction > 0.3) later = true;
  };
  r = SolveWelfareAtScale(people, DefaultConfig(Model::kTraditional), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
}

TEST(SolveWelfareAtScale, RejectsBadOptions) {
  const auto people = Organization(50, 10, 1);
  ScaleOptions options;
  options.k = 0;
  EXPECT_FALSE(SolveWelfareAtScale(people, DefaultConfig(Model::kTraditional), options).ok());
}

}  // namespace
}  // namespace tandem::matching
