"""Thin views: objects come through selectors (404 for what the user may not see); changes
check the right to make them (403 for what the user may only read) and call a service."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access, log_access_many
from pilotti.core.forms import add_service_errors
from pilotti.measurement import selectors, services
from pilotti.measurement.forms import AcknowledgeForm, PlanEntryForm
from pilotti.measurement.models import PlanEntry, SafetyAlert
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.people import selectors as people_selectors
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.programmes.selectors import programmes_visible_to, units_visible_to


def _programme(request: AuthenticatedHttpRequest, slug: str, *, edit: bool = False) -> Programme:
    programme = get_object_or_404(programmes_visible_to(request.viewer), slug=slug)
    if edit and not selectors.can_edit_plan(request.viewer, programme):
        raise PermissionDenied
    return programme


def _alert(request: AuthenticatedHttpRequest, alert_uuid: UUID) -> SafetyAlert:
    return get_object_or_404(selectors.alert_list(request.viewer), uuid=alert_uuid)


def _render_plan(
    request: AuthenticatedHttpRequest, programme: Programme, form: PlanEntryForm | None = None
) -> HttpResponse:
    can_edit = selectors.can_edit_plan(request.viewer, programme)
    if can_edit and form is None:
        form = PlanEntryForm(viewer=request.viewer)
    context = {"programme": programme, "entries": selectors.plan_of(programme), "can_edit": can_edit, "form": form}
    return render(request, "measurement/plan.html", context, status=400 if form and form.errors else 200)


@login_required
def plan(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _render_plan(request, _programme(request, slug))


@login_required
@require_POST
def plan_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, edit=True)
    units = list(programme.units.exclude(status=DeliveryUnit.Status.CANCELLED).order_by("name"))
    form = PlanEntryForm(request.POST, viewer=request.viewer, units=units)
    if form.is_valid():
        fields = services.EntryFields(**{name: form.cleaned_data[name] for name in form.Meta.fields})
        try:
            services.plan_entry_add(actor=request.user, programme=programme, fields=fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan entry was added."))
            return redirect("measurement:plan", slug=programme.slug)
    return _render_plan(request, programme, form)


@login_required
@require_POST
def plan_remove(request: AuthenticatedHttpRequest, slug: str, entry_uuid: UUID) -> HttpResponse:
    programme = _programme(request, slug, edit=True)
    entry = get_object_or_404(PlanEntry.objects.filter(programme=programme), uuid=entry_uuid)
    services.plan_entry_remove(actor=request.user, entry=entry)
    messages.success(request, _("The plan entry was removed. Answers already given are kept."))
    return redirect("measurement:plan", slug=programme.slug)


def _render_due(request: AuthenticatedHttpRequest, programme: Programme, unit: DeliveryUnit | None) -> HttpResponse:
    page = selectors.due_questionnaires(request.viewer, programme, localdate(), unit=unit)
    shown = selectors.people_on(page)
    if shown:  # codes and whether they answered: pseudonymous, but still each person's data
        log_access_many(
            request, participants=shown, action=Action.VIEW, category=Category.ANSWERS,
            purpose=Purpose.QUESTIONNAIRE, item="due questionnaires",
        )  # fmt: skip
    context = {"programme": programme, "unit": unit, "page": page, "today": localdate()}
    return render(request, "measurement/due.html", context)


@login_required
def programme_due(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _render_due(request, _programme(request, slug), None)


@login_required
def unit_due(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = get_object_or_404(units_visible_to(request.viewer).select_related("programme"), uuid=unit_uuid)
    return _render_due(request, unit.programme, unit)


@login_required
def alerts(request: AuthenticatedHttpRequest) -> HttpResponse:
    alerts = list(selectors.alert_list(request.viewer))
    services.alerts_shown(request=request, alerts=alerts)
    return render(request, "measurement/alerts.html", {"alerts": alerts})


@login_required
def alert(request: AuthenticatedHttpRequest, alert_uuid: UUID) -> HttpResponse:
    found = _alert(request, alert_uuid)
    return render(request, "measurement/alert.html", _alert_context(request, found, AcknowledgeForm()))


def _alert_context(request: AuthenticatedHttpRequest, found: SafetyAlert, form: AcknowledgeForm) -> dict[str, object]:
    """The answers that raised the alert and, for those who may see it, the number to call; both logged."""
    log_access(
        request, participant=found.participant, action=Action.VIEW, category=Category.ANSWERS,
        purpose=Purpose.QUESTIONNAIRE, item="safety alert",
    )  # fmt: skip
    phone = ""
    if people_selectors.can_see_contact_details(request.viewer, found.participant):
        contact = people_selectors.contact_of(found.participant)
        phone = contact.phone if contact is not None else ""
        if phone:
            log_access(
                request, participant=found.participant, action=Action.VIEW, category=Category.CONTACT_DETAILS,
                purpose=Purpose.QUESTIONNAIRE, item="phone, safety alert",
            )  # fmt: skip
    answers = selectors.alert_answers(found, get_language() or "fi")
    return {"alert": found, "form": form, "answers": answers, "phone": phone}


@login_required
@require_POST
def alert_acknowledge(request: AuthenticatedHttpRequest, alert_uuid: UUID) -> HttpResponse:
    found = _alert(request, alert_uuid)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.alert_acknowledge(actor=request.user, alert=found, note=form.cleaned_data["note"], request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The alert was acknowledged."))
            return redirect("measurement:alert", alert_uuid=found.uuid)
    return render(request, "measurement/alert.html", _alert_context(request, found, form), status=400)


def _send_invitations(
    request: AuthenticatedHttpRequest, programme: Programme, unit: DeliveryUnit | None
) -> HttpResponse:
    """One row's "send now" (``entry`` and ``participant``) or "send to everyone missing" (``all``)."""
    if request.method != "POST":  # after the door: outsiders got 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    page = selectors.due_questionnaires(request.viewer, programme, localdate(), unit=unit)
    if not page.may_send:
        raise PermissionDenied
    send_all = request.POST.get("all") == "1"
    rows = page.uninvited if send_all else [
        row for row in page.rows
        if str(row.entry.uuid) == request.POST.get("entry") and row.participant_uuid == request.POST.get("participant")
    ]  # fmt: skip
    units = units_visible_to(request.viewer).filter(programme=programme)
    if unit is not None:
        units = units.filter(pk=unit.pk)
    counts = services.invitations_send_now(actor=request.user, rows=rows, units=units, only_uninvited=send_all)
    sent, reminded = counts["sent"], counts["reminded"]
    if sent or reminded:
        messages.success(request, _("Invitations sent: %(sent)s. Reminders sent: %(reminded)s.") % counts)
    else:
        messages.warning(request, _("Nothing was sent: no address or consent, or it was sent already."))
    if unit is not None:
        return redirect("measurement:unit_due", unit_uuid=unit.uuid)
    return redirect("measurement:programme_due", slug=programme.slug)


@login_required
def programme_due_send(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _send_invitations(request, _programme(request, slug), None)


@login_required
def unit_due_send(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = get_object_or_404(units_visible_to(request.viewer).select_related("programme"), uuid=unit_uuid)
    return _send_invitations(request, unit.programme, unit)
