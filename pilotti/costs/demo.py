"""Demo cost inputs for the five demo pilots, so that their reports show cost per result.

Plausible Finnish public-sector figures of the pilots' years (hourly costs with side costs, about
1.6 × the hourly wage): rates per role for every organisation running units, staff-time
corrections for the second worker of each pair (the demo marks only one facilitator present),
interpreting where the roll call shows none, venues, materials and programme-wide training.
Invented for the demo, like the meetings' days. Idempotent: a programme with any rate is left alone.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Min, Q

from pilotti.costs.models import HourlyRate
from pilotti.costs.services import EntryFields, RateFields, cost_entry_add, rates_set
from pilotti.meetings.models import Meeting
from pilotti.programmes.models import DeliveryUnit, Programme

# Euros an hour and preparation minutes per meeting.
RATES = {
    "social_care": (46, 30),
    "health_care": (49, 30),
    "public_health_nurse": (48, 30),
    "practical_nurse": (38, 30),
    "social_counsellor": (43, 30),
    "peer_instructor": (22, 15),
    "interpreter": (68, 0),
    "other": (40, 15),
}


@dataclass(frozen=True)
class PerUnit:
    """Costs of every unit of a programme: staff hours per held meeting by role, money per unit."""

    staff_per_meeting: tuple[tuple[str, str, float], ...] = ()  # (role, description, hours a meeting)
    money: tuple[tuple[str, str, int], ...] = ()  # (kind, description, euros)
    money_per_meeting: tuple[tuple[str, str, int], ...] = ()  # (kind, description, euros a meeting)


@dataclass(frozen=True)
class DemoCosts:
    per_unit: PerUnit
    programme_wide: tuple[tuple[str, str, int], ...] = ()  # the owner's (kind, description, euros)
    # The worker whose time the roll call shows where the demo facilitator is marked present; a
    # unit without anyone marked present gets the same worker as a correction.
    lead_role: str = ""


DEMO = {
    "valoa-arkeen": DemoCosts(
        PerUnit(
            staff_per_meeting=(("health_care", "Työparin terveydenhuollon ammattilainen (ei Pilotissa)", 2.0),),
            money=(("other", "Etävastaanoton lisenssi", 180),),
        ),
        (
            ("other", "Menetelmäkoulutus työntekijöille (Mieliteko)", 1800),
            ("materials", "Vanhemmuuden tuen työkirjat", 450),
        ),
        lead_role="social_care",
    ),
    "perhe-yhtenaiseksi": DemoCosts(
        PerUnit(
            staff_per_meeting=(("social_care", "Perhetyön työntekijä (ei Pilotissa)", 2.0),),
            money=(("other", "Kotikäyntien matkat", 160),),
        ),
        (
            ("materials", "Työntekijän opas ja työvälineistö", 1200),
            ("other", "Menetelmäperehdytys levittäjäkunnille", 2400),
        ),
        lead_role="social_care",
    ),
    "ohjatut-vertaistukiryhmat": DemoCosts(
        PerUnit(
            staff_per_meeting=(
                ("health_care", "Ryhmänohjaaja (ei Pilotissa)", 2.0),
                ("other", "Kolmannen sektorin vertaisohjaaja (ei Pilotissa)", 1.75),
            ),
            money=(("materials", "Ryhmämateriaalit ja kartoituslomakkeet", 220),),
            money_per_meeting=(("venue", "Ryhmätilan vuokra", 30),),
        ),
        (("other", "Ohjaajien yhteinen työnohjaus", 1500),),
    ),
    "ikaalinen-paivatoiminta": DemoCosts(
        PerUnit(
            staff_per_meeting=(("practical_nurse", "Työparin lähihoitaja (ei Pilotissa)", 3.5),),
            money=(
                ("venue", "Kodinomaisen kohtaamispaikan vuokra, 4 kk", 2400),
                ("materials", "Askartelu- ja leivontatarvikkeet", 900),
                ("other", "Retket ja tutustumiskäynnit", 650),
                ("other", "Eläinavusteinen toiminta (koira)", 400),
            ),
        ),
        (("other", "Etsivä työ: kotikäynnit ja puhelut (n. 40 tavoitettua)", 1600),),
    ),
    "tampere-pikkulapsiperheet": DemoCosts(
        PerUnit(
            staff_per_meeting=(("peer_instructor", "Maahanmuuttajataustainen vertaisohjaaja (palkkio)", 1.75),),
            money=(("materials", "Kasvokkain-materiaalit ja tarjoilut", 180),),
            money_per_meeting=(("interpreter", "Tulkkaus tarvittaessa (lasku)", 45),),
        ),
        (("other", "Kasvokkain-menetelmäkoulutus (Pakolaisapu)", 3500),),
        lead_role="public_health_nurse",
    ),
}


@transaction.atomic
def load() -> list[str]:
    """Adds the cost inputs of the demo pilots that have none; returns their slugs."""
    loaded = []
    for slug, spec in DEMO.items():
        programme = Programme.objects.filter(slug=slug).select_related("organisation").first()
        if programme is None or HourlyRate.objects.filter(programme=programme).exists():
            continue
        _load(programme, spec)
        loaded.append(slug)
    return loaded


def _load(programme: Programme, spec: DemoCosts) -> None:
    held = Q(meetings__status=Meeting.Status.HELD)
    units = (
        DeliveryUnit.objects.filter(programme=programme)
        .select_related("organisation")
        .annotate(
            held=Count("meetings", filter=held, distinct=True),
            first=Min("meetings__starts_at", filter=held),
            marked=Count("meetings__facilitators_present", filter=held),
        )
        .order_by("name")
    )
    rates = [RateFields(role, Decimal(euros), minutes) for role, (euros, minutes) in RATES.items()]
    for organisation in {unit.organisation for unit in units} | {programme.organisation}:
        rates_set(actor=None, programme=programme, organisation=organisation, rates=rates, reason="Demo")
    for unit in units:
        if not unit.held:
            continue
        day = unit.first.date()
        entries = [
            EntryFields(kind="staff", description=text, spent_on=day, unit=unit, role=role, hours=_d(unit.held * hours))
            for role, text, hours in spec.per_unit.staff_per_meeting
        ]
        if spec.lead_role and not unit.marked:
            preparation = RATES[spec.lead_role][1]
            hours = _d(unit.held * (unit.duration_minutes + preparation) / 60)
            text = "Vastuutyöntekijä (ei Pilotissa)"
            entries.append(
                EntryFields(kind="staff", description=text, spent_on=day, unit=unit, role=spec.lead_role, hours=hours)
            )
        entries += [
            EntryFields(kind=kind, description=text, spent_on=day, unit=unit, amount=Decimal(euros))
            for kind, text, euros in spec.per_unit.money
        ]
        entries += [
            EntryFields(kind=kind, description=text, spent_on=day, unit=unit, amount=Decimal(unit.held * euros))
            for kind, text, euros in spec.per_unit.money_per_meeting
        ]
        for fields in entries:
            cost_entry_add(actor=None, programme=programme, organisation=unit.organisation, fields=fields)
    start = programme.starts_on or date(2019, 1, 1)
    for kind, text, euros in spec.programme_wide:
        fields = EntryFields(kind=kind, description=text, spent_on=start, amount=Decimal(euros))
        cost_entry_add(actor=None, programme=programme, organisation=programme.organisation, fields=fields)


def _d(hours: float) -> Decimal:
    return Decimal(str(round(hours, 2)))
