from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django_tasks import TaskResultStatus

from pilotti.meetings.tasks import send_reminders


class Command(BaseCommand):
    help = (
        "Sends reminders of meetings that start within MEETING_REMINDER_HOURS (default 24), each person once. "
        "Run it from cron, e.g. every 15 minutes. With the database task queue (TASKS_BACKEND=database) it "
        "queues the sending for `manage.py db_worker`; otherwise it sends at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=None, help="Lead time in hours instead of the setting.")

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"] if options["hours"] is not None else settings.MEETING_REMINDER_HOURS
        result = send_reminders.enqueue(hours)
        if result.status == TaskResultStatus.SUCCESSFUL:
            if options["verbosity"] > 0:
                self.stdout.write(f"Sent {result.return_value} meeting reminder(s) for the next {hours} h.")
        elif result.status == TaskResultStatus.FAILED:
            # Ran here and failed: cron sees the exit status and mails the error.
            raise RuntimeError(f"Sending meeting reminders failed:\n{result.errors[-1].traceback}")
        elif options["verbosity"] > 0:
            self.stdout.write(f"Queued the sending of meeting reminders for the next {hours} h (task {result.id}).")
