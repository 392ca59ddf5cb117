"""Building a report in the view a user may see: the one function the page, the PDF, the command
and the exports call, so they all show the same figures."""

from typing import Any

from pilotti.accounts.models import User
from pilotti.evaluation import selectors, suppression
from pilotti.programmes.models import Programme


def report_build(
    *, user: User | None, programme: Programme, filters: selectors.Filters, shared: bool
) -> dict[str, Any]:
    """The internal view for those who may see it (unless ``shared`` is asked for), else the shared
    one. ``user`` None: the whole programme, for the server's operator (``manage.py report``)."""
    data = selectors.report(user, programme, filters)
    if shared or (user is not None and not selectors.may_see_internal(user, programme)):
        return suppression.shared(data)
    return suppression.internal(data)
