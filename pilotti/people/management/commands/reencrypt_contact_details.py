from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from pilotti.people import crypto, search
from pilotti.people.models import ContactDetails
from pilotti.people.services import IDENTITY_CODE_INDEX, NAME_INDEX, normalise_name

ENCRYPTED = ["name", "phone", "email", "address", "identity_code"]


class Command(BaseCommand):
    help = (
        "Rewrites every contact detail, and its history, with the first key of FIELD_ENCRYPTION_KEYS and "
        "recomputes the blind indexes and name-search tokens. Run after putting a new key first; then the old "
        "keys can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        history = ContactDetails.history.model
        with transaction.atomic():
            rows = list(ContactDetails.objects.select_related("participant__organisation"))
            for contact in rows:
                scope = str(contact.participant.organisation.uuid)
                contact.identity_code_index = crypto.blind_index(IDENTITY_CODE_INDEX, scope, contact.identity_code)
                contact.name_index = crypto.blind_index(NAME_INDEX, scope, normalise_name(contact.name))
            # Values were decrypted with whichever key opens them; writing encrypts with the first key.
            ContactDetails.objects.bulk_update(rows, [*ENCRYPTED, "identity_code_index", "name_index"], batch_size=500)
            past = list(history.objects.all())
            history.objects.bulk_update(past, ENCRYPTED, batch_size=500)
            search.name_tokens_rebuild()
        self.stdout.write(f"Re-encrypted {len(rows)} contact details and {len(past)} history rows.")
