"""A checkout race's stock: a new sneaker alone in every racer's cart (bench/checkout.py and
bench/checkout_cpu.py). No import-time side effects, so a bench running another tree's code
(`checkout_cpu.py --tree`) can import it after choosing that tree."""

PRICE = "399.00"


def arm(units: int) -> int:
    """A new sneaker with `units` in stock, and in every racer's cart only it (racers who won the
    last race buy again, as new buyers would); its SKU's id. Django must be set up."""
    from decimal import Decimal

    from django.db import transaction

    from emporium.catalog import services as catalog
    from emporium.catalog.models import Category, Item
    from emporium.shops.models import Shop
    from emporium.trade.models import Cart, CartLine

    with transaction.atomic():
        item = catalog.create_item(
            Shop.objects.get(name="Bench shop"),
            title="Limited sneaker",
            category=Category.objects.get(slug="sneakers"),
            skus=[catalog.SkuSpec(options={}, price=Decimal(PRICE), stock=units)],
            status=Item.Status.ON_SALE,
        )
        sku = item.skus.get()
        carts = Cart.objects.filter(member__username__startswith="racer")
        CartLine.objects.filter(cart__in=carts).delete()
        CartLine.objects.bulk_create(CartLine(cart=c, sku=sku, quantity=1) for c in carts)
    return sku.pk
