"""Writing through the API goes through the services, with their checks and the access log."""

from datetime import date
from typing import Any

import pytest

from conftest import World
from pilotti.audit.models import AccessLog, Action, Category
from pilotti.instruments.models import Mode, Response
from pilotti.meetings.models import Attendance
from pilotti.people.models import Participant
from pilotti.recruitment.models import Enrolment
from tests.factories import Pilot, api_as, build


@pytest.fixture
def pilot(world: World) -> Pilot:
    return build(world, people=2, meetings=2, facilitator=world.facilitator)


def test_a_coordinator_adds_a_pseudonymous_participant(world: World) -> None:
    response = api_as(world.coordinator, world.org).post("/participants", {"birth_year": 1988, "segment": "Perheet"})
    assert response.status_code == 201
    participant = Participant.objects.get(uuid=response.json()["uuid"])
    assert (participant.organisation, participant.birth_year, participant.created_by) == (
        world.org,
        1988,
        world.coordinator,
    )
    assert response.json()["code"] == participant.code
    assert AccessLog.objects.filter(participant=participant, action=Action.CHANGE).count() == 1


def test_a_facilitator_may_not_add_participants(world: World) -> None:
    response = api_as(world.facilitator, world.org).post("/participants", {})
    assert response.status_code == 403
    assert not Participant.objects.exists()


def test_a_bad_participant_names_the_field(world: World) -> None:
    response = api_as(world.coordinator, world.org).post("/participants", {"birth_year": 1800, "gender": "x"})
    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["detail"]} == {
        ("body", "payload", "birth_year"),
        ("body", "payload", "gender"),
    }


def test_a_coordinator_enrols_a_participant(world: World, pilot: Pilot) -> None:
    api = api_as(world.coordinator, world.org)
    participant = api.post("/participants", {}).json()
    body = {
        "participant": participant["uuid"],
        "programme": pilot.programme.slug,
        "unit": str(pilot.unit.uuid),
        "referral_source": "outreach",
        "contacted_on": "2022-08-01",
    }
    response = api.post("/enrolments", body)
    assert response.status_code == 201, response.content
    enrolment = Enrolment.objects.get(uuid=response.json()["uuid"])
    assert (enrolment.stage, enrolment.unit, enrolment.contacted_on) == ("contacted", pilot.unit, date(2022, 8, 1))
    assert enrolment.changes.get().changed_by == world.coordinator
    assert response.json()["participant"] == participant["code"]
    # The service's own rule: one open enrolment per programme.
    again = api.post("/enrolments", body)
    assert again.status_code == 422
    assert "already" in again.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"programme": "ei-ole"}, "programme"),
        ({"segment": "Tuntematon"}, "segment"),
        ({"referral_source": "x"}, "referral_source"),
    ],
)
def test_a_bad_enrolment_names_the_field(world: World, pilot: Pilot, change: dict[str, str], field: str) -> None:
    api = api_as(world.coordinator, world.org)
    participant = api.post("/participants", {}).json()
    body = {
        "participant": participant["uuid"],
        "programme": pilot.programme.slug,
        "referral_source": "outreach",
        "contacted_on": "2022-08-01",
        **change,
    }
    response = api.post("/enrolments", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", field]
    assert Enrolment.objects.filter(participant__uuid=participant["uuid"]).count() == 0


def test_a_facilitator_records_the_roll_call(world: World, pilot: Pilot) -> None:
    meeting = pilot.meetings[0]
    api = api_as(world.facilitator, world.org)
    records = [{"person": str(p.uuid), "status": "excused"} for p in pilot.people]
    response = api.post(f"/meetings/{meeting.uuid}/attendance", {"records": records, "unregistered_visitors": 3})
    assert response.status_code == 200, response.content
    assert response.json() == {"saved": 2}
    statuses = Attendance.objects.filter(meeting=meeting).values_list("status", "recorded_by")
    assert set(statuses) == {("excused", world.facilitator.pk)}
    meeting.refresh_from_db()
    assert meeting.unregistered_visitors == 3
    assert AccessLog.objects.filter(user=world.facilitator, action=Action.CHANGE).count() == 2


def test_a_roll_call_with_a_stranger_saves_nothing(world: World, pilot: Pilot) -> None:
    meeting = pilot.meetings[0]
    before = list(Attendance.objects.filter(meeting=meeting).values_list("status", flat=True))
    records = [
        {"person": str(pilot.people[0].uuid), "status": "excused"},
        {"person": "00000000-0000-4000-8000-000000000000", "status": "present"},
    ]
    response = api_as(world.facilitator, world.org).post(f"/meetings/{meeting.uuid}/attendance", {"records": records})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "records", 1, "person"]
    assert list(Attendance.objects.filter(meeting=meeting).values_list("status", flat=True)) == before


def test_an_evaluator_may_not_record_attendance(world: World, pilot: Pilot) -> None:
    records = [{"person": str(pilot.people[0].uuid), "status": "present"}]
    response = api_as(world.evaluator, world.org).post(
        f"/meetings/{pilot.meetings[0].uuid}/attendance", {"records": records}
    )
    assert response.status_code == 403


def _who5(pilot: Pilot, person: Participant, answers: dict[str, Any]) -> dict[str, Any]:
    assert pilot.who5 is not None
    return {"participant": str(person.uuid), "version_uuid": str(pilot.who5.uuid), "language": "fi", "answers": answers}


def test_a_coordinator_submits_an_answer_set(world: World, pilot: Pilot) -> None:
    body = _who5(pilot, pilot.people[0], {f"q{n}": 4 for n in range(1, 6)}) | {"answered_on": "2022-12-01"}
    response = api_as(world.coordinator, world.org).post("/responses", body)
    assert response.status_code == 201, response.content
    saved = Response.objects.get(uuid=response.json()["uuid"])
    assert (saved.total, saved.mode, saved.entered_by) == (80, Mode.PAPER, world.coordinator)
    assert response.json()["answers"] == {f"q{n}": 4.0 for n in range(1, 6)}
    assert AccessLog.objects.filter(
        participant=pilot.people[0], category=Category.ANSWERS, action=Action.CHANGE
    ).exists()


def test_a_bad_answer_names_the_item(world: World, pilot: Pilot) -> None:
    before = Response.objects.count()
    body = _who5(pilot, pilot.people[0], {"q1": 9, "q2": 3})
    response = api_as(world.coordinator, world.org).post("/responses", body)
    assert response.status_code == 422
    assert ["body", "payload", "answers", "q1"] in [e["loc"] for e in response.json()["detail"]]
    assert Response.objects.count() == before


def test_an_evaluator_may_not_submit_answers(world: World, pilot: Pilot) -> None:
    response = api_as(world.evaluator, world.org).post("/responses", _who5(pilot, pilot.people[0], {"q1": 3}))
    assert response.status_code == 403
