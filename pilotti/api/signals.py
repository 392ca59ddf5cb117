"""A new password ends the person's API tokens (pilotti.api.services.tokens_end_with_password)."""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib import messages
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import ngettext

from pilotti.api.services import tokens_end_with_password


@receiver(password_changed)
@receiver(password_reset)
@receiver(password_set)
def end_tokens(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    ended = tokens_end_with_password(user=user)
    if ended and request is not None:
        messages.info(
            request,
            ngettext(
                "Your API token ended with your old password. Make a new one if you still need it.",
                "Your %(count)d API tokens ended with your old password. Make new ones if you still need them.",
                ended,
            )
            % {"count": ended},
        )
