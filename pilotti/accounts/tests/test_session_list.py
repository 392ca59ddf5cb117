"""The user's own session list (My account → Sessions) stays current without a write on every
request: allauth's middleware read and rewrote the session's row for every page view and every
poll of a page left open (issue 24)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from allauth.usersessions.models import UserSession
from allauth.usersessions.signals import session_client_changed
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import World, signed_in
from pilotti.accounts.tests.test_idle_timeout import POLL

MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
# The home page, not the session list itself, which reads the user's sessions to show them.
PAGE = "/"


def session_list_statements(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if "usersessions_usersession" in query["sql"]]


def row_of(client: Client) -> UserSession:
    return UserSession.objects.get(session_key=client.session.session_key)


def test_page_views_and_polls_within_the_minute_leave_the_session_list_alone(world: World) -> None:
    with time_machine.travel(MORNING, tick=False) as traveller:
        client = signed_in(world.facilitator)
        assert client.get(PAGE).status_code == 200  # the session's first page writes its row
        first_seen = row_of(client).last_seen_at
        traveller.shift(timedelta(seconds=30))
        with CaptureQueriesContext(connection) as within_the_minute:
            assert client.get(PAGE).status_code == 200
            assert client.get(PAGE, **POLL).status_code == 200  # type: ignore[arg-type]
        traveller.shift(timedelta(minutes=5))
        with CaptureQueriesContext(connection) as polled_later:
            assert client.get(PAGE, **POLL).status_code == 200  # type: ignore[arg-type]
    assert session_list_statements(within_the_minute) == []
    assert session_list_statements(polled_later) == []  # a poll is not the person being there
    assert row_of(client).last_seen_at == first_seen == MORNING


def test_the_persons_activity_after_a_minute_moves_last_seen(world: World) -> None:
    with time_machine.travel(MORNING, tick=False) as traveller:
        client = signed_in(world.facilitator)
        assert client.get(PAGE).status_code == 200
        traveller.shift(timedelta(minutes=2))
        assert client.get(PAGE).status_code == 200
    assert row_of(client).last_seen_at == MORNING + timedelta(minutes=2)


def test_a_new_browser_or_address_is_written_at_once_and_announced(world: World) -> None:
    changes: list[tuple[str, str]] = []

    def on_change(sender: Any, from_session: UserSession, to_session: UserSession, **kwargs: Any) -> None:
        changes.append((from_session.user_agent, to_session.user_agent))

    session_client_changed.connect(on_change)
    try:
        with time_machine.travel(MORNING, tick=False) as traveller:
            client = signed_in(world.facilitator)
            assert client.get(PAGE, headers={"user-agent": "Firefox"}).status_code == 200
            traveller.shift(timedelta(seconds=10))
            assert client.get(PAGE, headers={"user-agent": "Chromium"}).status_code == 200
            traveller.shift(timedelta(seconds=10))
            assert client.get(PAGE, headers={"user-agent": "Chromium"}, REMOTE_ADDR="192.0.2.7").status_code == 200
    finally:
        session_client_changed.disconnect(on_change)
    row = row_of(client)
    assert (row.user_agent, row.ip, row.last_seen_at) == ("Chromium", "192.0.2.7", MORNING + timedelta(seconds=20))
    assert changes == [("Firefox", "Chromium"), ("Chromium", "Chromium")]
