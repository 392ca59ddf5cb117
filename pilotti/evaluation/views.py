"""The report page (per programme and per unit), its PDF and the person-level data exports.
Thin: the figures come from services.report_build, the charts from charts.with_charts, the
exports from exports.py. The PDF and the exports are made in the background (files.py): asking
for one leads to its download when it is ready at once, else to a page that waits for it."""

from uuid import UUID

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotti.accounts.models import User
from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access_many
from pilotti.evaluation import files, selectors
from pilotti.evaluation.models import GeneratedFile
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.programmes.selectors import units_visible_to

EXPORT_LINKS = [
    ("csv", gettext_lazy("CSV, one row per answer")),
    ("csv-fi", gettext_lazy("CSV for Excel (Finnish): semicolons and decimal commas, one row per answer")),
    ("xlsx", gettext_lazy("Excel workbook: responses, answers, attendance, funnel and codebook")),
    ("sav", gettext_lazy("SPSS (.sav), one row per response")),
    ("dta", gettext_lazy("Stata (.dta), one row per response")),
    ("codebook", gettext_lazy("Codebook (CSV)")),
]


EXPORTS_PER_HOUR = 20
PDFS_PER_HOUR = 20
POLL_SECONDS = 2  # how often the waiting page asks whether the file is ready


def _see_other(url: str) -> HttpResponse:
    """303: the browser follows with a GET, whatever asked."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _programme(request: AuthenticatedHttpRequest, slug: str) -> Programme:
    return get_object_or_404(selectors.reports_visible_to(request.viewer).select_related("organisation"), slug=slug)


def _unit(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> DeliveryUnit:
    # A unit of the report's: visible, and one of the units the viewer's report on its programme covers.
    unit = get_object_or_404(units_visible_to(request.viewer).select_related("programme"), uuid=unit_uuid)
    get_object_or_404(selectors.report_units(request.viewer, unit.programme).filter(Q(pk=unit.pk)))
    return unit


def _page(request: AuthenticatedHttpRequest, programme: Programme, unit: DeliveryUnit | None) -> HttpResponse:
    report, form = files.report_for(request.viewer, programme, unit, request.GET)
    context = {
        "programme": programme,
        "unit": unit,
        "report": report,
        "form": form,
        "query": request.GET.urlencode(),
        "export_formats": EXPORT_LINKS,
    }
    return render(request, "evaluation/report.html", context, status=400 if form.errors else 200)


def _requested(generated: GeneratedFile) -> HttpResponse:
    """Ready at once (tasks run in-process on SQLite): straight to the download, as before the
    queue; otherwise to the page that waits for it."""
    if generated.status == GeneratedFile.Status.READY:
        return _see_other(reverse("evaluation:file_download", args=[generated.uuid]))
    return _see_other(reverse("evaluation:file_status", args=[generated.uuid]))


def _over_limit(user: User, what: str, per_hour: int) -> bool:
    """A fixed window of an hour from the first file, per user, in the cache every server shares."""
    key = f"evaluation-{what}:{user.pk}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > per_hour
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return False


def _too_many(text: str) -> HttpResponse:
    return HttpResponse(text, status=429, content_type="text/plain")


def _pdf(request: AuthenticatedHttpRequest, programme: Programme, unit: DeliveryUnit | None) -> HttpResponse:
    # POST: a GET would let another site's link or image make the server render PDFs under the
    # user's name (SameSite=Lax sends the session with top-level GETs). The filters stay in the
    # query string of the form's address; a GET, after the access check, is told to use POST.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if _over_limit(request.user, "pdf", PDFS_PER_HOUR):
        return _too_many(_("Too many PDF reports in an hour. Try again later."))
    generated = files.request_file(user=request.user, programme=programme, unit=unit, format="pdf", query=request.GET)
    return _requested(generated)


@login_required
def programme_report(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _page(request, _programme(request, slug), None)


@login_required
def programme_report_pdf(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, _programme(request, slug), None)


@login_required
def unit_report(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid)
    return _page(request, unit.programme, unit)


@login_required
def unit_report_pdf(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid)
    return _pdf(request, unit.programme, unit)


# --- Person-level data exports (exports.py) --------------------------------------------------


def _export_target(request: AuthenticatedHttpRequest, programme: Programme) -> None:
    """Only the internal view's roles export; everyone else is told nothing exists (404)."""
    if not selectors.may_see_internal(request.viewer, programme):
        raise Http404


def _export_posted(
    request: AuthenticatedHttpRequest, programme: Programme, unit: DeliveryUnit | None, format: str
) -> HttpResponse:
    # POST, as for the PDF: a GET would let another site's link or image start an export under
    # the user's name within minutes of their re-authenticating (SameSite=Lax sends the session
    # with top-level GETs). The access check has run: outsiders got 404 before learning the method.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        response: HttpResponse = _export(request, programme, unit, format)
    except ReauthenticationRequired:
        return _reauthenticate_then_report(request, programme, unit)
    return response


def _reauthenticate_then_report(
    request: AuthenticatedHttpRequest, programme: Programme, unit: DeliveryUnit | None
) -> HttpResponse:
    """To the password prompt, and back to the report's export buttons with the same filters.
    Not back to the export's own address (allauth's default): the browser returns there with a
    GET, which makes nothing; and allauth replays a stashed POST only for an address without a
    query string, which the filters usually add."""
    methods = get_adapter(request).get_reauthentication_methods(request.user)
    prompt = methods[0]["url"] if methods else reverse("account_login")
    back = f"{_report_address(programme, unit, request.GET.urlencode())}#exports-heading"
    messages.info(
        request, _("To export, confirm your password. You then return to the report to choose the file again.")
    )
    return HttpResponseRedirect(f"{prompt}?{urlencode({REDIRECT_FIELD_NAME: back})}")


@reauthentication_required
def _export(
    request: AuthenticatedHttpRequest, programme: Programme, unit: DeliveryUnit | None, format: str
) -> HttpResponse:
    user = request.user
    if _over_limit(user, "exports", EXPORTS_PER_HOUR):
        return _too_many(_("Too many exports in an hour. Try again later."))
    filters, _form = files.export_filters(request.viewer, programme, unit, request.GET)
    if filters is None:
        return HttpResponse(_("Check the period: its end is before its start."), status=400, content_type="text/plain")
    generated = files.request_file(user=user, programme=programme, unit=unit, format=format, query=request.GET)
    return _requested(generated)


@login_required
def programme_export(request: AuthenticatedHttpRequest, slug: str, format: str) -> HttpResponse:
    programme = _programme(request, slug)
    _export_target(request, programme)
    return _export_posted(request, programme, None, format)


@login_required
def unit_export(request: AuthenticatedHttpRequest, unit_uuid: UUID, format: str) -> HttpResponse:
    unit = _unit(request, unit_uuid)
    _export_target(request, unit.programme)
    return _export_posted(request, unit.programme, unit, format)


# --- Files made in the background (files.py) -------------------------------------------------


def _generated(request: AuthenticatedHttpRequest, file_uuid: UUID) -> GeneratedFile:
    """Only the user who asked for the file sees it, and only while they may still see its report."""
    generated = get_object_or_404(files.visible_to(request.viewer), uuid=file_uuid)
    if not files.still_allowed(request.viewer, generated):
        raise Http404
    return generated


@login_required
def file_status(request: AuthenticatedHttpRequest, file_uuid: UUID) -> HttpResponse:
    """Waits for the file: htmx asks again every few seconds for the status part alone; without
    JavaScript, reloading the page does the same."""
    generated = files.settle(_generated(request, file_uuid))
    context = {
        "generated": generated,
        "report_url": _report_url(generated),
        "again_url": files.again_url(generated),
        "poll_seconds": POLL_SECONDS,
    }
    if request.htmx:
        shown_slow = request.GET.get("shown") == "slow"
        still_waiting = generated.status == GeneratedFile.Status.PENDING and not generated.is_expired
        if still_waiting and generated.is_slow == shown_slow:
            # Nothing new: htmx swaps nothing on 204, so the live region does not say it again.
            return HttpResponse(status=204)
        return render(request, "evaluation/_file_status.html", context)
    return render(request, "evaluation/file_status.html", context)


def _report_url(generated: GeneratedFile) -> str:
    return _report_address(generated.programme, generated.unit, generated.query)


def _report_address(programme: Programme, unit: DeliveryUnit | None, query: str) -> str:
    if unit is not None:
        url = reverse("evaluation:unit_report", args=[unit.uuid])
    else:
        url = reverse("evaluation:programme_report", args=[programme.slug])
    return f"{url}?{query}" if query else url


@login_required
def file_download(request: AuthenticatedHttpRequest, file_uuid: UUID) -> HttpResponseBase:
    generated = _generated(request, file_uuid)
    if generated.status != GeneratedFile.Status.READY or generated.is_expired:
        return _see_other(reverse("evaluation:file_status", args=[generated.uuid]))
    if generated.is_export:
        response: HttpResponseBase = _send_export(request, generated)
        return response
    return _send(generated)


@reauthentication_required
def _send_export(request: AuthenticatedHttpRequest, generated: GeneratedFile) -> HttpResponseBase:
    """Person-level data leaves here: asked for the password again (it may be hours after the
    request) and written to the access log of everyone in the file, at every download."""
    if generated.participant_ids:
        log_access_many(
            request,
            participants=files.participants_in(generated),
            action=Action.EXPORT,
            category=Category.ANSWERS,
            purpose=Purpose.EVALUATION,
            item=generated.log_item,
        )
    return _send(generated)


def _send(generated: GeneratedFile) -> HttpResponseBase:
    # Streamed from the storage: an export of a national programme need not fit in memory.
    return FileResponse(
        generated.file.open("rb"), as_attachment=True, filename=generated.filename, content_type=generated.content_type
    )
