// Reads peer instances from stdin and prints Tandem's answers, for tests/oracle/check_peer.py.
//
// Input:  T, then T instances, each "mode n m", m lines "a b weight" and, for mode
//         "roommates-ranked", n lines "len p1 .. plen" (acceptable partners, best first).
//         mode: "card" (most pairs, then weight), "plain" (max weight), "roommates",
//         "roommates-ranked".
// Output: per instance one line "status (optimal / failed) pairs total certificate stable
// blocking", then one line
//         with the partner of every person (-1 unpaired). certificate: 1 when
//         CheckPeerCertificate (max-weight answers) or CheckPeerPairing (stable answers) passes.
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "matching/peer.h"

int main() {
  using tandem::matching::PeerInstance;
  using tandem::matching::PeerMethod;
  using tandem::matching::PeerOptions;
  using tandem::matching::PeerSolution;
  int count = 0;
  if (!(std::cin >> count)) return 2;
  for (int t = 0; t < count; ++t) {
    std::string mode;
    std::int32_t n = 0;
    std::int64_t m = 0;
    if (!(std::cin >> mode >> n >> m)) return 2;
    PeerInstance inst;
    inst.num_people = n;
    for (std::int64_t i = 0; i < m; ++i) {
      tandem::matching::PeerEdge e;
      std::cin >> e.a >> e.b >> e.weight;
      inst.edges.push_back(e);
    }
    if (mode == "roommates-ranked") {
      inst.ranking.resize(static_cast<size_t>(n));
      for (auto& list : inst.ranking) {
        int len = 0;
        std::cin >> len;
        list.resize(static_cast<size_t>(len));
        for (auto& p : list) std::cin >> p;
      }
    }
    PeerSolution s;
    bool certified = false;
    if (mode == "card" || mode == "plain") {
      PeerOptions options;
      options.max_cardinality_first = mode == "card";
      s = tandem::matching::SolveMaxWeightPeer(inst, {}, options);
      certified = tandem::matching::CheckPeerCertificate(inst, s).ok();
    } else {
      s = tandem::matching::SolveStableRoommates(inst);
      certified = s.method == PeerMethod::kStableRoommates
                      ? tandem::matching::CheckPeerPairing(inst, s).ok()
                      : tandem::matching::CheckPeerCertificate(
                            tandem::matching::AcceptablePeerPairs(inst), s)
                            .ok();
    }
    std::cout << (s.status == tandem::matching::SolveStatus::kOptimal ? "optimal" : "failed") << ' '
              << s.matched_pairs << ' ' << s.total_weight << ' ' << (certified ? 1 : 0) << ' '
              << (s.stable_exists ? 1 : 0) << ' ' << s.blocking_pairs.size() << '\n';
    for (std::int32_t v = 0; v < n; ++v) {
      std::cout << (v ? " " : "") << (s.partner.empty() ? -1 : s.partner[static_cast<size_t>(v)]);
    }
    std::cout << '\n';
  }
  return 0;
}
