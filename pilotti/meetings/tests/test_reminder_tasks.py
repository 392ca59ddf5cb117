"""Reminder sending as a background task: cron queues it, the worker sends (docs/deployment.md)."""

from datetime import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from conftest import World
from pilotti.evaluation.tests.downloads import run_worker
from pilotti.meetings import tasks
from pilotti.meetings.models import MeetingReminder
from tests.factories import unit_with_meetings


def _remind() -> str:
    out = StringIO()
    call_command("send_meeting_reminders", stdout=out)
    return out.getvalue()


def test_with_the_database_queue_cron_queues_and_the_worker_sends(
    world: World, frozen_now: datetime, settings: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # type: ignore[attr-defined]
    unit_with_meetings(world.org, facilitator=world.facilitator)
    assert "Queued the sending of meeting reminders for the next 24 h" in _remind()
    assert mail.outbox == []  # cron is done at once; the mail server is the worker's wait
    run_worker(monkeypatch)
    assert [message.to for message in mail.outbox] == [[world.facilitator.email]]
    assert MeetingReminder.objects.count() == 1


def test_a_failed_run_in_process_fails_the_command(
    world: World, frozen_now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> int:
        raise OSError("database gone")

    monkeypatch.setattr(tasks, "send_due_reminders", broken)
    with pytest.raises(RuntimeError, match="OSError: database gone"):
        _remind()  # cron sees a non-zero exit and mails its owner
