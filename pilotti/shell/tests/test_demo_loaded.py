"""`manage.py load_demo` on one demo loaded for the module (conftest.py: module_demo): what it
prints, that a second run changes nothing, and that the demo accounts sign in. Its refusals, which
need a database without the demo, are in test_load_demo.py."""

from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.test import Client

from pilotti.organisations.models import Membership, Organisation


def snapshot() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_it_loads_the_demo_and_prints_the_sign_ins(module_demo: str, db: None) -> None:
    for email in ("admin@example.org", "coordinator@example.org", "facilitator@example.org", "evaluator@example.org"):
        assert email in module_demo
        assert Membership.objects.filter(user__email=email).count() == Organisation.objects.count()
    assert Organisation.objects.filter(name__startswith="Vaalijalan").exists()
    assert Organisation.objects.filter(name__contains="Pakolaisapu").exists()


def test_it_changes_nothing_when_run_twice(module_demo: str, db: None) -> None:
    before = snapshot()
    passwords = dict(Membership.objects.values_list("user__email", "user__password"))
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == before
    assert dict(Membership.objects.values_list("user__email", "user__password")) == passwords


def test_it_lets_demo_accounts_sign_in_with_the_published_password(module_demo: str, db: None) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"login": "evaluator@example.org", "password": "demo"})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "demo-banner" in home.text
