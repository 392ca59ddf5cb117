"""The report page (per programme and per unit) and its PDF. Thin: the figures come from
services.report_build, the charts from charts.with_charts."""

import time
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from pilotti.accounts.models import User
from pilotti.evaluation import charts, pdf, selectors, services
from pilotti.evaluation.forms import ReportFilterForm
from pilotti.programmes.models import DeliveryUnit, Programme


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
    context = {"programme": programme, "unit": unit, "report": report, "form": form, "query": request.GET.urlencode()}
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
