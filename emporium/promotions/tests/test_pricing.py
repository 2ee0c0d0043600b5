"""Promotions apply in the documented order, and checkout charges what the quote showed."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from emporium.lib import clock
from emporium.promotions import activities
from emporium.promotions.activities import PromotionError
from emporium.promotions.pricing import quote_shop, unit_prices
from emporium.trade import orders
from emporium.trade.states import TradeError

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
WEEK = {"starts_at": NOW - timedelta(days=1), "ends_at": NOW + timedelta(days=6)}


@pytest.fixture(autouse=True)
def fixed_time():
    clock.set_time(NOW)
    yield
    clock.set_time(None)


@pytest.fixture
def dress(shop, make_item):
    return make_item(shop, title="Dress", price="200.00", stock=20).skus.get()


def test_an_item_discount_takes_its_percentage_off(shop, dress):
    activities.create_discount(
        shop, name="Summer", percent_off=Decimal("15"), items=[dress.item], **WEEK
    )
    price = unit_prices([dress], NOW)[dress.pk]
    assert (price.list_price, price.price, price.label) == (
        Decimal("200.00"),
        Decimal("170.00"),
        "Summer",
    )


def test_a_discount_outside_its_time_box_does_nothing(shop, dress):
    later = {"starts_at": NOW + timedelta(days=1), "ends_at": NOW + timedelta(days=2)}
    activities.create_discount(
        shop, name="Later", percent_off=Decimal("15"), items=[dress.item], **later
    )
    assert unit_prices([dress], NOW)[dress.pk].price == Decimal("200.00")


def test_a_flash_sale_beats_the_item_discount(shop, dress):
    activities.create_discount(
        shop, name="Summer", percent_off=Decimal("15"), items=[dress.item], **WEEK
    )
    activities.create_flash_sale(
        shop,
        name="Flash",
        sku=dress,
        flash_price=Decimal("99.00"),
        stock_limit=2,
        per_buyer_limit=1,
        **WEEK,
    )
    assert unit_prices([dress], NOW)[dress.pk].price == Decimal("99.00")


def test_threshold_then_coupon_apply_in_order_and_share_across_lines(shop, make_item, buyer):
    a = make_item(shop, title="A", price="100.00").skus.get()
    b = make_item(shop, title="B", price="200.00").skus.get()
    activities.create_threshold(
        shop, name="300-30", min_spend=Decimal("300"), amount_off=Decimal("30"), **WEEK
    )
    batch = activities.create_coupons(
        shop,
        name="Ten off",
        amount_off=Decimal("10"),
        min_spend=Decimal("250"),
        total_count=5,
        **WEEK,
    )
    coupon = activities.claim_coupon(batch, buyer)
    quote = quote_shop(shop, [(a, 1), (b, 1)], NOW, coupon=coupon)
    assert (quote.items_amount, quote.threshold_amount, quote.coupon_amount) == (
        Decimal("300.00"), Decimal("30"), Decimal("10"),
    )  # fmt: skip
    assert quote.total_amount == Decimal("260.00")
    assert [line.discount_share for line in quote.lines] == [Decimal("13.33"), Decimal("26.67")]
    assert sum(line.total for line in quote.lines) == quote.total_amount


def test_a_coupon_below_its_minimum_after_the_threshold_is_not_applied(shop, dress, buyer):
    activities.create_threshold(
        shop, name="200-30", min_spend=Decimal("200"), amount_off=Decimal("30"), **WEEK
    )
    batch = activities.create_coupons(
        shop, name="Big", amount_off=Decimal("20"), min_spend=Decimal("190"), total_count=5, **WEEK
    )
    quote = quote_shop(shop, [(dress, 1)], NOW, coupon=activities.claim_coupon(batch, buyer))
    assert quote.coupon is None and quote.notes == ["coupon_min_spend"]


def test_checkout_charges_exactly_the_quote(shop, dress, funded_buyer, address):
    activities.create_discount(
        shop, name="Summer", percent_off=Decimal("10"), items=[dress.item], **WEEK
    )
    activities.create_threshold(
        shop, name="300-25", min_spend=Decimal("300"), amount_off=Decimal("25"), **WEEK
    )
    quote = quote_shop(shop, [(dress, 2)], NOW)
    (order,) = orders.checkout(funded_buyer, address, [(dress, 2)])
    assert order.total_amount == quote.total_amount == Decimal("335.00")
    assert order.items_amount - order.discount_amount == order.total_amount
    line = order.lines.get()
    assert (line.list_price, line.unit_price, line.total_amount) == (
        Decimal("200.00"), Decimal("180.00"), Decimal("335.00"),
    )  # fmt: skip
    assert [p["kind"] for p in order.promotions] == ["discount", "threshold"]


def test_coupons_run_out_and_are_one_per_buyer(shop, buyer, other_seller):
    batch = activities.create_coupons(
        shop, name="One", amount_off=Decimal("5"), min_spend=Decimal("0"), total_count=1, **WEEK
    )
    activities.claim_coupon(batch, buyer)
    with pytest.raises(PromotionError) as twice:
        activities.claim_coupon(batch, buyer)
    assert twice.value.code == "already_claimed"
    with pytest.raises(PromotionError) as gone:
        activities.claim_coupon(batch, other_seller)
    assert gone.value.code == "sold_out"


def test_a_used_coupon_returns_when_the_unpaid_order_is_cancelled(
    shop, dress, funded_buyer, address
):
    batch = activities.create_coupons(
        shop, name="Five", amount_off=Decimal("5"), min_spend=Decimal("0"), total_count=3, **WEEK
    )
    coupon = activities.claim_coupon(batch, funded_buyer)
    (order,) = orders.checkout(funded_buyer, address, [(dress, 1)], coupons={shop.pk: coupon})
    assert order.total_amount == Decimal("195.00")
    with pytest.raises(TradeError) as again:
        orders.checkout(funded_buyer, address, [(dress, 1)], coupons={shop.pk: coupon})
    assert again.value.code == "coupon_used"
    orders.cancel_unpaid(order, "buyer")
    coupon.refresh_from_db()
    assert coupon.used_at is None


def test_a_flash_sale_sells_only_its_own_units(shop, dress, make_member_with_wallet, address_for):
    sale = activities.create_flash_sale(
        shop,
        name="Flash",
        sku=dress,
        flash_price=Decimal("99.00"),
        stock_limit=2,
        per_buyer_limit=1,
        **WEEK,
    )
    first, second, third = (make_member_with_wallet(n) for n in ("ann", "ben", "cat"))
    for buyer in (first, second):
        (order,) = orders.checkout(buyer, address_for(buyer), [(dress, 1)])
        assert order.total_amount == Decimal("99.00")
    (late,) = orders.checkout(third, address_for(third), [(dress, 1)])
    assert late.total_amount == Decimal("200.00"), "after the flash units the normal price applies"
    sale.refresh_from_db()
    assert sale.sold_count == 2


def test_a_flash_sale_limits_each_buyer(shop, dress, funded_buyer, address):
    activities.create_flash_sale(
        shop,
        name="Flash",
        sku=dress,
        flash_price=Decimal("99.00"),
        stock_limit=5,
        per_buyer_limit=1,
        **WEEK,
    )
    (order,) = orders.checkout(funded_buyer, address, [(dress, 2)])
    assert order.total_amount == Decimal("299.00"), "one at the flash price, one at the usual"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"percent_off": Decimal("95")}, "percent_off"),
        ({"starts_at": NOW, "ends_at": NOW}, "ends_at"),
        ({"items": []}, "items"),
    ],
)
def test_a_bad_discount_is_refused_with_the_field_named(shop, dress, kwargs, field):
    args = {"name": "Bad", "percent_off": Decimal("10"), "items": [dress.item], **WEEK, **kwargs}
    with pytest.raises(PromotionError) as refused:
        activities.create_discount(shop, **args)
    assert refused.value.field == field


def test_a_seller_cannot_discount_another_shops_items(shop, other_shop, make_item):
    theirs = make_item(other_shop, title="Theirs")
    with pytest.raises(PromotionError, match="own shop"):
        activities.create_discount(
            shop, name="X", percent_off=Decimal("10"), items=[theirs], **WEEK
        )


def test_pricing_refuses_a_float_price_with_a_clear_error(shop, dress):
    from emporium.lib.money import FloatRefused
    from emporium.promotions.pricing import UnitPrice

    with pytest.raises(FloatRefused, match="a price must be a Decimal"):
        UnitPrice(Decimal("200.00"), 170.0)
    dress.price = 199.99  # as a careless caller might set it, unsaved
    with pytest.raises(FloatRefused, match="never a float"):
        unit_prices([dress], NOW)
    with pytest.raises(FloatRefused, match="never a float"):
        quote_shop(shop, [(dress, 1)], NOW)


def test_a_discounted_price_is_rounded_half_up(shop, make_item):
    sku = make_item(shop, title="Scarf", price="0.25", stock=5).skus.get()
    activities.create_discount(
        shop, name="Half", percent_off=Decimal("50"), items=[sku.item], **WEEK
    )
    assert unit_prices([sku], NOW)[sku.pk].price == Decimal("0.13")  # 0.125: half-even says 0.12


@pytest.fixture
def flash(shop, dress):
    """Dress at 99.00 instead of 200.00, one per buyer, five units."""
    return activities.create_flash_sale(
        shop, name="Flash", sku=dress, flash_price=Decimal("99.00"), stock_limit=5,
        per_buyer_limit=1, **WEEK,
    )  # fmt: skip


def test_units_past_the_per_buyer_limit_cost_the_usual_price(shop, dress, flash):
    quote = quote_shop(shop, [(dress, 3)], NOW)
    assert [(line.quantity, line.unit.price, line.flash_note) for line in quote.lines] == [
        (1, Decimal("99.00"), ""),
        (2, Decimal("200.00"), "flash_limit"),
    ]
    assert quote.total_amount == Decimal("499.00")


def test_a_buyer_who_had_the_flash_price_gets_the_usual_one(
    shop, dress, flash, funded_buyer, address, books_balance
):
    from emporium.trade.quotes import flash_history

    (first,) = orders.checkout(funded_buyer, address, [(dress, 1)])
    assert first.total_amount == Decimal("99.00")
    quote = quote_shop(shop, [(dress, 2)], NOW, had=flash_history(funded_buyer.pk))
    assert [(line.quantity, line.unit.price) for line in quote.lines] == [(2, Decimal("200.00"))]
    (second,) = orders.checkout(funded_buyer, address, [(dress, 2)])
    assert second.total_amount == Decimal("400.00"), "the cart never offers 2 at the flash price"
    orders.cancel_unpaid(first, "buyer")  # the unit comes back to the buyer's allowance
    (third,) = orders.checkout(funded_buyer, address, [(dress, 2)])
    assert third.total_amount == Decimal("299.00")
    assert sorted(line.unit_price for line in third.lines.all()) == [
        Decimal("99.00"),
        Decimal("200.00"),
    ]
    books_balance()


def test_checkout_enforces_the_limit_on_the_server_whatever_was_quoted(
    shop, dress, flash, funded_buyer, address
):
    """A quote made before another order (another tab, a crafted request) offered the flash
    price again: checkout counts under the sale's lock and refuses to pass the limit."""
    from emporium.trade import orders as trading

    orders.checkout(funded_buyer, address, [(dress, 1)])
    stale = trading.quote_shop  # a quote that believes the buyer has none yet

    def as_if_new(*args, **kwargs):
        kwargs.pop("had", None)
        return stale(*args, **kwargs)

    trading.quote_shop = as_if_new
    try:
        with pytest.raises(TradeError) as refused:
            orders.checkout(funded_buyer, address, [(dress, 1)])
    finally:
        trading.quote_shop = stale
    assert refused.value.code == "flash_limit"
    assert "1 per buyer" in str(refused.value)
    flash.refresh_from_db()
    assert flash.sold_count == 1


def test_a_checkout_shown_another_total_orders_nothing(shop, dress, flash, funded_buyer, address):
    """The flash sale ended between the page and "Place order": the buyer is told first."""
    with pytest.raises(TradeError) as refused:
        orders.checkout(funded_buyer, address, [(dress, 1)], expected_total=Decimal("49.00"))
    assert refused.value.code == "prices_changed" and "¥99.00" in str(refused.value)
    flash.refresh_from_db()
    assert flash.sold_count == 0 and not funded_buyer.orders.exists()
    (order,) = orders.checkout(funded_buyer, address, [(dress, 1)], expected_total=Decimal("99.00"))
    assert order.total_amount == Decimal("99.00")


def test_a_flash_sale_never_prices_above_the_item_discount(shop, dress):
    activities.create_discount(
        shop, name="Half", percent_off=Decimal("60"), items=[dress.item], **WEEK
    )
    activities.create_flash_sale(
        shop, name="Flash", sku=dress, flash_price=Decimal("99.00"), stock_limit=5,
        per_buyer_limit=1, **WEEK,
    )  # fmt: skip
    price = unit_prices([dress], NOW)[dress.pk]
    assert (price.price, price.label) == (Decimal("80.00"), "Half")
