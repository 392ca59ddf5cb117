import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pilotti.recruitment import counts


class Command(BaseCommand):
    help = (
        "Compares the funnel's kept counts (recruitment.counts, kept by database triggers) with a full recount "
        "of the enrolments, and exits with 1 if they differ; --repair rebuilds them from the enrolments."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repair", action="store_true", help="rebuild the counts from the enrolments")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["repair"]:
            counts.recount()
        found = counts.differences()
        if not found:
            self.stdout.write("The funnel's counts agree with a full recount.")
            return
        for kept, recounted in found:
            self.stderr.write(f"kept {kept}, recounted {recounted}")
        self.stderr.write(f"{len(found)} group(s) differ; run with --repair to rebuild the counts.")
        sys.exit(1)
