"""Buyer pages of trading: checkout, pay, my orders, cancel, confirm receipt, refund and review."""

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporium.community import reviews
from emporium.customer_events.page import remember_checkout
from emporium.finance import ledger
from emporium.finance.models import Entry
from emporium.finance.wallets import FinanceError, top_up
from emporium.members.requests import MemberRequest
from emporium.promotions.models import Coupon
from emporium.trade import orders, refunds
from emporium.trade.cart import cart_for
from emporium.trade.forms import RefundForm, ReviewForm, ReviewPicturesForm, TopUpForm
from emporium.trade.models import CartLine, Order, OrderLine, Refund
from emporium.trade.quotes import cart_quotes, usable_coupons
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


@login_required
def checkout(request: MemberRequest) -> HttpResponse:
    cart = cart_for(request)
    shop_ids = (
        set(CartLine.objects.filter(cart=cart).values_list("sku__item__shop_id", flat=True))
        if cart
        else set()
    )
    coupon_options = usable_coupons(request.user, shop_ids)
    chosen = _chosen_coupons(request, coupon_options)
    addresses = list(request.user.addresses.all())
    if request.method == "POST":
        address = next((a for a in addresses if str(a.pk) == request.POST.get("address")), None)
        if address is None:
            messages.error(request, _("Choose a shipping address."))
        else:
            wanted = [
                (line.sku, line.quantity)
                for line in CartLine.objects.filter(cart=cart).select_related("sku")
            ]
            try:
                placed = orders.checkout(
                    request.user, address, wanted, chosen, request.POST.get("note", "")
                )
            except TradeError as refused:
                messages.error(request, str(refused))
            else:
                # The pay page shown next sends checkout_completed (docs/customer-events.md).
                remember_checkout(request, placed)
                ids = ",".join(str(o.public_id) for o in placed)
                return redirect(f"{reverse('trade:pay')}?orders={ids}")
    quotes = cart_quotes(cart, chosen)
    if request.method == "GET" and len(quotes) < len(shop_ids):
        messages.warning(
            request, _("Items of a closed shop are in your cart; remove them to check out.")
        )
    return render(request, "trade/checkout.html", {
        "quotes": quotes,
        "total": sum(q.total_amount for q in quotes),
        "addresses": addresses,
        "coupon_options": coupon_options,
        "chosen": {shop_id: c.pk for shop_id, c in chosen.items()},
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
            top_up(request.user, form.cleaned_data["amount"])
        except FinanceError as refused:
            form.add_error(refused.field, str(refused))
        else:
            messages.success(request, _("Your wallet was topped up."))
            return redirect(request.POST.get("next") or "trade:wallet")
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
    mine = Order.objects.filter(buyer=request.user).select_related("shop")
    if status in Order.Status.values:
        mine = mine.filter(status=status)
    page = Paginator(mine.prefetch_related("lines"), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "trade/order_list.html", {
        "page": page, "status": status, "statuses": Order.Status.choices,
    })  # fmt: skip


@login_required
def order_detail(request: MemberRequest, public_id: UUID) -> HttpResponse:
    order = _buyer_order(request, public_id)
    lines = order.lines.select_related("review", "item")
    return render(request, "trade/order_detail.html", {
        "order": order,
        "lines": lines,
        "log": order.log.all(),
        "refunds": order.refunds.all(),
        "open_refund": order.refunds.filter(status__in=Refund.OPEN).first(),
        "refund_form": RefundForm(initial={"amount": order.total_amount - order.refunded_amount}),
        "can_review": order.status in reviews.REVIEWABLE,
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
        _("Thank you — the seller has been paid."),
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
