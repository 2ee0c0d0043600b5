"""The household's marketplace purchases, recorded by themselves once the member connects.

The member authorizes the app as a buyer (`buyer:orders:read` only: it reads their orders,
never orders or pays). The app keeps the buyer token under the pairwise buyer id the platform
knows them by, linked to the shop whose household book the purchases go to. Each paid order is
one personal expense (Shopping, paid from the household's Alipay) with the source
`purchase:<order id>`; what comes back (a refund, or a cancellation after payment) is a reversal
with the source `purchase:<order id>:refund:<refunded so far>`. Sources are unique in the store,
so the backfill from `/me/orders` and any number of webhook deliveries book each step once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from emporium_sdk import Client, OAuthApp, OAuthError, TokenStore
from emporium_sdk.models import BuyerOrderOut

from emporium_books import books
from emporium_books.store import Draft, Leg, Store

BUYER_SCOPES = ["buyer:orders:read"]
SHOPPING = "Expenses:Personal:Shopping"
PAID_FROM = "Assets:Personal:Alipay"
PENDING_SECONDS = 10 * 60
SCHEMA = """
create table if not exists buyer_link (
    buyer_id text primary key, shop_id text not null,
    connected_at text not null default current_timestamp
);
create index if not exists buyer_link_shop on buyer_link (shop_id);
create table if not exists buyer_pending (
    state text primary key, shop_id text not null, verifier text not null, started real not null
);
"""


@dataclass(frozen=True)
class Connected:
    shop_id: str
    buyer_id: str
    booked: int


def open_tables(store: Store) -> None:
    with store.connect() as db:
        db.executescript(SCHEMA)


def start(oauth: OAuthApp, store: Store, shop_id: str) -> str:
    """The platform's buyer consent URL for the member of this shop's household."""
    request = oauth.authorization_url(BUYER_SCOPES)
    with store.connect() as db:
        db.execute(
            "insert into buyer_pending (state, shop_id, verifier, started) values (?, ?, ?, ?)",
            (request.state, shop_id, request.code_verifier, time.time()),
        )
    return request.url


def is_pending(store: Store, state: str) -> bool:
    with store.connect() as db:
        found = db.execute("select 1 from buyer_pending where state = ?", (state,)).fetchone()
    return found is not None


def finish(oauth: OAuthApp, store: Store, tokens: TokenStore, query: dict[str, str]) -> Connected:
    """Check the callback, keep the buyer's token, link them to the shop and backfill their
    paid orders. Raises `OAuthError` for an unknown, used or expired state, or a refusal."""
    with store.connect() as db:
        row = db.execute(
            "delete from buyer_pending where state = ? returning shop_id, verifier, started",
            (query.get("state", ""),),
        ).fetchone()
    if row is None:
        raise OAuthError("invalid_state", "unknown or used state: connect again")
    shop_id, verifier, started = row
    if time.time() - started > PENDING_SECONDS:
        raise OAuthError("expired_state", "the authorization took too long: connect again")
    code = oauth.code_from_callback(query, query.get("state", ""))
    token = oauth.exchange_code(code, verifier)
    # The pairwise id from introspection: reading the profile would need one more scope.
    buyer_id = str(oauth.introspect(token.access_token).get("buyer_id") or "")
    if not buyer_id.startswith("byr_"):
        raise OAuthError("invalid_grant", "the platform did not give a buyer's token")
    tokens.save(buyer_id, token)
    with store.connect() as db:
        db.execute(
            "insert into buyer_link (buyer_id, shop_id) values (?, ?) on conflict (buyer_id) "
            "do update set shop_id = excluded.shop_id, connected_at = current_timestamp",
            (buyer_id, shop_id),
        )
    with buyer_client(oauth, tokens, buyer_id) as client:
        booked = backfill(client, store, shop_id)
    return Connected(shop_id, buyer_id, booked)


def buyer_client(oauth: OAuthApp, tokens: TokenStore, buyer_id: str) -> Client:
    """A client acting for the buyer; it refreshes their token and keeps the new pair."""
    return Client(oauth.base_url, oauth=oauth, token_store=tokens, token_key=buyer_id)


def backfill(client: Client, store: Store, shop_id: str) -> int:
    """Every paid order of the buyer's, as expenses and reversals; how many were new."""
    drafts: list[Draft] = []
    for order in client.me.list_my_orders(limit=100):
        drafts.extend(drafts_for(store, shop_id, order))
    return store.record_all(shop_id, drafts) if drafts else 0


def shop_of(store: Store, buyer_id: str) -> str | None:
    with store.connect() as db:
        row = db.execute(
            "select shop_id from buyer_link where buyer_id = ?", (buyer_id,)
        ).fetchone()
    return str(row[0]) if row else None


def buyers_of(store: Store, shop_id: str) -> list[str]:
    with store.connect() as db:
        rows = db.execute("select buyer_id from buyer_link where shop_id = ?", (shop_id,))
        return [str(row[0]) for row in rows]


def on_event(store: Store, data: dict[str, Any]) -> int:
    """A buyer-side `order.*` webhook: book what changed; 0 for a buyer no book follows."""
    shop_id = shop_of(store, str(data.get("buyer_id", "")))
    if shop_id is None or store.shop(shop_id) is None or not isinstance(data.get("order"), dict):
        return 0
    order = BuyerOrderOut.model_validate(data["order"])
    drafts = drafts_for(store, shop_id, order)
    return store.record_all(shop_id, drafts) if drafts else 0


def disconnect(store: Store, tokens: TokenStore, shop_id: str) -> int:
    """Forget the shop's buyers' tokens and links (purchases already booked stay booked)."""
    buyers = buyers_of(store, shop_id)
    for buyer_id in buyers:
        tokens.delete(buyer_id)
    with store.connect() as db:
        db.execute("delete from buyer_link where shop_id = ?", (shop_id,))
    return len(buyers)


def _day(moment: datetime) -> str:
    return books.day_of(moment).isoformat()


def drafts_for(store: Store, shop_id: str, order: BuyerOrderOut) -> list[Draft]:
    """The expense of a paid order and the reversal of what came back since, as not yet booked.

    The amount is what the buyer paid (the order's total); a cancellation after payment gives
    it all back, a refund gives back its amount (`refunded_amount`, the sum so far)."""
    if order.paid_at is None:
        return []  # awaiting payment, or cancelled unpaid: nothing left the household
    source = f"purchase:{order.id}"
    total = Decimal(order.total_amount.amount)
    refunded = Decimal(order.refunded_amount.amount)
    if order.status == "cancelled":
        refunded = total
    narration = f"{order.shop.name} · {order.number}"
    drafts = [
        Draft(source, _day(order.paid_at), narration, books.PERSONAL,
              [Leg(SHOPPING, total), Leg(PAID_FROM, -total)], category=SHOPPING,
              payee=order.shop.name)
    ]  # fmt: skip
    back = refunded - reversed_so_far(store, shop_id, source)
    if back > 0:
        day = order.cancelled_at if order.status == "cancelled" and order.cancelled_at else None
        drafts.append(
            Draft(f"{source}:refund:{refunded}", _day(day) if day else books.today().isoformat(),
                  f"{narration} (refund)", books.PERSONAL,
                  [Leg(SHOPPING, -back), Leg(PAID_FROM, back)], category=SHOPPING,
                  payee=order.shop.name)
        )  # fmt: skip
    return drafts


def reversed_so_far(store: Store, shop_id: str, source: str) -> Decimal:
    """What the reversals of one purchase have given back already (a positive amount)."""
    with store.connect() as db:
        row = db.execute(
            "select coalesce(sum(p.cents), 0) from posting p join txn t on t.id = p.txn_id "
            "where t.shop_id = ? and t.source like ? and p.account = ?",
            (shop_id, f"{source}:refund:%", PAID_FROM),
        ).fetchone()
    return (Decimal(row[0]) / 100).quantize(Decimal("0.01"))
