"""A person's scores over time (issue 23): per instrument, the totals of their submitted answers,
the instrument's bands, the reliable-change threshold around the first score, and the days the
measurement plan asks for an answer; drawn as a small SVG line chart on the server.

The caller has already passed the scoping door for the person (``people.selectors.
participants_visible_to``: facilitators for their units' people, coordinators, admins and
evaluators of the organisation); this module reads only that person's answers. Everything is read
in a fixed number of queries, however many answers and instruments there are.

Only the total is drawn; an instrument without one (3X10D's domains, surveys) is left out. Bands,
threshold and direction come from the version of the newest answer: a new version of an
instrument keeps its scoring in practice, and mixing two rules on one axis would be worse.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, Prefetch
from django.utils import formats, timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from pilotti.instruments.models import Band, InstrumentVersion, Response, ScoringRule
from pilotti.instruments.scoring import RCI_CRITERION
from pilotti.instruments.spec import Direction, text_in
from pilotti.measurement.models import Audience, PlanEntry, When
from pilotti.meetings.models import Meeting
from pilotti.people.models import Participant
from pilotti.recruitment.models import Enrolment

# The house style of pilotti.evaluation.charts: a 480-unit canvas at most 480 px wide, text at 16.
WIDTH = 480
FONT = 16
LEFT = 40  # room for the axis numbers
TOP = 8
PLOT = 180  # the plot's height
BOTTOM = PLOT + TOP + FONT + 12  # below it, the first and last date


@dataclass(frozen=True)
class Point:
    day: date
    score: float
    band: str


@dataclass(frozen=True)
class PlanPoint:
    day: date
    label: str


@dataclass(frozen=True)
class BandRange:
    low: float
    high: float
    label: str


@dataclass
class Trajectory:
    key: str
    name: str
    points: list[Point]
    bands: list[BandRange]
    threshold: float | None  # the smallest change in points that counts as reliable
    lower_is_better: bool
    published: bool = False  # the threshold is the owner's published points, not Jacobson–Truax
    plan: list[PlanPoint] = field(default_factory=list)
    chart: dict[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """The chart's text alternative in one sentence."""
        first, last = self.points[0], self.points[-1]
        text = ngettext(
            "%(count)d answer, on %(first_day)s: %(first)s.",
            "%(count)d answers from %(first_day)s to %(last_day)s: first %(first)s, latest %(last)s.",
            len(self.points),
        ) % {
            "count": len(self.points),
            "first_day": formats.date_format(first.day, "SHORT_DATE_FORMAT"),
            "last_day": formats.date_format(last.day, "SHORT_DATE_FORMAT"),
            "first": _fmt(first.score),
            "last": _fmt(last.score),
        }
        if self.threshold is not None and self.published:
            text += " " + gettext("The owner counts a change of %(points)s points or more as clinically relevant.") % {
                "points": _fmt(self.threshold)
            }
        elif self.threshold is not None:
            text += " " + gettext("A change of more than %(points)s points is reliable.") % {
                "points": _fmt(self.threshold)
            }
        direction = gettext("Lower is better.") if self.lower_is_better else gettext("Higher is better.")
        return f"{text} {direction}"


def _fmt(value: float) -> str:
    return number_format(value, 0 if float(value).is_integer() else 1, use_l10n=True)


def _rule(version: InstrumentVersion) -> ScoringRule | None:
    try:
        return version.scoring
    except ScoringRule.DoesNotExist:  # never in practice: a version is written with its rule
        return None


def _threshold(rule: ScoringRule | None) -> float | None:
    """As ``scoring.reliable_change`` decides it: Jacobson–Truax from the norm SD and the
    reliability, else the published points, else none."""
    if rule is None:
        return None
    sd = rule.clinical_sd if rule.clinical_sd is not None else rule.functional_sd
    if sd is not None and sd > 0 and rule.reliability is not None and 0 <= rule.reliability < 1:
        return round(RCI_CRITERION * math.sqrt(2) * sd * math.sqrt(1 - rule.reliability), 1)
    points: float | None = rule.reliable_change_points
    return points


def _plan_points(participant: Participant) -> dict[int, list[PlanPoint]]:
    """Per instrument id, the days the plans of the person's programmes ask for an answer: intake,
    the unit's last meeting (the end) and the follow-ups. Every-meeting ratings are left out: a
    line per meeting would hide the scores."""
    enrolments = list(
        Enrolment.objects.filter(participant=participant, enrolled_on__isnull=False).select_related("unit")
    )
    if not enrolments:
        return {}
    units = [e.unit_id for e in enrolments if e.unit_id]
    last_day = dict(
        Meeting.objects.filter(unit_id__in=units)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by()
        .values_list("unit_id")
        .annotate(last=Max("starts_at"))
    )
    entries = PlanEntry.objects.filter(
        programme__in=[e.programme_id for e in enrolments], anonymous=False, audience=Audience.PARTICIPANTS
    ).exclude(when=When.EVERY_MEETING)
    found: dict[int, list[PlanPoint]] = defaultdict(list)
    for entry in entries:
        for enrolment in (e for e in enrolments if e.programme_id == entry.programme_id):
            intake = enrolment.started_on or enrolment.enrolled_on
            end = last_day.get(enrolment.unit_id)
            end_day = timezone.localdate(end) if end is not None else None
            if entry.when == When.INTAKE and intake is not None:
                found[entry.instrument_id].append(PlanPoint(intake, gettext("intake")))
            elif entry.when == When.END and end_day is not None:
                found[entry.instrument_id].append(PlanPoint(end_day, gettext("end")))
            elif entry.when == When.FOLLOW_UP and end_day is not None:
                weeks = entry.follow_up_weeks or 0
                found[entry.instrument_id].append(
                    PlanPoint(end_day + timedelta(weeks=weeks), gettext("follow-up %(weeks)d wk") % {"weeks": weeks})
                )
    return found


def trajectories_of(participant: Participant, language: str) -> list[Trajectory]:
    """The person's scored instruments, each with its answers in time order; in six queries."""
    responses = (
        Response.objects.filter(participant=participant, submitted_at__isnull=False, total__isnull=False)
        .select_related("version__instrument", "version__scoring", "band")
        .prefetch_related(
            Prefetch("version__bands", queryset=Band.objects.filter(subscale__isnull=True).order_by("low"))
        )
        .order_by("submitted_at", "pk")
    )
    by_instrument: dict[int, list[Response]] = defaultdict(list)
    for response in responses:
        by_instrument[response.version.instrument_id].append(response)
    plan = _plan_points(participant) if by_instrument else {}
    result = []
    for instrument_id, answers in by_instrument.items():
        newest = answers[-1]
        rule = _rule(newest.version)
        trajectory = Trajectory(
            key=newest.version.instrument.key,
            name=newest.version.instrument.local_name,
            points=[
                Point(
                    day=timezone.localdate(r.submitted_at),
                    score=float(r.total or 0),  # filtered: never None
                    band=r.band.label_in(language) if r.band else "",
                )
                for r in answers
            ],
            bands=[BandRange(b.low, b.high, text_in(b.label, language, b.key)) for b in newest.version.bands.all()],
            threshold=_threshold(rule),
            published=rule is not None and _threshold(rule) == rule.reliable_change_points,
            lower_is_better=rule is not None and rule.direction == Direction.LOWER_IS_BETTER,
            plan=sorted(plan.get(instrument_id, []), key=lambda p: p.day),
        )
        trajectory.chart = chart(trajectory)
        result.append(trajectory)
    return sorted(result, key=lambda t: t.name)


def chart(trajectory: Trajectory) -> dict[str, Any]:
    """The geometry: x by day (answers and plan days), y by score over the bands' range."""
    days = [p.day for p in trajectory.points] + [p.day for p in trajectory.plan]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    scores = [p.score for p in trajectory.points]
    low = min([*scores, *(b.low for b in trajectory.bands)])
    high = max([*scores, *(b.high for b in trajectory.bands)])
    if high == low:
        high = low + 1
    right = WIDTH - 8

    def x(day: date) -> float:
        return round(LEFT + (right - LEFT) * (day - first).days / span, 1)

    def y(score: float) -> float:
        return round(TOP + PLOT * (high - score) / (high - low), 1)

    points = [{"x": x(p.day), "y": y(p.score), "label": _fmt(p.score)} for p in trajectory.points]
    bands = [
        {"y": y(b.high), "height": round(y(b.low) - y(b.high), 1), "label": b.label, "n": n % 2}
        for n, b in enumerate(trajectory.bands)
    ]
    reliable = None
    if trajectory.threshold is not None:
        base = trajectory.points[0].score
        top, bottom = y(min(high, base + trajectory.threshold)), y(max(low, base - trajectory.threshold))
        reliable = {"y": top, "height": round(bottom - top, 1)}
    return {
        "width": WIDTH,
        "height": BOTTOM + 4,
        "font": FONT,
        "left": LEFT,
        "right": right,
        "top": TOP,
        "baseline": TOP + PLOT,
        "date_y": BOTTOM,
        "high": _fmt(high),
        "low": _fmt(low),
        "first_day": formats.date_format(first, "SHORT_DATE_FORMAT"),
        "last_day": formats.date_format(last, "SHORT_DATE_FORMAT"),
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
        "bands": bands,
        "reliable": reliable,
        "plan": [{"x": x(p.day), "label": p.label} for p in trajectory.plan],
    }
