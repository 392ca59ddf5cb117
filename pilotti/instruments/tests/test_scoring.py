"""Every scoring rule with a worked example, on the shipped library's own files (no database)."""

from functools import cache
from pathlib import Path

import pytest

from pilotti.instruments import fileformat
from pilotti.instruments.scoring import Change, Problem, problems, reliable_change, score
from pilotti.instruments.spec import Method, MissingRule, ScoringSpec, VersionSpec

LIBRARY = Path(__file__).resolve().parents[1] / "library"


@cache
def library(key: str) -> VersionSpec:
    return fileformat.loads((LIBRARY / f"{key}.json").read_bytes()).version


def answers(*values: object) -> dict[str, object]:
    return {f"q{n}": value for n, value in enumerate(values, start=1)}


def test_it_scores_who5_as_a_percentage_with_its_bands() -> None:
    # Raw 3+3+2+2+2 = 12 (< 13), ×4 = 48: poor well-being, not yet "likely depression".
    result = score(library("who-5"), answers(3, 3, 2, 2, 2))
    assert (result.raw_total, result.total, result.band) == (12, 48, "poor")
    assert score(library("who-5"), answers(1, 1, 2, 1, 2)).total == 28
    assert score(library("who-5"), answers(1, 1, 2, 1, 2)).band == "likely_depression"
    assert score(library("who-5"), answers(5, 5, 5, 5, 5)).total == 100
    assert score(library("who-5"), answers(4, 3, 3, 3, 3)).band == "above_cutoff"  # 64


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ((0, 0, 1, 1, 0, 0, 1, 0, 0), 3, "minimal"),
        ((1, 1, 1, 1, 1, 0, 1, 1, 0), 7, "mild"),
        ((2, 2, 1, 2, 1, 1, 1, 1, 0), 11, "moderate"),
        ((2, 2, 2, 2, 2, 2, 2, 2, 1), 17, "moderately_severe"),
        ((3, 3, 3, 3, 3, 3, 3, 3, 3), 27, "severe"),
    ],
)
def test_it_scores_phq9_into_its_five_bands(values: tuple[int, ...], total: int, band: str) -> None:
    result = score(library("phq-9"), answers(*values))
    assert (result.total, result.band) == (total, band)


def test_it_flags_phq9_item_9_above_zero_even_with_a_low_total() -> None:
    result = score(library("phq-9"), answers(0, 0, 0, 0, 0, 0, 0, 0, 1))
    assert result.total == 1
    assert result.band == "minimal"
    assert result.safety_items == ("q9",)
    assert score(library("phq-9"), answers(3, 3, 3, 3, 3, 3, 3, 3, 0)).safety_items == ()


def test_it_gives_no_phq9_total_when_an_item_is_missing() -> None:
    result = score(library("phq-9"), answers(3, 3, 3, 3, None, 3, 3, 3, 0))
    assert result.total is None
    assert result.band is None
    assert result.missing_items == ("q5",)
    assert result.mean == 2.62  # 21 / 8, still shown to staff


def test_it_screens_with_phq2_and_gad2_at_three() -> None:
    assert score(library("phq-2"), answers(1, 1)).band == "below"
    assert score(library("phq-2"), answers(2, 1)).band == "positive"
    assert score(library("gad-2"), answers(3, 0)).band == "positive"
    assert score(library("gad-2"), answers(1, 1)).total == 2


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ((0, 1, 1, 0, 1, 1, 0), 4, "minimal"),
        ((1, 1, 1, 1, 1, 1, 3), 9, "mild"),
        ((2, 2, 2, 2, 1, 1, 0), 10, "moderate"),
        ((3, 3, 3, 3, 3, 3, 3), 21, "severe"),
    ],
)
def test_it_scores_gad7_into_its_four_bands(values: tuple[int, ...], total: int, band: str) -> None:
    result = score(library("gad-7"), answers(*values))
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ((1,) * 10, 10, "low"),
        ((2, 2, 1, 2, 2, 1, 2, 2, 1, 1), 16, "moderate"),
        ((3, 3, 2, 3, 3, 2, 2, 2, 2, 2), 24, "high"),
        ((5,) * 10, 50, "very_high"),
    ],
)
def test_it_scores_k10_the_australian_way(values: tuple[int, ...], total: int, band: str) -> None:
    result = score(library("k10"), answers(*values))
    assert (result.total, result.band) == (total, band)


def test_it_refuses_a_k10_answer_outside_its_one_to_five_values() -> None:
    assert problems(library("k10"), answers(0, 1, 1, 1, 1, 1, 1, 1, 1, 1)) == {"q1": Problem.NOT_AN_OPTION}


def test_it_reverse_scores_core10_items_2_and_3() -> None:
    # Items 2 and 3 answered 4 ("most or all of the time" has support, copes) score 0.
    result = score(library("core-10"), answers(2, 4, 4, 1, 1, 0, 2, 1, 2, 1))
    assert result.item_scores["q2"] == 0
    assert result.item_scores["q3"] == 0
    assert result.total == 10  # 2+0+0+1+1+0+2+1+2+1
    assert result.band == "low"
    assert result.mean == 1.0
    # "Not at all" (0) on items 2 and 3 scores 4 each: 18, moderate.
    worse = score(library("core-10"), answers(2, 0, 0, 1, 1, 0, 2, 1, 2, 1))
    assert (worse.total, worse.band) == (18, "moderate")


def test_it_flags_core10_item_6() -> None:
    assert score(library("core-10"), answers(0, 4, 4, 0, 0, 1, 0, 0, 0, 0)).safety_items == ("q6",)


def test_it_reverse_scores_epds_items_3_and_5_to_10() -> None:
    # Answers are the position from the top (0 = top). Items 1, 2 and 4 score 0–3 top to bottom;
    # items 3 and 5–10 score 3–0. All-top answers: 0+0+3+0+3+3+3+3+3+3 = 21.
    result = score(library("epds"), answers(*([0] * 10)))
    assert result.total == 21
    assert result.band == "assess"
    assert result.safety_items == ("q10",)  # top answer on item 10 scores 3
    # All at the bottom: 3+3+0+3+0+0+0+0+0+0 = 9, and item 10 scores 0.
    bottom = score(library("epds"), answers(*([3] * 10)))
    assert (bottom.total, bottom.band, bottom.safety_items) == (9, "below", ())
    # Second from the top on 1, 2, 4 scores 1; third from the top on 3, 5–9 scores 1; bottom on 10 scores 0.
    assert score(library("epds"), answers(1, 1, 2, 1, 2, 2, 2, 2, 2, 3)).total == 9


def test_it_converts_swemwbs_raw_scores_to_metric_scores() -> None:
    result = score(library("swemwbs"), answers(3, 4, 3, 3, 4, 4, 3))  # raw 24
    assert (result.raw_total, result.total) == (24, 21.54)
    assert score(library("swemwbs"), answers(*([1] * 7))).total == 7.0
    assert score(library("swemwbs"), answers(*([5] * 7))).total == 35.0
    assert score(library("swemwbs"), answers(5, 5, 5, 5, 5, 5, None)).total is None


def test_it_scores_3x10d_per_domain_with_traffic_lights_and_no_total() -> None:
    spec = library("3x10d")
    values = dict(zip([item.key for item in spec.items], [7, 5, 9, 8, 10, 3, 6, 8, 5, 7], strict=True))
    result = score(spec, values)
    assert result.total is None
    assert result.subscales["health"].score == 7
    assert result.subscales["health"].band == "moderately_satisfied"
    assert result.subscales["resilience"].band == "dissatisfied"
    assert result.subscales["family"].band == "satisfied"
    assert result.subscales["life"].score == 7
    assert problems(spec, {**values, "health": 11}) == {"health": Problem.OUT_OF_RANGE}
    assert reliable_change(5, 9, spec).classification is None  # no reliability: no RCI


def test_it_keeps_the_meeting_rating_and_usefulness_as_they_are() -> None:
    assert score(library("pilotti-meeting-rating"), {"rating": 9}).total == 9
    assert problems(library("pilotti-meeting-rating"), {"rating": 11}) == {"rating": Problem.OUT_OF_RANGE}
    assert problems(library("pilotti-meeting-rating"), {"rating": 7.5}) == {"rating": Problem.NOT_A_WHOLE_NUMBER}
    assert problems(library("pilotti-meeting-rating"), {}) == {"rating": Problem.REQUIRED}
    assert score(library("pilotti-usefulness"), {"usefulness": 5}).total == 5


def test_it_checks_the_final_survey_without_scoring_it() -> None:
    spec = library("pilotti-final-survey")
    given = {"benefit": 4, "drew_in": [1, 2], "comments": "Kiva porukka"}
    assert problems(spec, given) == {}
    assert problems(spec, {"benefit": 4, "drew_in": [1, 9]}) == {"drew_in": Problem.NOT_AN_OPTION}
    assert problems(spec, {"drew_in": [1]}) == {"benefit": Problem.REQUIRED}
    result = score(spec, given)
    assert (result.scored, result.total) == (False, None)


def test_it_offers_the_eleven_strain_factors_of_valoa_arkeen() -> None:
    factors = library("pilotti-strain-factors").item("factors")
    assert [option.label["fi"] for option in factors.options] == [
        "Uupumus",
        "Kuormitus",
        "Stressi",
        "Univaikeudet",
        "Alakuloisuus",
        "Ahdistus",
        "Huolestuneisuus",
        "Mielialan muutokset",
        "Muut mielenterveyden vaikeudet",
        "Lapseen tai perhesuhteisiin liittyvät vaikeudet",
        "Alkoholin tai huumeiden käyttö",
    ]
    assert problems(library("pilotti-strain-factors"), {"factors": [1, 3, 11]}) == {}


@pytest.mark.parametrize(
    "key", ["pilotti-meeting-rating", "pilotti-usefulness", "pilotti-final-survey", "pilotti-strain-factors"]
)
def test_it_words_pilottis_own_instruments_in_all_eight_languages(key: str) -> None:
    spec = library(key)
    assert spec.languages == ("fi", "sv", "en", "ar", "so", "fa", "ru", "uk")
    for item in spec.items:
        assert set(item.text) == set(spec.languages)


@pytest.mark.parametrize("key", ["epds", "swemwbs", "3x10d"])
def test_it_ships_no_wording_for_instruments_that_need_permission(key: str) -> None:
    spec = library(key)
    assert spec.languages == ()
    assert all(set(item.text) <= {"fi", "sv", "en"} and len(item.text["en"]) < 30 for item in spec.items)


# --- Missing items ----------------------------------------------------------------------


def custom(method: str = Method.SUM, **rule: object) -> VersionSpec:
    spec = library("phq-9")
    return VersionSpec(items=spec.items, scoring=ScoringSpec(method=method, **rule))  # type: ignore[arg-type]


def test_it_prorates_when_the_rule_allows_it() -> None:
    spec = custom(missing_rule=MissingRule.PRORATE, max_missing=1)
    result = score(spec, answers(2, 2, 2, 2, None, 2, 2, 2, 2))
    assert (result.total, result.prorated) == (18, True)  # mean 2 × 9 items
    assert score(spec, answers(2, 2, 2, 2, None, None, 2, 2, 2)).total is None  # two missing: too many


def test_it_takes_the_mean_of_the_items() -> None:
    assert score(custom(Method.MEAN), answers(1, 2, 3, 0, 1, 2, 3, 0, 0)).total == 1.33


# --- Reliable change (Jacobson–Truax) -----------------------------------------------------


def test_it_computes_the_worked_rci_example_of_instruments_md() -> None:
    # docs/statistics.md, Reliable change: SD1 = 5.0, r = 0.84 → SE = 2.0, S_diff = 2.83, threshold 5.54.
    rule = ScoringSpec(
        method=Method.SUM, direction="lower_is_better", reliability=0.84, clinical_sd=5.0, clinical_cutoff=10
    )
    result = reliable_change(18, 9, rule)
    assert result.s_diff == 2.828
    assert result.threshold == 5.544
    assert result.rci == -3.182  # −9 / 2.828
    assert result.classification == Change.RECOVERED  # reliable, and from ≥10 to below 10
    assert reliable_change(18, 11, rule).classification == Change.IMPROVED  # reliable, still ≥10
    assert reliable_change(18, 14, rule).classification == Change.UNCHANGED  # −4: |RCI| 1.41
    assert reliable_change(8, 15, rule).classification == Change.DETERIORATED


def test_it_honours_higher_is_better() -> None:
    rule = ScoringSpec(
        method=Method.SUM, direction="higher_is_better", reliability=0.84, clinical_sd=5.0, clinical_cutoff=50
    )
    assert reliable_change(40, 60, rule).classification == Change.RECOVERED
    assert reliable_change(60, 40, rule).classification == Change.DETERIORATED


def test_it_uses_core10_norms_for_the_cutoff_and_the_rci() -> None:
    spec = library("core-10")
    result = reliable_change(20, 8, spec)
    assert result.method == "jacobson_truax"
    assert result.threshold == 6.749  # 1.96 × √2 × 7.7 × √0.1
    assert result.classification == Change.RECOVERED  # 20 ≥ 11 > 8
    assert reliable_change(20, 14, spec).classification == Change.UNCHANGED  # −6 < 6.75


def test_it_falls_back_on_the_published_points() -> None:
    assert reliable_change(14, 8, library("phq-9")).classification == Change.RECOVERED  # −6, from 14 to below 10
    assert reliable_change(14, 9, library("phq-9")).classification == Change.UNCHANGED  # −5
    who5 = reliable_change(40, 52, library("who-5"))
    assert (who5.method, who5.rci, who5.classification) == ("published_points", None, Change.RECOVERED)
    assert reliable_change(20, 16, library("gad-7")).classification == Change.IMPROVED  # −4, still ≥8


def test_it_can_use_the_samples_own_pre_sd() -> None:
    rule = ScoringSpec(method=Method.SUM, direction="lower_is_better", reliability=0.84)
    assert reliable_change(18, 9, rule).classification is None
    assert reliable_change(18, 9, rule, sd=5.0).rci == -3.182
