"""Security events: what an administrator investigating an incident would look for."""

import logging

import pyotp
import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, World, make_user, reauthenticated, sign_in_for_real, signed_in
from pilotti.audit.masking import MaskSecretsFilter, mask_secrets
from pilotti.audit.models import AppendOnlyError, EventKind, SecurityEvent
from pilotti.audit.security import identifier_hash, record_security_event

BROWSER = {"REMOTE_ADDR": "192.0.2.44", "HTTP_USER_AGENT": "Testiselain/2.0"}


def kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))


def test_it_records_a_sign_in_with_the_address_and_browser_in_utc(world: World) -> None:
    sign_in_for_real(Client(**BROWSER), world.coordinator)
    event = SecurityEvent.objects.get(kind=EventKind.SIGN_IN)
    assert event.user == world.coordinator
    assert (event.user_email, event.ip_address, event.user_agent) == (
        world.coordinator.email,
        "192.0.2.44",
        "Testiselain/2.0",
    )
    assert event.at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_it_records_a_failed_sign_in_without_the_password_or_the_typed_name(world: World) -> None:
    client = Client(**BROWSER)
    client.post("/accounts/login/", {"login": world.coordinator.email, "password": "Väärä salasana 1"})
    client.post("/accounts/login/", {"login": "Ei.Ketaan@Example.org", "password": "toinen-väärä"})
    known, unknown = SecurityEvent.objects.filter(kind=EventKind.SIGN_IN_FAILED).order_by("id")
    assert known.user == world.coordinator
    assert unknown.user is None
    assert unknown.identifier_hash == identifier_hash("ei.ketaan@example.org")  # case-insensitive
    stored = " ".join(str(value) for value in SecurityEvent.objects.values_list().all())
    for secret in ("Väärä salasana", "toinen-väärä", "ei.ketaan", "Ei.Ketaan"):
        assert secret not in stored


def test_it_records_the_lockout(world: World) -> None:
    client = Client(**BROWSER)
    for _attempt in range(5):
        response = client.post("/accounts/login/", {"login": world.facilitator.email, "password": "wrong one"})
    assert response.status_code == 429
    assert EventKind.LOCKED_OUT in kinds()
    # The lockout is recorded once, by its own name, not again as a generic 429.
    assert EventKind.RATE_LIMITED not in kinds()


def test_it_records_a_wrong_second_factor(world: World) -> None:
    client = Client(**BROWSER)
    client.post("/accounts/login/", {"login": world.evaluator.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    event = SecurityEvent.objects.get(kind=EventKind.SECOND_FACTOR_FAILED)
    assert (event.user, event.detail) == (world.evaluator, "totp")
    assert EventKind.SIGN_IN not in kinds()


@pytest.mark.django_db(transaction=True)  # allauth sends these signals when the transaction commits
def test_it_records_second_factor_changes() -> None:
    user = make_user("mfa.muutokset@alfa.example")
    client = reauthenticated(user)
    client.post("/accounts/2fa/recovery-codes/generate/")
    client.post("/accounts/2fa/totp/deactivate/")
    assert EventKind.RECOVERY_CODES_REGENERATED in kinds()
    assert EventKind.MFA_REMOVED in kinds()
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert EventKind.MFA_ADDED in kinds()
    assert SecurityEvent.objects.filter(kind=EventKind.MFA_ADDED, user=user, detail="totp").exists()


def test_it_records_a_password_change(world: World) -> None:
    client = reauthenticated(world.coordinator)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Uusi pitkä salasana 2026", "password2": "Uusi pitkä salasana 2026"},
    )
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED, user=world.coordinator).exists()


def test_it_limits_password_reset_requests_and_says_when_to_try_again(world: World) -> None:
    client = Client(**BROWSER)
    for _request in range(3):
        assert client.post("/accounts/password/reset/", {"email": world.owner.email}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": world.owner.email})
    assert response.status_code == 429
    assert "try again in 60 minutes" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert kinds().count(EventKind.PASSWORD_RESET_REQUESTED) == 3
    assert SecurityEvent.objects.get(kind=EventKind.RATE_LIMITED).detail == "account_reset_password"
    # Another address from the same network is not held up by the first one's limit.
    assert client.post("/accounts/password/reset/", {"email": world.coordinator.email}).status_code == 302


def test_it_records_refused_access(world: World) -> None:
    response = signed_in(world.facilitator).get(reverse("recruitment:import"), **BROWSER)
    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=EventKind.REFUSED)
    assert (event.user, event.status, event.method, event.path) == (
        world.facilitator,
        403,
        "GET",
        "/participants/import/",
    )
    assert event.detail == "recruitment:import"


def test_it_records_a_csrf_failure_once_with_its_reason(world: World) -> None:
    client = Client(enforce_csrf_checks=True, **BROWSER)
    response = client.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})
    assert response.status_code == 403
    event = SecurityEvent.objects.get()
    assert event.kind == EventKind.CSRF_FAILED
    assert "CSRF cookie not set" in event.detail


def test_it_records_a_signed_in_users_miss_on_an_objects_address_with_the_token_masked(world: World) -> None:
    from tests.factories import make_participant

    participant = make_participant(world.org)
    outsider = signed_in(world.outsider)
    assert outsider.get(reverse("people:detail", args=[participant.uuid])).status_code == 404
    token = "A" * 43
    assert outsider.get(f"/q/{token}/").status_code == 404
    Client().get(reverse("people:detail", args=[participant.uuid]))  # anonymous: sent to sign in
    Client().get("/no-such-page/")
    events = SecurityEvent.objects.filter(kind=EventKind.NOT_FOUND).order_by("id")
    assert [e.user for e in events] == [world.outsider, world.outsider]
    assert events[0].path == f"/participants/{participant.uuid}/"
    assert events[1].path == "/q/…/"
    assert token not in " ".join(str(v) for v in SecurityEvent.objects.values_list().all())


def test_it_cannot_be_changed_or_deleted(world: World) -> None:
    event = record_security_event(EventKind.REFUSED, user=world.owner, detail="testi")
    event.detail = "muutettu"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.filter(pk=event.pk).update(detail="muutettu")
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.all().delete()
    assert SecurityEvent.objects.get().detail == "testi"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_the_database_refuses_update_and_delete(world: World) -> None:
    event = record_security_event(EventKind.REFUSED, user=world.owner, detail="testi")
    for sql in (
        "UPDATE audit_securityevent SET detail = 'x' WHERE id = %s",
        "DELETE FROM audit_securityevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert SecurityEvent.objects.get().detail == "testi"


def test_it_shows_the_events_to_superusers_only_and_escapes_what_was_sent(world: World) -> None:
    Client(HTTP_USER_AGENT="<script>alert(1)</script>").post(
        "/accounts/login/", {"login": world.owner.email, "password": "väärä"}
    )
    url = reverse("audit:security_events")
    for user in (world.owner, world.coordinator, world.outsider):
        assert signed_in(user).get(url).status_code == 404
    root = make_user("root@pilotti.example", is_superuser=True, is_staff=True)
    page = signed_in(root).get(url).content.decode()
    assert "sign-in failed" in page
    assert world.owner.email in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    filtered = signed_in(root).get(url, {"kind": EventKind.SIGN_IN, "days": "1"}).content.decode()
    assert "sign-in failed" not in filtered.split("<tbody>")[1]


def test_it_masks_bearer_secrets_in_log_lines() -> None:
    token = "x" * 43
    assert mask_secrets(f"GET /q/{token}/?lang=fi HTTP/1.1") == "GET /q/…/?lang=fi HTTP/1.1"
    assert mask_secrets("/p/Ab3dE5gH7k/ /calendar/abcdefghijklmnopqrstu.ics") == "/p/…/ /calendar/….ics"
    assert mask_secrets("/accounts/password/reset/key/1a-set-password/") == "/accounts/password/reset/key/…/"
    assert mask_secrets("/participants/import/") == "/participants/import/"
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/q/{token}/",), None)
    MaskSecretsFilter().filter(record)
    assert record.getMessage() == "Not Found: /q/…/"


def test_gunicorns_access_log_masks_the_token_in_every_field() -> None:
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config  # type: ignore[import-untyped]

    from pilotti.audit.gunicorn import MaskingLogger

    token = "y" * 43
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/q/{token}/",
        "PATH_INFO": f"/q/{token}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://pilotti.example/q/{token}/",
        "REMOTE_ADDR": "192.0.2.1",
    }
    response = SimpleNamespace(status="302 Found", headers=[], sent=0)
    request = SimpleNamespace(headers=[("REFERER", f"https://pilotti.example/q/{token}/")])
    atoms = MaskingLogger(Config()).atoms(response, request, environ, timedelta(seconds=1))
    assert token not in " ".join(str(value) for value in atoms.values())
    assert atoms["r"] == "POST /q/…/ HTTP/1.1"


def test_a_sign_in_name_hash_does_not_depend_on_spacing_or_case() -> None:
    assert identifier_hash(" Someone@Example.org ") == identifier_hash("someone@example.org")
    assert identifier_hash("someone@example.org") != identifier_hash("someone.else@example.org")
    assert identifier_hash("") == ""
