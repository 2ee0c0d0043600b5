"""Items with their SKUs and pictures, as a seller manages them and as the public catalog shows them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast
from uuid import UUID

from django.db import connections, router
from django.db.models import Field as ModelField
from django.db.models import Model, QuerySet
from django.db.models.expressions import Col
from ninja import Field, Schema

from emporium.catalog.models import Item, ItemImage, Sku
from emporium.lib.money import CURRENCY, format_amount
from emporium.resources.common import Money, UtcDatetime, money
from emporium.resources.links import absolute, item_page, original_path, picture_url

STATUSES = "on_sale | stock_room | deleted"


class SkuOut(Schema):
    id: int
    options: dict[str, str] = Field(examples=[{"Colour": "Red", "Size": "M"}])
    code: str = Field(description="the seller's own code")
    price: Money
    stock: int


class OriginalOut(Schema):
    """The picture as uploaded (upright, without metadata), at full size: what zoom needs."""

    url: str = Field(description="served with immutable caching; the name is the content hash")
    width: int
    height: int
    sha256: str = Field(description="SHA-256 of the served bytes; a new hash is a new picture")
    content_type: str = Field(examples=["image/jpeg"], description="image/jpeg or image/png")
    size_bytes: int


class ImageOut(Schema):
    id: int
    key: str = Field(description="content address; a design's picture settings take it")
    position: int = Field(description="0 is the main picture")
    width: int
    height: int
    urls: dict[str, str] = Field(description="by width in pixels: 240, 600, 1200")
    original: OriginalOut | None = Field(
        None, description="null for pictures uploaded before originals were kept"
    )


class ItemOut(Schema):
    id: UUID
    title: str
    category: str = Field(description="slug of a leaf of /categories", examples=["dresses"])
    description_html: str
    option_names: list[str]
    price: Money = Field(description="the lowest SKU price")
    stock: int = Field(description="the sum over SKUs")
    sales_count: int
    status: str = Field(description=STATUSES)
    skus: list[SkuOut]
    images: list[ImageOut]
    url: str = Field(description="the storefront page")
    created_at: UtcDatetime
    updated_at: UtcDatetime


class PublicSkuOut(Schema):
    id: int
    options: dict[str, str]
    price: Money
    in_stock: bool


class PublicShop(Schema):
    id: UUID
    name: str


class PublicItemOut(Schema):
    id: UUID
    title: str
    category: str
    shop: PublicShop
    price: Money
    sales_count: int
    in_stock: bool
    skus: list[PublicSkuOut]
    images: list[ImageOut]
    url: str
    updated_at: UtcDatetime


def sku_out(sku: Sku) -> SkuOut:
    return SkuOut(
        id=sku.pk, options=sku.options, code=sku.code, price=money(sku.price), stock=sku.stock
    )


def image_out(image: ItemImage) -> ImageOut:
    urls = {str(w): picture_url(image.key, w) for w in (240, 600, 1200)}
    return ImageOut(
        id=image.pk,
        key=image.key,
        position=image.position,
        width=image.width,
        height=image.height,
        urls=urls,
        original=original_out(image),
    )


def original_out(image: ItemImage) -> OriginalOut | None:
    if not image.original_sha256:
        return None
    fmt = image.original_format
    return OriginalOut(
        url=absolute(original_path(image.original_sha256, fmt)),
        width=image.width,
        height=image.height,
        sha256=image.original_sha256,
        content_type=f"image/{fmt}",
        size_bytes=image.original_bytes,
    )


def item_out(item: Item) -> ItemOut:
    """Expects skus, images and category prefetched (see routes.items.ITEMS)."""
    return ItemOut(
        id=item.public_id,
        title=item.title,
        category=item.category.slug,
        description_html=item.description_html,
        option_names=item.option_names,
        price=money(item.price),
        stock=item.stock,
        sales_count=item.sales_count,
        status=item.status,
        skus=[sku_out(s) for s in item.skus.all()],
        images=[image_out(i) for i in item.images.all()],
        url=item_page(item.public_id),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def public_item_out(item: Item) -> PublicItemOut:
    return PublicItemOut(
        id=item.public_id,
        title=item.title,
        category=item.category.slug,
        shop=PublicShop(id=item.shop.public_id, name=item.shop.name),
        price=money(item.price),
        sales_count=item.sales_count,
        in_stock=item.stock > 0,
        skus=[
            PublicSkuOut(id=s.pk, options=s.options, price=money(s.price), in_stock=s.stock > 0)
            for s in item.skus.all()
        ],
        images=[image_out(i) for i in item.images.all()],
        url=item_page(item.public_id),
        updated_at=item.updated_at,
    )


# --- the item list, fast: plain values, validated by no schema --------------------------------
#
# A page of 50 items built as ItemOut objects cost ~30 ms of CPU: every object was validated
# when built and again by ninja, and the prefetch made an ORM object per SKU and picture. The
# list reads only the columns ItemOut shows, in three queries, and builds the very dicts
# ItemOut.model_dump() would give (same keys and order), which the API renders with ninja's own
# JSON renderer. api/tests/test_items_fast.py holds them to the schema. Ids and times are text
# already, written as that renderer writes them: handing it UUID and datetime objects cost a
# Python callback each (150 a page), a sixth of the page's CPU with the rendering they slowed.

ITEM_COLUMNS = (
    "pk", "public_id", "title", "category__slug", "description_html", "option_names", "price",
    "stock", "sales_count", "status", "created_at", "updated_at",
)  # fmt: skip
SKU_COLUMNS = ("item_id", "id", "options", "code", "price", "stock")
IMAGE_COLUMNS = (
    "item_id", "id", "key", "position", "width", "height",
    "original_sha256", "original_format", "original_bytes",
)  # fmt: skip


@dataclass(frozen=True)
class _Children:
    """The SELECT of a page's SKUs or pictures, written once per model and database."""

    head: str  # up to "IN (", the item ids' placeholders go after it
    tail: str
    converters: tuple[tuple[int, Col, tuple], ...]  # (column, expression, functions) to apply


@cache
def _children_sql(model: type[Model], columns: tuple[str, ...], alias: str) -> _Children:
    """What `model.objects.filter(item_id__in=…).order_by("position", "id").values_list(*columns)`
    sends, with the backend's converters of each column. The ORM rebuilt and compiled those two
    queries on every page (~0.6 ms of CPU each, a sixth of the page); as the token lookup does
    (api/auth.py), only the compiling is saved: the rows are read fresh on every call."""
    db = connections[alias]
    qn = db.ops.quote_name
    meta = model._meta

    def field(name: str) -> ModelField:
        return cast(ModelField, meta.get_field(name))

    def column(name: str) -> str:
        return f"{table}.{qn(str(field(name).column))}"

    converters = []
    for n, name in enumerate(columns):
        expression = field(name).get_col(meta.db_table)
        funcs = db.ops.get_db_converters(expression) + expression.get_db_converters(db)
        if funcs:
            converters.append((n, expression, tuple(funcs)))
    table = qn(meta.db_table)
    selected = ", ".join(column(name) for name in columns)
    order = f"{column('position')}, {column('id')}"
    item = column("item")
    # Identifiers come from our models, quoted by the backend; the ids are parameters.
    head = f"SELECT {selected} FROM {table} WHERE {item} IN ("  # noqa: S608
    return _Children(head=head, tail=f") ORDER BY {order} ASC", converters=tuple(converters))


def _children_of(model: type[Model], columns: tuple[str, ...], item_ids: list[int]) -> list:
    """The rows (as lists, in `columns` order) of `model` that belong to these items, by
    position then id; no query for no items."""
    if not item_ids:
        return []
    alias = router.db_for_read(model)
    query = _children_sql(model, columns, alias)
    db = connections[alias]
    with db.cursor() as cursor:
        cursor.execute(query.head + ", ".join(["%s"] * len(item_ids)) + query.tail, item_ids)
        rows = [list(row) for row in cursor.fetchall()]
    for n, expression, funcs in query.converters:
        for row in rows:
            value = row[n]
            for func in funcs:
                value = func(value, expression, db)
            row[n] = value
    return rows


def item_rows(items: QuerySet[Item]) -> QuerySet:
    """The item list's own columns (as dicts), for `item_dicts`; paginate it like the items."""
    return items.values(*ITEM_COLUMNS)


def _money(amount: Any) -> dict[str, str]:
    return {"amount": format_amount(amount), "currency": CURRENCY}


def json_time(moment: datetime) -> str:
    """An aware time in UTC, as text the way ninja's renderer (DjangoJSONEncoder) writes it:
    milliseconds at most, and Z for the zone."""
    text = moment.astimezone(UTC).isoformat()
    if moment.microsecond:
        text = text[:23] + text[26:]
    return text.removesuffix("+00:00") + "Z"


def image_dict(image: dict[str, Any]) -> dict[str, Any]:
    """What ImageOut dumps to, from a row of IMAGE_COLUMNS."""
    key, sha = image["key"], image["original_sha256"]
    original = None
    if sha:
        fmt = image["original_format"]
        original = {
            "url": absolute(original_path(sha, fmt)),
            "width": image["width"],
            "height": image["height"],
            "sha256": sha,
            "content_type": f"image/{fmt}",
            "size_bytes": image["original_bytes"],
        }
    return {
        "id": image["id"],
        "key": key,
        "position": image["position"],
        "width": image["width"],
        "height": image["height"],
        "urls": {str(w): picture_url(key, w) for w in (240, 600, 1200)},
        "original": original,
    }


def item_dicts(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """What ItemOut dumps to (ids and times as JSON text), for rows of `item_rows`: their SKUs and
    pictures in two queries."""
    rows = list(rows)
    # One reverse() per page rather than one per item (a tenth of the page's cost otherwise).
    blank = str(UUID(int=0))
    head, tail = item_page(blank).split(blank)
    skus: dict[int, list] = {row["pk"]: [] for row in rows}
    images: dict[int, list] = {row["pk"]: [] for row in rows}
    # A page's SKUs share a few prices: each is formatted once (the JSON is the same either way).
    prices: dict[Any, dict[str, str]] = {}
    ids = list(skus)
    for item_id, pk, options, code, price, stock in _children_of(Sku, SKU_COLUMNS, ids):
        if price not in prices:
            prices[price] = _money(price)
        skus[item_id].append(
            {"id": pk, "options": options, "code": code, "price": prices[price], "stock": stock}
        )
    for image in _children_of(ItemImage, IMAGE_COLUMNS, ids):
        images[image[0]].append(image_dict(dict(zip(IMAGE_COLUMNS, image, strict=True))))
    return [
        {
            "id": str(row["public_id"]),
            "title": row["title"],
            "category": row["category__slug"],
            "description_html": row["description_html"],
            "option_names": row["option_names"],
            "price": _money(row["price"]),
            "stock": row["stock"],
            "sales_count": row["sales_count"],
            "status": row["status"],
            "skus": skus[row["pk"]],
            "images": images[row["pk"]],
            "url": f"{head}{row['public_id']}{tail}",
            "created_at": json_time(row["created_at"]),
            "updated_at": json_time(row["updated_at"]),
        }
        for row in rows
    ]
