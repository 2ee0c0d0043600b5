"""`emporium demo` as a service manager runs it: a real process with its own data directory and
ports, stopped by SIGTERM or SIGINT, leaving no child behind; two demos side by side; a child
that cannot start stops the demo with its name. Small scale, so a run takes seconds, not minutes.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc"),
    # The demo is the embedded path: it runs on its own SQLite file whatever the suite's database
    # (see Demo.start), so a run against PostgreSQL would repeat the SQLite run's minutes exactly.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the demo runs on SQLite whatever DATABASE_URL says; the SQLite pass ran these",
    ),
]

SCALE = 24
READY = "Emporium demo is running:"


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A free loopback port not handed out before in this run: the kernel may offer a port again
    once its probe socket closes, and two of the demo's processes on one port end the demo."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def descendants(root: int) -> set[int]:
    parents = {
        int(p.name): parent_of(int(p.name)) for p in Path("/proc").iterdir() if p.name.isdigit()
    }
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(line.decode().split("=", 1) for line in raw if b"=" in line)


def command_of(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


@dataclass
class Demo:
    var: Path
    port: int = field(default_factory=free_port)
    stats_port: int = field(default_factory=free_port)
    decor_port: int = field(default_factory=free_port)
    zoom_port: int = field(default_factory=free_port)
    fitting_port: int = field(default_factory=free_port)
    tv_port: int = field(default_factory=free_port)
    books_port: int = field(default_factory=free_port)
    process: "subprocess.Popen[bytes] | None" = None
    children: set[int] = field(default_factory=set)
    commands: dict[int, str] = field(default_factory=dict)

    @property
    def log(self) -> Path:
        return self.var.parent / f"{self.var.name}-{self.port}.log"

    def start(self) -> "Demo":
        self.var.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "EMPORIUM_VAR_DIR": str(self.var)}
        # The demo is the embedded path: its own SQLite file and queue in its data directory.
        # A suite run against PostgreSQL must not seed two demos into that server's shared
        # database (pytest's own test databases are elsewhere).
        for name in ("SITE_URL", "DATABASE_URL", "REDIS_URL"):
            env.pop(name, None)
        command = [sys.executable, "-m", "emporium.cli", "demo", "--port", str(self.port),
                   "--stats-port", str(self.stats_port), "--decor-port", str(self.decor_port),
                   "--zoom-port", str(self.zoom_port), "--fitting-port", str(self.fitting_port),
                   "--tv-port", str(self.tv_port), "--books-port", str(self.books_port),
                   "--scale", str(SCALE)]  # fmt: skip
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_running(self, timeout: float = 300) -> None:
        assert self.process
        deadline = time.monotonic() + timeout
        while READY not in self.output():
            assert self.process.poll() is None, f"the demo exited early:\n{self.output()}"
            assert time.monotonic() < deadline, f"the demo did not start:\n{self.output()}"
            time.sleep(0.5)
        self.note_children()

    def note_children(self) -> None:
        assert self.process
        for pid in descendants(self.process.pid) - self.children:
            try:
                self.commands[pid] = command_of(pid)
            except OSError:
                continue
            self.children.add(pid)

    def child(self, word: str) -> int:
        return next(pid for pid, command in self.commands.items() if word in command)

    def wait_for_exit(self, timeout: float = 300) -> int:
        """Wait for the demo to end on its own, noting its children while they live."""
        assert self.process
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            assert time.monotonic() < deadline, f"the demo did not stop:\n{self.output()}"
            self.note_children()
            time.sleep(0.2)
        return self.process.returncode

    def stop(self, signum: int) -> int:
        assert self.process
        self.process.send_signal(signum)
        return self.process.wait(timeout=60)

    def kill_leftovers(self) -> None:
        # Only after a failed test: the processes this demo started, by their ids.
        for pid in self.children | ({self.process.pid} if self.process else set()):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def first_var(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo") / "first"


@pytest.fixture
def demos() -> Iterator[list[Demo]]:
    started: list[Demo] = []
    yield started
    for demo in started:
        demo.kill_leftovers()


def test_sigterm_ends_the_demo_and_every_process_it_started(first_var, demos):
    demo = Demo(first_var).start()
    demos.append(demo)
    demo.wait_until_running()

    # Announced only once they answer: the platform and the stats app are both there.
    assert httpx.get(f"http://127.0.0.1:{demo.port}/", timeout=10).status_code == 200
    assert httpx.get(f"http://127.0.0.1:{demo.stats_port}/healthz", timeout=10).status_code == 200
    assert httpx.get(f"http://127.0.0.1:{demo.decor_port}/healthz", timeout=10).status_code == 200
    assert httpx.get(f"http://127.0.0.1:{demo.zoom_port}/healthz", timeout=10).status_code == 200
    assert len(demo.children) >= 6, demo.children  # web, worker, stats, decor, zoom, fitting
    # `emporium serve` hands its process over to the web server (emporium/serving.py).
    platform = environ_of(demo.child("emporium.wsgi:application"))
    assert platform["SITE_URL"] == f"http://127.0.0.1:{demo.port}"
    assert platform["EMPORIUM_VAR_DIR"] == str(first_var)
    assert environ_of(demo.child("emporium_stats"))["STATS_DATA_DIR"] == str(first_var / "stats")
    assert environ_of(demo.child("emporium_decor"))["DECOR_DATA_DIR"] == str(first_var / "decor")
    # The decoration app was installed and used: Mei's shop page shows a template's design.
    shop_page = f"http://127.0.0.1:{demo.port}/shop/meis-closet/"
    deadline = time.monotonic() + 120
    while "Big sale" not in httpx.get(shop_page, timeout=10).text:
        assert time.monotonic() < deadline, "Mei's shop page was never decorated"
        time.sleep(1)
    assert environ_of(demo.child("emporium_zoom"))["ZOOM_DATA_DIR"] == str(first_var / "zoom")
    fitting = f"http://127.0.0.1:{demo.fitting_port}/healthz"
    assert httpx.get(fitting, timeout=10).status_code == 200
    assert environ_of(demo.child("emporium_fitting"))["FITTING_DATA_DIR"] == str(
        first_var / "fitting"
    )
    books = f"http://127.0.0.1:{demo.books_port}/healthz"
    assert httpx.get(books, timeout=10).status_code == 200
    assert environ_of(demo.child("emporium_books"))["BOOKS_DATA_DIR"] == str(first_var / "books")
    # The books app was installed and used: Mei's Alipay statement imported in the app.
    deadline = time.monotonic() + 120
    while "books app installed for mei" not in demo.output():
        assert "could not set up the books app" not in demo.output(), demo.output()
        assert time.monotonic() < deadline, "the books app was never set up for Mei"
        time.sleep(1)
    assert re.search(r"books app installed for mei: [1-9]\d* statement rows", demo.output())
    # Mei's last months were traded (emporium.demo.history) and backfilled: last month, as her
    # home page shows it, has sales and, her SKU costs entered, a gross margin.
    last = re.search(r"last month \d{4}-\d\d: income ([-\d.]+), profit [-\d.]+, gross margin "
                     r"([-\d.]+)%", demo.output())  # fmt: skip
    assert last, demo.output()
    assert float(last.group(1)) > 0 and 0 < float(last.group(2)) < 100

    assert demo.stop(signal.SIGTERM) == 0

    assert not [pid for pid in demo.children if alive(pid)]
    assert "stopped by SIGTERM; every demo process has ended" in demo.output()
    assert "Traceback" not in demo.output()


def test_a_second_demo_runs_beside_the_first_and_sigint_ends_it(first_var, demos):
    # The second data directory starts as a copy of the first (seeding again would only cost
    # time); the stats app's files come along, so the test sees which copy each one opens.
    second_var = first_var.parent / "second"
    if not first_var.exists():
        first_var.mkdir(parents=True)
    shutil.copytree(first_var, second_var, dirs_exist_ok=True)
    first, second = Demo(first_var).start(), Demo(second_var).start()
    demos.extend([first, second])
    first.wait_until_running()
    second.wait_until_running()

    for demo in (first, second):
        assert (
            httpx.get(f"http://127.0.0.1:{demo.stats_port}/healthz", timeout=10).status_code == 200
        )
        stats = demo.child("emporium_stats")
        opened = {os.readlink(fd) for fd in Path(f"/proc/{stats}/fd").iterdir() if fd.is_symlink()}
        assert str(demo.var / "stats" / "stats.duckdb") in opened

    assert second.stop(signal.SIGINT) == 0
    assert not [pid for pid in second.children if alive(pid)]
    assert all(alive(pid) for pid in first.children)
    assert "stopped by SIGINT; every demo process has ended" in second.output()

    assert first.stop(signal.SIGTERM) == 0
    assert not [pid for pid in first.children if alive(pid)]


def test_an_app_that_cannot_start_stops_the_demo_with_its_name(first_var, demos):
    demo = Demo(first_var)
    with socket.socket() as taken:  # the stats app's port is taken: it exits at once
        taken.bind(("127.0.0.1", demo.stats_port))
        taken.listen()
        demos.append(demo.start())
        code = demo.wait_for_exit()

    assert code == 1
    web = ("emporium.cli serve", "emporium.wsgi:application")  # before and after it hands over
    assert any(w in command for command in demo.commands.values() for w in web)
    assert re.search(
        r"emporium: the store-statistics app (exited with code \d+|died of SIG\w+) before answering at "
        rf"http://127.0.0.1:{demo.stats_port}/healthz; stopping the demo",
        demo.output(),
    )
    assert READY not in demo.output()
    assert not [pid for pid in demo.children if alive(pid)]
