"""Where a visit came from: campaign, search engine, another site, or direct — decided once per page view."""

from typing import Any
from urllib.parse import urlparse

# Host suffix → engine name. A host matches when it is the suffix or ends with "." + suffix.
SEARCH_ENGINES = {
    "baidu.com": "Baidu",
    "google.com": "Google",
    "google.com.hk": "Google",
    "bing.com": "Bing",
    "sogou.com": "Sogou",
    "so.com": "360 Search",
    "sm.cn": "Shenma",
    "yandex.ru": "Yandex",
    "yandex.com": "Yandex",
    "duckduckgo.com": "DuckDuckGo",
    "yahoo.com": "Yahoo",
    "toutiao.com": "Toutiao",
}


def referrer_host(referrer: str | None) -> str:
    if not referrer:
        return ""
    host = (urlparse(referrer).hostname or "").lower()
    return host.removeprefix("www.")


def search_engine(host: str) -> str | None:
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = SEARCH_ENGINES.get(".".join(parts[i:]))
        if name:
            return name
    return None


def classify(referrer: str | None, utm: dict[str, Any] | None) -> tuple[str, str, str]:
    """(source, name, campaign). Precedence: campaign (utm source or campaign) > search > referral > direct."""
    utm = utm or {}
    if utm.get("source") or utm.get("campaign"):
        return "campaign", utm.get("source") or "", utm.get("campaign") or ""
    host = referrer_host(referrer)
    if not host:
        return "direct", "", ""
    engine = search_engine(host)
    if engine:
        return "search", engine, ""
    return "referral", host, ""
