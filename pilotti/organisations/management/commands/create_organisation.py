from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

from pilotti.organisations.models import Organisation, Role
from pilotti.organisations.services import member_invite, organisation_create


class Command(BaseCommand):
    help = (
        "Creates an organisation and invites its first organisation admin by e-mail. "
        "The invitation link is also printed, for installs without outgoing mail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True, help="Short name, e.g. tampereen-kaupunki")
        parser.add_argument("--kind", required=True, choices=[value for value, _ in Organisation.Kind.choices])
        parser.add_argument("--business-id", required=True, help="Y-tunnus, e.g. 0211675-2")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--site-url", default="http://127.0.0.1:8000", help="Where Pilotti is served")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                organisation = organisation_create(
                    name=options["name"], slug=options["slug"], kind=options["kind"], business_id=options["business_id"]
                )
                links: list[str] = []

                def link_for(token: str) -> str:
                    links.append(
                        options["site_url"].rstrip("/") + reverse("organisations:invitation_accept", args=[token])
                    )
                    return links[-1]

                member_invite(
                    actor=None,
                    organisation=organisation,
                    email=options["admin_email"],
                    role=Role.ADMIN,
                    title="",
                    link_for=link_for,
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {organisation.name} ({organisation.business_id})."))
        self.stdout.write(
            f"Invitation for {options['admin_email']} (valid 7 days, sent from {settings.DEFAULT_FROM_EMAIL}):"
        )
        self.stdout.write(f"  {links[0]}")
