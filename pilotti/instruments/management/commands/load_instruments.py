from typing import Any

from django.core.management.base import BaseCommand

from pilotti.instruments.services import library_load


class Command(BaseCommand):
    help = "Creates or updates the shipped instrument library from pilotti/instruments/library/*.json. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        for key, outcome in library_load():
            self.stdout.write(f"  {key:<28} {outcome}")
        self.stdout.write(self.style.SUCCESS("The instrument library is loaded."))
