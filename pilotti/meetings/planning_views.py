"""Pages that change a unit's meetings: a unit created with its schedule, its status (ending it
early cancels its meetings after that day), its details (shared by its coming meetings) and a new
schedule; a meeting added, moved, cancelled or restored. The unit's own page is programmes'.

Thin views: the object comes through a selector (404 for what the user may not see), the right to
change it is checked (403 for a visible object the user may only read), and a service does the write.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.core.forms import add_service_errors
from pilotti.core.zone import HELSINKI
from pilotti.meetings import selectors, services
from pilotti.meetings.forms import CancelMeetingForm, MeetingForm, UnitDetailsForm, UnitForm, UnitScheduleForm
from pilotti.meetings.models import Meeting
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.models import Organisation
from pilotti.programmes import selectors as programmes
from pilotti.programmes.forms import StatusForm
from pilotti.programmes.models import DeliveryUnit, Programme


def _programme(request: AuthenticatedHttpRequest, slug: str) -> Programme:
    return get_object_or_404(programmes.programmes_visible_to(request.viewer).select_related("organisation"), slug=slug)


def _unit(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> DeliveryUnit:
    """A unit the viewer sees and manages (admins and coordinators of the organisation that runs it)."""
    units = programmes.units_visible_to(request.viewer).select_related(
        "programme", "organisation", "site", "replacement"
    )
    unit = get_object_or_404(units, uuid=unit_uuid)
    if not programmes.can_manage_unit(request.viewer, unit):
        raise PermissionDenied
    return unit


def _unit_organisation(request: AuthenticatedHttpRequest, programme: Programme) -> Organisation:
    organisation = request.organisation
    if organisation is None or not programmes.can_add_units(request.viewer, programme):
        raise PermissionDenied
    return organisation


def _meeting(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> Meeting:
    meetings = selectors.meetings_visible_to(request.viewer).select_related("unit", "unit__programme")
    meeting = get_object_or_404(meetings, uuid=meeting_uuid)
    if not programmes.can_change_meetings(request.viewer, meeting.unit):
        raise PermissionDenied
    return meeting


def _unit_initial(programme: Programme) -> dict[str, Any]:
    return {
        "duration_minutes": programme.duration_minutes,
        "rule": programme.frequency,
        "count": programme.meetings_max or programme.meetings_min,
        "kind": DeliveryUnit.Kind.GROUP,
    }


@login_required
def unit_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """One URL for the form, its htmx schedule preview (a partial) and saving."""
    programme = _programme(request, slug)
    organisation = _unit_organisation(request, programme)
    sites = programmes.sites_visible_to(request.viewer).filter(
        programme=programme, organisation=organisation, archived_at__isnull=True
    )
    form = UnitForm(request.POST or None, sites=sites, initial=_unit_initial(programme))
    context = {"form": form, "programme": programme}
    if request.htmx:
        form.is_valid()
        return render(request, "meetings/_unit_form.html", context)
    if request.method == "POST" and request.POST.get("action") == "save" and form.is_valid():
        unit = _save_unit(request, programme, organisation, form)
        if unit is not None:
            messages.success(request, _("The unit %(name)s and its meetings were saved.") % {"name": unit.name})
            return redirect("programmes:unit_detail", unit_uuid=unit.uuid)
    return render(request, "meetings/unit_form.html", context, status=400 if form.errors else 200)


def _save_unit(
    request: AuthenticatedHttpRequest, programme: Programme, organisation: Organisation, form: UnitForm
) -> DeliveryUnit | None:
    assert form.schedule_rule is not None  # noqa: S101  (set by a valid form)
    data = form.cleaned_data
    keys = ("name", "kind", "site", "capacity", "minimum_size", "languages", "interpreter_language", "duration_minutes")
    try:
        return services.unit_create(
            actor=request.user,
            programme=programme,
            organisation=organisation,
            schedule=form.schedule_rule,
            start_time=data["start_time"],
            **{key: data[key] for key in keys},
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
@require_POST
def unit_status(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid)
    form = StatusForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            services.unit_change_status(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The unit is now %(status)s.") % {"status": unit.get_status_display()})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("programmes:unit_detail", unit_uuid=unit.uuid)


def _meeting_form_page(
    request: AuthenticatedHttpRequest, unit: DeliveryUnit, form: Any, meeting: Meeting | None = None
) -> HttpResponse:
    context = {"unit": unit, "form": form, "meeting": meeting}
    return render(request, "meetings/meeting_form.html", context, status=400 if form.errors else 200)


@login_required
def meeting_add(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid)
    form = MeetingForm(request.POST or None, unit=unit, initial={"duration_minutes": unit.duration_minutes})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_add(
                actor=request.user,
                unit=unit,
                starts_at=services.helsinki(data["day"], data["start_time"]),
                duration_minutes=data["duration_minutes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was added."))
            return redirect("programmes:unit_detail", unit_uuid=unit.uuid)
    return _meeting_form_page(request, unit, form)


@login_required
def meeting_move(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid)
    local = meeting.starts_at.astimezone(HELSINKI)
    initial = {"day": local.date(), "start_time": local.time(), "duration_minutes": meeting.duration_minutes}
    form = MeetingForm(request.POST or None, unit=meeting.unit, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_move(
                actor=request.user,
                meeting=meeting,
                starts_at=services.helsinki(data["day"], data["start_time"]),
                duration_minutes=data["duration_minutes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was moved."))
            return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    return _meeting_form_page(request, meeting.unit, form, meeting)


@login_required
def meeting_cancel(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid)
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was cancelled."))
            return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    context = {"unit": meeting.unit, "form": form, "meeting": meeting, "cancelling": True}
    return render(request, "meetings/meeting_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def meeting_restore(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid)
    try:
        services.meeting_restore(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting was restored."))
    return redirect("programmes:unit_detail", unit_uuid=meeting.unit.uuid)


@login_required
def unit_edit(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid)
    sites = programmes.sites_visible_to(request.viewer).filter(programme=unit.programme, organisation=unit.organisation)
    sites = sites.filter(Q(archived_at__isnull=True) | Q(pk=unit.site_id))  # an archived site only if it is the unit's
    form = UnitDetailsForm(request.POST or None, sites=sites, initial=UnitDetailsForm.initial_for(unit))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **form.to_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The unit's details were saved."))
            return redirect("programmes:unit_detail", unit_uuid=unit.uuid)
    context = {"form": form, "unit": unit}
    return render(request, "meetings/unit_edit.html", context, status=400 if form.errors else 200)


@login_required
def unit_schedule(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    """The new rule, its preview (what moves, is added, is cancelled) and, once seen, saving it."""
    unit = _unit(request, unit_uuid)
    form = UnitScheduleForm(request.POST or None, initial=UnitScheduleForm.initial_for(unit, unit.programme))
    plan = None
    if request.method == "POST" and form.is_valid() and form.schedule_rule is not None:
        data = form.cleaned_data
        change = {
            "rule": form.schedule_rule,
            "start_time": data["start_time"],
            "duration_minutes": data["duration_minutes"],
        }
        try:
            if request.POST.get("action") == "save":
                services.unit_reschedule(actor=request.user, unit=unit, **change)
                messages.success(request, _("The schedule was changed. Held meetings stayed as they were."))
                return redirect("programmes:unit_detail", unit_uuid=unit.uuid)
            plan = services.unit_schedule_plan(unit, **change)
        except ValidationError as error:
            add_service_errors(form, error)
    context = {"form": form, "unit": unit, "plan": plan}
    return render(request, "meetings/unit_schedule.html", context, status=400 if form.errors else 200)
