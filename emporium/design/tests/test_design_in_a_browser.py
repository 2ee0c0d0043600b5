"""In a real browser: a published design on the shop page at phone width, and no hostile script runs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from emporium.design import actions
from emporium.design.tests.test_html import HOSTILE
from emporium.design.validation import DesignInvalid, validate_document
from emporium.fixtures import picture_bytes
from emporium.pictures.services import add_picture
from emporium.shops.models import ShopCategory

pytestmark = pytest.mark.django_db(transaction=True)


def hostile_sections(shop) -> list[dict]:
    """Every corpus entry the cleaner lets through (the rest are refused outright)."""
    sections = []
    for raw in HOSTILE:
        section = {"type": "custom_html", "settings": {"html": raw}}
        try:
            validate_document(shop, {"sections": [section]})
        except DesignInvalid:
            continue
        sections.append(section)
    return sections


def test_a_published_design_fits_a_phone_and_runs_no_hostile_script(page, shop, make_item):
    wide = add_picture(shop, SimpleUploadedFile("w.png", picture_bytes(size=(1600, 400))))
    items = [make_item(shop, title=f"Item with a rather long title number {n}") for n in range(8)]
    group = ShopCategory.objects.create(shop=shop, name="Dresses")
    long_word = "Supercalifragilisticexpialidocious" * 2
    slides = [{"settings": {"picture": wide.key, "caption": f"Slide {n}"}} for n in range(4)]
    sections = [
        {"type": "banner", "settings": {"picture": wide.key, "heading": long_word, "height": "large"}},
        {"type": "carousel", "blocks": [*slides, {"settings": {}}]},
        {"type": "item_grid", "settings": {"heading": "Picked", "rule": "hand_picked", "columns": 6,
                                           "items": [str(i.public_id) for i in items]}},
        {"type": "category_nav", "blocks": [{"settings": {"category": group.pk, "picture": wide.key}}]},
        {"type": "picture_text", "settings": {"picture": wide.key, "text": f"<p>{long_word}</p>"}},
        {"type": "coupon_strip"},
        {"type": "custom_html", "settings": {"html": "<table><tr>" + "<td>cell content</td>" * 30
                                             + "</tr></table>"}},
        *hostile_sections(shop),
    ]  # fmt: skip
    actions.save_draft(shop, {"sections": sections})
    actions.publish(shop)

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("storefront:shop", args=[shop.slug]))
    design = page.get_by_test_id("shop-design")
    design.wait_for()
    assert design.locator("[data-section-type]").count() == len(sections)
    assert page.get_by_test_id("design-item-grid").locator("li").count() == 8
    # The banner picture is served by the platform and actually loads.
    banner = page.locator(".design-banner img")
    assert banner.evaluate("img => img.complete && img.naturalWidth > 0")
    scroll, width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= width, f"the page scrolls sideways at 390 px: {scroll} > {width}"
    columns = page.get_by_test_id("design-item-grid").evaluate(
        "grid => getComputedStyle(grid).gridTemplateColumns.split(' ').length"
    )
    assert columns == 2, "six columns on a desktop, two on a phone"
    assert dialogs == []

    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    columns = page.get_by_test_id("design-item-grid").evaluate(
        "grid => getComputedStyle(grid).gridTemplateColumns.split(' ').length"
    )
    assert columns == 6
    assert dialogs == []
