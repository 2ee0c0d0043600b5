"""The settings that BEHIND_TLS=1 turns on: one switch for cookies, HSTS, the proxy header, redirects."""

from typing import Any


def tls_settings(site_url: str, hsts_seconds: int, hsts_subdomains: bool) -> dict[str, Any]:
    """Django settings for a platform served over HTTPS (itself, or behind a proxy that ends TLS
    and sets X-Forwarded-Proto); refuses a SITE_URL that is not https://."""
    if not site_url.startswith("https://"):
        raise ValueError(f"BEHIND_TLS=1 needs an https:// SITE_URL, not {site_url!r}")
    return {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        # Only our proxy may say the request came over TLS; it must overwrite, never pass on,
        # a client's own X-Forwarded-Proto (docs/security.md).
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_HSTS_SECONDS": hsts_seconds,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": hsts_subdomains,
    }
