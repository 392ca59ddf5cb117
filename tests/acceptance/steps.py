"""The steps every seed pilot goes through, as its people take them, through the pages alone.

Each step drives the browser the way a coordinator, a facilitator, a participant or an evaluator
would, checks every page it lands on with axe (and, on a phone, that nothing scrolls sideways),
and returns what the next step needs. The ORM is used only to set up the organisations and staff
accounts a pilot starts with (``start_organisation``), to find an option's value in a list, and
to read results back; everything the pilot itself does goes through the pages.
"""

import csv
import io
import re
import subprocess
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from uuid import UUID

import pyreadstat
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from conftest import PASSWORD, make_user
from pilotti.accounts.models import User
from pilotti.instruments.models import Instrument
from pilotti.instruments.selectors import current_version
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Organisation, Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.programmes.services import partner_invitation_accept
from pilotti.surveys import selectors as surveys_selectors
from pilotti.surveys.models import ClientPanel
from tests.browser import pages
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE

# --- Checking pages --------------------------------------------------------------------------


def check(page: Page) -> None:
    """Every page a step lands on: axe-clean, and on a phone no sideways scrolling."""
    page.wait_for_load_state()
    assert_accessible(page)
    if page.viewport_size == PHONE:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width} px)"


def submit(page: Page, form: str = "main form") -> None:
    """Clicks the last submit button of the form (the page's language switcher is not in <main>)."""
    page.locator(f"{form} button[type=submit]").last.click()
    page.wait_for_load_state()


def submit_confirming(page: Page, form: str = "main form") -> None:
    """Submits, and confirms a date Pilotti asks about (these pilots' days are years ago), as a
    coordinator entering an old spreadsheet's days would."""
    submit(page, form)
    confirm = page.locator(f"{form} [name='confirm'][type=checkbox]")
    if confirm.count():
        confirm.check()
        submit(page, form)


def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.locator(f"main [name='{name}']").fill(value)


def choose(page: Page, name: str, text: str) -> None:
    """Selects the option of a <select> whose label contains the text (labels add context, such
    as a site's municipality)."""
    select = page.locator(f"main [name='{name}']")
    value = select.locator("option", has_text=text).first.get_attribute("value")
    assert value, f"no option {text!r} in {name}"
    select.select_option(value)


def uuid_in(url: str) -> UUID:
    match = re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", url)
    assert match, f"no UUID in {url}"
    return UUID(match[0])


def expect_success(page: Page) -> None:
    expect(page.locator(".message--success").first).to_be_visible()
    check(page)


# --- The organisation and its staff (the only set-up through the ORM) ------------------------


@dataclass
class Staff:
    coordinator: User
    facilitator: User
    evaluator: User


def start_organisation(slug: str, name: str, kind: str, business_id: str, *, people: str) -> Staff:
    """An organisation on Pilotti with a coordinator, a facilitator and an evaluator, each with a
    password and a real TOTP authenticator, as an admin's invitations would leave them."""
    organisation = organisation_create(name=name, slug=slug, kind=kind, business_id=business_id)
    staff = {}
    for role, full_name in zip((Role.COORDINATOR, Role.FACILITATOR, Role.EVALUATOR), people.split(", "), strict=True):
        user = make_user(f"{role}@{slug}.example", full_name=full_name)
        membership_add(organisation=organisation, user=user, role=role)
        staff[role] = user
    return Staff(staff[Role.COORDINATOR], staff[Role.FACILITATOR], staff[Role.EVALUATOR])


def other_organisation(slug: str, name: str, kind: str, business_id: str) -> Organisation:
    """A partner or adopting organisation that already uses Pilotti."""
    return organisation_create(name=name, slug=slug, kind=kind, business_id=business_id)


def sign_in(page: Page, user: User) -> None:
    """Password, then the authenticator app's code, as staff sign in every day."""
    pages.sign_in(page, user.email, PASSWORD)
    pages.expect_at(page, "mfa_authenticate")
    page.locator("input[name=code]").fill(pages.totp_code(user.totp_secret))  # type: ignore[attr-defined]
    pages.submit(page, "code")
    pages.expect_at(page, "core:home")


# --- 1. The coordinator: programme, sites, measurement plan, units -----------------------------


@dataclass
class Plan:
    name: str
    slug: str  # the demo's slug: the name is chosen so that Pilotti derives it
    description: str
    status: str
    starts_on: date
    ends_on: date | None
    target_groups: str
    frequency: str
    duration: int
    mode: str
    roles: list[str]
    measurement_plan: str
    segments: list[tuple[str, int]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    meetings: tuple[int, int] | None = None
    interpreter_language: str = ""


def create_programme(page: Page, plan: Plan) -> Programme:
    page.goto(reverse("programmes:list"))
    check(page)
    page.locator(f"main a[href='{reverse('programmes:create')}']").click()
    check(page)
    fill(
        page,
        {
            "name": plan.name,
            "description": plan.description,
            "starts_on": plan.starts_on.isoformat(),
            "ends_on": plan.ends_on.isoformat() if plan.ends_on else "",
            "target_groups": plan.target_groups,
            "segments": "\n".join(f"{name}: {target}" for name, target in plan.segments),
            "duration_minutes": str(plan.duration),
            "topics": "\n".join(plan.topics),
            "interpreter_language": plan.interpreter_language,
            "measurement_plan": plan.measurement_plan,
        },
    )
    if plan.meetings:
        fill(page, {"meetings_min": str(plan.meetings[0]), "meetings_max": str(plan.meetings[1])})
    page.locator("main [name='status']").select_option(plan.status)
    page.locator("main [name='frequency']").select_option(plan.frequency)
    page.locator("main [name='mode']").select_option(plan.mode)
    for role in plan.roles:
        page.locator(f"main [name='facilitator_roles'][value='{role}']").check()
    submit(page)
    expect(page.locator("h1")).to_have_text(plan.name)
    expect_success(page)
    programme = Programme.objects.get(name=plan.name)
    assert programme.slug == plan.slug
    assert page.url.endswith(reverse("programmes:detail", args=[plan.slug]))
    assert [(s.name, s.target) for s in programme.segments.order_by("id")] == plan.segments
    return programme


def add_partner(page: Page, programme: Programme, partner: Organisation) -> None:
    """Invites a partner organisation by its business ID on the programme page; the partner's
    admin accepts (on their own page, whose browser-free tests are in programmes' tests)."""
    page.goto(reverse("programmes:detail", args=[programme.slug]))
    page.locator("main [name='partner-business_id']").fill(partner.business_id)
    submit(page, f"form[action='{reverse('programmes:partner_add', args=[programme.slug])}']")
    expect_success(page)
    expect(page.locator("#partner-invitations")).to_contain_text(partner.name)
    admin = make_user(f"admin@{partner.slug}.example", full_name=f"{partner.name} admin")
    membership_add(organisation=partner, user=admin, role=Role.ADMIN)
    invitation = programme.partner_invitations.get(organisation=partner, status="pending")
    partner_invitation_accept(actor=admin, invitation=invitation)
    page.reload()
    expect(page.locator("#partners-heading + ul")).to_contain_text(partner.name)


def add_adoption(page: Page, programme: Programme, adopter: Organisation, on: date) -> None:
    page.goto(reverse("programmes:detail", args=[programme.slug]))
    fill(page, {"adoption-business_id": adopter.business_id, "adoption-adopted_on": on.isoformat()})
    submit(page, f"form[action='{reverse('programmes:adoption_add', args=[programme.slug])}']")
    expect_success(page)


@dataclass
class Venue:
    name: str
    municipality: str = ""
    street_address: str = ""
    is_remote: bool = False
    accessibility_notes: str = ""


def add_site(page: Page, programme: Programme, venue: Venue) -> None:
    page.goto(reverse("programmes:detail", args=[programme.slug]))
    page.locator(f"main a[href='{reverse('programmes:site_create', args=[programme.slug])}']").click()
    check(page)
    fill(
        page,
        {
            "name": venue.name,
            "municipality": venue.municipality,
            "street_address": venue.street_address,
            "accessibility_notes": venue.accessibility_notes,
        },
    )
    if venue.is_remote:
        page.locator("main [name='is_remote']").check()
    submit(page)
    expect_success(page)
    expect(page.locator("main")).to_contain_text(venue.name)


def plan_measurement(page: Page, programme: Programme, entries: list[tuple[str, str, str]]) -> None:
    """The measurement plan: (instrument key, when, who answers) for each questionnaire."""
    page.goto(reverse("measurement:plan", args=[programme.slug]))
    check(page)
    for key, when, audience in entries:
        instrument = Instrument.objects.get(key=key, organisation__isnull=True)
        page.locator("main [name='instrument']").select_option(str(instrument.pk))
        page.locator("main [name='when']").select_option(when)
        page.locator("main [name='audience']").select_option(audience)
        if when == "every_meeting" and audience == "participants":
            page.locator("main [name='anonymous']").check()  # the client panel
        submit(page, "form.stack-form")
        # The plan names each questionnaire in the page's language.
        with translation.override(page.locator("html").get_attribute("lang")):
            expect(page.locator("main table")).to_contain_text(instrument.local_name)
        check(page)
    assert programme.plan_entries.count() == len(entries)


@dataclass
class Unit:
    name: str
    first: date
    at: str  # HH:MM
    rule: str = "weekly"
    count: int | None = None
    until: date | None = None
    weekdays: tuple[int, ...] = ()
    interval_weeks: int | None = None
    kind: str = "group"
    site: str = ""
    capacity: int | None = None
    minimum_size: int | None = None
    languages: str = ""
    interpreter_language: str = ""
    breaks: str = ""


def create_unit(page: Page, programme: Programme, unit: Unit, facilitator: User, role: str) -> DeliveryUnit:
    """A unit with its schedule generated from a rule: previewed, then saved; its facilitator named."""
    page.goto(reverse("programmes:detail", args=[programme.slug]))
    page.locator(f"main a[href='{reverse('meetings:unit_create', args=[programme.slug])}']").click()
    check(page)
    fill(
        page,
        {
            "name": unit.name,
            "first_date": unit.first.isoformat(),
            "start_time": unit.at,
            "count": str(unit.count or ""),
            "until": unit.until.isoformat() if unit.until else "",
            "languages": unit.languages,
            "interpreter_language": unit.interpreter_language,
            "capacity": str(unit.capacity or ""),
            "minimum_size": str(unit.minimum_size or ""),
            "breaks": unit.breaks,
        },
    )
    page.locator("main [name='kind']").select_option(unit.kind)
    if unit.site:
        choose(page, "site", unit.site)
    page.locator(f"main [name='rule'][value='{unit.rule}']").check()
    for day in unit.weekdays:
        page.locator(f"main [name='weekdays'][value='{day}']").check()
    if unit.interval_weeks:
        fill(page, {"interval_weeks": str(unit.interval_weeks)})
    # The htmx preview lists the meetings before anything is saved.
    page.locator("main button[name='action'][value='preview']").click()
    preview = page.locator("#schedule-preview")
    expect(preview.locator("h2")).to_be_visible()
    expect(preview).to_contain_text(f"{unit.first.day}.{unit.first.month}.{unit.first.year}")
    check(page)
    assert not DeliveryUnit.objects.filter(programme=programme, name=unit.name).exists()
    page.locator("main button[name='action'][value='save']").click()
    expect(page.locator("h1")).to_have_text(unit.name)
    expect_success(page)
    saved = DeliveryUnit.objects.get(programme=programme, name=unit.name)

    choose(page, "user", facilitator.full_name)
    page.locator("main [name='role']").select_option(role)
    submit(page, f"form[action='{reverse('programmes:facilitator_add', args=[saved.uuid])}']")
    expect_success(page)
    assert saved.facilitators.filter(user=facilitator, role=role).exists()
    return saved


def change_status(
    page: Page, unit: DeliveryUnit, status: str, on: date, reason: str = "", replacement: str = ""
) -> None:
    page.goto(reverse("programmes:unit_detail", args=[unit.uuid]))
    check(page)
    page.locator("main [name='status']").select_option(status)
    fill(page, {"on": on.isoformat(), "reason": reason})
    if replacement:
        choose(page, "replacement", replacement)
    submit(page, f"form[action='{reverse('meetings:unit_status', args=[unit.uuid])}']")
    expect_success(page)
    unit.refresh_from_db()
    assert unit.status == status


def meetings_of(unit: DeliveryUnit) -> list[Meeting]:
    return list(unit.meetings.order_by("starts_at"))


# --- 2. Recruitment: people, consent, the funnel ------------------------------------------------


@dataclass
class Person:
    """A participant as the coordinator knows them, and how their recruitment goes."""

    name: str
    phone: str
    birth_year: int
    language: str  # the preferred language as staff write it, e.g. "suomi", "arabia", "dari"
    referral: str
    contacted: date
    # (stage, date) after contacted, in order; e.g. [("enrolled", d), ("started", d)].
    steps: list[tuple[str, date]]
    unit: str = ""  # the unit's name, chosen at enrolment
    segment: str = ""
    gender: str = ""
    consent_on: date | None = None  # participation and evaluation consent, written
    reason: str = ""  # for an exit


def add_participant(page: Page, person: Person) -> Participant:
    page.goto(reverse("people:list"))
    check(page)
    page.locator(f"main a[href='{reverse('people:create')}']").first.click()
    check(page)
    fill(
        page,
        {
            "name": person.name,
            "phone": person.phone,
            "birth_year": str(person.birth_year),
            "preferred_language": person.language,
            "segment": person.segment,
        },
    )
    if person.gender:
        page.locator("main [name='gender']").select_option(person.gender)
    submit(page)
    expect_success(page)
    return Participant.objects.get(uuid=uuid_in(page.url))


def record_consent(page: Page, participant: Participant, on: date) -> None:
    """Participation and evaluation consent, given in writing on one form."""
    page.goto(reverse("people:detail", args=[participant.uuid]))
    page.locator(f"main a[href='{reverse('people:consent_add', args=[participant.uuid])}']").click()
    check(page)
    for purpose in ("participation", "evaluation"):
        page.locator(f"main [name='purposes'][value='{purpose}']").check()
    fill(page, {"given_on": on.isoformat()})
    page.locator("main [name='method'][value='written']").check()
    submit(page)
    expect_success(page)
    assert participant.consents.count() == 2


def enrol(page: Page, participant: Participant, programme: Programme, person: Person) -> None:
    """Enrols the person as contacted with their referral source, then moves them on step by step."""
    page.goto(reverse("people:detail", args=[participant.uuid]))
    page.locator(f"main a[href='{reverse('recruitment:participant_enrol', args=[participant.uuid])}']").click()
    check(page)
    page.locator(f"main a[href='?programme={programme.slug}']").click()
    check(page)
    if person.unit:
        choose(page, "unit", person.unit)
    page.locator("main [name='referral_source']").select_option(person.referral)
    if person.segment:
        page.locator("main [name='segment']").select_option(person.segment)
    fill(page, {"contacted_on": person.contacted.isoformat()})
    submit_confirming(page)
    expect_success(page)
    move = "main form[action$='/move/']"  # the enrolment's page also has the forms that correct it
    for stage, on in person.steps:
        page.locator(f"{move} [name='to']").select_option(stage)
        page.locator(f"{move} [name='on']").fill(on.isoformat())
        if person.reason and stage in ("declined", "not_reached", "dropped_out"):
            page.locator(f"{move} [name='reason']").fill(person.reason)
        submit_confirming(page, move)
        expect_success(page)
    enrolment = participant.enrolments.get(programme=programme)
    assert enrolment.referral_source == person.referral
    assert enrolment.stage == (person.steps[-1][0] if person.steps else "contacted")


def recruit(page: Page, programme: Programme, people: list[Person]) -> dict[str, Participant]:
    """Adds each person, records their consent where they gave it, and takes them through the funnel."""
    added = {}
    for person in people:
        participant = add_participant(page, person)
        if person.consent_on:
            record_consent(page, participant, person.consent_on)
        enrol(page, participant, programme, person)
        added[person.name] = participant
    return added


def import_people(page: Page, programme: Programme, rows: list[dict[str, str]]) -> list[Participant]:
    """Imports people from a CSV file, as exported from the spreadsheet the workers kept."""
    page.goto(reverse("recruitment:import"))
    check(page)
    columns = list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    choose(page, "programme", programme.name)
    page.locator("main [name='file']").set_input_files(
        files=[{"name": "tavoitetut.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode()}]
    )
    submit(page)
    expect(page).to_have_url(re.compile(re.escape(reverse("recruitment:programme_funnel", args=[programme.slug]))))
    expect_success(page)
    imported = list(Participant.objects.filter(enrolments__programme=programme).order_by("id"))
    assert len(imported) == len(rows)
    return imported


def open_funnel(page: Page, programme: Programme) -> Locator:
    page.goto(reverse("recruitment:programme_funnel", args=[programme.slug]))
    check(page)
    return page.locator("main")


# --- 3. The facilitator: roll calls and meetings held ------------------------------------------

TAPS = {"present": 1, "absent": 2, "excused": 3}


def roll_call(page: Page, meeting: Meeting, attendance: dict[Participant, str]) -> None:
    """On the phone: one tap per person for present, two for absent; then marks the meeting held."""
    page.goto(reverse("programmes:unit_detail", args=[meeting.unit.uuid]))
    check(page)
    # The meeting page asks for the client panel's count as it loads; the test database (SQLite
    # in memory, shared cache) refuses a second writer at once, so the taps wait for its answer.
    panel = reverse("surveys:panel", args=[meeting.uuid])
    with page.expect_response(lambda response: response.url.endswith(panel)):
        page.locator(f"main a[href='{reverse('meetings:detail', args=[meeting.uuid])}']").click()
    expect(page.locator(".roll-call__tap").first).to_be_visible()
    check(page)
    for participant, status in attendance.items():
        row = page.locator(f"#person-{participant.uuid}")
        for _tap in range(TAPS[status]):
            row.locator("button").click()
            expect(row).to_have_attribute("data-state", "saved")
        expect(row).to_have_class(re.compile(rf"\bis-{status}\b"))
    check(page)
    page.locator(f"form[action='{reverse('meetings:mark_held', args=[meeting.uuid])}'] button").click()
    expect_success(page)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    recorded = dict(meeting.attendances.values_list("participant_id", "status"))
    assert recorded == {p.pk: status for p, status in attendance.items()}


# --- 4. Participants answer: client panel QR and personal links ---------------------------------


def open_client_panel(page: Page, meeting: Meeting) -> str:
    """The facilitator opens the meeting's client panel and shows its QR code; returns its address."""
    panel = reverse("surveys:panel", args=[meeting.uuid])
    with page.expect_response(lambda response: response.url.endswith(panel)):  # as in roll_call
        page.goto(reverse("meetings:detail", args=[meeting.uuid]))
    page.locator(f"main a[href='{panel}']").first.click()
    check(page)
    submit(page, f"form[action='{reverse('surveys:panel_save', args=[meeting.uuid])}']")
    expect(page.locator("figure.qr img")).to_be_visible()
    check(page)
    return page.locator(".qr__url").inner_text()


def tile(page: Page, item: str, value: int) -> Locator:
    return page.locator(f"label.tile:has(input[name='q-{item}'][value='{value}'])")


def answer_panel(phone: Page, url: str, rating: int, *, language: str = "fi") -> None:
    """A participant scans the QR code with their own phone and rates the meeting.

    A panel takes answers only from an hour before its meeting to a week after (commit 28060de),
    and the pilots' meetings are years past: while the participant answers, the week after is
    stretched to reach today. (Moving the server's clock instead would also move the staff pages'
    polls, whose sessions would then be saved as expired years ago.)"""
    code = url.rstrip("/").rsplit("/", 1)[-1]
    meeting = ClientPanel.objects.select_related("meeting").get(code=code).meeting
    week_from_today = timezone.now() - meeting.starts_at + timedelta(days=7)
    with mock.patch.object(
        surveys_selectors, "PANEL_CLOSES_AFTER", max(surveys_selectors.PANEL_CLOSES_AFTER, week_from_today)
    ):
        phone.goto(url)
        expect(phone.locator("html")).to_have_attribute("lang", language)
        check(phone)
        tile(phone, "rating", rating).click()
        phone.locator("button[value=submit]").click()
        expect(phone.locator("input[name='q-rating']")).to_have_count(0)  # thanked; one answer per phone
        check(phone)


def make_link(page: Page, meeting: Meeting, participant: Participant, instrument_key: str) -> str:
    """The facilitator makes a personal questionnaire link after the meeting and shows it as a QR code."""
    page.goto(reverse("surveys:meeting_people", args=[meeting.uuid]))
    check(page)
    page.locator(f"main a[href='{reverse('surveys:link_new')}?participant={participant.uuid}']").click()
    check(page)
    version = current_version(Instrument.objects.get(key=instrument_key, organisation__isnull=True))
    page.locator("main [name='version']").select_option(str(version.uuid))
    page.locator("main [name='send_by'][value='']").check()
    submit(page)
    expect(page.locator("figure.qr img")).to_be_visible()
    check(page)
    return page.locator(".qr__url").inner_text()


@dataclass
class Answers:
    """What a participant picks: single choices and scales by value, multiple choices as lists, text."""

    choices: dict[str, int | list[int]]
    texts: dict[str, str] = field(default_factory=dict)


def answer_link(phone: Page, url: str, answers: Answers, *, language: str, heading: str) -> None:
    """A participant opens their personal link on their own phone, in their own language, and answers."""
    phone.goto(url)
    html = phone.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language in ("ar", "fa") else "ltr")
    expect(phone.locator("h1")).to_have_text(heading)
    check(phone)
    for item, chosen in answers.choices.items():
        for value in chosen if isinstance(chosen, list) else [chosen]:
            tile(phone, item, value).click()
    for item, text in answers.texts.items():
        phone.locator(f"textarea[name='q-{item}']").fill(text)
    phone.locator("button[value=submit]").click()
    expect(phone.locator("button[value=submit]")).to_have_count(0)
    check(phone)


# --- 5. The evaluator: report, PDF, SPSS ------------------------------------------------------


def open_report(page: Page, programme: Programme) -> Locator:
    page.goto(reverse("programmes:detail", args=[programme.slug]))
    check(page)
    page.locator(f"main a[href='{reverse('evaluation:programme_report', args=[programme.slug])}']").click()
    expect(page.locator("#recruitment-heading")).to_be_visible()
    check(page)
    return page.locator("main")


def figure(report: Locator, name: str) -> Locator:
    return report.locator(f"[data-figure='{name}']")


def download_pdf_text(page: Page, programme: Programme, tmp_path: Path) -> str:
    """Downloads the report's PDF and reads its text back with poppler's pdftotext."""
    with page.expect_download() as download:
        page.locator(
            f"main form[action^='{reverse('evaluation:programme_report_pdf', args=[programme.slug])}'] button"
        ).click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    done = subprocess.run(["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def pdf_pages(text: str) -> int:
    return text.count("\f")  # pdftotext ends every page with a form feed


def download_spss(page: Page, programme: Programme, tmp_path: Path) -> tuple[Any, Any]:
    """Downloads the SPSS file: Pilotti asks for the password again first, then returns to the
    report, where the button is pressed again. Returns pyreadstat's data frame and metadata."""
    export = reverse("evaluation:programme_export", args=[programme.slug, "sav"])
    button = page.locator(f"main form[action^='{export}'] button")
    button.click()
    expect(page.locator("input[name=password]")).to_be_visible()
    check(page)
    page.locator("input[name=password]").fill(PASSWORD)
    pages.submit(page, "password")
    # Back at the report's export buttons (a POST asks for the file): pressed again.
    expect(button).to_be_visible()
    with page.expect_download() as download:
        button.click()
    path = tmp_path / "export.sav"
    download.value.save_as(path)
    return pyreadstat.read_sav(str(path))
