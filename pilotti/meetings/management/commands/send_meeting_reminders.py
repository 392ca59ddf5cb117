from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from pilotti.meetings.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Sends reminders of meetings that start within MEETING_REMINDER_HOURS (default 24), each person once. "
        "Run it from cron, e.g. every 15 minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=None, help="Lead time in hours instead of the setting.")

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"] if options["hours"] is not None else settings.MEETING_REMINDER_HOURS
        sent = send_due_reminders(now=timezone.now(), hours=hours)
        if options["verbosity"] > 0:
            self.stdout.write(f"Sent {sent} meeting reminder(s) for the next {hours} h.")
