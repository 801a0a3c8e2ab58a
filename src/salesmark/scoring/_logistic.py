"""Private: L2-penalised logistic regression by Newton's method, in pure Python (for suggest_weights)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve ``matrix @ x = vector`` by Gaussian elimination with partial pivoting."""
    size = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        lead = a[col][col]
        for r in range(col + 1, size):
            factor = a[r][col] / lead
            if factor:
                row_r, row_c = a[r], a[col]
                for k in range(col, size + 1):
                    row_r[k] -= factor * row_c[k]
    x = [0.0] * size
    for r in range(size - 1, -1, -1):
        x[r] = (a[r][size] - sum(a[r][k] * x[k] for k in range(r + 1, size))) / a[r][r]
    return x


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def fit_logistic(
    rows: Sequence[Sequence[int]], labels: Sequence[bool], l2: float
) -> tuple[float, list[float], int]:
    """L2-penalised logistic regression (intercept unpenalised) by Newton's method.

    Minimises ``sum(log loss) + l2 / 2 * ||w||^2``, the objective of scikit-learn's
    ``LogisticRegression(C=1 / l2)``.
    Identical rows are aggregated first, so the cost grows with distinct hit patterns.
    Returns the intercept, the coefficients and the Newton iterations used.
    """
    patterns: dict[tuple[int, ...], list[int]] = {}
    for row, y in zip(rows, labels, strict=True):
        tally = patterns.setdefault(tuple(row), [0, 0])
        tally[0] += 1
        tally[1] += 1 if y else 0
    data = [((1, *key), n, k) for key, (n, k) in sorted(patterns.items())]
    dims = len(data[0][0])
    beta = [0.0] * dims

    def objective(b: list[float]) -> float:
        total = 0.5 * l2 * sum(x * x for x in b[1:])
        for x, n, k in data:
            z = sum(bi * xi for bi, xi in zip(b, x, strict=True))
            # log(1 + e^z) computed stably; loss = n*log(1+e^z) - k*z
            soft = z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))
            total += n * soft - k * z
        return total

    current = objective(beta)
    iterations = 0
    for iterations in range(1, 101):  # noqa: B007 (the count is returned)
        gradient = [0.0] + [l2 * b for b in beta[1:]]
        hessian = [[0.0] * dims for _ in range(dims)]
        for d in range(1, dims):
            hessian[d][d] = l2
        for x, n, k in data:
            p = _sigmoid(sum(bi * xi for bi, xi in zip(beta, x, strict=True)))
            residual = n * p - k
            weight = n * p * (1.0 - p)
            for i in range(dims):
                if x[i]:
                    gradient[i] += residual * x[i]
                    line = hessian[i]
                    for j in range(dims):
                        if x[j]:
                            line[j] += weight * x[i] * x[j]
        step = _solve(hessian, gradient)
        scale = 1.0
        while True:
            trial = [b - scale * s for b, s in zip(beta, step, strict=True)]
            value = objective(trial)
            if value <= current + 1e-12 or scale < 1e-10:
                break
            scale /= 2.0
        beta, current = trial, value
        if max(abs(scale * s) for s in step) < 1e-10:
            break
    return beta[0], beta[1:], iterations
