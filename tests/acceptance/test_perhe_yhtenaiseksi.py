"""Perhe yhtenäiseksi (seed 001, docs/seeds.md): family work with refugee families in Oulu.

A preventive family-therapeutic model offered to every client family when the family's
integration plan is made; the family's situation is mapped first. In use in Oulu since September
2019 and adopted by Kokkola, Kajaani and Pudasjärvi. Here two families each get their own track
with an Arabic interpreter; one parent maps the strain factors in Arabic (right to left), the
other answers the final survey in Somali.
"""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pilotti.instruments.models import Response
from pilotti.instruments.services import library_load
from tests.acceptance import steps
from tests.acceptance.conftest import OpenPage

pytestmark = [pytest.mark.acceptance, pytest.mark.browser]

FAMILIES = "Pakolaistaustaiset perheet"
PLAN = steps.Plan(
    name="Perhe yhtenäiseksi",
    slug="perhe-yhtenaiseksi",
    description="Ennaltaehkäisevä perheterapeuttinen tukimuoto pakolaistaustaisille perheille.",
    status="active",
    starts_on=date(2019, 9, 1),
    ends_on=None,
    target_groups="Pakolaistaustaiset perheet, kotoutumissuunnitelman yhteydessä.",
    frequency="every_n_weeks",
    duration=90,
    mode="in_person",
    roles=["social_care", "interpreter"],
    interpreter_language="arabia",
    measurement_plan="Perheen tilanteen kartoitus alussa; loppukysely; ammattilaisten ja asiakkaiden haastattelut.",
    segments=[(FAMILIES, 12)],
    topics=["Perheen tilanteen kartoitus", "Vanhemmuus", "Perheen sisäinen vuorovaikutus"],
)
CENTRE = steps.Venue("Perhekeskus", municipality="Oulu", street_address="Kansankatu 1")
TRACKS = [
    steps.Unit(
        f"Perhepolku {code}",
        first=first,
        at="10:00",
        rule="every_n_weeks",
        interval_weeks=2,
        count=5,
        kind="household_track",
        site=CENTRE.name,
        languages="arabia, suomi",
        interpreter_language="arabia",
    )
    for code, first in (("OU-01", date(2019, 9, 10)), ("OU-02", date(2019, 10, 8)))
]
PEOPLE = [
    steps.Person(
        "Ahmad Haddad",
        "040 400 0001",
        1984,
        "arabia",
        "integration_plan",
        date(2019, 9, 2),
        [("enrolled", date(2019, 9, 4)), ("started", date(2019, 9, 10))],
        unit=TRACKS[0].name,
        segment=FAMILIES,
        gender="male",
        consent_on=date(2019, 9, 4),
    ),
    steps.Person(
        "Fadumo Hassan",
        "040 400 0002",
        1990,
        "somali",
        "integration_plan",
        date(2019, 9, 23),
        [("interested", date(2019, 9, 25)), ("enrolled", date(2019, 10, 1)), ("started", date(2019, 10, 8))],
        unit=TRACKS[1].name,
        segment=FAMILIES,
        gender="female",
        consent_on=date(2019, 10, 1),
    ),
    steps.Person(
        "Omar Ali",
        "040 400 0003",
        1979,
        "arabia",
        "integration_plan",
        date(2019, 9, 30),
        [("declined", date(2019, 10, 2))],
        segment=FAMILIES,
        reason="Perhe ei koe tarvitsevansa tukea nyt.",
    ),
]


def test_perhe_yhtenaiseksi_maps_refugee_families_and_hears_them_in_their_languages(
    open_page: OpenPage, tmp_path: Path
) -> None:
    library_load()  # the shipped questionnaires, as `manage.py load_instruments` installs them
    staff = steps.start_organisation(
        "oulun-kaupunki",
        "Oulun kaupunki",
        "municipality",
        "0187690-1",
        people="Iida Bimberg, Leila Ohjaaja, Aatu Arvioija",
    )
    kokkola = steps.other_organisation("kokkolan-kaupunki", "Kokkolan kaupunki", "municipality", "0245437-2")

    # 1. The model, its adoption by Kokkola, and one track per family.
    coordinator = open_page("desktop")
    steps.sign_in(coordinator, staff.coordinator)
    programme = steps.create_programme(coordinator, PLAN)
    steps.add_adoption(coordinator, programme, kokkola, date(2021, 3, 1))
    steps.add_site(coordinator, programme, CENTRE)
    steps.plan_measurement(
        coordinator,
        programme,
        [("pilotti-strain-factors", "intake", "parents"), ("pilotti-final-survey", "end", "participants")],
    )
    tracks = [steps.create_unit(coordinator, programme, t, staff.facilitator, "social_care") for t in TRACKS]
    assert [m.starts_at.date() for m in steps.meetings_of(tracks[0])] == [
        date(2019, 9, 10),
        date(2019, 9, 24),
        date(2019, 10, 8),
        date(2019, 10, 22),
        date(2019, 11, 5),
    ]

    # 2. Families come from their integration plans; one declines.
    families = steps.recruit(coordinator, programme, PEOPLE)
    expect(steps.open_funnel(coordinator, programme)).to_contain_text(FAMILIES)
    for track in tracks:
        steps.change_status(coordinator, track, "running", track.meetings.earliest("starts_at").starts_at.date())
    ahmad, fadumo = families["Ahmad Haddad"], families["Fadumo Hassan"]

    # 3. The family worker's roll calls, on her phone.
    worker = open_page("phone")
    steps.sign_in(worker, staff.facilitator)
    first_track, second_track = (steps.meetings_of(t) for t in tracks)
    steps.roll_call(worker, first_track[0], {ahmad: "present"})
    steps.roll_call(worker, first_track[1], {ahmad: "present"})
    steps.roll_call(worker, second_track[0], {fadumo: "present"})

    # 4. The parents answer in their own languages; the meeting is rated by QR code.
    url = steps.make_link(worker, first_track[0], ahmad, "pilotti-strain-factors")
    steps.answer_link(
        open_page("phone"),
        url,
        steps.Answers({"factors": [2, 5]}),
        language="ar",
        heading="ما الذي يثقل عليك؟",  # the intake title asks, since 691f7aa
    )
    url = steps.make_link(worker, second_track[0], fadumo, "pilotti-final-survey")
    steps.answer_link(
        open_page("phone"), url, steps.Answers({"benefit": 4}), language="so", heading="Sahanka ugu dambeeya"
    )
    panel = steps.open_client_panel(worker, first_track[1])
    steps.answer_panel(open_page("phone"), panel, 9)
    assert Response.objects.get(participant=ahmad).language == "ar"
    assert Response.objects.get(participant=fadumo).language == "so"

    # 5. The evaluator's report and data.
    evaluator = open_page("desktop")
    steps.sign_in(evaluator, staff.evaluator)
    report = steps.open_report(evaluator, programme)
    expect(steps.figure(report, "flow-contacted")).to_have_text("3")
    expect(steps.figure(report, "flow-started")).to_have_text("2")
    expect(steps.figure(report, "attendance-rate")).to_contain_text("(3 / 3)")
    text = steps.download_pdf_text(evaluator, programme, tmp_path)
    assert PLAN.name in text
    data, _meta = steps.download_spss(evaluator, programme, tmp_path)
    strain = data[data["instrument"] == "pilotti-strain-factors"]
    assert list(strain["participant_code"]) == [ahmad.code]
