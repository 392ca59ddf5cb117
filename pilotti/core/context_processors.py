from typing import Any

from django.conf import settings
from django.http import HttpRequest


def pilotti(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        # django-htmx's {% htmx_script %} reads Django 6's name; django-csp 4 sets request.csp_nonce.
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
        "my_memberships": getattr(request, "memberships", []),
        "is_demo_user": bool(user and user.is_authenticated and user.is_demo),
        "staff_languages": settings.LANGUAGES,
    }
