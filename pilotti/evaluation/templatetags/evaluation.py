"""Filters for the report: numbers as the locale writes them, and suppressed cells marked."""

from datetime import date, datetime
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from pilotti.evaluation.suppression import SUPPRESSED

register = template.Library()


def _suppressed() -> SafeString:
    return format_html('<abbr class="suppressed" title="{}">{}</abbr>', _("suppressed: a small number of people"), "×")


@register.filter
def cell(value: Any, digits: int = 0) -> Any:
    """A count or a statistic: "×" when suppressed, "–" when there is none."""
    if value == SUPPRESSED:
        return _suppressed()
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int) and digits == 0:
        return floatformat(value, 0)
    if isinstance(value, int | float):
        return floatformat(value, digits)
    return value


@register.filter
def percent(value: Any, digits: int = 0) -> Any:
    """A share 0–1 as per cent."""
    if value == SUPPRESSED:
        return _suppressed()
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "–"
    return format_html("{}&nbsp;%", floatformat(100 * value, digits))


@register.simple_tag
def interval(low: Any, high: Any, digits: int = 2, as_percent: bool = False) -> Any:
    """A confidence interval "[low; high]" (the semicolon keeps decimal commas readable)."""
    if SUPPRESSED in (low, high):
        return _suppressed()
    if not isinstance(low, int | float) or not isinstance(high, int | float):
        return "–"
    if as_percent:
        return format_html("[{};&nbsp;{}]&nbsp;%", floatformat(100 * low, digits), floatformat(100 * high, digits))
    return format_html("[{};&nbsp;{}]", floatformat(low, digits), floatformat(high, digits))


@register.simple_tag
def band(low: float, high: float) -> Any:
    """A band of shares with an exclusive upper end, in whole per cents: "25–49 %"."""
    return format_html("{}–{}&nbsp;%", round(100 * low), round(100 * high) - 1)


@register.filter
def number_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def nonzero(entries: Any) -> list[Any]:
    """Entries whose count is not zero (a suppressed count is not zero)."""
    return [entry for entry in entries or [] if entry.get("n") != 0]


@register.filter
def isodate(value: Any) -> str:
    """A report's ISO date ("2026-12-06", kept so in the JSON) as the locale writes it: 6.12.2026."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@register.filter
def isodatetime(value: Any) -> str:
    """A report's ISO moment ("2026-12-06T19:53:06+00:00") in local time as the locale writes it."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
