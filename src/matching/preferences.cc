#include "matching/preferences.h"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <unordered_map>

#include "matching/graph.h"

namespace tandem::matching::internal {
namespace {

constexpr std::int32_t kUnranked = -1;

// rank[owner] maps partner -> position, for explicit rankings.
std::vector<std::unordered_map<std::int32_t, std::int32_t>> RankMaps(
    const std::vector<std::vector<std::int32_t>>& ranking) {
  std::vector<std::unordered_map<std::int32_t, std::int32_t>> maps(ranking.size());
  for (size_t o = 0; o < ranking.size(); ++o) {
    maps[o].reserve(ranking[o].size());
    for (size_t p = 0; p < ranking[o].size(); ++p) {
      maps[o].emplace(ranking[o][p], static_cast<std::int32_t>(p));
    }
  }
  return maps;
}

std::int32_t Lookup(const std::vector<std::unordered_map<std::int32_t, std::int32_t>>& maps,
                    std::int32_t owner, std::int32_t partner) {
  const auto& map = maps[static_cast<size_t>(owner)];
  const auto it = map.find(partner);
  return it == map.end() ? kUnranked : it->second;
}

}  // namespace

Preferences BuildPreferences(const Instance& instance) {
  const MenteeRows rows = BuildMenteeRows(instance);
  const auto n = static_cast<size_t>(instance.num_mentees);
  const auto m = static_cast<size_t>(instance.num_mentors());
  const auto mentee_maps = RankMaps(instance.mentee_ranking);
  const auto mentor_maps = RankMaps(instance.mentor_ranking);
  const bool explicit_mentee = !instance.mentee_ranking.empty();
  const bool explicit_mentor = !instance.mentor_ranking.empty();

  struct Entry {
    std::int32_t key;  // the mentee's rank of the mentor (explicit rankings) or 0
    std::int32_t mentor;
    std::int32_t mentor_rank;
    Weight weight;
  };
  // Acceptable pairs, grouped by mentee (rows order).
  std::vector<Entry> entries;
  entries.reserve(rows.mentor.size());
  std::vector<std::int64_t> start(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    for (auto k = static_cast<size_t>(rows.start[i]); k < static_cast<size_t>(rows.start[i + 1]);
         ++k) {
      const std::int32_t j = rows.mentor[k];
      std::int32_t key = 0;
      if (explicit_mentee) {
        key = Lookup(mentee_maps, static_cast<std::int32_t>(i), j);
        if (key == kUnranked) continue;
      }
      std::int32_t mentor_rank = 0;
      if (explicit_mentor) {
        mentor_rank = Lookup(mentor_maps, j, static_cast<std::int32_t>(i));
        if (mentor_rank == kUnranked) continue;
      }
      entries.push_back({key, j, mentor_rank, rows.weight[k]});
    }
    start[i + 1] = static_cast<std::int64_t>(entries.size());
  }
  if (!explicit_mentor) {
    // Induced mentor ranks: each mentor orders its acceptable mentees by weight, then index.
    std::vector<std::int64_t> bucket(m + 1, 0);
    for (const Entry& e : entries) ++bucket[static_cast<size_t>(e.mentor) + 1];
    std::partial_sum(bucket.begin(), bucket.end(), bucket.begin());
    std::vector<std::int64_t> fill(bucket.begin(), bucket.end() - 1);
    // (-weight, mentee, entry index), grouped by mentor.
    std::vector<std::tuple<Weight, std::int32_t, std::int64_t>> by_mentor(entries.size());
    for (size_t i = 0; i < n; ++i) {
      for (auto k = start[i]; k < start[i + 1]; ++k) {
        const Entry& e = entries[static_cast<size_t>(k)];
        by_mentor[static_cast<size_t>(fill[static_cast<size_t>(e.mentor)]++)] = {
            -e.weight, static_cast<std::int32_t>(i), k};
      }
    }
    for (size_t j = 0; j < m; ++j) {
      const auto b = by_mentor.begin() + bucket[j];
      const auto e = by_mentor.begin() + bucket[j + 1];
      std::sort(b, e);
      for (auto it = b; it != e; ++it) {
        entries[static_cast<size_t>(std::get<2>(*it))].mentor_rank =
            static_cast<std::int32_t>(it - b);
      }
    }
  }
  Preferences prefs;
  prefs.start = std::move(start);
  for (size_t i = 0; i < n; ++i) {
    const auto b = entries.begin() + prefs.start[i];
    const auto e = entries.begin() + prefs.start[i + 1];
    if (explicit_mentee) {
      std::sort(b, e, [](const Entry& x, const Entry& y) { return x.key < y.key; });
    } else {
      std::sort(b, e, [](const Entry& x, const Entry& y) {
        return std::tie(y.weight, x.mentor) < std::tie(x.weight, y.mentor);
      });
    }
  }
  prefs.mentor.reserve(entries.size());
  prefs.mentor_rank_of_mentee.reserve(entries.size());
  prefs.weight.reserve(entries.size());
  for (const Entry& e : entries) {
    prefs.mentor.push_back(e.mentor);
    prefs.mentor_rank_of_mentee.push_back(e.mentor_rank);
    prefs.weight.push_back(e.weight);
  }
  return prefs;
}

}  // namespace tandem::matching::internal
