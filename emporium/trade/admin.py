"""Operator admin of carts, orders, their lines and history, and refunds (disputes ruled here)."""

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from emporium.trade import refunds
from emporium.trade.models import Cart, CartLine, Order, OrderLine, OrderLog, Refund
from emporium.trade.states import TradeError

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class LinesCount(TypedDict):
    lines_count: int


class ReadOnlyMixin:
    """Orders, their history and refunds move only through emporium.trade (state machine and
    escrow ledger in one transaction); a hand edit here would unbalance the books."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class CartLineInline(admin.TabularInline):
    model = CartLine
    extra = 0
    raw_id_fields = ("sku",)
    readonly_fields = ("added_at",)


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ("__str__", "member", "session_key", "line_count", "updated_at")
    list_filter = ("updated_at",)
    search_fields = ("member__username", "member__display_name", "=session_key")
    autocomplete_fields = ("member",)
    list_select_related = ("member",)
    inlines = (CartLineInline,)
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cart]:
        return super().get_queryset(request).annotate(lines_count=Count("lines"))

    @admin.display(description=_("lines"), ordering="lines_count")
    def line_count(self, cart: "WithAnnotations[Cart, LinesCount]") -> int:
        return cart.lines_count


@admin.register(CartLine)
class CartLineAdmin(admin.ModelAdmin):
    list_display = ("cart", "sku", "quantity", "added_at")
    search_fields = ("sku__item__title", "sku__code", "cart__member__username")
    raw_id_fields = ("cart", "sku")
    list_select_related = ("cart__member", "sku__item")
    show_full_result_count = False


class OrderLineInline(ReadOnlyMixin, admin.TabularInline):
    model = OrderLine
    fields = ("title", "sku_label", "list_price", "unit_price", "quantity", "total_amount")


class OrderLogInline(ReadOnlyMixin, admin.TabularInline):
    model = OrderLog
    fields = ("at", "from_status", "to_status", "actor", "note")


class RefundInline(ReadOnlyMixin, admin.TabularInline):
    model = Refund
    fields = ("created_at", "amount", "status", "reason", "seller_note", "operator_note")
    show_change_link = True


@admin.register(Order)
class OrderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "shop_name",
        "buyer_name",
        "status_words",
        "total_amount",
        "refunded_amount",
        "created_at",
        "paid_at",
    )
    list_filter = ("status", "created_at")
    search_fields = ("number", "=public_id", "buyer__username", "shop__name", "tracking_number")
    list_select_related = ("shop", "buyer")
    date_hierarchy = "created_at"
    inlines = (OrderLineInline, RefundInline, OrderLogInline)
    show_full_result_count = False

    @admin.display(description=_("Shop"), ordering="shop__name")
    def shop_name(self, order: Order) -> str:
        return str(order.shop)

    @admin.display(description=_("Buyer"), ordering="buyer__username")
    def buyer_name(self, order: Order) -> str:
        return str(order.buyer)

    @admin.display(description=_("Status"), ordering="status")
    def status_words(self, order: Order) -> str:
        return order.get_status_display()


@admin.register(OrderLine)
class OrderLineAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("order", "title", "sku_label", "unit_price", "quantity", "total_amount")
    search_fields = ("title", "order__number")
    list_select_related = ("order",)
    show_full_result_count = False


@admin.register(OrderLog)
class OrderLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("order", "from_status", "to_status", "actor", "at")
    list_filter = ("to_status", "actor")
    search_fields = ("order__number", "note")
    list_select_related = ("order",)
    show_full_result_count = False


@admin.register(Refund)
class RefundAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "order_number", "amount_paid_back", "status_words", "reason", "created_at", "resolved_at"
    )  # fmt: skip
    list_filter = ("status", "created_at")
    search_fields = ("order__number", "=public_id", "reason")
    list_select_related = ("order",)
    actions = ("rule_for_buyer", "rule_for_seller")

    @admin.display(description=_("Order"), ordering="order__number")
    def order_number(self, refund: Refund) -> str:
        return refund.order.number

    @admin.display(description=_("Amount"), ordering="amount")
    def amount_paid_back(self, refund: Refund) -> str:
        return f"¥{refund.amount:,.2f}"

    @admin.display(description=_("Status"), ordering="status")
    def status_words(self, refund: Refund) -> str:
        return refund.get_status_display()

    @admin.action(description=_("Rule the selected disputes for the buyer (refund)"))
    def rule_for_buyer(self, request: HttpRequest, queryset: QuerySet[Refund]) -> None:
        self._arbitrate(request, queryset, for_buyer=True)

    @admin.action(description=_("Rule the selected disputes for the seller (no refund)"))
    def rule_for_seller(self, request: HttpRequest, queryset: QuerySet[Refund]) -> None:
        self._arbitrate(request, queryset, for_buyer=False)

    def _arbitrate(
        self, request: HttpRequest, queryset: QuerySet[Refund], *, for_buyer: bool
    ) -> None:
        ruled, refused = 0, []
        for refund in queryset.select_related("order"):
            try:
                refunds.arbitrate(refund, for_buyer, note=str(_("Ruled by the operator.")))
                ruled += 1
            except TradeError as error:
                refused.append(f"{refund.order.number}: {error}")
        if ruled:
            message = ngettext("%(n)s dispute ruled.", "%(n)s disputes ruled.", ruled)
            self.message_user(request, message % {"n": ruled}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)
