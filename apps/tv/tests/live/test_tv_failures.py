"""The TV when things go wrong: the platform unreachable, an authorization revoked, a device code
expired, a forged webhook; each answered plainly, nothing half-done."""

import json
import time

import httpx
import pytest
from emporium_sdk import DeviceAuthorization
from emporium_tv.config import Config
from emporium_tv.web import build
from test_tv_journey import _buyer_token

from emporium.ecosystem import buyer_grants
from emporium.live_apps import AppServer, free_port

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
