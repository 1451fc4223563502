"""The planner's figure worked out independently of planner.js: the fewest days an order takes when every kind of
machine works at once, as a linear programme solved by SciPy (HiGHS)."""
from __future__ import annotations

import numpy as np
from scipy.optimize import linprog


def fastest_days(quantities: list[float], rates: list[list[float]]) -> float:
    """`quantities[i]` parts of design i; `rates[i][j]`: what all the machines of kind j make of design i in a day
    (0: they cannot make it). Minimise T over t_ij ≥ 0 (days kind j spends on design i) with Σ_j t_ij·rates_ij =
    quantities_i and Σ_i t_ij ≤ T."""
    designs, kinds = len(quantities), len(rates[0])
    pairs = [(i, j) for i in range(designs) for j in range(kinds) if rates[i][j] > 0]
    cost = np.zeros(len(pairs) + 1)
    cost[-1] = 1.0
    equal = np.zeros((designs, len(pairs) + 1))
    for k, (i, j) in enumerate(pairs):
        equal[i, k] = rates[i][j]
    within = np.zeros((kinds, len(pairs) + 1))
    for k, (_, j) in enumerate(pairs):
        within[j, k] = 1.0
    within[:, -1] = -1.0
    solved = linprog(cost, A_ub=within, b_ub=np.zeros(kinds), A_eq=equal, b_eq=np.array(quantities, dtype=float),
                     bounds=[(0, None)] * (len(pairs) + 1), method="highs")
    assert solved.status == 0, solved.message
    return float(solved.x[-1])
