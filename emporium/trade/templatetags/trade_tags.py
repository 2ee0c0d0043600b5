"""Template helpers of the trading pages."""

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[Any, Any] | None, key: object) -> Any:
    """mapping[key] in a template, or None."""
    return mapping.get(key) if mapping else None
