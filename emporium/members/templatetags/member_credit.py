"""Draw a seller's credit level as the marketplace's familiar hearts, diamonds and crowns."""

from django import template
from django.utils.translation import gettext_lazy as _

from emporium.members.credit import level_for

register = template.Library()

SYMBOLS = {"heart": "♥", "diamond": "◆", "crown": "♛", "golden crown": "♛"}
TIER_NAMES = {
    "heart": _("hearts"),
    "diamond": _("diamonds"),
    "crown": _("crowns"),
    "golden crown": _("golden crowns"),
}


@register.inclusion_tag("members/includes/credit_badge.html")
def credit_badge(points: int) -> dict:
    level = level_for(points or 0)
    return {
        "level": level,
        "symbols": SYMBOLS.get(level.tier, "") * level.symbols,
        "tier_class": level.tier.replace(" ", "-"),
        "tier_name": TIER_NAMES.get(level.tier, ""),
    }
