"""`{% customer_events_script %}`: collect.js and its page config, on tracked storefront pages."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, json_script

from emporium.customer_events.page import page_config

register = template.Library()


@register.simple_tag(takes_context=True)
def customer_events_script(context) -> str:
    request = context.get("request")
    config = page_config(request, context) if request is not None else None
    if config is None:
        return ""
    return format_html(
        '{}<script src="{}" defer></script>',
        json_script(config, "customer-events-config"),
        static("customer_events/collect.js"),
    )
