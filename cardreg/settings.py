"""Django settings for cardreg. Every value comes from the environment (see README)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cardreg.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CARDREG_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    # A development or test run may use a throw-away key; production must set one.
    if DEBUG or "PYTEST_VERSION" in os.environ:
        SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE).")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "cardreg.portal",
    "cardreg.audit",
    "cardreg.cards",
    "cardreg.registry",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cardreg.urls"
WSGI_APPLICATION = "cardreg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cardreg" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cardreg.portal.context.site",
            ],
        },
    },
]

# SQLite file under var/ by default; PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cardreg.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the portal reads; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "cardreg" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Taipei"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "cardreg" / "static"]
# Serve straight from the source folders when collectstatic has not run (tests, development).
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool(
    "CARDREG_SECURE_COOKIES", not DEBUG and not env_bool("CARDREG_DEMO")
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

TASKS = {
    "default": {
        "BACKEND": env_str("CARDREG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CARDREG_LOG_LEVEL", "INFO")},
}

# --- cardreg ---------------------------------------------------------------------------------
# Demo mode: demo mailbox, card-slot link, demo data. Never on in production.
CARDREG_DEMO = env_bool("CARDREG_DEMO", False)
# Where the user's browser finds the local card agent.
CARDREG_AGENT_URL = env_str("CARDREG_AGENT_URL", "http://127.0.0.1:7777")
# Minimum agent version the environment check recommends.
CARDREG_AGENT_MIN_VERSION = env_str("CARDREG_AGENT_MIN_VERSION", "0.1.0")
# The origin the card signs for; empty = the origin of the request (scheme + Host).
CARDREG_ORIGIN = env_str("CARDREG_ORIGIN", "")
CARDREG_CHALLENGE_TTL_SECONDS = env_int("CARDREG_CHALLENGE_TTL_SECONDS", 300)
CARDREG_TOLL_FREE = "0800-030598"
