from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts come only from invitations; nobody signs up on their own."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_stages(self) -> list[str]:
        # A sign-in through an organisation's own provider skips Pilotti's second factor: the
        # provider enforces the organisation's MFA (pilotti.sso).
        replacement = {"allauth.mfa.stages.AuthenticateStage": "pilotti.sso.stages.AuthenticateUnlessProviderDid"}
        return [replacement.get(stage, stage) for stage in super().get_login_stages()]
