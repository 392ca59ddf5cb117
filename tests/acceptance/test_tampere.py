"""Tampere (seed 004, docs/seeds.md): peer-support groups for expecting and small-child families.

Immigrant and Finnish families together, each group led by a public health nurse and a peer
instructor with an immigrant background; weekly for about seven weeks, 1.5 h; partners
Pakolaisapu and MLL. Tesoma's group (Westeri, from Tue 12.11.2019 15:00) was discontinued on
3.12.2019 for low attendance and replaced by a third Hervanta group from 29.1.2020, which met
six times. Targets: 20 Finnish families, 20 immigrant families, 10 public health nurses.
"""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pilotti.instruments.models import Response
from pilotti.instruments.services import library_load
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit
from tests.acceptance import staff_steps, steps
from tests.acceptance.conftest import OpenPage

pytestmark = [pytest.mark.acceptance, pytest.mark.browser]

FINNISH, IMMIGRANT = "Suomalaiset lapsiperheet", "Maahanmuuttajalapsiperheet"
PLAN = steps.Plan(
    name="Tampere: pikkulapsiperheet",
    slug="tampere-pikkulapsiperheet",
    description="Vertaistukiryhmät maahanmuuttajataustaisille ja suomalaisille lapsiperheille raskausajasta alkaen.",
    status="ended",
    starts_on=date(2019, 10, 30),
    ends_on=date(2020, 6, 30),
    target_groups="Odottavat ja pikkulapsiperheet, maahanmuuttajataustaiset ja suomalaiset yhdessä.",
    frequency="weekly",
    duration=90,
    mode="in_person",
    roles=["public_health_nurse", "peer_instructor"],
    measurement_plan="Asiakasraati joka kerta; loppukysely perheille.",
    segments=[(FINNISH, 20), (IMMIGRANT, 20)],  # the ten public health nurses are staff: a staff target
    topics=["Raskausaika", "Odottavan äidin terveys", "Synnytys", "Vauvan hoito"],
    meetings=(7, 7),
)
WESTERI = steps.Venue("Westeri", municipality="Tampere (Tesoma)")
NAISTARI = steps.Venue("Naistari", municipality="Tampere (Hervanta)", accessibility_notes="Tilaa lastenvaunuille.")
TESOMA = steps.Unit("Tesoma: Westeri", first=date(2019, 11, 12), at="15:00", count=7, site=WESTERI.name)
HERVANTA = steps.Unit("Hervanta: kolmas ryhmä", first=date(2020, 1, 29), at="15:30", count=6, site=NAISTARI.name)
CONSENT = date(2020, 1, 22)
KASVOKKAIN = "Kasvokkain-ohjaajakoulutus"
FAMILIES = [
    steps.Person(
        "Maryam Ahmadi",
        "040 200 0001",
        1992,
        "dari",
        "child_health_clinic",
        date(2020, 1, 8),
        [("interested", date(2020, 1, 10)), ("enrolled", date(2020, 1, 22)), ("started", date(2020, 1, 29))],
        unit=HERVANTA.name,
        segment=IMMIGRANT,
        gender="female",
        consent_on=CONSENT,
    ),
    steps.Person(
        "Laura Virtanen",
        "040 200 0002",
        1990,
        "suomi",
        "child_health_clinic",
        date(2020, 1, 9),
        [("enrolled", date(2020, 1, 22)), ("started", date(2020, 1, 29))],
        unit=HERVANTA.name,
        segment=FINNISH,
        gender="female",
        consent_on=CONSENT,
    ),
    steps.Person(
        "Amina Yusuf",
        "040 200 0003",
        1995,
        "somali",
        "ngo",
        date(2020, 1, 13),
        [("declined", date(2020, 1, 20))],
        segment=IMMIGRANT,
        reason="Ryhmän aika ei sovi.",
    ),
]


def test_tampere_replaces_a_discontinued_group_and_reports_in_persian_too(open_page: OpenPage, tmp_path: Path) -> None:
    library_load()  # the shipped questionnaires, as `manage.py load_instruments` installs them
    staff = steps.start_organisation(
        "tampereen-kaupunki",
        "Tampereen kaupunki",
        "municipality",
        "0211675-2",
        people="Tiina Hankekoordinaattori, Hanna Terveydenhoitaja, Eveliina Arvioija",
    )
    refugee_aid = steps.other_organisation("pakolaisapu", "Suomen Pakolaisapu ry", "ngo", "0216863-2")
    mll = steps.other_organisation("mll", "Mannerheimin Lastensuojeluliitto ry", "ngo", "0185547-3")

    # 1. The project coordinator plans the groups with the partners.
    coordinator = open_page("desktop")
    steps.sign_in(coordinator, staff.coordinator)
    programme = steps.create_programme(coordinator, PLAN)
    steps.add_partner(coordinator, programme, refugee_aid)
    steps.add_partner(coordinator, programme, mll)
    for venue in (WESTERI, NAISTARI):
        steps.add_site(coordinator, programme, venue)
    steps.plan_measurement(
        coordinator,
        programme,
        [("pilotti-meeting-rating", "every_meeting", "participants"), ("pilotti-final-survey", "end", "participants")],
    )
    tesoma = steps.create_unit(coordinator, programme, TESOMA, staff.facilitator, "public_health_nurse")
    hervanta = steps.create_unit(coordinator, programme, HERVANTA, staff.facilitator, "public_health_nurse")
    assert [m.starts_at.date() for m in steps.meetings_of(tesoma)][:4] == [
        date(2019, 11, 12),
        date(2019, 11, 19),
        date(2019, 11, 26),
        date(2019, 12, 3),
    ]
    assert len(steps.meetings_of(hervanta)) == 6

    # Too few came to Tesoma: the group is discontinued on 3.12.2019 and Hervanta's third replaces it.
    steps.change_status(coordinator, tesoma, "running", date(2019, 11, 12))
    steps.change_status(
        coordinator, tesoma, "discontinued", date(2019, 12, 3), "Vähäinen osallistujamäärä.", HERVANTA.name
    )
    tesoma.refresh_from_db()
    assert tesoma.replacement == hervanta
    expect(coordinator.locator("main")).to_contain_text(HERVANTA.name)  # "Replaced by" on the unit page

    # The nurses and peer instructors who lead the groups are staff trained in Pakolaisapu's
    # Kasvokkain method, with a target of ten nurses: on the roster, never among the participants.
    staff_steps.add_training(coordinator, programme, KASVOKKAIN, "Suomen Pakolaisapu ry")
    staff_steps.set_staff_target(coordinator, programme, "public_health_nurse", 10)
    for name, role in (("Hanna Terveydenhoitaja", "public_health_nurse"), ("Fatima Hassan", "peer_instructor")):
        member = staff_steps.add_staff_member(coordinator, programme, name, role, [HERVANTA.name])
        staff_steps.record_training(coordinator, member, KASVOKKAIN, date(2019, 10, 8), "Pakolaisavun kouluttaja")
    roster = staff_steps.open_roster(coordinator, programme)
    expect(roster.locator("tr[data-role='public_health_nurse']")).to_contain_text("10")
    coordinator.goto(reverse("staff:unit", args=[tesoma.uuid]))
    expect(coordinator.locator("main .message--warning")).to_be_visible()  # nobody trained in Tesoma
    coordinator.goto(reverse("staff:unit", args=[hervanta.uuid]))
    steps.check(coordinator)
    expect(coordinator.locator("main .message--warning")).to_have_count(0)  # a trained nurse and peer instructor

    # 2. Families referred by child health clinics and an NGO join the new group.
    families = steps.recruit(coordinator, programme, FAMILIES)
    funnel = steps.open_funnel(coordinator, programme)
    expect(funnel).to_contain_text(IMMIGRANT)
    steps.change_status(coordinator, hervanta, "running", date(2020, 1, 29))

    # 3. The public health nurse takes the first two roll calls of the new group on her phone.
    maryam, laura = families["Maryam Ahmadi"], families["Laura Virtanen"]
    nurse = open_page("phone")
    steps.sign_in(nurse, staff.facilitator)
    meetings = steps.meetings_of(hervanta)
    steps.roll_call(nurse, meetings[0], {maryam: "present", laura: "present"})
    steps.roll_call(nurse, meetings[1], {maryam: "present", laura: "absent"})

    # 4. The families answer: the client panel of the first meeting by QR code, and the final
    #    survey by personal link, Maryam's in Dari/Persian (right to left).
    panel = steps.open_client_panel(nurse, meetings[0])
    for rating in (10, 9):
        steps.answer_panel(open_page("phone"), panel, rating)
    url = steps.make_link(nurse, meetings[1], maryam, "pilotti-final-survey")
    steps.answer_link(
        open_page("phone"),
        url,
        steps.Answers({"benefit": 5, "drew_in": [3]}, {"comments": "گروه خیلی خوب بود."}),
        language="fa",
        heading="پرسشنامهٔ پایانی",
    )
    url = steps.make_link(nurse, meetings[1], laura, "pilotti-final-survey")
    steps.answer_link(open_page("phone"), url, steps.Answers({"benefit": 4}), language="fi", heading="Loppukysely")
    persian = Response.objects.get(participant=maryam)
    assert persian.language == "fa"
    assert persian.answers.get(item__key="benefit").value == 5

    # 5. The evaluator's report: the funnel, the discontinued group, the answers.
    evaluator = open_page("desktop")
    steps.sign_in(evaluator, staff.evaluator)
    report = steps.open_report(evaluator, programme)
    expect(steps.figure(report, "flow-contacted")).to_have_text("3")  # the families only: no staff member among them
    expect(steps.figure(report, "flow-started")).to_have_text("2")
    expect(steps.figure(report, "attendance-rate")).to_contain_text("(3 / 4)")
    text = steps.download_pdf_text(evaluator, programme, tmp_path)
    assert PLAN.name in text
    assert steps.pdf_pages(text) >= 2
    data, _meta = steps.download_spss(evaluator, programme, tmp_path)
    final = data[data["instrument"] == "pilotti-final-survey"]
    assert sorted(final["participant_code"]) == sorted([maryam.code, laura.code])
    assert DeliveryUnit.objects.get(pk=tesoma.pk).status == "discontinued"
    assert not Participant.objects.filter(segment__icontains="terveydenhoitaj").exists()
