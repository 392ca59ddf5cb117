"""The roster of a programme's staff and volunteers, per organisation and per unit, and each
person's page with their trainings. Thin views: the door in selectors, the writes in services.
Each view asks the door before it looks at the method, so an outsider gets 404 for any method."""

import json
from typing import Any
from uuid import UUID

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotti.core.forms import add_service_errors
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.models import Organisation
from pilotti.programmes.models import Programme
from pilotti.staff import selectors, services
from pilotti.staff.forms import ArchiveForm, MemberForm, RecordForm, TargetsForm, TrainingForm
from pilotti.staff.models import StaffMember, TrainingRecord


def _roster_page(request: AuthenticatedHttpRequest, slug: str) -> tuple[Programme, Organisation]:
    found = selectors.roster_organisation(request.viewer, slug)
    if found is None:
        raise Http404
    return found


def _member(request: AuthenticatedHttpRequest, member_uuid: UUID, *, manage: bool = False) -> StaffMember:
    member = selectors.member_for(request.viewer, member_uuid)
    if member is None:
        raise Http404
    if manage and not selectors.can_manage_staff(request.viewer, member.organisation_id):
        raise PermissionDenied
    return member


def _render_roster(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    organisation: Organisation,
    *,
    member_form: MemberForm | None = None,
    training_form: TrainingForm | None = None,
    targets_form: TargetsForm | None = None,
) -> HttpResponse:
    viewer = request.viewer
    can_manage = selectors.can_manage_staff(viewer, organisation.pk)
    can_plan = selectors.can_plan_staff(viewer, programme)
    today = timezone.localdate()
    archived = request.GET.get("archived") == "1"
    members = selectors.roster(viewer, programme, organisation, archived=archived)
    context: dict[str, Any] = {
        "programme": programme,
        "organisation": organisation,
        "can_manage": can_manage,
        "can_plan": can_plan,
        "archived": archived,
        "rows": [(member, selectors.trained(member, today)) for member in members],
        "trainings": selectors.trainings_of(programme),
        "targets": selectors.staff_target_rows(programme, on=today),
        "member_form": member_form
        or MemberForm(units=selectors.units_for(programme, organisation), users=selectors.users_to_link(organisation)),
        "training_form": training_form or TrainingForm(),
        "targets_form": targets_form or TargetsForm(current=selectors.staff_targets(programme)),
    }
    failed = any(form is not None and form.errors for form in (member_form, training_form, targets_form))
    return render(request, "staff/roster.html", context, status=400 if failed else 200)


@login_required
def roster(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme, organisation = _roster_page(request, slug)
    return _render_roster(request, programme, organisation)


@login_required
def member_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme, organisation = _roster_page(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not selectors.can_manage_staff(request.viewer, organisation.pk):
        raise PermissionDenied
    units, users = selectors.units_for(programme, organisation), selectors.users_to_link(organisation)
    form = MemberForm(request.POST, units=units, users=users)
    if form.is_valid():
        try:
            member = services.staff_member_add(
                actor=request.user, programme=programme, organisation=organisation, fields=form.to_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added to the roster.") % {"name": member.name})
            return redirect("staff:roster", slug=programme.slug)
    return _render_roster(request, programme, organisation, member_form=form)


@login_required
def training_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme, organisation = _roster_page(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not selectors.can_plan_staff(request.viewer, programme):
        raise PermissionDenied
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.training_add(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The training was added."))
            return redirect("staff:roster", slug=programme.slug)
    return _render_roster(request, programme, organisation, training_form=form)


@login_required
def targets_save(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme, organisation = _roster_page(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not selectors.can_plan_staff(request.viewer, programme):
        raise PermissionDenied
    form = TargetsForm(request.POST, current=selectors.staff_targets(programme))
    if not form.is_valid():
        return _render_roster(request, programme, organisation, targets_form=form)
    services.staff_targets_set(
        actor=request.user, programme=programme, targets=form.to_targets(), reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("The staff targets were saved."))
    return redirect("staff:roster", slug=programme.slug)


@login_required
def unit_roster(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = selectors.unit_for_roster(request.viewer, unit_uuid)
    if unit is None:
        raise Http404
    today = timezone.localdate()
    members = selectors.unit_roster(request.viewer, unit)
    context = {
        "unit": unit,
        "programme": unit.programme,
        "rows": [(member, selectors.trained(member, today)) for member in members],
        "trained_count": selectors.trained_staff_by_unit([unit], on=today)[unit.pk],
        "missing_roles": selectors.roles_without_trained_person(unit, on=today),
    }
    return render(request, "staff/unit.html", context)


def _render_member(
    request: AuthenticatedHttpRequest,
    member: StaffMember,
    *,
    form: MemberForm | None = None,
    record_form: RecordForm | None = None,
) -> HttpResponse:
    can_manage = selectors.can_manage_staff(request.viewer, member.organisation_id)
    units = selectors.units_for(member.programme, member.organisation)
    users = selectors.users_to_link(member.organisation)
    trainings = selectors.trainings_of(member.programme)
    context = {
        "member": member,
        "programme": member.programme,
        "can_manage": can_manage,
        "trained": selectors.trained(member, timezone.localdate()),
        "form": form or MemberForm(initial=MemberForm.initial_for(member), units=units, users=users, with_reason=True),
        "record_form": record_form or RecordForm(trainings=trainings),
        "archive_form": ArchiveForm(),
        "history": selectors.member_history(member) if can_manage else [],
    }
    failed = (form is not None and form.errors) or (record_form is not None and record_form.errors)
    return render(request, "staff/member.html", context, status=400 if failed else 200)


@login_required
def member_detail(request: AuthenticatedHttpRequest, member_uuid: UUID) -> HttpResponse:
    member = _member(request, member_uuid)
    if request.method != "POST":
        return _render_member(request, member)
    if not selectors.can_manage_staff(request.viewer, member.organisation_id):
        raise PermissionDenied
    units = selectors.units_for(member.programme, member.organisation)
    users = selectors.users_to_link(member.organisation)
    form = MemberForm(request.POST, units=units, users=users, with_reason=True)
    if form.is_valid():
        try:
            services.staff_member_change(
                actor=request.user, member=member, fields=form.to_fields(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("staff:member", member_uuid=member.uuid)
    return _render_member(request, member, form=form)


@login_required
def member_archive(request: AuthenticatedHttpRequest, member_uuid: UUID) -> HttpResponse:
    member = _member(request, member_uuid)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not selectors.can_manage_staff(request.viewer, member.organisation_id):
        raise PermissionDenied
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the person is taken off the roster."))
        return redirect("staff:member", member_uuid=member.uuid)
    services.staff_member_archive(actor=request.user, member=member, reason=form.cleaned_data["reason"])
    messages.success(request, _("%(name)s was taken off the roster.") % {"name": member.name})
    return redirect("staff:roster", slug=member.programme.slug)


@login_required
def member_restore(request: AuthenticatedHttpRequest, member_uuid: UUID) -> HttpResponse:
    member = _member(request, member_uuid)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not selectors.can_manage_staff(request.viewer, member.organisation_id):
        raise PermissionDenied
    services.staff_member_restore(actor=request.user, member=member)
    messages.success(request, _("%(name)s is on the roster again.") % {"name": member.name})
    return redirect("staff:member", member_uuid=member.uuid)


@login_required
def record_add(request: AuthenticatedHttpRequest, member_uuid: UUID) -> HttpResponse:
    member = _member(request, member_uuid)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not selectors.can_manage_staff(request.viewer, member.organisation_id):
        raise PermissionDenied
    form = RecordForm(request.POST, trainings=selectors.trainings_of(member.programme))
    if form.is_valid():
        try:
            services.training_record_add(actor=request.user, member=member, fields=form.to_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The training was recorded."))
            return redirect("staff:member", member_uuid=member.uuid)
    return _render_member(request, member, record_form=form)


@login_required
def record_edit(request: AuthenticatedHttpRequest, record_uuid: UUID) -> HttpResponse:
    record: TrainingRecord | None = selectors.record_for(request.viewer, record_uuid)
    if record is None:
        raise Http404
    if not selectors.can_manage_staff(request.viewer, record.member.organisation_id):
        raise PermissionDenied
    trainings = selectors.trainings_of(record.member.programme)
    if request.method == "POST":
        form = RecordForm(request.POST, trainings=trainings, with_reason=True)
        if form.is_valid():
            try:
                services.training_record_change(
                    actor=request.user, record=record, fields=form.to_fields(), reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The training record was corrected."))
                return redirect("staff:member", member_uuid=record.member.uuid)
    else:
        form = RecordForm(initial=RecordForm.initial_for(record), trainings=trainings, with_reason=True)
    context = {"form": form, "record": record, "member": record.member, "history": selectors.record_history(record)}
    return render(request, "staff/record_form.html", context, status=400 if form.errors else 200)


# The export and the erasure are asked for by POST (a CSRF-protected form), after the door and the
# role are checked, so that outsiders get 404 and not a re-authentication prompt; both ask for the
# password again, as the participants' do (pilotti/rights).
@login_required
def member_export(request: AuthenticatedHttpRequest, member_uuid: UUID) -> HttpResponse:
    member = _member(request, member_uuid, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    response: HttpResponse = _export(request, member)
    return response


@reauthentication_required
def _export(request: AuthenticatedHttpRequest, member: StaffMember) -> HttpResponse:
    body = json.dumps(selectors.member_data(member), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="staff-{member.uuid}.json"'
    return response


@login_required
def member_erase(request: AuthenticatedHttpRequest, member_uuid: UUID) -> HttpResponse:
    member = _member(request, member_uuid, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    response: HttpResponse = _erase(request, member)
    return response


@reauthentication_required
def _erase(request: AuthenticatedHttpRequest, member: StaffMember) -> HttpResponse:
    services.staff_member_erase(actor=request.user, member=member)
    messages.success(request, _("The person's name and contact details were erased."))
    return redirect("staff:member", member_uuid=member.uuid)
