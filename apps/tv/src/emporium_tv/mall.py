"""What the TV does with the platform, through the SDK only: pairing, catalog rows, orders, events.

The web layer (web.py) turns these into JSON for the page; every platform call is here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import segno
from emporium_sdk import (
    DEVICE_KEEP_POLLING,
    ApiError,
    AuthenticationError,
    Client,
    ConflictError,
    Event,
    JsonFileTokenStore,
    OAuthApp,
    OAuthError,
    Token,
    WebhookVerificationError,
    WebhookVerifier,
)
from emporium_sdk.models import CatalogItemOut, OrderLineIn

from emporium_tv.config import Config
from emporium_tv.store import Store

SCOPES = ["buyer:profile", "buyer:addresses", "buyer:orders:read", "buyer:orders:write",
          "buyer:pay", "catalog:read"]  # fmt: skip
ROW_LENGTH = 12
CATEGORY_ROWS = 4
CACHE_SECONDS = 20.0  # the catalog changes slowly; a TV row a few seconds old is fine
ORDER_STATES = {"order.paid": "paid", "order.shipped": "shipped",
                "order.completed": "completed", "order.cancelled": "cancelled"}  # fmt: skip
# Webhooks may arrive out of order: a state never goes back (shipped, then a late "paid").
RANK = {"pending_payment": 0, "paid": 1, "shipped": 2, "completed": 3, "settled": 3, "cancelled": 3}
T = TypeVar("T")


class SoldOut(Exception):
    """The SKU sold out (or left sale) between browsing and ordering."""


class NotSignedIn(Exception):
    """The call needs the buyer; the TV is not paired (or the buyer revoked the app)."""


@dataclass
class Pairing:
    state: str  # "waiting" | "signed_in" | "denied"
    user_code: str = ""
    verification_uri: str = ""
    verification_uri_complete: str = ""
    qr_svg: str = ""
    expires_in: int = 0
    name: str = ""


def qr_svg(text: str) -> str:
    """An inline SVG QR code, big enough to scan from the sofa (the page sizes it)."""
    return str(segno.make(text, error="m").svg_inline(scale=1, border=2, dark="#000", light="#fff"))


class Mall:
    """One process's state: the OAuth client, the buyer tokens by TV, the app's store, caches."""

    def __init__(self, config: Config) -> None:
        config.ensure_dirs()
        self.config = config
        self.oauth = OAuthApp(config.client_id, config.client_secret, base_url=config.platform_url)
        self.tokens = JsonFileTokenStore(config.data_dir / "tokens.json")
        self.store = Store(config.data_dir / "tv.sqlite3")
        secrets = config.webhook_secrets.split()  # several while a secret is being rotated
        self.verifier = WebhookVerifier(secrets) if secrets else None
        self._app_token: Token | None = None
        self._cache: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    # --- clients ---------------------------------------------------------------------------

    def catalog(self) -> Client:
        """An app-level client (client credentials, `catalog:read`): browsing needs no buyer."""
        with self._lock:
            if self._app_token is None or self._app_token.expired():
                self._app_token = self.oauth.client_credentials(["catalog:read"])
            token = self._app_token.access_token
        return Client(self.config.platform_url, access_token=token, max_retries=1, timeout=10)

    def buyer(self, tv: str) -> Client:
        if self.tokens.load(tv) is None:
            raise NotSignedIn()
        return Client(self.config.platform_url, oauth=self.oauth, token_store=self.tokens,
                      token_key=tv, max_retries=1, timeout=10)  # fmt: skip

    def as_buyer(self, tv: str, call: Callable[[Client], T]) -> T:
        """Run a buyer call; a revoked authorization (401) signs the TV out with a message."""
        client = self.buyer(tv)
        try:
            return call(client)
        except (AuthenticationError, OAuthError) as error:
            if isinstance(error, OAuthError) and error.error != "invalid_grant":
                raise
            self.tokens.delete(tv)
            self.store.notify(tv, "revoked")
            raise NotSignedIn() from error
        finally:
            client.close()

    def cached(self, key: str, make: Callable[[], T]) -> T:
        hit = self._cache.get(key)
        if hit and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]  # type: ignore[no-any-return]
        value = make()
        self._cache[key] = (time.monotonic(), value)
        return value

    # --- pairing (RFC 8628) ----------------------------------------------------------------

    def pairing(self, tv: str) -> Pairing:
        """Where the TV's sign-in stands; polls the token endpoint when the interval is up, and
        starts a new code by itself when the old one expired."""
        if self.tokens.load(tv) is not None:
            return Pairing(state="signed_in", name=self.profile_name(tv))
        code = self.store.pairing(tv)
        if code is None or code.expires_at <= time.time():
            code = self.oauth.start_device_authorization(SCOPES)
            self.store.save_pairing(tv, code)
        elif self.store.next_poll(tv) <= time.time():
            try:
                self.tokens.save(tv, self.oauth.poll_device_token(code.device_code))
                self.store.forget_pairing(tv)
                return Pairing(state="signed_in", name=self.profile_name(tv))
            except OAuthError as error:
                if error.error == "access_denied":
                    self.store.forget_pairing(tv)
                    return Pairing(state="denied")
                if error.error not in DEVICE_KEEP_POLLING:  # expired or used: a new code
                    self.store.forget_pairing(tv)
                    return self.pairing(tv)
                slower = 5 if error.error == "slow_down" else 0
                self.store.polled(tv, code.interval + slower)
        return Pairing(
            state="waiting", user_code=f"{code.user_code[:4]}-{code.user_code[4:]}",
            verification_uri=code.verification_uri,
            verification_uri_complete=code.verification_uri_complete,
            qr_svg=qr_svg(code.verification_uri_complete),
            expires_in=max(0, int(code.expires_at - time.time())),
        )  # fmt: skip

    def profile_name(self, tv: str) -> str:
        return self.as_buyer(tv, lambda c: c.me.get_profile().name)

    def sign_out(self, tv: str) -> None:
        self.tokens.delete(tv)
        self.store.forget_pairing(tv)

    # --- the catalog -----------------------------------------------------------------------

    def card(self, item: CatalogItemOut) -> dict[str, Any]:
        skus = item.skus
        deal = next((s for s in skus if s.promotion), None)
        return {
            "id": item.id, "title": item.title, "category": item.category,
            "shop": item.shop.name, "price": item.price.amount, "currency": item.price.currency,
            "list_price": deal.list_price.amount if deal else None,
            "promotion": deal.promotion if deal else None, "stock": item.stock,
            "image": self._picture(item, 600), "sold": item.sales_count,
        }  # fmt: skip

    def _picture(self, item: CatalogItemOut, width: int) -> str:
        if not item.images:
            return ""
        urls = item.images[0].urls
        url = urls.get(str(width)) or next(iter(urls.values()), "")
        return self.config.platform_url + url if url.startswith("/") else url

    def home(self, tv: str, lang: str) -> list[dict[str, Any]]:
        """The home screen's rows: hot now, deals, recently viewed, then hot per category."""
        rows = self.cached(f"rows:{lang}", lambda: self._catalog_rows(lang))
        recent = [self.item_card(item_id) for item_id in self.store.recent(tv)]
        seen = [card for card in recent if card is not None]
        if seen:
            rows = [*rows[:2], {"key": "recent", "title": "", "items": seen}, *rows[2:]]
        return rows

    def _catalog_rows(self, lang: str) -> list[dict[str, Any]]:
        with self.catalog() as client:
            hot = [self.card(h.item) for h in client.catalog.hot_catalog_items(limit=ROW_LENGTH)]
            rows = [{"key": "hot", "title": "", "items": hot}]
            deals = [card for card in hot if card["promotion"]]
            if deals:
                rows.append({"key": "deals", "title": "", "items": deals})
            for category in client.categories.list()[:CATEGORY_ROWS]:
                items = client.catalog.hot_catalog_items(category=category.slug, limit=ROW_LENGTH)
                if items:
                    name = category.name_zh_hans if lang == "zh-hans" else category.name
                    rows.append({"key": f"category:{category.slug}", "title": name,
                                 "category": category.slug,
                                 "items": [self.card(h.item) for h in items]})  # fmt: skip
        return rows

    def categories(self, lang: str) -> list[dict[str, str]]:
        def load() -> list[dict[str, str]]:
            with self.catalog() as client:
                return [{"slug": c.slug, "name": c.name_zh_hans if lang == "zh-hans" else c.name}
                        for c in client.categories.list()]  # fmt: skip

        return self.cached(f"categories:{lang}", load)

    def category(self, slug: str) -> list[dict[str, Any]]:
        def load() -> list[dict[str, Any]]:
            with self.catalog() as client:
                page = client.catalog.search_catalog(category=slug, sort="sales", limit=40)
                return [self.card(item) for item in page.first_page().data]

        return self.cached(f"category:{slug}", load)

    def search(self, words: str) -> list[dict[str, Any]]:
        with self.catalog() as client:
            page = client.catalog.search_catalog(q=words, sort="relevance", limit=24)
            return [self.card(item) for item in page.first_page().data]

    def item_card(self, item_id: str) -> dict[str, Any] | None:
        try:
            return self.cached(f"card:{item_id}", lambda: self.card(self._item(item_id)))
        except ApiError:
            return None  # no longer on sale: it drops out of "recently viewed"

    def _item(self, item_id: str) -> CatalogItemOut:
        with self.catalog() as client:
            return client.catalog.get_catalog_item(item_id)

    def item(self, tv: str, item_id: str) -> dict[str, Any]:
        """The item screen: big pictures, every SKU with its price now and stock."""
        item = self._item(item_id)  # never cached: price and stock must be now
        self.store.viewed(tv, item_id)
        pictures = [
            (self.config.platform_url + u if (u := (i.urls.get("1200") or "")).startswith("/") else u)
            for i in item.images
        ]  # fmt: skip
        return {
            **self.card(item), "pictures": pictures, "option_names": item.option_names,
            "skus": [{"id": s.id, "options": s.options, "price": s.price.amount,
                      "list_price": s.list_price.amount, "promotion": s.promotion,
                      "stock": s.stock} for s in item.skus],
        }  # fmt: skip

    # --- ordering --------------------------------------------------------------------------

    def checkout(self, tv: str) -> dict[str, Any]:
        """The buyer's name and saved addresses, for the order screen."""

        def read(client: Client) -> dict[str, Any]:
            addresses = client.me.list_addresses()
            return {
                "name": client.me.get_profile().name,
                "addresses": [{"id": a.id, "text": f"{a.recipient} · {a.province} {a.city} "
                               f"{a.district} {a.street}", "default": a.is_default}
                              for a in addresses],
            }  # fmt: skip

        return self.as_buyer(tv, read)

    def order(self, tv: str, line: OrderLineIn, address_id: int, key: str) -> dict[str, Any]:
        """Place the order (the key makes a double press one order), then ask for payment."""

        def place(client: Client) -> dict[str, Any]:
            try:
                (order, *_) = client.me.place_order(lines=[line], address_id=address_id,
                                                   idempotency_key=key)  # fmt: skip
            except ConflictError as error:
                if error.code in {"out_of_stock", "not_on_sale", "shop_closed"}:
                    raise SoldOut(error.message) from error
                raise
            payment = client.me.request_payment(order.id)
            status = "paid" if payment.status == "paid" else order.status
            self.store.save_order(tv, order.id, order.number, status, order.total_amount.amount)
            url = payment.confirmation_url or ""
            return {
                "order_id": order.id, "number": order.number, "status": status,
                "total": order.total_amount.amount, "currency": order.total_amount.currency,
                "within_limit": payment.within_limit, "confirmation_url": url,
                "qr_svg": qr_svg(url) if url else "",
            }  # fmt: skip

        return self.as_buyer(tv, place)

    def order_status(self, tv: str, order_id: str) -> str:
        """The state the events brought; the API when none came yet (a webhook may be late)."""
        known = self.store.order_status(order_id)
        if known and known != "pending_payment":
            return known
        status = self.as_buyer(tv, lambda c: c.me.get_my_order(order_id).status)
        if known:
            self.store.set_status(f"poll:{order_id}:{status}", order_id, status)
        return status

    # --- events ----------------------------------------------------------------------------

    def receive(self, headers: dict[str, str], body: bytes) -> Event:
        if self.verifier is None:
            raise WebhookVerificationError("no webhook secret is configured")
        event = self.verifier.verify(body, headers)
        self.apply(event)
        return event

    def apply(self, event: Event) -> None:
        status = ORDER_STATES.get(event.type)
        order = event.data.get("order")
        if not (status and isinstance(order, dict) and "id" in order):
            return
        known = self.store.order_status(str(order["id"]))
        if known is None or RANK[status] >= RANK.get(known, 0):
            self.store.set_status(event.id, str(order["id"]), status)
