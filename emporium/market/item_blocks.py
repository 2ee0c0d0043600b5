"""Item-page app blocks: a seller turns a block on for all the shop's items or chosen ones, and the
item page frames it with a short-lived signed context (docs/blocks.md).

The context is a JWT (HS256) signed with the app's client secret, like the embedded page's session
token: `iss` the platform, `aud` "<client id>/block", `typ` "block", `shop`, `item`, `sku` (the
SKU chosen, or null), `locale`, `placement`, `iat`/`nbf`/`exp` (5 minutes), `jti`, and `buyer` (the
buyer's app-specific id) only when the caller passes one: only a buyer who authorized that app has
one.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import jwt
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils.translation import gettext as _

from emporium.catalog.models import Item
from emporium.ecosystem.models import App, Installation
from emporium.ecosystem.registration import unsealed_secret
from emporium.lib import clock
from emporium.lib.errors import DomainError
from emporium.market.billing import BillingError
from emporium.market.blocks import live_blocks
from emporium.market.embedding import origin_of, with_query
from emporium.market.models import Block, ItemBlockPlacement, Listing, Subscription
from emporium.shops.models import Shop

ITEM_PLACEMENTS = (Block.Placement.GALLERY, Block.Placement.BUY_BOX, Block.Placement.DESCRIPTION)
MAX_ITEM_BLOCKS = 6


class BlockNotGranted(DomainError):
    """A block asked for a context it was not given: not on this item, or a SKU of another item."""

    def __init__(self, message: str, code: str, status: int):
        super().__init__(message, code=code, status=status)


# --- the seller's side ---------------------------------------------------------------------------


def item_page_blocks(shop: Shop) -> QuerySet[Block]:
    """Reviewed item-page blocks of the apps the shop has installed and not lost to an unpaid bill."""
    return live_blocks(shop).filter(live_placement__in=ITEM_PLACEMENTS)


def item_placements(shop: Shop) -> QuerySet[ItemBlockPlacement]:
    return ItemBlockPlacement.objects.filter(shop=shop).select_related("block__listing")


def _choosable_items(shop: Shop, ids: Iterable[int]) -> list[Item]:
    wanted = set(ids)
    found = list(Item.objects.filter(shop=shop, pk__in=wanted).exclude(status=Item.Status.DELETED))
    if len(found) != len(wanted):
        raise BillingError(_("Choose items of your own shop."), "bad_item", "items")
    return found


@transaction.atomic
def turn_on(
    shop: Shop,
    block_id: int,
    *,
    all_items: bool,
    add: Iterable[int] = (),
    remove: Iterable[int] = (),
) -> ItemBlockPlacement:
    """Show the block on every item of the shop, or on the chosen ones (`add` and `remove` change
    the choice; it is kept when the seller switches to all items and back)."""
    block = item_page_blocks(shop).filter(pk=block_id).first()
    if block is None:
        raise BillingError(_("Choose a block of an app you installed."), "bad_block", "block")
    added = _choosable_items(shop, add)
    row = ItemBlockPlacement.objects.select_for_update().filter(shop=shop, block=block).first()
    if row is None:
        if ItemBlockPlacement.objects.filter(shop=shop).count() >= MAX_ITEM_BLOCKS:
            raise BillingError(
                _("Item pages show at most %(n)s blocks.") % {"n": MAX_ITEM_BLOCKS},
                "too_many",
                "block",
            )
        last = ItemBlockPlacement.objects.filter(shop=shop).aggregate(m=Max("position"))["m"]
        row = ItemBlockPlacement.objects.create(
            shop=shop, block=block, position=0 if last is None else last + 1
        )
    row.items.remove(*set(remove))
    row.items.add(*added)
    if not all_items and not row.items.exists():
        raise BillingError(_("Choose at least one item, or all items."), "no_items", "items")
    row.all_items = all_items
    row.save(update_fields=["all_items"])
    return row


def turn_off(shop: Shop, placement_id: int) -> None:
    ItemBlockPlacement.objects.filter(shop=shop, pk=placement_id).delete()


# --- the buyer's side ----------------------------------------------------------------------------


def may_have_blocks():
    """For the item query: does the item's shop place any item-page block at all? A page without
    blocks then costs no query for them."""
    return Exists(ItemBlockPlacement.objects.filter(shop=OuterRef("shop_id")))


@dataclass(frozen=True)
class LiveBlock:
    """One row of what an item page shows: the placement, its reviewed block, the block's app."""

    placement_id: int
    name: str
    url: str
    placement: str
    fullscreen: bool
    listing_name: str
    app: App


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def shown_on(item: Item, placement_id: int | None = None) -> list[LiveBlock]:
    """The blocks the item page shows now, in one query however many: turned on for this item,
    reviewed, of an app installed and not suspended. Uninstalling, a suspension or a takedown
    therefore hides a block on the next page view.

    Plain SQL because this runs on every item page of a shop with blocks: the same statement
    built by the ORM (three nested EXISTS) cost more to compile than to run (docs/blocks.md)."""
    sql = f"""
        SELECT p.id, b.name, b.live_url, b.live_placement, b.live_fullscreen, l.name,
               a.id, a.client_id, a.sealed_secret
        FROM {_table(ItemBlockPlacement)} p
        JOIN {_table(Block)} b ON b.id = p.block_id
        JOIN {_table(Listing)} l ON l.id = b.listing_id
        JOIN {_table(App)} a ON a.id = l.app_id
        WHERE p.shop_id = %s
          AND b.live_url <> '' AND b.live_placement IN (%s, %s, %s)
          AND (p.all_items = %s OR EXISTS (
                SELECT 1 FROM {_table(ItemBlockPlacement.items.through)} t
                WHERE t.itemblockplacement_id = p.id AND t.item_id = %s))
          AND EXISTS (
                SELECT 1 FROM {_table(Installation)} i
                WHERE i.app_id = a.id AND i.shop_id = p.shop_id AND i.uninstalled_at IS NULL
                  AND NOT EXISTS (
                      SELECT 1 FROM {_table(Subscription)} s
                      WHERE s.installation_id = i.id AND s.status = %s))
          {"AND p.id = %s" if placement_id is not None else ""}
        ORDER BY p.position, p.id
    """  # noqa: S608 (table names come from our models; every value is a parameter)
    params: list[int | str | bool] = [item.shop_id, *ITEM_PLACEMENTS, True, item.pk]
    params.append(Subscription.Status.SUSPENDED)
    if placement_id is not None:
        params.append(placement_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        LiveBlock(
            placement_id=row[0],
            name=row[1],
            url=row[2],
            placement=row[3],
            fullscreen=bool(row[4]),
            listing_name=row[5],
            app=App(id=row[6], client_id=row[7], sealed_secret=row[8]),
        )  # fmt: skip
        for row in rows
    ]


@dataclass(frozen=True)
class ShownItemBlock:
    id: int  # the placement: the page asks for fresh contexts by it
    name: str
    app: str
    placement: str
    src: str
    origin: str
    fullscreen: bool


def block_audience(client_id: str) -> str:
    return f"{client_id}/block"


def no_buyer(app: App) -> str | None:
    return None


@dataclass(frozen=True)
class Viewer:
    """Who looks at the item page and how: what goes into every block's context. `buyer_id_for`
    gives the buyer's app-specific id for an app the buyer authorized, else None."""

    issuer: str
    locale: str
    buyer_id_for: Callable[[App], str | None] = no_buyer


def block_context(
    block: LiveBlock,
    secret: str,
    item: Item,
    sku_id: int | None,
    viewer: Viewer,
    buyer_id: str | None,
) -> str:
    """The signed context one block gets; `buyer_id` only for a buyer who authorized the block's
    app (the caller decides; nothing else puts a buyer in it)."""
    now = int(clock.now().timestamp())
    claims: dict[str, object] = {
        "iss": viewer.issuer,
        # Its own audience: a block context (public, in the item page) can never pass for the
        # session token of the app's admin page, whose audience is the bare client id.
        "aud": block_audience(block.app.client_id),
        "typ": "block",
        "shop": str(item.shop.public_id),
        "item": str(item.public_id),
        "sku": sku_id,
        "locale": viewer.locale,
        "placement": block.placement,
        "iat": now,
        "nbf": now,
        "exp": now + settings.APP_BLOCK_CONTEXT_SECONDS,
        "jti": uuid.uuid4().hex,
    }
    if buyer_id is not None:
        claims["buyer"] = buyer_id
    return jwt.encode(claims, secret, algorithm="HS256")


def _secrets(apps: Iterable[App]) -> dict[int, str | None]:
    """Each app's secret unsealed once per page, however many of its blocks the page shows."""
    return {app.pk: unsealed_secret(app) for app in {app.pk: app for app in apps}.values()}


def blocks_for_page(item: Item, sku_id: int | None, viewer: Viewer) -> list[ShownItemBlock]:
    rows = shown_on(item)
    secrets = _secrets(row.app for row in rows)
    shown = []
    for row in rows:
        secret = secrets[row.app.pk]
        if secret is None:  # an app that never sealed its secret cannot be given a context
            continue
        token = block_context(row, secret, item, sku_id, viewer, viewer.buyer_id_for(row.app))
        shown.append(
            ShownItemBlock(
                id=row.placement_id,
                name=row.name,
                app=row.listing_name,
                placement=row.placement,
                src=with_query(row.url, context=token),
                origin=origin_of(row.url),
                fullscreen=row.fullscreen,
            )
        )
    return shown


def fresh_context(item: Item, placement_id: int, sku_id: int | None, viewer: Viewer) -> str:
    """A new context for one block of the item page (another SKU was chosen, or the last one is
    about to expire). Refused for a block not shown on this item and a SKU of another item."""
    found = shown_on(item, placement_id)
    secret = unsealed_secret(found[0].app) if found else None
    if not found or secret is None:
        raise BlockNotGranted(_("This block is not on this item's page."), "block_not_here", 404)
    if sku_id is not None and not item.skus.filter(pk=sku_id).exists():
        raise BlockNotGranted(_("This SKU is not one of this item's."), "sku_not_of_item", 422)
    row = found[0]
    return block_context(row, secret, item, sku_id, viewer, viewer.buyer_id_for(row.app))


def set_frame_src(response, origins: list[str]) -> None:
    """Name these origins (and only these) in the response's CSP `frame-src`: added to a policy
    already on the response (a site-wide one), or a policy of its own when there is none.
    Without origins the page frames nothing."""
    sources = " ".join(sorted(set(origins))) or "'none'"
    current = response.get("Content-Security-Policy", "")
    directives = [d.strip() for d in current.split(";") if d.strip()]
    kept = [d for d in directives if d.split()[0].lower() != "frame-src"]
    if not directives:
        kept = ["object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"]
    response["Content-Security-Policy"] = "; ".join([f"frame-src {sources}", *kept])
