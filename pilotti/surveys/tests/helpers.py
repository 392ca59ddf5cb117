"""Builders for the answering tests: the library, a group with a meeting, links and panels."""

from pilotti.instruments import selectors as instruments
from pilotti.instruments.models import Instrument, InstrumentVersion
from pilotti.instruments.services import library_load
from pilotti.instruments.tests.helpers import make_instrument
from pilotti.organisations.models import Organisation
from pilotti.people.models import Participant
from pilotti.surveys import services
from pilotti.surveys.models import ClientPanel, PersonalLink

# PHQ-9 with its safety item (q9, thoughts of self-harm) answered "several days", the rest 0.
PHQ9_SAFETY_ANSWERS = {**{f"q-q{n}": "0" for n in range(1, 9)}, "q-q9": "1"}

# WHO-5's options per item are 5 (all of the time) … 0 (at no time).
WHO5_ANSWERS = {"q-q1": "5", "q-q2": "4", "q-q3": "3", "q-q4": "2", "q-q5": "1"}  # raw 15, total 60


def library_version(key: str) -> InstrumentVersion:
    if not Instrument.objects.filter(organisation=None, key=key).exists():
        library_load()
    return instruments.current_version(Instrument.objects.get(organisation=None, key=key))


def link_for(
    participant: Participant, key: str = "who-5", *, version: InstrumentVersion | None = None, **kwargs: object
) -> tuple[PersonalLink, str]:
    return services.personal_link_create(  # type: ignore[arg-type]  # the tests pass the service's own keywords
        actor=None, participant=participant, version=version or library_version(key), **kwargs
    )


def panel_for(meeting: object, key: str = "pilotti-meeting-rating", *, kiosk: bool = False) -> ClientPanel:
    return services.panel_set(actor=None, meeting=meeting, version=library_version(key), kiosk=kiosk)  # type: ignore[arg-type]


def safety_instrument(organisation: Organisation, languages: tuple[str, ...] = ("en", "fi")) -> InstrumentVersion:
    """An organisation's PHQ-9 offered in ``languages`` (a test stand-in: the library has English
    wording only), so that it can be answered on a page in another language."""
    instrument = make_instrument(organisation, key="phq-9")
    version = instruments.current_version(instrument)
    version.languages = list(languages)
    version.save(update_fields=["languages"])
    return version
