"""Faults injected into a running installation (issue 28; docs/deployment.md, "Faults").

One installation for the module: a throwaway database (an SQLite file, or on PostgreSQL a database
of its own beside the suite's), one gunicorn server with `make run`'s configuration
(deploy/gunicorn.conf.py, gthread workers) and background workers started and killed here.
Everything listens on the loopback address; every wait is a poll with a deadline.

- a gunicorn worker killed between the answer's commit and the response: the sender sees a
  connection reset, sends the same form again, and the answer is stored once (one-time keys);
- a background worker killed mid-PDF: the task is taken back (its lease runs out), run again by
  another worker, and the waiting page offers the file (or says that it failed) within its limit;
- SQLite: another process holding the write lock: the answer is refused with a 503 within the
  short busy timeout, the health check answers at once, and the kept answers are stored once sent
  again;
- PostgreSQL: the server's connections terminated (the next request reconnects), then no
  connections allowed (an outage): a 503 with the typed answers kept, stored once sent again.

The kill between commit and response is made by a middleware that only this module's settings
add; the stuck PDF by a worker whose file maker never returns.
"""

import html
import json
import os
import re
import secrets
import signal
import sqlite3
import subprocess
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from cryptography.fernet import Fernet
from django.conf import settings

from tests.installation import install_database, postgres_server
from tests.test_multiserver import (
    PYTHON,
    ROOT,
    SERVER_SETTINGS,
    Browser,
    Server,
    free_port,
    script,
    stop,
    wait_until_up,
)

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
BUSY_TIMEOUT = 1.0  # SQLITE_BUSY_TIMEOUT of the server here (5 s by default)
LEASE = 2.0  # TASK_LEASE_SECONDS here (60 s by default)
# `make run`'s configuration file, with one worker so that the killed one is the one answering.
GUNICORN = [PYTHON, "-m", "gunicorn", "pilotti.wsgi", "--config", "deploy/gunicorn.conf.py", "--workers", "1"]
GUNICORN += ["--no-control-socket"]

FAULT_SETTINGS = SERVER_SETTINGS + 'MIDDLEWARE = ["fault_middleware.KillAfterCommit", *MIDDLEWARE]  # noqa: F405\n'

FAULT_MIDDLEWARE = """\
import os
import signal


class KillAfterCommit:
    \"\"\"Outermost: the view has committed; the worker dies before a byte of the response is sent.\"\"\"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("X-Fault") == "kill-after-commit":
            os.kill(os.getpid(), signal.SIGKILL)
        return response
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
from tests.factories import panel_for, unit_with_meetings

org = organisation_create(name="Vikojen alue", slug="viat", kind="wellbeing_county", business_id="0245437-2")
# A demo account skips the TOTP step (tested in pilotti/accounts); the sign-in is otherwise real.
facilitator = User.objects.create_user(email="ohjaaja@viat.example", password="faults 2030 faults", is_demo=True)
membership_add(organisation=org, user=facilitator, role=Role.FACILITATOR)
unit, [meeting] = unit_with_meetings(org, facilitator=facilitator, at=[timezone.now() - timedelta(minutes=30)])
panel = panel_for(meeting, kiosk=True)
print(json.dumps({
    "email": facilitator.email, "password": "faults 2030 faults", "meeting": meeting.pk,
    "panel": panel.code, "programme": unit.programme.slug,
}))
"""

# A worker whose PDF never gets made: it is killed while it makes it.
STUCK_WORKER = """\
import time
from pathlib import Path

import django

django.setup()
from django.core.management import call_command

from pilotti.evaluation import files


def stuck(generated):
    Path(MARK).write_text(str(generated.uuid))
    time.sleep(600)


files._make = stuck
call_command("db_worker", "--no-startup-delay", "--interval", "0.2")
"""


@dataclass
class Install:
    env: dict[str, str]
    server: Server
    seed: dict[str, object]
    folder: Path
    database_url: str

    @property
    def worker_env(self) -> dict[str, str]:
        """Workers wait for SQLite's lock as long as by default: only the server's refusal is tested."""
        return {**self.env, "SQLITE_BUSY_TIMEOUT": "5"}

    @property
    def panel(self) -> str:
        return f"{self.server.base}/p/{self.seed['panel']}/?lang=fi"

    def one(self, sql: str, *params: object) -> object:
        """The first column of the first row, read straight from the database."""
        if ON_POSTGRESQL:
            with psycopg.connect(self.database_url) as connection:
                row = connection.execute(sql, list(params)).fetchone()
        else:
            with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as connection:
                row = connection.execute(sql.replace("%s", "?"), params).fetchone()
        assert row is not None
        return row[0]

    def answers(self) -> int:
        """The panel answers stored for the meeting."""
        return int(
            str(self.one("SELECT count(*) FROM instruments_response WHERE meeting_id = %s", self.seed["meeting"]))
        )


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not ON_POSTGRESQL:
        yield f"sqlite:///{tmp_path_factory.mktemp('faults') / 'faults.sqlite3'}"
        return
    name = f"{dj_database_url.parse(os.environ['DATABASE_URL'])['NAME']}_faults_{os.getpid()}"
    # Named here, made by install_database (a copy of the run's migrated database), dropped here.
    try:
        yield urllib.parse.urlunsplit(urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
    finally:
        with postgres_server() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[Install]:
    folder = tmp_path_factory.mktemp("install")
    (folder / "fault_settings.py").write_text(FAULT_SETTINGS)
    (folder / "fault_middleware.py").write_text(FAULT_MIDDLEWARE)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        PYTHONPATH=f"{folder}{os.pathsep}{ROOT}",
        DJANGO_SETTINGS_MODULE="fault_settings",
        DATABASE_URL=database_url,
        PILOTTI_VAR_DIR=str(folder / "var"),
        MEDIA_ROOT=str(folder / "media"),
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        HTTPS="off",
        DEBUG="",
        ALLOWED_HOSTS="127.0.0.1",
        TASKS_BACKEND="database",
        LOG_LEVEL="CRITICAL",
        SQLITE_BUSY_TIMEOUT=str(BUSY_TIMEOUT),
        TASK_HEARTBEAT_SECONDS="0.5",
        TASK_LEASE_SECONDS=str(LEASE),
        # The short conn_max_age of production, so that terminated connections are reused (and checked).
        DATABASE_CONN_MAX_AGE="60",
    )
    install_database(env)
    seed = script(env, SEED)
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_until_up(server, time.monotonic() + 60)
        yield Install(env, server, seed, folder, database_url)
    finally:
        stop(process)


def until(deadline_seconds: float, check: Callable[[], object], why: str) -> object:
    """Polls ``check`` until it returns something true, at most ``deadline_seconds``."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    raise AssertionError(f"not within {deadline_seconds} s: {why}")


def answer_form(browser: Browser, url: str, rating: str) -> dict[str, str]:
    page = browser.request(url)
    assert page.status == 200, page.body[:500]
    key = re.search(r'name="once" value="([^"]+)"', page.body)
    assert key, "the form carries no one-time key"
    return {"q-rating": rating, "once": key.group(1)}


def kept_fields(body: str) -> dict[str, str]:
    """The hidden fields of the 503 page's "Send my answers again" form."""
    return {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body)
    }


def test_a_resend_after_the_worker_died_mid_request_is_stored_once(install: Install) -> None:
    tablet = Browser()
    form = answer_form(tablet, install.panel, "9")
    before = install.answers()
    with pytest.raises(ConnectionError):  # reset: the tablet never hears "thank you"
        tablet.request(install.panel, form, {"X-Fault": "kill-after-commit"})
    assert install.answers() == before + 1  # yet the answer was committed
    # gunicorn starts a new worker; the tablet sends the same form again.
    again = until(30, lambda: (answer := tablet.request(install.panel, form)).status == 302 and answer, "resend")
    assert again.location.endswith("?thanks=1")  # type: ignore[attr-defined]
    assert install.answers() == before + 1


def test_a_worker_killed_mid_pdf_is_replaced_and_the_file_is_made(install: Install) -> None:
    base = install.server.base
    facilitator = Browser()
    facilitator.request(f"{base}/accounts/login/")
    signed = facilitator.request(
        f"{base}/accounts/login/", {"login": str(install.seed["email"]), "password": str(install.seed["password"])}
    )
    assert signed.status == 302, signed.body[:1000]
    asked = facilitator.request(f"{base}/programmes/{install.seed['programme']}/report.pdf", {})
    assert asked.status == 303, asked.body[:1000]
    mark = install.folder / "stuck"
    with (install.folder / "stuck-worker.log").open("wb") as log:
        stuck = subprocess.Popen(
            [PYTHON, "-c", f"MARK = {str(mark)!r}\n{STUCK_WORKER}"],
            cwd=ROOT,
            env=install.worker_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker: subprocess.Popen[bytes] | None = None
    try:
        until(30, mark.exists, "the first worker took the PDF")
        os.killpg(stuck.pid, signal.SIGKILL)  # a deploy's SIGKILL, an out-of-memory kill
        stuck.wait()
        with (install.folder / "worker.log").open("wb") as log:
            worker = subprocess.Popen(
                [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
                cwd=ROOT,
                env=install.worker_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def settled() -> str:
            """The download's address when the file is made; "failed" when the page says it failed."""
            page = facilitator.request(f"{base}{asked.location}").body
            found = re.search(r'href="([^"]+/download/)"', page)
            return found.group(1) if found else ("failed" if "Tiedostoa ei voitu luoda" in page else "")

        outcome = str(until(150, settled, "the file was neither made nor failed"))
        # Taken back from the killed worker and run again by the new one, never left "running".
        runs = install.one("SELECT worker_ids FROM django_tasks_database_dbtaskresult")
        assert len(json.loads(runs) if isinstance(runs, str) else runs) == 2  # type: ignore[arg-type]
        if outcome != "failed":  # a PDF the second run could not make is failed visibly: also within its limit
            file = facilitator.request(f"{base}{outcome}")
            assert file.status == 200
            assert file.body.startswith("%PDF")
    finally:
        for process in (stuck, worker):
            if process is not None:
                stop(process)


@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite write lock; PostgreSQL's faults are tested below")
def test_an_sqlite_lock_held_by_another_process_is_answered_within_the_busy_timeout(install: Install) -> None:
    phone = Browser()
    form = answer_form(phone, install.panel, "7")
    before = install.answers()
    holder = subprocess.Popen(
        [
            PYTHON,
            "-c",
            "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\nsys.stdin.read()",
            install.database_url.removeprefix("sqlite:///"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        health = phone.request(f"{install.server.base}/healthz")
        assert (health.status, time.monotonic() - started < 1) == (200, True)  # reads never wait on the lock
        started = time.monotonic()
        refused = phone.request(install.panel, form)
        waited = time.monotonic() - started
        assert refused.status == 503, refused.body[:1000]
        assert BUSY_TIMEOUT <= waited < BUSY_TIMEOUT + 3
        assert "Yritä hetken päästä uudelleen" in refused.body
        kept = kept_fields(refused.body)
        assert kept["q-rating"] == "7"
        assert kept["once"] == form["once"]
    finally:
        holder.communicate(timeout=10)  # closes its input: the other process lets go
    assert phone.request(install.panel, kept).status == 302
    assert phone.request(install.panel, kept).status == 302  # sent twice: stored once
    assert install.answers() == before + 1


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's connections; this pass runs on SQLite")
def test_postgresql_connections_killed_and_an_outage_are_answered_kindly(install: Install) -> None:
    name = dj_database_url.parse(install.database_url)["NAME"]
    terminate = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    phone = Browser()
    before = install.answers()
    with postgres_server() as admin:
        admin.execute(terminate, [name])
        # The server's kept connections are dead: the next request checks and replaces them.
        assert phone.request(install.panel, answer_form(phone, install.panel, "8")).status == 302
        form = answer_form(phone, install.panel, "6")
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            admin.execute(terminate, [name])
            refused = phone.request(install.panel, form)
            assert refused.status == 503, refused.body[:1000]
            assert "Yritä hetken päästä uudelleen" in refused.body
            kept = kept_fields(refused.body)
            assert (kept["q-rating"], kept["once"]) == ("6", form["once"])
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert until(15, lambda: phone.request(install.panel, kept).status == 302, "the database is back")
    assert phone.request(install.panel, kept).status == 302
    assert install.answers() == before + 2
