"""The database away: a 503 with Retry-After in the person's language, answers kept (core/faults.py)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from conftest import World, signed_in
from pilotti.core import faults
from pilotti.instruments.models import Response
from pilotti.meetings.models import Meeting
from pilotti.programmes.models import DeliveryUnit
from tests.factories import panel_for, unit_with_meetings

Group = tuple[DeliveryUnit, Meeting]


@pytest.fixture
def group(world: World) -> Group:
    unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator, at=[timezone.now()])
    return unit, meeting


@contextmanager
def database_away(message: str = "database is locked") -> Iterator[None]:
    """Every query fails as it does while PostgreSQL restarts or another process holds SQLite's lock."""

    def fail(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        raise OperationalError(message)

    with connection.execute_wrapper(fail):
        yield


def test_it_answers_a_participant_503_in_their_language_with_the_answers_kept(group: Group) -> None:
    panel = panel_for(group[1], kiosk=True)
    path = reverse("surveys:panel_answer", kwargs={"code": panel.code})
    client = Client(raise_request_exception=False)
    client.get(f"{path}?lang=sv")
    with database_away():
        response = client.post(path, {"q-rating": "7", "once": "k" * 24})
    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert response["Content-Language"] == "sv"
    page = response.content.decode()
    assert "Försök igen om en stund" in page
    assert '<input type="hidden" name="q-rating" value="7">' in page
    assert f'action="{path}"' in page
    assert "Server Error" not in page
    # Sent again once the database is back, the kept answers are stored.
    again = client.post(path, {"q-rating": "7", "once": "k" * 24})
    assert again.status_code == 302
    assert Response.objects.get(meeting=group[1]).total == 7


@pytest.mark.parametrize("message", ["database is locked", "server closed the connection unexpectedly"])
def test_it_answers_staff_503_in_their_language(world: World, message: str) -> None:
    client = signed_in(world.owner)
    client.raise_request_exception = False
    client.cookies["pilotti-language"] = "en"
    with database_away(message):
        response = client.get(reverse("core:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert "Pilotti is unavailable for a moment" in response.content.decode()


def test_it_answers_other_errors_with_a_translated_500(rf: RequestFactory) -> None:
    request = rf.get("/programmes/")
    with translation.override("fi"):
        try:
            raise RuntimeError("a bug")
        except RuntimeError:  # Django calls handler500 while it handles the exception
            response = faults.server_error(request)
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Jokin meni vikaan" in response.content.decode()
