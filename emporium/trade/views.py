"""Buyer pages of trading: checkout, pay, my orders, cancel, confirm receipt, refund and review."""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporium.catalog.covers import cover_key
from emporium.community import reviews
from emporium.customer_events.page import remember_checkout
from emporium.finance import ledger
from emporium.finance.models import Entry
from emporium.finance.wallets import FinanceError, start_top_up
from emporium.lib import money
from emporium.members.models import Address
from emporium.members.requests import MemberRequest
from emporium.promotions.models import Coupon
from emporium.trade import orders, refunds
from emporium.trade.cart import LineView, line_problem
from emporium.trade.forms import RefundForm, ReviewForm, ReviewPicturesForm, TopUpForm
from emporium.trade.models import Order, OrderLine, Refund
from emporium.trade.quotes import best_coupons, lines_to_check_out, quote_lines, usable_coupons
from emporium.trade.states import TradeError

ORDERS_PER_PAGE = 20


def _buyer_order(request: MemberRequest, public_id: UUID) -> Order:
    return get_object_or_404(
        Order.objects.select_related("shop"), public_id=public_id, buyer=request.user
    )


def _chosen_coupons(request: HttpRequest, options: dict[int, list[Coupon]]) -> dict[int, Coupon]:
    chosen = {}
    for shop_id, coupons in options.items():
        wanted = request.POST.get(f"coupon_{shop_id}") or request.GET.get(f"coupon_{shop_id}")
        match = next((c for c in coupons if str(c.pk) == wanted), None)
        if match:
            chosen[shop_id] = match
    return chosen


def _coupons_chosen_by_buyer(request: HttpRequest) -> bool:
    """Whether the buyer has picked coupons (or "no coupon") rather than opened the page."""
    return any(key.startswith("coupon_") for key in [*request.GET, *request.POST])


def _shown_total(request: HttpRequest) -> Decimal | None:
    """The total the checkout page showed the buyer; checkout refuses to charge another. A
    missing or malformed figure checks nothing: the order is priced on the server either way."""
    try:
        shown = Decimal(request.POST.get("expected_total", ""))
    except InvalidOperation:
        return None
    return shown if shown.is_finite() and money.is_cents(shown) else None


def _chosen_address(request: MemberRequest) -> Address | None:
    """The buyer's own address the form names, or None."""
    wanted = request.POST.get("address", "")
    if not (wanted.isascii() and wanted.isdigit()):
        return None
    return request.user.addresses.filter(pk=int(wanted)).first()


@login_required
def checkout(request: MemberRequest) -> HttpResponse:
    # The cart is read once, with everything pricing and checkout need of its lines: a refused
    # attempt (sold out while the buyer looked) renders this page again, and under a rush of
    # buyers the refusals are most of the work (docs/performance.md, "Checkout under contention").
    lines = lines_to_check_out(request.user)
    # Lines that cannot be bought now (sold out, closed shop...) are shown as the cart shows
    # them, with their problem and out of the total; a refusal with nothing buyable left then
    # skips coupons, pricing and the quotes altogether.
    buyable = [line for line in lines if not line_problem(line)]
    unavailable = [LineView(line, problem) for line in lines if (problem := line_problem(line))]
    shop_ids = {line.sku.item.shop_id for line in buyable}
    coupon_options = usable_coupons(request.user, shop_ids) if shop_ids else {}
    chosen = _chosen_coupons(request, coupon_options)
    if not _coupons_chosen_by_buyer(request):
        chosen = best_coupons(buyable, request.user.pk, coupon_options)  # the buyer may change it
    if request.method == "POST":
        wanted = [(line.sku, line.quantity) for line in lines]
        try:
            # Refusals of what is wanted (sold out...) come before the address: under a rush of
            # buyers most attempts end there, and the page then shows no address either.
            orders.check_wanted(request.user, wanted, skus_read_now=True)
            address = _chosen_address(request)
            if address is None:
                messages.error(request, _("Choose a shipping address."))
            else:
                placed = orders.checkout(
                    request.user, address, wanted, chosen, request.POST.get("note", ""),
                    expected_total=_shown_total(request), skus_read_now=True,
                )  # fmt: skip
                # The pay page shown next sends checkout_completed (docs/customer-events.md).
                remember_checkout(request, placed)
                ids = ",".join(str(o.public_id) for o in placed)
                return redirect(f"{reverse('trade:pay')}?orders={ids}")
        except TradeError as refused:
            messages.error(request, str(refused))
    quotes = quote_lines(buyable, request.user.pk, chosen) if buyable else []
    # Only the order form shows the addresses, and only with something to price.
    addresses = list(request.user.addresses.all()) if quotes else []
    if request.method == "GET" and any(not line.sku.item.shop.is_open for line in lines):
        messages.warning(
            request, _("Items of a closed shop are in your cart; remove them to check out.")
        )
    return render(request, "trade/checkout.html", {
        "quotes": quotes,
        "unavailable": unavailable,
        "total": sum(q.total_amount for q in quotes),
        "addresses": addresses,
        "coupon_options": coupon_options,
        "chosen": {shop_id: c.pk for shop_id, c in chosen.items()},
        # The header's count from the lines just read, instead of reading the cart again.
        "cart_count": sum(line.quantity for line in lines),
    })  # fmt: skip


def _orders_to_pay(request: MemberRequest) -> list[Order]:
    ids = [part for part in request.GET.get("orders", "").split(",") if part][:20]
    try:
        found = list(
            Order.objects.filter(public_id__in=ids, buyer=request.user).select_related("shop")
        )
    except ValidationError:  # a malformed id in the link: the page is not there
        raise Http404 from None
    if not found:
        raise Http404
    return found


@login_required
def pay(request: MemberRequest) -> HttpResponse:
    to_pay = _orders_to_pay(request)
    pending = [o for o in to_pay if o.status == Order.Status.PENDING_PAYMENT]
    if request.method == "POST":
        try:
            orders.pay(request.user, pending)
        except TradeError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, _("Paid. The money is held safely until you confirm receipt.")
            )
            return redirect("trade:orders")
    return render(request, "trade/pay.html", {
        "orders": to_pay,
        "pending": pending,
        "total": sum(o.total_amount for o in pending),
        "balance": ledger.balance_of(ledger.wallet_code(request.user)),
        "top_up_form": TopUpForm(),
        "deadline_minutes": orders.payment_window().seconds // 60,
    })  # fmt: skip


@login_required
def wallet(request: MemberRequest) -> HttpResponse:
    form = TopUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _top_up, page = start_top_up(request.user, form.cleaned_data["amount"])
        except FinanceError as refused:
            form.add_error(refused.field, str(refused))
        else:
            # The wallet is credited when the provider confirms, not here; its page takes over.
            back = request.POST.get("next", "")
            if back and url_has_allowed_host_and_scheme(back, None):
                page = f"{page}?{urlencode({'next': back})}"
            return redirect(page)
    entries = Entry.objects.filter(account__code=ledger.wallet_code(request.user)).select_related(
        "posting"
    )
    return render(request, "trade/wallet.html", {
        "form": form,
        "balance": ledger.balance_of(ledger.wallet_code(request.user)),
        "entries": entries.order_by("-posting__created_at", "-id")[:50],
    })  # fmt: skip


@login_required
def order_list(request: MemberRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    unreviewed = OrderLine.objects.filter(order=OuterRef("pk"), review__isnull=True)
    mine = (
        Order.objects.filter(buyer=request.user)
        .select_related("shop")
        .annotate(unreviewed=Exists(unreviewed))
    )
    if status in Order.Status.values:
        mine = mine.filter(status=status)
    lines = Prefetch("lines", OrderLine.objects.annotate(cover_key=cover_key("item")))
    page = Paginator(mine.prefetch_related(lines), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "trade/order_list.html", {
        "page": page, "status": status, "statuses": Order.Status.choices,
        "reviewable": [str(status) for status in reviews.REVIEWABLE],
    })  # fmt: skip


@login_required
def order_detail(request: MemberRequest, public_id: UUID) -> HttpResponse:
    order = _buyer_order(request, public_id)
    lines = order.lines.select_related("review", "item").annotate(cover_key=cover_key("item"))
    return render(request, "trade/order_detail.html", {
        "order": order,
        "lines": lines,
        "log": order.log.all(),
        "refunds": order.refunds.all(),
        "open_refund": order.refunds.filter(status__in=Refund.OPEN).first(),
        "refund_form": RefundForm(initial={"amount": order.total_amount - order.refunded_amount}),
        "can_review": order.status in reviews.REVIEWABLE,
        "can_refund": refunds.can_ask_refund(order),
        "returns_until": orders.returns_close_at(order) if orders.in_return_window(order) else None,
    })  # fmt: skip


def _act(
    request: HttpRequest, order: Order, action: Callable[[], object], success: str
) -> HttpResponse:
    try:
        action()
    except TradeError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, success)
    return redirect("trade:order", public_id=order.public_id)


@login_required
@require_POST
def cancel(request: MemberRequest, public_id: UUID) -> HttpResponse:
    order = _buyer_order(request, public_id)
    return _act(request, order, lambda: orders.cancel_unpaid(order, "buyer", "cancelled by the buyer"),
                _("The order was cancelled."))  # fmt: skip


@login_required
@require_POST
def confirm(request: MemberRequest, public_id: UUID) -> HttpResponse:
    order = _buyer_order(request, public_id)
    return _act(
        request,
        order,
        lambda: orders.confirm_receipt(order),
        _("Thank you — the seller has been paid. You can still ask for a return for %(days)s days.")
        % {"days": settings.ORDER_RETURN_DAYS},
    )


@login_required
@require_POST
def request_refund(request: MemberRequest, public_id: UUID) -> HttpResponse:
    order = _buyer_order(request, public_id)
    form = RefundForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[field].label}: {' '.join(str(e) for e in errors)}"
            )
        return redirect("trade:order", public_id=order.public_id)
    data = form.cleaned_data
    return _act(request, order, lambda: refunds.request_refund(order, request.user, data["amount"], data["reason"]),
                _("Your refund request was sent to the seller."))  # fmt: skip


@login_required
@require_POST
def refund_step(request: MemberRequest, public_id: UUID, refund_id: int, step: str) -> HttpResponse:
    order = _buyer_order(request, public_id)
    refund = get_object_or_404(Refund, pk=refund_id, order=order)
    if step not in ("escalate", "withdraw"):
        raise Http404
    if step == "escalate":
        return _act(request, order, lambda: refunds.escalate(refund, request.user),
                    _("The operator will look at your case."))  # fmt: skip
    return _act(
        request,
        order,
        lambda: refunds.withdraw_request(refund, request.user),
        _("Request withdrawn."),
    )


@login_required
def review(request: MemberRequest, public_id: UUID, line_id: int) -> HttpResponse:
    order = _buyer_order(request, public_id)
    line = get_object_or_404(OrderLine, pk=line_id, order=order)
    form = ReviewForm(request.POST or None)
    pictures = ReviewPicturesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and pictures.is_valid():
        data = form.cleaned_data
        try:
            reviews.write_review(
                request.user, line, data["stars"], data["text"], pictures.cleaned_data["pictures"]
            )
        except TradeError as refused:
            form.add_error(refused.field, str(refused))
        except ValueError as refused:  # a picture the checks refused
            pictures.add_error("pictures", str(refused))
        else:
            messages.success(request, _("Thank you for your review."))
            return redirect("trade:order", public_id=order.public_id)
    return render(
        request,
        "trade/review.html",
        {"order": order, "line": line, "form": form, "pictures": pictures},
    )
