"""South Savo (seed 002, docs/seeds.md): professionally guided peer-support groups.

Run jointly by Essote and Vaalijala with third-sector partners, for parents of neurodivergent
children and for young people becoming independent with their families; groups from late August
2022 to late spring 2023. Effect measured with structured initial and final assessments and the
3X10D life-situation meter. Here both groups meet every other week, skipping Christmas and the
ski week; the groups rate their meetings by QR code and a parent answers the final survey.
"""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pilotti.instruments.services import library_load
from tests.acceptance import steps
from tests.acceptance.conftest import OpenPage

pytestmark = [pytest.mark.acceptance, pytest.mark.browser]

PARENTS, YOUTH = "Neurokirjon lasten vanhemmat", "Itsenäistyvät nuoret ja perheet"
PLAN = steps.Plan(
    name="Ohjatut vertaistukiryhmät",
    slug="ohjatut-vertaistukiryhmat",
    description="Ammatillisesti ohjatut vertaistukiryhmät erityisen tuen asiakkaille ja heidän perheilleen.",
    status="ended",
    starts_on=date(2022, 1, 1),
    ends_on=date(2023, 5, 31),
    target_groups="Neurokirjon lasten vanhemmat; itsenäistyvät nuoret ja heidän perheensä.",
    frequency="every_n_weeks",
    duration=90,
    mode="in_person",
    roles=["health_care", "other", "interpreter"],
    interpreter_language="kommunikaatio-ohjaus / tulkkaus",
    measurement_plan="Strukturoidut alku- ja loppukartoitukset; 3X10D-elämäntilannemittari (Diak).",
    segments=[(PARENTS, 8), (YOUTH, 6)],
)
ROOM = steps.Venue("Essoten ryhmätila", municipality="Mikkeli")
BREAKS = "19.12.2022–8.1.2023\n27.2.2023–5.3.2023"  # Christmas and the ski week, as a coordinator types them
GROUPS = [
    steps.Unit(
        PARENTS,
        first=date(2022, 8, 31),
        at="17:00",
        rule="every_n_weeks",
        interval_weeks=2,
        until=date(2023, 5, 24),
        site=ROOM.name,
        breaks=BREAKS,
        capacity=8,
    ),
    steps.Unit(
        YOUTH,
        first=date(2022, 9, 1),
        at="17:00",
        rule="every_n_weeks",
        interval_weeks=2,
        until=date(2023, 5, 25),
        site=ROOM.name,
        breaks=BREAKS,
        capacity=8,
    ),
]
PEOPLE = [
    steps.Person(
        "Riikka Rautiainen",
        "040 500 0001",
        1985,
        "suomi",
        "social_services",
        date(2022, 8, 15),
        [("enrolled", date(2022, 8, 24)), ("started", date(2022, 8, 31))],
        unit=PARENTS,
        segment=PARENTS,
        consent_on=date(2022, 8, 24),
    ),
    steps.Person(
        "Pekka Pulkkinen",
        "040 500 0002",
        1980,
        "suomi",
        "ngo",
        date(2022, 8, 16),
        [("enrolled", date(2022, 8, 24)), ("started", date(2022, 8, 31))],
        unit=PARENTS,
        segment=PARENTS,
    ),
    steps.Person(
        "Niko Nieminen",
        "040 500 0003",
        2005,
        "suomi",
        "school",
        date(2022, 8, 18),
        [("enrolled", date(2022, 8, 25)), ("started", date(2022, 9, 1))],
        unit=YOUTH,
        segment=YOUTH,
    ),
]


def test_ohjatut_vertaistukiryhmat_runs_two_groups_over_a_school_year(open_page: OpenPage, tmp_path: Path) -> None:
    library_load()  # the shipped questionnaires, as `manage.py load_instruments` installs them
    staff = steps.start_organisation(
        "essote",
        "Etelä-Savon hyvinvointialue (Essote)",
        "wellbeing_county",
        "0204819-8",
        people="Anni Oinonen, Minna Ohjaaja, Arto Arvioija",
    )
    vaalijala = steps.other_organisation(
        "vaalijalan-kuntayhtyma", "Vaalijalan kuntayhtymä", "joint_authority", "0209602-6"
    )

    # 1. The planner sets up the pilot with Vaalijala and the two groups.
    coordinator = open_page("desktop")
    steps.sign_in(coordinator, staff.coordinator)
    programme = steps.create_programme(coordinator, PLAN)
    steps.add_partner(coordinator, programme, vaalijala)
    steps.add_site(coordinator, programme, ROOM)
    steps.plan_measurement(
        coordinator,
        programme,
        [
            ("3x10d", "intake", "participants"),
            ("3x10d", "end", "participants"),
            ("pilotti-meeting-rating", "every_meeting", "participants"),
            ("pilotti-final-survey", "end", "participants"),
        ],
    )
    groups = [steps.create_unit(coordinator, programme, g, staff.facilitator, "health_care") for g in GROUPS]
    days = [m.starts_at.date() for m in steps.meetings_of(groups[0])]
    assert days[0] == date(2022, 8, 31)
    assert date(2022, 12, 21) not in days  # Christmas break
    assert date(2023, 3, 1) not in days  # ski week
    assert days[-1] == date(2023, 5, 24)

    # 2. Families and young people come from social services, an NGO and school.
    people = steps.recruit(coordinator, programme, PEOPLE)
    expect(steps.open_funnel(coordinator, programme)).to_contain_text(YOUTH)
    for group in groups:
        steps.change_status(coordinator, group, "running", group.meetings.earliest("starts_at").starts_at.date())
    riikka, pekka = people["Riikka Rautiainen"], people["Pekka Pulkkinen"]

    # 3. The group's nurse takes the first roll call on her phone.
    nurse = open_page("phone")
    steps.sign_in(nurse, staff.facilitator)
    first = steps.meetings_of(groups[0])[0]
    steps.roll_call(nurse, first, {riikka: "present", pekka: "present"})

    # 4. The parents rate the meeting by QR code; a parent answers the final survey by link.
    panel = steps.open_client_panel(nurse, first)
    for rating in (8, 10):
        steps.answer_panel(open_page("phone"), panel, rating)
    url = steps.make_link(nurse, first, riikka, "pilotti-final-survey")
    steps.answer_link(
        open_page("phone"), url, steps.Answers({"benefit": 5, "drew_in": [3, 5]}), language="fi", heading="Loppukysely"
    )

    # 5. The evaluator's report and data.
    evaluator = open_page("desktop")
    steps.sign_in(evaluator, staff.evaluator)
    report = steps.open_report(evaluator, programme)
    expect(steps.figure(report, "flow-contacted")).to_have_text("3")
    expect(steps.figure(report, "flow-started")).to_have_text("3")
    expect(steps.figure(report, "attendance-rate")).to_contain_text("(2 / 2)")
    expect(steps.figure(report, "mean-pilotti-meeting-rating-rating")).to_contain_text("9,00")
    text = steps.download_pdf_text(evaluator, programme, tmp_path)
    assert PLAN.name in text
    data, _meta = steps.download_spss(evaluator, programme, tmp_path)
    assert sorted(data["instrument"]) == ["pilotti-final-survey", "pilotti-meeting-rating", "pilotti-meeting-rating"]
    assert riikka.code in set(data["participant_code"])
