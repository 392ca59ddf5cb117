"""Pilotti's settings plus the benchmark app, whose ``generate_scale_data`` command makes the
data sets (``DJANGO_SETTINGS_MODULE=bench.settings``; ``make bench`` sets it for every process).
Production never loads this module, so the command does not exist there.
"""

from pilotti.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
