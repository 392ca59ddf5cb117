"""Building a report in the view a user may see: the one function the page, the PDF, the command
and the exports call, so they all show the same figures."""

from pilotti.evaluation import selectors, suppression
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import Programme


def report_build(
    *, viewer: Viewer | None, programme: Programme, filters: selectors.Filters, shared: bool
) -> selectors.Report:
    """The internal view for those who may see it (unless ``shared`` is asked for), else the shared
    one. ``viewer`` None: the whole programme, for the server's operator (``manage.py report``)."""
    data = selectors.report(viewer, programme, filters)
    if shared or (viewer is not None and not selectors.may_see_internal(viewer, programme)):
        return suppression.shared(data)
    return suppression.internal(data)
