"""hello's test fixtures: the platform's personas and a live platform server for the app to talk to."""

import pytest  # noqa: E402


@pytest.fixture
def order_in(funded_buyer, address):
    """An order of Bob's for one SKU, paid, the way the storefront would do it."""
    from emporium.trade import orders

    def make(sku, status: str = "paid"):
        (order,) = orders.checkout(funded_buyer, address, [(sku, 1)])
        if status == "paid":
            orders.pay(funded_buyer, [order])
        order.refresh_from_db()
        return order

    return make
