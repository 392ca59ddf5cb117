"""URL arguments for the project-wide isolation test: allauth's pages for one's own passkeys."""

from allauth.mfa.models import Authenticator

from conftest import World


def url_kwargs(world: World) -> dict[str, dict[str, object]]:
    # Another user's authenticator: allauth must answer 404, as for any object not one's own.
    authenticator = Authenticator.objects.filter(user=world.owner).first()
    assert authenticator is not None
    return {
        "mfa_edit_webauthn": {"pk": authenticator.pk},
        "mfa_remove_webauthn": {"pk": authenticator.pk},
        # Guessed keys, for the authorisation matrix (tests/test_isolation.py skips these pages).
        "account_confirm_email": {"key": "guessed-key"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "guessed-key"},
    }


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
# Here too: allauth's pages, the health check and the language switch (no app namespace).
EXPECTED: dict[str, dict[str, str]] = {
    # A guessed key: allauth shows "invalid or expired link" pages and changes nothing.
    "account_confirm_email": {
        "own": "200/404",
        "partner": "200/404",
        "adopter": "200/404",
        "other": "200/404",
        "anonymous": "200/404",
    },
    "account_reset_password_from_key": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "200",
    },
    "account_change_password": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
    "account_confirm_login_code": {
        "own": "302",
        "partner": "302",
        "adopter": "302",
        "other": "302",
        "anonymous": "login",
    },
    "account_email": {
        "own": "200/302",
        "partner": "200/302",
        "adopter": "200/302",
        "other": "200/302",
        "anonymous": "login",
    },
    "account_email_verification_sent": {
        "own": "200/405",
        "partner": "200/405",
        "adopter": "200/405",
        "other": "200/405",
        "anonymous": "200/405",
    },
    "account_inactive": {
        "own": "200/405",
        "partner": "200/405",
        "adopter": "200/405",
        "other": "200/405",
        "anonymous": "200/405",
    },
    "account_login": {
        "own": "302",
        "partner": "302",
        "adopter": "302",
        "other": "302",
        "anonymous": "200",
    },
    "account_logout": {
        "own": "200/302",
        "partner": "200/302",
        "adopter": "200/302",
        "other": "200/302",
        "anonymous": "302",
    },
    "account_reauthenticate": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
    "account_reset_password": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "200",
    },
    "account_reset_password_done": {
        "own": "200/405",
        "partner": "200/405",
        "adopter": "200/405",
        "other": "200/405",
        "anonymous": "200/405",
    },
    "account_reset_password_from_key_done": {
        "own": "200/405",
        "partner": "200/405",
        "adopter": "200/405",
        "other": "200/405",
        "anonymous": "200/405",
    },
    "account_set_password": {
        "own": "302",
        "partner": "302",
        "adopter": "302",
        "other": "302",
        "anonymous": "login",
    },
    "account_signup": {
        "own": "302",
        "partner": "302",
        "adopter": "302",
        "other": "302",
        "anonymous": "200",
    },
    "healthz": {
        "own": "200/405",
        "partner": "200/405",
        "adopter": "200/405",
        "other": "200/405",
        "anonymous": "200/405",
    },
    "mfa_activate_totp": {
        "own": "302",
        "partner": "302",
        "adopter": "302",
        "other": "302",
        "anonymous": "login",
    },
    "mfa_add_webauthn": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
    "mfa_authenticate": {
        "own": "302",
        "partner": "302",
        "adopter": "302",
        "other": "302",
        "anonymous": "login",
    },
    "mfa_deactivate_totp": {
        "own": "200/302",
        "partner": "200/302",
        "adopter": "200/302",
        "other": "200/302",
        "anonymous": "login",
    },
    "mfa_download_recovery_codes": {
        "own": "404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "mfa_edit_webauthn": {
        "own": "404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "mfa_generate_recovery_codes": {
        "own": "200/302",
        "partner": "200/302",
        "adopter": "200/302",
        "other": "200/302",
        "anonymous": "login",
    },
    "mfa_index": {
        "own": "200/405",
        "partner": "200/405",
        "adopter": "200/405",
        "other": "200/405",
        "anonymous": "login",
    },
    "mfa_list_webauthn": {
        "own": "200/405",
        "partner": "200/405",
        "adopter": "200/405",
        "other": "200/405",
        "anonymous": "login",
    },
    "mfa_login_webauthn": {
        "own": "302",
        "partner": "302",
        "adopter": "302",
        "other": "302",
        "anonymous": "login",
    },
    "mfa_reauthenticate": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
    "mfa_reauthenticate_webauthn": {
        "own": "reauth",
        "partner": "reauth",
        "adopter": "reauth",
        "other": "reauth",
        "anonymous": "login",
    },
    "mfa_remove_webauthn": {
        "own": "404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "mfa_view_recovery_codes": {
        "own": "404/405",
        "partner": "404/405",
        "adopter": "404/405",
        "other": "404/405",
        "anonymous": "login",
    },
    "set_language": {
        "own": "302",
        "partner": "302",
        "adopter": "302",
        "other": "302",
        "anonymous": "302",
    },
    "usersessions_list": {
        "own": "200/302",
        "partner": "200/302",
        "adopter": "200/302",
        "other": "200/302",
        "anonymous": "login",
    },
}
