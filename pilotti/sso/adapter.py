"""allauth's social-account adapter for organisations' own OpenID Connect providers.

Each enabled ``SingleSignOn`` becomes an allauth ``openid_connect`` app, built in memory so the
client secret stays encrypted at rest. Nobody signs up through a provider: a sign-in succeeds
only for an existing, active staff account with an active membership in the organisation whose
address the provider vouches for and which lies in one of the organisation's allowed domains.
"""

import functools
import logging
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.sso.addresses import RefusedAddress, check_provider_url
from pilotti.sso.models import SingleSignOn
from pilotti.sso.selectors import (
    enabled_single_sign_ons,
    member_for_sign_in,
    proven_domains,
    single_sign_on_by_provider_id,
)

logger = logging.getLogger(__name__)

# allauth's views that start and finish a sign-in at a provider. A signed-in visitor gets 404
# from them (sign out first), so nobody reaches another organisation's provider from inside.
SIGN_IN_VIEWS = {"openid_connect_login", "openid_connect_callback"}


def social_app(sso: SingleSignOn) -> SocialApp:
    return SocialApp(
        provider="openid_connect",
        provider_id=sso.provider_id,
        name=sso.organisation.name,
        client_id=sso.client_id,
        secret=sso.client_secret,
        settings={"server_url": sso.server_url, "oauth_pkce_enabled": True},
    )


def problem_page(request: HttpRequest, *, title: str, message: str, status: int) -> HttpResponse:
    return render(request, "sso/problem.html", {"title": title, "message": message}, status=status)


def verified_email(sso: SingleSignOn, sociallogin: SocialLogin) -> str | None:
    """The address the provider vouches for, if it lies in one of the allowed domains that the
    organisation has proven it holds."""
    domains = proven_domains(sso)
    for address in sociallogin.email_addresses:
        email = (address.email or "").strip().lower()
        if email.rpartition("@")[2] not in domains:
            continue
        if address.verified is True or sso.trust_emails_without_verified_claim:
            return email
    return None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        configs = enabled_single_sign_ons()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            match = getattr(request, "resolver_match", None)
            if match is not None and match.url_name in SIGN_IN_VIEWS:
                return []
            # allauth's account pages name the providers of the user's own linked accounts only.
            configs = configs.filter(organisation__memberships__user=user, organisation__memberships__is_active=True)
        apps = [social_app(sso) for sso in configs]
        if provider:
            apps = [app for app in apps if provider in (app.provider, app.provider_id)]
        if client_id:
            apps = [app for app in apps if app.client_id == client_id]
        return apps

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        sso = single_sign_on_by_provider_id(sociallogin.account.provider)
        if sso is None:
            raise ImmediateHttpResponse(
                problem_page(
                    request,
                    title=_("Sign-in failed"),
                    message=_("This organisation no longer signs in through its own provider."),
                    status=403,
                )
            )
        email = verified_email(sso, sociallogin)
        user = member_for_sign_in(sso.organisation, email) if email else None
        linked: User | None = sociallogin.user if sociallogin.is_existing else None
        if user is None or (linked is not None and linked.pk != user.pk) or sociallogin.state.get("process") != "login":
            logger.warning("Single sign-on refused for organisation %s", sso.organisation.slug)
            raise ImmediateHttpResponse(self._refusal(request, sso, email))
        if linked is None:
            # Pins the provider's account (its "sub") to this staff account: if the provider
            # later gives the address to someone else, that person is refused.
            sociallogin.connect(request, user)

    def _refusal(self, request: HttpRequest, sso: SingleSignOn, email: str | None) -> HttpResponse:
        if email is None:
            message = _(
                "%(organisation)s's sign-in service did not give a verified e-mail address in an allowed domain."
            ) % {"organisation": sso.organisation.name}
        else:
            message = _(
                "%(email)s has no active staff account in %(organisation)s. Accounts are created by invitation: "
                "ask your organisation admin."
            ) % {"email": email, "organisation": sso.organisation.name}
        return problem_page(request, title=_("You cannot sign in to Pilotti"), message=message, status=403)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: str | None = None,
        exception: BaseException | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        if error == AuthError.CANCELLED:
            return
        name = provider.app.name if provider is not None and provider.app is not None else _("your organisation")
        logger.warning("Single sign-on through %s failed: %s %r", name, error, exception)
        if "invalid_client" in str(exception):
            message = _(
                "%(organisation)s's sign-in service did not accept Pilotti's client ID or client secret. "
                "Ask your organisation admin to check the single sign-on settings in Pilotti."
            ) % {"organisation": name}
        else:
            message = _(
                "Signing in through %(organisation)s's sign-in service did not succeed. Try again; if it keeps "
                "failing, sign in with your password and tell your organisation admin."
            ) % {"organisation": name}
        raise ImmediateHttpResponse(problem_page(request, title=_("Sign-in failed"), message=message, status=400))

    def get_requests_session(self) -> Any:
        session = super().get_requests_session()
        send = session.request

        @functools.wraps(send)
        def request_or_explain(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            # Checked before every request, not only when saved: a name can come to resolve to
            # an internal address later, and settings saved before the check was added exist.
            try:
                check_provider_url(url)
            except RefusedAddress as error:
                logger.warning("Single sign-on provider address refused: %s (%s)", url, error)
                raise ImmediateHttpResponse(unreachable_page()) from error
            try:
                response = send(method, url, *args, **kwargs)
            except OSError as error:  # requests' connection errors and timeouts are OSErrors
                logger.warning("Single sign-on provider unreachable: %r", error)
                raise ImmediateHttpResponse(unreachable_page()) from error
            # The discovery document and the keys: allauth would raise on an error or on a body
            # that is not JSON, a 500. The token endpoint's errors (POST) allauth explains itself.
            if method.upper() == "GET" and not _json_ok(response):
                logger.warning("Single sign-on provider answered %s to GET %s", response.status_code, url)
                raise ImmediateHttpResponse(unreachable_page())
            return response

        session.request = request_or_explain
        return session


def _json_ok(response: Any) -> bool:
    if response.status_code >= 400:
        return False
    try:
        response.json()
    except ValueError:
        return False
    return True


def unreachable_page() -> HttpResponse:
    from allauth.core import context

    return problem_page(
        context.request,
        title=_("Sign-in service unreachable"),
        message=_(
            "Pilotti could not reach your organisation's sign-in service. Try again in a moment, or sign in with "
            "your password."
        ),
        status=502,
    )
