"""How long disclosure control takes: ``python -m bench.disclosure [GROUPS …] [--demo] [--releases N]``.

Generated programmes (``pilotti/evaluation/tests/programmes.py``) of the given numbers of groups,
0–8 people each, a fixed seed per size: the programme's shared report alone, and the programme's
with every unit's report protected together (``suppression.shared_set``, what the shared view
does). ``--demo`` also times the five demo pilots from the database ``DATABASE_URL`` names (load
it with ``manage.py load_demo --allow-demo-accounts``). ``--releases N`` times the registry of
shared reports that left (rule 13 of docs/evaluation.md): the largest demo pilot's report for N
overlapping periods (each as long as half its contact days, moved on by a step), each protected
with every one before it, as ``services.report_build`` does. Figures go to docs/evaluation.md by
hand.
"""

import os
import random
import sys
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from pilotti.evaluation.report.types import Report


def units_of(count: int, seed: int) -> list[tuple[str, int, list[tuple[Any, ...]]]]:
    rng = random.Random(seed)  # noqa: S311 (made-up data, the same every run)
    units = []
    for _ in range(count):
        people = []
        for _ in range(rng.randint(0, 8)):
            scores = None
            if rng.random() > 0.3:
                scores = (rng.randint(0, 25), None if rng.random() < 0.2 else rng.randint(0, 25))
            people.append(
                (
                    rng.randint(0, 3),
                    rng.choice([None, None, "declined", "not_reached", "dropped_out"]),
                    [rng.randint(0, 2) for _ in range(4)],
                    rng.choice([None, 1, 2, 3, 4, 5]),
                    scores,
                )
            )
        units.append((rng.choice("AB"), rng.randint(1, 4), people))
    return units


def timed(work: Any) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main(arguments: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilotti.settings")
    import django

    django.setup()
    from pilotti.evaluation import selectors, suppression
    from pilotti.evaluation.tests import programmes
    from pilotti.programmes.models import DeliveryUnit, Programme

    releases_asked = None
    if "--releases" in arguments:
        at = arguments.index("--releases")
        releases_asked, arguments = int(arguments[at + 1]), arguments[:at] + arguments[at + 2 :]
    for count in [int(a) for a in arguments if a.isdigit()] or ([] if releases_asked else [20, 60]):
        units = units_of(count, count)
        report, reports = (
            cast("Report", programmes.report(units)),
            cast("dict[str, Report]", programmes.report_set(units)),
        )
        alone = timed(lambda: suppression.shared(report, 5))  # noqa: B023
        together = timed(lambda: suppression.shared_set(reports, 5))  # noqa: B023
        print(f"{count} groups: the programme's report alone {alone:.1f} s; with its units' {together:.1f} s")
    if "--demo" in arguments:
        for programme in Programme.objects.order_by("slug"):
            reports = {suppression.PROGRAMME: selectors.report(None, programme)}
            for unit in DeliveryUnit.objects.filter(programme=programme).order_by("name"):
                reports[str(unit.uuid)] = selectors.report(None, programme, selectors.Filters(unit=unit))
            alone = timed(lambda: suppression.shared(reports[suppression.PROGRAMME], 5))  # noqa: B023
            together = timed(lambda: suppression.shared_set(reports, 5))  # noqa: B023
            print(f"{programme.slug} ({len(reports) - 1} units): alone {alone:.1f} s; together {together:.1f} s")

    if releases_asked:
        releases(releases_asked)


def releases(count: int) -> None:
    from django.db.models import Count

    from pilotti.evaluation import selectors, suppression
    from pilotti.programmes.models import Programme
    from pilotti.recruitment.models import Enrolment

    programme = Programme.objects.annotate(people=Count("enrolments")).order_by("-people", "slug").first()
    if programme is None:
        sys.exit("no programme: load the demo first")
    days = sorted(Enrolment.objects.filter(programme=programme).values_list("contacted_on", flat=True))
    width = (days[-1] - days[0]) / 2
    step = (days[-1] - days[0] - width) / max(count - 1, 1)
    released: list[suppression.Release] = []
    for k in range(count):
        since = days[0] + timedelta(days=(step * k).days)
        filters = selectors.Filters(since=since, until=since + width)
        internal = {suppression.PROGRAMME: selectors.report(None, programme, filters)}
        start = time.perf_counter()
        published = suppression.shared_set(internal, 5, released=released)
        took = time.perf_counter() - start
        released.append(suppression.Release(published=published, internal=internal))
        print(f"{programme.slug}, release {k + 1} ({since:%d.%m.%Y}, with {k} before it): {took:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
