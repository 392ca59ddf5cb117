"""Reads of measurement plans, due questionnaires and safety alerts.

Due questionnaires are computed, not stored: one query per plan entry finds every enrolled
person (or worker) of the units in scope with the due date and whether a submitted answer
exists in the window, so a page costs the same whether a unit has 3 people or 300.

Who sees what follows the units' rule (``programmes.selectors.units_visible_to``): a
facilitator sees only the people of the units they facilitate; coordinators, admins and
evaluators their organisation's units. The pages show participant codes only, never names.

Safety alerts are shown to the participant's responsible workers: the facilitators of the
units the participant holds a place in (enrolled, started or completed: a follow-up answer
comes after the end) and the coordinators of the participant's organisation.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models import When as CaseWhen  # ``When`` is the plan's point (``models.When``)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone

from pilotti.accounts.models import User
from pilotti.instruments.models import Mode, Response
from pilotti.instruments.spec import text_in
from pilotti.measurement.models import Audience, Invitation, PlanEntry, SafetyAlert, When
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Membership, Role
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import HouseholdMember, Participant, Relation
from pilotti.people.selectors import consent_holds_on, participants_with_contact_details_visible_to
from pilotti.programmes.models import DeliveryUnit, Programme, UnitFacilitator
from pilotti.programmes.selectors import assigned_unit_ids, can_edit_programme, units_visible_to
from pilotti.recruitment.models import HOLDS_PLACE, Enrolment

FAR_FUTURE = date(9999, 12, 31)
PARENT_RELATIONS = (Relation.PARENT, Relation.PARTNER)


# --- The plan ---------------------------------------------------------------------------------


def plan_of(programme: Programme) -> QuerySet[PlanEntry]:
    return PlanEntry.objects.filter(programme=programme).select_related("instrument").order_by("position", "id")


def can_edit_plan(viewer: Viewer, programme: Programme) -> bool:
    """The owner's admins and coordinators edit the plan; partners, facilitators and evaluators read it."""
    return can_edit_programme(viewer, programme)


# --- Due questionnaires -----------------------------------------------------------------------


class State:
    ANSWERED = "answered"
    MISSING = "missing"  # the window has closed without an answer
    OPEN = "open"  # the window is open now
    UPCOMING = "upcoming"
    NOT_YET = "not_yet"  # no date yet (e.g. the unit has no meetings)


@dataclass
class DueRow:
    """One person (or worker) and one plan entry: when it is due and whether it was answered."""

    entry: PlanEntry
    unit_name: str
    unit_uuid: str
    person: str  # a participant code, or a worker's name
    participant_uuid: str | None
    due: date | None
    state: str
    held: int = 0  # every meeting: held meetings while the person took part
    answered_count: int = 0
    invitation: Invitation | None = None  # the latest invitation of this entry to this person
    can_send: bool = False  # the viewer may send it now (the door of the person's contact details)

    @property
    def invitation_status(self) -> str:
        return self.invitation.status(timezone.now()) if self.invitation is not None else ""

    @property
    def sendable(self) -> bool:
        """Offered "send now": due or missing, not answered, and not already expired or refused."""
        if not self.can_send or self.state not in (State.OPEN, State.MISSING):
            return False
        invitation = self.invitation
        if invitation is None or self.entry.when == When.EVERY_MEETING:
            return True
        # Sent and still open: "remind now"; answered, refused or expired: nothing to send.
        return self.invitation_status in ("waiting", "failing", "sent", "reminded")


@dataclass
class PanelRow:
    """An anonymous entry (the client panel): answers counted per unit, never per person."""

    entry: PlanEntry
    unit_name: str
    unit_uuid: str
    held: int
    answers: int


@dataclass
class DuePage:
    rows: list[DueRow] = field(default_factory=list)
    panel: list[PanelRow] = field(default_factory=list)
    may_send: bool = False  # the viewer may send invitations to some of the people shown

    @property
    def missing(self) -> list[DueRow]:
        return [r for r in self.rows if r.state == State.MISSING]

    @property
    def uninvited(self) -> list[DueRow]:
        """The rows "send to everyone missing" sends: offered "send now" and never sent."""
        return [r for r in self.rows if r.sendable and (r.invitation is None or r.invitation.sent_at is None)]

    @property
    def participant_ids(self) -> set[str]:
        return {r.participant_uuid for r in self.rows if r.participant_uuid}


def _plus(expression: F | Subquery, days: int) -> Cast:
    """A date expression moved by whole days, the same on SQLite and PostgreSQL."""
    return Cast(ExpressionWrapper(expression + timedelta(days=days), output_field=DateField()), DateField())


def _unit_day(last: bool) -> Subquery:
    """The unit's first or last meeting that is not cancelled, as a date in Helsinki."""
    meetings = (
        Meeting.objects.filter(unit=OuterRef("unit"))
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at" if last else "starts_at")
        .annotate(day=TruncDate("starts_at"))
    )
    return Subquery(meetings.values("day")[:1], output_field=DateField())


def _people(units: QuerySet[DeliveryUnit], entry: PlanEntry) -> QuerySet[Enrolment]:
    """One row per enrolled person: directly enrolled participants, or a household's members."""
    enrolments = Enrolment.objects.filter(unit__in=units, enrolled_on__isnull=False)
    if entry.when in (When.END, When.FOLLOW_UP):
        enrolments = enrolments.filter(stage__in=HOLDS_PLACE)  # not for those who left
    members = Q(household__members__participant__isnull=False)
    if entry.audience == Audience.PARENTS:
        rows = enrolments.filter(members, household__members__relation__in=PARENT_RELATIONS)
    else:
        rows = enrolments.filter(Q(participant__isnull=False) | members)
    return rows.annotate(
        person_id=Coalesce("participant_id", "household__members__participant_id"),
        person=Coalesce("participant__code", "household__members__participant__code"),
        participant_uuid=Coalesce(
            Cast("participant__uuid", CharField()), Cast("household__members__participant__uuid", CharField())
        ),
        intake=Coalesce("started_on", "enrolled_on"),
        stop=Coalesce("completed_on", "ended_on", Value(FAR_FUTURE), output_field=DateField()),
    )


def _workers(units: QuerySet[DeliveryUnit]) -> QuerySet[UnitFacilitator]:
    return UnitFacilitator.objects.filter(unit__in=units).annotate(
        person=F("user__full_name"),
        participant_uuid=Value(None, output_field=CharField()),
        intake=_unit_day(last=False),
        stop=Value(FAR_FUTURE, output_field=DateField()),
    )


def _answers(entry: PlanEntry) -> QuerySet[Response]:
    answers = Response.objects.filter(version__instrument=entry.instrument_id, submitted_at__isnull=False)
    if entry.audience == Audience.STAFF:
        return answers.filter(entered_by=OuterRef("user_id"), mode=Mode.STAFF)
    return answers.filter(participant=OuterRef("person_id"))


def _count(queryset: QuerySet[Meeting]) -> Coalesce:
    counted = queryset.order_by().values("unit").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _due_query(units: QuerySet[DeliveryUnit], entry: PlanEntry) -> QuerySet[Any]:
    """One row per person (or worker) of the entry, annotated with ``due`` and, after every
    meeting, ``held`` and ``answered_count``, else ``answered``."""
    rows: QuerySet[Enrolment] | QuerySet[UnitFacilitator] = (
        _workers(units) if entry.audience == Audience.STAFF else _people(units, entry)
    )
    answers = _answers(entry)
    window = entry.window_days
    if entry.when == When.EVERY_MEETING:
        held = (
            Meeting.objects.filter(unit=OuterRef("unit"), status=Meeting.Status.HELD)
            .annotate(day=TruncDate("starts_at"))
            .filter(day__gte=OuterRef("intake"), day__lte=OuterRef("stop"))
        )
        answered = held.filter(
            Exists(
                Response.objects.filter(
                    version__instrument=entry.instrument_id, submitted_at__isnull=False, meeting=OuterRef("pk")
                ).filter(
                    Q(entered_by=OuterRef(OuterRef("user_id")), mode=Mode.STAFF)
                    if entry.audience == Audience.STAFF
                    else Q(participant=OuterRef(OuterRef("person_id")))
                )
            )
        )
        rows = rows.annotate(held=_count(held), answered_count=_count(answered), due=F("intake"))
    else:
        due: F | Subquery | Cast
        if entry.when == When.INTAKE:
            due = F("intake")
        elif entry.when == When.END:
            due = _unit_day(last=True)
        else:
            due = _plus(_unit_day(last=True), 7 * (entry.follow_up_weeks or 0))
        rows = rows.annotate(due=due).annotate(
            answered=Exists(
                answers.filter(
                    submitted_at__date__gte=_plus(OuterRef("due"), -window),
                    submitted_at__date__lte=_plus(OuterRef("due"), window),
                )
            )
        )
    return rows


def _due_rows(units: QuerySet[DeliveryUnit], entry: PlanEntry, today: date) -> list[DueRow]:
    rows = _due_query(units, entry)
    result = []
    fields = ["unit__name", "unit__uuid", "person", "participant_uuid", "due"]
    extra = ["held", "answered_count"] if entry.when == When.EVERY_MEETING else ["answered"]
    for values in rows.order_by("unit__name", "person").values(*fields, *extra):
        result.append(_row(entry, values, today))
    return result


def enrolled_people(units: QuerySet[DeliveryUnit], entry: PlanEntry) -> QuerySet[Enrolment]:
    """The entry's people in those units, one row each (``person_id``, ``intake``, ``stop``, ``stage``):
    whom the invitations go to (``invitations.points_of``)."""
    return _people(units, entry)


@dataclass(frozen=True)
class DueCount:
    """One plan entry's response rate in some units, counted in the database."""

    due: int  # people whose point has come by the day (after every meeting: meetings held)
    answered: int  # of those, answered within the window (after every meeting: meetings answered)


def due_count(units: QuerySet[DeliveryUnit], entry: PlanEntry, today: date) -> DueCount:
    """What the due list (``due_questionnaires``) says of due and answered, as one aggregate
    query: the report's response rate without a row per person in Python (83 000 of them made a
    tenth of the first report's time at 100 000 participants)."""
    rows = _due_query(units, entry)
    if entry.when == When.EVERY_MEETING:
        counts = rows.aggregate(due=Sum("held"), answered=Sum("answered_count"))
    else:
        # The answered flag as a number of its own: an aggregate's ``filter=Q(answered=True)``
        # referred to the annotation outside the subquery Django wraps it in (SQLite read the
        # name as a string and counted nothing).
        come = rows.filter(due__isnull=False, due__lte=today).annotate(
            hit=Case(CaseWhen(answered=True, then=Value(1)), default=Value(0))
        )
        counts = come.aggregate(due=Count("pk"), answered=Sum("hit"))
    return DueCount(due=_as_count(counts["due"]), answered=_as_count(counts["answered"]))


def answered_people(units: QuerySet[DeliveryUnit], entry: PlanEntry) -> set[str]:
    """The people (UUIDs) who answered an entry that is not after every meeting, within its window."""
    found = _due_query(units, entry).filter(answered=True).values_list("participant_uuid", flat=True)
    return {str(UUID(str(uuid))) for uuid in found if uuid}


def _as_count(value: object) -> int:
    """A count annotation of ``values()``: an int, or None where the row had nothing to count."""
    return value if isinstance(value, int) else 0


def _row(entry: PlanEntry, values: dict[str, object], today: date) -> DueRow:
    due = values["due"] if isinstance(values["due"], date) else None
    held = _as_count(values.get("held"))
    answered_count = _as_count(values.get("answered_count"))
    if entry.when == When.EVERY_MEETING:
        state = State.NOT_YET if held == 0 else State.ANSWERED if answered_count >= held else State.MISSING
    elif values.get("answered"):
        state = State.ANSWERED
    elif due is None:
        state = State.NOT_YET
    elif today > due + timedelta(days=entry.window_days):
        state = State.MISSING
    elif today >= due - timedelta(days=entry.window_days):
        state = State.OPEN
    else:
        state = State.UPCOMING
    return DueRow(
        entry=entry,
        unit_name=str(values["unit__name"]),
        unit_uuid=str(values["unit__uuid"]),
        person=str(values["person"] or ""),
        participant_uuid=str(UUID(str(values["participant_uuid"]))) if values["participant_uuid"] else None,
        due=due,
        state=state,
        held=held,
        answered_count=answered_count,
    )


def _panel_rows(units: QuerySet[DeliveryUnit], entry: PlanEntry) -> list[PanelRow]:
    held = Meeting.objects.filter(unit=OuterRef("pk"), status=Meeting.Status.HELD)
    answers = (
        Response.objects.filter(
            meeting__unit=OuterRef("pk"),
            version__instrument=entry.instrument_id,
            submitted_at__isnull=False,
            participant__isnull=True,
        )
        .order_by()
        .values("meeting__unit")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    annotated = units.annotate(
        held=Coalesce(Subquery(held.order_by().values("unit").annotate(n=Count("pk")).values("n")[:1]), 0),
        answers=Coalesce(Subquery(answers, output_field=IntegerField()), 0),
    ).order_by("name")
    return [
        PanelRow(entry=entry, unit_name=u.name, unit_uuid=str(u.uuid), held=u.held, answers=u.answers)
        for u in annotated
    ]


def due_questionnaires(viewer: Viewer, programme: Programme, today: date, unit: DeliveryUnit | None = None) -> DuePage:
    """What is due and missing per person in the programme's units the viewer may see (or one unit).

    One query for the plan and one per plan entry, whatever the number of people.
    """
    units = units_visible_to(viewer).filter(programme=programme)
    if unit is not None:
        units = units.filter(pk=unit.pk)
    page = DuePage()
    for entry in plan_of(programme):
        if entry.anonymous:
            page.panel.extend(_panel_rows(units, entry))
        else:
            page.rows.extend(_due_rows(units, entry, today))
    _with_invitations(viewer, page, today)
    return page


def _with_invitations(viewer: Viewer, page: DuePage, today: date) -> None:
    """Each row's latest invitation and whether the viewer may send it: two queries for the page.

    An invitation answered outside the window (sent late from this page) still counts as answered."""
    people = page.participant_ids
    if not people:
        return
    latest: dict[tuple[int, str], Invitation] = {}
    invitations = Invitation.objects.filter(
        entry__in={row.entry.pk for row in page.rows}, participant__uuid__in=people
    ).annotate(participant_uuid=Cast("participant__uuid", CharField()))
    for invitation in invitations.order_by("due_on", "id"):
        latest[(invitation.entry_id, str(UUID(str(invitation.participant_uuid))))] = invitation
    # Those the viewer may send to (the door of contact details) whose evaluation consent holds today.
    reachable = participants_with_contact_details_visible_to(viewer).filter(uuid__in=people)
    page.may_send = reachable.exists()
    consenting = reachable.filter(consent_holds_on(today)).values_list("uuid", flat=True)
    senders = {str(u) for u in consenting}
    for row in page.rows:
        if row.participant_uuid is None:
            continue
        row.invitation = latest.get((row.entry.pk, row.participant_uuid))
        row.can_send = row.participant_uuid in senders
        answered_late = row.invitation is not None and row.invitation.answered_at is not None
        if answered_late and row.entry.when != When.EVERY_MEETING and row.state in (State.OPEN, State.MISSING):
            row.state = State.ANSWERED


def refused_invitation(participant: Participant) -> Invitation | None:
    """The latest invitation whose address the mail server refused and that has not gone out
    since (a new address clears it): the person's page warns of it."""
    return (
        Invitation.objects.filter(participant=participant, bounced_at__isnull=False)
        .select_related("entry__instrument")
        .order_by("-bounced_at")
        .first()
    )


def people_on(page: DuePage) -> list[Participant]:
    """The people the page lists, for the access log (the page itself holds only their codes)."""
    return list(Participant.objects.filter(uuid__in=page.participant_ids))


# --- Safety alerts ----------------------------------------------------------------------------


def _enrolled_in(unit_ids: "QuerySet[UnitFacilitator, int] | QuerySet[DeliveryUnit, int]") -> Q:
    """Participants holding a place in those units, directly or as a member of an enrolled household."""
    enrolments = Enrolment.objects.filter(unit__in=unit_ids, stage__in=HOLDS_PLACE)
    via_household = HouseholdMember.objects.filter(
        household__in=enrolments.filter(household__isnull=False).values("household_id"), participant__isnull=False
    )
    return Q(participant__in=enrolments.filter(participant__isnull=False).values("participant_id")) | Q(
        participant__in=via_household.values("participant_id")
    )


def alerts_visible_to(viewer: Viewer) -> QuerySet[SafetyAlert]:
    """The alerts the viewer is responsible for: as a coordinator, or as a facilitator of the person's unit."""
    coordinated = viewer.organisation_ids((Role.COORDINATOR,))
    return SafetyAlert.objects.filter(Q(organisation__in=coordinated) | _enrolled_in(assigned_unit_ids(viewer)))


def open_alerts_for(viewer: Viewer) -> list[SafetyAlert]:
    """Unacknowledged alerts for the start page, oldest first: the longest waiting comes first."""
    return list(
        alerts_visible_to(viewer)
        .filter(acknowledged_at__isnull=True)
        .select_related("participant", "response__version__instrument")
        .order_by("raised_at", "id")
    )


def alert_list(viewer: Viewer) -> QuerySet[SafetyAlert]:
    return (
        alerts_visible_to(viewer)
        .select_related("participant", "acknowledged_by", "response__version__instrument")
        .order_by("acknowledged_at", "-raised_at")
    )


def responsible_workers(participant: Participant) -> QuerySet[User]:
    """Who is told of the participant's alert: their units' facilitators and the organisation's coordinators."""
    enrolments = Enrolment.objects.filter(stage__in=HOLDS_PLACE, unit__isnull=False).filter(
        Q(participant=participant)
        | Q(household__in=HouseholdMember.objects.filter(participant=participant).values("household_id"))
    )
    facilitators = UnitFacilitator.objects.filter(unit__in=enrolments.values("unit_id")).values("user_id")
    active = Membership.objects.filter(is_active=True, organisation_id=participant.organisation_id)
    coordinators = active.filter(role=Role.COORDINATOR).values("user_id")
    # A facilitator who has left the organisation is no longer told.
    facilitating = Q(pk__in=facilitators) & Q(pk__in=active.values("user_id"))
    return User.objects.filter(Q(pk__in=coordinators) | facilitating, is_active=True).order_by("pk")


@dataclass(frozen=True)
class AlertAnswer:
    """A safety item as the participant saw it, and what they answered."""

    question: str
    answer: str


def alert_answers(alert: SafetyAlert, language: str) -> list[AlertAnswer]:
    """The alert's safety items in the staff member's language, each with the answer's label
    (or its number, for a scale without labels), in the questionnaire's order."""
    answers = (
        alert.response.answers.filter(item__key__in=alert.items)
        .select_related("item")
        .prefetch_related("item__options", "choices")
        .order_by("item__position")
    )
    shown = []
    for answer in answers:
        labels = {option.value: text_in(option.label, language) for option in answer.item.options.all()}
        chosen = [text_in(option.label, language) or str(option.value) for option in answer.choices.all()]
        if answer.value is not None:
            label = labels.get(int(answer.value)) if answer.value.is_integer() else None
            chosen.append(label or f"{answer.value:g}")
        shown.append(AlertAnswer(question=answer.item.text_in(language), answer=", ".join(c for c in chosen if c)))
    return shown
