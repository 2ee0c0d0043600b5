"""Read settings from environment variables, failing loudly on a value we cannot parse."""

import os
import secrets
from pathlib import Path

_TRUE = {"1", "true", "on"}
_FALSE = {"0", "false", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """A string setting; `NAME_FILE` (a path) wins so secrets can come from mounted files."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name}={raw!r} is not a boolean; use 1/0, true/false or on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_rate_limits(name: str, default: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Tiers as "free=60/60,premium=3000/60" (capacity/seconds); named tiers replace defaults."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    limits = dict(default)
    for part in raw.split(","):
        tier, _, spec = part.strip().partition("=")
        capacity, _, window = spec.partition("/")
        try:
            limits[tier.strip()] = (int(capacity), int(window))
        except ValueError:
            raise ValueError(f"{name}: {part!r} is not tier=capacity/seconds") from None
        if limits[tier.strip()][0] < 1 or limits[tier.strip()][1] < 1:
            raise ValueError(f"{name}: {part!r} needs a positive capacity and window")
    return limits


def secret_file(path: Path) -> str:
    """A random secret kept in `path`, made on first use readable by its owner only (0600 from
    the moment it exists: no window in which another user could read it)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
