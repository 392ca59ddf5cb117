"""The steps of keeping a programme's staff roster (pilotti/staff), through the pages alone: the
programme's training, a staff target, the people who deliver it and their trainings."""

from datetime import date

from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from pilotti.programmes.models import Programme
from pilotti.staff.models import StaffMember
from tests.acceptance.steps import check, expect_success, submit, uuid_in


def _open_details(page: Page, form: str) -> None:
    """Opens the folded section (<details>) that holds the form."""
    inner = form.removeprefix("main ")
    page.locator("main details", has=page.locator(inner)).locator("summary").click()


def open_roster(page: Page, programme: Programme) -> Locator:
    page.goto(reverse("programmes:detail", args=[programme.slug]))
    page.locator(f"main a[href='{reverse('staff:roster', args=[programme.slug])}']").click()
    check(page)
    return page.locator("main")


def add_training(page: Page, programme: Programme, name: str, provider: str) -> None:
    open_roster(page, programme)
    form = f"main form[action='{reverse('staff:training_add', args=[programme.slug])}']"
    _open_details(page, form)
    page.locator(f"{form} [name='name']").fill(name)
    page.locator(f"{form} [name='provider']").fill(provider)
    submit(page, form)
    expect_success(page)
    expect(page.locator("main")).to_contain_text(name)


def set_staff_target(page: Page, programme: Programme, role: str, target: int) -> None:
    open_roster(page, programme)
    form = f"main form[action='{reverse('staff:targets', args=[programme.slug])}']"
    _open_details(page, form)
    page.locator(f"{form} [name='target_{role}']").fill(str(target))
    submit(page, form)
    expect_success(page)


def add_staff_member(page: Page, programme: Programme, name: str, role: str, units: list[str]) -> StaffMember:
    """Adds a person to the roster of the coordinator's organisation and returns them."""
    open_roster(page, programme)
    form = f"main form[action='{reverse('staff:member_add', args=[programme.slug])}']"
    page.locator(f"{form} [name='name']").fill(name)
    page.locator(f"{form} [name='role']").select_option(role)
    for unit in units:
        page.locator(form).get_by_label(unit, exact=True).check()
    submit(page, form)
    expect_success(page)
    page.locator("main table a", has_text=name).click()
    check(page)
    return StaffMember.objects.get(uuid=uuid_in(page.url))


def record_training(page: Page, member: StaffMember, training: str, on: date, trainer: str) -> None:
    page.goto(reverse("staff:member", args=[member.uuid]))
    check(page)
    form = f"main form[action='{reverse('staff:record_add', args=[member.uuid])}']"
    _open_details(page, form)
    select = page.locator(f"{form} [name='training']")
    select.select_option(select.locator("option", has_text=training).first.get_attribute("value") or "")
    page.locator(f"{form} [name='trained_on']").fill(on.isoformat())
    page.locator(f"{form} [name='trainer']").fill(trainer)
    submit(page, form)
    expect_success(page)
    expect(page.locator("main")).to_contain_text(training)
