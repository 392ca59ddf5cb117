import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

SIGNED_IN_AT = "pilotti_signed_in_at"


@receiver(user_logged_in)
def remember_sign_in_time(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # The absolute session timeout counts from here, however active the user stays.
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())
