"""Ikaalinen (seed 003, docs/seeds.md): reaching people isolated at home by the pandemic.

A practical nurse and a social counsellor reach people by outreach (about 40 contacted, 8
committed, 7 to the end in the pilot); day activity twice a week, 15.7.–15.11.2022, at a
homelike meeting place; a client panel rates every meeting 1–10; a final survey at the end.
Here the workers' outreach list comes in as a file, a client panel rates two meetings, and two
participants answer the final survey by personal link.
"""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pilotti.instruments.models import Mode, Response
from pilotti.instruments.services import library_load
from tests.acceptance import steps
from tests.acceptance.conftest import OpenPage

pytestmark = [pytest.mark.acceptance, pytest.mark.browser]

PLAN = steps.Plan(
    name="Ikaalinen: päivätoiminta",
    slug="ikaalinen-paivatoiminta",
    description="Kotiin vietävät ja matalan kynnyksen palvelut koronan vuoksi kotiinsa jääneille; päivätoiminta.",
    status="ended",
    starts_on=date(2022, 7, 15),
    ends_on=date(2022, 11, 15),
    target_groups="Koronan ja haastavan elämäntilanteen vuoksi palveluiden ulkopuolelle jääneet aikuiset.",
    frequency="weekdays",
    duration=180,
    mode="in_person",
    roles=["practical_nurse", "social_counsellor"],
    measurement_plan="Asiakasraati joka kerta 1–10; loppukysely asiakkaille.",
    segments=[("Kotiin jääneet aikuiset", 8)],
    topics=["Askartelu", "Leipominen", "Keskustelu", "Retki", "Tutustumiskäynti jatkopaikkaan"],
)
VENUE = steps.Venue(
    "Kodinomainen kohtaamispaikka", municipality="Ikaalinen", accessibility_notes="Esteetön sisäänkäynti."
)
DAY_ACTIVITY = steps.Unit(
    "Päivätoiminta",
    first=date(2022, 7, 19),
    at="10:00",
    rule="weekdays",
    weekdays=(1, 3),  # Tuesdays and Thursdays
    until=date(2022, 11, 15),
    site=VENUE.name,
    capacity=7,
    minimum_size=3,
    languages="suomi",
)


def outreach_row(number: int, stage: str, on: str, reason: str = "") -> dict[str, str]:
    return {
        "name": f"Asiakas {number}",
        "phone": f"040 100 00{number:02d}",
        "birth_year": str(1960 + number),
        "preferred_language": "suomi",
        "segment": "Kotiin jääneet aikuiset",
        "municipality": "Ikaalinen",
        "unit": DAY_ACTIVITY.name if stage == "started" else "",
        "referral_source": "outreach",
        "contacted_on": "4.7.2022",
        "stage": stage,
        "stage_date": on,
        "reason": reason,
    }


# Whom the workers reached: five started the day activity, one declined, one was not reached.
OUTREACH = [outreach_row(n, "started", "19.7.2022") for n in range(1, 6)] + [
    outreach_row(6, "declined", "11.7.2022", "Ei halua lähteä kotoa vielä."),
    outreach_row(7, "not_reached", "11.7.2022"),
]


def test_ikaalinen_runs_its_day_activity_from_outreach_to_report(open_page: OpenPage, tmp_path: Path) -> None:
    library_load()  # the shipped questionnaires, as `manage.py load_instruments` installs them
    staff = steps.start_organisation(
        "ikaalisten-kaupunki",
        "Ikaalisten kaupunki",
        "municipality",
        "0133226-9",
        people="Tanja Kotala, Pirkko Aalto-Teelmäki, Sonja Vuorela",
    )

    # 1. The project manager sets the pilot up.
    coordinator = open_page("desktop")
    steps.sign_in(coordinator, staff.coordinator)
    programme = steps.create_programme(coordinator, PLAN)
    steps.add_site(coordinator, programme, VENUE)
    steps.plan_measurement(
        coordinator,
        programme,
        [("pilotti-meeting-rating", "every_meeting", "participants"), ("pilotti-final-survey", "end", "participants")],
    )
    unit = steps.create_unit(coordinator, programme, DAY_ACTIVITY, staff.facilitator, "social_counsellor")
    meetings = steps.meetings_of(unit)
    assert len(meetings) == 35  # every Tuesday and Thursday 19.7.–15.11.2022; no public holiday falls on them

    # 2. Recruitment: the outreach list is imported; two of those who started give consent.
    people = steps.import_people(coordinator, programme, OUTREACH)
    funnel = steps.open_funnel(coordinator, programme)
    expect(funnel).to_contain_text("Kotiin jääneet aikuiset")
    first, second = people[0], people[1]
    for participant in (first, second):
        steps.record_consent(coordinator, participant, date(2022, 7, 19))
    steps.change_status(coordinator, unit, "running", date(2022, 7, 19))

    # 3. The social counsellor takes the first two roll calls on her phone.
    facilitator = open_page("phone")
    steps.sign_in(facilitator, staff.facilitator)
    started = people[:5]
    steps.roll_call(facilitator, meetings[0], {p: "present" for p in started})
    steps.roll_call(facilitator, meetings[1], {p: ("absent" if p == started[4] else "present") for p in started})

    # 4. The client panel rates the first meeting on the participants' own phones (9, 10, 8), and
    #    at the end two of them answer the final survey by personal link.
    panel = steps.open_client_panel(facilitator, meetings[0])
    for rating in (9, 10, 8):
        steps.answer_panel(open_page("phone"), panel, rating)
    for participant, benefit, drew_in in ((first, 5, [1, 2]), (second, 4, [2])):
        url = steps.make_link(facilitator, meetings[1], participant, "pilotti-final-survey")
        steps.answer_link(
            open_page("phone"),
            url,
            steps.Answers({"benefit": benefit, "drew_in": drew_in}, {"comments": "Tuli lähdettyä pois kotoa."}),
            language="fi",
            heading="Loppukysely",
        )
    assert Response.objects.filter(mode=Mode.CLIENT_PANEL, meeting=meetings[0]).count() == 3
    assert Response.objects.filter(mode=Mode.PERSONAL_LINK, submitted_at__isnull=False).count() == 2

    # 5. The evaluator reads the report and takes the data out.
    evaluator = open_page("desktop")
    steps.sign_in(evaluator, staff.evaluator)
    report = steps.open_report(evaluator, programme)
    expect(steps.figure(report, "flow-contacted")).to_have_text("7")
    expect(steps.figure(report, "flow-started")).to_have_text("5")
    expect(steps.figure(report, "attendance-rate")).to_contain_text("(9 / 10)")
    expect(steps.figure(report, "mean-pilotti-meeting-rating-rating")).to_contain_text("9,00")
    text = steps.download_pdf_text(evaluator, programme, tmp_path)
    assert PLAN.name in text
    assert steps.pdf_pages(text) >= 2
    data, meta = steps.download_spss(evaluator, programme, tmp_path)
    final = data[data["instrument"] == "pilotti-final-survey"]
    assert sorted(final["participant_code"]) == sorted([first.code, second.code])
    assert len(data[data["instrument"] == "pilotti-meeting-rating"]) == 3
    assert meta.column_names_to_labels["participant_code"] == "Pseudonymous participant code"
