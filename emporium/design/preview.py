"""Short-lived signed preview links: whoever holds one sees the shop's draft, nothing else."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from emporium.lib import clock
from emporium.resources.links import absolute
from emporium.shops.models import Shop

SALT = "emporium.design.preview"


def preview_link(shop: Shop) -> tuple[str, datetime]:
    """An absolute URL of the draft's preview and when it stops working."""
    token = signing.TimestampSigner(salt=SALT).sign(str(shop.public_id))
    expires_at = clock.now() + timedelta(seconds=settings.DESIGN_PREVIEW_SECONDS)
    return absolute(reverse("design:preview", args=[token])), expires_at


def shop_for_token(token: str) -> Shop | None:
    """The shop a valid, unexpired token names; None for anything else."""
    try:
        public_id = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=settings.DESIGN_PREVIEW_SECONDS
        )
    except signing.BadSignature:  # also SignatureExpired
        return None
    return Shop.objects.filter(public_id=public_id).select_related("owner").first()
