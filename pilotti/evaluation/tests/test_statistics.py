"""Each statistic against SciPy and against a worked example from its source (docs/statistics.md)."""

import math

import numpy as np
import pytest
from scipy import stats

from pilotti.evaluation import statistics
from pilotti.instruments.scoring import Change, reliable_change
from pilotti.instruments.spec import Direction, ScoringSpec

PRE = [10, 12, 9, 14, 11, 13, 8, 15, 10, 12]
POST = [14, 15, 10, 18, 13, 17, 9, 19, 12, 16]


def test_it_gives_the_wilson_interval_of_the_worked_examples() -> None:
    # docs/statistics.md, Wilson interval: k = 7, n = 12 → [0.3195, 0.8067]; k = 0, n = 8 → [0, 0.324].
    p = statistics.wilson(7, 12)
    assert (round(p.ci_low, 4), round(p.ci_high, 4)) == (0.3195, 0.8067)
    zero = statistics.wilson(0, 8)
    assert zero.ci_low == 0
    assert round(zero.ci_high, 3) == 0.324


@pytest.mark.parametrize(("k", "n"), [(0, 5), (4, 5), (5, 5), (23, 51), (40, 51)])
def test_it_agrees_with_scipys_wilson_interval(k: int, n: int) -> None:
    expected = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    got = statistics.wilson(k, n)
    assert got.ci_low == pytest.approx(expected.low, abs=1e-12)
    assert got.ci_high == pytest.approx(expected.high, abs=1e-12)


def test_it_gives_no_interval_without_answers() -> None:
    assert statistics.wilson(0, 0).share is None


def test_it_gives_the_t_interval_of_a_mean_as_scipy_does() -> None:
    values = np.array([9, 10, 8, 10, 9, 10, 7, 10, 9, 10], dtype=float)
    summary = statistics.describe(values)
    low, high = stats.t.interval(0.95, df=values.size - 1, loc=values.mean(), scale=stats.sem(values))
    assert (summary.ci_low, summary.ci_high) == pytest.approx((low, high))
    ttest = stats.ttest_1samp(values, 0).confidence_interval(0.95)
    assert (summary.ci_low, summary.ci_high) == pytest.approx((ttest.low, ttest.high))


def test_it_computes_the_sd_from_the_databases_sums() -> None:
    values = np.array([3.0, 5.0, 5.0, 4.0, 1.0])
    sd = statistics.sd_from_sums(values.size, values.mean(), float((values**2).sum()))
    assert sd == pytest.approx(values.std(ddof=1))
    assert statistics.sd_from_sums(1, 3.0, 9.0) is None
    assert statistics.mean_ci(1, 3.0, None).ci_low is None


def test_it_has_hedges_correction_of_the_worked_example() -> None:
    # docs/statistics.md, Effect sizes: df = 9 gives J_exact = 0.9139 and J_approx = 0.9143.
    assert round(statistics.hedges_j(9), 4) == 0.9139
    assert round(1 - 3 / (4 * 9 - 1), 4) == 0.9143


def test_its_paired_t_test_is_scipys_and_d_z_is_t_over_root_n() -> None:
    result = statistics.paired(PRE, POST)
    expected = stats.ttest_rel(POST, PRE)
    assert result.t == pytest.approx(expected.statistic)
    assert result.p_t == pytest.approx(expected.pvalue)
    assert result.df == 9
    assert result.d_z.d == pytest.approx(expected.statistic / math.sqrt(10))
    assert result.d_z.g == pytest.approx(result.d_z.d * statistics.hedges_j(9))
    ci = stats.ttest_rel(POST, PRE).confidence_interval(0.95)
    assert (result.difference.ci_low, result.difference.ci_high) == pytest.approx((ci.low, ci.high))


def test_its_d_av_divides_by_the_average_sd() -> None:
    result = statistics.paired(PRE, POST)
    sd_av = (np.std(PRE, ddof=1) + np.std(POST, ddof=1)) / 2
    assert result.d_av.d == pytest.approx((np.mean(POST) - np.mean(PRE)) / sd_av)
    # High pre–post correlation inflates d_z relative to d_av (docs/statistics.md, Effect sizes).
    assert result.r is not None
    assert result.r > 0.9
    assert result.d_z.d > result.d_av.d


def test_its_effect_size_interval_comes_from_the_noncentral_t() -> None:
    result = statistics.paired(PRE, POST)
    low, high = statistics.noncentrality_interval(result.t, 9)  # type: ignore[arg-type, misc]
    assert stats.nct.cdf(result.t, 9, low) == pytest.approx(0.975)
    assert stats.nct.cdf(result.t, 9, high) == pytest.approx(0.025)
    # The interval of δ_z is λ/√n, not multiplied by J (J corrects the point estimate only).
    assert result.d_z.g_ci_low == pytest.approx(low / math.sqrt(10))
    assert result.d_z.g_ci_high == pytest.approx(high / math.sqrt(10))
    assert result.d_z.g_ci_low < result.d_z.g < result.d_z.g_ci_high
    assert result.d_av.g_ci_low < result.d_av.g < result.d_av.g_ci_high


def test_its_exact_wilcoxon_is_scipys() -> None:
    differences = [4, -1, 2, 6, 3, 8, 5, 7, 9, 11]  # no ties, no zeros: exact
    got = statistics.wilcoxon(differences)
    expected = stats.wilcoxon(differences, method="exact")
    assert got.method == "exact"
    assert (got.statistic, got.p) == pytest.approx((expected.statistic, expected.pvalue))


@pytest.mark.parametrize(
    "differences", [[1, 1, 2, -1, 3, 0, 2, 4], [1, 2, 2, 3, -1], [0.9, 1, 1, 2, 2, -3, 1, 1, 0, 2, 1]]
)
def test_its_permutation_wilcoxon_with_ties_is_scipys(differences: list[float]) -> None:
    got = statistics.wilcoxon(differences)
    expected = stats.wilcoxon(differences, method=stats.PermutationMethod())
    assert got.method == "permutation"
    assert (got.statistic, got.p) == pytest.approx((expected.statistic, expected.pvalue))


def test_it_says_five_pairs_cannot_reach_significance() -> None:
    # The smallest two-sided exact p with n = 5 is 2/2⁵ = 0.0625 (docs/statistics.md, Wilcoxon signed-rank test).
    five = statistics.paired([1, 2, 3, 4, 5], [3, 5, 7, 9, 11])
    assert five.wilcoxon.p == pytest.approx(0.0625)
    assert not five.can_reach_significance
    assert "too_few_pairs" in five.notes
    six = statistics.paired([1, 2, 3, 4, 5, 6], [3, 5, 7, 9, 11, 13])
    assert six.wilcoxon.p == pytest.approx(0.03125)
    assert six.can_reach_significance


def test_it_survives_no_variation_and_a_single_pair() -> None:
    same = statistics.paired([3, 3, 3], [5, 5, 5])
    assert same.t is None
    assert same.d_z.d is None
    assert same.difference.mean == 2
    single = statistics.paired([3], [5])
    assert single.n == 1
    assert single.t is None


def test_reliable_change_is_the_instruments_jacobson_truax() -> None:
    # docs/statistics.md, Reliable change: PHQ-9 with SD1 = 5.0, r = 0.84 → S_diff 2.83, threshold 5.54 points.
    spec = ScoringSpec(
        method="sum", direction=Direction.LOWER_IS_BETTER, reliability=0.84, clinical_sd=5.0, clinical_cutoff=10
    )
    result = reliable_change(16, 8, spec)
    assert result.s_diff == pytest.approx(2.828, abs=1e-3)
    assert result.threshold == pytest.approx(5.544, abs=1e-3)
    assert result.classification == Change.RECOVERED
    assert reliable_change(16, 12, spec).classification == Change.UNCHANGED


# --- Issue 18: statistics a methodologist signs at n 5–30 ---------------------------------------------


def test_two_people_both_at_zero_do_not_crash_and_get_no_effect_size() -> None:
    result = statistics.paired([0, 0], [19, 18])  # raised ValueError: NaN in the noncentral-t root finder
    assert result.difference.mean == pytest.approx(18.5)
    assert result.p_t == pytest.approx(stats.ttest_rel([19, 18], [0, 0]).pvalue)
    assert (result.d_z.g, result.d_av.g) == (None, None)
    assert result.d_z.withheld == result.d_av.withheld == statistics.TOO_FEW_PAIRS


def test_no_effect_size_when_everyone_had_the_same_score_after() -> None:
    # Valoa arkeen's demo EPDS: everyone at 5 after. d_av divided by (0.45 + 0)/2 and printed −32.8.
    result = statistics.paired([14, 14, 14, 14, 15], [5, 5, 5, 5, 5])
    assert result.d_z.d is None
    assert result.d_z.withheld == statistics.NO_SPREAD
    assert result.d_av.d is None
    assert result.d_av.withheld == statistics.NO_SPREAD
    assert result.difference.mean == pytest.approx(-9.2)  # the change itself is still reported
    same = statistics.paired([3, 4, 5], [5, 6, 7])  # every change +2: SD of the changes 0
    assert same.d_z.withheld == statistics.NO_VARIATION


def _brute_force_signed_rank(differences: list[float]) -> float:
    """Two-sided p over every one of the 2ⁿ sign flips of the tie-averaged ranks, enumerated."""
    d = np.array([x for x in differences if x != 0], dtype=float)
    ranks = stats.rankdata(np.abs(d))
    flips = ((np.arange(2**d.size)[:, None] >> np.arange(d.size)) & 1).astype(float)
    t_plus = flips @ ranks
    centre = ranks.sum() / 2
    observed = ranks[d > 0].sum()
    return float(np.mean(np.abs(t_plus - centre) >= abs(observed - centre) - 1e-9))


def _exact_by_counting(differences: list[float]) -> float:
    """The same by counting the ways to reach each 2·T⁺ in whole numbers (Python integers, no
    rounding), a different algorithm from the product's convolution of probabilities."""
    d = [x for x in differences if x != 0]
    ranks = stats.rankdata(np.abs(d))
    doubled = [round(2 * r) for r in ranks]
    ways = {0: 1}
    for r in doubled:
        grown: dict[int, int] = {}
        for total, count in ways.items():
            grown[total] = grown.get(total, 0) + count
            grown[total + r] = grown.get(total + r, 0) + count
        ways = grown
    whole = sum(doubled)
    observed = sum(r for r, x in zip(doubled, d, strict=True) if x > 0)
    far = sum(c for total, c in ways.items() if abs(2 * total - whole) >= abs(2 * observed - whole))
    return far / 2 ** len(d)


def test_its_wilcoxon_with_ties_is_exact_beyond_13_pairs() -> None:
    rng = np.random.default_rng(18)
    differences = list(rng.integers(-3, 6, size=18))  # ties and zeros on a short scale
    got = statistics.wilcoxon(differences)
    assert got.method == "permutation"
    assert got.alternative == "two-sided"
    assert got.p == pytest.approx(_brute_force_signed_rank(differences), abs=1e-12)


@pytest.mark.parametrize("size", [20, 35, 50])
def test_its_wilcoxon_with_ties_is_exact_up_to_50_pairs(size: int) -> None:
    rng = np.random.default_rng(size)
    differences = list(rng.integers(-4, 7, size=size))
    got = statistics.wilcoxon(differences)
    assert got.method == "permutation"
    assert got.p == pytest.approx(_exact_by_counting(differences), rel=1e-9)


def test_its_wilcoxon_without_ties_matches_scipys_exact_at_50_pairs() -> None:
    rng = np.random.default_rng(5)
    differences = list(rng.permutation(np.arange(1, 51)) * rng.choice([-1, 1], size=50) + 0.25)
    got = statistics.wilcoxon(differences)
    expected = stats.wilcoxon(differences, method="exact")
    assert got.method == "exact"
    assert (got.statistic, got.p) == pytest.approx((expected.statistic, expected.pvalue), rel=1e-9)


def test_five_changed_pairs_show_the_t_test_and_withhold_only_the_rank_test() -> None:
    five = statistics.paired([1, 2, 3, 4, 5], [3, 5, 6, 9, 11])
    assert not five.can_reach_significance
    # The t-test's p is valid under normal changes whatever n: it is kept.
    assert five.p_t == pytest.approx(stats.ttest_rel([3, 5, 6, 9, 11], [1, 2, 3, 4, 5]).pvalue)


def _cluster_robust_by_sandwich(groups: list[list[float]]) -> tuple[float, float, float]:
    """Intercept-only OLS with the CR1 cluster-robust covariance, written out as matrices:
    bread (X'X)⁻¹, meat Σ_g X_g'e_g e_g'X_g, small-sample factor G/(G−1)·(N−1)/(N−K), t(G−1)."""
    y = np.concatenate([np.asarray(g, dtype=float) for g in groups])
    x = np.ones((y.size, 1))
    beta = np.linalg.solve(x.T @ x, x.T @ y)
    e = y - x @ beta
    bread = np.linalg.inv(x.T @ x)
    meat = np.zeros((1, 1))
    start = 0
    for g in groups:
        xg, eg = x[start : start + len(g)], e[start : start + len(g)]
        score = xg.T @ eg
        meat += np.outer(score, score)
        start += len(g)
    n, k, clusters = y.size, 1, len(groups)
    covariance = clusters / (clusters - 1) * (n - 1) / (n - k) * bread @ meat @ bread
    half = stats.t.ppf(0.975, clusters - 1) * math.sqrt(covariance[0, 0])
    return float(beta[0]), float(beta[0] - half), float(beta[0] + half)


def test_repeated_ratings_get_a_cluster_robust_interval() -> None:
    # 22 people, 73 ratings: some rated once, some after every meeting, alike within a person.
    rng = np.random.default_rng(73)
    sizes = [1] * 6 + [2] * 4 + [4] * 5 + [6] * 3 + [7, 4, 3, 7]
    assert (sum(sizes), len(sizes)) == (73, 22)
    groups = [list(np.clip(np.round(rng.normal(rng.normal(8, 1.2), 0.5, size=s)), 1, 10)) for s in sizes]
    clusters = [(len(g), float(sum(g)), float(sum(v * v for v in g))) for g in groups]
    got = statistics.clustered_mean_ci(clusters)
    mean, low, high = _cluster_robust_by_sandwich(groups)
    assert got is not None
    assert (got.mean, got.ci_low, got.ci_high) == pytest.approx((mean, low, high))
    naive = statistics.describe([v for g in groups for v in g])
    assert got.ci_high - got.ci_low > naive.ci_high - naive.ci_low  # 73 answers are not 73 people


def test_anonymous_answers_count_as_one_each_and_give_the_t_interval() -> None:
    values = [8.0, 9, 10, 9, 7, 10, 9]
    got = statistics.clustered_mean_ci([], (len(values), sum(values), sum(v * v for v in values)))
    low, high = stats.t.interval(0.95, df=len(values) - 1, loc=np.mean(values), scale=stats.sem(values))
    assert got is not None
    assert (got.ci_low, got.ci_high) == pytest.approx((low, high))


def test_the_d_z_interval_inverts_the_noncentral_t_exactly() -> None:
    # Coverage of λ/√n is nominal when λ's bounds are the exact inversion of the noncentral t:
    # P(δ in the interval) = P(0.025 ≤ F(t; df, δ√n) ≤ 0.975) = 0.95 (docs/statistics.md, Effect sizes).
    pre, post = [12.0, 9, 15, 11, 10], [14.0, 10, 19, 12, 13]
    result = statistics.paired(pre, post)
    t = stats.ttest_rel(post, pre).statistic
    for bound, tail in ((result.d_z.g_ci_low, 0.975), (result.d_z.g_ci_high, 0.025)):
        assert bound is not None
        assert stats.nct.cdf(t, 4, bound * math.sqrt(5)) == pytest.approx(tail, abs=1e-6)
    assert (result.d_z.interval, result.d_av.interval) == ("exact", "approximate")
    # The same inversion, simulated: how often F(t; df, δ√n) falls between the tails.
    rng = np.random.default_rng(5)
    delta, n = 0.8, 5
    changes = rng.normal(delta, 1.0, size=(20000, n))
    ts = changes.mean(axis=1) / (changes.std(axis=1, ddof=1) / math.sqrt(n))
    inside = np.mean(
        (stats.nct.cdf(ts, n - 1, delta * math.sqrt(n)) >= 0.025)
        & (stats.nct.cdf(ts, n - 1, delta * math.sqrt(n)) <= 0.975)
    )
    assert inside == pytest.approx(0.95, abs=0.006)


def test_a_reliable_change_needs_more_than_1_96() -> None:
    # An SD whose S_diff makes (1.96·S_diff)/S_diff exactly 1.96 in floating point: RC = 1.96 is not reliable.
    sd = next(
        float(v)
        for v in range(1, 100)
        if (1.96 * math.sqrt(2) * v * math.sqrt(1 - 0.75)) / (math.sqrt(2) * v * math.sqrt(1 - 0.75)) == 1.96
    )
    spec = ScoringSpec(method="sum", direction=Direction.HIGHER_IS_BETTER, reliability=0.75, functional_sd=sd)
    s_diff = math.sqrt(2) * sd * math.sqrt(1 - 0.75)
    assert reliable_change(0, 1.96 * s_diff, spec).classification == Change.UNCHANGED
    assert reliable_change(0, 1.961 * s_diff, spec).classification == Change.IMPROVED
