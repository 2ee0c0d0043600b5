"""The decoration app's settings, from environment variables with defaults for the local demo.

Its data lives under the demo's data directory, `$EMPORIUM_VAR_DIR/decor` (default
`./var/decor`), or wherever `DECOR_DATA_DIR` says.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from emporium_sdk.appconfig import data_dir


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Config:
    platform_url: str = field(
        default_factory=lambda: _env("DECOR_PLATFORM_URL", "http://127.0.0.1:8000")
    )
    public_url: str = field(
        default_factory=lambda: _env("DECOR_PUBLIC_URL", "http://127.0.0.1:8200")
    )
    client_id: str = field(default_factory=lambda: _env("DECOR_CLIENT_ID"))
    client_secret: str = field(default_factory=lambda: _env("DECOR_CLIENT_SECRET"))
    # Endpoint signing secrets (whsec_…), space-separated: more than one while rotating.
    webhook_secrets: str = field(default_factory=lambda: _env("DECOR_WEBHOOK_SECRETS"))
    data_dir: Path = field(default_factory=lambda: data_dir("decor"))
    # Pictures the app accepts for upload before the platform sees them (the platform checks too).
    max_upload_bytes: int = field(
        default_factory=lambda: int(_env("DECOR_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
    )

    @property
    def database(self) -> Path:
        return self.data_dir / "decor.sqlite3"

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
