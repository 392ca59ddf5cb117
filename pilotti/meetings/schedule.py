"""Meeting schedules generated from a rule, skipping Finnish public holidays and breaks.

Pure Python on dates: no database, no HTTP, so every rule is unit-tested directly.

Which days are skipped, and why:
- every day the ``holidays`` package lists for Finland. That includes Midsummer Eve
  (juhannusaatto) and Christmas Eve (jouluaatto), which are not statutory holidays but
  are days off in practice: services are closed and nobody comes to a group. A Finnish
  coordinator expects them skipped, so they are;
- the unit's own breaks (e.g. a Christmas break), each a range of dates.

A series with a count keeps its count: a skipped date does not use up a meeting, and the
series runs on until it has that many meetings. A series with an end date simply loses
the skipped dates.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _

# A series that would need more than this to fit its meetings is surely a mistake
# (e.g. a break that never ends); refusing keeps generation bounded.
MAX_SPAN = timedelta(days=3 * 366)
MAX_MEETINGS = 200
BREAK = "break"


class Rule(StrEnum):
    WEEKLY = "weekly"
    WEEKDAYS = "weekdays"  # twice (or more) a week on chosen weekdays
    EVERY_N_WEEKS = "every_n_weeks"


@dataclass(frozen=True)
class DateRange:
    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


@dataclass(frozen=True)
class Skipped:
    day: date
    reason: str  # a holiday's name, or BREAK


@dataclass(frozen=True)
class Schedule:
    dates: list[date]
    skipped: list[Skipped]


@dataclass(frozen=True)
class ScheduleRule:
    first: date
    rule: Rule = Rule.WEEKLY
    count: int | None = None
    until: date | None = None
    weekdays: frozenset[int] = frozenset()  # 0 = Monday, for Rule.WEEKDAYS
    interval_weeks: int = 1  # for Rule.EVERY_N_WEEKS
    breaks: tuple[DateRange, ...] = field(default=())


class ScheduleError(ValueError):
    """An input a person can correct. ``field`` names the form field to mark."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# Holiday names come from the holidays package in its own languages.
HOLIDAY_LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


@lru_cache(maxsize=64)
def _finnish_holidays(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("FI", years=year, language=language).items())


def finnish_holidays(years: Iterable[int], language: str = "fi") -> dict[date, str]:
    """Finnish public holidays, including Midsummer Eve and Christmas Eve, by date."""
    package_language = HOLIDAY_LANGUAGES.get(language[:2], "fi")
    result: dict[date, str] = {}
    for year in years:
        result.update(_finnish_holidays(year, package_language))
    return result


def _validate(rule: ScheduleRule) -> None:
    if rule.count is None and rule.until is None:
        raise ScheduleError(_("Give the number of meetings or the date of the last meeting."), "count")
    if rule.count is not None and rule.until is not None:
        raise ScheduleError(_("Give either the number of meetings or the date of the last meeting, not both."), "count")
    if rule.count is not None and rule.count < 1:
        raise ScheduleError(_("The number of meetings must be at least 1."), "count")
    if rule.count is not None and rule.count > MAX_MEETINGS:
        raise ScheduleError(
            _("A series can have at most %(max)d meetings. Split it into several units.") % {"max": MAX_MEETINGS},
            "count",
        )
    if rule.until is not None and rule.until < rule.first:
        raise ScheduleError(
            _("The last date is before the first meeting. Choose a last date on or after the first meeting."),
            "until",
        )
    if rule.until is not None and rule.until - rule.first > MAX_SPAN:
        raise ScheduleError(_("A series can last at most three years. Choose an earlier last date."), "until")
    if rule.rule == Rule.WEEKDAYS and len(rule.weekdays) < 2:
        raise ScheduleError(_("Choose at least two weekdays for a group that meets twice a week."), "weekdays")
    if rule.rule == Rule.WEEKDAYS and not rule.weekdays <= set(range(7)):
        raise ScheduleError(_("Choose weekdays from Monday to Sunday."), "weekdays")
    if rule.rule == Rule.EVERY_N_WEEKS and not 1 <= rule.interval_weeks <= 52:
        raise ScheduleError(_("The number of weeks between meetings must be from 1 to 52."), "interval_weeks")


def _candidates(rule: ScheduleRule) -> Iterator[date]:
    """Every date the rule gives, from the first date on, without end."""
    if rule.rule == Rule.WEEKDAYS:
        day = rule.first
        while True:
            if day.weekday() in rule.weekdays:
                yield day
            day += timedelta(days=1)
    step = timedelta(weeks=rule.interval_weeks if rule.rule == Rule.EVERY_N_WEEKS else 1)
    day = rule.first
    while True:
        yield day
        day += step


def generate(rule: ScheduleRule, *, language: str = "fi") -> Schedule:
    """The meeting dates of the rule and the dates it skipped, with the reason for each.

    Raises ScheduleError for input a person must correct, including a schedule whose every
    date falls on a holiday or a break.
    """
    _validate(rule)
    horizon = rule.until if rule.until is not None else rule.first + MAX_SPAN
    holiday_names = finnish_holidays(range(rule.first.year, horizon.year + 1), language)
    dates: list[date] = []
    skipped: list[Skipped] = []
    for day in _candidates(rule):
        if day > horizon or (rule.count is not None and len(dates) >= rule.count):
            break
        if day in holiday_names:
            skipped.append(Skipped(day, holiday_names[day]))
        elif any(day in pause for pause in rule.breaks):
            skipped.append(Skipped(day, BREAK))
        else:
            dates.append(day)
    if not dates:
        raise ScheduleError(
            _(
                "Every date of this schedule falls on a public holiday or a break. "
                "Choose another first date, weekday or last date."
            ),
            "first",
        )
    if rule.count is not None and len(dates) < rule.count:
        raise ScheduleError(
            _("%(count)d meetings do not fit in three years around the breaks. Check the break dates.")
            % {"count": rule.count},
            "breaks",
        )
    return Schedule(dates=dates, skipped=skipped)
