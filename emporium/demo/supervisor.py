"""The demo's processes: start each with its environment, wait until it answers, stop them all.

The demo is one command that a person stops with Ctrl+C (SIGINT) and a service manager or a
container runtime stops with SIGTERM; either way every process it started goes with it. A
process that exits or never answers stops the whole demo with a message naming it, rather than
a banner pointing at an address where nothing listens.

Adding an app to the demo is a few lines: `supervisor.start(name, command, url=..., data=...)`
and `supervisor.wait_until_up(child)`.
"""

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import httpx

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StartFailed(Exception):
    """A child exited, or did not answer in time: the demo cannot run as announced."""


class Stopped(BaseException):
    """Raised in the main thread by SIGINT or SIGTERM; a BaseException (as KeyboardInterrupt is)
    so that no `except Exception` on the way, in seeding say, swallows the request to stop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class Child:
    name: str
    process: "subprocess.Popen[bytes]"
    url: str | None  # what answers once the child is up; None: running is enough

    def running(self) -> bool:
        return self.process.poll() is None


def answers(url: str, timeout: float = 2.0) -> bool:
    """Anything below 500 means a server is there and handling requests. The children listen on
    this machine, so a proxy from the environment (HTTP_PROXY) is never asked."""
    try:
        return httpx.get(url, timeout=timeout, trust_env=False).status_code < 500
    except httpx.HTTPError:
        return False


class Supervisor:
    def __init__(
        self, say: Callable[[str], None], *, var_dir: Path, env: Mapping[str, str] | None = None
    ) -> None:
        self.say = say
        self.var_dir = var_dir
        # Every child keeps its data under the demo's data directory (emporium_sdk.appconfig).
        self.env = {**os.environ, **(env or {}), "EMPORIUM_VAR_DIR": str(var_dir)}
        self.children: list[Child] = []
        self.stopping = threading.Event()

    def start(
        self,
        name: str,
        command: Sequence[str],
        *,
        url: str | None = None,
        env: Mapping[str, str] | None = None,
        data: str | None = None,
    ) -> Child:
        """Start `command`; `data` names the app whose `<DATA>_DATA_DIR` is `<var dir>/<data>`."""
        extra = dict(env or {})
        if data:
            extra[f"{data.upper()}_DATA_DIR"] = str(self.var_dir / data)
        process = subprocess.Popen(list(command), env={**self.env, **extra})  # noqa: S603
        child = Child(name, process, url)
        self.children.append(child)
        return child

    def wait_until_up(self, child: Child, timeout: float = 60.0) -> None:
        """Return once `child` answers at its URL; StartFailed if it exits or stays silent."""
        deadline = time.monotonic() + timeout
        while not self.stopping.is_set():
            code = child.process.poll()
            if code is not None:
                where = f" at {child.url}" if child.url else ""
                raise StartFailed(f"{child.name} {_ended(code)} before answering{where}")
            if child.url is None or answers(child.url):
                return
            if time.monotonic() > deadline:
                raise StartFailed(
                    f"{child.name} did not answer at {child.url} within {timeout:g} s"
                )
            self.stopping.wait(0.3)

    def watch(self) -> None:
        """Block while every child runs; StartFailed names the first one that exits."""
        while not self.stopping.wait(0.5):
            for child in self.children:
                if not child.running():
                    ended = _ended(child.process.returncode)
                    raise StartFailed(f"{child.name} {ended} while the demo was running")

    def stop_all(self, timeout: float = 10.0) -> None:
        """SIGTERM to every child still running, newest first; SIGKILL to any that outlives
        `timeout`. Afterwards no child of the demo is left."""
        self.stopping.set()
        for child in reversed(self.children):
            if child.running():
                child.process.terminate()
        deadline = time.monotonic() + timeout
        for child in reversed(self.children):
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{child.name} did not stop within {timeout:g} s; killing it")
                child.process.kill()
                child.process.wait()

    @contextmanager
    def running(self) -> Iterator["Supervisor"]:
        """Run the body with SIGINT and SIGTERM raising `Stopped`; stop every child on the way
        out. A signal is a clean stop; a StartFailed is reported and exits with status 1."""
        previous = {sig: signal.signal(sig, _raise_stopped) for sig in STOP_SIGNALS}
        try:
            yield self
        except Stopped as stop:
            self._stop_quietly()
            self.say(f"stopped by {stop}; every demo process has ended")
        except StartFailed as failure:
            self.say(f"{failure}; stopping the demo")
            self._stop_quietly()
            raise SystemExit(1) from None
        finally:
            self._stop_quietly()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop_quietly(self) -> None:
        # A second Ctrl+C while the children stop must not cut stop_all short and orphan one.
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        self.stop_all()


def _ended(code: int) -> str:
    if code < 0:
        return f"died of {signal.Signals(-code).name}"
    return f"exited with code {code}"


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)
