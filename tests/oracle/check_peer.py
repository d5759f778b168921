#!/usr/bin/python3
"""Checks Tandem's peer solvers (tests/peer/peer_oracle_driver) against networkx.

- most pairs, then most weight: networkx.max_weight_matching(G, maxcardinality=True) on random
  general graphs; the number of pairs and the total weight must be equal (the pairs themselves
  may differ when there are ties) and Tandem's dual certificate must check;
- plain maximum weight: networkx.max_weight_matching(G, maxcardinality=False);
- stable roommates: on small instances every matching is enumerated here; a stable matching
  must be reported exactly when one exists, have no blocking pair (recomputed here), and
  otherwise the fallback must be a most-pairs-then-weight matching (networkx) over the
  acceptable pairs.

Run with Debian's python3 (python3-networkx):
    /usr/bin/python3 tests/oracle/check_peer.py --driver build/dev/tests/peer/peer_oracle_driver
Prints one line per failure and closes with "N passed, N failed".
"""
import argparse
import random
import subprocess
import sys

import networkx as nx


def random_graph(rng, n, density, max_w):
    edges = []
    for a in range(n):
        for b in range(a + 1, n):
            if rng.random() < density:
                edges.append((a, b, rng.randint(0, max_w)) if rng.random() < 0.5
                             else (b, a, rng.randint(0, max_w)))
    rng.shuffle(edges)
    return edges


def run_driver(driver, cases):
    """cases: list of (mode, n, edges, ranking or None). Returns [(fields, partner)]."""
    lines = [str(len(cases))]
    for mode, n, edges, ranking in cases:
        lines.append(f"{mode} {n} {len(edges)}")
        lines.extend(f"{a} {b} {w}" for a, b, w in edges)
        if ranking is not None:
            lines.extend(" ".join(str(x) for x in [len(r)] + r) for r in ranking)
    out = subprocess.run([driver], input="\n".join(lines) + "\n", capture_output=True, text=True,
                         check=True).stdout.split("\n")
    results = []
    for i in range(len(cases)):
        f = out[2 * i].split()
        partner = [int(x) for x in out[2 * i + 1].split()]
        results.append(((f[0], int(f[1]), int(f[2]), f[3] == "1", f[4] == "1", int(f[5])),
                        partner))
    return results


def nx_matching(n, edges, maxcardinality):
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for a, b, w in edges:
        g.add_edge(a, b, weight=w)
    m = nx.max_weight_matching(g, maxcardinality=maxcardinality)
    return len(m), sum(g[a][b]["weight"] for a, b in m)


def preferences(n, edges, ranking):
    """Acceptable partners per person, best first (as peer.h defines them)."""
    if ranking is None:
        lists = [[] for _ in range(n)]
        for a, b, w in edges:
            lists[a].append((-w, b))
            lists[b].append((-w, a))
        return [[p for _, p in sorted(lst)] for lst in lists]
    pairs = {frozenset((a, b)) for a, b, _ in edges}
    return [[y for y in ranking[x] if frozenset((x, y)) in pairs and x in ranking[y]]
            for x in range(n)]


def blocking_pairs(prefs, partner):
    rank = [{p: i for i, p in enumerate(lst)} for lst in prefs]
    out = []
    for a in range(len(prefs)):
        for b in prefs[a]:
            if a >= b or partner[a] == b:
                continue

            def wants(x, y):
                p = partner[x]
                return p < 0 or p not in rank[x] or rank[x][y] < rank[x][p]
            if wants(a, b) and wants(b, a):
                out.append((a, b))
    return out


def stable_exists(prefs):
    n = len(prefs)
    partner = [-1] * n
    decided = [False] * n

    def rec(v):
        while v < n and decided[v]:
            v += 1
        if v == n:
            return not blocking_pairs(prefs, partner)
        decided[v] = True
        if rec(v + 1):
            return True
        for u in prefs[v]:
            if u > v and not decided[u]:
                decided[u] = True
                partner[v], partner[u] = u, v
                if rec(v + 1):
                    return True
                partner[v] = partner[u] = -1
                decided[u] = False
        decided[v] = False
        return False
    return rec(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--driver", required=True)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    passed = failed = 0

    def report(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    # Max-weight matchings against networkx.
    cases = []
    for i in range(300):
        n = rng.randint(1, 60)
        density = rng.choice([0.05, 0.1, 0.2, 0.4, 0.8])
        max_w = rng.choice([0, 1, 5, 100, 10**6])
        cases.append(("card" if i % 3 else "plain", n, random_graph(rng, n, density, max_w), None))
    for (mode, n, edges, _), (f, partner) in zip(cases, run_driver(args.driver, cases)):
        status, pairs, total, cert, _, _ = f
        want = nx_matching(n, edges, mode == "card")
        if mode == "plain":
            ok = status == "optimal" and cert and total == want[1]
        else:
            ok = status == "optimal" and cert and (pairs, total) == want
        report(ok, f"{mode} n={n} m={len(edges)}: tandem {(pairs, total)} cert={cert}, "
                   f"networkx {want}")

    # Stable roommates against enumeration (and the fallback against networkx).
    cases = []
    for i in range(200):
        n = rng.randint(2, 9)
        edges = random_graph(rng, n, rng.choice([0.4, 0.7, 1.0]), 8)
        ranking = None
        if i % 2:
            ranking = [[] for _ in range(n)]
            for a, b, _ in edges:
                if rng.random() < 0.85:
                    ranking[a].append(b)
                if rng.random() < 0.85:
                    ranking[b].append(a)
            for r in ranking:
                rng.shuffle(r)
        cases.append(("roommates" if ranking is None else "roommates-ranked", n, edges, ranking))
    for (mode, n, edges, ranking), (f, partner) in zip(cases, run_driver(args.driver, cases)):
        status, pairs, total, cert, stable, nblock = f
        prefs = preferences(n, edges, ranking)
        exists = stable_exists(prefs)
        blocks = blocking_pairs(prefs, partner)
        if exists:
            ok = status == "optimal" and stable and cert and not blocks and nblock == 0
        else:
            acceptable = [(a, b, w) for a, b, w in edges if b in prefs[a]]
            ok = (status == "optimal" and not stable and cert and nblock == len(blocks) and
                  (pairs, total) == nx_matching(n, acceptable, True))
        report(ok, f"{mode} n={n}: tandem stable={stable} blocking={nblock}, "
                   f"enumeration stable={exists} blocking={len(blocks)}")

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
