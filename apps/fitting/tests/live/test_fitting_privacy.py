"""Privacy, proved: a buyer's photo and what is made with it never reach a disk or a log, and are
gone from memory when the buyer says so or 10 minutes after they were given at the latest."""

import logging
import os
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from fitting_photos import astronaut, grace_hopper, jpeg, png, scaled
from PIL import Image

pytestmark = pytest.mark.django_db(transaction=True)

WATCHED = [Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")]


def files_changed_since(start: float, roots: list[Path]) -> list[Path]:
    found = []
    for root in roots:
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = Path(folder) / name
                try:
                    if path.is_file() and path.stat().st_mtime >= start - 1:
                        found.append(path)
                except OSError:
                    pass  # another process's file, gone while we looked
    return found


def holds(path: Path, needles: list[bytes]) -> bool:
    try:
        if path.stat().st_size > 200_000_000:
            return False
        data = path.read_bytes()
    except OSError:
        return False
    return any(needle in data for needle in needles)


@pytest.fixture
def one_model(fitting):
    answer = fitting.add_model(fitting.admin_pass(), jpeg(scaled(grace_hopper(), 900)))
    assert "model_saved" in answer.headers["location"]
    return fitting.state.store.models_of_shop(str(fitting.shop.public_id))[0]


def test_nothing_of_the_photo_remains_on_disk_or_in_logs_after_a_session(
    fitting, one_model, tmp_path, monkeypatch, caplog, capfd
):
    # A private temp dir too, so a spooled upload (python-multipart spools above 1 MB) would show.
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    caplog.set_level(logging.DEBUG)
    # The test's own HTTP client logs the URLs it asks for (the buyer's side, not the app's), and
    # the platform's console handler on the root logger would print those lines to stderr.
    for client_logger in ("httpx", "httpcore"):
        monkeypatch.setattr(logging.getLogger(client_logger), "propagate", False)
    photo = png(Image.fromarray(scaled(astronaut(), 1500)))  # ~4 MB: above every spool limit
    assert len(photo) > 2_000_000
    needles = [photo[len(photo) // 2 : len(photo) // 2 + 64], photo[-4096:-4032]]
    start = time.time()
    base = fitting.server.url

    made = httpx.post(f"{base}/block/photo", content=photo, timeout=60, params={
        "context": fitting.context(), "model": one_model.id, "height": "168"})  # fmt: skip
    assert made.status_code == 200, made.text
    body = made.json()
    result = httpx.get(base + body["result"], timeout=30)
    assert result.status_code == 200
    assert result.headers["cache-control"] == "private, no-store"
    photo_needles = list(needles)
    needles += [result.content[len(result.content) // 2 :][:64]]
    secrets = [body["session"], body["result"].rsplit("/", 1)[1]]

    # Nothing written: the app's data dir, our temp dir, and every file of the machine's temp
    # folders touched since the upload — none holds a byte run of the photo or the result.
    data_dir = fitting.state.config.data_dir
    models = data_dir / "models"
    # Outside the face the result is the model's photo, so a run of its bytes may stand in the
    # model's own file; that file must hold nothing of the buyer's photo.
    assert not any(
        holds(p, photo_needles if p.parent == models else needles)
        for p in data_dir.rglob("*")
        if p.is_file()
    )
    assert list(spool.iterdir()) == []
    touched = files_changed_since(start, WATCHED)
    assert not [p for p in touched if holds(p, needles)]
    # The app's files after the session are the ones it had before: shops, models, tokens.
    assert {p.name for p in data_dir.iterdir()} <= {"models", "fitting.sqlite3", "tokens.json",
                                                    "pending.sqlite3"}  # fmt: skip
    assert [p.name for p in (data_dir / "models").iterdir()] == [f"{one_model.id}.jpg"]

    # Nothing logged: not the photo, not the URLs that name it.
    logged = "\n".join(r.getMessage() for r in caplog.records) + "".join(capfd.readouterr())
    assert not any(secret in logged for secret in secrets)

    # The buyer ends the session: the photo and the result are gone from memory at once.
    forget = httpx.post(f"{base}/block/forget", data={"session": body["session"]}, timeout=30)
    assert forget.status_code == 200
    assert httpx.get(base + body["result"], timeout=30).status_code == 404
    assert fitting.state.rooms.counts() == (0, 0)


def test_a_result_is_deleted_ten_minutes_after_the_photo_was_given(fitting, one_model):
    rooms = fitting.state.rooms
    made = httpx.post(f"{fitting.server.url}/block/photo", content=jpeg(astronaut()), timeout=60,
                      params={"context": fitting.context(), "model": one_model.id,
                              "height": "168"})  # fmt: skip
    body = made.json()
    url = fitting.server.url + body["result"]
    assert httpx.get(url, timeout=30).status_code == 200
    real = rooms._now
    rooms._now = lambda: real() + 599
    assert httpx.get(url, timeout=30).status_code == 200  # still within the 10 minutes
    rooms._now = lambda: real() + 601
    assert httpx.get(url, timeout=30).status_code == 404
    assert rooms.sweep() == 2  # the session (the photo) and its result
    assert rooms.counts() == (0, 0)
    again = httpx.post(f"{fitting.server.url}/block/try", timeout=30, data={
        "context": fitting.context(), "session": body["session"], "model": one_model.id,
        "height": "168"})  # fmt: skip
    assert again.status_code == 410 and again.json()["error"] == "expired"
