from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from pilotti.core.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts come only from invitations; nobody signs up on their own."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's own limits count per address: the same address as the lockout and the logs.
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def get_login_stages(self) -> list[str]:
        # A sign-in through an organisation's own provider skips Pilotti's second factor: the
        # provider enforces the organisation's MFA (pilotti.sso).
        replacement = {"allauth.mfa.stages.AuthenticateStage": "pilotti.sso.stages.AuthenticateUnlessProviderDid"}
        return [replacement.get(stage, stage) for stage in super().get_login_stages()]
