from io import StringIO

from django.core.management import call_command
from django.db.models import Count, Q

from pilotti.meetings import demo
from pilotti.meetings.models import Attendance, Meeting


def _present(unit_name: str) -> list[int]:
    meetings = Meeting.objects.filter(unit__name=unit_name, status=Meeting.Status.HELD).order_by("starts_at")
    counts = meetings.annotate(n=Count("attendances", filter=Q(attendances__status=Attendance.Status.PRESENT)))
    return [m.n for m in counts]


def test_it_records_plausible_attendance_for_every_held_demo_meeting(db: None) -> None:
    call_command("load_demo", stdout=StringIO())
    ikaalinen = _present("Päivätoiminta")
    assert len(ikaalinen) > 30
    assert all(3 <= n <= 7 for n in ikaalinen)
    assert Meeting.objects.filter(unit__name="Päivätoiminta", unregistered_visitors__gt=0).exists()
    tesoma = _present("Tesoma: Westeri")
    assert tesoma == sorted(tesoma, reverse=True)
    assert tesoma[0] > tesoma[-1]
    valoa = Attendance.objects.filter(meeting__unit__programme__slug="valoa-arkeen")
    assert valoa.filter(status=Attendance.Status.PRESENT).count() > 0.8 * valoa.count()
    held = Meeting.objects.filter(
        status=Meeting.Status.HELD, unit__enrolments__isnull=False, unit__programme__slug__in=demo.PROGRAMMES
    ).distinct()
    assert not held.exclude(attendances__isnull=False).exists()
    rows = Attendance.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Attendance.objects.count() == rows


def test_it_does_nothing_before_the_people_demo_is_loaded(db: None) -> None:
    assert demo.load() == 0
