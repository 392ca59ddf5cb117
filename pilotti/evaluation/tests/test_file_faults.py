"""A file whose task lost its worker or ran past its limit: queued again or failed, never "being
prepared" for ever; a slow file can be asked for again (core/leases.py, files.settle)."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from conftest import World, signed_in
from pilotti.core import leases
from pilotti.core.models import TaskLease
from pilotti.evaluation.models import GeneratedFile
from tests.factories import build

Status = GeneratedFile.Status


@pytest.fixture
def queue(settings: pytest.FixtureRequest) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # type: ignore[attr-defined]
    settings.TASKS_BACKEND = "database"  # type: ignore[attr-defined]


def asked(world: World) -> GeneratedFile:
    pilot = build(world, people=3)
    response = signed_in(world.evaluator).post(reverse("evaluation:programme_report_pdf", args=[pilot.programme.slug]))
    assert response.status_code == 303
    return GeneratedFile.objects.get()


def taken(worker: str, *, started: datetime, attempts: int = 1) -> DBTaskResult[..., Any]:
    """The file's task as a worker took it, ``started`` then (a worker that then died)."""
    result = DBTaskResult.objects.get()
    result.status = TaskResultStatus.RUNNING
    result.started_at = started
    result.worker_ids = [f"{worker}-{n}" for n in range(attempts)]
    result.save()
    return result


def test_a_task_whose_worker_died_is_queued_again(world: World, queue: None) -> None:
    asked(world)
    now = timezone.now()
    taken("killed", started=now - timedelta(seconds=30))
    leases.renew(DBTaskResult.objects.get().id, "killed", now=now - timedelta(seconds=70))  # last beat 70 s ago
    assert leases.recover(now=now) == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    assert not TaskLease.objects.exists()
    assert GeneratedFile.objects.get().status == Status.PENDING  # the next worker makes it


def test_a_live_lease_is_left_alone(world: World, queue: None) -> None:
    asked(world)
    now = timezone.now()
    taken("alive", started=now - timedelta(seconds=300))
    leases.renew(DBTaskResult.objects.get().id, "alive", now=now - timedelta(seconds=5))
    assert leases.recover(now=now) == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


def test_a_task_lost_as_often_as_it_may_be_tried_fails_and_its_page_says_so(world: World, queue: None) -> None:
    generated = asked(world)
    taken("killed", started=timezone.now() - timedelta(minutes=5), attempts=2)  # no lease: never renewed
    page = signed_in(world.evaluator).get(reverse("evaluation:file_status", args=[generated.uuid]))
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert "WorkerLost" in DBTaskResult.objects.get().exception_class_path
    assert GeneratedFile.objects.get().status == Status.FAILED
    text = page.content.decode()
    assert "The file could not be made." in text
    assert "Try again" in text
    assert f'"{reverse("evaluation:programme_report_pdf", args=[generated.programme.slug])}"' in text


def test_a_task_past_its_time_limit_fails_even_while_its_worker_beats(world: World, queue: None) -> None:
    asked(world)
    now = timezone.now()
    taken("stuck", started=now - timedelta(seconds=901))
    leases.renew(DBTaskResult.objects.get().id, "stuck", now=now)
    assert leases.recover(now=now) == 1
    assert "TimeLimitExceeded" in DBTaskResult.objects.get().exception_class_path
    assert GeneratedFile.objects.get().status == Status.FAILED


def test_a_slow_file_is_said_to_be_slow_and_can_be_asked_for_again(world: World, queue: None) -> None:
    generated = asked(world)
    GeneratedFile.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    client = signed_in(world.evaluator)
    status_url = reverse("evaluation:file_status", args=[generated.uuid])
    poll = {"HX-Request": "true"}
    part = client.get(status_url, headers=poll)
    assert part.status_code == 200  # the change is said once
    assert "This takes longer than expected." in part.content.decode()
    assert client.get(f"{status_url}?shown=slow", headers=poll).status_code == 204
    again = reverse("evaluation:programme_report_pdf", args=[generated.programme.slug])
    assert f'"{again}"' in part.content.decode()
    assert client.post(again).status_code == 303
    assert GeneratedFile.objects.filter(status=Status.PENDING).count() == 2  # the stale one did not block it


def test_a_file_never_made_fails_when_every_attempt_must_have_ended(world: World) -> None:
    """Without a queue (SQLite: made in the web process), a process killed mid-file left it pending."""
    generated = asked(world)
    GeneratedFile.objects.update(status=Status.PENDING, created_at=timezone.now() - timedelta(seconds=1801))
    page = signed_in(world.evaluator).get(reverse("evaluation:file_status", args=[generated.uuid]))
    assert "The file could not be made." in page.content.decode()
    assert GeneratedFile.objects.get().status == Status.FAILED
