from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import OuterRef
from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog
from pilotti.people import selectors, services
from pilotti.recruitment.models import Enrolment
from tests.factories import enrol, make_participant, make_programme, make_unit


def test_it_holds_evaluation_consent_from_giving_until_the_day_before_withdrawal(world: World) -> None:
    participant = make_participant(world.org)
    consent = services.consent_give(
        actor=None, participant=participant, purpose="evaluation", given_on=date(2024, 3, 1), method="verbal"
    )
    services.consent_withdraw(actor=world.coordinator, consent=consent, on=date(2024, 6, 1))
    assert not selectors.consent_holds(participant, date(2024, 2, 29))
    assert selectors.consent_holds(participant, date(2024, 3, 1))
    assert selectors.consent_holds(participant, date(2024, 5, 31))
    assert not selectors.consent_holds(participant, date(2024, 6, 1))
    assert not selectors.consent_holds(participant, date(2024, 4, 1), purpose="follow_up")


def test_it_filters_participants_by_consent_in_one_query(world: World, django_assert_num_queries: object) -> None:
    agreed, refused, withdrawn = (make_participant(world.org, name=f"Testi {n}") for n in range(3))
    for participant in (agreed, withdrawn):
        services.consent_give(
            actor=None, participant=participant, purpose="evaluation", given_on=date(2024, 1, 1), method="written"
        )
    services.consent_withdraw(actor=world.coordinator, consent=withdrawn.consents.get(), on=date(2024, 2, 1))
    with django_assert_num_queries(1):  # type: ignore[operator]
        codes = set(selectors.participants_with_evaluation_consent_on(date(2024, 3, 1)).values_list("code", flat=True))
    assert codes == {agreed.code}
    assert refused.code not in codes


def test_it_judges_each_row_on_its_own_day(world: World) -> None:
    """What issue 8 does with answers: the consent must hold on the answer's own date."""
    unit = make_unit(make_programme(world.org))
    participant = make_participant(world.org)
    services.consent_give(
        actor=None, participant=participant, purpose="evaluation", given_on=date(2019, 10, 15), method="written"
    )
    early = enrol(participant, unit, on=date(2019, 10, 1))
    Enrolment.objects.filter(pk=early.pk).update(stage="completed")
    late = enrol(participant, unit, on=date(2019, 11, 1))
    held = Enrolment.objects.filter(
        selectors.consent_holds_on(OuterRef("contacted_on"), participant="participant")
    ).values_list("pk", flat=True)
    assert list(held) == [late.pk]


def test_it_refuses_a_second_consent_while_the_first_holds(world: World) -> None:
    participant = make_participant(world.org)
    services.consent_give(
        actor=None, participant=participant, purpose="participation", given_on=date(2024, 1, 1), method="written"
    )
    with pytest.raises(ValidationError, match="already given"):
        services.consent_give(
            actor=None, participant=participant, purpose="participation", given_on=date(2024, 2, 1), method="verbal"
        )


def test_it_records_several_purposes_in_one_form_each_with_its_own_history(world: World) -> None:
    participant = make_participant(world.org)
    url = reverse("people:consent_add", args=[participant.uuid])
    client = signed_in(world.coordinator)
    page = client.get(url).text
    assert 'type="checkbox" name="purposes" value="participation"' in page
    assert "checked" not in page  # consent is given, never ticked in advance
    data = {"purposes": ["participation", "evaluation"], "given_on": "2024-01-05", "method": "written"}
    assert client.post(url, data).status_code == 302
    consents = {c.purpose: c for c in participant.consents.all()}
    assert set(consents) == {"participation", "evaluation"}
    logged = AccessLog.objects.get(participant=participant, action="change", category="consents")
    assert (logged.user, logged.item) == (world.coordinator, "participation, evaluation")
    for consent in consents.values():
        assert consent.history.get().history_user == world.coordinator  # type: ignore[attr-defined]
    services.consent_withdraw(actor=None, consent=consents["evaluation"], on=date(2024, 2, 1))
    assert selectors.consent_holds(participant, date(2024, 3, 1), purpose="participation")
    # Only the withdrawn purpose and the one never given are offered again.
    page = client.get(url).text
    assert 'value="participation"' not in page
    assert 'value="evaluation"' in page
    assert 'value="follow_up"' in page


def test_it_names_every_purpose_already_in_force_and_records_none(world: World) -> None:
    participant = make_participant(world.org)
    for purpose in ("participation", "evaluation"):
        services.consent_give(
            actor=None, participant=participant, purpose=purpose, given_on=date(2024, 1, 1), method="written"
        )
    with pytest.raises(ValidationError) as refused:
        services.consents_give(
            actor=None,
            participant=participant,
            purposes=["participation", "evaluation", "follow_up"],
            given_on=date(2024, 2, 1),
            method="verbal",
        )
    assert len(refused.value.messages) == 2
    assert participant.consents.count() == 2
    url = reverse("people:consent_add", args=[participant.uuid])
    response = signed_in(world.coordinator).post(url, {"given_on": "2024-02-01", "method": "verbal"})
    assert response.status_code == 400
    assert "Tick the purposes the person consents to." in response.text
