from django import template

from pilotti.instruments.forms import LANGUAGE_NAMES
from pilotti.instruments.models import ITEM_TYPES
from pilotti.instruments.spec import Text, text_in

register = template.Library()


@register.filter
def in_language(text: Text, language: str) -> str:
    """The wording in the language, else English, else any language there is."""
    return text_in(text or {}, language)


@register.filter
def number(value: float | None) -> str:
    """3.0 → 3, 0.89 → 0.89, None → empty: constants as people write them."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


@register.filter
def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


@register.filter
def item_type(value: str) -> str:
    """An item's type ("scale") as the page's language names it."""
    return str(dict(ITEM_TYPES).get(value, value))
