"""Backup and restore of the database: SQLite with its online backup API, PostgreSQL with
pg_dump/pg_restore. Used by ``manage.py backup`` and ``manage.py restore`` (docs/security.md).

The file holds every person's data: it is created readable by its owner only (0600). It does
not hold the contact-detail encryption keys (``FIELD_ENCRYPTION_KEYS`` or
var/field_encryption_key), which must be backed up separately: without them a restored
database's contact details cannot be read, and with them beside it a stolen backup can.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(Exception):
    """The backup or restore could not be made; the message says why and what to do."""


def _create_private(path: Path, *, overwrite: bool) -> None:
    if path.exists() and not overwrite:
        raise BackupError(f"{path} exists already. Choose another file, or pass --force to replace it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _pg_environment(connection: BaseDatabaseWrapper) -> tuple[dict[str, str], str]:
    """libpq's environment for the connection: the password never appears on a command line."""
    params = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[variable] = str(params[key])
    return env, str(params["NAME"])


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} was not found. Install the PostgreSQL client (Debian: postgresql-client).")
    return tool


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup(out: Path, *, alias: str = "default", overwrite: bool = False) -> None:
    connection = connections[alias]
    _create_private(out, overwrite=overwrite)
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            # The online backup API copies a consistent snapshot while the app keeps running.
            with sqlite3.connect(out) as target:
                connection.connection.backup(target)
            target.close()
        elif connection.vendor == "postgresql":
            env, name = _pg_environment(connection)
            _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out}", name], env)
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    except BaseException:
        out.unlink(missing_ok=True)  # no half-written backup left to be trusted later
        raise


def restore(source: Path, *, alias: str = "default") -> None:
    """Replaces the database's contents with the backup's. The app should be stopped."""
    connection = connections[alias]
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with source.open("rb") as handle:
        head = handle.read(16)
    if connection.vendor == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source} is not an SQLite backup (made by `manage.py backup` from SQLite).")
        connection.ensure_connection()
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
            backup_db.backup(connection.connection)
        backup_db.close()
    elif connection.vendor == "postgresql":
        if not head.startswith(PG_CUSTOM_MAGIC):
            raise BackupError(f"{source} is not a PostgreSQL backup (made by `manage.py backup` from PostgreSQL).")
        env, name = _pg_environment(connection)
        connection.close()  # pg_restore drops and recreates the tables this connection may hold
        command = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*command, f"--dbname={name}", str(source)], env)
    else:
        raise BackupError(f"Restoring {connection.vendor} databases is not supported.")


def fingerprint(alias: str = "default") -> dict[str, tuple[int, str]]:
    """Every table's row count and a SHA-256 of its rows (sorted, so storage order does not
    matter): two databases with equal fingerprints hold the same data."""
    connection = connections[alias]
    result: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  (names from the catalogue)
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            result[table] = (len(rows), digest)
    return result
