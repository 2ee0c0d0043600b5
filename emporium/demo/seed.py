"""Seed the demo marketplace: people, shops and a deterministic catalogue, topped up to any size."""

import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from emporium.catalog.models import Category, Item, ItemImage, Sku
from emporium.catalog.search_terms import category_path, category_terms, cjk_terms, title_terms
from emporium.catalog.services.pictures import MAX_IMAGES_PER_ITEM
from emporium.catalog.tree import plant_tree
from emporium.lib.html import clean_rich_text, plain_text
from emporium.members.models import CreditRecord, Member
from emporium.samples.cast import (
    BUYERS,
    DEMO_PASSWORD,
    DEVELOPER,
    OPERATOR,
    PICKS_CATEGORY,
    SHOPS,
    DemoShop,
    Person,
)
from emporium.samples.closeups import store_close_ups
from emporium.samples.pictures import PictureSpec, StoredPicture, draw_logo, store_pictures
from emporium.samples.plan import COLOUR_OPTIONS, PlannedItem, plan_item
from emporium.shops.models import Shop
from emporium.shops.services import add_shop_category, open_shop, set_logo

BATCH = 2_000  # items per transaction: big enough to amortise, small enough to hold in memory
PROGRESS_EVERY = 10_000
ShopCategoryLink = Item.shop_categories.through


@dataclass
class SeedSummary:
    """What the demo data holds after a run (totals, not just this run's additions)."""

    members: int
    shops: int
    items: int
    skus: int
    pictures: int
    added_items: int = 0
    seconds: float = 0.0
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, password)


def seed_demo(
    *, items: int = 400, random_seed: int = 7, progress: Callable[[str], None] = print
) -> SeedSummary:
    """Create the demo people, shops and items; a re-run adds only what is missing.

    Item N depends only on (random_seed, N), so seeding 400 and later asking for 100,000 gives
    the same catalogue as asking for 100,000 at once (bar the created_at timestamps).
    """
    started = time.perf_counter()
    plant_tree(Category)  # present after migrate; replanted here in case the tables were flushed
    shops = _ensure_people_and_shops(random_seed)
    progress(f"Demo people and shops ready: {len(shops)} shops.")
    have = Item.objects.filter(shop__in=shops).count()
    added = _add_items(shops, range(have, items), random_seed, progress)
    _add_close_ups(shops[0], progress)
    if added:
        _refresh_planner_statistics()
    summary = _summary(shops, added, time.perf_counter() - started)
    progress(
        f"Demo data: {summary.items:,} items ({added:,} new), {summary.skus:,} SKUs, "
        f"{summary.pictures:,} pictures in {summary.seconds:.1f} s."
    )
    return summary


def demo_logins() -> list[tuple[str, str, str]]:
    people = [OPERATOR, SHOPS[0].owner, SHOPS[1].owner, BUYERS[0], DEVELOPER]
    return [(p.role, p.username, DEMO_PASSWORD) for p in people]


def _summary(shops: list[Shop], added: int, seconds: float) -> SeedSummary:
    usernames = [p.username for p in _people()]
    return SeedSummary(
        members=Member.objects.filter(username__in=usernames).count(),
        shops=len(shops),
        items=Item.objects.filter(shop__in=shops).count(),
        skus=Sku.objects.filter(item__shop__in=shops).count(),
        pictures=ItemImage.objects.filter(item__shop__in=shops).count(),
        added_items=added,
        seconds=seconds,
        logins=demo_logins(),
    )


# --- people and shops -------------------------------------------------------------------------


def _people() -> list[Person]:
    return [OPERATOR, DEVELOPER, *BUYERS, *(shop.owner for shop in SHOPS)]


def _ensure_people_and_shops(random_seed: int) -> list[Shop]:
    # Hashing is slow on purpose; the demo accounts share one hash of the one demo password.
    password_hash = functools.cache(lambda: make_password(DEMO_PASSWORD))
    members = {p.username: _ensure_member(p, password_hash) for p in _people()}
    shops = [_ensure_shop(members[s.owner.username], s) for s in SHOPS]
    for s in SHOPS:
        rng = random.Random(f"emporium-demo/{random_seed}/credit/{s.owner.username}")
        _ensure_credit(members[s.owner.username], rng)
    return shops


def _ensure_member(person: Person, password_hash: Callable[[], str]) -> Member:
    member = Member.objects.filter(username=person.username).first()
    if member is not None:
        return member
    create = (
        Member.objects.create_superuser if person.role == "operator" else Member.objects.create_user
    )
    member = create(
        person.username,
        f"{person.username}@example.com",
        None,
        display_name=person.display_name,
        timezone=person.timezone,
        is_developer=person.role == "developer",
    )
    member.password = password_hash()
    member.save(update_fields=["password"])
    return member


def _ensure_shop(owner: Member, demo: DemoShop) -> Shop:
    shop = Shop.objects.filter(owner=owner).first() or open_shop(
        owner, name=demo.name, description=demo.description
    )
    if not shop.logo_key:
        initials = "".join(w[0] for w in demo.name.split() if w[0].isalpha())[:2].upper()
        logo = draw_logo(initials, demo.colour)
        set_logo(shop, SimpleUploadedFile("logo.png", logo, content_type="image/png"))
    have = set(shop.categories.values_list("name", flat=True))
    for name in [*_leaf_names(demo.leaves), PICKS_CATEGORY]:
        if name not in have:
            add_shop_category(shop, name)
    return shop


def _leaf_names(slugs: tuple[str, ...]) -> list[str]:
    names = dict(Category.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return [names[slug] for slug in slugs]


def _ensure_credit(seller: Member, rng: random.Random) -> None:
    """Buyers' past ratings, so demo shops show credit levels from a few hearts to diamonds."""
    if seller.credit_records.filter(source__startswith="demo:").exists():
        return
    ratings = [
        CreditRecord.Rating.POSITIVE if r < 0.96 else
        CreditRecord.Rating.NEUTRAL if r < 0.99 else CreditRecord.Rating.NEGATIVE
        for r in (rng.random() for _ in range(rng.randint(30, 2_500)))
    ]  # fmt: skip
    points = {CreditRecord.Rating.POSITIVE: 1, CreditRecord.Rating.NEUTRAL: 0,
              CreditRecord.Rating.NEGATIVE: -1}  # fmt: skip
    with transaction.atomic():
        # In bulk rather than through members.credit.record_rating: thousands of rows per shop.
        CreditRecord.objects.bulk_create(
            CreditRecord(seller=seller, rating=r, points=points[r], source=f"demo:{n}")
            for n, r in enumerate(ratings)
        )
        total = seller.credit_records.aggregate(total=Sum("points"))["total"] or 0
        Member.objects.filter(pk=seller.pk).update(credit_points=total)


# --- items ------------------------------------------------------------------------------------


def _add_items(
    shops: list[Shop], indexes: range, random_seed: int, progress: Callable[[str], None]
) -> int:
    if not indexes:
        return 0
    lookup = _Lookup.load(shops)
    now = timezone.now()
    started, added = time.perf_counter(), 0
    for first in range(indexes.start, indexes.stop, BATCH):
        plans = [plan_item(random_seed, i) for i in range(first, min(first + BATCH, indexes.stop))]
        # Pictures are drawn outside the transaction, so the database is not locked meanwhile.
        pictures = store_pictures((s for plan in plans for s in plan.pictures), progress)
        with transaction.atomic(), _keeping_timestamps():
            _write_items(plans, lookup, pictures, now)
        added += len(plans)
        if added % PROGRESS_EVERY < BATCH or added == len(indexes):
            rate = added / (time.perf_counter() - started)
            progress(f"Items: {plans[-1].index + 1:,} of {indexes.stop:,} ({rate:,.0f} items/s)")
    return added


def _add_close_ups(shop: Shop, progress: Callable[[str], None]) -> None:
    """The first on-sale items of the first shop get a fabric close-up as their last picture:
    17 Mpx with a wash label readable only when zoomed in, so zoom apps have something to show."""
    stored = store_close_ups(progress)
    on_sale = Item.objects.filter(shop=shop, status=Item.Status.ON_SALE).order_by("pk")
    pictures = dict(on_sale.annotate(n=Count("images")).values_list("pk", "n")[: len(stored)])
    shown = ItemImage.objects.filter(
        item_id__in=pictures, original_sha256__in=[s.original_sha256 for s in stored]
    ).values_list("item_id", flat=True)
    done = set(shown)
    ItemImage.objects.bulk_create(
        ItemImage(item_id=item_id, position=count, **close_up.image_fields())
        for (item_id, count), close_up in zip(pictures.items(), stored, strict=False)
        if item_id not in done and count < MAX_IMAGES_PER_ITEM
    )


def _refresh_planner_statistics() -> None:
    # After a bulk load the query planner must learn the new shape of the tables. Without
    # statistics SQLite takes `status = 'on_sale'` for a selective index and drives a full-text
    # search from it, probing the FTS index once per item: 16 s instead of 8 ms at 100,000 items.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@dataclass(frozen=True)
class _Lookup:
    """Database ids the planned items refer to by position or name."""

    shop_ids: list[int]
    category_ids: dict[str, int]
    category_names: dict[str, str]
    category_terms: dict[str, str]  # slug -> what search reads of its names (search_terms)
    shop_category_ids: dict[tuple[int, str], int]  # (shop id, name) -> id

    @classmethod
    def load(cls, shops: list[Shop]) -> "_Lookup":
        return cls(
            shop_ids=[shop.pk for shop in shops],
            category_ids=dict(Category.objects.values_list("slug", "pk")),
            category_names=dict(Category.objects.values_list("slug", "name")),
            category_terms={
                c.slug: category_terms(category_path(c))
                for c in Category.objects.select_related("parent")
            },
            shop_category_ids={
                (c.shop_id, c.name): c.pk for shop in shops for c in shop.categories.all()
            },
        )


@contextmanager
def _keeping_timestamps() -> Iterator[None]:
    """Let bulk inserts keep the created_at we give; auto_now_add would stamp every row with now.

    This changes the model's field for the whole process, which is fine in the seeding command
    and the tests, but is why the seeder must not run inside a serving process.
    """
    created, updated = Item._meta.get_field("created_at"), Item._meta.get_field("updated_at")
    saved = created.auto_now_add, updated.auto_now
    created.auto_now_add = updated.auto_now = False
    try:
        yield
    finally:
        created.auto_now_add, updated.auto_now = saved


def _write_items(
    plans: list[PlannedItem],
    lookup: _Lookup,
    pictures: dict[PictureSpec, StoredPicture],
    now: datetime,
) -> None:
    # Both SQLite (3.35+) and PostgreSQL return the new ids from a bulk insert.
    items = Item.objects.bulk_create([_item_row(p, lookup, now) for p in plans])
    Sku.objects.bulk_create(
        Sku(item_id=item.pk, options=s.options, price=s.price, stock=s.stock, code=s.code,
            position=position)
        for item, plan in zip(items, plans, strict=True)
        for position, s in enumerate(plan.skus)
    )  # fmt: skip
    ItemImage.objects.bulk_create(
        _image_row(item.pk, pictures[spec], position, _shows(plan, spec))
        for item, plan in zip(items, plans, strict=True)
        for position, spec in enumerate(plan.pictures)
    )
    ShopCategoryLink.objects.bulk_create(
        ShopCategoryLink(item_id=item.pk, shopcategory_id=category_id)
        for item, plan in zip(items, plans, strict=True)
        for category_id in _shop_categories(plan, lookup, item.shop_id)
    )


def _item_row(plan: PlannedItem, lookup: _Lookup, now: datetime) -> Item:
    description = clean_rich_text(plan.description_html)
    text = plain_text(description)
    created_at = now - timedelta(seconds=plan.age_seconds)
    return Item(
        public_id=plan.public_id,
        shop_id=lookup.shop_ids[plan.shop],
        category_id=lookup.category_ids[plan.leaf],
        title=plan.title,
        description_html=description,
        description_text=text,
        search_title=title_terms(plan.title),
        search_category=lookup.category_terms[plan.leaf],
        search_text=cjk_terms(text),
        option_names=plan.option_names,
        price=plan.price,
        stock=plan.stock,
        sales_count=0,  # sold counts come from orders (trade.bestsellers)
        status=Item.Status.ON_SALE if plan.on_sale else Item.Status.STOCK_ROOM,
        created_at=created_at,
        updated_at=created_at,
    )


def _image_row(item_id: int, picture: StoredPicture, position: int, shows: str = "") -> ItemImage:
    return ItemImage(item_id=item_id, position=position, shows=shows, **picture.image_fields())


def _shows(plan: PlannedItem, spec: PictureSpec) -> str:
    """The colour a picture shows when the buyer can choose that colour, else nothing."""
    colours = {value for sku in plan.skus for name, value in sku.options.items()
               if name in COLOUR_OPTIONS}  # fmt: skip
    return spec.colour if spec.colour in colours else ""


def _shop_categories(plan: PlannedItem, lookup: _Lookup, shop_id: int) -> list[int]:
    leaf_name = lookup.category_names[plan.leaf]
    names = [leaf_name, PICKS_CATEGORY] if plan.picked else [leaf_name]
    return [lookup.shop_category_ids[(shop_id, name)] for name in names]
