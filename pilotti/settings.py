"""Pilotti settings. Configuration comes only from the environment (see README).

Defaults are safe for production: DEBUG off, HTTPS assumed, secure cookies. ``make run``
and ``make dev`` set ``HTTPS=off`` because they serve plain HTTP on the loopback address.
"""

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PILOTTI_VAR_DIR", BASE_DIR / "var"))


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting. Anything but the documented words stops start-up: a typo such as
    ``HTTPS=ture`` must not silently turn off HSTS and secure cookies."""
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    allowed = "/".join(f"{yes}/{no}" for yes, no in zip(TRUE_WORDS, FALSE_WORDS, strict=True))
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value: use one of {allowed} (any case), or leave it empty"
    )


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key_from_var() -> str:
    """A key kept under var/ so that a local install survives restarts without setup."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Exclusive create with 0600: the key is never world-readable, even briefly.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


# Contact details are encrypted with their own keys, never SECRET_KEY, and never stored in the
# database. Comma-separated Fernet keys: the first encrypts, all decrypt (rotation, docs/people.md).
# Unset: a key is created in var/field_encryption_key (0600) the first time one is needed.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_ENCRYPTION_KEY_FILE = VAR_DIR / "field_encryption_key"

DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or secret_key_from_var()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "pilotti.accounts",
    "pilotti.core",
    "pilotti.organisations",
    "pilotti.programmes",
    "pilotti.meetings",
    "pilotti.people",
    "pilotti.recruitment",
    "pilotti.audit",
    "pilotti.instruments",
    "pilotti.measurement",
    "pilotti.surveys",
    "pilotti.costs",
    "pilotti.council",
    "pilotti.serviceuse",
    "pilotti.handbook",
    "pilotti.interviews",
    "pilotti.staff",
    "pilotti.evaluation",
    "pilotti.portfolio",
    "pilotti.rights",
    "pilotti.api",
    "pilotti.sso",
    "pilotti.shell",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "simple_history",
    "django_htmx",
    "csp",
    # django-ninja for the JSON API; listed so that its docs page uses its own static files, not a CDN.
    "ninja",
    # Background tasks (docs/deployment.md): the django.tasks API and its database queue.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records 403, 429, CSRF failures and object-lookup 404s as security events (docs/security.md).
    "pilotti.audit.middleware.SecurityEventMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pilotti.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # In place of allauth.usersessions' own middleware, which wrote on every request.
    "pilotti.accounts.middleware.SessionListMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pilotti.accounts.middleware.RequireMFAMiddleware",
    # Before the organisation is chosen: a provider-made session sees its own organisation only.
    "pilotti.sso.middleware.ProviderSessionMiddleware",
    "pilotti.organisations.middleware.CurrentOrganisationMiddleware",
    "pilotti.core.middleware.NoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pilotti.urls"
WSGI_APPLICATION = "pilotti.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pilotti" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pilotti.core.context_processors.pilotti",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
LOCAL_DATABASE_URL = f"sqlite:///{VAR_DIR / 'pilotti.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", LOCAL_DATABASE_URL),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE transactions take the write
    # lock up front so that concurrent writers wait (busy timeout) instead of failing. The wait
    # is short: our own writes take milliseconds, so a longer wait only means another process
    # holds the lock, and then every worker would hang with it; past the timeout the person
    # gets the 503 page (core/faults.py) and can send again (docs/deployment.md, "Faults").
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "5")),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# The busiest statements (the client panel's read, counters and answer) are prepared on PostgreSQL
# while connections persist (pilotti.core.prepared); off for a connection per request, e.g. behind
# PgBouncer in transaction mode (docs/deployment.md).
DATABASE_PREPARED_STATEMENTS = env_bool(
    "DATABASE_PREPARED_STATEMENTS", DATABASES["default"].get("CONN_MAX_AGE", 0) != 0
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Cache ----------------------------------------------------------------------------
# Rate limits (sign-in, exports, the client panel) and allauth's used TOTP codes live in the
# cache, so every app server must share it: by default a table in the database (created by
# `migrate`, pilotti/evaluation/migrations), else Redis or Memcached (docs/deployment.md).
def cache_from_url(url: str) -> dict[str, object]:
    scheme, _sep, rest = url.partition("://")
    backends = {
        "db": "django.core.cache.backends.db.DatabaseCache",
        "redis": "django.core.cache.backends.redis.RedisCache",
        "rediss": "django.core.cache.backends.redis.RedisCache",
        "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
    }
    if scheme not in backends:
        raise ValueError(f"CACHE_URL must start with one of {', '.join(f'{s}://' for s in backends)}, not {url!r}")
    location = {"db": rest or "pilotti_cache", "redis": url, "rediss": url}.get(scheme, rest)
    cache: dict[str, object] = {"BACKEND": backends[scheme], "LOCATION": location}
    if scheme in {"db", "locmem"}:
        # These cull a third of the entries past MAX_ENTRIES (300 by default), rate-limit
        # counters included: room for every user's and address's counters of a busy hour.
        cache["OPTIONS"] = {"MAX_ENTRIES": 100_000}
    return cache


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "db://pilotti_cache"))}

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # Django's list of 20 000 common passwords stands in for a breached-password check
    # (ASVS 6.2.12) without sending anything over the network.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"

ACCOUNT_ADAPTER = "pilotti.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
# WebAuthn needs a secure origin; on plain-HTTP loopback installs allow the insecure one.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS
MFA_TOTP_ISSUER = "Pilotti"
USERSESSIONS_TRACK_ACTIVITY = True
# Organisations' own OpenID Connect providers (pilotti.sso, docs/sso.md): configured in the UI,
# never signing anyone up, the client secret encrypted at rest.
SOCIALACCOUNT_ADAPTER = "pilotti.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# Plain HTTP and loopback addresses for a provider: only the tests' own provider on 127.0.0.1
# (tests/settings.py). Otherwise the server fetches public https addresses only (pilotti.sso.addresses).
SSO_ALLOW_LOOPBACK_HTTP = False

# Sessions: an idle timeout counted from the person's last own request and an absolute
# timeout counted from sign-in (pilotti.accounts.middleware), ASVS 7.3.1–7.3.2.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", str(12 * 60 * 60)))
# Saved when it changes, not on every request: the timeout middleware records activity at most
# once a minute and never for a poll. The stored session outlives the idle time so that the
# middleware, which knows the last activity, is the one that ends it (and sends a polling page
# to the sign-in page whole); the cookie itself ends with the browser.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-axes locks accounts (in the database, shared by every server); allauth's cache-based
# limit stays as a looser second layer so that the lockout page, not a form error, answers.
# Password reset requests: at most 3 mails an hour to one address (no mail-bombing a
# colleague) and 30 requests an hour from one network (no probing; an office behind one
# address still fits). Reset links: 20 a minute per address. Tested in pilotti/audit/tests.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/m/ip,10/300s/key",
    "reset_password": "30/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
}
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "pilotti.accounts.security.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
# `load_demo` (and so `make run`) makes accounts with a published password and no second factor:
# only on the local database or with DEBUG, unless this says yes (pilotti.core.management).
ALLOW_DEMO_ACCOUNTS = env_bool("PILOTTI_ALLOW_DEMO_ACCOUNTS", False)

# Reverse proxies in front of the app: pilotti.core.client_address finds the client's address
# behind them, for axes, allauth, the rate limits and the logs alike.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "pilotti.core.client_address.client_address"

# --- Security headers -----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix pins the cookies to this host, over HTTPS, path / (ASVS 3.3.3).
    SESSION_COOKIE_NAME = "__Host-pilotti-session"
    CSRF_COOKIE_NAME = "__Host-pilotti-csrf"
    LANGUAGE_COOKIE_NAME = "__Host-pilotti-language"
    LANGUAGE_COOKIE_SECURE = True
else:
    SESSION_COOKIE_NAME = "pilotti-session"
    CSRF_COOKIE_NAME = "pilotti-csrf"
    LANGUAGE_COOKIE_NAME = "pilotti-language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# --- Language and formats -------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pilotti" / "locale", BASE_DIR / "pilotti" / "surveys" / "locale"]
FORMAT_MODULE_PATH = ["pilotti.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Helsinki"

# Participants' pages (personal links, client panel) also speak Arabic, Somali, Dari/Persian,
# Russian and Ukrainian (docs/answering.md); staff pages stay in LANGUAGES. Django has no
# locale data for Somali, so it is described here for get_language_info.
PARTICIPANT_LANGUAGES = ["fi", "sv", "en", "ar", "so", "fa", "ru", "uk"]
LANG_INFO.setdefault("so", {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"})

# --- Answering questionnaires (pilotti.surveys, docs/answering.md) --------------------------
SURVEY_LINK_DAYS = int(os.environ.get("SURVEY_LINK_DAYS", "30"))
# The facilitator sees a client panel's answers only when at least this many have answered.
SURVEY_PANEL_MIN_ANSWERS = int(os.environ.get("SURVEY_PANEL_MIN_ANSWERS", "5"))
# At most this many client-panel answers per IP address per meeting in the window (seconds).
SURVEY_PANEL_RATE_LIMIT = int(os.environ.get("SURVEY_PANEL_RATE_LIMIT", "40"))
SURVEY_PANEL_RATE_WINDOW = int(os.environ.get("SURVEY_PANEL_RATE_WINDOW", "600"))
# Every request to the participants' pages (/q/, /p/), per window of this many seconds: from one
# IP address, to one personal link, to one client panel, and unknown addresses tried from one
# IP address (guessing tokens or codes). docs/security.md explains the numbers.
SURVEY_PAGE_RATE_WINDOW = int(os.environ.get("SURVEY_PAGE_RATE_WINDOW", "600"))
SURVEY_PAGE_RATE_PER_IP = int(os.environ.get("SURVEY_PAGE_RATE_PER_IP", "300"))
SURVEY_PAGE_RATE_PER_LINK = int(os.environ.get("SURVEY_PAGE_RATE_PER_LINK", "60"))
SURVEY_PAGE_RATE_PER_PANEL = int(os.environ.get("SURVEY_PAGE_RATE_PER_PANEL", "600"))
SURVEY_PAGE_UNKNOWN_PER_IP = int(os.environ.get("SURVEY_PAGE_UNKNOWN_PER_IP", "20"))

# --- API (pilotti.api, docs/api.md) ---------------------------------------------------
# Calls per token per minute, and unknown or dead tokens tried from one IP address per 10 minutes.
API_RATE_PER_TOKEN = int(os.environ.get("API_RATE_PER_TOKEN", "600"))
API_FAILED_PER_IP = int(os.environ.get("API_FAILED_PER_IP", "30"))

# --- Evaluation (pilotti.evaluation, docs/evaluation.md) -------------------------------
# In anything shared outside the organisation, counts of 1 to this number minus one people are
# suppressed, and no mean, SD, min/max or effect size is shown for fewer (docs/statistics.md, Small numbers).
SMALL_NUMBER_THRESHOLD = int(os.environ.get("SMALL_NUMBER_THRESHOLD", "5"))

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# In development serve straight from the apps; production serves what collectstatic gathered.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Generated files (PDF reports, exports) go to the default storage, which every app server and
# worker must share: a directory on shared disk (MEDIA_ROOT), or an S3-compatible bucket through
# django-storages (FILE_STORAGE_BACKEND and FILE_STORAGE_OPTIONS as JSON, docs/deployment.md).
# It is never served by URL: downloads go through an access-checked view.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("FILE_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pilotti <pilotti@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where Pilotti is served: the start of links in e-mails and text messages sent without a
# request (cron reminders, safety alerts, personal questionnaire links).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Meeting reminders ----------------------------------------------------------------
# Text messages go through a pluggable backend (pilotti.meetings.sms): a gateway's in production;
# empty, none are offered or sent; the console backend, which prints them, only with DEBUG on.
# `manage.py send_meeting_reminders` (cron) reminds this many hours ahead.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "pilotti.meetings.sms.ConsoleBackend" if DEBUG else "")
MEETING_REMINDER_HOURS = int(os.environ.get("MEETING_REMINDER_HOURS", "24"))
# Questionnaire invitations from the measurement plan (docs/measurement.md, Invitations): reminders
# go this many days after the invitation until it is answered; messages go out only between these
# Helsinki hours.
QUESTIONNAIRE_REMINDER_DAYS = [int(d) for d in os.environ.get("QUESTIONNAIRE_REMINDER_DAYS", "3,7").split(",") if d]
QUESTIONNAIRE_SENDING_HOURS = tuple(int(h) for h in os.environ.get("QUESTIONNAIRE_SENDING_HOURS", "9,20").split(","))

# --- Background tasks (django-tasks, docs/deployment.md) ----------------------------------
# PDF reports, data exports and reminder sending run as tasks. "database": a queue in the
# database that `manage.py db_worker` processes (the default on PostgreSQL); "immediate": in
# the process that asks, at once (the default on SQLite, so the embedded install needs no worker).
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.environ.get(
    "TASKS_BACKEND", "immediate" if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else "database"
)
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ValueError(f"TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}
# A generated file can be downloaded for this many hours; then `manage.py prune_generated_files`
# (cron, hourly) deletes it. Requests for new files delete expired ones too.
GENERATED_FILE_HOURS = int(os.environ.get("GENERATED_FILE_HOURS", "24"))
# After this many seconds the waiting page says that the file takes longer than expected and
# offers to ask again; a new request no longer waits for the old one (docs/deployment.md, "Faults").
GENERATED_FILE_EXPECTED_SECONDS = int(os.environ.get("GENERATED_FILE_EXPECTED_SECONDS", "60"))
# Leases of running tasks (pilotti.core.leases): the worker renews its task's lease every
# TASK_HEARTBEAT_SECONDS; a lease not renewed for TASK_LEASE_SECONDS means the worker is gone and
# the task runs again, at most TASK_MAX_ATTEMPTS times in all; a task running longer than
# TASK_TIME_LIMIT seconds is failed. The largest programme's PDF takes 11 s (docs/benchmarks.md).
TASK_HEARTBEAT_SECONDS = float(os.environ.get("TASK_HEARTBEAT_SECONDS", "10"))
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "60"))
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "2"))
TASK_TIME_LIMIT = float(os.environ.get("TASK_TIME_LIMIT", "900"))

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {"()": "pilotti.core.logging.UTCFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    # Bearer secrets in paths (personal links, client panels, reset keys) never reach a log.
    "filters": {"mask_secrets": {"()": "pilotti.audit.masking.MaskSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "utc", "filters": ["mask_secrets"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

SILENCED_SYSTEM_CHECKS: list[str] = []

# --- Security events and uploads (pilotti.audit, pilotti.core.uploads, docs/security.md) ------
# A CSRF failure is recorded as a security event, then Django's own page answers.
CSRF_FAILURE_VIEW = "pilotti.audit.views.csrf_failure"
# No uploaded file is kept beyond this many bytes (the imports' own limits are lower and say
# so in the form); the request body without files is capped at Django's default 2.5 MB.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "pilotti.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The import confirmation posts one decision per flagged row (up to 2000 rows).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2500

# --- The person's rights (pilotti.rights, docs/rights.md) ------------------------------------
# Kela keeps Kanta's logs 12 years; the same is a working default for local access logs
# (unconfirmed for systems outside Kanta: docs/compliance.md, Legal references). Nothing prunes them automatically.
ACCESS_LOG_RETENTION_YEARS = int(os.environ.get("ACCESS_LOG_RETENTION_YEARS", "12"))
