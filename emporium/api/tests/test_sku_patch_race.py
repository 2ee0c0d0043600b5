"""PATCH of a SKU's price never writes back a stock value read before a checkout took some
(issue 22, hole 10).

PostgreSQL shows the old bug; on SQLite the API's rate limiter takes the database's one write lock
before the handler reads the SKU, so there the test passes either way."""

import threading

import pytest
from django.db import connection, transaction

from emporium.catalog.models import Sku

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_price_change_does_not_undo_a_concurrent_stock_change(seller_api, item):
    sku = item.skus.first()
    Sku.objects.filter(pk=sku.pk).update(stock=10)
    assert seller_api.get(f"/items/{item.public_id}").status_code == 200  # warm: auth, routes
    locked, release = threading.Event(), threading.Event()

    def sell_one() -> None:
        # A checkout: lock the row, take one from stock, commit a moment later.
        try:
            with transaction.atomic():
                row = Sku.objects.select_for_update().get(pk=sku.pk)
                row.stock -= 1
                row.save(update_fields=["stock"])
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    seller = threading.Thread(target=sell_one)
    seller.start()
    assert locked.wait(10)
    # The PATCH reads the SKU now (stock 10 to any reader), then waits for the lock.
    threading.Timer(1.5, release.set).start()
    answer = seller_api.patch(f"/items/{item.public_id}/skus/{sku.pk}", {"price": "88.00"})
    seller.join(10)
    assert answer.status_code == 200, answer.content
    sku.refresh_from_db()
    assert (str(sku.price), sku.stock) == ("88.00", 9)
    assert answer.json()["stock"] == 9
