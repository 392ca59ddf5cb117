"""The database of a new installation, for the suite's test databases and for the tests that run
Pilotti in processes of their own (tests/test_multiserver.py, tests/test_proxy.py,
tests/test_faults.py).

Each of these used to run the migrations on an empty database of its own: 20–30 s of processor
time apiece, minutes on a busy machine (issue 24), five times a pass. Now the first of them in a
run migrates one database with ``manage.py migrate`` under production settings, and every one of
them gets a copy of it: on PostgreSQL ``CREATE DATABASE … TEMPLATE``, on SQLite a copy with
SQLite's backup (into a file, or into a worker's in-memory test database). pytest-xdist's workers
share the migrated database through a lock file; the run's name comes from the controlling
process (``RUN``, set in the root conftest), which removes the database at the end.
"""

import fcntl
import os
import secrets
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
from cryptography.fernet import Fernet
from django.db.backends.base.base import BaseDatabaseWrapper

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
        _ensure_template()
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


@contextmanager
def migrated_test_database(connection: BaseDatabaseWrapper, keepdb: bool) -> Iterator[None]:
    """Around the creation of a worker's test database (the suite's ``django_db_setup``): Django
    then finds every migration applied instead of applying them (25 s). On PostgreSQL the
    test database is made from the migrated one, unless an existing one is kept (``--reuse-db``);
    on SQLite the migrated database is copied into the in-memory test database, which a
    connection held here keeps alive until the end of the session. The migrated database is a
    production installation's, so the test database also has the database cache's (empty) table."""
    if connection.vendor == "postgresql":
        # Workers may copy the migrated database at the same time: CREATE DATABASE only reads it.
        if not (keepdb and _exists(connection.creation._get_test_db_name())):
            with _locked():
                _ensure_template()
            connection.settings_dict["TEST"]["TEMPLATE"] = _template_name()
        yield
        return
    memory = sqlite3.connect(connection.creation._get_test_db_name(), uri=True)
    with closing(memory):
        with _locked():
            _ensure_template()
        with closing(sqlite3.connect(_template_file())) as source:
            source.backup(memory)
        yield


def _exists(database: str) -> bool:
    with postgres_server() as server:
        return server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone() is not None


def _ensure_template() -> None:
    """Under the lock: the run's migrated database, made by the first to ask."""
    if not _done_marker().exists():
        _migrate_template()
        _done_marker().touch()


def _migrate_template() -> None:
    if _on_postgresql():
        with postgres_server() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{_template_name()}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{_template_name()}"')
        suite = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        url = urllib.parse.urlunsplit(suite._replace(path=f"/{_template_name()}"))
    else:
        _template_file().unlink(missing_ok=True)
        url = f"sqlite:///{_template_file()}"
    # A production installation's settings, whoever asks first: the test settings would leave
    # out the database cache's table that the servers of the multi-server test use.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="pilotti.settings",
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        PILOTTI_VAR_DIR=tempfile.gettempdir(),
        HTTPS="off",
        DEBUG="",
        ALLOWED_HOSTS="127.0.0.1",
        CACHE_URL="db://pilotti_cache",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
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
