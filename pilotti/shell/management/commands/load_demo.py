import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from pilotti.costs import demo as costs_demo
from pilotti.council import demo as council_demo
from pilotti.handbook import demo as handbook_demo
from pilotti.instruments.services import library_load
from pilotti.interviews import demo as interviews_demo
from pilotti.measurement import demo as measurement_demo
from pilotti.meetings import demo as meetings_demo
from pilotti.meetings import programmes_demo
from pilotti.organisations import demo as organisations_demo
from pilotti.organisations.demo import DEMO_PASSWORD
from pilotti.recruitment import demo as people_demo
from pilotti.serviceuse import demo as serviceuse_demo
from pilotti.staff import demo as staff_demo


class Command(BaseCommand):
    help = "Loads the demo pilots and demo accounts. Idempotent: a second run changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-demo-accounts",
            action="store_true",
            help="Load the demo accounts (published password, no second factor) into a database that is not local",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # A demo account signs in with a published password and no second factor: on a real
        # database with DEBUG off that is a way in for anyone (issue 19, finding 12).
        local = os.environ.get("DATABASE_URL", settings.LOCAL_DATABASE_URL) == settings.LOCAL_DATABASE_URL
        if not (settings.DEBUG or local or settings.ALLOW_DEMO_ACCOUNTS or options["allow_demo_accounts"]):
            raise CommandError(
                "Not loading demo accounts with a published password into this database (DATABASE_URL is set and "
                "DEBUG is off). Load them only into a demo install: add --allow-demo-accounts, or set "
                "PILOTTI_ALLOW_DEMO_ACCOUNTS=1."
            )
        with translation.override("en"):
            library_load()  # the shipped instruments first: the demo pilots answer them
            sign_ins = organisations_demo.load()
            programmes_demo.load()
            people_demo.load()
            meetings_demo.load()
            measurement_demo.load()  # after people, recruitment and meetings: it answers for them
            costs_demo.load()  # after the meetings: staff time is counted from their roll calls
            handbook_demo.load()
            interviews_demo.load()  # after people and meetings: the interviews follow the last held meeting
            council_demo.load()  # after the meetings: items follow Ikaalinen's held meetings
            serviceuse_demo.load()  # after people and meetings: counts follow the families' tracks
            staff_demo.load()  # after the programmes: Tampere's nurses and peer instructors work in its units
        self.stdout.write(self.style.SUCCESS(f"Demo data is loaded. Demo sign-ins (password: {DEMO_PASSWORD}):"))
        for email, role in sign_ins:
            self.stdout.write(f"  {email:<28} {role}")
