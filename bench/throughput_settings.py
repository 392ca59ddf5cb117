"""Settings for the throughput benchmark's gunicorn only (``DJANGO_SETTINGS_MODULE=bench.throughput_settings``).

The benchmark's settings plus a URL configuration with one extra view, ``bench.views.insert_one``,
the floor the client panel is measured against. Production never loads this module, so that
view never exists there. The client panel's per-address limit is lifted: every load-tool
request comes from the same address.
"""

from bench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SURVEY_PANEL_RATE_LIMIT = 10**9
# The participants' pages' throttles (pilotti.surveys.throttling) likewise.
SURVEY_PAGE_RATE_PER_IP = 10**9
SURVEY_PAGE_RATE_PER_LINK = 10**9
SURVEY_PAGE_RATE_PER_PANEL = 10**9
SURVEY_PAGE_UNKNOWN_PER_IP = 10**9
