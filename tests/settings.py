"""Settings for the test suite: the production settings with local HTTP and fast hashing."""

import os

os.environ.setdefault("HTTPS", "off")

from pilotti.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests create many accounts and sign in often.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Assertions read English; the Finnish default is tested explicitly (pilotti/core/tests).
LANGUAGE_CODE = "en"
# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
