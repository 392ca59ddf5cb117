import re

from django.test import Client
from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog
from pilotti.people.models import ContactDetails, Participant
from tests.factories import NAME, make_participant, queries_for


def test_it_creates_a_participant_with_a_code_and_encrypted_contact_details(world: World) -> None:
    response = signed_in(world.coordinator).post(
        reverse("people:create"),
        {
            "birth_year": "1988",
            "gender": "not_said",
            "segment": "Maahanmuuttajaperheet",
            "name": "Testi Henkilö 9",
            "phone": "040 000 0009",
            "identity_code": "131052-308T",
        },
    )
    participant = Participant.objects.get()
    assert response["Location"] == reverse("people:detail", args=[participant.uuid])
    assert participant.code.startswith("PK-")
    assert len(participant.code) == 8
    assert participant.organisation == world.org
    assert participant.created_by == world.coordinator
    assert ContactDetails.objects.get().identity_code == "131052-308T"
    assert participant.history.count() == 1


def test_it_keeps_what_was_typed_and_says_what_to_fix(world: World) -> None:
    response = signed_in(world.coordinator).post(
        reverse("people:create"),
        {"birth_year": "1988", "name": "Testi Henkilö 9", "identity_code": "131052-308U", "needs_interpreter": "on"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "check character" in page
    assert "Write the language the interpreter should speak." in page
    assert 'value="Testi Henkilö 9"' in page
    assert not Participant.objects.exists()


def test_it_refuses_creation_to_other_roles(world: World) -> None:
    for user in (world.evaluator, world.facilitator, world.owner):
        assert signed_in(user).get(reverse("people:create")).status_code == 403


def test_it_finds_people_by_code_and_coordinators_by_name(world: World) -> None:
    participant = make_participant(world.org)
    make_participant(world.org, name="Testi Henkilö 2")
    client = signed_in(world.coordinator)
    by_code = client.get(reverse("people:list"), {"q": participant.code.lower()}).content.decode()
    assert participant.code in by_code
    by_name = client.get(reverse("people:list"), {"q": " testi  henkilö 1 "}).content.decode()
    assert participant.code in by_name
    assert "1 participant found" in by_name
    entries = AccessLog.objects.filter(action="search", participant=participant)
    assert entries.count() == 2
    assert set(entries.values_list("category", flat=True)) == {"profile", "contact_details"}


def test_it_neither_searches_nor_lists_for_another_sites_link(world: World) -> None:
    # Another site links or embeds /participants/?q=<a name>; SameSite=Lax sends the session along.
    participant = make_participant(world.org)
    client = signed_in(world.coordinator)
    for site in ("cross-site", "same-site"):
        page = client.get(reverse("people:list"), {"q": NAME}, headers={"Sec-Fetch-Site": site}).content.decode()
        assert "A link from another site does not search or list participants." in page
        assert participant.code not in page
        assert (
            participant.code
            not in client.get(reverse("people:list"), headers={"Sec-Fetch-Site": site}).content.decode()
        )
    assert not AccessLog.objects.exists()
    # The same search typed on Pilotti's own page is run and logged.
    found = client.get(reverse("people:list"), {"q": NAME}, headers={"Sec-Fetch-Site": "same-origin"}).content.decode()
    assert participant.code in found
    assert AccessLog.objects.get().action == "search"


def test_without_sec_fetch_site_it_searches_only_for_its_own_form_or_page(world: World) -> None:
    # Issue 19: a browser that sends no Sec-Fetch-Site (an older one, a privacy setting) was taken
    # at its word, so another site's link still ran a search by a name it chose and logged it.
    participant = make_participant(world.org)
    client = Client()  # no Sec-Fetch-Site on any request
    client.force_login(world.coordinator, backend="allauth.account.auth_backends.AuthenticationBackend")
    url = reverse("people:list")
    refusal = "A link from another site does not search or list participants."
    for headers in ({}, {"Referer": "https://evil.example/page"}, {"Origin": "https://evil.example"}):
        for params in ({"q": NAME}, {}, {"q": NAME, "t": "a guess"}):
            page = client.get(url, params, headers=headers).content.decode()
            assert refusal in page, (headers, params)
            assert participant.code not in page
    assert not AccessLog.objects.exists()
    # Pilotti's own search form carries a value bound to the session ...
    form = client.get(url).content.decode()
    token = re.search(r'name="t" value="([0-9a-f]+)"', form)
    assert token is not None
    found = client.get(url, {"q": NAME, "t": token.group(1)}).content.decode()
    assert participant.code in found
    assert AccessLog.objects.get().action == "search"
    # ... which another session's form does not have.
    other = signed_in(world.owner)
    other.defaults.pop("HTTP_SEC_FETCH_SITE", None)
    assert refusal in other.get(url, {"q": NAME, "t": token.group(1)}, headers={}).content.decode()
    # A page of this site says so in its Referer (SECURE_REFERRER_POLICY = same-origin).
    assert participant.code in client.get(url, {"q": NAME}, headers={"Referer": "http://testserver/"}).text


def test_it_logs_the_people_and_households_a_list_shows(world: World) -> None:
    participant = make_participant(world.org)
    signed_in(world.coordinator).get(reverse("people:list"))
    entry = AccessLog.objects.get()
    assert (entry.participant, entry.action, entry.item) == (participant, "view", "participant list")


def test_it_logs_a_search_that_finds_nobody(world: World) -> None:
    signed_in(world.coordinator).get(reverse("people:list"), {"q": "Ei Ketään"})
    entry = AccessLog.objects.get()
    assert (entry.action, entry.result, entry.participant) == ("search", "not_found", None)


def test_it_serves_search_results_as_an_htmx_partial(world: World) -> None:
    participant = make_participant(world.org)
    response = signed_in(world.coordinator).get(reverse("people:list"), {"q": participant.code}, HTTP_HX_REQUEST="true")
    assert participant.code in response.content.decode()
    assert "<html" not in response.content.decode()


def test_it_lists_people_in_a_constant_number_of_queries(world: World) -> None:
    client = signed_in(world.coordinator)
    url = reverse("people:list")
    for n in range(3):
        make_participant(world.org, name=f"Testi {n}")
    few = queries_for(client, url)
    for n in range(3, 30):
        make_participant(world.org, name=f"Testi {n}")
    assert queries_for(client, url) == few


def test_it_saves_contact_details_and_logs_the_change(world: World) -> None:
    participant = make_participant(world.org)
    client = signed_in(world.coordinator)
    form = client.get(reverse("people:contact_edit", args=[participant.uuid])).content.decode()
    assert NAME in form
    response = client.post(
        reverse("people:contact_edit", args=[participant.uuid]),
        {"name": NAME, "phone": "040 000 0099", "email": "", "address": "Esimerkkikatu 2"},
    )
    assert response.status_code == 302
    assert ContactDetails.objects.get().phone == "040 000 0099"
    change = AccessLog.objects.get(action="change")
    assert change.item == "phone, email, address"
    assert AccessLog.objects.filter(action="view", category="contact_details").count() == 1


def test_it_edits_the_profile(world: World) -> None:
    participant = make_participant(world.org)
    response = signed_in(world.coordinator).post(
        reverse("people:edit", args=[participant.uuid]), {"birth_year": "1991", "segment": "Suomalaiset perheet"}
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.birth_year == 1991
    assert participant.history.first().history_user == world.coordinator  # type: ignore[union-attr]


def test_it_withdraws_consent(world: World) -> None:
    participant = make_participant(world.org)
    client = signed_in(world.coordinator)
    client.post(
        reverse("people:consent_add", args=[participant.uuid]),
        {"purposes": "evaluation", "given_on": "2024-01-05", "method": "verbal"},
    )
    consent = participant.consents.get()
    client.post(reverse("people:consent_withdraw", args=[consent.uuid]), {"on": "2024-03-01"})
    consent.refresh_from_db()
    assert str(consent.withdrawn_on) == "2024-03-01"
    assert consent.history.count() == 2
    page = client.get(reverse("people:detail", args=[participant.uuid])).content.decode()
    assert "Use of answers for evaluation" in page
