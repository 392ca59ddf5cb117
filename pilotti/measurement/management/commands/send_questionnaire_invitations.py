from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from pilotti.measurement.invitations import send_due


class Command(BaseCommand):
    help = (
        "Sends the measurement plan's questionnaire invitations and reminders that are due now, each once, "
        "between QUESTIONNAIRE_SENDING_HOURS (Helsinki). Run it from cron, e.g. every 15 minutes; running it "
        "on two servers at once sends nothing twice (docs/measurement.md, Invitations)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_due(now=timezone.now())
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Sent {counts['sent']} questionnaire invitation(s) and {counts['reminded']} reminder(s)."
            )
