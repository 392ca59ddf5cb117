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
