"""The catalog a buyer app browses: hot sellers over a recent window (overall and per category),
one item with its prices now, and the storefront's search — with a buyer's token or the app's."""

from datetime import timedelta
from decimal import Decimal

import pytest

from emporium.api.tests.conftest import Api, error_of
from emporium.catalog.models import Item
from emporium.lib import clock
from emporium.promotions.activities import create_discount
from emporium.trade.models import Order


@pytest.fixture
def buyer_token_api(buyer, make_token) -> Api:
    return Api(make_token(buyer, "buyer:profile catalog:read"))


def test_hot_sellers_count_paid_units_in_the_window_overall_and_per_category(
    buyer_token_api, shop, make_item, phones, order_in
):
    dress = make_item(shop, title="Dress", stock=50)
    phone = make_item(shop, title="Phone", category=phones, stock=50)
    quiet = make_item(shop, title="Quiet", stock=50)
    order_in(dress.skus.first(), "paid", quantity=2)
    order_in(phone.skus.first(), "paid", quantity=3)
    old = order_in(quiet.skus.first(), "paid", quantity=9)
    Order.objects.filter(pk=old.pk).update(paid_at=clock.now() - timedelta(days=30))
    order_in(quiet.skus.first(), "pending_payment", quantity=5)  # unpaid: not a sale

    rows = buyer_token_api.get("/catalog/hot", {"days": 7}).json()
    assert [(r["item"]["title"], r["sold_recently"]) for r in rows] == [("Phone", 3), ("Dress", 2)]
    women = buyer_token_api.get("/catalog/hot", {"category": "women"}).json()
    assert [r["item"]["title"] for r in women] == ["Dress"]
    month = buyer_token_api.get("/catalog/hot", {"days": 31}).json()
    assert month[0]["item"]["title"] == "Quiet"
    error_of(buyer_token_api.get("/catalog/hot", {"category": "nope"}), 422, "validation_error")
    error_of(buyer_token_api.get("/catalog/hot", {"days": 0}), 422, "validation_error")


@pytest.fixture
def frozen():
    clock.set_time(clock.now())
    yield
    clock.set_time(None)


def test_the_hot_list_is_built_at_most_every_30_seconds_and_alike_for_every_caller(
    buyer_token_api, make_token, shop, make_item, order_in, frozen, settings
):
    assert settings.API_HOT_ITEMS_SECONDS == 30
    dress = make_item(shop, title="Dress", stock=50)
    order_in(dress.skus.first(), "paid", quantity=2)
    first = buyer_token_api.get("/catalog/hot")
    assert [r["sold_recently"] for r in first.json()] == [2]
    order_in(dress.skus.first(), "paid", quantity=3)
    clock.advance(timedelta(seconds=29))
    # The app signed out (its own token), a moment later: the same list, not yet the new sale.
    other = Api(make_token(None, "catalog:read")).get("/catalog/hot")
    assert other.content == first.content
    clock.advance(timedelta(seconds=1))
    assert [r["sold_recently"] for r in buyer_token_api.get("/catalog/hot").json()] == [5]
    # Another window or length is another list; a bad category is refused, cached or not.
    assert buyer_token_api.get("/catalog/hot", {"limit": 1}).json()[0]["sold_recently"] == 5
    error_of(buyer_token_api.get("/catalog/hot", {"category": "nope"}), 422, "validation_error")


def test_an_item_shows_its_promotion_price_and_stock(buyer_token_api, shop, item):
    now = clock.now()
    create_discount(
        shop, name="Spring", percent_off=Decimal("10"), items=[item],
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
    )  # fmt: skip
    got = buyer_token_api.get(f"/catalog/items/{item.public_id}").json()
    sku = got["skus"][0]
    assert sku["list_price"]["amount"] == "199.00"
    assert sku["price"]["amount"] == "179.10"
    assert sku["promotion"] == "discount"
    assert sku["stock"] == item.skus.first().stock
    assert got["price"]["amount"] == "179.10"


def test_an_item_off_sale_is_not_found(buyer_token_api, shop, make_item):
    hidden = make_item(shop, title="Hidden", status=Item.Status.STOCK_ROOM)
    error_of(buyer_token_api.get(f"/catalog/items/{hidden.public_id}"), 404, "not_found")


def test_search_uses_the_storefront_filters_and_pages(buyer_token_api, shop, make_item):
    for n in range(3):
        make_item(shop, title=f"Linen dress {n}", price=f"{100 + n}.00")
    make_item(shop, title="Wool coat", price="500.00")
    found = buyer_token_api.get("/catalog/search", {"q": "linen", "sort": "price_desc", "limit": 2})
    body = found.json()
    assert [r["title"] for r in body["data"]] == ["Linen dress 2", "Linen dress 1"]
    rest = buyer_token_api.get(
        "/catalog/search", {"q": "linen", "sort": "price_desc", "limit": 2,
                            "cursor": body["next_cursor"]}
    ).json()  # fmt: skip
    assert [r["title"] for r in rest["data"]] == ["Linen dress 0"]
    assert rest["next_cursor"] is None
    cheap = buyer_token_api.get("/catalog/search", {"max_price": "101"}).json()["data"]
    assert {r["title"] for r in cheap} == {"Linen dress 0", "Linen dress 1"}
    error_of(buyer_token_api.get("/catalog/search", {"cursor": "bad"}), 422, "invalid_cursor")
