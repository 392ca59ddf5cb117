"""The evaluation app's reads: the report, built section by section in ``evaluation/report/``
(its shape declared in ``report/types.py``), and who may open it in which view."""

from pilotti.evaluation.report import (
    DEFAULT_DOSE,
    INTERNAL_ROLES,
    Filters,
    Report,
    Scope,
    consented_responses,
    may_see_internal,
    report,
    report_units,
    reports_visible_to,
)
from pilotti.evaluation.report.scope import scope

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
