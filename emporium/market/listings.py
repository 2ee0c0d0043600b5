"""Developers' market listings (with plans and blocks), the operator's review, and browsing."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from emporium.catalog.images import read_upload, store_picture
from emporium.ecosystem.models import App
from emporium.ecosystem.registration import AppError, check_callback_url, check_scopes
from emporium.lib import clock
from emporium.lib.errors import DomainError
from emporium.market.billing import MAX_PLAN_PRICE, BillingError, check_money
from emporium.market.models import Block, Listing, Plan, Screenshot

MAX_PLANS = 3
MAX_BLOCKS = 3
MAX_SCREENSHOTS = 5
MAX_TRIAL_DAYS = 90


class ListingError(DomainError):
    """A listing rule was broken; `field` names the input at fault for the form."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


@dataclass(frozen=True)
class PlanSpec:
    name: str
    kind: str
    price_amount: Decimal = Decimal("0.00")
    trial_days: int = 0
    unit_price_amount: Decimal = Decimal("0.00")
    unit_name: str = ""

    def terms(self) -> tuple:
        return (self.kind, self.price_amount, self.trial_days, self.unit_price_amount)


@dataclass(frozen=True)
class BlockSpec:
    name: str
    url: str
    placement: str = Block.Placement.SHOP
    fullscreen: bool = False


def _required(value: str, field: str, limit: int, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ListingError(message, field)
    if len(value) > limit:
        raise ListingError(_("At most %(n)s characters.") % {"n": limit}, field)
    return value


def _optional(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ListingError(_("At most %(n)s characters.") % {"n": limit}, field)
    return value


def _url(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return check_callback_url(value, field)
    except AppError as error:
        raise ListingError(str(error), field) from None


def check_plan(spec: PlanSpec, field: str) -> PlanSpec:
    name = _required(spec.name, field, 40, _("Give the plan a name."))
    try:
        if spec.kind == Plan.Kind.FREE:
            return PlanSpec(name, Plan.Kind.FREE)
        if spec.kind == Plan.Kind.MONTHLY:
            price = check_money(spec.price_amount, field, high=MAX_PLAN_PRICE)
            if not 0 <= int(spec.trial_days or 0) <= MAX_TRIAL_DAYS:
                raise ListingError(
                    _("A trial lasts 0 to %(n)s days.") % {"n": MAX_TRIAL_DAYS}, field
                )
            return PlanSpec(name, Plan.Kind.MONTHLY, price, int(spec.trial_days or 0))
        if spec.kind == Plan.Kind.USAGE:
            unit = check_money(spec.unit_price_amount, field, high=MAX_PLAN_PRICE)
            unit_name = _required(spec.unit_name, field, 30, _("Name the unit you charge for."))
            return PlanSpec(name, Plan.Kind.USAGE, unit_price_amount=unit, unit_name=unit_name)
    except BillingError as error:
        raise ListingError(str(error), field) from None
    raise ListingError(_("Choose free, monthly or usage-based."), field)


def check_plans(specs: list[PlanSpec | None]) -> list[PlanSpec | None]:
    checked = [
        check_plan(spec, f"plan_{i}") if spec else None for i, spec in enumerate(specs[:MAX_PLANS])
    ]
    named = [spec.name for spec in checked if spec]
    if not named:
        raise ListingError(_("Offer at least one plan."), "plans")
    if len(set(named)) != len(named):
        raise ListingError(_("Give each plan its own name."), "plans")
    return checked


def check_blocks(specs: list[BlockSpec]) -> list[BlockSpec]:
    checked = []
    for i, spec in enumerate(specs[:MAX_BLOCKS]):
        field = f"block_{i}"
        name = _required(spec.name, field, 40, _("Give the block a name."))
        url = _url(spec.url, field)
        if not url:
            raise ListingError(_("Give the URL that renders the block."), field)
        if spec.placement not in Block.Placement.values:
            raise ListingError(_("Choose where the block goes."), field)
        checked.append(BlockSpec(name, url, spec.placement, bool(spec.fullscreen)))
    return checked


def check_listing_scopes(app: App, scopes) -> str:
    try:
        wanted = check_scopes(scopes)
    except AppError as error:
        raise ListingError(str(error), "scopes") from None
    beyond = set(wanted) - set(app.scope_list)
    if beyond:  # an app that registered no scope may list none
        raise ListingError(
            _("Your app did not register %(scopes)s; add it to the app first.")
            % {"scopes": ", ".join(sorted(beyond))},
            "scopes",
        )
    return " ".join(wanted)


def _retire_or_delete(plan: Plan) -> None:
    if plan.subscriptions.exists():
        Plan.objects.filter(pk=plan.pk).update(retired=True)
    else:
        plan.delete()


def _sync_plans(listing: Listing, specs: list[PlanSpec | None]) -> None:
    """Plans are rows by position. Existing subscribers keep the terms they chose: changing a
    used plan's price retires it and adds a new plan in its place."""
    current = {plan.position: plan for plan in listing.plans.filter(retired=False)}
    for position, spec in enumerate(specs):
        old = current.get(position)
        if old is not None and spec is not None and spec.terms() == (
            old.kind, old.price_amount, old.trial_days, old.unit_price_amount
        ):  # fmt: skip
            Plan.objects.filter(pk=old.pk).update(name=spec.name, unit_name=spec.unit_name)
            continue
        if old is not None:
            _retire_or_delete(old)
        if spec is not None:
            Plan.objects.create(
                listing=listing, position=position, name=spec.name, kind=spec.kind,
                price_amount=spec.price_amount, trial_days=spec.trial_days,
                unit_price_amount=spec.unit_price_amount, unit_name=spec.unit_name,
            )  # fmt: skip
    for position, old in current.items():
        if position >= len(specs):
            _retire_or_delete(old)


def _sync_blocks(listing: Listing, specs: list[BlockSpec]) -> None:
    """Blocks keep their rows (and so their places on shop pages) when renamed or moved. A new
    URL, placement or full-screen wish waits for review in the proposed fields; a removed block
    goes at once (showing less needs no review)."""
    existing = list(listing.blocks.all())
    for block, spec in zip(existing, specs, strict=False):
        Block.objects.filter(pk=block.pk).update(
            name=spec.name, url=spec.url, placement=spec.placement, fullscreen=spec.fullscreen
        )
    for block in existing[len(specs) :]:
        block.delete()
    for spec in specs[len(existing) :]:
        Block.objects.create(
            listing=listing, name=spec.name, url=spec.url, placement=spec.placement,
            fullscreen=spec.fullscreen,
        )  # fmt: skip


@transaction.atomic
def save_listing(
    app: App,
    *,
    name: str,
    summary_en: str,
    summary_zh: str = "",
    description_en: str,
    description_zh: str = "",
    category: str,
    scopes,
    install_url: str = "",
    app_url: str = "",
    plans: list[PlanSpec | None],
    blocks: Sequence[BlockSpec] = (),
    icon=None,
    screenshots=(),
    submit: bool = False,
) -> Listing:
    """Create or change the app's listing. Any change takes an approved listing out of the market
    until an operator approves it again: sellers only ever see what was reviewed. Shops that
    installed the app keep its reviewed admin page and blocks (`live_*`) until then."""
    listing = Listing.objects.filter(app=app).first() or Listing(app=app)
    listing.name = _required(name, "name", 80, _("Give your listing a name."))
    listing.summary_en = _required(summary_en, "summary_en", 140, _("Sum the app up in a line."))
    listing.summary_zh = _optional(summary_zh, "summary_zh", 140)
    listing.description_en = _required(
        description_en, "description_en", 5000, _("Describe what the app does.")
    )
    listing.description_zh = _optional(description_zh, "description_zh", 5000)
    if category not in Listing.Category.values:
        raise ListingError(_("Choose a category."), "category")
    listing.category = category
    listing.scopes = check_listing_scopes(app, scopes)
    listing.install_url = _url(install_url, "install_url")
    listing.app_url = _url(app_url, "app_url")
    checked_plans, checked_blocks = check_plans(list(plans)), check_blocks(list(blocks))
    pictures = [_picture(upload, "screenshots") for upload in list(screenshots)[:MAX_SCREENSHOTS]]
    if icon is not None:
        listing.icon_key = store_picture(_picture(icon, "icon"))
    listing.status = Listing.Status.PENDING if submit else Listing.Status.DRAFT
    listing.submitted_at = clock.now() if submit else listing.submitted_at
    listing.review_reason = ""
    listing.save()
    _sync_plans(listing, checked_plans)
    _sync_blocks(listing, checked_blocks)
    if pictures:
        listing.screenshots.all().delete()  # a new set replaces the old one
        for position, checked in enumerate(pictures):
            Screenshot.objects.create(
                listing=listing, image_key=store_picture(checked), position=position
            )
    return listing


def _picture(upload, field: str):
    from emporium.catalog.images import ImageRejected

    try:
        return read_upload(upload)
    except ImageRejected as error:
        raise ListingError(str(error), field) from None


def submit(listing: Listing) -> Listing:
    if listing.status not in (Listing.Status.DRAFT, Listing.Status.REJECTED):
        raise ListingError(_("This listing is already submitted."))
    if not listing.plans.filter(retired=False).exists():
        raise ListingError(_("Offer at least one plan."), "plans")
    listing.status, listing.submitted_at, listing.review_reason = (
        Listing.Status.PENDING,
        clock.now(),
        "",
    )
    listing.save(update_fields=["status", "submitted_at", "review_reason"])
    return listing


@transaction.atomic
def approve(listing: Listing, allow_fullscreen: bool = True) -> Listing:
    """The reviewed version goes live: the market shows it, and the admin page and blocks that
    shops placed switch to the URLs just reviewed. Full screen only if the operator allows it."""
    listing.status, listing.reviewed_at, listing.review_reason = (
        Listing.Status.APPROVED,
        clock.now(),
        "",
    )
    listing.live_app_url = listing.app_url
    listing.save(update_fields=["status", "reviewed_at", "review_reason", "live_app_url"])
    for block in listing.blocks.all():
        Block.objects.filter(pk=block.pk).update(
            live_url=block.url,
            live_placement=block.placement,
            live_fullscreen=block.fullscreen and allow_fullscreen,
        )
    return listing


@transaction.atomic
def take_down(listing: Listing) -> Listing:
    """The operator puts a listing back under review: out of the market, and its admin page and
    blocks disappear from every shop at once, until an approval puts them back."""
    listing.status, listing.reviewed_at = Listing.Status.PENDING, clock.now()
    listing.live_app_url = ""
    listing.save(update_fields=["status", "reviewed_at", "live_app_url"])
    listing.blocks.update(live_url="", live_fullscreen=False)
    return listing


def reject(listing: Listing, reason: str) -> Listing:
    reason = (reason or "").strip()
    if not reason:
        raise ListingError(_("Tell the developer why the listing is rejected."), "reason")
    listing.status, listing.reviewed_at, listing.review_reason = (
        Listing.Status.REJECTED,
        clock.now(),
        reason[:500],
    )
    listing.save(update_fields=["status", "reviewed_at", "review_reason"])
    return listing


def browse(query: str = "", category: str = "") -> QuerySet[Listing]:
    """Approved listings, most installed first; `query` matches names and summaries."""
    rows = Listing.objects.filter(status=Listing.Status.APPROVED).prefetch_related("plans")
    if category:
        rows = rows.filter(category=category)
    query = query.strip()
    if query:
        rows = rows.filter(
            Q(name__icontains=query)
            | Q(summary_en__icontains=query)
            | Q(summary_zh__icontains=query)
            | Q(description_en__icontains=query)
            | Q(description_zh__icontains=query)
        )
    return rows.order_by("-install_count", "name", "pk")


def visible_listing(app_public_id) -> Listing | None:
    return (
        Listing.objects.select_related("app")
        .filter(app__public_id=app_public_id, status=Listing.Status.APPROVED)
        .first()
    )
