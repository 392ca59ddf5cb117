from django import template

from pilotti.recruitment.models import ReferralSource, Stage

register = template.Library()


@register.filter
def stage_label(value: str) -> str:
    return str(Stage(value).label) if value in Stage.values else value


@register.filter
def referral_label(value: str) -> str:
    return str(ReferralSource(value).label) if value in ReferralSource.values else value
