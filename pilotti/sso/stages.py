from allauth.mfa.stages import AuthenticateStage
from django.http import HttpRequest

from pilotti.sso.signals import organisation_sign_on


class AuthenticateUnlessProviderDid(AuthenticateStage):
    """allauth's second-factor step, skipped when an organisation's own provider signed the
    person in: that provider is where the organisation enforces MFA."""

    def _should_handle(self, request: HttpRequest) -> bool:
        if organisation_sign_on((self.login.signal_kwargs or {}).get("sociallogin")) is not None:
            return False
        return bool(super()._should_handle(request))
