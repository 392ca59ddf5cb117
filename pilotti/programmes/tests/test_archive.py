"""Archiving what has data (hidden from lists, kept with its history, restorable), and deleting a
site nothing uses (issue 20: drafts and test records)."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import World, signed_in
from pilotti.meetings import services as meeting_services
from pilotti.programmes import services
from pilotti.programmes.models import DeliveryUnit, Programme, Site
from pilotti.recruitment import services as recruitment
from pilotti.recruitment.services import EnrolmentFields
from tests.factories import enrol, make_participant, make_programme, make_site, make_unit


def _ended_unit(programme: Programme, name: str = "Hervanta") -> DeliveryUnit:
    unit = make_unit(programme, name=name)
    enrol(make_participant(programme.organisation), unit)
    meeting_services.unit_change_status(actor=None, unit=unit, status="cancelled", on=date(2019, 10, 1), reason="Testi")
    return unit


def test_it_archives_an_ended_unit_and_restores_it_with_its_history(world: World) -> None:
    unit = _ended_unit(make_programme(world.org))
    client = signed_in(world.coordinator)
    programme_page = reverse("programmes:detail", args=[unit.programme.slug])
    assert "Archive the unit" in client.get(reverse("programmes:unit_detail", args=[unit.uuid])).text
    response = client.post(reverse("programmes:unit_archive", args=[unit.uuid]), {"why": "Testiryhmä"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.is_archived
    assert unit.archive_reason == "Testiryhmä"
    record = unit.history.filter(history_change_reason="archived").get()  # type: ignore[attr-defined]
    assert record.history_user == world.coordinator
    listed = f">{unit.name}</a>"
    assert listed not in client.get(programme_page).text
    shown = client.get(programme_page + "?archived=1").text
    assert listed in shown
    assert "archived" in shown
    page = client.get(reverse("programmes:unit_detail", args=[unit.uuid])).text
    assert "Testiryhmä" in page
    assert "Restore from the archive" in page
    assert client.post(reverse("programmes:unit_unarchive", args=[unit.uuid])).status_code == 302
    unit.refresh_from_db()
    assert not unit.is_archived
    assert listed in client.get(programme_page).text
    reasons = list(unit.history.values_list("history_change_reason", flat=True))  # type: ignore[attr-defined]
    assert "archived" in reasons
    assert "restored from the archive" in reasons


def test_it_refuses_to_archive_a_live_unit_and_says_how_to_end_it(world: World) -> None:
    unit = make_unit(make_programme(world.org))
    with pytest.raises(ValidationError, match="Change its status to completed, discontinued or cancelled"):
        services.unit_archive(actor=None, unit=unit, why="Testi")
    response = signed_in(world.coordinator).post(reverse("programmes:unit_archive", args=[unit.uuid]), {"why": "x"})
    assert response.status_code == 400
    assert "Change its status" in response.text
    with pytest.raises(ValidationError, match="Say why"):
        services.unit_archive(actor=None, unit=_ended_unit(unit.programme, "Toinen"), why=" ")


def test_it_archives_a_programme_once_its_units_have_ended(world: World) -> None:
    programme = make_programme(world.org, name="Testiohjelma")
    unit = make_unit(programme, name="Avoin ryhmä")
    enrol(make_participant(world.org), unit)
    with pytest.raises(ValidationError, match=r"still planned, recruiting or running \(Avoin ryhmä\)"):
        services.programme_archive(actor=None, programme=programme, why="Testi")
    meeting_services.unit_change_status(actor=None, unit=unit, status="cancelled", on=date(2019, 10, 1), reason="Testi")
    client = signed_in(world.coordinator)
    detail = reverse("programmes:detail", args=[programme.slug])
    assert 'href="{}"'.format(reverse("programmes:archive", args=[programme.slug])) in client.get(detail).text
    assert client.post(reverse("programmes:archive", args=[programme.slug]), {"why": "Harjoitus"}).status_code == 302
    listing = reverse("programmes:list")
    assert ">Testiohjelma</a>" not in client.get(listing).text
    assert ">Testiohjelma</a>" in client.get(listing + "?archived=1").text
    page = client.get(detail).text
    assert "Harjoitus" in page
    assert "New unit" not in page
    assert client.post(reverse("programmes:unarchive", args=[programme.slug])).status_code == 302
    assert ">Testiohjelma</a>" in client.get(listing).text


def test_an_archived_programme_or_unit_takes_no_new_enrolments_units_or_meetings(world: World) -> None:
    unit = _ended_unit(make_programme(world.org))
    programme = unit.programme
    services.unit_archive(actor=None, unit=unit, why="Testi")
    services.programme_archive(actor=None, programme=programme, why="Testi")
    person = make_participant(world.org, name="Bertta Testi")
    fields = EnrolmentFields(programme=programme, referral_source="other", contacted_on=date(2019, 9, 1))
    with pytest.raises(ValidationError, match=r"is archived and takes no new enrolments\. Restore it"):
        recruitment.enrolment_create(actor=None, fields=fields, participant=person)
    with pytest.raises(ValidationError, match="takes no new units or sites"):
        make_unit(programme, name="Uusi")
    with pytest.raises(ValidationError, match="takes no new units or sites"):
        make_site(programme)
    with pytest.raises(ValidationError, match="is archived"):
        meeting_services.meeting_add(actor=None, unit=unit, starts_at=datetime(2030, 1, 1, 12, tzinfo=UTC))
    with pytest.raises(ValidationError, match="Restore the programme first"):
        services.unit_unarchive(actor=None, unit=unit)
    page = signed_in(world.coordinator).get(reverse("recruitment:participant_enrol", args=[person.uuid]))
    assert programme.name not in page.text  # not offered for enrolment


def test_it_archives_and_restores_a_site_and_hides_it_from_new_units(world: World) -> None:
    programme = make_programme(world.org)
    site = make_site(programme, name="Vanha koulu")
    make_unit(programme, site=site)
    client = signed_in(world.coordinator)
    assert client.post(reverse("programmes:site_archive", args=[site.uuid]), {"why": "Muutti"}).status_code == 302
    detail = reverse("programmes:detail", args=[programme.slug])
    assert "Vanha koulu" not in client.get(detail).text.split('id="sites-heading"')[1]
    assert "Vanha koulu" not in client.get(reverse("meetings:unit_create", args=[programme.slug])).text
    site.refresh_from_db()
    with pytest.raises(ValidationError, match="The site Vanha koulu is archived"):
        make_unit(programme, name="Uusi", site=site)
    assert Site.history.filter(history_change_reason="archived", history_user=world.coordinator).exists()  # type: ignore[attr-defined]
    assert client.post(reverse("programmes:site_unarchive", args=[site.uuid])).status_code == 302
    site.refresh_from_db()
    assert not site.is_archived


def test_it_deletes_a_site_no_unit_uses_and_names_the_units_of_one_in_use(world: World) -> None:
    programme = make_programme(world.org)
    draft, used = make_site(programme, name="Luonnos"), make_site(programme, name="Käytössä")
    make_unit(programme, name="Hervanta", site=used)
    client = signed_in(world.coordinator)
    page = client.get(reverse("programmes:detail", args=[programme.slug])).text
    assert reverse("programmes:site_delete", args=[draft.uuid]) in page
    assert reverse("programmes:site_delete", args=[used.uuid]) not in page
    assert client.post(reverse("programmes:site_delete", args=[draft.uuid])).status_code == 302
    assert not Site.objects.filter(pk=draft.pk).exists()
    assert Site.history.get(history_type="-").history_user == world.coordinator  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="Käytössä is the site of Hervanta, so it cannot be deleted"):
        services.site_delete_draft(actor=None, site=used)
    response = client.post(reverse("programmes:site_delete", args=[used.uuid]), follow=True)
    assert "is the site of Hervanta" in response.text


def test_only_the_sites_organisation_may_archive_or_delete_it(world: World) -> None:
    site = make_site(make_programme(world.org))
    assert signed_in(world.facilitator).post(reverse("programmes:site_delete", args=[site.uuid])).status_code in (
        403,
        404,
    )
    assert signed_in(world.outsider).post(reverse("programmes:site_archive", args=[site.uuid])).status_code == 404
    assert Site.objects.filter(pk=site.pk, archived_at__isnull=True).exists()
