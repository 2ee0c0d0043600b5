"""Installing an app from the market (consent to its scopes + a plan), uninstalling it, and the
erasure request its developer receives 48 hours after an uninstall."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from emporium.ecosystem import installations
from emporium.ecosystem.models import App, Installation
from emporium.events import outbox
from emporium.lib import clock
from emporium.market import billing
from emporium.market.billing import BillingError
from emporium.market.models import (
    BlockPlacement,
    ErasureNotice,
    ItemBlockPlacement,
    Listing,
    Plan,
    Subscription,
)
from emporium.members.models import Member
from emporium.shops.models import Shop


def active_installation(app: App, shop: Shop) -> Installation | None:
    return Installation.objects.active().filter(app=app, shop=shop).first()


def _count_installs(listing: Listing) -> None:
    count = Installation.objects.active().filter(app_id=listing.app_id).count()
    Listing.objects.filter(pk=listing.pk).update(install_count=count)
    listing.install_count = count


@transaction.atomic
def install(shop: Shop, listing: Listing, plan: Plan, usage_cap=None) -> Subscription:
    """The seller consented to the listing's scopes and chose a plan: record the installation
    (sending `app.installed`) and start the subscription — all of it, or nothing if the first
    charge cannot be paid."""
    if not listing.visible:
        raise BillingError(_("This app is not in the market."), "not_listed", status=404)
    if active_installation(listing.app, shop) is not None:
        raise BillingError(_("This app is already installed."), "already_installed", status=409)
    if plan.listing_id != listing.pk or plan.retired:
        raise BillingError(_("Choose one of this app's plans."), "bad_plan", "plan")
    installation = installations.installed(listing.app, shop, listing.scope_list)
    sub = billing.subscribe(installation, plan, usage_cap)
    _count_installs(listing)
    return sub


@transaction.atomic
def uninstall(app: App, shop: Shop) -> Installation | None:
    """Revoke the app's tokens (sending `app.uninstalled`), stop billing, take its blocks off the
    shop page and the item pages."""
    row = installations.uninstall(app, shop)
    if row is None:
        return None
    billing.cancel(row)
    BlockPlacement.objects.filter(shop=shop, block__listing__app=app).delete()
    ItemBlockPlacement.objects.filter(shop=shop, block__listing__app=app).delete()
    listing = Listing.objects.filter(app=app).first()
    if listing is not None:
        _count_installs(listing)
    return row


def market_consented(app: App, member: Member, scopes: list[str]) -> bool:
    """The seller installed this app from the market for at least these scopes, so its OAuth
    authorization needs no second consent screen."""
    shop = getattr(member, "shop", None)
    if shop is None:
        return False
    row = active_installation(app, shop)
    return (
        row is not None
        and set(scopes) <= row.scope_set
        and Subscription.objects.filter(installation=row)
        .exclude(status=Subscription.Status.CANCELLED)
        .exists()
    )


def needs_market_install(app: App, member: Member) -> bool:
    """A listed app is authorized by a seller only after a market install (a plan was chosen)."""
    shop = getattr(member, "shop", None)
    if shop is None or not Listing.objects.filter(app=app, status=Listing.Status.APPROVED).exists():
        return False
    return (
        not Subscription.objects.filter(
            installation__in=Installation.objects.active().filter(app=app, shop=shop)
        )
        .exclude(status=Subscription.Status.CANCELLED)
        .exists()
    )


def request_erasures(now: datetime | None = None) -> int:
    """Send `app.erasure_requested` for every uninstall older than APP_ERASURE_HOURS, once."""
    now = now or clock.now()
    cutoff = now - timedelta(hours=settings.APP_ERASURE_HOURS)
    sent = ErasureNotice.objects.filter(
        installation=OuterRef("pk"), uninstalled_at=OuterRef("uninstalled_at")
    )
    due = Installation.objects.filter(uninstalled_at__lte=cutoff).exclude(Exists(sent))
    count = 0
    for row in due.select_related("app", "shop"):
        uninstalled_at = row.uninstalled_at
        assert uninstalled_at is not None  # the filter above
        try:
            with transaction.atomic():
                # The unique (installation, uninstalled_at) row is the claim: a second worker's
                # insert fails and its event rolls back with it.
                ErasureNotice.objects.create(
                    installation=row, uninstalled_at=uninstalled_at, sent_at=now
                )
                outbox.record(
                    "app.erasure_requested",
                    shop=row.shop,
                    app=row.app,
                    data={"shop_id": str(row.shop.public_id), "uninstalled_at": row.uninstalled_at},
                )
        except IntegrityError:
            continue
        count += 1
    return count
