"""The app catches up by itself: at start (after downtime, or a backfill a restart cut off) and
on its schedule, never by a test calling `catch_up()`: a movement whose webhook never reached
the app is booked all the same."""

import time
from decimal import Decimal

import httpx
import pytest
from emporium_books import books, ingest
from emporium_books.store import Store
from emporium_books.web import PURPOSE, build
from emporium_sdk.viewpass import issue_pass

from emporium.finance.wallets import withdraw
from emporium.live_apps import AppServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def books_feed_seconds() -> float:
    return 0.5  # the schedule, short for the test (the app's default is ten minutes)


def platform_balance(app, shop_id: str) -> Decimal:
    with app.client(shop_id) as client:
        return Decimal(client.finance.get_balance().available.amount)


def eventually(check, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds}s: {what}")
        time.sleep(0.1)


def booked(app, shop_id: str) -> set[str]:
    return {
        t.source for t in app.store.transactions(shop_id) if (t.source or "").startswith("btx_")
    }


def test_movements_whose_webhooks_never_came_are_booked_by_the_schedule_and_at_start(
    item, order_in, seller, shop, request
):
    order_in(item.skus.first(), "settled")
    server = request.getfixturevalue("books_server")
    app = server.app.state.books
    shop_id = str(shop.public_id)
    eventually(lambda: app.store.balances(shop_id).get(books.PLATFORM_BALANCE) == Decimal("189.05"),
               "the install's backfill")  # fmt: skip

    # A withdrawal while the app is up, its webhook never delivered (the dispatcher not run).
    withdraw(seller, "50.00", "6222 0000")
    eventually(lambda: app.store.balances(shop_id).get(books.BANK) == Decimal("50.00"),
               "the withdrawal booked by the scheduled catch-up")  # fmt: skip

    # Down: a withdrawal meanwhile; up again: booked at start, no webhook, no hand.
    server.stop()
    withdraw(seller, "30.00", "6222 0000")
    server.start()
    eventually(lambda: app.store.balances(shop_id).get(books.BANK) == Decimal("80.00"),
               "the withdrawal made while the app was down")  # fmt: skip
    balances = app.store.balances(shop_id)
    assert balances[books.PLATFORM_BALANCE] == platform_balance(app, shop_id) == Decimal("109.05")
    assert sum(balances.values()) == 0


def test_a_restart_resumes_a_backfill_it_cut_off_from_its_cursor(
    item, order_in, seller, shop, request, monkeypatch
):
    sku = item.skus.first()
    for _ in range(3):
        order_in(sku, "settled")
    withdraw(seller, "50.00", "6222 0000")
    monkeypatch.setattr(ingest, "PAGE", 1)  # a page a movement: four pages of history
    record_all = Store.record_all
    pages: list[list[str]] = []
    dead = {"now": False}

    def recording(store, shop_id, drafts):
        sources = [d.source for d in drafts if (d.source or "").startswith("btx_")]
        if sources:
            if dead["now"] in (None, "died"):  # the first process dies after its second page
                dead["now"] = "died"
                raise RuntimeError("the process died")
            pages.append(sources)
            if len(pages) == 2 and dead["now"] is False:
                dead["now"] = None
        return record_all(store, shop_id, drafts)

    monkeypatch.setattr(Store, "record_all", recording)
    server = request.getfixturevalue("books_server")
    app = server.app.state.books
    shop_id = str(shop.public_id)
    eventually(lambda: dead["now"] == "died", "two pages read, then the process died")
    server.stop()
    cut = app.store.shop(shop_id)
    assert cut is not None and not cut.backfilled and cut.cursor
    assert len(booked(app, shop_id)) == 2

    # The restart: a new process over the same data, nothing asked of it.
    dead["now"] = True
    again = AppServer(build(app.config), server.port).start()
    try:
        restarted = again.app.state.books
        eventually(lambda: (s := restarted.store.shop(shop_id)) is not None and s.backfilled,
                   "the backfill resumed and finished")  # fmt: skip
        assert len(booked(restarted, shop_id)) == 4  # 3 settlements and the withdrawal
        first, second = pages[0][0], pages[1][0]
        assert first not in [s for page in pages[2:] for s in page]  # from the cursor, not anew
        assert second in booked(restarted, shop_id)
        balances = restarted.store.balances(shop_id)
        assert balances[books.PLATFORM_BALANCE] == platform_balance(restarted, shop_id)
        view_pass = issue_pass(shop_id, app.config.client_secret, purpose=PURPOSE)
        status = httpx.get(f"{again.url}/backfill.json", params={"pass": view_pass}).json()
        assert (status["done"], status["state"], status["error"]) == (True, "done", None)
    finally:
        again.stop()


@pytest.mark.parametrize("books_feed_seconds", [3600])  # no round retries it before the seller
def test_the_bar_counts_the_history_names_a_failure_and_its_retry_ends_it(
    page, item, order_in, seller, shop, request, monkeypatch, books_feed_seconds
):
    import threading

    from books_live import open_books
    from playwright.sync_api import expect

    for _ in range(3):
        order_in(item.skus.first(), "settled")
    monkeypatch.setattr(ingest, "PAGE", 1)
    record_all = Store.record_all
    go, calls = threading.Event(), {"pages": 0}

    def halting(store, shop_id, drafts):
        if any((d.source or "").startswith("btx_") for d in drafts):
            calls["pages"] += 1
            if calls["pages"] == 2:  # the second page waits for the test, then fails
                go.wait(60)
                raise RuntimeError("the platform went away")
        return record_all(store, shop_id, drafts)

    monkeypatch.setattr(Store, "record_all", halting)
    request.getfixturevalue("books_server")
    app = open_books(page, seller)
    box = app.locator("#backfill-box")
    expect(app.locator("[data-figure=seen]")).to_have_text("1")  # a page read, the next held
    expect(app.get_by_text("Reading the shop's history", exact=True)).to_be_visible()
    go.set()
    expect(app.get_by_role("alert")).to_contain_text("the platform went away")
    expect(app.locator("#backfill")).to_be_hidden()
    app.get_by_role("button", name="Try again now").click()
    expect(box).to_have_count(0, timeout=20_000)  # read to the end: the page shows the figures
    expect(app.locator("[data-figure=income]").first).to_have_text("597.00")
