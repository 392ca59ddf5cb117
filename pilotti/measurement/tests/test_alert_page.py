"""A safety alert's page says what was asked and answered, and gives the number to call."""

from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog
from pilotti.instruments.models import Item
from pilotti.measurement.models import SafetyAlert
from pilotti.measurement.tests.test_alerts import _submit
from tests.factories import setup_unit


def test_it_shows_the_safety_question_and_the_answer_instead_of_the_item_key(world: World) -> None:
    _programme, _unit, [participant] = setup_unit(world.org, people=1, facilitator=world.facilitator)
    _submit("phq-9", participant, flagged=True)
    alert = SafetyAlert.objects.get()
    item = Item.objects.get(version=alert.response.version, key="q9")
    option = item.options.get(value=1)

    page = signed_in(world.facilitator).get(reverse("measurement:alert", args=[alert.uuid])).content.decode()
    assert item.text_in("en") in page
    assert f"<dd>{option.label['en']}</dd>" in page
    assert "<dd>q9</dd>" not in page


def test_it_gives_a_call_link_to_those_who_may_see_contact_details_only(world: World) -> None:
    _programme, _unit, [participant] = setup_unit(world.org, people=1, facilitator=world.facilitator)
    _submit("phq-9", participant, flagged=True)
    alert = SafetyAlert.objects.get()
    url = reverse("measurement:alert", args=[alert.uuid])

    page = signed_in(world.facilitator).get(url).content.decode()
    assert 'href="tel:0400000001"' in page
    assert AccessLog.objects.filter(
        participant=participant, category="contact_details", item__startswith="phone"
    ).exists()
    for user in (world.owner, world.evaluator):
        response = signed_in(user).get(url)
        assert "tel:" not in response.content.decode()
