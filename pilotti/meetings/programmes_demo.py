"""The five seed pilots as programmes, with their units and meetings, as docs/seeds.md describes them.

Here, not in programmes, because a demo unit is nothing without its meetings: the units are created
with their schedules (``meetings.services.unit_create``) and their meetings recorded.

Where a seed does not say (a weekday, a start time, the length of a family track), the
demo picks a plausible value and the description says it is made up. Idempotent: a
programme whose slug exists is left alone, so a second run changes nothing.

Meetings before the day the demo is loaded are held (unless cancelled), with themes from the
curriculum; one Oulu family track starts on that day, so "My meetings" shows something.
"""

from dataclasses import dataclass, field
from datetime import date, time

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from pilotti.accounts.models import User
from pilotti.core.zone import HELSINKI
from pilotti.meetings import services as meetings
from pilotti.meetings.models import Meeting
from pilotti.meetings.schedule import DateRange, Rule, ScheduleRule
from pilotti.organisations.models import Organisation
from pilotti.programmes import services
from pilotti.programmes.models import DeliveryUnit, FacilitatorRole, Frequency, Mode, Programme, Site
from pilotti.programmes.services import ProgrammeFields

S = DeliveryUnit.Status
R = FacilitatorRole
DEMO_FACILITATOR = "facilitator@example.org"
VIDEO_SERVICE = "https://video.example.org/pilotti/"


@dataclass
class DemoUnit:
    name: str
    organisation: str
    first: date
    at: time
    count: int | None = None
    until: date | None = None
    rule: Rule = Rule.WEEKLY
    weekdays: frozenset[int] = frozenset()
    interval_weeks: int = 1
    site: str | None = None
    kind: str = DeliveryUnit.Kind.GROUP
    duration: int = 90
    capacity: int | None = None
    minimum_size: int | None = None
    languages: str = "suomi"
    interpreter_language: str = ""
    breaks: tuple[DateRange, ...] = ()
    # (status, on, reason): the status changes after creation, in order.
    statuses: list[tuple[str, date, str]] = field(default_factory=list)
    facilitator_role: str | None = None  # the demo facilitator's role in the unit
    replaced_by: str | None = None
    starts_on_load: bool = False  # first meeting (and status dates) on the day the demo is loaded


@dataclass
class DemoSite:
    name: str
    organisation: str
    municipality: str = ""
    street_address: str = ""
    is_remote: bool = False
    accessibility_notes: str = ""


@dataclass
class DemoProgramme:
    slug: str
    owner: str
    fields: ProgrammeFields
    partners: list[str] = field(default_factory=list)
    adopters: list[tuple[str, date | None]] = field(default_factory=list)
    sites: list[DemoSite] = field(default_factory=list)
    units: list[DemoUnit] = field(default_factory=list)


def _completed(start: date, end: date) -> list[tuple[str, date, str]]:
    return [(S.RUNNING, start, ""), (S.COMPLETED, end, "")]


CHRISTMAS_2022 = DateRange(date(2022, 12, 19), date(2023, 1, 8))
WINTER_HOLIDAY_2023 = DateRange(date(2023, 2, 27), date(2023, 3, 5))  # Etelä-Savo's ski week, week 9

TAMPERE_UNITS = [
    DemoUnit(
        "Hervanta: Naistari",
        "tampereen-kaupunki",
        date(2019, 10, 30),
        time(15, 30),
        count=7,
        site="Naistari",
        statuses=_completed(date(2019, 10, 30), date(2019, 12, 11)),
        facilitator_role=R.PUBLIC_HEALTH_NURSE,
    ),
    DemoUnit(
        "Hervanta: Hervantatupa",
        "tampereen-kaupunki",
        date(2019, 11, 4),
        time(14, 30),
        count=7,
        site="Hervantatupa",
        statuses=_completed(date(2019, 11, 4), date(2019, 12, 16)),
        facilitator_role=R.PUBLIC_HEALTH_NURSE,
    ),
    DemoUnit(
        "Kaukajärvi: Annantupa",
        "tampereen-kaupunki",
        date(2019, 11, 14),
        time(15, 30),
        count=7,
        site="Annantupa",
        statuses=_completed(date(2019, 11, 14), date(2020, 1, 2)),
    ),
    DemoUnit(
        "Tesoma: Westeri",
        "tampereen-kaupunki",
        date(2019, 11, 12),
        time(15, 0),
        count=7,
        site="Westeri",
        replaced_by="Hervanta: kolmas ryhmä",
        statuses=[
            (S.RUNNING, date(2019, 11, 12), ""),
            (S.DISCONTINUED, date(2019, 12, 3), "Vähäinen osallistujamäärä."),
        ],
    ),
    DemoUnit(
        "Keskusta: MLL Laivapuiston perhetalo",
        "tampereen-kaupunki",
        date(2019, 11, 14),
        time(17, 0),
        count=7,
        site="MLL Laivapuiston perhetalo",
        statuses=_completed(date(2019, 11, 14), date(2020, 1, 2)),
    ),
    # Started in Tesoma's place; the seed gives the day and the six meetings, not the hour.
    DemoUnit(
        "Hervanta: kolmas ryhmä",
        "tampereen-kaupunki",
        date(2020, 1, 29),
        time(15, 30),
        count=6,
        site="Naistari",
        statuses=_completed(date(2020, 1, 29), date(2020, 3, 4)),
    ),
]

PROGRAMMES = [
    DemoProgramme(
        slug="valoa-arkeen",
        owner="pohjois-savon-hyvinvointialue",
        fields=ProgrammeFields(
            name="Valoa arkeen",
            description=(
                "Vanhemmuuden tuen etäinterventio pienten lasten vanhemmille, joiden arkea kuormittavat "
                "uupumus, stressi, univaikeudet, alakuloisuus, ahdistus, huolestuneisuus, mielialan muutokset, "
                "muut mielenterveyden haasteet, lapseen tai perhesuhteisiin liittyvät haasteet tai päihteet. "
                "Toteutettu neuvoloiden kanssa osana Mieliteko-ohjelmaa. (Demo: tapaamisten päivät ja kellonajat "
                "ovat keksittyjä.)"
            ),
            status=Programme.Status.ENDED,
            starts_on=date(2022, 9, 1),
            ends_on=date(2022, 12, 31),
            target_groups="Pienten lasten vanhemmat, yksin tai yhdessä puolison kanssa; ohjaus neuvoloista.",
            meetings_min=12,
            meetings_max=13,
            frequency=Frequency.WEEKLY,
            duration_minutes=90,
            mode=Mode.REMOTE,
            facilitator_roles=[R.SOCIAL_CARE, R.HEALTH_CARE],
            measurement_plan="Laadullinen: vanhempien haastattelut ja palaute intervention jälkeen.",
        ),
        sites=[DemoSite("Etäyhteys", "pohjois-savon-hyvinvointialue", is_remote=True)],
        units=[
            DemoUnit(
                "Perhepolku VA-01",
                "pohjois-savon-hyvinvointialue",
                date(2022, 9, 6),
                time(10, 0),
                count=12,
                site="Etäyhteys",
                kind=DeliveryUnit.Kind.HOUSEHOLD_TRACK,
                statuses=_completed(date(2022, 9, 6), date(2022, 11, 22)),
                facilitator_role=R.SOCIAL_CARE,
            ),
            DemoUnit(
                "Perhepolku VA-02",
                "pohjois-savon-hyvinvointialue",
                date(2022, 9, 14),
                time(13, 0),
                count=13,
                site="Etäyhteys",
                kind=DeliveryUnit.Kind.HOUSEHOLD_TRACK,
                statuses=_completed(date(2022, 9, 14), date(2022, 12, 7)),
            ),
            DemoUnit(
                "Perhepolku VA-03",
                "pohjois-savon-hyvinvointialue",
                date(2022, 9, 22),
                time(9, 0),
                count=12,
                site="Etäyhteys",
                kind=DeliveryUnit.Kind.HOUSEHOLD_TRACK,
                statuses=_completed(date(2022, 9, 22), date(2022, 12, 15)),
            ),
        ],
    ),
    DemoProgramme(
        slug="perhe-yhtenaiseksi",
        owner="oulun-kaupunki",
        fields=ProgrammeFields(
            name="Perhe yhtenäiseksi",
            description=(
                "Ennaltaehkäisevä perheterapeuttinen tukimuoto pakolaistaustaisille perheille. Tarjotaan kaikille "
                "asiakasperheille, kun perheen kotoutumissuunnitelma tehdään; perheen tilanne kartoitetaan ensin. "
                "Työvälineistö ja työntekijän opas. Käytössä Oulussa syyskuusta 2019; levitetty Paloma 2 "
                "-hankkeen kanssa Kokkolaan, Kajaaniin ja Pudasjärvelle. (Demo: perhepolkujen tapaamismäärät "
                "ja päivät ovat keksittyjä.)"
            ),
            status=Programme.Status.ACTIVE,
            starts_on=date(2019, 9, 1),
            target_groups="Pakolaistaustaiset perheet, kotoutumissuunnitelman yhteydessä.",
            frequency=Frequency.EVERY_N_WEEKS,
            duration_minutes=90,
            mode=Mode.IN_PERSON,
            facilitator_roles=[R.SOCIAL_CARE, R.INTERPRETER],
            measurement_plan="Ammattilaisten ja asiakkaiden haastattelut käyttöönoton jälkeen; perhetyön tarve.",
            topics=["Perheen tilanteen kartoitus", "Vanhemmuus", "Perheen sisäinen vuorovaikutus"],
        ),
        adopters=[("kokkolan-kaupunki", None), ("kajaanin-kaupunki", None), ("pudasjarven-kaupunki", None)],
        units=[
            DemoUnit(
                f"Perhepolku {code}",
                org,
                first,
                time(10, 0),
                count=5,
                rule=Rule.EVERY_N_WEEKS,
                interval_weeks=2,
                kind=DeliveryUnit.Kind.HOUSEHOLD_TRACK,
                languages="arabia, suomi",
                interpreter_language="arabia",
                statuses=[(S.RUNNING, first, "")],
            )
            for code, org, first in [
                ("OU-01", "oulun-kaupunki", date(2019, 9, 10)),
                ("OU-02", "oulun-kaupunki", date(2019, 10, 8)),
                ("KO-01", "kokkolan-kaupunki", date(2021, 3, 2)),
                ("KA-01", "kajaanin-kaupunki", date(2021, 3, 9)),
                ("PU-01", "pudasjarven-kaupunki", date(2021, 3, 16)),
            ]
        ]
        + [
            DemoUnit(
                "Perhepolku OU-03",
                "oulun-kaupunki",
                date(2019, 9, 10),  # replaced by the day the demo is loaded
                time(16, 0),
                count=8,
                site="Perhekeskus",
                kind=DeliveryUnit.Kind.HOUSEHOLD_TRACK,
                languages="arabia, suomi",
                interpreter_language="arabia",
                statuses=[(S.RUNNING, date(2019, 9, 10), "")],
                facilitator_role=R.SOCIAL_CARE,
                starts_on_load=True,
            )
        ],
        sites=[DemoSite("Perhekeskus", "oulun-kaupunki", municipality="Oulu")],
    ),
    DemoProgramme(
        slug="ohjatut-vertaistukiryhmat",
        owner="essote",
        partners=["vaalijalan-kuntayhtyma"],
        fields=ProgrammeFields(
            name="Ammatillisesti ohjatut vertaistukiryhmät",
            description=(
                "Psykososiaalisen kuntoutuksen kehittäminen: ammatillisesti ohjatut vertaistukiryhmät erityisen "
                "tuen asiakkaille ja heidän perheilleen. Essoten ja Vaalijalan kuntayhtymän yhteistyö, mukana "
                "alueen kolmannen sektorin toimijat. (Demo: kokoontumisväli ja -päivät ovat keksittyjä.)"
            ),
            status=Programme.Status.ENDED,
            starts_on=date(2022, 1, 1),
            ends_on=date(2023, 5, 31),
            target_groups="Neurokirjon lasten vanhemmat; itsenäistyvät nuoret ja heidän perheensä.",
            frequency=Frequency.EVERY_N_WEEKS,
            duration_minutes=90,
            mode=Mode.IN_PERSON,
            facilitator_roles=[R.HEALTH_CARE, R.OTHER, R.INTERPRETER],
            interpreter_language="kommunikaatio-ohjaus / tulkkaus",
            measurement_plan="Strukturoidut alku- ja loppukartoitukset; 3X10D-elämäntilannemittari (Diak).",
        ),
        sites=[
            DemoSite("Essoten ryhmätila", "essote", municipality="Mikkeli"),
            DemoSite("Vaalijalan ryhmätila", "vaalijalan-kuntayhtyma", municipality="Pieksämäki"),
        ],
        units=[
            DemoUnit(
                "Neurokirjon lasten vanhemmat",
                "essote",
                date(2022, 8, 31),
                time(17, 0),
                until=date(2023, 5, 24),
                rule=Rule.EVERY_N_WEEKS,
                interval_weeks=2,
                site="Essoten ryhmätila",
                breaks=(CHRISTMAS_2022, WINTER_HOLIDAY_2023),
                statuses=_completed(date(2022, 8, 31), date(2023, 5, 24)),
            ),
            DemoUnit(
                "Itsenäistyvät nuoret ja perheet",
                "vaalijalan-kuntayhtyma",
                date(2022, 9, 1),
                time(17, 0),
                until=date(2023, 5, 25),
                rule=Rule.EVERY_N_WEEKS,
                interval_weeks=2,
                site="Vaalijalan ryhmätila",
                breaks=(CHRISTMAS_2022, WINTER_HOLIDAY_2023),
                statuses=_completed(date(2022, 9, 1), date(2023, 5, 25)),
            ),
        ],
    ),
    DemoProgramme(
        slug="ikaalinen-paivatoiminta",
        owner="ikaalisten-kaupunki",
        fields=ProgrammeFields(
            name="Koronan vuoksi syrjäytyneiden tukeminen: päivätoiminta",
            description=(
                "Kotiin vietävät ja matalan kynnyksen palvelut lähihoitaja–sosiaaliohjaaja-työparin avulla "
                "koronan vuoksi kotiinsa jääneille. Kodinomainen kohtaamispaikka, teemat (askartelu, leipominen, "
                "keskustelu, retket, tutustumiskäynnit), eläinavusteinen toiminta (koira) ja asiakasraati joka "
                "kerta. (Demo: viikonpäivät ja kellonaika ovat keksittyjä.)"
            ),
            status=Programme.Status.ENDED,
            starts_on=date(2022, 7, 15),
            ends_on=date(2022, 11, 15),
            target_groups="Koronan ja haastavan elämäntilanteen vuoksi palveluiden ulkopuolelle jääneet aikuiset.",
            frequency=Frequency.WEEKDAYS,
            duration_minutes=180,
            mode=Mode.IN_PERSON,
            facilitator_roles=[R.PRACTICAL_NURSE, R.SOCIAL_COUNSELLOR],
            measurement_plan=(
                "Asiakasraati arvioi jokaisen kerran 1–10; työpari arvioi hyödyllisyyden 1–5; loppukysely asiakkaille."
            ),
            # The seed's figures: about 40 reached by outreach, 8 committed to the day activity.
            segments=[("Kotiin jääneet aikuiset", 8)],
            topics=["Askartelu", "Leipominen", "Keskustelu", "Retki", "Tutustumiskäynti jatkopaikkaan"],
        ),
        sites=[DemoSite("Kodinomainen kohtaamispaikka", "ikaalisten-kaupunki", municipality="Ikaalinen")],
        units=[
            DemoUnit(
                "Päivätoiminta",
                "ikaalisten-kaupunki",
                date(2022, 7, 15),
                time(10, 0),
                until=date(2022, 11, 15),
                rule=Rule.WEEKDAYS,
                weekdays=frozenset({1, 3}),
                site="Kodinomainen kohtaamispaikka",
                duration=180,
                capacity=7,
                minimum_size=3,
                statuses=_completed(date(2022, 7, 19), date(2022, 11, 15)),
                facilitator_role=R.SOCIAL_COUNSELLOR,
            ),
        ],
    ),
    DemoProgramme(
        slug="tampere-pikkulapsiperheet",
        owner="tampereen-kaupunki",
        partners=["pakolaisapu", "mll"],
        fields=ProgrammeFields(
            name="Pikkulapsiperheiden vertaistukiryhmät",
            description=(
                "Vertaistukiryhmät oleskeluluvan saaneille maahanmuuttajataustaisille ja suomalaisille "
                "lapsiperheille raskausajasta lapsen kahteen ikävuoteen. Ryhmää ohjaa terveydenhoitaja ja "
                "maahanmuuttajataustainen vertaisohjaaja; ohjaajat perehdytetty Pakolaisavun Kasvokkain-"
                "menetelmään."
            ),
            status=Programme.Status.ENDED,
            starts_on=date(2019, 10, 30),
            ends_on=date(2020, 6, 30),
            target_groups="Odottavat ja pikkulapsiperheet, maahanmuuttajataustaiset ja suomalaiset yhdessä.",
            meetings_min=7,
            meetings_max=7,
            frequency=Frequency.WEEKLY,
            duration_minutes=90,
            mode=Mode.IN_PERSON,
            facilitator_roles=[R.PUBLIC_HEALTH_NURSE, R.PEER_INSTRUCTOR],
            segments=[
                ("Suomalaiset lapsiperheet", 20),
                ("Maahanmuuttajalapsiperheet", 20),
            ],
            topics=["Raskausaika", "Odottavan äidin terveys", "Synnytys", "Vauvan hoito"],
            # The ten public health nurses of the seed's targets are staff, not participants: their
            # target is on the programme's staff roster (staff.demo), not a recruitment segment.
            measurement_plan="Vertaistukiverkosto (50 henkilöä) luotu ja käynnistetty.",
        ),
        sites=[
            DemoSite("Naistari", "tampereen-kaupunki", municipality="Tampere (Hervanta)"),
            DemoSite("Hervantatupa", "tampereen-kaupunki", municipality="Tampere (Hervanta)"),
            DemoSite("Annantupa", "tampereen-kaupunki", municipality="Tampere (Kaukajärvi)"),
            DemoSite("Westeri", "tampereen-kaupunki", municipality="Tampere (Tesoma)"),
            DemoSite("MLL Laivapuiston perhetalo", "tampereen-kaupunki", municipality="Tampere (keskusta)"),
        ],
        units=TAMPERE_UNITS,
    ),
]


def _load_programme(spec: DemoProgramme, organisations: dict[str, Organisation], facilitator: User | None) -> None:
    programme = services.programme_create(
        actor=None, organisation=organisations[spec.owner], fields=spec.fields, slug=spec.slug
    )
    for slug in spec.partners:
        services.partner_add(actor=None, programme=programme, organisation=organisations[slug])
    for slug, adopted_on in spec.adopters:
        services.adoption_add(actor=None, programme=programme, organisation=organisations[slug], adopted_on=adopted_on)
    sites: dict[str, Site] = {}
    for site in spec.sites:
        sites[site.name] = services.site_create(
            actor=None,
            programme=programme,
            organisation=organisations[site.organisation],
            name=site.name,
            municipality=site.municipality,
            street_address=site.street_address,
            is_remote=site.is_remote,
            accessibility_notes=site.accessibility_notes,
        )
    units: dict[str, DeliveryUnit] = {}
    today = timezone.now().astimezone(HELSINKI).date()
    for u in spec.units:
        rule = ScheduleRule(
            first=today if u.starts_on_load else u.first,
            rule=u.rule,
            count=u.count,
            until=u.until,
            weekdays=u.weekdays,
            interval_weeks=u.interval_weeks,
            breaks=u.breaks,
        )
        units[u.name] = meetings.unit_create(
            actor=None,
            programme=programme,
            organisation=organisations[u.organisation],
            name=u.name,
            schedule=rule,
            start_time=u.at,
            kind=u.kind,
            site=sites.get(u.site or ""),
            capacity=u.capacity,
            minimum_size=u.minimum_size,
            languages=u.languages,
            interpreter_language=u.interpreter_language,
            duration_minutes=u.duration,
        )
        if facilitator is not None and u.facilitator_role:
            services.facilitator_assign(actor=None, unit=units[u.name], user=facilitator, role=u.facilitator_role)
        if u.starts_on_load:
            _meet_today(units[u.name], u.at, today)
    for u in spec.units:  # statuses last: a replacement must exist before it is named
        for status, on, reason in u.statuses:
            replacement = units.get(u.replaced_by or "") if status == S.DISCONTINUED else None
            meetings.unit_change_status(
                actor=None,
                unit=units[u.name],
                status=status,
                on=today if u.starts_on_load else on,
                reason=reason,
                replacement=replacement,
            )
    for unit in units.values():
        _record_meetings(unit, spec.fields.topics)


def _meet_today(unit: DeliveryUnit, at: time, today: date) -> None:
    """The schedule rightly skips public holidays, but the facilitator's "Today" must have a
    meeting whatever day the demo is loaded: on a holiday the first meeting moves to today."""
    first = unit.meetings.order_by("starts_at").first()
    if first is not None and first.starts_at.astimezone(HELSINKI).date() != today:
        meetings.meeting_move(actor=None, meeting=first, starts_at=meetings.helsinki(today, at))


def _record_meetings(unit: DeliveryUnit, topics: list[str]) -> None:
    """Past meetings held, with a theme from the curriculum and the facilitators; remote units' links."""
    today = timezone.now().astimezone(HELSINKI).date()
    link = f"{VIDEO_SERVICE}{slugify(unit.name)}" if unit.site is not None and unit.site.is_remote else ""
    present = [assignment.user for assignment in unit.facilitators.select_related("user")]
    for number, meeting in enumerate(unit.meetings.order_by("starts_at")):
        past = meeting.starts_at.astimezone(HELSINKI).date() < today
        if meeting.status == Meeting.Status.CANCELLED or not (past or link):
            continue
        meetings.meeting_update(
            actor=None,
            meeting=meeting,
            theme=topics[number % len(topics)] if topics and past else "",
            remote_link=link,
            interpreter_language=meeting.interpreter_language,
            facilitators_present=present if past else [],
        )
        if past:
            meetings.meeting_mark_held(actor=None, meeting=meeting)


@transaction.atomic
def load() -> list[str]:
    """Creates the demo programmes that are missing; returns the slugs it created."""
    organisations = {o.slug: o for o in Organisation.objects.filter(is_demo=True)}
    facilitator = User.objects.filter(email=DEMO_FACILITATOR).first()
    created = []
    for spec in PROGRAMMES:
        if Programme.objects.filter(slug=spec.slug).exists():
            continue
        _load_programme(spec, organisations, facilitator)
        created.append(spec.slug)
    return created
