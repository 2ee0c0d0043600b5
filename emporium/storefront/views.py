"""Buyer pages: home, category, search, item, shop and the cart with its POST endpoints."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporium.catalog.models import Category, Item
from emporium.catalog.search import search_items
from emporium.community import reviews
from emporium.design.render import live_design_html
from emporium.lib import clock
from emporium.market import blocks
from emporium.members.requests import MemberRequest
from emporium.promotions import activities as promotions
from emporium.promotions.activities import running_activities
from emporium.promotions.models import CouponBatch
from emporium.promotions.pricing import unit_prices
from emporium.shops.models import Shop
from emporium.storefront.forms import (
    AddToCartForm,
    BrowseForm,
    QuantityForm,
    ShopBrowseForm,
    first_error,
)
from emporium.storefront.listing import (
    category_tree,
    hot_items,
    option_groups,
    paginate,
    sku_payload,
)
from emporium.trade import cart as carts


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "storefront/home.html",
        {"hot_items": hot_items(), "tree": category_tree()},
    )


def search(request: HttpRequest) -> HttpResponse:
    form = BrowseForm(request.GET)
    query = form.search_query()
    page = paginate(search_items(query), request.GET.get("page"))
    return render(
        request,
        "storefront/search.html",
        {"form": form, "query": query, "page": page, "tree": category_tree()},
    )


def category(request: HttpRequest, slug: str) -> HttpResponse:
    node = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    form = BrowseForm(request.GET)
    query = form.search_query(category=node)
    page = paginate(search_items(query), request.GET.get("page"))
    context = {
        "category": node,
        "subcategories": list(node.children.all()),
        "form": form,
        "query": query,
        "page": page,
    }
    return render(request, "storefront/category.html", context)


def item_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    item = get_object_or_404(
        Item.objects.visible().select_related("shop__owner", "category__parent"),
        public_id=public_id,
    )
    skus = list(item.skus.all())
    offers = unit_prices(skus, clock.now())  # the prices checkout will charge, promotions included
    prices = [offers[sku.pk].price for sku in skus] or [item.price]
    context = {
        "item": item,
        "images": list(item.images.all()),
        "skus": [(sku, offers[sku.pk]) for sku in skus],
        "option_groups": option_groups(item.option_names, skus),
        "sku_data": sku_payload(item.option_names, skus, offers),
        "low_price": min(prices),
        "high_price": max(prices),
        "list_low_price": min(sku.price for sku in skus) if skus else item.price,
        "promotions": sorted({o.label for o in offers.values() if o.label}),
        "activities": running_activities(item.shop),
        "rating": reviews.shop_rating(item.shop),
        "reviews": item.reviews.select_related("buyer").prefetch_related("pictures")[:10],
        "questions": item.questions.select_related("asker")[:10],
        "preselected": next((s for s in skus if s.stock > 0), None),
        "is_own_item": request.user.is_authenticated and item.shop.owner_id == request.user.pk,
    }
    return render(request, "storefront/item.html", context)


def shop_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # A closed or suspended shop has no page: its items are not publicly visible either.
    shop = get_object_or_404(
        Shop.objects.select_related("owner"), slug=slug, status=Shop.Status.OPEN
    )
    form = ShopBrowseForm(request.GET, shop_categories=shop.categories.all())
    items = search_items(form.search_query(shop_id=shop.pk))
    chosen = form.cleaned_data.get("group")
    if chosen is not None:
        items = items.filter(shop_categories=chosen)
    app_blocks = blocks.shop_page_blocks(shop)
    context = {
        "shop": shop,
        "activities": running_activities(shop),
        "rating": reviews.shop_rating(shop),
        "chosen": chosen,
        "form": form,
        "page": paginate(items, request.GET.get("page")),
        "app_blocks": app_blocks,
        "design": live_design_html(shop, request),
    }
    response = render(request, "storefront/shop.html", context)
    # App blocks are framed from their own origins only; nothing else may be framed here.
    response["Content-Security-Policy"] = blocks.frame_policy([b.src for b in app_blocks])
    return response


def cart(request: HttpRequest) -> HttpResponse:
    summary = carts.summarize(carts.cart_lines(carts.cart_for(request)))
    return render(request, "storefront/cart.html", {"summary": summary})


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(request)
    try:
        sku = carts.sku_to_buy(form.cleaned_data["sku"])
        carts.add_to_cart(carts.cart_for(request, create=True), sku, form.cleaned_data["quantity"])
    except carts.CartError as error:
        messages.error(request, str(error))
        return _back(request)
    messages.success(request, _("Added to your cart: %(title)s") % {"title": sku.item.title})
    return _back(request, default=reverse("storefront:item", args=[sku.item.public_id]))


@require_POST
def cart_update(request: HttpRequest, line_id: int) -> HttpResponse:
    form = QuantityForm(request.POST)
    cart_ = carts.cart_for(request)
    if not form.is_valid():
        messages.error(request, first_error(form))
    elif cart_ is None:
        messages.error(request, _("That line is no longer in your cart."))
    else:
        try:
            carts.set_quantity(cart_, line_id, form.cleaned_data["quantity"])
        except carts.CartError as error:
            messages.error(request, str(error))
    return redirect("storefront:cart")


@require_POST
def cart_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    cart_ = carts.cart_for(request)
    if cart_ is not None:
        carts.remove_line(cart_, line_id)
    return redirect("storefront:cart")


def _back(request: HttpRequest, default: str = "") -> HttpResponse:
    """Return to the page the form was on, but only on this site (no open redirect)."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default or reverse("storefront:cart")
    return redirect(target)


@login_required
@require_POST
def claim_coupon(request: MemberRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(CouponBatch.objects.select_related("shop"), pk=batch_id)
    try:
        promotions.claim_coupon(batch, request.user)
    except promotions.PromotionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Coupon claimed: use it at checkout."))
    return _back(request, reverse("storefront:shop", args=[batch.shop.slug]))


@login_required
@require_POST
def ask_question(request: MemberRequest, public_id: uuid.UUID) -> HttpResponse:
    item = get_object_or_404(Item.objects.visible(), public_id=public_id)
    try:
        reviews.ask(request.user, item, request.POST.get("text", ""))
    except ValueError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Your question was sent to the seller."))
    return redirect("storefront:item", public_id=item.public_id)
