from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from pilotti.accounts.models import User
from pilotti.organisations.models import Membership, Organisation


def snapshot() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_it_loads_the_demo_and_prints_the_sign_ins(db: None) -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    for email in ("admin@example.org", "coordinator@example.org", "facilitator@example.org", "evaluator@example.org"):
        assert email in out.getvalue()
        assert Membership.objects.filter(user__email=email).count() == Organisation.objects.count()
    assert Organisation.objects.filter(name__startswith="Vaalijalan").exists()
    assert Organisation.objects.filter(name__contains="Pakolaisapu").exists()


def test_it_changes_nothing_when_run_twice(db: None) -> None:
    call_command("load_demo", stdout=StringIO())
    before = snapshot()
    passwords = dict(Membership.objects.values_list("user__email", "user__password"))
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == before
    assert dict(Membership.objects.values_list("user__email", "user__password")) == passwords


def test_it_lets_demo_accounts_sign_in_with_the_published_password(db: None) -> None:
    call_command("load_demo", stdout=StringIO())
    client = Client()
    response = client.post("/accounts/login/", {"login": "evaluator@example.org", "password": "demo"})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "demo-banner" in home.text


def test_it_refuses_demo_accounts_on_a_database_that_is_not_local(
    db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DEBUG = False
    settings.ALLOW_DEMO_ACCOUNTS = False
    monkeypatch.setenv("DATABASE_URL", "postgres://pilotti@db.internal/pilotti")
    with pytest.raises(CommandError, match="Not loading demo accounts with a published password"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(email="admin@example.org").exists()
    # Asked for explicitly, it loads them.
    call_command("load_demo", "--allow-demo-accounts", stdout=StringIO())
    assert User.objects.filter(email="admin@example.org", is_demo=True).exists()


def test_it_loads_demo_accounts_on_the_local_database_as_make_run_does(
    db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DEBUG = False
    settings.ALLOW_DEMO_ACCOUNTS = False
    monkeypatch.delenv("DATABASE_URL", raising=False)
    call_command("load_demo", stdout=StringIO())
    assert User.objects.filter(email="admin@example.org", is_demo=True).exists()
