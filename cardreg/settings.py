"""Django settings for cardreg. Every value comes from the environment (see README)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cardreg.env import env_bool, env_int, env_list, env_networks, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CARDREG_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file lives here

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
    "cardreg.mail",
    "cardreg.accounts",
    "cardreg.devices",
    "cardreg.employers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cardreg.portal.security.content_security_policy",
    "cardreg.portal.security.no_store_by_default",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cardreg.accounts.middleware.absolute_session_limit",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cardreg.devices.middleware.end_revoked_device_sessions",
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
        # A checkpoint (which syncs) every 100 MB of WAL, not every 4 MB: a batch upload writes
        # tens of megabytes, and the default halved its speed.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=25000;"
        ),
    }
    # A file, not memory, so tests can run real concurrent connections (threads, processes).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-cardreg-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Account"
LOGIN_URL = "accounts:login"
# Argon2id with OWASP's parameters (t=2, m=19 MiB, p=1): ~17 ms a hash here, so ~100 logins/s on
# two cores, instead of ~9/s with Django's default 100 MiB, p=8 (see the note on issue 3).
PASSWORD_HASHERS = ["cardreg.accounts.hashers.OwaspArgon2PasswordHasher"]

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
# Idle timeout: the cookie lives CARDREG_SESSION_IDLE_SECONDS after the last request; the absolute
# limit since login is checked by cardreg.accounts.middleware.
CARDREG_SESSION_IDLE_SECONDS = env_int("CARDREG_SESSION_IDLE_SECONDS", 3600)
CARDREG_SESSION_ABSOLUTE_SECONDS = env_int("CARDREG_SESSION_ABSOLUTE_SECONDS", 24 * 3600)
SESSION_COOKIE_AGE = CARDREG_SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SAMESITE = "Lax"
# Production speaks only HTTPS; debug runs and the demo use plain http on localhost.
_HTTPS_ONLY = not DEBUG and not env_bool("CARDREG_DEMO")
SESSION_COOKIE_SECURE = env_bool("CARDREG_SECURE_COOKIES", _HTTPS_ONLY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("CARDREG_SSL_REDIRECT", _HTTPS_ONLY)
SECURE_HSTS_SECONDS = env_int("CARDREG_HSTS_SECONDS", 31_536_000 if _HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CARDREG_HSTS_INCLUDE_SUBDOMAINS", _HTTPS_ONLY)
SECURE_HSTS_PRELOAD = env_bool("CARDREG_HSTS_PRELOAD", _HTTPS_ONLY)
# Behind a proxy that ends TLS, the header it sets to "https" (e.g. X-Forwarded-Proto); only
# when the proxy always overwrites it, or a client could claim HTTPS on a plain connection.
if _proxy_ssl_header := env_str("CARDREG_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
# Proxies whose X-Forwarded-For is believed (cardreg.clientaddr); empty = REMOTE_ADDR only.
CARDREG_TRUSTED_PROXIES = env_networks("CARDREG_TRUSTED_PROXIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# An expired form gets a plain page in the site's layout, not Django's technical one.
CSRF_FAILURE_VIEW = "cardreg.portal.site_pages.csrf_failure"

TASKS = {
    "default": {
        "BACKEND": env_str("CARDREG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A task run RUNNING this long lost its worker (killed): housekeeping marks it failed.
CARDREG_TASK_STALE_HOURS = env_int("CARDREG_TASK_STALE_HOURS", 6)

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
# Where the portal serves the card agent's downloads from (written by bin/build-agent-deb).
CARDREG_AGENT_DOWNLOAD_DIR = Path(env_str("CARDREG_AGENT_DOWNLOAD_DIR", str(VAR_DIR / "downloads")))
# The origin the card signs for; empty = the origin of the request (scheme + Host).
CARDREG_ORIGIN = env_str("CARDREG_ORIGIN", "")
CARDREG_CHALLENGE_TTL_SECONDS = env_int("CARDREG_CHALLENGE_TTL_SECONDS", 300)
# Refused card proofs allowed per 10 minutes, per client address (several people may share one)
# and per session; more are answered 429 until the window ends.
CARDREG_CARD_PROOF_FAILURES_PER_IP = env_int("CARDREG_CARD_PROOF_FAILURES_PER_IP", 30)
CARDREG_CARD_PROOF_FAILURES_PER_SESSION = env_int("CARDREG_CARD_PROOF_FAILURES_PER_SESSION", 10)
CARDREG_TOLL_FREE = "0800-030598"

# --- mail (cardreg.mail) ---------------------------------------------------------------------
# "smtp" sends through the SMTP server below; "demo" keeps mails in the demo mailbox only.
CARDREG_MAIL_TRANSPORT = env_str("CARDREG_MAIL_TRANSPORT", "demo" if CARDREG_DEMO else "smtp")
CARDREG_MAIL_FROM = env_str("CARDREG_MAIL_FROM", "健保署 <no-reply@nhi.example>")
CARDREG_SMTP_HOST = env_str("CARDREG_SMTP_HOST", "localhost")
CARDREG_SMTP_PORT = env_int("CARDREG_SMTP_PORT", 25)
CARDREG_SMTP_SECURITY = env_str("CARDREG_SMTP_SECURITY", "none")  # none | starttls | tls
CARDREG_SMTP_USER = env_str("CARDREG_SMTP_USER", "")
CARDREG_SMTP_PASSWORD = env_secret("CARDREG_SMTP_PASSWORD")
CARDREG_SMTP_TIMEOUT_SECONDS = env_int("CARDREG_SMTP_TIMEOUT_SECONDS", 20)
# The public address of the portal, for links in mails.
CARDREG_PUBLIC_URL = env_str("CARDREG_PUBLIC_URL", "http://localhost:8000")
# 意見信箱: where the mails' closing sends questions (the agency's public feedback form).
CARDREG_FEEDBACK_URL = env_str(
    "CARDREG_FEEDBACK_URL", "https://med.nhi.gov.tw/isme1000/ISME1001S01.aspx"
)

# --- household register (cardreg.registry) ---------------------------------------------------
CARDREG_HOUSEHOLD_REGISTER = env_str("CARDREG_HOUSEHOLD_REGISTER", "local")  # local | http
CARDREG_HOUSEHOLD_URL = env_str("CARDREG_HOUSEHOLD_URL", "")
CARDREG_HOUSEHOLD_TIMEOUT_SECONDS = float(env_str("CARDREG_HOUSEHOLD_TIMEOUT_SECONDS", "3"))
CARDREG_HOUSEHOLD_RETRIES = env_int("CARDREG_HOUSEHOLD_RETRIES", 1)
# How the portal proves itself to the http register: a bearer token, a TLS client certificate
# (PEM; the key in _CLIENT_KEY or in the same file), or both.
CARDREG_HOUSEHOLD_TOKEN = env_secret("CARDREG_HOUSEHOLD_TOKEN")
CARDREG_HOUSEHOLD_CLIENT_CERT = env_str("CARDREG_HOUSEHOLD_CLIENT_CERT", "")
CARDREG_HOUSEHOLD_CLIENT_KEY = env_str("CARDREG_HOUSEHOLD_CLIENT_KEY", "")
if (
    CARDREG_HOUSEHOLD_REGISTER == "http"
    and not (DEBUG or CARDREG_DEMO)
    and not (CARDREG_HOUSEHOLD_TOKEN or CARDREG_HOUSEHOLD_CLIENT_CERT)
):
    # The register answers questions about anyone's address: it must know who is asking.
    raise ImproperlyConfigured(
        "The http household register needs CARDREG_HOUSEHOLD_TOKEN (or _TOKEN_FILE) "
        "or CARDREG_HOUSEHOLD_CLIENT_CERT."
    )

# --- accounts (cardreg.accounts) -------------------------------------------------------------
CARDREG_PASSWORD_MIN_LENGTH = env_int("CARDREG_PASSWORD_MIN_LENGTH", 6)
CARDREG_PASSWORD_MAX_LENGTH = env_int("CARDREG_PASSWORD_MAX_LENGTH", 64)
CARDREG_CONFIRM_DAYS = env_int("CARDREG_CONFIRM_DAYS", 5)
# A pending registration whose links all expired is deleted this long after (housekeeping).
CARDREG_PENDING_PURGE_GRACE_HOURS = env_int("CARDREG_PENDING_PURGE_GRACE_HOURS", 24)
# ...except one an employer made: its holder did not ask for it and may read his mail late, so
# 重寄認證信 keeps working this long after the link ran out (no new upload needed); then it is
# deleted, and a new registration (by himself or his employer) is needed.
CARDREG_EMPLOYER_PENDING_RESEND_DAYS = env_int("CARDREG_EMPLOYER_PENDING_RESEND_DAYS", 30)
# How long a card proof counts for the step that follows it.
CARDREG_CARD_PROOF_MAX_AGE_SECONDS = env_int("CARDREG_CARD_PROOF_MAX_AGE_SECONDS", 300)
CARDREG_HOUSEHOLD_FAILURES_PER_DAY = env_int("CARDREG_HOUSEHOLD_FAILURES_PER_DAY", 5)
CARDREG_REGISTRATIONS_PER_IP_HOUR = env_int("CARDREG_REGISTRATIONS_PER_IP_HOUR", 20)
# Login failures before delays start, per account and per address; delays double up to the cap.
CARDREG_LOGIN_FREE_FAILURES = env_int("CARDREG_LOGIN_FREE_FAILURES", 5)
CARDREG_LOGIN_FREE_FAILURES_PER_IP = env_int("CARDREG_LOGIN_FREE_FAILURES_PER_IP", 30)
CARDREG_LOGIN_MAX_DELAY_SECONDS = env_int("CARDREG_LOGIN_MAX_DELAY_SECONDS", 900)
# 重寄確認信 and 忘記註冊密碼: mails a card holder may ask for per day, and an address per hour
# (each function counted apart).
CARDREG_MAIL_REQUESTS_PER_CARD_DAY = env_int("CARDREG_MAIL_REQUESTS_PER_CARD_DAY", 5)
CARDREG_MAIL_REQUESTS_PER_IP_HOUR = env_int("CARDREG_MAIL_REQUESTS_PER_IP_HOUR", 30)
# Life of a 忘記註冊密碼 link; the card is needed too, and more than a day is refused.
CARDREG_RESET_HOURS = env_int("CARDREG_RESET_HOURS", 24)
if not 1 <= CARDREG_RESET_HOURS <= 24:
    raise ImproperlyConfigured("CARDREG_RESET_HOURS must be from 1 to 24.")
# 帳號資料異動 needs a card login or a card read this recent; otherwise the card is read again.
CARDREG_RECENT_AUTH_MINUTES = env_int("CARDREG_RECENT_AUTH_MINUTES", 15)

# --- devices (cardreg.devices) ---------------------------------------------------------------
# Passkeys (WebAuthn) one account may have bound at a time; revoked ones do not count.
CARDREG_MAX_DEVICES = env_int("CARDREG_MAX_DEVICES", 5)
# The relying party: empty RP ID = the host of CARDREG_PUBLIC_URL (a passkey only works on that
# host and its subdomains, so changing it later orphans every bound device).
CARDREG_WEBAUTHN_RP_ID = env_str("CARDREG_WEBAUTHN_RP_ID", "")
CARDREG_WEBAUTHN_RP_NAME = env_str("CARDREG_WEBAUTHN_RP_NAME", "健保卡網路服務註冊")
# How long the browser may take and how long the server keeps the challenge (single use).
CARDREG_WEBAUTHN_TIMEOUT_SECONDS = env_int("CARDREG_WEBAUTHN_TIMEOUT_SECONDS", 300)

# 投保單位整批註冊 (employer batch uploads).
CARDREG_BATCH_MAX_BYTES = env_int("CARDREG_BATCH_MAX_BYTES", 20 * 1024 * 1024)
CARDREG_BATCH_MAX_ROWS = env_int("CARDREG_BATCH_MAX_ROWS", 200_000)
# Rows committed together with their results, registrations and mails.
CARDREG_BATCH_CHUNK_ROWS = env_int("CARDREG_BATCH_CHUNK_ROWS", 5000)
# A worker that holds a batch renews its lease with every chunk; a lease that runs out means the
# worker died, and the batch is taken over. After CARDREG_BATCH_MAX_RUNS interrupted runs it fails.
CARDREG_BATCH_LEASE_SECONDS = env_int("CARDREG_BATCH_LEASE_SECONDS", 120)
CARDREG_BATCH_MAX_RUNS = env_int("CARDREG_BATCH_MAX_RUNS", 3)
CARDREG_BATCH_HISTORY_DAYS = env_int("CARDREG_BATCH_HISTORY_DAYS", 92)  # 3 months
# A larger result log is attached zipped; one still larger is left to the history page.
CARDREG_BATCH_LOG_ATTACH_MAX_BYTES = env_int("CARDREG_BATCH_LOG_ATTACH_MAX_BYTES", 10 * 1024 * 1024)
