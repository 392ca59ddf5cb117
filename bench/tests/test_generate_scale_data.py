"""The scale data set at a small size: consistent funnel, answers per the measurement plan, real scores."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from bench import floor
from pilotti.evaluation import selectors as evaluation
from pilotti.instruments.models import Instrument, Mode, Response
from pilotti.instruments.scoring import score
from pilotti.instruments.selectors import spec_of, version_with_structure
from pilotti.instruments.services import answers_of
from pilotti.measurement.models import Audience, PlanEntry, When
from pilotti.meetings.models import Attendance
from pilotti.people.models import ContactDetails, Participant
from pilotti.programmes.models import Programme
from pilotti.recruitment.models import Enrolment, Stage

pytestmark = pytest.mark.django_db

SEED = 7


@pytest.fixture
def generated() -> list[Programme]:
    call_command("generate_scale_data", "--participants", "200", "--seed", str(SEED), stdout=io.StringIO())
    return list(Programme.objects.filter(organisation__slug=f"skaala-{SEED}").order_by("pk"))


def test_it_makes_a_consistent_national_data_set(generated: list[Programme]) -> None:
    """One generation, every check: the generation is the slow part (CI runs this in seconds)."""
    assert len(generated) == 4
    assert Participant.objects.filter(organisation__slug=f"skaala-{SEED}").count() == 200
    _funnel_is_consistent(generated)
    _every_instrument_is_answered_as_the_plans_ask(generated)
    _scores_are_the_scoring_rules(generated)
    _contact_details_are_encrypted()
    _report_and_sql_agree(generated)


def _funnel_is_consistent(generated: list[Programme]) -> None:
    enrolments = Enrolment.objects.filter(programme__in=generated)
    stages = dict(enrolments.values_list("stage").annotate(n=Count("pk")))
    for stage in (Stage.COMPLETED, Stage.DROPPED_OUT, Stage.DECLINED, Stage.NOT_REACHED):
        assert stages.get(stage, 0) > 0, stage
    reached = [enrolments.filter(**{f"{s}_on__isnull": False}).count() for s in ("interested", "enrolled", "started")]
    assert enrolments.count() >= reached[0] >= reached[1] >= reached[2] > enrolments.filter(stage="completed").count()
    # Only those given a place have a unit, and everyone who started came to their first meeting.
    assert not enrolments.filter(unit__isnull=True, enrolled_on__isnull=False).exists()
    assert not enrolments.filter(unit__isnull=False, enrolled_on__isnull=True).exists()
    came = Attendance.objects.filter(
        participant=OuterRef("participant"), meeting__unit=OuterRef("unit"), status=Attendance.Status.PRESENT
    )
    started = enrolments.filter(started_on__isnull=False, participant__isnull=False)
    assert started.exists()
    assert not started.filter(~Exists(came)).exists()


def _every_instrument_is_answered_as_the_plans_ask(generated: list[Programme]) -> None:
    library = set(Instrument.objects.filter(organisation__isnull=True).values_list("key", flat=True))
    answered = set(
        Response.objects.filter(organisation__slug=f"skaala-{SEED}").values_list("version__instrument__key", flat=True)
    )
    assert answered == library
    for entry in PlanEntry.objects.filter(programme__in=generated):
        responses = Response.objects.filter(
            version__instrument=entry.instrument, submitted_at__isnull=False
        ).filter(Q(meeting__unit__programme=entry.programme) | Q(participant__enrolments__programme=entry.programme)
                 | Q(participant__memberships__household__enrolments__programme=entry.programme))  # fmt: skip
        if entry.audience == Audience.STAFF:
            assert responses.filter(mode=Mode.STAFF, entered_by__isnull=False).exists(), entry
        elif entry.anonymous:
            assert responses.filter(mode=Mode.CLIENT_PANEL, participant__isnull=True).exists(), entry
        elif entry.when == When.EVERY_MEETING:
            assert responses.filter(meeting__isnull=False, participant__isnull=False).exists(), entry
        else:
            assert responses.filter(meeting__isnull=True, participant__isnull=False).exists(), entry
    # Safety items stay at zero: generated data raises no safety alerts.
    assert not Response.objects.filter(organisation__slug=f"skaala-{SEED}", safety_flagged=True).exists()


def _scores_are_the_scoring_rules(generated: list[Programme]) -> None:
    responses = Response.objects.filter(organisation__slug=f"skaala-{SEED}").select_related("version")
    for instrument_key in ("who-5", "epds", "3x10d", "swemwbs", "phq-9"):
        response = responses.filter(version__instrument__key=instrument_key).order_by("pk").first()
        assert response is not None, instrument_key
        result = score(spec_of(version_with_structure(response.version)), answers_of(response))
        assert response.total == result.total
        assert response.subscale_scores == {k: s.score for k, s in result.subscales.items()}


def _contact_details_are_encrypted() -> None:
    contact = ContactDetails.objects.filter(participant__organisation__slug=f"skaala-{SEED}").first()
    assert contact is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM people_contactdetails WHERE id = %s", [contact.pk])
        stored = cursor.fetchone()[0]
    assert contact.name
    assert contact.name not in stored
    assert stored.startswith("gAAAA")  # a Fernet token


def _report_and_sql_agree(generated: list[Programme]) -> None:
    for programme in generated:
        report = evaluation.report(None, programme)
        assert report["attendance"]["summary"]["meetings_held"] > 0
        assert floor.same_figures(report, floor.figures(programme.pk)) == []


def test_it_refuses_to_make_the_same_seed_twice() -> None:
    call_command("generate_scale_data", "--participants", "10", "--seed", str(SEED), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("generate_scale_data", "--participants", "10", "--seed", str(SEED))


@pytest.mark.parametrize("participants", ["0", "-5"])
def test_it_rejects_a_size_out_of_range(participants: str) -> None:
    with pytest.raises(CommandError, match="--participants must be between 1 and"):
        call_command("generate_scale_data", "--participants", participants)
