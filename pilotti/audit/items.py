"""The access log's "what" (``AccessLog.item``) in the reader's language.

Items are stored as written when the access happened, in English, so that the log stays the same
record whatever language its reader uses (and stays searchable). A page shows the known ones in
the page's language: the fixed phrases, the contact-detail fields of a change ("phone, email"),
and a roll call's unit and day ("roll call Hervanta 2026-12-06" → "läsnäolot Hervanta 6.12.2026").
Anything else (a file's name, a search) is shown as stored.
"""

import re
from datetime import date
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PHRASES: dict[str, "StrOrPromise"] = {
    "created": pgettext_lazy("access log item", "created"),
    "absent twice in a row": gettext_lazy("absent twice in a row"),
    "consent form": gettext_lazy("consent form"),
    "due questionnaires": gettext_lazy("due questionnaires"),
    "edit form": gettext_lazy("edit form"),
    "enrolment form": gettext_lazy("enrolment form"),
    "erasure (Art. 17)": gettext_lazy("erasure (Art. 17)"),
    "erasure page": gettext_lazy("erasure page"),
    "household erasure (Art. 17)": gettext_lazy("household erasure (Art. 17)"),
    "meeting's questionnaires": gettext_lazy("meeting's questionnaires"),
    "paper entry": gettext_lazy("paper entry"),
    "participant list": gettext_lazy("participant list"),
    "questionnaire links": gettext_lazy("questionnaire links"),
    "reminder choice": gettext_lazy("reminder choice"),
    "safety alert": gettext_lazy("safety alert"),
    "safety alert acknowledged": gettext_lazy("safety alert acknowledged"),
    "safety alert list": gettext_lazy("safety alert list"),
    "scores over time": gettext_lazy("scores over time"),
    "unit roster": gettext_lazy("the unit's people"),
    # The contact details' fields (people.services.ContactFields), alone or listed.
    "name": pgettext_lazy("contact detail", "name"),
    "phone": pgettext_lazy("contact detail", "phone"),
    "email": pgettext_lazy("contact detail", "e-mail"),
    "address": pgettext_lazy("contact detail", "address"),
    "identity_code": pgettext_lazy("contact detail", "personal identity code"),
}
ROLL_CALL = re.compile(r"^roll call (?P<unit>.+) (?P<day>\d{4}-\d{2}-\d{2})$")


def item_label(item: str) -> str:
    if item in PHRASES:
        return str(PHRASES[item])
    if match := ROLL_CALL.match(item):
        day = date_format(date.fromisoformat(match["day"]), "SHORT_DATE_FORMAT")
        return gettext("roll call %(unit)s %(date)s") % {"unit": match["unit"], "date": day}
    parts = item.split(", ")
    if len(parts) > 1 and all(part in PHRASES for part in parts):
        return ", ".join(str(PHRASES[part]) for part in parts)
    return item
