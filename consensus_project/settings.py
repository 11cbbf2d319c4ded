"""Settings for the streaming consensus service.

This is the only module that reads the environment (and the optional `.env` file at the repo root).
Everything else reads `django.conf.settings`; the consensus app reads it through `consensus.conf`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_dotenv = BASE_DIR / ".env"
if _dotenv.is_file():
    env.read_env(str(_dotenv), overwrite=False)

# --- Django core -------------------------------------------------------------------------------

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="django-insecure-development-only-key-change-me-in-production-0123456789",
)
ALLOWED_HOSTS: list[str] = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",  # first: its runserver serves ASGI (check daphne.E001)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "corsheaders",
    "consensus",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "consensus.runtime.static.AsyncWhiteNoiseMiddleware",  # static files (any ASGI server)
    "corsheaders.middleware.CorsMiddleware",  # answers API preflights before sessions, CSRF, views
    "consensus.runtime.api_errors.ApiErrorMiddleware",  # every 4xx under /api/ is JSON (404, CSRF)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the admin follows the browser's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "consensus.runtime.csp.ContentSecurityPolicyMiddleware",  # HTML pages: no inline code
]

ROOT_URLCONF = "consensus_project.urls"
ASGI_APPLICATION = "consensus_project.asgi.application"
WSGI_APPLICATION = None

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

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Async views share one thread for ORM calls; persistent connections are not safe there.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# The embedded database: write-ahead logging (readers, such as the admin, do not wait for the
# run saves, and a save is one append), synced at checkpoints rather than at every commit (a run
# saved just before a power cut may be lost; the database stays consistent), and write
# transactions that take the lock when they begin, so that two writers queue (`timeout`)
# instead of failing with "database is locked". `benchmarks/db_save.py` measures a save.
SQLITE_PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    _sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    _sqlite_options.setdefault("init_command", SQLITE_PRAGMAS)
    _sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
    _sqlite_options.setdefault("timeout", 20)

REDIS_URL: str | None = env.str("REDIS_URL", default=None) or None

CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # the project's own labels; compiled .mo files committed
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# `manage.py collectstatic` (scripts/run, deploy/run-workers) fills it.
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# WhiteNoise serves STATIC_ROOT with DEBUG off (hashed names, compressed copies, cached for a
# year), so production needs `collectstatic`; with DEBUG on it serves the apps' files directly.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # Not propagated: a server that gives the root logger a handler too (daphne's command line
    # calls logging.basicConfig) would write every line twice.
    "loggers": {
        "consensus": {
            "handlers": ["console"],
            "level": env.str("LOG_LEVEL", "INFO"),
            "propagate": False,
        }
    },
}

# --- Consensus: providers ------------------------------------------------------------------------
# Role "groq" is the fast, streamed model; role "byteplus" the accurate validator. Any
# OpenAI-compatible endpoint can fill either role; the preset decides the vendor-specific fields.

CONSENSUS_FAST_PROVIDER = {
    "preset": env.str("GROQ_PRESET", default="groq"),
    "api_key": env.str("GROQ_API_KEY", default=""),
    "base_url": env.str("GROQ_BASE_URL", default="https://api.groq.com/openai/v1"),
    "model": env.str("GROQ_MODEL", default="openai/gpt-oss-20b"),
}
CONSENSUS_VALIDATOR_PROVIDER = {
    "preset": env.str("ARK_PRESET", default="byteplus"),
    "api_key": env.str("ARK_API_KEY", default=""),
    "base_url": env.str("ARK_BASE_URL", default="https://ark.ap-southeast.bytepluses.com/api/v3"),
    "model": env.str("ARK_MODEL", default="seed-1-6-250915"),
}
# More validators next to the first (issue 18): a JSON list of {"name", "base_url", "model",
# "api_key_env", "preset"}, checked here at start-up (docs/configuration.md); empty: none.
from consensus.conf import validators_setting  # noqa: E402

CONSENSUS_VALIDATORS = validators_setting(env.str("CONSENSUS_VALIDATORS", default=""), env.ENVIRON)

# --- Consensus: the design document's numbers ----------------------------------------------------

# The validator streams: TIMEOUT is how long it may send nothing new once its answer is awaited,
# MAX its total time from the run's start (docs/reliability.md#the-validators-time).
CONSENSUS_VALIDATOR_TIMEOUT = env.float("CONSENSUS_VALIDATOR_TIMEOUT", default=10.0)
CONSENSUS_VALIDATOR_MAX = env.float("CONSENSUS_VALIDATOR_MAX", default=60.0)
# The optional judge (consensus/judge.py): one extra call to the validator model for verdicts
# the rules cannot decide; off by default, with its own time limit.
CONSENSUS_JUDGE = env.bool("CONSENSUS_JUDGE", default=False)
CONSENSUS_JUDGE_TIMEOUT = env.float("CONSENSUS_JUDGE_TIMEOUT", default=5.0)
CONSENSUS_HIGH_SIMILARITY = env.float("CONSENSUS_HIGH_SIMILARITY", default=0.85)
CONSENSUS_MODERATE_SIMILARITY = env.float("CONSENSUS_MODERATE_SIMILARITY", default=0.60)
CONSENSUS_FAST_WEIGHT = env.float("CONSENSUS_FAST_WEIGHT", default=0.4)
CONSENSUS_VALIDATOR_WEIGHT = env.float("CONSENSUS_VALIDATOR_WEIGHT", default=0.6)
CONSENSUS_FAST_PRIOR = env.float("CONSENSUS_FAST_PRIOR", default=0.7)
CONSENSUS_VALIDATOR_PRIOR = env.float("CONSENSUS_VALIDATOR_PRIOR", default=0.85)
CONSENSUS_CONFIDENCE_CAP = env.float("CONSENSUS_CONFIDENCE_CAP", default=0.95)
CONSENSUS_UNVALIDATED_CONFIDENCE = env.float("CONSENSUS_UNVALIDATED_CONFIDENCE", default=0.7)

# --- Consensus: reliability, resume and abuse limits (0 disables a limit) ---------------------

CONSENSUS_FIRST_TOKEN_TIMEOUT = env.float("CONSENSUS_FIRST_TOKEN_TIMEOUT", default=3.0)
CONSENSUS_STALL_TIMEOUT = env.float("CONSENSUS_STALL_TIMEOUT", default=5.0)
CONSENSUS_RUN_TIMEOUT = env.float("CONSENSUS_RUN_TIMEOUT", default=60.0)
CONSENSUS_RETRY_BUDGET = env.float("CONSENSUS_RETRY_BUDGET", default=2.0)
CONSENSUS_RESUME_GRACE = env.float("CONSENSUS_RESUME_GRACE", default=10.0)
CONSENSUS_EVENT_RETENTION = env.float("CONSENSUS_EVENT_RETENTION", default=600.0)
CONSENSUS_HEARTBEAT_INTERVAL = env.float("CONSENSUS_HEARTBEAT_INTERVAL", default=15.0)
CONSENSUS_RATE_LIMIT_PER_MINUTE = env.int("CONSENSUS_RATE_LIMIT_PER_MINUTE", default=10)
CONSENSUS_MAX_CONCURRENT_PER_CLIENT = env.int("CONSENSUS_MAX_CONCURRENT_PER_CLIENT", default=2)
CONSENSUS_REQUIRE_AUTH = env.bool("CONSENSUS_REQUIRE_AUTH", default=False)
CONSENSUS_CORS_ALLOWED_ORIGINS: list[str] = env.list("CONSENSUS_CORS_ALLOWED_ORIGINS", default=[])
CONSENSUS_CIRCUIT_FAILURES = env.int("CONSENSUS_CIRCUIT_FAILURES", default=3)
CONSENSUS_CIRCUIT_COOLDOWN = env.float("CONSENSUS_CIRCUIT_COOLDOWN", default=30.0)
CONSENSUS_SPOOL_DIR = env.path("CONSENSUS_SPOOL_DIR", default=BASE_DIR / "var" / "spool")
# The answer cache (consensus/cache.py): seconds a validated answer is reused; 0 turns it off.
CONSENSUS_CACHE_TTL = env.int("CONSENSUS_CACHE_TTL", default=86400)

# --- CORS (django-cors-headers): `/api/` only, allowlisted origins, never credentials -----------
# Other frontends authenticate with a bearer token, so session cookies (and CSRF) stay same-origin.

CORS_ALLOWED_ORIGINS = [o.strip().rstrip("/").lower() for o in CONSENSUS_CORS_ALLOWED_ORIGINS]
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "POST", "OPTIONS")
CORS_ALLOW_HEADERS = ("authorization", "content-type", "last-event-id", "x-csrftoken")
CORS_EXPOSE_HEADERS = ("X-Run-Id", "Retry-After")
CORS_PREFLIGHT_MAX_AGE = 600

# --- Consensus: server runtime --------------------------------------------------------------------

# The streaming endpoints through `consensus.runtime.lean_handler` (false: Django's stock handler).
CONSENSUS_LEAN_HANDLER = env.bool("CONSENSUS_LEAN_HANDLER", default=True)
# Sockets under the upstream HTTP clients: "lean" (consensus/providers/netio.py) or "anyio"
# (httpcore's default). docs/performance.md has the measurement behind the default.
CONSENSUS_NETWORK_BACKEND = env.str("CONSENSUS_NETWORK_BACKEND", default="lean")
if CONSENSUS_NETWORK_BACKEND not in ("lean", "anyio"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CONSENSUS_NETWORK_BACKEND must be 'lean' or 'anyio'")
# Where verdicts are computed (consensus/runtime/verdicts.py): "process" (a child process per
# worker, so their CPU does not hold the worker's GIL) or "thread" (one thread of the worker).
CONSENSUS_VERDICT_WORKER = env.str("CONSENSUS_VERDICT_WORKER", default="process")
if CONSENSUS_VERDICT_WORKER not in ("process", "thread"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CONSENSUS_VERDICT_WORKER must be 'process' or 'thread'")
# Seconds open runs may take to finish on shutdown (SIGTERM) before they are saved as aborted.
CONSENSUS_SHUTDOWN_GRACE = env.float("CONSENSUS_SHUTDOWN_GRACE", default=20.0)

# --- Consensus: input limits ----------------------------------------------------------------------

CONSENSUS_MAX_PROMPT_CHARS = env.int("CONSENSUS_MAX_PROMPT_CHARS", default=8000)
CONSENSUS_MAX_HISTORY_MESSAGES = env.int("CONSENSUS_MAX_HISTORY_MESSAGES", default=40)
CONSENSUS_MAX_HISTORY_CHARS = env.int("CONSENSUS_MAX_HISTORY_CHARS", default=32000)

# --- Production hardening (DJANGO_DEBUG=false) ----------------------------------------------------
# `python manage.py check --deploy` passes with no warnings. Behind a TLS-terminating proxy set
# DJANGO_SECURE_PROXY_SSL_HEADER=true (only if the proxy always sets X-Forwarded-Proto), or turn
# the redirect off with DJANGO_SECURE_SSL_REDIRECT=false if the proxy redirects already.

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    _weak_key = len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
    if _weak_key or SECRET_KEY.startswith("django-insecure-"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "DJANGO_DEBUG is false, so DJANGO_SECRET_KEY must be set to a long random value (at "
            "least 50 characters, not the development default). Generate one with: python -c "
            "'from django.core.management.utils import get_random_secret_key as k; print(k())'"
        )
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# --- Sentry ---------------------------------------------------------------------------------------

SENTRY_DSN: str = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from consensus.runtime.telemetry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
