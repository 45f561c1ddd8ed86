"""Settings for Strategiportalen, all read from the environment through django-environ.

Every value has a default that is safe on a developer's machine. With DEBUG=False the
project refuses to start until SECRET_KEY and ALLOWED_HOSTS are set for real, so a
production server can never run on the development key. See `.env.example`.
"""

import os
from collections.abc import Mapping
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# The prefix tells both humans and `check_production_settings` below that this key is not secret.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def check_production_settings(*, debug: bool, secret_key: str, allowed_hosts: list[str]) -> None:
    """Refuse to run a production server on development defaults."""
    if debug:
        return
    if not secret_key or secret_key.startswith("django-insecure") or len(secret_key) < 50:
        raise ImproperlyConfigured(
            "DEBUG=False requires a real SECRET_KEY: at least 50 random characters "
            "that do not start with 'django-insecure'."
        )
    if not allowed_hosts:
        raise ImproperlyConfigured("DEBUG=False requires ALLOWED_HOSTS, e.g. strategi.example.dk.")


check_production_settings(debug=DEBUG, secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "axes",
    "municipalities",
    "goals",
    "indicators",
    "strategyportal",
]

MIDDLEWARE = [
    # First, so that every log line of a request and every answer carry its id.
    "strategyportal.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer: a CORS preflight of the open-data API is answered here.
    "corsheaders.middleware.CorsMiddleware",
    # A NUL byte or an admin history id that is no number: never a server error.
    "strategyportal.request_checks.HostileInputMiddleware",
    # Outside the page cache, so a page served from it carries the policy of this release.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A 304 keeps the policy of the page it confirms: a progress card's frame-ancestors.
    "strategyportal.embeds.NotModifiedKeepsPolicyMiddleware",
    # Public pages for visitors who are not logged in, from the shared cache: outside the two
    # below, so it stores compressed pages with their ETag (strategyportal/caching.py).
    "strategyportal.caching.PublicPageCacheMiddleware",
    # Pages are compressed (Django's gzip includes the BREACH mitigation), and carry an ETag
    # from their content, so a revisit of an unchanged page costs a 304 and no body.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strategyportal.urls"

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
                "strategyportal.context_processors.portal",
            ],
        },
    },
]

FORM_RENDERER = "strategyportal.forms.PortalFormRenderer"

WSGI_APPLICATION = "strategyportal.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# A production worker keeps its connection for a minute instead of opening one per request;
# development closes it after each request, so nothing holds the database between edits.
# `?conn_max_age=` in DATABASE_URL still counts when CONN_MAX_AGE is not set.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE", default=DATABASES["default"].get("CONN_MAX_AGE", 0 if DEBUG else 60)
)
# A kept connection that the database (or a failover) has closed is replaced when a request
# starts, instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory by default: each process has its own. Several workers or machines share Redis
# (CACHE_URL=redis://127.0.0.1:6379/1), through Django's own RedisCache backend.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Set here, not as `?key_prefix=` in the URL: django-environ passes that on in lower case to
# the Redis backend, which then ignores it. The prefix keeps two sites apart on one Redis.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="strategiportalen")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that does not answer fails the request (and /readyz) within seconds instead of
    # holding a worker until gunicorn kills it. `?socket_timeout=` in CACHE_URL overrides.
    redis_options = CACHES["default"].setdefault("OPTIONS", {})
    redis_options.setdefault("socket_connect_timeout", 2)
    redis_options.setdefault("socket_timeout", 2)

# Seconds a public page is kept in the cache at most: a write retires kept pages at once
# (strategyportal/caching.py), the timeout bounds the rest. None in development, where an
# edited template should show at once, nor in a cache of each process's own: a write would
# retire the pages of its own process only, and the other workers would serve stale ones.
CACHE_PAGE_SECONDS = env.int(
    "CACHE_PAGE_SECONDS",
    default=0
    if DEBUG or CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    else 10 * 60,
)

AUTH_USER_MODEL = "municipalities.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reporting:home"
LOGOUT_REDIRECT_URL = "portal:front"
# Sessions end when the browser closes, and after eight hours in any case.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)

# django-axes: five failed logins for a username from one address lock it for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy every request comes from the proxy's address. TRUSTED_PROXY_COUNT is
# the number of proxies in front of the portal that append to X-Forwarded-For (one nginx: 1);
# 0 ignores the header, which anyone can write. Logins and password resets are both counted
# per this address (strategyportal/accounts.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "strategyportal.accounts.client_ip"
# Password-reset requests per hour for one e-mail address and from one client address; over
# either, the same answer is shown and no e-mail sent.
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=5)
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", default=20)
# Days the link in an invitation works (it works once: choosing the password retires it).
INVITATION_TIMEOUT_DAYS = env.int("INVITATION_TIMEOUT_DAYS", default=7)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [
    ("da", _("Dansk")),
    ("sv", _("Svensk")),
    ("en", _("Engelsk")),
]
# A translation in LOCALE_PATHS wins over Django's and the installed apps' own, and an earlier
# path over a later one. `locale_overrides` holds hand-written Danish and Swedish for the texts
# of Django, django-simple-history and django-axes that their catalogs lack or get wrong.
LOCALE_PATHS = [BASE_DIR / "locale_overrides", BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` (run by `make serve`) puts the files that WhiteNoise serves.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Det Fælles Designsystem, installed from npm by `make setup`.
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The open-data files (strategyportal/opendata/builds.py): each build is kept here, on a disk
# every web server shares. Production (DEBUG off) serves the last build while a newer one is
# made beside it, at most one attempt every OPEN_DATA_REBUILD_AFTER seconds; development waits
# for it. OPEN_DATA_BUILD_ON_REQUEST off: requests build nothing, cron does (where the shared
# disk has no working flock). A build is stopped after OPEN_DATA_BUILD_TIMEOUT seconds.
OPEN_DATA_DIR = Path(env.str("OPEN_DATA_DIR", default=str(BASE_DIR / "open-data")))
OPEN_DATA_BUILD_ON_REQUEST = env.bool("OPEN_DATA_BUILD_ON_REQUEST", default=True)
OPEN_DATA_BUILD_IN_BACKGROUND = env.bool("OPEN_DATA_BUILD_IN_BACKGROUND", default=not DEBUG)
OPEN_DATA_REBUILD_AFTER = env.int("OPEN_DATA_REBUILD_AFTER", default=600)
OPEN_DATA_BUILD_TIMEOUT = env.int("OPEN_DATA_BUILD_TIMEOUT", default=15 * 60)


def mailers_from(variables: Mapping[str, str]) -> dict:
    """Django's MAILERS from the environment: EMAIL_URL in django-environ's form
    (smtp://user:password@host:587, smtp+tls://…, smtp+ssl://…, consolemail://), else
    EMAIL_BACKEND with the classic EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
    EMAIL_HOST_PASSWORD, EMAIL_USE_TLS and EMAIL_USE_SSL; the console when neither is set.

    With MAILERS, Django's SMTP backend reads only its OPTIONS, never the EMAIL_HOST settings,
    so they are read here and handed over. They must not become settings of their own: Django
    refuses the old EMAIL_* settings beside MAILERS."""
    backends = "django.core.mail.backends"
    # Seconds to wait for the mail server: a save that sends e-mail must not hang on it.
    timeout = int(variables.get("EMAIL_TIMEOUT") or 10)
    if variables.get("EMAIL_URL"):
        config = environ.Env.email_url_config(variables["EMAIL_URL"])
        backend = config["EMAIL_BACKEND"]
        smtp = {
            "host": config["EMAIL_HOST"],
            "port": config["EMAIL_PORT"],
            "username": config["EMAIL_HOST_USER"],
            "password": config["EMAIL_HOST_PASSWORD"],
            "use_tls": bool(config.get("EMAIL_USE_TLS")),
            "use_ssl": bool(config.get("EMAIL_USE_SSL")),
        }
        file_path = config["EMAIL_FILE_PATH"]
    else:
        backend = variables.get("EMAIL_BACKEND") or f"{backends}.console.EmailBackend"

        def flag(name):
            return environ.Env.parse_value(variables.get(name) or "false", bool)

        smtp = {
            "host": variables.get("EMAIL_HOST") or "localhost",
            "port": int(variables["EMAIL_PORT"]) if variables.get("EMAIL_PORT") else None,
            "username": variables.get("EMAIL_HOST_USER"),
            "password": variables.get("EMAIL_HOST_PASSWORD"),
            "use_tls": flag("EMAIL_USE_TLS"),
            "use_ssl": flag("EMAIL_USE_SSL"),
        }
        file_path = variables.get("EMAIL_FILE_PATH", "")
    if backend == f"{backends}.smtp.EmailBackend":
        # Without a port the backend picks the usual one: 465 for SSL, 587 for TLS, else 25.
        options = {name: value for name, value in smtp.items() if value not in (None, "")}
        options["timeout"] = timeout
    elif backend == f"{backends}.filebased.EmailBackend" and file_path:
        options = {"file_path": file_path}
    else:
        # The other backends refuse options they do not know.
        options = {}
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers_from(os.environ)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="strategiportalen@localhost")
# Where the portal is reached from outside: the links in e-mails are built on it.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")
# Following by e-mail (strategyportal/follow/): days a confirmation link works (an address not
# confirmed by then is deleted by `send_follow_digests`), and how many
# confirmation e-mails one address, and one client, may be sent an hour; over either, the
# answer is the same and nothing is sent.
FOLLOW_CONFIRM_DAYS = env.int("FOLLOW_CONFIRM_DAYS", default=7)
FOLLOW_LIMIT_PER_EMAIL = env.int("FOLLOW_LIMIT_PER_EMAIL", default=3)
FOLLOW_LIMIT_PER_IP = env.int("FOLLOW_LIMIT_PER_IP", default=20)

# Public statistics that indicators import (indicators/statistics/): the services' base
# addresses, how long to wait for an answer (connect, read; seconds), and how often to try
# again, waiting STATISTICS_BACKOFF × 1, 2, 4 … seconds between tries.
STATBANK_URL = env.str("STATBANK_URL", default="https://api.statbank.dk/v1")
KOLADA_URL = env.str("KOLADA_URL", default="https://api.kolada.se/v3")
STATISTICS_TIMEOUT = (5, 30)
STATISTICS_RETRIES = 3
STATISTICS_BACKOFF = 1.0

if not DEBUG:
    # Production serves the collected static files itself; `runserver` does it in development.
    # Right after SecurityMiddleware, so static files get its headers (HSTS) too.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    # The proxy in front terminates TLS and says so in X-Forwarded-Proto; it must overwrite a
    # header of that name that a client sends.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# HTTPS only when DEBUG=False: plain HTTP is redirected, and browsers are told (HSTS) to use
# nothing else for a year. Each can be turned off, e.g. to try `make serve` on plain
# http://127.0.0.1 (SECURE_SSL_REDIRECT=False SECURE_HSTS_SECONDS=0).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers ask for the health checks over plain HTTP, from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Only allows a submission to the browsers' preload list (hstspreload.org); sends none.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)

# Content-Security-Policy on every answer: scripts, styles, images and fonts from the portal
# itself only, no inline script or style attribute, no framing, forms posted only to the
# portal. No nonces: public pages are cached whole and shared between visitors
# (strategyportal/caching.py), so a page's nonce would be every visitor's. The SVG icons and
# Det Fælles Designsystem's CSS use data: images.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The open-data API (/api/v1/) may be read by a page on any website: GET only, no cookies.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# The open-data API (strategyportal/api/): read-only and anonymous, so every client reads
# the public view and no cookie or session is looked at. Throttled per client address, as
# strategyportal.accounts.client_ip reads it behind the proxies, in the shared cache.
API_RATE = env.str("API_RATE", default="120/minute")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["strategyportal.api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_RATE},
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "strategyportal.api.paging.StablePagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Numbers as JSON numbers, as in the downloads; not as strings.
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Strategiportalen API",
    "DESCRIPTION": (
        "Read-only open data of Strategiportalen: organizations, strategies, goals, "
        "indicators, targets with their assessment, and approved values. Anonymous, "
        "throttled per client, cursor-paged, with ETags. Licence: each organization's "
        "data_licence (CC BY 4.0 unless it says otherwise)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Self-hosted: the portal's Content-Security-Policy allows scripts and styles from
    # itself only.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The choices' labels are the admin's Danish ones; the schema names the values only.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
}

# Errors are mailed to these addresses ("Name <address>" or address, comma-separated) when
# DEBUG=False, through the mailer configured above.
ADMINS = env.list("ADMINS", default=[])
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# One JSON object per line on stderr, where the service manager collects it, with the
# request's id and the user's id (strategyportal/observability.py). LOG_LEVEL=DEBUG for more.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "strategyportal.observability.RequestContextFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {"json": {"()": "strategyportal.observability.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_context"],
            "formatter": "json",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own errors (a 500 with its traceback) are mailed as well as logged.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # A failed open-data build happens in a process of its own, not in a request.
        "strategyportal.opendata": {"handlers": ["mail_admins"], "propagate": True},
        # A status report that an editor could not generate: they are told the operators know.
        "strategyportal.reports": {"handlers": ["mail_admins"], "propagate": True},
        # WeasyPrint logs each step and page of a status report's PDF at INFO: hundreds of
        # lines a report.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
