from datetime import date
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from conftest import World, signed_in
from pilotti.people.models import ContactDetails
from pilotti.rights.models import ErasureRecord
from tests.factories import full_participant


def run(*args: str) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_changes_nothing(world: World) -> None:
    participant = full_participant(world.org, ended_on=date(2019, 12, 31))
    output = run("--dry-run")
    assert f"would anonymise {participant.code}" in output
    assert ContactDetails.objects.filter(participant=participant).exists()
    assert not ErasureRecord.objects.exists()


def test_it_anonymises_people_past_the_period(world: World) -> None:
    participant = full_participant(world.org, ended_on=date(2019, 12, 31))
    ongoing = full_participant(world.other_org, ended_on=None)
    output = run()
    assert f"anonymised {participant.code}" in output
    assert not ContactDetails.objects.filter(participant=participant).exists()
    assert not ContactDetails.history.model.objects.filter(participant_id=participant.pk).exists()  # type: ignore[attr-defined]
    assert ContactDetails.objects.filter(participant=ongoing).exists()
    assert ErasureRecord.objects.get().reason == "retention"
    assert "0 people" in run()  # done once only


def test_the_longer_of_retention_and_statutory_period_wins(world: World) -> None:
    world.org.statutory_retention_years = 30
    world.org.save()
    participant = full_participant(world.org, ended_on=date(2019, 12, 31))
    run()
    assert ContactDetails.objects.filter(participant=participant).exists()


def test_an_admin_sets_the_policy(world: World) -> None:
    client = signed_in(world.owner)
    url = reverse("rights:policy")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"retention_years_after_programme": 3, "statutory_retention_years": 10, "erasure_policy": "delete_answers"}
    )
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert (world.org.retention_years_after_programme, world.org.erasure_policy) == (3, "delete_answers")
    assert signed_in(world.coordinator).get(url).status_code == 404
