"""Who may open which programme's report, in which view, and over which units."""

from django.db.models import (
    Q,
    QuerySet,
)

from pilotti.organisations.models import Role
from pilotti.organisations.viewer import Viewer
from pilotti.people.selectors import VIEWER_ROLES
from pilotti.programmes.models import Adoption, Partnership, Programme
from pilotti.programmes.selectors import programmes_visible_to

# The units a report covers: programmes owns the question, as the unit page asks it too.
from pilotti.programmes.selectors import report_units as report_units

INTERNAL_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.EVALUATOR)

# --- Who may see which report ----------------------------------------------------------------


def reports_visible_to(viewer: Viewer) -> QuerySet[Programme]:
    """Programmes whose report the viewer may open: any they may see (facilitators: via their units)."""
    return programmes_visible_to(viewer)


def _runners(programme: Programme) -> Q:
    return (
        Q(pk=programme.organisation_id)
        | Q(pk__in=Partnership.objects.filter(programme=programme).values("organisation_id"))
        | Q(pk__in=Adoption.objects.filter(programme=programme).values("organisation_id"))
    )


def may_see_internal(viewer: Viewer, programme: Programme) -> bool:
    """Admins, coordinators and evaluators of an organisation running the programme see the
    unsuppressed internal view; everyone else (facilitators) sees the shared view."""
    from pilotti.organisations.models import Organisation

    runners = Organisation.objects.filter(_runners(programme)).values("pk")
    return viewer.organisation_ids(INTERNAL_ROLES).filter(organisation_id__in=runners).exists()


def sees_consortium(viewer: Viewer, programme: Programme) -> bool:
    staff = viewer.organisation_ids(VIEWER_ROLES)
    return (
        staff.filter(organisation_id=programme.organisation_id).exists()
        or Partnership.objects.filter(programme=programme, organisation__in=staff).exists()
    )
