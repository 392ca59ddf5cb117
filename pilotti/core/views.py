from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pilotti.measurement.selectors import open_alerts_for
from pilotti.programmes.selectors import my_week


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Open safety alerts come first after sign-in, then a facilitator's meetings today and this week.
    context = {
        "safety_alerts": open_alerts_for(request.user),  # type: ignore[arg-type]
        "week": my_week(request.user, timezone.now()),  # type: ignore[arg-type]
    }
    return render(request, "core/home.html", context)
