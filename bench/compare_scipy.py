#!/usr/bin/python3
"""Times scipy.optimize.linear_sum_assignment on the dense matrix written by
`compare_solvers --dense N --dense-out FILE` and prints a table row in the same format.
Run with Debian's python3 (python3-scipy)."""
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

path, n = sys.argv[1], int(sys.argv[2])
w = np.fromfile(path, dtype=np.float64).reshape(n, n)
start = time.perf_counter()
rows, cols = linear_sum_assignment(w, maximize=True)
seconds = time.perf_counter() - start
print(f"| dense {n} x {n} | scipy linear_sum_assignment | {seconds:.3f} | total {int(w[rows, cols].sum())} |")
