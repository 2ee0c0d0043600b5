"""Every developer's sandbox: a separate seller account with a shop of demo items to authorize against.

The sandbox seller has no password; the developer acts as it from the developer center. Its items
are planned by the demo seeder (emporium.samples.plan) and written through the catalog's own
create_item, and they start in the stock-room so that buyers never see them on the storefront.

The sandbox buyer (no password either) is the one member who sees and buys those items — through
a buyer app's catalog and order calls — with a wallet of sandbox money and an address, so buyer
apps, the device flow and order webhooks can be tried without real people.
"""

from decimal import Decimal

from django.conf import settings
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


SANDBOX_BUYER_MONEY = Decimal("10000.00")


def sandbox_of(developer: Member) -> DeveloperSandbox | None:
    return (
        DeveloperSandbox.objects.select_related("seller__shop", "buyer")
        .filter(developer=developer)
        .first()
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
        sandbox = DeveloperSandbox.objects.create(
            developer=developer, seller=seller, buyer=_create_buyer(developer)
        )
    return sandbox_of(developer) or sandbox


def ensure_sandbox_buyer(sandbox: DeveloperSandbox) -> Member:
    """The sandbox's buyer, made now for a sandbox older than sandbox buyers."""
    if sandbox.buyer is not None:
        return sandbox.buyer
    with transaction.atomic():
        locked = DeveloperSandbox.objects.select_for_update().get(pk=sandbox.pk)
        if locked.buyer is None:
            locked.buyer = _create_buyer(sandbox.developer)
            locked.save(update_fields=["buyer"])
    sandbox.buyer = locked.buyer
    return locked.buyer


def sandbox_shop_for(buyer: Member) -> Shop | None:
    """The shop whose stock-room items this member may see and buy: its sandbox's, if it is a
    sandbox buyer; None for everyone else."""
    return Shop.objects.filter(owner__sandbox_of__buyer=buyer).first()


def _create_buyer(developer: Member) -> Member:
    from emporium.finance.wallets import fund_in_sandbox
    from emporium.members.models import Address

    buyer = Member.objects.create_user(
        username=_free_username(f"{USERNAME_PREFIX}buyer-{developer.username}"[:140]),
        email="",
        password=None,  # unusable: the developer acts as this buyer
        display_name=f"Sandbox buyer of {developer.username}"[:60],
    )
    Address.objects.create(
        member=buyer, recipient=buyer.display_name, phone="13800000000", province="Zhejiang",
        city="Hangzhou", street="1 Sandbox Road", is_default=True,
    )  # fmt: skip
    if settings.PAYMENTS_SANDBOX:
        # Paid by the sandbox payment provider; spendable only in the sandbox shop
        # (trade.orders refuses a sandbox buyer's order anywhere else).
        fund_in_sandbox(buyer, SANDBOX_BUYER_MONEY)
    return buyer


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
