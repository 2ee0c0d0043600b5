"""The cart pages: add, change and remove lines by POST, totals per shop, merging at log-in."""

from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.catalog import services as catalog
from emporium.catalog.models import Item
from emporium.conftest import PASSWORD
from emporium.storefront.tests.helpers import flashes, text
from emporium.trade.models import Cart, CartLine


def sku_of(item, **options):
    return item.skus.get(options=options) if options else item.skus.first()


def add(client, sku_id, quantity=1, **extra):
    data = {"sku": sku_id, "quantity": quantity, **extra}
    return client.post(reverse("storefront:cart_add"), data, follow=True)


def lines() -> list[tuple[int, int]]:
    return list(CartLine.objects.values_list("sku_id", "quantity").order_by("id"))


def test_an_anonymous_visitor_can_add_an_item_and_see_it_in_the_cart(client, item):
    red_m = sku_of(item, Colour="Red", Size="M")
    response = add(client, red_m.pk, 2, next=reverse("storefront:item", args=[item.public_id]))
    assert response.redirect_chain[-1][0] == reverse("storefront:item", args=[item.public_id])
    assert any("Added to your cart" in m for m in flashes(response))

    cart = client.get(reverse("storefront:cart"))
    page = text(cart)
    assert "Linen summer dress" in page
    assert "Red / M" in page
    assert '<strong data-testid="cart-total">¥400.00</strong>' in page
    assert '<span class="badge" data-testid="cart-count">2</span>' in page


def test_adding_the_same_sku_again_adds_up_the_quantity(client, item):
    sku = sku_of(item)
    add(client, sku.pk, 2)
    add(client, sku.pk, 3)
    assert lines() == [(sku.pk, 5)]


def test_lines_are_grouped_by_shop_with_a_subtotal_each_and_a_total(
    client, buyer, shop, other_shop, item, make_item, phones
):
    phone = make_item(other_shop, title="Pocket phone", price="1234.50", category=phones)
    client.force_login(buyer)
    add(client, sku_of(item, Colour="Red", Size="S").pk, 1)  # 199.00
    add(client, sku_of(item, Colour="Blue", Size="M").pk, 2)  # 2 × 202.00
    add(client, sku_of(phone).pk, 1)

    response = client.get(reverse("storefront:cart"))
    groups = response.context["summary"].groups
    assert [g.shop for g in groups] == [shop, other_shop]
    assert [g.subtotal for g in groups] == [Decimal("603.00"), Decimal("1234.50")]
    page = text(response)
    assert '<td class="num" data-testid="shop-subtotal">¥603.00</td>' in page
    assert '<td class="num" data-testid="shop-subtotal">¥1,234.50</td>' in page
    assert '<strong data-testid="cart-total">¥1,837.50</strong>' in page


def test_it_refuses_more_than_the_stock_and_writes_nothing(client, item):
    response = add(client, sku_of(item).pk, 11)
    assert "Only 10 left in stock." in flashes(response)
    assert lines() == []


def test_it_refuses_an_add_that_would_pass_the_stock_and_keeps_the_line_as_it_was(client, item):
    sku = sku_of(item)
    add(client, sku.pk, 8)
    response = add(client, sku.pk, 3)
    assert "Only 10 left in stock." in flashes(response)
    assert lines() == [(sku.pk, 8)]


def test_a_stale_sku_id_gets_a_clear_message_not_a_server_error(client, item):
    gone = sku_of(item)
    gone_id = gone.pk
    catalog.replace_skus(item, [], [catalog.SkuSpec(options={}, price=Decimal("5"), stock=1)])
    response = add(client, gone_id, 1)
    assert response.status_code == 200
    assert "This item or variant is no longer available." in flashes(response)
    assert lines() == []


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"sku": "", "quantity": "1"},
        {"sku": "abc", "quantity": "1"},
        {"sku": "1", "quantity": "0"},
        {"sku": "1", "quantity": "-3"},
        {"sku": "1", "quantity": "lots"},
        {"sku": "1", "quantity": "1000"},
        {"sku": "99999999999999999999999999", "quantity": "1"},
    ],
)
def test_junk_input_gets_a_clear_message_and_writes_nothing(client, item, data):
    response = client.post(reverse("storefront:cart_add"), data, follow=True)
    assert response.status_code == 200
    assert flashes(response)
    assert lines() == []


def test_a_missing_variant_choice_asks_the_buyer_to_choose(client, item):
    response = client.post(reverse("storefront:cart_add"), {"quantity": "1"}, follow=True)
    assert any("Choose a variant first." in m for m in flashes(response))


def test_an_item_taken_off_sale_cannot_be_added(client, item):
    catalog.set_status(item, Item.Status.STOCK_ROOM)
    response = add(client, sku_of(item).pk)
    assert "This item is not on sale." in flashes(response)
    assert lines() == []


def test_a_seller_cannot_buy_from_their_own_shop(client, seller, item):
    client.force_login(seller)
    response = add(client, sku_of(item).pk)
    assert "You cannot buy from your own shop." in flashes(response)
    assert lines() == []


def test_adding_needs_a_post(client, item):
    assert client.get(reverse("storefront:cart_add")).status_code == 405


def test_it_does_not_redirect_to_another_site(client, item):
    response = client.post(
        reverse("storefront:cart_add"),
        {"sku": sku_of(item).pk, "quantity": 1, "next": "https://evil.example/phish"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:item", args=[item.public_id])


def test_the_buyer_can_change_a_quantity(client, item):
    add(client, sku_of(item).pk, 1)
    line = CartLine.objects.get()
    response = client.post(
        reverse("storefront:cart_update", args=[line.pk]), {"quantity": "4"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("storefront:cart")
    assert lines() == [(line.sku_id, 4)]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [("0", "Quantity"), ("abc", "Quantity"), ("11", "Only 10 left in stock."), ("", "Quantity")],
)
def test_a_bad_quantity_is_refused_and_the_line_keeps_its_quantity(client, item, quantity, message):
    add(client, sku_of(item).pk, 2)
    line = CartLine.objects.get()
    response = client.post(
        reverse("storefront:cart_update", args=[line.pk]), {"quantity": quantity}, follow=True
    )
    assert any(message in m for m in flashes(response))
    assert lines() == [(line.sku_id, 2)]


def test_the_buyer_can_remove_a_line(client, item):
    add(client, sku_of(item).pk, 2)
    line = CartLine.objects.get()
    response = client.post(reverse("storefront:cart_remove", args=[line.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("storefront:cart")
    assert lines() == []
    assert "Your cart is empty" in text(response)


def test_nobody_can_change_or_remove_a_line_of_another_cart(client, buyer, item):
    other = Cart.objects.create(member=buyer)
    theirs = CartLine.objects.create(cart=other, sku=sku_of(item), quantity=3)
    add(client, sku_of(item, Colour="Blue", Size="S").pk, 1)  # so this visitor has a cart

    update = client.post(
        reverse("storefront:cart_update", args=[theirs.pk]), {"quantity": "1"}, follow=True
    )
    client.post(reverse("storefront:cart_remove", args=[theirs.pk]))
    assert "That line is no longer in your cart." in flashes(update)
    theirs.refresh_from_db()
    assert theirs.quantity == 3


def test_changing_a_line_without_a_cart_is_a_message_not_an_error(client, db):
    response = client.post(
        reverse("storefront:cart_update", args=[12345]), {"quantity": "1"}, follow=True
    )
    assert "That line is no longer in your cart." in flashes(response)
    assert client.post(reverse("storefront:cart_remove", args=[12345])).status_code == 302


def test_a_line_no_longer_buyable_is_flagged_and_left_out_of_the_total(
    client, item, shop, make_item
):
    other = make_item(shop, title="Plain tee", price="10.00")
    add(client, sku_of(item).pk, 1)
    add(client, sku_of(other).pk, 1)
    catalog.set_status(other, Item.Status.STOCK_ROOM)
    response = client.get(reverse("storefront:cart"))
    assert "No longer on sale." in text(response)
    assert response.context["summary"].total == Decimal("199.00")


def test_an_empty_cart_shows_a_way_back_to_shopping(client, db):
    response = client.get(reverse("storefront:cart"))
    assert response.status_code == 200
    assert "Your cart is empty" in text(response)


def test_the_cart_of_a_logged_in_buyer_persists_across_sessions(client, buyer, item):
    client.force_login(buyer)
    add(client, sku_of(item).pk, 2)
    client.logout()
    assert client.get(reverse("storefront:cart")).context["summary"].count == 0
    client.force_login(buyer)
    assert client.get(reverse("storefront:cart")).context["summary"].count == 2


def test_anonymous_cart_merges_at_login_and_quantities_add_up(client, buyer, item):
    red_s, blue_m = sku_of(item, Colour="Red", Size="S"), sku_of(item, Colour="Blue", Size="M")
    mine = Cart.objects.create(member=buyer)
    CartLine.objects.create(cart=mine, sku=red_s, quantity=3)
    add(client, red_s.pk, 2)
    add(client, blue_m.pk, 1)

    response = client.post(
        reverse("members:login"), {"username": "bob", "password": PASSWORD}, follow=True
    )

    assert response.context["user"] == buyer
    assert Cart.objects.count() == 1
    assert sorted(lines()) == sorted([(red_s.pk, 5), (blue_m.pk, 1)])
    assert text(client.get(reverse("storefront:cart"))).count("Linen summer dress") == 2


def test_the_cart_page_needs_a_fixed_number_of_queries(
    client, buyer, shop, other_shop, item, make_item, django_assert_max_num_queries
):
    client.force_login(buyer)
    for n in range(5):
        dress = make_item(other_shop if n % 2 else shop, title=f"Dress {n}")
        add(client, sku_of(dress).pk, 1)
    # Pricing adds three (flash sales, discounted items, spend-and-save offers), for any size, and
    # one more finds the spend-and-save each shop is nearest to ("add ¥50 more to save ¥20").
    with django_assert_max_num_queries(12):
        client.get(reverse("storefront:cart"))
