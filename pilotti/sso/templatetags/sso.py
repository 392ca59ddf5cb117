from django import template

from pilotti.sso.selectors import enabled_single_sign_ons

register = template.Library()


@register.simple_tag
def single_sign_on_available() -> bool:
    """Whether any organisation signs its staff in through its own service (for the sign-in page)."""
    return enabled_single_sign_ons().exists()
