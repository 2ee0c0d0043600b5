"""The books app's settings, from environment variables with defaults for the local demo.

Its data lives under the demo's data directory, `$EMPORIUM_VAR_DIR/books` (default
`./var/books`), or wherever `BOOKS_DATA_DIR` says.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from emporium_sdk.appconfig import data_dir

PROJECT = Path(__file__).resolve().parents[4]


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Config:
    platform_url: str = field(
        default_factory=lambda: _env("BOOKS_PLATFORM_URL", "http://127.0.0.1:8000")
    )
    public_url: str = field(
        default_factory=lambda: _env("BOOKS_PUBLIC_URL", "http://127.0.0.1:8600")
    )
    client_id: str = field(default_factory=lambda: _env("BOOKS_CLIENT_ID"))
    client_secret: str = field(default_factory=lambda: _env("BOOKS_CLIENT_SECRET"))
    # Endpoint signing secrets (whsec_…), space-separated: more than one while rotating.
    webhook_secrets: str = field(default_factory=lambda: _env("BOOKS_WEBHOOK_SECRETS"))
    data_dir: Path = field(default_factory=lambda: data_dir("books"))
    # How often the scheduled job posts due recurring expenses (seconds).
    jobs_seconds: float = field(default_factory=lambda: float(_env("BOOKS_JOBS_SECONDS", "3600")))
    # How often the app catches up every shop from the platform beside the webhooks (seconds);
    # also once at start.
    feed_interval: float = field(default_factory=lambda: float(_env("BOOKS_FEED_SECONDS", "600")))
    # Where ECharts is (node_modules, installed by ./dev setup): served by the app, no CDN.
    assets_dir: Path = field(
        default_factory=lambda: Path(_env("BOOKS_ASSETS_DIR", str(PROJECT / "node_modules")))
    )

    @property
    def database(self) -> Path:
        return self.data_dir / "books.sqlite3"

    @property
    def redirect_uri(self) -> str:
        return f"{self.public_url}/oauth/callback"

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
