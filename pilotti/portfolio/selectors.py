"""The doors of the model's pages and the organisation's portfolio, through the programmes' door.

- The model description: whoever may open the programme's report (its figures are the shared
  report's, for that viewer).
- Fidelity across adopters: admins, coordinators and evaluators of an organisation running the
  programme. The owner's and partners' staff see every organisation's row, as in the report's
  comparison; an adopter's staff see their own organisation's row beside the model's plan.
- The portfolio: admins, coordinators and evaluators of the organisation, over the programmes
  they may see that it owns, partners in or has adopted.
Everyone else gets 404 (``None`` here), exactly as for a missing programme or organisation.
"""

from datetime import datetime
from uuid import UUID

from pilotti.evaluation.selectors import reports_visible_to
from pilotti.organisations.models import Organisation
from pilotti.organisations.viewer import Viewer
from pilotti.portfolio import fidelity as fidelity_table
from pilotti.programmes.models import Adoption, Partnership, Programme, Site
from pilotti.programmes.selectors import (
    STAFF_ROLES,
    adoptions_visible_to,
    programmes_visible_to,
    sites_visible_to,
)


def described_programme(viewer: Viewer, slug: str) -> Programme | None:
    return reports_visible_to(viewer).filter(slug=slug).select_related("organisation").first()


def description_parts(viewer: Viewer, programme: Programme) -> tuple[list[Partnership], list[Adoption], list[Site]]:
    """The partners (listed on the programme's page for everyone who sees it), the adoptions and
    the sites the viewer may see (an adopter sees its own adoption and sites only)."""
    partners = list(Partnership.objects.filter(programme=programme).select_related("organisation"))
    adoptions = list(adoptions_visible_to(viewer, programme))
    sites = list(sites_visible_to(viewer).filter(programme=programme, archived_at__isnull=True))
    return partners, adoptions, sites


def _runners(programme: Programme) -> list[tuple[Organisation, fidelity_table.Relation]]:
    """The owner first, then partners and adopters by name."""
    Runner = tuple[Organisation, fidelity_table.Relation]
    partners: list[Runner] = [
        (p.organisation, "partner")
        for p in Partnership.objects.filter(programme=programme).select_related("organisation")
    ]
    adopters: list[Runner] = [
        (a.organisation, "adopter") for a in Adoption.objects.filter(programme=programme).select_related("organisation")
    ]
    others = sorted([*partners, *adopters], key=lambda pair: pair[0].name)
    return [(programme.organisation, "owner"), *others]


def fidelity_programme(viewer: Viewer, slug: str) -> Programme | None:
    programme = programmes_visible_to(viewer).filter(slug=slug).select_related("organisation").first()
    if programme is None:
        return None
    staff = set(viewer.organisation_ids(STAFF_ROLES))
    runners = {organisation.pk for organisation, _relation in _runners(programme)}
    return programme if staff & runners else None


def fidelity(viewer: Viewer, programme: Programme, now: datetime) -> fidelity_table.Fidelity:
    staff = set(viewer.organisation_ids(STAFF_ROLES))
    runners = _runners(programme)
    consortium = {organisation.pk for organisation, relation in runners if relation != "adopter"}
    if not staff & consortium:
        runners = [(organisation, relation) for organisation, relation in runners if organisation.pk in staff]
    return fidelity_table.fidelity(programme, runners, staff, now)


def portfolio_organisation(viewer: Viewer, organisation_uuid: UUID) -> Organisation | None:
    return Organisation.objects.filter(uuid=organisation_uuid, pk__in=viewer.organisation_ids(STAFF_ROLES)).first()


def portfolio_organisations(viewer: Viewer) -> list[Organisation]:
    """The organisations whose portfolio the viewer may open, for the links to it."""
    return list(Organisation.objects.filter(pk__in=viewer.organisation_ids(STAFF_ROLES)).order_by("name"))
