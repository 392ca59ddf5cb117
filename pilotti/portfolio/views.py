"""The model description (page, Markdown, DOCX), fidelity across adopters and an organisation's
portfolio (page, PDF). Thin: the doors in selectors, the figures in fidelity/overview/description.
Each view opens its door before it looks at the method, so whoever may not see the programme or
organisation gets 404 whatever they ask with."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pilotti.core.ratelimit import Limit, consume
from pilotti.core.zone import HELSINKI
from pilotti.evaluation import selectors as reports
from pilotti.evaluation import services as report_services
from pilotti.handbook.selectors import handbook
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.models import Organisation
from pilotti.portfolio import description, overview, pdf, selectors
from pilotti.programmes.models import Programme
from pilotti.programmes.selectors import programmes_run_by

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDFS_PER_HOUR = 20  # as the report's: a PDF is rendered while the person waits


def _only(request: AuthenticatedHttpRequest, method: str) -> HttpResponse | None:
    allowed = ("GET", "HEAD") if method == "GET" else (method,)
    return None if request.method in allowed else HttpResponseNotAllowed([method])


def _described(request: AuthenticatedHttpRequest, slug: str) -> Programme:
    programme = selectors.described_programme(request.viewer, slug)
    if programme is None:
        raise Http404
    return programme


def _description(request: AuthenticatedHttpRequest, programme: Programme) -> description.Description:
    report = report_services.report_build(
        viewer=request.viewer, programme=programme, filters=reports.Filters(), shared=True
    )
    partners, adoptions, sites = selectors.description_parts(request.viewer, programme)
    sources = description.Sources(
        programme=programme,
        partners=partners,
        adoptions=adoptions,
        sites=sites,
        handbook=list(handbook(programme)),
        report=report,
    )
    return description.build(sources, today=timezone.localtime(timezone.now(), HELSINKI).date())


def _attachment(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def model_description(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _described(request, slug)
    if refused := _only(request, "GET"):
        return refused
    context = {"programme": programme, "description": _description(request, programme)}
    return render(request, "portfolio/model_description.html", context)


@login_required
def model_description_markdown(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _described(request, slug)
    if refused := _only(request, "GET"):
        return refused
    text = description.markdown(_description(request, programme))
    return _attachment(text, f"{slugify(programme.name)}.md", "text/markdown; charset=utf-8")


@login_required
def model_description_docx(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _described(request, slug)
    if refused := _only(request, "GET"):
        return refused
    content = description.docx(_description(request, programme))
    return _attachment(content, f"{slugify(programme.name)}.docx", DOCX_TYPE)


@login_required
def programme_fidelity(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = selectors.fidelity_programme(request.viewer, slug)
    if programme is None:
        raise Http404
    if refused := _only(request, "GET"):
        return refused
    table = selectors.fidelity(request.viewer, programme, timezone.now())
    return render(request, "portfolio/fidelity.html", {"programme": programme, "fidelity": table})


def _organisation(request: AuthenticatedHttpRequest, organisation_uuid: UUID) -> Organisation:
    organisation = selectors.portfolio_organisation(request.viewer, organisation_uuid)
    if organisation is None:
        raise Http404
    return organisation


def _portfolio(request: AuthenticatedHttpRequest, organisation: Organisation) -> overview.Portfolio:
    return overview.portfolio(organisation, programmes_run_by(request.viewer, organisation.pk))


@login_required
def organisation_portfolio(request: AuthenticatedHttpRequest, organisation_uuid: UUID) -> HttpResponse:
    organisation = _organisation(request, organisation_uuid)
    if refused := _only(request, "GET"):
        return refused
    return render(request, "portfolio/portfolio.html", {"portfolio": _portfolio(request, organisation)})


@login_required
def organisation_portfolio_pdf(request: AuthenticatedHttpRequest, organisation_uuid: UUID) -> HttpResponse:
    """POST, as the report's PDF: a GET from another site's link must not make the server render."""
    organisation = _organisation(request, organisation_uuid)
    if refused := _only(request, "POST"):
        return refused
    if consume(Limit("portfolio-pdf", PDFS_PER_HOUR, 3600), str(request.user.pk)):
        text = _("Too many PDF reports in an hour. Try again later.")
        return HttpResponse(text, status=429, content_type="text/plain")
    content = pdf.render_pdf(_portfolio(request, organisation), today=timezone.localtime(timezone.now(), HELSINKI))
    return _attachment(content, f"{slugify(organisation.name)}-portfolio.pdf", "application/pdf")
