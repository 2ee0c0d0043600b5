"""Cart rules: stock and sale checks, stale ids, merging at log-in, and totals grouped by shop."""

from decimal import Decimal

import pytest

from emporium.catalog import services as catalog
from emporium.catalog.models import Item
from emporium.trade.cart import (
    CartError,
    add_to_cart,
    cart_count,
    cart_lines,
    merge_session_cart,
    remove_line,
    set_quantity,
    sku_to_buy,
    summarize,
)
from emporium.trade.models import Cart, CartLine


@pytest.fixture
def cart(buyer) -> Cart:
    return Cart.objects.create(member=buyer)


def quantities(cart) -> dict[int, int]:
    return dict(cart.lines.values_list("sku_id", "quantity"))


def test_it_adds_a_line_and_counts_quantities(cart, item):
    sku = item.skus.first()
    add_to_cart(cart, sku, 2)
    add_to_cart(cart, sku, 1)
    assert quantities(cart) == {sku.pk: 3}
    assert cart_count(cart) == 3
    assert cart_count(None) == 0


def test_it_refuses_quantities_out_of_range(cart, item):
    sku = item.skus.first()
    for quantity in (0, -1, 1000):
        with pytest.raises(CartError):
            add_to_cart(cart, sku, quantity)
    assert quantities(cart) == {}


def test_it_refuses_an_item_not_on_sale(cart, item):
    catalog.set_status(item, Item.Status.STOCK_ROOM)
    with pytest.raises(CartError, match="not on sale"):
        add_to_cart(cart, item.skus.first(), 1)


def test_it_refuses_a_seller_buying_from_their_own_shop(seller, item):
    own = Cart.objects.create(member=seller)
    with pytest.raises(CartError, match="own shop"):
        add_to_cart(own, item.skus.first(), 1)


def test_sku_to_buy_refuses_ids_that_no_longer_exist_or_belong_to_deleted_items(item):
    sku = item.skus.first()
    assert sku_to_buy(sku.pk) == sku
    catalog.set_status(item, Item.Status.DELETED)
    with pytest.raises(CartError):
        sku_to_buy(sku.pk)
    with pytest.raises(CartError):
        sku_to_buy(987654)


def test_set_quantity_checks_stock_and_refuses_lines_of_another_cart(cart, item, other_seller):
    line = add_to_cart(cart, item.skus.first(), 1)
    set_quantity(cart, line.pk, 7)
    with pytest.raises(CartError, match="Only 10 left"):
        set_quantity(cart, line.pk, 11)
    stranger = Cart.objects.create(member=other_seller)
    with pytest.raises(CartError, match="no longer in your cart"):
        set_quantity(stranger, line.pk, 1)
    remove_line(stranger, line.pk)
    assert quantities(cart) == {line.sku_id: 7}


def test_merge_adds_anonymous_lines_to_the_buyer_cart_capped_by_stock(cart, buyer, item):
    red_s, red_m = item.skus.all()[:2]
    add_to_cart(cart, red_s, 6)
    anonymous = Cart.objects.create(session_key="anon-1")
    add_to_cart(anonymous, red_s, 8)
    add_to_cart(anonymous, red_m, 1)

    merge_session_cart("anon-1", buyer)

    assert quantities(cart) == {red_s.pk: 10, red_m.pk: 1}
    assert not Cart.objects.filter(session_key="anon-1").exists()


def test_merge_creates_the_buyer_cart_when_there_is_none(buyer, item):
    anonymous = Cart.objects.create(session_key="anon-2")
    add_to_cart(anonymous, item.skus.first(), 2)
    merge_session_cart("anon-2", buyer)
    assert quantities(buyer.cart) == {item.skus.first().pk: 2}


def test_merge_drops_lines_of_the_member_own_shop(seller, item, other_shop, make_item):
    theirs = make_item(other_shop, title="Phone")
    anonymous = Cart.objects.create(session_key="anon-3")
    add_to_cart(anonymous, item.skus.first(), 1)
    add_to_cart(anonymous, theirs.skus.first(), 1)
    merge_session_cart("anon-3", seller)
    assert quantities(seller.cart) == {theirs.skus.first().pk: 1}


def test_merge_without_an_anonymous_cart_does_nothing(buyer):
    merge_session_cart(None, buyer)
    merge_session_cart("never-seen", buyer)
    assert not Cart.objects.exists()


def test_summary_groups_lines_by_shop_and_leaves_unbuyable_lines_out_of_totals(
    cart, shop, other_shop, item, make_item
):
    phone = make_item(other_shop, title="Phone", price="1000.00", stock=3)
    add_to_cart(cart, item.skus.get(options={"Colour": "Blue", "Size": "M"}), 2)
    add_to_cart(cart, phone.skus.first(), 3)
    catalog.update_skus(phone, {phone.skus.first().pk: (Decimal("1000.00"), 1)})

    summary = summarize(cart_lines(cart))

    assert [g.shop for g in summary.groups] == [shop, other_shop]
    assert summary.groups[0].subtotal == Decimal("404.00")
    assert summary.groups[1].lines[0].problem == "Only 1 left in stock."
    assert summary.groups[1].subtotal == Decimal("0.00")
    assert summary.total == Decimal("404.00")
    assert summary.count == 5


def test_an_empty_cart_summary_is_zero():
    summary = summarize(cart_lines(None))
    assert (summary.groups, summary.total, summary.count) == ([], Decimal("0.00"), 0)


def test_a_second_tab_adding_the_same_sku_adds_up_instead_of_failing(cart, item):
    sku = item.skus.first()
    CartLine.objects.create(cart=cart, sku=sku, quantity=1)
    add_to_cart(cart, sku, 2)
    assert quantities(cart) == {sku.pk: 3}
