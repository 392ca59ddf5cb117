"""Background tasks of the meetings app (django-tasks; docs/deployment.md, "Workers")."""

from django.utils import timezone
from django_tasks import task

from pilotti.meetings.reminders import send_due_reminders


@task()
def send_reminders(hours: int) -> int:
    """Sends the reminders due now; the worker, not cron, waits for the mail and SMS servers.
    "Now" is when the task runs, so a queue that fell behind never reminds of a meeting that began."""
    return send_due_reminders(now=timezone.now(), hours=hours)
