from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from pilotti.instruments.services import library_load
from pilotti.measurement import demo as measurement_demo
from pilotti.meetings import demo as meetings_demo
from pilotti.organisations import demo as organisations_demo
from pilotti.organisations.demo import DEMO_PASSWORD
from pilotti.people import demo as people_demo
from pilotti.programmes import demo as programmes_demo


class Command(BaseCommand):
    help = "Loads the demo pilots and demo accounts. Idempotent: a second run changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            library_load()  # the shipped instruments first: the demo pilots answer them
            sign_ins = organisations_demo.load()
            programmes_demo.load()
            people_demo.load()
            meetings_demo.load()
            measurement_demo.load()  # after people, recruitment and meetings: it answers for them
        self.stdout.write(self.style.SUCCESS(f"Demo data is loaded. Demo sign-ins (password: {DEMO_PASSWORD}):"))
        for email, role in sign_ins:
            self.stdout.write(f"  {email:<28} {role}")
