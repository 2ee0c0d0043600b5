"""Seller center activities: running, upcoming and ended ones per kind; create and stop them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emporium.catalog.services import CatalogError
from emporium.lib import clock
from emporium.members.requests import MemberRequest
from emporium.promotions import activities
from emporium.promotions.activities import PromotionError
from emporium.promotions.models import Activity, CouponBatch, Discount, FlashSale, Threshold
from emporium.sellercenter import activityforms
from emporium.sellercenter.forms import service_error
from emporium.sellercenter.views import seller_required
from emporium.shops.models import Shop

ENDED_SHOWN = 50


@dataclass(frozen=True)
class Kind:
    slug: str
    title: Promise
    model: type[Activity]
    form: type[activityforms.ActivityForm]
    create: Callable
    # Joins or counts a row of this kind shows, so the list costs no query per row.
    prepare: Callable[[QuerySet], QuerySet] = lambda activities_: activities_


KINDS = {
    kind.slug: kind
    for kind in [
        Kind(
            "discounts", gettext_lazy("Item discounts"), Discount, activityforms.DiscountForm,
            activities.create_discount, lambda qs: qs.annotate(item_count=Count("items")),
        ),
        Kind(
            "spend-and-save", gettext_lazy("Spend and save"), Threshold,
            activityforms.ThresholdForm, activities.create_threshold,
        ),
        Kind(
            "coupons", gettext_lazy("Coupons"), CouponBatch, activityforms.CouponBatchForm,
            activities.create_coupons,
        ),
        Kind(
            "flash-sales", gettext_lazy("Flash sales"), FlashSale, activityforms.FlashSaleForm,
            activities.create_flash_sale, lambda qs: qs.select_related("sku__item"),
        ),
    ]
}  # fmt: skip


def _kind(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404("no such kind of activity") from None


def listing(kind: Kind, shop: Shop) -> dict[str, QuerySet]:
    """Running (ending soonest first), upcoming (starting soonest first), the latest ended."""
    at = clock.now()
    mine = kind.prepare(kind.model._default_manager.filter(shop=shop))
    live = mine.filter(is_stopped=False)
    return {
        "running": live.filter(starts_at__lte=at, ends_at__gt=at).order_by("ends_at", "id"),
        "upcoming": live.filter(starts_at__gt=at).order_by("starts_at", "id"),
        "ended": mine.filter(Q(is_stopped=True) | Q(ends_at__lte=at)).order_by("-ends_at", "-id")[
            :ENDED_SHOWN
        ],
    }


@seller_required
def activity_list(request: MemberRequest, shop: Shop, kind: str = "discounts") -> HttpResponse:
    chosen = _kind(kind)
    context = {"shop": shop, "kind": chosen, "kinds": KINDS.values(), **listing(chosen, shop)}
    return render(request, "sellercenter/activities.html", context)


@seller_required
def activity_create(request: MemberRequest, shop: Shop, kind: str) -> HttpResponse:
    chosen = _kind(kind)
    form = chosen.form(shop, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = chosen.create(shop, **form.activity_kwargs())
        except (PromotionError, CatalogError) as error:
            service_error(form, error)
        else:
            messages.success(request, _("%(name)s created.") % {"name": activity.name})
            return redirect("sellercenter:activity_kind", chosen.slug)
    context = {"shop": shop, "kind": chosen, "form": form}
    return render(request, "sellercenter/activity_form.html", context)


@seller_required
def activity_stop(request: MemberRequest, shop: Shop, kind: str, activity_id: int) -> HttpResponse:
    """GET asks first; POST stops. Orders already placed keep the price they got."""
    chosen = _kind(kind)
    activity = get_object_or_404(chosen.model, shop=shop, pk=activity_id)
    if activity.is_stopped or activity.ends_at <= clock.now():
        messages.info(request, _("%(name)s has already ended.") % {"name": activity.name})
        return redirect("sellercenter:activity_kind", chosen.slug)
    if request.method == "POST":
        activities.stop(activity)
        messages.success(request, _("%(name)s stopped.") % {"name": activity.name})
        return redirect("sellercenter:activity_kind", chosen.slug)
    context = {"shop": shop, "kind": chosen, "activity": activity}
    return render(request, "sellercenter/activity_stop.html", context)
