"""Thin views over participants and households. Each page that shows identifying data logs it.

The people's pages live in recruitment, the layer above people, because they show a person
with their enrolments (the list filters and sorts by them); the data, its door and its services
stay in ``pilotti.people``. Their URLs keep the ``people:`` names (``people_urls.py``).

Objects are found through the selectors (404 for what the user may not see); a visible
object the user may only read answers 403 to changes.
"""

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pilotti.audit import selectors as audit_selectors
from pilotti.audit.models import Action, Category, Purpose, Result
from pilotti.audit.services import log_access, log_access_many
from pilotti.core.forms import add_service_errors
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.models import Organisation
from pilotti.people import search, selectors, services
from pilotti.people.forms import (
    ConsentForm,
    ContactForm,
    HouseholdForm,
    MemberFormSet,
    ParticipantForm,
    ProfileForm,
    SearchForm,
    WithdrawForm,
)
from pilotti.people.models import Household, Participant
from pilotti.programmes import selectors as programme_selectors
from pilotti.recruitment import selectors as recruitment_selectors

SHOWN_AT_MOST = 200
PROFILE_FIELDS = tuple(ProfileForm.base_fields)


def _participant(request: AuthenticatedHttpRequest, participant_uuid: UUID, *, manage: bool = False) -> Participant:
    participants = selectors.participants_visible_to(request.viewer).select_related("organisation")
    participant = get_object_or_404(participants, uuid=participant_uuid)
    if manage and not selectors.can_manage_participants(request.viewer, participant.organisation_id):
        raise PermissionDenied
    return participant


def _household(request: AuthenticatedHttpRequest, household_uuid: UUID, *, manage: bool = False) -> Household:
    households = selectors.households_visible_to(request.viewer).select_related("organisation")
    household = get_object_or_404(households, uuid=household_uuid)
    if manage and not selectors.can_manage_participants(request.viewer, household.organisation_id):
        raise PermissionDenied
    return household


def _search(request: AuthenticatedHttpRequest, query: str, filters: dict[str, Any]) -> list[Participant]:
    """By participant code for everyone; by any part of the name (people.search) among those
    whose contact details the user may see.

    Every participant found is an access-log search entry; a search that finds nobody is one too.
    """
    viewer, current = request.viewer, request.organisation
    visible = recruitment_selectors.enrolled_in(
        selectors.participants_visible_to(viewer).filter(organisation=current), **filters
    )
    by_name = Q(pk__in=[])
    names = search.name_matches(query, scope=str(current.uuid)) if current else None
    if names is not None:
        by_name = Q(pk__in=selectors.participants_with_contact_details_visible_to(viewer).filter(names).values("pk"))
    found: list[Participant] = list(
        recruitment_selectors.with_latest_enrolment(visible.filter(Q(code__icontains=query) | by_name))
        .annotate(found_by_name=ExpressionWrapper(by_name, output_field=BooleanField()))
        .select_related("organisation")
        .order_by("code")[:SHOWN_AT_MOST]
    )
    # A match by name is logged as such, code or not: it used the person's contact details.
    for found_by_name, item, category in ((False, _("by participant code"), Category.PROFILE),
                                          (True, _("by name"), Category.CONTACT_DETAILS)):  # fmt: skip
        people = [p for p in found if getattr(p, "found_by_name") == found_by_name]  # noqa: B009 - an annotation
        if people:
            log_access_many(
                request, participants=people, action=Action.SEARCH, category=category, purpose=Purpose.SEARCH,
                item=item, result=Result.FOUND,
            )  # fmt: skip
    if not found:
        log_access(
            request, action=Action.SEARCH, category=Category.PROFILE, purpose=Purpose.SEARCH, result=Result.NOT_FOUND
        )
    return found


def search_token(request: AuthenticatedHttpRequest) -> str:
    """The search form's hidden value, bound to the session: another site cannot know it."""
    return salted_hmac("pilotti.people.search", request.session.session_key or "").hexdigest()[:32]


def _same_origin(address: str, request: AuthenticatedHttpRequest) -> bool:
    parts = urlsplit(address)
    return (parts.scheme, parts.netloc) == (request.scheme, request.get_host())


def _cross_site(request: AuthenticatedHttpRequest) -> bool:
    """Whether another site may have made the browser ask (a link, an image, a form on its page).

    Browsers since 2023 send Sec-Fetch-Site; "none" is an address typed or bookmarked. Without
    it (an older browser, a privacy setting, a script) the request counts as the user's own only
    with the search form's token or an Origin or Referer of this site (we send Referer to
    ourselves: SECURE_REFERRER_POLICY is same-origin); a request with none of them is refused, as
    another site can send one (issue 19)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    if constant_time_compare(request.GET.get("t", ""), search_token(request)):
        return False
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return not _same_origin(source, request)


def _listed(request: AuthenticatedHttpRequest, filters: dict[str, Any]) -> tuple[list[Participant], list[Household]]:
    """The first people and households of the organisation, each listed one logged as shown.
    Filters by enrolment apply to people; households are then left out."""
    participants = list(
        recruitment_selectors.enrolled_in(recruitment_selectors.participant_list(request.viewer), **filters)[
            :SHOWN_AT_MOST
        ]
    )
    households = selectors.households_visible_to(request.viewer).filter(organisation=request.organisation)
    shown = [] if filters else list(households.order_by("code")[:SHOWN_AT_MOST])
    log_access_many(
        request, participants=participants, households=shown, action=Action.VIEW, category=Category.PROFILE,
        purpose=Purpose.CLIENT_WORK, item="participant list",
    )  # fmt: skip
    return participants, shown


def _search_form(request: AuthenticatedHttpRequest) -> SearchForm:
    organisation = request.organisation
    units = programme_selectors.units_visible_to(request.viewer).filter(organisation=organisation)
    return SearchForm(
        request.GET or None,
        programmes=programme_selectors.programmes_visible_to(request.viewer).filter(units__in=units).distinct(),
        units=units.select_related("programme").order_by("programme__name", "name"),
        stages=recruitment_selectors.stage_choices(),
    )


@login_required
def participant_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _search_form(request)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    filters = form.filters()
    # Searching and listing write entries into people's logs under the user's name; SameSite=Lax
    # lets another site's link reach this page signed in, so such a visit shows only the form
    # (with its words) and nothing is searched, listed or logged until the user asks here.
    cross_site = _cross_site(request)
    participants: list[Participant]
    households: list[Household]
    if cross_site:
        participants, households = [], []
    elif query:
        participants, households = _search(request, query, filters), []
    else:
        participants, households = _listed(request, filters)
    context = {
        "form": form,
        "query": query,
        "cross_site": cross_site,
        "search_token": search_token(request),
        "participants": participants,
        "shown_at_most": SHOWN_AT_MOST,
        "households": households,
        "can_manage": selectors.can_manage_participants(request.viewer, getattr(request.organisation, "pk", None)),
    }
    template = "people/_participant_rows.html" if request.htmx else "people/participant_list.html"
    return render(request, template, context)


@login_required
def participant_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    if organisation is None or not selectors.can_manage_participants(request.viewer, organisation.pk):
        raise PermissionDenied
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_create(
                actor=request.user, organisation=organisation, profile=form.to_profile(), contact=form.to_contact()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(code)s was added.") % {"code": participant.code})
            return redirect("people:detail", participant_uuid=participant.uuid)
    context = {"form": form, "profile_fields": PROFILE_FIELDS}
    return render(request, "people/participant_form.html", context, status=400 if form.errors else 200)


@login_required
def participant_detail(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid)
    viewer = request.viewer
    show_contact = selectors.can_see_contact_details(viewer, participant)
    log_access(
        request,
        participant=participant,
        action=Action.VIEW,
        category=Category.CONTACT_DETAILS if show_contact else Category.PROFILE,
        purpose=Purpose.CLIENT_WORK,
    )
    context = {
        "participant": participant,
        "contact": selectors.contact_of(participant) if show_contact else None,
        "show_contact": show_contact,
        "consents": selectors.consents_of(participant),
        "enrolments": recruitment_selectors.enrolments_of(viewer, participant),
        "households": selectors.households_of(viewer, participant),
        "access_log": audit_selectors.access_log_of(request.user, participant)[:100],
        "can_see_access_log": audit_selectors.can_see_access_log(request.user, participant),
        "can_manage": selectors.can_manage_participants(viewer, participant.organisation_id),
        "can_record_consent": selectors.can_record_consent(viewer, participant),
    }
    return render(request, "people/participant_detail.html", context)


@login_required
def participant_edit(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid, manage=True)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(participant))
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(actor=request.user, participant=participant, profile=form.to_profile())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("people:detail", participant_uuid=participant.uuid)
    log_access(
        request, participant=participant, action=Action.VIEW, category=Category.PROFILE,
        purpose=Purpose.CLIENT_WORK, item="edit form",
    )  # fmt: skip
    context = {"form": form, "participant": participant, "profile_fields": PROFILE_FIELDS}
    return render(request, "people/participant_form.html", context, status=400 if form.errors else 200)


@login_required
def contact_edit(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid, manage=True)
    if not selectors.can_see_contact_details(request.viewer, participant):
        raise PermissionDenied
    contact = selectors.contact_of(participant)
    initial = {f: getattr(contact, f) for f in ContactForm.base_fields} if contact else {}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.contact_details_update(
            actor=request.user, participant=participant, values=form.to_contact(), request=request
        )
        messages.success(request, _("The contact details were saved."))
        return redirect("people:detail", participant_uuid=participant.uuid)
    if request.method == "GET":
        log_access(
            request,
            participant=participant,
            action=Action.VIEW,
            category=Category.CONTACT_DETAILS,
            purpose=Purpose.CLIENT_WORK,
            item="edit form",
        )
    context = {"form": form, "participant": participant}
    return render(request, "people/contact_form.html", context, status=400 if form.errors else 200)


@login_required
def consent_add(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participant = _participant(request, participant_uuid)
    if not selectors.can_record_consent(request.viewer, participant):
        raise PermissionDenied
    held = dict(participant.consents.filter(withdrawn_on__isnull=True).values_list("purpose", "given_on"))
    form = ConsentForm(request.POST or None, held=held, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            given = services.consents_give(
                actor=request.user, participant=participant, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("The consent was recorded.", "%(count)d consents were recorded.", len(given))
                % {"count": len(given)},
            )
            return redirect("people:detail", participant_uuid=participant.uuid)
    log_access(
        request, participant=participant, action=Action.VIEW, category=Category.CONSENTS,
        purpose=Purpose.CLIENT_WORK, item="consent form",
    )  # fmt: skip
    context = {"form": form, "participant": participant, "held": held}
    return render(request, "people/consent_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, consent_uuid: UUID) -> HttpResponse:
    consents = selectors.consents_visible_to(request.viewer)
    consent = get_object_or_404(consents.select_related("participant"), uuid=consent_uuid)
    if not selectors.can_record_consent(request.viewer, consent.participant):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(actor=request.user, consent=consent, on=form.cleaned_data["on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The withdrawal was recorded."))
    else:
        messages.error(request, _("Give the day the consent was withdrawn."))
    return redirect("people:detail", participant_uuid=consent.participant.uuid)


def _household_form_page(
    request: AuthenticatedHttpRequest, organisation: Organisation, household: Household | None
) -> HttpResponse:
    participants = selectors.participants_visible_to(request.viewer).filter(organisation=organisation)
    initial = {"segment": household.segment, "municipality": household.municipality} if household else {}
    members = [
        {
            "member": m.uuid,
            "relation": m.relation,
            "participant_code": m.participant.code if m.participant else "",
            "birth_year": m.birth_year,
            "due_date": m.due_date,
        }
        for m in (selectors.household_members(household) if household else [])
    ]
    form = HouseholdForm(request.POST or None, initial=initial)
    formset = MemberFormSet(request.POST or None, initial=members, participants=participants, prefix="members")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            household = services.household_save(
                actor=request.user,
                organisation=organisation,
                household=household,
                members=formset.members(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The household %(code)s was saved.") % {"code": household.code})
            return redirect("people:household_detail", household_uuid=household.uuid)
    if household is not None:
        log_access(
            request, household=household, action=Action.VIEW, category=Category.HOUSEHOLD,
            purpose=Purpose.HOUSEHOLD, item="edit form",
        )  # fmt: skip
    context = {"form": form, "formset": formset, "household": household}
    status = 400 if form.errors or any(formset.errors) else 200
    return render(request, "people/household_form.html", context, status=status)


@login_required
def household_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    if organisation is None or not selectors.can_manage_participants(request.viewer, organisation.pk):
        raise PermissionDenied
    return _household_form_page(request, organisation, None)


@login_required
def household_edit(request: AuthenticatedHttpRequest, household_uuid: UUID) -> HttpResponse:
    household = _household(request, household_uuid, manage=True)
    return _household_form_page(request, household.organisation, household)


@login_required
def household_detail(request: AuthenticatedHttpRequest, household_uuid: UUID) -> HttpResponse:
    household = _household(request, household_uuid)
    viewer = request.viewer
    log_access(request, household=household, action=Action.VIEW, category=Category.HOUSEHOLD, purpose=Purpose.HOUSEHOLD)
    context = {
        "household": household,
        "members": selectors.household_members(household),
        "enrolments": recruitment_selectors.enrolments_visible_to(viewer)
        .filter(household=household)
        .select_related("programme", "unit"),
        "can_manage": selectors.can_manage_participants(viewer, household.organisation_id),
    }
    return render(request, "people/household_detail.html", context)
