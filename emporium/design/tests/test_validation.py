"""A design is checked against the section catalogue; every refusal names the section and setting."""

import pytest

from emporium.design.tests.conftest import banner, doc
from emporium.design.validation import DesignInvalid, validate_document
from emporium.shops.models import ShopCategory


def refusal(shop, document) -> DesignInvalid:
    with pytest.raises(DesignInvalid) as caught:
        validate_document(shop, document)
    return caught.value


def test_defaults_are_filled_in_and_ids_made_up(shop):
    stored = validate_document(shop, doc({"type": "item_grid"}))
    (section,) = stored["sections"]
    assert section["settings"]["rule"] == "newest"
    assert section["settings"]["columns"] == 4
    assert len(section["id"]) == 8
    assert section["blocks"] == []


def test_a_number_out_of_range_names_the_section_and_setting(shop):
    sections = [banner(), banner(), banner(), {"type": "item_grid", "settings": {"columns": 9}}]
    error = refusal(shop, doc(*sections))
    assert error.field == "sections.3.settings.columns"
    assert error.status == 422
    assert "Section 4 (Item grid)" in str(error)
    assert "columns" in str(error)
    assert "2 to 6" in str(error)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"height": "huge"}, "height"),
        ({"text_colour": "red"}, "text_colour"),
        ({"heading": "x" * 81}, "heading"),
        ({"heading": 12}, "heading"),
        ({"picture": "../../etc/passwd"}, "picture"),
        ({"link_item": "not-a-uuid"}, "link_item"),
        ({"sparkles": True}, "sparkles"),
    ],
)
def test_each_kind_of_setting_is_checked(shop, values, field):
    error = refusal(shop, doc({"type": "banner", "settings": values}))
    assert error.field == f"sections.0.settings.{field}"


def test_an_unknown_section_type_is_refused(shop):
    assert refusal(shop, doc({"type": "marquee"})).field == "sections.0.type"


def test_references_must_be_the_shops_own(shop, other_shop, make_item, picture):
    others = make_item(other_shop, title="Not Mei's")
    error = refusal(shop, doc({"type": "item_grid", "settings": {
        "rule": "hand_picked", "items": [str(others.public_id)]}}))  # fmt: skip
    assert error.field == "sections.0.settings.items"
    assert "no such item" in str(error)
    error = refusal(shop, doc(banner("ab" * 16)))
    assert error.field == "sections.0.settings.picture"
    theirs = ShopCategory.objects.create(shop=other_shop, name="Theirs")
    error = refusal(shop, doc({"type": "category_nav", "blocks": [
        {"settings": {"category": theirs.pk}}]}))  # fmt: skip
    assert error.field == "sections.0.blocks.0.settings.category"
    assert (
        validate_document(shop, doc(banner(picture.key)))["sections"][0]["settings"]["picture"]
        == picture.key
    )


def test_a_picture_of_the_shops_items_may_be_used(shop, item):
    from emporium.catalog.models import ItemImage

    ItemImage.objects.create(item=item, key="cd" * 16, width=10, height=10)
    assert validate_document(shop, doc(banner("cd" * 16)))


def test_grid_rules_need_what_they_use(shop):
    error = refusal(shop, doc({"type": "item_grid", "settings": {"rule": "category"}}))
    assert error.field == "sections.0.settings.category"
    error = refusal(shop, doc({"type": "item_grid", "settings": {"rule": "price_band"}}))
    assert error.field == "sections.0.settings.min_price"
    error = refusal(shop, doc({"type": "item_grid", "settings": {
        "rule": "price_band", "min_price": "100", "max_price": "50.00"}}))  # fmt: skip
    assert error.field == "sections.0.settings.max_price"
    error = refusal(shop, doc({"type": "item_grid", "settings": {"min_price": "1.001"}}))
    assert error.field == "sections.0.settings.min_price"
    stored = validate_document(shop, doc({"type": "item_grid", "settings": {
        "rule": "price_band", "min_price": 10, "max_price": "99.5"}}))  # fmt: skip
    assert stored["sections"][0]["settings"]["min_price"] == "10.00"
    assert stored["sections"][0]["settings"]["max_price"] == "99.50"


def test_at_most_25_sections_and_50_blocks(shop):
    assert len(validate_document(shop, doc(*[banner()] * 25))["sections"]) == 25
    assert refusal(shop, doc(*[banner()] * 26)).field == "sections"
    slides = [{"type": "slide", "settings": {"caption": str(n)}} for n in range(51)]
    error = refusal(shop, doc({"type": "carousel", "blocks": slides}))
    assert error.field == "sections.0.blocks"
    assert len(validate_document(shop, doc({"type": "carousel", "blocks": slides[:50]}))[
        "sections"][0]["blocks"]) == 50  # fmt: skip


def test_a_section_without_blocks_takes_none(shop):
    error = refusal(shop, doc({"type": "banner", "blocks": [{"settings": {}}]}))
    assert error.field == "sections.0.blocks"


def test_duplicate_section_ids_are_refused(shop):
    first, second = dict(banner(), id="hero"), dict(banner(), id="hero")
    assert refusal(shop, doc(first, second)).field == "sections.1.id"


def test_the_first_fault_in_the_document_is_reported(shop):
    bad_item = {
        "type": "picture_text",
        "settings": {"link_item": "00000000-0000-0000-0000-000000000001"},
    }
    error = refusal(shop, doc(banner(), banner("ef" * 16), bad_item))
    assert error.field == "sections.1.settings.picture"
