"""What participants changed: the client council's suggestions at the units' meetings in the
period, what was decided and what was done, with their days (docs/evaluation.md, "The client
council"). One query.

The items are written by staff in the group's words without names (the form says so); they are
about the activity, not about a person, so the shared report lists them as the internal one does.
Their counts are counts of suggestions, not of people, and are not suppressed.
"""

from pilotti.core.zone import HELSINKI
from pilotti.council.models import Decision
from pilotti.council.selectors import items_of_units
from pilotti.evaluation.report.scope import Scope
from pilotti.evaluation.report.types import Council, CouncilRow


def council(s: Scope) -> Council:
    labels = dict(Decision.choices)
    rows: list[CouncilRow] = []
    for item in items_of_units(s.units, s.filters.since, s.filters.until):
        rows.append(
            {
                "meeting_on": item.meeting.starts_at.astimezone(HELSINKI).date().isoformat(),
                "unit": item.meeting.unit.name,
                "suggestion": item.suggestion,
                "decision": item.decision,
                "decision_label": str(labels[item.decision]),
                "decision_text": item.decision_text,
                "decided_on": item.decided_on.isoformat() if item.decided_on else None,
                "action": item.action,
                "done_on": item.done_on.isoformat() if item.done_on else None,
            }
        )
    return {
        "suggestions": len(rows),
        "accepted": sum(1 for row in rows if row["decision"] == Decision.ACCEPTED),
        "declined": sum(1 for row in rows if row["decision"] == Decision.DECLINED),
        "done": sum(1 for row in rows if row["done_on"]),
        "items": rows,
    }
