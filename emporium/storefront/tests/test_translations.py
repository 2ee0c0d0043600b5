"""The Simplified Chinese catalogue is complete, keeps every placeholder and is what Chinese visitors see."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from emporium.lib.translations import compile_catalogues
from emporium.storefront.tests.helpers import text

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_PATH = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"

# %(name)s, %s, %d and {{ var }}; "%%" is matched too so that "%%s" is not mistaken for "%s".
PLACEHOLDER = re.compile(r"%%|%\([^)]+\)[sdif]|%[sdif]|\{\{\s*[\w.]+\s*\}\}")
HTML_TAG = re.compile(r"</?(?:a|b|br|code|em|i|li|p|small|span|strong|ul)\b[^>]*>")


def placeholders(s: str) -> list[str]:
    return sorted(p for p in PLACEHOLDER.findall(s) if p != "%%")


def html_tags(s: str) -> list[str]:
    return sorted(HTML_TAG.findall(s))


def translation_of(entry: polib.POEntry) -> str:
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def zh(catalogue: polib.POFile, msgid: str) -> str:
    return translation_of(catalogue.find(msgid))


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """Compile the .mo, then make Django forget any catalogue it has cached in this process.

    Django loads each language's translations once per process; if a test earlier in the session
    rendered a page in Chinese before the .mo existed, English would be served from then on.
    Overriding LOCALE_PATHS (even with the same value) fires setting_changed, which clears that cache.
    """
    compile_catalogues(LOCALE_DIR)
    assert PO_PATH.with_suffix(".mo").exists()
    with override_settings(LOCALE_PATHS=[LOCALE_DIR]):
        yield


def test_the_header_declares_simplified_chinese_with_one_plural_form(catalogue):
    assert catalogue.metadata["Language"] == "zh_Hans"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert not catalogue.metadata_is_fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    assert len(catalogue) > 700
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    for entry in catalogue:
        if entry.msgid_plural:
            assert entry.msgstr_plural.get(0), entry.msgid


def test_every_translation_keeps_the_placeholders_and_tags_of_its_msgid(catalogue):
    mismatched = []
    for entry in catalogue:
        source = entry.msgid_plural or entry.msgid
        translated = translation_of(entry)
        if placeholders(translated) != placeholders(source):
            mismatched.append((entry.msgid, placeholders(source), placeholders(translated)))
        if html_tags(translated) != html_tags(source):
            mismatched.append((entry.msgid, html_tags(source), html_tags(translated)))
    assert mismatched == []


def test_no_formatted_translation_has_a_stray_percent_sign(catalogue):
    # A lone "%" in a python-format string would make the % operator raise at run time.
    stray = [
        entry.msgid
        for entry in catalogue
        if "python-format" in entry.flags and "%" in PLACEHOLDER.sub("", translation_of(entry))
    ]
    assert stray == []


def test_the_english_msgids_are_not_translated_in_place(catalogue):
    assert catalogue.find("Search") is not None
    assert catalogue.find("Cart") is not None
    assert "Emporium" in catalogue.find("Welcome to Emporium, %(name)s!").msgstr


def test_the_home_page_speaks_chinese_to_a_visitor_with_the_language_cookie(client, dresses):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse("storefront:home"))
    page = text(response)

    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert ">搜索</button>" in page
    assert "购物车" in page
    assert dresses.name_zh_hans == "连衣裙"
    assert "连衣裙" in page
    assert "Dresses" not in page
    assert ">Search</button>" not in page


def test_the_category_page_names_the_category_in_chinese(client, dresses):
    response = client.get(
        reverse("storefront:category", args=[dresses.slug]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    page = text(response)
    assert "<h1>连衣裙</h1>" in page
    assert '<html lang="zh-hans">' in page


def test_the_empty_cart_speaks_chinese_to_an_accept_language_visitor(client, catalogue, db):
    response = client.get(reverse("storefront:cart"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = text(response)

    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert "<title>购物车 · Emporium</title>" in page
    assert zh(catalogue, "Your cart is empty") in page
    assert zh(catalogue, "Start shopping") in page


def test_a_cart_with_an_item_fills_in_the_placeholders_of_its_chinese_text(client, catalogue, item):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.post(reverse("storefront:cart_add"), {"sku": item.skus.first().pk, "quantity": 1})
    page = text(client.get(reverse("storefront:cart")))

    login_link = f'<a href="{reverse("members:login")}?next={reverse("storefront:cart")}">登录</a>'
    assert login_link in page
    assert zh(catalogue, "Shop subtotal") in page
    assert "Linen summer dress" in page


def test_item_cards_use_the_single_chinese_plural_form(client, item):
    response = client.get(reverse("storefront:home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "已售 0 件" in text(response)


def test_english_visitors_still_get_english(client, dresses):
    response = client.get(reverse("storefront:home"), HTTP_ACCEPT_LANGUAGE="en")
    page = text(response)
    assert '<html lang="en">' in page
    assert ">Search</button>" in page
    assert "Dresses" in page
