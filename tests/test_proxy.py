"""Behind nginx (PROXY_COUNT=1), each client keeps its own address through the whole stack
(issue 19, finding 2): a real gunicorn gets requests as nginx forwards them, with
``X-Forwarded-For`` naming the client, and two clients behind the proxy are throttled and
locked out separately, and the security log records each one's own address.

Before django-ipware was installed and one resolver used everywhere, every client here had
the proxy's address (127.0.0.1): the second client was refused for the first one's requests.
"""

import time
from pathlib import Path

import pytest

from tests.installation import install_database
from tests.test_multiserver import (  # noqa: F401  (the fixtures server_env and database_url)
    Browser,
    database_url,
    script,
    server_env,
    start_server,
    stop,
    wait_until_up,
)

FAILURES = 3  # AXES_FAILURE_LIMIT for this server
PAGES = 4  # SURVEY_PAGE_RATE_PER_IP for this server
MALLORY, ALICE = "198.51.100.66", "203.0.113.10"

SEED = """\
import json
from datetime import timedelta

import django

django.setup()
from django.utils import timezone

from pilotti.accounts.models import User
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from tests.factories import panel_for, unit_with_meetings

org = organisation_create(name="Välityspalvelimen alue", slug="proxy", kind="wellbeing_county", business_id="0245437-2")
user = User.objects.create_user(email="ohjaaja@proxy.example", password="behind the proxy 2030", is_demo=True)
membership_add(organisation=org, user=user, role=Role.FACILITATOR)
unit, [meeting] = unit_with_meetings(org, facilitator=user, at=[timezone.now() - timedelta(minutes=30)])
print(json.dumps({"email": user.email, "password": "behind the proxy 2030", "panel": panel_for(meeting).code}))
"""

EVENTS = """\
import json

import django

django.setup()
from pilotti.audit.models import SecurityEvent

events = SecurityEvent.objects.values_list("kind", "ip_address")
print(json.dumps(sorted({f"{kind} {address}" for kind, address in events})))
"""


def test_two_clients_behind_the_proxy_are_throttled_and_locked_out_separately(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    env: dict[str, str] = request.getfixturevalue("server_env")
    env.update(PROXY_COUNT="1", AXES_FAILURE_LIMIT=str(FAILURES), SURVEY_PAGE_RATE_PER_IP=str(PAGES), LOG_LEVEL="ERROR")
    install_database(env)
    seed = script(env, SEED)
    server = start_server(env, tmp_path / "server.log")
    try:
        wait_until_up(server, time.monotonic() + 90)
        mallory, alice = Browser(), Browser()
        # What nginx sends: the address it saw, appended to whatever the client wrote.
        as_mallory = {"X-Forwarded-For": f"{ALICE}, {MALLORY}"}  # a forged entry, then the real one
        as_alice = {"X-Forwarded-For": ALICE}
        panel = f"{server.base}/p/{seed['panel']}/?lang=fi"

        statuses = [mallory.request(panel, headers=as_mallory).status for _ in range(PAGES + 1)]
        assert statuses == [200] * PAGES + [429]
        assert alice.request(panel, headers=as_alice).status == 200

        login = f"{server.base}/accounts/login/"
        alice.request(login, headers=as_alice)
        mallory.request(login, headers=as_mallory)
        for _ in range(FAILURES):
            mallory.request(login, {"login": str(seed["email"]), "password": "wrong guess"}, as_mallory)
        locked = mallory.request(login, {"login": str(seed["email"]), "password": str(seed["password"])}, as_mallory)
        assert locked.status == 429
        signed = alice.request(login, {"login": str(seed["email"]), "password": str(seed["password"])}, as_alice)
        assert signed.status == 302, signed.body[:2000]

        events = script(env, EVENTS)
        for kind in ("rate_limited", "sign_in_failed", "locked_out"):
            assert f"{kind} {MALLORY}" in events  # type: ignore[operator]
        assert f"sign_in {ALICE}" in events  # type: ignore[operator]
        assert not any(event.endswith("127.0.0.1") for event in events)  # type: ignore[attr-defined]
    finally:
        stop(server.process)
