"""Installing an app on a shop (the seller's OAuth consent) and uninstalling it."""

from django.db import transaction
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from emporium.ecosystem.models import App, Installation
from emporium.events import outbox
from emporium.lib import clock
from emporium.shops.models import Shop


def installed(app: App, shop: Shop, scopes: list[str] | set[str]) -> Installation:
    """Record that the shop's seller granted `scopes` to the app (called when a token is
    issued). A first install, or one after an uninstall, sends `app.installed`; so does a grant
    that changes the scopes."""
    scope_text = " ".join(sorted(set(scopes)))
    now = clock.now()
    with transaction.atomic():
        row, created = Installation.objects.select_for_update().get_or_create(
            app=app, shop=shop, defaults={"scopes": scope_text, "installed_at": now}
        )
        changed = created or not row.active or row.scopes != scope_text
        if not created and changed:
            if not row.active:
                row.installed_at = now
            row.scopes, row.uninstalled_at = scope_text, None
            row.save(update_fields=["scopes", "installed_at", "uninstalled_at"])
        if changed:
            outbox.record(
                "app.installed",
                shop=shop,
                app=app,
                data={"shop_id": str(shop.public_id), "scopes": scope_text.split()},
            )
    return row


def uninstall(app: App, shop: Shop) -> Installation | None:
    """Revoke every token the app holds for the shop and send `app.uninstalled`."""
    AccessToken, RefreshToken = get_access_token_model(), get_refresh_token_model()
    with transaction.atomic():
        row = Installation.objects.select_for_update().filter(app=app, shop=shop).first()
        if row is None or not row.active:
            return row
        for refresh in RefreshToken.objects.filter(
            application=app, user=shop.owner, revoked__isnull=True
        ):
            refresh.revoke()
        AccessToken.objects.filter(application=app, user=shop.owner).delete()
        row.uninstalled_at = clock.now()
        row.save(update_fields=["uninstalled_at"])
        outbox.record("app.uninstalled", shop=shop, app=app, data={"shop_id": str(shop.public_id)})
    return row


def active_installations(shop: Shop):
    return Installation.objects.active().filter(shop=shop).select_related("app")
