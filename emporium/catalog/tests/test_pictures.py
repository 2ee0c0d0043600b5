"""Reordering an item's pictures: every picture once, the first is the main one, apps are told."""

import pytest

from emporium.catalog import services as catalog
from emporium.events.models import Event
from emporium.storefront.tests.helpers import add_picture


def test_reordering_puts_the_pictures_in_the_given_order(installation, shop, item):
    first, second, third = (add_picture(item, colour=(n * 60, 0, 0)) for n in range(3))
    Event.objects.all().delete()
    catalog.reorder_images(item, [third.pk, first.pk, second.pk])
    assert [i.pk for i in item.images.all()] == [third.pk, first.pk, second.pk]
    assert list(Event.objects.values_list("topic", flat=True)) == ["item.updated"]


@pytest.mark.parametrize("which", ["missing", "twice", "foreign"])
def test_an_order_that_is_not_every_picture_once_is_refused(shop, item, make_item, which):
    first, second = add_picture(item), add_picture(item)
    other = add_picture(make_item(shop, title="Other"))
    ordered = {
        "missing": [second.pk],
        "twice": [second.pk, second.pk],
        "foreign": [second.pk, other.pk],
    }[which]
    with pytest.raises(catalog.CatalogError) as refused:
        catalog.reorder_images(item, ordered)
    assert refused.value.field == "image"
    assert [i.pk for i in item.images.all()] == [first.pk, second.pk]
