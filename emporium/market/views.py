"""Seller center market pages: browse, an app's page, install with a plan, my apps, embedded app
pages, uninstall, reviews and shop-page blocks. Each view parses input and calls a domain module."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporium.catalog.models import Item
from emporium.ecosystem import scopes
from emporium.ecosystem.models import Installation
from emporium.finance import ledger
from emporium.finance.settlements import seller_account_code
from emporium.lib import csp
from emporium.market import billing, blocks, embedding, installs, item_blocks, listings, reviews
from emporium.market.billing import BillingError
from emporium.market.embedding import NotEmbeddable
from emporium.market.forms import (
    BrowseForm,
    ItemBlockForm,
    PlaceBlockForm,
    PlanChoiceForm,
    ReviewForm,
    service_error,
)
from emporium.market.models import ItemBlockPlacement, Listing, Subscription
from emporium.members.requests import MemberRequest
from emporium.sellercenter.views import seller_required
from emporium.shops.models import Shop

PER_PAGE = 12
REVIEWS_SHOWN = 20
ITEMS_LISTED = 50


def _listing(public_id) -> Listing:
    found = listings.visible_listing(public_id)
    if found is None:
        raise Http404
    return found


def _installed(shop: Shop, public_id) -> Installation:
    return get_object_or_404(
        Installation.objects.active().select_related("app__listing", "subscription__plan"),
        shop=shop,
        app__public_id=public_id,
    )


@seller_required
def browse(request: MemberRequest, shop: Shop) -> HttpResponse:
    form = BrowseForm(request.GET)
    form.is_valid()
    query, category = form.cleaned_data.get("q", ""), form.cleaned_data.get("category", "")
    page = Paginator(listings.browse(query, category), PER_PAGE).get_page(request.GET.get("page"))
    installed = set(
        Installation.objects.active().filter(shop=shop).values_list("app_id", flat=True)
    )
    context = {
        "shop": shop, "form": form, "page": page, "installed": installed,
        "categories": Listing.Category.choices, "category": category, "query": query,
    }  # fmt: skip
    return render(request, "market/browse.html", context)


@seller_required
def app_page(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    listing = _listing(public_id)
    installation = installs.active_installation(listing.app, shop)
    mine = listing.reviews.filter(shop=shop).first()
    initial = {"rating": mine.rating, "body": mine.body} if mine else None
    context = {
        "shop": shop,
        "listing": listing,
        "installation": installation,
        "scope_rows": _scope_rows(listing),
        "reviews": listing.reviews.select_related("shop")[:REVIEWS_SHOWN],
        "review_form": ReviewForm(initial=initial) if installation else None,
    }
    return render(request, "market/app.html", context)


def _scope_rows(listing: Listing) -> list[tuple[str, str]]:
    return scopes.rows(listing.scope_list)


def _next_url(request: HttpRequest) -> str:
    """Only our own OAuth authorization may be resumed after an install (no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe and target.startswith(reverse("oauth2_provider:authorize")) else ""


@seller_required
def install(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    listing = _listing(public_id)
    if installs.active_installation(listing.app, shop) is not None:
        return redirect(_next_url(request) or reverse("market:installed"))
    form = PlanChoiceForm(listing, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            installs.install(
                shop, listing, form.cleaned_data["plan"], form.cleaned_data.get("usage_cap")
            )
        except BillingError as error:
            service_error(form, error)
        else:
            messages.success(request, _("%(name)s is installed.") % {"name": listing.name})
            return redirect(_after_install(request, listing, shop))
    context = {
        "shop": shop,
        "listing": listing,
        "form": form,
        "scope_rows": _scope_rows(listing),
        "next": _next_url(request),
        "balance": ledger.balance_of(seller_account_code(shop)),
    }
    return render(request, "market/install.html", context)


def _after_install(request: HttpRequest, listing: Listing, shop: Shop) -> str:
    """Back into an OAuth authorization that sent the seller here, else to the app's install URL
    (where it starts its authorization to get tokens), else to my apps."""
    resume = _next_url(request)
    if resume:
        return resume
    if listing.install_url:
        return embedding.with_query(listing.install_url, shop=str(shop.public_id))
    return reverse("market:installed")


@seller_required
def installed(request: MemberRequest, shop: Shop) -> HttpResponse:
    rows = (
        Installation.objects.active()
        .filter(shop=shop)
        .select_related("app__listing", "subscription__plan")
        .order_by("-installed_at")
    )
    return render(request, "market/installed.html", {"shop": shop, "rows": rows})


@seller_required
def open_app(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    """The app's admin page inside the seller center, handed a 60-second session token."""
    installation = _installed(shop, public_id)
    listing = getattr(installation.app, "listing", None)
    sub = getattr(installation, "subscription", None)
    context: dict[str, object] = {"shop": shop, "installation": installation, "listing": listing}
    src = ""
    if sub is not None and sub.status == Subscription.Status.SUSPENDED:
        context["problem"] = "suspended"
    elif listing is None or not listing.live_app_url:
        context["problem"] = "no_app_url"
    else:
        issuer = request.build_absolute_uri("/").rstrip("/")
        try:
            src = embedding.embed_url(
                listing, shop, request.user, issuer, locale=request.LANGUAGE_CODE
            )
        except NotEmbeddable as error:
            context["problem"] = error.code
    context["app_origin"] = embedding.origin_of(src) if src else ""
    # Our page is never framed (X-Frame-Options stays DENY); it may frame only the app's origin.
    if src:
        csp.allow(request, "frame-src", embedding.origin_of(src))
    # The frame's sandbox keeps the app from navigating the seller center away (no top
    # navigation); it keeps its own origin, unless that origin were ours. Modals stay allowed:
    # an app asks "Delete these pictures?" before it deletes, as a seller expects.
    own_origin = embedding.origin_of(src) == embedding.origin_of(request.build_absolute_uri("/"))
    context["sandbox"] = "allow-scripts allow-forms allow-popups allow-downloads allow-modals" + (
        "" if own_origin else " allow-same-origin"
    )
    response = render(request, "market/open.html", {**context, "src": src})
    response["Referrer-Policy"] = "same-origin"
    return response


@seller_required
def change_plan(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    installation = _installed(shop, public_id)
    sub = getattr(installation, "subscription", None)
    listing = getattr(installation.app, "listing", None)
    if sub is None or listing is None:
        raise Http404
    initial = {"plan": sub.plan_id, "usage_cap": sub.usage_cap_amount or None}
    form = PlanChoiceForm(listing, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            billing.change_plan(sub, form.cleaned_data["plan"], form.cleaned_data.get("usage_cap"))
        except BillingError as error:
            service_error(form, error)
        else:
            messages.success(request, _("Your plan is changed."))
            return redirect("market:installed")
    context = {"shop": shop, "listing": listing, "sub": sub, "form": form}
    return render(request, "market/change_plan.html", context)


@require_POST
@seller_required
def pay_now(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    """After topping up: pay the unpaid invoice now instead of waiting for the worker."""
    sub = getattr(_installed(shop, public_id), "subscription", None)
    if sub is None:
        raise Http404
    sub = billing.renew(sub)
    if sub.status in (Subscription.Status.PAST_DUE, Subscription.Status.SUSPENDED):
        messages.error(request, _("Your shop balance is still too low to pay this app."))
    else:
        messages.success(request, _("Paid; the app works again."))
    return redirect("market:installed")


@seller_required
def uninstall(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    installation = _installed(shop, public_id)
    if request.method == "POST":
        installs.uninstall(installation.app, shop)
        messages.success(
            request,
            _("%(name)s is uninstalled; its access to your shop is revoked.")
            % {"name": installation.app.name},
        )
        return redirect("market:installed")
    return render(request, "market/uninstall.html", {"shop": shop, "installation": installation})


@require_POST
@seller_required
def review(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    listing = _listing(public_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give 1 to 5 stars."))
        return redirect("market:app", listing.app.public_id)
    try:
        reviews.review_app(shop, listing, form.cleaned_data["rating"], form.cleaned_data["body"])
    except BillingError as error:
        messages.error(request, str(error))
        if error.status == 403:
            return redirect("market:app", listing.app.public_id)
    else:
        messages.success(request, _("Thank you for your review."))
    return redirect("market:app", listing.app.public_id)


@seller_required
def shop_blocks(request: MemberRequest, shop: Shop) -> HttpResponse:
    form = PlaceBlockForm(blocks.placeable_blocks(shop), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            blocks.place(shop, form.cleaned_data["block"])
        except BillingError as error:
            service_error(form, error)
        else:
            messages.success(request, _("The block is on your shop page."))
            return redirect("market:blocks")
    context = {"shop": shop, "form": form, "placements": blocks.placements(shop)}
    return render(request, "market/blocks.html", context)


@require_POST
@seller_required
def block_change(request: MemberRequest, shop: Shop, placement_id: int) -> HttpResponse:
    action = request.POST.get("action")
    if action == "remove":
        blocks.remove(shop, placement_id)
    elif action in ("up", "down"):
        blocks.move(shop, placement_id, -1 if action == "up" else 1)
    return redirect("market:blocks")


@seller_required
def item_blocks_page(request: MemberRequest, shop: Shop) -> HttpResponse:
    """Item-page blocks the shop's apps offer, each with where it shows now."""
    placed = {
        row.block_id: row
        for row in item_blocks.item_placements(shop).annotate(chosen=Count("items"))
    }
    rows = [(block, placed.get(block.pk)) for block in item_blocks.item_page_blocks(shop)]
    context = {"shop": shop, "rows": rows}
    return render(request, "market/item_blocks.html", context)


def _listed_items(shop: Shop, placement: ItemBlockPlacement | None, query: str) -> list[Item]:
    """The chosen items first, then up to ITEMS_LISTED others of the shop (matching `query`)."""
    live = (
        Item.objects.filter(shop=shop).exclude(status=Item.Status.DELETED).order_by("title", "pk")
    )
    chosen = list(placement.items.all().order_by("title", "pk")) if placement else []
    others = live.exclude(pk__in=[item.pk for item in chosen])
    if query:
        others = others.filter(title__icontains=query)
    return chosen + list(others[:ITEMS_LISTED])


@seller_required
def item_block_setup(request: MemberRequest, shop: Shop, block_id: int) -> HttpResponse:
    block = get_object_or_404(item_blocks.item_page_blocks(shop), pk=block_id)
    placement = item_blocks.item_placements(shop).filter(block=block).first()
    query = request.GET.get("q", "").strip()[:100]
    listed = _listed_items(shop, placement, query)
    chosen = [item.pk for item in placement.items.all()] if placement else []
    initial = {
        "scope": "chosen" if placement and not placement.all_items else "all",
        "items": chosen,
        "shown": [item.pk for item in listed],
    }
    form = ItemBlockForm(listed, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ticked = set(form.cleaned_data["items"])
        try:
            item_blocks.turn_on(
                shop, block.pk, all_items=form.cleaned_data["scope"] == "all",
                add=ticked, remove=set(form.cleaned_data["shown"]) - ticked,
            )  # fmt: skip
        except BillingError as error:
            service_error(form, error)
        else:
            messages.success(request, _("The block is on your item pages."))
            return redirect("market:item_blocks")
    context = {
        "shop": shop, "block": block, "placement": placement, "form": form, "query": query,
        "items_listed": ITEMS_LISTED,
    }  # fmt: skip
    return render(request, "market/item_block_setup.html", context)


@seller_required
def item_block_off(request: MemberRequest, shop: Shop, placement_id: int) -> HttpResponse:
    """Taking a block off every item page, after a confirmation."""
    placement = get_object_or_404(item_blocks.item_placements(shop), pk=placement_id)
    if request.method == "POST":
        item_blocks.turn_off(shop, placement.pk)
        messages.success(
            request,
            _("%(name)s is off your item pages.") % {"name": placement.block.name},
        )
        return redirect("market:item_blocks")
    return render(request, "market/item_block_off.html", {"shop": shop, "placement": placement})
