"""The time zone of every date and time a person sees or types: meetings, schedules, report days.

``TIME_ZONE`` in the settings is the same zone; this constant is for code that needs the zone
object itself (combining a day and a time, truncating to days in the database).
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in Helsinki: "on or after a day" is ``>= day_start(day)``, "on
    or before" is ``< day_start(day + 1 day)``, whatever the daylight saving time."""
    return datetime.combine(day, time.min, tzinfo=HELSINKI)
