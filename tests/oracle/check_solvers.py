#!/usr/bin/python3
"""Checks `tandem solve` against independent solvers on random instances.

- welfare on complete instances: scipy.optimize.linear_sum_assignment on the matrix with one
  column per mentor place (maximize); both give the most matches, then the most weight;
- welfare on sparse instances: networkx.max_weight_matching(maxcardinality=True) on the same
  expansion (Edmonds' blossom algorithm in a general graph);
- fair: the largest threshold keeping the maximum matching size (networkx), then the largest
  total above it (networkx);
- stable: blocking pairs recomputed here from the preferences, and the mentee-optimal
  property on tiny instances by enumeration.

Run with Debian's python3 (which has python3-scipy and python3-networkx):
    /usr/bin/python3 tests/oracle/check_solvers.py --tandem build/dev/apps/tandem
Prints one line per failure and closes with "N passed, N failed".
"""
import argparse
import itertools
import json
import random
import subprocess
import sys
import tempfile

import networkx as nx
import numpy as np
from scipy.optimize import linear_sum_assignment


def solve(tandem, instance, objective):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(instance, f)
        path = f.name
    out = subprocess.run([tandem, "solve", "--quiet", "--objective", objective, path],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"tandem solve failed ({out.returncode}): {out.stderr}")
    return json.loads(out.stdout)


def random_instance(rng, n, m, max_cap, density):
    caps = [rng.randint(0 if density < 1 else 1, max_cap) for _ in range(m)]
    weights = [[rng.randint(0, 1000) if rng.random() < density else None for _ in range(m)]
               for _ in range(n)]
    return {"mentees": n, "mentors": caps, "weights": weights}


def places(instance):
    return [(j, k) for j, c in enumerate(instance["mentors"]) for k in range(c)]


def scipy_welfare(instance):
    cols = places(instance)
    n = instance["mentees"]
    if n == 0 or not cols:
        return 0, 0
    w = np.array([[instance["weights"][i][j] for (j, _) in cols] for i in range(n)], dtype=float)
    rows, colidx = linear_sum_assignment(w, maximize=True)
    return len(rows), int(sum(w[r, c] for r, c in zip(rows, colidx)))


def nx_welfare(instance, min_weight=0):
    g = nx.Graph()
    n = instance["mentees"]
    for i in range(n):
        for (j, k) in places(instance):
            w = instance["weights"][i][j]
            if w is not None and w >= min_weight:
                # +1 so zero-weight pairs still count as edges worth taking.
                g.add_edge(("e", i), ("r", j, k), weight=w + 1)
    m = nx.max_weight_matching(g, maxcardinality=True)
    total = sum(g[a][b]["weight"] - 1 for a, b in m)
    return len(m), total


def nx_fair(instance):
    best, _ = nx_welfare(instance)
    values = sorted({w for row in instance["weights"] for w in row if w is not None})
    threshold = 0
    for t in values:
        if nx_welfare(instance, t)[0] == best:
            threshold = t
    if best == 0:
        return 0, 0, 0
    return best, threshold, nx_welfare(instance, threshold)[1]


def pref_key(instance, i, j):
    # Induced preferences: higher weight first, ties by lower index.
    return (-instance["weights"][i][j], j)


def blocking_pairs(instance, mentor_of):
    n, caps = instance["mentees"], instance["mentors"]
    held = {j: [i for i in range(n) if mentor_of[i] == j] for j in range(len(caps))}
    found = []
    for i in range(n):
        for j in range(len(caps)):
            w = instance["weights"][i][j]
            if w is None or mentor_of[i] == j:
                continue
            cur = mentor_of[i]
            if cur != -1 and pref_key(instance, i, cur) <= pref_key(instance, i, j):
                continue
            mentor_key = lambda a: (-instance["weights"][a][j], a)
            if caps[j] == 0:
                continue
            if len(held[j]) < caps[j] or any(mentor_key(i) < mentor_key(a) for a in held[j]):
                found.append((i, j))
    return found


def stable_assignments(instance):
    n, caps = instance["mentees"], instance["mentors"]
    options = [[-1] + [j for j in range(len(caps)) if instance["weights"][i][j] is not None]
               for i in range(n)]
    for a in itertools.product(*options):
        load = [0] * len(caps)
        ok = True
        for j in a:
            if j >= 0:
                load[j] += 1
                ok = ok and load[j] <= caps[j]
        if ok and not blocking_pairs(instance, list(a)):
            yield list(a)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tandem", required=True)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(12345)
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: {detail}")

    for r in range(args.rounds):
        # Complete instances against scipy.
        inst = random_instance(rng, rng.randint(1, 40), rng.randint(1, 12), 4, 1.0)
        got = solve(args.tandem, inst, "welfare")
        want = scipy_welfare(inst)
        check(f"scipy welfare round {r}", (got["matched"], got["total_weight"]) == want,
              f"tandem {(got['matched'], got['total_weight'])} scipy {want}")
        check(f"welfare certificate round {r}", got["certificate"]["checked"])
        # Sparse instances against networkx.
        inst = random_instance(rng, rng.randint(1, 25), rng.randint(1, 8), 3, rng.uniform(0.1, 0.6))
        got = solve(args.tandem, inst, "welfare")
        want = nx_welfare(inst)
        check(f"networkx welfare round {r}", (got["matched"], got["total_weight"]) == want,
              f"tandem {(got['matched'], got['total_weight'])} networkx {want}")
        got = solve(args.tandem, inst, "fair")
        want = nx_fair(inst)
        have = (got["matched"], got["min_weight"] if got["matched"] else 0, got["total_weight"])
        check(f"networkx fair round {r}", have == want, f"tandem {have} networkx {want}")
        got = solve(args.tandem, inst, "stable")
        check(f"stable round {r}", not blocking_pairs(inst, got["mentor_of"]),
              f"blocking pairs {blocking_pairs(inst, got['mentor_of'])}")
        # Tiny instances: mentee-optimal among all stable assignments.
        inst = random_instance(rng, rng.randint(1, 5), rng.randint(1, 3), 2, 0.7)
        got = solve(args.tandem, inst, "stable")
        mine = got["mentor_of"]
        worse = [a for a in stable_assignments(inst)
                 if any((a[i] != -1) and (mine[i] == -1 or pref_key(inst, i, a[i]) < pref_key(inst, i, mine[i]))
                        for i in range(inst["mentees"]))]
        check(f"stable mentee-optimal round {r}", not worse, f"a stable assignment {worse[:1]} is better for a mentee")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
