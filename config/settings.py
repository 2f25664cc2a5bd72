"""Django settings for Doorstroom, read from the environment.

Safe defaults for a developer's machine (SQLite in the project, debug on);
production must set DJANGO_SECRET_KEY, DJANGO_DEBUG=false, DJANGO_ALLOWED_HOSTS
and DATABASE_URL.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
if DEBUG:
    # The fallback key and hosts are only acceptable on a developer's machine.
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-doorstroom-development-only")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    # Production refuses to start rather than run with a guessable key or accept any Host header.
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=false needs DJANGO_SECRET_KEY: a random key of at least 50 characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_DEBUG=false needs DJANGO_ALLOWED_HOSTS: the host names the site answers to.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- The INSZ at rest (common/crypto.py, docs/security.md "Keys") ---------------------------------
# DOORSTROOM_INSZ_KEYS: comma-separated Fernet keys, the first encrypts, all decrypt (rotation).
# DOORSTROOM_INSZ_HASH_KEY: the HMAC key of the look-up digests (32+ characters). Both live in the
# environment, never in the database; production refuses to start without them.
from common.crypto import DEVELOPMENT_FERNET_KEY, DEVELOPMENT_HASH_KEY, INSZKeyError, fernet_from_keys  # noqa: E402

if DEBUG:
    INSZ_KEYS = env.list("DOORSTROOM_INSZ_KEYS", default=[DEVELOPMENT_FERNET_KEY])
    INSZ_HASH_KEY = env("DOORSTROOM_INSZ_HASH_KEY", default=DEVELOPMENT_HASH_KEY)
else:
    INSZ_KEYS = env.list("DOORSTROOM_INSZ_KEYS", default=[])
    INSZ_HASH_KEY = env("DOORSTROOM_INSZ_HASH_KEY", default="")
    if not INSZ_KEYS or DEVELOPMENT_FERNET_KEY in INSZ_KEYS:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=false needs DOORSTROOM_INSZ_KEYS: one or more Fernet keys, comma-separated "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
        )
    if len(INSZ_HASH_KEY) < 32 or INSZ_HASH_KEY == DEVELOPMENT_HASH_KEY:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=false needs DOORSTROOM_INSZ_HASH_KEY: a random key of at least 32 characters."
        )
try:
    fernet_from_keys(INSZ_KEYS)
except INSZKeyError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Planner settings for every connection of the app (docs/benchmarks.md, ministerial pack):
    # - no JIT compilation: the reports' aggregates cost enough for PostgreSQL to compile them, and
    #   compiling cost more than it saved;
    # - random_page_cost 1.1 instead of 4 (which assumes spinning disks): the register is read from
    #   memory or SSD, and at 4 the planner hashed whole tables where probing an index per person
    #   is faster;
    # - no parallel workers per query by default: the app's requests run side by side, so the processors a
    #   parallel plan borrows are taken from other requests, and it costs more processor time in all than
    #   the same query alone (each worker starts, and builds its own copy of a hash table): the small
    #   export of the load mix took 86 ms of processor time in parallel against 45 ms alone, the mix as a
    #   whole 9 % less with none (docs/benchmarks.md, "Seventh pass"). A server with processors to
    #   spare for single long queries can allow some with DOORSTROOM_DB_PARALLEL_WORKERS.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c random_page_cost=1.1 "
        f"-c max_parallel_workers_per_gather={env.int('DOORSTROOM_DB_PARALLEL_WORKERS', default=0)}"
    )

# Keep a worker's database connection between requests (checked before reuse): opening one costs
# PostgreSQL a new backend process per request, processor time that serves no request (issue 6).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Scale-out (docs/operations.md): a PostgreSQL streaming replica of the primary. Lists, their counts,
# reports and background exports read from it; writes and reads after a write stay on the primary
# (common/replica.py). In tests the replica is the test database itself (a TEST MIRROR of default).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
DOORSTROOM_READ_REPLICA = None
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # Only read: no transaction around each request on it (the primary has ATOMIC_REQUESTS).
        "ATOMIC_REQUESTS": False,
        "TEST": {"MIRROR": "default"},
    }
    DOORSTROOM_READ_REPLICA = "replica"
DATABASE_ROUTERS = ["common.replica.ReplicaRouter"]
# After a request that may have written, the user's requests read from the primary for this many seconds:
# longer than the replica's lag, so that they see what they just saved.
DOORSTROOM_PRIMARY_AFTER_WRITE_SECONDS = env.int("DOORSTROOM_PRIMARY_AFTER_WRITE_SECONDS", default=15)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Not "rest_framework" nor "drf_spectacular": their catalogues would replace Django's Dutch messages on
    # every form ("Dit veld is vereist." for "Dit veld is verplicht."); the API says its own (api/problems.py).
    "common",
    "accounts",
    "partners",
    "audit",
    "casework",
    "employees",
    "evaluations",
    "trajectories",
    "demo",
    "reports",
    "imports",
    "people",
    "api",
    "jobs",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.replica.PrimaryAfterWriteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Instead of Django's LocaleMiddleware: the user's choice, then the language cookie, then Dutch;
    # never the browser's Accept-Language (accounts/language.py).
    "accounts.language.UserLanguageMiddleware",
    # Responses to a logged-in user are never stored by a browser or proxy (docs/security.md, row 12.7).
    "accounts.security.NoStoreForUsersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AdministratorSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
                "jobs.context_processors.watched_jobs",
            ],
        },
    },
]
# Django's form renderer, with select and input widgets written in Python: the filter form of every
# list page rendered each option through three templates (common/form_renderer.py, issue 17).
FORM_RENDERER = "common.form_renderer.FastFormRenderer"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses every login attempt of a locked-out username/address pair.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # An OpenID Connect backend goes here (docs/security.md, "Single sign-on").
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates dd/mm/yyyy in both languages, numbers 1.234,56 in Dutch (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Personal data (docs/security.md) ------------------------------------------------------
# `manage.py anonymise_persons` clears the identity of every person whose last record is older
# than this many years (README: "Retention").
DOORSTROOM_RETENTION_YEARS = env.int("DOORSTROOM_RETENTION_YEARS", default=10)
# Imported or refused files are kept with their run for this many days, then emptied by
# `anonymise_persons` (the file and its error report name persons).
DOORSTROOM_IMPORT_FILE_DAYS = env.int("DOORSTROOM_IMPORT_FILE_DAYS", default=30)
# ESF special categories of personal data (disability, migrant background, docs/esf.md): the legal basis
# for processing them, in words (for instance the article of the decree or the consent form). Empty:
# the fields are hidden everywhere and never stored.
DOORSTROOM_ESF_SPECIAL_CATEGORIES_BASIS = env("DOORSTROOM_ESF_SPECIAL_CATEGORIES_BASIS", default="")
# Look-ups by INSZ per user (people.services.person_lookup), counted from the access log over the
# last hour and the last 24 hours, so that the limit holds across workers and restarts. A caseworker
# looks up the few walk-ins of a day that no referral announced; 30 an hour leaves room for a whole
# intake session, 100 a day is far above any real day. Farming the 998 valid numbers of one birth
# date then takes ten days, and the administrators' list of look-ups without a trajectory shows it
# on the first.
DOORSTROOM_LOOKUP_LIMIT_PER_HOUR = env.int("DOORSTROOM_LOOKUP_LIMIT_PER_HOUR", default=30)
DOORSTROOM_LOOKUP_LIMIT_PER_DAY = env.int("DOORSTROOM_LOOKUP_LIMIT_PER_DAY", default=100)

# A referral the partner has not answered (started or declined) this many days after it was sent
# appears on the administrators' list of unanswered referrals (docs/casework.md).
# Caches: Django's default, per process; and "reports", the rows of report queries kept until a table they
# read changes (reports/statements.py, common/changes.py; exact, so no time limit is needed for
# correctness: entries of an old generation are never read again and fall out, least recently used
# first). Per process by default; a cache shared by all app servers (Redis, Memcached, the database) can be
# named with DOORSTROOM_REPORT_CACHE_BACKEND and DOORSTROOM_REPORT_CACHE_LOCATION.
KEPT_CACHE_BACKEND = env("DOORSTROOM_REPORT_CACHE_BACKEND", default="django.core.cache.backends.locmem.LocMemCache")
KEPT_CACHE_LOCATION = env("DOORSTROOM_REPORT_CACHE_LOCATION", default="doorstroom-reports")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "reports": {
        "BACKEND": KEPT_CACHE_BACKEND,
        "LOCATION": KEPT_CACHE_LOCATION,
        "TIMEOUT": 24 * 3600,
        # At most 1 MB each (reports/statements.py): at most about 200 MB per process, typically a few.
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
    # The pages of the lists kept until their tables change (common/tables.py): a page's ids and count,
    # well under a kilobyte each, so at most a few megabytes per process. In a process's memory a store of
    # their own; in a shared cache the reports' store, under a prefix of their own.
    "kept-pages": {
        "BACKEND": KEPT_CACHE_BACKEND,
        "LOCATION": f"{KEPT_CACHE_LOCATION}-pages"
        if KEPT_CACHE_BACKEND.endswith("LocMemCache")
        else KEPT_CACHE_LOCATION,
        "TIMEOUT": 24 * 3600,
        "KEY_PREFIX": "pages",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Background jobs (jobs/, docs/operations.md): django-tasks with its database backend, so that the embedded
# default needs no other server; `manage.py db_worker` runs them (make run starts one beside the web server).
TASKS = {
    "default": {
        "BACKEND": env("DOORSTROOM_TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Where the files the jobs make are kept until they expire, outside the static files: only the download
# view serves them, to their owner. Several app servers and workers must share this directory.
DOORSTROOM_JOB_RESULTS_DIR = env("DOORSTROOM_JOB_RESULTS_DIR", default=str(BASE_DIR / "job_results"))
# A job's file is deleted this many hours after it is made (manage.py expire_jobs; the download stops at once).
DOORSTROOM_JOB_RESULT_HOURS = env.int("DOORSTROOM_JOB_RESULT_HOURS", default=24)
# A running job without a sign of life for this long was interrupted (its worker stopped): it may be restarted.
DOORSTROOM_JOB_STALE_SECONDS = env.int("DOORSTROOM_JOB_STALE_SECONDS", default=300)

DOORSTROOM_REFERRAL_ANSWER_DAYS = env.int("DOORSTROOM_REFERRAL_ANSWER_DAYS", default=14)

# --- Production serving (docs/security.md) -------------------------------------------------
# Behind a reverse proxy that terminates TLS, set DJANGO_BEHIND_PROXY=true: the proxy's
# X-Forwarded-Proto then says whether the request was HTTPS, and the proxy's X-Forwarded-For
# entry gives the client address (accounts.security.client_ip).
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only files of our own: no inline script or style, no other origin (accounts.security).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Sessions end after this many seconds without a request (each request renews it).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
# Database sessions renewed at most once a minute: see common/sessions.py.
SESSION_ENGINE = "common.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Login protection (django-axes, django-otp) -------------------------------------------
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_LOGIN_LOCKOUT_MINUTES", default=30))
# Three limits (accounts.security.LayeredLockoutHandler): the pair (username, address) at
# AXES_FAILURE_LIMIT, so that failures on one account from behind a shared proxy address do not
# lock out the other people behind it; the account from any address, and the address for any
# username, at higher limits, against guesses spread over addresses or over accounts.
AXES_HANDLER = "accounts.security.LayeredLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("DJANGO_LOGIN_ACCOUNT_FAILURE_LIMIT", default=20)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Administrators confirm a TOTP code after their password (accounts.middleware).
OTP_TOTP_ISSUER = "Doorstroom"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# Serve static files from the apps directly while developing (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

if not DEBUG:
    # Hashed, compressed file names from `collectstatic`, cached for ever by browsers.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# Errors go to the process's standard error (gunicorn passes it to the service's log), never to a page.
# Every handler redacts anything shaped like an INSZ (common/logging.py): a second defence, the
# first being that no URL and no log call carries one.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_insz": {"()": "common.logging.RedactINSZFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_insz"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Replaces the handlers of Django's default logging (console, mail_admins) with ours.
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# The empty choice of a filter's select (common/forms.py EMPTY_LABEL for the forms).
FILTERS_EMPTY_CHOICE_LABEL = _("— choose —")

# bootstrap5.html with plain cells: see common/templates/casework/table.html.
DJANGO_TABLES2_TEMPLATE = "casework/table.html"

# Tests and `make run` need no mail server; production configures its own.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

# --- The REST API under /api/v1/ (docs/api.md) -----------------------------------------------
# Personal keys only (accounts/tokens.py), no session: a browser's cookies never authorise an API call.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScopePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "DATE_FORMAT": "iso-8601",
    "DATETIME_FORMAT": "iso-8601",
    "PAGE_SIZE": 50,
}
# Calls per key (per address without one): a partner's nightly synchronisation pages through
# thousands of records; this stops a runaway loop, not honest work. Counted per process (the cache).
DOORSTROOM_API_RATE = env("DOORSTROOM_API_RATE", default="600/minute")
# An Idempotency-Key's answer is replayed for this long (api.models.IdempotentRequest).
DOORSTROOM_API_IDEMPOTENCY_HOURS = 24
SPECTACULAR_SETTINGS = {
    "TITLE": "Doorstroom API",
    "DESCRIPTION": "The same work as the screens, for partners' own systems (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_AUTHENTICATION": ["api.authentication.BearerTokenAuthentication"],
    "SERVE_PERMISSIONS": ["api.permissions.TokenScopePermission"],
    "ENUM_NAME_OVERRIDES": {"InternshipOutcomeEnum": "trajectories.constants.InternshipOutcome"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_problem_responses"],
}
