"""Building a report in the view a user may see: the one function the page, the PDF, the command
and the exports call, so they all show the same figures."""

import hashlib
import json
import pathlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import get_language

from pilotti.evaluation import releases, selectors, suppression, versions
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import DeliveryUnit, Programme


def report_build(
    *, viewer: Viewer | None, programme: Programme, filters: selectors.Filters, shared: bool
) -> selectors.Report:
    """The internal view for those who may see it (unless ``shared`` is asked for), else the shared
    one. ``viewer`` None: the whole programme, for the server's operator (``manage.py report``).

    Remembered under ``_key``: a repeated report is read from the cache, and a report whose data
    changed in any way is built anew (``versions``)."""
    shared = _shared_for(viewer, programme, shared)
    key = _key(viewer, programme, filters, shared)
    report: selectors.Report | None = cache.get(key)
    if report is None:
        report = _shared(viewer, programme, filters) if shared else _internal(viewer, programme, filters)
        cache.set(key, report, suppression.CACHE_SECONDS)
    return report


# Where a report's files are kept once laid out (the default storage, as the generated files).
RENDERED = "reports"


def report_rendered(
    *,
    viewer: Viewer | None,
    programme: Programme,
    filters: selectors.Filters,
    shared: bool,
    format: str,
    render: Callable[[selectors.Report], bytes],
) -> bytes:
    """The report as one file format (``render`` lays it out), made once per report: a repeated
    report's file is read back. Reading the remembered report and serialising it again was most of a
    repeated report's time: a 30 000-enrolment report's JSON is 9 MB (docs/benchmarks.md). The cache
    holds the file's name under the report's key (which holds the data version), so a file of
    changed data is never found, and a database restored from a backup, with its cache, points only
    at files of its own data."""
    key = f"{_key(viewer, programme, filters, _shared_for(viewer, programme, shared))}:{format}"
    name: str | None = cache.get(key)
    if name is not None:
        try:
            with default_storage.open(name) as stored:
                content: bytes = stored.read()
                return content
        except FileNotFoundError:  # pruned: made again
            pass
    content = render(report_build(viewer=viewer, programme=programme, filters=filters, shared=shared))
    name = default_storage.save(f"{RENDERED}/{key.rsplit(':', 2)[1]}.{format}", ContentFile(content))
    cache.set(key, name, suppression.CACHE_SECONDS)
    return content


def rendered_prune(now: datetime | None = None) -> int:
    """Deletes the laid-out report files older than the remembered reports (they would not be read
    again: today's date is in their key); returns how many."""
    if not default_storage.exists(RENDERED):
        return 0
    oldest = (now or timezone.now()) - timedelta(seconds=suppression.CACHE_SECONDS)
    _folders, names = default_storage.listdir(RENDERED)
    old = [name for name in names if default_storage.get_modified_time(f"{RENDERED}/{name}") < oldest]
    for name in old:
        default_storage.delete(f"{RENDERED}/{name}")
    return len(old)


def _shared_for(viewer: Viewer | None, programme: Programme, shared: bool) -> bool:
    """The shared view when asked for, and for those who may not see the internal one."""
    return shared or (viewer is not None and not selectors.may_see_internal(viewer, programme))


# The code that computes a report: a new release builds every report anew.
CODE = hashlib.sha256(
    b"".join(
        path.read_bytes() for path in sorted(pathlib.Path(__file__).parent.glob("**/*.py")) if "tests" not in path.parts
    )
).hexdigest()


def _key(viewer: Viewer | None, programme: Programme, filters: selectors.Filters, shared: bool) -> str:
    """Everything a report depends on: its programme's data version (which every write to a table the
    report reads changes), who asks and through which organisation (the units they see), the filters,
    the view, the language of its labels, today (what counts as past) and the code and threshold."""
    parts = [
        CODE,
        suppression.threshold(),
        programme.pk,
        versions.version(programme.pk),
        None
        if viewer is None
        else [viewer.user.pk, getattr(viewer.organisation, "pk", None), viewer.all_organisations],
        filters.as_dict(),
        shared,
        get_language(),
        timezone.localdate().isoformat(),
    ]
    return "evaluation:report:" + hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _internal(viewer: Viewer | None, programme: Programme, filters: selectors.Filters) -> selectors.Report:
    """The internal view, its other organisations' rows protected with the shared reports that left
    and recorded as seen (docs/evaluation.md, Small numbers, rule 13)."""
    report = selectors.report(viewer, programme, filters)
    view = suppression.internal(report, released=releases.earlier(programme))
    if any(not row["own"] for row in report["comparison"]["units"]):
        scope = "others seen from " + " ".join(
            sorted({row["organisation"] for row in report["comparison"]["units"] if row["own"]})
        )
        releases.release_record(
            programme=programme,
            published={scope: suppression.others_only(view)},
            internal={scope: suppression.others_only(report)},
        )
    return view


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
    # Protected with every shared report of the programme that left before (any viewer, period or
    # day), and remembered as left (releases.py; docs/evaluation.md, Small numbers, rule 13).
    units_key = " ".join(sorted(name for name in reports if name != suppression.PROGRAMME))
    scopes = {suppression.PROGRAMME: f"{suppression.PROGRAMME} of {units_key}"}
    protected = suppression.shared_set_cached(reports, scopes=scopes, released=releases.earlier(programme))
    releases.release_record(
        programme=programme,
        published={scopes.get(name, name): report for name, report in protected.items()},
        internal={scopes.get(name, name): report for name, report in reports.items()},
    )
    return protected[str(filters.unit.uuid) if filters.unit is not None else suppression.PROGRAMME]
