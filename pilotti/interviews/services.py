"""Writes to interviews, the codebook and excerpts: each atomic, its history row naming who
changed it and why (``core.history``). Rules a form also shows are checked here too, so that no
caller can store what the report would misread."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_history_model_for_model

from pilotti.accounts.models import User
from pilotti.core.history import mark_history, save_with_history
from pilotti.instruments.models import Answer
from pilotti.interviews.models import Excerpt, Interview, Interviewee, Theme
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Organisation
from pilotti.people.models import ConsentPurpose, Participant
from pilotti.people.selectors import consent_holds
from pilotti.programmes.models import DeliveryUnit, Programme

# --- Interviews ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewFields:
    kind: str
    title: str
    held_on: date
    unit: DeliveryUnit | None = None
    guide: str = ""


def _check_unit(programme: Programme, organisation: Organisation, unit: DeliveryUnit | None) -> None:
    if unit is not None and (unit.programme_id != programme.pk or unit.organisation_id != organisation.pk):
        raise ValidationError({"unit": _("Choose one of your organisation's units of this programme.")})


def _apply(interview: Interview, fields: InterviewFields) -> None:
    interview.kind = fields.kind
    interview.title = fields.title
    interview.held_on = fields.held_on
    interview.unit = fields.unit
    interview.guide = fields.guide.strip()


@transaction.atomic
def interview_add(
    *, actor: User | None, programme: Programme, organisation: Organisation, fields: InterviewFields
) -> Interview:
    _check_unit(programme, organisation, fields.unit)
    interview = Interview(programme=programme, organisation=organisation, created_by=actor)
    _apply(interview, fields)
    return save_with_history(interview, actor=actor)


@transaction.atomic
def interview_update(*, actor: User | None, interview: Interview, fields: InterviewFields, reason: str) -> Interview:
    _check_unit(interview.programme, interview.organisation, fields.unit)
    _apply(interview, fields)
    return save_with_history(interview, actor=actor, reason=reason)


@transaction.atomic
def interview_notes_set(*, actor: User | None, interview: Interview, notes: str, reason: str = "") -> Interview:
    """The notes or transcript, typed or read from a file; the earlier text stays in the history
    (encrypted, like the field)."""
    interview.notes = notes.strip()
    return save_with_history(interview, actor=actor, reason=reason)


@transaction.atomic
def interviewee_add(
    *, actor: User | None, interview: Interview, kind: str, participant: Participant | None = None, role: str = ""
) -> Interviewee:
    """A participant only with their consent for interviews holding on the interview's day, and
    only once in the same interview; staff and partners by role."""
    if kind == Interviewee.Kind.PARTICIPANT:
        if participant is None:
            raise ValidationError({"participant": _("Choose the participant.")})
        if participant.organisation_id != interview.organisation_id:
            raise ValidationError({"participant": _("Choose one of your organisation's participants.")})
        if not consent_holds(participant, interview.held_on, ConsentPurpose.INTERVIEW):
            raise ValidationError(
                {
                    "participant": _(
                        "%(code)s has no consent for interviews on the interview's day. Record the consent first."
                    )
                    % {"code": participant.code}
                }
            )
        if interview.interviewees.filter(participant=participant).exists():
            raise ValidationError({"participant": _("%(code)s is already listed.") % {"code": participant.code}})
        role = ""
    else:
        participant = None
        if not role.strip():
            raise ValidationError({"role": _("Enter the role (and organisation), not a name.")})
    interviewee = Interviewee(interview=interview, kind=kind, participant=participant, role=role.strip())
    return save_with_history(interviewee, actor=actor)


@transaction.atomic
def interviewee_remove(*, actor: User | None, interviewee: Interviewee, reason: str) -> None:
    """Their excerpts go with them; the history keeps who removed them and why."""
    for excerpt in interviewee.excerpts.all():
        mark_history(excerpt, actor=actor, reason=reason)
        excerpt.delete()
    mark_history(interviewee, actor=actor, reason=reason)
    interviewee.delete()


# --- The codebook --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeFields:
    name: str
    description: str = ""
    parent: Theme | None = None


def _check_theme(programme: Programme, organisation: Organisation, fields: ThemeFields, theme: Theme | None) -> None:
    errors: dict[str, str] = {}
    parent = fields.parent
    if parent is not None:
        if parent.programme_id != programme.pk or parent.organisation_id != organisation.pk:
            errors["parent"] = _("Choose a theme of this codebook.")
        elif parent.parent_id is not None or (theme is not None and parent.pk == theme.pk):
            errors["parent"] = _("Choose a main theme: themes have two levels.")
        elif theme is not None and theme.children.exists():
            errors["parent"] = _("This theme has themes under it: it stays a main theme.")
    clash = Theme.objects.filter(programme=programme, organisation=organisation, name__iexact=fields.name.strip())
    if theme is not None:
        clash = clash.exclude(pk=theme.pk)
    if clash.exists():
        errors["name"] = _("The codebook already has a theme of this name.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def theme_add(*, actor: User | None, programme: Programme, organisation: Organisation, fields: ThemeFields) -> Theme:
    _check_theme(programme, organisation, fields, None)
    theme = Theme(
        programme=programme,
        organisation=organisation,
        name=fields.name.strip(),
        description=fields.description.strip(),
        parent=fields.parent,
    )
    return save_with_history(theme, actor=actor)


@transaction.atomic
def theme_update(*, actor: User | None, theme: Theme, fields: ThemeFields, reason: str) -> Theme:
    _check_theme(theme.programme, theme.organisation, fields, theme)
    theme.name = fields.name.strip()
    theme.description = fields.description.strip()
    theme.parent = fields.parent
    return save_with_history(theme, actor=actor, reason=reason)


# --- Excerpts and the quote bank -----------------------------------------------------------------


@dataclass(frozen=True)
class ExcerptSource:
    """Exactly one of these: the view found it through the door."""

    interview: Interview | None = None
    answer: Answer | None = None
    meeting: Meeting | None = None


def _check_excerpt(excerpt: Excerpt, text: str, themes: Iterable[Theme], speaker: Interviewee | None) -> None:
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Enter the passage.")
    if any(t.programme_id != excerpt.programme_id or t.organisation_id != excerpt.organisation_id for t in themes):
        errors["themes"] = _("Choose themes of this codebook.")
    if speaker is not None and speaker.interview_id != excerpt.interview_id:
        errors["speaker"] = _("Choose one of the people interviewed.")
    if errors:
        raise ValidationError(errors)


def _sole_speaker(interview: Interview | None) -> Interviewee | None:
    """An interview of one person: what it says is that person's."""
    if interview is None:
        return None
    people = list(interview.interviewees.all()[:2])
    return people[0] if len(people) == 1 else None


@transaction.atomic
def excerpt_add(
    *,
    actor: User | None,
    programme: Programme,
    organisation: Organisation,
    source: ExcerptSource,
    text: str,
    themes: Iterable[Theme] = (),
    speaker: Interviewee | None = None,
) -> Excerpt:
    kind = (
        Excerpt.Source.INTERVIEW
        if source.interview is not None
        else Excerpt.Source.ANSWER
        if source.answer is not None
        else Excerpt.Source.MEETING
    )
    excerpt = Excerpt(
        programme=programme,
        organisation=organisation,
        source=kind,
        interview=source.interview,
        answer=source.answer,
        meeting=source.meeting,
        created_by=actor,
    )
    themes = list(themes)
    _check_excerpt(excerpt, text, themes, speaker)
    excerpt.speaker = speaker or _sole_speaker(source.interview)
    excerpt.text = text.strip()
    save_with_history(excerpt, actor=actor)
    excerpt.themes.set(themes)
    return excerpt


@transaction.atomic
def excerpt_update(
    *,
    actor: User | None,
    excerpt: Excerpt,
    text: str,
    themes: Iterable[Theme],
    speaker: Interviewee | None,
    reason: str,
) -> Excerpt:
    """A correction. Changed words were not checked for identifying details: a quote's
    publishable mark goes, and the history says so."""
    themes = list(themes)
    _check_excerpt(excerpt, text, themes, speaker)
    if text.strip() != excerpt.text and excerpt.publishable:
        excerpt.publishable = False
        reason = _("%(reason)s (the words changed: check the quote again)") % {"reason": reason}
    excerpt.text = text.strip()
    if excerpt.interview_id is not None:
        excerpt.speaker = speaker or _sole_speaker(excerpt.interview)
    mark_history(excerpt, actor=actor, reason=reason)
    # One history row with the new themes: set them before the save records the version.
    excerpt.themes.set(themes)
    excerpt.save()
    return excerpt


@transaction.atomic
def excerpt_check(*, actor: User, excerpt: Excerpt, publishable: bool, note: str = "") -> Excerpt:
    """The check for identifying details: who checked and when, and whether it may be published."""
    excerpt.publishable = publishable
    excerpt.checked_by = actor
    excerpt.checked_at = timezone.now()
    excerpt.check_note = note.strip()[:300]
    reason = _("checked: publishable") if publishable else _("checked: not publishable")
    return save_with_history(excerpt, actor=actor, reason=reason)


@transaction.atomic
def excerpt_remove(*, actor: User | None, excerpt: Excerpt, reason: str) -> None:
    mark_history(excerpt, actor=actor, reason=reason)
    excerpt.delete()


# --- A person's erasure (rights.services) --------------------------------------------------------


def _history_of(model: type[Interview] | type[Interviewee] | type[Excerpt]) -> type[models.Model]:
    history: type[models.Model] = get_history_model_for_model(model)
    return history


def person_material_counts(participant: Participant) -> dict[str, int]:
    """What erasing the person removes of interview material, for the erasure record."""
    return {
        "interviews_deleted": Interview.objects.filter(
            kind=Interview.Kind.INTERVIEW, interviewees__participant=participant
        ).count(),
        "focus_group_places": Interviewee.objects.filter(
            participant=participant, interview__kind=Interview.Kind.FOCUS_GROUP
        ).count(),
        "excerpts_deleted": Excerpt.objects.filter(speaker__participant=participant).count()
        + Excerpt.objects.filter(answer__response__participant=participant).count(),
    }


def person_material_erase(participant: Participant) -> None:
    """Erases what the person said in interviews and focus groups, and what was taken from their
    free-text answers, with the history of all of it (ciphertext is still their words).

    An interview of theirs goes as a whole: its transcript is about them. In a focus group, their
    place and every excerpt of theirs go; the group's transcript stays, as it holds the others'
    words too (docs/rights.md). Queryset deletes, so that erasing writes no new history."""
    pk = participant.pk
    own = list(
        Interview.objects.filter(kind=Interview.Kind.INTERVIEW, interviewees__participant_id=pk).values_list(
            "pk", flat=True
        )
    )
    speakers = list(Interviewee.objects.filter(participant_id=pk).values_list("pk", flat=True))
    mine = Q(interview_id__in=own) | Q(speaker_id__in=speakers) | Q(answer__response__participant_id=pk)
    excerpts = list(Excerpt.objects.filter(mine).values_list("pk", flat=True))
    Excerpt.objects.filter(pk__in=excerpts).delete()
    versions = _history_of(Excerpt)._default_manager.filter(id__in=excerpts)
    apps.get_model("interviews", "HistoricalExcerpt_themes")._default_manager.filter(history__in=versions).delete()
    versions.delete()
    Interviewee.objects.filter(pk__in=speakers).delete()
    _history_of(Interviewee)._default_manager.filter(id__in=speakers).delete()
    Interview.objects.filter(pk__in=own).delete()
    interviewees = _history_of(Interviewee)._default_manager.filter(interview_id__in=own)
    interviewees.delete()
    _history_of(Interview)._default_manager.filter(id__in=own).delete()
