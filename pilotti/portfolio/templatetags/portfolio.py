"""The fidelity table's cells and the names of an organisation's relation to a programme."""

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pilotti.evaluation.templatetags.evaluation import cell, percent
from pilotti.portfolio.fidelity import Column, Plan, Row, topics_label

register = template.Library()


@register.filter
def relation_label(relation: str) -> str:
    # The context keeps these apart from a household's "partner" (a spouse).
    labels = {
        "owner": pgettext("organisation running a programme", "owner"),
        "partner": pgettext("organisation running a programme", "partner"),
        "adopter": pgettext("organisation running a programme", "adopter"),
    }
    return labels.get(relation, relation)


@register.simple_tag
def fidelity_cell(row: Row, column: Column, plan: Plan) -> Any:
    value = row.values.get(column.key)
    if column.key == "roles_present" and value is None:
        return _("not recorded")
    if column.kind == "share":
        return percent(value)
    if column.kind == "of_topics":
        return topics_label(int(value or 0), plan.topics) if plan.topics else "–"
    if column.kind in ("number", "minutes"):
        return cell(value, 1 if isinstance(value, float) and not value.is_integer() else 0)
    return cell(value)
