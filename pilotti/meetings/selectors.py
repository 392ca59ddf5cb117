"""Reads of meetings, calendar feeds and the roll call.

Which meetings a person sees follows the units they see (``programmes.selectors``).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.core.tokens import hash_token
from pilotti.core.zone import HELSINKI
from pilotti.meetings.models import Attendance, CalendarFeed, Meeting, ReminderChoice
from pilotti.meetings.schedule import finnish_holidays
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import HouseholdMember, Participant, Relation
from pilotti.people.selectors import participants_visible_to, participants_with_contact_details_visible_to
from pilotti.programmes import selectors as programmes
from pilotti.programmes.models import DeliveryUnit, UnitFacilitator
from pilotti.recruitment.models import HOLDS_PLACE, Enrolment, Stage
from pilotti.recruitment.selectors import enrolments_visible_to


def meetings_visible_to(viewer: Viewer) -> QuerySet[Meeting]:
    """The meetings of the units the viewer sees (the units' rule, ``programmes.selectors``)."""
    return Meeting.objects.filter(programmes.on_visible_unit(viewer, "unit__"))


def unit_meetings(unit: DeliveryUnit) -> QuerySet[Meeting]:
    return unit.meetings.order_by("starts_at")


@dataclass
class MyWeek:
    """A facilitator's meetings today and later this week, across all their units."""

    today: list[Meeting]
    later: list[Meeting]
    next_meetings: list[Meeting]  # the next one after this week, looked up only when the week is empty
    facilitates: bool


def my_meetings(viewer: Viewer) -> QuerySet[Meeting]:
    """Meetings of the units the viewer facilitates, with what a list of them shows."""
    return (
        Meeting.objects.filter(unit__in=programmes.assigned_unit_ids(viewer))
        .select_related("unit", "unit__site", "unit__programme")
        .order_by("starts_at")
    )


def my_week(viewer: Viewer, now: datetime) -> MyWeek:
    """Today and the rest of this week (Monday to Sunday, Helsinki time), in two or three queries."""
    local = now.astimezone(HELSINKI)
    today = datetime.combine(local.date(), time.min, tzinfo=HELSINKI)
    tomorrow = today + timedelta(days=1)
    week_end = today + timedelta(days=7 - local.weekday())
    meetings = list(my_meetings(viewer).filter(starts_at__gte=today, starts_at__lt=week_end))
    upcoming: list[Meeting] = []
    if not meetings:
        upcoming = list(my_meetings(viewer).filter(starts_at__gte=week_end, status=Meeting.Status.SCHEDULED)[:1])
    return MyWeek(
        today=[m for m in meetings if m.starts_at < tomorrow],
        later=[m for m in meetings if m.starts_at >= tomorrow],
        next_meetings=upcoming,
        facilitates=bool(meetings or upcoming) or programmes.assigned_unit_ids(viewer).exists(),
    )


def meeting_warnings(
    unit: DeliveryUnit, starts_at: datetime, duration_minutes: int, *, meeting: Meeting | None = None
) -> list[str]:
    """Why a meeting at this time is probably a mistake: the unit already meets that day, one of
    its facilitators is in another meeting then, or the day is a public holiday or in a break.
    Each is worth a second look, none is impossible (a holiday group can be planned)."""
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    day = starts_at.astimezone(HELSINKI).date()
    nearby = (
        Meeting.objects.filter(starts_at__gt=starts_at - timedelta(days=1), starts_at__lt=ends_at + timedelta(days=1))
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(pk__in=[meeting.pk] if meeting else [])
        .select_related("unit")
    )
    facilitators = {f.user_id: f.user for f in unit.facilitators.select_related("user")}
    busy = UnitFacilitator.objects.filter(user_id__in=facilitators).exclude(unit=unit).values_list("unit_id", "user_id")
    busy_units: dict[int, list[int]] = {}
    for unit_id, user_id in busy:
        busy_units.setdefault(unit_id, []).append(user_id)
    warnings = []
    for other in nearby:
        local = other.starts_at.astimezone(HELSINKI)
        at = {"date": date_format(local, "SHORT_DATE_FORMAT"), "time": time_format(local), "unit": other.unit.name}
        if other.unit_id == unit.pk and local.date() == day:
            warnings.append(_("%(unit)s already meets on %(date)s at %(time)s.") % at)
        elif other.unit_id in busy_units and other.starts_at < ends_at and other.ends_at > starts_at:
            for user_id in busy_units[other.unit_id]:
                name = facilitators[user_id].full_name or facilitators[user_id].email
                warnings.append(_("%(name)s facilitates %(unit)s then (%(time)s).") % {**at, "name": name})
    holiday = finnish_holidays([day.year], get_language() or "fi").get(day)
    if holiday:
        warnings.append(
            _("%(date)s is a public holiday: %(holiday)s.")
            % {"date": date_format(day, "SHORT_DATE_FORMAT"), "holiday": holiday}
        )
    if unit.breaks.filter(first__lte=day, last__gte=day).exists():
        warnings.append(_("%(date)s is in the unit's break.") % {"date": date_format(day, "SHORT_DATE_FORMAT")})
    return warnings


def feeds_of(user: User) -> QuerySet[CalendarFeed]:
    """The user's own live feeds: nobody else's, whatever their role."""
    if not user.is_authenticated:
        return CalendarFeed.objects.none()
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).select_related("unit", "unit__programme")


def live_feed(token: str) -> CalendarFeed:
    """The feed of a token, or 404: unknown, revoked, or its owner can no longer sign in."""
    feed = (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .select_related("user", "unit")
        .first()
    )
    if feed is None:
        raise Http404
    return feed


def feed_meetings(feed: CalendarFeed) -> QuerySet[Meeting]:
    """What the feed's owner may see today, not what they could when the feed was made.

    A unit feed of a unit the owner no longer sees answers 404, like a revoked one.
    """
    owner = Viewer.everywhere(feed.user)
    if feed.unit is None:
        return my_meetings(owner)
    if not programmes.units_visible_to(owner).filter(pk=feed.unit.pk).exists():
        raise Http404
    return (
        meetings_visible_to(owner)
        .filter(unit=feed.unit)
        .select_related("unit", "unit__site", "unit__programme")
        .order_by("starts_at")
    )


# --- Roll call --------------------------------------------------------------------------------

# A tap moves a row along this cycle: not marked → present → absent → excused → present …
# What a tap sends to take a mark away (an empty status is refused as a malformed tap).
NOT_MARKED = "not_marked"
NEXT_STATUS = {
    "": Attendance.Status.PRESENT,
    Attendance.Status.PRESENT: Attendance.Status.ABSENT,
    Attendance.Status.ABSENT: Attendance.Status.EXCUSED,
    # A fourth tap takes the mark away: a wrong tap on someone not yet seen can be undone.
    Attendance.Status.EXCUSED: NOT_MARKED,
}


@dataclass
class RollCallRow:
    """One person in the roll call: a participant, or a child of a household track."""

    key: UUID  # the participant's or household member's uuid, used in the row's URL
    code: str  # the participant code; a child shows their household's code
    name: str  # empty unless the user may see the participant's contact details
    description: str  # e.g. "child, born 2019"
    status: str  # "" when not marked yet
    participant: Participant | None = None
    member: HouseholdMember | None = None
    reminders: str = ReminderChoice.Channel.NONE

    @property
    def next_status(self) -> str:
        return NEXT_STATUS[self.status]

    @property
    def status_label(self) -> str:
        return str(Attendance.Status(self.status).label) if self.status else _("not marked")

    @property
    def reminders_label(self) -> str:
        return str(ReminderChoice.Channel(self.reminders).label)


@dataclass
class RollCall:
    rows: list[RollCallRow]
    names_shown: bool

    def row(self, key: UUID) -> RollCallRow:
        for row in self.rows:
            if row.key == key:
                return row
        raise Http404


def meeting_day(meeting: Meeting) -> date:
    return meeting.starts_at.astimezone(HELSINKI).date()


def can_take_roll_call(meeting: Meeting) -> bool:
    """From the meeting's day on, as with marking it held; never for a cancelled meeting."""
    today = timezone.now().astimezone(HELSINKI).date()
    return meeting.status != Meeting.Status.CANCELLED and meeting_day(meeting) <= today


def in_roll_call(enrolments: QuerySet[Enrolment], day: date) -> QuerySet[Enrolment]:
    """Enrolments whose people belong in a meeting's roll call on ``day``.

    Those holding a place (enrolled, started, completed) since that day or earlier, and those
    who dropped out on that day or later: a person who left in November was still in the
    October roll calls.
    """
    since = Q(enrolled_on__isnull=True) | Q(enrolled_on__lte=day)
    return enrolments.filter(since).filter(
        Q(stage__in=HOLDS_PLACE) | Q(stage=Stage.DROPPED_OUT, enrolled_on__isnull=False, ended_on__gte=day)
    )


def _participant_ids(enrolments: QuerySet[Enrolment], meeting: Meeting) -> "QuerySet[Enrolment, int]":
    """Who belongs in the roll call, as keys: the unit's enrolled participants, the adults of its
    enrolled households, and anyone already recorded at the meeting.

    A UNION, not three INs joined by OR: PostgreSQL cannot turn ORed IN-subqueries into a join
    and tests every participant of the organisation against them instead.
    """
    households = enrolments.filter(household__isnull=False).values("household_id")
    expected = enrolments.filter(participant__isnull=False).order_by().values_list("participant_id", flat=True)
    adults = HouseholdMember.objects.filter(household__in=households, participant__isnull=False)
    recorded = Attendance.objects.filter(meeting=meeting, participant__isnull=False)
    others = (adults.order_by().values_list("participant_id"), recorded.order_by().values_list("participant_id"))
    return expected.union(*others)


def _children(enrolments: QuerySet[Enrolment], meeting: Meeting) -> QuerySet[HouseholdMember]:
    """A household track's children (not the expected ones), and anyone already recorded."""
    households = enrolments.filter(household__isnull=False).values("household_id")
    recorded = Attendance.objects.filter(meeting=meeting, member__isnull=False).values("member_id")
    children = Q(household__in=households, participant__isnull=True, relation=Relation.CHILD)
    return HouseholdMember.objects.filter(children | Q(pk__in=recorded)).select_related("household")


def roll_call(viewer: Viewer, meeting: Meeting) -> RollCall:
    """The unit's people with their attendance at the meeting, in four or five queries whatever their number.

    Only for those who record attendance (``programmes.can_change_meetings``); names only of
    the participants whose contact details the viewer may see (people.selectors).
    """
    enrolments = in_roll_call(enrolments_visible_to(viewer).filter(unit=meeting.unit), meeting_day(meeting))
    # The keys first (a handful), then the people selectors' rules on those rows only: asked in one
    # query with the keys as a subquery, PostgreSQL still scanned every participant of the
    # organisation to apply the rules (30-50 ms at 100 000 participants, growing with them).
    keys = list(_participant_ids(enrolments, meeting))
    named = participants_with_contact_details_visible_to(viewer).filter(pk__in=keys).values("pk")
    participants = list(
        participants_visible_to(viewer)
        .filter(pk__in=keys)
        .annotate(named=ExpressionWrapper(Q(pk__in=named), output_field=BooleanField()))
        .select_related("contact", "reminder_choice")
        .order_by("code")
    )
    children: list[HouseholdMember] = []
    if meeting.unit.kind == DeliveryUnit.Kind.HOUSEHOLD_TRACK:
        children = sorted(_children(enrolments, meeting), key=lambda m: (m.household.code, m.birth_year or 0, m.pk))
    statuses = {
        (a.participant_id, a.member_id): a.status
        for a in Attendance.objects.filter(meeting=meeting).only("participant_id", "member_id", "status")
    }
    rows = [_participant_row(p, statuses.get((p.pk, None), ""), show_name=p.named) for p in participants]
    rows += [_child_row(m, statuses.get((None, m.pk), "")) for m in children]
    return RollCall(rows=rows, names_shown=any(row.name for row in rows))


def _participant_row(participant: Participant, status: str, *, show_name: bool) -> RollCallRow:
    contact = getattr(participant, "contact", None)
    choice = getattr(participant, "reminder_choice", None)
    return RollCallRow(
        key=participant.uuid,
        code=participant.code,
        name=contact.name if show_name and contact is not None else "",
        description="",
        status=status,
        participant=participant,
        reminders=choice.channel if choice is not None else ReminderChoice.Channel.NONE,
    )


def _child_row(member: HouseholdMember, status: str) -> RollCallRow:
    description = _("child, born %(year)s") % {"year": member.birth_year} if member.birth_year else _("child")
    return RollCallRow(
        key=member.uuid, code=member.household.code, name="", description=description, status=status, member=member
    )


def attendance_counts(meeting: Meeting) -> dict[str, int]:
    """How many were present, absent and excused: what evaluators see of a roll call (no names)."""
    counts = dict(Attendance.objects.filter(meeting=meeting).order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Attendance.Status.values}


# How far back "waiting for you" looks: a roll call older than this is for the coordinator to chase.
WAITING_DAYS = 42


@dataclass
class Absence:
    """Someone absent (not excused) from the last roll calls of a unit, as many in a row as the
    unit's programme asks before a call (``Programme.absences_before_call``, two by default)."""

    unit: DeliveryUnit
    participant: Participant | None
    member: HouseholdMember | None
    last: Meeting
    times: int = 2

    @property
    def code(self) -> str:
        if self.participant is not None:
            return self.participant.code
        return self.member.household.code if self.member is not None else ""


@dataclass
class Owed:
    """A past meeting and what it still needs."""

    meeting: Meeting
    no_roll_call: bool
    not_held: bool


@dataclass
class Waiting:
    """What a facilitator still owes or should act on: past meetings without a roll call or not
    marked held, and people absent from the last roll calls in a row (a worker would call them)."""

    meetings: list[Owed]
    absences: list[Absence]


def waiting_for(viewer: Viewer, now: datetime) -> Waiting:
    """In three queries, whatever the number of units: the past meetings, which of them have a
    roll call, and the absences of each unit's last roll calls (as many as its programme asks)."""
    past = list(
        my_meetings(viewer)
        .filter(starts_at__lt=now, starts_at__gte=now - timedelta(days=WAITING_DAYS))
        .exclude(status=Meeting.Status.CANCELLED)
    )
    called = set(Attendance.objects.filter(meeting__in=past).values_list("meeting_id", flat=True).distinct())
    # A meeting is past once it has ended: the roll call is taken during it.
    owing = [
        Owed(meeting=m, no_roll_call=m.pk not in called, not_held=m.status != Meeting.Status.HELD)
        for m in past
        if m.ends_at <= now and (m.pk not in called or m.status != Meeting.Status.HELD)
    ]
    # Each unit's last roll calls, as many as its programme counts before a call.
    last: dict[int, list[Meeting]] = {}
    for meeting in sorted((m for m in past if m.pk in called), key=lambda m: m.starts_at, reverse=True):
        if len(last.setdefault(meeting.unit_id, [])) < meeting.unit.programme.absences_before_call:
            last[meeting.unit_id].append(meeting)
    runs = [run for run in last.values() if len(run) == run[0].unit.programme.absences_before_call]
    absent = (
        Attendance.objects.filter(meeting__in=[m for run in runs for m in run], status=Attendance.Status.ABSENT)
        .select_related("participant", "member__household")
        .order_by()
    )
    unit_of = {m.pk: m.unit_id for run in runs for m in run}
    seen: dict[tuple[int, int | None, int | None], list[Attendance]] = {}
    for attendance in absent:
        key = (unit_of[attendance.meeting_id], attendance.participant_id, attendance.member_id)
        seen.setdefault(key, []).append(attendance)
    latest = {run[0].unit_id: run for run in runs}
    absences = [
        Absence(
            unit=latest[unit_id][0].unit,
            participant=rows[0].participant,
            member=rows[0].member,
            last=latest[unit_id][0],
            times=len(rows),
        )
        for (unit_id, _participant, _member), rows in seen.items()
        if len(rows) == len(latest[unit_id])
    ]
    absences.sort(key=lambda a: (a.unit.name, a.code))
    return Waiting(meetings=owing, absences=absences)


# --- The unit's roster ------------------------------------------------------------------------


@dataclass
class RosterRow:
    """One enrolment of the unit: a participant or a household, its stage and its attendance."""

    enrolment: Enrolment
    code: str
    name: str  # empty unless the viewer may see the participant's contact details
    participant: Participant | None
    present: int = 0
    absent: int = 0
    excused: int = 0


@dataclass
class Roster:
    rows: list[RosterRow]
    meetings_held: int


def can_see_roster(viewer: Viewer, unit: DeliveryUnit) -> bool:
    """Those who manage the unit and its own facilitators, as for the roll call."""
    return programmes.can_change_meetings(viewer, unit)


def unit_roster(viewer: Viewer, unit: DeliveryUnit) -> Roster:
    """The unit's enrolments with their stage and how often they came, in five queries.

    A household counts as present at a meeting when any of its people was (a child or an adult
    of the household); each meeting counts once.
    """
    named = participants_with_contact_details_visible_to(viewer).values("pk")
    enrolments = list(
        enrolments_visible_to(viewer)
        .filter(unit=unit)
        .select_related("participant__contact", "household")
        .annotate(named=ExpressionWrapper(Q(participant__in=named), output_field=BooleanField()))
        .order_by("participant__code", "household__code", "id")
    )
    household_ids = [e.household_id for e in enrolments if e.household_id]
    household_of = dict(
        HouseholdMember.objects.filter(household_id__in=household_ids, participant__isnull=False).values_list(
            "participant_id", "household_id"
        )
    )
    marks: dict[tuple[str, int], dict[int, set[str]]] = {}
    attendance = Attendance.objects.filter(meeting__unit=unit).exclude(meeting__status=Meeting.Status.CANCELLED)
    for meeting_id, participant_id, household_id, status in attendance.values_list(
        "meeting_id", "participant_id", "member__household_id", "status"
    ):
        keys = []
        if participant_id:
            keys.append(("p", participant_id))
            if participant_id in household_of:
                keys.append(("h", household_of[participant_id]))
        if household_id:
            keys.append(("h", household_id))
        for key in keys:
            marks.setdefault(key, {}).setdefault(meeting_id, set()).add(status)
    rows = []
    for enrolment in enrolments:
        person = enrolment.participant
        contact = getattr(person, "contact", None) if person is not None else None
        key = ("p", person.pk) if person is not None else ("h", enrolment.household_id or 0)
        row = RosterRow(
            enrolment=enrolment,
            code=person.code if person is not None else enrolment.household.code if enrolment.household else "",
            name=contact.name if contact is not None and getattr(enrolment, "named", False) else "",
            participant=person,
        )
        for statuses in marks.get(key, {}).values():
            # One mark per meeting: present if anyone came, else absent before excused.
            if Attendance.Status.PRESENT in statuses:
                row.present += 1
            elif Attendance.Status.EXCUSED in statuses:
                row.excused += 1
            else:
                row.absent += 1
        rows.append(row)
    held = Meeting.objects.filter(unit=unit, status=Meeting.Status.HELD).count()
    return Roster(rows=rows, meetings_held=held)
