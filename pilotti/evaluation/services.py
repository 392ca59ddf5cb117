"""Building a report in the view a user may see: the one function the page, the PDF, the command
and the exports call, so they all show the same figures."""

from dataclasses import replace

from pilotti.evaluation import selectors, suppression
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import DeliveryUnit, Programme


def report_build(
    *, viewer: Viewer | None, programme: Programme, filters: selectors.Filters, shared: bool
) -> selectors.Report:
    """The internal view for those who may see it (unless ``shared`` is asked for), else the shared
    one. ``viewer`` None: the whole programme, for the server's operator (``manage.py report``)."""
    if shared or (viewer is not None and not selectors.may_see_internal(viewer, programme)):
        return _shared(viewer, programme, filters)
    return suppression.internal(selectors.report(viewer, programme, filters))


def _shared(viewer: Viewer | None, programme: Programme, filters: selectors.Filters) -> selectors.Report:
    """The shared report asked for, protected together with every other shared report the same
    viewer can take of the programme for the same period: the programme's and each unit's (with
    the comparison in each). Protected one by one, a unit's hidden figures were the programme's
    less the other units' own (docs/evaluation.md, Small numbers). One report per unit is built:
    a shared report costs as many queries as the viewer has units, plus one."""
    units = (
        selectors.report_units(viewer, programme)
        if viewer is not None
        else DeliveryUnit.objects.filter(programme=programme)
    )
    reports = {suppression.PROGRAMME: selectors.report(viewer, programme, replace(filters, unit=None))}
    for unit in units.order_by("pk"):
        reports[str(unit.uuid)] = selectors.report(viewer, programme, replace(filters, unit=unit))
    protected = suppression.shared_set_cached(reports)
    return protected[str(filters.unit.uuid) if filters.unit is not None else suppression.PROGRAMME]
