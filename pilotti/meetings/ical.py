"""iCalendar feeds of meetings (RFC 5545) with the icalendar package.

Each meeting is one event with a stable UID, so a moved or cancelled meeting replaces the
event in the subscriber's calendar instead of adding another: SEQUENCE grows with every move
and cancellation, and a cancelled meeting stays in the feed with STATUS:CANCELLED. Times are
in UTC. Nothing about participants goes in: calendars are synced to outside services.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration
from icalendar.enums import STATUS

from pilotti.meetings.models import Meeting

PRODID = "-//Pilotti//Pilotti meetings//EN"
REFRESH = timedelta(hours=1)


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uuid}@pilotti"


def _summary(meeting: Meeting) -> str:
    summary = f"{meeting.unit.name}: {meeting.theme}" if meeting.theme else meeting.unit.name
    if meeting.status == Meeting.Status.CANCELLED:
        return _("Cancelled: %(summary)s") % {"summary": summary}
    return summary


def _description(meeting: Meeting) -> str:
    lines = [meeting.unit.programme.name]
    if meeting.status == Meeting.Status.CANCELLED and meeting.cancel_reason:
        lines.append(_("Cancelled: %(reason)s") % {"reason": meeting.cancel_reason})
    if meeting.remote_link:
        lines.append(_("Join the meeting: %(link)s") % {"link": meeting.remote_link})
    if meeting.interpreter_language:
        lines.append(_("Interpreter: %(language)s") % {"language": meeting.interpreter_language})
    return "\n".join(lines)


def build_calendar(
    *, uid: str, name: str, meetings: Iterable[Meeting], stamp: datetime, url_for: Callable[[Meeting], str]
) -> bytes:
    calendar = Calendar.new(uid=uid, prodid=PRODID, name=name, method="PUBLISH")
    # How often to fetch again: RFC 7986's REFRESH-INTERVAL (its value must be marked a duration)
    # and Outlook's X-PUBLISHED-TTL, which only an ISO 8601 duration (PT1H) means anything to.
    calendar.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    for meeting in meetings:
        event = Event.new(
            uid=meeting_uid(meeting),
            start=meeting.starts_at.astimezone(UTC),
            end=meeting.ends_at.astimezone(UTC),
            stamp=stamp.astimezone(UTC),
            sequence=meeting.sequence,
            status=STATUS.CANCELLED if meeting.status == Meeting.Status.CANCELLED else STATUS.CONFIRMED,
            summary=_summary(meeting),
            location=meeting.venue or None,
            description=_description(meeting),
            url=url_for(meeting),
        )
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
