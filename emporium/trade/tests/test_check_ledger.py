"""`emporium check-ledger` passes on the books the trading tests leave, and fails on broken ones."""

from decimal import Decimal

import pytest

from emporium.cli import main
from emporium.finance.models import Account
from emporium.trade import orders, refunds


@pytest.fixture
def traded(funded_buyer, shop, make_item, address):
    """A settled sale, a partly refunded one, and one still in escrow."""
    skus = [make_item(shop, title=f"Item {n}", price="100.00").skus.get() for n in range(3)]
    placed = [orders.checkout(funded_buyer, address, [(sku, 1)])[0] for sku in skus]
    orders.pay(funded_buyer, placed)
    for order in placed[:2]:
        orders.ship(order, "SF", "SF1")
    orders.confirm_receipt(placed[0])
    refunds.agree(refunds.request_refund(placed[1], funded_buyer, Decimal("30.00"), "Scratched"))
    return placed


def test_it_passes_on_honest_books(traded, capsys):
    main(["check-ledger"])
    out = capsys.readouterr().out
    assert "ledger OK" in out and "books sum to 0.00" in out


def test_it_fails_when_a_balance_was_edited_by_hand(traded, capsys):
    Account.objects.filter(code="escrow").update(balance=Decimal("1.00"))
    with pytest.raises(SystemExit) as failed:
        main(["check-ledger"])
    assert failed.value.code == 1
    assert "PROBLEM: escrow" in capsys.readouterr().out
