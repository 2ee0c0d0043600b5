"""The fitting room's settings, from environment variables with defaults for the local demo.

Its data (shops, sellers' model photos) lives under `$EMPORIUM_VAR_DIR/fitting` (default
`./var/fitting`) or `FITTING_DATA_DIR`. Buyers' photos are never there: they stay in memory.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from emporium_sdk.appconfig import data_dir


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Config:
    platform_url: str = field(
        default_factory=lambda: _env("FITTING_PLATFORM_URL", "http://127.0.0.1:8000")
    )
    public_url: str = field(
        default_factory=lambda: _env("FITTING_PUBLIC_URL", "http://127.0.0.1:8300")
    )
    client_id: str = field(default_factory=lambda: _env("FITTING_CLIENT_ID"))
    client_secret: str = field(default_factory=lambda: _env("FITTING_CLIENT_SECRET"))
    # Endpoint signing secrets (whsec_…), space-separated: more than one while rotating.
    webhook_secrets: str = field(default_factory=lambda: _env("FITTING_WEBHOOK_SECRETS"))
    data_dir: Path = field(default_factory=lambda: data_dir("fitting"))
    detector: str = field(default_factory=lambda: _env("FITTING_DETECTOR", "mediapipe"))

    @property
    def redirect_uri(self) -> str:
        return f"{self.public_url}/oauth/callback"

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
