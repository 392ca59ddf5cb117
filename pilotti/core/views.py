from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEALTHZ_SQLITE_WAIT_MS = 100


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 when it does not (for load balancers).

    On SQLite the check waits at most HEALTHZ_SQLITE_WAIT_MS for a lock, never the requests'
    busy timeout: a process holding the write lock must not make the health check queue too."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA busy_timeout = {HEALTHZ_SQLITE_WAIT_MS}")
            try:
                cursor.execute("SELECT count(*) FROM sqlite_master" if connection.vendor == "sqlite" else "SELECT 1")
                cursor.fetchone()
            finally:
                if connection.vendor == "sqlite":
                    busy_ms = int(float(connection.settings_dict["OPTIONS"].get("timeout", 5)) * 1000)
                    cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
