"""The time zone of every date and time a person sees or types: meetings, schedules, report days.

``TIME_ZONE`` in the settings is the same zone; this constant is for code that needs the zone
object itself (combining a day and a time, truncating to days in the database).
"""

from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
