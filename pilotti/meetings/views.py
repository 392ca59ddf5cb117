"""Meeting pages, "My meetings" and calendar feeds. Thin views: the object comes through a
selector (404 for what the user may not see), the right to change it is checked (403 for a
visible meeting the user may only read), and a service does the write."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.accounts.models import User
from pilotti.meetings import ical, selectors, services
from pilotti.meetings.forms import MeetingDetailsForm
from pilotti.meetings.models import CalendarFeed
from pilotti.programmes import selectors as programmes
from pilotti.programmes import services as programme_services
from pilotti.programmes.models import Meeting


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _meeting(request: HttpRequest, meeting_uuid: UUID, *, change: bool = False) -> Meeting:
    meetings = programmes.meetings_visible_to(_user(request)).select_related(
        "unit", "unit__programme", "unit__organisation", "unit__site"
    )
    meeting = get_object_or_404(meetings, uuid=meeting_uuid)
    if change and not programmes.can_change_meetings(_user(request), meeting.unit):
        raise PermissionDenied
    return meeting


def _roll_call(request: HttpRequest, meeting: Meeting, *, can_change: bool) -> dict[str, Any]:
    """The roll call's context, shown above "Mark held" in the ``roll_call`` block.

    Empty until participants exist (issue 6, part B): then the unit's enrolled participants
    with their attendance, read in a constant number of queries.
    """
    return {}


@login_required
def meeting_detail(request: HttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid)
    can_change = programmes.can_change_meetings(_user(request), meeting.unit)
    today = timezone.now().astimezone(programme_services.HELSINKI).date()
    context = {
        "meeting": meeting,
        "unit": meeting.unit,
        "can_change": can_change,
        "can_mark_held": can_change
        and meeting.status == Meeting.Status.SCHEDULED
        and meeting.starts_at.astimezone(programme_services.HELSINKI).date() <= today,
        "can_move": can_change and meeting.status == Meeting.Status.SCHEDULED and not meeting.unit.is_closed,
        "present": meeting.facilitators_present.order_by("full_name", "email"),
        "history": meeting.history.select_related("history_user").order_by("-history_date")[:20],
        **_roll_call(request, meeting, can_change=can_change),
    }
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_edit(request: HttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid, change=True)
    topics = list(meeting.unit.programme.topics.values_list("title", flat=True))
    initial = MeetingDetailsForm.initial_for(meeting, topics)
    form = MeetingDetailsForm(request.POST or None, meeting=meeting, topics=topics, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            programme_services.meeting_update(actor=_user(request), meeting=meeting, **form.details())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The meeting's details were saved."))
            return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    context = {"meeting": meeting, "unit": meeting.unit, "form": form}
    return render(request, "meetings/meeting_edit.html", context, status=400 if form.errors else 200)


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_POST
def meeting_mark_held(request: HttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid, change=True)
    try:
        programme_services.meeting_mark_held(actor=_user(request), meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting is marked held."))
    return redirect("meetings:detail", meeting_uuid=meeting.uuid)


@login_required
@require_POST
def meeting_unmark_held(request: HttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid, change=True)
    try:
        programme_services.meeting_unmark_held(actor=_user(request), meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting is scheduled again, not held."))
    return redirect("meetings:detail", meeting_uuid=meeting.uuid)


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    context = {"week": programmes.my_week(_user(request), timezone.now())}
    return render(request, "meetings/my_meetings.html", context)


# --- Calendar feeds ---------------------------------------------------------------------------


@login_required
def feed_list(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/feed_list.html", {"feeds": selectors.feeds_of(_user(request))})


def _feed_created(request: HttpRequest, feed: CalendarFeed, token: str) -> HttpResponse:
    # Shown in the POST's own response, never stored or redirected: only the hash is kept.
    url = request.build_absolute_uri(reverse("meetings:feed", kwargs={"token": token}))
    context = {"feed": feed, "url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}
    return render(request, "meetings/feed_created.html", context)


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    feed, token = services.feed_create(actor=_user(request))
    return _feed_created(request, feed, token)


@login_required
@require_POST
def feed_create_unit(request: HttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = get_object_or_404(programmes.units_visible_to(_user(request)), uuid=unit_uuid)
    feed, token = services.feed_create(actor=_user(request), unit=unit)
    return _feed_created(request, feed, token)


@login_required
@require_POST
def feed_revoke(request: HttpRequest, feed_uuid: UUID) -> HttpResponse:
    feed = get_object_or_404(selectors.feeds_of(_user(request)), uuid=feed_uuid)
    services.feed_revoke(actor=_user(request), feed=feed)
    messages.success(request, _("The feed was revoked. Calendars that used it no longer get updates."))
    return redirect("meetings:feed_list")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no session, the token is the key. Unknown or revoked answers 404."""
    calendar_feed = selectors.live_feed(token)  # before the method check, so POST also gets 404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    meetings = selectors.feed_meetings(calendar_feed)
    services.feed_fetched(feed=calendar_feed)
    name = calendar_feed.unit.name if calendar_feed.unit else _("My meetings")
    body = ical.build_calendar(
        uid=f"{calendar_feed.uuid}@pilotti",
        name=f"Pilotti: {name}",
        meetings=meetings,
        stamp=timezone.now(),
        url_for=lambda m: request.build_absolute_uri(reverse("meetings:detail", kwargs={"meeting_uuid": m.uuid})),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pilotti.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
