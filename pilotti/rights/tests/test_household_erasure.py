from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from conftest import World, reauthenticated, signed_in
from pilotti.audit.models import AccessLog
from pilotti.people.models import ContactDetails, Household, HouseholdMember
from pilotti.rights import services
from pilotti.rights.models import ErasureRecord
from pilotti.rights.tests.test_erasure import every_row_as_text
from tests.factories import FULL_EMAIL, FULL_NAME, full_participant, make_participant

PARTNER_NAME = "Kumppani Henkilö"


def family(world: World) -> tuple[Household, list[int]]:
    """A parent with everything stored about them, a partner and an expected child."""
    parent = full_participant(world.org)
    partner = make_participant(world.org, name=PARTNER_NAME, email="kumppani@example.org", birth_year=1987)
    household = Household.objects.get(members__participant=parent)
    HouseholdMember.objects.create(household=household, participant=partner, relation="partner", birth_year=1987)
    household.municipality = "Kajaani"
    household.save()
    return household, [parent.pk, partner.pk]


def test_it_erases_every_member_of_the_household_everywhere(world: World) -> None:
    household, member_ids = family(world)
    record = services.household_erase(actor=world.coordinator, household=household)
    text = every_row_as_text()
    for value in (FULL_NAME, FULL_EMAIL, PARTNER_NAME, "kumppani@example.org", "Kajaani", "2020-03-01"):
        assert value not in text, value
    assert not ContactDetails.objects.filter(participant_id__in=member_ids).exists()
    assert ErasureRecord.objects.filter(participant_id__in=member_ids).count() == 2
    assert set(HouseholdMember.objects.filter(household=household).values_list("birth_year", "due_date")) == {
        (None, None)
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT birth_year, due_date FROM people_historicalhouseholdmember WHERE household_id = %s",
            [household.pk],
        )
        assert cursor.fetchall() == [(None, None)]
    assert record.household == household
    assert record.counts["members_erased"] == 2
    assert Household.objects.filter(pk=household.pk, code=household.code).exists()  # the code stays
    logged = AccessLog.objects.filter(item="household erasure (Art. 17)")
    assert set(logged.values_list("participant_id", flat=True)) == set(member_ids)


def test_it_erases_nothing_while_the_law_holds_one_member(world: World) -> None:
    world.org.statutory_retention_years = 10
    world.org.save()
    household, member_ids = family(world)
    with pytest.raises(services.ErasureRefused) as refusal:
        services.household_erase(actor=world.coordinator, household=household)
    assert refusal.value.until == date(2030, 1, 31)
    # The partner was never enrolled and could be erased alone, but the household goes as one.
    assert ContactDetails.objects.filter(participant_id__in=member_ids).count() == 2
    assert not ErasureRecord.objects.exists()
    household.refresh_from_db()
    assert household.municipality == "Kajaani"


def test_it_erases_a_household_from_its_page_after_reauthentication(world: World) -> None:
    household, member_ids = family(world)
    url = reverse("rights:household_erase", kwargs={"household_uuid": household.uuid})
    assert signed_in(world.coordinator).post(url)["Location"].startswith("/accounts/reauthenticate/")
    client = reauthenticated(world.coordinator)
    page = client.get(url)
    assert page.status_code == 200
    assert Household.objects.get(pk=household.pk).code in page.content.decode()
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:household_detail", args=[household.uuid])
    assert f"Household {household.code} was erased." in response.content.decode()
    assert not ContactDetails.objects.filter(participant_id__in=member_ids).exists()
    assert "already been erased" in client.get(url).content.decode()


def test_it_shows_who_the_law_holds_on_the_page(world: World) -> None:
    world.org.statutory_retention_years = 10
    world.org.save()
    household, _member_ids = family(world)
    url = reverse("rights:household_erase", kwargs={"household_uuid": household.uuid})
    page = reauthenticated(world.coordinator).get(url).content.decode()
    assert "until 2030-01-31" in page
    assert '<form method="post">' not in page


def test_erasing_a_person_twice_keeps_one_record_and_does_not_fail(world: World) -> None:
    participant = full_participant(world.org)
    first = services.participant_erase(actor=world.coordinator, participant=participant)
    ContactDetails.objects.create(participant=participant, name="Lisätty myöhemmin")
    second = services.participant_erase(actor=world.coordinator, participant=participant)
    assert second.pk == first.pk
    assert not ContactDetails.objects.filter(participant=participant).exists()
