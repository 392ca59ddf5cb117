from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from conftest import World, reauthenticated, signed_in
from pilotti.audit.models import AccessLog
from pilotti.instruments.models import Answer, Response
from pilotti.measurement.models import SafetyAlert
from pilotti.people.models import ContactDetails, Participant
from pilotti.rights import services
from pilotti.rights.models import ErasureRecord
from tests.factories import FULL_EMAIL, FULL_NAME, FULL_NOTE, FULL_PHONE, full_participant


def every_row_as_text() -> str:
    """Every value of every table, as the database holds it (history tables included)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema itself
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def raw_history_rows(table: str, column: str, pk: int) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" WHERE "{column}" = %s', [pk])  # noqa: S608
        return list(cursor.fetchall())


def test_it_erases_what_identifies_the_person_everywhere(world: World) -> None:
    participant = full_participant(world.org)
    ciphertexts = list(
        ContactDetails.history.model.objects.filter(participant_id=participant.pk).values_list("name", flat=True)  # type: ignore[attr-defined]
    )
    record = services.participant_erase(actor=world.coordinator, participant=participant)
    text = every_row_as_text()
    for value in (FULL_NAME, FULL_PHONE, FULL_EMAIL, FULL_NOTE):
        assert value not in text
    assert not ContactDetails.objects.filter(participant=participant).exists()
    assert raw_history_rows("people_historicalcontactdetails", "participant_id", participant.pk) == []
    participant.refresh_from_db()
    assert participant.birth_year is None
    assert participant.municipality == ""
    assert participant.age_band  # the coarse band stays for the reports
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT birth_year, municipality FROM people_historicalparticipant WHERE id = %s", [participant.pk]
        )
        assert set(cursor.fetchall()) == {(None, "")}
    assert record.counts["contact_details"] == 1
    assert record.by == world.coordinator
    del ciphertexts


def test_it_records_the_erasure_without_naming_the_person(world: World) -> None:
    participant = full_participant(world.org)
    record = services.participant_erase(actor=world.coordinator, participant=participant)
    assert FULL_NAME not in repr(ErasureRecord.objects.filter(pk=record.pk).values().get())
    assert AccessLog.objects.filter(participant=participant, item="erasure (Art. 17)").exists()


def test_it_keeps_answers_anonymised_by_default(world: World) -> None:
    participant = full_participant(world.org)
    total = Response.objects.get(participant=participant).total
    services.participant_erase(actor=world.coordinator, participant=participant)
    response = Response.objects.get(participant=participant)
    assert response.total == total
    assert not Answer.objects.filter(response=response).exclude(text="").exists()
    assert SafetyAlert.objects.get(participant=participant).note == ""


def test_it_deletes_answers_when_the_policy_says_so(world: World) -> None:
    world.org.erasure_policy = "delete_answers"
    world.org.save()
    participant = full_participant(world.org)
    record = services.participant_erase(actor=world.coordinator, participant=participant)
    assert not Response.objects.filter(participant=participant).exists()
    assert not SafetyAlert.objects.filter(participant=participant).exists()
    assert record.counts["responses_deleted"] == 1


def test_the_report_still_counts_kept_answers_after_erasure(world: World) -> None:
    from pilotti.evaluation.selectors import consented_responses
    from pilotti.recruitment.models import Enrolment

    participant = full_participant(world.org)
    programme = participant.enrolments.get().programme

    def counted() -> list[float | None]:
        responses = consented_responses(programme.units.all(), Enrolment.objects.filter(programme=programme))
        return list(responses.values_list("total", flat=True))

    before = counted()
    services.participant_erase(actor=world.coordinator, participant=participant)
    assert counted() == before


def test_it_refuses_while_the_statutory_period_holds(world: World) -> None:
    world.org.statutory_retention_years = 10
    world.org.save()
    participant = full_participant(world.org, ended_on=date(2020, 1, 31))
    with pytest.raises(services.ErasureRefused) as refusal:
        services.participant_erase(actor=world.coordinator, participant=participant)
    assert refusal.value.until == date(2030, 1, 31)
    assert "2030-01-31" in refusal.value.message
    assert ContactDetails.objects.filter(participant=participant).exists()


def test_it_erases_from_the_page_after_reauthentication(world: World) -> None:
    participant = full_participant(world.org)
    erase = reverse("rights:erase", kwargs={"participant_uuid": participant.uuid})
    assert signed_in(world.coordinator).post(erase)["Location"].startswith("/accounts/reauthenticate/")
    assert ContactDetails.objects.filter(participant=participant).exists()
    client = reauthenticated(world.coordinator)
    page = client.get(erase).content.decode()
    assert '<th scope="row">Contact details</th><td class="number">1</td>' in page
    assert "contact_details" not in page  # the record's keys are not what a person reads
    assert client.post(erase).status_code == 302
    assert not ContactDetails.objects.filter(participant=participant).exists()
    assert Participant.objects.filter(pk=participant.pk).exists()


def test_it_shows_the_refusal_with_the_date(world: World) -> None:
    world.org.statutory_retention_years = 10
    world.org.save()
    participant = full_participant(world.org)
    erase = reverse("rights:erase", kwargs={"participant_uuid": participant.uuid})
    response = reauthenticated(world.coordinator).post(erase, follow=True)
    assert b"2030-01-31" in response.content
