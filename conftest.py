"""Fixtures every test can use: a small world of two organisations and the people in them.

Following healthchecks' three-user fixture: an owner (admin of organisation A), a member of
A in another role, and an outsider (admin of organisation B only). Isolation tests become
one-liners: sign in as the outsider and expect a 404.
"""

import io
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pyotp
import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.test.testcases import LiveServerThread
from django.utils import translation
from pytest_django.live_server_helper import LiveServer

from pilotti.accounts.models import User
from pilotti.core import once, ratelimit
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.organisations.services import membership_add, organisation_create
from tests import installation
from tests.live import OneRequestAtATime


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    owner: User  # admin of org
    coordinator: User  # coordinator of org
    facilitator: User  # facilitator of org
    evaluator: User  # evaluator of org
    outsider: User  # admin of other_org only

    def membership(self, user: User) -> Membership:
        return Membership.objects.get(user=user, organisation__in=[self.org, self.other_org])


PASSWORD = "correct horse battery"

# --- The day the suite runs on -----------------------------------------------------------------
# `PILOTTI_TEST_TODAY=2026-12-06` (or `2026-12-06T23:30`) runs the suite with the clock moved to
# that day, at the present time of day in Helsinki unless a time is given; the clock keeps
# running. CI runs the tests marked `calendar` on a public holiday, a Sunday, the day daylight
# saving time starts and New Year's Eve (.ci/run, docs/testing.md), because a suite that passes
# only on ordinary weekdays failed on Independence Day.
TEST_TODAY = "PILOTTI_TEST_TODAY"
HELSINKI = ZoneInfo("Europe/Helsinki")

# Tests whose outcome can depend on the day they run: schedules generated from today, the demo
# (it starts a family track on the day it is loaded), reminders and due questionnaires.
CALENDAR_TESTS = (
    "pilotti/programmes/tests/",
    "pilotti/meetings/tests/",
    "pilotti/measurement/tests/",
    "pilotti/shell/tests/test_load_demo.py",
    "pilotti/shell/tests/test_demo_loaded.py",
    "tests/browser/test_guide.py::test_facilitator_guide",
    # A unit's meetings from three days ahead, and the demo's meetings still to come.
    "tests/browser/test_corrections.py",
    "tests/browser/test_guide.py::test_corrections_guide",
)


def moment_of(value: str, now: datetime) -> datetime:
    """The moment a `PILOTTI_TEST_TODAY` value names: its day at ``now``'s Helsinki time of day,
    or the day and time it gives."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"{TEST_TODAY}={value!r} is not a date like 2026-12-06 or 2026-12-06T23:30") from None
    if len(value) == len("2026-12-06"):
        moment = datetime.combine(date.fromisoformat(value), now.astimezone(HELSINKI).time())
    return moment.replace(tzinfo=HELSINKI) if moment.tzinfo is None else moment


def missing_calendar_tests(root: Path) -> list[str]:
    """The entries of ``CALENDAR_TESTS`` that name no file or test: a test moved to another app
    would otherwise silently stop running on the chosen days."""
    missing = []
    for entry in CALENDAR_TESTS:
        path, _, name = entry.partition("::")
        if not (root / path).exists() or (name and f"def {name}(" not in (root / path).read_text()):
            missing.append(entry)
    return missing


def pytest_configure(config: pytest.Config) -> None:
    installation.start_run()
    config.addinivalue_line("markers", "calendar: the outcome can depend on the day (run on chosen days in CI)")
    if missing := missing_calendar_tests(config.rootpath):
        raise pytest.UsageError(f"CALENDAR_TESTS in conftest.py names tests that are not there: {missing}")
    if value := os.environ.get(TEST_TODAY):
        # Started before collection, so that module-level dates see the chosen day too.
        time_machine.travel(moment_of(value, datetime.now(HELSINKI)), tick=True).start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controlling process, after every worker
        installation.end_run()


def pytest_collection_modifyitems(config: pytest.Config, items: Iterable[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(CALENDAR_TESTS):
            item.add_marker(pytest.mark.calendar)


def pytest_report_header(config: pytest.Config) -> str | None:
    value = os.environ.get(TEST_TODAY)
    return f"{TEST_TODAY}={value}: the clock reads {datetime.now(HELSINKI):%Y-%m-%d %H:%M %Z}" if value else None


def make_user(email: str, *, with_mfa: bool = True, **extra: object) -> User:
    """A staff account with password ``PASSWORD`` and, unless asked not to, a real TOTP
    authenticator whose secret the test can read from ``user.totp_secret``."""
    user = User.objects.create_user(email=email, password=PASSWORD, **extra)  # type: ignore[arg-type]
    if with_mfa:
        user.totp_secret = pyotp.random_base32()  # type: ignore[attr-defined]
        TOTP.activate(user, user.totp_secret)  # type: ignore[attr-defined]
    return user


def sign_in_for_real(client: Client, user: User) -> None:
    """Signs in through the sign-in form and the TOTP step, as a person would."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert response["Location"] == "/accounts/2fa/authenticate/"
    # allauth accepts only the current 30-second window: the clock stands still while the code
    # is read and checked, so that it cannot expire in between on a slow machine.
    with time_machine.travel(time.time(), tick=False):
        code = pyotp.TOTP(user.totp_secret).now()  # type: ignore[attr-defined]
        response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302, response.content


# What a current browser sends with every request made from Pilotti's own pages. A request
# without it is an older browser's or another site's (recruitment.people_views._cross_site).
BROWSER_HEADERS = {"Sec-Fetch-Site": "same-origin"}


def reauthenticated(user: User) -> Client:
    """Signed in for real and then asked for the password again, as before sensitive changes."""
    client = Client(headers=BROWSER_HEADERS)
    sign_in_for_real(client, user)
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, django_db_keepdb: bool
) -> Iterator[None]:
    """Each worker's test database starts as a copy of the run's migrated database
    (tests/installation.py), so that the migrations run once a run, not once a worker."""
    from django.db import connection

    with installation.migrated_test_database(connection, django_db_keepdb):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """PostgreSQL: no autovacuum in the test database. Tests write inside transactions that are
    rolled back; a vacuum running meanwhile counts the uncommitted rows as none and sets the
    tables' row estimates to 0, and a report planned on that took minutes (nested loops over
    thousands of rows believed to be one; the scale smoke test stalled CI)."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} SET (autovacuum_enabled = false)")


@pytest.fixture(scope="module")
def module_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The demo (``manage.py load_demo``, seconds of work) loaded once for a module's tests, in a
    transaction rolled back after its last test; each test's own transaction (request ``db`` too)
    is a savepoint inside it, so what a test writes is gone before the next. Every test of such a
    module runs on the demo, whether it asks for it or not. Yields what the command printed."""
    from django.core.management import call_command
    from django.db import transaction

    printed = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=printed)
        yield printed.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server (its address from --liveserver as there), answering one
    request at a time (tests/live.py)."""
    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    # The server is created in its thread before LiveServer returns (it waits until ready).
    with mock.patch.object(LiveServerThread, "server_class", OneRequestAtATime):
        server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # allauth keeps used TOTP codes and rate-limit counters in the cache; tests start clean.
    cache.clear()


@pytest.fixture(autouse=True)
def _no_rate_window_tidying_by_chance(monkeypatch: pytest.MonkeyPatch) -> None:
    # A rate window's first use deletes the closed windows one time in PRUNE_ONE_IN, drawn at
    # random: a request would make one statement more now and then, and a test that counts a
    # page's queries would fail by chance (it did in CI). The tidying's own tests set it. Used
    # form keys are tidied the same way.
    monkeypatch.setattr(ratelimit, "PRUNE_ONE_IN", 10**12)
    monkeypatch.setattr(once, "PRUNE_ONE_IN", 10**12)


@pytest.fixture(autouse=True)
def _default_language() -> None:
    # LocaleMiddleware activates each request's language on the thread and leaves it there; a
    # test that calls services directly must not inherit the language of the previous test's
    # last request.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def make_world() -> World:
    """The ``world`` fixture's organisations and people, for fixtures of a wider scope."""
    org = organisation_create(
        name="Alfa hyvinvointialue", slug="alfa", kind="wellbeing_county", business_id="0245437-2"
    )
    other = organisation_create(name="Beeta ry", slug="beeta", kind="ngo", business_id="1572860-0")
    people = {}
    for role in (Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR, Role.EVALUATOR):
        user = make_user(f"{role}@alfa.example", full_name=f"Alfa {role}")
        membership_add(organisation=org, user=user, role=role)
        people[role] = user
    outsider = make_user("admin@beeta.example", full_name="Beeta admin")
    membership_add(organisation=other, user=outsider, role=Role.ADMIN)
    return World(
        org=org,
        other_org=other,
        owner=people[Role.ADMIN],
        coordinator=people[Role.COORDINATOR],
        facilitator=people[Role.FACILITATOR],
        evaluator=people[Role.EVALUATOR],
        outsider=outsider,
    )


def signed_in(user: User) -> Client:
    """A test client signed in as the user, as if they had passed the sign-in and MFA steps."""
    client = Client(headers=BROWSER_HEADERS)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


@pytest.fixture
def owner_client(world: World) -> Client:
    return signed_in(world.owner)


@pytest.fixture
def outsider_client(world: World) -> Client:
    return signed_in(world.outsider)
