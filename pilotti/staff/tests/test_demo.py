"""The demo's Tampere: its public health nurses and peer instructors are staff with the Kasvokkain
training, and nothing counts them as participants."""

from datetime import date

from pilotti.meetings import programmes_demo
from pilotti.organisations import demo as organisations_demo
from pilotti.people.models import Participant
from pilotti.programmes.models import Programme
from pilotti.recruitment import demo as people_demo
from pilotti.recruitment.models import Enrolment
from pilotti.staff import demo, selectors
from pilotti.staff.models import StaffMember

ON = date(2020, 1, 15)  # while the groups ran


def test_it_puts_tampere_s_nurses_and_peer_instructors_on_the_staff_roster_not_among_participants(db: None) -> None:
    organisations_demo.load()
    programmes_demo.load()
    people_demo.load()
    participants, enrolments = Participant.objects.count(), Enrolment.objects.count()
    demo.load()
    demo.load()  # idempotent
    programme = Programme.objects.get(slug="tampere-pikkulapsiperheet")
    staff = StaffMember.objects.filter(programme=programme)
    assert staff.filter(archived_at__isnull=True).count() == 13
    assert staff.filter(archived_at__isnull=False).count() == 1
    assert [t.name for t in programme.trainings.all()] == ["Kasvokkain-ohjaajakoulutus"]
    rows = {row.role: (row.target, row.on_roster, row.trained) for row in selectors.staff_target_rows(programme, on=ON)}
    assert rows == {"public_health_nurse": (10, 8, 7), "peer_instructor": (6, 5, 5)}
    # Every group had a trained nurse and a trained peer instructor.
    units = list(programme.units.all())
    assert all(count >= 2 for count in selectors.trained_staff_by_unit(units, on=ON).values())
    assert all(selectors.roles_without_trained_person(unit, on=ON) == [] for unit in units)
    # Staff are not participants: the demo's people, enrolments and segments are the families only.
    assert (Participant.objects.count(), Enrolment.objects.count()) == (participants, enrolments)
    assert not programme.segments.filter(name="Terveydenhoitajat").exists()
    assert not Participant.objects.filter(segment="Terveydenhoitajat").exists()
    veera = staff.get(user__email="facilitator@example.org")
    assert veera.name == "Veera Vetäjä"
