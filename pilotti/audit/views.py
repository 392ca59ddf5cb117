"""The security event log page (superusers only) and the CSRF failure view that records one."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.http import require_GET

from pilotti.audit import selectors
from pilotti.audit.models import EventKind
from pilotti.audit.security import record_security_event


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's own CSRF failure page, after recording the failure with Django's reason."""
    record_security_event(EventKind.CSRF_FAILED, request=request, status=403, detail=reason)
    return django_csrf_failure(request, reason)


@require_GET
def security_events(request: HttpRequest) -> HttpResponse:
    """Install-wide, so neither organisation admins nor anyone else but a superuser sees it."""
    if not selectors.can_see_security_events(request.user):
        raise Http404
    kind = request.GET.get("kind", "")
    days = 30 if request.GET.get("days") not in {"1", "7", "30", "365"} else int(request.GET["days"])
    events = selectors.security_events(
        request.user, kind=kind if kind in EventKind.values else "", since=timezone.now() - timedelta(days=days)
    )
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    context = {"page": page, "kinds": EventKind.choices, "kind": kind, "days": days}
    return render(request, "audit/security_events.html", context)
