"""The buyer API under /me: profile, addresses, orders placed through the storefront's checkout,
payment inside the daily limit or confirmed on the platform, and buyer-side events to the app."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from emporium.api.tests.conftest import Api, error_of, make_app
from emporium.conftest import make_member
from emporium.ecosystem import buyer_grants
from emporium.ecosystem.models import AppOrder, PaymentRequest
from emporium.events.models import Event
from emporium.lib import clock
from emporium.trade import orders as trading
from emporium.trade.models import Order

BUYER_SCOPES = "buyer:profile buyer:addresses buyer:orders:read buyer:orders:write buyer:pay"


@pytest.fixture
def tv(developer):
    return make_app(developer, name="TV Mall")


@pytest.fixture
def grant_for(tv, make_token):
    """A buyer's consent to the TV app with a daily limit, and a token of it."""

    def grant(member, limit: str = "0", scope: str = BUYER_SCOPES, app=None) -> Api:
        buyer_grants.consent(member, app or tv, scope.split(), Decimal(limit))
        return Api(make_token(member, scope, for_app=app or tv))

    return grant


def place(api: Api, item, address, quantity: int = 1, **headers):
    sku = item.skus.first()
    body = {
        "lines": [{"item_id": str(item.public_id), "sku_id": sku.pk, "quantity": quantity}],
        "address_id": address.pk,
    }
    return api.post("/me/orders", body, **headers)


def test_profile_and_addresses(funded_buyer, address, grant_for, tv):
    api = grant_for(funded_buyer)
    profile = api.get("/me/profile")
    assert profile.status_code == 200
    assert profile.json()["buyer_id"] == buyer_grants.buyer_app_id(funded_buyer, tv)
    addresses = api.get("/me/addresses").json()
    assert [a["id"] for a in addresses] == [address.pk]
    assert addresses[0]["city"] == "Hangzhou"


def test_a_buyer_app_places_an_order_through_the_storefront_checkout(
    funded_buyer, address, item, grant_for, tv
):
    api = grant_for(funded_buyer)
    stock = item.skus.first().stock
    response = place(api, item, address, quantity=2, HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201, response.content
    (order,) = response.json()
    assert order["status"] == "pending_payment"
    assert order["placed_by_this_app"] is True
    assert order["total_amount"]["amount"] == "398.00"
    assert item.skus.first().stock == stock - 2  # reserved, as the storefront does
    again = place(api, item, address, quantity=2, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.json() == response.json()
    assert Order.objects.filter(buyer=funded_buyer).count() == 1
    assert AppOrder.objects.get().app == tv
    mine = api.get("/me/orders").json()["data"]
    assert [o["id"] for o in mine] == [order["id"]]


def test_bad_order_input_is_refused_and_nothing_is_made(funded_buyer, address, item, grant_for):
    api = grant_for(funded_buyer)
    sku = item.skus.first()
    wrong_sku = {"lines": [{"item_id": str(item.public_id), "sku_id": sku.pk + 999,
                            "quantity": 1}], "address_id": address.pk}  # fmt: skip
    error_of(api.post("/me/orders", wrong_sku), 422, "validation_error")
    other = make_member("olga")
    from emporium.members.models import Address

    theirs = Address.objects.create(member=other, recipient="O", phone="1", province="P",
                                    city="C", street="S")  # fmt: skip
    body = {"lines": [{"item_id": str(item.public_id), "sku_id": sku.pk, "quantity": 1}],
            "address_id": theirs.pk}  # fmt: skip
    assert error_of(api.post("/me/orders", body), 422, "validation_error")["field"] == "address_id"
    too_many = {"lines": [{"item_id": str(item.public_id), "sku_id": sku.pk, "quantity": 50}],
                "address_id": address.pk}  # fmt: skip
    assert api.post("/me/orders", too_many).status_code == 409
    assert not Order.objects.exists()


def test_inside_the_limit_the_app_pays_at_once_and_the_app_hears_order_paid(
    funded_buyer, address, item, grant_for, tv
):
    api = grant_for(funded_buyer, limit="500")
    (order,) = place(api, item, address).json()
    paid = api.post(f"/me/orders/{order['id']}/payment-request")
    assert paid.status_code == 201, paid.content
    assert paid.json()["status"] == "paid"
    assert paid.json()["within_limit"] is True
    assert paid.json()["confirmation_url"] is None
    assert Order.objects.get(public_id=order["id"]).status == "paid"
    event = Event.objects.get(topic="order.paid", app=tv)
    assert event.shop is None
    assert event.data["buyer_id"] == buyer_grants.buyer_app_id(funded_buyer, tv)
    assert event.data["order"]["id"] == order["id"]
    # The next one does not fit in what is left of today's 500.
    (second,) = place(api, item, address, quantity=2).json()
    waiting = api.post(f"/me/orders/{second['id']}/payment-request").json()
    assert waiting["status"] == "pending"
    assert waiting["confirmation_url"].endswith(f"/pay/{waiting['id']}/")


def test_over_the_limit_the_buyer_confirms_on_the_platform(
    funded_buyer, address, item, grant_for, books_balance
):
    api = grant_for(funded_buyer, limit="0")
    (order,) = place(api, item, address).json()
    asked = api.post(f"/me/orders/{order['id']}/payment-request")
    assert asked.status_code == 200
    assert asked.json()["status"] == "pending"
    assert api.post(f"/me/orders/{order['id']}/payment-request").json()["id"] == asked.json()["id"]
    assert Order.objects.get(public_id=order["id"]).status == "pending_payment"

    browser = Client()
    browser.force_login(funded_buyer)
    url = reverse("pay_request", args=[asked.json()["id"]])
    page = browser.get(url)
    assert "TV Mall" in page.content.decode()
    assert "<svg" in page.content.decode()  # the QR of this page
    browser.post(url, {"action": "confirm"})
    assert Order.objects.get(public_id=order["id"]).status == "paid"
    assert PaymentRequest.objects.get().status == "paid"
    books_balance()
    apps_page = browser.get(reverse("connected_apps")).content.decode()
    assert "TV Mall" in apps_page and order["number"] in apps_page


def test_unconfirmed_the_order_stays_unpaid_and_cancels_on_the_usual_timer(
    funded_buyer, address, item, grant_for
):
    api = grant_for(funded_buyer, limit="0")
    (order,) = place(api, item, address).json()
    api.post(f"/me/orders/{order['id']}/payment-request")
    clock.set_time(clock.now() + trading.payment_window() + timedelta(minutes=1))
    try:
        assert trading.cancel_overdue_orders() == 1
    finally:
        clock.set_time(None)
    assert Order.objects.get(public_id=order["id"]).status == "cancelled"


def test_someone_elses_order_or_payment_request_is_not_found(
    funded_buyer, address, item, grant_for, make_member_with_wallet, address_for
):
    api = grant_for(funded_buyer, limit="0")
    (order,) = place(api, item, address).json()
    asked = api.post(f"/me/orders/{order['id']}/payment-request").json()
    carol = make_member_with_wallet("carol")
    address_for(carol)
    carol_api = grant_for(carol, limit="5000")
    error_of(carol_api.post(f"/me/orders/{order['id']}/payment-request"), 404, "not_found")
    error_of(carol_api.get(f"/me/orders/{order['id']}"), 404, "not_found")
    browser = Client()
    browser.force_login(carol)
    url = reverse("pay_request", args=[asked["id"]])
    assert browser.get(url).status_code == 404
    assert browser.post(url, {"action": "confirm"}).status_code == 404
    assert Order.objects.get(public_id=order["id"]).status == "pending_payment"


def test_a_revoked_app_is_refused_and_its_waiting_payment_cannot_be_confirmed(
    funded_buyer, address, item, grant_for, tv
):
    api = grant_for(funded_buyer, limit="0")
    (order,) = place(api, item, address).json()
    asked = api.post(f"/me/orders/{order['id']}/payment-request").json()
    buyer_grants.revoke(funded_buyer, tv)
    error_of(api.post(f"/me/orders/{order['id']}/payment-request"), 401, "invalid_token")
    browser = Client()
    browser.force_login(funded_buyer)
    browser.post(reverse("pay_request", args=[asked["id"]]), {"action": "confirm"})
    assert Order.objects.get(public_id=order["id"]).status == "pending_payment"
    assert PaymentRequest.objects.get().status == "void"


def test_a_shop_token_is_refused_on_me_and_a_buyer_token_on_shop_routes(
    funded_buyer, seller, shop, grant_for, make_token
):
    shop_api = Api(make_token(seller))
    error_of(shop_api.get("/me/profile"), 403, "buyer_required")
    buyer_api = grant_for(funded_buyer)
    assert buyer_api.get("/orders").status_code == 403
    assert buyer_api.get("/shop").status_code == 403


def test_confirm_receipt_through_the_app(funded_buyer, address, item, grant_for):
    api = grant_for(funded_buyer, limit="1000")
    (order,) = place(api, item, address).json()
    api.post(f"/me/orders/{order['id']}/payment-request")
    trading.ship(Order.objects.get(public_id=order["id"]), "SF Express", "SF1")
    done = api.post(f"/me/orders/{order['id']}/confirm-receipt")
    assert done.status_code == 200, done.content
    assert done.json()["status"] in ("completed", "settled")


def test_the_feed_gives_a_buyer_token_the_events_of_the_orders_its_app_placed(
    funded_buyer, address, item, grant_for, tv, make_token, seller, shop
):
    from emporium.events import dispatcher

    api = grant_for(funded_buyer, limit="500", scope=BUYER_SCOPES + " buyer:orders:read")
    (order,) = place(api, item, address).json()
    api.post(f"/me/orders/{order['id']}/payment-request")
    dispatcher.publish()
    feed = api.get("/events").json()
    assert [(e["type"], e["data"]["order"]["id"]) for e in feed["data"]] == [
        ("order.paid", order["id"])
    ]
    # Not a shop's feed: a seller's token of the same app sees none of it.
    shop_feed = Api(make_token(seller, "orders:read")).get("/events").json()
    assert all(e["data"].get("buyer_id") is None for e in shop_feed["data"])


def test_each_buyer_of_an_app_has_its_own_rate_limit(
    funded_buyer, grant_for, make_member_with_wallet, settings
):
    settings.API_RATE_LIMITS = {"free": (2, 60), "standard": (2, 60), "premium": (2, 60)}
    bob = grant_for(funded_buyer)
    carol = grant_for(make_member_with_wallet("carol"))
    assert [bob.get("/me/profile").status_code for _ in range(3)] == [200, 200, 429]
    assert carol.get("/me/profile").status_code == 200
