from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pilotti.measurement.selectors import open_alerts_for
from pilotti.measurement.services import alerts_shown
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.programmes.selectors import my_week

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


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Open safety alerts come first after sign-in, then a facilitator's meetings today and this week.
    alerts = open_alerts_for(request.viewer)
    alerts_shown(request=request, alerts=alerts)
    context = {"safety_alerts": alerts, "week": my_week(request.viewer, timezone.now())}
    return render(request, "core/home.html", context)
