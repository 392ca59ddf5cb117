"""Reads of the handbook, through the programmes' door: whoever sees a programme (its owner's,
partners' and adopters' staff, and the facilitators of its units) reads its handbook; its owner's
admins and coordinators change it (programmes.selectors.can_edit_programme)."""

from uuid import UUID

from django.db.models import Prefetch, QuerySet

from pilotti.handbook.models import HandbookFile, HandbookVersion
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import Programme
from pilotti.programmes.selectors import can_edit_programme, programmes_visible_to


def programme_of(viewer: Viewer, slug: str) -> Programme | None:
    return programmes_visible_to(viewer).filter(slug=slug).select_related("organisation").first()


def can_edit(viewer: Viewer, programme: Programme) -> bool:
    return can_edit_programme(viewer, programme)


def handbook(programme: Programme) -> QuerySet[HandbookFile]:
    """The programme's files, each with its versions newest first and who uploaded them."""
    versions = HandbookVersion.objects.select_related("uploaded_by").order_by("-number")
    return HandbookFile.objects.filter(programme=programme).prefetch_related(Prefetch("versions", queryset=versions))


def file_of(viewer: Viewer, file_uuid: UUID) -> HandbookFile | None:
    visible = programmes_visible_to(viewer)
    return (
        HandbookFile.objects.filter(uuid=file_uuid, programme__in=visible)
        .select_related("programme", "programme__organisation")
        .first()
    )


def version_of(viewer: Viewer, version_uuid: UUID) -> HandbookVersion | None:
    visible = programmes_visible_to(viewer)
    return HandbookVersion.objects.filter(uuid=version_uuid, file__programme__in=visible).select_related("file").first()
