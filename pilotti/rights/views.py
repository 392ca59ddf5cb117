"""The person's rights: access (Art. 15 / 20), the person's log (703/2023 § 11), the
disclosure log and erasure (Art. 17). Coordinators only; everyone else gets a 404."""

import json
from typing import Any
from uuid import UUID

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access, log_access_many
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.people.models import Household, Participant
from pilotti.rights import selectors, services
from pilotti.rights.forms import DisclosureForm, RightsPolicyForm
from pilotti.rights.pdf import render_pdf

ACCESS_REQUEST = "data access request (Art. 15)"
LOG_EXTRACT = "the person's log (703/2023 § 11)"


def _participant(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> Participant:
    return selectors.participant_for_rights(request.viewer, participant_uuid)


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _log(
    request: AuthenticatedHttpRequest, participant: Participant, action: Action, item: str, category: Category
) -> None:
    log_access(
        request, participant=participant, action=action, category=category, purpose=Purpose.CLIENT_WORK, item=item
    )


# The downloads are asked for by POST (a CSRF-protected form): a GET would let another site's
# link or image make a file and an access-log row under the staff member's name, as SameSite=Lax
# sends the session with top-level GETs (issue 19). Ownership is checked first, so that outsiders
# get a 404, not a 405 or a re-authentication prompt.
POST_ONLY = ["POST"]


@login_required
def export_json(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    response: HttpResponse = _export(request, participant, "json")
    return response


@login_required
def export_pdf(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    response: HttpResponse = _export(request, participant, "pdf")
    return response


@reauthentication_required
def _export(request: AuthenticatedHttpRequest, participant: Participant, kind: str) -> HttpResponse:
    # Logged first, so that the export lists itself among the uses of the person's data.
    _log(request, participant, Action.EXPORT, ACCESS_REQUEST, Category.CONTACT_DETAILS)
    data = selectors.person_data(participant)
    if kind == "json":
        return _download(_json(data), "application/json", f"{participant.code}.json")
    pdf = render_pdf("rights/person_pdf.html", {"data": data})
    return _download(pdf, "application/pdf", f"{participant.code}.pdf")


@login_required
def person_log(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid)
    _log(request, participant, Action.VIEW, LOG_EXTRACT, Category.PROFILE)
    context = {
        "participant": participant,
        "log": selectors.person_log(participant),
        "form": DisclosureForm(),
    }
    return render(request, "rights/person_log.html", context)


@login_required
def person_log_pdf(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    _log(request, participant, Action.PRINT, LOG_EXTRACT, Category.PROFILE)
    pdf = render_pdf("rights/person_log_pdf.html", {"log": selectors.person_log(participant)})
    return _download(pdf, "application/pdf", f"{participant.code}-log.pdf")


@login_required
def person_log_json(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    _log(request, participant, Action.EXPORT, LOG_EXTRACT, Category.PROFILE)
    return _download(_json(selectors.person_log(participant)), "application/json", f"{participant.code}-log.json")


@login_required
@require_POST
def disclosure_add(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid)
    form = DisclosureForm(request.POST)
    if not form.is_valid():
        context = {"participant": participant, "log": selectors.person_log(participant), "form": form}
        return render(request, "rights/person_log.html", context, status=400)
    services.disclosure_record(actor=request.user, participant=participant, **form.cleaned_data)
    messages.success(request, _("The disclosure was recorded in the disclosure log."))
    return redirect("rights:log", participant_uuid=participant.uuid)


# What the erasure pages list, by the keys the erasure record keeps (services.erasure_counts).
ERASURE_ROWS = {
    "contact_details": gettext_lazy("Contact details"),
    "contact_details_history": gettext_lazy("Earlier versions of the contact details"),
    "participant_history": gettext_lazy("Earlier versions of the person's details"),
    "responses_deleted": gettext_lazy("Questionnaire answers deleted"),
    "responses_kept_anonymised": gettext_lazy("Questionnaire answers kept, anonymised"),
    "safety_alerts": gettext_lazy("Safety alerts"),
    "reminder_choice": gettext_lazy("Reminder choices"),
    "interviews_deleted": gettext_lazy("Interviews of the person, with their notes and excerpts"),
    "focus_group_places": gettext_lazy("Places in focus groups, with their excerpts"),
    "excerpts_deleted": gettext_lazy("Excerpts of what the person said or wrote"),
    "service_use": gettext_lazy("Counts of contacts with services, before and after"),
    "service_use_history": gettext_lazy("Earlier versions of the counts of contacts with services"),
    "members_erased": gettext_lazy("Members erased as persons"),
    "other_members_blanked": gettext_lazy("Children and expected children whose details are removed"),
    "household_history": gettext_lazy("Earlier versions of the household's details"),
    "member_history": gettext_lazy("Earlier versions of the members' details"),
}


def _erasure_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(str(ERASURE_ROWS[key]), value) for key, value in counts.items()]


@login_required
def erase(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid)
    if request.method == "POST":
        response: HttpResponse = _erase(request, participant)
        return response
    held, until = services.statutory_until(participant)
    log_access(
        request, participant=participant, action=Action.VIEW, category=Category.PROFILE,
        purpose=Purpose.CLIENT_WORK, item="erasure page",
    )  # fmt: skip
    context = {
        "participant": participant,
        "counts": _erasure_rows(services.erasure_counts(participant)),
        "held": held,
        "until": until,
        "erased": selectors.is_erased(participant),
    }
    return render(request, "rights/erase.html", context)


@reauthentication_required
def _erase(request: AuthenticatedHttpRequest, participant: Participant) -> HttpResponse:
    try:
        services.participant_erase(actor=request.user, participant=participant)
    except services.ErasureRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("rights:erase", participant_uuid=participant.uuid)
    messages.success(request, _("%(code)s was erased.") % {"code": participant.code})
    return redirect("people:detail", participant_uuid=participant.uuid)


@login_required
def household_erase(request: AuthenticatedHttpRequest, household_uuid: UUID) -> HttpResponse:
    household = selectors.household_for_rights(request.viewer, household_uuid)
    if request.method == "POST":
        response: HttpResponse = _household_erase(request, household)
        return response
    members = list(services.household_members_to_erase(household))
    held = [(member, *services.statutory_until(member)) for member in members]
    log_access_many(
        request, participants=members, households=[household], action=Action.VIEW, category=Category.HOUSEHOLD,
        purpose=Purpose.HOUSEHOLD, item="erasure page",
    )  # fmt: skip
    context = {
        "household": household,
        "members": members,
        "held": [(member, until) for member, is_held, until in held if is_held],
        "counts": _erasure_rows(services.household_erasure_counts(household)),
        "erased": selectors.is_household_erased(household),
    }
    return render(request, "rights/household_erase.html", context)


@reauthentication_required
def _household_erase(request: AuthenticatedHttpRequest, household: Household) -> HttpResponse:
    try:
        services.household_erase(actor=request.user, household=household)
    except services.ErasureRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("rights:household_erase", household_uuid=household.uuid)
    messages.success(request, _("Household %(code)s was erased.") % {"code": household.code})
    return redirect("people:household_detail", household_uuid=household.uuid)


@login_required
def policy(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = selectors.organisation_for_admin(request.user, request.organisation)
    if organisation is None:
        raise Http404
    form = RightsPolicyForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_set_rights_policy(actor=request.user, organisation=organisation, **form.cleaned_data)
        messages.success(request, _("The data protection settings were saved."))
        return redirect("rights:policy")
    return render(request, "rights/policy.html", {"form": form}, status=400 if form.errors else 200)
