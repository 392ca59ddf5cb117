"""A person's scores over time on the person's page (issue 23): a line chart per instrument with
its bands, the reliable-change threshold and the plan's days, the same numbers as a table, for
those who may see the person only."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog
from pilotti.measurement.trajectory import trajectories_of
from pilotti.people.models import Participant
from tests.factories import FIRST, answer, plan, setup_unit

pytestmark = pytest.mark.django_db


# PHQ-9 with every item at ``n``: a total of 9·n.
def phq9(n: int) -> dict[str, object]:
    return {f"q{i}": n for i in range(1, 10)}


@pytest.fixture
def person(world: World) -> Participant:
    programme, _unit, [participant] = setup_unit(world.org, people=1, facilitator=world.facilitator)
    plan(programme, "phq-9", "intake")
    plan(programme, "phq-9", "end")
    plan(programme, "phq-9", "follow_up", follow_up_weeks=12)
    answer("phq-9", participant, phq9(2), FIRST)  # 18, moderately severe
    answer("phq-9", participant, phq9(1), FIRST + timedelta(weeks=3))  # 9, mild
    answer(
        "phq-9",
        participant,
        {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 0, "q6": 0, "q7": 0, "q8": 0, "q9": 0},
        FIRST + timedelta(weeks=6),
    )  # 4
    return participant


def test_it_draws_the_scores_with_bands_threshold_and_plan_days(world: World, person: Participant) -> None:
    [phq] = trajectories_of(person, "en")
    assert [p.score for p in phq.points] == [18, 9, 4]
    assert [p.day for p in phq.points] == [FIRST, FIRST + timedelta(weeks=3), FIRST + timedelta(weeks=6)]
    assert [(b.low, b.high) for b in phq.bands] == [(0, 4), (5, 9), (10, 14), (15, 19), (20, 27)]
    assert phq.threshold == 6  # PHQ-9's published 6 points
    assert phq.published
    assert phq.lower_is_better
    # Intake (started on the first meeting, else enrolled), the last of seven weekly meetings, 12 weeks after.
    last = FIRST + timedelta(weeks=6)
    assert [(p.label, p.day) for p in phq.plan] == [
        ("intake", date(2019, 10, 23)),
        ("end", last),
        ("follow-up 12 wk", last + timedelta(weeks=12)),
    ]
    assert len(phq.chart["points"]) == 3
    first, second = phq.chart["points"][:2]
    assert first["y"] < second["y"]  # 18 is higher on the chart than 9
    assert len(phq.chart["plan"]) == 3
    assert phq.chart["reliable"]["height"] > 0


def test_the_facilitator_sees_the_chart_and_the_table_on_the_persons_page(world: World, person: Participant) -> None:
    client = signed_in(world.facilitator)
    page = client.get(reverse("people:detail", args=[person.uuid])).text
    url = reverse("measurement:person_scores", args=[person.uuid])
    assert url in page  # the section loads it
    section = client.get(url, headers={"HX-Request": "true"}).text
    assert "<svg" in section
    assert "<html" not in section
    assert "3 answers from 30 Oct 2019 to 11 Dec 2019: first 18, latest 4." in section
    assert "moderately severe" in section.lower()
    assert '<td data-label="Date">11 Dec 2019</td>' in section
    assert AccessLog.objects.filter(participant=person, user=world.facilitator, item="scores over time").exists()


def test_the_evaluator_sees_the_code_and_never_a_name(world: World, person: Participant) -> None:
    page = signed_in(world.evaluator).get(reverse("measurement:person_scores", args=[person.uuid])).text
    assert person.code in page
    assert "Testi Henkilö" not in page
    assert "<svg" in page


def test_others_get_404(world: World, person: Participant) -> None:
    assert signed_in(world.outsider).get(reverse("measurement:person_scores", args=[person.uuid])).status_code == 404


def test_it_reads_in_a_fixed_number_of_queries(
    world: World, person: Participant, django_assert_max_num_queries: Callable[[int], AbstractContextManager[object]]
) -> None:
    client = signed_in(world.facilitator)
    url = reverse("measurement:person_scores", args=[person.uuid])
    client.get(url)  # the session's first page records the session in the user's session list
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for weeks in range(7, 15):
        answer("phq-9", person, phq9(weeks % 3), FIRST + timedelta(weeks=weeks))
        answer("who-5", person, {f"q{i}": 3 for i in range(1, 6)}, FIRST + timedelta(weeks=weeks))
    # The page (session, organisation switcher, alerts) and the chart's six reads, however many answers.
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).text
    assert page.count("<svg") == 2
    assert len(few.captured_queries) <= 19
