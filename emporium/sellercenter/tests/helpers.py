"""Steps the seller center tests share, taken with the same domain functions a request runs."""

from decimal import Decimal

from emporium.finance import ledger
from emporium.fixtures import past_return_window
from emporium.trade import orders
from emporium.trade.models import Order


def settle(order: Order) -> Order:
    """Mei ships, Bob confirms receipt: the order settles to Mei, less commission; its return
    window has passed, so Mei may withdraw what it brought."""
    orders.ship(order, "SF Express", f"SF{order.pk:08d}")
    orders.confirm_receipt(order)
    past_return_window(order)
    order.refresh_from_db()
    return order


def seller_balance(member) -> Decimal:
    return ledger.balance_of(f"seller:{member.pk}")


def wallet_balance(member) -> Decimal:
    return ledger.balance_of(f"wallet:{member.pk}")


def form_errors(response, name: str = "form") -> dict:
    return response.context[name].errors
