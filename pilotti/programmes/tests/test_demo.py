from datetime import datetime

import pytest
import time_machine

from pilotti.core.zone import HELSINKI
from pilotti.meetings import programmes_demo as demo
from pilotti.meetings.models import Meeting
from pilotti.organisations import demo as organisations_demo
from pilotti.programmes.models import DeliveryUnit, Programme


def _snapshot() -> tuple[int, int, int]:
    return Programme.objects.count(), DeliveryUnit.objects.count(), Meeting.objects.count()


def test_it_loads_the_five_seed_pilots_once(db: None) -> None:
    organisations_demo.load()
    assert demo.load() == [p.slug for p in demo.PROGRAMMES]
    first = _snapshot()
    assert demo.load() == []
    assert _snapshot() == first
    assert set(Programme.objects.values_list("slug", flat=True)) == {
        "valoa-arkeen",
        "perhe-yhtenaiseksi",
        "ohjatut-vertaistukiryhmat",
        "ikaalinen-paivatoiminta",
        "tampere-pikkulapsiperheet",
    }


def test_it_has_tamperes_groups_as_the_seed_says(db: None) -> None:
    organisations_demo.load()
    demo.load()
    units = {u.name: u for u in DeliveryUnit.objects.filter(programme__slug="tampere-pikkulapsiperheet")}
    firsts = {name: u.meetings.first().starts_at.astimezone(HELSINKI) for name, u in units.items()}  # type: ignore[union-attr]
    assert firsts["Hervanta: Naistari"] == datetime(2019, 10, 30, 15, 30, tzinfo=HELSINKI)
    assert firsts["Hervanta: Hervantatupa"] == datetime(2019, 11, 4, 14, 30, tzinfo=HELSINKI)
    assert firsts["Kaukajärvi: Annantupa"] == datetime(2019, 11, 14, 15, 30, tzinfo=HELSINKI)
    assert firsts["Tesoma: Westeri"] == datetime(2019, 11, 12, 15, 0, tzinfo=HELSINKI)
    assert firsts["Keskusta: MLL Laivapuiston perhetalo"] == datetime(2019, 11, 14, 17, 0, tzinfo=HELSINKI)
    tesoma = units["Tesoma: Westeri"]
    assert tesoma.status == DeliveryUnit.Status.DISCONTINUED
    assert tesoma.status_changed_on.isoformat() == "2019-12-03"  # type: ignore[union-attr]
    assert tesoma.replacement == units["Hervanta: kolmas ryhmä"]
    replacement = units["Hervanta: kolmas ryhmä"].meetings.all()
    assert len(replacement) == 6
    assert replacement[0].starts_at.astimezone(HELSINKI).date().isoformat() == "2020-01-29"
    programme = Programme.objects.get(slug="tampere-pikkulapsiperheet")
    assert [(s.name, s.target) for s in programme.segments.all()] == [
        ("Suomalaiset lapsiperheet", 20),
        ("Maahanmuuttajalapsiperheet", 20),
    ]  # the ten public health nurses are a staff target (pilotti/staff/tests/test_demo.py), not participants


def test_it_has_oulus_adopters_and_the_other_pilots(db: None) -> None:
    organisations_demo.load()
    demo.load()
    oulu = Programme.objects.get(slug="perhe-yhtenaiseksi")
    assert sorted(oulu.adoptions.values_list("organisation__slug", flat=True)) == [
        "kajaanin-kaupunki",
        "kokkolan-kaupunki",
        "pudasjarven-kaupunki",
    ]
    valoa = DeliveryUnit.objects.filter(programme__slug="valoa-arkeen")
    assert {u.meetings.count() for u in valoa} == {12, 13}
    assert {u.kind for u in valoa} == {DeliveryUnit.Kind.HOUSEHOLD_TRACK}
    ikaalinen = DeliveryUnit.objects.get(programme__slug="ikaalinen-paivatoiminta")
    days = [m.starts_at.astimezone(HELSINKI).date() for m in ikaalinen.meetings.all()]
    assert days[0].isoformat() >= "2022-07-15"
    assert days[-1].isoformat() == "2022-11-15"
    assert {d.weekday() for d in days} == {1, 3}
    essote = Programme.objects.get(slug="ohjatut-vertaistukiryhmat")
    assert list(essote.partners.values_list("slug", flat=True)) == ["vaalijalan-kuntayhtyma"]
    assert sorted(essote.units.values_list("organisation__slug", flat=True)) == ["essote", "vaalijalan-kuntayhtyma"]
    assert DeliveryUnit.objects.filter(facilitators__user__email="facilitator@example.org").count() >= 3


def test_it_records_the_past_demo_meetings_as_held_with_themes(db: None) -> None:
    organisations_demo.load()
    demo.load()
    tesoma = DeliveryUnit.objects.get(name="Tesoma: Westeri")
    assert list(tesoma.meetings.values_list("status", flat=True)) == ["held"] * 4 + ["cancelled"] * 3
    assert list(tesoma.meetings.values_list("theme", flat=True))[:4] == [
        "Raskausaika",
        "Odottavan äidin terveys",
        "Synnytys",
        "Vauvan hoito",
    ]
    assert not Meeting.objects.filter(starts_at__year__lt=2024, status=Meeting.Status.SCHEDULED).exists()
    remote = Meeting.objects.filter(unit__programme__slug="valoa-arkeen")
    assert all(m.remote_link.startswith("https://video.example.org/") for m in remote)
    naistari = DeliveryUnit.objects.get(name="Hervanta: Naistari").meetings.first()
    assert [u.email for u in naistari.facilitators_present.all()] == ["facilitator@example.org"]  # type: ignore[union-attr]
    # One family track starts on the day the demo is loaded, so "My meetings" has something.
    today = DeliveryUnit.objects.get(name="Perhepolku OU-03").meetings.filter(status=Meeting.Status.SCHEDULED)
    assert today.count() == 8
    assert today.first().interpreter_language == "arabia"  # type: ignore[union-attr]


# Independence Day on a Sunday, New Year's Eve, the night daylight saving time starts, Midsummer.
@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 6, 9, 0, tzinfo=HELSINKI),
        datetime(2026, 12, 31, 23, 30, tzinfo=HELSINKI),
        datetime(2026, 3, 29, 2, 30, tzinfo=HELSINKI),
        datetime(2027, 6, 25, 12, 0, tzinfo=HELSINKI),
    ],
    ids=str,
)
def test_it_gives_the_facilitator_a_meeting_on_the_day_the_demo_is_loaded(db: None, moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        organisations_demo.load()
        demo.load()
    track = DeliveryUnit.objects.get(name="Perhepolku OU-03")
    days = [m.starts_at.astimezone(HELSINKI).date() for m in track.meetings.filter(status=Meeting.Status.SCHEDULED)]
    assert days[0] == moment.date()
    assert len(days) == 8
