"""Many people at once: client-panel answers and roll-call taps arriving together lose nothing
and count nothing twice.

Real transactions (``transactional_db``) and real threads, each with its own database
connection, through the whole request path (middleware, views, services). It runs on the
suite's database: PostgreSQL in CI's PostgreSQL pass, SQLite otherwise.
"""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World, make_world, signed_in
from pilotti.instruments.models import Mode, Response
from pilotti.meetings.models import Attendance, Meeting
from pilotti.programmes.models import DeliveryUnit
from pilotti.surveys.models import PanelDevice
from tests.factories import add_participants, panel_for, unit_with_meetings

PEOPLE = 24


@pytest.fixture
def database(transactional_db: None, tmp_path: Path) -> Iterator[None]:
    """On SQLite, a database file in WAL mode, as deployed: the suite's in-memory database
    (shared cache) locks whole tables between connections, which no deployment does."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    memory = connection.settings_dict["NAME"]
    keeper = sqlite3.connect(memory, uri=True)  # the in-memory test database lives while it is open
    with closing(sqlite3.connect(tmp_path / "pilotti.sqlite3")) as file:
        keeper.backup(file)
    for settings_dict in {id(d): d for d in (connection.settings_dict, connections.settings["default"])}.values():
        settings_dict["NAME"] = str(tmp_path / "pilotti.sqlite3")
    connection.close()
    try:
        yield
    finally:
        connections.close_all()
        for settings_dict in (connection.settings_dict, connections.settings["default"]):
            settings_dict["NAME"] = memory
        connection.ensure_connection()  # holds the in-memory database for the tests after this one
        keeper.close()


@pytest.fixture
def world(database: None) -> World:
    return make_world()


@pytest.fixture
def group(world: World) -> tuple[DeliveryUnit, Meeting]:
    unit, [meeting] = unit_with_meetings(
        world.org, facilitator=world.facilitator, at=[timezone.now() - timedelta(hours=1)]
    )
    return unit, meeting


def all_at_once(calls: list[Callable[[], int]]) -> list[int]:
    """Runs the calls in as many threads, released together, and returns their status codes."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], int]) -> int:
        try:
            start.wait()
            return call()
        finally:
            connection.close()  # each thread's own connection

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_simultaneous_panel_answers_are_all_kept(group: tuple[DeliveryUnit, Meeting]) -> None:
    panel = panel_for(group[1])
    url = f"{reverse('surveys:panel_answer', kwargs={'code': panel.code})}?lang=fi"

    def phone(number: int) -> Callable[[], int]:
        # Its own phone (cookie) and address, as in a room full of people answering.
        client = Client(REMOTE_ADDR=f"10.0.{number}.1")
        return lambda: client.post(url, {"q-rating": str(1 + number % 10)}).status_code

    statuses = all_at_once([phone(number) for number in range(PEOPLE)])
    assert statuses == [302] * PEOPLE
    kept = Response.objects.filter(meeting=group[1], mode=Mode.CLIENT_PANEL, submitted_at__isnull=False)
    assert kept.count() == PEOPLE
    assert sorted(kept.values_list("total", flat=True)) == sorted(float(1 + n % 10) for n in range(PEOPLE))
    assert PanelDevice.objects.filter(panel=panel).count() == PEOPLE


def test_one_phone_tapping_send_many_times_at_once_answers_once(group: tuple[DeliveryUnit, Meeting]) -> None:
    panel = panel_for(group[1])
    url = f"{reverse('surveys:panel_answer', kwargs={'code': panel.code})}?lang=fi"
    client = Client(REMOTE_ADDR="10.1.0.1")
    client.get(url)  # the device cookie, as the form page sets it

    def tap() -> int:
        # Copies of the same phone: the same cookie, one connection each.
        copy = Client(REMOTE_ADDR="10.1.0.1")
        copy.cookies = client.cookies
        return copy.post(url, {"q-rating": "8"}).status_code

    statuses = all_at_once([tap for _ in range(8)])
    assert set(statuses) <= {200, 302}, statuses
    assert Response.objects.filter(meeting=group[1], mode=Mode.CLIENT_PANEL).count() == 1
    assert PanelDevice.objects.filter(panel=panel).count() == 1


def test_simultaneous_roll_call_taps_keep_one_row_per_person(world: World, group: tuple[DeliveryUnit, Meeting]) -> None:
    unit, meeting = group
    people = add_participants(unit, PEOPLE // 2)
    # The facilitator and the coordinator on two phones tap everyone at the same moment, the
    # facilitator twice (a retried tap on a slow connection).
    phones = [signed_in(world.facilitator), signed_in(world.coordinator)]

    def tap(phone: Client, person_uuid: object, status: str) -> Callable[[], int]:
        url = reverse("meetings:attendance", kwargs={"meeting_uuid": meeting.uuid, "person_uuid": person_uuid})
        return lambda: phone.post(url, {"status": status}).status_code

    calls = []
    for person in people:
        calls += [tap(phones[0], person.uuid, "present"), tap(phones[0], person.uuid, "present")]
        calls.append(tap(phones[1], person.uuid, "present"))
    statuses = all_at_once(calls)
    assert statuses == [302] * len(calls)
    rows = Attendance.objects.filter(meeting=meeting)
    assert rows.count() == len(people)
    assert set(rows.values_list("participant_id", "status")) == {(person.pk, "present") for person in people}
