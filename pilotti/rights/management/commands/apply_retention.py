"""``manage.py apply_retention [--dry-run]``, for cron: anonymises the people whose programmes
ended longer ago than their organisation keeps personal data (the same code path as an
erasure on request, history tables included) and prints what it did or would do.

Access logs and the disclosure log are not touched (docs/rights.md)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from pilotti.people.models import Participant
from pilotti.rights import services
from pilotti.rights.models import ErasureReason


class Command(BaseCommand):
    help = "Anonymises personal data past its organisation's retention period."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report what would be done, change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        today = timezone.localdate()
        due = [
            participant
            for participant in Participant.objects.filter(erasure=None).select_related("organisation").order_by("id")
            if services.retention_due(participant, today)
        ]
        verb = "would anonymise" if dry_run else "anonymised"
        for participant in due:
            counts = services.erasure_counts(participant)
            if not dry_run:
                services.participant_erase(actor=None, participant=participant, reason=ErasureReason.RETENTION)
            figures = ", ".join(f"{key} {value}" for key, value in counts.items() if value)
            self.stdout.write(f"{verb} {participant.code} ({participant.organisation.slug}): {figures or 'nothing'}")
        self.stdout.write(f"{len(due)} people {verb}{' (dry run: nothing changed)' if dry_run else ''}.")
