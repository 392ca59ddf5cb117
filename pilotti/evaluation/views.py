"""The report page (per programme and per unit), its PDF and the person-level data exports.
Thin: the figures come from services.report_build, the charts from charts.with_charts, the
exports from exports.py."""

import time
from uuid import UUID

from allauth.account.decorators import reauthentication_required
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotti.accounts.models import User
from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access_many
from pilotti.evaluation import charts, exports, pdf, selectors, services
from pilotti.evaluation.forms import ReportFilterForm
from pilotti.programmes.models import DeliveryUnit, Programme

EXPORT_LINKS = [
    ("csv", gettext_lazy("CSV, one row per answer")),
    ("xlsx", gettext_lazy("Excel workbook: responses, answers and codebook")),
    ("sav", gettext_lazy("SPSS (.sav), one row per response")),
    ("dta", gettext_lazy("Stata (.dta), one row per response")),
    ("codebook", gettext_lazy("Codebook (CSV)")),
]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(selectors.reports_visible_to(_user(request)).select_related("organisation"), slug=slug)


def _unit(request: HttpRequest, unit_uuid: UUID) -> DeliveryUnit:
    user = _user(request)
    units = DeliveryUnit.objects.filter(programme__in=selectors.reports_visible_to(user)).select_related("programme")
    unit = get_object_or_404(units, uuid=unit_uuid)
    get_object_or_404(selectors.report_units(user, unit.programme).filter(Q(pk=unit.pk)))
    return unit


def _build(
    request: HttpRequest, programme: Programme, unit: DeliveryUnit | None
) -> tuple[dict[str, object], ReportFilterForm]:
    user = _user(request)
    internal_allowed = selectors.may_see_internal(user, programme)
    form = ReportFilterForm(
        request.GET or None, units=selectors.report_units(user, programme), internal_allowed=internal_allowed
    )
    report = services.report_build(
        user=user, programme=programme, filters=form.filters(unit), shared=form.wants_shared() or not internal_allowed
    )
    return charts.with_charts(report), form


def _page(request: HttpRequest, programme: Programme, unit: DeliveryUnit | None) -> HttpResponse:
    report, form = _build(request, programme, unit)
    context = {
        "programme": programme,
        "unit": unit,
        "report": report,
        "form": form,
        "query": request.GET.urlencode(),
        "export_formats": EXPORT_LINKS,
    }
    return render(request, "evaluation/report.html", context, status=400 if form.errors else 200)


def _pdf(request: HttpRequest, programme: Programme, unit: DeliveryUnit | None) -> HttpResponse:
    report, _form = _build(request, programme, unit)
    started = time.monotonic()
    content = pdf.render_pdf(report)
    response = HttpResponse(content, content_type="application/pdf")
    name = slugify(f"{programme.slug} {unit.name if unit else ''} {report['view']}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Server-Timing"] = f"pdf;dur={round(1000 * (time.monotonic() - started))}"
    return response


@login_required
def programme_report(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, _programme(request, slug), None)


@login_required
def programme_report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, _programme(request, slug), None)


@login_required
def unit_report(request: HttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid)
    return _page(request, unit.programme, unit)


@login_required
def unit_report_pdf(request: HttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid)
    return _pdf(request, unit.programme, unit)


# --- Person-level data exports (exports.py) --------------------------------------------------

EXPORTS_PER_HOUR = 20


def _export_target(request: HttpRequest, programme: Programme) -> None:
    """Only the internal view's roles export; everyone else is told nothing exists (404)."""
    if not selectors.may_see_internal(_user(request), programme):
        raise Http404


def _over_limit(user: User) -> bool:
    """A fixed window of an hour from the first export, per user, in the shared cache."""
    key = f"evaluation-exports:{user.pk}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > EXPORTS_PER_HOUR
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return False


def _log_export(request: HttpRequest, data: exports.DataSet, format: str, filters: selectors.Filters) -> None:
    """One access-log entry per person in the file; the format and the scope in ``item``."""
    period = f"{filters.since or '…'}–{filters.until or '…'}"
    where = f"{data.programme.slug}{f' / {filters.unit.name}' if filters.unit else ''}"
    log_access_many(
        request,
        participants=data.participants,
        action=Action.EXPORT,
        category=Category.ANSWERS,
        purpose=Purpose.EVALUATION,
        item=f"{format} export: {where}, {period}",
    )


@reauthentication_required
def _export(request: HttpRequest, programme: Programme, unit: DeliveryUnit | None, format: str) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    user = _user(request)
    if _over_limit(user):
        return HttpResponse(_("Too many exports in an hour. Try again later."), status=429, content_type="text/plain")
    form = ReportFilterForm(request.GET or None, units=selectors.report_units(user, programme), internal_allowed=True)
    if form.errors:  # never the whole programme in place of a mistyped period
        return HttpResponse(_("Check the period: its end is before its start."), status=400, content_type="text/plain")
    filters = form.filters(unit)
    data = exports.data_set(user, programme, filters)
    write, content_type, suffix = exports.WRITERS[format]
    content = write(data)
    if format != "codebook":  # the codebook describes the variables and holds nobody
        _log_export(request, data, format, filters)
    response = HttpResponse(content, content_type=content_type)
    name = slugify(f"{programme.slug} {unit.name if unit else ''} {'codebook' if format == 'codebook' else 'data'}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return response


@login_required
def programme_export(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    programme = _programme(request, slug)
    _export_target(request, programme)
    response: HttpResponse = _export(request, programme, None, format)
    return response


@login_required
def unit_export(request: HttpRequest, unit_uuid: UUID, format: str) -> HttpResponse:
    unit = _unit(request, unit_uuid)
    _export_target(request, unit.programme)
    response: HttpResponse = _export(request, unit.programme, unit, format)
    return response
