"""Response rate per measurement point: of those invited and of those due (docs/evaluation.md,
"Response rate"). One aggregate query per plan entry (the due list's own query,
``measurement.selectors.due_count``), one for the invitations and one per entry with invitations
sent (who answered), whatever the number of people.

Per plan entry answered per person (not the anonymous client panel, not workers' ratings):
- **due**: the people whose point has come by the report's day (intake, end, follow-up), or for
  an entry after every meeting the meetings held while each person took part (person-meetings);
- **answered**: of those, the ones answered within the window (for every meeting: the meetings
  answered), as the due list counts them;
- **invited**: invitations sent from the plan (by cron or "send now"), and **answered of invited**
  those of them answered.

The shared view hides a count of 1 … threshold − 1 and a "k of n" whose k or n − k is that small,
with its share (the complement would tell it), as the suppression of other shares does.
"""

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef

from pilotti.evaluation.report.scope import Scope
from pilotti.evaluation.report.types import ResponseRate
from pilotti.instruments.models import Response
from pilotti.instruments.spec import name_in
from pilotti.measurement.models import Audience, Invitation, When
from pilotti.measurement.selectors import answered_people, due_count, plan_of

SUPPRESSED = "suppressed"


def _share(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


def response_rates(s: Scope, today: date, language: str) -> list[ResponseRate]:
    entries = [e for e in plan_of(s.programme) if not e.anonymous and e.audience != Audience.STAFF]
    if not entries:
        return []
    # Each sent invitation, and whether it was answered: marked so when the answer came through its
    # link, or answered otherwise (on paper, at the meeting) as the due list counts answers.
    meeting_answer = Response.objects.filter(
        participant=OuterRef("participant"),
        meeting=OuterRef("meeting"),
        version__instrument=OuterRef("entry__instrument"),
        submitted_at__isnull=False,
    )
    sent: dict[int, list[tuple[str, bool]]] = {}
    for entry_id, person, marked, at_meeting in (
        Invitation.objects.filter(entry__in=entries, unit__in=s.units, sent_at__isnull=False)
        .annotate(at_meeting=Exists(meeting_answer))
        .values_list("entry_id", "participant__uuid", "answered_at", "at_meeting")
    ):
        sent.setdefault(entry_id, []).append((str(person), marked is not None or at_meeting))
    result: list[ResponseRate] = []
    for entry in entries:
        counted = due_count(s.units, entry, today)
        due, answered = counted.due, counted.answered
        invitations = sent.get(entry.pk, [])
        invited = len(invitations)
        # After every meeting an invitation is for one meeting: answered only as marked above.
        answered_anyway = answered_people(s.units, entry) if invitations and entry.when != When.EVERY_MEETING else set()
        answered_invited = sum(1 for person, done in invitations if done or person in answered_anyway)
        result.append(
            {
                "entry": str(entry.uuid),
                "instrument": name_in(entry.instrument.names, entry.instrument.name, language),
                "when": entry.when,
                "when_label": str(entry.get_when_display()),
                "follow_up_weeks": entry.follow_up_weeks,
                "per_meeting": entry.when == When.EVERY_MEETING,
                "due": due,
                "answered": answered,
                "share_of_due": _share(answered, due),
                "invited": invited,
                "answered_invited": answered_invited,
                "share_of_invited": _share(answered_invited, invited),
            }
        )
    return result


def _small(value: Any, limit: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < limit


def _k_of_n(row: dict[str, Any], k: str, n: str, share: str, limit: int) -> None:
    count, total = row[k], row[n]
    if _small(total, limit):
        row[n] = SUPPRESSED
    if _small(count, limit) or (isinstance(total, int) and isinstance(count, int) and _small(total - count, limit)):
        row[k] = SUPPRESSED if count else count
        row[share] = SUPPRESSED
    elif row[n] == SUPPRESSED:
        row[k], row[share] = SUPPRESSED, SUPPRESSED


def withhold_shared(report: dict[str, Any], limit: int) -> None:
    """The shared view's rule for the response rates (called by ``suppression._tables``)."""
    for row in report.get("response_rates", []):
        _k_of_n(row, "answered", "due", "share_of_due", limit)
        _k_of_n(row, "answered_invited", "invited", "share_of_invited", limit)
