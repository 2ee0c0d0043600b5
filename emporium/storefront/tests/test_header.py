"""The header's bar for anonymous visitors comes from a fragment rendered once per language, and
reads exactly as the template renders it: the visitor's words, path, cart count and CSRF token."""

import re

import pytest
from django.template import Template
from django.template.context import make_context
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from emporium.storefront import header

TOKEN = re.compile(r'value="[A-Za-z0-9]{64}"')


@pytest.fixture(autouse=True)
def no_fragments():
    header.forget()


def bars(request, cart) -> tuple[str, str]:
    """The bar as the template renders it, and as the tag gives it (tokens masked alike)."""
    values = {"cart_count": cart, "LANGUAGE_CODE": translation.get_language()}
    plain = render_to_string("header_bar.html", values, request=request).removesuffix("\n")
    tag = Template("{% load site_header %}{% site_header_bar %}")
    tagged = tag.render(make_context(values, request))  # as render_to_string makes it
    return TOKEN.sub('value="…"', plain), TOKEN.sub('value="…"', tagged)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "path",
    ["/", "/search/?q=%3Cb%3E%22red%22+%26+'blue'&page=2", "/search/?q=连衣裙", "/item/x/?q="],
)
def test_the_anonymous_bar_reads_as_the_template_renders_it(db, language, path):
    with translation.override(language):
        for cart in (0, lambda: 3):  # the context processor gives the count as a callable
            plain, tagged = bars(RequestFactory().get(path), cart)
            assert tagged == plain
    assert 'name="csrfmiddlewaretoken"' in plain and "?next=" in plain


def test_the_words_and_path_of_the_request_are_escaped(db):
    _plain, tagged = bars(RequestFactory().get('/search/?q="><script>'), 0)
    assert 'value="&quot;&gt;&lt;script&gt;"' in tagged
    assert "<script>" not in tagged
    assert "?next=/search/%3Fq%3D%2522%253E%253Cscript%253E" in tagged


def test_the_bar_is_rendered_once_per_language(client, item):
    def renders_bar(response) -> bool:
        return "header_bar.html" in [t.name for t in response.templates]

    assert renders_bar(client.get(reverse("storefront:home")))
    page = client.get(reverse("storefront:item", args=[item.public_id]) + "?from=home")
    assert not renders_bar(page)
    assert f"?next={reverse('storefront:item', args=[item.public_id])}%3Ffrom%3Dhome" in (
        page.content.decode()
    )
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(reverse("storefront:search"))
    assert renders_bar(chinese)
    assert ">搜索</button>" in chinese.content.decode()
    assert '<option value="zh-hans" selected>' in chinese.content.decode()
    english = Client().get(reverse("storefront:search"))
    assert not renders_bar(english)
    assert ">Search</button>" in english.content.decode()
    assert '<option value="en" selected>' in english.content.decode()


def test_a_member_gets_their_own_bar_every_time(client, buyer, item):
    client.force_login(buyer)
    for _ in range(2):
        page = client.get(reverse("storefront:item", args=[item.public_id]))
        assert "header_bar.html" in [t.name for t in page.templates]
        assert "Bob Buyer" in page.content.decode()
        assert reverse("members:logout") in page.content.decode()


def test_a_changed_setting_renders_the_bar_again(client, db):
    client.get(reverse("storefront:home"))
    assert header._fragments
    with override_settings(LANGUAGES=[("en", "English")]):
        assert not header._fragments
        assert "简体中文" not in client.get(reverse("storefront:search")).content.decode()
