"""`{% site_header_bar %}`: the site header's bar, from a fragment per language for anonymous
visitors (storefront/header.py)."""

from django import template
from django.utils.safestring import SafeString

from emporium.storefront import header

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header_bar(context: template.Context) -> SafeString:
    return header.bar(context)
