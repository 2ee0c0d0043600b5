"""The operator admin: every model is registered and its pages load without N+1 surprises."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emporium.catalog import services as catalog
from emporium.community import reviews
from emporium.community.models import Question, Review
from emporium.conftest import make_member, picture_bytes
from emporium.finance.models import Posting
from emporium.finance.wallets import withdraw
from emporium.fixtures import past_return_window
from emporium.lib import clock
from emporium.members.credit import record_rating
from emporium.members.models import Member
from emporium.promotions import activities
from emporium.promotions.models import Discount
from emporium.shops.services import add_shop_category
from emporium.trade import orders, refunds
from emporium.trade.models import Cart, CartLine, Order, Refund

OUR_APPS = ("members", "shops", "catalog", "trade", "finance", "promotions", "community")


@pytest.fixture
def operator_client(client, db):
    client.force_login(make_member("olga", is_staff=True, is_superuser=True))
    return client


def disputed_refund(buyer, address, sku) -> Refund:
    """Bob pays for one SKU, asks for his money back, Mei refuses, Bob takes it to the operator."""
    (order,) = orders.checkout(buyer, address, [(sku, 1)])
    orders.pay(buyer, [order])
    refund = refunds.request_refund(order, buyer, sku.price, "Torn seam")
    refunds.refuse(refund, "Worn already")
    return refunds.escalate(refund, buyer)


@pytest.fixture
def one_of_each(item, shop, funded_buyer, seller, address):
    """A row in every table the admin shows."""
    buyer = funded_buyer
    disputed_refund(buyer, address, item.skus.last())
    add_shop_category(shop, "Summer")
    catalog.add_images(item, [SimpleUploadedFile("a.png", picture_bytes(), "image/png")])
    record_rating(seller, "positive", "order:1")
    reviewed_and_asked(buyer, address, item)  # before the cart: checkout empties it
    cart = Cart.objects.create(member=buyer)
    CartLine.objects.create(cart=cart, sku=item.skus.first())
    withdraw(seller, Decimal("10.00"), "6222 0000")
    one_activity_of_each_kind(shop, item, buyer)


def reviewed_and_asked(buyer, address, item) -> None:
    """Buyer's order of the first SKU settles; they review it with a picture and ask a question."""
    sku = item.skus.first()
    (order,) = orders.checkout(buyer, address, [(sku, 1)])
    orders.pay(buyer, [order])
    orders.ship(order, "SF Express", f"SF{order.pk}")
    orders.confirm_receipt(order)
    past_return_window(order)  # the seller withdraws from it
    picture = SimpleUploadedFile("r.png", picture_bytes(), "image/png")
    reviews.write_review(buyer, order.lines.get(), 5, "Lovely", pictures=[picture])
    reviews.ask(buyer, item, "Does it run small?")


def one_activity_of_each_kind(shop, item, buyer) -> None:
    now = clock.now()
    period = {"starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(days=7)}
    activities.create_discount(
        shop, name="Summer", percent_off=Decimal("10"), items=[item], **period
    )
    activities.create_threshold(
        shop, name="300-30", min_spend=Decimal("300"), amount_off=Decimal("30"), **period
    )
    batch = activities.create_coupons(
        shop, name="Ten off", amount_off=Decimal("10"), min_spend=Decimal("0"), total_count=5,
        **period,
    )  # fmt: skip
    activities.claim_coupon(batch, buyer)
    activities.create_flash_sale(
        shop, name="Flash", sku=item.skus.first(), flash_price=Decimal("99"), stock_limit=2,
        per_buyer_limit=1, **period,
    )  # fmt: skip


def registered() -> list:
    return [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]


def test_every_model_of_the_marketplace_is_in_the_admin():
    missing = [
        m._meta.label
        for app in OUR_APPS
        for m in apps.get_app_config(app).get_models()
        if m not in admin.site._registry
    ]
    assert missing == []


def test_every_changelist_loads(operator_client, one_of_each):
    for model in admin.site._registry:
        meta = model._meta
        response = operator_client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        )
        assert response.status_code == 200, meta.label


def test_every_change_page_of_our_models_loads(operator_client, one_of_each):
    for model in registered():
        meta = model._meta
        obj = model._default_manager.first()
        assert obj is not None, meta.label
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        assert operator_client.get(url).status_code == 200, meta.label


def test_every_add_page_loads_or_is_refused_as_designed(operator_client, rf):
    request = rf.get("/")
    request.user = Member.objects.get(username="olga")
    for model in registered():
        meta = model._meta
        allowed = admin.site._registry[model].has_add_permission(request)
        response = operator_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        assert response.status_code == (200 if allowed else 403), meta.label


def test_the_item_changelist_shows_price_stock_status_shop_and_category(
    operator_client, one_of_each, item, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = operator_client.get(reverse("admin:catalog_item_changelist"))
    html = response.content.decode()
    for text in ["199.00", "40", "on sale", "Mei&#x27;s Closet", "Dresses"]:
        assert text in html


def _add_rows(shop, make_item, numbers: range) -> None:
    for n in numbers:
        dress = make_item(shop, title=f"Dress {n}")
        cart = Cart.objects.create(member=make_member(f"member{n}"))
        CartLine.objects.create(cart=cart, sku=dress.skus.first())


def _queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    return len(queries)


def test_changelists_do_not_query_per_row(operator_client, shop, make_item):
    names = ["catalog_item", "catalog_sku", "trade_cartline", "trade_cart", "members_member"]
    _add_rows(shop, make_item, range(2))
    few = {name: _queries(operator_client, name) for name in names}
    _add_rows(shop, make_item, range(2, 12))
    assert {name: _queries(operator_client, name) for name in names} == few


def test_an_operator_edits_a_sku_and_the_item_totals_follow(operator_client, item):
    sku = item.skus.first()
    response = operator_client.post(
        reverse("admin:catalog_sku_change", args=[sku.pk]),
        {"item": item.pk, "options": '{"Colour": "Red", "Size": "S"}', "code": "",
         "price": "9.99", "stock": "1", "position": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.price, item.stock) == (Decimal("9.99"), 31)


def test_a_sku_price_out_of_range_is_refused_in_the_admin(operator_client, item):
    sku = item.skus.first()
    response = operator_client.post(
        reverse("admin:catalog_sku_change", args=[sku.pk]),
        {"item": item.pk, "options": "{}", "price": "0", "stock": "1", "position": "0"},
    )
    assert response.status_code == 200
    assert "price" in response.context["adminform"].form.errors


def test_an_operator_rules_a_dispute_for_the_buyer(operator_client, item, funded_buyer, address):
    refund = disputed_refund(funded_buyer, address, item.skus.first())
    response = operator_client.post(
        reverse("admin:trade_refund_changelist"),
        {"action": "rule_for_buyer", "_selected_action": [refund.pk]},
        follow=True,
    )
    assert "1 dispute ruled." in response.content.decode()
    refund.refresh_from_db()
    assert refund.status == Refund.Status.AGREED


def test_ruling_on_a_refund_that_is_not_disputed_is_refused(
    operator_client, item, funded_buyer, address
):
    refund = disputed_refund(funded_buyer, address, item.skus.first())
    refunds.arbitrate(refund, False, "No")
    response = operator_client.post(
        reverse("admin:trade_refund_changelist"),
        {"action": "rule_for_buyer", "_selected_action": [refund.pk]},
        follow=True,
    )
    assert "Only a disputed refund is arbitrated." in response.content.decode()
    refund.refresh_from_db()
    assert refund.status == Refund.Status.CLOSED


def test_orders_cannot_be_edited_by_hand_in_the_admin(operator_client, one_of_each):
    order = Order.objects.get(status=Order.Status.PAID)
    url = reverse("admin:trade_order_change", args=[order.pk])
    operator_client.post(url, {"status": "settled"})
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_the_ledger_cannot_be_edited_in_the_admin(operator_client, one_of_each):
    posting = Posting.objects.filter(reason="settlement").get()
    page = operator_client.get(reverse("admin:finance_posting_change", args=[posting.pk]))
    html = page.content.decode()
    assert "escrow" in html and "held:commission" in html  # the fee, held for returns
    for name in ["account", "posting", "entry", "withdrawal"]:
        url = reverse(f"admin:finance_{name}_add")
        assert operator_client.get(url).status_code == 403, name
    url = reverse("admin:finance_posting_delete", args=[posting.pk])
    assert operator_client.post(url, {"post": "yes"}).status_code == 403
    assert Posting.objects.filter(pk=posting.pk).exists()


def test_an_operator_stops_an_activity(operator_client, one_of_each):
    discount = Discount.objects.get()
    response = operator_client.post(
        reverse("admin:promotions_discount_changelist"),
        {"action": "stop_activities", "_selected_action": [discount.pk]},
        follow=True,
    )
    assert "1 activity stopped." in response.content.decode()
    discount.refresh_from_db()
    assert discount.is_stopped
    running = operator_client.get(
        reverse("admin:promotions_discount_changelist"), {"when": "running"}
    )
    assert list(running.context["cl"].result_list) == []


def test_an_operator_redacts_a_review_but_cannot_delete_it(operator_client, one_of_each):
    review = Review.objects.get()
    url = reverse("admin:community_review_change", args=[review.pk])
    response = operator_client.post(
        url,
        {"text": "[removed]", "reply": "", "pictures-TOTAL_FORMS": "1",
         "pictures-INITIAL_FORMS": "1", "pictures-MIN_NUM_FORMS": "0",
         "pictures-MAX_NUM_FORMS": "1000", "pictures-0-id": review.pictures.get().pk,
         "pictures-0-review": review.pk, "stars": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.text, review.stars) == ("[removed]", 5)
    delete = reverse("admin:community_review_delete", args=[review.pk])
    assert operator_client.post(delete, {"post": "yes"}).status_code == 403


def _trade_rows(shop, item, make_member_with_wallet, address_for, numbers: range) -> None:
    for n in numbers:
        buyer = make_member_with_wallet(f"buyer{n}")
        reviewed_and_asked(buyer, address_for(buyer), item)
        activities.create_flash_sale(
            shop, name=f"Flash {n}", sku=item.skus.last(), flash_price=Decimal("9"),
            stock_limit=1, per_buyer_limit=1, starts_at=clock.now(),
            ends_at=clock.now() + timedelta(days=1),
        )  # fmt: skip


def test_trading_changelists_do_not_query_per_row(
    operator_client, shop, item, make_member_with_wallet, address_for
):
    names = [
        "finance_account", "finance_posting", "finance_entry", "finance_withdrawal",
        "promotions_flashsale", "community_review", "community_reviewpicture",
        "community_question",
    ]  # fmt: skip
    _trade_rows(shop, item, make_member_with_wallet, address_for, range(2))
    withdraw(shop.owner, Decimal("1.00"), "6222")
    few = {name: _queries(operator_client, name) for name in names}
    _trade_rows(shop, item, make_member_with_wallet, address_for, range(2, 7))
    withdraw(shop.owner, Decimal("1.00"), "6222")
    assert Question.objects.count() == 7
    assert {name: _queries(operator_client, name) for name in names} == few
