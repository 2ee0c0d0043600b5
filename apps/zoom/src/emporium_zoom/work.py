"""The tiling queue: a fixed number of worker threads take queued pyramids from the store, shops in
turn, each fetching the original (checked against its hash) and tiling it with libvips.

The queue is bounded where it costs: in memory it holds nothing (the queue is rows in SQLite,
claimed one at a time), in CPU at most ZOOM_WORKERS tilings run at once, in disk and time each
picture is bounded by the pixel and byte limits. A refused picture fails at once with its reason;
a transient error (the platform unreachable, a download cut short) is retried MAX_ATTEMPTS times
with back-off, then fails — the app never loops on one picture.
"""

import hashlib
import logging
import shutil
import tempfile
import threading
import time
from pathlib import Path

import httpx

from emporium_zoom import tiler
from emporium_zoom.store import Pyramid, Store

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
BACKOFF_SECONDS = 5.0  # then 10, 20 …


class Transient(Exception):
    """Worth another try later."""


def tiles_base(tiles_dir: Path, sha256: str) -> Path:
    """Where a pyramid lives: <tiles>/<2 hex>/<sha256>.dzi and <sha256>_files/."""
    return tiles_dir / sha256[:2] / sha256


class Worker:
    def __init__(
        self, store: Store, tiles_dir: Path, *, max_pixels: int, max_bytes: int,
        threads: int = 1, backoff: float = BACKOFF_SECONDS, max_attempts: int = MAX_ATTEMPTS,
    ) -> None:  # fmt: skip
        self.store, self.tiles_dir = store, tiles_dir
        self.max_pixels, self.max_bytes = max_pixels, max_bytes
        self.threads, self.backoff, self.max_attempts = threads, backoff, max_attempts
        self.stop = threading.Event()
        self.wake = threading.Event()
        self._running: list[threading.Thread] = []

    def start(self) -> None:
        self.store.recover()
        self.stop.clear()
        for n in range(self.threads):
            thread = threading.Thread(target=self._loop, name=f"tiler-{n}", daemon=True)
            thread.start()
            self._running.append(thread)

    def shutdown(self) -> None:
        self.stop.set()
        self.wake.set()
        for thread in self._running:
            thread.join(30)
        self._running.clear()

    def _loop(self) -> None:
        while not self.stop.is_set():
            if not self.run_one():
                self.wake.wait(1.0)
                self.wake.clear()

    def run_one(self) -> bool:
        """Tile the next queued picture, if any; False when nothing is due."""
        job = self.store.claim()
        if job is None:
            return False
        try:
            pyramid = self._tile(job)
        except tiler.Refused as refusal:
            log.info("picture %s refused: %s", job.sha256[:12], refusal)
            self.store.fail(job.sha256, str(refusal), retry_at=None)
        except (
            Exception
        ) as error:  # anything else is treated as transient, a bounded number of times
            reason = f"{type(error).__name__}: {error}"
            if job.attempts >= self.max_attempts:
                log.warning("picture %s failed %d times: %s", job.sha256[:12], job.attempts, reason)
                self.store.fail(job.sha256, f"gave up after {job.attempts} tries: {reason}",
                                retry_at=None)  # fmt: skip
            else:
                delay = self.backoff * 2 ** (job.attempts - 1)
                self.store.fail(job.sha256, reason, retry_at=time.time() + delay)
        else:
            self.store.finish(job.sha256, pyramid.tiles, pyramid.size_bytes)
        return True

    def _tile(self, job: Pyramid) -> tiler.Pyramid:
        if job.width * job.height > self.max_pixels:
            raise tiler.Refused(f"{job.width} × {job.height} pixels is over the limit of "
                                f"{self.max_pixels:,} pixels")  # fmt: skip
        work = Path(tempfile.mkdtemp(prefix="zoom-"))
        try:
            source = work / "original"
            self._download(job, source)
            return tiler.tile(
                source, tiles_base(self.tiles_dir, job.sha256), max_pixels=self.max_pixels
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _download(self, job: Pyramid, target: Path) -> None:
        digest, size = hashlib.sha256(), 0
        try:
            with httpx.stream("GET", job.url, timeout=30, follow_redirects=True) as answer, \
                    target.open("wb") as out:  # fmt: skip
                if answer.status_code == 404:
                    raise tiler.Refused("the platform no longer has this picture")
                if answer.status_code != 200:
                    raise Transient(f"the platform answered {answer.status_code}")
                for chunk in answer.iter_bytes(1 << 16):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise tiler.Refused(
                            f"the file is over the limit of {self.max_bytes:,} bytes"
                        )
                    digest.update(chunk)
                    out.write(chunk)
        except httpx.HTTPError as error:
            raise Transient(f"download failed: {error}") from None
        if digest.hexdigest() != job.sha256:
            raise Transient("the download does not match the picture's hash")

    def remove(self, sha256: str) -> None:
        tiler.remove(tiles_base(self.tiles_dir, sha256))
        self.store.forget_pyramid(sha256)

    def collect_garbage(self) -> int:
        """Delete the tiles of pictures no item shows any more."""
        orphans = self.store.orphans()
        for sha256 in orphans:
            self.remove(sha256)
        return len(orphans)

    def disk_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.tiles_dir.rglob("*") if p.is_file())
