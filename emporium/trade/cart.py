"""Cart rules: add, change, remove, and merging the anonymous cart into the buyer's at log-in."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from emporium.catalog.models import Item, Sku
from emporium.trade.models import MAX_CART_QUANTITY, Cart, CartLine


class CartError(ValueError):
    """Why a cart change was refused, in the buyer's words."""


def cart_for(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """The buyer's cart, or the session's before log-in; made on first use when `create`."""
    if request.user.is_authenticated:
        if create:
            return Cart.objects.get_or_create(member=request.user)[0]
        return Cart.objects.filter(member=request.user).first()
    if not request.session.session_key:
        if not create:
            return None
        request.session.save()
    key = request.session.session_key
    if create:
        return Cart.objects.get_or_create(session_key=key)[0]
    return Cart.objects.filter(session_key=key).first()


def _check_buyable(sku: Sku, quantity: int) -> None:
    if sku.item.status != Item.Status.ON_SALE:
        raise CartError(_("This item is not on sale."))
    if quantity < 1 or quantity > MAX_CART_QUANTITY:
        raise CartError(_("Quantity must be between 1 and %(max)s.") % {"max": MAX_CART_QUANTITY})
    if quantity > sku.stock:
        raise CartError(_("Only %(stock)s left in stock.") % {"stock": sku.stock})


@transaction.atomic
def add_to_cart(cart: Cart, sku: Sku, quantity: int = 1) -> CartLine:
    line = CartLine.objects.select_for_update().filter(cart=cart, sku=sku).first()
    total = quantity + (line.quantity if line else 0)
    _check_buyable(sku, total)
    if line:
        line.quantity = total
        line.save(update_fields=["quantity"])
        return line
    try:
        with transaction.atomic():
            return CartLine.objects.create(cart=cart, sku=sku, quantity=quantity)
    except IntegrityError:
        # A second tab added the same SKU between our read and insert.
        CartLine.objects.filter(cart=cart, sku=sku).update(quantity=F("quantity") + quantity)
        return CartLine.objects.get(cart=cart, sku=sku)


def set_quantity(cart: Cart, line_id: int, quantity: int) -> None:
    line = CartLine.objects.select_related("sku__item").get(cart=cart, pk=line_id)
    _check_buyable(line.sku, quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])


def remove_line(cart: Cart, line_id: int) -> None:
    CartLine.objects.filter(cart=cart, pk=line_id).delete()


@transaction.atomic
def merge_session_cart(session_key: str | None, member) -> None:
    """At log-in, lines of the anonymous cart join the buyer's cart (quantities add up, capped by stock)."""
    if not session_key:
        return
    anonymous = Cart.objects.filter(session_key=session_key, member__isnull=True).first()
    if anonymous is None:
        return
    cart, _created = Cart.objects.get_or_create(member=member)
    for line in anonymous.lines.select_related("sku"):
        existing = CartLine.objects.filter(cart=cart, sku=line.sku).first()
        quantity = line.quantity + (existing.quantity if existing else 0)
        quantity = max(1, min(quantity, line.sku.stock or 1, MAX_CART_QUANTITY))
        if existing:
            existing.quantity = quantity
            existing.save(update_fields=["quantity"])
        else:
            CartLine.objects.create(cart=cart, sku=line.sku, quantity=quantity)
    anonymous.delete()


def cart_lines(cart: Cart | None) -> list[CartLine]:
    if cart is None:
        return []
    return list(cart.lines.select_related("sku__item__shop").order_by("sku__item__shop_id", "id"))


def cart_count(cart: Cart | None) -> int:
    return sum(cart.lines.values_list("quantity", flat=True)) if cart else 0
