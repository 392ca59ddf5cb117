"""Reads of interviews, the codebook and excerpts: the door, the pages' rows and the figures the
report's qualitative section is made of, each in a constant number of queries.

Who sees what, in an organisation running the programme (each keeps its own material):
- admins, coordinators and evaluators see its interviews (who, when, the guide), its codebook
  and its excerpts; facilitators see none of it;
- the notes or transcript of an interview can identify people: only the organisation's
  coordinators read and write them, as only they see contact details (``people.selectors``);
  coordinators also plan interviews and take excerpts, since they can read every source;
- coordinators and evaluators keep the codebook, tag excerpts with themes and check quotes.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate

from pilotti.core.zone import HELSINKI
from pilotti.instruments.models import Answer
from pilotti.instruments.spec import ItemType
from pilotti.interviews.models import Excerpt, Interview, Interviewee, Theme
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Organisation, Role
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import ConsentPurpose, Participant
from pilotti.people.selectors import consent_holds_on
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.programmes.selectors import STAFF_ROLES, programmes_visible_to, runs_programme

CODER_ROLES = (Role.COORDINATOR, Role.EVALUATOR)

# --- The door ------------------------------------------------------------------------------------


def interviews_visible_to(viewer: Viewer) -> QuerySet[Interview]:
    return Interview.objects.filter(organisation__in=viewer.organisation_ids(STAFF_ROLES))


def interviewees_visible_to(viewer: Viewer) -> QuerySet[Interviewee]:
    return Interviewee.objects.filter(interview__organisation__in=viewer.organisation_ids(STAFF_ROLES))


def themes_visible_to(viewer: Viewer) -> QuerySet[Theme]:
    return Theme.objects.filter(organisation__in=viewer.organisation_ids(STAFF_ROLES))


def excerpts_visible_to(viewer: Viewer) -> QuerySet[Excerpt]:
    return Excerpt.objects.filter(organisation__in=viewer.organisation_ids(STAFF_ROLES))


def can_read_notes(viewer: Viewer, organisation_id: int) -> bool:
    """Notes and transcripts, planning interviews, taking excerpts: the organisation's coordinators."""
    return viewer.memberships((Role.COORDINATOR,)).filter(organisation_id=organisation_id).exists()


def can_code(viewer: Viewer, organisation_id: int) -> bool:
    """The codebook, themes on excerpts and the quote check: coordinators and evaluators."""
    return viewer.memberships(CODER_ROLES).filter(organisation_id=organisation_id).exists()


def interviews_organisation(viewer: Viewer, programme_slug: str) -> tuple[Programme, Organisation] | None:
    """The programme and the organisation whose material the page shows: the viewer's current
    one, if the viewer is its admin, coordinator or evaluator and it runs the programme."""
    organisation = viewer.organisation
    if organisation is None or not viewer.memberships(STAFF_ROLES).filter(organisation=organisation).exists():
        return None
    programme = programmes_visible_to(viewer).select_related("organisation").filter(slug=programme_slug).first()
    if programme is None or not runs_programme(programme, organisation.pk):
        return None
    return programme, organisation


def participants_to_interview(organisation: Organisation) -> QuerySet[Participant]:
    """The organisation's participants with a consent for interviews (held today or earlier)."""
    return Participant.objects.filter(
        organisation=organisation, consents__purpose=ConsentPurpose.INTERVIEW, consents__withdrawn_on__isnull=True
    ).distinct()


# --- The pages -----------------------------------------------------------------------------------


def organisation_units(programme: Programme, organisation: Organisation) -> QuerySet[DeliveryUnit]:
    return DeliveryUnit.objects.filter(programme=programme, organisation=organisation).order_by("name")


def interview_list(programme: Programme, organisation: Organisation) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(programme=programme, organisation=organisation)
        .select_related("unit")
        .prefetch_related(Prefetch("interviewees", queryset=Interviewee.objects.select_related("participant")))
        .annotate(excerpt_count=Count("excerpts", distinct=True))
    )


def codebook(programme: Programme, organisation: Organisation) -> list[Theme]:
    """Main themes, each followed by its themes (``children_list``), with the excerpts tagged."""
    themes: list[Theme] = list(
        Theme.objects.filter(programme=programme, organisation=organisation).annotate(
            excerpt_count=Count("excerpts", distinct=True)
        )
    )
    children: dict[int, list[Theme]] = defaultdict(list)
    for theme in themes:
        if theme.parent_id is not None:
            children[theme.parent_id].append(theme)
    mains: list[Theme] = [t for t in themes if t.parent_id is None]
    for main in mains:
        setattr(main, "children_list", children.get(main.pk, []))  # noqa: B010 - for the template, not a field
    return mains


def codebook_themes(programme: Programme, organisation: Organisation) -> QuerySet[Theme]:
    return Theme.objects.filter(programme=programme, organisation=organisation).select_related("parent")


def excerpt_list(programme: Programme, organisation: Organisation) -> QuerySet[Excerpt]:
    return (
        Excerpt.objects.filter(programme=programme, organisation=organisation)
        .select_related("interview", "speaker__participant", "meeting__unit", "answer__item", "checked_by")
        .prefetch_related("themes")
    )


def interview_excerpts(interview: Interview) -> QuerySet[Excerpt]:
    return (
        interview.excerpts.select_related("speaker__participant", "checked_by")
        .prefetch_related("themes")
        .order_by("created_at", "id")
    )


def free_text_answers(programme: Programme, organisation: Organisation) -> QuerySet[Answer]:
    """Free-text answers at the organisation's units of the programme, or by its people enrolled
    in it, while their evaluation consent held on the day of answering (as the report counts)."""
    units = organisation_units(programme, organisation)
    enrolled = Q(
        response__meeting__isnull=True,
        response__organisation=organisation,
        response__participant__enrolments__programme=programme,
    )
    return (
        Answer.objects.filter(item__type=ItemType.FREE_TEXT, response__submitted_at__isnull=False)
        .exclude(text="")
        .filter(Q(response__meeting__unit__in=units) | enrolled)
        .annotate(answered_on=TruncDate("response__submitted_at", tzinfo=HELSINKI))
        .filter(
            Q(response__participant__isnull=True)
            | consent_holds_on(OuterRef("answered_on"), participant="response__participant")
        )
        .select_related("item", "response__meeting__unit")
        .distinct()
        .order_by("-response__submitted_at", "-id")
    )


def meetings_with_notes(programme: Programme, organisation: Organisation) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(unit__programme=programme, unit__organisation=organisation)
        .exclude(notes="")
        .select_related("unit")
        .order_by("-starts_at")
    )


def history_of(obj: Interview | Theme | Excerpt) -> QuerySet[Any]:
    """Earlier versions, newest first, with who changed them and why."""
    versions: QuerySet[Any] = obj.history.select_related("history_user").order_by("-history_date")
    return versions


def person_material(participant: Participant) -> list[dict[str, Any]]:
    """The person's interview material for their data-access export (rights.selectors)."""
    places = Interviewee.objects.filter(participant=participant).select_related("interview__programme")
    excerpts: dict[int, list[str]] = defaultdict(list)
    for speaker_id, text in Excerpt.objects.filter(speaker__participant=participant).values_list("speaker_id", "text"):
        excerpts[speaker_id].append(text)
    rows: list[dict[str, Any]] = [
        {
            "programme": place.interview.programme.name,
            "kind": place.interview.get_kind_display(),
            "title": place.interview.title,
            "held_on": place.interview.held_on,
            "guide": place.interview.questions(),
            # A focus group's transcript holds the others' words too: only their own excerpts.
            "notes": place.interview.notes if place.interview.kind == Interview.Kind.INTERVIEW else None,
            "excerpts": excerpts.get(place.pk, []),
        }
        for place in places.order_by("interview__held_on", "id")
    ]
    answer_excerpts = list(
        Excerpt.objects.filter(answer__response__participant=participant).values_list("text", flat=True)
    )
    if answer_excerpts:
        rows.append({"kind": str(Excerpt.Source.ANSWER.label), "excerpts": answer_excerpts})
    return rows


# --- The report's qualitative section (evaluation.report.qualitative) -----------------------------


@dataclass(frozen=True)
class ThemeFigure:
    pk: int
    name: str
    description: str
    parent: int | None
    people: int  # different people whose material supports the theme (a main theme: its own and its themes')
    excerpts: int


@dataclass(frozen=True)
class QuoteRow:
    text: str
    themes: list[str]
    source: str
    speaker: str  # "participant", "staff", "partner" or "" (a focus group's shared passage, notes)


@dataclass(frozen=True)
class Material:
    themes: list[ThemeFigure]
    people: int  # different people whose coded material the section covers
    interviews: int
    focus_groups: int
    excerpts: int
    quotes: list[QuoteRow]


def _person(row: dict[str, Any]) -> tuple[str, int]:
    """Whose material an excerpt is: a participant is one person wherever they spoke; a staff
    member or partner is one person per interviewee row; a focus group's shared passage, an
    anonymous answer and a meeting's notes each count as one."""
    if row["speaker__participant_id"] is not None:
        return ("participant", row["speaker__participant_id"])
    if row["answer__response__participant_id"] is not None:
        return ("participant", row["answer__response__participant_id"])
    if row["speaker_id"] is not None:
        return ("interviewee", row["speaker_id"])
    if row["interview_id"] is not None:
        return ("group", row["interview_id"])
    if row["answer__response_id"] is not None:
        return ("response", row["answer__response_id"])
    return ("meeting", row["meeting_id"])


def material(
    programme: Programme,
    units: QuerySet[DeliveryUnit],
    *,
    since: date | None = None,
    until: date | None = None,
    unit: DeliveryUnit | None = None,
    answers_in_scope: QuerySet[Any] | None = None,
) -> Material:
    """The coded material of ``units`` (already scoped by the caller): interviews of the units'
    organisations (of the one unit, with ``unit``), their meetings' notes and the free-text
    answers among ``answers_in_scope`` (the report's consented answers). A participant's interview
    material counts while their consent for interviews held on the interview's day. Four queries."""
    organisations = units.values("organisation_id")
    interviews = Interview.objects.filter(programme=programme, organisation__in=organisations)
    if unit is not None:
        interviews = interviews.filter(unit=unit)
    if since:
        interviews = interviews.filter(held_on__gte=since)
    if until:
        interviews = interviews.filter(held_on__lte=until)
    meetings = Meeting.objects.filter(unit__in=units)
    if since:
        meetings = meetings.filter(starts_at__date__gte=since)
    if until:
        meetings = meetings.filter(starts_at__date__lte=until)
    consented = Q(speaker__participant__isnull=True) | consent_holds_on(
        OuterRef("interview__held_on"), purpose=ConsentPurpose.INTERVIEW, participant="speaker__participant"
    )
    from_interviews = Q(interview__in=interviews) & consented
    from_answers = Q(answer__response__in=answers_in_scope) if answers_in_scope is not None else Q(pk__in=[])
    excerpts = Excerpt.objects.filter(programme=programme, organisation__in=organisations).filter(
        from_interviews | from_answers | Q(meeting__in=meetings)
    )
    keys: tuple[str, ...] = (
        "speaker_id",
        "speaker__participant_id",
        "interview_id",
        "answer__response_id",
        "answer__response__participant_id",
        "meeting_id",
    )
    rows = list(excerpts.filter(themes__isnull=False).values("pk", *keys, theme=F("themes")).order_by())
    themes = list(Theme.objects.filter(programme=programme, organisation__in=organisations).order_by("name", "pk"))
    parent_of = {t.pk: t.parent_id for t in themes}
    people: dict[int, set[tuple[str, int]]] = defaultdict(set)
    tagged: dict[int, set[int]] = defaultdict(set)
    everyone: set[tuple[str, int]] = set()
    for row in rows:
        person = _person(row)
        everyone.add(person)
        for theme in (row["theme"], parent_of.get(row["theme"])):
            if theme is not None:
                people[theme].add(person)
                tagged[theme].add(row["pk"])
    kinds = dict(interviews.values_list("kind").annotate(n=Count("pk")).order_by())
    quotes = (
        excerpts.filter(publishable=True)
        .select_related("speaker")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("created_at", "pk")
    )
    return Material(
        themes=[
            ThemeFigure(t.pk, t.name, t.description, t.parent_id, len(people[t.pk]), len(tagged[t.pk])) for t in themes
        ],
        people=len(everyone),
        interviews=kinds.get(Interview.Kind.INTERVIEW, 0),
        focus_groups=kinds.get(Interview.Kind.FOCUS_GROUP, 0),
        excerpts=len({row["pk"] for row in rows}),
        quotes=[
            QuoteRow(
                text=q.text,
                themes=[t.name for t in q.themes.all()],
                source=q.source,
                speaker=q.speaker.kind if q.speaker is not None else "",
            )
            for q in quotes
        ],
    )
