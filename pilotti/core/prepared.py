"""Prepared statements for the few statements every request of a busy page runs.

Django binds parameters on the client with psycopg 3 and never prepares (``prepare_threshold``
is None unless set), so PostgreSQL plans each statement anew: for the client panel's read,
which joins six tables, planning took 0.5–0.6 ms against 0.05–0.09 ms executing it
(docs/benchmarks.md). ``cursor`` gives a cursor that binds on the server and prepares each
statement on a connection's first use of it; later uses on that connection skip the planning.

Only where it pays and is safe: PostgreSQL with persistent connections
(``settings.DATABASE_PREPARED_STATEMENTS``, on by default when ``DATABASE_CONN_MAX_AGE`` is not
0). A connection opened per request would prepare every time, one round trip more, and PgBouncer
in transaction mode (run with ``DATABASE_CONN_MAX_AGE=0``, docs/deployment.md) may hand the next
statement to a server connection that never saw the preparation. Every other statement keeps
Django's client-side binding; only the statements written for this module use it, so the
``%s`` placeholders and types they bind are known to work on the server.
"""

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

# psycopg prepares only on a connection whose threshold is set. Django's own cursors bind on
# the client and never prepare whatever the threshold, and this module's cursors ask for
# preparation themselves, so a threshold that is never reached changes nothing else.
_NEVER = 2**31 - 1


def enabled(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql" and bool(getattr(settings, "DATABASE_PREPARED_STATEMENTS", False))


@contextmanager
def cursor(connection: BaseDatabaseWrapper) -> Iterator[CursorWrapper]:
    """Django's cursor (health check, error wrapping, query logging as usual); on PostgreSQL,
    when ``enabled``, it binds on the server and prepares what it runs."""
    with connection.cursor() as wrapper:
        if enabled(connection):
            raw = connection.connection
            if raw.prepare_threshold is None:
                raw.prepare_threshold = _NEVER
            client_side = wrapper.cursor
            wrapper.cursor = _preparing_cursor_class()(raw)
            wrapper.cursor.logged = connection.queries_logged
            client_side.close()
        yield wrapper


@functools.cache
def _preparing_cursor_class() -> Any:
    """Built on the first use: the PostgreSQL backend imports psycopg, which SQLite sites lack."""
    from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]

    class PreparingCursor(ServerBindingCursor):
        logged = False

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            result = super().execute(query, params, prepare=True, **kwargs)
            if self.logged and getattr(self, "_query", None) is None:  # a prepared run keeps none for Django's log
                self._query = self._convert_query(query, params)
            return result

    return PreparingCursor
