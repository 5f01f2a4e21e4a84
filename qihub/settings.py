"""qihub settings: one file, everything that differs between machines comes from the environment.

See docs/operations.md for the variables. Embedded mode (no variables set) runs on SQLite under
QIHUB_DATA_DIR; QIHUB_PRODUCTION=1 switches on the hardened settings used in scale mode.
"""

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("QIHUB_DATA_DIR") or Path.cwd() / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# The database, uploads and keys live here: nobody but the platform's own user may look in.
DATA_DIR.chmod(0o700)

PRODUCTION = env_flag("QIHUB_PRODUCTION")
DEBUG = env_flag("QIHUB_DEBUG") and not PRODUCTION


def _secret_key() -> str:
    key = os.environ.get("QIHUB_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("QIHUB_PRODUCTION=1 需要设置 QIHUB_SECRET_KEY（至少 50 个字符）")
    # Embedded mode keeps a generated key beside its data so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("QIHUB_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("QIHUB_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "qihub.core.views.csrf_failure"  # Chinese, in the portal's frame

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "bootstrap",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "django_prometheus",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja_jwt.token_blacklist",
    "qihub.core",
    "qihub.workcal",
    "qihub.notifications",
    "qihub.deadlines",
    "qihub.accounts",
    "qihub.catalog",
    "qihub.complaints",
    "qihub.demands",
    "qihub.evaluations",
    "qihub.institutions",
    "qihub.onboarding",
    "qihub.orders",
    "qihub.samples",
    "qihub.ops",
    "qihub.kiosk",
    "qihub.stations",
    "qihub.bookings",
    "qihub.guidance",
    "qihub.bulletins",
    "qihub.finance",
    "qihub.support",
    "qihub.workstation",
    "qihub.biomed",
    "qihub.training",
    "qihub.diagnosis",
    "qihub.flows",
    "qihub.clinic",
    "qihub.standards",
    "qihub.equipment",
    "qihub.opening",
    "qihub.instruments",
    "qihub.agency",
    "qihub.improvement",
    "qihub.archive",
    "qihub.filing",
    "qihub.packages",
    "qihub.pooling",
    # Last: its models module registers the version tables of the other apps' master data.
    "simple_history",
    "qihub.history",
]

MIDDLEWARE = [
    # Request counts and latencies for /metrics (OPS-1); first and last, per its documentation.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "qihub.core.middleware.RequestIdMiddleware",
    # Requests per hour on the health page: one cache increment, no database write.
    "qihub.ops.middleware.RequestCountMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "qihub.core.middleware.InputTextMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Versions of master data record who saved them (ARC-2).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qihub.accounts.middleware.StaffSessionMiddleware",
    "qihub.accounts.middleware.StorageErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes must come last so that it sees the final authentication outcome.
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Only observes the response (django-prometheus's pair, see the first entry).
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "qihub.urls"
WSGI_APPLICATION = "qihub.wsgi.application"

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
                "csp.context_processors.nonce",
                "qihub.core.context_processors.portal",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured("DATABASE_URL 仅支持 PostgreSQL（postgres://…）")
        return dict(config)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "qihub.sqlite3",
        "OPTIONS": {
            # WAL lets readers work while one writer commits; IMMEDIATE avoids the
            # "database is locked" upgrade failure under concurrent writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Tests use a file too, not the shared in-memory database: that one answers a held lock
        # with "table is locked" at once instead of waiting, unlike production, so concurrent
        # writers (the booking rush test, ADR 0013) could not be tested truthfully on it.
        # One file per process, so two test runs sharing a data directory never meet.
        "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "qihub.accounts.permissions.RolePermissionBackend",
]
PASSWORD_HASHERS = [
    "qihub.accounts.hashers.BoundedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "qihub.accounts.passwords.PasswordComplexityValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_URL_PATH = "/accounts/login/"
QIHUB_STAFF_IDLE_SECONDS = 15 * 60
QIHUB_IDLE_SECONDS = 30 * 60
# Tokens for apps and mini-programs (OPS-3): an access token lives no longer than a session may
# sit idle for the same role, so a lost phone is no weaker than a forgotten browser tab; the
# refresh token is the device's log-in, revocable at once (设备管理) and rotated on every use.
NINJA_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=QIHUB_IDLE_SECONDS),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=int(os.environ.get("QIHUB_REFRESH_TOKEN_DAYS", "7"))),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "SIGNING_KEY": SECRET_KEY,
    "ALGORITHM": "HS256",
    "ISSUER": "qihub",
    "UPDATE_LAST_LOGIN": False,
}
LOGIN_REDIRECT_URL = "accounts:workbench"
LOGOUT_REDIRECT_URL = "catalog:home"

# Lockout after repeated failures (OPS-2): per user name and address, cooled off after 30 minutes.
# The name authenticator apps list a qihub 动态口令验证器 under (ACC-9).
OTP_TOTP_ISSUER = "质量基础设施一站式服务平台"
AXES_FAILURE_LIMIT = int(os.environ.get("QIHUB_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
QIHUB_PROXY_COUNT = int(os.environ.get("QIHUB_PROXY_COUNT", "0"))
# Anonymous endpoints, per client address (django-ratelimit; B6: no unlimited "is this number
# registered?" probing). The cache is the database in embedded mode and Redis in scale mode, so
# every process counts together.
QIHUB_RATES = {
    "registration": os.environ.get("QIHUB_RATE_REGISTRATION", "10/h"),
    "mobile_code": os.environ.get("QIHUB_RATE_MOBILE_CODE", "5/10m"),
    "opinion": os.environ.get("QIHUB_RATE_OPINION", "10/h"),
    "search": os.environ.get("QIHUB_RATE_SEARCH", "120/m"),
    # The follow page of a caller without an account: enough to reload, too few to guess tokens.
    "follow": os.environ.get("QIHUB_RATE_FOLLOW", "30/m"),
    # Report printing at a kiosk: a station's queue shares one address, a guesser does not.
    "kiosk_report": os.environ.get("QIHUB_RATE_KIOSK_REPORT", "20/10m"),
}
RATELIMIT_VIEW = "qihub.core.views.rate_limited"
# With the cache (Redis) out of reach the limits cannot count: let requests through rather than
# refuse every search and registration until Redis is back (B9, docs/operations.md 故障演练).
RATELIMIT_FAIL_OPEN = True
# Uploads, enforced while the body streams in: a little over the largest file any form takes (a
# report to verify, 12 MB, so the form can still name the field) and the largest body (an
# institution's registration with all its materials).
# The load and page benches compare every page with /bench/baseline/ (base template, no queries).
QIHUB_BENCH_BASELINE = os.environ.get("QIHUB_BENCH_BASELINE", "") == "1"
if QIHUB_BENCH_BASELINE:
    # Outermost, so that it counts the session's and the user's queries too (bench/load.py).
    MIDDLEWARE.insert(0, "qihub.core.middleware.QueryCountMiddleware")
QIHUB_MAX_FILE_BYTES = 16 * 1024 * 1024
QIHUB_MAX_REQUEST_BYTES = 60 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "qihub.core.uploads_cap.SizeCapUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Lockout is keyed on user and address together, the address as the proxies report it.
AXES_CLIENT_IP_CALLABLE = "qihub.accounts.client_ip.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Assets come from pip packages through the finders; no collectstatic step is needed to run.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "uploads"

# Uploaded files and issued reports (docs/storage.md): the file system under the data dir, or an
# S3-compatible bucket that several app machines share when QIHUB_S3_BUCKET is set.


def file_storage(env: Mapping[str, str]) -> dict:
    """The default store from the environment: a bucket when QIHUB_S3_BUCKET is set, else the
    file system under MEDIA_ROOT (files 0o600, folders 0o700: only the app's user reads them)."""
    bucket = env.get("QIHUB_S3_BUCKET", "")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
        }
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env.get("QIHUB_S3_ENDPOINT_URL") or None,
            "access_key": env.get("QIHUB_S3_ACCESS_KEY") or None,
            "secret_key": env.get("QIHUB_S3_SECRET_KEY") or None,
            "region_name": env.get("QIHUB_S3_REGION") or None,
            # Files are served only through the platform's own checked views, never by URL.
            "default_acl": "private",
            "querystring_auth": True,
            # Names are random and never reused: a stored file is never replaced.
            "file_overwrite": False,
            # An unreachable bucket must not hold a page for long (botocore's default is 60 s
            # and 5 attempts): after one retry the page answers 503 (StorageErrorMiddleware).
            "client_config": Config(
                connect_timeout=2, read_timeout=10, retries={"mode": "standard", "max_attempts": 2}
            ),
        },
    }


STORAGES = {
    "default": file_storage(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    from huey import RedisHuey

    HUEY = RedisHuey("qihub", url=REDIS_URL)
    CACHES = {
        # A Redis outage reads as cache misses, never as 500s (qihub/core/cache.py, B9).
        "default": {
            "BACKEND": "qihub.core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis host that is down must not hold a page for long: a miss after a second.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    from huey import SqliteHuey

    HUEY = SqliteHuey("qihub", filename=str(DATA_DIR / "huey.sqlite3"))
    # Not this process's memory: `qihub serve` runs one process per core, and a rate limit, a
    # handover code or the statistics generation must be the same in all of them (docs/deployment.md).
    CACHES = {
        "default": {
            "BACKEND": "qihub.core.cache.DatabaseCache",
            "LOCATION": "qihub_cache",
            # Template fragments, statistics and rate-limit windows of every client address.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    # Sessions read through the cache (issue 23): a hit is a plain read of the cache table,
    # ~50 µs of CPU against ~300 µs for the ORM's read of the session row, on every signed-in
    # page. Both live in the one database, so a log-out deletes both or fails as a whole. Not
    # with Redis: its fail-soft cache drops a log-out's delete during an outage, and the session
    # would come back from Redis once it returns.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Staff appraisal (EVAL-7): this many dissatisfied evaluations within the window → retraining.
QIHUB_RETRAINING_DISSATISFIED = int(os.environ.get("QIHUB_RETRAINING_DISSATISFIED", "3"))
QIHUB_RETRAINING_WINDOW_DAYS = int(os.environ.get("QIHUB_RETRAINING_WINDOW_DAYS", "180"))
# The workbench's to-do counts are kept per user this many seconds (issue 23; 0: never kept).
QIHUB_WORKBENCH_CACHE_SECONDS = int(os.environ.get("QIHUB_WORKBENCH_CACHE_SECONDS", "5"))
# The nav badge's unread-message count is kept per user this many seconds (issue 23; dropped
# when the user's inbox changes; 0: counted on every page).
QIHUB_UNREAD_CACHE_SECONDS = int(os.environ.get("QIHUB_UNREAD_CACHE_SECONDS", "5"))
# Public statistics (EVAL-6): a group with fewer evaluations than this is not shown.
QIHUB_STATS_MIN_GROUP = int(os.environ.get("QIHUB_STATS_MIN_GROUP", "5"))

QIHUB_SMS_BACKEND = os.environ.get("QIHUB_SMS_BACKEND", "qihub.notifications.sms.OutboxSmsBackend")

EMAIL_BACKEND = os.environ.get(
    "QIHUB_EMAIL_BACKEND",
    "qihub.notifications.mail.DatabaseEmailBackend"
    if not PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
)

# Strict CSP: no inline script or style without the per-request nonce, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600

if PRODUCTION:
    # Scale mode sits behind TLS (terminated by the proxy that sets X-Forwarded-Proto).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("QIHUB_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "qihub.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        # QIHUB_LOG_FORMAT=json: one JSON object a line for a log collector (OPS-1).
        "json": {"()": "qihub.core.logjson.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if os.environ.get("QIHUB_LOG_FORMAT") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("QIHUB_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
    },
}

# The bearer token the department's monitoring sends to /metrics (OPS-1); empty: operators only.
QIHUB_METRICS_TOKEN = os.environ.get("QIHUB_METRICS_TOKEN", "")

# The quality clinic's answer clock (DEM-10): working days an expert has to answer a question.
CLINIC_ANSWER_DAYS = int(os.environ.get("QIHUB_CLINIC_ANSWER_DAYS", "2"))
# 全宗号: the first part of every archive number (ARC-4, docs/filing.md).
FILING_FONDS = os.environ.get("QIHUB_FONDS", "QH").strip().upper() or "QH"

# The follow-up of a demand in service (DEM-7): working days between two contacts of the first
# responsible person with the client, counted from entering service and from each follow-up.
DEMAND_FOLLOW_UP_DAYS = int(os.environ.get("QIHUB_DEMAND_FOLLOW_UP_DAYS", "5"))

# Return visits (EVAL-2): calendar days after a service closes when its visit is due.
RETURN_VISIT_AFTER_DAYS = int(os.environ.get("QIHUB_RETURN_VISIT_AFTER_DAYS", "7"))
