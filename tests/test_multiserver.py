"""Two app servers, one database: nothing is lost or duplicated, and nothing lives in one server.

Starts two gunicorn servers on free ports against one throwaway database (on PostgreSQL: a
database of its own on the suite's server, created and dropped here; on SQLite: a temporary
file both servers open), then loads both at once from threads, as a group's phones and a
facilitator's tablet would behind a load balancer:

- anonymous client-panel answers (/p/<code>/, each "phone" with its own cookies and CSRF token),
  half through each server;
- roll-call taps by one facilitator who signed in on server A, every person tapped through both
  servers at the same moment (a retried tap): the session lives in the database;
- report PDFs asked for through both servers: the hourly limit counts in the shared cache, and a
  PDF asked for on A is made by a separate worker process (`manage.py db_worker`) and downloaded
  through B: the queue and the file storage are shared.

Then the database must hold exactly one answer per phone whose POST succeeded, with the ratings
that were sent, and exactly one attendance row per person.

The servers run the production settings (pilotti.settings), except that static files are served
from the apps, so that no collectstatic is needed.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import dj_database_url
import pytest
from cryptography.fernet import Fernet
from django.conf import settings

from tests.installation import install_database, postgres_server

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PHONES = 40  # anonymous client-panel answers
PEOPLE = 12  # roll-call rows, each tapped through both servers
THREADS = 8
GUNICORN = [PYTHON, "-m", "gunicorn", "pilotti.wsgi", "--workers", "2", "--timeout", "60", "--no-control-socket"]
PDFS_PER_HOUR = 20  # pilotti.evaluation.views.PDFS_PER_HOUR

SERVER_SETTINGS = """\
from pilotti.settings import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
"""

SEED = """\
import json
from datetime import timedelta

import django

django.setup()
from django.utils import timezone

from pilotti.accounts.models import User
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from tests.factories import add_participants, panel_for, unit_with_meetings

org = organisation_create(name="Monen palvelimen alue", slug="monta", kind="wellbeing_county", business_id="0245437-2")
# A demo account skips the TOTP step (tested in pilotti/accounts); the sign-in is otherwise real.
facilitator = User.objects.create_user(email="ohjaaja@monta.example", password="multi server 2030", is_demo=True)
membership_add(organisation=org, user=facilitator, role=Role.FACILITATOR)
unit, [meeting] = unit_with_meetings(org, facilitator=facilitator, at=[timezone.now() - timedelta(minutes=30)])
people = add_participants(unit, PEOPLE)
panel = panel_for(meeting)
print(json.dumps({
    "email": facilitator.email,
    "password": "multi server 2030",
    "meeting": str(meeting.uuid),
    "people": [str(person.uuid) for person in people],
    "panel": panel.code,
    "programme": unit.programme.slug,
}))
"""

CHECK = """\
import json

import django

django.setup()
from pilotti.instruments.models import Mode, Response
from pilotti.meetings.models import Attendance
from pilotti.meetings.models import Meeting

meeting = Meeting.objects.get(uuid=MEETING)
answers = Response.objects.filter(meeting=meeting, mode=Mode.CLIENT_PANEL)
print(json.dumps({
    "totals": sorted(int(total) for total in answers.values_list("total", flat=True)),
    "attendance": sorted(
        [str(participant), status]
        for participant, status in Attendance.objects.filter(meeting=meeting).values_list("participant__uuid", "status")
    ),
}))
"""


# --- The throwaway database ------------------------------------------------------------------


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """On PostgreSQL a new database beside the suite's; on SQLite a file in the test's folder."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'multiserver.sqlite3'}"
        return
    name = f"{dj_database_url.parse(os.environ['DATABASE_URL'])['NAME']}_multiserver_{os.getpid()}"
    # Named here, made by install_database (a copy of the run's migrated database), dropped here.
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with postgres_server() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """What every server and worker of one installation shares: the database, the keys, the files."""
    (tmp_path / "multiserver_settings.py").write_text(SERVER_SETTINGS)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}",
        DJANGO_SETTINGS_MODULE="multiserver_settings",
        DATABASE_URL=database_url,
        PILOTTI_VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        HTTPS="off",
        DEBUG="",
        ALLOWED_HOSTS="127.0.0.1",
        CACHE_URL="db://pilotti_cache",
        TASKS_BACKEND="database",
        LOG_LEVEL="WARNING",
        # Every phone here has the address 127.0.0.1: the per-address limits would stop the test.
        SURVEY_PANEL_RATE_LIMIT="100000",
        SURVEY_PAGE_RATE_PER_IP="100000",
        SURVEY_PAGE_RATE_PER_PANEL="100000",
    )
    return env


def script(env: dict[str, str], source: str, timeout: float = 60) -> dict[str, object]:
    done = subprocess.run(
        [PYTHON, "-c", source], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- The servers -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path


def start_server(env: dict[str, str], log: Path) -> Server:
    port = free_port()
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(process, f"http://127.0.0.1:{port}", log)


def errors(servers: list[Server]) -> str:
    """The servers' logged errors, for a failure's message."""
    return "\n".join(line for server in servers for line in server.log.read_text().splitlines() if "Error" in line)


def wait_until_up(server: Server, deadline: float) -> None:
    last: object = None
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"{server.base} exited:\n{server.log.read_text()}"
        try:
            # The first request of a worker loads every view: slow on a busy machine.
            with urllib.request.urlopen(f"{server.base}/healthz", timeout=30) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except OSError as error:
            last = error
            time.sleep(0.2)
    raise AssertionError(f"{server.base} did not answer ({last}):\n{server.log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- A browser, as far as the test needs one -------------------------------------------------


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Answer:
    status: int
    body: str
    location: str = ""


@dataclass
class Browser:
    """One device: its own cookies (session, CSRF, the panel's device cookie)."""

    cookies: CookieJar = field(default_factory=CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects)

    def request(self, url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> Answer:
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310 - our own server
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, response.read().decode(errors="replace"))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(errors="replace"), error.headers.get("Location", ""))

    def csrf(self) -> str:
        # The cookie's secret is a valid form token too; both servers know it (same SECRET_KEY
        # is not even needed for CSRF: the secret travels in the cookie).
        return next((cookie.value or "" for cookie in self.cookies if cookie.name == "pilotti-csrf"), "")


class Clock:
    """Phase times, printed for `pytest -s` (the figures in docs/deployment.md)."""

    def __init__(self) -> None:
        self.last = self.start = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        print(f"multiserver: {name} {now - self.last:.1f} s (total {now - self.start:.1f} s)")
        self.last = now


# --- The test --------------------------------------------------------------------------------


def test_two_servers_lose_and_duplicate_nothing(server_env: dict[str, str], tmp_path: Path) -> None:
    clock = Clock()
    install_database(server_env)
    clock.lap("database")
    seed = script(server_env, f"PEOPLE = {PEOPLE}\n{SEED}")
    clock.lap("seed")
    servers = [start_server(server_env, tmp_path / f"server-{n}.log") for n in (1, 2)]
    worker: subprocess.Popen[bytes] | None = None
    try:
        deadline = time.monotonic() + 90
        for server in servers:
            wait_until_up(server, deadline)
        a, b = (server.base for server in servers)
        clock.lap("servers up")

        # The facilitator signs in on A; the session is in the database, so B knows them too.
        tablet = Browser()
        tablet.request(f"{a}/accounts/login/")
        signed = tablet.request(
            f"{a}/accounts/login/", {"login": str(seed["email"]), "password": str(seed["password"])}
        )
        assert signed.status == 302, signed.body[:2000]
        meeting_url = f"/meetings/{seed['meeting']}/"
        assert tablet.request(f"{b}{meeting_url}").status == 200

        # PDFs: the first, asked on A, goes to a worker of its own; the hourly limit is shared.
        report_pdf = f"/programmes/{seed['programme']}/report.pdf"
        first = tablet.request(f"{a}{report_pdf}", {})  # a POST: PDFs are not made by GET
        assert first.status == 303, first.body[:2000]
        with (tmp_path / "worker.log").open("wb") as worker_log:
            worker = subprocess.Popen(
                [PYTHON, "manage.py", "db_worker", "--max-tasks", "1", "--no-startup-delay", "--interval", "0.2"],
                cwd=ROOT,
                env=server_env,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        for n in range(1, PDFS_PER_HOUR):  # different filters, so each is a new file
            asked = tablet.request(f"{(a, b)[n % 2]}{report_pdf}?dose={n}", {})
            assert asked.status == 303, (n, asked.status)
        assert tablet.request(f"{b}{report_pdf}?dose=99", {}).status == 429  # the 21st, wherever asked

        # The load: phones answer the panel through both servers while the facilitator taps.
        panel_url = f"/p/{seed['panel']}/?lang=fi"

        def phone(n: int) -> tuple[int, int]:
            browser, base, rating = Browser(), (a, b)[n % 2], 1 + n % 10
            assert browser.request(f"{base}{panel_url}").status == 200
            return browser.request(f"{base}{panel_url}", {"q-rating": str(rating)}).status, rating

        def tap(job: tuple[str, str]) -> int:
            person, base = job
            return tablet.request(
                f"{base}{meeting_url}attendance/{person}/", {"status": "present"}, {"HX-Request": "true"}
            ).status

        taps = [(str(person), base) for person in seed["people"] for base in (a, b)]  # type: ignore[attr-defined]
        with ThreadPoolExecutor(THREADS) as pool:
            phones = pool.map(phone, range(PHONES))
            tapped = pool.map(tap, taps)
            phone_results, tap_results = list(phones), list(tapped)

        clock.lap("load")
        assert [status for status, _rating in phone_results] == [302] * PHONES, errors(servers)
        assert tap_results == [200] * len(taps), errors(servers)
        stored = script(server_env, f"MEETING = {str(seed['meeting'])!r}\n{CHECK}")
        assert stored["totals"] == sorted(rating for _status, rating in phone_results)
        assert stored["attendance"] == sorted([person, "present"] for person in seed["people"])  # type: ignore[attr-defined]

        # The first PDF, made by the worker, is waiting on B, and B hands it out.
        status_url = first.location
        download = None
        waited = time.monotonic() + 60
        while time.monotonic() < waited:
            page = tablet.request(f"{b}{status_url}")
            assert page.status == 200
            if match := re.search(r'href="([^"]+/download/)"', page.body):
                download = match.group(1)
                break
            time.sleep(0.3)
        assert download is not None, (tmp_path / "worker.log").read_text()
        file = tablet.request(f"{b}{download}")
        assert file.status == 200
        assert file.body.startswith("%PDF")
        clock.lap("pdf")
    finally:
        for process in [server.process for server in servers] + ([worker] if worker else []):
            stop(process)


# --- The cache's configuration ---------------------------------------------------------------


def test_cache_url_names_a_shared_cache() -> None:
    from pilotti.settings import cache_from_url

    assert cache_from_url("db://pilotti_cache") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pilotti_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
    assert cache_from_url("redis://cache.internal:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
    }
    assert cache_from_url("memcached://cache.internal:11211")["LOCATION"] == "cache.internal:11211"
    with pytest.raises(ValueError, match=r"CACHE_URL must start with one of db://, redis://"):
        cache_from_url("cache.internal:6379")
