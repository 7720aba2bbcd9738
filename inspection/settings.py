"""Settings for the Quality & Impact inspections app.

One file, driven by environment variables (see README "Configuration"). The defaults are the
safe ones: with DEBUG unset, DEBUG is off, every HTTPS and cookie protection
`manage.py check --deploy` asks for is on, and a real SECRET_KEY is required. A developer's
machine says DEBUG=1 (`make run` does, and pytest through pyproject.toml), which gives a
development key and SQLite in the project folder.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from inspection.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Off unless asked for: a server started without configuration must not show tracebacks.
DEBUG = env_bool("DEBUG", False)

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-not-for-production"
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value when DEBUG is off (DEBUG=1 for development)"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "axes",
    "django_tasks_db",
    "inspection",
    "cases",
    "judgements",
    "reports",
    "fixtures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session middleware in the list, so it runs before it on the way out.
    "inspection.middleware.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on everything a signed-in person is sent.
    "inspection.middleware.NoStoreForSignedInMiddleware",
    # An address holding a control character names nothing: a 404 before any view reads it
    # (after the person is known, so the page's header reads as theirs).
    "inspection.request_guards.RefuseControlCharactersMiddleware",
    # Nothing about cases is visible anonymously: every view needs a login unless it opts out.
    # Django's, answering a page's script in JSON and keeping a form posted signed out.
    "inspection.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A temporary password is changed before any other page opens.
    "inspection.middleware.PasswordChangeRequiredMiddleware",
    # Any change made in a request is recorded as made by the person signed in.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inspection.urls"
# A form refused for its security token gets a page that says nothing was saved, and why.
CSRF_FAILURE_VIEW = "inspection.error_views.csrf_failure"
WSGI_APPLICATION = "inspection.wsgi.application"

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
                "inspection.context_processors.service_navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Checked before reuse, so a connection the server dropped costs a reconnect, not an error.
        conn_health_checks=True,
    )
}
# A PostgreSQL connection is a server process and a handshake: keep it for a minute rather than
# open one per request. SQLite opens a local file, so there is nothing worth keeping.
DATABASES["default"]["CONN_MAX_AGE"] = env_int(
    "DATABASE_CONN_MAX_AGE",
    60 if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else 0,
)
# The embedded SQLite database serves a whole team (`make run`), every request on a connection
# of its own. SQLite lets one connection write at a time, and a transaction that reads first
# (every save checks versions and gates) cannot wait to write: when another connection writes
# meanwhile it fails at once with "database is locked", whatever the timeout. IMMEDIATE takes
# the write lock at BEGIN, where SQLite can wait for it, so saves queue for up to `timeout`
# seconds instead of failing; Django's SQLite backend with one change (SQLITE_ENGINE) lines a
# process's saves up in the order they began, as SQLite's own wait does not. WAL lets pages
# read while a save writes. synchronous=FULL keeps a save acknowledged to the browser through
# a power cut (NORMAL, the usual WAL pairing, does not). Given as URL parameters
# (sqlite:///file?timeout=5), they take precedence.
SQLITE_ENGINE = "inspection.sqlite_backend"
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = SQLITE_ENGINE
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds each inspection's findings under its data revision (judgements/findings.py).
# Every write makes a new key, so any of these is correct; sharing one only saves work.
# "memory" (the default): each process keeps its own, right for one process (runserver, the
# tests) and still correct with several, each of which then counts once per revision.
# "database": one table that every worker process and host shares, in the PostgreSQL the app
# already has, so no new server to run or secure; run `manage.py createcachetable` once. A hit
# then costs one more small query (benchmarks/README.md). Use it whenever several processes serve.
CACHE_BACKENDS = {
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "qi_cache"},
}
CACHE = env_str("CACHE", "memory")
if CACHE not in CACHE_BACKENDS:
    raise ImproperlyConfigured(f"CACHE must be one of {', '.join(CACHE_BACKENDS)}, not {CACHE!r}")
CACHES = {"default": CACHE_BACKENDS[CACHE]}

# The sample profile's flags (judgements/profile.py). Appendix 3 of the report says the sample
# was matched on gender and ethnicity "with minimum numbers set" for both, but not the numbers:
# these are ours, the fewest women and the fewest people from black and minority ethnic groups
# a sample of about fifty should hold for a finding about them to mean anything.
SAMPLE_MINIMUM_WOMEN = env_int("SAMPLE_MINIMUM_WOMEN", 5)
SAMPLE_MINIMUM_MINORITY_ETHNIC = env_int("SAMPLE_MINIMUM_MINORITY_ETHNIC", 5)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed sign-ins before any password is checked (its backend comes first).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out for 30 minutes
# (each try while locked out restarts them). Keyed on the pair, so someone guessing from
# elsewhere cannot lock a colleague out, and a shared office address does not lock out a team.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-inspections"
LOGOUT_REDIRECT_URL = "login"
# A working day of inactivity ends a session. Requests push the expiry back (at most every
# five minutes: inspection/middleware.py), so an inspector reading cases all day stays signed
# in and a laptop left open overnight does not.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_REFRESH_SECONDS = 5 * 60
# With JavaScript, a dialog offers to stay signed in this long before the session ends
# (GOV.UK's timeout warning; WCAG 2.2.1 asks for at least 20 seconds to answer it).
SESSION_WARNING_SECONDS = 5 * 60

# Background jobs (Django's tasks framework): the report PDF takes seconds to render, so the
# editor's "Export PDF" queues it in the database and `manage.py db_worker` (started by
# `make run` beside the web server) renders it. TASKS_BACKEND=immediate runs a job inside the
# request that queues it, for a server with no worker.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# A PDF export waiting this long for a worker (none runs), or rendering this long, is shown as
# failed: the Durham report renders in well under a minute.
REPORT_EXPORT_TIMEOUT_SECONDS = env_int("REPORT_EXPORT_TIMEOUT_SECONDS", 10 * 60)
# The process rendering an export says it is still going this often; an export it has not
# spoken for in REPORT_EXPORT_DEAD_AFTER_SECONDS is shown as failed (the process ended: killed,
# restarted, out of memory) and the editor may export again.
REPORT_EXPORT_HEARTBEAT_SECONDS = env_int("REPORT_EXPORT_HEARTBEAT_SECONDS", 10)
REPORT_EXPORT_DEAD_AFTER_SECONDS = env_int("REPORT_EXPORT_DEAD_AFTER_SECONDS", 45)
if REPORT_EXPORT_DEAD_AFTER_SECONDS < 3 * REPORT_EXPORT_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "REPORT_EXPORT_DEAD_AFTER_SECONDS must be at least three heartbeats "
        f"(3 x REPORT_EXPORT_HEARTBEAT_SECONDS = {3 * REPORT_EXPORT_HEARTBEAT_SECONDS}), not "
        f"{REPORT_EXPORT_DEAD_AFTER_SECONDS}: a beat held up a moment must not end a live export"
    )

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# GOV.UK Frontend comes from npm (make run / make test install it). Its stylesheet asks for
# fonts and images at /assets/, so WhiteNoise serves the package's folder at the site root;
# the CSS and JavaScript themselves are ordinary static files under /static/govuk/.
GOVUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATIC_URL = "static/"
# Where collectstatic writes (and WhiteNoise serves from, with DEBUG off).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static", ("govuk", GOVUK_FRONTEND_DIR)]
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The history is a record, not an undo button: reverting from the admin's history page would
# write a row round the services (their rules, gate clearing and version checks).
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Production hardening: on whenever DEBUG is off (README "Running in production").
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy, in development too so a page that breaks it fails at once. Only this
# site's own files: no inline scripts, styles or event handlers ('unsafe-inline' is never
# allowed), so injected markup cannot run. GOV.UK Frontend needs nothing more (its fonts and
# images are files under /assets/). No framing, and forms post only here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
