"""Leases of running background tasks: no task stays "running" forever.

django-tasks-db marks a task RUNNING when a worker takes it and never looks at it again, so a
worker killed mid-task (a deploy's SIGKILL, an out-of-memory kill of a large PDF) left it RUNNING
for good and its PDF "being prepared" for ever (issue 28). Pilotti's ``db_worker`` command
(core/management/commands/db_worker.py) therefore holds a lease on the task it runs, renewed by
a heartbeat thread every ``TASK_HEARTBEAT_SECONDS``, and on every beat, busy or idle, calls
``recover``:

- a RUNNING task whose lease ran out (nobody renews it: its worker is gone) goes back to the
  queue, and runs at most ``TASK_MAX_ATTEMPTS`` times in all; then it is failed;
- a RUNNING task that started more than ``TASK_TIME_LIMIT`` seconds ago is failed even if its
  worker is alive (a task stuck in a loop, a PDF far beyond what it should take).

A failed task sends django-tasks' ``task_finished`` signal, as a task that raised does, so the
work's owner shows the failure (evaluation's files: the waiting page says so and offers to try
again). Tasks are idempotent here: ``evaluation.files.build`` makes a file once.
"""

import logging
import threading
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from pilotti.core.models import TaskLease

logger = logging.getLogger("pilotti.core.leases")


class WorkerLost(Exception):
    """The worker running the task stopped renewing its lease, as often as a task may be tried."""


class TimeLimitExceeded(Exception):
    """The task ran longer than TASK_TIME_LIMIT."""


def renew(task_id: UUID, worker_id: str, *, now: datetime | None = None) -> None:
    expires_at = (now or timezone.now()) + timedelta(seconds=settings.TASK_LEASE_SECONDS)
    TaskLease.objects.update_or_create(task_id=task_id, defaults={"worker_id": worker_id, "expires_at": expires_at})


def release(task_id: UUID) -> None:
    TaskLease.objects.filter(task_id=task_id).delete()


def _stale(now: datetime) -> "Q":
    expired = TaskLease.objects.filter(expires_at__lte=now).values("task_id")
    # A task claimed a moment ago has no lease yet: without one it counts as lost only after a
    # lease's length (a worker killed between taking the task and its first lease).
    unleased = ~Q(id__in=TaskLease.objects.values("task_id")) & Q(
        started_at__lt=now - timedelta(seconds=settings.TASK_LEASE_SECONDS)
    )
    lost = Q(id__in=expired) | unleased
    return lost | Q(started_at__lt=now - timedelta(seconds=settings.TASK_TIME_LIMIT))


def recover(*, now: datetime | None = None) -> int:
    """Requeues or fails the RUNNING tasks whose worker is gone or that ran past the limit;
    returns how many."""
    now = now or timezone.now()
    failed: list[DBTaskResult[..., Any]] = []
    with transaction.atomic():
        stale = list(DBTaskResult.objects.running().filter(_stale(now)).select_for_update(skip_locked=True))
        for result in stale:
            overdue = result.started_at is not None and result.started_at < now - timedelta(
                seconds=settings.TASK_TIME_LIMIT
            )
            if not overdue and len(result.worker_ids) < settings.TASK_MAX_ATTEMPTS:
                logger.warning("Task %s lost its worker; it is queued again.", result.id)
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
            else:
                error = TimeLimitExceeded if overdue else WorkerLost
                logger.error("Task %s failed: %s.", result.id, error.__doc__)
                result.set_failed(error(error.__doc__))
                failed.append(result)
        TaskLease.objects.filter(task_id__in=[result.id for result in stale]).delete()
    for result in failed:
        task_finished.send(sender=DatabaseBackend, task_result=result.task_result)
    return len(stale)


class Heartbeat(threading.Thread):
    """The worker's second thread: renews the lease of the task being run and recovers others'."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="pilotti-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.current: UUID | None = None
        self.stopped = threading.Event()

    def beat(self) -> None:
        try:
            if (task_id := self.current) is not None:
                renew(task_id, self.worker_id)
            recover()
        except DatabaseError:  # the database is away: the next beat tries again
            logger.warning("Heartbeat of worker %s could not reach the database.", self.worker_id, exc_info=True)
        finally:
            close_old_connections()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.TASK_HEARTBEAT_SECONDS):
                self.beat()
        finally:
            connection.close()
