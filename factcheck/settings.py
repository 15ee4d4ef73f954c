"""Settings for factcheck, read from environment variables.

Every setting a deployment changes comes from the environment through the small typed
helpers below; a malformed value stops start-up with a message that names the variable.
With nothing set, the app runs on an SQLite file in ``var/`` (the embedded default).
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FACTCHECK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_json(name: str, default):
    """A JSON value from the environment (an object for structured settings)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return json.loads(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: not valid JSON ({error}).") from None


def env_url(name: str, default: str = "") -> str:
    """An http(s) URL without its final slash; "" when unset and no default is given."""
    value = os.environ.get(name, "") or default
    if value and not value.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"{name}={value!r}: use an http(s) URL such as https://example.org."
        )
    return value.rstrip("/")


def env_header_pair(name: str) -> tuple[str, str] | None:
    value = os.environ.get(name, "")
    if not value:
        return None
    header, _, expected = value.partition(",")
    if not header.startswith("HTTP_") or not expected:
        raise ImproperlyConfigured(
            f"{name}={value!r}: use HEADER,value, e.g. HTTP_X_FORWARDED_PROTO,https."
        )
    return header.strip(), expected.strip()


def local_secret_key() -> str:
    """The per-installation key in var/secret_key, so no secret is ever committed or shared.

    Only read here: importing the settings writes nothing. ``manage.py create_local_secret``
    makes the file (``make run`` and ``make serve`` call it); production sets SECRET_KEY.
    With neither, the key stays empty and Django refuses to sign anything; the check
    claims.E002 says what to do.
    """
    try:
        return (VAR_DIR / "secret_key").read_text().strip()
    except FileNotFoundError:
        return ""


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change for django-simple-history (admin and API alike).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out username before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "claims.backends.ModelPermissionsBackend",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def prepared_statements() -> dict:
    """PostgreSQL: a statement a connection runs again and again (each API request's token,
    permission and page statements) is prepared after DB_PREPARE_THRESHOLD runs, so the
    server parses and plans it once per connection instead of once per request: planning
    the claim list's page took 1.1 ms of the database's 3 ms. psycopg prepares only with
    server-side binding; Django's default, client-side binding, writes the values into the
    SQL, so no two statements are the same text. Only a connection kept between requests
    (DB_CONN_MAX_AGE) lives long enough to profit. A pooler in transaction mode that cannot
    keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements)
    needs DB_PREPARE_THRESHOLD=off."""
    if os.environ.get("DB_PREPARE_THRESHOLD", "").lower() == "off":
        return {}
    threshold = env_int("DB_PREPARE_THRESHOLD", 5)
    if threshold < 0:
        raise ImproperlyConfigured(
            f"DB_PREPARE_THRESHOLD={threshold}: give the runs before a statement is "
            "prepared (0 or more), or off."
        )
    return {"server_side_binding": True, "prepare_threshold": threshold}


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'factcheck.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must hold several users at once. WAL lets readers go on while
    # one writer writes; IMMEDIATE takes the write lock when a transaction starts, so two
    # writers queue (for up to ``timeout`` seconds) instead of one failing with "database
    # is locked" when a read lock cannot be upgraded mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # A file, not Django's shared in-memory database, so the tests' concurrent writers
    # lock and wait exactly as the served app does.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_factcheck.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {
        **prepared_statements(),
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))  # collectstatic fills it
# Hashed, compressed copies made by collectstatic (make run, make serve): browsers may cache
# them for ever, and WhiteNoise serves them from the app server without a separate one.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LOGIN_URL = "admin:login"

# HTTPS. TLS ends at the reverse proxy (docs/deploying.md, "Running it for a newsroom"), which says
# so in X-Forwarded-Proto: SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https. Set it
# only behind a proxy that always sets that header, or a client could claim HTTPS.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)


SECURE_PROXY_SSL_HEADER = env_header_pair("SECURE_PROXY_SSL_HEADER")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.ClaimsModelPermission"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.Pagination",
    # Bounded: DRF reads JSON and plain-text bodies past DATA_UPLOAD_MAX_MEMORY_SIZE otherwise.
    "DEFAULT_PARSER_CLASSES": [
        "claims.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # A list refuses query parameters it does not read (claims.api.query_parameters).
    "DEFAULT_FILTER_BACKENDS": [
        "claims.api.query_parameters.KnownParameters",
        "django_filters.rest_framework.DjangoFilterBackend",
    ],
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": "Articles split into claims, errors tagged on exact spans, labelled claims out.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Nothing is readable anonymously, the description of the API included.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Documented request bodies are JSON (and the plain-text article): forms cannot say
    # null or nest the sources an annotation cites, so the schema does not offer them.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Separate request components, so that what a client sends is described exactly
    # (no read-only fields; a required text field that may not be blank has minLength 1).
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.no_nul_in_text",
    ],
}

# History is for reading: reverting from it would bypass the rules in claims.services.
# This hides the Revert button; claims.admin.history.HistoryAdmin refuses the POST itself.
SIMPLE_HISTORY_REVERT_DISABLED = True

# An editor adjudicates an article once this many reviews of it are submitted.
FACTCHECK_REVIEWS_FOR_ADJUDICATION = env_int("FACTCHECK_REVIEWS_FOR_ADJUDICATION", 2)

# Password guessing (admin login and the API's token endpoint). django-axes locks a username
# tried from one address after AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_MINUTES; the
# token endpoint also takes at most FACTCHECK_TOKEN_RATE anonymous requests per address.
# Addresses are REMOTE_ADDR, or behind FACTCHECK_PROXY_COUNT reverse proxies the one the
# outermost proxy put in X-Forwarded-For (claims.api.throttling.client_ip).
FACTCHECK_PROXY_COUNT = env_int("FACTCHECK_PROXY_COUNT", 0)
FACTCHECK_TOKEN_RATE = os.environ.get("FACTCHECK_TOKEN_RATE", "10/minute")
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "claims.api.throttling.client_ip"
# The throttle's counters live in the database, so every worker and every server behind
# the proxy share them (a per-process cache would let each worker allow the full rate).
# make run / make serve create the table; the test runner creates it itself.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "factcheck_cache",
    }
}

# Limits on what one request may send. A 1 MB transcript is legitimate and must pass;
# what is over a limit is refused (413 for a body, 400 for a field) with the limit named.
FACTCHECK_MAX_ARTICLE_CHARS = env_int("FACTCHECK_MAX_ARTICLE_CHARS", 2_000_000)
FACTCHECK_MAX_QUOTE_CHARS = env_int("FACTCHECK_MAX_QUOTE_CHARS", 10_000)
FACTCHECK_MAX_NOTE_CHARS = env_int("FACTCHECK_MAX_NOTE_CHARS", 20_000)  # correction or note
# Bytes of one request body, JSON and plain text included (claims.api.parsers). 16 MiB
# holds the longest article even in a script JSON escapes at 6 bytes a character.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 16 * 1024 * 1024)

# Imports and exports work in chunks of this many claims: memory stays flat.
FACTCHECK_EXPORT_CHUNK_SIZE = env_int("FACTCHECK_EXPORT_CHUNK_SIZE", 500)

# Where this app is reached from outside, for the absolute URLs that linked-data exports
# carry (a W3C annotation's id, a ClaimReview's url). Set, they are the same in an export
# made by the command and in the API, whichever host name a request came through. Unset
# (the default), the API uses the origin each request came to (scheme and Host, e.g.
# http://127.0.0.1:8123), and ``export_claims`` its --site-url, by default
# http://localhost:8000 (claims.exports.links). Set it in production: ids should not change
# with the host name a client used.
FACTCHECK_SITE_URL = env_url("FACTCHECK_SITE_URL")
# The fact-checking organisation named as the author of ClaimReview exports; its url is
# the site's (as above) unless set.
FACTCHECK_ORGANIZATION_NAME = os.environ.get("FACTCHECK_ORGANIZATION_NAME", "") or "factcheck"
FACTCHECK_ORGANIZATION_URL = env_url("FACTCHECK_ORGANIZATION_URL")
# Final verdict -> schema.org Rating in ClaimReview exports: the textual rating
# (alternateName, what search engines show) and a number on the worstRating..bestRating
# scale (closer to bestRating = more true). A verdict mapped to null is not published; one
# without ratingValue gets a textual rating only. Checked at start-up (claims.checks).
FACTCHECK_CLAIMREVIEW_RATINGS = env_json(
    "FACTCHECK_CLAIMREVIEW_RATINGS",
    {
        "worstRating": 1,
        "bestRating": 5,
        "verdicts": {
            "inaccurate": {"alternateName": "Inaccurate", "ratingValue": 1},
            "misleading": {"alternateName": "Misleading", "ratingValue": 3},
            "accurate": {"alternateName": "Accurate", "ratingValue": 5},
            "unverifiable": {"alternateName": "Unverifiable"},
            "not_checkable": None,
        },
    },
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING").upper()},
    # trafilatura and htmldate log every page they cannot read; import_articles and the API
    # report those themselves, naming the file or the field, so theirs would only repeat it.
    "loggers": {name: {"level": "CRITICAL"} for name in ("trafilatura", "htmldate")},
}
