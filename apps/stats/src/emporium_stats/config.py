"""The stats app's settings, from environment variables with defaults for the local demo.

Its data lives under the demo's data directory, `$EMPORIUM_VAR_DIR/stats` (default
`./var/stats`), or wherever `STATS_DATA_DIR` says: two demos from one checkout never share it.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from emporium_sdk.appconfig import data_dir

PROJECT = Path(__file__).resolve().parents[4]


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Config:
    platform_url: str = field(
        default_factory=lambda: _env("STATS_PLATFORM_URL", "http://127.0.0.1:8000")
    )
    public_url: str = field(
        default_factory=lambda: _env("STATS_PUBLIC_URL", "http://127.0.0.1:8100")
    )
    client_id: str = field(default_factory=lambda: _env("STATS_CLIENT_ID"))
    client_secret: str = field(default_factory=lambda: _env("STATS_CLIENT_SECRET"))
    # Endpoint signing secrets (whsec_…), space-separated: more than one while rotating.
    webhook_secrets: str = field(default_factory=lambda: _env("STATS_WEBHOOK_SECRETS"))
    data_dir: Path = field(default_factory=lambda: data_dir("stats"))
    store_url: str = field(default_factory=lambda: _env("STATS_STORE_URL"))
    timezone: str = field(default_factory=lambda: _env("STATS_TIMEZONE", "Asia/Shanghai"))
    # Where ECharts and the China map come from (installed by the platform's `npm ci`).
    assets_dir: Path = field(
        default_factory=lambda: Path(_env("STATS_ASSETS_DIR", str(PROJECT / "node_modules")))
    )
    feed_interval: float = field(default_factory=lambda: float(_env("STATS_FEED_SECONDS", "60")))

    @property
    def store(self) -> str:
        return self.store_url or f"duckdb:///{self.data_dir / 'stats.duckdb'}"

    @property
    def platform_origin(self) -> str:
        """Where the seller center's page comes from: the frame script talks to it alone."""
        parts = urlsplit(self.platform_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def redirect_uri(self) -> str:
        return f"{self.public_url}/oauth/callback"

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
