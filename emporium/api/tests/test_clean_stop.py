"""A real server stopped cleanly writes every API call it answered to the call log.

Calls are logged in memory and written in batches (calllog.py); what waits when the server stops
must land. This starts `emporium serve` with two granian workers as its own process, makes N
API calls, then stops it with SIGTERM — to the whole process group (as bench/harness.py and a
systemd control-group stop send it) or to granian's parent only (which stops its workers) — and
counts the rows. The writer thread is off so that nothing but the exit hook can write them.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

from emporium.api.models import ApiCall

pytestmark = pytest.mark.django_db(transaction=True)

CALLS = 24


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_server(var: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "emporium.settings",
        "EMPORIUM_VAR_DIR": str(var),
        "API_CALL_LOG_THREAD": "0",
        "API_RATE_LIMITS": "free=10000/60,standard=10000/60,premium=10000/60",
        "DEBUG": "0",
    }
    env.pop("REDIS_URL", None)
    log = (var / "server.log").open("w")
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "emporium.cli", "serve", "--port", str(port), "--workers", "2",
         "--server", "granian"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited at start"
        try:
            httpx.get(url + "/api/v1/events/topics", timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError("the server never answered")


@pytest.mark.parametrize("to_group", [True, False], ids=["sigterm-to-group", "sigterm-to-parent"])
def test_a_clean_stop_writes_every_answered_call(tmp_path, seller, shop, make_token, to_group):
    token = make_token(seller)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    server = start_server(tmp_path, port)
    try:
        wait_until_up(url, server)
        ApiCall.objects.all().delete()  # the readiness probe is not an authenticated call
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(CALLS):
            # A fresh connection each time, so both workers answer some of the calls.
            assert httpx.get(f"{url}/api/v1/shop", headers=headers, timeout=30).status_code == 200
        assert (
            ApiCall.objects.filter(route="/shop").count() == 0
        )  # all still in the workers' memory
        if to_group:
            os.killpg(server.pid, signal.SIGTERM)
        else:
            server.send_signal(signal.SIGTERM)
        server.wait(30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
    if not to_group:
        # (Signalled as a group, granian may log a worker that beat its parent's stop as an
        # unexpected exit and exit 1; the rows are what this test is about.)
        assert server.returncode == 0
    assert ApiCall.objects.filter(route="/shop", status=200).count() == CALLS
