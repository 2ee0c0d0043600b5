"""Order actions: checkout, pay, ship, confirm receipt, cancel and settle — each one atomic."""

import secrets
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Sum, prefetch_related_objects
from django.utils.translation import gettext as _

from emporium.catalog.models import Item, Sku
from emporium.events import announce
from emporium.finance import ledger
from emporium.finance.ledger import InsufficientFunds, Leg
from emporium.finance.models import Posting
from emporium.finance.payments import provider
from emporium.lib import clock, money
from emporium.lib.money import to_cents
from emporium.members.models import Address, Member
from emporium.promotions.models import Coupon, FlashSale
from emporium.promotions.pricing import ShopQuote, quote_shop
from emporium.trade.bestsellers import count_sales
from emporium.trade.models import CartLine, Order, OrderLine, Refund
from emporium.trade.quotes import flash_history, flash_units_had
from emporium.trade.states import TradeError, move

S = Order.Status


def payment_window() -> timedelta:
    return timedelta(minutes=settings.ORDER_PAYMENT_MINUTES)


def auto_confirm_after() -> timedelta:
    return timedelta(days=settings.ORDER_AUTO_CONFIRM_DAYS)


def return_window() -> timedelta:
    return timedelta(days=settings.ORDER_RETURN_DAYS)


def returns_close_at(order: Order) -> datetime | None:
    """When the buyer can no longer ask for a return: the window runs from the receipt."""
    return order.completed_at + return_window() if order.completed_at else None


def in_return_window(order: Order, at: datetime | None = None) -> bool:
    """A settled order can still be returned: its window is open and its fee still held."""
    closes = returns_close_at(order)
    return (
        order.status == S.SETTLED
        and order.fee_settled_at is None
        and closes is not None
        and (at or clock.now()) < closes
    )


def _order_number(at: datetime) -> str:
    return at.strftime("%Y%m%d%H%M%S") + f"{secrets.randbelow(10**6):06d}"


def _address_snapshot(address: Address) -> dict:
    fields = ["recipient", "phone", "province", "city", "district", "street", "postal_code"]
    return {name: getattr(address, name) for name in fields}


# ---------------------------------------------------------------- checkout


def _check_wanted(buyer: Member, wanted: list[tuple[Sku, int]]) -> None:
    if not wanted:
        raise TradeError(_("Your cart is empty."), code="empty_cart")
    sandbox_shop_id = _sandbox_shop_id(buyer)
    for sku, quantity in wanted:
        if sandbox_shop_id is not None and sku.item.shop_id != sandbox_shop_id:
            # Sandbox money never reaches a real shop.
            raise TradeError(
                _("A sandbox buyer buys only from its sandbox shop."), code="sandbox_only"
            )
        # A developer's sandbox buyer may order the sandbox shop's stock-room items.
        sandboxed = (
            sku.item.shop_id == sandbox_shop_id and sku.item.status == Item.Status.STOCK_ROOM
        )
        if not sku.item.shop.is_open:
            raise TradeError(
                _("“%(shop)s” is closed; remove its items from your cart.")
                % {"shop": sku.item.shop.name},
                "shop_closed",
            )
        if sku.item.status != Item.Status.ON_SALE and not sandboxed:
            raise TradeError(
                _("“%(title)s” is no longer on sale.") % {"title": sku.item.title}, "not_on_sale"
            )
        if sku.item.shop.owner_id == buyer.pk:
            raise TradeError(_("You cannot buy from your own shop."), code="own_shop")
        if quantity < 1:
            raise TradeError(
                _("Quantity must be at least 1."), code="bad_quantity", field="quantity"
            )


def _sandbox_shop_id(buyer: Member) -> int | None:
    """The sandbox shop whose stock-room items this buyer may buy (ecosystem/sandbox.py)."""
    from emporium.ecosystem.models import DeveloperSandbox

    if not buyer.username.startswith("sandbox-"):  # every sandbox account's name; no query else
        return None
    sandbox = DeveloperSandbox.objects.filter(buyer=buyer).select_related("seller__shop").first()
    shop = getattr(sandbox.seller, "shop", None) if sandbox is not None else None
    return shop.pk if shop is not None else None


def _out_of_stock(sku: Sku) -> TradeError:
    return TradeError(
        _("Not enough stock left of “%(title)s”.") % {"title": sku.item.title},
        code="out_of_stock",
    )


def _reserve_stock(sku: Sku, quantity: int) -> None:
    # The conditional update is the lock: concurrent buyers can never take the same last unit.
    if not Sku.objects.filter(pk=sku.pk, stock__gte=quantity).update(stock=F("stock") - quantity):
        raise _out_of_stock(sku)
    Item.objects.filter(pk=sku.item_id).update(stock=F("stock") - quantity)


def _reserve_flash(buyer: Member, sale: FlashSale, quantity: int) -> None:
    """Take `quantity` of the sale's units for this buyer, or refuse. The conditional update
    comes first: it locks the sale's row until commit, so two checkouts of one buyer count
    each other's lines and can never pass the per-buyer limit together."""
    if not FlashSale.objects.filter(pk=sale.pk, sold_count__lte=F("stock_limit") - quantity).update(
        sold_count=F("sold_count") + quantity
    ):
        raise TradeError(_("The flash sale has sold out."), code="flash_sold_out")
    had = flash_units_had(buyer.pk, [sale.pk]).get(sale.pk, 0)
    if had + quantity > sale.per_buyer_limit:
        raise TradeError(
            _("The flash sale allows %(n)s per buyer at its price.") % {"n": sale.per_buyer_limit},
            code="flash_limit",
        )


def _use_coupon(coupon: Coupon, at: datetime) -> None:
    if not Coupon.objects.filter(pk=coupon.pk, used_at__isnull=True).update(used_at=at):
        raise TradeError(_("That coupon has already been used."), code="coupon_used")


def _create_order(buyer: Member, quote: ShopQuote, address: dict, note: str, at: datetime) -> Order:
    order = Order.objects.create(
        number=_order_number(at),
        buyer=buyer,
        shop=quote.shop,
        items_amount=quote.items_amount,
        discount_amount=quote.discount_amount,
        total_amount=quote.total_amount,
        promotions=quote.applied(),
        coupon=quote.coupon,
        address=address,
        buyer_note=note[:200],
        created_at=at,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            sku=line.sku,
            item=line.sku.item,
            title=line.sku.item.title,
            sku_label=line.sku.label,
            list_price=line.unit.list_price,
            unit_price=line.unit.price,
            quantity=line.quantity,
            discount_amount=line.discount_share,
            total_amount=line.total,
            commission_rate=line.sku.item.category.commission_rate,
            flash_sale=line.unit.flash_sale,
        )
        for line in quote.lines
    )
    from emporium.trade.models import OrderLog

    OrderLog.objects.create(order=order, to_status=S.PENDING_PAYMENT, actor="buyer", at=at)
    announce.order_changed(order)
    return order


def check_wanted(
    buyer: Member, wanted: list[tuple[Sku, int]], *, skus_read_now: bool = False
) -> list[tuple[Sku, int]]:
    """What checkout refuses before pricing anything: an empty cart, a closed shop, an item off
    sale or of one's own shop, a SKU sold out already; the wanted SKUs as checked. It needs no
    address, so a page may ask it first: under a rush, most attempts end here, having read no
    address (docs/performance.md, issue 21). `skus_read_now`: as for `checkout`."""
    if not skus_read_now:
        fresh = Sku.objects.select_related("item__shop", "item__category").in_bulk(
            [s.pk for s, _ in wanted]
        )
        if len(fresh) < len({s.pk for s, _ in wanted}):
            raise Sku.DoesNotExist("A SKU of the checkout no longer exists.")
        wanted = [(fresh[s.pk], q) for s, q in wanted]
    _check_wanted(buyer, wanted)
    for sku, quantity in wanted:
        if sku.stock < quantity:  # sold out already: no write lock for a refusal
            raise _out_of_stock(sku)
    return wanted


def checkout(
    buyer: Member,
    address: Address,
    wanted: list[tuple[Sku, int]],
    coupons: dict[int, Coupon] | None = None,
    note: str = "",
    expected_total: Decimal | None = None,
    *,
    skus_read_now: bool = False,
) -> list[Order]:
    """Turn wanted SKUs into one order per shop, reserving stock; all orders or none.

    Everything that only reads — the SKUs, the checks, the prices — happens before the write
    transaction, and a SKU already sold out is refused without one: on SQLite a transaction holds
    the one write lock from its first statement, so the work done inside it is what every other
    buyer waits for. The conditional stock update inside stays the guard against overselling.

    `expected_total` is the total the buyer was shown: when prices changed since (a flash sale
    ended, a discount started), nothing is ordered and the buyer is told the new total first.

    `skus_read_now`: the caller read the SKUs with their item, shop and category in this
    request (the checkout page reads the cart once), so they are not read again; stale SKUs
    could not oversell anyway, the conditional stock update decides."""
    if address.member_id != buyer.pk:
        raise TradeError(
            _("Choose one of your own addresses."), code="bad_address", field="address"
        )
    wanted = check_wanted(buyer, wanted, skus_read_now=skus_read_now)
    at = clock.now()
    by_shop: dict[int, list[tuple[Sku, int]]] = defaultdict(list)
    for sku, quantity in wanted:
        by_shop[sku.item.shop_id].append((sku, quantity))
    coupons = coupons or {}
    quotes = []
    for shop_lines in by_shop.values():
        shop = shop_lines[0][0].item.shop
        coupon = coupons.get(shop.pk)
        if coupon is not None and coupon.buyer_id != buyer.pk:
            raise TradeError(
                _("That coupon is not yours."), code="coupon_not_yours", field="coupon"
            )
        quote = quote_shop(shop, shop_lines, at, coupon=coupon, had=flash_history(buyer.pk))
        if coupon is not None and quote.coupon is None:
            raise TradeError(
                _("That coupon cannot be used on this order."), code="coupon_not_usable"
            )
        quotes.append(quote)
    total = sum((quote.total_amount for quote in quotes), Decimal("0.00"))
    if expected_total is not None and total != expected_total:
        raise TradeError(
            _(
                "The prices changed since the page was shown (a sale may have ended): the total "
                "is now %(total)s. Check it and place the order again."
            )
            % {"total": f"¥{total:,.2f}"},
            code="prices_changed",
        )
    snapshot = _address_snapshot(address)
    with transaction.atomic():
        orders = []
        for quote in quotes:
            for line in quote.lines:
                _reserve_stock(line.sku, line.quantity)
                if line.unit.flash_sale:
                    _reserve_flash(buyer, line.unit.flash_sale, line.quantity)
            announce.stocks_taken(
                quote.shop, [(line.sku, line.quantity) for line in quote.lines], "sale"
            )
            if quote.coupon:
                _use_coupon(quote.coupon, at)
            orders.append(_create_order(buyer, quote, snapshot, note, at))
        CartLine.objects.filter(cart__member=buyer, sku_id__in=[s.pk for s, _ in wanted]).delete()
    return orders


# ---------------------------------------------------------------- payment


def pay(buyer: Member, orders: list[Order], method: str = "wallet") -> Posting:
    """Pay pending orders into escrow in one payment; refused whole if any cannot be paid."""
    if not orders:
        raise TradeError(_("Nothing to pay."), code="nothing_to_pay")
    payer = provider(method)
    deadline = clock.now() - payment_window()
    for order in orders:
        if order.buyer_id != buyer.pk:
            raise TradeError(_("That order is not yours."), code="not_yours")
        if order.status == S.PENDING_PAYMENT and order.created_at <= deadline:
            raise TradeError(
                _("Order %(n)s waited too long and was cancelled.") % {"n": order.number}, "expired"
            )
    total = sum((o.total_amount for o in orders), Decimal("0.00"))
    reference = "orders:" + ",".join(o.number for o in orders)
    # The lines (their units, for the sold counts) in one read, before the write transaction:
    # an order's lines never change, and on SQLite the transaction holds the one write lock.
    prefetch_related_objects(orders, "lines")
    with transaction.atomic():
        for order in orders:
            move(order, S.PAID, "buyer")
            count_sales(order, +1)  # the sold count shown to buyers, in the payment's transaction
        try:
            return payer.pay(buyer, total, reference)
        except InsufficientFunds:
            raise TradeError(
                _("Your wallet holds less than %(total)s; top it up first.") % {"total": total},
                code="insufficient_funds",
            ) from None


# ---------------------------------------------------------------- fulfilment


def _open_refund(order: Order) -> Refund | None:
    return order.refunds.filter(status__in=Refund.OPEN).first()


@transaction.atomic
def ship(order: Order, carrier: str, tracking_number: str) -> None:
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier:
        raise TradeError(_("Name the carrier."), code="carrier_required", field="carrier")
    if not tracking_number:
        raise TradeError(
            _("Give the tracking number."), code="tracking_required", field="tracking_number"
        )
    if _open_refund(order):
        raise TradeError(_("Answer the buyer's refund request first."), code="refund_open")
    move(order, S.SHIPPED, "seller", carrier=carrier[:40], tracking_number=tracking_number[:40])


MAX_SELLER_MEMO = 500


def write_memo(order: Order, memo: str) -> Order:
    """The seller's private note, outside the state machine: one column, one update."""
    memo = memo.strip()
    if len(memo) > MAX_SELLER_MEMO:
        raise TradeError(
            _("A memo has at most %(n)s characters.") % {"n": MAX_SELLER_MEMO},
            code="memo_too_long",
            field="seller_memo",
        )
    Order.objects.filter(pk=order.pk).update(seller_memo=memo)
    order.seller_memo = memo
    return order


@transaction.atomic
def confirm_receipt(order: Order, actor: str = "buyer") -> None:
    """The buyer has the goods (or the auto-confirm period ran out); settle unless a refund is
    open. The return window opens now: the seller is paid, the platform's fee is held."""
    move(order, S.COMPLETED, actor)
    if not _open_refund(order):
        settle(order)


@transaction.atomic
def settle(order: Order) -> Posting | None:
    """Release escrow to the seller, less the platform commission of each line's category.

    The commission is held (`held:commission`) until the return window closes
    (`settle_fees`): a return inside it takes the refund from the seller's balance and gives the
    fee's share back, so neither side pays a fee on money that went back to the buyer."""
    # A refund agreed since the caller loaded `order` lowered what escrow holds for it: read the
    # amount again under the row lock, or settlement would release money already paid back.
    order.refunded_amount = (
        Order.objects.select_for_update().values_list("refunded_amount", flat=True).get(pk=order.pk)
    )
    net = order.total_amount - order.refunded_amount
    commission = commission_on(order, net)
    move(order, S.SETTLED, "system", commission_amount=commission)
    if net == 0:
        return None
    return ledger.post(
        Posting.Reason.SETTLEMENT,
        f"order:{order.number}",
        [
            Leg(ledger.escrow(), -net),
            Leg(ledger.seller_balance(order.shop.owner), net - commission),
            Leg(ledger.held_commission(), commission),
        ],
    )


def settle_fee(order: Order) -> Posting | None:
    """The return window closed: the held commission becomes the platform's revenue. Call in a
    transaction; does nothing if another worker did it first."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status != S.SETTLED or locked.fee_settled_at is not None:
        return None
    Order.objects.filter(pk=order.pk).update(fee_settled_at=clock.now())
    if locked.commission_amount == 0:
        return None
    return ledger.post(
        Posting.Reason.FEE,
        f"order:{locked.number}",
        [
            Leg(ledger.held_commission(), -locked.commission_amount),
            Leg(ledger.commission_revenue(), locked.commission_amount),
        ],
    )


def commission_on(order: Order, net: Decimal) -> Decimal:
    """Commission is each line's rate on its share of what the seller finally keeps."""
    if order.total_amount == 0 or net == 0:
        return Decimal("0.00")
    gross = sum(
        (line.total_amount * line.commission_rate for line in order.lines.all()), Decimal(0)
    )
    return to_cents(gross * net / order.total_amount)


# ---------------------------------------------------------------- cancellation


def release_reservations(order: Order) -> None:
    for line in order.lines.all():
        Sku.objects.filter(pk=line.sku_id).update(stock=F("stock") + line.quantity)
        Item.objects.filter(pk=line.item_id).update(stock=F("stock") + line.quantity)
        sku = Sku.objects.select_related("item__shop").get(pk=line.sku_id)
        announce.stock_changed(sku, sku.stock - line.quantity, sku.stock, "cancellation")
        if line.flash_sale_id:
            FlashSale.objects.filter(pk=line.flash_sale_id).update(
                sold_count=F("sold_count") - line.quantity
            )
    if order.coupon_id:
        Coupon.objects.filter(pk=order.coupon_id).update(used_at=None)


@transaction.atomic
def cancel_unpaid(order: Order, actor: str, reason: str = "") -> None:
    """An unpaid order is cancelled by its buyer or by the clock; its stock goes back on sale."""
    if order.status != S.PENDING_PAYMENT:
        raise TradeError(
            _("Only an order awaiting payment can be cancelled; ask for a refund instead."),
            "not_cancellable",
        )
    move(order, S.CANCELLED, actor, note=reason, cancel_reason=reason[:200])
    release_reservations(order)


# ---------------------------------------------------------------- schedules


def cancel_overdue_orders() -> int:
    """Orders unpaid after the payment window are cancelled; run by the worker every minute."""
    cutoff = clock.now() - payment_window()
    count = 0
    for order in Order.objects.filter(status=S.PENDING_PAYMENT, created_at__lte=cutoff):
        try:
            cancel_unpaid(order, "system", reason="not paid in time")
            count += 1
        except TradeError:
            continue  # paid or cancelled meanwhile: someone else moved it first
    return count


def complete_overdue_shipments() -> int:
    """Shipped orders complete themselves after the confirm period, unless a refund is open."""
    cutoff = clock.now() - auto_confirm_after()
    overdue = Order.objects.filter(status=S.SHIPPED, shipped_at__lte=cutoff).exclude(
        refunds__status__in=Refund.OPEN
    )
    count = 0
    for order in overdue:
        try:
            confirm_receipt(order, actor="system")
            count += 1
        except TradeError:
            continue
    return count


def settle_completed_orders() -> int:
    """Completed orders whose refunds are all closed are settled (catches anything missed)."""
    waiting = Order.objects.filter(status=S.COMPLETED).exclude(refunds__status__in=Refund.OPEN)
    count = 0
    for order in waiting:
        try:
            with transaction.atomic():
                settle(order)
            count += 1
        except TradeError:
            continue
    return count


def settle_fees() -> int:
    """Settled orders whose return window has closed, with no refund open, pay the platform its
    held fee; run by the worker every minute."""
    cutoff = clock.now() - return_window()
    due = Order.objects.filter(
        status=S.SETTLED, fee_settled_at__isnull=True, completed_at__lte=cutoff
    ).exclude(refunds__status__in=Refund.OPEN)
    count = 0
    for order in due:
        with transaction.atomic():
            if settle_fee(order) is not None:
                count += 1
    return count


def held_fees_should_hold() -> Decimal:
    """What `held:commission` must hold: the commission of settled orders still returnable."""
    held = Order.objects.filter(status=S.SETTLED, fee_settled_at__isnull=True)
    return money.cents_or_zero(held.aggregate(total=Sum("commission_amount"))["total"])


def escrow_should_hold() -> Decimal:
    """What escrow must hold: every paid-but-unsettled order's total less what was refunded."""
    open_orders = Order.objects.filter(Q(status__in=[S.PAID, S.SHIPPED, S.COMPLETED]))
    totals = open_orders.aggregate(total=Sum("total_amount"), refunded=Sum("refunded_amount"))
    return money.cents_or_zero(totals["total"]) - money.cents_or_zero(totals["refunded"])
