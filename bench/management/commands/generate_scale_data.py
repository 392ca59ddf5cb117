"""``manage.py generate_scale_data --participants N [--seed S]``: a national data set (docs/benchmarks.md)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.generator import AlreadyGenerated, Generator

MAX_PARTICIPANTS = 1_000_000


class Command(BaseCommand):
    help = (
        "Makes a realistic data set for load and benchmark work: one wellbeing services county running "
        "four services with N participants, their units, enrolments, meetings, roll calls and answers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, required=True, help="How many participants, e.g. 100000.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data (default 1).")

    def handle(self, *args: Any, participants: int, seed: int, **options: Any) -> None:
        if not 1 <= participants <= MAX_PARTICIPANTS:
            raise CommandError(f"--participants must be between 1 and {MAX_PARTICIPANTS}; you gave {participants}.")
        if seed < 0:
            raise CommandError(f"--seed must be zero or more; you gave {seed}.")
        verbose = int(options.get("verbosity", 1)) >= 2
        started, cpu = time.monotonic(), time.process_time()
        generator = Generator(participants, seed, progress=self.stdout.write if verbose else None)
        try:
            counts = generator.run()
        except AlreadyGenerated as error:
            raise CommandError(
                f"The organisation {error} already exists in this database: scale data for seed {seed} was made "
                "earlier. Use another --seed, or an empty database."
            ) from error
        seconds, cpu = time.monotonic() - started, time.process_time() - cpu
        rows = sum(counts.values())
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label:40} {count:>10}")
        # CPU time too: on a shared machine the wall-clock time says more about the neighbours.
        self.stdout.write(
            f"{rows} rows in {seconds:.1f} s ({rows / max(seconds, 1e-9):.0f} rows/s), "
            f"{cpu:.1f} s of CPU in this process"
        )
