"""The catalogue of event topics: what each means, its payload version and the scope it needs.

The catalogue is published in the API docs (`GET /api/v1/events/topics` and docs/events.md);
a payload changes shape only with a new version number.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    scope: str | None  # the scope an installation needs to receive it; None: the app itself
    version: int
    description: str
    data: str  # what `data` holds


_ORDER = "`order`: the order as `GET /api/v1/orders/{id}` returns it"
_REFUND = "`refund`: the refund as `GET /api/v1/refunds/{id}` returns it"
_BALANCE = (
    "`balance_transaction`: the movement as `GET /api/v1/finance/balance-transactions` lists it"
)
_ITEM = "`item`: the item as `GET /api/v1/items/{id}` returns it"

CATALOGUE: dict[str, Topic] = {
    t.name: t
    for t in [
        Topic("order.created", "orders:read", 1, "A buyer placed an order (unpaid).", _ORDER),
        Topic("order.paid", "orders:read", 1, "The buyer paid; the money is in escrow.", _ORDER),
        Topic("order.shipped", "orders:read", 1, "The seller shipped the order.", _ORDER),
        Topic(
            "order.completed",
            "orders:read",
            1,
            "The buyer confirmed receipt, or the confirmation deadline passed.",
            _ORDER,
        ),
        Topic(
            "order.cancelled",
            "orders:read",
            1,
            "The order was cancelled (unpaid too long, by the buyer, or fully refunded).",
            _ORDER,
        ),
        Topic(
            "order.refunded",
            "orders:read",
            1,
            "Money went back to the buyer (a refund agreed); `refunded_amount` is the sum so far.",
            _ORDER,
        ),
        Topic(
            "order.settled",
            "orders:read",
            1,
            "Escrow was released to the seller's balance, less commission.",
            _ORDER,
        ),
        Topic("refund.requested", "refunds:read", 1, "A buyer asked for a refund.", _REFUND),
        Topic("refund.agreed", "refunds:read", 1, "The seller (or operator) agreed.", _REFUND),
        Topic("refund.refused", "refunds:read", 1, "The seller refused the refund.", _REFUND),
        Topic(
            "refund.closed",
            "refunds:read",
            1,
            "The refund ended: money returned, withdrawn by the buyer, or ruled on.",
            _REFUND,
        ),
        Topic("item.created", "items:read", 1, "An item was listed or drafted.", _ITEM),
        Topic(
            "item.updated", "items:read", 1, "An item's details, prices or status changed.", _ITEM
        ),
        Topic(
            "item.stock_changed",
            "items:read",
            1,
            "A SKU's stock changed (sale, cancellation, or the seller).",
            "`item_id`, `sku_id`, `stock` (new), `previous_stock`, `reason`",
        ),
        Topic("item.deleted", "items:read", 1, "An item was deleted.", "`item_id`"),
        Topic(
            "shop.updated",
            "shop:read",
            1,
            "The shop's name, description or settings changed.",
            "`shop`: the shop as `GET /api/v1/shop` returns it",
        ),
        Topic(
            "shop.design_published",
            "design:read",
            1,
            "A design of the shop's home page went live: published, rolled back, or on schedule.",
            "`version`: the version as `GET /api/v1/design/versions/{version_id}` returns it",
        ),
        Topic(
            "balance.transaction_created",
            "finance:read",
            1,
            "The shop's balance moved: a settlement, a return after settlement, withdrawal, app charge or credit.",
            _BALANCE,
        ),
        Topic(
            "balance.withdrawal_created",
            "finance:read",
            1,
            "The seller withdrew money from the shop's balance to a bank account.",
            _BALANCE,
        ),
        Topic(
            "app.installed",
            None,
            1,
            "A seller installed (or re-authorised) your app.",
            "`shop_id`, `scopes`",
        ),
        Topic(
            "app.uninstalled",
            None,
            1,
            "A seller uninstalled your app; its tokens are already revoked.",
            "`shop_id`",
        ),
        Topic(
            "app.erasure_requested",
            None,
            1,
            "48 hours after an uninstall: delete what you keep about this shop.",
            "`shop_id`, `uninstalled_at`",
        ),
        Topic(
            "customer_events.collected",
            "analytics:read",
            1,
            "A batch of storefront customer events (page views, engaged time, carts, checkouts).",
            "`events`: a list of customer events, fields in docs/customer-events.md",
        ),
    ]
}


def topic(name: str) -> Topic:
    try:
        return CATALOGUE[name]
    except KeyError:
        raise ValueError(f"unknown event topic {name!r}") from None


# A buyer app's token reads, on the feed, the buyer-side order events of the orders it placed.
BUYER_READABLE = {
    "order.paid", "order.shipped", "order.completed", "order.cancelled", "order.refunded"
}  # fmt: skip


def allowed(name: str, scopes: set[str] | frozenset[str]) -> bool:
    """Whether an installation (or a buyer's grant) holding `scopes` may receive this topic."""
    required = CATALOGUE[name].scope
    if name in BUYER_READABLE and "buyer:orders:read" in scopes:
        return True
    return required is None or required in scopes


def topics_for(scopes: set[str] | frozenset[str]) -> list[str]:
    return [name for name in CATALOGUE if allowed(name, scopes)]
