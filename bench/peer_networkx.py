#!/usr/bin/python3
"""Times networkx.max_weight_matching on a graph written by peer_benchmark --write FILE.

    build/release/bench/peer_benchmark --people 2000 --write peer2000.txt
    /usr/bin/python3 bench/peer_networkx.py peer2000.txt [--plain]

Prints the seconds, the number of pairs and the total weight (compare with peer_benchmark's
table for the same --people/--seed). Default maxcardinality=True (most pairs, then weight).
"""
import argparse
import time

import networkx as nx


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("graph")
    parser.add_argument("--plain", action="store_true", help="maxcardinality=False")
    args = parser.parse_args()
    g = nx.Graph()
    with open(args.graph) as f:
        n, _ = map(int, f.readline().split())
        g.add_nodes_from(range(n))
        for line in f:
            a, b, w = map(int, line.split())
            g.add_edge(a, b, weight=w)
    start = time.perf_counter()
    m = nx.max_weight_matching(g, maxcardinality=not args.plain)
    secs = time.perf_counter() - start
    total = sum(g[a][b]["weight"] for a, b in m)
    print(f"networkx {nx.__version__} max_weight_matching(maxcardinality={not args.plain}): "
          f"{secs:.2f} s, {len(m)} pairs, total weight {total}")


if __name__ == "__main__":
    main()
