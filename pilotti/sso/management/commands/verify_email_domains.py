"""Proves organisations' claims to e-mail domains for single sign-on (docs/sso.md).

Run from cron (e.g. hourly) to check every unproven claim's DNS TXT record; or, with
``--approve``, as the operator who has checked ownership some other way.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pilotti.sso.selectors import claims_to_verify
from pilotti.sso.services import dns_txt_records, email_domain_approve, email_domain_verify_by_dns


class Command(BaseCommand):
    help = (
        "Checks the DNS TXT record of every unproven single sign-on e-mail domain, or with --approve "
        "records the operator's approval of one organisation's domain."
    )
    # The DNS lookup: tests give the command a resolver of their own (no network in tests).
    txt_records: Callable[[str], list[str]] = staticmethod(dns_txt_records)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--approve", metavar="DOMAIN", help="Approve this domain without DNS")
        parser.add_argument("--organisation", metavar="SLUG", help="Whose claim --approve approves")
        parser.add_argument("--operator", help="Your name, recorded with the approval")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["approve"]:
            self._approve(options["approve"], options["organisation"] or "", options["operator"] or "")
            return
        for claim in claims_to_verify():
            proven = email_domain_verify_by_dns(claim=claim, txt_records=self.txt_records)
            state = "proven" if proven else f"not proven (no TXT record {claim.txt_name} = {claim.txt_value})"
            self.stdout.write(f"{claim.organisation.slug} {claim.domain}: {state}")

    def _approve(self, domain: str, slug: str, operator: str) -> None:
        claim = claims_to_verify().filter(domain=domain.strip().lower(), organisation__slug=slug).first()
        if claim is None:
            raise CommandError(f"No unproven claim to {domain} by the organisation {slug!r}.")
        try:
            approved = email_domain_approve(claim=claim, operator=operator)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        if not approved:
            raise CommandError(f"{domain} is already proven for another organisation.")
        self.stdout.write(f"{slug} {domain}: approved by {operator}")
