from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):  # type: ignore[misc]
    """Gives the e-mail claims an organisation's provider gives (scope email)."""

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            # A user whose last name is "unverified" stands for an address the provider has not verified.
            "email_verified": user.last_name != "unverified",
            "name": user.first_name,
        }
