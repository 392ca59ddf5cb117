"""Contact details are ciphertext in the database and its history table, under keys of their own."""

import stat
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from conftest import World
from pilotti.people import crypto, services
from pilotti.people.models import ContactDetails
from pilotti.people.services import ContactFields
from tests.factories import EMAIL, NAME, PHONE, make_participant


@pytest.fixture
def fresh_keys() -> Iterator[None]:
    crypto.reset_caches()
    yield
    crypto.reset_caches()


def raw(table: str, column: str, participant_id: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE participant_id = %s", [participant_id])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_it_stores_only_ciphertext_in_the_table_and_its_history(world: World) -> None:
    participant = make_participant(world.org, identity_code="131052-308T")
    services.contact_details_update(
        actor=world.coordinator, participant=participant, values=ContactFields(name=NAME, phone="040 000 0002")
    )
    for table in ("people_contactdetails", "people_historicalcontactdetails"):
        for column in ("name", "phone", "email", "identity_code"):
            for value in raw(table, column, participant.pk):
                if value:
                    assert value.startswith("gAAAAA"), (table, column, value)
                    assert NAME not in value
                    assert "040" not in value
                    assert "131052" not in value
    assert len(raw("people_historicalcontactdetails", "name", participant.pk)) == 2
    history = participant.contact.history.order_by("history_date")
    assert [h.phone for h in history] == [PHONE, "040 000 0002"]


def test_it_reads_back_what_was_written(world: World) -> None:
    participant = make_participant(world.org)
    contact = ContactDetails.objects.get(participant=participant)
    assert (contact.name, contact.phone, contact.email) == (NAME, PHONE, EMAIL)


def test_it_refuses_to_look_up_by_an_encrypted_value(world: World) -> None:
    with pytest.raises(FieldError):
        list(ContactDetails.objects.filter(name=NAME))


def test_it_keeps_reading_old_values_after_a_key_rotation(world: World, fresh_keys: None) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old]):
        crypto.reset_caches()
        participant = make_participant(world.org, identity_code="131052-308T")
        before = raw("people_contactdetails", "name", participant.pk)[0]
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        crypto.reset_caches()
        assert ContactDetails.objects.get(participant=participant).name == NAME
        # The blind index still finds the duplicate while the rotation is under way.
        assert services.duplicates_of(world.org, identity_code="131052-308T") == [participant]
        assert crypto.rotate(before) != before
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        crypto.reset_caches()
        with pytest.raises(crypto.DecryptionError):
            ContactDetails.objects.get(participant=participant)


def test_it_creates_a_private_key_file_when_no_keys_are_configured(
    tmp_path: Path, fresh_keys: None, world: World
) -> None:
    key_file = tmp_path / "field_encryption_key"
    with override_settings(FIELD_ENCRYPTION_KEYS=[], FIELD_ENCRYPTION_KEY_FILE=key_file):
        crypto.reset_caches()
        make_participant(world.org)
        assert key_file.exists()
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert crypto.keys() == (key_file.read_text().strip().encode(),)


def test_it_matches_duplicates_only_within_the_organisation(world: World) -> None:
    mine = make_participant(world.org, identity_code="131052-308T")
    make_participant(world.other_org, identity_code="131052-308T")
    assert services.duplicates_of(world.org, identity_code="131052-308t ") == [mine]
    assert services.duplicates_of(world.org, name="  testi  HENKILÖ 1", birth_year=1990) == [mine]
    assert services.duplicates_of(world.org, name=NAME, birth_year=1991) == []


def test_it_rewrites_everything_with_the_new_key_so_the_old_one_can_go(world: World, fresh_keys: None) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old]):
        crypto.reset_caches()
        participant = make_participant(world.org, identity_code="131052-308T")
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        crypto.reset_caches()
        call_command("reencrypt_contact_details", stdout=StringIO())
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        crypto.reset_caches()
        assert ContactDetails.objects.get(participant=participant).name == NAME
        assert participant.contact.history.get().name == NAME  # type: ignore[union-attr]
        assert services.duplicates_of(world.org, identity_code="131052-308T") == [participant]
