from typing import Any

from django.core.management.base import BaseCommand

from pilotti.evaluation import files, services, versions


class Command(BaseCommand):
    help = (
        "Deletes generated report PDFs and data exports older than GENERATED_FILE_HOURS (default 24), report "
        "files laid out by `manage.py report` more than a day ago, and the change rows behind the reports' data "
        "versions but the newest of each programme. Run it from cron, e.g. hourly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = files.prune() + services.rendered_prune()
        changes = versions.prune()
        if options["verbosity"] > 0:
            self.stdout.write(f"Deleted {deleted} generated file(s). Deleted {changes} old report version row(s).")
