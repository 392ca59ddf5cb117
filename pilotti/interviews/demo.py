"""Demo interviews coded into themes, with quotes checked as publishable, for two seed pilots.

The findings are the seeds': Valoa arkeen's parents found hope, a lighter everyday load with small
children, and a remote service that felt safe, flexible and less stigmatising; Perhe yhtenäiseksi's
professionals and client families, interviewed after the roll-out, told of mapping the family's
situation first and of less need for family work. The words are invented for the demo, written
as such interviews are; no real person said them. The interviews follow each pilot's last held
meeting (never after the day the demo is loaded). Idempotent: a programme with a theme is left alone.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from pilotti.accounts.models import User
from pilotti.interviews import services
from pilotti.interviews.models import Interview, Interviewee, Theme
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Membership, Role
from pilotti.people.models import ConsentPurpose, Participant
from pilotti.people.services import consent_give
from pilotti.programmes.models import Programme


@dataclass(frozen=True)
class Said:
    text: str
    themes: tuple[str, ...]
    publishable: bool = False


@dataclass(frozen=True)
class Person:
    """A participant (role empty: the next enrolled parent) or a staff member or partner by role."""

    said: tuple[Said, ...]
    role: str = ""
    kind: str = Interviewee.Kind.PARTICIPANT


@dataclass(frozen=True)
class DemoInterviews:
    themes: tuple[tuple[str, str, str], ...]  # (name, description, parent's name or "")
    title: str
    guide: str
    people: tuple[Person, ...]
    group_title: str = ""
    group: tuple[Person, ...] = ()


HOPE, LOAD, RESOURCES, REMOTE, STIGMA, FLEXIBLE, TECH = (
    "Toivo",
    "Kevyempi arki",
    "Huomio voimavaroihin",
    "Etätapaamiset",
    "Vähäisempi leima",
    "Joustavuus",
    "Tekniset hankaluudet",
)
MAPPING, LESS_WORK, TOOLS, TRUST = (
    "Perheen tilanteen kartoitus",
    "Perhetyön tarve väheni",
    "Työvälineet",
    "Luottamus työntekijään",
)

DEMO = {
    "valoa-arkeen": DemoInterviews(
        themes=(
            (HOPE, "Usko siihen, että arki ja vanhemmuus kantavat.", ""),
            (LOAD, "Pikkulapsiarjen kuormitus keveni.", ""),
            (RESOURCES, "Huomio siirtyi vanhemmuuden, lapsen ja arjen voimavaroihin.", LOAD),
            (REMOTE, "Kokemukset etäyhteydellä toteutetuista tapaamisista.", ""),
            (STIGMA, "Etäpalveluun oli helpompi tulla kuin lähipalveluun.", REMOTE),
            (FLEXIBLE, "Tapaamiset sopivat työ- ja perhe-elämän keskelle.", REMOTE),
            (TECH, "Yhteyden ja laitteiden ongelmat.", REMOTE),
        ),
        title="Vanhemman haastattelu jakson jälkeen",
        guide=(
            "Millaista arkenne oli ennen tapaamisia?\n"
            "Mikä tapaamisissa auttoi, mikä ei?\n"
            "Millaista oli tavata työpari etäyhteydellä?\n"
            "Mitä toivoisit muuttuvan?"
        ),
        people=(
            Person(
                (
                    Said("Ensimmäistä kertaa pitkään aikaan tuntui, että tästä selvitään.", (HOPE,), True),
                    Said("Kotoa oli helppo osallistua, kun ei tarvinnut lähteä minnekään vauvan kanssa.", (FLEXIBLE,)),
                )
            ),
            Person(
                (
                    Said("Arki ei tunnu enää yhtä raskaalta, osaan pysähtyä.", (LOAD,), True),
                    Said(
                        "En olisi mennyt vastaanotolle paikan päälle, mutta kotoa oli helpompi puhua.", (STIGMA,), True
                    ),
                )
            ),
            Person(
                (
                    Said("Sain toivoa siitä, että väsymys ei ole pysyvää.", (HOPE, LOAD)),
                    Said("Ruudun kautta oli jotenkin turvallisempi kertoa omista vaikeuksista.", (STIGMA,)),
                )
            ),
            Person(
                (
                    Said("Aloin huomata, mitä lapsen kanssa menee hyvin.", (RESOURCES, HOPE), True),
                    Said("Tapaaminen mahtui päiväunien ajalle.", (FLEXIBLE,)),
                    Said("Yhteys katkesi pari kertaa.", (TECH,)),
                )
            ),
            Person(
                (
                    Said("Iltaisin jaksan nyt paremmin, kun päivät eivät ole pelkkää selviytymistä.", (LOAD,)),
                    Said("Kukaan ei nähnyt minua menemässä mihinkään, se helpotti.", (STIGMA,)),
                    Said("Luotan siihen, että meistä tulee hyvä perhe.", (HOPE,)),
                )
            ),
            Person(
                (
                    Said("Kuormitus keveni, kun puhuimme siitä, mikä on oikeasti tärkeää.", (LOAD, RESOURCES)),
                    Said("Etänä oli matalampi kynnys ottaa puheeksi jaksaminen.", (STIGMA,)),
                    Said("Mikrofonin kanssa oli alussa hankaluuksia.", (TECH,)),
                )
            ),
        ),
        group_title="Työparin ryhmähaastattelu",
        group=(
            Person(
                (
                    Said("Vanhemmat tulivat tapaamisiin rennommin kuin vastaanotolle.", (STIGMA,)),
                    Said("Moni kertoi, että arki keveni jo muutaman tapaamisen jälkeen.", (LOAD,), True),
                ),
                role="sosiaalityöntekijä, työpari",
                kind=Interviewee.Kind.STAFF,
            ),
            Person(
                (Said("Monelle äidille tärkeintä oli kuulla, että väsymys menee ohi.", (HOPE,), True),),
                role="terveydenhoitaja, työpari",
                kind=Interviewee.Kind.STAFF,
            ),
            Person(
                (
                    Said("Neuvolasta ohjatut perheet pääsivät alkuun nopeasti.", (FLEXIBLE,)),
                    Said("Osa äideistä ei olisi tullut vastaanotolle, mutta etänä he tulivat.", (STIGMA,)),
                ),
                role="neuvolan terveydenhoitaja",
                kind=Interviewee.Kind.PARTNER,
            ),
        ),
    ),
    "perhe-yhtenaiseksi": DemoInterviews(
        themes=(
            (MAPPING, "Perheen tilanne kartoitettiin ensin, kotoutumissuunnitelman yhteydessä.", ""),
            (LESS_WORK, "Perhetyötä tarvittiin vähemmän mallin käytön myötä.", ""),
            (TOOLS, "Toimintamallin työvälineet ja menetelmät työssä.", ""),
            (TRUST, "Perheen luottamus työntekijään.", ""),
        ),
        title="Käyttöönoton jälkeinen haastattelu",
        guide=(
            "Miten perheen tilannetta kartoitettiin?\n"
            "Mitkä työvälineet olivat käytössä?\n"
            "Mikä muuttui perheen arjessa tai palveluissa?"
        ),
        people=(
            Person(
                (
                    Said(
                        "Puhuimme koko perheen kanssa heti alussa, ja lapsetkin tulivat kuulluiksi.", (MAPPING,), True
                    ),
                    Said("Työntekijä ymmärsi meidän tilanteemme.", (TRUST,)),
                )
            ),
            Person(
                (
                    Said("Riitoja on vähemmän, kun tiedämme, mistä apua saa.", (LESS_WORK,), True),
                    Said("Kartoitus auttoi näkemään, mikä meille on vaikeaa uudessa maassa.", (MAPPING,)),
                )
            ),
            Person((Said("Luotin siihen, että asiat pysyvät meidän välillämme.", (TRUST,)),)),
            Person((Said("Kuvat ja kortit auttoivat puhumaan, vaikka kieli oli vaikea.", (TOOLS,), True),)),
        ),
        group_title="Ammattilaisten ryhmähaastattelu käyttöönoton jälkeen",
        group=(
            Person(
                (
                    Said(
                        "Kun tilanne kartoitetaan heti alussa, perhetyöhön ohjataan harvemmin.",
                        (LESS_WORK, MAPPING),
                        True,
                    ),
                    Said("Opas teki mallista helpon ottaa käyttöön.", (TOOLS,)),
                ),
                role="sosiaaliohjaaja, maahanmuuttajapalvelut",
                kind=Interviewee.Kind.STAFF,
            ),
            Person(
                (Said("Perhetyön asiakkuuksia on tullut vähemmän kuin ennen.", (LESS_WORK,)),),
                role="perhetyön esihenkilö",
                kind=Interviewee.Kind.STAFF,
            ),
            Person(
                (Said("Kokkolassa työvälineet otettiin käyttöön muutamassa viikossa.", (TOOLS,)),),
                role="sosiaaliohjaaja, Kokkola",
                kind=Interviewee.Kind.PARTNER,
            ),
            Person(
                (
                    Said("Perheet kertovat, että ristiriidat ratkeavat nyt kotona.", (LESS_WORK,)),
                    Said("Kartoituslomake ohjaa kysymään koko perheeltä.", (MAPPING, TOOLS)),
                ),
                role="sosiaaliohjaaja, Kajaani",
                kind=Interviewee.Kind.PARTNER,
            ),
            Person(
                (
                    Said(
                        "Pudasjärvellä perhetyön tarve on vähentynyt, kun tilanne kartoitetaan heti.",
                        (LESS_WORK, MAPPING),
                    ),
                ),
                role="sosiaaliohjaaja, Pudasjärvi",
                kind=Interviewee.Kind.PARTNER,
            ),
        ),
    ),
}


def _day(programme: Programme) -> date:
    """Two weeks after the last held meeting, never after today."""
    today = timezone.localdate()
    last = Meeting.objects.filter(unit__programme=programme, status=Meeting.Status.HELD).aggregate(
        last=Max("starts_at")
    )["last"]
    if last is None:
        return today
    return min(timezone.localtime(last).date() + timedelta(days=14), today)


def _parents(programme: Programme, n: int) -> list[Participant]:
    enrolled = Q(enrolments__programme=programme) | Q(memberships__household__enrolments__programme=programme)
    pks = (
        Participant.objects.filter(enrolled, organisation=programme.organisation)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")[:n]
    )
    return list(Participant.objects.filter(pk__in=list(pks)).order_by("pk"))


def _checker(programme: Programme) -> User | None:
    membership = (
        Membership.objects.filter(organisation=programme.organisation, role=Role.COORDINATOR, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _load(programme: Programme, spec: DemoInterviews) -> None:
    organisation = programme.organisation
    day = _day(programme)
    checker = _checker(programme)
    themes: dict[str, Theme] = {}
    for name, description, parent in spec.themes:
        themes[name] = services.theme_add(
            actor=checker,
            programme=programme,
            organisation=organisation,
            fields=services.ThemeFields(name=name, description=description, parent=themes.get(parent)),
        )
    parents = iter(_parents(programme, len(spec.people)))

    def interview(title: str, kind: str, on: date, people: tuple[Person, ...]) -> None:
        # A parent for each participant's place, before the interview is made: with fewer demo
        # parents than places, the interviews without one are not held.
        placed = [
            (person, next(parents, None) if person.kind == Interviewee.Kind.PARTICIPANT else None) for person in people
        ]
        placed = [(p, who) for p, who in placed if p.kind != Interviewee.Kind.PARTICIPANT or who is not None]
        if not placed:
            return
        held = services.interview_add(
            actor=checker,
            programme=programme,
            organisation=organisation,
            fields=services.InterviewFields(kind=kind, title=title, held_on=on, guide=spec.guide),
        )
        lines: list[str] = []
        for person, participant in placed:
            if participant is not None:
                consent_give(
                    actor=None,
                    participant=participant,
                    purpose=ConsentPurpose.INTERVIEW,
                    given_on=on - timedelta(days=7),
                    method="written",
                )
            interviewee = services.interviewee_add(
                actor=checker, interview=held, kind=person.kind, participant=participant, role=person.role
            )
            for said in person.said:
                lines.append(f"{interviewee.label()}: {said.text}")
                excerpt = services.excerpt_add(
                    actor=checker,
                    programme=programme,
                    organisation=organisation,
                    source=services.ExcerptSource(interview=held),
                    text=said.text,
                    themes=[themes[name] for name in said.themes],
                    speaker=interviewee,
                )
                if said.publishable and checker is not None:
                    services.excerpt_check(actor=checker, excerpt=excerpt, publishable=True, note="Ei tunnisteita.")
        services.interview_notes_set(actor=checker, interview=held, notes="\n".join(lines))

    for number, person in enumerate(spec.people):
        interview(spec.title, Interview.Kind.INTERVIEW, day - timedelta(days=number), (person,))
    if spec.group:
        interview(spec.group_title, Interview.Kind.FOCUS_GROUP, day, spec.group)


@transaction.atomic
def load() -> None:
    for slug, spec in DEMO.items():
        programme = Programme.objects.filter(slug=slug).select_related("organisation").first()
        if programme is None or Theme.objects.filter(programme=programme).exists():
            continue
        _load(programme, spec)
