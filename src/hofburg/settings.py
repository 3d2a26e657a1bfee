"""Hofburg settings: everything that varies between machines comes from the environment.

The typed helpers below fail loudly on a malformed value, so a typo in a deployment's
environment stops the process at start-up instead of surfacing as odd behaviour later.
See `.env.example` for every variable.
"""

from __future__ import annotations

import os
import secrets
from datetime import date as dt_date
from datetime import time as dt_time
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_time(name: str, default: str) -> dt_time:
    raw = os.environ.get(name) or default
    try:
        return dt_time.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a time of day like 19:30, got {raw!r}") from exc


def env_date(name: str) -> dt_date | None:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return dt_date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a date like 2014-03-21, got {raw!r}") from exc


DATA_DIR = Path(env_str("HOFBURG_DATA_DIR", str(PROJECT_ROOT / "var"))).resolve()
DEBUG = env_bool("HOFBURG_DEBUG", False)


def _secret_key() -> str:
    """The key from the environment, or one generated once and kept in the data directory."""
    from_env = os.environ.get("HOFBURG_SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret.key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("HOFBURG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("HOFBURG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "csp",
    "hofburg.core",
    "hofburg.registry",
    "hofburg.documents",
    "hofburg.decisions",
    "hofburg.csbm",
    "hofburg.monitoring",
    "hofburg.projects",
    "hofburg.elections",
    "hofburg.cases",
    # TOTP second factor, required for the human-dimension desk (decision 0041).
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    # First, so every request has its id, its count and its log line (decision 0024).
    "hofburg.core.observability.RequestObservability",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a body: the desk's evidence is held in memory until it is sealed,
    # never written to FILE_UPLOAD_TEMP_DIR in the clear (decision 0076).
    "hofburg.cases.uploads.SealedApiUploads",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(), lazily
    "hofburg.core.middleware.LazyMessages",  # Django's, its storage made on first use
    "hofburg.core.api.ProblemsUnderApi",  # every error under /api/ is problem+json
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hofburg.core.middleware.ContentSecurityPolicy",  # django-csp's, the header built once
    "django_ratelimit.middleware.RatelimitMiddleware",
    "hofburg.core.idempotency.IdempotencyKeyMiddleware",
]

ROOT_URLCONF = "hofburg.urls"
WSGI_APPLICATION = "hofburg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hofburg.core.context_processors.hofburg",
            ],
        },
    },
]

DATABASE_URL = env_str("HOFBURG_DATABASE_URL", f"sqlite:///{DATA_DIR / 'hofburg.sqlite3'}")
# Each server thread keeps its database connection between requests: opening one (and, on
# SQLite, running the pragmas below) cost more than the rest of a cached read together
# (benchmarks/README.md, "Serving"). A connection found broken at the start of a request is
# replaced before it is used (CONN_HEALTH_CHECKS). 0 opens one per request.
_database = dj_database_url.parse(DATABASE_URL,
                                  conn_max_age=env_int("HOFBURG_DB_CONN_MAX_AGE", 600),
                                  conn_health_checks=True)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, whose threads of one process take turns to write (core/sqlite).
    _database["ENGINE"] = "hofburg.core.sqlite"
    # Tests in memory, as for Django's own SQLite backend (pytest-django recognises only that
    # backend by name when it gives each parallel test process its database).
    _database["TEST"] = {"NAME": ":memory:"}
    # WAL lets readers go on while one writer writes; IMMEDIATE transactions take the write
    # lock at BEGIN, so two writers queue instead of failing with "database is locked".
    # NORMAL: a commit survives the server process's crash, not a power loss or an operating
    # system crash; FULL syncs the log at every commit and survives those too, at a measured
    # cost (decision 0078).
    _synchronous = env_str("HOFBURG_SQLITE_SYNCHRONOUS", "NORMAL").strip().upper()
    if _synchronous not in {"NORMAL", "FULL"}:
        raise ImproperlyConfigured(
            f"HOFBURG_SQLITE_SYNCHRONOUS must be NORMAL or FULL, got {_synchronous!r}")
    _database["OPTIONS"] = {
        # page_size first: it takes effect when the file is created (decision 0014).
        "init_command": "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; "
        f"PRAGMA synchronous={_synchronous}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _database["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        f"HOFBURG_DATABASE_URL must name an SQLite or PostgreSQL database, got {DATABASE_URL!r}"
    )
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Session security: cookies never readable by scripts; HTTPS-only where the deployment says so.
SECURE_COOKIES = env_bool("HOFBURG_SECURE_COOKIES", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_AGE = env_int("HOFBURG_SESSION_SECONDS", 8 * 3600)
# What a server process verified (an API token, an OpenRosa sign-in, a sender's place on an
# election mission) it trusts for this many seconds: a token revoked, a user deactivated or a
# membership ended through another process is refused at most this much later. 0 looks
# everything up on every request (core.trust, benchmarks/README.md).
TRUST_SECONDS = env_int("HOFBURG_TRUST_SECONDS", 5)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (decision 0019): scripts, styles, images and connections from this
# site only; no inline script or style, no eval. Page scripts get their data from json_script
# and data- attributes, never from markup built out of strings.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "font-src": [SELF],
        "worker-src": [SELF],  # the monitoring desk's service worker (/monitoring/sw.js)
        "object-src": [NONE],
        "frame-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hofburg",
    }
}
if env_str("HOFBURG_REDIS_URL", ""):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("HOFBURG_REDIS_URL", ""),
    }
RATELIMIT_VIEW = "hofburg.core.views.auth.rate_limited"
# Failed sign-in attempts allowed per client address and per account, on every way to sign in
# (both sign-in pages, API tokens, HTTP Basic): see core.signin.
LOGIN_RATE = env_str("HOFBURG_LOGIN_RATE", "10/m")
# Behind a reverse proxy every request comes from the proxy's address: name the request header
# in which the proxy passes the client's address (e.g. X-Forwarded-For), or the limits count
# all clients as one. Empty: the connection's own address.
CLIENT_ADDRESS_HEADER = env_str("HOFBURG_CLIENT_ADDRESS_HEADER", "")
RATELIMIT_IP_META_KEY = "hofburg.core.signin.client_address"
SILENCED_SYSTEM_CHECKS = (
    ["django_ratelimit.W001"] if "LocMemCache" in CACHES["default"]["BACKEND"] else []
)

LANGUAGE_CODE = "en"
# The six official languages of the OSCE. A language is offered in the switcher once its
# catalogue exists under locale/; adding one needs no code change.
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
OFFICIAL_LANGUAGE_CODES = [code for code, _name in LANGUAGES]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Vienna"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PROJECT_ROOT / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve static files straight from the app and vendor folders: `make demo` needs no collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("HOFBURG_MEDIA_DIR", str(DATA_DIR / "media")))
# Uploaded files are never served from MEDIA_URL: downloads go through views that check access.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = env_int("HOFBURG_DOCUMENT_MAX_BYTES", 50 * 1024 * 1024)

# The field mission's local time zone and the cut-off of its reporting period (the SMM reported
# from 19:30 to 19:30 local time). Mission parameters, not rules from a text.
MONITORING_TIME_ZONE = env_str("HOFBURG_MONITORING_TIME_ZONE", "Europe/Kyiv")
MONITORING_PERIOD_CUTOFF = env_time("HOFBURG_MONITORING_PERIOD_CUTOFF", "19:30")

REFERENCE_DATA_DIR = Path(env_str("HOFBURG_REFERENCE_DIR", str(PROJECT_ROOT / "data")))
# The field mission's named reporting areas (GeoJSON), a mission's choice like the cut-off;
# by default the fictional EXERCISE sectors (data/monitoring/README.md).
MONITORING_AREAS = Path(env_str("HOFBURG_MONITORING_AREAS", "") or
                        REFERENCE_DATA_DIR / "monitoring" / "exercise_reporting_areas.geojson")
if not MONITORING_AREAS.is_file():
    raise ImproperlyConfigured(f"HOFBURG_MONITORING_AREAS: no file at {MONITORING_AREAS}")
# The first day of the field mission's mandate: no observation is older. Empty: the start of the
# field operation named in data/monitoring/observation_limits.yaml, from the registry's data.
MONITORING_MANDATE_START = env_date("HOFBURG_MONITORING_MANDATE_START")

# The projects desk's scales of contributions: by default the labelled, approximate press
# figures shipped in data/projects/scales.yaml; a deployment with the adopted scale names its
# own file in the same format (data/projects/README.md), checked against the 14 % ceiling.
PROJECTS_SCALES_FILE = Path(env_str("HOFBURG_PROJECTS_SCALES_FILE", "") or
                            REFERENCE_DATA_DIR / "projects" / "scales.yaml")
if not PROJECTS_SCALES_FILE.is_file():
    raise ImproperlyConfigured(f"HOFBURG_PROJECTS_SCALES_FILE: no file at {PROJECTS_SCALES_FILE}")
# The site's public address, under which the IATI export links a project's public documents
# (`https://hofburg.example.org`); the API falls back to the address it was called at.
PROJECTS_IATI_SITE_URL = env_str("HOFBURG_PROJECTS_IATI_SITE_URL", "")
# The organisation identifier written as the IATI reporting-org, and its type. The OSCE has no
# entry in the IATI OrganisationIdentifier codelist; XM-DAC-47131 follows from its CRS channel
# code by the pattern UN agencies use (an inference: human-dimension.md §5.4).
PROJECTS_IATI_REPORTING_ORG = env_str("HOFBURG_PROJECTS_IATI_REPORTING_ORG", "XM-DAC-47131")
PROJECTS_IATI_REPORTING_ORG_TYPE = env_str("HOFBURG_PROJECTS_IATI_REPORTING_ORG_TYPE", "40")
PROJECTS_IATI_REPORTING_ORG_NAME = env_str(
    "HOFBURG_PROJECTS_IATI_REPORTING_ORG_NAME",
    "Organization for Security and Co-operation in Europe")

# Logs as one JSON object per line when asked, each with the request id (decision 0024).
LOG_FORMAT = env_str("HOFBURG_LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"HOFBURG_LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "hofburg.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "hofburg.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             **({"formatter": "json"} if LOG_FORMAT == "json" else {})}},
    "root": {"handlers": ["console"], "level": env_str("HOFBURG_LOG_LEVEL", "WARNING")},
    # With JSON logs, one line per request at INFO, whatever the root level.
    "loggers": {
        # waitress warns "Task queue depth is N" on every request that waits for a thread: under
        # load, a line per request (measured: 5,700 lines in 14 s) that says only that the
        # server is busy, which the request latency metrics say already.
        "waitress.queue": {"level": "ERROR"},
        **({"hofburg.request": {"level": "INFO"}} if LOG_FORMAT == "json" else {}),
    },
}

# /metrics answers a caller with this bearer token, or one from these addresses; anyone else
# gets 404. Both empty (the default): /metrics is off.
METRICS_TOKEN = env_str("HOFBURG_METRICS_TOKEN", "")
METRICS_ADDRESSES = env_list("HOFBURG_METRICS_ADDRESSES", [])
# /healthz fails when the data directory's disk has less free space than this.
HEALTH_MIN_FREE_BYTES = env_int("HOFBURG_HEALTH_MIN_FREE_MB", 500) * 1024 * 1024

# The human-dimension desk (decision 0041): the vault's keys (key lines in the environment, or
# the key file, made on first use), the smallest count a public table shows, and how long a
# second-factor verification lasts.
CASES_KEYS = env_str("HOFBURG_CASES_KEYS", "")
CASES_KEY_FILE = Path(env_str("HOFBURG_CASES_KEY_FILE", str(DATA_DIR / "cases.keys")))
CASES_SUPPRESSION_K = env_int("HOFBURG_CASES_SUPPRESSION_K", 11)
if CASES_SUPPRESSION_K < 1:
    raise ImproperlyConfigured("HOFBURG_CASES_SUPPRESSION_K must be at least 1")
# How many days the access log keeps its entries before `hofburg cases prune-log` removes them
# (decision 0056: two years cover a reporting year's whole cycle up to its publication).
CASES_ACCESS_LOG_RETENTION_DAYS = env_int("HOFBURG_CASES_ACCESS_LOG_RETENTION_DAYS", 730)
if CASES_ACCESS_LOG_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("HOFBURG_CASES_ACCESS_LOG_RETENTION_DAYS must be at least 1")
OTP_TOTP_ISSUER = "Hofburg"
