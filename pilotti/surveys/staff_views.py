"""Staff pages: personal links, paper forms and a meeting's client panel.

Thin views: the participant or meeting comes through a selector (404 for what the user may not
see), the right to change is checked (403 for a meeting the user may only read), a service writes.
"""

from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access, log_access_many
from pilotti.core import languages, once
from pilotti.instruments import coverage
from pilotti.instruments import selectors as instruments
from pilotti.instruments.models import InstrumentVersion
from pilotti.instruments.spec import text_in
from pilotti.measurement import selectors as measurement_selectors
from pilotti.meetings.models import Meeting
from pilotti.meetings.selectors import meetings_visible_to
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.people.models import Participant
from pilotti.programmes import selectors as programmes
from pilotti.surveys import questionnaire, selectors, services
from pilotti.surveys.forms import LinkForm, PanelForm, PaperForm


def _participant(request: AuthenticatedHttpRequest, participant_uuid: UUID | str) -> Participant:
    try:
        return get_object_or_404(selectors.participants_for_answers(request.viewer), uuid=participant_uuid)
    except ValidationError:  # not a UUID
        raise Http404 from None


def _meeting(request: AuthenticatedHttpRequest, meeting_uuid: UUID, *, change: bool = False) -> Meeting:
    meetings = meetings_visible_to(request.viewer).select_related("unit", "unit__programme")
    meeting = get_object_or_404(meetings, uuid=meeting_uuid)
    if change and not programmes.can_change_meetings(request.viewer, meeting.unit):
        raise PermissionDenied
    return meeting


def qr_data_uri(url: str) -> str:
    """An SVG QR code as a data URI (the CSP allows img data:); the page shows the address too."""
    return str(segno.make(url, error="m").svg_data_uri(scale=8, border=2))


# --- Personal links ----------------------------------------------------------------------------


@login_required
def link_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    participant = _participant(request, request.POST.get("participant") or request.GET.get("participant", ""))
    versions = selectors.current_versions(
        selectors.instruments_for(request.viewer, participant.organisation_id),
        online_only=True,
        organisation_id=participant.organisation_id,
    )
    form = LinkForm(request.POST or None, versions=versions, participant=participant)
    if request.method == "POST" and form.is_valid():
        expires_at = timezone.now() + timedelta(days=form.cleaned_data["days"])
        try:
            link, token = services.personal_link_create(
                actor=request.user,
                participant=participant,
                version=form.cleaned_data["version"],
                expires_at=expires_at,
                send_by=form.cleaned_data["send_by"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown in the POST's own response, never stored: only the token's hash is kept.
            url = request.build_absolute_uri(services.link_path(token))
            context = {"participant": participant, "link": link, "url": url, "qr": qr_data_uri(url)}
            return render(request, "surveys/staff/link_created.html", context)
    context = {"participant": participant, "form": form}
    return render(request, "surveys/staff/link_new.html", context, status=400 if form.errors else 200)


@login_required
def link_list(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid)
    links = list(selectors.links_of(participant))
    log_access(
        request,
        participant=participant,
        action=Action.VIEW,
        category=Category.ANSWERS,
        purpose=Purpose.QUESTIONNAIRE,
        item="questionnaire links",
    )
    refused = measurement_selectors.refused_invitation(participant)
    context = {"participant": participant, "links": links, "now": timezone.now(), "refused": refused}
    # The person's page loads the table by htmx: people sits below surveys and cannot ask for it.
    template = "surveys/staff/_links.html" if request.htmx else "surveys/staff/link_list.html"
    return render(request, template, context)


@login_required
def meeting_people(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid, change=True)
    people = list(selectors.participants_of_meeting(request.viewer, meeting))
    log_access_many(
        request, participants=people, action=Action.VIEW, category=Category.PROFILE,
        purpose=Purpose.QUESTIONNAIRE, item="meeting's questionnaires",
    )  # fmt: skip
    return render(request, "surveys/staff/meeting_people.html", {"meeting": meeting, "people": people})


# --- Paper -------------------------------------------------------------------------------------


def _paper_version(request: AuthenticatedHttpRequest, participant: Participant) -> InstrumentVersion | None:
    wanted = request.POST.get("version") or request.GET.get("version")
    if not wanted:
        return None
    versions = selectors.current_versions(
        selectors.instruments_for(request.viewer, participant.organisation_id), online_only=False
    )
    version = next((v for v in versions if str(v.uuid) == wanted), None)
    if version is None:
        raise Http404
    return instruments.version_with_structure(version)


@login_required
def paper(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    """Choose the questionnaire, then type in the paper form; blank items are allowed."""
    participant = _participant(request, participant_uuid)
    log_access(
        request, participant=participant, action=Action.VIEW, category=Category.ANSWERS,
        purpose=Purpose.QUESTIONNAIRE, item="paper entry",
    )  # fmt: skip
    version = _paper_version(request, participant)
    if version is None:
        versions = selectors.current_versions(
            selectors.instruments_for(request.viewer, participant.organisation_id), online_only=False
        )
        choices = [(v, coverage.version_label(v)) for v in versions]
        return render(request, "surveys/staff/paper_choose.html", {"participant": participant, "choices": choices})
    spec = instruments.spec_of(version)
    items = questionnaire.offered_items(spec, anonymous=False)
    first_language = spec.languages[0] if spec.languages else "fi"
    form = PaperForm(request.POST or None, initial={"language": first_language, "answered_on": timezone.localdate()})
    answers = questionnaire.answers_from(request.POST, items) if request.method == "POST" else {}
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_record(
                actor=request.user,
                participant=participant,
                version=version,
                answers=answers,
                language=form.cleaned_data["language"],
                answered_on=timezone.make_aware(datetime.combine(form.cleaned_data["answered_on"], time(12))),
                once_key=once.key_from(request.POST),
            )
        except ValidationError as error:
            errors = {key: str(errs[0].code) for key, errs in getattr(error, "error_dict", {}).items()}
        except once.AlreadyUsed:
            pass  # sent twice (a reload after a reset): stored the first time, confirmed again
        if not errors:
            messages.success(request, _("The paper form of %(code)s was saved.") % {"code": participant.code})
            return redirect("surveys:link_list", participant_uuid=participant.uuid)
    context: dict[str, Any] = {
        "participant": participant,
        "version": version,
        "title": text_in(spec.title, get_language() or "fi", version.instrument.name),
        "form": form,
        "questions": questionnaire.questions(items, get_language() or "fi", answers, errors),
        "has_errors": bool(errors),
        "once_key": once.form_key(request.POST),
    }
    return render(request, "surveys/staff/paper.html", context, status=400 if errors or form.errors else 200)


# --- The client panel --------------------------------------------------------------------------


def _panel_versions(request: AuthenticatedHttpRequest, meeting: Meeting) -> list[InstrumentVersion]:
    return selectors.current_versions(
        selectors.instruments_for(request.viewer, meeting.unit.organisation_id),
        online_only=True,
        organisation_id=meeting.unit.organisation_id,
    )


@login_required
def panel(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    """The meeting's client panel: the QR code, the count of answers and, from the threshold on,
    the answers. An htmx request (the meeting page polls it) gets only the count and answers."""
    return _panel_page(request, _meeting(request, meeting_uuid))


def _panel_page(request: AuthenticatedHttpRequest, meeting: Meeting, form: PanelForm | None = None) -> HttpResponse:
    client_panel = selectors.panel_of(meeting)
    can_change = programmes.can_change_meetings(request.viewer, meeting.unit)
    results = selectors.panel_results(client_panel) if client_panel else None
    context: dict[str, Any] = {"meeting": meeting, "panel": client_panel, "results": results, "can_change": can_change}
    if request.htmx:
        # 286 tells htmx to stop polling: there is no panel to count yet.
        return render(request, "surveys/staff/_panel_count.html", context, status=200 if client_panel else 286)
    # The code is the panel's only key: shown to those who run the meeting, not to evaluators or
    # partners, who could otherwise answer (or let others answer) a meeting they did not attend.
    if client_panel is not None and can_change:
        context["url"] = request.build_absolute_uri(services.panel_path(client_panel))
        context["qr"] = qr_data_uri(context["url"])
    if can_change and form is None:
        versions = _panel_versions(request, meeting)
        rating = next((v for v in versions if v.instrument.key == "pilotti-meeting-rating"), None)
        initial = {"version": client_panel.version if client_panel else rating, "is_open": True}
        if client_panel:
            initial |= {"kiosk": client_panel.kiosk, "is_open": client_panel.is_open}
        form = PanelForm(initial=initial, versions=versions, unit=meeting.unit)
    context["form"] = form
    return render(request, "surveys/staff/panel.html", context, status=400 if form and form.errors else 200)


@login_required
@require_POST
def panel_save(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid, change=True)
    form = PanelForm(request.POST, versions=_panel_versions(request, meeting), unit=meeting.unit)
    if not form.is_valid():  # no questionnaire, or one the group's languages lack: the page says which
        return _panel_page(request, meeting, form)
    try:
        services.panel_set(
            actor=request.user,
            meeting=meeting,
            version=form.cleaned_data["version"],
            kiosk=form.cleaned_data["kiosk"],
            is_open=form.cleaned_data["is_open"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The client panel was saved."))
    return redirect("surveys:panel", meeting_uuid=meeting.uuid)


@login_required
def panel_print(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid, change=True)
    client_panel = selectors.panel_of(meeting)
    if client_panel is None:
        raise Http404
    spoken = instruments.spec_of(instruments.version_with_structure(client_panel.version)).languages
    codes = [code for code in languages.languages() if code in spoken] or languages.languages()
    asked = request.GET.get("lang", "")
    language = asked if asked in codes else get_language() if get_language() in codes else codes[0]
    # The QR code opens the questionnaire in the poster's language.
    url = request.build_absolute_uri(f"{services.panel_path(client_panel)}?lang={language}")
    context = {
        "meeting": meeting,
        "panel": client_panel,
        "url": url,
        "qr": qr_data_uri(url),
        "language": language,
        "direction": "rtl" if languages.is_bidi(language) else "ltr",
        # The staff's own words on the page (not printed) stay in the staff's language.
        "offered": [choice for choice in languages.choices(language) if choice.code in codes],
        "staff_language": get_language(),
        "back_label": _("Client panel"),
        "choose_label": _("Language of the poster"),
    }
    with translation.override(language):
        return render(request, "surveys/staff/panel_print.html", context)
