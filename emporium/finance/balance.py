"""A shop's balance as the ledger holds it: its movements (balance transactions) and its escrow."""

from decimal import Decimal

from django.db.models import F, QuerySet, Sum, Value
from django.db.models.functions import Concat

from emporium.finance import ledger
from emporium.finance.models import Entry
from emporium.lib import money
from emporium.shops.models import Shop
from emporium.trade.models import Order

# What each public type is made of: the posting reasons, and for app charges the sign.
TYPE_FILTERS: dict[str, dict] = {
    "settlement": {"posting__reason": "settlement"},
    "refund": {"posting__reason": "refund"},
    "withdrawal": {"posting__reason": "withdrawal"},
    "app_charge": {"posting__reason": "app_charge", "amount__lt": 0},
    "app_refund": {"posting__reason": "app_charge", "amount__gt": 0},
}


def transactions(shop: Shop, kind: str | None = None) -> QuerySet[Entry]:
    """The entries on the shop owner's balance, oldest first by id (ids only grow per account:
    each entry is written under the account's row lock)."""
    rows = Entry.objects.filter(account__code=ledger.seller_code(shop.owner_id)).select_related(
        "posting"
    )
    if kind == "adjustment":
        known = {"settlement", "refund", "withdrawal", "app_charge"}
        return rows.exclude(posting__reason__in=known)
    if kind:
        return rows.filter(**TYPE_FILTERS[kind])
    return rows


def legs_of(entries: list[Entry]) -> dict[int, dict[str, Decimal]]:
    """Each posting's amounts by account code, for the postings of these entries (one query)."""
    legs: dict[int, dict[str, Decimal]] = {}
    rows = Entry.objects.filter(posting_id__in={e.posting_id for e in entries}).values_list(
        "posting_id", "account__code", "amount"
    )
    for posting_id, code, amount in rows:
        legs.setdefault(posting_id, {})[code] = amount
    return legs


def available(shop: Shop) -> tuple[Decimal, Entry | None]:
    """The balance and the newest entry it includes, read together from the ledger."""
    last = transactions(shop).order_by("-pk").first()
    return ledger.balance_of(ledger.seller_code(shop.owner_id)), last


def escrow(shop: Shop) -> Decimal:
    """What escrow holds for the shop's orders.

    A checkout pays several shops' orders with one escrow leg (`orders:<n>,<n>`), split exactly
    by the orders' totals; everything that leaves escrow afterwards (refund, settlement) is a
    posting of one order (`order:<n>`). So: the paid orders' totals, plus the escrow legs of
    their own postings (negative)."""
    orders = Order.objects.filter(shop=shop, paid_at__isnull=False)
    paid_in = orders.aggregate(total=Sum("total_amount"))["total"]
    references = orders.annotate(ref=Concat(Value("order:"), F("number"))).values("ref")
    left = Entry.objects.filter(
        account__code=ledger.ESCROW, posting__reference__in=references
    ).aggregate(total=Sum("amount"))["total"]
    # SQLite sums decimals as floats; back to exact cents.
    return money.cents_or_zero(paid_in) + money.cents_or_zero(left)


def returnable(owner_id: int) -> Decimal:
    """What the seller's balance received for orders still inside their return window (settled,
    fee still held): it stays until the window closes, so a return can always be paid back."""
    rows = Order.objects.filter(
        shop__owner_id=owner_id, status=Order.Status.SETTLED, fee_settled_at__isnull=True
    ).values_list("total_amount", "refunded_amount", "commission_amount")
    # Summed in Python: SQLite adds decimals as floats.
    return sum((total - refunded - fee for total, refunded, fee in rows), money.ZERO)
