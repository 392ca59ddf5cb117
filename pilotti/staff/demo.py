"""The demo's staff: Tampere's public health nurses and peer instructors, trained in Pakolaisapu's
Kasvokkain method, on the city's roster (seed 004, docs/seeds.md). They are staff, not participants:
the programme's target of ten public health nurses is a staff target, not a recruitment segment.

Each group was led by a public health nurse and a peer instructor with an immigrant background;
the seed names none of them, so the names are made up. The demo facilitator (Veera Vetäjä), who
takes the roll call of two Hervanta groups, is one of the nurses, linked to her account. The
trainings are those of autumn 2019, before the groups started. Idempotent: a programme with any
staff is left alone."""

from datetime import date

from django.db import transaction

from pilotti.accounts.models import User
from pilotti.organisations.models import Organisation
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.staff.models import StaffMember, Training
from pilotti.staff.services import (
    MemberFields,
    RecordFields,
    staff_member_add,
    staff_member_archive,
    staff_targets_set,
    training_add,
    training_record_add,
)

KASVOKKAIN = "Kasvokkain-ohjaajakoulutus"
PAKOLAISAPU = "Suomen Pakolaisapu ry"
TRAINER = "Pakolaisavun Kasvokkain-kouluttaja"
FIRST_TRAINING, SECOND_TRAINING = date(2019, 9, 17), date(2019, 10, 8)
NURSE, PEER = "public_health_nurse", "peer_instructor"

# (name, role, title, units, trained on, the demo facilitator's account)
TAMPERE_STAFF: list[tuple[str, str, str, list[str], date | None, bool]] = [
    ("Veera Vetäjä", NURSE, "terveydenhoitaja, Hervannan neuvola", ["Hervanta: Naistari", "Hervanta: Hervantatupa"],
     FIRST_TRAINING, True),
    ("Helmi Saarinen", NURSE, "terveydenhoitaja, Hervannan neuvola", ["Hervanta: kolmas ryhmä"], SECOND_TRAINING,
     False),
    ("Outi Lehtonen", NURSE, "terveydenhoitaja, Kaukajärven neuvola", ["Kaukajärvi: Annantupa"], FIRST_TRAINING,
     False),
    ("Sanna Mäkelä", NURSE, "terveydenhoitaja, Tesoman neuvola", ["Tesoma: Westeri"], FIRST_TRAINING, False),
    ("Riikka Koskinen", NURSE, "terveydenhoitaja, keskustan neuvola", ["Keskusta: MLL Laivapuiston perhetalo"],
     FIRST_TRAINING, False),
    ("Johanna Nieminen", NURSE, "terveydenhoitaja, Hervannan neuvola", [], SECOND_TRAINING, False),
    ("Minna Heikkinen", NURSE, "terveydenhoitaja, Kaukajärven neuvola", [], SECOND_TRAINING, False),
    ("Tiina Järvinen", NURSE, "terveydenhoitaja, Tesoman neuvola", [], None, False),
    ("Fatima Hassan", PEER, "vertaisohjaaja (somali, suomi)", ["Hervanta: Naistari", "Hervanta: kolmas ryhmä"],
     FIRST_TRAINING, False),
    ("Zahra Rezaei", PEER, "vertaisohjaaja (dari, farsi)", ["Hervanta: Hervantatupa"], FIRST_TRAINING, False),
    ("Amal Al-Sayed", PEER, "vertaisohjaaja (arabia)", ["Kaukajärvi: Annantupa"], FIRST_TRAINING, False),
    ("Olena Kovalenko", PEER, "vertaisohjaaja (venäjä, ukraina)", ["Tesoma: Westeri"], SECOND_TRAINING, False),
    ("Hodan Abdi", PEER, "vertaisohjaaja (somali)", ["Keskusta: MLL Laivapuiston perhetalo"], SECOND_TRAINING,
     False),
]  # fmt: skip
# A peer instructor who moved away after the autumn groups: off the roster, her training kept.
LEAVER = ("Leyla Karimi", PEER, "vertaisohjaaja (kurdi)", ["Tesoma: Westeri"], FIRST_TRAINING)


def _add(
    programme: Programme,
    organisation: Organisation,
    units: dict[str, DeliveryUnit],
    spec: tuple[str, str, str, list[str], date | None],
    user: User | None,
    training: Training,
) -> StaffMember:
    name, role, title, unit_names, trained_on = spec
    member = staff_member_add(
        actor=None,
        programme=programme,
        organisation=organisation,
        fields=MemberFields(name=name, role=role, title=title, units=[units[unit] for unit in unit_names], user=user),
    )
    if trained_on is not None:
        training_record_add(
            actor=None,
            member=member,
            fields=RecordFields(
                training=training, trained_on=trained_on, trainer=TRAINER, certificate="Kasvokkain-todistus"
            ),
        )
    return member


def load_tampere() -> None:
    programme = Programme.objects.filter(slug="tampere-pikkulapsiperheet").select_related("organisation").first()
    if programme is None or StaffMember.objects.filter(programme=programme).exists():
        return
    organisation = programme.organisation
    units = {unit.name: unit for unit in DeliveryUnit.objects.filter(programme=programme, organisation=organisation)}
    facilitator = User.objects.filter(email="facilitator@example.org", memberships__organisation=organisation).first()
    training = training_add(
        actor=None,
        programme=programme,
        name=KASVOKKAIN,
        provider=PAKOLAISAPU,
        description=(
            "Pakolaisavun Kasvokkain-menetelmä: vertaisryhmän ohjaaminen maahanmuuttajataustaisten ja suomalaisten "
            "perheiden kohtaamiseksi. Kaksi koulutuspäivää terveydenhoitajille ja vertaisohjaajille yhdessä."
        ),
    )
    staff_targets_set(actor=None, programme=programme, targets={NURSE: 10, PEER: 6})
    for name, role, title, unit_names, trained_on, is_facilitator in TAMPERE_STAFF:
        _add(programme, organisation, units, (name, role, title, unit_names, trained_on),
             facilitator if is_facilitator else None, training)  # fmt: skip
    leaver = _add(programme, organisation, units, LEAVER, None, training)
    staff_member_archive(actor=None, member=leaver, reason="Muutti toiselle paikkakunnalle syksyn ryhmien jälkeen.")


@transaction.atomic
def load() -> None:
    """Needs the organisations and programmes demos first."""
    load_tampere()
