"""The report's figures from the database: consent, scope, query counts."""

import math
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from scipy import stats

from conftest import World
from pilotti.core.zone import HELSINKI
from pilotti.evaluation import selectors, suppression
from pilotti.instruments.services import response_record
from pilotti.measurement.models import PlanEntry
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import Consent
from tests.factories import START, answer_version, build, make_participant, people_consent, who5_answers

# Whatever the number of people, meetings, answers or instruments. 29: the measurement plan and the
# people's intake and end windows for before/after (docs/evaluation.md, Before and after); 5 of them
# the costs (docs/evaluation.md, Cost per result); 8 the response rates, what people said, what
# participants changed and service use before and after; one more on PostgreSQL than on SQLite.
QUERIES = 43


def _report(world: World, pilot: Any, **filters: Any) -> dict[str, Any]:
    return selectors.report(Viewer.everywhere(world.evaluator), pilot.programme, selectors.Filters(**filters))


def test_it_reports_the_flow_attendance_ratings_and_change(world: World) -> None:
    pilot = build(world, people=6)
    report = _report(world, pilot)
    flow = {step["step"]: step for step in report["recruitment"]["flow"]}
    assert [flow[s]["n"] for s in ("contacted", "enrolled", "started", "completed")] == [6, 6, 6, 5]
    assert flow["started"]["left"][2] == {"stage": "dropped_out", "label": "dropped out", "n": 1}
    assert flow["started"]["reasons"] == [
        {"stage": "dropped_out", "label": "dropped out", "reason": "Muutti pois.", "n": 1}
    ]
    attendance = report["attendance"]
    assert attendance["summary"]["meetings_held"] == 4
    assert [m["number"] for m in attendance["meetings"]] == [1, 2, 3, 4]
    assert attendance["dropout_by_meeting"] == [{"number": 2, "n": 1}]
    [rating] = [f for f in report["feedback"] if f["instrument"].startswith("rating")]
    item = rating["items"][0]
    assert item["n"] == 16
    assert rating["anonymous"] == 16
    assert item["mean"] == pytest.approx(9.125)
    assert item["ci_low"] < 9.125 < item["ci_high"]
    assert sum(e["n"] for e in item["distribution"]) == 16
    [who5] = report["before_after"]
    itt, everyone, completers = who5["scores"][0]["groups"]
    assert (itt["population"], itt["n"]) == ("itt", 6)
    assert (everyone["population"], everyone["n"]) == ("all_pairs", 6)
    assert (completers["population"], completers["n"]) == ("completers", 5)
    assert everyone["difference"]["mean"] > 0
    # WHO-5: Jacobson–Truax with its reliability 0.81 and, without a published norm SD, the SD of
    # the sample's baselines; the published 10 points are a classification of their own.
    assert (everyone["rci"]["method"], everyone["rci"]["sd_source"]) == ("jacobson_truax", "sample")
    assert sum(everyone["rci"]["counts"].values()) == 6
    assert everyone["clinical_change"]["points"] == 10
    assert sum(everyone["clinical_change"]["counts"].values()) == 6
    assert (who5["outcome"], who5["pairing"]) == ("secondary", "first_and_last")  # no plan in this pilot


def test_it_uses_only_answers_while_evaluation_consent_holds(world: World) -> None:
    pilot = build(world, people=6)
    late = make_participant(world.org, name="Myöhäinen Suostuja", email="late@example.org")
    from tests.factories import enrol

    enrol(late, pilot.unit, stage="started", on=START)
    answer_version(world, pilot.who5, late, who5_answers(1), START)  # before the consent: left out
    answer_version(world, pilot.who5, late, who5_answers(5), START + timedelta(days=60))
    from pilotti.people import services as people

    people.consent_give(
        actor=None, participant=late, purpose="evaluation", given_on=START + timedelta(days=30), method="written"
    )
    withdrawing = pilot.people[0]
    consent = Consent.objects.get(participant=withdrawing, purpose="evaluation")
    people.consent_withdraw(actor=world.coordinator, consent=consent, on=START + timedelta(days=61))
    report = _report(world, pilot)
    everyone = report["before_after"][0]["scores"][0]["groups"][1]
    assert everyone["n"] == 5  # the first person's end answer came after withdrawing; the late one has one answer
    assert report["before_after"][0]["measured_people"] == 7  # the late one has one measurement


def test_it_filters_by_period_and_unit(world: World) -> None:
    pilot = build(world, people=5)
    report = _report(world, pilot, since=START + timedelta(days=8))
    assert report["attendance"]["summary"]["meetings_held"] == 2
    assert report["before_after"][0]["scores"][0]["groups"][1]["n"] == 0  # intake was before the period
    other = build(world, people=5, name="Toinen")
    only = _report(world, pilot, unit=other.unit)
    assert only["attendance"]["summary"]["meetings_held"] == 0  # not a unit of this programme


def test_it_needs_a_constant_number_of_queries(world: World, django_assert_max_num_queries: Any) -> None:
    small = build(world, people=3, meetings=2, name="Pieni")
    with CaptureQueriesContext(connection) as small_queries:
        selectors.report(Viewer.everywhere(world.evaluator), small.programme)
    large = build(world, people=12, meetings=8, name="Iso")
    for when in ("intake", "end"):  # with the plan's windows: two queries more than without
        PlanEntry.objects.create(
            programme=large.programme, instrument=large.who5.instrument, when=when, audience="participants"
        )
    response_record(
        version=large.who5,
        organisation=world.org,
        answers=who5_answers(4),
        mode="paper",
        language="fi",
        participant=large.people[0],
        now=large.meetings[-1].ends_at + timedelta(days=1),
    )
    with django_assert_max_num_queries(QUERIES):
        selectors.report(Viewer.everywhere(world.evaluator), large.programme)
    assert len(small_queries) <= QUERIES


def test_a_facilitator_sees_only_their_units(world: World) -> None:
    mine = build(world, people=5, facilitator=world.facilitator)
    build(world, people=5, name="Muiden")
    report = selectors.report(Viewer.everywhere(world.facilitator), mine.programme)
    assert report["attendance"]["summary"]["meetings_held"] == 4
    assert not selectors.may_see_internal(Viewer.everywhere(world.facilitator), mine.programme)
    assert selectors.may_see_internal(Viewer.everywhere(world.evaluator), mine.programme)


def test_the_shared_view_publishes_what_it_can(world: World) -> None:
    pilot = build(world, people=6)
    shared = suppression.shared(_report(world, pilot))
    flow = {step["step"]: step["n"] for step in shared["recruitment"]["flow"]}
    assert flow == {"contacted": 6, "enrolled": 6, "started": 6, "completed": suppression.SUPPRESSED}
    rating = next(f for f in shared["feedback"] if f["instrument"].startswith("rating"))
    # 16 anonymous ratings, at most 4 after any meeting: they may come from 4 people.
    assert rating["items"][0]["withheld"] == "fewer_people"
    assert shared["attendance"]["participants"] == []


# --- Issue 18: before/after as a methodologist would have it --------------------------------------


def _plan(pilot: Any, window: int = 14, **primary: bool) -> None:
    for when in ("intake", "end"):
        PlanEntry.objects.create(
            programme=pilot.programme,
            instrument=pilot.who5.instrument,
            when=when,
            audience="participants",
            window_days=window,
            primary_outcome=primary.get(when, False),
        )


def test_baseline_and_end_come_from_the_plans_windows_and_itt_carries_the_baseline_forward(world: World) -> None:
    pilot = build(world, people=6)  # baselines 3 days before the start; second answers 62 days after it
    _plan(pilot, window=7, intake=True)  # weekly meetings from START: the last on START + 21
    last = timezone.localtime(pilot.meetings[-1].starts_at, HELSINKI).date()
    assert (START + timedelta(days=62) - last).days > 7  # the build's second answers: outside the end window
    answer_version(world, pilot.who5, pilot.people[0], who5_answers(5), last + timedelta(days=2))  # inside: 100
    answer_version(world, pilot.who5, pilot.people[1], who5_answers(5), START + timedelta(days=10))  # halfway: neither
    [who5] = _report(world, pilot)["before_after"]
    assert (who5["pairing"], who5["outcome"], who5["primary"]) == ("plan_windows", "primary", True)
    itt, available, completers = who5["scores"][0]["groups"]
    baselines = [20 * (2 + n % 2) for n in range(6)]  # WHO-5 percentage: 5 items × level × 4
    assert available["n"] == 1  # only the answer inside the end window is an "after"
    assert (available["pre"]["mean"], available["post"]["mean"]) == (baselines[0], 100)
    # Intention to treat: all six with a baseline, the five without an end counted as unchanged.
    ends = [100, *baselines[1:]]
    assert itt["n"] == 6
    assert itt["post"]["mean"] == pytest.approx(np.mean(ends))
    assert itt["difference"]["mean"] == pytest.approx((100 - baselines[0]) / 6)
    assert itt["difference"]["sd"] == pytest.approx(np.std(np.subtract(ends, baselines), ddof=1))
    assert completers["n"] == 1


def test_without_plan_windows_first_and_last_are_used_and_labelled(world: World) -> None:
    pilot = build(world, people=6)
    [who5] = _report(world, pilot)["before_after"]
    assert (who5["pairing"], who5["outcome"]) == ("first_and_last", "secondary")
    assert [g["n"] for g in who5["scores"][0]["groups"]] == [6, 6, 5]


def test_reliable_change_is_jacobson_truax_with_the_groups_baseline_sd(world: World) -> None:
    pilot = build(world, people=6)
    everyone = _report(world, pilot)["before_after"][0]["scores"][0]["groups"][1]
    pre = np.array([20 * (2 + n % 2) for n in range(6)], dtype=float)
    post = np.array([20 * (3 + n % 3) for n in range(6)], dtype=float)
    s_diff = math.sqrt(2) * pre.std(ddof=1) * math.sqrt(1 - 0.81)  # WHO-5: test–retest 0.81, no norm SD
    rc = (post - pre) / s_diff
    reliable_up = rc > 1.96
    recovered = reliable_up & (pre <= 50) & (post > 50)  # WHO-5's cut-off 50, higher is better
    assert everyone["rci"]["sd"] == pytest.approx(pre.std(ddof=1))
    assert everyone["rci"]["counts"] == {
        "recovered": int(recovered.sum()),
        "improved": int((reliable_up & ~recovered).sum()),
        "unchanged": int((np.abs(rc) <= 1.96).sum()),
        "deteriorated": int((rc < -1.96).sum()),
    }
    # The questionnaire's own 10 points, a separate classification: every change here is ≥ 10.
    clinical = everyone["clinical_change"]["counts"]
    assert clinical["unchanged"] == int((np.abs(post - pre) < 10).sum())


def test_a_report_with_two_people_both_at_zero_does_not_crash(world: World) -> None:
    pilot = build(world, people=0)
    for n in range(2):
        person = make_participant(world.org, name=f"Nolla {n}", email=f"nolla{n}@example.org")
        from tests.factories import enrol

        enrol(person, pilot.unit, stage="started", on=START)
        people_consent(person, START - timedelta(days=7))
        answer_version(world, pilot.who5, person, who5_answers(0), START)
        answer_version(world, pilot.who5, person, who5_answers(4 + n), START + timedelta(days=30))
    groups = _report(world, pilot)["before_after"][0]["scores"][0]["groups"]
    assert groups[1]["n"] == 2
    assert groups[1]["d_z"]["not_interpretable"] == "under_three_pairs"


def test_repeated_ratings_count_people_and_widen_the_interval(world: World) -> None:
    pilot = build(world, people=4)
    for number, meeting in enumerate(pilot.meetings):
        for n, person in enumerate(pilot.people):
            response_record(
                version=pilot.rating,
                organisation=world.org,
                answers={"rating": 6 + n + number % 2},  # each person rates alike every time
                mode="personal_link",
                language="fi",
                participant=person,
                meeting=meeting,
                now=meeting.ends_at,
            )
    report = _report(world, pilot)
    [rating] = [f for f in report["feedback"] if f["instrument"].startswith("rating")]
    item = rating["items"][0]
    assert item["n"] == 16 + 16  # the build's 16 anonymous ratings and 4 people × 4 meetings
    assert item["ci_method"] == "cluster_robust"
    assert item["clusters"] == 4 + 16
    named = [6 + n + number % 2 for number in range(4) for n in range(4)]
    everything = named + [r for m in range(4) for r in (8, 9, 10, 9 + m % 2)]
    assert item["mean"] == pytest.approx(np.mean(everything))
    naive = stats.t.interval(0.95, df=len(everything) - 1, loc=np.mean(everything), scale=stats.sem(everything))
    assert item["ci_high"] - item["ci_low"] > naive[1] - naive[0]  # 4 people's 16 ratings are not 16 people
    # The comparison's rating of the unit: the same answers, the same clustered interval.
    [unit] = report["comparison"]["units"]
    compared = next(iter(unit["ratings"].values()))
    assert (compared["ci_low"], compared["ci_high"]) == pytest.approx((item["ci_low"], item["ci_high"]))
