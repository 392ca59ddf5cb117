"""Personal links: unguessable, expiring, paused and resumed, answered once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conftest import World, signed_in
from pilotti.audit.models import AccessLog, Action
from pilotti.core.tokens import hash_token
from pilotti.instruments.models import Mode, Response
from pilotti.measurement.models import SafetyAlert
from pilotti.meetings import sms
from pilotti.people.models import Participant
from pilotti.surveys import crisis, services
from pilotti.surveys.models import PersonalLink
from tests.factories import PHQ9_SAFETY_ANSWERS, WHO5_ANSWERS, link_for, safety_instrument


def url(token: str) -> str:
    return reverse("surveys:answer", kwargs={"token": token})


def test_it_keeps_only_the_hash_of_the_token(person: Participant) -> None:
    link, token = link_for(person)
    assert len(token) >= 43
    assert link.token_hash == hash_token(token)
    assert token not in link.token_hash
    assert link.expires_at > timezone.now() + timedelta(days=29)


def test_it_answers_a_guessed_token_with_a_friendly_404(db: None) -> None:
    response = Client().get(url("GuessedTokenGuessedTokenGuessedTokenGuesse"), HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5")
    assert response.status_code == 404
    assert "Эта ссылка не работает" in response.content.decode()
    assert Client().post(url("GuessedTokenGuessedTokenGuessedTokenGuesse")).status_code == 404


def test_it_answers_an_expired_link_with_404_in_the_persons_language(person: Participant) -> None:
    _link, token = link_for(person, expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(url(token), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 404
    assert 'dir="rtl"' in response.content.decode()
    assert 'lang="ar"' in response.content.decode()


def test_it_stores_the_answers_and_the_score_once(person: Participant) -> None:
    _link, token = link_for(person)
    client = Client()
    response = client.post(f"{url(token)}?lang=en", {**WHO5_ANSWERS, "action": "submit"})
    assert response.status_code == 302
    stored = Response.objects.get(participant=person)
    assert stored.mode == Mode.PERSONAL_LINK
    assert stored.language == "en"
    assert stored.submitted_at is not None
    assert stored.total == 60
    assert client.get(url(token)).content.decode().count("Thank you!") == 1

    again = client.post(url(token), {**WHO5_ANSWERS, "q-q1": "0", "action": "submit"})
    assert again.status_code == 409
    assert Response.objects.filter(participant=person).count() == 1
    assert Response.objects.get(participant=person).total == 60


def test_it_refuses_a_second_submission_in_the_service(person: Participant) -> None:
    link, _token = link_for(person)
    answers = {"q1": 5, "q2": 5, "q3": 5, "q4": 5, "q5": 5}
    services.personal_link_submit(link=link, answers=answers, language="en")
    with pytest.raises(services.AlreadyAnswered):
        services.personal_link_submit(link=link, answers=answers, language="en")


def test_it_pauses_and_resumes_from_the_same_link(person: Participant) -> None:
    _link, token = link_for(person)
    client = Client()
    response = client.post(f"{url(token)}?lang=en", {"q-q1": "5", "q-q2": "4", "action": "pause"})
    assert response.status_code == 302
    draft = Response.objects.get(participant=person)
    assert draft.submitted_at is None

    page = client.get(url(token)).content.decode()
    assert "Your answers are saved" not in page  # only right after pausing
    assert 'id="q-q1-0" name="q-q1" value="5" checked' in page
    assert 'id="q-q2-1" name="q-q2" value="4" checked' in page

    client.post(url(token), {**WHO5_ANSWERS, "action": "submit"})
    [final] = Response.objects.filter(participant=person)
    assert final.submitted_at is not None
    assert final.total == 60
    assert PersonalLink.objects.get(participant=person).response == final


def test_it_keeps_typed_values_and_says_what_is_missing_in_the_persons_language(person: Participant) -> None:
    _link, token = link_for(person, key="pilotti-final-survey")
    response = Client().post(f"{url(token)}?lang=uk", {"q-comments": "Дякую за все", "action": "submit"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Будь ласка, дайте відповідь на це запитання." in page
    assert "Дякую за все" in page
    assert not Response.objects.filter(participant=person).exists()


def test_it_names_an_out_of_range_value_in_somali(person: Participant) -> None:
    _link, token = link_for(person, key="pilotti-meeting-rating")
    response = Client().post(f"{url(token)}?lang=so", {"q-rating": "11", "action": "submit"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'lang="so"' in page
    assert "Fadlan" in page  # the Somali message, not the English one
    assert "Please" not in page


def test_it_offers_a_validated_instrument_only_in_its_official_languages(person: Participant) -> None:
    _link, token = link_for(person)  # WHO-5: English only in the library
    page = Client().get(f"{url(token)}?lang=ru").content.decode()
    assert "Эта анкета недоступна на вашем языке." in page
    assert 'href="?lang=en"' in page
    assert 'name="q-q1"' not in page


def test_it_sends_a_link_by_e_mail_and_logs_the_use_of_the_address(world: World, person: Participant) -> None:
    link, _token = link_for(person, send_by="email")
    [message] = mail.outbox
    assert message.to == ["testi.henkilo1@example.org"]
    assert "/q/" in message.body
    entry = AccessLog.objects.get(participant=person, action=Action.SEND)
    assert entry.user is None
    assert link.sent_by == "email"


def test_it_sends_a_link_by_text_message(person: Participant, settings: object) -> None:
    settings.SMS_BACKEND = "pilotti.meetings.sms.LocmemBackend"  # type: ignore[attr-defined]
    sms.outbox.clear()
    link_for(person, key="pilotti-final-survey", send_by="sms")
    [message] = sms.outbox
    assert message.to == "040 000 0001"
    assert "/q/" in message.body


def test_without_a_text_message_backend_a_link_is_not_offered_or_sent_by_text(
    world: World, person: Participant, settings: object
) -> None:
    settings.SMS_BACKEND = ""  # type: ignore[attr-defined]
    page = signed_in(world.facilitator).get(f"{reverse('surveys:link_new')}?participant={person.uuid}")
    assert "By e-mail" in page.content.decode()
    assert "By text message" not in page.content.decode()
    with pytest.raises(ValidationError):
        link_for(person, key="pilotti-final-survey", send_by="sms")


def test_staff_make_a_link_and_see_it_once_as_a_qr_code(world: World, person: Participant) -> None:
    client = signed_in(world.facilitator)
    new = reverse("surveys:link_new")
    assert client.get(f"{new}?participant={person.uuid}").status_code == 200
    version = link_for(person)[0].version
    response = client.post(new, {"participant": str(person.uuid), "version": str(version.uuid), "days": "14"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "data:image/svg+xml" in page
    link = PersonalLink.objects.filter(participant=person).first()
    assert link is not None
    assert link.created_by == world.facilitator
    assert link.expires_at < timezone.now() + timedelta(days=15)
    listing = client.get(reverse("surveys:link_list", args=[person.uuid]))
    assert "WHO-5" in listing.content.decode()


def test_outsiders_and_evaluators_cannot_make_links(world: World, person: Participant) -> None:
    new = reverse("surveys:link_new")
    for user in (world.outsider, world.evaluator):
        assert signed_in(user).get(f"{new}?participant={person.uuid}").status_code == 404
    assert signed_in(world.facilitator).get(f"{new}?participant=not-a-uuid").status_code == 404


# What each language must show after a safety answer: 112 and the Finnish crisis line for all,
# the Swedish line in Swedish, the Arabic-and-English line for those who read neither Finnish
# nor Swedish.
HELP_IN = {
    "fi": ("tel:112", "tel:+358925250111", "tel:116117"),
    "sv": ("tel:112", "tel:+358925250111", "tel:116117", "tel:+358925250112"),
    "ar": ("tel:112", "tel:+358925250111", "tel:116117", "tel:+358925250113"),
}


@pytest.mark.parametrize("language", sorted(HELP_IN))
def test_it_shows_where_to_get_help_now_after_a_safety_answer(world: World, person: Participant, language: str) -> None:
    version = safety_instrument(world.org, languages=("en", "fi", "sv", "ar"))
    _link, token = link_for(person, version=version)
    client = Client()
    submitted = client.post(f"{url(token)}?lang={language}", {**PHQ9_SAFETY_ANSWERS, "action": "submit"})
    assert submitted.status_code == 302
    # The workers were told at once, before the person saw the page.
    assert SafetyAlert.objects.filter(participant=person).count() == 1

    page = client.get(url(token)).content.decode()
    assert 'id="help-now-heading"' in page
    for number in HELP_IN[language]:
        assert f'href="{number}"' in page
    with translation.override(language):
        assert str(crisis.HELP_LINES[1].text) in page
    others = {number for numbers in HELP_IN.values() for number in numbers} - set(HELP_IN[language])
    assert not [number for number in others if f'href="{number}"' in page]


def test_it_shows_no_help_block_when_no_safety_item_was_answered_above_zero(world: World, person: Participant) -> None:
    version = safety_instrument(world.org)
    _link, token = link_for(person, version=version)
    client = Client()
    client.post(f"{url(token)}?lang=fi", {**PHQ9_SAFETY_ANSWERS, "q-q9": "0", "action": "submit"})
    page = client.get(url(token)).content.decode()
    assert "Kiitos" in page
    assert "help-now" not in page
