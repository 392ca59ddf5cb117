"""The idle timeout counts the person's own requests, not a page's automatic refreshes
(issue 19, finding 11): the meeting page polls every 5 s, and an unattended page with names on
it used to stay signed in until the absolute timeout."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import World, signed_in
from pilotti.accounts.middleware import POLL_HEADER

MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
# A page any signed-in person sees (their own sessions), so the test is about sessions alone.
PAGE = "/accounts/sessions/"
POLL = {"headers": {POLL_HEADER: "1", "HX-Request": "true", "HX-Current-URL": "http://testserver/accounts/sessions/"}}


def poll_for(client: Client, traveller: time_machine.Traveller, minutes: int) -> int:
    """Polls once a minute for this long; the last poll's status."""
    status = 0
    for _ in range(minutes):
        traveller.shift(timedelta(minutes=1))
        status = client.get(PAGE, **POLL).status_code  # type: ignore[arg-type]
    return status


def test_it_signs_out_a_page_that_only_polled_for_longer_than_the_idle_timeout(world: World) -> None:
    idle = settings.SESSION_IDLE_TIMEOUT // 60
    with time_machine.travel(MORNING, tick=False) as traveller:
        client = signed_in(world.facilitator)
        assert client.get(PAGE).status_code == 200
        poll_for(client, traveller, idle - 1)
        response = client.get(PAGE, **POLL)  # type: ignore[arg-type]
        assert response.status_code == 200  # still within the idle time
        traveller.shift(timedelta(minutes=2))
        ended = client.get(PAGE, **POLL)  # type: ignore[arg-type]
        # The whole page goes to the sign-in page, not just the polled part.
        assert ended["HX-Redirect"] == "/accounts/login/?next=%2Faccounts%2Fsessions%2F"
        assert client.get(PAGE)["Location"].startswith("/accounts/login/")


def test_it_keeps_a_person_who_uses_the_page_signed_in(world: World) -> None:
    idle = settings.SESSION_IDLE_TIMEOUT // 60
    with time_machine.travel(MORNING, tick=False) as traveller:
        client = signed_in(world.facilitator)
        for _ in range(3):
            poll_for(client, traveller, idle - 1)
            assert client.get(PAGE).status_code == 200  # a click renews the idle time


def test_every_polling_template_marks_its_polls() -> None:
    root = Path(__file__).resolve().parents[2]
    polling = [
        (path, tag)
        for path in root.glob("*/templates/**/*.html")
        for tag in re.findall(r"<[^>]*hx-trigger=\"[^\"]*every [^>]*>", path.read_text())
    ]
    assert polling
    assert [str(path) for path, tag in polling if POLL_HEADER not in tag] == []


def test_a_poll_does_not_write_the_session(world: World) -> None:
    """A page left open polls every few seconds; each poll used to rewrite the session row, a write
    that on SQLite waits for any other writer (issue 24)."""
    with time_machine.travel(MORNING, tick=False) as traveller:
        client = signed_in(world.facilitator)
        assert client.get(PAGE).status_code == 200
        traveller.shift(timedelta(seconds=10))
        with CaptureQueriesContext(connection) as clicked_again:
            assert client.get(PAGE).status_code == 200
        traveller.shift(timedelta(minutes=5))
        with CaptureQueriesContext(connection) as polled:
            assert client.get(PAGE, **POLL).status_code == 200  # type: ignore[arg-type]
        with CaptureQueriesContext(connection) as clicked_later:
            assert client.get(PAGE).status_code == 200
    assert session_writes(polled) == []
    assert session_writes(clicked_again) == []  # activity is recorded at most once a minute
    assert len(session_writes(clicked_later)) == 1


def session_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if "django_session" in query["sql"] and not query["sql"].lstrip().upper().startswith("SELECT")
    ]
