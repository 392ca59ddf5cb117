"""The pilot report: its data computed in the database, a constant number of queries per report.

One module per section (``access``, ``scope``, ``recruitment``, ``attendance``, ``feedback``,
``outcomes``, ``comparison``, ``cost``, ``council``, ``serviceuse``); the report's shape is declared in ``types``.

Everything is aggregated by the database (GROUP BY, conditional counts, averages, standard
deviations, a window function for meeting numbers); Python only arranges the aggregated rows,
except for before/after, where the per-person first and last scores come as one values_list
query and go to ``statistics.paired``. docs/evaluation.md defines every figure.

Scope (who sees which data):
- the report covers the units the user may see data of: those run by an organisation where the
  user is an admin, coordinator or evaluator, and the units the user facilitates; enrolments
  through ``recruitment.selectors.enrolments_visible_to``;
- answers count only while the person's evaluation consent holds on the day they answered
  (``people.selectors.consent_holds_on``); anonymous answers (client panel, workers' ratings)
  carry no person and are included;
- the comparison between organisations (the model owner's cross-adoption view) covers every
  unit of the programme for the owner's and partners' staff; other organisations' rows are
  always suppressed (``suppression.py``).
"""

from dataclasses import replace
from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language

from pilotti.core.zone import HELSINKI
from pilotti.evaluation.report.access import INTERNAL_ROLES, may_see_internal, report_units, reports_visible_to
from pilotti.evaluation.report.attendance import attendance, meeting_rows
from pilotti.evaluation.report.comparison import comparison
from pilotti.evaluation.report.cost import cost
from pilotti.evaluation.report.council import council
from pilotti.evaluation.report.feedback import feedback, versions_answered
from pilotti.evaluation.report.outcomes import before_after
from pilotti.evaluation.report.qualitative import qualitative
from pilotti.evaluation.report.recruitment import recruitment
from pilotti.evaluation.report.response import response_rates
from pilotti.evaluation.report.scope import DEFAULT_DOSE, Filters, Scope, consented_responses, materialised, scope
from pilotti.evaluation.report.serviceuse import service_use
from pilotti.evaluation.report.types import Report
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import Programme

__all__ = [
    "DEFAULT_DOSE",
    "INTERNAL_ROLES",
    "Filters",
    "Report",
    "Scope",
    "consented_responses",
    "may_see_internal",
    "report",
    "report_units",
    "reports_visible_to",
    "scope",
]


def report(
    viewer: Viewer | None, programme: Programme, filters: Filters | None = None, *, now: datetime | None = None
) -> Report:
    """The internal report: every figure, named. ``suppression.shared`` makes the shared one."""
    filters = filters or Filters()
    language = (get_language() or "fi")[:2]
    s = scope(viewer, programme, filters)
    with materialised(s.responses) as responses:
        s = replace(s, responses=responses)
        versions = versions_answered(s)
        recruited = recruitment(s)
        attended = attendance(s, meeting_rows(s))
        outcomes = before_after(s, versions, language)
        return {
            "programme": {
                "slug": programme.slug,
                "name": programme.name,
                "organisation": programme.organisation.name,
            },
            "view": "internal",
            "filters": filters.as_dict(),
            "generated_at": (now or timezone.now()).isoformat(timespec="seconds"),
            "recruitment": recruited,
            "attendance": attended,
            "feedback": feedback(s, versions, language),
            "before_after": outcomes,
            "comparison": comparison(viewer, s),
            "cost": cost(s, recruited, attended, outcomes),
            "council": council(s),
            "service_use": service_use(s),
            "qualitative": qualitative(s),
            "response_rates": response_rates(s, (now or timezone.now()).astimezone(HELSINKI).date(), language),
        }
