"""A buyer app's whole journey over real HTTP: a TV (authlib, polling the token endpoint)
authorized from a second browser (Chromium on /device), then ordering and paying — once inside
the daily limit, once confirmed by the buyer on the platform — and receiving `order.paid` by a
signed webhook that the standardwebhooks package verifies."""

import threading
import time

import pytest
import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from standardwebhooks.webhooks import Webhook

from emporium.conftest import PASSWORD
from emporium.ecosystem import buyer_grants
from emporium.ecosystem.registration import register_app
from emporium.events import dispatcher
from emporium.events.models import WebhookEndpoint
from emporium.events.tests.receiver import Receiver
from emporium.trade.models import Order

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("call_log")]

DEVICE = "urn:ietf:params:oauth:grant-type:device_code"
SCOPES = "buyer:profile buyer:addresses buyer:orders:read buyer:orders:write buyer:pay"


class Tv:
    """The device side: authlib's OAuth2Session, polling as RFC 8628 §3.5 asks."""

    def __init__(self, base: str, client_id: str, secret: str):
        self.meta = requests.get(
            f"{base}/.well-known/oauth-authorization-server", timeout=10
        ).json()
        self.session = OAuth2Session(
            client_id, secret, scope=SCOPES, token_endpoint_auth_method="client_secret_basic"
        )
        self.seen: list[str] = []
        self.token: dict | None = None

    def start(self) -> dict:
        answer = self.session.post(
            self.meta["device_authorization_endpoint"],
            data={"client_id": self.session.client_id, "scope": SCOPES},
            auth=(self.session.client_id, self.session.client_secret),
            withhold_token=True,
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def poll(self, device_code: str, interval: int, deadline: float) -> None:
        while time.monotonic() < deadline and self.token is None:
            time.sleep(interval)
            try:
                self.token = self.session.fetch_token(
                    self.meta["token_endpoint"], grant_type=DEVICE, device_code=device_code
                )
            except OAuthError as error:
                self.seen.append(error.error)
                if error.error == "slow_down":
                    interval += 5
                elif error.error != "authorization_pending":
                    return


def log_in(page, member) -> None:
    page.get_by_label("Username").fill(member.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_tv_is_authorized_from_a_phone_then_orders_and_pays(
    live_server, page, developer, funded_buyer, address, item, settings
):
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "DEVICE_FLOW_INTERVAL": 1}
    app, secret = register_app(
        developer,
        name="TV Mall",
        redirect_uris=["https://tv.example.com/cb"],
        scopes=SCOPES.split(),
    )
    receiver = Receiver().start()
    endpoint = WebhookEndpoint.objects.create(app=app, url=receiver.url, topics=["order.paid"])
    tv = Tv(live_server.url, app.client_id, secret)
    codes = tv.start()
    assert codes["verification_uri"] == f"{live_server.url}/device/"
    poller = threading.Thread(
        target=tv.poll, args=(codes["device_code"], codes["interval"], time.monotonic() + 60)
    )
    poller.start()
    try:
        # The buyer scans the QR (verification_uri_complete) on a phone where they log in.
        page.goto(codes["verification_uri_complete"])
        log_in(page, funded_buyer)
        page.wait_for_url("**/device/**")
        assert page.locator("#user-code").input_value() == codes["user_code"]
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/device/confirm/**")
        assert "TV Mall" in page.locator("h1").inner_text()
        assert "Place orders for you" in page.get_by_test_id("consent-scopes").inner_text()
        page.get_by_test_id("spending-limit").fill("250")
        page.get_by_role("button", name="Approve").click()
        page.get_by_test_id("device-outcome").wait_for()
        assert page.get_by_test_id("device-outcome").get_attribute("data-outcome") == "approved"
    finally:
        poller.join(70)
    assert tv.token is not None, tv.seen
    assert set(tv.seen) <= {"authorization_pending", "slow_down"}
    assert "authorization_pending" in tv.seen

    api = f"{live_server.url}/api/v1"
    profile = tv.session.get(f"{api}/me/profile", timeout=10).json()
    assert profile["buyer_id"] == buyer_grants.buyer_app_id(funded_buyer, app)
    (address_row,) = tv.session.get(f"{api}/me/addresses", timeout=10).json()
    sku = item.skus.first()

    def order(quantity: int) -> dict:
        line = {"item_id": str(item.public_id), "sku_id": sku.pk, "quantity": quantity}
        body = {"lines": [line], "address_id": address_row["id"]}
        placed = tv.session.post(f"{api}/me/orders", json=body, timeout=10)
        assert placed.status_code == 201, placed.text
        return placed.json()[0]

    # 199.00 fits under the 250 a day the buyer allowed: paid at once.
    first = order(1)
    paid = tv.session.post(f"{api}/me/orders/{first['id']}/payment-request", timeout=10).json()
    assert paid["status"] == "paid"
    # 398.00 does not: the buyer confirms it on the platform, at the link (or QR) the TV shows.
    second = order(2)
    asked = tv.session.post(f"{api}/me/orders/{second['id']}/payment-request", timeout=10).json()
    assert asked["status"] == "pending"
    assert Order.objects.get(public_id=second["id"]).status == "pending_payment"
    page.goto(asked["confirmation_url"])
    assert "398.00" in page.get_by_test_id("pay-request").inner_text()
    page.get_by_role("button", name="Pay").click()
    page.wait_for_selector('[data-testid="pay-request"][data-status="paid"]')
    assert Order.objects.get(public_id=second["id"]).status == "paid"
    state = tv.session.get(f"{api}/me/orders/{second['id']}", timeout=10).json()
    assert state["status"] == "paid"

    # Both payments reach the app that placed the orders, signed.
    dispatcher.run_once()
    got = [Webhook(endpoint.secret).verify(r.body, r.headers) for r in receiver.received]
    receiver.stop()
    assert sorted(e["data"]["order"]["id"] for e in got) == sorted([first["id"], second["id"]])
    assert {e["type"] if "type" in e else e.get("topic") for e in got} == {"order.paid"}
    assert {e["data"]["buyer_id"] for e in got} == {profile["buyer_id"]}
