"""The organisation admin's (often the data protection contact's) view of who used whose data."""

import csv
import io
from datetime import datetime

import time_machine
from django.urls import reverse

from conftest import World, reauthenticated, signed_in
from pilotti.audit.models import AccessLog, Action, Category, EventKind, Purpose, SecurityEvent
from pilotti.audit.security import record_security_event
from pilotti.audit.services import log_access
from pilotti.core.zone import HELSINKI
from tests.factories import make_participant

LOG = reverse("audit:organisation_access_log")
CSV = reverse("audit:organisation_access_log_csv")
EVENTS = reverse("audit:organisation_security_events")


def _entries(world: World) -> None:
    """Two people looked at by two staff members on two days; one entry of the other organisation."""
    liisa = make_participant(world.org, name="Liisa Testinen")
    matti = make_participant(world.org, name="Matti Testinen", phone="040 000 0002")
    stranger = make_participant(world.other_org, name="Vieras Henkilö", phone="040 000 0003")
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=HELSINKI), tick=False):
        log_access(world.coordinator, participant=liisa, action=Action.VIEW, category=Category.CONTACT_DETAILS,
                   purpose=Purpose.CLIENT_WORK)  # fmt: skip
    with time_machine.travel(datetime(2026, 11, 20, 23, 30, tzinfo=HELSINKI), tick=False):
        log_access(world.facilitator, participant=matti, action=Action.EXPORT, category=Category.ANSWERS,
                   purpose=Purpose.EVALUATION, item="=HYPERLINK(\"https://evil.example\")")  # fmt: skip
        log_access(world.outsider, participant=stranger, action=Action.VIEW, category=Category.PROFILE,
                   purpose=Purpose.CLIENT_WORK)  # fmt: skip


def test_it_shows_an_admin_the_whole_organisations_log_and_nothing_of_others(world: World) -> None:
    _entries(world)
    page = signed_in(world.owner).get(LOG).content.decode()
    assert world.coordinator.email in page
    assert world.facilitator.email in page
    assert world.outsider.email not in page
    elsewhere = AccessLog.objects.get(organisation=world.other_org)
    assert elsewhere.participant_code not in page


def test_it_filters_by_person_staff_member_days_action_and_purpose(world: World) -> None:
    _entries(world)
    client = signed_in(world.owner)
    liisa, matti = AccessLog.objects.filter(organisation=world.org).order_by("at")[:2]

    def shown(**filters: str) -> set[str]:
        page = client.get(LOG, filters).content.decode()
        return {code for code in (liisa.participant_code, matti.participant_code) if code in page}

    assert shown(code=liisa.participant_code.lower()) == {liisa.participant_code}
    assert shown(user_email=world.facilitator.email) == {matti.participant_code}
    # 23.30 in Helsinki on 20 November is still that day, though UTC says 21.30.
    assert shown(first_day="2026-11-20", last_day="2026-11-20") == {matti.participant_code}
    assert shown(last_day="2026-11-19") == {liisa.participant_code}
    assert shown(action="export") == {matti.participant_code}
    assert shown(purpose="client_work") == {liisa.participant_code}
    assert client.get(LOG, {"first_day": "2026-11-20", "last_day": "2026-11-01"}).status_code == 400


def test_it_records_each_look_at_the_log_in_the_log(world: World) -> None:
    signed_in(world.owner).get(LOG, {"action": "export"})
    entry = AccessLog.objects.get(category=Category.ACCESS_LOG)
    assert (entry.user, entry.organisation, entry.action, entry.purpose) == (
        world.owner,
        world.org,
        Action.VIEW,
        Purpose.SUPERVISION,
    )
    assert entry.item == "action=export"


def test_it_exports_the_filtered_log_as_csv_safe_for_spreadsheets(world: World) -> None:
    _entries(world)
    response = reauthenticated(world.owner).get(CSV, {"user_email": world.facilitator.email})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["at_utc", "user_email", "role"]
    assert [row[1] for row in rows[1:]] == [world.facilitator.email]
    assert rows[1][0] == "2026-11-20T21:30:00+00:00"
    # A text a spreadsheet would run as a formula is written as text.
    assert rows[1][6] == '\'=HYPERLINK("https://evil.example")'
    assert AccessLog.objects.filter(category=Category.ACCESS_LOG, action=Action.EXPORT, user=world.owner).exists()


def test_it_asks_for_the_password_again_before_the_export(world: World) -> None:
    response = signed_in(world.owner).get(CSV)
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


def test_it_answers_404_to_everyone_but_the_organisations_admins(world: World) -> None:
    for user in (world.coordinator, world.facilitator, world.evaluator):
        client = signed_in(user)
        assert client.get(LOG).status_code == 404
        assert client.get(EVENTS).status_code == 404
    assert not AccessLog.objects.filter(category=Category.ACCESS_LOG).exists()


def test_it_shows_the_members_security_events_and_not_other_organisations(world: World) -> None:
    record_security_event(EventKind.LOCKED_OUT, user=world.coordinator, detail="5 failures")
    record_security_event(EventKind.MFA_REMOVED, user=world.outsider)
    page = signed_in(world.owner).get(EVENTS).content.decode()
    assert world.coordinator.email in page
    assert world.outsider.email not in page
    assert SecurityEvent.objects.count() >= 2
    assert AccessLog.objects.filter(category=Category.ACCESS_LOG, item__startswith="security events").exists()
