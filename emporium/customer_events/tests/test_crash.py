"""A real server killed with SIGKILL right after answering 204: every answered event is kept.

The collector answers only once the events are fsynced in its journal (journal.py); the
dispatcher drains the journal into the database. This starts the web server (granian over WSGI, as
`emporium serve` runs it, and uvicorn over ASGI) as a separate process, sends
beacons from many clients at once, kills the server (no shutdown of any kind) while requests are
still in flight, then drains — as the restarted dispatcher would — and looks for each event.
"""

import asyncio
import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection

from emporium.customer_events import journal
from emporium.customer_events.models import CustomerEvent
from emporium.customer_events.tests.conftest import BROWSER_UA, item_page
from emporium.serving import SERVERS, server_command

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def in_own_loop(coroutine):
    """asyncio.run on a thread of its own: a Playwright test earlier in this process may have
    left its event loop running on the main thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def start_server(port: int, var: Path, server: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "emporium.settings",
        "EMPORIUM_VAR_DIR": str(var),
        "CUSTOMER_EVENTS_JOURNAL_DIR": str(settings.CUSTOMER_EVENTS_JOURNAL_DIR),
        "TRUSTED_PROXIES": "127.0.0.1",
        "CUSTOMER_EVENTS_PER_ADDRESS_MINUTE": "100000",
        "DEBUG": "0",
    }
    command = server_command("127.0.0.1", port, workers=2, server=server, threads=4)
    return subprocess.Popen(command, cwd=PROJECT, env=env, start_new_session=True)  # noqa: S603


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited before answering"
        try:
            httpx.get(url + "/", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


async def beacons_until_killed(url: str, page: dict, server: subprocess.Popen) -> set[str]:
    """32 clients post one beacon after another; after 300 answers the server is killed.
    Returns the page_view_id of every event answered 204."""
    answered: set[str] = set()
    killed = asyncio.Event()

    async def client_loop(http: httpx.AsyncClient, n: int) -> None:
        while not killed.is_set():
            view_id = uuid.uuid4().hex[:24]
            event = {"type": "page_viewed", "page_view_id": view_id, "page": page}
            headers = {"Origin": url, "Content-Type": "text/plain", "User-Agent": BROWSER_UA,
                       "X-Forwarded-For": f"223.5.{n}.{len(answered) % 250 + 1}"}  # fmt: skip
            try:
                response = await http.post(
                    "/collect", content=json.dumps({"events": [event]}), headers=headers
                )
            except httpx.TransportError:
                return  # the server is gone
            if response.status_code == 204 and response.headers["Emporium-Events-Accepted"] == "1":
                answered.add(view_id)
            if len(answered) >= 300 and not killed.is_set():
                killed.set()
                os.killpg(server.pid, signal.SIGKILL)  # no shutdown, no flush, nothing

    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        await asyncio.gather(*(client_loop(http, n) for n in range(32)))
    return answered


@pytest.mark.parametrize("web_server", SERVERS)
def test_every_event_answered_204_survives_a_kill_9_of_the_server(item, tmp_path, web_server):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    (tmp_path / "var" / "static").mkdir(parents=True)
    server = start_server(port, tmp_path / "var", web_server)
    try:
        wait_until_up(url, server)
        answered = in_own_loop(beacons_until_killed(url, item_page(item), server))
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(10)
    assert len(answered) >= 300
    assert not CustomerEvent.objects.exists()  # all of it was only in the journal

    journal.drain()  # what the dispatcher does first when it runs again

    stored = set(CustomerEvent.objects.values_list("page_view_id", flat=True))
    assert answered <= stored, f"{len(answered - stored)} answered events were lost"
    assert not list(Path(settings.CUSTOMER_EVENTS_JOURNAL_DIR).glob("*.jsonl"))  # drained
    assert journal.drain() == 0  # and nothing is inserted twice
    assert CustomerEvent.objects.count() == len(stored)
