"""The tiling queue: shops take turns, a picture is tiled once per content hash, a refusal fails at
once with its reason, a transient error is retried a bounded number of times, tiles nobody shows
are deleted, and every event counts once."""

import time

import pictures
import pytest
from emporium_zoom.store import Picture
from emporium_zoom.work import tiles_base
from pictures import jpeg


def item(item_id, *images, status="on_sale"):
    """An item as `item.*` events carry it: images with their original."""
    return {
        "id": item_id, "title": f"Item {item_id}", "status": status,
        "images": [
            {"id": n, "position": n, "width": w, "height": h, "urls": {"1200": f"{url}?1200"},
             "original": {"url": url, "width": w, "height": h, "sha256": sha,
                          "content_type": "image/jpeg", "size_bytes": 1}}
            for n, (sha, url, w, h) in enumerate(images)
        ],
    }  # fmt: skip


def event(n, kind, shop, data):
    return {"id": f"evt_{n}", "type": kind, "shop_id": shop, "version": 1,
            "occurred_at": "2026-12-06T10:00:00Z", "data": data}  # fmt: skip


def picture(shop, n, w=600, h=400):
    return Picture(item_id=f"{shop}-{n}", position=0, sha256=f"{shop}{n:062d}", url="http://x/",
                   width=w, height=h, preview_url="")  # fmt: skip


def test_shops_take_turns_so_a_thousand_uploads_do_not_starve_another_shop(store):
    for n in range(5):
        store.want("busy", picture("busy", n), small=False)
    store.want("quiet", picture("quiet", 0), small=False)
    order = [store.claim().shop_id for _ in range(4)]
    assert order == ["busy", "quiet", "busy", "busy"]


def test_a_photograph_is_fetched_checked_and_tiled_once_for_every_item_that_shows_it(
    originals, ingest, store, worker, tmp_path
):
    sha, url = originals.add(jpeg(pictures.photo("coffee")))
    ingest.handle(event(1, "item.created", "s1", {"item": item("a", (sha, url, 600, 400))}))
    ingest.handle(event(2, "item.created", "s1", {"item": item("b", (sha, url, 600, 400))}))
    assert worker.run_one() and not worker.run_one()  # one pyramid for both items
    done = store.pyramid(sha)
    assert (done.state, done.attempts, done.reason) == ("done", 1, "")
    assert done.tiles > 0 and done.disk_bytes > 0
    assert tiles_base(tmp_path / "tiles", sha).with_suffix(".dzi").exists()


def test_a_changed_picture_is_tiled_anew_and_the_old_tiles_go(
    originals, ingest, store, worker, tmp_path
):
    old, old_url = originals.add(jpeg(pictures.photo("coffee")))
    new, new_url = originals.add(jpeg(pictures.photo("astronaut")))
    ingest.handle(event(1, "item.created", "s1", {"item": item("a", (old, old_url, 600, 400))}))
    worker.run_one()
    ingest.handle(event(2, "item.updated", "s1", {"item": item("a", (new, new_url, 512, 512))}))
    assert store.pyramid(old) is None
    assert not tiles_base(tmp_path / "tiles", old).with_suffix(".dzi").exists()
    assert store.pyramid(new).state == "queued"
    ingest.handle(event(3, "item.deleted", "s1", {"item_id": "a"}))
    assert store.pyramid(new) is None and store.pictures("s1", "a") == []


def test_an_event_is_handled_once_even_if_it_comes_by_webhook_and_by_the_feed(
    originals, ingest, store
):
    sha, url = originals.add(jpeg(pictures.photo("coffee")))
    ingest.handle(event(1, "item.created", "s1", {"item": item("a", (sha, url, 600, 400))}))
    ingest.handle(event(2, "item.deleted", "s1", {"item_id": "a"}))
    ingest.handle(event(1, "item.created", "s1", {"item": item("a", (sha, url, 600, 400))}))
    assert store.pictures("s1", "a") == []


def test_a_picture_too_small_to_zoom_is_not_tiled(originals, ingest, store, worker):
    sha, url = originals.add(jpeg(pictures.photo("chelsea")))
    ingest.handle(event(1, "item.created", "s1", {"item": item("a", (sha, url, 451, 300))}))
    assert store.pyramid(sha).state == "small" and not worker.run_one()


def test_a_truncated_original_is_refused_once_with_its_reason(originals, ingest, store, worker):
    data = jpeg(pictures.photo("coffee"))
    sha, url = originals.add(data[: len(data) // 2])
    ingest.handle(event(1, "item.created", "s1", {"item": item("a", (sha, url, 600, 400))}))
    assert worker.run_one() and not worker.run_one()
    failed = store.pyramid(sha)
    assert failed.state == "failed" and "damaged" in failed.reason and failed.attempts == 1


def test_an_unreachable_platform_is_retried_three_times_then_given_up(ingest, store, worker):
    sha = "ab" * 32
    ingest.handle(
        event(1, "item.created", "s1", {"item": item("a", (sha, "http://127.0.0.1:9/x", 600, 400))})
    )
    tries = 0
    while worker.run_one():
        tries += 1
        assert tries <= 3
    failed = store.pyramid(sha)
    assert tries == 3 and failed.state == "failed" and "gave up after 3 tries" in failed.reason


def test_a_download_that_does_not_match_its_hash_is_not_tiled(originals, ingest, store, worker):
    _, url = originals.add(jpeg(pictures.photo("coffee")))
    sha = "cd" * 32
    ingest.handle(event(1, "item.created", "s1", {"item": item("a", (sha, url, 600, 400))}))
    worker.run_one()
    pending = store.pyramid(sha)
    assert pending.state == "queued" and "does not match" in pending.reason


def test_a_picture_over_the_pixel_limit_is_refused_without_downloading(ingest, store, worker):
    sha = "ef" * 32
    ingest.handle(
        event(
            1, "item.created", "s1", {"item": item("a", (sha, "http://127.0.0.1:9/", 20000, 20000))}
        )
    )
    worker.run_one()
    assert "over the limit of 100,000,000 pixels" in store.pyramid(sha).reason


def test_retiling_starts_the_attempts_over(originals, ingest, store, worker):
    data = jpeg(pictures.photo("coffee"))
    sha, url = originals.add(data[:1000])
    ingest.handle(event(1, "item.created", "s1", {"item": item("a", (sha, url, 600, 400))}))
    worker.run_one()
    assert store.requeue([sha]) == 1
    assert store.pyramid(sha).attempts == 0 and store.pyramid(sha).state == "queued"


def test_the_worker_threads_drain_the_queue_and_stop(originals, ingest, store, worker):
    shas = []
    for n, name in enumerate(["coffee", "chelsea", "astronaut"]):
        sha, url = originals.add(jpeg(pictures.photo(name)))
        shas.append(sha)
        ingest.handle(event(n, "item.created", "s1", {"item": item(f"i{n}", (sha, url, 600, 600))}))
    worker.start()
    deadline = time.monotonic() + 60
    while any(store.pyramid(s).state != "done" for s in shas):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    worker.shutdown()


@pytest.mark.parametrize("state", ["tiling"])
def test_a_tiling_left_by_a_stopped_process_is_queued_again(store, state):
    store.want("s1", picture("s1", 1), small=False)
    store.claim()
    assert store.recover() == 1 and store.pyramid(picture("s1", 1).sha256).state == "queued"
