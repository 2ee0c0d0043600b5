"""A household member connects the books app as a buyer over real HTTP: their paid orders are
backfilled as Shopping expenses of the household, webhooks keep them current, a second delivery
never doubles one, a refund reverses it, and disconnecting forgets the token."""

import html
import re
from decimal import Decimal

import pytest
from emporium_books import purchases
from emporium_books.web import PURPOSE
from emporium_sdk.viewpass import issue_pass

from emporium.events import dispatcher, endpoints
from emporium.events.models import Delivery
from emporium.live_apps import log_in

pytestmark = pytest.mark.django_db(transaction=True)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def connect_as_buyer(app, live_server, username: str, shop_id: str):
    """The household page's button, the platform's buyer consent (Authorize), back to the app."""
    browser = log_in(live_server.url, username)
    view_pass = issue_pass(shop_id, app.config.client_secret, purpose=PURPOSE)
    consent = browser.post(f"{app.config.public_url}/purchases/connect", data={"pass": view_pass})
    assert consent.status_code == 200 and "/o/authorize/" in str(consent.url)
    assert "buyer:orders:read" in consent.text
    form = {name: html.unescape(value) for name, value in HIDDEN.findall(consent.text)}
    assert form["scope"] == "buyer:orders:read"  # reads orders: never places or pays
    landed = browser.post("/o/authorize/", data=form | {"allow": "Authorize"},
                          headers={"referer": str(consent.url)})  # fmt: skip
    browser.close()
    return landed


def purchase_txns(app, shop_id: str):
    return [t for t in app.store.transactions(shop_id) if (t.source or "").startswith("purchase:")]


def test_a_member_connects_and_their_purchases_keep_themselves_in_the_household_book(
    item, order_in, shop, funded_buyer, live_server, request
):
    from emporium.trade import refunds

    sku = item.skus.first()
    app = request.getfixturevalue("books_app")
    shop_id = str(shop.public_id)
    before = order_in(sku, "paid")  # paid before the member connected: the backfill books it
    order_in(sku, "pending_payment")  # never paid: nothing left the household

    landed = connect_as_buyer(app, live_server, funded_buyer.username, shop_id)
    assert landed.status_code == 200 and str(landed.url).startswith(app.config.public_url)
    assert 'data-figure="purchases-booked">1<' in landed.text
    assert 'data-state="purchases-connected"' in landed.text
    (backfilled,) = purchase_txns(app, shop_id)
    assert backfilled.source == f"purchase:{before.public_id}" and backfilled.book == "personal"
    assert {(leg.account, leg.amount) for leg in backfilled.legs} == {
        (purchases.SHOPPING, Decimal("199.00")), (purchases.PAID_FROM, Decimal("-199.00"))}  # fmt: skip

    # A new order paid after connecting arrives by the buyer-side webhook, once.
    bought = order_in(sku, "shipped")
    dispatcher.run_once()
    sources = [t.source for t in purchase_txns(app, shop_id)]
    assert sources.count(f"purchase:{bought.public_id}") == 1
    for delivery in Delivery.objects.filter(event__topic="order.paid", event__shop__isnull=True):
        assert endpoints.replay(delivery).ok  # a second delivery of every buyer-side event
    assert len(purchase_txns(app, shop_id)) == 2
    assert app.store.balances(shop_id)[purchases.SHOPPING] == Decimal("398.00")

    # A partial refund of the new order: half of it comes back (`order.refunded`).
    partial = refunds.request_refund(bought, funded_buyer, Decimal("50.00"), "a loose thread")
    refunds.agree(partial)
    # A full refund of the order paid before connecting cancels it: all of it comes back.
    refund = refunds.request_refund(before, funded_buyer, Decimal("199.00"), "wrong size")
    refunds.agree(refund)
    dispatcher.run_once()
    buyer_side = Delivery.objects.filter(event__shop__isnull=True,
                                         event__topic__in=["order.refunded", "order.cancelled"])  # fmt: skip
    assert buyer_side.count() >= 3
    for delivery in buyer_side:
        assert endpoints.replay(delivery).ok
    reversals = sorted(t.source for t in purchase_txns(app, shop_id) if ":refund:" in t.source)
    assert reversals == sorted([f"purchase:{before.public_id}:refund:199.00",
                                f"purchase:{bought.public_id}:refund:50.00"])  # fmt: skip
    balances = app.store.balances(shop_id)
    assert balances[purchases.SHOPPING] == Decimal("149.00")
    assert sum(balances.values()) == 0

    # Disconnect: the token is forgotten; what was booked stays.
    buyer_id = purchases.buyers_of(app.store, shop_id)[0]
    assert app.buyer_tokens.load(buyer_id) is not None
    view_pass = issue_pass(shop_id, app.config.client_secret, purpose=PURPOSE)
    import httpx

    page = httpx.post(f"{app.config.public_url}/purchases/disconnect", data={"pass": view_pass},
                      follow_redirects=True, timeout=30)  # fmt: skip
    assert page.status_code == 200 and 'data-state="purchases-connected"' not in page.text
    assert app.buyer_tokens.load(buyer_id) is None and purchases.buyers_of(app.store, shop_id) == []
    assert app.store.balances(shop_id)[purchases.SHOPPING] == Decimal("149.00")


def test_a_forged_pass_or_a_foreign_state_connects_nothing(shop, request):
    import httpx

    app = request.getfixturevalue("books_app")
    refused = httpx.post(f"{app.config.public_url}/purchases/connect", data={"pass": "forged"},
                         timeout=30)  # fmt: skip
    assert refused.status_code == 401
    unknown = httpx.get(f"{app.config.public_url}/oauth/callback",
                        params={"state": "not-ours", "code": "x"}, timeout=30)  # fmt: skip
    assert unknown.status_code == 400
    assert purchases.buyers_of(app.store, str(shop.public_id)) == []
