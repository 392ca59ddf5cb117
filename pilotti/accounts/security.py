from typing import Any

from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """Which account a sign-in attempt was for, so django-axes counts failures per account.

    allauth authenticates with an ``email`` credential and posts the address as ``login``.
    """
    if credentials:
        for key in ("email", "username", "login"):
            if credentials.get(key):
                return str(credentials[key]).strip().lower()
    login = request.POST.get("login") if request is not None else None
    return login.strip().lower() if login else None
