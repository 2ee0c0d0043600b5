"""Make seller-written rich text safe to show, and a plain-text copy for search."""

import html
import re

import nh3

_ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "img", "a", "span", "hr",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def clean_rich_text(raw: str) -> str:
    """Keep formatting tags only; scripts, event handlers and javascript: links are removed."""
    return nh3.clean(
        raw,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(rich: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", rich))).strip()
