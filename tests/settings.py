"""Settings for the test suite: the production settings with local HTTP and fast hashing."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("HTTPS", "off")

from pilotti.settings import *  # noqa: F403

# The benchmarks' smoke tests (bench/tests) need their command; production never installs it.
# The suite's own app keeps content types and permissions through the flush that ends a test
# with committed data (tests/suite/management/commands/flush.py).
INSTALLED_APPS = [*INSTALLED_APPS, "bench", "tests.suite"]  # noqa: F405

# Argon2 is deliberately slow; tests create many accounts and sign in often.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Text messages are kept in pilotti.meetings.sms.outbox, as mail is; tests of an installation
# without a backend set it empty.
SMS_BACKEND = "pilotti.meetings.sms.LocmemBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# One process, one cache: the database cache of production would add a query to every rate-limit
# check (query-count tests) and need the database in tests that have none. The shared cache is
# exercised by tests/test_multiserver.py, whose servers run the production settings.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run at once, in the test's process, on SQLite and PostgreSQL alike; tests of the
# database queue switch to it themselves (pilotti/evaluation/tests/test_files.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Generated files (reports, exports) of the suite go to a directory of their own, never var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pilotti-test-media-"))
# Assertions read English; the Finnish default is tested explicitly (pilotti/core/tests).
LANGUAGE_CODE = "en"
# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The test OpenID Connect provider (tests/oidc_provider) listens on http://127.0.0.1.
SSO_ALLOW_LOOPBACK_HTTP = True
# The suite loads the demo on whatever database it runs (PostgreSQL in CI).
ALLOW_DEMO_ACCOUNTS = True
