"""A session an organisation's own sign-in service made acts in that organisation only.

Organisation A's provider vouches for a person to A, nothing more: A's admin chooses the
provider, so a session it made must not open the person's other organisations (issue 19,
finding 1). Every membership query of such a request sees A's memberships alone
(``organisations.models.memberships_limited_to``), so the pages, the switcher, the API-token
page and every permission check see A only, and B's objects answer 404 as for outsiders. Once
the person proves Pilotti's own second factor in the session (allauth's MFA re-authentication,
reached from ``sso:other_organisations``), the limit ends.
"""

from collections.abc import Callable

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse

from pilotti.accounts.middleware import MFA_BY_PROVIDER_SESSION_KEY
from pilotti.organisations.models import Organisation, memberships_limited_to

# Set on the request: the organisation whose provider made the session, while it is limited.
REQUEST_ATTRIBUTE = "single_sign_on_organisation"


def proved_pilottis_second_factor(request: HttpRequest) -> bool:
    """Whether this session passed Pilotti's own second factor with one of the user's authenticators."""
    used = [
        record.get("id")
        for record in get_authentication_records(request, request.user)
        if record.get("method") == "mfa"
    ]
    return bool(used) and Authenticator.objects.filter(pk__in=used, user_id=request.user.pk).exists()


def is_limited(request: HttpRequest) -> bool:
    return bool(
        request.user.is_authenticated
        and request.session.get(MFA_BY_PROVIDER_SESSION_KEY)
        and not proved_pilottis_second_factor(request)
    )


class ProviderSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_limited(request):
            setattr(request, REQUEST_ATTRIBUTE, None)
            return self.get_response(request)
        organisation = Organisation.objects.filter(uuid=request.session[MFA_BY_PROVIDER_SESSION_KEY]).first()
        setattr(request, REQUEST_ATTRIBUTE, organisation)
        # Organisation keys start at 1: a provider whose organisation is gone opens nothing.
        with memberships_limited_to(organisation.pk if organisation else 0):
            return self.get_response(request)
