"""Demo service use for Perhe yhtenäiseksi: the seed's "less need for family work" in Oulu.

The programme follows family work (perhetyö), six months before each family's track started and
six after it ended. Each family's counts are invented; the days follow its enrolment and its
unit's meetings, so a track still running (Perhepolku OU-03 starts on the day the demo is loaded)
has only its before count, as it would in real use. Idempotent: a programme that already follows
a service is left alone."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pilotti.core.zone import HELSINKI
from pilotti.meetings.models import Meeting
from pilotti.programmes.models import Programme
from pilotti.recruitment.models import Enrolment
from pilotti.serviceuse.models import Service
from pilotti.serviceuse.services import ServiceFields, UseFields, service_add, service_use_add

# Family work contacts before and after, per family in the order of their units' names.
COUNTS = [(9, 3), (7, 2), (11, 5), (6, 3), (8, 2), (10, 4)]
MONTHS = 6


@transaction.atomic
def load() -> None:
    programme = Programme.objects.filter(slug="perhe-yhtenaiseksi").first()
    if programme is None or Service.objects.filter(programme=programme).exists():
        return
    service = service_add(
        actor=None,
        programme=programme,
        fields=ServiceFields(
            name="Perhetyö",
            description="Perhetyön käynnit ja tapaamiset perheen kanssa",
            period_months=MONTHS,
        ),
    )
    today = timezone.localdate()
    enrolments = (
        Enrolment.objects.filter(programme=programme, household__isnull=False, unit__isnull=False)
        .select_related("household", "unit")
        .order_by("unit__name", "id")
    )
    for (before, after), enrolment in zip(COUNTS, enrolments, strict=False):
        if enrolment.household is None or enrolment.unit is None:  # filtered above; for the type checker
            continue
        started = enrolment.started_on or enrolment.enrolled_on or enrolment.contacted_on
        last = enrolment.unit.meetings.exclude(status=Meeting.Status.CANCELLED).aggregate(last=Max("starts_at"))["last"]
        ended = last.astimezone(HELSINKI).date() if last else started
        counted = ended + timedelta(days=MONTHS * 31) <= today
        service_use_add(
            actor=None,
            service=service,
            person=enrolment.household,
            fields=UseFields(
                support_started_on=started,
                support_ended_on=max(ended, started),
                before_count=before,
                after_count=after if counted else None,
            ),
        )
