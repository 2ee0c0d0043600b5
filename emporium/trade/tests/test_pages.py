"""The buyer's trading pages: checkout, pay, my orders, cancel, confirm, refund, review, wallet."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from emporium.catalog.images import image_url
from emporium.catalog.models import Sku
from emporium.community import reviews
from emporium.conftest import picture_bytes
from emporium.finance import ledger
from emporium.lib import clock
from emporium.promotions import activities
from emporium.trade import orders
from emporium.trade.cart import add_to_cart
from emporium.trade.models import Cart, Order

S = Order.Status


@pytest.fixture
def bob(client, funded_buyer, address):
    client.force_login(funded_buyer)
    return funded_buyer


def fill_cart(buyer, *wanted):
    cart = Cart.objects.get_or_create(member=buyer)[0]
    for sku, quantity in wanted:
        add_to_cart(cart, sku, quantity)
    return cart


def test_checkout_places_one_order_per_shop_and_leads_to_payment(
    client, bob, shop, other_shop, make_item, phones, address
):
    dress = make_item(shop, price="100.00").skus.get()
    phone = make_item(other_shop, title="Phone", price="900.00", category=phones).skus.get()
    fill_cart(bob, (dress, 2), (phone, 1))
    page = client.get(reverse("trade:checkout")).content.decode()
    assert "¥1,100.00" in page

    response = client.post(reverse("trade:checkout"), {"address": address.pk, "note": "Ring twice"})
    assert response.status_code == 302 and reverse("trade:pay") in response["Location"]
    assert Order.objects.filter(buyer=bob, status=S.PENDING_PAYMENT).count() == 2
    assert not Cart.objects.get(member=bob).lines.exists(), "bought lines leave the cart"

    pay_page = client.get(response["Location"])
    assert "¥1,100.00" in pay_page.content.decode()
    client.post(response["Location"])
    assert Order.objects.filter(buyer=bob, status=S.PAID).count() == 2
    assert ledger.balance_of(f"wallet:{bob.pk}") == Decimal("8900.00")


def test_a_sold_out_line_is_shown_with_its_problem_outside_the_checkout_total(
    client, bob, shop, make_item, address
):
    dress = make_item(shop, title="Red dress", price="100.00").skus.get()
    sneaker = make_item(shop, title="Last sneaker", price="399.00").skus.get()
    fill_cart(bob, (dress, 2), (sneaker, 1))
    Sku.objects.filter(pk=sneaker.pk).update(stock=0)
    response = client.get(reverse("trade:checkout"))
    assert response.context["total"] == Decimal("200.00"), "the sold-out line is not charged"
    (quote,) = response.context["quotes"]
    assert [line.sku.pk for line in quote.lines] == [dress.pk]
    (unavailable,) = response.context["unavailable"]
    assert (unavailable.line.sku.pk, unavailable.problem) == (sneaker.pk, "Out of stock.")
    page = response.content.decode()
    assert "Cannot be bought now" in page and "¥399.00" not in page

    # Placing the order is refused while the line is in the cart: the buyer chooses what to do.
    response = client.post(
        reverse("trade:checkout"), {"address": address.pk, "expected_total": "200.00"}
    )
    assert "Not enough stock left of “Last sneaker”." in response.content.decode()
    assert not Order.objects.filter(buyer=bob).exists()


def test_a_cart_with_nothing_buyable_left_shows_why_in_chinese_too(client, bob, shop, make_item):
    sneaker = make_item(shop, title="Last sneaker", price="399.00").skus.get()
    fill_cart(bob, (sneaker, 1))
    Sku.objects.filter(pk=sneaker.pk).update(stock=0)
    page = client.get(reverse("trade:checkout")).content.decode()
    assert "Nothing in your cart can be bought now." in page
    assert "Out of stock." in page and "Place order" not in page
    page = client.get(reverse("trade:checkout"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "购物车中暂无可购买的商品。" in page and "暂时无法购买" in page
    assert "不计入合计。请在购物车中修改或删除这些商品后再下单。" in page


def test_checkout_without_an_address_shows_an_error_and_orders_nothing(
    client, buyer, shop, make_item
):
    client.force_login(buyer)
    fill_cart(buyer, (make_item(shop).skus.get(), 1))
    response = client.post(reverse("trade:checkout"), {"address": ""})
    assert response.status_code == 200
    assert "Choose a shipping address" in response.content.decode()
    assert not Order.objects.exists()


def test_someone_elses_address_is_not_accepted(
    client, bob, shop, make_item, address_for, other_seller
):
    theirs = address_for(other_seller)
    fill_cart(bob, (make_item(shop).skus.get(), 1))
    client.post(reverse("trade:checkout"), {"address": theirs.pk})
    assert not Order.objects.exists()


def test_a_short_wallet_is_offered_a_top_up(client, buyer, address, shop, make_item):
    client.force_login(buyer)
    (order,) = orders.checkout(buyer, address, [(make_item(shop, price="50.00").skus.get(), 1)])
    pay_url = f"{reverse('trade:pay')}?orders={order.public_id}"
    page = client.get(pay_url).content.decode()
    assert "Top up" in page and 'data-testid="pay-button"' not in page
    response = client.post(reverse("trade:wallet"), {"amount": "50.00", "next": pay_url})
    card_page = response["Location"]  # the payment provider's page: the sandbox's in tests
    assert ledger.balance_of(f"wallet:{buyer.pk}") == 0
    assert client.post(card_page, {"outcome": "pay"})["Location"] == pay_url
    client.post(pay_url)
    order.refresh_from_db()
    assert order.status == S.PAID


@pytest.mark.parametrize("amount", ["-5", "abc", "50000.01", "1.234"])
def test_a_bad_top_up_is_refused_with_the_field_named(client, buyer, amount):
    client.force_login(buyer)
    response = client.post(reverse("trade:wallet"), {"amount": amount})
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert ledger.balance_of(f"wallet:{buyer.pk}") == 0


def test_the_pay_page_refuses_other_buyers_orders_and_bad_links(
    client, bob, other_seller, shop, make_item, address_for
):
    (theirs,) = orders.checkout(
        other_seller, address_for(other_seller), [(make_item(shop).skus.get(), 1)]
    )
    assert client.get(f"{reverse('trade:pay')}?orders={theirs.public_id}").status_code == 404
    assert client.get(f"{reverse('trade:pay')}?orders=not-a-uuid").status_code == 404
    assert client.get(reverse("trade:order", args=[theirs.public_id])).status_code == 404


def test_item_page_cart_and_order_show_the_same_promoted_price(
    client, bob, shop, make_item, address
):
    dress = make_item(shop, price="200.00").skus.get()
    now = clock.now()
    window = {"starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(days=1)}
    activities.create_discount(
        shop, name="Summer", percent_off=Decimal("15"), items=[dress.item], **window
    )
    activities.create_threshold(
        shop, name="300-20", min_spend=Decimal("300"), amount_off=Decimal("20"), **window
    )

    item_page = client.get(reverse("storefront:item", args=[dress.item.public_id])).content.decode()
    assert "¥170.00" in item_page and "Summer" in item_page
    fill_cart(bob, (dress, 2))
    cart_page = client.get(reverse("storefront:cart")).content.decode()
    assert "¥170.00" in cart_page and "−¥20.00" in cart_page and "¥320.00" in cart_page
    checkout_page = client.get(reverse("trade:checkout")).content.decode()
    assert "¥320.00" in checkout_page
    client.post(reverse("trade:checkout"), {"address": address.pk})
    order = Order.objects.get()
    assert order.total_amount == Decimal("320.00")
    assert order.lines.get().unit_price == Decimal("170.00")


def test_a_claimed_coupon_is_offered_and_applied_at_checkout(client, bob, shop, make_item, address):
    dress = make_item(shop, price="200.00").skus.get()
    now = clock.now()
    batch = activities.create_coupons(
        shop, name="Ten off", amount_off=Decimal("10"), min_spend=Decimal("100"), total_count=5,
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
    )  # fmt: skip
    shop_page = client.get(reverse("storefront:shop", args=[shop.slug])).content.decode()
    assert "Ten off" in shop_page
    client.post(reverse("storefront:claim_coupon", args=[batch.pk]))
    fill_cart(bob, (dress, 1))
    coupon = bob.coupons.get()
    page = client.get(reverse("trade:checkout"), {f"coupon_{shop.pk}": coupon.pk}).content.decode()
    assert "¥190.00" in page
    client.post(reverse("trade:checkout"), {"address": address.pk, f"coupon_{shop.pk}": coupon.pk})
    assert Order.objects.get().total_amount == Decimal("190.00")


def test_my_orders_lists_and_filters_only_mine(
    client, bob, shop, make_item, address, other_seller, address_for
):
    sku = make_item(shop).skus.get()
    (mine,) = orders.checkout(bob, address, [(sku, 1)])
    orders.checkout(other_seller, address_for(other_seller), [(sku, 1)])
    page = client.get(reverse("trade:orders")).content.decode()
    assert mine.number in page and page.count('data-testid="order-status"') == 1
    paid_only = client.get(reverse("trade:orders"), {"status": "paid"}).content.decode()
    assert mine.number not in paid_only
    assert (
        client.get(reverse("trade:orders"), {"status": "nonsense", "page": "x"}).status_code == 200
    )


def test_the_buyer_cancels_an_unpaid_order_and_confirms_a_shipped_one(
    client, bob, shop, make_item, address, seller
):
    sku = make_item(shop, price="100.00", stock=3).skus.get()
    (unpaid,) = orders.checkout(bob, address, [(sku, 1)])
    client.post(reverse("trade:cancel", args=[unpaid.public_id]))
    unpaid.refresh_from_db()
    assert unpaid.status == S.CANCELLED

    (order,) = orders.checkout(bob, address, [(sku, 1)])
    orders.pay(bob, [order])
    confirm = reverse("trade:confirm", args=[order.public_id])
    response = client.post(confirm, follow=True)
    assert "cannot become" in response.content.decode(), "not shipped yet"
    orders.ship(order, "SF", "SF9")
    client.post(confirm)
    order.refresh_from_db()
    assert order.status == S.SETTLED
    assert ledger.balance_of(f"seller:{seller.pk}") == Decimal("95.00")
    assert client.get(confirm).status_code == 405


def test_a_refund_request_from_the_order_page(client, bob, shop, make_item, address):
    (order,) = orders.checkout(bob, address, [(make_item(shop, price="100.00").skus.get(), 1)])
    orders.pay(bob, [order])
    url = reverse("trade:refund", args=[order.public_id])
    bad = client.post(url, {"amount": "500", "reason": "Too big"}, follow=True).content.decode()
    assert "between 0.01 and 100.00" in bad
    assert not order.refunds.exists()
    client.post(url, {"amount": "40.00", "reason": "Wrong colour"})
    refund = order.refunds.get()
    assert refund.amount == Decimal("40.00")
    step = reverse("trade:refund_step", args=[order.public_id, refund.pk, "explode"])
    assert client.post(step).status_code == 404
    client.post(reverse("trade:refund_step", args=[order.public_id, refund.pk, "withdraw"]))
    refund.refresh_from_db()
    assert refund.status == "closed"


def test_a_review_with_a_picture_after_completion(client, bob, shop, make_item, address, seller):
    (order,) = orders.checkout(bob, address, [(make_item(shop).skus.get(), 1)])
    orders.pay(bob, [order])
    orders.ship(order, "SF", "SF1")
    orders.confirm_receipt(order)
    line = order.lines.get()
    url = reverse("trade:review", args=[order.public_id, line.pk])
    fake = SimpleUploadedFile("a.jpg", b"text pretending", content_type="image/jpeg")
    refused = client.post(url, {"stars": "5", "text": "Nice", "pictures": [fake]})
    assert refused.status_code == 200 and not hasattr(line, "review")
    good = SimpleUploadedFile("a.png", picture_bytes(), content_type="image/png")
    client.post(url, {"stars": "5", "text": "Nice", "pictures": [good]})
    line.refresh_from_db()
    assert line.review.stars == 5 and line.review.pictures.count() == 1
    seller.refresh_from_db()
    assert seller.credit_points == 1
    item_page = client.get(reverse("storefront:item", args=[line.item.public_id])).content.decode()
    assert "Nice" in item_page


def test_trading_pages_need_a_login(client):
    for name in ("trade:checkout", "trade:orders", "trade:wallet"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("members:login") in response["Location"]


def test_the_return_window_the_item_page_promises_is_kept_after_receipt(
    client, bob, shop, make_item, address, seller, books_balance
):
    """Issue 23, point 5: confirming receipt pays the seller but does not take the return away."""
    from emporium.trade.models import Refund

    dress = make_item(shop, price="100.00")
    item_page = client.get(reverse("storefront:item", args=[dress.public_id])).content.decode()
    assert "Returns within 7 days of confirming receipt" in item_page
    (order,) = orders.checkout(bob, address, [(dress.skus.get(), 1)])
    orders.pay(bob, [order])
    orders.ship(order, "SF", "SF9")
    response = client.post(reverse("trade:confirm", args=[order.public_id]), follow=True)
    page = response.content.decode()
    assert "the seller has been paid. You can still ask for a return for 7 days." in page
    assert 'data-testid="returns-until"' in page and "Ask for a refund" in page
    client.post(
        reverse("trade:refund", args=[order.public_id]), {"amount": "100.00", "reason": "Too big"}
    )
    refund = Refund.objects.get(order=order)
    assert (refund.amount, refund.shipped_when_asked) == (Decimal("100.00"), True)
    books_balance()


def test_after_the_return_window_the_order_page_offers_no_return(
    client, bob, shop, make_item, address
):
    (order,) = orders.checkout(bob, address, [(make_item(shop, price="100.00").skus.get(), 1)])
    orders.pay(bob, [order])
    orders.ship(order, "SF", "SF9")
    orders.confirm_receipt(order)
    clock.set_time(clock.now() + orders.return_window())
    try:
        page = client.get(reverse("trade:order", args=[order.public_id])).content.decode()
        refused = client.post(
            reverse("trade:refund", args=[order.public_id]),
            {"amount": "10.00", "reason": "Late"},
            follow=True,
        ).content.decode()
    finally:
        clock.set_time(None)
    assert "Ask for a refund" not in page and 'data-testid="returns-until"' not in page
    assert "The return window of this order closed on" in refused


def with_picture(item, colour):
    """The item with one picture of its own colour (identical pictures would share one file)."""
    from emporium.catalog import services as catalog

    upload = SimpleUploadedFile("p.png", picture_bytes(colour=colour), content_type="image/png")
    return image_url(catalog.add_image(item, upload).key, 240)


def thumbnails_by_title(page: str, *titles: str) -> dict[str, str]:
    """Each line's thumbnail, paired with the title the line shows after it."""
    found = re.findall(
        r'<img class="line-thumb" src="([^"]+)"[^>]*>.*?(' + "|".join(titles) + ")", page, re.S
    )
    return {title: src for src, title in found}


def test_cart_and_order_lines_show_their_own_items_thumbnail(client, bob, shop, make_item, address):
    """Issue 23, point 5: a buyer recognises a line by its picture, in the cart and the orders."""
    dress, shirt = make_item(shop, title="Red dress"), make_item(shop, title="Blue shirt")
    expected = {"Red dress": with_picture(dress, (200, 30, 60)),
                "Blue shirt": with_picture(shirt, (30, 60, 200))}  # fmt: skip
    assert expected["Red dress"] != expected["Blue shirt"]
    fill_cart(bob, (dress.skus.get(), 1), (shirt.skus.get(), 1))
    cart_page = client.get(reverse("storefront:cart")).content.decode()
    assert thumbnails_by_title(cart_page, *expected) == expected

    (order,) = orders.checkout(bob, address, [(dress.skus.get(), 1), (shirt.skus.get(), 2)])
    order_list = client.get(reverse("trade:orders")).content.decode()
    assert thumbnails_by_title(order_list, *expected) == expected
    detail = client.get(reverse("trade:order", args=[order.public_id])).content.decode()
    assert thumbnails_by_title(detail, *expected) == expected


def test_each_order_row_offers_the_next_step_its_status_calls_for(
    client, bob, shop, make_item, address
):
    """Issue 23, point 5: pay an unpaid order, confirm a shipped one, review a completed one."""
    sku = make_item(shop, price="100.00", stock=20).skus.get()

    def order_in(status):
        (order,) = orders.checkout(bob, address, [(sku, 1)])
        if status != "unpaid":
            orders.pay(bob, [order])
        if status in ("shipped", "received", "reviewed"):
            orders.ship(order, "SF", "SF9")
        if status in ("received", "reviewed"):
            orders.confirm_receipt(order)
        if status == "reviewed":
            reviews.write_review(bob, order.lines.get(), stars=5, text="Fits well")
        order.refresh_from_db()
        return order

    by_state = {state: order_in(state) for state in
                ("unpaid", "paid", "shipped", "received", "reviewed")}  # fmt: skip
    page = client.get(reverse("trade:orders")).content.decode()
    rows = dict(re.findall(r'>#([^<]+)</a>.*?data-testid="next-action">(.*?)</td>', page, re.S))
    steps = {state: rows[order.number] for state, order in by_state.items()}

    pay = f"{reverse('trade:pay')}?orders={by_state['unpaid'].public_id}"
    assert f'href="{pay}">Pay</a>' in steps["unpaid"]
    assert steps["paid"] == "", "waiting for the seller: nothing for the buyer to do"
    confirm = reverse("trade:order", args=[by_state["shipped"].public_id]) + "#confirm"
    assert f'href="{confirm}">Confirm receipt</a>' in steps["shipped"]
    review = reverse("trade:order", args=[by_state["received"].public_id]) + "#review"
    assert f'href="{review}">Review</a>' in steps["received"]
    assert steps["reviewed"] == "", "already reviewed"
