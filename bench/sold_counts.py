"""Sold counts: the kept counter against counting paid orders at read time (docs/decisions.md).

    uv run python bench/sold_counts.py [--orders 20000] [--lines 10] [--seconds 5]

Builds its own SQLite database under $BENCH_VAR_DIR (default /tmp/bench-sold-counts), with one
shop of 2,000 items and `orders` paid orders of `lines` lines each, then times, for pages of 24
random items, (a) the one aggregated query a card grid would need to count sold units from the
orders, and (b) the counter, which rides on the card query already (no query of its own; timed
as the same 24 rows read by primary key, to give it a figure). Prints the medians and the ratio.
"""

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    var = Path(os.environ.get("BENCH_VAR_DIR", "/tmp/bench-sold-counts"))
    var.mkdir(parents=True, exist_ok=True)
    os.environ["EMPORIUM_VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporium.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from emporium.catalog.models import Category, Item
    from emporium.members.models import Member
    from emporium.shops.services import open_shop
    from emporium.trade.bestsellers import SOLD, units_sold
    from emporium.trade.models import Order, OrderLine

    if not Order.objects.exists():
        seller = Member.objects.create_user("bench-seller")
        buyer = Member.objects.create_user("bench-buyer")
        shop = open_shop(seller, name="Bench shop")
        category = Category.objects.filter(children__isnull=True).first()
        items = Item.objects.bulk_create(
            Item(shop=shop, category=category, title=f"Item {n}", price=Decimal("10.00"),
                 status=Item.Status.ON_SALE)
            for n in range(2_000)
        )  # fmt: skip
        from emporium.catalog.models import Sku

        skus = Sku.objects.bulk_create(Sku(item=i, price=Decimal("10.00"), stock=9) for i in items)
        rng = random.Random(7)
        for start in range(0, args.orders, 2_000):
            batch = Order.objects.bulk_create(
                Order(number=f"B{n:012d}", buyer=buyer, shop=shop, status=rng.choice(SOLD),
                      items_amount=Decimal("10.00"), total_amount=Decimal("10.00"), address={},
                      created_at="2026-01-01T00:00:00Z")
                for n in range(start, min(start + 2_000, args.orders))
            )  # fmt: skip
            OrderLine.objects.bulk_create(
                OrderLine(order=o, sku=(s := rng.choice(skus)), item_id=s.item_id, title="x",
                          list_price=Decimal("10.00"), unit_price=Decimal("10.00"), quantity=1,
                          total_amount=Decimal("10.00"), commission_rate=Decimal("0.05"))
                for o in batch
                for _ in range(args.lines)
            )  # fmt: skip
    ids = list(Item.objects.values_list("pk", flat=True))
    lines = OrderLine.objects.count()

    def timed(read) -> float:
        samples, end = [], time.monotonic() + args.seconds
        while time.monotonic() < end:
            page = random.sample(ids, 24)
            started = time.perf_counter()
            read(page)
            samples.append(time.perf_counter() - started)
        return statistics.median(samples) * 1000

    counted = timed(lambda page: units_sold(page))
    kept = timed(lambda page: list(Item.objects.filter(pk__in=page).values_list("sales_count")))
    print(f"{lines:,} order lines; 24 cards: counted from orders {counted:.3f} ms (median), "
          f"kept counter {kept:.3f} ms; ratio {counted / kept:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
