"""The TV when things go wrong: the platform unreachable (over HTTP and in the browser), an item
sold out while ordering, an authorization revoked, a device code expired, a forged webhook; each
answered plainly, nothing half-done."""

import dataclasses
import json
import time

import httpx
import pytest
from emporium_sdk import DeviceAuthorization
from emporium_tv.config import Config
from emporium_tv.web import build
from test_tv_journey import COLLECT_ERRORS, TV, _buyer_token, focused

from emporium.ecosystem import buyer_grants
from emporium.live_apps import AppServer, free_port
from emporium.trade import orders
from emporium.trade.models import Order

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_an_unreachable_platform_is_said_plainly(tmp_path):
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    config = Config(platform_url=nowhere, client_id="x", client_secret="y", data_dir=tmp_path)
    server = AppServer(build(config), free_port()).start()
    try:
        answer = httpx.get(f"{server.url}/data/home", cookies={"tv": "sofa"}, timeout=60)
        page = httpx.get(f"{server.url}/", timeout=30)
    finally:
        server.stop()
    assert answer.status_code == 503 and answer.json()["error"]["code"] == "unreachable"
    assert page.status_code == 200 and "tv.js" in page.text  # the page itself never goes blank


def test_a_revoked_authorization_signs_the_tv_out_with_a_message(tv, funded_buyer, address):
    tv.mall.tokens.save("sofa", _buyer_token(tv, funded_buyer))
    cookies = {"tv": "sofa"}
    assert httpx.get(f"{tv.url}/data/checkout", cookies=cookies, timeout=30).status_code == 200
    buyer_grants.revoke(funded_buyer, tv.app)
    refused = httpx.get(f"{tv.url}/data/checkout", cookies=cookies, timeout=30)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "signed_out"
    assert tv.mall.tokens.load("sofa") is None
    home = httpx.get(f"{tv.url}/data/home", cookies=cookies, timeout=30).json()
    assert home["signed_in"] is False and home["notice"] == "revoked"


def test_an_expired_device_code_is_replaced_by_itself(tv):
    cookies = {"tv": "sofa"}
    first = httpx.post(f"{tv.url}/data/pairing", cookies=cookies, timeout=30).json()
    assert first["state"] == "waiting" and len(first["user_code"]) == 9
    code = tv.mall.store.pairing("sofa")
    expired = DeviceAuthorization(**{**vars(code), "expires_at": time.time() - 1})
    tv.mall.store.save_pairing("sofa", expired)
    second = httpx.post(f"{tv.url}/data/pairing", cookies=cookies, timeout=30).json()
    assert second["state"] == "waiting" and second["user_code"] != first["user_code"]


def test_a_forged_webhook_is_refused_and_changes_nothing(tv):
    body = json.dumps({"id": "evt_x", "type": "order.paid", "version": 1, "shop_id": None,
                       "occurred_at": "2026-01-01T00:00:00Z",
                       "data": {"order": {"id": "ord"}}})  # fmt: skip
    headers = {"webhook-id": "evt_x", "webhook-timestamp": str(int(time.time())),
               "webhook-signature": "v1,AAAA"}  # fmt: skip
    answer = httpx.post(f"{tv.url}/webhooks", content=body, headers=headers, timeout=30)
    assert answer.status_code == 400
    assert tv.mall.store.order_status("ord") is None


def test_bad_order_input_is_refused_before_the_platform(tv):
    for body in ({}, {"item_id": "x", "sku_id": "a", "quantity": 1, "address_id": 1, "key": "k" * 9},
                 {"item_id": "x", "sku_id": 1, "quantity": 100, "address_id": 1, "key": "k" * 9},
                 {"item_id": "x", "sku_id": 1, "quantity": 1, "address_id": 1, "key": "short"}):  # fmt: skip
        answer = httpx.post(f"{tv.url}/data/orders", json=body, cookies={"tv": "sofa"}, timeout=30)
        assert answer.status_code == 400, body


def _open_tv(chromium, tv, sofa: str | None = None):
    """The TV page in a 1920 x 1080 context, signed in as the TV `sofa` when given."""
    context = chromium.new_context(viewport=TV, locale="en-GB")
    if sofa:
        context.add_cookies([{"name": "tv", "value": sofa, "url": tv.url}])
    screen = context.new_page()
    screen.set_default_timeout(15_000)
    screen.add_init_script(COLLECT_ERRORS)
    screen.goto(tv.url)
    screen.wait_for_function("window.__tv.ready")
    return screen


def _banner(screen) -> str:
    return screen.evaluate("document.getElementById('banner').hidden ? '' : banner.textContent")


def test_an_item_sold_out_while_ordering_says_so_and_goes_back_to_the_item(
    tv, chromium, hot_item, funded_buyer, address, make_member_with_wallet, address_for
):
    tv.mall.tokens.save("sofa", _buyer_token(tv, funded_buyer))
    screen = _open_tv(chromium, tv, sofa="sofa")
    keys = screen.keyboard
    keys.press("Enter")  # the hot dress
    screen.get_by_test_id("item").wait_for()
    chosen = dict(
        screen.locator('[data-option][aria-pressed="true"]').evaluate_all(
            "chips => chips.map(c => [c.dataset.option, c.dataset.value])"
        )
    )
    assert focused(screen, "data-option") == "Size"
    keys.press("Enter")  # her size as it is
    keys.press("Enter")  # Order
    screen.get_by_test_id("place-order").wait_for()

    # Someone else takes the last ones of her SKU while she looks at the total.
    (sku,) = [s for s in hot_item.skus.all() if s.options == chosen]
    dora = make_member_with_wallet("dora")
    orders.checkout(dora, address_for(dora), [(sku, sku.stock)])
    assert focused(screen) == "place"
    keys.press("Enter")

    # A clear message, on the item screen again, which now says the SKU is sold out, with the
    # focus on her (sold-out) size, so that one press along the sizes and OK lead to Order.
    screen.wait_for_function("document.activeElement.dataset.option === 'Size'")
    screen.get_by_test_id("item").wait_for()
    assert _banner(screen) == "Sorry, this one sold out in the meantime."
    assert screen.get_by_test_id("stock").inner_text() == "Sold out"
    assert focused(screen, "data-value") == chosen["Size"]
    assert screen.get_by_test_id("buy").get_attribute("aria-disabled") == "true"
    keys.press("ArrowRight" if chosen["Size"] == "S" else "ArrowLeft")
    keys.press("Enter")
    assert focused(screen) == "buy"
    assert screen.get_by_test_id("buy").get_attribute("aria-disabled") == "false"
    assert Order.objects.filter(buyer=funded_buyer).count() == 0
    assert screen.evaluate("window.__errors") == []


def test_an_unreachable_platform_keeps_the_focus_and_the_tv_retries_by_itself(
    tv, chromium, hot_item, monkeypatch
):
    screen = _open_tv(chromium, tv)
    card = str(hot_item.public_id)
    assert focused(screen, "data-item") == card
    # The platform goes away (nothing listens where the app now calls it), and OK is pressed.
    nowhere = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setattr(
        tv.mall, "config", dataclasses.replace(tv.mall.config, platform_url=nowhere)
    )
    screen.keyboard.press("Enter")
    screen.wait_for_function("!document.getElementById('banner').hidden")
    assert _banner(screen) == "The mall cannot be reached just now. Trying again…"
    screen.wait_for_timeout(4_000)  # at least one retry fails too
    assert _banner(screen).startswith("The mall cannot be reached")
    assert focused(screen, "data-item") == card  # the screen and its focus stay as they were
    assert screen.get_by_test_id("item").count() == 0

    # The platform is back: the next retry opens the item, with no key pressed.
    monkeypatch.undo()
    screen.get_by_test_id("item").wait_for(timeout=10_000)
    assert screen.get_by_test_id("item-title").inner_text() == hot_item.title
    assert _banner(screen) == ""
    assert focused(screen, "data-option") == "Size"
    assert screen.evaluate("window.__errors") == []
