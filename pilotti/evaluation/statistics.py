"""The statistics of the pilot report: pure functions on numbers the database has already
aggregated (n, mean, SD, counts) or on per-person paired vectors. No database here.

Formulas and their sources are in docs/statistics.md and docs/evaluation.md; each function
is tested against SciPy and against a worked example (pilotti/evaluation/tests/test_statistics.py).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import optimize, special, stats

CONFIDENCE = 0.95
# Below this many non-zero paired differences no two-sided test can reach p < 0.05: the exact
# Wilcoxon signed-rank p-value is at least 2/2ⁿ, which is 0.0625 for n = 5
# (docs/statistics.md, Wilcoxon signed-rank test).
MIN_PAIRS_FOR_A_TEST = 6


def _z(confidence: float = CONFIDENCE) -> float:
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


@lru_cache(maxsize=1024)
def _t_critical(df: int, confidence: float) -> float:
    """t(1−α/2, df), asked for once per unit and rating in a report: SciPy's ppf is slow to call."""
    return float(stats.t.ppf(1 - (1 - confidence) / 2, df))


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


@dataclass(frozen=True)
class MeanSummary:
    """n, mean, sample SD (ddof 1) and the t-based confidence interval of the mean."""

    n: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None


def mean_ci(n: int, mean: float | None, sd: float | None, confidence: float = CONFIDENCE) -> MeanSummary:
    """mean ± t(1−α/2, n−1) · s/√n (docs/statistics.md, t interval for a mean). No interval for n < 2."""
    if n < 1 or mean is None:
        return MeanSummary(n, None, None, None, None)
    if n < 2 or sd is None:
        return MeanSummary(n, float(mean), None, None, None)
    if sd == 0:
        return MeanSummary(n, float(mean), 0.0, float(mean), float(mean))
    half = _t_critical(n - 1, confidence) * sd / math.sqrt(n)
    return MeanSummary(n, float(mean), float(sd), float(mean) - half, float(mean) + half)


def sd_from_sums(n: int, mean: float | None, sum_of_squares: float | None) -> float | None:
    """The sample SD from the database's n, mean and Σx²: √((Σx² − n·mean²)/(n − 1))."""
    if n < 2 or mean is None or sum_of_squares is None:
        return None
    variance = (sum_of_squares - n * mean * mean) / (n - 1)
    return math.sqrt(max(variance, 0.0))


def describe(values: "Sequence[float] | np.ndarray[Any, Any]", confidence: float = CONFIDENCE) -> MeanSummary:
    """The same from raw values (used on paired vectors and in tests)."""
    array = np.asarray(values, dtype=float)
    if array.size == 0:
        return MeanSummary(0, None, None, None, None)
    sd = float(array.std(ddof=1)) if array.size > 1 else None
    return mean_ci(int(array.size), float(array.mean()), sd, confidence)


@dataclass(frozen=True)
class Proportion:
    k: int
    n: int
    share: float | None
    ci_low: float | None
    ci_high: float | None


def wilson(k: int, n: int, confidence: float = CONFIDENCE) -> Proportion:
    """Wilson score interval for k successes of n (docs/statistics.md, Wilson interval); stays inside [0, 1]."""
    if n <= 0:
        return Proportion(k, n, None, None, None)
    z = _z(confidence)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return Proportion(k, n, p, max(0.0, centre - half), min(1.0, centre + half))


def hedges_j(df: int) -> float:
    """Hedges' exact small-sample correction J = Γ(df/2) / (√(df/2) · Γ((df−1)/2)) (docs/statistics.md,
    Effect sizes)."""
    if df < 2:
        return math.nan
    return float(math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2))


def noncentrality_interval(t: float, df: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The noncentrality parameters λ whose noncentral t puts the observed t at the interval's
    edges (the cdf falls as λ grows). None where SciPy's noncentral t cannot be evaluated."""
    alpha = 1 - confidence

    def f(ncp: float, target: float) -> float:
        return float(stats.nct.cdf(t, df, ncp)) - target

    def at(target: float) -> float | None:
        low, high, step = t - 1.0, t + 1.0, 1.0
        for _ in range(60):
            f_low, f_high = f(low, target), f(high, target)
            if not (math.isfinite(f_low) and math.isfinite(f_high)):
                return None
            if f_low >= 0 >= f_high:
                return float(optimize.brentq(f, low, high, args=(target,)))
            step *= 2
            if f_low < 0:
                low -= step
            if f_high > 0:
                high += step
        return None

    lower, upper = at(1 - alpha / 2), at(alpha / 2)
    return None if lower is None or upper is None else (lower, upper)


@dataclass(frozen=True)
class Wilcoxon:
    statistic: float | None
    p: float | None
    method: str  # "exact", "permutation" (ties or zeros, n ≤ 13) or "asymptotic"; "" when not run
    nonzero: int


def wilcoxon(differences: Sequence[float]) -> Wilcoxon:
    """Wilcoxon signed-rank on post − pre, zero differences dropped ('wilcox'), SciPy's
    automatic method: exact without ties or zeros up to 50 pairs, an exhaustive permutation
    test with ties or zeros up to 13, else the normal approximation (docs/statistics.md, Wilcoxon signed-rank test)."""
    d = np.round(np.asarray(differences, dtype=float), 6)
    nonzero = d[d != 0]
    if nonzero.size == 0:
        return Wilcoxon(None, None, "", 0)
    has_ties = np.unique(np.abs(nonzero)).size < nonzero.size
    has_zeros = nonzero.size < d.size
    if not has_ties and not has_zeros:
        method = "exact" if d.size <= 50 else "asymptotic"
    else:
        method = "permutation" if d.size <= 13 else "asymptotic"
    if method == "permutation":
        statistic, p = _signed_rank_permutation(nonzero)
        return Wilcoxon(statistic, p, method, int(nonzero.size))
    result = stats.wilcoxon(d, zero_method="wilcox", method=method)
    return Wilcoxon(float(result.statistic), float(result.pvalue), method, int(nonzero.size))


def _signed_rank_permutation(nonzero: "np.ndarray[Any, Any]") -> tuple[float, float]:
    """The exact null distribution over all 2ⁿ sign flips of the (tie-averaged) ranks: what
    SciPy's ``PermutationMethod`` computes, as one matrix product instead of 2ⁿ calls (n ≤ 13)."""
    ranks = stats.rankdata(np.abs(nonzero))
    n = ranks.size
    signs = (np.arange(2**n)[:, None] >> np.arange(n)) & 1
    plus = signs @ ranks
    observed = float(ranks[nonzero > 0].sum())
    centre = float(ranks.sum()) / 2
    p = float(np.mean(np.abs(plus - centre) >= abs(observed - centre) - 1e-9))
    return min(observed, float(ranks.sum()) - observed), min(1.0, p)


@dataclass(frozen=True)
class EffectSize:
    d: float | None
    g: float | None  # Hedges-corrected
    g_ci_low: float | None
    g_ci_high: float | None


@dataclass(frozen=True)
class Paired:
    """Before/after on n complete pairs."""

    n: int
    pre: MeanSummary
    post: MeanSummary
    difference: MeanSummary  # post − pre
    r: float | None  # correlation of pre and post
    t: float | None
    df: int | None
    p_t: float | None
    wilcoxon: Wilcoxon
    d_z: EffectSize
    d_av: EffectSize
    can_reach_significance: bool
    notes: tuple[str, ...] = field(default_factory=tuple)


def _effect(d: float | None, j: float, bounds: tuple[float, float] | None, scale: float) -> EffectSize:
    if d is None:
        return EffectSize(None, None, None, None)
    g = d * j if math.isfinite(j) else None
    if bounds is None or g is None:
        return EffectSize(d, g, None, None)
    return EffectSize(d, g, bounds[0] * scale * j, bounds[1] * scale * j)


def paired(pre: Sequence[float], post: Sequence[float], confidence: float = CONFIDENCE) -> Paired:
    """Paired t-test and Wilcoxon signed-rank on post − pre, with d_z and d_av (Lakens 2013).

    d_z = mean(diff)/sd(diff); d_av = (M2 − M1)/((SD1 + SD2)/2); both multiplied by Hedges' J
    with df = n − 1. Their confidence intervals come from the noncentral t of the paired t
    statistic (Algina & Keselman 2003): λ bounds × sd(diff)/(√n · the d's denominator), × J.
    """
    a = np.asarray(pre, dtype=float)
    b = np.asarray(post, dtype=float)
    if a.shape != b.shape:
        raise ValueError("pre and post must be paired")
    n = int(a.size)
    diff = b - a
    notes: list[str] = []
    summary_pre, summary_post, summary_diff = (
        describe(a, confidence),
        describe(b, confidence),
        describe(diff, confidence),
    )
    r = None
    if n > 2 and a.std() > 0 and b.std() > 0:
        r = float(np.corrcoef(a, b)[0, 1])
    t = p_t = None
    df = n - 1 if n > 1 else None
    bounds = None
    sd_diff = summary_diff.sd
    if n > 1 and sd_diff:
        result = stats.ttest_rel(b, a)
        t, p_t = float(result.statistic), float(result.pvalue)
        bounds = noncentrality_interval(t, n - 1, confidence)
    elif n > 1:
        notes.append("no_variation")
    j = hedges_j(n - 1)
    d_z = _finite(summary_diff.mean / sd_diff) if sd_diff and summary_diff.mean is not None else None
    effect_z = _effect(d_z, j, bounds, 1 / math.sqrt(n) if n else 0.0)
    sd_av = (
        (summary_pre.sd + summary_post.sd) / 2 if summary_pre.sd is not None and summary_post.sd is not None else None
    )
    d_av = None
    if sd_av and summary_diff.mean is not None:
        d_av = summary_diff.mean / sd_av
    effect_av = _effect(d_av, j, bounds, (sd_diff or 0) / (math.sqrt(n) * sd_av) if sd_av else 0.0)
    rank_test = wilcoxon(diff)
    can_reach = rank_test.nonzero >= MIN_PAIRS_FOR_A_TEST
    if not can_reach:
        notes.append("too_few_pairs")
    return Paired(
        n=n,
        pre=summary_pre,
        post=summary_post,
        difference=summary_diff,
        r=r,
        t=t,
        df=df,
        p_t=p_t,
        wilcoxon=rank_test,
        d_z=effect_z,
        d_av=effect_av,
        can_reach_significance=can_reach,
        notes=tuple(notes),
    )


def quantiles(values: Sequence[float]) -> tuple[float | None, float | None, float | None]:
    """Median and quartiles (NumPy's default linear interpolation)."""
    if not values:
        return None, None, None
    q1, median, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return float(median), float(q1), float(q3)
