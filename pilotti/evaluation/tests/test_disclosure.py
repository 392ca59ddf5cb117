"""Disclosure control against an attacker (attacker.py): no hidden count of a shared report can be
worked out from what the report publishes, on the five demo pilots and on generated programmes."""

from typing import Any

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import World
from pilotti.accounts.models import User
from pilotti.evaluation import charts, pdf, selectors, suppression
from pilotti.evaluation.tests import attacker, programmes
from pilotti.evaluation.tests.helpers import build
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import DeliveryUnit, Programme

LIMIT = 5
X = suppression.SUPPRESSED


def _attacked(internal: Any, limit: int = LIMIT) -> tuple[Any, dict[Any, int], list[str]]:
    shared = suppression.shared(internal, limit)
    return shared, attacker.recoveries(shared, internal), attacker.person_level_leaks(shared, limit)


def test_no_hidden_count_of_a_demo_pilot_s_shared_reports_can_be_worked_out(db: None) -> None:
    call_command("load_demo", stdout=None)
    evaluator = User.objects.get(email="evaluator@example.org")
    hidden = 0
    for programme in Programme.objects.order_by("slug"):
        outputs = {programme.slug: selectors.report(None, programme)}
        for unit in DeliveryUnit.objects.filter(programme=programme).order_by("name"):
            outputs[f"{programme.slug} / {unit.name}"] = selectors.report(None, programme, selectors.Filters(unit=unit))
        for name, internal in outputs.items():
            shared, recovered, leaks = _attacked(internal)
            assert recovered == {}, name
            assert leaks == [], name
            hidden += len(attacker.ranges(attacker.knowledge(shared, internal)))
        # The evaluator's internal view: other organisations' rows of the comparison are hidden.
        own = selectors.report(Viewer.everywhere(evaluator), programme)
        assert attacker.recoveries(suppression.internal(own, LIMIT), own) == {}, programme.slug
    assert hidden > 0  # the demo has small numbers to protect


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes.programmes, st.sampled_from([3, 5, 6]))
def test_no_hidden_count_of_a_generated_programme_can_be_worked_out(units: Any, limit: int) -> None:
    # Small groups, dropouts, people without a second measurement, units of exactly the
    # threshold ± 1, one-person differences between everyone and the completers.
    internal = programmes.report(units)
    _shared, recovered, leaks = _attacked(internal, limit)
    assert recovered == {}
    assert leaks == []


def test_a_rating_of_four_people_is_withheld_however_many_answers_they_gave(world: World) -> None:
    pilot = build(world, people=6)  # four anonymous ratings after each of four meetings
    internal = selectors.report(None, pilot.programme)
    [rating] = [f for f in internal["feedback"] if f["instrument"].startswith("rating")]
    assert (rating["items"][0]["n"], rating["items"][0]["people"]) == (16, 4)
    shared = suppression.shared(internal, LIMIT)
    [rating] = [f for f in shared["feedback"] if f["instrument"].startswith("rating")]
    item = rating["items"][0]
    assert item["withheld"] == "fewer_people"
    assert (item["n"], item["mean"], item["sd"]) == (X, X, X)
    assert "Withheld: fewer than 5 people." in pdf.render_html(charts.with_charts(shared))


def test_the_completers_results_are_withheld_when_one_person_did_not_complete(world: World) -> None:
    pilot = build(world, people=6)  # six with two measurements, five of them completers
    internal = selectors.report(None, pilot.programme)
    groups = {g["population"]: g for g in internal["before_after"][0]["scores"][0]["groups"]}
    assert (groups["all_pairs"]["n"], groups["completers"]["n"]) == (6, 5)
    shared = suppression.shared(internal, LIMIT)
    groups = {g["population"]: g for g in shared["before_after"][0]["scores"][0]["groups"]}
    assert "pre" in groups["all_pairs"]
    assert groups["completers"] == {"population": "completers", "n": X, "withheld": "derivable"}
    page = pdf.render_html(charts.with_charts(shared))
    assert "Withheld so that a small group cannot be worked out from the other figures." in page
