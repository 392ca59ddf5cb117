"""Valoa arkeen (seed 000, docs/seeds.md): remote parenting support in North Savo.

Parents of small children under strain meet a multiprofessional worker pair (social and health
care) remotely, 12 or 13 times, once a week for three months, 1.5 h each; child health clinics
refer the families. Here two parents each get their own remote track; the strain factors are
mapped at intake and the final survey is answered at the end, by personal links.
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

PARENTS = "Pienten lasten vanhemmat"
PLAN = steps.Plan(
    name="Valoa arkeen",
    slug="valoa-arkeen",
    description="Vanhemmuuden tuen etäinterventio pienten lasten vanhemmille; toteutetaan neuvoloiden kanssa.",
    status="ended",
    starts_on=date(2022, 9, 1),
    ends_on=date(2022, 12, 31),
    target_groups="Pienten lasten vanhemmat, yksin tai yhdessä puolison kanssa; ohjaus neuvoloista.",
    frequency="weekly",
    duration=90,
    mode="remote",
    roles=["social_care", "health_care"],
    measurement_plan="Kuormitustekijät alussa, loppukysely ja vanhempien haastattelut lopussa.",
    segments=[(PARENTS, 10)],
    meetings=(12, 13),
)
REMOTE = steps.Venue("Etäyhteys", is_remote=True)
TRACKS = [
    steps.Unit(
        "Perhepolku VA-01", first=date(2022, 9, 6), at="10:00", count=12, kind="household_track", site=REMOTE.name
    ),
    steps.Unit(
        "Perhepolku VA-02", first=date(2022, 9, 14), at="13:00", count=13, kind="household_track", site=REMOTE.name
    ),
]
PEOPLE = [
    steps.Person(
        "Sanna Savolainen",
        "040 300 0001",
        1991,
        "suomi",
        "child_health_clinic",
        date(2022, 8, 22),
        [("interested", date(2022, 8, 24)), ("enrolled", date(2022, 8, 31)), ("started", date(2022, 9, 6))],
        unit=TRACKS[0].name,
        segment=PARENTS,
        consent_on=date(2022, 8, 31),
    ),
    steps.Person(
        "Mikko Kuosmanen",
        "040 300 0002",
        1988,
        "suomi",
        "child_health_clinic",
        date(2022, 8, 29),
        [("enrolled", date(2022, 9, 7)), ("started", date(2022, 9, 14))],
        unit=TRACKS[1].name,
        segment=PARENTS,
        consent_on=date(2022, 9, 7),
    ),
    steps.Person(
        "Jenni Heikkinen",
        "040 300 0003",
        1994,
        "suomi",
        "child_health_clinic",
        date(2022, 8, 30),
        [("not_reached", date(2022, 9, 9))],
        segment=PARENTS,
    ),
]


def test_valoa_arkeen_runs_remote_family_tracks_from_clinic_referral_to_report(
    open_page: OpenPage, tmp_path: Path
) -> None:
    library_load()  # the shipped questionnaires, as `manage.py load_instruments` installs them
    staff = steps.start_organisation(
        "pohjois-savon-hyvinvointialue",
        "Pohjois-Savon hyvinvointialue",
        "wellbeing_county",
        "0177736-4",
        people="Kaisa Koordinaattori, Veera Sosiaaliohjaaja, Eero Arvioija",
    )

    # 1. The coordinator sets up the remote model and one track per family.
    coordinator = open_page("desktop")
    steps.sign_in(coordinator, staff.coordinator)
    programme = steps.create_programme(coordinator, PLAN)
    steps.add_site(coordinator, programme, REMOTE)
    steps.plan_measurement(
        coordinator,
        programme,
        [("pilotti-strain-factors", "intake", "parents"), ("pilotti-final-survey", "end", "participants")],
    )
    tracks = [steps.create_unit(coordinator, programme, t, staff.facilitator, "social_care") for t in TRACKS]
    assert [len(steps.meetings_of(t)) for t in tracks] == [12, 13]

    # 2. Child health clinics refer the parents; two start, one is not reached.
    parents = steps.recruit(coordinator, programme, PEOPLE)
    expect(steps.open_funnel(coordinator, programme)).to_contain_text(PARENTS)
    for track in tracks:
        steps.change_status(coordinator, track, "running", track.meetings.earliest("starts_at").starts_at.date())
    sanna, mikko = parents["Sanna Savolainen"], parents["Mikko Kuosmanen"]

    # 3. The social care worker marks the first remote meetings held, on her phone.
    worker = open_page("phone")
    steps.sign_in(worker, staff.facilitator)
    first_track, second_track = (steps.meetings_of(t) for t in tracks)
    steps.roll_call(worker, first_track[0], {sanna: "present"})
    steps.roll_call(worker, first_track[1], {sanna: "present"})
    steps.roll_call(worker, second_track[0], {mikko: "present"})
    steps.roll_call(worker, second_track[1], {mikko: "excused"})

    # 4. The parents answer on their phones: the strain factors and the final survey by personal
    #    link, and the meeting's rating by the client-panel QR code shown on the video call.
    url = steps.make_link(worker, first_track[0], sanna, "pilotti-strain-factors")
    steps.answer_link(
        open_page("phone"),
        url,
        steps.Answers({"factors": [1, 3]}, {"other": "Vauva heräilee öisin."}),
        language="fi",
        heading="Mikä sinua kuormittaa?",
    )
    url = steps.make_link(worker, second_track[1], mikko, "pilotti-final-survey")
    steps.answer_link(open_page("phone"), url, steps.Answers({"benefit": 5}), language="fi", heading="Loppukysely")
    panel = steps.open_client_panel(worker, first_track[1])
    steps.answer_panel(open_page("phone"), panel, 10)
    strain = Response.objects.get(participant=sanna)
    assert sorted(strain.answers.get(item__key="factors").choices.values_list("value", flat=True)) == [1, 3]

    # 5. The evaluator's report.
    evaluator = open_page("desktop")
    steps.sign_in(evaluator, staff.evaluator)
    report = steps.open_report(evaluator, programme)
    expect(steps.figure(report, "flow-contacted")).to_have_text("3")
    expect(steps.figure(report, "flow-started")).to_have_text("2")
    expect(steps.figure(report, "attendance-rate")).to_contain_text("(3 / 4)")
    text = steps.download_pdf_text(evaluator, programme, tmp_path)
    assert PLAN.name in text
    data, _meta = steps.download_spss(evaluator, programme, tmp_path)
    assert sorted(data["instrument"]) == ["pilotti-final-survey", "pilotti-meeting-rating", "pilotti-strain-factors"]
    assert set(data["participant_code"]) == {sanna.code, mikko.code, ""}  # the panel's answer is anonymous
