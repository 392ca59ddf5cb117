"""The registry of shared reports that left (``models.SharedRelease``): every shared report of a
programme is protected together with the ones shown before it (``suppression.shared_set``'s
``released``), so that reports of overlapping periods, two viewers' reports or the same report
on another day cannot be set against each other to work out a hidden count (docs/evaluation.md,
Small numbers, rule 13)."""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from pilotti.evaluation import suppression
from pilotti.evaluation.models import SharedRelease
from pilotti.programmes.models import Programme

KEPT = ("filters", *suppression.SECTIONS)


def _counts_only(report: Any) -> dict[str, Any]:
    """What the ledger reads: the filters (the period) and the tables (the later sections too:
    what people said, service use, response rates), without single people's rows, free text,
    quotes or reasons for leaving."""
    tables = {key: report[key] for key in (*KEPT, *suppression.NEWER) if key in report}
    kept: dict[str, Any] = json.loads(json.dumps(tables, default=str))
    kept["attendance"]["participants"] = []
    for step in kept["recruitment"]["flow"]:
        step["reasons"] = []
    for version in kept["feedback"]:
        for item in version["items"]:
            if "answers" in item:
                item["answers"] = []
    # What people said: the themes' counts, not the quotes; no descriptions (free text) of
    # themes or services.
    if "qualitative" in kept:
        kept["qualitative"]["quotes"] = []
    for row in [*kept.get("qualitative", {}).get("themes", []), *kept.get("service_use", [])]:
        row["description"] = ""
    return kept


def earlier(programme: Programme) -> list[suppression.Release]:
    """The programme's shared reports that left, oldest first."""
    return [
        suppression.Release(published=row.published, internal=row.internal)
        for row in SharedRelease.objects.filter(programme=programme)
    ]


def release_record(*, programme: Programme, published: Mapping[str, Any], internal: Mapping[str, Any]) -> None:
    """Remembers a set of shared reports (by scope) as shown; the same set shown again is one row."""
    kept_published = {scope: _counts_only(report) for scope, report in published.items()}
    kept_internal = {scope: _counts_only(report) for scope, report in internal.items()}
    digest = hashlib.sha256(json.dumps([kept_published, kept_internal], sort_keys=True).encode()).hexdigest()
    if SharedRelease.objects.filter(programme=programme, digest=digest).exists():
        return
    try:
        with transaction.atomic():
            SharedRelease.objects.create(
                programme=programme, digest=digest, published=kept_published, internal=kept_internal
            )
    except IntegrityError:
        pass  # shown at the same moment to someone else: recorded once
