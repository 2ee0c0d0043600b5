"""The zoom app's settings, from environment variables with defaults for the local demo.

Its data (SQLite file, tiles) lives under `$EMPORIUM_VAR_DIR/zoom` (default `./var/zoom`), or
wherever `ZOOM_DATA_DIR` says.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from emporium_sdk.appconfig import data_dir

PROJECT = Path(__file__).resolve().parents[4]


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None


@dataclass(frozen=True)
class Config:
    platform_url: str = field(
        default_factory=lambda: _env("ZOOM_PLATFORM_URL", "http://127.0.0.1:8000")
    )
    public_url: str = field(
        default_factory=lambda: _env("ZOOM_PUBLIC_URL", "http://127.0.0.1:8300")
    )
    client_id: str = field(default_factory=lambda: _env("ZOOM_CLIENT_ID"))
    client_secret: str = field(default_factory=lambda: _env("ZOOM_CLIENT_SECRET"))
    # Endpoint signing secrets (whsec_…), space-separated: more than one while rotating.
    webhook_secrets: str = field(default_factory=lambda: _env("ZOOM_WEBHOOK_SECRETS"))
    data_dir: Path = field(default_factory=lambda: data_dir("zoom"))
    # OpenSeadragon comes from the platform's `npm ci` (node_modules), never from a CDN.
    assets_dir: Path = field(
        default_factory=lambda: Path(_env("ZOOM_ASSETS_DIR", str(PROJECT / "node_modules")))
    )
    feed_interval: float = field(default_factory=lambda: float(_env("ZOOM_FEED_SECONDS", "60")))
    workers: int = field(default_factory=lambda: _int("ZOOM_WORKERS", 1))
    max_pixels: int = field(default_factory=lambda: _int("ZOOM_MAX_PIXELS", 100_000_000))
    max_bytes: int = field(default_factory=lambda: _int("ZOOM_MAX_BYTES", 40_000_000))
    # Below this many pixels on the longer side a picture is shown plainly: zoom would only blur.
    min_zoom_side: int = field(default_factory=lambda: _int("ZOOM_MIN_SIDE", 2000))

    @property
    def redirect_uri(self) -> str:
        return f"{self.public_url}/oauth/callback"

    @property
    def tiles_dir(self) -> Path:
        return self.data_dir / "tiles"

    def ensure_dirs(self) -> None:
        self.tiles_dir.mkdir(parents=True, exist_ok=True)
