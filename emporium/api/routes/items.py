"""Items: list, create, read, change, delete, and list / delist."""

from typing import Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router
from ninja.renderers import JSONRenderer
from ninja.responses import Status

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import invalid, not_found
from emporium.api.idempotency import idempotent
from emporium.api.pagination import paginate
from emporium.api.schemas.common import AwareTime, PageQuery, to_decimal
from emporium.api.schemas.items import ItemCreate, ItemPatch, SkuIn, StatusIn
from emporium.catalog import services as catalog
from emporium.catalog.models import Category, Item
from emporium.resources.common import Page
from emporium.resources.items import ItemOut, item_dicts, item_out, item_rows
from emporium.shops.models import Shop

router = Router(tags=["items"])
LIVE = (Item.Status.ON_SALE, Item.Status.STOCK_ROOM)
JSON = JSONRenderer()  # the renderer (and so the bytes) ninja's own responses use
JSON_TYPE = f"{JSON.media_type}; charset={JSON.charset}"


class ItemFilter(PageQuery):
    status: Literal["on_sale", "stock_room", "deleted"] | None = Field(
        None, description="default: on sale and stock-room items (not deleted ones)"
    )
    updated_since: AwareTime | None = Field(None, description="ISO 8601 with a zone")


def items_of(shop: Shop) -> QuerySet[Item]:
    return (
        Item.objects.filter(shop=shop).select_related("category").prefetch_related("skus", "images")
    )


def own_item(shop: Shop, item_id: UUID) -> Item:
    """The shop's item, or 404 — also for another shop's item, whose existence never leaks."""
    item = items_of(shop).filter(public_id=item_id).first()
    if item is None:
        raise not_found()
    return item


def category_named(slug: str, field: str = "category") -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise invalid(field, f"{field}: no category has the slug {slug!r}; see /categories.")
    return category


def sku_specs(skus: list[SkuIn]) -> list[catalog.SkuSpec]:
    return [
        catalog.SkuSpec(
            options=sku.options,
            price=to_decimal(sku.price, f"skus.{n}.price"),
            stock=sku.stock,
            code=sku.code,
        )
        for n, sku in enumerate(skus)
    ]


@router.get("", response=Page[ItemOut], auth=Scoped("items:read"))
def list_items(request: ApiRequest, filters: Query[ItemFilter]) -> HttpResponse:
    """The shop's items, least recently updated first (so `updated_since` syncs never miss one)."""
    return page_of_items(request, request.auth.acting_for, filters)


def page_of_items(request: HttpRequest, shop: Shop, filters: ItemFilter) -> HttpResponse:
    """One page of the item list, rendered; also the benchmark's bare endpoint's (api/bare.py).

    Already JSON, so ninja passes it through: the dicts are exactly what Page[ItemOut] dumps
    to (resources.items.item_dicts, held to the schema by test_items_fast), and validating 50
    items against it cost more than everything else the call does.
    """
    found = Item.objects.filter(shop=shop)
    found = found.filter(status=filters.status) if filters.status else found.filter(status__in=LIVE)
    if filters.updated_since:
        found = found.filter(updated_at__gte=filters.updated_since)
    rows, cursor = paginate(item_rows(found), filters, key="updated_at", name="items")
    page = {"data": item_dicts(rows), "next_cursor": cursor}
    return HttpResponse(JSON.render(request, page, response_status=200), content_type=JSON_TYPE)


@router.post("", response={201: ItemOut}, auth=Scoped("items:write"))
@idempotent
def create_item(request: ApiRequest, payload: ItemCreate) -> Status:
    """A new item with its SKUs, in the stock-room. It goes on sale with stock and a picture: add
    its pictures (`POST /items/{item_id}/images`), then `POST /items/{item_id}/status`; `status`
    on_sale here is refused with 422 `picture_required`, as the item has no picture yet."""
    item = catalog.create_item_with_pictures(
        request.auth.acting_for,
        title=payload.title,
        category=category_named(payload.category),
        description_html=payload.description_html,
        option_names=payload.option_names,
        skus=sku_specs(payload.skus),
        pictures=(),
        status=payload.status,
    )
    return Status(201, item_out(own_item(request.auth.acting_for, item.public_id)))


@router.get("/{item_id}", response=ItemOut, auth=Scoped("items:read"))
def get_item(request: ApiRequest, item_id: UUID) -> ItemOut:
    return item_out(own_item(request.auth.acting_for, item_id))


@router.patch("/{item_id}", response=ItemOut, auth=Scoped("items:write"))
def update_item(request: ApiRequest, item_id: UUID, payload: ItemPatch) -> ItemOut:
    """Change title, category and/or description; omitted fields stay as they are."""
    item = own_item(request.auth.acting_for, item_id)
    title = item.title if payload.title is None else payload.title
    category = item.category if payload.category is None else category_named(payload.category)
    description = (
        item.description_html if payload.description_html is None else payload.description_html
    )
    if (title, category, description) == (item.title, item.category, item.description_html):
        return item_out(item)  # nothing to change, nothing to announce
    catalog.update_item(
        item,
        title=title,
        category=category,
        description_html=description,
        shop_categories=list(item.shop_categories.all()),
    )
    return item_out(own_item(request.auth.acting_for, item_id))


@router.delete("/{item_id}", response={204: None}, auth=Scoped("items:write"))
def delete_item(request: ApiRequest, item_id: UUID) -> Status:
    """Deleted items leave the shop but stay readable here (orders keep pointing at them)."""
    catalog.set_status(own_item(request.auth.acting_for, item_id), Item.Status.DELETED)
    return Status(204, None)


@router.post("/{item_id}/status", response=ItemOut, auth=Scoped("items:write"))
def set_item_status(request: ApiRequest, item_id: UUID, payload: StatusIn) -> ItemOut:
    """List (on_sale), delist (stock_room) or delete (deleted)."""
    catalog.set_status(own_item(request.auth.acting_for, item_id), payload.status)
    return item_out(own_item(request.auth.acting_for, item_id))
