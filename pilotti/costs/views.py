"""The cost page of a programme: one organisation's rates, its units' staff hours from the roll
call and the costs it entered. Thin views: the door in selectors, the writes in services."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.core.forms import add_service_errors
from pilotti.costs import selectors, services
from pilotti.costs.forms import CostEntryForm, RatesForm
from pilotti.costs.models import CostEntry
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.models import Organisation
from pilotti.programmes.models import Programme


def _page(request: AuthenticatedHttpRequest, slug: str, *, edit: bool = False) -> tuple[Programme, Organisation]:
    found = selectors.costs_organisation(request.viewer, slug)
    if found is None:
        raise Http404
    if edit and not selectors.can_edit_costs(request.viewer, found[1].pk):
        raise PermissionDenied
    return found


def _render(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    organisation: Organisation,
    *,
    rates_form: RatesForm | None = None,
    entry_form: CostEntryForm | None = None,
) -> HttpResponse:
    units = selectors.organisation_units(programme, organisation)
    rates = selectors.organisation_rates(programme, organisation)
    costing = selectors.costing(programme, units, selectors.Period())
    context: dict[str, Any] = {
        "programme": programme,
        "organisation": organisation,
        "can_edit": selectors.can_edit_costs(request.viewer, organisation.pk),
        "costing": costing,
        "units": selectors.unit_rows(units, costing),
        "roles": selectors.role_rows(costing),
        "entries": selectors.organisation_entries(programme, organisation),
        "rates_form": rates_form or RatesForm(current=rates),
        "entry_form": entry_form or CostEntryForm(units=units),
    }
    failed = (rates_form is not None and rates_form.errors) or (entry_form is not None and entry_form.errors)
    return render(request, "costs/costs.html", context, status=400 if failed else 200)


@login_required
def programme_costs(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme, organisation = _page(request, slug)
    return _render(request, programme, organisation)


@login_required
@require_POST
def rates_save(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme, organisation = _page(request, slug, edit=True)
    form = RatesForm(request.POST, current=selectors.organisation_rates(programme, organisation))
    if not form.is_valid():
        return _render(request, programme, organisation, rates_form=form)
    services.rates_set(
        actor=request.user,
        programme=programme,
        organisation=organisation,
        rates=form.to_rates(),
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("The hourly rates were saved."))
    return redirect("costs:programme", slug=programme.slug)


@login_required
@require_POST
def entry_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    programme, organisation = _page(request, slug, edit=True)
    form = CostEntryForm(request.POST, units=selectors.organisation_units(programme, organisation))
    if form.is_valid():
        try:
            services.cost_entry_add(
                actor=request.user, programme=programme, organisation=organisation, fields=form.to_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cost was added."))
            return redirect("costs:programme", slug=programme.slug)
    return _render(request, programme, organisation, entry_form=form)


def _entry(request: AuthenticatedHttpRequest, entry_uuid: UUID) -> CostEntry:
    entries = selectors.cost_entries_visible_to(request.viewer).select_related("programme", "organisation", "unit")
    entry = get_object_or_404(entries, uuid=entry_uuid)
    if not selectors.can_edit_costs(request.viewer, entry.organisation_id):
        raise PermissionDenied
    return entry


@login_required
def entry_edit(request: AuthenticatedHttpRequest, entry_uuid: UUID) -> HttpResponse:
    entry = _entry(request, entry_uuid)
    units = selectors.organisation_units(entry.programme, entry.organisation)
    form = CostEntryForm(request.POST or None, units=units, with_reason=True, initial=CostEntryForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        try:
            services.cost_entry_update(
                actor=request.user, entry=entry, fields=form.to_fields(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("costs:programme", slug=entry.programme.slug)
    context = {"entry": entry, "form": form, "history": selectors.entry_history(entry)}
    return render(request, "costs/entry_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def entry_remove(request: AuthenticatedHttpRequest, entry_uuid: UUID) -> HttpResponse:
    entry = _entry(request, entry_uuid)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Say why the cost is removed: the history keeps the reason."))
        return redirect("costs:entry_edit", entry_uuid=entry.uuid)
    services.cost_entry_remove(actor=request.user, entry=entry, reason=reason[:300])
    messages.success(request, _("The cost was removed. Its history is kept."))
    return redirect("costs:programme", slug=entry.programme.slug)
