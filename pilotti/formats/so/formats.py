# Somali: Django has no formats of its own for it, and its defaults are the United States'
# month/day/year; day/month/year numerically, as Somali writes dates, for the participants'
# pages and the client panel's poster.
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
