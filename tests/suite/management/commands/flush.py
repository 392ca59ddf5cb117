"""The database flush that ends every test with committed data (browser tests, the live server,
``transaction=True``), keeping the content types and permissions.

Django's own flush empties every table and then makes the content types and permissions again
in the post-migrate signal: on PostgreSQL about half a second of each such test's teardown,
more than the TRUNCATE itself (issue 24). The two tables hold what the migrations made, which no
test changes, so keeping them leaves the database as a flushed and re-filled one would be, with
the same keys (nothing cached by key goes stale). The post-migrate signal still runs for every
other receiver. Asked interactively, as a person at a prompt would, it is Django's flush.
"""

from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.management.commands import flush
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections

KEPT = frozenset({ContentType._meta.db_table, Permission._meta.db_table})


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        if options["interactive"]:
            super().handle(**options)
            return
        connection = connections[options["database"]]
        tables = [
            table
            for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
            if table not in KEPT
        ]
        statements = connection.ops.sql_flush(
            no_style(),
            tables,
            reset_sequences=options.get("reset_sequences", True),
            allow_cascade=options.get("allow_cascade", False),
        )
        connection.ops.execute_sql_flush(statements)
        if not options.get("inhibit_post_migrate", False):
            emit_post_migrate_signal(options["verbosity"], options["interactive"], options["database"])
