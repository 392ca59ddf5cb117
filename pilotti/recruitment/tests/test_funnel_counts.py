"""The funnel's counts table is exact whatever writes the enrolments (issue 24): after each kind of
write the kept counts equal a full recount, and the funnel pages show what counting every
enrolment shows, for each role."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction

from conftest import World
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.recruitment import counts, services
from pilotti.recruitment.models import Enrolment, FunnelCount, ReferralSource
from pilotti.recruitment.selectors import enrolments_visible_to, funnel, programme_funnel, unit_funnel
from tests.factories import enrol, make_participant, make_programme, make_unit


def counted_everyhow(world: World, programme: Programme, units: list[DeliveryUnit]) -> None:
    """The kept counts equal a full recount, and every role's funnel equals its enrolments' count."""
    assert counts.differences() == []
    for user in (world.owner, world.coordinator, world.facilitator, world.evaluator, world.outsider):
        viewer = Viewer.everywhere(user)
        visible = enrolments_visible_to(viewer)
        assert programme_funnel(viewer, programme) == funnel(visible.filter(programme=programme), programme)
        for unit in units:
            assert unit_funnel(viewer, unit) == funnel(visible.filter(unit=unit), programme)


def test_every_kind_of_write_keeps_the_counts_exact(world: World) -> None:
    programme = make_programme(world.org)
    programme.segments.create(name="Maahanmuuttajaperheet", target=20, position=1)
    first, second = make_unit(programme), make_unit(programme, name="Tesoma")
    first.facilitators.create(user=world.facilitator)
    units = [first, second]
    people = [
        enrol(make_participant(world.org, name=f"Testi {i}"), first, stage="contacted", segment="Suomalaiset perheet")
        for i in range(4)
    ]
    counted_everyhow(world, programme, units)

    # The services' steps, a correction of a step's date and an undo.
    services.enrolment_transition(actor=None, enrolment=people[0], to="interested", on=date(2019, 10, 2))
    services.enrolment_transition(actor=None, enrolment=people[0], to="enrolled", on=date(2019, 10, 3))
    services.enrolment_transition(actor=None, enrolment=people[1], to="declined", on=date(2019, 10, 3), reason="Ei")
    counted_everyhow(world, programme, units)
    step = services.effective_steps(people[0])[-1]
    services.stage_change_correct(
        actor=None, enrolment=people[0], step=step, on=date(2019, 10, 4), reason="", why="Väärä päivä"
    )
    services.enrolment_undo_step(actor=None, enrolment=Enrolment.objects.get(pk=people[0].pk), why="Vahinko")
    counted_everyhow(world, programme, units)

    # A save that moves a person to another unit and segment; updates and inserts in bulk.
    moved = Enrolment.objects.get(pk=people[2].pk)
    moved.unit, moved.segment = second, "Maahanmuuttajaperheet"
    moved.save()
    Enrolment.objects.filter(pk=people[3].pk).update(stage="started", started_on=date(2019, 10, 9))
    Enrolment.objects.filter(programme=programme).update(referral_source=ReferralSource.SCHOOL)  # not a count
    bulk = [
        Enrolment(
            organisation=world.org,
            programme=programme,
            unit=second if i % 2 else None,
            participant=make_participant(world.org, name=f"Massa {i}"),
            referral_source=ReferralSource.OUTREACH,
            segment="Maahanmuuttajaperheet",
            stage="contacted",
            contacted_on=date(2019, 9, 1),
        )
        for i in range(5)
    ]
    Enrolment.objects.bulk_create(bulk)
    counted_everyhow(world, programme, units)

    # A write that is rolled back leaves the counts as they were.
    before = list(FunnelCount.objects.order_by("pk").values())
    with transaction.atomic():
        savepoint = transaction.savepoint()
        Enrolment.objects.filter(programme=programme).update(unit=first, stage="completed")
        transaction.savepoint_rollback(savepoint)
    assert list(FunnelCount.objects.order_by("pk").values()) == before

    # Deletes one by one and in bulk (history rows and steps go with them): the last enrolment of
    # a group takes its row along.
    Enrolment.objects.get(pk=people[1].pk).delete()
    Enrolment.objects.filter(unit=second).delete()
    counted_everyhow(world, programme, units)
    Enrolment.objects.filter(programme=programme).delete()
    assert not FunnelCount.objects.filter(programme_key=programme.pk).exists()


def test_the_check_command_finds_and_repairs_a_difference(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    programme = make_programme(world.org)
    enrol(make_participant(world.org), make_unit(programme), stage="contacted", segment="Suomalaiset perheet")
    call_command("check_funnel_counts")
    assert "agree" in capsys.readouterr().out
    FunnelCount.objects.filter(programme_key=programme.pk).update(contacted=7)
    with pytest.raises(SystemExit):
        call_command("check_funnel_counts")
    assert "2 group(s) differ" in capsys.readouterr().err  # the unit's row and its organisation's
    call_command("check_funnel_counts", "--repair")
    assert counts.differences() == []
