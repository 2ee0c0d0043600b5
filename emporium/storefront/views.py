"""Buyer pages: home, category, search, item, shop and the cart with its POST endpoints."""

import functools
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporium.catalog.models import Category, Item
from emporium.catalog.search import search_items
from emporium.community import reviews
from emporium.design.render import live_design_html
from emporium.ecosystem.buyer_grants import buyer_app_ids
from emporium.ecosystem.models import App
from emporium.market import blocks, item_blocks
from emporium.members.requests import MemberRequest
from emporium.promotions import activities as promotions
from emporium.promotions.activities import running_activities
from emporium.promotions.models import CouponBatch
from emporium.promotions.pricing import ShownPrice
from emporium.shops.models import Shop
from emporium.storefront.forms import (
    AddToCartForm,
    BrowseForm,
    QuantityForm,
    ShopBrowseForm,
    first_error,
)
from emporium.storefront.itempage import (
    item_offers,
    item_pictures,
    item_questions,
    item_rating,
    item_skus,
    shop_activities,
    shop_rating,
    visible_item,
)
from emporium.storefront.listing import (
    category_tree,
    hot_items,
    option_groups,
    paginate,
    paginate_query,
    sku_payload,
)
from emporium.storefront.pagecache import cache_anonymous_page, item_page_key, never_cache_page
from emporium.trade import cart as carts


@cache_anonymous_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "storefront/home.html",
        {"hot_items": hot_items(), "tree": category_tree()},
    )


@cache_anonymous_page
def search(request: HttpRequest) -> HttpResponse:
    form = BrowseForm(request.GET)
    query = form.search_query()
    page = paginate_query(query, request.GET.get("page"))
    return render(
        request,
        "storefront/search.html",
        {"form": form, "query": query, "page": page, "tree": category_tree()},
    )


@cache_anonymous_page
def category(request: HttpRequest, slug: str) -> HttpResponse:
    node = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    form = BrowseForm(request.GET)
    query = form.search_query(category=node)
    page = paginate_query(query, request.GET.get("page"))
    context = {
        "category": node,
        "subcategories": list(node.children.all()),
        "form": form,
        "query": query,
        "page": page,
    }
    return render(request, "storefront/category.html", context)


def _viewer(request: HttpRequest) -> item_blocks.Viewer:
    return item_blocks.Viewer(
        issuer=request.build_absolute_uri("/").rstrip("/"),
        locale=request.LANGUAGE_CODE,
        buyer_id_for=_buyer_ids(request),
    )


def _buyer_ids(request: HttpRequest) -> Callable[[App], str | None]:
    """A block learns who looks only if this buyer authorized its app (docs/blocks.md); the
    buyer's grants are read once, and only when the page has blocks."""
    if not request.user.is_authenticated:
        return item_blocks.no_buyer
    member = request.user

    @functools.cache
    def grants() -> dict[int, str]:
        return buyer_app_ids(member)

    return lambda app: grants().get(app.pk)


@cache_anonymous_page(version=item_page_key)
def item_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    item = visible_item(public_id)
    skus = item_skus(item)
    preselected = next((s for s in skus if s.stock > 0), None)
    app_blocks = []
    if item.may_have_blocks:  # type: ignore[attr-defined]  # annotated by visible_item
        sku_id = preselected.pk if preselected else None
        app_blocks = item_blocks.blocks_for_page(item, sku_id, _viewer(request))
    activities = shop_activities(request, item.shop)
    offers = item_offers(skus, activities)  # the prices checkout will charge, promotions included
    stars = item_rating(item.pk)
    shown = (
        ShownPrice.of(offers.values()) if offers else ShownPrice(item.price, item.price, item.price)
    )
    context = {
        "item": item,
        "images": item_pictures(item),
        "skus": [(sku, offers[sku.pk]) for sku in skus],
        "flash_offers": [(sku, offers[sku.pk]) for sku in skus if offers[sku.pk].flash_sale],
        "option_groups": option_groups(item.option_names, skus),
        "sku_data": sku_payload(item.option_names, skus, offers),
        "low_price": shown.price,
        "high_price": shown.high_price,
        "list_low_price": shown.list_price,
        "promotions": shown.labels,
        "activities": activities,
        "rating": shop_rating(request, item.shop),
        "item_rating": stars,
        # No query for the reviews of an item nobody reviewed (most of them).
        "reviews": (
            item.reviews.select_related("buyer").prefetch_related("pictures")[:10]
            if stars["count"]
            else []
        ),
        "questions": item_questions(item),
        "preselected": preselected,
        "return_days": settings.ORDER_RETURN_DAYS,
        "is_own_item": request.user.is_authenticated and item.shop.owner_id == request.user.pk,
        "app_blocks": {
            place: [b for b in app_blocks if b.placement == place]
            for place in item_blocks.ITEM_PLACEMENTS
        },
    }
    response = render(request, "storefront/item.html", context)
    # Frames from the blocks' origins only ('none' without blocks).
    item_blocks.set_frame_src(response, [b.origin for b in app_blocks])
    # The blocks' frames carry signed contexts that expire: never shared between visitors.
    return never_cache_page(response) if app_blocks else response


def item_block_context(
    request: HttpRequest, public_id: uuid.UUID, placement_id: int
) -> HttpResponse:
    """A fresh signed context for one block of the item page: the page asks for it when the
    buyer picks another SKU or the block asks for one. JSON, never cached."""
    item = get_object_or_404(Item.objects.visible().select_related("shop"), public_id=public_id)
    raw = request.GET.get("sku", "")
    if raw and not raw.isdigit():
        return _error(422, "validation_error", _("Give the SKU as a number."))
    try:
        token = item_blocks.fresh_context(
            item, placement_id, int(raw) if raw else None, _viewer(request)
        )
    except item_blocks.BlockNotGranted as refused:
        return _error(refused.status, refused.code, str(refused))
    response = JsonResponse({"context": token, "expires_in": settings.APP_BLOCK_CONTEXT_SECONDS})
    response["Cache-Control"] = "no-store"
    return response


def _error(status: int, code: str, message: str) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@cache_anonymous_page
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
        "activities": running_activities(shop, viewer=request.user),
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
    cart_ = carts.cart_for(request)
    summary = carts.summarize(carts.cart_lines(cart_), cart_.member_id if cart_ else None)
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
