"""Territoria settings: one module, every knob from an environment variable.

The defaults serve the demo (SQLite under var/, emails written to var/mail/);
docs/configuration.md lists every variable.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("TERRITORIA_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Territoria")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "territoria.accounts",
    "territoria.territories",
    "territoria.catalogue",
    "territoria.roadmap",
    "territoria.reports",
    "territoria.sensors",
    "territoria.funding",
    "territoria.participation",
    "territoria.purchasing",
    "territoria.opendata",
    "territoria.demarches",
    "territoria.scheduler",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "territoria.security.ContentSecurityPolicyMiddleware",
    "territoria.security.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "territoria.api_limits.RequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "territoria.accounts.middleware.SignInRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "territoria.urls"
WSGI_APPLICATION = "territoria.wsgi.application"

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
                "territoria.accounts.context_processors.territoria",
            ],
            "builtins": ["territoria.french"],
        },
    },
    {
        # Plain-text emails (territoria.mail.render_email): no HTML escaping.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False, "builtins": ["territoria.french"]},
    },
]

# Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'territoria.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["territoria.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:space"
LOGOUT_REDIRECT_URL = "territories:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if envbool("TERRITORIA_FAST_HASHER"):
    # Test runs only: hashing thousands of passwords at full strength costs minutes.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
INVITATION_VALIDITY_DAYS = envint("INVITATION_VALIDITY_DAYS", 7)
LOGIN_LOCKOUT_ATTEMPTS = envint("LOGIN_LOCKOUT_ATTEMPTS", 5)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)
LOGIN_LOCKOUT_IP_ATTEMPTS = envint("LOGIN_LOCKOUT_IP_ATTEMPTS", 4 * LOGIN_LOCKOUT_ATTEMPTS)

# Internationalisation: French interface, every string through gettext.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# Static files, served by WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# territoria/static/ belongs to no app: the finders need it named.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files (logos, photos) served by Django itself: for the demo and small
# installations; behind nginx, set SERVE_MEDIA=false and let nginx serve MEDIA_ROOT.
SERVE_MEDIA = envbool("SERVE_MEDIA", True)
# Uploaded images that may be hidden (ideas…): outside MEDIA_ROOT, served after a check.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background tasks: django-tasks with its database backend and worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Email: SMTP when EMAIL_HOST is set, otherwise one readable file per message in var/mail/.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Territoria <ne-pas-repondre@territoria.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = envbool("EMAIL_USE_SSL")
else:
    EMAIL_BACKEND = "territoria.mail.OneFilePerMessageBackend"
    EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))

# Security. HTTPS=true behind a TLS-terminating proxy (docs/deployment.md).
HTTPS = envbool("HTTPS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "territoria.security.csrf_failure"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and envbool("SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Map tiles are the only third-party resource a page loads.
CSP_IMG_SOURCES = envlist("CSP_IMG_SOURCES", "https://tile.openstreetmap.org")
# Sites whose pages may read Open311 and the JSON API (never with cookies); "*": any.
CORS_ALLOWED_ORIGINS = envlist("CORS_ALLOWED_ORIGINS", "*")
# Map background tiles (Leaflet URL template); their host must be in CSP_IMG_SOURCES.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
SILENCED_SYSTEM_CHECKS = (
    [] if HTTPS else ["security.W004", "security.W008", "security.W012", "security.W016"]
)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole registrable domain (cc-exemple.fr), not only this host:
    # the collectivité opts in with SECURE_HSTS_PRELOAD=true.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

TERRITORIA_DATA_DIR = BASE_DIR / "data"

# Citizen reports (docs/reports.md): photos live outside MEDIA_ROOT, served after a check.
REPORTS_PHOTO_ROOT = Path(os.environ.get("REPORTS_PHOTO_ROOT", VAR_DIR / "private" / "reports"))
REPORTS_PERSONAL_DATA_RETENTION_DAYS = envint("REPORTS_PERSONAL_DATA_RETENTION_DAYS", 365)
REPORTS_RATE_LIMIT_PER_HOUR = envint("REPORTS_RATE_LIMIT_PER_HOUR", 10)
REPORTS_REOPEN_DAYS = envint("REPORTS_REOPEN_DAYS", 30)

# Participation (docs/participation.md): moderation, survey rate limit, OpenID Connect
# verification of voters (FranceConnect or any provider with discovery; off when empty).
PARTICIPATION_FLAGS_TO_HIDE = envint("PARTICIPATION_FLAGS_TO_HIDE", 3)
PARTICIPATION_SURVEY_RATE_LIMIT_PER_HOUR = envint("PARTICIPATION_SURVEY_RATE_LIMIT_PER_HOUR", 20)
PARTICIPATION_VERIFY_ATTEMPTS_PER_HOUR = envint("PARTICIPATION_VERIFY_ATTEMPTS_PER_HOUR", 10)
PARTICIPATION_OIDC_ISSUER = os.environ.get("PARTICIPATION_OIDC_ISSUER", "")
PARTICIPATION_OIDC_CLIENT_ID = os.environ.get("PARTICIPATION_OIDC_CLIENT_ID", "")
PARTICIPATION_OIDC_CLIENT_SECRET = os.environ.get("PARTICIPATION_OIDC_CLIENT_SECRET", "")
PARTICIPATION_OIDC_SCOPES = os.environ.get(
    "PARTICIPATION_OIDC_SCOPES", "openid given_name family_name birthdate"
)
PARTICIPATION_OIDC_NAME = os.environ.get("PARTICIPATION_OIDC_NAME", "FranceConnect")

# Sensors (docs/sensors.md): raw readings kept this many days; rollups are kept for ever.
SENSORS_RAW_RETENTION_DAYS = envint("SENSORS_RAW_RETENTION_DAYS", 400)

# Open data (docs/opendata.md): where the published files are written, how often the
# generated datasets are refreshed, catalogue page size and preview rows.
OPENDATA_DIR = Path(os.environ.get("OPENDATA_DIR", VAR_DIR / "opendata"))
OPENDATA_REFRESH_HOURS = envint("OPENDATA_REFRESH_HOURS", 6)
OPENDATA_CATALOG_PAGE_SIZE = envint("OPENDATA_CATALOG_PAGE_SIZE", 50)
OPENDATA_PREVIEW_ROWS = envint("OPENDATA_PREVIEW_ROWS", 20)
# pyarrow's allocator (read when pyarrow is first imported): the system one gives memory
# back between export batches; the default pool kept ~16 Mo more at the peak of an
# export (bench/opendata_export.py).
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
