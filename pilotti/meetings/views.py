"""Meeting pages with the roll call, "My meetings", calendar feeds and reminder choices.

Thin views: the object comes through a selector (404 for what the user may not see), the
right to change it is checked (403 for a visible meeting the user may only read), and a
service does the write."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access, log_access_many
from pilotti.core.forms import add_service_errors
from pilotti.core.zone import HELSINKI
from pilotti.meetings import ical, selectors, services
from pilotti.meetings.forms import MeetingDetailsForm, ReminderChoiceForm, RollCallForm, VisitorsForm
from pilotti.meetings.models import Attendance, CalendarFeed, Meeting, ReminderChoice
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.people.selectors import participants_with_contact_details_visible_to
from pilotti.programmes import selectors as programmes
from pilotti.programmes.models import DeliveryUnit


def _meeting(request: AuthenticatedHttpRequest, meeting_uuid: UUID, *, change: bool = False) -> Meeting:
    meetings = selectors.meetings_visible_to(request.viewer).select_related(
        "unit", "unit__programme", "unit__organisation", "unit__site"
    )
    meeting = get_object_or_404(meetings, uuid=meeting_uuid)
    if change and not programmes.can_change_meetings(request.viewer, meeting.unit):
        raise PermissionDenied
    return meeting


def _roll_call(request: AuthenticatedHttpRequest, meeting: Meeting, *, can_change: bool) -> dict[str, Any]:
    """The roll call's context, shown above "Mark held" in the ``roll_call`` block.

    Those who record attendance get the list (an access-log entry per person shown);
    others who may see the meeting, such as evaluators, get the counts only.
    """
    if meeting.status == Meeting.Status.CANCELLED:
        return {}
    with_visitors = meeting.unit.kind == DeliveryUnit.Kind.GROUP
    if not can_change:
        return {"attendance_counts": selectors.attendance_counts(meeting), "with_visitors": with_visitors}
    roll = selectors.roll_call(request.viewer, meeting)
    _log_roll_call_shown(request, meeting, roll)
    return {
        "roll_call": roll,
        "can_record": selectors.can_take_roll_call(meeting),
        "with_visitors": with_visitors,
        "statuses": Attendance.Status.choices,
    }


def _log_roll_call_shown(request: AuthenticatedHttpRequest, meeting: Meeting, roll: selectors.RollCall) -> None:
    """One entry per person the roll call shows, so each person's log lists it: their name, or
    their code only (an admin's roll call)."""
    local = meeting.starts_at.astimezone(HELSINKI)
    for category, named in ((Category.CONTACT_DETAILS, True), (Category.PROFILE, False)):
        # Rows without a participant (a household's children) have no log of their own.
        participants = [row.participant for row in roll.rows if row.participant is not None and bool(row.name) == named]
        if participants:
            log_access_many(
                request,
                participants=participants,
                action=Action.VIEW,
                category=category,
                purpose=Purpose.ROLL_CALL,
                item=f"roll call {meeting.unit.name} {local:%Y-%m-%d}",
            )


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    return _meeting_page(request, _meeting(request, meeting_uuid))


def _meeting_page(request: AuthenticatedHttpRequest, meeting: Meeting, *, status: int = 200) -> HttpResponse:
    can_change = programmes.can_change_meetings(request.viewer, meeting.unit)
    today = timezone.now().astimezone(HELSINKI).date()
    context = {
        "meeting": meeting,
        "unit": meeting.unit,
        "can_change": can_change,
        "can_mark_held": can_change
        and meeting.status == Meeting.Status.SCHEDULED
        and meeting.starts_at.astimezone(HELSINKI).date() <= today,
        "can_move": can_change and meeting.status == Meeting.Status.SCHEDULED and not meeting.unit.is_closed,
        "present": meeting.facilitators_present.order_by("full_name", "email"),
        "history": meeting.history.select_related("history_user").order_by("-history_date")[:20],
        **_roll_call(request, meeting, can_change=can_change),
    }
    return render(request, "meetings/meeting_detail.html", context, status=status)


@login_required
def meeting_edit(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid, change=True)
    topics = list(meeting.unit.programme.topics.values_list("title", flat=True))
    initial = MeetingDetailsForm.initial_for(meeting, topics)
    form = MeetingDetailsForm(request.POST or None, meeting=meeting, topics=topics, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting's details were saved."))
            return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    context = {"meeting": meeting, "unit": meeting.unit, "form": form}
    return render(request, "meetings/meeting_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def meeting_mark_held(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid, change=True)
    try:
        services.meeting_mark_held(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting is marked held."))
    return redirect("meetings:detail", meeting_uuid=meeting.uuid)


@login_required
@require_POST
def meeting_unmark_held(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid, change=True)
    try:
        services.meeting_unmark_held(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting is scheduled again, not held."))
    return redirect("meetings:detail", meeting_uuid=meeting.uuid)


# --- Roll call ----------------------------------------------------------------------------------


def _row_response(
    request: AuthenticatedHttpRequest, meeting: Meeting, row: selectors.RollCallRow, *, saved: bool, error: str = ""
) -> HttpResponse:
    context = {"meeting": meeting, "row": row, "saved": saved, "error": error, "can_record": True}
    context["statuses"] = Attendance.Status.choices
    response = render(request, "meetings/_roll_call_row.html", context, status=400 if error else 200)
    response["X-Pilotti-Row"] = "1"  # tells roll_call.js that this is a row, not a sign-in page
    return response


@login_required
@require_POST
def attendance_record(request: AuthenticatedHttpRequest, meeting_uuid: UUID, person_uuid: UUID) -> HttpResponse:
    """One tap: the row's person gets the status the tap asked for; answers the row, saved or not."""
    meeting = _meeting(request, meeting_uuid, change=True)
    row = selectors.roll_call(request.viewer, meeting).row(person_uuid)
    status = request.POST.get("status", "")
    try:
        if status != selectors.NOT_MARKED:
            services.attendance_record(
                actor=request.user, meeting=meeting, participant=row.participant, member=row.member, status=status
            )
        else:
            services.attendance_clear(
                actor=request.user, meeting=meeting, participant=row.participant, member=row.member
            )
    except ValidationError as error:
        return _row_response(request, meeting, row, saved=False, error=" ".join(error.messages))
    row.status = "" if status == selectors.NOT_MARKED else status
    if not request.htmx:
        return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    return _row_response(request, meeting, row, saved=True)


@login_required
@require_POST
def roll_call_save(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    """The roll call as a plain form, for browsers without JavaScript: everyone and the visitors at once."""
    meeting = _meeting(request, meeting_uuid, change=True)
    roll = selectors.roll_call(request.viewer, meeting)
    form = RollCallForm(request.POST, rows=roll.rows, with_visitors=meeting.unit.kind == DeliveryUnit.Kind.GROUP)
    try:
        if not form.is_valid():
            raise ValidationError([message for errors in form.errors.values() for message in errors])
        services.roll_call_record(
            actor=request.user,
            meeting=meeting,
            statuses=[(row.participant, row.member, status) for row, status in form.statuses()],
            unregistered_visitors=form.cleaned_data.get("unregistered_visitors"),
        )
    except ValidationError as error:
        messages.error(request, _("The roll call was not saved: %(reason)s") % {"reason": " ".join(error.messages)})
        return _meeting_page(request, meeting, status=400)
    messages.success(request, _("The roll call was saved."))
    return redirect("meetings:detail", meeting_uuid=meeting.uuid)


@login_required
@require_POST
def unregistered_visitors_record(request: AuthenticatedHttpRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_uuid, change=True)
    form = VisitorsForm(request.POST)
    error = " ".join(str(message) for errors in form.errors.values() for message in errors)
    if not error:
        try:
            services.unregistered_visitors_record(
                actor=request.user, meeting=meeting, count=form.cleaned_data["unregistered_visitors"]
            )
        except ValidationError as failure:
            error = " ".join(failure.messages)
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or _("The number of visitors was saved."))
        return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    context = {"meeting": meeting, "can_record": True, "saved": not error, "error": error, "form": form}
    response = render(request, "meetings/_visitors.html", context, status=400 if error else 200)
    response["X-Pilotti-Row"] = "1"
    return response


@login_required
def reminder_choice_edit(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    """How a participant is reminded: for the coordinators and the facilitators of their units."""
    people = participants_with_contact_details_visible_to(request.viewer)
    participant = get_object_or_404(people, uuid=participant_uuid)
    choice = ReminderChoice.objects.filter(participant=participant).first()
    initial = {"channel": choice.channel if choice else ReminderChoice.Channel.NONE}
    form = ReminderChoiceForm(request.POST or None, initial=initial)
    back = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        services.reminder_choice_set(actor=request.user, participant=participant, channel=channel)
        messages.success(request, _("The reminder choice of %(code)s was saved.") % {"code": participant.code})
        return redirect(back or reverse("people:detail", kwargs={"participant_uuid": participant.uuid}))
    log_access(
        request, participant=participant, action=Action.VIEW, category=Category.CONTACT_DETAILS,
        purpose=Purpose.REMINDER, item="reminder choice",
    )  # fmt: skip
    context = {"participant": participant, "form": form, "next": back}
    return render(request, "meetings/reminder_choice.html", context, status=400 if form.errors else 200)


def _safe_next(request: AuthenticatedHttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=False)
    return wanted if allowed and wanted.startswith("/") else ""


@login_required
def my_meetings(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    waiting = selectors.waiting_for(request.viewer, now)
    absent = [a.participant for a in waiting.absences if a.participant is not None]
    households = list({a.member.household.pk: a.member.household for a in waiting.absences if a.member}.values())
    if absent or households:
        log_access_many(
            request, participants=absent, households=households, action=Action.VIEW, category=Category.PROFILE,
            purpose=Purpose.ROLL_CALL, item="absent twice in a row",
        )  # fmt: skip
    context = {"week": selectors.my_week(request.viewer, now), "waiting": waiting}
    return render(request, "meetings/my_meetings.html", context)


# --- Calendar feeds ---------------------------------------------------------------------------


@login_required
def feed_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "meetings/feed_list.html", {"feeds": selectors.feeds_of(request.user)})


def _feed_created(request: AuthenticatedHttpRequest, feed: CalendarFeed, token: str) -> HttpResponse:
    # Shown in the POST's own response, never stored or redirected: only the hash is kept.
    url = request.build_absolute_uri(reverse("meetings:feed", kwargs={"token": token}))
    context = {"feed": feed, "url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}
    return render(request, "meetings/feed_created.html", context)


@login_required
@require_POST
def feed_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    feed, token = services.feed_create(actor=request.user, language=translation.get_language())
    return _feed_created(request, feed, token)


@login_required
@require_POST
def feed_create_unit(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    unit = get_object_or_404(programmes.units_visible_to(request.viewer), uuid=unit_uuid)
    feed, token = services.feed_create(actor=request.user, unit=unit, language=translation.get_language())
    return _feed_created(request, feed, token)


@login_required
@require_POST
def feed_revoke(request: AuthenticatedHttpRequest, feed_uuid: UUID) -> HttpResponse:
    feed = get_object_or_404(selectors.feeds_of(request.user), uuid=feed_uuid)
    services.feed_revoke(actor=request.user, feed=feed)
    messages.success(request, _("The feed was revoked. Calendars that used it no longer get updates."))
    return redirect("meetings:feed_list")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no session, the token is the key. Unknown or revoked answers 404."""
    calendar_feed = selectors.live_feed(token)  # before the method check, so POST also gets 404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    meetings = selectors.feed_meetings(calendar_feed)
    services.feed_fetched(feed=calendar_feed)
    # The feed's own language, never the calendar app's Accept-Language.
    language = calendar_feed.speaks
    with translation.override(language):
        name = calendar_feed.unit.name if calendar_feed.unit else _("My meetings")
        body = ical.build_calendar(
            uid=f"{calendar_feed.uuid}@pilotti",
            name=f"Pilotti: {name}",
            meetings=meetings,
            stamp=timezone.now(),
            url_for=lambda m: request.build_absolute_uri(reverse("meetings:detail", kwargs={"meeting_uuid": m.uuid})),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Language"] = language
    response["Content-Disposition"] = 'inline; filename="pilotti.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def unit_roster(request: AuthenticatedHttpRequest, unit_uuid: UUID) -> HttpResponse:
    """The unit's people on one page: stage, attendance, and the way to each person and to the
    unit's due questionnaires. The unit's managers and its own facilitators; others get 404,
    whatever the method (the method is checked after the door)."""
    unit = get_object_or_404(programmes.units_visible_to(request.viewer).select_related("programme"), uuid=unit_uuid)
    if not selectors.can_see_roster(request.viewer, unit):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    roster = selectors.unit_roster(request.viewer, unit)
    for category, named in ((Category.CONTACT_DETAILS, True), (Category.PROFILE, False)):
        participants = [row.participant for row in roster.rows if row.participant and bool(row.name) == named]
        if participants:
            log_access_many(
                request, participants=participants, action=Action.VIEW, category=category,
                purpose=Purpose.CLIENT_WORK, item="unit roster",
            )  # fmt: skip
    return render(request, "meetings/unit_roster.html", {"unit": unit, "roster": roster})
