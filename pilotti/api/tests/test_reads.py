"""Reading through the API: what a page shows, paginated, with the access log written."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from pilotti.audit.models import AccessLog, Category, Purpose
from tests.factories import Pilot, api_as, build


@pytest.fixture
def pilot(world: World) -> Pilot:
    return build(world, people=6, meetings=3, facilitator=world.facilitator)


def test_it_lists_programmes_units_and_meetings(world: World, pilot: Pilot) -> None:
    api = api_as(world.evaluator, world.org, "read")
    [programme] = api.get("/programmes").json()["items"]
    assert programme["slug"] == pilot.programme.slug
    assert programme["organisation"] == world.org.name
    [unit] = api.get("/units", programme=pilot.programme.slug).json()["items"]
    assert unit["uuid"] == str(pilot.unit.uuid)
    meetings = api.get("/meetings", unit=pilot.unit.uuid).json()
    assert meetings["count"] == 3
    detail = api.get(f"/meetings/{pilot.meetings[0].uuid}").json()
    assert sum(detail["attendance"].values()) == 6


def test_it_pages_every_list(world: World, pilot: Pilot) -> None:
    api = api_as(world.coordinator, world.org, "read")
    first = api.get("/participants", limit=4).json()
    second = api.get("/participants", limit=4, offset=4).json()
    assert (first["count"], len(first["items"]), len(second["items"])) == (6, 4, 2)
    codes = [p["code"] for p in first["items"] + second["items"]]
    assert codes == sorted(p.code for p in pilot.people)


@pytest.mark.parametrize(
    ("params", "field"), [({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"offset": -1}, "offset")]
)
def test_it_names_the_bad_query_field(world: World, pilot: Pilot, params: dict[str, int], field: str) -> None:
    response = api_as(world.coordinator, world.org, "read").get("/participants", **params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_participants_are_pseudonymous_and_logged(world: World, pilot: Pilot) -> None:
    api = api_as(world.coordinator, world.org, "read")
    response = api.get("/participants", limit=2)
    body = response.content.decode()
    assert "Henkilö" not in body
    assert "@" not in body
    logged = AccessLog.objects.filter(user=world.coordinator, category=Category.PROFILE)
    assert logged.count() == 2
    assert {e.participant_code for e in logged} == {p["code"] for p in response.json()["items"]}
    entry = logged.first()
    assert entry is not None
    assert (entry.role, entry.purpose, entry.path) == ("coordinator", Purpose.CLIENT_WORK, "/api/v1/participants")


def test_enrolments_show_codes_and_are_logged(world: World, pilot: Pilot) -> None:
    api = api_as(world.evaluator, world.org, "read")
    enrolments = api.get("/enrolments", programme=pilot.programme.slug).json()
    assert enrolments["count"] == 6
    assert {e["participant"] for e in enrolments["items"]} == {p.code for p in pilot.people}
    assert {e["stage"] for e in enrolments["items"]} == {"completed", "dropped_out"}
    assert AccessLog.objects.filter(user=world.evaluator, category=Category.ENROLMENTS).count() == 6


def test_answers_come_with_item_answers_and_scores(world: World, pilot: Pilot) -> None:
    api = api_as(world.evaluator, world.org, "read")
    assert pilot.who5 is not None
    answers = api.get("/responses", instrument=pilot.who5.instrument.key, participant=pilot.people[0].uuid).json()
    assert answers["count"] == 2
    first = answers["items"][-1]
    assert first["answers"] == {f"q{n}": 2.0 for n in range(1, 6)}
    assert first["total"] == 40  # WHO-5: raw 10 × 4
    logged = AccessLog.objects.filter(user=world.evaluator, category=Category.ANSWERS)
    assert logged.count() == 2
    assert {e.purpose for e in logged} == {Purpose.EVALUATION}


def test_a_facilitator_sees_the_roll_call_an_evaluator_the_counts(world: World, pilot: Pilot) -> None:
    url = f"/meetings/{pilot.meetings[0].uuid}/attendance"
    rows = api_as(world.facilitator, world.org, "read").get(url).json()
    assert rows["count"] == 6
    assert {r["participant"] for r in rows["items"]} == {p.code for p in pilot.people}
    assert AccessLog.objects.filter(user=world.facilitator, purpose=Purpose.ROLL_CALL).count() == 6
    assert api_as(world.evaluator, world.org, "read").get(url).status_code == 403


def test_instruments_show_their_current_version(world: World, pilot: Pilot) -> None:
    api = api_as(world.coordinator, world.org, "read")
    assert pilot.who5 is not None
    listed = {i["key"]: i for i in api.get("/instruments", limit=200).json()["items"]}
    who5 = listed[pilot.who5.instrument.key]
    assert who5["version_uuid"] == str(pilot.who5.uuid)
    detail = api.get(f"/instruments/{who5['uuid']}").json()
    assert [item["key"] for item in detail["items"]] == [f"q{n}" for n in range(1, 6)]
    assert detail["scoring"]["method"] == "scaled"


def test_the_report_is_the_pages_report(world: World, pilot: Pilot) -> None:
    internal = api_as(world.evaluator, world.org, "read").get(f"/programmes/{pilot.programme.slug}/report").json()
    assert internal["view"] == "internal"
    assert internal["recruitment"] is not None
    assert internal["before_after"]
    shared = api_as(world.evaluator, world.org, "read").get(f"/programmes/{pilot.programme.slug}/report", view="shared")
    assert shared.json()["view"] == "shared"
    # A facilitator gets the shared view whatever they ask, as on the report page.
    facilitator = api_as(world.facilitator, world.org, "read").get(
        f"/programmes/{pilot.programme.slug}/report", view="internal"
    )
    assert facilitator.json()["view"] == "shared"


def test_the_report_names_a_bad_period(world: World, pilot: Pilot) -> None:
    response = api_as(world.evaluator, world.org, "read").get(
        f"/programmes/{pilot.programme.slug}/report", since="2022-10-01", until="2022-09-01"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "until"]


@pytest.mark.parametrize("path", ["/participants", "/enrolments", "/responses", "/meetings", "/units", "/programmes"])
def test_a_page_costs_the_same_queries_whatever_its_size(
    world: World, pilot: Pilot, path: str, django_assert_max_num_queries: Any
) -> None:
    api = api_as(world.coordinator, world.org, "read")
    with CaptureQueriesContext(connection) as small:
        assert api.get(path, limit=1).status_code == 200
    with django_assert_max_num_queries(len(small)):
        assert api.get(path, limit=200).status_code == 200
