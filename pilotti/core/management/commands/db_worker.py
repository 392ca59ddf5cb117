"""``manage.py db_worker``: django-tasks-db's worker, with leases on the tasks it runs (core/leases.py).

Pilotti's core app comes before django_tasks_db in INSTALLED_APPS, so this command is the one
``db_worker`` runs; its options are the library's.
"""

from typing import Any

from django.conf import settings
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from pilotti.core import leases


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
        leases.renew(db_task_result.id, self.worker_id)
        self.heartbeat.current = db_task_result.id
        try:
            super().run_task(db_task_result)
        finally:
            self.heartbeat.current = None
            leases.release(db_task_result.id)


class Command(db_worker.Command):
    help = "Runs background tasks from the database queue, taking back those whose worker died (docs/deployment.md)"

    def handle(self, *args: Any, **options: Any) -> None:
        # The library's handle builds the worker from its module's Worker class.
        db_worker.Worker = LeasedWorker  # type: ignore[misc]
        super().handle(*args, **options)
