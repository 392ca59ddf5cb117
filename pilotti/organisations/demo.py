"""The organisations behind the five seed pilots, and one demo account per role."""

from dataclasses import dataclass

from django.db import transaction

from pilotti.accounts.models import User
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.organisations.validators import business_id_check_digit

DEMO_PASSWORD = "demo"  # noqa: S105  (a published demo password, accounts flagged is_demo)


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: str
    # Made-up digits, with the real check digit computed, so no real business is named by ID.
    digits: str

    @property
    def business_id(self) -> str:
        return f"{self.digits}-{business_id_check_digit(self.digits)}"


K = Organisation.Kind
DEMO_ORGANISATIONS = [
    # Valoa arkeen (North Savo)
    DemoOrganisation("pohjois-savon-hyvinvointialue", "Pohjois-Savon hyvinvointialue", K.WELLBEING_COUNTY, "9900010"),
    # Perhe yhtenäiseksi (Oulu) and the municipalities that adopted it
    DemoOrganisation("oulun-kaupunki", "Oulun kaupunki", K.MUNICIPALITY, "9900020"),
    DemoOrganisation("kokkolan-kaupunki", "Kokkolan kaupunki", K.MUNICIPALITY, "9900030"),
    DemoOrganisation("kajaanin-kaupunki", "Kajaanin kaupunki", K.MUNICIPALITY, "9900040"),
    DemoOrganisation("pudasjarven-kaupunki", "Pudasjärven kaupunki", K.MUNICIPALITY, "9900050"),
    # Professionally guided peer-support groups (South Savo)
    DemoOrganisation("essote", "Etelä-Savon hyvinvointialue (Essote)", K.WELLBEING_COUNTY, "9900060"),
    DemoOrganisation("vaalijalan-kuntayhtyma", "Vaalijalan kuntayhtymä", K.JOINT_AUTHORITY, "9900070"),
    # Reaching people isolated by the pandemic (Ikaalinen)
    DemoOrganisation("ikaalisten-kaupunki", "Ikaalisten kaupunki", K.MUNICIPALITY, "9900080"),
    # Peer-support groups for small-child families (Tampere)
    DemoOrganisation("tampereen-kaupunki", "Tampereen kaupunki", K.MUNICIPALITY, "9900090"),
    DemoOrganisation("pakolaisapu", "Suomen Pakolaisapu ry", K.NGO, "9900100"),
    DemoOrganisation("mll", "Mannerheimin Lastensuojeluliitto ry (MLL)", K.NGO, "9900110"),
]

DEMO_ACCOUNTS = [
    ("admin@example.org", "Aino Admin", Role.ADMIN, "järjestelmän pääkäyttäjä"),
    ("coordinator@example.org", "Kaisa Koordinaattori", Role.COORDINATOR, "koordinaattori"),
    ("facilitator@example.org", "Veera Vetäjä", Role.FACILITATOR, "sosiaaliohjaaja"),
    ("evaluator@example.org", "Eero Arvioija", Role.EVALUATOR, "arvioija"),
]


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Creates what is missing and leaves what exists alone, so a second run changes nothing."""
    organisations = []
    for spec in DEMO_ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            slug=spec.slug,
            defaults={"name": spec.name, "kind": spec.kind, "business_id": spec.business_id, "is_demo": True},
        )
        organisations.append(organisation)
    sign_ins = []
    for email, full_name, role, title in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, full_name=full_name, is_demo=True)
            user.set_password(DEMO_PASSWORD)
            user.save()
        for organisation in organisations:
            Membership.objects.get_or_create(
                organisation=organisation, user=user, defaults={"role": role, "title": title}
            )
        sign_ins.append((email, str(Role(role).label)))
    return sign_ins
