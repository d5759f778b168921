#!/usr/bin/env bash
# The engine benchmarks of docs/benchmarks.md, in one run on the same instances:
# scoring throughput, welfare / stable / fair on a scored 10,000 x 1,000 organization,
# LEMON NetworkSimplex on the same graphs, and scipy's linear_sum_assignment on the same dense
# 5,000 x 5,000 matrix as Tandem's welfare solver.
#   bench/run_engine_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target compare_solvers scoring_benchmark >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "## Scoring throughput"
build/release/bench/scoring_benchmark --benchmark_format=console 2>/dev/null
echo
echo "## Solvers"
build/release/bench/compare_solvers --dense 5000 --dense-out "$tmp/dense.bin"
/usr/bin/python3 bench/compare_scipy.py "$tmp/dense.bin" 5000
