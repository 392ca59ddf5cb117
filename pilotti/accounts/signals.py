import time
from typing import Any

from allauth.account.internal.flows.reauthentication import reauthenticate_by_password
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

SIGNED_IN_AT = "pilotti_signed_in_at"


@receiver(user_logged_in)
def remember_sign_in_time(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    # The absolute session timeout counts from here, however active the user stays.
    request.session[SIGNED_IN_AT] = int(time.time())
    if hasattr(request, "user") and not user.is_demo and not Authenticator.objects.filter(user=user).exists():
        # Someone who must now set up MFA has just typed their password: asking for it again
        # on the very next page (allauth guards MFA set-up with re-authentication) helps nobody.
        # allauth has no public call for this; the internal one is pinned with allauth 65.21.
        reauthenticate_by_password(request)
