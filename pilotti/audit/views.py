"""The security event log page (superusers only), the CSRF failure view that records one, and an
organisation admin's (data protection contact's) view of the organisation's access log and its
members' security events."""

import csv
from dataclasses import asdict
from datetime import UTC, timedelta

from allauth.account.decorators import reauthentication_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from pilotti.audit import selectors
from pilotti.audit.forms import AccessLogFilterForm
from pilotti.audit.models import AccessLog, Action, Category, EventKind, Purpose
from pilotti.audit.security import record_security_event
from pilotti.audit.selectors import LogFilters
from pilotti.audit.services import log_access
from pilotti.core import faults
from pilotti.core.spreadsheets import write_csv_rows
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.models import Organisation


def _period(request: HttpRequest) -> int:
    """The days a security-event page looks back (audit/_period.html's choices), 30 unless chosen."""
    return 30 if request.GET.get("days") not in {"1", "7", "30", "365"} else int(request.GET["days"])


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The CSRF failure page in the person's language (core/faults.py), after recording the
    failure with Django's reason."""
    record_security_event(EventKind.CSRF_FAILED, request=request, status=403, detail=reason)
    return faults.csrf_failed(request)


@require_GET
def security_events(request: HttpRequest) -> HttpResponse:
    """Install-wide, so neither organisation admins nor anyone else but a superuser sees it."""
    if not selectors.can_see_security_events(request.user):
        raise Http404
    kind = request.GET.get("kind", "")
    days = _period(request)
    events = selectors.security_events(
        request.user, kind=kind if kind in EventKind.values else "", since=timezone.now() - timedelta(days=days)
    )
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    context = {"page": page, "kinds": EventKind.choices, "kind": kind, "days": days}
    return render(request, "audit/security_events.html", context)


def _organisation_log(request: AuthenticatedHttpRequest) -> tuple[Organisation, AccessLogFilterForm, LogFilters]:
    organisation = selectors.administered_organisation(request.viewer)
    if organisation is None:
        raise Http404
    form = AccessLogFilterForm(request.GET or None, users=selectors.access_log_users(organisation))
    return organisation, form, form.filters()


def _log_supervision(request: AuthenticatedHttpRequest, organisation: Organisation, action: Action, item: str) -> None:
    """Reading the log is itself logged, so that the log shows who looked at it and for what."""
    log_access(
        request, organisation=organisation, action=action, category=Category.ACCESS_LOG,
        purpose=Purpose.SUPERVISION, item=item,
    )  # fmt: skip


@login_required
@require_GET
def organisation_access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisation's whole access log, for its admins (often its data protection contact)."""
    organisation, form, filters = _organisation_log(request)
    page = Paginator(selectors.organisation_access_log(organisation, filters), 100).get_page(request.GET.get("page"))
    _log_supervision(request, organisation, Action.VIEW, _described(filters))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "organisation": organisation}
    return render(request, "audit/organisation_access_log.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
@reauthentication_required
def organisation_access_log_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The filtered log as CSV, every text cell made safe for spreadsheets (core.spreadsheets)."""
    organisation, form, filters = _organisation_log(request)
    if form.errors:
        return redirect(f"{reverse('audit:organisation_access_log')}?{request.GET.urlencode()}")
    _log_supervision(request, organisation, Action.EXPORT, _described(filters))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{organisation.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    rows = selectors.organisation_access_log(organisation, filters).iterator(chunk_size=2000)
    write_csv_rows(writer, (_csv_row(entry) for entry in rows))
    return response


CSV_COLUMNS = (
    "at_utc", "user_email", "role", "participant_code", "action", "category", "item", "purpose", "result",
    "ip_address", "user_agent", "path",
)  # fmt: skip


def _csv_row(entry: AccessLog) -> list[object]:
    return [
        entry.at.astimezone(UTC).isoformat(timespec="seconds"), entry.user_email, entry.role, entry.participant_code,
        entry.action, entry.category, entry.item, entry.purpose, entry.result, entry.ip_address or "",
        entry.user_agent, entry.path,
    ]  # fmt: skip


def _described(filters: LogFilters) -> str:
    """The filters as the log entry's details: what the reader asked to see."""
    chosen = {name: value for name, value in asdict(filters).items() if value}
    return ", ".join(f"{name}={value}" for name, value in chosen.items()) or "all"


@login_required
@require_GET
def organisation_security_events(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The security events of the organisation's members over the chosen period."""
    organisation = selectors.administered_organisation(request.viewer)
    if organisation is None:
        raise Http404
    days = _period(request)
    events = selectors.organisation_security_events(organisation, since=timezone.now() - timedelta(days=days))
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    _log_supervision(request, organisation, Action.VIEW, f"security events, {days} days")
    context = {"page": page, "days": days, "organisation": organisation}
    return render(request, "audit/organisation_security_events.html", context)
