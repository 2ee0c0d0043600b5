"""Seller center orders: the filtered list, its CSV export, one order's page, shipping and memo."""

import csv
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from emporium.lib import clock
from emporium.members.requests import MemberRequest
from emporium.sellercenter.forms import service_error
from emporium.sellercenter.tradeforms import MemoForm, OrderFilterForm, ShipForm
from emporium.sellercenter.views import seller_required
from emporium.shops.models import Shop
from emporium.trade import orders as trading
from emporium.trade.models import Order, Refund
from emporium.trade.states import TradeError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ORDERS_PER_PAGE = 50
CSV_COLUMNS = [
    "number", "created_at", "status", "buyer", "items", "items_amount", "discount_amount",
    "total_amount", "refunded_amount", "commission_amount", "carrier", "tracking_number",
]  # fmt: skip
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ACTORS = {
    "buyer": gettext_lazy("buyer"),
    "seller": gettext_lazy("seller"),
    "operator": gettext_lazy("operator"),
    "system": gettext_lazy("automatic"),
}


def _own_order(shop: Shop, public_id) -> Order:
    # Filtering by shop turns another seller's order into a plain 404: nothing is revealed.
    return get_object_or_404(Order.objects.select_related("buyer"), shop=shop, public_id=public_id)


def _day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the member's zone (the middleware activated it)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def filtered_orders(shop: Shop, filters: OrderFilterForm) -> QuerySet[Order]:
    """The shop's orders narrowed by every filter that parsed; a bad one is ignored, not fatal."""
    filters.is_valid()
    data = filters.cleaned_data
    found = Order.objects.filter(shop=shop)
    if data.get("status"):
        found = found.filter(status=data["status"])
    if data.get("created_from"):
        found = found.filter(created_at__gte=_day_start(data["created_from"]))
    if data.get("created_to"):
        found = found.filter(created_at__lt=_day_start(data["created_to"] + timedelta(days=1)))
    if q := data.get("q", "").strip():
        found = found.filter(Q(number__contains=q) | Q(buyer__username__icontains=q))
    return found.order_by("-created_at", "-id")


@seller_required
def order_list(request: MemberRequest, shop: Shop) -> HttpResponse:
    filters = OrderFilterForm(request.GET)
    open_refund = Refund.objects.filter(order=OuterRef("pk"), status__in=Refund.OPEN)
    found = (
        filtered_orders(shop, filters)
        .select_related("buyer")
        .prefetch_related("lines")
        .annotate(has_open_refund=Exists(open_refund))
    )
    page = Paginator(found, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    filtering = any(request.GET.get(name) for name in filters.fields)
    context = {"shop": shop, "filters": filters, "page": page, "filtering": filtering}
    return render(request, "sellercenter/orders.html", context)


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _items_cell(order: Order) -> str:
    parts = []
    for line in order.lines.all():
        title = f"{line.title} ({line.sku_label})" if line.sku_label else line.title
        parts.append(f"{title}×{line.quantity}")
    return _cell("; ".join(parts))


def csv_row(order: Order) -> list[str]:
    """Money as exact decimal strings, time as ISO 8601 in UTC, whatever the member's zone."""
    return [
        order.number,
        order.created_at.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        order.status,
        _cell(order.buyer.username),
        _items_cell(order),
        str(order.items_amount),
        str(order.discount_amount),
        str(order.total_amount),
        str(order.refunded_amount),
        str(order.commission_amount),
        _cell(order.carrier),
        _cell(order.tracking_number),
    ]


def _csv_lines(found: QuerySet[Order]):
    writer = csv.writer(_Echo())
    # The byte-order mark makes spreadsheet programs read the UTF-8 (Chinese titles) correctly.
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    for order in found.iterator(chunk_size=500):
        yield writer.writerow(csv_row(order))


@seller_required
def order_export(request: MemberRequest, shop: Shop) -> StreamingHttpResponse:
    """The filtered list (every page of it) as CSV, streamed so a big shop needs no big memory."""
    found = filtered_orders(shop, OrderFilterForm(request.GET))
    found = found.select_related("buyer").prefetch_related("lines")
    response = StreamingHttpResponse(_csv_lines(found), content_type="text/csv; charset=utf-8")
    name = f"orders-{clock.now().astimezone(UTC):%Y%m%d-%H%M%S}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an order's history, in words a seller reads."""

    at: datetime
    from_label: "StrOrPromise"
    to_label: "StrOrPromise"
    actor_label: "StrOrPromise"
    note: str


def _history(order: Order) -> list[HistoryEntry]:
    labels = dict(Order.Status.choices)
    return [
        HistoryEntry(
            at=entry.at,
            from_label=labels.get(entry.from_status, entry.from_status),
            to_label=labels.get(entry.to_status, entry.to_status),
            actor_label=ACTORS.get(entry.actor, entry.actor),
            note=entry.note,
        )
        for entry in order.log.all()
    ]


def _detail_page(request: HttpRequest, shop: Shop, order: Order, **bound) -> HttpResponse:
    refunds = list(order.refunds.all())
    context = {
        "shop": shop,
        "order": order,
        "lines": order.lines.select_related("item"),
        "log": _history(order),
        "refunds": refunds,
        "open_refund": next((r for r in refunds if r.is_open), None),
        "ship_form": bound.get("ship_form") or ShipForm(),
        "memo_form": bound.get("memo_form") or MemoForm(initial={"seller_memo": order.seller_memo}),
    }
    return render(request, "sellercenter/order_detail.html", context)


@seller_required
def order_detail(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    return _detail_page(request, shop, _own_order(shop, public_id))


@require_POST
@seller_required
def order_ship(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    order = _own_order(shop, public_id)
    form = ShipForm(request.POST)
    if form.is_valid():
        try:
            trading.ship(order, **form.cleaned_data)
        except TradeError as error:
            order.refresh_from_db()
            service_error(form, error)
        else:
            messages.success(request, _("Order %(n)s shipped.") % {"n": order.number})
            return redirect("sellercenter:order", order.public_id)
    return _detail_page(request, shop, order, ship_form=form)


@require_POST
@seller_required
def order_memo(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    order = _own_order(shop, public_id)
    form = MemoForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, shop, order, memo_form=form)
    trading.write_memo(order, form.cleaned_data["seller_memo"])
    messages.success(request, _("Memo saved."))
    return redirect("sellercenter:order", order.public_id)
