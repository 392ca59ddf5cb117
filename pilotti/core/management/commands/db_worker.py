"""``manage.py db_worker``: django-tasks-db's worker, with leases on the tasks it runs (core/leases.py).

Pilotti's core app comes before django_tasks_db in INSTALLED_APPS, so this command is the one
``db_worker`` runs; its options are the library's.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from pilotti.core import leases

logger = logging.getLogger("pilotti.core.leases")


class LeasedWorker(db_worker.Worker):
    def run(self) -> None:
        self.heartbeat = leases.Heartbeat(self.worker_id)
        self.heartbeat.start()
        try:
            super().run()
        finally:
            self.heartbeat.stopped.set()
            self.heartbeat.join(timeout=settings.TASK_HEARTBEAT_SECONDS)  # it closes its connection

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        self.heartbeat.current = db_task_result.id
        self._lease(leases.renew, db_task_result.id, self.worker_id)
        try:
            super().run_task(db_task_result)
        finally:
            self.heartbeat.current = None
            self._lease(leases.release, db_task_result.id)

    @staticmethod
    def _lease(change: Callable[..., None], *args: Any) -> None:
        """A lease the database does not take now (SQLite locked, PostgreSQL away) must not stop
        the task: the heartbeat renews it, and a lease left behind runs out."""
        try:
            change(*args)
        except DatabaseError:
            logger.warning("Could not change the lease of task %s.", args[0], exc_info=True)


class Command(db_worker.Command):
    help = "Runs background tasks from the database queue, taking back those whose worker died (docs/deployment.md)"

    def handle(self, *args: Any, **options: Any) -> None:
        # The library's handle builds the worker from its module's Worker class.
        db_worker.Worker = LeasedWorker  # type: ignore[misc]  # swaps in the leased worker class
        super().handle(*args, **options)
