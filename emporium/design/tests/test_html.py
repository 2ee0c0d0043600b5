"""Custom HTML and rich text are cleaned by the item descriptions' rules; a picture from another
site is refused, since it would tell that site who looks at the shop."""

from html.parser import HTMLParser

import pytest

from emporium.design.tests.conftest import doc
from emporium.design.validation import DesignInvalid, validate_document

FORBIDDEN_TAGS = {"script", "svg", "iframe", "object", "embed", "form", "input", "base", "meta",
                  "style", "math", "link"}  # fmt: skip


class Tags(HTMLParser):
    """Every element and attribute that would reach a browser (escaped text is only text)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


HOSTILE = [
    "<script>alert(1)</script><p>hi</p>",
    '<p onclick="alert(1)">hi</p>',
    '<img src="/media/pictures/ab/x_600.webp" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)"><circle r="4"/></svg>',
    '<iframe src="https://evil.example/"><iframe src="javascript:alert(1)"></iframe></iframe>',
    '<p style="background: url(javascript:alert(1)); width: expression(alert(1))">x</p>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example/"><input name="password"></form>',
    '<base href="https://evil.example/"><meta http-equiv=refresh content=0>',
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_html_is_neutralised(shop, raw):
    try:
        stored = validate_document(shop, doc({"type": "custom_html", "settings": {"html": raw}}))
    except DesignInvalid as refused:  # an <img> left with a foreign source is refused instead
        assert refused.field == "sections.0.settings.html"
        return
    tags = Tags()
    tags.feed(stored["sections"][0]["settings"]["html"])
    for tag, attrs in tags.found:
        assert tag not in FORBIDDEN_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", (tag, name)
            assert not (value or "").strip().lower().startswith(("javascript:", "data:")), value


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example/pixel.gif",
        "//tracker.example/pixel.gif",
        "http://127.0.0.1:8000/media/pictures/../../elsewhere.png",
        "/static/logo.png",
    ],
)
def test_a_picture_not_served_by_the_platform_is_refused(shop, src):
    html = f'<p>Look</p><img src="{src}" alt="">'
    with pytest.raises(DesignInvalid) as caught:
        validate_document(shop, doc({"type": "custom_html", "settings": {"html": html}}))
    assert caught.value.field == "sections.0.settings.html"
    assert "not served by the platform" in str(caught.value)


def test_rich_text_refuses_foreign_pictures_too(shop):
    html = '<img src="https://cdn.example/a.png">'
    with pytest.raises(DesignInvalid) as caught:
        validate_document(shop, doc({"type": "rich_text", "settings": {"text": html}}))
    assert caught.value.field == "sections.0.settings.text"


def test_platform_pictures_are_kept(shop, settings):
    absolute = f"{settings.SITE_URL}/media/pictures/ab/ab12_600.webp"
    html = f'<img src="{absolute}" alt="a"><img src="/media/pictures/cd/cd_240.webp">'
    stored = validate_document(shop, doc({"type": "custom_html", "settings": {"html": html}}))
    assert stored["sections"][0]["settings"]["html"].count("<img") == 2
