"""Finding people by any part of their name, through keyed tokens, never by decrypting names."""

import io
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog
from pilotti.people import crypto, search, services
from pilotti.people.models import NameToken, Participant
from pilotti.people.tests.test_encryption import fresh_keys  # noqa: F401 (a fixture)
from tests.factories import enrol, make_household, make_participant, make_programme, make_unit

LIISA = "Liisa Testinen"
MATTI = "Matti Äijälä-Öhman"


def _found(client: Client, **params: str) -> set[str]:
    page = client.get(reverse("people:list"), params).content.decode()
    return {p.code for p in Participant.objects.all() if p.code in page}


@pytest.fixture
def liisa_and_matti(world: World) -> tuple[Participant, Participant]:
    return make_participant(world.org, name=LIISA), make_participant(world.org, name=MATTI, phone="040 000 0002")


def test_it_finds_a_person_by_any_part_of_the_name_in_either_order(
    world: World, liisa_and_matti: tuple[Participant, Participant]
) -> None:
    liisa, matti = liisa_and_matti
    client = signed_in(world.coordinator)
    for query in ("Liisa", "Testinen", "Testinen Liisa", "test li", "LIISA  testinen", LIISA):
        assert _found(client, q=query) == {liisa.code}, query
    # Diacritics and the hyphen do not matter: people type "aijala" for "Äijälä".
    for query in ("aijala", "Öhman matti", "ohm", "äijälä-öhman"):
        assert _found(client, q=query) == {matti.code}, query
    for query in ("iisa", "Liisa Äijälä", "Liisak"):
        assert _found(client, q=query) == set(), query


def test_it_searches_names_without_decrypting_them(
    world: World, liisa_and_matti: tuple[Participant, Participant], monkeypatch: pytest.MonkeyPatch
) -> None:
    liisa, _matti = liisa_and_matti
    client = signed_in(world.coordinator)
    client.get(reverse("people:list"))  # the session's first page does its bookkeeping

    def refuse(token: str) -> str:
        raise AssertionError("a name was decrypted")

    monkeypatch.setattr(crypto, "decrypt", refuse)
    assert _found(client, q="testinen") == {liisa.code}


def test_it_stores_tokens_that_neither_show_the_name_nor_match_in_another_organisation(world: World) -> None:
    here = make_participant(world.org, name=LIISA)
    there = make_participant(world.other_org, name=LIISA)
    tokens_here = set(NameToken.objects.filter(contact__participant=here).values_list("token", flat=True))
    tokens_there = set(NameToken.objects.filter(contact__participant=there).values_list("token", flat=True))
    assert len(tokens_here) == len(search.beginnings(LIISA))
    assert not tokens_here & tokens_there
    assert not any("liisa" in token or "testinen" in token for token in tokens_here)
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM people_nametoken")
        assert all(len(row[0]) == 64 for row in cursor.fetchall())


def test_it_finds_the_new_name_after_a_change_and_not_the_old_one(world: World) -> None:
    person = make_participant(world.org, name=LIISA)
    services.contact_details_update(
        actor=world.coordinator, participant=person, values=services.ContactFields(name="Liisa Uusinimi")
    )
    client = signed_in(world.coordinator)
    assert _found(client, q="uusinimi") == {person.code}
    assert _found(client, q="testinen") == set()


def test_it_lets_a_facilitator_find_their_own_units_people_by_name_and_an_evaluator_nobody(world: World) -> None:
    programme = make_programme(world.org)
    mine = make_unit(programme, name="Oma ryhmä", facilitator=world.facilitator)
    other = make_unit(programme, name="Toinen ryhmä")
    own = make_participant(world.org, name=LIISA)
    not_own = make_participant(world.org, name="Liisa Muukalainen", phone="040 000 0003")
    enrol(own, mine)
    enrol(not_own, other)

    assert _found(signed_in(world.facilitator), q="liisa") == {own.code}
    assert _found(signed_in(world.evaluator), q="liisa") == set()
    assert _found(signed_in(world.evaluator), q=own.code) == {own.code}


def test_it_filters_by_programme_unit_and_stage(world: World) -> None:
    family, peer = make_programme(world.org, name="Perhepolku"), make_programme(world.org, name="Vertaistuki")
    spring, autumn = make_unit(family, name="Kevät"), make_unit(family, name="Syksy")
    peers = make_unit(peer, name="Ryhmä")
    a = make_participant(world.org, name="Liisa Aalto")
    b = make_participant(world.org, name="Liisa Berg", phone="040 000 0004")
    c = make_participant(world.org, name="Liisa Carlsson", phone="040 000 0005")
    enrol(a, spring, stage="enrolled")
    enrol(b, autumn, stage="completed")
    enrol(c, peers, stage="enrolled")
    d = make_participant(world.org, name="Liisa Dahl", phone="040 000 0006")
    enrol(make_household(d), peers, stage="started")  # enrolled as a household, found as its member
    client = signed_in(world.coordinator)

    assert _found(client, programme=family.slug) == {a.code, b.code}
    assert _found(client, programme=peer.slug) == {c.code, d.code}
    assert _found(client, unit=str(autumn.uuid)) == {b.code}
    assert _found(client, stage="enrolled") == {a.code, c.code}
    assert _found(client, q="liisa", programme=family.slug, stage="enrolled") == {a.code}


def test_it_logs_each_person_found_by_name_as_a_search_of_contact_details(
    world: World, liisa_and_matti: tuple[Participant, Participant]
) -> None:
    liisa, _matti = liisa_and_matti
    signed_in(world.coordinator).get(reverse("people:list"), {"q": "testinen"})
    entry = AccessLog.objects.get(action="search", participant=liisa)
    assert (entry.category, entry.item, entry.user) == ("contact_details", "by name", world.coordinator)


@pytest.mark.parametrize("people", [3, 30])
def test_it_searches_in_the_same_number_of_queries_however_many_are_found(
    world: World, people: int, django_assert_max_num_queries: Callable[[int], AbstractContextManager[object]]
) -> None:
    programme = make_programme(world.org)
    unit = make_unit(programme)
    for number in range(people):
        enrol(make_participant(world.org, name=f"Liisa Testinen{number}", phone=f"040 000 {number:04}"), unit)
    client = signed_in(world.coordinator)
    client.get(reverse("people:list"))
    # Sign-in bookkeeping 8, the filter's choices 3, the search 1, the log 2, the page 2, the session 3.
    with django_assert_max_num_queries(19):
        page = client.get(reverse("people:list"), {"q": "testinen li", "programme": programme.slug})
    assert page.content.decode().count("PK-") >= people
    assert AccessLog.objects.filter(action="search").count() == people


@pytest.mark.usefixtures("fresh_keys")
def test_it_keeps_finding_people_through_a_key_rotation(world: World) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old]):
        crypto.reset_caches()
        person = make_participant(world.org, name=LIISA)
    client = signed_in(world.coordinator)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        crypto.reset_caches()
        assert _found(client, q="testinen") == {person.code}  # the old key's tokens, looked up too
        call_command("reencrypt_contact_details", stdout=io.StringIO())
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        crypto.reset_caches()
        assert _found(client, q="testinen") == {person.code}


def test_it_builds_the_tokens_of_people_saved_before_them(world: World) -> None:
    person = make_participant(world.org, name=LIISA)
    NameToken.objects.all().delete()
    call_command("build_name_search", stdout=io.StringIO())
    assert _found(signed_in(world.coordinator), q="testinen") == {person.code}
