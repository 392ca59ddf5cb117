"""The client council's pages: a meeting's items (suggested, decided, done) and the correction of
one. Thin views: the door in selectors, the writes in services."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.core.forms import add_service_errors
from pilotti.council import selectors, services
from pilotti.council.forms import CouncilItemForm
from pilotti.council.models import CouncilItem
from pilotti.meetings.models import Meeting
from pilotti.meetings.selectors import meetings_visible_to
from pilotti.organisations.http import AuthenticatedHttpRequest


def _meeting(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> Meeting:
    meetings = meetings_visible_to(request.viewer).select_related("unit__programme")
    return get_object_or_404(meetings, uuid=meeting_uuid)


@login_required
def meeting_council(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid)
    can_record = selectors.can_record_council(request.viewer, meeting)
    form = CouncilItemForm(request.POST if request.method == "POST" else None, meeting=meeting)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.council_item_add(actor=request.user, meeting=meeting, fields=form.to_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The suggestion was recorded."))
                return redirect("council:meeting", meeting_uuid=meeting.uuid)
    context = {"meeting": meeting, "items": selectors.items_of(meeting), "form": form, "can_record": can_record}
    return render(request, "council/meeting.html", context, status=400 if form.errors else 200)


def _item(request: AuthenticatedHttpRequest, item_uuid: UUID) -> CouncilItem:
    items = selectors.council_items_visible_to(request.viewer).select_related("meeting__unit__programme")
    item = get_object_or_404(items, uuid=item_uuid)
    if not selectors.can_record_council(request.viewer, item.meeting):
        raise PermissionDenied
    return item


@login_required
def item_edit(request: AuthenticatedHttpRequest, item_uuid: UUID) -> HttpResponse:
    item = _item(request, item_uuid)
    initial = CouncilItemForm.initial_for(item)
    form = CouncilItemForm(request.POST or None, meeting=item.meeting, with_reason=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_item_update(
                actor=request.user, item=item, fields=form.to_fields(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("council:meeting", meeting_uuid=item.meeting.uuid)
    context = {"item": item, "form": form, "history": selectors.item_history(item)}
    return render(request, "council/item_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def item_remove(request: AuthenticatedHttpRequest, item_uuid: UUID) -> HttpResponse:
    item = _item(request, item_uuid)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Say why the item is removed: the history keeps the reason."))
        return redirect("council:item_edit", item_uuid=item.uuid)
    services.council_item_remove(actor=request.user, item=item, reason=reason[:300])
    messages.success(request, _("The item was removed. Its history is kept."))
    return redirect("council:meeting", meeting_uuid=item.meeting.uuid)
