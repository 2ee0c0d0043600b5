"""Where an app keeps its data: `<EMPORIUM_VAR_DIR>/<app>` unless `<APP>_DATA_DIR` says otherwise.

Every app beside a platform follows the same rule, so that two demos run from one checkout with
different `EMPORIUM_VAR_DIR`s never share (and lock) each other's files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

VAR_DIR_VARIABLE = "EMPORIUM_VAR_DIR"
DEFAULT_VAR_DIR = "var"  # relative to the working directory, as the platform's own default


def var_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The demo's data directory: `EMPORIUM_VAR_DIR`, else `./var`, made absolute."""
    env = os.environ if environ is None else environ
    return Path(env.get(VAR_DIR_VARIABLE) or DEFAULT_VAR_DIR).resolve()


def data_dir(app: str, environ: Mapping[str, str] | None = None) -> Path:
    """An app's own data directory: `<APP>_DATA_DIR` if set, else `<var dir>/<app>`.

    `data_dir("stats")` reads `STATS_DATA_DIR`, then falls back to `$EMPORIUM_VAR_DIR/stats`.
    """
    env = os.environ if environ is None else environ
    explicit = env.get(f"{app.upper()}_DATA_DIR")
    if explicit:
        return Path(explicit).resolve()
    return var_dir(env) / app
