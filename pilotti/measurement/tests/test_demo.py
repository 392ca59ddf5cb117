"""The demo's figures are the seeds' figures exactly; evaluation (issue 8) relies on them."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Sum

from pilotti.instruments.models import Answer, Response
from pilotti.measurement.models import PlanEntry, SafetyAlert
from pilotti.people.models import Participant
from pilotti.people.selectors import consent_holds
from pilotti.recruitment.models import Enrolment


def _counts() -> tuple[int, ...]:
    return (
        Response.objects.count(),
        Answer.objects.count(),
        PlanEntry.objects.count(),
        SafetyAlert.objects.count(),
        Participant.objects.count(),
        Enrolment.objects.count(),
    )


@pytest.mark.django_db
def test_the_demo_has_the_seeds_figures_and_a_second_run_changes_nothing() -> None:
    call_command("load_demo", stdout=None)
    ikaalinen = "ikaalinen-paivatoiminta"
    panel = Response.objects.filter(
        version__instrument__key="pilotti-meeting-rating", meeting__unit__programme__slug=ikaalinen
    )
    assert panel.count() == 51
    assert not panel.filter(participant__isnull=False).exists()
    assert set(panel.values_list("mode", flat=True)) == {"client_panel"}
    assert round(panel.aggregate(s=Sum("total"))["s"] / 51, 2) == 9.22

    usefulness = Response.objects.filter(
        version__instrument__key="pilotti-usefulness", organisation__slug="ikaalisten-kaupunki"
    )
    assert usefulness.count() > 0
    assert set(usefulness.values_list("total", flat=True)) == {5.0}

    final = Response.objects.filter(
        version__instrument__key="pilotti-final-survey", organisation__slug="ikaalisten-kaupunki"
    )
    committed = Enrolment.objects.filter(programme__slug=ikaalinen, enrolled_on__isnull=False)
    assert committed.count() == 8
    assert final.count() == 5
    assert all(consent_holds(r.participant, r.submitted_at.date()) for r in final)  # type: ignore[arg-type, union-attr]
    assert set(final.values_list("participant", flat=True)) <= set(committed.values_list("participant", flat=True))
    benefit = Answer.objects.filter(response__in=final, item__key="benefit")
    assert benefit.filter(value__in=[4, 5]).count() == 4  # 80 % of 5
    drew_in = Answer.objects.filter(response__in=final, item__key="drew_in")
    assert drew_in.filter(choices__value=1).count() == 2  # getting out of home, 40 %
    assert drew_in.filter(choices__value=2).count() == 2  # doing things together, 40 %

    meters = Response.objects.filter(
        version__instrument__key="3x10d", participant__enrolments__programme__slug="ohjatut-vertaistukiryhmat"
    )
    assert meters.count() > 0
    assert meters.count() == 2 * meters.values("participant").distinct().count()
    for key in ("who-5", "epds"):
        answers = Response.objects.filter(
            version__instrument__key=key,
            participant__memberships__household__enrolments__programme__slug="valoa-arkeen",
        )
        assert answers.count() == 2 * answers.values("participant").distinct().count() == 10
    assert SafetyAlert.objects.filter(acknowledged_at__isnull=True).count() == 1
    assert (
        PlanEntry.objects.filter(programme__slug__in=[ikaalinen, "valoa-arkeen", "ohjatut-vertaistukiryhmat"]).count()
        == 9
    )

    before = _counts()
    call_command("load_demo", stdout=None)
    assert _counts() == before
    assert date(2022, 11, 15) >= max(r.submitted_at.date() for r in final)  # type: ignore[union-attr]
