"""The supervisor names a child that fails to start, and leaves no child behind (real processes)."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from emporium.demo.supervisor import StartFailed, Supervisor


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


@pytest.fixture
def said() -> list[str]:
    return []


@pytest.fixture
def supervisor(tmp_path, said):
    made = Supervisor(said.append, var_dir=tmp_path / "var")
    yield made
    made.stop_all(timeout=2)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_it_names_a_child_that_exits_before_answering(supervisor):
    child = supervisor.start(
        "the broken app", python("raise SystemExit(3)"), url="http://127.0.0.1:9/"
    )

    with pytest.raises(StartFailed, match=r"the broken app exited with code 3 before answering"):
        supervisor.wait_until_up(child, timeout=30)


def test_it_names_the_signal_that_ended_a_child(supervisor):
    child = supervisor.start(
        "the crashing app", python("import os; os.abort()"), url="http://127.0.0.1:9/"
    )

    with pytest.raises(StartFailed, match=r"the crashing app died of SIGABRT before answering"):
        supervisor.wait_until_up(child, timeout=30)


def test_it_names_a_child_that_never_answers(supervisor):
    url = f"http://127.0.0.1:{free_port()}/"
    child = supervisor.start("the silent app", python("import time; time.sleep(60)"), url=url)

    with pytest.raises(StartFailed, match=rf"the silent app did not answer at {url} within 1 s"):
        supervisor.wait_until_up(child, timeout=1)
    supervisor.stop_all()
    assert gone(child.process.pid)


def test_it_waits_until_a_child_answers(supervisor):
    port = free_port()
    server = python(
        "import time, http.server as h; time.sleep(1); "
        f"h.test(h.SimpleHTTPRequestHandler, port={port}, bind='127.0.0.1')"
    )
    child = supervisor.start("the slow app", server, url=f"http://127.0.0.1:{port}/")

    supervisor.wait_until_up(child, timeout=30)

    assert child.running()


def test_it_kills_a_child_that_ignores_sigterm(supervisor, said):
    stubborn = supervisor.start("the stubborn app", python(
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"
    ))  # fmt: skip
    time.sleep(0.5)  # let it ignore SIGTERM before we send it

    supervisor.stop_all(timeout=1)

    assert stubborn.process.returncode == -9
    assert said == ["the stubborn app did not stop within 1 s; killing it"]


def test_a_failure_exits_with_status_1_and_stops_the_others(supervisor, said):
    sleeper = supervisor.start("the worker", python("import time; time.sleep(60)"))
    broken = supervisor.start(
        "the broken app", python("raise SystemExit(2)"), url="http://127.0.0.1:9/"
    )

    with pytest.raises(SystemExit) as exit_, supervisor.running():
        supervisor.wait_until_up(broken, timeout=30)

    assert exit_.value.code == 1
    assert said == ["the broken app exited with code 2 before answering at http://127.0.0.1:9/; "
                    "stopping the demo"]  # fmt: skip
    assert gone(sleeper.process.pid)


def test_watch_reports_a_child_that_stops_later(supervisor):
    supervisor.start("the short-lived app", python("import time; time.sleep(0.5)"))

    with pytest.raises(
        StartFailed, match=r"the short-lived app exited with code 0 while the demo was running"
    ):
        supervisor.watch()


def test_children_keep_their_data_under_the_demo_data_directory(supervisor, tmp_path):
    out = tmp_path / "env.txt"
    code = (f"import os; open({str(out)!r}, 'w').write(os.environ['EMPORIUM_VAR_DIR'] + ' ' + "
            "os.environ['STATS_DATA_DIR'] + ' ' + os.environ['STATS_CLIENT_ID'])")  # fmt: skip
    child = supervisor.start("the app", python(code), env={"STATS_CLIENT_ID": "c1"}, data="stats")
    child.process.wait(timeout=30)

    var = tmp_path / "var"
    assert out.read_text() == f"{var} {var / 'stats'} c1"


def test_a_signal_stops_every_child_and_exits_cleanly(tmp_path):
    # In a process of its own: the signal handlers belong to the main thread of that process.
    script = tmp_path / "supervise.py"
    script.write_text(
        "import sys, time\n"
        "from pathlib import Path\n"
        "from emporium.demo.supervisor import Supervisor\n"
        "s = Supervisor(print, var_dir=Path(sys.argv[1]))\n"
        "with s.running():\n"
        "    for n in range(2):\n"
        "        s.start(f'sleeper {n}', [sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "    print('pids', *(c.process.pid for c in s.children), flush=True)\n"
        "    s.watch()\n"
    )
    for signal_name in ("SIGTERM", "SIGINT"):
        parent = subprocess.Popen(  # noqa: S603
            [sys.executable, str(script), str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        line = parent.stdout.readline().split()
        assert line[0] == "pids"
        children = [int(pid) for pid in line[1:]]

        parent.send_signal(getattr(signal, signal_name))
        out, _ = parent.communicate(timeout=30)

        assert parent.returncode == 0
        assert f"stopped by {signal_name}; every demo process has ended" in out
        assert all(gone(pid) for pid in children)
