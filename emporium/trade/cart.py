"""Cart rules: add, change, remove, and merging the anonymous cart into the buyer's at log-in."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, overload

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from emporium.catalog.covers import cover_key
from emporium.catalog.models import Item, Sku
from emporium.lib.errors import DomainError
from emporium.members.models import Member
from emporium.shops.models import Shop
from emporium.trade.models import MAX_CART_QUANTITY, Cart, CartLine

if TYPE_CHECKING:
    from emporium.promotions.models import Threshold
    from emporium.promotions.pricing import QuoteLine, UnitPrice


class CartError(DomainError):
    """Why a cart change was refused, in the buyer's words."""


@dataclass(frozen=True)
class LineView:
    """A cart line as shown: `problem` says why it cannot be bought now ("" when it can)."""

    line: CartLine
    problem: str
    unit_price: Decimal | None = None  # after item promotions, from the one pricing function
    promotion: str = ""
    # How checkout prices the line: one part, or two when a flash sale gives only some of the
    # units at its price (the per-buyer limit, or its last units) and the rest cost the usual.
    parts: "list[QuoteLine]" = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        if self.parts:
            return sum((part.amount for part in self.parts), Decimal("0.00"))
        return (self.unit_price or self.line.sku.price) * self.line.quantity

    @property
    def is_split(self) -> bool:
        return len(self.parts) > 1

    @property
    def flash_note(self) -> "QuoteLine | None":
        """The part priced without its flash sale, when there is one: the cart says why."""
        return next((part for part in self.parts if part.flash_note), None)


@dataclass
class ShopGroup:
    """The lines of one shop in the cart; `subtotal` counts only lines that can be bought now."""

    shop: Shop
    lines: list[LineView] = field(default_factory=list)
    subtotal: Decimal = Decimal("0.00")
    saving: Decimal = Decimal("0.00")  # the shop's spend-and-save offer, when reached
    saving_name: str = ""
    items_amount: Decimal = Decimal("0.00")  # before the spend-and-save saving
    next_offer: "Threshold | None" = None  # the nearest spend-and-save not reached yet
    missing: Decimal = Decimal("0.00")  # how much more unlocks it


@dataclass
class CartSummary:
    groups: list[ShopGroup]
    total: Decimal
    count: int


@overload
def cart_for(request: HttpRequest, *, create: Literal[True]) -> Cart: ...
@overload
def cart_for(request: HttpRequest, *, create: bool = False) -> Cart | None: ...
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


def sku_to_buy(sku_id: int) -> Sku:
    """The SKU a buyer asked for; a stale id (variant replaced, item deleted) is a CartError."""
    sku = Sku.objects.select_related("item__shop").filter(pk=sku_id).first()
    if sku is None or sku.item.status == Item.Status.DELETED:
        raise CartError(_("This item or variant is no longer available."))
    return sku


def _check_buyable(sku: Sku, quantity: int) -> None:
    if not sku.item.shop.is_open:
        raise CartError(_("This shop is closed."))
    if sku.item.status != Item.Status.ON_SALE:
        raise CartError(_("This item is not on sale."))
    if quantity < 1 or quantity > MAX_CART_QUANTITY:
        raise CartError(_("Quantity must be between 1 and %(max)s.") % {"max": MAX_CART_QUANTITY})
    if quantity > sku.stock:
        raise CartError(_("Only %(stock)s left in stock.") % {"stock": sku.stock})


def _is_own_item(member_id: int | None, sku: Sku) -> bool:
    return member_id is not None and sku.item.shop.owner_id == member_id


@transaction.atomic
def add_to_cart(cart: Cart, sku: Sku, quantity: int = 1) -> CartLine:
    if _is_own_item(cart.member_id, sku):
        raise CartError(_("You cannot buy from your own shop."))
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
    line = CartLine.objects.select_related("sku__item__shop").filter(cart=cart, pk=line_id).first()
    if line is None:
        raise CartError(_("That line is no longer in your cart."))
    _check_buyable(line.sku, quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])


def remove_line(cart: Cart, line_id: int) -> None:
    CartLine.objects.filter(cart=cart, pk=line_id).delete()


@transaction.atomic
def merge_session_cart(session_key: str | None, member: Member) -> None:
    """At log-in the anonymous cart joins the buyer's (quantities add up, capped by stock).

    Lines of the buyer's own shop are dropped: a seller cannot buy from themself.
    """
    if not session_key:
        return
    anonymous = Cart.objects.filter(session_key=session_key, member__isnull=True).first()
    if anonymous is None:
        return
    cart, _created = Cart.objects.get_or_create(member=member)
    for line in anonymous.lines.select_related("sku__item__shop"):
        if _is_own_item(member.pk, line.sku):
            continue
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
    lines = cart.lines.select_related("sku__item__shop").annotate(cover_key=cover_key("sku__item"))
    return list(lines.order_by("sku__item__shop_id", "id"))


def line_problem(line: CartLine) -> str:
    """Why a line cannot be bought as it stands ("" when it can); such lines stay out of totals."""
    if not line.sku.item.shop.is_open:
        return _("The shop is closed.")
    if line.sku.item.status != Item.Status.ON_SALE:
        return _("No longer on sale.")
    if line.sku.stock == 0:
        return _("Out of stock.")
    if line.quantity > line.sku.stock:
        return _("Only %(stock)s left in stock.") % {"stock": line.sku.stock}
    return ""


def summarize(lines: list[CartLine], buyer_id: int | None = None) -> CartSummary:
    """Group lines by shop and price what can be bought now exactly as checkout will (for the
    buyer `buyer_id`, whose flash-sale units already had count against the limits)."""
    from emporium.lib import clock
    from emporium.promotions.pricing import quote_shops
    from emporium.trade.quotes import flash_history

    groups: dict[int, ShopGroup] = {}
    buyable: dict[int, list[CartLine]] = {}
    for line in lines:
        groups.setdefault(line.sku.item.shop_id, ShopGroup(shop=line.sku.item.shop))
        if not line_problem(line):
            buyable.setdefault(line.sku.item.shop_id, []).append(line)
    quoted: dict[int, UnitPrice] = {}
    wanted = {groups[sid].shop: [(x.sku, x.quantity) for x in ls] for sid, ls in buyable.items()}
    parts: dict[int, list[QuoteLine]] = {}
    for quote in quote_shops(wanted, clock.now(), had=flash_history(buyer_id)):
        shop_id = quote.shop.pk
        groups[shop_id].subtotal = quote.total_amount
        groups[shop_id].saving = quote.threshold_amount
        groups[shop_id].saving_name = quote.threshold.name if quote.threshold else ""
        groups[shop_id].items_amount = quote.items_amount
        for part in quote.lines:
            quoted.setdefault(part.sku.pk, part.unit)
            parts.setdefault(part.sku.pk, []).append(part)
    for line in lines:
        unit = quoted.get(line.sku.pk)
        view = LineView(
            line=line,
            problem=line_problem(line),
            unit_price=unit.price if unit else None,
            promotion=unit.label if unit else "",
            parts=parts.get(line.sku.pk, []),
        )
        groups[line.sku.item.shop_id].lines.append(view)
    _point_to_next_offers(groups)
    total = sum((g.subtotal for g in groups.values()), Decimal("0.00"))
    return CartSummary(
        groups=list(groups.values()), total=total, count=sum(x.quantity for x in lines)
    )


def _point_to_next_offers(groups: dict[int, ShopGroup]) -> None:
    from emporium.promotions.activities import next_thresholds

    if not groups:
        return
    nearest = next_thresholds({sid: g.items_amount for sid, g in groups.items()})
    for shop_id, offer in nearest.items():
        groups[shop_id].next_offer = offer
        groups[shop_id].missing = offer.min_spend - groups[shop_id].items_amount


def cart_count(cart: Cart | None) -> int:
    return sum(cart.lines.values_list("quantity", flat=True)) if cart else 0
