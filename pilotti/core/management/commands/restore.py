"""``manage.py restore FILE``: replaces the database's contents with a backup's."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pilotti.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restores the database from a file made by `manage.py backup`. Stop the app first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args: Any, file: Path, noinput: bool, database: str, **options: Any) -> None:
        if not noinput:
            answer = input(f"Everything in the database '{database}' is replaced by {file}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            restore(file, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the database from {file}. Run `manage.py migrate` if the backup is older than the code."
        )
