"""The zoom app's fixtures: its store and worker on a temporary directory, and originals served
over real HTTP the way the platform serves them (by content hash)."""

import hashlib
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from emporium_zoom.ingest import Ingest
from emporium_zoom.store import Store
from emporium_zoom.work import Worker


class Originals:
    """A folder served on a free port: `add(bytes)` returns (sha256, url)."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

        class Quiet(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, data: bytes, name: str | None = None) -> tuple[str, str]:
        sha = hashlib.sha256(data).hexdigest()
        (self.root / (name or sha)).write_bytes(data)
        return sha, f"{self.url}/{name or sha}"


@pytest.fixture
def originals(tmp_path):
    served = Originals(tmp_path / "served")
    yield served
    served.server.shutdown()


@pytest.fixture
def store(tmp_path):
    made = Store(tmp_path / "zoom.sqlite3")
    yield made
    made.close()


@pytest.fixture
def worker(store, tmp_path):
    return Worker(
        store, tmp_path / "tiles", max_pixels=100_000_000, max_bytes=40_000_000, backoff=0
    )


@pytest.fixture
def ingest(store, worker):
    def no_client(shop_id):
        raise AssertionError("these tests use no API client")

    return Ingest(store, worker, no_client, min_side=500)
