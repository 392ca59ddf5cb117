"""Feedback: the instrument versions answered in scope and per item their figures."""

from collections import defaultdict
from typing import Any, cast

from django.db.models import (
    Count,
    F,
    FloatField,
    Max,
    Min,
    Q,
    Sum,
)
from django.utils import timezone
from django.utils.translation import get_language

from pilotti.core.zone import HELSINKI
from pilotti.evaluation import statistics
from pilotti.evaluation.report.scope import Scope
from pilotti.evaluation.report.types import FeedbackItem, FeedbackVersion, FreeText, Share, VersionHead
from pilotti.instruments.models import Answer, Item
from pilotti.instruments.spec import ItemType, Method, name_in


def versions_answered(s: Scope) -> list[dict[str, Any]]:
    """The instrument versions answered in scope, with counts: one GROUP BY."""
    rows = (
        s.responses.order_by()
        .values(
            "version_id",
            "version__number",
            "version__instrument_id",
            "version__instrument__key",
            "version__instrument__name",
            "version__instrument__names",
            "version__scoring__method",
        )
        .annotate(
            n=Count("pk"),
            at_meetings=Count("pk", filter=Q(meeting__isnull=False)),
            people=Count("participant", distinct=True),
            anonymous=Count("pk", filter=Q(participant__isnull=True)),
        )
        .order_by("version__instrument__name", "version__number")
    )
    return [
        {
            "version_id": row["version_id"],
            "instrument_id": row["version__instrument_id"],
            "key": row["version__instrument__key"],
            "name": name_in(row["version__instrument__names"], row["version__instrument__name"], get_language()),
            "version": row["version__number"],
            "method": row["version__scoring__method"] or Method.NONE,
            "n": row["n"],
            "at_meetings": row["at_meetings"],
            "people": row["people"],
            "anonymous": row["anonymous"],
        }
        for row in rows
    ]


def is_measure(version: dict[str, Any]) -> bool:
    """Before/after measures: scored instruments that people answer outside meetings (intake and
    end); everything else (ratings after a meeting, surveys without a score) is feedback."""
    return bool(version["method"] != Method.NONE and version["people"] > 0 and version["at_meetings"] < version["n"])


def _distribution_key(item_id: int, value: float | int | None) -> tuple[int, int | None]:
    return item_id, None if value is None else int(value)


def feedback(s: Scope, versions: list[dict[str, Any]], language: str) -> list[FeedbackVersion]:
    """Per item of each feedback version: ratings' mean, SD, t-based CI, min and max; the
    distribution over the options with Wilson intervals; multiple-choice shares; free text.
    Five queries whatever the number of instruments."""
    wanted = [v for v in versions if not is_measure(v)]
    if not wanted:
        return []
    version_ids = [v["version_id"] for v in wanted]
    responses = s.responses.filter(version_id__in=version_ids)
    answers = Answer.objects.filter(response__in=responses.values("pk"))
    items = list(
        Item.objects.filter(version_id__in=version_ids)
        .prefetch_related("options")
        .order_by("version_id", "position", "id")
    )
    # Per item and person (anonymous answers together in one row): counts and sums add up to the
    # item's n, mean and Σx², and each person's sums give the cluster-robust interval of a rating
    # that people gave after several meetings (docs/statistics.md, Repeated ratings).
    numbers: dict[int, dict[str, Any]] = {}
    for row in (
        answers.order_by()
        .values("item_id", "response__participant_id")
        .annotate(
            n=Count("value"),
            answers=Count("pk"),
            total=Sum("value", output_field=FloatField()),
            # Σx²: SQLite's STDDEV_SAMP (Django's Python aggregate) fails on a single value.
            sumsq=Sum(F("value") * F("value"), output_field=FloatField()),
            min=Min("value"),
            max=Max("value"),
            **people_counts("response__"),
        )
    ):
        _add_cluster(numbers.setdefault(row["item_id"], {"clusters": [], "singles": None}), row)
    # The most anonymous answers after one meeting: that many different people at least.
    busiest: dict[int, int] = {}
    for item_id, n in (
        answers.filter(response__participant__isnull=True, response__meeting__isnull=False)
        .order_by()
        .values("item_id", "response__meeting_id")
        .annotate(n=Count("pk"))
        .values_list("item_id", "n")
    ):
        busiest[item_id] = max(busiest.get(item_id, 0), n)
    counts: dict[tuple[int, int | None], int] = {}
    for row in (
        answers.filter(item__type__in=[ItemType.SINGLE_CHOICE, ItemType.SCALE], value__isnull=False)
        .order_by()
        .values("item_id", "value")
        .annotate(n=Count("pk"))
    ):
        counts[_distribution_key(row["item_id"], row["value"])] = row["n"]
    for row in (
        answers.filter(item__type=ItemType.MULTIPLE_CHOICE)
        .order_by()
        .values("item_id", "choices__value")
        .annotate(n=Count("pk", distinct=True))
    ):
        if row["choices__value"] is not None:
            counts[_distribution_key(row["item_id"], row["choices__value"])] = row["n"]
    texts: dict[int, list[FreeText]] = defaultdict(list)
    for item_id, text, answered_on, unit in (
        answers.filter(item__type=ItemType.FREE_TEXT)
        .exclude(text="")
        .order_by("item_id", "response__submitted_at", "pk")
        .values_list("item_id", "text", "response__submitted_at", "response__meeting__unit__name")
    ):
        texts[item_id].append(
            {"text": text, "date": timezone.localtime(answered_on, HELSINKI).date().isoformat(), "unit": unit or ""}
        )
    result: list[FeedbackVersion] = []
    for version in wanted:
        rendered = []
        for item in (i for i in items if i.version_id == version["version_id"]):
            numbers_of = {**numbers.get(item.pk, {}), "busiest_meeting": busiest.get(item.pk, 0)}
            rendered.append(_feedback_item(item, numbers_of, counts, texts.get(item.pk, []), language))
        result.append({**version_head(version), "items": rendered})
    return result


def _add_cluster(item: dict[str, Any], row: dict[str, Any]) -> None:
    """Adds one person's (or the anonymous answers') row to an item's numbers."""
    for key in ("identified", "anonymous_at_meetings", "anonymous_meetings", "anonymous_elsewhere"):
        item[key] = item.get(key, 0) + (row[key] or 0)
    item["n"] = item.get("n", 0) + row["answers"]
    n = row["n"] or 0  # answers with a value
    if not n:
        return
    item["total"] = item.get("total", 0.0) + row["total"]
    item["sumsq"] = item.get("sumsq", 0.0) + row["sumsq"]
    item["min"] = row["min"] if item.get("min") is None else min(item["min"], row["min"])
    item["max"] = row["max"] if item.get("max") is None else max(item["max"], row["max"])
    item["values"] = item.get("values", 0) + n
    item["mean"] = item["total"] / item["values"]
    cluster = (n, row["total"], row["sumsq"])
    if row["response__participant_id"] is None:
        item["singles"] = cluster  # no person known: each answer counts as its own
    else:
        item["clusters"].append(cluster)


def people_counts(prefix: str = "") -> dict[str, Count]:
    """What ``people_at_least`` needs, as aggregates over answers (``prefix`` leads to the response)."""
    anonymous = Q(**{f"{prefix}participant__isnull": True})
    at_meeting = Q(**{f"{prefix}meeting__isnull": False})
    return {
        "identified": Count(f"{prefix}participant", distinct=True),
        "anonymous_at_meetings": Count("pk", filter=anonymous & at_meeting),
        "anonymous_meetings": Count(f"{prefix}meeting", distinct=True, filter=anonymous),
        "anonymous_elsewhere": Count("pk", filter=anonymous & ~at_meeting),
    }


def people_at_least(row: dict[str, Any]) -> int:
    """The fewest different people who can have given these answers: the people who answered
    under their own name, or, for anonymous answers, as many as answered after the busiest
    meeting (``busiest_meeting`` where known, else after one meeting on average; one answer per
    person per meeting) — whichever is more. Disclosure control counts people, not answers: 18
    ratings may come from 4 people."""
    meetings = int(row.get("anonymous_meetings") or 0)
    anonymous = -(-int(row.get("anonymous_at_meetings") or 0) // meetings) if meetings else 0
    anonymous = max(anonymous, int(row.get("busiest_meeting") or 0))
    if row.get("anonymous_elsewhere"):
        anonymous = max(anonymous, 1)
    return max(int(row.get("identified") or 0), anonymous)


def version_head(version: dict[str, Any]) -> VersionHead:
    return {
        "instrument": version["key"],
        "name": version["name"],
        "version": version["version"],
        "responses": version["n"],
        "people": version["people"],
        "anonymous": version["anonymous"],
        "at_meetings": version["at_meetings"],
    }


def _share(k: int, n: int) -> Share:
    p = statistics.wilson(k, n)
    return {"n": k, "share": p.share, "ci_low": p.ci_low, "ci_high": p.ci_high}


def _feedback_item(
    item: Item,
    numbers: dict[str, Any],
    counts: dict[tuple[int, int | None], int],
    texts: list[FreeText],
    language: str,
) -> FeedbackItem:
    n = int(numbers.get("n") or 0)
    entry: dict[str, Any] = {
        "key": item.key,
        "type": item.type,
        "label": item.text_in(language),
        "n": n,
        "people": people_at_least(numbers),
    }
    if item.type in (ItemType.SCALE, ItemType.NUMBER):
        summary = statistics.mean_ci(
            n, numbers.get("mean"), statistics.sd_from_sums(n, numbers.get("mean"), numbers.get("sumsq"))
        )
        clusters = [*numbers.get("clusters", [])]
        singles = numbers.get("singles")
        clustered = statistics.clustered_mean_ci(clusters, singles)
        if clustered is not None:
            # Equal to the t interval when nobody answered twice; wider when people rated often.
            summary = clustered
            entry |= {"ci_method": "cluster_robust", "clusters": len(clusters) + (singles[0] if singles else 0)}
        entry |= {
            "mean": summary.mean,
            "sd": summary.sd,
            "ci_low": summary.ci_low,
            "ci_high": summary.ci_high,
            "min": numbers.get("min"),
            "max": numbers.get("max"),
            "scale_min": item.min_value,
            "scale_max": item.max_value,
        }
    low, high = item.min_value, item.max_value
    if item.type == ItemType.SCALE and low is not None and high is not None and high - low <= 10:
        values = range(int(low), int(high) + 1)
        entry["distribution"] = [
            {"value": v, "label": str(v), **_share(counts.get((item.pk, v), 0), n)} for v in values
        ]
    if item.type in ItemType.WITH_OPTIONS:
        options = sorted(item.options.all(), key=lambda o: o.value)
        entry["distribution"] = [
            {"value": o.value, "label": o.label_in(language), **_share(counts.get((item.pk, o.value), 0), n)}
            for o in sorted(item.options.all(), key=lambda o: o.position)
        ]
        if item.type == ItemType.SINGLE_CHOICE and len(options) >= 4:
            top = options[-2:]
            entry["top_two"] = {
                "labels": [o.label_in(language) for o in top],
                **_share(sum(counts.get((item.pk, o.value), 0) for o in top), n),
            }
    if item.type == ItemType.FREE_TEXT:
        entry["answers"] = texts
    # Built key by key above, each key as FeedbackItem declares it for the item's type.
    return cast(FeedbackItem, entry)
