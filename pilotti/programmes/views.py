"""Thin views: they pick the object through a selector (404 for what the user may not see),
check the right to change it (403 for a visible object the user may only read), and call a service."""

from typing import Any
from uuid import UUID

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.core.forms import add_service_errors
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.models import Organisation, Role
from pilotti.programmes import selectors, services
from pilotti.programmes.filters import ProgrammeFilterForm, filtered
from pilotti.programmes.forms import (
    ArchiveForm,
    FacilitatorForm,
    OrganisationForm,
    ProgrammeForm,
    SiteForm,
    StatusForm,
    UnlinkForm,
)
from pilotti.programmes.models import DeliveryUnit, Programme, Site, UnitFacilitator


def _programme(request: AuthenticatedHttpRequest, slug: str, *, edit: bool = False) -> Programme:
    programme = get_object_or_404(
        selectors.programmes_visible_to(request.viewer).select_related("organisation"), slug=slug
    )
    if edit and not selectors.can_edit_programme(request.viewer, programme):
        raise PermissionDenied
    return programme


def _unit(request: AuthenticatedHttpRequest, unit_uuid: UUID, *, manage: bool = False) -> DeliveryUnit:
    units = selectors.units_visible_to(request.viewer).select_related(
        "programme", "organisation", "site", "replacement"
    )
    unit = get_object_or_404(units, uuid=unit_uuid)
    if manage and not selectors.can_manage_unit(request.viewer, unit):
        raise PermissionDenied
    return unit


def _show_archived(request: AuthenticatedHttpRequest) -> bool:
    """The lists' "show archived" filter (?archived=1)."""
    return request.GET.get("archived") == "1"


@login_required
def programme_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = request.membership
    form = ProgrammeFilterForm(request.GET or None)
    listed = selectors.programme_list(request.viewer, archived=_show_archived(request))
    context = {
        "programmes": filtered(listed, form.filters(), request.organisation),
        "filter_form": form,
        "filtered": bool(form.filters()),
        "show_archived": _show_archived(request),
        "my_units": selectors.my_units(request.viewer),
        "can_create": membership is not None and membership.role in (Role.ADMIN, Role.COORDINATOR),
    }
    return render(request, "programmes/programme_list.html", context)


@login_required
def programme_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = request.membership
    if membership is None or membership.role not in (Role.ADMIN, Role.COORDINATOR):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, initial={"duration_minutes": 90})
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                actor=request.user, organisation=membership.organisation, fields=form.to_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The programme %(name)s was created.") % {"name": programme.name})
            return redirect("programmes:detail", slug=programme.slug)
    return render(request, "programmes/programme_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def programme_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = request.viewer
    programme = get_object_or_404(selectors.with_plan_and_partners(selectors.programmes_visible_to(viewer)), slug=slug)
    units = selectors.units_visible_to(viewer).filter(programme=programme)
    sites = selectors.sites_visible_to(viewer).filter(programme=programme).select_related("organisation")
    sites = sites.annotate(unit_count=Count("units"))  # a site no unit uses can be deleted
    show_archived = _show_archived(request)
    context = {
        "programme": programme,
        "archiving": selectors.archiving(programme),
        "show_archived": show_archived,
        "archived_count": units.filter(archived_at__isnull=False).count()
        + sites.filter(archived_at__isnull=False).count(),
        "units": selectors.units_page(selectors.unarchived(units, archived=show_archived), request.GET.get("page")),
        "sites": selectors.unarchived(sites, archived=show_archived),
        "managed_organisations": set(viewer.organisation_ids(selectors.MANAGER_ROLES)),
        "adoptions": selectors.adoptions_visible_to(viewer, programme),
        "can_edit": selectors.can_edit_programme(viewer, programme),
        "can_delete": selectors.can_edit_programme(viewer, programme) and selectors.is_draft_programme(programme),
        "can_add_units": selectors.can_add_units(viewer, programme),
        "switch_to": selectors.other_organisations_running(viewer, programme),
        "partner_form": OrganisationForm(prefix="partner"),
        "adoption_form": OrganisationForm(prefix="adoption"),
        # Only the owner's editors see whom they asked: the invited organisation is no partner yet.
        "partner_invitations": selectors.partner_invitations_of(programme),
    }
    return render(request, "programmes/programme_detail.html", context)


@login_required
def programme_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, edit=True)
    form = ProgrammeForm(request.POST or None, initial=ProgrammeForm.initial_for(programme))
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(actor=request.user, programme=programme, fields=form.to_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("programmes:detail", slug=programme.slug)
    context = {"form": form, "programme": programme}
    return render(request, "programmes/programme_form.html", context, status=400 if form.errors else 200)


def _link_organisation(request: AuthenticatedHttpRequest, slug: str, *, adopt: bool) -> HttpResponse:
    programme = _programme(request, slug, edit=True)
    form = OrganisationForm(request.POST, prefix="adoption" if adopt else "partner")
    if form.is_valid():
        organisation = form.cleaned_data["business_id"]
        try:
            if adopt:
                services.adoption_add(
                    actor=request.user,
                    programme=programme,
                    organisation=organisation,
                    adopted_on=form.cleaned_data["adopted_on"],
                )
                messages.success(request, _("%(organisation)s was added.") % {"organisation": organisation.name})
            else:
                services.partner_invite(
                    actor=request.user,
                    programme=programme,
                    organisation=organisation,
                    answer_url=request.build_absolute_uri(reverse("programmes:partner_invitations")),
                )
                asked = _("%(organisation)s was asked to be a partner. It becomes one when its admin accepts.")
                messages.success(request, asked % {"organisation": organisation.name})
        except ValidationError as error:
            messages.error(request, error.messages[0])
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("programmes:detail", slug=programme.slug)


@login_required
@require_POST
def partner_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _link_organisation(request, slug, adopt=False)


@login_required
@require_POST
def adoption_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _link_organisation(request, slug, adopt=True)


@login_required
def organisation_unlink(request: AuthenticatedHttpRequest, slug: str, organisation_slug: str) -> HttpResponse:
    """Removing a partner or an adopter reduces what its people see: re-authenticated, and said plainly.
    Outsiders get their 404 before any password prompt, which would tell them the page exists."""
    programme = _programme(request, slug, edit=True)
    organisation = get_object_or_404(selectors.linked_organisations(programme), slug=organisation_slug)
    response: HttpResponse = _unlink(request, programme, organisation)  # allauth's decorator is untyped
    return response


@reauthentication_required
def _unlink(request: AuthenticatedHttpRequest, programme: Programme, organisation: Organisation) -> HttpResponse:
    form = UnlinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_unlink(
                actor=request.user, programme=programme, organisation=organisation, why=form.cleaned_data["why"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(organisation)s was removed.") % {"organisation": organisation.name})
            return redirect("programmes:detail", slug=programme.slug)
    is_partner = programme.partnerships.filter(organisation=organisation).exists()
    context = {"programme": programme, "organisation": organisation, "is_partner": is_partner, "form": form}
    return render(request, "programmes/unlink.html", context, status=400 if form.errors else 200)


def _unit_organisation(request: AuthenticatedHttpRequest, programme: Programme) -> Organisation:
    organisation = request.organisation
    if organisation is None or not selectors.can_add_units(request.viewer, programme):
        raise PermissionDenied
    return organisation


@login_required
def site_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    organisation = _unit_organisation(request, programme)
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_create(
                actor=request.user, programme=programme, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The site was added."))
            return redirect("programmes:detail", slug=programme.slug)
    context = {"form": form, "programme": programme}
    return render(request, "programmes/site_form.html", context, status=400 if form.errors else 200)


@login_required
def unit_detail(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid)
    can_manage = selectors.can_manage_unit(request.viewer, unit)
    context = {
        "unit": unit,
        "archiving": selectors.archiving(unit),
        "meetings": unit.meetings.order_by("starts_at"),  # the reverse relation of meetings' Meeting
        "facilitators": unit.facilitators.select_related("user"),
        "breaks": unit.breaks.all(),
        "status_history": unit.history.select_related("history_user").order_by("history_date"),
        "can_manage": can_manage,
        "can_delete": can_manage and selectors.is_draft_unit(unit),
        "can_change_meetings": can_manage or selectors.can_change_meetings(request.viewer, unit),
        # Partners see each other's units but report only on their own.
        "can_see_report": selectors.report_units(request.viewer, unit.programme).filter(pk=unit.pk).exists(),
        "status_form": StatusForm(unit=unit) if can_manage and not unit.is_closed else None,
        "facilitator_form": FacilitatorForm(unit=unit) if can_manage else None,
    }
    return render(request, "programmes/unit_detail.html", context)


@login_required
@require_POST
def facilitator_add(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid, manage=True)
    form = FacilitatorForm(request.POST, unit=unit)
    if form.is_valid():
        services.facilitator_assign(actor=request.user, unit=unit, **form.cleaned_data)
        messages.success(request, _("%(user)s facilitates this unit.") % {"user": form.cleaned_data["user"]})
    else:
        messages.error(request, _("Choose a staff member and a role."))
    return redirect("programmes:unit_detail", unit_uuid=unit.uuid)


@login_required
@require_POST
def facilitator_remove(request: AuthenticatedHttpRequest, unit_uuid: UUID, assignment_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid, manage=True)
    assignment = get_object_or_404(UnitFacilitator, unit=unit, uuid=assignment_uuid)
    services.facilitator_remove(actor=request.user, assignment=assignment)
    messages.success(request, _("%(user)s no longer facilitates this unit.") % {"user": assignment.user})
    return redirect("programmes:unit_detail", unit_uuid=unit.uuid)


@login_required
@require_POST
def unit_delete(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid, manage=True)
    try:
        services.unit_delete_draft(actor=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programmes:unit_detail", unit_uuid=unit.uuid)
    messages.success(request, _("The unit %(name)s was deleted.") % {"name": unit.name})
    return redirect("programmes:detail", slug=unit.programme.slug)


@login_required
@require_POST
def programme_delete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, edit=True)
    try:
        services.programme_delete_draft(actor=request.user, programme=programme)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programmes:detail", slug=programme.slug)
    messages.success(request, _("The programme %(name)s was deleted.") % {"name": programme.name})
    return redirect("programmes:list")


# --- Archiving -----------------------------------------------------------------------------------


def _site(request: AuthenticatedHttpRequest, site_uuid: UUID) -> Site:
    """A site the viewer sees; changing it is for admins and coordinators of the organisation that uses it."""
    site = get_object_or_404(selectors.sites_visible_to(request.viewer).select_related("programme"), uuid=site_uuid)
    if not selectors.can_manage_site(request.viewer, site):
        raise PermissionDenied
    return site


def _archive_page(
    request: AuthenticatedHttpRequest, item: Programme | Site | DeliveryUnit, back: str, archive: Any
) -> HttpResponse:
    """The reason form (GET), and archiving with it (POST); a refusal keeps the page and says why."""
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            archive(actor=request.user, why=form.cleaned_data["why"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s was archived. You find it with “Show archived”.") % {"name": item.name}
            )
            return redirect(back)
    context = {"item": item, "back": back, "form": form, "kind": type(item).__name__.lower()}
    return render(request, "programmes/archive.html", context, status=400 if form.errors else 200)


def _unarchive(
    request: AuthenticatedHttpRequest, item: Programme | Site | DeliveryUnit, back: str, restore: Any
) -> HttpResponse:
    try:
        restore(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s was restored from the archive.") % {"name": item.name})
    return redirect(back)


@login_required
def programme_archive(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, edit=True)
    back = reverse("programmes:detail", args=[programme.slug])
    return _archive_page(request, programme, back, lambda **kw: services.programme_archive(programme=programme, **kw))


@login_required
@require_POST
def programme_unarchive(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, edit=True)
    back = reverse("programmes:detail", args=[programme.slug])
    return _unarchive(request, programme, back, lambda **kw: services.programme_unarchive(programme=programme, **kw))


@login_required
def unit_archive(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid, manage=True)
    back = reverse("programmes:unit_detail", args=[unit.uuid])
    return _archive_page(request, unit, back, lambda **kw: services.unit_archive(unit=unit, **kw))


@login_required
@require_POST
def unit_unarchive(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _unit(request, unit_uuid, manage=True)
    back = reverse("programmes:unit_detail", args=[unit.uuid])
    return _unarchive(request, unit, back, lambda **kw: services.unit_unarchive(unit=unit, **kw))


@login_required
def site_archive(request: AuthenticatedHttpRequest, site_uuid: UUID) -> HttpResponse:
    site = _site(request, site_uuid)
    back = reverse("programmes:detail", args=[site.programme.slug]) + "#sites-heading"
    return _archive_page(request, site, back, lambda **kw: services.site_archive(site=site, **kw))


@login_required
@require_POST
def site_unarchive(request: AuthenticatedHttpRequest, site_uuid: UUID) -> HttpResponse:
    site = _site(request, site_uuid)
    back = reverse("programmes:detail", args=[site.programme.slug]) + "?archived=1#sites-heading"
    return _unarchive(request, site, back, lambda **kw: services.site_unarchive(site=site, **kw))


@login_required
@require_POST
def site_delete(request: AuthenticatedHttpRequest, site_uuid: UUID) -> HttpResponse:
    site = _site(request, site_uuid)
    try:
        services.site_delete_draft(actor=request.user, site=site)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The site %(name)s was deleted.") % {"name": site.name})
    return redirect(reverse("programmes:detail", args=[site.programme.slug]) + "#sites-heading")
