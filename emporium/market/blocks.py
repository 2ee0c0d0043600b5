"""Storefront app blocks: sellers place blocks of installed apps on the shop page, in order, and
the page shows each in a sandboxed iframe (scripts only: never our origin, so never our cookies)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from emporium.ecosystem.models import Installation
from emporium.market.billing import BillingError
from emporium.market.embedding import origin_of, with_query
from emporium.market.models import Block, BlockPlacement, Subscription
from emporium.shops.models import Shop

MAX_BLOCKS = 10


def live_blocks(shop: Shop):
    """Reviewed blocks of the apps the shop has installed (and not lost for an unpaid invoice),
    wherever they go; one query, whatever follows it."""
    suspended = Subscription.objects.filter(
        installation__shop=shop, status=Subscription.Status.SUSPENDED
    ).values("installation__app_id")
    return (
        Block.objects.filter(
            listing__app__installations__in=Installation.objects.active().filter(shop=shop),
        )
        .exclude(live_url="")
        .exclude(listing__app_id__in=suspended)
        .select_related("listing")
        .order_by("listing__name", "id")
    )


def placeable_blocks(shop: Shop):
    """Blocks the shop may put on its shop page."""
    return live_blocks(shop).filter(live_placement=Block.Placement.SHOP)


def placements(shop: Shop):
    return BlockPlacement.objects.filter(shop=shop).select_related("block__listing")


@transaction.atomic
def place(shop: Shop, block_id: int) -> BlockPlacement:
    block = placeable_blocks(shop).filter(pk=block_id).first()
    if block is None:
        raise BillingError(_("Choose a block of an app you installed."), "bad_block", "block")
    if BlockPlacement.objects.filter(shop=shop, block=block).exists():
        raise BillingError(_("This block is already on your shop page."), "already_placed", "block")
    if BlockPlacement.objects.filter(shop=shop).count() >= MAX_BLOCKS:
        raise BillingError(
            _("A shop page shows at most %(n)s blocks.") % {"n": MAX_BLOCKS}, "too_many", "block"
        )
    last = BlockPlacement.objects.filter(shop=shop).aggregate(m=Max("position"))["m"]
    return BlockPlacement.objects.create(
        shop=shop, block=block, position=0 if last is None else last + 1
    )


def remove(shop: Shop, placement_id: int) -> None:
    BlockPlacement.objects.filter(shop=shop, pk=placement_id).delete()


@transaction.atomic
def move(shop: Shop, placement_id: int, step: int) -> None:
    """Swap a block with its neighbour above (step -1) or below (+1)."""
    rows = list(BlockPlacement.objects.select_for_update().filter(shop=shop))
    index = next((i for i, row in enumerate(rows) if row.pk == placement_id), None)
    if index is None or not 0 <= index + step < len(rows):
        return
    rows[index], rows[index + step] = rows[index + step], rows[index]
    for position, row in enumerate(rows):
        row.position = position
    BlockPlacement.objects.bulk_update(rows, ["position"])


@dataclass(frozen=True)
class ShownBlock:
    name: str
    app: str
    src: str


def shop_page_blocks(shop: Shop) -> list[ShownBlock]:
    """What the storefront shows: placed blocks of apps still installed and not suspended."""
    live = placeable_blocks(shop).values("pk")
    rows = placements(shop).filter(block_id__in=live)  # one query: the filter is a subquery
    return [
        ShownBlock(
            name=row.block.name,
            app=row.block.listing.name,
            src=with_query(row.block.live_url, shop=str(shop.public_id)),
        )
        for row in rows
    ]


def frame_origins(urls: list[str]) -> list[str]:
    return sorted({origin_of(url) for url in urls})


def frame_policy(urls: list[str]) -> str:
    """The page's Content-Security-Policy: frames only from these origins, nothing else framed."""
    origins = sorted({origin_of(url) for url in urls})
    frames = " ".join(origins) if origins else "'none'"
    return f"frame-src {frames}; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
