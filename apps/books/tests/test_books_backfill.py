"""The backfill's progress, through HTTP: the status the bar follows (behind the view pass),
the count moving, done, and a failed backfill named on the page with a retry."""

import pytest
from emporium_books import books
from emporium_books.config import Config
from emporium_books.web import PURPOSE, build
from emporium_sdk.viewpass import issue_pass
from starlette.testclient import TestClient


@pytest.fixture
def app(tmp_path):
    web = build(Config(platform_url="http://127.0.0.1:9", public_url="http://127.0.0.1:9701",
                       client_id="books", client_secret="s3cret", data_dir=tmp_path / "books"))  # fmt: skip
    web.state.books.store.save_shop("shop-1", "Mei's")
    web.state.books.store.open_accounts("shop-1", books.CHART)
    return web


@pytest.fixture
def seller(app) -> TestClient:
    client = TestClient(app)
    client.view_pass = issue_pass("shop-1", "s3cret", purpose=PURPOSE)
    return client


def status(seller) -> dict:
    response = seller.get("/backfill.json", params={"pass": seller.view_pass})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    return response.json()


def test_the_bar_follows_the_backfill_to_its_end(app, seller):
    store = app.state.books.store
    page = seller.get("/home", params={"pass": seller.view_pass}).text
    assert 'id="backfill-box" data-status="backfill.json?pass=' in page
    assert status(seller) == {"done": False, "seen": 0, "total": None, "running": False,
                              "state": "running", "error": None}  # fmt: skip
    store.set_progress("shop-1", "cursor-1", 100, False)  # a page read
    assert (status(seller)["seen"], status(seller)["state"]) == (100, "running")
    store.set_progress("shop-1", "cursor-2", 250, False)
    assert status(seller)["seen"] == 250
    store.set_progress("shop-1", None, 262, True)
    assert (status(seller)["done"], status(seller)["state"], status(seller)["seen"]) == (
        True, "done", 262,
    )  # fmt: skip
    assert "backfill-box" not in seller.get("/home", params={"pass": seller.view_pass}).text
    # A later catch-up of several pages is no backfill again: the bar does not come back.
    store.set_progress("shop-1", "cursor-3", 400, False)
    assert status(seller)["done"] is True


def test_the_status_is_behind_the_view_pass(seller):
    assert seller.get("/backfill.json", params={"pass": "forged"}).status_code == 401
    assert seller.get("/backfill.json").status_code == 401


def test_a_failed_backfill_is_named_with_a_retry_in_both_languages(app, seller, monkeypatch):
    state = app.state.books
    # The platform cannot be reached (nothing listens on port 9): the catch-up fails, logged.
    assert state.try_catch_up("shop-1") is None
    assert status(seller)["state"] == "failed" and status(seller)["error"]
    page = seller.get("/home", params={"pass": seller.view_pass}).text
    assert '<div id="backfill-failed" role="alert">' in page
    assert "Try again now" in page and 'action="backfill"' in page
    zh = seller.get("/home", params={"pass": seller.view_pass, "lang": "zh-hans"}).text
    assert "立即重试" in zh and "读取店铺的历史中断了" in zh

    asked = []
    monkeypatch.setattr(state, "catch_up_soon", asked.append)
    retried = seller.post("/backfill", data={"pass": seller.view_pass, "lang": "en"},
                          follow_redirects=False)  # fmt: skip
    assert retried.status_code == 303 and retried.headers["location"].startswith("home?pass=")
    assert asked == ["shop-1"]
    assert status(seller)["state"] == "running"  # asked again: no failure until it fails again
    assert seller.post("/backfill", data={"pass": "forged"}).status_code == 401
