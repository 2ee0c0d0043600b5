"""Demo trading: wallets, running promotions and a few orders in every state, so pages are alive."""

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from emporium.catalog.models import Item, Sku
from emporium.community import reviews
from emporium.demo.history import Rates, trade_history
from emporium.finance import ledger
from emporium.finance.wallets import fund_in_sandbox
from emporium.lib import clock
from emporium.members.models import Address, Member
from emporium.promotions import activities
from emporium.promotions.models import CouponBatch
from emporium.samples.cast import BUYERS, DEVELOPER
from emporium.shops.models import Shop
from emporium.trade import orders
from emporium.trade.models import Order

WALLET = Decimal("20000.00")
CITIES = [("Zhejiang", "Hangzhou"), ("Shanghai", "Shanghai"), ("Guangdong", "Shenzhen")]
# Mei's history: 15 orders a month over the last three months, a few refunded, of her dearest
# SKUs up to 400.00 (a month's sales then pay for her month's spending; the buyers' wallets pay
# for them); small, so the demo still starts in about two minutes.
HISTORY_MONTHS = 3
HISTORY_ORDERS = 45
HISTORY_SKUS = 8
HISTORY_PRICE = Decimal("400.00")
HISTORY_RATES = Rates(in_escrow=0.0, refunded_before=0.12, returned_after=0.08)
REVIEW_TEXTS = [
    "Exactly as pictured, fast delivery.",
    "Good quality for the price.",
    "Fits well, would buy again.",
    "Nice, but the colour is a little darker.",
]


def seed_trading(random_seed: int = 7, progress: Callable[[str], None] = print) -> int:
    """Idempotent: does nothing when the demo buyers already have orders. Returns orders made."""
    buyers = list(Member.objects.filter(username__in=[b.username for b in BUYERS]).order_by("pk"))
    if not buyers or Order.objects.filter(buyer__in=buyers).exists():
        return 0
    rng = random.Random(random_seed)
    addresses = {}
    for n, buyer in enumerate(buyers):
        addresses[buyer.pk] = _ensure_address(buyer, n)
        if ledger.balance_of(f"wallet:{buyer.pk}") < WALLET:
            # Through the sandbox payment provider: the demo runs with PAYMENTS_SANDBOX on.
            fund_in_sandbox(buyer, WALLET)
    mei = Shop.objects.filter(owner__username="mei").first()
    history = 0
    if mei is not None:
        history = _mei_history(mei, [(b, addresses[b.pk]) for b in buyers], rng)
        _run_promotions(mei)
    made = _place_orders(buyers, addresses, rng)
    progress(
        f"demo trading: wallets of {WALLET} for buyers, promotions in Mei's Closet, {made} orders"
        f" (and {history} over her last {HISTORY_MONTHS} months)"
    )
    return made + history


def _mei_history(shop: Shop, buyers: list[tuple[Member, Address]], rng: random.Random) -> int:
    """Mei's last months of trading, made under a moved clock (emporium.demo.history), so the
    books app's backfill finds sales, refunds, withdrawals and app charges in past months and
    last month's report has a profit and a margin. The clock is put back afterwards."""
    developer = Member.objects.filter(username=DEVELOPER.username).first()
    skus = list(
        Sku.objects.filter(
            item__shop=shop,
            item__status=Item.Status.ON_SALE,
            stock__gt=20,
            price__lte=HISTORY_PRICE,
        ).order_by("-price", "pk")[:HISTORY_SKUS]
    )
    if developer is None or not skus:
        return 0
    orders = min(HISTORY_ORDERS, 6 * len(skus))  # about 8 of each SKU's 21 or more sold
    kept = clock.frozen_at()
    now = clock.now()
    start = now.replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    for _ in range(HISTORY_MONTHS):
        start = (start - timedelta(days=1)).replace(day=1)
    try:
        trade_history(shop.owner, buyers, skus, developer, start=start,
                      end=now - timedelta(hours=1), orders=orders, rng=rng,
                      rates=HISTORY_RATES, key=f"demo-{shop.pk}")  # fmt: skip
    finally:
        clock.set_time(kept)
    return orders


def _ensure_address(buyer: Member, n: int) -> Address:
    province, city = CITIES[n % len(CITIES)]
    return buyer.addresses.first() or Address.objects.create(
        member=buyer, recipient=buyer.display_name or buyer.username, phone="13800000000",
        province=province, city=city, street=f"{n + 1} Market Street", is_default=True,
    )  # fmt: skip


def _run_promotions(shop: Shop) -> None:
    now = clock.now()
    window = {"starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=30)}
    on_sale = list(
        Item.objects.filter(shop=shop, status=Item.Status.ON_SALE, stock__gt=5).order_by("pk")[:8]
    )
    if on_sale:
        activities.create_discount(
            shop, name="Spring sale", percent_off=Decimal("15"), items=on_sale[:4], **window
        )
    activities.create_threshold(
        shop,
        name="Spend 500, save 50",
        min_spend=Decimal("500"),
        amount_off=Decimal("50"),
        **window,
    )
    if not CouponBatch.objects.filter(shop=shop).exists():
        activities.create_coupons(
            shop, name="20 off 300", amount_off=Decimal("20"), min_spend=Decimal("300"),
            total_count=200, **window,
        )  # fmt: skip
    if len(on_sale) > 4:
        sku = on_sale[4].skus.filter(stock__gt=5).order_by("price").first()
        if sku is not None:
            half = (sku.price * Decimal("0.5")).quantize(Decimal("0.01"))
            # A real flash sale: two days, its end shown as a countdown (not "today only" for a
            # month), one per buyer.
            activities.create_flash_sale(
                shop, name="Flash sale", sku=sku, flash_price=half, stock_limit=min(5, sku.stock),
                per_buyer_limit=1, starts_at=window["starts_at"], ends_at=now + timedelta(days=2),
            )  # fmt: skip


def _place_orders(buyers: list[Member], addresses: dict[int, Address], rng: random.Random) -> int:
    """Each buyer buys from a few shops; orders end in different states, completed ones reviewed."""
    shops = list(
        Shop.objects.filter(owner__username__in=["mei", "otto", "noah", "li"]).order_by("pk")
    )
    made = 0
    stages = ["settled", "settled", "shipped", "paid", "pending_payment"]
    for buyer in buyers:
        for shop, stage in zip(shops, rng.sample(stages, k=len(shops)), strict=False):
            candidates = list(
                Item.objects.filter(shop=shop, status=Item.Status.ON_SALE, stock__gt=2).order_by(
                    "pk"
                )[:50]
            )
            item = rng.choice(candidates) if candidates else None
            sku = item.skus.filter(stock__gt=1).order_by("pk").first() if item else None
            if sku is None:
                continue
            (order,) = orders.checkout(buyer, addresses[buyer.pk], [(sku, 1)])
            _advance(order, buyer, stage, rng)
            made += 1
    return made


def _advance(order: Order, buyer: Member, stage: str, rng: random.Random) -> None:
    if stage == "pending_payment":
        return
    orders.pay(buyer, [order])
    if stage == "paid":
        return
    orders.ship(order, "SF Express", f"SF{rng.randrange(10**11, 10**12)}")
    if stage == "shipped":
        return
    orders.confirm_receipt(order)
    line = order.lines.get()  # one SKU was bought
    reviews.write_review(buyer, line, rng.choice([5, 5, 5, 4, 3]), rng.choice(REVIEW_TEXTS))
