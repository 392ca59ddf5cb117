"""Backup and restore: what was backed up comes back, row for row, on SQLite and PostgreSQL."""

import os
import shutil
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from conftest import make_world
from pilotti.audit.models import AccessLog
from pilotti.audit.services import log_access
from pilotti.core.backup import fingerprint
from pilotti.people.models import Participant
from tests.factories import make_participant

needs_pg_tools = pytest.mark.skipif(
    connection.vendor == "postgresql" and shutil.which("pg_dump") is None and os.environ.get("CI") != "true",
    reason="pg_dump is not installed (under CI=true this fails instead)",
)


@needs_pg_tools
@pytest.mark.django_db(transaction=True)  # pg_dump runs in another process: the data must be committed
def test_it_restores_exactly_what_was_backed_up(tmp_path: Path) -> None:
    world = make_world()
    participant = make_participant(world.org, name="Varmuuskopioitu Henkilö")
    log_access(
        world.coordinator, participant=participant, action="view", category="contact_details", purpose="client_work"
    )  # type: ignore[arg-type]
    before = fingerprint()
    assert before["people_participant"][0] == 1
    out = tmp_path / "pilotti.backup"

    call_command("backup", out=out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # it holds everyone's data

    # Lose and change data after the backup: a new person, and the access log emptied in a way
    # the application itself refuses (as a broken disk or an intruder would).
    make_participant(world.org, name="Myöhemmin Lisätty")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE audit_accesslog")
        else:
            cursor.execute("DELETE FROM audit_accesslog")
    assert fingerprint() != before

    call_command("restore", str(out), noinput=True)
    assert fingerprint() == before
    assert Participant.objects.get() == participant
    assert AccessLog.objects.get().participant == participant


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_a_backup_of_this_kind_of_database(tmp_path: Path) -> None:
    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a database")
    with pytest.raises(CommandError, match=r"is not an? (SQLite|PostgreSQL) backup"):
        call_command("restore", str(wrong), noinput=True)


@pytest.mark.django_db
def test_it_does_not_overwrite_an_existing_file_unless_asked(tmp_path: Path) -> None:
    out = tmp_path / "existing.backup"
    out.write_text("earlier backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", out=out)
    assert out.read_text() == "earlier backup"
