"""Writes to the client council's items: each atomic, its history row naming who and why."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.core.history import mark_history, save_with_history
from pilotti.core.zone import HELSINKI
from pilotti.council.models import CouncilItem, Decision
from pilotti.meetings.models import Meeting


@dataclass(frozen=True)
class ItemFields:
    suggestion: str
    decision: str = Decision.OPEN
    decision_text: str = ""
    decided_on: date | None = None
    action: str = ""
    done_on: date | None = None


def item_problems(meeting: Meeting, fields: ItemFields) -> dict[str, str]:
    """What is missing or contradictory, by field: the form shows them all at once and the
    service refuses the same (the model's constraints are the database's last word)."""
    problems: dict[str, str] = {}
    meeting_day = meeting.starts_at.astimezone(HELSINKI).date()
    if not fields.suggestion.strip():
        problems["suggestion"] = _("Write what the participants suggested.")
    if fields.decision == Decision.OPEN:
        if fields.decided_on is not None:
            problems["decided_on"] = _("Choose the decision too, or leave the day empty.")
    elif fields.decided_on is None:
        problems["decided_on"] = _("Give the day it was decided.")
    elif fields.decided_on < meeting_day:
        problems["decided_on"] = _("The decision cannot be before the meeting where it was suggested.")
    if fields.done_on is not None or fields.action.strip():
        if fields.decision != Decision.ACCEPTED:
            problems["action"] = _("Only an accepted suggestion is carried out: choose “accepted” first.")
        elif fields.done_on is None:
            problems["done_on"] = _("Give the day it was done.")
        elif not fields.action.strip():
            problems["action"] = _("Write what was done.")
        elif fields.decided_on is not None and fields.done_on < fields.decided_on:
            problems["done_on"] = _("It cannot have been done before it was decided.")
    return problems


def _apply(item: CouncilItem, fields: ItemFields) -> None:
    problems = item_problems(item.meeting, fields)
    if problems:
        raise ValidationError(problems)
    item.suggestion = fields.suggestion.strip()
    item.decision = fields.decision
    item.decision_text = fields.decision_text.strip()
    item.decided_on = fields.decided_on
    item.action = fields.action.strip()
    item.done_on = fields.done_on


@transaction.atomic
def council_item_add(*, actor: User | None, meeting: Meeting, fields: ItemFields) -> CouncilItem:
    item = CouncilItem(meeting=meeting, organisation_id=meeting.unit.organisation_id, created_by=actor)
    _apply(item, fields)
    return save_with_history(item, actor=actor)


@transaction.atomic
def council_item_update(*, actor: User | None, item: CouncilItem, fields: ItemFields, reason: str) -> CouncilItem:
    """A correction or the next step (decided, done): the history keeps the earlier values."""
    _apply(item, fields)
    return save_with_history(item, actor=actor, reason=reason)


@transaction.atomic
def council_item_remove(*, actor: User | None, item: CouncilItem, reason: str) -> None:
    """The history keeps the removed item, who removed it and why."""
    mark_history(item, actor=actor, reason=reason)
    item.delete()
