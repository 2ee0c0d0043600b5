"""The market plans: Free books up to 200 transactions a month, Pro has no limit.

Movements from the platform are always booked — books that keep themselves never stop, and
they must agree with the platform's balance. The limit gates what the seller adds by hand:
a typed expense or an import that would take the month past 200 is refused, with the reason.
"""

from __future__ import annotations

from datetime import date

from emporium_sdk import Client, EmporiumError

from emporium_books.store import Store

FREE_PER_MONTH = 200


def plan_of(client: Client) -> str:
    """ "pro" when the shop chose a paid plan in the market, else "free"."""
    try:
        subscription = client.billing.get_subscription()
    except EmporiumError:
        return "free"  # installed outside the market (a developer's sandbox)
    return "free" if subscription.kind == "free" else "pro"


def room_left(store: Store, shop_id: str, today: date) -> int | None:
    """How many more transactions this month's plan allows (None: no limit)."""
    shop = store.shop(shop_id)
    if shop is None or shop.plan != "free":
        return None
    return max(0, FREE_PER_MONTH - store.count_in_month(shop_id, today.strftime("%Y-%m")))
