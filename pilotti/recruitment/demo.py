"""Demo participants, households, consents and enrolments for the seed pilots.

Everyone is fictional and obviously so: "Testi Henkilö 12", phone numbers 040 000 0xxx,
addresses on Esimerkkikatu, e-mail at example.org. Codes come from a seeded generator, so a
second run finds every person by code and changes nothing. It lives in recruitment, the layer
above people, because it enrols the people it makes ("the people demo" in other demos' words).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils.timezone import localdate

from pilotti.organisations.models import Organisation
from pilotti.people import services
from pilotti.people.models import CODE_ALPHABET, Household, Participant
from pilotti.people.services import ContactFields, MemberFields, ProfileFields
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.recruitment import services as recruitment
from pilotti.recruitment.models import Enrolment

FINNISH = "Suomalaiset lapsiperheet"
IMMIGRANT = "Maahanmuuttajalapsiperheet"
IMMIGRANT_LANGUAGES = ["arabia", "somali", "dari", "kurdi (sorani)", "venäjä", "ukraina"]
Step = tuple[str, date, str]  # (stage, day, reason)


def demo_code(prefix: str, key: str) -> str:
    rng = random.Random(f"pilotti-demo:{key}")  # noqa: S311  (stable demo codes, not secrets)
    return f"{prefix}-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(5))


@dataclass
class Loader:
    organisations: dict[str, Organisation]

    def person(self, organisation: str, number: int, **profile: Any) -> Participant:
        code = demo_code("PK", f"{organisation}:{number}")
        existing = Participant.objects.filter(code=code).first()
        if existing is not None:
            return existing
        municipality = str(profile.get("municipality", ""))
        return services.participant_create(
            actor=None,
            organisation=self.organisations[organisation],
            profile=ProfileFields(**profile),
            contact=ContactFields(
                name=f"Testi Henkilö {number}",
                phone=f"040 000 {number:04d}",
                email=f"testi.henkilo{number}@example.org",
                address=f"Esimerkkikatu {number}, 00000 {municipality}".strip(),
            ),
            code=code,
        )

    def household(
        self, organisation: str, key: str, members: list[MemberFields], segment: str = "", municipality: str = ""
    ) -> Household:
        code = demo_code("PH", f"{organisation}:household:{key}")
        existing = Household.objects.filter(code=code).first()
        if existing is not None:
            return existing
        return services.household_save(
            actor=None,
            organisation=self.organisations[organisation],
            members=members,
            code=code,
            segment=segment,
            municipality=municipality,
        )

    def enrol(
        self,
        who: Participant | Household,
        programme: Programme,
        unit: DeliveryUnit | None,
        *,
        referral: str,
        contacted: date,
        steps: list[Step],
        segment: str = "",
    ) -> None:
        participant = who if isinstance(who, Participant) else None
        household = who if isinstance(who, Household) else None
        if Enrolment.objects.filter(programme=programme, participant=participant, household=household).exists():
            return
        enrolment = recruitment.enrolment_create(
            actor=None,
            fields=recruitment.EnrolmentFields(
                programme=programme, unit=unit, referral_source=referral, contacted_on=contacted, segment=segment
            ),
            participant=participant,
            household=household,
        )
        for stage, on, reason in steps:
            recruitment.enrolment_transition(actor=None, enrolment=enrolment, to=stage, on=on, reason=reason)

    def consents(self, participant: Participant, on: date, *, withdrawn: date | None = None) -> None:
        if participant.consents.exists():
            return
        for purpose in ("participation", "evaluation"):
            consent = services.consent_give(
                actor=None, participant=participant, purpose=purpose, given_on=on, method="written"
            )
        if withdrawn is not None:
            services.consent_withdraw(actor=None, consent=consent, on=withdrawn)


def _unit(programme: Programme, name: str) -> DeliveryUnit:
    return programme.units.get(name=name)


def _meeting_days(unit: DeliveryUnit) -> tuple[date, date]:
    days = unit.meetings.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    return localdate(days["first"]), localdate(days["last"])


def load_ikaalinen(loader: Loader) -> None:
    """About 40 reached by outreach, 8 committed, 7 to the end; the 8th came off the waiting list."""
    programme = Programme.objects.get(slug="ikaalinen-paivatoiminta")
    unit = _unit(programme, "Päivätoiminta")
    org = "ikaalisten-kaupunki"
    start, end = date(2022, 7, 19), date(2022, 11, 15)
    for n in range(1, 41):
        person = loader.person(
            org,
            n,
            birth_year=1950 + (n * 7) % 40,
            gender=["female", "male", "not_said"][n % 3],
            preferred_language="suomi",
            municipality="Ikaalinen",
        )
        contacted = date(2022, 6, 1) + timedelta(days=n)
        if n <= 7:
            steps: list[Step] = [("enrolled", date(2022, 7, 12), ""), ("started", start, "")]
            steps.append(
                ("dropped_out", date(2022, 8, 16), "Terveydentila heikkeni.") if n == 7 else ("completed", end, "")
            )
        elif n == 8:
            steps = [
                ("interested", date(2022, 7, 8), ""),
                ("waiting", date(2022, 7, 12), ""),
                ("enrolled", date(2022, 8, 18), ""),
                ("started", date(2022, 8, 23), ""),
                ("completed", end, ""),
            ]
        elif n <= 14:
            steps = [
                ("interested", contacted + timedelta(days=7), ""),
                ("declined", date(2022, 7, 15), "Ei koe tarvetta."),
            ]
        elif n <= 28:
            steps = [("declined", contacted + timedelta(days=3), "")]
        else:
            steps = [("not_reached", contacted + timedelta(days=14), "Ei tavoitettu kolmella yrityksellä.")]
        loader.enrol(
            person,
            programme,
            unit,
            referral="outreach",
            contacted=contacted,
            steps=steps,
            segment="Kotiin jääneet aikuiset",
        )
        if n <= 8:
            loader.consents(person, date(2022, 7, 12))


TAMPERE_GROUPS = [
    # (unit, families: (segment, stage path), first meeting, last meeting)
    ("Hervanta: Naistari", 8, date(2019, 10, 30), date(2019, 12, 11)),
    ("Hervanta: Hervantatupa", 7, date(2019, 11, 4), date(2019, 12, 16)),
    ("Kaukajärvi: Annantupa", 7, date(2019, 11, 14), date(2020, 1, 2)),
    ("Tesoma: Westeri", 3, date(2019, 11, 12), date(2019, 12, 3)),
    ("Keskusta: MLL Laivapuiston perhetalo", 8, date(2019, 11, 14), date(2020, 1, 2)),
    ("Hervanta: kolmas ryhmä", 6, date(2020, 1, 29), date(2020, 3, 4)),
]


def load_tampere(loader: Loader) -> None:
    """Families in each group, half Finnish and half immigrant; the Tesoma group dwindles and stops."""
    programme = Programme.objects.get(slug="tampere-pikkulapsiperheet")
    org = "tampereen-kaupunki"
    number = 100
    for name, families, first, last in TAMPERE_GROUPS:
        unit = _unit(programme, name)
        for i in range(families):
            number += 1
            immigrant = i % 2 == 1
            language = IMMIGRANT_LANGUAGES[number % len(IMMIGRANT_LANGUAGES)] if immigrant else "suomi"
            parent = loader.person(
                org,
                number,
                birth_year=1985 + number % 12,
                gender="female",
                preferred_language=language,
                needs_interpreter=immigrant and number % 3 == 0,
                interpreter_language=language if immigrant and number % 3 == 0 else "",
                segment=IMMIGRANT if immigrant else FINNISH,
                municipality="Tampere",
            )
            child = (
                MemberFields(relation="expected_child", due_date=first + timedelta(days=30 + 9 * i))
                if i % 3 == 0
                else MemberFields(relation="child", birth_year=2019)
            )
            family = loader.household(
                org,
                f"{number}",
                [MemberFields(relation="parent", participant=parent), child],
                segment=IMMIGRANT if immigrant else FINNISH,
                municipality="Tampere",
            )
            steps: list[Step] = [("enrolled", first - timedelta(days=7), ""), ("started", first, "")]
            if name.startswith("Tesoma"):
                steps.append(("dropped_out", last, "Ryhmä lopetettiin vähäisen osallistujamäärän vuoksi."))
            elif i == families - 1 and families > 6:
                steps.append(("dropped_out", first + timedelta(days=21), "Vauva syntyi, perhe jäi pois."))
            else:
                steps.append(("completed", last, ""))
            referral = "ngo" if immigrant and i % 4 == 1 else "child_health_clinic"
            loader.enrol(
                family,
                programme,
                unit,
                referral=referral,
                contacted=first - timedelta(days=21),
                steps=steps,
                segment=IMMIGRANT if immigrant else FINNISH,
            )
            loader.consents(parent, first - timedelta(days=7))
    # Families reached who did not join a group.
    for i in range(6):
        number += 1
        immigrant = i % 2 == 0
        parent = loader.person(
            org,
            number,
            birth_year=1990,
            gender="female",
            segment=IMMIGRANT if immigrant else FINNISH,
            preferred_language="arabia" if immigrant else "suomi",
            municipality="Tampere",
        )
        family = loader.household(org, f"{number}", [MemberFields(relation="parent", participant=parent)])
        steps = (
            [("interested", date(2019, 10, 20), ""), ("declined", date(2019, 10, 28), "Aikataulu ei sopinut.")]
            if i < 3
            else [("not_reached", date(2019, 10, 25), "")]
        )
        loader.enrol(
            family,
            programme,
            None,
            referral="child_health_clinic",
            contacted=date(2019, 10, 10),
            steps=steps,
            segment=IMMIGRANT if immigrant else FINNISH,
        )


def load_valoa_arkeen(loader: Loader) -> None:
    """One household per remote track, referred by child health clinics; two parents with a partner."""
    programme = Programme.objects.get(slug="valoa-arkeen")
    org = "pohjois-savon-hyvinvointialue"
    tracks = [("Perhepolku VA-01", True, False), ("Perhepolku VA-02", False, False), ("Perhepolku VA-03", True, True)]
    number = 200
    for name, with_partner, expecting in tracks:
        unit = _unit(programme, name)
        start, end = _meeting_days(unit)
        number += 1
        parent = loader.person(
            org, number, birth_year=1989, gender="female", preferred_language="suomi", municipality="Kuopio"
        )
        members = [MemberFields(relation="parent", participant=parent)]
        if with_partner:
            number += 1
            partner = loader.person(
                org, number, birth_year=1987, gender="male", preferred_language="suomi", municipality="Kuopio"
            )
            members.append(MemberFields(relation="partner", participant=partner))
            loader.consents(partner, start - timedelta(days=5))
        members.append(
            MemberFields(relation="expected_child", due_date=date(2023, 1, 20))
            if expecting
            else MemberFields(relation="child", birth_year=2021)
        )
        family = loader.household(org, f"{number}", members, municipality="Kuopio")
        steps: list[Step] = [
            ("interested", start - timedelta(days=12), ""),
            ("enrolled", start - timedelta(days=5), ""),
            ("started", start, ""),
            ("completed", end, ""),
        ]
        loader.enrol(
            family, programme, unit, referral="child_health_clinic", contacted=start - timedelta(days=20), steps=steps
        )
        loader.consents(parent, start - timedelta(days=5), withdrawn=date(2022, 12, 20) if number == 204 else None)


def load_oulu(loader: Loader) -> None:
    """Every family is offered the model when its integration plan is made, in Oulu and where it was adopted."""
    programme = Programme.objects.get(slug="perhe-yhtenaiseksi")
    number = 300
    for unit in programme.units.select_related("organisation").order_by("name"):
        org = unit.organisation.slug
        start, _end = _meeting_days(unit)
        number += 1
        mother = loader.person(
            org,
            number,
            birth_year=1986,
            gender="female",
            preferred_language="arabia",
            needs_interpreter=True,
            interpreter_language="arabia",
            municipality=unit.organisation.name.split()[0],
        )
        number += 1
        father = loader.person(
            org,
            number,
            birth_year=1982,
            gender="male",
            preferred_language="arabia",
            needs_interpreter=True,
            interpreter_language="arabia",
            municipality=unit.organisation.name.split()[0],
        )
        members = [
            MemberFields(relation="parent", participant=mother),
            MemberFields(relation="parent", participant=father),
        ]
        members += [MemberFields(relation="child", birth_year=2010 + k * 3) for k in range(3)]
        family = loader.household(org, f"{number}", members, segment="Pakolaistaustaiset perheet")
        steps: list[Step] = [
            ("interested", start - timedelta(days=14), ""),
            ("enrolled", start - timedelta(days=7), ""),
            ("started", start, ""),
        ]
        loader.enrol(
            family, programme, unit, referral="integration_plan", contacted=start - timedelta(days=21), steps=steps
        )
        for parent in (mother, father):
            loader.consents(parent, start - timedelta(days=7))


@transaction.atomic
def load() -> None:
    """Loads what is missing; needs the organisations and programmes demos first."""
    organisations = {o.slug: o for o in Organisation.objects.filter(is_demo=True)}
    if not Programme.objects.filter(slug="tampere-pikkulapsiperheet").exists():
        return
    loader = Loader(organisations)
    load_ikaalinen(loader)
    load_tampere(loader)
    load_valoa_arkeen(loader)
    load_oulu(loader)
