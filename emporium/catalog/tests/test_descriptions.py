"""An item description shows only pictures the platform serves: a picture from another site would
tell that site who looks at the item."""

from decimal import Decimal

import pytest

from emporium.catalog import services as catalog
from emporium.catalog.models import Item


def new_item(shop, dresses, description_html: str) -> Item:
    return catalog.create_item(
        shop,
        title="Linen dress",
        category=dresses,
        description_html=description_html,
        skus=[catalog.SkuSpec(options={}, price=Decimal("99.00"), stock=3)],
    )


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example/pixel.gif",
        "//tracker.example/pixel.gif",
        "/media/pictures/../../etc/x.webp",
        "pixel.gif",
    ],
)
def test_a_picture_from_another_site_is_refused_naming_the_description(shop, dresses, src):
    with pytest.raises(catalog.CatalogError, match="not served by the platform") as refused:
        new_item(shop, dresses, f'<p>Linen</p><img src="{src}">')
    assert refused.value.field == "description_html"
    assert not Item.objects.filter(shop=shop).exists()


def test_a_served_picture_is_kept(shop, dresses, settings):
    served = f"{settings.MEDIA_URL}pictures/ab/abcd_1200.webp"
    item = new_item(shop, dresses, f'<p>Linen</p><img src="{served}">')
    assert served in item.description_html


def test_an_edit_that_adds_a_foreign_picture_changes_nothing(shop, dresses):
    item = new_item(shop, dresses, "<p>Linen</p>")
    with pytest.raises(catalog.CatalogError, match="not served"):
        catalog.update_item(
            item,
            title="Changed",
            category=dresses,
            description_html='<img src="https://cdn.example/a.jpg">',
        )
    item.refresh_from_db()
    assert (item.title, item.description_html) == ("Linen dress", "<p>Linen</p>")
