"""The surveys app's side of the measurement plan's invitations (``measurement.invitations``).

The measurement app decides who is invited when and sends; the link it sends is a personal
link of this app, and the words are here so that the participant languages' catalogues
(``surveys/locale``) hold them beside the other messages a participant reads.
"""

import secrets
from datetime import datetime, timedelta
from uuid import UUID

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilotti.core.tokens import hash_token
from pilotti.instruments.models import InstrumentVersion
from pilotti.people.models import Participant
from pilotti.surveys.models import PersonalLink
from pilotti.surveys.services import link_url


class InvitationLinks:
    def create(
        self, *, participant: Participant, version: InstrumentVersion, expires_at: datetime, channel: str
    ) -> tuple[UUID, str]:
        """A personal link that works until the invitation expires; the person's page lists it."""
        token = secrets.token_urlsafe(32)
        link = PersonalLink.objects.create(
            organisation_id=participant.organisation_id,
            participant=participant,
            version=version,
            token_hash=hash_token(token),
            created_by=None,
            expires_at=expires_at,
            sent_by=channel,
        )
        return link.uuid, token

    def url(self, token: str) -> str:
        return link_url(token)

    def compose(
        self, *, reminder: bool, language: str, sender: str, title: str, expires_at: datetime, url: str
    ) -> tuple[str, str]:
        """The subject and body in the person's language, opening with who sends it."""
        with translation.override(language):
            values = {
                "title": title,
                "url": url,
                # The last day the link works (it closes at midnight after it).
                "date": date_format(timezone.localtime(expires_at - timedelta(seconds=1)), "SHORT_DATE_FORMAT"),
            }
            if reminder:
                subject = _("Reminder: %(title)s") % values
                text = _("A reminder: please answer the questionnaire “%(title)s” by %(date)s: %(url)s") % values
            else:
                subject = _("A questionnaire for you: %(title)s") % values
                text = _("Please answer the questionnaire “%(title)s” by %(date)s: %(url)s") % values
            body = f"{sender}: {text}"
            return f"{sender}: {subject}", body + "\n\n" + _("The link is personal: please do not share it.") + "\n"
