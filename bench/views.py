"""The floor of the client-panel throughput: a Django view that inserts one row and redirects.

It goes through the same middleware (sessions, CSRF, security headers, the organisation
middleware) as the client panel, and writes one row in a transaction, as the panel does; the
difference between the two is Pilotti's own work per answer. Reached only through
``bench.throughput_settings`` (see there).
"""

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

TABLE = "scale_bench_row"


def create_table() -> None:
    """The benchmark's own table, outside the migrations: it exists only in benchmark databases."""
    key = "BIGSERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id {key}, value INTEGER NOT NULL)")


@require_POST
def insert_one(request: HttpRequest) -> HttpResponse:
    value = int(request.POST.get("value", "0") or 0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (value) VALUES (%s)", [value])  # noqa: S608 - a constant table name
    return HttpResponseRedirect(request.path)
