"""Make seller-written rich text safe to show, and a plain-text copy for search."""

import html
import re
from html.parser import HTMLParser

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
    cleaned = _clean_once(raw)
    # The HTML5 parser can build what it would rebuild differently when it reads its own output
    # (a link inside a link): clean until nothing changes, so a saved text stays as it was saved.
    for _ in range(3):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _clean_once(raw: str) -> str:
    return nh3.clean(
        raw,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(rich: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", rich))).strip()


class _ImageSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources += [value or "" for name, value in attrs if name == "src"]


def image_sources(rich: str) -> list[str]:
    """Every `<img src>` of a piece of HTML, entities decoded, in document order."""
    parser = _ImageSources()
    parser.feed(rich)
    parser.close()
    return parser.sources


def foreign_images(rich: str, served_prefixes: tuple[str, ...]) -> list[str]:
    """The picture sources not served by us: each would tell a third party who looks at the page.

    A served picture starts with one of `served_prefixes` (e.g. "/media/pictures/"); a
    protocol-relative "//host/..." or a path climbing out with ".." never counts as served.
    """
    return [
        src
        for src in image_sources(rich)
        if not src.startswith(served_prefixes) or ".." in src or src.startswith("//")
    ]
