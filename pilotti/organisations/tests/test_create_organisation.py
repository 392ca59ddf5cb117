from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from pilotti.organisations.models import Membership, Organisation


def test_it_creates_an_organisation_and_invites_its_first_admin(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_organisation",
            name="Tampereen kaupunki",
            slug="tampere",
            kind="municipality",
            business_id="0211675-2",
            admin_email="paakayttaja@tampere.example",
            stdout=out,
        )
    assert Organisation.objects.get(slug="tampere").business_id == "0211675-2"
    link = out.getvalue().strip().splitlines()[-1].strip()
    assert len(mail.outbox) == 1
    assert link in mail.outbox[0].body
    path = link.split("8000", 1)[1]
    Client().post(
        path, {"full_name": "Pää Käyttäjä", "password1": "pitkä hyvä salasana 9", "password2": "pitkä hyvä salasana 9"}
    )
    assert Membership.objects.get(user__email="paakayttaja@tampere.example").role == "admin"


def test_it_refuses_a_wrong_business_id_and_creates_nothing(db: None) -> None:
    with pytest.raises(CommandError, match="check digit"):
        call_command(
            "create_organisation",
            name="Virhe Oy",
            slug="virhe",
            kind="company",
            business_id="0211675-3",
            admin_email="a@virhe.example",
            stdout=StringIO(),
        )
    assert not Organisation.objects.exists()
    assert not mail.outbox
