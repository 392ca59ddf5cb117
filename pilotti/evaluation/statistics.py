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
                try:
                    return float(optimize.brentq(f, low, high, args=(target,)))
                except ValueError:  # SciPy's noncentral t gives NaN inside the bracket (t = 37 with df = 1)
                    return None
            step *= 2
            if f_low < 0:
                low -= step
            if f_high > 0:
                high += step
        return None

    lower, upper = at(1 - alpha / 2), at(alpha / 2)
    return None if lower is None or upper is None else (lower, upper)


# The exact signed-rank distribution is computed by convolution up to this many non-zero
# differences (n·Σ2·rank steps: 300 pairs take about 30 ms); beyond, the normal approximation.
EXACT_WILCOXON_LIMIT = 300


@dataclass(frozen=True)
class Wilcoxon:
    statistic: float | None
    p: float | None
    # "exact" (no ties or zeros) or "permutation" (ties or zeros: the exact conditional distribution
    # of the tie-averaged ranks), both exact; "asymptotic" beyond EXACT_WILCOXON_LIMIT; "" when not run.
    method: str
    nonzero: int
    alternative: str = "two-sided"


def wilcoxon(differences: Sequence[float]) -> Wilcoxon:
    """Wilcoxon signed-rank on post − pre, zero differences dropped ('wilcox'), two-sided: the
    exact permutation p-value over all 2ⁿ sign flips of the tie-averaged ranks, with or without
    ties, up to EXACT_WILCOXON_LIMIT non-zero differences (docs/statistics.md, Wilcoxon signed-rank test)."""
    d = np.round(np.asarray(differences, dtype=float), 6)
    nonzero = d[d != 0]
    if nonzero.size == 0:
        return Wilcoxon(None, None, "", 0)
    has_ties = np.unique(np.abs(nonzero)).size < nonzero.size
    has_zeros = nonzero.size < d.size
    if nonzero.size > EXACT_WILCOXON_LIMIT:
        result = stats.wilcoxon(d, zero_method="wilcox", method="asymptotic")
        return Wilcoxon(float(result.statistic), float(result.pvalue), "asymptotic", int(nonzero.size))
    statistic, p = _signed_rank_exact(nonzero)
    method = "permutation" if has_ties or has_zeros else "exact"
    return Wilcoxon(statistic, p, method, int(nonzero.size))


def _signed_rank_exact(nonzero: "np.ndarray[Any, Any]") -> tuple[float, float]:
    """The exact null distribution of T⁺ over all 2ⁿ equally likely sign flips of the ranks,
    built by convolution: tie-averaged ranks are halves, so 2·rank is a whole number and the
    distribution of 2·T⁺ is a polynomial multiplied out one rank at a time (Σ2·rank + 1 cells).
    The same p as enumerating every sign flip (SciPy's ``PermutationMethod`` up to 13 pairs)."""
    ranks = stats.rankdata(np.abs(nonzero))
    doubled = np.rint(2 * ranks).astype(np.int64)
    total = int(doubled.sum())
    probability = np.zeros(total + 1)
    probability[0] = 1.0
    reach = 0
    for r in doubled:
        shifted = np.zeros_like(probability)
        shifted[r : reach + r + 1] = probability[: reach + 1]
        probability = (probability + shifted) / 2
        reach += int(r)
    observed = int(doubled[nonzero > 0].sum())
    # Two-sided: every T⁺ at least as far from the centre Σrank/2 as the observed one (whole numbers: exact).
    distance = np.abs(2 * np.arange(total + 1) - total)
    p = float(probability[distance >= abs(2 * observed - total)].sum())
    t_plus = observed / 2
    return min(t_plus, total / 2 - t_plus), min(1.0, p)


# Why an effect size is not given although its group has results.
NO_VARIATION = "no_variation"  # every change the same: SD of the changes 0
NO_SPREAD = "no_spread"  # everyone had the same score before (or after): SD 0
TOO_FEW_PAIRS = "under_three_pairs"


@dataclass(frozen=True)
class EffectSize:
    d: float | None
    g: float | None  # Hedges-corrected point estimate, J·d
    # The interval of the population effect size δ (not multiplied by J: J corrects the point
    # estimate's bias, and the noncentral-t bounds already cover δ). docs/statistics.md, Effect sizes.
    g_ci_low: float | None
    g_ci_high: float | None
    interval: str = ""  # "exact" (d_z, under normal changes) or "approximate" (d_av); "" without one
    withheld: str = ""  # NO_VARIATION, NO_SPREAD or TOO_FEW_PAIRS when d is not given


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


# An effect size of two or fewer pairs has df ≤ 1: Hedges' J is undefined and the noncentral-t
# interval unbounded, so none is given.
MIN_PAIRS_FOR_AN_EFFECT_SIZE = 3


def _effect(
    d: float | None, j: float, bounds: tuple[float, float] | None, scale: float, interval: str, withheld: str
) -> EffectSize:
    if d is None or not math.isfinite(j):
        return EffectSize(None, None, None, None, "", withheld)
    if bounds is None:
        return EffectSize(d, d * j, None, None, "", "")
    return EffectSize(d, d * j, bounds[0] * scale, bounds[1] * scale, interval, "")


def paired(pre: Sequence[float], post: Sequence[float], confidence: float = CONFIDENCE) -> Paired:
    """Paired t-test and Wilcoxon signed-rank on post − pre, with d_z and d_av (Lakens 2013).

    d_z = mean(diff)/sd(diff); d_av = (M2 − M1)/((SD1 + SD2)/2); point estimates multiplied by
    Hedges' J with df = n − 1. Intervals from the noncentral t of the paired t statistic
    (Algina & Keselman 2003), not multiplied by J: λ/√n for d_z is exact for normal changes;
    λ·sd(diff)/(√n·sd_av) for d_av treats the SD ratio as known and is approximate.
    No effect size where an SD is 0 (before, after or of the changes), or for fewer than three
    pairs: Valoa arkeen's demo gave d_av −32.8 by dividing by the average of SDs 0.45 and 0.
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
        if n >= MIN_PAIRS_FOR_AN_EFFECT_SIZE:
            bounds = noncentrality_interval(t, n - 1, confidence)
    elif n > 1:
        notes.append(NO_VARIATION)
    j = hedges_j(n - 1)
    few = n < MIN_PAIRS_FOR_AN_EFFECT_SIZE
    # Everyone at the same score before or after (a floor, a ceiling): the SD of the changes is
    # then only the other measurement's spread, and d_z a ratio without meaning (Valoa arkeen's
    # EPDS: everyone 5 after, d_z −20.6 from changes of −9 and −10).
    flat = summary_pre.sd == 0 or summary_post.sd == 0
    d_z = None
    if not few and not flat and sd_diff and summary_diff.mean is not None:
        d_z = _finite(summary_diff.mean / sd_diff)
    why_z = TOO_FEW_PAIRS if few else NO_SPREAD if flat else NO_VARIATION
    effect_z = _effect(d_z, j, bounds, 1 / math.sqrt(n) if n else 0.0, "exact", why_z)
    sd_av = None
    if summary_pre.sd and summary_post.sd:  # neither None nor 0
        sd_av = (summary_pre.sd + summary_post.sd) / 2
    d_av = None
    if not few and sd_av and summary_diff.mean is not None:
        d_av = _finite(summary_diff.mean / sd_av)
    why_av = TOO_FEW_PAIRS if few else NO_SPREAD
    scale_av = (sd_diff or 0) / (math.sqrt(n) * sd_av) if sd_av else 0.0
    effect_av = _effect(d_av, j, bounds if sd_diff else None, scale_av, "approximate", why_av)
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


def clustered_mean_ci(
    clusters: "Sequence[tuple[int, float, float]]",
    singles: tuple[int, float, float] | None = None,
    confidence: float = CONFIDENCE,
) -> MeanSummary | None:
    """The mean of answers grouped in clusters (one person's ratings of several meetings) with a
    cluster-robust confidence interval. Each cluster is (count, Σx, Σx²); ``singles`` are
    answers of no known person, (count, Σx, Σx²) of all of them, each its own cluster.

    The CR1 sandwich variance of the mean of an intercept-only regression,
    V = G/(G − 1) · Σ_g (Σx_g − n_g·mean)² / N², with t(G − 1) — Stata's ``vce(cluster)`` and
    statsmodels' ``cov_type="cluster"``. With every cluster a single answer it is the ordinary
    t interval, s/√N with t(N − 1). None with fewer than two clusters
    (docs/statistics.md, Repeated ratings)."""
    counts = np.array([c[0] for c in clusters], dtype=float)
    sums = np.array([c[1] for c in clusters], dtype=float)
    squares = np.array([c[2] for c in clusters], dtype=float)
    single_n, single_sum, single_squares = singles or (0, 0.0, 0.0)
    g = len(clusters) + single_n
    n = float(counts.sum()) + single_n
    if g < 2 or n == 0:
        return None
    mean = (float(sums.sum()) + single_sum) / n
    sd = sd_from_sums(int(n), mean, float(squares.sum()) + single_squares)
    # Σ_g (Σx_g − n_g·mean)² over the clusters, plus Σ (x − mean)² over the single answers.
    scores = float(((sums - counts * mean) ** 2).sum())
    scores += max(single_squares - 2 * mean * single_sum + single_n * mean * mean, 0.0)
    variance = g / (g - 1) * scores / (n * n)
    half = _t_critical(g - 1, confidence) * math.sqrt(variance)
    return MeanSummary(int(n), mean, sd, mean - half, mean + half)


def quantiles(values: Sequence[float]) -> tuple[float | None, float | None, float | None]:
    """Median and quartiles (NumPy's default linear interpolation)."""
    if not values:
        return None, None, None
    q1, median, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return float(median), float(q1), float(q3)
