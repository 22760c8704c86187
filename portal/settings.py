"""Settings for the portal, read from the environment.

Every variable is parsed strictly: a malformed value stops start-up instead of being
silently replaced by a default. A secret may also come from a file named by `NAME_FILE`
(Docker and systemd credentials). Defaults are the safe production ones; `make run` and the
test settings turn on what development needs.
"""

import ipaddress
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    if f"{name}_FILE" in os.environ:
        return Path(os.environ[f"{name}_FILE"]).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = env(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name, default):
    value = env(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_rate(name, default):
    """A request rate as django-ratelimit reads it: `60/m`, `10/m`, `1000/h`, `5/10s`."""
    value = env(name) or default
    if not re.fullmatch(r"[0-9]+/[0-9]*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must be a rate like 60/m or 1000/h, not {value!r}")
    return value


def env_list(name, default=()):
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# Without a key in production the WSGI application refuses to start (portal/wsgi.py) and
# Django refuses whatever would sign with it; commands that sign nothing (migrate,
# makemigrations, load_divisions) still run, as an operator expects before configuring.
SECRET_KEY = env("SECRET_KEY") or (
    "django-insecure-development-only-key-never-use-in-production" if DEBUG else ""
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_ratelimit",
    "simple_history",
    "import_export",
    "agencies",
    "directory",
]

MIDDLEWARE = [
    "portal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached public pages are answered here, before sessions, CSRF and authentication.
    "directory.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Redis when REDIS_URL is set: one cache for all workers and servers, so that a change
# leaves every cached page within a second and rate limits count each client once; each
# worker also keeps the pages it serves in its own memory ("local", see directory/cache.py).
# Otherwise each worker process has only its own local-memory cache.
REDIS_URL = env("REDIS_URL", "")
LOCAL_MEMORY_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    # Thousands of agency pages in two languages: the default 300 entries thrash.
    "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "danhba"),
        },
        "local": LOCAL_MEMORY_CACHE,
    }
else:
    CACHES = {"default": LOCAL_MEMORY_CACHE}
# How long a public page is kept. With Redis a change forgets it everywhere within a second;
# with the local-memory cache only, at once in the worker that made the change, and in the
# other workers when this time is up. 0 turns the page cache off: the default with DEBUG,
# so that edited templates show at once.
DIRECTORY_PAGE_CACHE_SECONDS = env_int(
    "DIRECTORY_PAGE_CACHE_SECONDS", 0 if DEBUG else 600 if REDIS_URL else 60
)

# Production is behind TLS: these defaults hold unless DEBUG is on or the operator says so.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the proxy, the client's address (for rate limits) is the right-most address of
# X-Forwarded-For that is not one of TRUSTED_PROXIES (addresses or networks of further proxies
# in front, e.g. a CDN), or the content of CLIENT_IP_HEADER when set (e.g. X-Real-IP).
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", "")
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _network in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list addresses or networks, not {_network!r}"
        ) from None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# The directory's own settings.
DIRECTORY_PAGE_SIZE = env_int("DIRECTORY_PAGE_SIZE", 20)
DIRECTORY_API_MAX_PAGE_SIZE = env_int("DIRECTORY_API_MAX_PAGE_SIZE", 50)

# Rate limits per client against harvesting (django-ratelimit, in the default cache).
# One budget per scope: search pages and the verification page; the JSON API; exports.
DIRECTORY_RATE_SEARCH = env_rate("DIRECTORY_RATE_SEARCH", "60/m")
DIRECTORY_RATE_API = env_rate("DIRECTORY_RATE_API", "60/m")
DIRECTORY_RATE_EXPORT = env_rate("DIRECTORY_RATE_EXPORT", "10/m")
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_IP_META_KEY = "directory.ratelimit.client_ip"
# django-ratelimit's checks know only memcached and django-redis. Django's own RedisCache is
# shared and increments atomically (SET NX, INCRBY): its "not officially supported" warning
# does not apply (django-ratelimit issue #283). The local-memory cache is not shared: each
# worker process counts alone, so a client gets up to (workers x rate) through. That is the
# price of running without Redis, accepted knowingly; set REDIS_URL in production.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Address lists uploaded as CSV or XLSX.
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)

# A retired address is not given to a different person for this many months.
MAILBOX_QUARANTINE_MONTHS = env_int("MAILBOX_QUARANTINE_MONTHS", 12)

# Scans of agencies' letters: stored outside any public URL.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
# Uploaded lists between their preview and their confirmation: under the private root with
# unguessable names, not in the shared /tmp where django-import-export puts them by default.
STORAGES["import_export"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT / "imports"},
}
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
LETTER_SCAN_MAX_BYTES = env_int("LETTER_SCAN_MAX_BYTES", 5 * 1024 * 1024)

# E-mail: printed on the console unless an SMTP server is configured.
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "danhba@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# django-import-export: importing and exporting need their own permissions, not admin access.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
