"""A buyer pays the orders of many shops in one payment (the pay page takes up to 20)."""

from decimal import Decimal

from emporium.finance import ledger
from emporium.finance.models import Posting
from emporium.fixtures import make_member
from emporium.shops.services import open_shop
from emporium.trade import orders


def test_one_payment_covers_the_orders_of_twenty_shops(make_item, funded_buyer, address):
    """Its ledger reference names every order: at 80 characters it broke on PostgreSQL from
    the fourth order on (a DataError, a 500 on the pay page)."""
    skus = []
    for n in range(20):
        shop = open_shop(make_member(f"seller{n}"), name=f"Shop {n}")
        skus.append(make_item(shop, price="10.00").skus.get())
    made = orders.checkout(funded_buyer, address, [(sku, 1) for sku in skus])
    assert len(made) == 20
    before = ledger.balance_of(ledger.wallet_code(funded_buyer))
    posting = orders.pay(funded_buyer, made)
    assert all(order.number in posting.reference for order in made)
    assert Posting.objects.get(pk=posting.pk).reference == posting.reference
    assert ledger.balance_of(ledger.wallet_code(funded_buyer)) == before - Decimal("200.00")
