import json
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from conftest import World, signed_in
from pilotti.audit.models import AppendOnlyError
from pilotti.rights.models import Disclosure
from pilotti.rights.services import disclosure_record
from tests.factories import full_participant


def test_it_records_a_disclosure_and_lists_it_in_the_log(world: World) -> None:
    participant = full_participant(world.org)
    client = signed_in(world.coordinator)
    response = client.post(
        reverse("rights:disclosure_add", kwargs={"participant_uuid": participant.uuid}),
        {
            "recipient": "Tampereen lastensuojelu",
            "legal_basis": "ShHL 703/2023 § 17",
            "what": "attendance",
            "disclosed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    disclosure = Disclosure.objects.get(participant=participant)
    assert disclosure.recorded_by == world.coordinator
    log = client.post(reverse("rights:log_json", kwargs={"participant_uuid": participant.uuid}))
    data = json.loads(log.content)
    assert [d["recipient"] for d in data["disclosures"]] == ["Tampereen lastensuojelu"]
    assert data["access_log"]
    page = client.get(reverse("rights:log", kwargs={"participant_uuid": participant.uuid}))
    assert b"Tampereen lastensuojelu" in page.content


def test_it_leaves_out_what_is_older_than_two_years(world: World) -> None:
    participant = full_participant(world.org)
    disclosure_record(
        actor=world.coordinator,
        participant=participant,
        recipient="Vanha",
        legal_basis="x",
        what="y",
        disclosed_on=date(2015, 1, 1),
    )
    data = json.loads(
        signed_in(world.coordinator)
        .post(reverse("rights:log_json", kwargs={"participant_uuid": participant.uuid}))
        .content
    )
    assert data["disclosures"] == []


def test_it_makes_a_pdf_of_the_log(world: World) -> None:
    participant = full_participant(world.org)
    response = signed_in(world.coordinator).post(
        reverse("rights:log_pdf", kwargs={"participant_uuid": participant.uuid})
    )
    assert response.content.startswith(b"%PDF")


def test_it_keeps_the_disclosure_log_append_only(world: World) -> None:
    participant = full_participant(world.org)
    disclosure = disclosure_record(
        actor=world.coordinator,
        participant=participant,
        recipient="A",
        legal_basis="B",
        what="C",
        disclosed_on=date(2024, 1, 1),
    )
    disclosure.recipient = "Joku muu"
    with pytest.raises(AppendOnlyError):
        disclosure.save()
    with pytest.raises(AppendOnlyError):
        disclosure.delete()
    with pytest.raises(AppendOnlyError):
        Disclosure.objects.filter(pk=disclosure.pk).update(recipient="x")
    with pytest.raises(AppendOnlyError):
        Disclosure.objects.all().delete()
    if connection.vendor == "postgresql":
        # Raw SQL, past the model: the database's trigger refuses it too.
        for sql in (
            "UPDATE rights_disclosure SET recipient = 'x' WHERE id = %s",
            "DELETE FROM rights_disclosure WHERE id = %s",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [disclosure.pk])
    disclosure.refresh_from_db()
    assert disclosure.recipient == "A"
