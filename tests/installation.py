"""The database of a new installation, for the tests that run Pilotti in processes of their own
(tests/test_multiserver.py, tests/test_proxy.py, tests/test_faults.py).

Each used to run ``manage.py migrate`` on its own empty database: 20–30 s of processor time
apiece, minutes on a busy machine (issue 24). Now the first of them in a run migrates one
database with the same command, and every one of them gets a copy of it: on PostgreSQL
``CREATE DATABASE … TEMPLATE``, on SQLite the file copied with SQLite's backup. pytest-xdist's
workers share the migrated database through a lock file; the run's name comes from the
controlling process (``RUN``, set in the root conftest), which removes the database at the end.
"""

import fcntl
import os
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent
RUN = "PILOTTI_TEST_RUN"


def start_run() -> None:
    """At configuration: the controlling process names the run before pytest-xdist starts its
    workers, which inherit the name."""
    os.environ.setdefault(RUN, uuid.uuid4().hex[:12])


def end_run() -> None:
    """In the controlling process, after every worker has finished."""
    if _on_postgresql() and _done_marker().exists():
        with postgres_server() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{_template_name()}" WITH (FORCE)')
    for path in (_template_file(), _done_marker(), _lock_file()):
        path.unlink(missing_ok=True)


def install_database(env: dict[str, str]) -> None:
    """Makes the database ``env["DATABASE_URL"]`` names (on PostgreSQL an existing database,
    dropped first; on SQLite a file path) a freshly migrated installation's."""
    with _locked():
        if not _done_marker().exists():
            _migrate_template(env)
            _done_marker().touch()
        target = env["DATABASE_URL"]
        if _on_postgresql():
            name = dj_database_url.parse(target)["NAME"]
            with postgres_server() as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{_template_name()}"')
        else:
            copy = target.removeprefix("sqlite:///")
            with closing(sqlite3.connect(_template_file())) as source, closing(sqlite3.connect(copy)) as to:
                source.backup(to)


def _migrate_template(env: dict[str, str]) -> None:
    if _on_postgresql():
        with postgres_server() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{_template_name()}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{_template_name()}"')
        suite = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        url = urllib.parse.urlunsplit(suite._replace(path=f"/{_template_name()}"))
    else:
        _template_file().unlink(missing_ok=True)
        url = f"sqlite:///{_template_file()}"
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"manage.py migrate failed:\n{done.stdout}\n{done.stderr}"


def _on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@contextmanager
def postgres_server() -> Iterator[psycopg.Connection[Any]]:
    suite = dj_database_url.parse(os.environ["DATABASE_URL"])
    with psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=suite["HOST"],
        port=suite["PORT"] or 5432,
        user=suite["USER"],
        password=suite["PASSWORD"],
    ) as connection:
        yield connection


@contextmanager
def _locked() -> Iterator[None]:
    with _lock_file().open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run() -> str:
    return os.environ[RUN]


def _template_name() -> str:
    return f"{dj_database_url.parse(os.environ['DATABASE_URL'])['NAME']}_migrated_{_run()}"


def _template_file() -> Path:
    return Path(tempfile.gettempdir()) / f"pilotti-migrated-{_run()}.sqlite3"


def _done_marker() -> Path:
    return Path(tempfile.gettempdir()) / f"pilotti-migrated-{_run()}.done"


def _lock_file() -> Path:
    return Path(tempfile.gettempdir()) / f"pilotti-migrated-{_run()}.lock"
