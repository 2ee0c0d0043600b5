"""The TV app's settings, from environment variables with defaults for the local demo.

Its data lives under the demo's data directory, `$EMPORIUM_VAR_DIR/tv` (default `./var/tv`), or
wherever `TV_DATA_DIR` says.
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
        default_factory=lambda: _env("TV_PLATFORM_URL", "http://127.0.0.1:8000")
    )
    public_url: str = field(default_factory=lambda: _env("TV_PUBLIC_URL", "http://127.0.0.1:8400"))
    client_id: str = field(default_factory=lambda: _env("TV_CLIENT_ID"))
    client_secret: str = field(default_factory=lambda: _env("TV_CLIENT_SECRET"))
    # Endpoint signing secrets (whsec_…), space-separated: more than one while rotating.
    webhook_secrets: str = field(default_factory=lambda: _env("TV_WEBHOOK_SECRETS"))
    data_dir: Path = field(default_factory=lambda: data_dir("tv"))
    # Seconds idle on the home screen before attract mode starts (the issue: a minute).
    attract_seconds: int = field(default_factory=lambda: int(_env("TV_ATTRACT_SECONDS", "60")))

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
