"""Money in the report and on the cost page: whole euros with the locale's grouping."""

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def euros(value: Any, digits: int = 0) -> SafeString | str:
    """12 345 € (a non-breaking space before the sign); "×" when suppressed, "–" when there is none."""
    if value == "suppressed":
        return format_html('<abbr class="suppressed" title="{}">×</abbr>', _("suppressed: a small number of people"))
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "–"
    return format_html("{}&nbsp;€", floatformat(value, f"{digits}g"))
