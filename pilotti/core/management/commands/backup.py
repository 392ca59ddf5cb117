"""``manage.py backup --out FILE``: a consistent copy of the database while the app runs."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pilotti.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Backs up the database to a file (SQLite: online backup API; PostgreSQL: pg_dump -Fc)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="the backup file to write (mode 0600)")
        parser.add_argument("--force", action="store_true", help="replace the file if it exists")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args: Any, out: Path, force: bool, database: str, **options: Any) -> None:
        try:
            backup(out, alias=database, overwrite=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up the database to {out} ({out.stat().st_size} bytes).")
        self.stdout.write(
            "The contact-detail encryption keys are not in it: keep a copy of FIELD_ENCRYPTION_KEYS "
            "(or var/field_encryption_key) apart from the backups (docs/security.md)."
        )
