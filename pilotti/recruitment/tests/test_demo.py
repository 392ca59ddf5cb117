from io import StringIO

from django.core.management import call_command

from pilotti.audit.models import AccessLog
from pilotti.people.models import ContactDetails, Household, Participant
from pilotti.programmes.models import Programme
from pilotti.recruitment.models import Enrolment
from pilotti.recruitment.selectors import funnel


def stage_counts(slug: str) -> tuple[list[int], list[int]]:
    programme = Programme.objects.get(slug=slug)
    result = funnel(Enrolment.objects.filter(programme=programme), programme)
    return result.total.stage_counts(), result.total.now_counts()


def test_it_loads_the_seed_pilots_people(db: None) -> None:
    call_command("load_demo", stdout=StringIO())
    # Ikaalinen: about 40 contacted, 8 committed, 7 to the end, 1 dropped out.
    assert stage_counts("ikaalinen-paivatoiminta") == ([40, 14, 8, 8, 7], [0, 20, 12, 1])
    assert set(
        Enrolment.objects.filter(programme__slug="ikaalinen-paivatoiminta").values_list("referral_source", flat=True)
    ) == {"outreach"}
    ikaalinen = Programme.objects.get(slug="ikaalinen-paivatoiminta")
    [row] = funnel(Enrolment.objects.filter(programme=ikaalinen), ikaalinen).rows
    assert (row.segment, row.target, row.progress) == ("Kotiin jääneet aikuiset", 8, 100)
    # Tampere: families in every group, against 20 + 20.
    tampere = Programme.objects.get(slug="tampere-pikkulapsiperheet")
    rows = {row.segment: row for row in funnel(Enrolment.objects.filter(programme=tampere), tampere).rows}
    assert rows["Suomalaiset lapsiperheet"].counts["enrolled"] >= 18
    assert rows["Maahanmuuttajalapsiperheet"].counts["enrolled"] >= 18
    assert Enrolment.objects.filter(unit__name="Tesoma: Westeri", stage="dropped_out").count() == 3
    # Valoa arkeen: households referred by child health clinics, some with a partner.
    valoa = Enrolment.objects.filter(programme__slug="valoa-arkeen")
    assert {e.referral_source for e in valoa} == {"child_health_clinic"}
    assert Household.objects.filter(enrolments__in=valoa, members__relation="partner").count() == 2
    # Oulu: every family at its integration plan.
    oulu = Enrolment.objects.filter(programme__slug="perhe-yhtenaiseksi")
    assert oulu.count() >= 5
    assert {e.referral_source for e in oulu} == {"integration_plan"}
    assert not oulu.filter(household__isnull=True).exists()
    # Obviously fictional, and nobody was logged as looking at them.
    assert all(
        c.name.startswith("Testi Henkilö") and c.email.endswith("@example.org") for c in ContactDetails.objects.all()
    )
    assert ContactDetails.objects.count() == Participant.objects.count()
    assert not AccessLog.objects.exists()
