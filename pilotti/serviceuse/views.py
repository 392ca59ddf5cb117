"""The service-use page of a programme: the services it follows, the counts before and after,
entered one by one or imported from a spreadsheet. Thin views: the door in selectors, the writes
in services, the file in importer."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access_many
from pilotti.core.forms import add_service_errors
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.programmes.models import Programme
from pilotti.programmes.selectors import programmes_visible_to
from pilotti.recruitment.importer import Problem
from pilotti.serviceuse import importer, selectors, services
from pilotti.serviceuse.forms import ImportForm, ServiceForm, UseForm
from pilotti.serviceuse.models import Service, ServiceUse


def _programme(request: AuthenticatedHttpRequest, slug: str) -> Programme:
    return get_object_or_404(programmes_visible_to(request.viewer).select_related("organisation"), slug=slug)


def _can_record(request: AuthenticatedHttpRequest) -> bool:
    organisation = request.viewer.organisation
    return organisation is not None and selectors.can_record_service_use(request.viewer, organisation.pk)


def _log_shown(request: AuthenticatedHttpRequest, uses: Sequence[ServiceUse], item: str) -> None:
    """The people and households whose codes and counts the page shows, in their access logs."""
    participants = list({use.participant.pk: use.participant for use in uses if use.participant}.values())
    households = list({use.household.pk: use.household for use in uses if use.household}.values())
    if participants or households:
        log_access_many(
            request,
            participants=participants,
            households=households,
            action=Action.VIEW,
            category=Category.PROFILE,
            purpose=Purpose.EVALUATION,
            item=item,
        )


def _render(request: AuthenticatedHttpRequest, programme: Programme, **forms: Any) -> HttpResponse:
    problems: list[Problem] = forms.pop("problems", [])
    uses = list(selectors.programme_uses(request.viewer, programme))
    _log_shown(request, uses, _("service use: %(programme)s") % {"programme": programme.name})
    context: dict[str, Any] = {
        "programme": programme,
        "services": selectors.services_of(programme),
        "uses": uses,
        "can_define": selectors.can_define_services(request.viewer, programme),
        "can_record": _can_record(request),
        "service_form": forms.get("service_form") or ServiceForm(),
        "use_form": forms.get("use_form") or UseForm(services=selectors.services_of(programme)),
        "import_form": forms.get("import_form") or ImportForm(),
        "problems": problems,
    }
    failed = problems or any(form.errors for form in forms.values())
    return render(request, "serviceuse/programme.html", context, status=400 if failed else 200)


@login_required
def programme_service_use(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _render(request, _programme(request, slug))


@login_required
@require_POST
def service_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    if not selectors.can_define_services(request.viewer, programme):
        raise PermissionDenied
    form = ServiceForm(request.POST)
    if form.is_valid():
        try:
            services.service_add(actor=request.user, programme=programme, fields=form.to_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The service was added."))
            return redirect("serviceuse:programme", slug=programme.slug)
    return _render(request, programme, service_form=form)


@login_required
def service_edit(request: AuthenticatedHttpRequest, service_uuid: UUID) -> HttpResponse:
    service: Service = get_object_or_404(
        selectors.services_visible_to(request.viewer).select_related("programme"), uuid=service_uuid
    )
    if not selectors.can_define_services(request.viewer, service.programme):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, with_reason=True, initial=ServiceForm.initial_for(service))
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(
                actor=request.user, service=service, fields=form.to_fields(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("serviceuse:programme", slug=service.programme.slug)
    context = {"service": service, "form": form, "history": service.history.select_related("history_user")}
    return render(request, "serviceuse/service_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def use_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    if not _can_record(request):
        raise PermissionDenied
    form = UseForm(request.POST, services=selectors.services_of(programme))
    if form.is_valid():
        person = selectors.person_by_code(request.viewer, form.cleaned_data["code"])
        if person is None:
            form.add_error("code", _("No person or household of yours has this code. Check the code."))
        else:
            try:
                services.service_use_add(
                    actor=request.user, service=form.cleaned_data["service"], person=person, fields=form.to_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The counts were saved."))
                return redirect("serviceuse:programme", slug=programme.slug)
    return _render(request, programme, use_form=form)


def _use(request: AuthenticatedHttpRequest, use_uuid: UUID) -> ServiceUse:
    uses = selectors.service_uses_visible_to(request.viewer).select_related(
        "service__programme", "participant", "household"
    )
    use = get_object_or_404(uses, uuid=use_uuid)
    if not selectors.can_record_service_use(request.viewer, use.organisation_id):
        raise PermissionDenied
    return use


@login_required
def use_edit(request: AuthenticatedHttpRequest, use_uuid: UUID) -> HttpResponse:
    use = _use(request, use_uuid)
    form = UseForm(request.POST or None, services=Service.objects.none(), use=use, initial=UseForm.initial_for(use))
    if request.method == "POST" and form.is_valid():
        try:
            services.service_use_update(
                actor=request.user, use=use, fields=form.to_fields(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("serviceuse:programme", slug=use.service.programme.slug)
    _log_shown(request, [use], _("service use: %(programme)s") % {"programme": use.service.programme.name})
    context = {"use": use, "form": form, "history": selectors.use_history(use)}
    return render(request, "serviceuse/use_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def use_remove(request: AuthenticatedHttpRequest, use_uuid: UUID) -> HttpResponse:
    use = _use(request, use_uuid)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Say why the counts are removed: the history keeps the reason."))
        return redirect("serviceuse:use_edit", use_uuid=use.uuid)
    services.service_use_remove(actor=request.user, use=use, reason=reason[:300])
    messages.success(request, _("The counts were removed. Their history is kept."))
    return redirect("serviceuse:programme", slug=use.service.programme.slug)


@login_required
@require_POST
def use_import(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    if not _can_record(request):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, programme, import_form=form)
    upload = form.cleaned_data["file"]
    try:
        table = importer.read_table(upload.name, upload.read())
        rows, problems = importer.check(request.viewer, programme, table)
        if not problems:
            added, updated = importer.save(rows, actor=request.user, file_name=upload.name)
    except importer.ImportError_ as error:
        form.add_error("file", str(error))
        return _render(request, programme, import_form=form)
    if problems:
        return _render(request, programme, problems=problems)
    messages.success(
        request, _("The file was imported: %(added)d new, %(updated)d updated.") % {"added": added, "updated": updated}
    )
    return redirect("serviceuse:programme", slug=programme.slug)


@login_required
def import_template(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    response = HttpResponse(importer.template_csv(programme), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pilotti-service-use.csv"'
    return response
