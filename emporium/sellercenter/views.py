"""Seller center pages: parse the form, call a catalog or shop service, render or redirect."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from emporium.catalog import services as catalog
from emporium.catalog.images import ImageRejected
from emporium.catalog.models import Item, ItemImage
from emporium.finance import ledger
from emporium.members.requests import MemberRequest
from emporium.sellercenter import figures, forms
from emporium.sellercenter.forms import service_error
from emporium.shops import services as shops
from emporium.shops.models import Shop, ShopCategory

ITEMS_PER_PAGE = 50
STATUS_ACTIONS = {
    "list": Item.Status.ON_SALE,
    "delist": Item.Status.STOCK_ROOM,
    "delete": Item.Status.DELETED,
}


def seller_required(view: Callable) -> Callable:
    """Log-in required; a member without a shop is sent to open one. The view gets the shop."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # The reverse one-to-one caches the shop on the user, so the page header's
        # user.is_seller costs no second query.
        shop = getattr(request.user, "shop", None)
        if shop is None:
            messages.info(request, _("Open your shop first; it takes a minute."))
            return redirect("sellercenter:open_shop")
        return view(request, shop, *args, **kwargs)

    return wrapped


def _own_item(shop: Shop, public_id) -> Item:
    # Filtering by shop turns another seller's item into a plain 404: nothing is revealed.
    return get_object_or_404(
        Item.objects.select_related("category"), shop=shop, public_id=public_id
    )


# --- the shop -------------------------------------------------------------------------------


@login_required
def open_shop(request: MemberRequest) -> HttpResponse:
    if Shop.objects.filter(owner=request.user).exists():
        return redirect("sellercenter:dashboard")
    form = forms.OpenShopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shop = shops.open_shop(request.user, **form.cleaned_data)
        except shops.ShopError as error:
            service_error(form, error)
        else:
            messages.success(request, _("Your shop %(name)s is open.") % {"name": shop.name})
            return redirect("sellercenter:dashboard")
    return render(request, "sellercenter/open_shop.html", {"form": form})


@seller_required
def dashboard(request: MemberRequest, shop: Shop) -> HttpResponse:
    recent = Item.objects.filter(shop=shop).exclude(status=Item.Status.DELETED)[:5]
    context = {
        "shop": shop,
        "counts": catalog.item_counts(shop),
        "today": figures.today(shop, request.user.timezone),
        "balance": ledger.balance_of(ledger.seller_code(shop.owner_id)),
        "recent": recent,
    }
    return render(request, "sellercenter/dashboard.html", context)


@seller_required
def shop_settings(request: MemberRequest, shop: Shop) -> HttpResponse:
    initial = {"name": shop.name, "description": shop.description}
    form = forms.ShopSettingsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            shops.update_settings(shop, **form.cleaned_data)
        except (shops.ShopError, ImageRejected) as error:
            shop.refresh_from_db()
            service_error(form, error, fallback="logo", image="logo")
        else:
            messages.success(request, _("Shop settings saved."))
            return redirect("sellercenter:settings")
    return _settings_page(request, shop, form=form)


@dataclass
class CategoryRow:
    """A row of the shop-category table: the category and its own rename form."""

    category: ShopCategory
    rename_form: forms.ShopCategoryForm


def _settings_page(
    request: HttpRequest,
    shop: Shop,
    *,
    form: forms.ShopSettingsForm | None = None,
    category_form: forms.ShopCategoryForm | None = None,
    rename: tuple[int, forms.ShopCategoryForm] | None = None,
) -> HttpResponse:
    initial = {"name": shop.name, "description": shop.description}
    rename_id, rename_form = rename or (None, None)
    # Each row carries its own rename form; the one that failed comes back with its errors.
    categories = [
        CategoryRow(
            category,
            rename_form
            if rename_form is not None and category.pk == rename_id
            else forms.ShopCategoryForm(
                prefix=f"rename-{category.pk}", initial={"name": category.name}
            ),
        )
        for category in _categories(shop)
    ]
    context = {
        "shop": shop,
        "form": form or forms.ShopSettingsForm(initial=initial),
        "category_form": category_form or forms.ShopCategoryForm(),
        "categories": categories,
    }
    return render(request, "sellercenter/settings.html", context)


def _categories(shop: Shop) -> QuerySet[ShopCategory]:
    return shop.categories.annotate(item_count=Count("items"))


@require_POST
@seller_required
def category_add(request: MemberRequest, shop: Shop) -> HttpResponse:
    form = forms.ShopCategoryForm(request.POST)
    if form.is_valid():
        try:
            category = shops.add_shop_category(shop, form.cleaned_data["name"])
        except shops.ShopError as error:
            service_error(form, error)
        else:
            messages.success(request, _("Category %(name)s added.") % {"name": category.name})
            return redirect("sellercenter:settings")
    return _settings_page(request, shop, category_form=form)


@require_POST
@seller_required
def category_rename(request: MemberRequest, shop: Shop, category_id: int) -> HttpResponse:
    category = get_object_or_404(shop.categories, pk=category_id)
    form = forms.ShopCategoryForm(request.POST, prefix=f"rename-{category.pk}")
    if form.is_valid():
        try:
            shops.rename_shop_category(category, form.cleaned_data["name"])
        except shops.ShopError as error:
            service_error(form, error)
        else:
            messages.success(request, _("Category renamed."))
            return redirect("sellercenter:settings")
    return _settings_page(request, shop, rename=(category.pk, form))


@seller_required
def category_delete(request: MemberRequest, shop: Shop, category_id: int) -> HttpResponse:
    category = get_object_or_404(_categories(shop), pk=category_id)
    if request.method == "POST":
        shops.delete_shop_category(category)
        messages.success(request, _("Category %(name)s deleted.") % {"name": category.name})
        return redirect("sellercenter:settings")
    context = {"shop": shop, "category": category}
    return render(request, "sellercenter/category_delete.html", context)


@require_POST
@seller_required
def category_move(request: MemberRequest, shop: Shop, category_id: int) -> HttpResponse:
    category = get_object_or_404(shop.categories, pk=category_id)
    shops.move_shop_category(category, -1 if request.POST.get("direction") == "up" else 1)
    return redirect("sellercenter:settings")


# --- items ----------------------------------------------------------------------------------


@seller_required
def item_list(request: MemberRequest, shop: Shop) -> HttpResponse:
    bulk = forms.BulkForm(shop, request.POST or None)
    if request.method == "POST" and bulk.is_valid():
        data = bulk.cleaned_data
        if data["action"] == "delete" and request.POST.get("confirm") != "yes":
            context = {"shop": shop, "items": data["items"]}
            return render(request, "sellercenter/bulk_delete.html", context)
        try:
            message = _apply_bulk(shop, data)
        except catalog.CatalogError as error:
            service_error(bulk, error, price_change="percent", skus="items")
        else:
            messages.success(request, message)
            return redirect(request.get_full_path())
    filters = forms.ItemFilterForm(request.GET)
    page = Paginator(_filtered_items(shop, filters), ITEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    ticked = {str(v) for v in request.POST.getlist("items")} if bulk.is_bound else set()
    context = {"shop": shop, "filters": filters, "page": page, "bulk": bulk, "ticked": ticked}
    return render(request, "sellercenter/items.html", context)


def _filtered_items(shop: Shop, filters: forms.ItemFilterForm):
    items = Item.objects.filter(shop=shop).select_related("category")
    items = items.prefetch_related(
        Prefetch("images", queryset=ItemImage.objects.order_by("position", "id"))
    )
    data = filters.cleaned_data if filters.is_valid() else {}
    status = data.get("status", "")
    if status == "out_of_stock":
        items = items.filter(stock=0).exclude(status=Item.Status.DELETED)
    elif status:
        items = items.filter(status=status)
    else:
        items = items.exclude(status=Item.Status.DELETED)
    if data.get("q"):
        items = items.filter(title__icontains=data["q"])
    return items.order_by("-created_at", "-id")


def _apply_bulk(shop: Shop, data: dict) -> str:
    ids = [item.pk for item in data["items"]]
    action = data["action"]
    if action in STATUS_ACTIONS:
        n = catalog.bulk_set_status(shop, ids, STATUS_ACTIONS[action])
        return ngettext("%(n)s item changed.", "%(n)s items changed.", n) % {"n": n}
    n = catalog.bulk_edit_items(
        shop,
        ids,
        price=data["price"] if action == "price" else None,
        price_change_percent=data["percent"] if action == "percent" else None,
        stock=data["stock"] if action == "stock" else None,
    )
    return ngettext("%(n)s SKU changed.", "%(n)s SKUs changed.", n) % {"n": n}


@seller_required
def item_create(request: MemberRequest, shop: Shop) -> HttpResponse:
    """One step: fields, the options builder's SKU grid, pictures in order, and the status."""
    form = forms.ItemCreateForm(shop, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        option_names, skus = form.sku_specs()
        try:
            # One transaction: a refused SKU, picture or status leaves no item behind.
            item = catalog.create_item_with_pictures(
                shop,
                title=data["title"],
                category=data["category"],
                description_html=data["description_html"],
                option_names=option_names,
                skus=skus,
                pictures=data["pictures"],
                status=data["status"],
                shop_categories=list(data["shop_categories"]),
            )
        except (catalog.CatalogError, ImageRejected) as error:
            service_error(form, error, skus="sku_grid", image="pictures")
        else:
            messages.success(request, _("Item created."))
            return redirect("sellercenter:item_edit", item.public_id)
    context = {
        "shop": shop,
        "form": form,
        "max_images": catalog.MAX_IMAGES_PER_ITEM,
        "words": _builder_words(),
    }
    return render(request, "sellercenter/item_create.html", context)


def _builder_words() -> dict[str, str]:
    """What the options builder and the picture queue say, in the seller's language."""
    return {
        "option_name": _("Option name, e.g. Colour"),
        "values": _("Values, separated by commas: Red, Blue"),
        "remove": _("Remove"),
        "price": _("Price"),
        "stock": _("Stock"),
        "default_sku": _("default SKU"),
        "main": _("Main picture"),
        "earlier": _("Move earlier"),
        "later": _("Move later"),
        "too_many": _("Too many pictures for one item."),
    }


@seller_required
def item_edit(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    item = _own_item(shop, public_id)
    if request.method != "POST":
        return _edit_page(request, shop, item)
    form = forms.ItemFieldsForm(shop, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            catalog.update_item(
                item,
                title=data["title"],
                category=data["category"],
                description_html=data["description_html"],
                shop_categories=list(data["shop_categories"]),
            )
        except catalog.CatalogError as error:
            service_error(form, error)
        else:
            messages.success(request, _("Item saved."))
            return redirect("sellercenter:item_edit", item.public_id)
    item.refresh_from_db()
    return _edit_page(request, shop, item, fields_form=form)


def _edit_page(request: HttpRequest, shop: Shop, item: Item, **bound: object) -> HttpResponse:
    options = catalog.options_of(item)
    context = {
        "shop": shop,
        "item": item,
        "fields_form": bound.get("fields_form")
        or forms.ItemFieldsForm(shop, initial=forms.ItemFieldsForm.initial_for(item)),
        "sku_form": bound.get("sku_form") or forms.SkuTableForm(item),
        "options_form": bound.get("options_form")
        or forms.OptionsChangeForm(
            initial={"options": catalog.format_options(options), "price": item.price}
        ),
        "pictures_form": bound.get("pictures_form") or forms.PicturesForm(),
        "images": list(item.images.all()),
        "max_images": catalog.MAX_IMAGES_PER_ITEM,
        "option_values": [value for values in options.values() for value in values],
    }
    return render(request, "sellercenter/item_edit.html", context)


@require_POST
@seller_required
def item_skus(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    item = _own_item(shop, public_id)
    form = forms.SkuTableForm(item, request.POST)
    if form.is_valid():
        try:
            catalog.update_skus(item, form.changes())
        except catalog.CatalogError as error:
            service_error(form, error)
        else:
            messages.success(request, _("SKUs saved."))
            return redirect("sellercenter:item_edit", item.public_id)
    return _edit_page(request, shop, item, sku_form=form)


@require_POST
@seller_required
def item_options(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    """Changing options rebuilds the SKU matrix, so the seller sees what changes and confirms."""
    item = _own_item(shop, public_id)
    form = forms.OptionsChangeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("confirm") != "yes":
                plan = catalog.plan_options_change(item, data["options"])
                context = {"shop": shop, "item": item, "form": form, "plan": plan}
                return render(request, "sellercenter/options_confirm.html", context)
            catalog.change_options(item, data["options"], price=data["price"], stock=data["stock"])
        except catalog.CatalogError as error:
            service_error(form, error, skus="options")
        else:
            messages.success(request, _("Options changed; check the SKU prices and stock."))
            return redirect("sellercenter:item_edit", item.public_id)
    return _edit_page(request, shop, item, options_form=form)


@require_POST
@seller_required
def item_pictures(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    item = _own_item(shop, public_id)
    form = forms.PicturesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = catalog.add_images(item, form.cleaned_data["pictures"])
        except (catalog.CatalogError, ImageRejected) as error:
            service_error(form, error, fallback="pictures", image="pictures")
        else:
            n = len(added)
            messages.success(
                request, ngettext("%(n)s picture added.", "%(n)s pictures added.", n) % {"n": n}
            )
            return redirect("sellercenter:item_edit", item.public_id)
    return _edit_page(request, shop, item, pictures_form=form)


@require_POST
@seller_required
def picture_delete(request: MemberRequest, shop: Shop, public_id, image_id: int) -> HttpResponse:
    item = _own_item(shop, public_id)
    image = get_object_or_404(item.images, pk=image_id)
    catalog.remove_image(item, image.pk)
    messages.success(request, _("Picture deleted."))
    return redirect("sellercenter:item_edit", item.public_id)


@require_POST
@seller_required
def picture_main(request: MemberRequest, shop: Shop, public_id, image_id: int) -> HttpResponse:
    item = _own_item(shop, public_id)
    image = get_object_or_404(item.images, pk=image_id)
    catalog.set_main_image(item, image.pk)
    messages.success(request, _("Main picture changed."))
    return redirect("sellercenter:item_edit", item.public_id)


@require_POST
@seller_required
def picture_shows(request: MemberRequest, shop: Shop, public_id, image_id: int) -> HttpResponse:
    item = _own_item(shop, public_id)
    image = get_object_or_404(item.images, pk=image_id)
    try:
        catalog.mark_picture(item, image.pk, request.POST.get("shows", "").strip())
    except catalog.CatalogError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Saved which option the picture shows."))
    return redirect(reverse("sellercenter:item_edit", args=[item.public_id]) + "#pictures")


@require_POST
@seller_required
def item_status(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    """List or delist from the edit page; deleting goes through item_delete's confirmation."""
    item = _own_item(shop, public_id)
    status = request.POST.get("status")
    if status not in (Item.Status.ON_SALE, Item.Status.STOCK_ROOM):
        messages.error(request, _("Status: choose on sale or stock-room."))
    else:
        try:
            catalog.set_status(item, status)
        except catalog.CatalogError as error:
            messages.error(request, _("Status: %(error)s") % {"error": error})
        else:
            messages.success(
                request, _("Status changed to %(status)s.") % {"status": item.get_status_display()}
            )
    return redirect("sellercenter:item_edit", item.public_id)


@seller_required
def item_delete(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    item = _own_item(shop, public_id)
    if request.method == "POST":
        catalog.set_status(item, Item.Status.DELETED)
        messages.success(request, _("%(title)s deleted.") % {"title": item.title})
        return redirect("sellercenter:items")
    return render(request, "sellercenter/item_delete.html", {"shop": shop, "item": item})
