"""The internal Ikaalinen report reproduces seed 003 (docs/seeds.md); the shared one hides its small counts."""

import pytest
from django.core.management import call_command

from pilotti.accounts.models import User
from pilotti.evaluation import selectors, suppression
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import Programme

X = suppression.SUPPRESSED


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", stdout=None)


def _by_key(report: dict[str, object], prefix: str) -> dict[str, dict[str, object]]:
    version = next(v for v in report["feedback"] if v["instrument"] == prefix)  # type: ignore[attr-defined, index]
    return {item["key"]: item for item in version["items"]}


def test_the_internal_ikaalinen_report_reproduces_the_seed_and_every_pilot_has_a_report(demo: None) -> None:
    evaluator = User.objects.get(email="evaluator@example.org")
    programme = Programme.objects.get(slug="ikaalinen-paivatoiminta")
    report = selectors.report(Viewer.everywhere(evaluator), programme)
    flow = {step["step"]: step["n"] for step in report["recruitment"]["flow"]}
    assert flow == {"contacted": 40, "enrolled": 8, "started": 8, "completed": 7}
    rating = _by_key(report, "pilotti-meeting-rating")["rating"]
    assert rating["n"] == 51
    assert round(rating["mean"], 2) == 9.22
    assert rating["ci_low"] < 9.22 < rating["ci_high"]
    usefulness = _by_key(report, "pilotti-usefulness")["usefulness"]
    assert usefulness["mean"] == 5
    assert usefulness["sd"] == 0
    survey = next(v for v in report["feedback"] if v["instrument"] == "pilotti-final-survey")
    assert (survey["people"], flow["started"]) == (5, 8)  # 5 of 8 answered
    items = _by_key(report, "pilotti-final-survey")
    assert items["benefit"]["top_two"]["share"] == pytest.approx(0.8)
    drew_in = {entry["value"]: entry["share"] for entry in items["drew_in"]["distribution"]}
    assert drew_in[1] == pytest.approx(0.4)
    assert drew_in[2] == pytest.approx(0.4)

    shared = suppression.shared(report)
    items = _by_key(shared, "pilotti-final-survey")
    assert items["benefit"]["top_two"]["n"] == X
    assert items["benefit"]["top_two"]["share"] == X
    assert {e["value"]: e["share"] for e in items["drew_in"]["distribution"]}[1] == X  # 2 of 5
    assert items["benefit"]["n"] == 5  # five answers: published
    rating = _by_key(shared, "pilotti-meeting-rating")["rating"]
    # 51 anonymous ratings, but no meeting had 5 of them: they may come from fewer than 5 people.
    assert rating["people"] == X
    assert (rating["withheld"], rating["mean"], rating["n"]) == ("fewer_people", X, X)
    assert shared["recruitment"]["flow"][0]["n"] == 40
    assert shared["attendance"]["participants"] == []

    # One demo load (it takes seconds): every pilot has a report.
    for programme in Programme.objects.filter(
        slug__in=[
            "valoa-arkeen",
            "perhe-yhtenaiseksi",
            "ohjatut-vertaistukiryhmat",
            "ikaalinen-paivatoiminta",
            "tampere-pikkulapsiperheet",
        ]
    ):
        report = selectors.report(Viewer.everywhere(evaluator), programme)
        assert report["recruitment"]["flow"][0]["n"] > 0
        suppression.shared(report)
    essote = selectors.report(Viewer.everywhere(evaluator), Programme.objects.get(slug="ohjatut-vertaistukiryhmat"))
    assert [i["instrument"] for i in essote["before_after"]] == ["3x10d"]
    assert all("rci" not in g for s in essote["before_after"][0]["scores"] for g in s["groups"])  # no reliability
    # Valoa arkeen (issue 18): the plan declares WHO-5 the primary outcome; baseline and end come
    # from the plan's windows; everyone scored the same after, so no effect size is printed (it
    # showed −16.4 and −32.8), with the reason.
    valoa = selectors.report(Viewer.everywhere(evaluator), Programme.objects.get(slug="valoa-arkeen"))
    outcomes = {i["instrument"]: i for i in valoa["before_after"]}
    assert (outcomes["who-5"]["outcome"], outcomes["epds"]["outcome"]) == ("primary", "secondary")
    assert {i["pairing"] for i in outcomes.values()} == {"plan_windows"}
    for instrument in outcomes.values():
        for group in instrument["scores"][0]["groups"]:
            assert group["d_z"]["g"] is None
            assert group["d_z"]["not_interpretable"] == "no_spread"
            assert group["d_av"]["g"] is None
