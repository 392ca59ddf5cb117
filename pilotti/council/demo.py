"""Demo client council for Ikaalinen's day activity: the seed says the council met every time and
the clients helped develop the activity. The suggestions follow the seed's themes (cooking
together, the dog, trips, visits to places to go on to, continuing after the pilot); the days
follow the unit's own meetings (the next meetings decide and carry out), so they fit whatever
days the meetings demo gave. Idempotent: a unit with any item is left alone."""

from datetime import date

from django.db import transaction

from pilotti.core.zone import HELSINKI
from pilotti.council.models import CouncilItem, Decision
from pilotti.council.services import ItemFields, council_item_add
from pilotti.meetings.models import Meeting
from pilotti.programmes.models import DeliveryUnit

# (meeting index, suggestion, decision, what was decided, meetings later decided, what was done,
# meetings later done)
ITEMS = [
    (
        1,
        "Haluamme laittaa ruokaa yhdessä, ei vain syödä valmista.",
        Decision.ACCEPTED,
        "Yhteinen ruoanlaitto joka toinen kerta; asiakkaat suunnittelevat ruokalistan.",
        1,
        "Ensimmäinen yhteinen ruoanlaitto: keittoa ja leipää.",
        3,
    ),
    (
        2,
        "Koira voisi olla mukana useammin.",
        Decision.ACCEPTED,
        "Koira mukaan kerran viikossa, kun kukaan ryhmästä ei ole allerginen.",
        1,
        "Koira on mukana tiistaisin.",
        2,
    ),
    (
        4,
        "Aloitus myöhemmin, vasta yhdeltätoista.",
        Decision.DECLINED,
        "Kyydit on sovittu kymmeneksi; aamu jatkuu kahvilla, joten tulla saa myöhemminkin.",
        1,
        "",
        0,
    ),
    (
        6,
        "Retki luontopolulle, kun ilmat vielä sallivat.",
        Decision.ACCEPTED,
        "Retki seuraavalla viikolla; eväät tehdään yhdessä.",
        1,
        "Retki lähiluontopolulle, eväät omasta keittiöstä.",
        2,
    ),
    (
        9,
        "Haluaisimme nähdä, missä voisi käydä pilotin jälkeen.",
        Decision.ACCEPTED,
        "Tutustumiskäynti Kamraatinkulman toimintakeskukseen.",
        1,
        "Tutustumiskäynti Kamraatinkulmaan: kolme asiakasta kävi sen jälkeen omin päin.",
        4,
    ),
    (
        14,
        "Omat vuorot kahvinkeittoon ja siivoukseen.",
        Decision.ACCEPTED,
        "Vuorolista seinälle; jokainen valitsee itse.",
        0,
        "Vuorolista käytössä.",
        1,
    ),
    (
        -6,
        "Päivätoiminta jatkumaan pilotin jälkeen.",
        Decision.ACCEPTED,
        "Toimintamalli jatkuu Kamraatinkulman toimintakeskuksen ja PMT-palveluiden yhteistyönä.",
        2,
        "Jatko sovittu; asiakkaat siirtyvät Kamraatinkulman ryhmään.",
        5,
    ),
]


def _day(meeting: Meeting) -> date:
    return meeting.starts_at.astimezone(HELSINKI).date()


@transaction.atomic
def load() -> None:
    unit = DeliveryUnit.objects.filter(programme__slug="ikaalinen-paivatoiminta", name="Päivätoiminta").first()
    if unit is None or CouncilItem.objects.filter(meeting__unit=unit).exists():
        return
    meetings = list(unit.meetings.filter(status=Meeting.Status.HELD).order_by("starts_at"))
    if len(meetings) < 20:
        return
    for index, suggestion, decision, decided, decided_after, action, done_after in ITEMS:
        at = index % len(meetings)
        decided_on = _day(meetings[min(at + decided_after, len(meetings) - 1)])
        done = action and decision == Decision.ACCEPTED
        council_item_add(
            actor=None,
            meeting=meetings[at],
            fields=ItemFields(
                suggestion=suggestion,
                decision=decision,
                decision_text=decided,
                decided_on=decided_on,
                action=action if done else "",
                done_on=_day(meetings[min(at + done_after, len(meetings) - 1)]) if done else None,
            ),
        )
