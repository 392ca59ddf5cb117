from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from pilotti.people import search


class Command(BaseCommand):
    help = (
        "Recomputes the name-search tokens of every person's contact details (people.search). The migration "
        "that added them ran it once; run it again if the tokens are ever in doubt."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = search.name_tokens_rebuild()
        self.stdout.write(f"Name-search tokens rebuilt for {count} people.")
