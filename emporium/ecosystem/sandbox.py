"""Every developer's sandbox: a separate seller account with a shop of demo items to authorize against.

The sandbox seller has no password; the developer acts as it from the developer center. Its items
are planned by the demo seeder (emporium.samples.plan) and written through the catalog's own
create_item, and they start in the stock-room so that buyers never see them on the storefront.
"""

from django.db import transaction

from emporium.catalog import services as catalog
from emporium.catalog.models import Category, Item
from emporium.catalog.tree import plant_tree
from emporium.ecosystem.models import DeveloperSandbox
from emporium.members.models import Member
from emporium.samples.plan import PlannedItem, plan_item
from emporium.shops.models import Shop
from emporium.shops.services import MAX_SHOP_NAME, open_shop

SANDBOX_ITEMS = 20
# One fixed seed: every sandbox holds the same catalogue, so docs and support can refer to it.
SANDBOX_RANDOM_SEED = 2024
USERNAME_PREFIX = "sandbox-"


def sandbox_of(developer: Member) -> DeveloperSandbox | None:
    return (
        DeveloperSandbox.objects.select_related("seller__shop").filter(developer=developer).first()
    )


def ensure_sandbox(developer: Member) -> DeveloperSandbox:
    """The developer's sandbox, created with its seller, shop and items on first call."""
    existing = sandbox_of(developer)
    if existing is not None:
        return existing
    with transaction.atomic():
        # Two first visits at once (two tabs): the lock makes the second wait, then find the first's.
        Member.objects.select_for_update().get(pk=developer.pk)
        existing = sandbox_of(developer)
        if existing is not None:
            return existing
        seller = _create_seller(developer)
        # Stored text is English whatever the language of the request that happens to create it.
        shop = open_shop(
            seller,
            name=_free_shop_name(developer),
            description="A sandbox shop for testing apps. Its items are not for sale.",
        )
        fill_shop(shop)
        sandbox = DeveloperSandbox.objects.create(developer=developer, seller=seller)
    return sandbox_of(developer) or sandbox


def _create_seller(developer: Member) -> Member:
    username = _free_username(f"{USERNAME_PREFIX}{developer.username}"[:140])
    return Member.objects.create_user(
        username=username,
        email="",
        password=None,  # unusable: the developer acts as this seller, nobody logs in as it
        display_name=f"Sandbox of {developer.username}"[:60],
    )


def _free_username(base: str) -> str:
    name, n = base, 1
    while Member.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _free_shop_name(developer: Member) -> str:
    base = f"Sandbox · {developer.username}"[: MAX_SHOP_NAME - 4]
    name, n = base, 1
    while Shop.objects.filter(name__iexact=name).exists():
        n += 1
        name = f"{base} {n}"
    return name


def fill_shop(shop: Shop, count: int = SANDBOX_ITEMS) -> list[Item]:
    plans = [plan_item(SANDBOX_RANDOM_SEED, index) for index in range(count)]
    categories = _categories({plan.leaf for plan in plans})
    return [_create_item(shop, plan, categories[plan.leaf]) for plan in plans]


def _categories(slugs: set[str]) -> dict[str, Category]:
    found = {c.slug: c for c in Category.objects.filter(slug__in=slugs)}
    if len(found) < len(slugs):
        # A data migration plants the tree; a flushed test database may have lost it.
        plant_tree(Category)
        found = {c.slug: c for c in Category.objects.filter(slug__in=slugs)}
    return found


def _create_item(shop: Shop, plan: PlannedItem, category: Category) -> Item:
    skus = [catalog.SkuSpec(s.options, s.price, s.stock, s.code) for s in plan.skus]
    return catalog.create_item(
        shop,
        title=plan.title,
        category=category,
        description_html=plan.description_html,
        option_names=plan.option_names,
        skus=skus,
        status=Item.Status.STOCK_ROOM,
    )
