"""The demo seeder is deterministic and idempotent, tops up, and keeps the catalogue's rules."""

import hashlib
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from PIL import Image

from emporium.catalog import services as catalog
from emporium.catalog.images import image_url
from emporium.catalog.models import Category, Item, ItemImage, Sku
from emporium.catalog.search import SearchQuery, search_items
from emporium.demo.seed import seed_demo
from emporium.lib.html import clean_rich_text
from emporium.members.models import CreditRecord, Member
from emporium.samples.cast import DEMO_PASSWORD, SHOPS
from emporium.samples.closeups import CLOSE_UPS
from emporium.samples.plan import plan_item
from emporium.shops.models import Shop, ShopCategory
from emporium.storefront.tests.helpers import add_picture

ITEMS = 60


@pytest.fixture(scope="module")
def shared_media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, shared_media):
    # Overrides the per-test folder of emporium/conftest.py: pictures are content-addressed, so
    # these tests can share one folder and the seeder draws each picture once for all of them.
    settings.MEDIA_ROOT = shared_media


def seed(items: int = ITEMS, random_seed: int = 7):
    return seed_demo(items=items, random_seed=random_seed, progress=lambda line: None)


def catalogue_digest() -> str:
    """Everything the seed decides (not ids, not timestamps), in a stable order."""
    rows = []
    items = Item.objects.select_related("shop", "category").prefetch_related(
        "skus", "images", "shop_categories"
    )
    for item in sorted(items, key=lambda i: str(i.public_id)):
        rows.append([
            str(item.public_id), item.shop.name, item.category.slug, item.title,
            item.description_html, item.option_names, str(item.price), item.stock, item.status,
            item.sales_count,
            [[s.options, str(s.price), s.stock, s.code, s.position] for s in item.skus.all()],
            [[i.key, i.width, i.height, i.position] for i in item.images.all()],
            sorted(c.name for c in item.shop_categories.all()),
        ])  # fmt: skip
    shops = Shop.objects.order_by("name").values_list("name", "owner__username", "logo_key")
    rows.append([list(shop) for shop in shops])
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def wipe() -> None:
    Item.objects.all().delete()
    Shop.objects.all().delete()
    Member.objects.all().delete()


def picture_path(key: str, width: int) -> Path:
    return Path(settings.MEDIA_ROOT) / image_url(key, width).removeprefix(settings.MEDIA_URL)


def test_an_item_depends_only_on_the_seed_and_its_index():
    assert plan_item(7, 12) == plan_item(7, 12)
    assert plan_item(8, 12) != plan_item(7, 12)
    assert plan_item(7, 12) != plan_item(7, 13)


def test_planned_items_pass_the_checks_a_seller_would_face(shop):
    for index in range(40):
        plan = plan_item(7, index)
        options = {
            name: list(dict.fromkeys(s.options[name] for s in plan.skus))
            for name in plan.option_names
        }
        assert catalog.parse_options(catalog.format_options(options)) == options
        assert [s.options for s in plan.skus] == catalog.sku_matrix(options)
        item = catalog.create_item(
            shop,
            title=plan.title,
            category=Category.objects.get(slug=plan.leaf),
            description_html=plan.description_html,
            option_names=plan.option_names,
            skus=[catalog.SkuSpec(s.options, s.price, s.stock, s.code) for s in plan.skus],
        )
        if plan.on_sale:
            assert plan.pictures  # no sale without a picture, in the demo too
            add_picture(item)
            catalog.set_status(item, Item.Status.ON_SALE)


def test_the_same_seed_gives_the_same_catalogue(db):
    seed()
    first = catalogue_digest()
    wipe()
    seed()
    assert catalogue_digest() == first


def test_a_second_run_adds_nothing(db):
    def counts():
        models = (Member, Shop, ShopCategory, CreditRecord, Item, Sku, ItemImage)
        return [model.objects.count() for model in models]

    first = seed()
    before = counts()
    second = seed()
    assert second.added_items == 0
    assert counts() == before
    assert (second.items, second.skus, second.pictures) == (first.items, first.skus, first.pictures)


def test_asking_for_more_tops_up_to_the_catalogue_a_single_run_would_make(db):
    assert seed(items=25).added_items == 25
    topped_up = seed(items=ITEMS)
    assert (topped_up.added_items, topped_up.items) == (ITEMS - 25, ITEMS)
    digest = catalogue_digest()
    wipe()
    seed(items=ITEMS)
    assert catalogue_digest() == digest


def test_it_reports_counts_and_the_demo_logins(db):
    summary = seed()
    assert summary.shops == len(SHOPS) == 12
    assert summary.items == ITEMS
    assert summary.skus == Sku.objects.count() >= ITEMS
    assert summary.pictures == ItemImage.objects.count() >= ITEMS
    assert ("seller", "mei", DEMO_PASSWORD) in summary.logins
    assert {role for role, _, _ in summary.logins} == {"operator", "seller", "buyer", "developer"}


def test_the_demo_people_have_their_roles_and_the_demo_password(db):
    seed(items=0)
    assert Member.objects.get(username="admin").is_superuser
    assert Member.objects.get(username="dana").is_developer
    assert Shop.objects.get(owner__username="mei").name == "Mei's Closet"
    assert not Member.objects.get(username="bob").is_seller
    # One shared hash, so checking one account checks them all (hashing is slow on purpose).
    assert Member.objects.get(username="bob").check_password(DEMO_PASSWORD)
    assert Member.objects.values("password").distinct().count() == 1


def test_every_shop_has_a_logo_categories_and_credit(db):
    seed(items=0)
    for shop in Shop.objects.select_related("owner"):
        assert picture_path(shop.logo_key, 240).is_file()
        assert shop.categories.filter(name="Editor's picks").exists()
        assert shop.owner.credit_points == sum(
            shop.owner.credit_records.values_list("points", flat=True)
        )
        assert shop.owner.credit_points > 0


def test_seeded_items_keep_the_catalogue_rules(db):
    seed()
    items = Item.objects.prefetch_related("skus", "images", "shop_categories")
    for item in items:
        skus = list(item.skus.all())
        assert skus, item
        assert item.price == min(s.price for s in skus)
        assert item.stock == sum(s.stock for s in skus)
        assert all(s.price.as_tuple().exponent == -2 and s.price > 0 for s in skus)
        # Sorted: PostgreSQL's jsonb keeps keys in its own order, not the order written.
        assert all(sorted(s.options) == sorted(item.option_names) for s in skus)
        assert item.images.count() in range(1, 6)  # up to 4 drawn, and a close-up on a few
        assert item.shop_categories.filter(shop=item.shop_id).exists()
        assert item.description_html == clean_rich_text(item.description_html)
        assert timezone.now() - timedelta(days=90, minutes=5) < item.created_at <= timezone.now()
        if item.status == Item.Status.ON_SALE:
            assert item.stock > 0
    statuses = set(items.values_list("status", flat=True))
    assert statuses == {Item.Status.ON_SALE, Item.Status.STOCK_ROOM}


def test_its_pictures_are_on_disk_and_decode(db):
    seed()
    for key in set(ItemImage.objects.values_list("key", flat=True)):
        for width in settings.IMAGE_VARIANT_WIDTHS:
            with Image.open(picture_path(key, width)) as picture:
                picture.load()
                assert picture.format == "WEBP"


def test_every_picture_keeps_its_original_for_zoom(db):
    seed()
    for image in ItemImage.objects.all():
        path = Path(settings.MEDIA_ROOT) / "originals" / image.original_sha256[:2]
        with Image.open(path / f"{image.original_sha256}.{image.original_format}") as original:
            assert original.size == (image.width, image.height)


def test_a_few_items_of_the_first_shop_have_a_close_up_worth_zooming_into(db):
    seed()
    first_shop = Shop.objects.get(owner__username=SHOPS[0].owner.username)
    large = ItemImage.objects.filter(width__gte=4000)
    assert {i.item.shop for i in large} == {first_shop}
    assert large.count() == len(CLOSE_UPS)
    close_up = large.first()
    path = Path(settings.MEDIA_ROOT) / "originals" / close_up.original_sha256[:2]
    small_print = (3130, 2395, 3700, 2600)  # four lines of the wash label
    with Image.open(path / f"{close_up.original_sha256}.jpeg") as original:
        darkest_full, _ = original.crop(small_print).convert("L").getextrema()
    with Image.open(picture_path(close_up.key, 1200)) as shown:
        darkest_shown, _ = shown.crop([v // 4 for v in small_print]).convert("L").getextrema()
    # Black print when zoomed in; a grey smudge in the largest copy the item page shows.
    assert darkest_full < 80 and darkest_shown > 95
    seed()  # a top-up adds no second close-up
    assert ItemImage.objects.filter(width__gte=4000).count() == len(CLOSE_UPS)


def test_the_chinese_tea_house_writes_in_chinese_and_is_found_in_chinese(db):
    seed(items=200)
    tea_house = next(s for s in SHOPS if s.language == "zh-hans")
    titles = list(Item.objects.filter(shop__name=tea_house.name).values_list("title", flat=True))
    assert titles and all(re.search("[\u4e00-\u9fff]", t) for t in titles)
    found = search_items(SearchQuery(text="茶叶")).filter(shop__name=tea_house.name)
    tea = Item.objects.visible().filter(shop__name=tea_house.name, title__contains="茶叶")
    assert set(found) == set(tea) and tea.exists()
    # Dresses are titled in English: their category's Chinese name finds them all.
    dresses = Item.objects.visible().filter(category__slug="dresses")
    assert set(search_items(SearchQuery(text="连衣裙"))) == set(dresses) and dresses.exists()


def test_items_with_options_vary_by_colour_and_size(db):
    seed()
    dress = Item.objects.filter(category__slug="dresses").first()
    assert dress.option_names == ["Colour", "Size"]
    assert dress.skus.count() >= 3
    phone = Item.objects.filter(category__slug="phones").first()
    assert phone.option_names == ["Colour", "Storage"]
    prices = {s.options["Storage"]: s.price for s in phone.skus.all()}
    assert sorted(prices.values()) == [prices[k] for k in sorted(prices, key=_storage_gb)]


def _storage_gb(label: str) -> int:
    number, unit = label.split()
    return int(number) * (1024 if unit == "TB" else 1)


def test_search_finds_a_seeded_item_by_a_word_of_its_title(db):
    seed()
    item = Item.objects.filter(status=Item.Status.ON_SALE).order_by("-sales_count").first()
    word = max(item.title.split(), key=len)
    assert item in search_items(SearchQuery(text=word))


def test_it_leaves_statistics_for_the_query_planner(db):
    seed()
    statistics = {
        "sqlite": "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'catalog_item'",
        "postgresql": "SELECT COUNT(*) FROM pg_stats WHERE tablename = 'catalog_item'",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(statistics)
        assert cursor.fetchone()[0] > 0


def test_the_catalogue_shows_no_sales_it_has_no_orders_for(db):
    """Sold counts are what real orders sold (docs/decisions.md, "Sold counts"): a catalogue
    seeded without orders shows none."""
    seed()
    assert not Item.objects.filter(sales_count__gt=0).exists()
