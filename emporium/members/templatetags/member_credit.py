"""Draw a seller's credit level as the marketplace's familiar hearts, diamonds and crowns."""

import functools
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString
from django.utils.translation import get_language
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


@register.simple_tag
def credit_badge(points: int | None) -> SafeString:
    """The badge depends on the points and the language only: rendered once for each and reused
    (a seller's badge is on every page of their items; rendering it was ~0.3 ms of each)."""
    return _badge(points or 0, get_language())


@functools.lru_cache(maxsize=4096)
def _badge(points: int, language: str | None) -> SafeString:
    level = level_for(points)
    context = {
        "level": level,
        "symbols": SYMBOLS.get(level.tier, "") * level.symbols,
        "tier_class": level.tier.replace(" ", "-"),
        "tier_name": TIER_NAMES.get(level.tier, ""),
    }
    return render_to_string("members/includes/credit_badge.html", context)


@receiver(setting_changed)
@receiver(file_changed)
def _forget_badges(**kwargs: Any) -> None:
    """A changed setting, template or translation: render the badges again."""
    _badge.cache_clear()
