"""The screenshots of the illustrated guide (docs/guide/), taken by tests so that the guide never drifts.

Each test plays one role on the demo data (``manage.py load_demo``) at the role's real screen size
(the facilitator on a phone, everyone else on a desktop), walks the pages its guide describes,
checks each with axe and photographs it. The shots go to ``docs/guide/img/`` only when
PILOTTI_GUIDE_DIR names that directory (``make guide``); in the ordinary suite they go to pytest's
temporary directory, so a test run never rewrites the repository.

``SHOTS`` is the contract with the guide: tests/test_guide_docs.py checks that the guide's pages
reference exactly these images and that each exists, and each test here checks that it took
exactly its role's shots.
"""

import io
import os
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import FloatRect, Locator, Page, expect

from pilotti.core.zone import HELSINKI
from pilotti.meetings.models import Meeting
from pilotti.organisations.demo import DEMO_PASSWORD
from pilotti.organisations.models import Organisation
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit
from pilotti.recruitment.models import Enrolment
from tests.browser.axe import assert_accessible
from tests.browser.pages import submit

GUIDE_DIR_VARIABLE = "PILOTTI_GUIDE_DIR"
MARGIN = 8  # px of page around a photographed part

# One tuple per role, in the order the test takes them (and the guide shows them).
SHOTS: dict[str, tuple[str, ...]] = {
    "coordinator": (
        "coordinator-programmes",
        "coordinator-new-programme",
        "coordinator-programme",
        "coordinator-new-unit",
        "coordinator-unit",
        "coordinator-participants",
        "coordinator-import",
        "coordinator-funnel",
        "coordinator-consent",
        "coordinator-rights",
        "coordinator-erase",
        "coordinator-measurement-plan",
        "coordinator-client-panel",
        "coordinator-language-warning",
        "coordinator-personal-link",
    ),
    # The coordinator's "Correcting mistakes" (coordinator.md, section 10), on the demo data.
    "corrections": (
        "coordinator-correct-step",
        "coordinator-move-warning",
        "coordinator-schedule-change",
        "coordinator-consent-purposes",
        "coordinator-archive",
    ),
    "facilitator": (
        "facilitator-my-meetings",
        "facilitator-roll-call",
        "facilitator-held",
        "facilitator-reminders",
        "facilitator-paper",
    ),
    "evaluator": (
        "evaluator-report",
        "evaluator-summary",
        "evaluator-feedback",
        "evaluator-shared-view",
        "evaluator-exports",
        "evaluator-reauthenticate",
    ),
    "admin": (
        "admin-members",
        "admin-invitation",
        "admin-data-protection",
        "admin-two-factor",
        "admin-sessions",
    ),
}


class Camera:
    """Photographs pages for one role's guide, each after an axe check, and remembers what it took."""

    def __init__(self, page: Page, role: str, directory: Path) -> None:
        self.page = page
        self.role = role
        self.directory = directory
        self.taken: list[str] = []

    def shoot(self, name: str, *parts: Locator) -> None:
        """Saves the viewport, or the smallest area that holds all of ``parts`` (a long page in
        full would be a large image that shows the reader less)."""
        assert name in SHOTS[self.role], f"{name} is not one of the {self.role} guide's shots"
        assert name not in self.taken, f"{name} was taken twice"
        assert_accessible(self.page)
        if parts:
            parts[0].scroll_into_view_if_needed()
            boxes = [box for box in (part.bounding_box() for part in parts) if box is not None]
            assert len(boxes) == len(parts), f"{name}: a part to photograph is not on the page"
            scroll = self.page.evaluate("() => [window.scrollX, window.scrollY]")
            left = min(b["x"] for b in boxes) - MARGIN
            top = min(b["y"] for b in boxes) - MARGIN
            clip: FloatRect = {
                "x": max(0, left + scroll[0]),
                "y": max(0, top + scroll[1]),
                "width": max(b["x"] + b["width"] for b in boxes) + MARGIN - left,
                "height": max(b["y"] + b["height"] for b in boxes) + MARGIN - top,
            }
            png = self.page.screenshot(clip=clip, full_page=True, animations="disabled", caret="hide")
        else:
            png = self.page.screenshot(animations="disabled", caret="hide")
        _save_small(png, self.directory / f"{name}.png")
        self.taken.append(name)

    def check_all_taken(self) -> None:
        assert self.taken == list(SHOTS[self.role]), f"the {self.role} guide's shots were not all taken, in order"


def _save_small(png: bytes, path: Path) -> None:
    """Saves a screenshot with a palette of 128 colours, a third of its size and as legible:
    pages are flat colours and text, and the images live in the repository."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


@pytest.fixture
def shots_dir(tmp_path: Path) -> Path:
    directory = Path(os.environ[GUIDE_DIR_VARIABLE]) if os.environ.get(GUIDE_DIR_VARIABLE) else tmp_path
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("load_demo", stdout=io.StringIO())


def sign_in_in_english(page: Page, role: str) -> None:
    """Chooses English on the sign-in page, as a reader of this English guide would, and signs in."""
    page.goto(reverse("account_login"))
    page.select_option("#language-switch", "en")
    page.locator("form:has(#language-switch) button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("input[name=login]").fill(f"{role}@example.org")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    submit(page, "password")
    expect(page.locator("h1")).to_have_text(re.compile(r"^Welcome, "))


def open_menu(page: Page) -> None:
    """On a phone the navigation and the organisation choice are behind the menu button."""
    # Until the stylesheet has loaded the button shows on every screen; asked then, a desktop
    # page would click a button its stylesheet hides a moment later.
    page.wait_for_load_state()
    button = page.locator(".site-menu__button")
    if button.is_visible() and page.locator(".site-menu:not([open])").count():
        button.click()


def switch_organisation(page: Page, slug: str) -> None:
    organisation = Organisation.objects.get(slug=slug)
    open_menu(page)
    page.select_option("#org-switch", str(organisation.uuid))
    page.locator("form:has(#org-switch) button[type=submit]").click()
    expect(page.locator("#org-switch option:checked")).to_have_text(re.compile(re.escape(organisation.name)))


def nav(page: Page, label: str) -> None:
    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()


def test_coordinator_guide(desktop: Page, demo: None, shots_dir: Path) -> None:
    camera = Camera(desktop, "coordinator", shots_dir)
    page = desktop
    sign_in_in_english(page, "coordinator")
    switch_organisation(page, "tampereen-kaupunki")

    nav(page, "Programmes")
    expect(page.get_by_role("link", name="New programme")).to_be_visible()
    camera.shoot("coordinator-programmes")

    page.get_by_role("link", name="New programme").click()
    expect(page.locator("h1")).to_have_text("New programme")
    camera.shoot("coordinator-new-programme")

    page.goto(reverse("programmes:detail", args=["tampere-pikkulapsiperheet"]))
    expect(page.get_by_role("heading", name="Recruitment targets")).to_be_visible()
    camera.shoot("coordinator-programme")

    page.get_by_role("link", name="New unit").click()
    page.get_by_label("Name").fill("Hervanta: kevätryhmä")
    # Three weeks before Epiphany next winter, so that the preview shows a holiday skipped.
    epiphany = date(timezone.localdate().year + 1, 1, 6)
    page.get_by_label("First meeting").fill((epiphany - timedelta(weeks=3)).isoformat())
    page.get_by_label("Starts at").fill("15:30")
    page.get_by_label("Number of meetings").fill("7")
    page.get_by_role("button", name="Preview schedule").click()
    expect(page.locator("#schedule-preview h2")).to_have_text("7 meetings")
    schedule = page.locator("fieldset", has=page.locator("legend", has_text="Schedule"))
    camera.shoot("coordinator-new-unit", schedule, page.locator("#schedule-preview"))

    # The group Tampere stopped for low attendance, and the one that replaced it.
    page.goto(reverse("programmes:unit_detail", args=[_unit("Tesoma: Westeri").uuid]))
    expect(page.get_by_text("Replaced by")).to_be_visible()
    camera.shoot("coordinator-unit")

    nav(page, "Participants")
    for label in ("New participant", "New household", "Import from a file"):
        expect(page.get_by_role("link", name=label)).to_be_visible()
    camera.shoot("coordinator-participants")

    page.get_by_role("link", name="Import from a file").click()
    expect(page.get_by_role("button", name="Check and import")).to_be_visible()
    camera.shoot("coordinator-import")

    page.goto(reverse("recruitment:programme_funnel", args=["tampere-pikkulapsiperheet"]))
    expect(page.get_by_role("heading", name="Progress against the targets")).to_be_visible()
    camera.shoot("coordinator-funnel")

    person = _tampere_parent()
    page.goto(reverse("people:detail", args=[person.uuid]))
    consents = page.locator("section", has=page.get_by_role("heading", name="Consents", exact=True))
    expect(consents.get_by_role("link", name="Record consent")).to_be_visible()
    consents.scroll_into_view_if_needed()
    camera.shoot("coordinator-consent", consents)

    rights = page.locator("section", has=page.get_by_role("heading", name="The person's rights"))
    expect(rights.get_by_role("link", name="Erase personal data")).to_be_visible()
    camera.shoot("coordinator-rights", rights)

    rights.get_by_role("link", name="Erase personal data").click()
    expect(page.locator("h1")).to_contain_text("Erase personal data")
    camera.shoot("coordinator-erase")

    # Ikaalinen's day activity: the client panel rated every meeting.
    switch_organisation(page, "ikaalisten-kaupunki")
    page.goto(reverse("measurement:plan", args=["ikaalinen-paivatoiminta"]))
    expect(page.get_by_role("button", name="Add")).to_be_visible()
    camera.shoot("coordinator-measurement-plan")

    meeting = _unit("Päivätoiminta").meetings.filter(status=Meeting.Status.HELD).order_by("starts_at").last()
    assert meeting is not None
    page.goto(reverse("meetings:detail", args=[meeting.uuid]))
    page.get_by_role("link", name="Client panel and QR code").click()
    choose_questionnaire(page, "Meeting rating 1–10 (client panel)")
    page.get_by_role("button", name="Open the client panel").click()
    expect(page.locator("figure.qr img")).to_be_visible()
    camera.shoot("coordinator-client-panel")

    # Valoa arkeen: a family's WHO-5 link, from the page of their first remote meeting.
    switch_organisation(page, "pohjois-savon-hyvinvointialue")
    first = _unit("Perhepolku VA-01").meetings.order_by("starts_at").first()
    assert first is not None
    page.goto(reverse("meetings:detail", args=[first.uuid]))
    page.get_by_role("link", name="Links and paper forms").click()
    page.locator(".survey-person").first.get_by_role("link", name="New link").click()
    choose_questionnaire(page, "WHO-5 Well-Being Index")
    page.get_by_role("button", name="Make the link").click()
    # The library's WHO-5 is in English only and the family speaks Finnish: Pilotti says so before
    # making the link, and the coordinator goes on knowingly (a paper form is the other way).
    expect(page.locator(".field-error", has_text="has wording in English, not in")).to_be_visible()
    camera.shoot("coordinator-language-warning")
    page.get_by_label("Make it anyway").check()
    page.get_by_role("button", name="Make the link").click()
    expect(page.locator("figure.qr img")).to_be_visible()
    camera.shoot("coordinator-personal-link")

    camera.check_all_taken()


def test_corrections_guide(desktop: Page, demo: None, shots_dir: Path) -> None:
    """Section 10 of the coordinator's guide: a step corrected, a meeting moved onto another, a
    schedule changed, consent for several purposes, an ended unit archived."""
    camera = Camera(desktop, "corrections", shots_dir)
    page = desktop
    sign_in_in_english(page, "coordinator")
    switch_organisation(page, "tampereen-kaupunki")

    enrolment = Enrolment.objects.filter(organisation__slug="tampereen-kaupunki").order_by("pk").first()
    assert enrolment is not None
    page.goto(reverse("recruitment:enrolment_detail", args=[enrolment.uuid]))
    correction = page.locator("section[aria-labelledby=correct-heading]")
    expect(correction.get_by_role("button", name="Save the correction")).to_be_visible()
    camera.shoot("coordinator-correct-step", correction)

    unit = _unit_with_coming_meetings()
    if unit.organisation.slug != "tampereen-kaupunki":
        switch_organisation(page, unit.organisation.slug)
    first, second = unit.meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=_tomorrow()).order_by(
        "starts_at"
    )[:2]
    page.goto(reverse("meetings:move", args=[first.uuid]))
    page.get_by_label("Date").fill(second.starts_at.astimezone(HELSINKI).date().isoformat())
    page.get_by_role("button", name="Move the meeting").click()
    expect(page.get_by_label("Keep this time anyway")).to_be_visible()
    camera.shoot("coordinator-move-warning", page.locator("main h1"), page.locator("main form"))

    page.goto(reverse("meetings:unit_schedule", args=[unit.uuid]))
    page.get_by_label("First meeting").fill(first.starts_at.astimezone(HELSINKI).date().isoformat())
    page.get_by_label("Number of meetings").fill("3")
    page.get_by_role("button", name="Preview the change").click()
    expect(page.locator("#change-heading")).to_have_text("What changes")
    camera.shoot("coordinator-schedule-change", page.locator("#schedule-change"))

    switch_organisation(page, "tampereen-kaupunki")
    person = _tampere_parent()
    person.consents.all().delete()  # as if her consents were yet to be recorded
    page.goto(reverse("people:consent_add", args=[person.uuid]))
    page.get_by_label("taking part").check()
    page.get_by_label("use of answers for evaluation").check()
    camera.shoot("coordinator-consent-purposes", page.locator("main h1"), page.locator("main form"))

    # The Tesoma group was discontinued and replaced: once its people have moved on, it is archived.
    page.goto(reverse("programmes:unit_detail", args=[_unit("Tesoma: Westeri").uuid]))
    page.get_by_role("link", name="Archive the unit").click()
    page.get_by_label("Why").fill("Replaced by the Hervanta group; kept for the report.")
    camera.shoot("coordinator-archive", page.locator("main .narrow-wide"))
    page.get_by_role("button", name="Archive", exact=True).click()
    expect(page.get_by_role("button", name="Restore from the archive")).to_be_visible()

    camera.check_all_taken()


def _tomorrow() -> datetime:
    return timezone.now() + timedelta(days=1)


def _unit_with_coming_meetings() -> DeliveryUnit:
    """A running unit of the demo with two meetings still to come (whichever day the demo was loaded)."""
    for unit in DeliveryUnit.objects.order_by("organisation__slug", "name"):
        if not unit.is_closed and unit.meetings.filter(status="scheduled", starts_at__gt=_tomorrow()).count() >= 2:
            return unit
    raise AssertionError("the demo has no unit with two meetings to come")


def _unit(name: str) -> DeliveryUnit:
    return DeliveryUnit.objects.get(name=name)


def _tampere_parent() -> Participant:
    """A parent of the Tampere groups (the first by code), with her consents and her household's enrolment."""
    person = Participant.objects.filter(organisation__slug="tampereen-kaupunki").order_by("code").first()
    assert person is not None
    return person


def choose_questionnaire(page: Page, name: str) -> None:
    """Picks a questionnaire by its name: the picker adds the languages it can be answered in."""
    picker = page.get_by_label("Questionnaire")
    value = picker.locator("option", has_text=f"{name} (").first.get_attribute("value")
    assert value is not None, name
    picker.select_option(value)


def test_facilitator_guide(phone: Page, demo: None, shots_dir: Path) -> None:
    camera = Camera(phone, "facilitator", shots_dir)
    page = phone
    sign_in_in_english(page, "facilitator")
    # The demo's Oulu family track has its first meeting on the day the demo was loaded.
    switch_organisation(page, "oulun-kaupunki")

    nav(page, "My meetings")
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    camera.shoot("facilitator-my-meetings")

    # Late in the evening the same meeting is also listed as waiting for its roll call: open the card.
    page.locator(".meeting-card__link", has_text="Perhepolku OU-03").click()
    rows = page.locator(".roll-call__row")
    expect(rows.first.locator(".roll-call__tap")).to_be_visible()  # roll_call.js turned the form into taps
    # Both parents and two of the children came; the eldest child was excused: one tap for
    # present, three for excused.
    expect(rows).to_have_count(5)
    for index, taps, status in (
        (0, 1, "present"),
        (1, 1, "present"),
        (2, 3, "excused"),
        (3, 1, "present"),
        (4, 1, "present"),
    ):
        row = rows.nth(index)
        for _ in range(taps):
            row.locator("button").click()
            expect(row).to_have_attribute("data-state", "saved")
        expect(row).to_have_class(re.compile(rf"\bis-{status}\b"))
    camera.shoot("facilitator-roll-call", page.locator(".roll-call"))

    page.get_by_role("button", name="Mark held").click()
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.get_by_role("button", name="Undo: not held after all")).to_be_attached()
    camera.shoot("facilitator-held")

    page.locator(".roll-call__reminders summary").click()
    page.locator(".roll-call__reminders a").first.click()
    expect(page.locator("h1")).to_contain_text("Meeting reminders for")
    camera.shoot("facilitator-reminders", page.locator("main .narrow"))

    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Links and paper forms").click()
    page.locator(".survey-person").first.get_by_role("link", name="Paper form").click()
    page.get_by_label("WHO-5 Well-Being Index").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Date on the form").fill(timezone.localdate().isoformat())
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(5)
    for index, answer in enumerate((3, 4, 3, 2, 4)):
        questions.nth(index).locator("label.tile").nth(answer).click()
    camera.shoot("facilitator-paper", page.locator("main h1"), questions.nth(1))
    page.get_by_role("button", name="Save the paper form").click()
    expect(page.locator(".message--success")).to_contain_text("was saved")

    camera.check_all_taken()


def test_evaluator_guide(desktop: Page, demo: None, shots_dir: Path, tmp_path: Path) -> None:
    camera = Camera(desktop, "evaluator", shots_dir)
    page = desktop
    sign_in_in_english(page, "evaluator")
    # Ikaalinen's day activity: eight people, a client panel after every meeting, a final survey.
    switch_organisation(page, "ikaalisten-kaupunki")

    nav(page, "Programmes")
    page.get_by_role("link", name="Koronan vuoksi syrjäytyneiden tukeminen: päivätoiminta").click()
    page.get_by_role("link", name="Pilot report").click()
    expect(page.locator("h1")).to_have_text("Pilot report")
    expect(page.get_by_role("button", name="Download PDF")).to_be_visible()
    camera.shoot("evaluator-report")
    summary = page.locator("section[aria-labelledby=summary-heading]")
    expect(summary.get_by_role("heading", name="Read with care")).to_be_visible()
    camera.shoot("evaluator-summary", summary)

    feedback = page.locator("section[aria-labelledby=feedback-heading]")
    expect(feedback.locator("svg[role=img]").first).to_be_visible()
    camera.shoot("evaluator-feedback", feedback.get_by_role("heading", level=2), feedback.locator("table").first)

    page.get_by_label("View").select_option("shared")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".report-view--shared")).to_be_visible()
    camera.shoot("evaluator-shared-view")

    page.get_by_label("View").select_option("internal")
    page.get_by_role("button", name="Show").click()
    exports = page.locator("section[aria-labelledby=exports-heading]")
    spss = exports.get_by_role("button", name="SPSS (.sav), one row per response")
    expect(spss).to_be_visible()
    camera.shoot("evaluator-exports", exports)

    spss.click()
    password = page.locator("input[name=password]")
    expect(password).to_be_visible()
    camera.shoot("evaluator-reauthenticate")
    password.fill(DEMO_PASSWORD)
    submit(page, "password")
    # Back at the report's export buttons, the filters kept: the file is asked for by a POST, so
    # the password page cannot send the browser on to it with a GET.
    expect(page).to_have_url(re.compile(r"/report/\?.*view=internal.*#exports-heading$"))
    with page.expect_download() as download:
        spss.click()
    saved = tmp_path / "export.sav"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"$FL2")  # an SPSS system file

    camera.check_all_taken()


def arrive(page: Page, path: str) -> None:
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    page.wait_for_load_state()


def test_admin_guide(desktop: Page, demo: None, shots_dir: Path) -> None:
    camera = Camera(desktop, "admin", shots_dir)
    page = desktop
    sign_in_in_english(page, "admin")
    switch_organisation(page, "tampereen-kaupunki")

    nav(page, "Members")
    expect(page.locator("h1")).to_have_text("Members of Tampereen kaupunki")
    camera.shoot("admin-members")

    invite = page.locator("section[aria-labelledby=invite-heading]")
    invite.get_by_label("E-mail address").fill("terveydenhoitaja@tampere.example")
    invite.get_by_label("Role").select_option("facilitator")
    invite.get_by_label("Job title").fill("terveydenhoitaja")
    invite.get_by_role("button", name="Send invitation").click()
    invitations = page.locator("section[aria-labelledby=open-invitations]")
    expect(invitations).to_contain_text("terveydenhoitaja@tampere.example")
    camera.shoot("admin-invitation", page.locator("section[aria-labelledby=invite-heading]"), invitations)

    nav(page, "Data protection")
    expect(page.locator("h1")).to_have_text("Data protection")
    camera.shoot("admin-data-protection")

    nav(page, "My account")
    # A click starts the navigation and returns; axe run before the new page has loaded finds
    # no document, so each shot waits for its page's address and load.
    page.get_by_role("link", name="Two-factor authentication").click()
    arrive(page, reverse("mfa_index"))
    camera.shoot("admin-two-factor")

    page.get_by_role("link", name="Sessions").click()
    arrive(page, reverse("usersessions_list"))
    camera.shoot("admin-sessions")

    camera.check_all_taken()
