"""Prepared statements for the busiest statements: on PostgreSQL with persistent connections
only, each prepared once per connection; Django's own statements are never prepared."""

import pytest
from django.db import connection
from django.test import override_settings

from pilotti.core import prepared

pytestmark = pytest.mark.django_db

STATEMENT = "SELECT %s + 1"


def _prepared_statements() -> int:
    return len(connection.connection._prepared._names) if connection.vendor == "postgresql" else 0


def _run(value: int) -> int:
    with prepared.cursor(connection) as cursor:
        cursor.execute(STATEMENT, [value])
        return int(cursor.fetchone()[0])


@override_settings(DATABASE_PREPARED_STATEMENTS=True)
def test_a_statement_is_prepared_once_per_connection_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        assert not prepared.enabled(connection)  # SQLite keeps Django's cursor
        assert _run(1) == 2
        return
    connection.ensure_connection()
    before = _prepared_statements()
    assert [_run(n) for n in (1, 2, 3)] == [2, 3, 4]
    assert _prepared_statements() == before + 1
    with connection.cursor() as cursor:  # Django's own cursors bind on the client and never prepare
        for _n in range(10):
            cursor.execute("SELECT %s + 2", [1])
    assert _prepared_statements() == before + 1


@override_settings(DATABASE_PREPARED_STATEMENTS=False)
def test_nothing_is_prepared_when_it_is_off() -> None:
    # Off for a connection per request or a pooler in transaction mode (docs/deployment.md).
    connection.ensure_connection()
    before = _prepared_statements()
    assert [_run(n) for n in (4, 5)] == [5, 6]
    assert _prepared_statements() == before


def test_it_is_on_by_default_only_with_persistent_connections() -> None:
    from django.conf import settings

    persistent = connection.vendor == "postgresql" and settings.DATABASES["default"]["CONN_MAX_AGE"] != 0
    assert prepared.enabled(connection) is persistent
