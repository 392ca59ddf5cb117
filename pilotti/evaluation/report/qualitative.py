"""What people said: the themes of the coded interviews, free-text answers and meeting notes, with
how many people's material supports each, and the quotes checked as publishable
(docs/evaluation.md, "What people said").

The material and its codebook live in ``pilotti.interviews``; this module shapes its figures
into the report and, in the shared view, hides a theme's count of people like the report's other
counts of people (``withhold_shared``, called by ``suppression.shared``). Only excerpts checked for
identifying details and marked publishable are in the report at all, in either view.
"""

from typing import Any

from django.utils.translation import gettext as _

from pilotti.evaluation.report.scope import Scope
from pilotti.evaluation.report.types import Qualitative
from pilotti.interviews.models import Excerpt, Interviewee
from pilotti.interviews.selectors import material


def qualitative(s: Scope) -> Qualitative:
    found = material(
        s.programme,
        s.units,
        since=s.filters.since,
        until=s.filters.until,
        unit=s.filters.unit,
        answers_in_scope=s.responses,
    )
    names = {t.pk: t.name for t in found.themes}
    sources = dict(Excerpt.Source.choices)
    speakers = dict(Interviewee.Kind.choices)
    return {
        "people": found.people,
        "interviews": found.interviews,
        "focus_groups": found.focus_groups,
        "excerpts": found.excerpts,
        "themes": [
            {
                "name": t.name,
                "description": t.description,
                "parent": names.get(t.parent) if t.parent is not None else None,
                "people": t.people,
                "excerpts": t.excerpts,
            }
            for t in found.themes
        ],
        "quotes": [
            {
                "text": q.text,
                "themes": q.themes,
                "source": str(sources.get(q.source, q.source)),
                "speaker": str(speakers[q.speaker]) if q.speaker else _("several people or notes"),
            }
            for q in found.quotes
        ],
    }


def withhold_shared(report: dict[str, Any], limit: int) -> None:
    """The shared view: a count of 1 … threshold − 1 people behind a theme (or in all) is hidden,
    and with it the theme's count of excerpts, which would bound it. The suppression module's own
    rule and marker: a theme's people overlap other themes', so no count adds up to another."""
    # Imported here: suppression imports this module.
    from pilotti.evaluation.suppression import SUPPRESSED, is_small

    section = report.get("qualitative")
    if section is None:
        return
    if is_small(section["people"], limit):
        section["people"] = SUPPRESSED
    for theme in section["themes"]:
        if is_small(theme["people"], limit):
            theme["people"] = SUPPRESSED
            theme["excerpts"] = SUPPRESSED
