"""The access log: written by every page that shows identifying data, readable by coordinators, never edited."""

import pytest
from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog, AppendOnlyError
from pilotti.audit.services import log_access
from tests.factories import make_household, make_participant


def test_it_records_who_whose_what_why_and_from_where(world: World) -> None:
    participant = make_participant(world.org)
    signed_in(world.coordinator).get(
        reverse("people:detail", args=[participant.uuid]), HTTP_USER_AGENT="Testiselain/1.0", REMOTE_ADDR="192.0.2.7"
    )
    entry = AccessLog.objects.get()
    assert entry.user == world.coordinator
    assert (entry.user_email, entry.role, entry.organisation) == (world.coordinator.email, "coordinator", world.org)
    assert (entry.participant, entry.participant_code) == (participant, participant.code)
    assert (entry.action, entry.category, entry.purpose, entry.result) == (
        "view",
        "contact_details",
        "client_work",
        "shown",
    )
    assert (entry.ip_address, entry.user_agent) == ("192.0.2.7", "Testiselain/1.0")
    assert entry.at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_it_logs_an_evaluators_view_as_the_pseudonymous_profile(world: World) -> None:
    participant = make_participant(world.org)
    signed_in(world.evaluator).get(reverse("people:detail", args=[participant.uuid]))
    assert AccessLog.objects.get().category == "profile"


def test_it_cannot_be_changed_or_deleted(world: World) -> None:
    participant = make_participant(world.org)
    entry = log_access(
        world.coordinator, participant=participant, action="view", category="profile", purpose="client_work"
    )  # type: ignore[arg-type]
    entry.purpose = "search"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=entry.pk).update(purpose="search")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get().purpose == "client_work"


def test_it_shows_the_persons_log_to_the_coordinator_only(world: World) -> None:
    participant = make_participant(world.org)
    signed_in(world.evaluator).get(reverse("people:detail", args=[participant.uuid]))
    page = signed_in(world.coordinator).get(reverse("people:detail", args=[participant.uuid])).content.decode()
    assert "Access log" in page
    assert world.evaluator.email in page
    evaluator_page = signed_in(world.evaluator).get(reverse("people:detail", args=[participant.uuid])).content.decode()
    assert "Access log" not in evaluator_page


def test_it_logs_the_household_page(world: World) -> None:
    household = make_household(make_participant(world.org))
    signed_in(world.coordinator).get(reverse("people:household_detail", args=[household.uuid]))
    entry = AccessLog.objects.get()
    assert (entry.household, entry.category, entry.participant_code) == (household, "household", household.code)


def test_it_is_append_only_in_the_database_itself_on_postgresql(world: World) -> None:
    from django.db import DatabaseError, connection, transaction

    entry = log_access(
        world.coordinator,
        participant=make_participant(world.org),
        action="view",
        category="profile",
        purpose="client_work",
    )
    statements = [
        ("UPDATE audit_accesslog SET user_email = %s WHERE id = %s", ["someone@else.example", entry.pk]),
        ("DELETE FROM audit_accesslog WHERE id = %s", [entry.pk]),
    ]
    for sql, params in statements:
        if connection.vendor == "postgresql":
            # Raw SQL, past the model: the trigger refuses it.
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
        else:
            # SQLite (the embedded default) has no such guard: only the application refuses.
            with pytest.raises(AppendOnlyError):
                AccessLog.objects.filter(pk=entry.pk).update(user_email="someone@else.example")
    entry.refresh_from_db()
    assert entry.user_email == world.coordinator.email
