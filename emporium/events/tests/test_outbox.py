"""Domain changes write their events in the same transaction, and only for shops apps listen to."""

from decimal import Decimal

import pytest
from django.db import transaction

from emporium.catalog import services as catalog
from emporium.ecosystem.installations import installed, uninstall
from emporium.events.models import Event
from emporium.shops.services import update_shop
from emporium.trade import orders, refunds


def topics(shop) -> list[str]:
    found = Event.objects.filter(shop=shop, app__isnull=True).order_by("id")
    return list(found.values_list("topic", flat=True))


def test_an_order_lifecycle_writes_one_event_per_step(
    installation, shop, item, funded_buyer, place_order
):
    Event.objects.all().delete()
    sku = item.skus.first()
    [order] = place_order(funded_buyer, (sku, 1))
    orders.pay(funded_buyer, [order])
    orders.ship(order, "SF Express", "SF100")
    orders.confirm_receipt(order)
    assert topics(shop) == [
        "item.stock_changed",
        "order.created",
        "order.paid",
        "order.shipped",
        "order.completed",
        "order.settled",
        "balance.transaction_created",  # the settlement reached the seller's balance
    ]
    paid = Event.objects.get(topic="order.paid")
    assert paid.data["order"]["id"] == str(order.public_id)
    assert paid.data["order"]["status"] == "paid"
    assert paid.data["order"]["total_amount"] == {
        "amount": str(order.total_amount),
        "currency": "CNY",
    }
    stock = Event.objects.get(topic="item.stock_changed").data
    assert stock == {
        "item_id": str(item.public_id),
        "sku_id": sku.pk,
        "stock": sku.stock - 1,
        "previous_stock": sku.stock,
        "reason": "sale",
    }


def test_a_checkout_of_several_lines_tells_each_skus_stock_after_the_sale(
    installation, shop, item, funded_buyer, place_order
):
    red_s, red_m, blue_s = item.skus.order_by("pk")[:3]
    Event.objects.all().delete()
    place_order(funded_buyer, (red_s, 2), (red_m, 1), (blue_s, 3))
    moves = {
        e.data["sku_id"]: (e.data["previous_stock"], e.data["stock"], e.data["reason"])
        for e in Event.objects.filter(topic="item.stock_changed")
    }
    assert moves == {
        red_s.pk: (10, 8, "sale"),
        red_m.pk: (10, 9, "sale"),
        blue_s.pk: (10, 7, "sale"),
    }


def test_a_rolled_back_change_leaves_no_event(installation, shop, item):
    Event.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        update_shop(shop, name="Renamed", description="")
        assert topics(shop) == ["shop.updated"]  # inside the transaction it is there
        raise RuntimeError("the request failed after the change")
    assert topics(shop) == []
    shop.refresh_from_db()
    assert shop.name == "Mei's Closet"


def test_nothing_is_written_for_a_shop_no_app_listens_to(shop, item):
    update_shop(shop, name="Quiet", description="")
    catalog.set_status(item, "stock_room")
    assert topics(shop) == []


def test_refund_and_cancellation_events(installation, shop, item, funded_buyer, place_order):
    [order] = place_order(funded_buyer, (item.skus.first(), 2))
    orders.pay(funded_buyer, [order])
    Event.objects.all().delete()
    refund = refunds.request_refund(order, funded_buyer, order.total_amount, "wrong size")
    refunds.agree(refund)
    assert topics(shop) == [
        "refund.requested",
        "refund.agreed",
        "order.refunded",
        "order.cancelled",
        "item.stock_changed",
    ]
    agreed = Event.objects.get(topic="refund.agreed").data["refund"]
    assert agreed["status"] == "agreed"
    assert Event.objects.get(topic="item.stock_changed").data["reason"] == "cancellation"


def test_refusal_then_withdrawal(installation, shop, item, funded_buyer, place_order):
    [order] = place_order(funded_buyer, (item.skus.first(), 1))
    orders.pay(funded_buyer, [order])
    refund = refunds.request_refund(order, funded_buyer, Decimal("1.00"), "scratch")
    Event.objects.all().delete()
    refund = refunds.refuse(refund, "no scratch in the photo")
    refund = refunds.escalate(refund, funded_buyer)
    refunds.arbitrate(refund, for_buyer=False, note="as described")
    assert topics(shop) == ["refund.refused", "refund.closed"]


def test_item_events(installation, shop, dresses):
    item = catalog.create_item(
        shop,
        title="Linen dress",
        category=dresses,
        skus=[catalog.SkuSpec({}, Decimal("99.00"), 3)],
    )
    catalog.update_skus(item, {item.skus.first().pk: (Decimal("89.00"), 5)})
    catalog.set_status(item, "deleted")
    assert topics(shop) == ["item.created", "item.updated", "item.stock_changed", "item.deleted"]
    created = Event.objects.get(topic="item.created").data["item"]
    assert created["title"] == "Linen dress"
    assert Event.objects.get(topic="item.deleted").data == {"item_id": str(item.public_id)}


def test_install_and_uninstall_events_name_the_app(app, shop):
    installed(app, shop, ["orders:read"])
    installed(app, shop, ["orders:read"])  # the same grant again says nothing new
    uninstall(app, shop)
    rows = list(Event.objects.filter(app=app).order_by("id"))
    assert [e.topic for e in rows] == ["app.installed", "app.uninstalled"]
    assert rows[0].data == {"shop_id": str(shop.public_id), "scopes": ["orders:read"]}
