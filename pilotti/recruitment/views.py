"""Thin views over enrolments, the funnel and imports."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access
from pilotti.core.forms import add_service_errors
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.models import Organisation
from pilotti.people import selectors as people_selectors
from pilotti.people.models import Household, Participant
from pilotti.programmes import selectors as programme_selectors
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.recruitment import importer, selectors, services
from pilotti.recruitment.forms import CorrectionForm, EnrolmentForm, ImportForm, TransitionForm, UndoForm
from pilotti.recruitment.models import Enrolment


def _own_units(programme: Programme, organisation_id: int) -> QuerySet[DeliveryUnit]:
    return programme.units.filter(organisation_id=organisation_id).exclude(
        status__in=[DeliveryUnit.Status.COMPLETED, DeliveryUnit.Status.DISCONTINUED, DeliveryUnit.Status.CANCELLED]
    )


def _enrol(request: AuthenticatedHttpRequest, who: Participant | Household, back: str) -> HttpResponse:
    if not people_selectors.can_manage_participants(request.viewer, who.organisation_id):
        raise PermissionDenied
    participant = who if isinstance(who, Participant) else None
    household = who if isinstance(who, Household) else None
    log_access(
        request, participant=participant, household=household, action=Action.VIEW, category=Category.ENROLMENTS,
        purpose=Purpose.RECRUITMENT, item="enrolment form",
    )  # fmt: skip
    # An archived programme takes no new enrolments (the service refuses them too).
    programmes = programme_selectors.programmes_run_by(request.viewer, who.organisation_id).filter(
        archived_at__isnull=True
    )
    programme = programmes.filter(slug=request.GET.get("programme", "")).first()
    if programme is None:
        return render(request, "recruitment/enrolment_form.html", {"who": who, "back": back, "programmes": programmes})
    units = _own_units(programme, who.organisation_id)
    form = EnrolmentForm(request.POST or None, programme=programme, units=units, initial={"segment": who.segment})
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_create(
                actor=request.user, fields=form.to_fields(), participant=participant, household=household
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(who)s was enrolled as contacted.") % {"who": who.code})
            return redirect("recruitment:enrolment_detail", enrolment_uuid=enrolment.uuid)
    context = {"who": who, "back": back, "programme": programme, "form": form}
    return render(request, "recruitment/enrolment_form.html", context, status=400 if form.errors else 200)


@login_required
def participant_enrol(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    participants = people_selectors.participants_visible_to(request.viewer)
    participant = get_object_or_404(participants, uuid=participant_uuid)
    return _enrol(request, participant, participant.code)


@login_required
def household_enrol(request: AuthenticatedHttpRequest, household_uuid: UUID) -> HttpResponse:
    household = get_object_or_404(people_selectors.households_visible_to(request.viewer), uuid=household_uuid)
    return _enrol(request, household, household.code)


def _enrolment(request: AuthenticatedHttpRequest, enrolment_uuid: UUID) -> Enrolment:
    enrolments = selectors.enrolments_visible_to(request.viewer).select_related(
        "programme", "unit", "participant", "household", "organisation"
    )
    return get_object_or_404(enrolments, uuid=enrolment_uuid)


@login_required
def enrolment_detail(request: AuthenticatedHttpRequest, enrolment_uuid: UUID) -> HttpResponse:
    return _enrolment_page(request, _enrolment(request, enrolment_uuid))


def _enrolment_page(request: AuthenticatedHttpRequest, enrolment: Enrolment, **bound: Form) -> HttpResponse:
    """The enrolment with its history and, for those who may move it, the forms to move and correct it;
    ``bound`` holds the form that was just sent, with its errors."""
    log_access(
        request,
        participant=enrolment.participant,
        household=enrolment.household,
        action=Action.VIEW,
        category=Category.ENROLMENTS,
        purpose=Purpose.RECRUITMENT,
    )
    can_move = selectors.can_move_enrolment(request.viewer, enrolment)
    steps = services.effective_steps(enrolment) if can_move else []
    units = _own_units(enrolment.programme, enrolment.organisation_id)
    context = {
        "enrolment": enrolment,
        "changes": selectors.stage_changes(enrolment),
        "form": TransitionForm(enrolment=enrolment, units=units) if can_move and not enrolment.is_final else None,
        "correction": CorrectionForm(steps=steps) if steps else None,
        "undo": UndoForm() if len(steps) > 1 else None,
        **bound,
    }
    status = 400 if any(form.errors for form in bound.values()) else 200
    return render(request, "recruitment/enrolment_detail.html", context, status=status)


@login_required
@require_POST
def enrolment_move(request: AuthenticatedHttpRequest, enrolment_uuid: UUID) -> HttpResponse:
    enrolment = _movable(request, enrolment_uuid)
    units = _own_units(enrolment.programme, enrolment.organisation_id)
    form = TransitionForm(request.POST, enrolment=enrolment, units=units)
    if form.is_valid():
        try:
            services.enrolment_transition(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The enrolment was moved on."))
            return redirect("recruitment:enrolment_detail", enrolment_uuid=enrolment.uuid)
    return _enrolment_page(request, enrolment, form=form)


def _movable(request: AuthenticatedHttpRequest, enrolment_uuid: UUID) -> Enrolment:
    enrolment = _enrolment(request, enrolment_uuid)
    if not selectors.can_move_enrolment(request.viewer, enrolment):
        raise PermissionDenied
    return enrolment


@login_required
@require_POST
def enrolment_correct(request: AuthenticatedHttpRequest, enrolment_uuid: UUID) -> HttpResponse:
    enrolment = _movable(request, enrolment_uuid)
    form = CorrectionForm(request.POST, steps=services.effective_steps(enrolment))
    if form.is_valid():
        try:
            services.stage_change_correct(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step was corrected. The history keeps what it said before."))
            return redirect("recruitment:enrolment_detail", enrolment_uuid=enrolment.uuid)
    return _enrolment_page(request, enrolment, correction=form)


@login_required
@require_POST
def enrolment_undo(request: AuthenticatedHttpRequest, enrolment_uuid: UUID) -> HttpResponse:
    enrolment = _movable(request, enrolment_uuid)
    form = UndoForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_undo_step(actor=request.user, enrolment=enrolment, why=form.cleaned_data["why"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The latest step was undone. The history keeps it."))
            return redirect("recruitment:enrolment_detail", enrolment_uuid=enrolment.uuid)
    return _enrolment_page(request, enrolment, undo=form)


@login_required
def programme_funnel(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(programme_selectors.programmes_visible_to(request.viewer), slug=slug)
    context = {"programme": programme, "funnel": selectors.programme_funnel(request.viewer, programme)}
    return render(request, "recruitment/funnel.html", context)


@login_required
def unit_funnel(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    units = programme_selectors.units_visible_to(request.viewer).select_related("programme")
    unit = get_object_or_404(units, uuid=unit_uuid)
    context = {
        "programme": unit.programme,
        "unit": unit,
        "funnel": selectors.unit_funnel(request.viewer, unit),
        "waiting": selectors.waiting_list(request.viewer, unit),
        "places_taken": selectors.places_taken(unit),
    }
    return render(request, "recruitment/funnel.html", context)


# --- Import ----------------------------------------------------------------------------------

IMPORT_SESSION_KEY = "pilotti_import"


def _importing_organisation(request: AuthenticatedHttpRequest) -> Organisation:
    organisation = request.organisation
    if organisation is None or not people_selectors.can_manage_participants(request.viewer, organisation.pk):
        raise PermissionDenied
    return organisation


def _import_page(request: AuthenticatedHttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "recruitment/import.html", context, status=status)


@login_required
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _importing_organisation(request)
    programmes = programme_selectors.programmes_run_by(request.viewer, organisation.pk)
    form = ImportForm(request.POST or None, request.FILES or None, programmes=programmes)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, {"form": form}, 400 if form.errors else 200)
    upload = form.cleaned_data["file"]
    content = upload.read()
    return _import(request, form, organisation, form.cleaned_data["programme"], upload.name, content, decisions=None)


@login_required
@require_POST
def import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _importing_organisation(request)
    stored: dict[str, Any] = request.session.pop(IMPORT_SESSION_KEY, None) or {}
    programmes = programme_selectors.programmes_run_by(request.viewer, organisation.pk)
    programme = programmes.filter(pk=stored.get("programme", 0)).first()
    if programme is None or stored.get("organisation") != organisation.pk:
        messages.error(request, _("The file is no longer waiting. Upload it again."))
        return redirect("recruitment:import")
    content = importer.unpack(stored["content"])
    decisions = {
        int(key.removeprefix("row-")): importer.Decision(value)
        for key, value in request.POST.items()
        if key.startswith("row-")
        and key.removeprefix("row-").isdigit()
        and isinstance(value, str)
        and value in set(importer.Decision)
    }
    form = ImportForm(programmes=programmes, initial={"programme": programme})
    return _import(request, form, organisation, programme, stored["name"], content, decisions=decisions)


def _import(
    request: AuthenticatedHttpRequest,
    form: ImportForm,
    organisation: Organisation,
    programme: Programme,
    name: str,
    content: bytes,
    decisions: dict[int, importer.Decision] | None,
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "programme": programme, "file_name": name}
    try:
        rows, problems = importer.parse(importer.read_table(name, content), organisation, programme)
    except importer.ImportError_ as error:
        form.add_error("file", str(error))
        return _import_page(request, context, 400)
    actor = request.user
    if not problems:
        flagged = importer.find_duplicates(rows, organisation, actor)
        if flagged and decisions is None:
            _count, problems = importer.save(
                rows, actor=actor, organisation=organisation, programme=programme, decisions={}, dry_run=True
            )
            if not problems:
                request.session[IMPORT_SESSION_KEY] = {
                    "programme": programme.pk,
                    "organisation": organisation.pk,
                    "name": name,
                    "content": importer.pack(content),
                }
                context |= {"duplicates": flagged, "row_count": len(rows)}
                return _import_page(request, context)
    if not problems:
        created, problems = importer.save(
            rows, actor=actor, organisation=organisation, programme=programme, decisions=decisions or {}
        )
    if problems:
        context |= {"problems": problems, "row_count": len(rows)}
        return _import_page(request, context, 400)
    messages.success(
        request, ngettext("%(n)d row was imported.", "%(n)d rows were imported.", created) % {"n": created}
    )
    return redirect("recruitment:programme_funnel", slug=programme.slug)


@login_required
def import_template_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pilotti-participants.csv"'
    return response


@login_required
def import_template_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(
        importer.template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="pilotti-participants.xlsx"'
    return response
