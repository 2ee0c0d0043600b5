"""The item page's own queries, compiled once, read exactly what the ORM reads, on SQLite and on
PostgreSQL, and a first visit builds no SQL for them again."""

import uuid
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db.models import F
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.urls import reverse

from emporium.catalog.models import Item, Sku
from emporium.community import reviews
from emporium.market import item_blocks
from emporium.storefront import itempage
from emporium.storefront.compiled import Compiled
from emporium.storefront.tests.helpers import add_picture
from emporium.storefront.tests.test_query_counts import reviewed


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def orm_item(public_id) -> Item:
    return (
        Item.objects.visible()
        .select_related("shop", "category__parent")
        .annotate(
            may_have_blocks=item_blocks.may_have_blocks(),
            owner_credit_points=F("shop__owner__credit_points"),
        )
        .get(public_id=public_id)
    )


def test_the_compiled_item_is_the_orms_with_its_joins_and_annotations(shop, item):
    add_picture(item)
    compiled, orm = itempage.visible_item(item.public_id), orm_item(item.public_id)
    assert fields(compiled) == fields(orm)
    assert isinstance(compiled.public_id, uuid.UUID) and isinstance(compiled.price, Decimal)
    assert compiled.option_names == ["Colour", "Size"]  # JSON, converted
    for related in ("shop", "category", "category.parent"):
        path = related.split(".")
        one, other = compiled, orm
        for name in path:
            one, other = getattr(one, name), getattr(other, name)
        assert (one is None and other is None) or fields(one) == fields(other)
    assert compiled.may_have_blocks is orm.may_have_blocks is False
    assert compiled.owner_credit_points == orm.owner_credit_points
    assert compiled._state.db == orm._state.db and not compiled._state.adding


def test_skus_pictures_questions_and_stars_are_the_orms(
    shop, make_item, funded_buyer, address, django_assert_num_queries
):
    dress = make_item(shop, title="Dress", options={"Colour": ["Red", "Blue"], "Size": ["S"]})
    for n in range(3):
        add_picture(dress, colour=(60 * n, 0, 0))
    reviewed(funded_buyer, address, dress, 2)
    for n in range(11):
        reviews.ask(funded_buyer, dress, f"Another question {n}?")
    item = itempage.visible_item(dress.public_id)
    skus = itempage.item_skus(item)
    assert [fields(s) for s in skus] == [fields(s) for s in dress.skus.all()]
    with django_assert_num_queries(0):  # each SKU knows its item, as item.skus.all() does
        assert [s.label for s in skus] == ["Red / S", "Blue / S"]
        assert all(s.item is item for s in skus)
    pictures = itempage.item_pictures(item)
    assert [fields(p) for p in pictures] == [fields(p) for p in dress.images.all()]
    questions = itempage.item_questions(item)
    assert len(questions) == 10
    assert [fields(q) for q in questions] == [fields(q) for q in dress.questions.all()[:10]]
    assert itempage.item_rating(item.pk) == {
        "average": 5.0,
        "count": 2,
        "stars": [(5, 2), (4, 0), (3, 0), (2, 0), (1, 0)],
    }


def test_an_item_not_visible_is_not_found(shop, item):
    Item.objects.filter(pk=item.pk).update(status=Item.Status.STOCK_ROOM)
    with pytest.raises(Http404):
        itempage.visible_item(item.public_id)
    with pytest.raises(Http404):
        itempage.visible_item(uuid.uuid4())


def test_a_change_is_read_on_the_next_call(item):
    first = itempage.item_skus(itempage.visible_item(item.public_id))
    Sku.objects.filter(pk=first[0].pk).update(price=Decimal("149.00"), stock=0)
    again = itempage.item_skus(itempage.visible_item(item.public_id))
    assert (again[0].price, again[0].stock) == (Decimal("149.00"), 0)


def test_a_query_that_does_not_compare_its_argument_once_is_refused(db):
    field = Sku._meta.get_field("item")
    with pytest.raises(ValueError, match="once"):
        Compiled(lambda item_id: Sku.objects.all(), field).objects(1)
    with pytest.raises(ValueError, match="prefetch_related"):
        Compiled(
            lambda item_id: Sku.objects.filter(item=item_id).prefetch_related("item"), field
        ).objects(1)


def count_compilations(monkeypatch) -> list[str]:
    built: list[str] = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        sql, params = as_sql(self, *args, **kwargs)
        built.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return built


def test_a_first_visit_builds_no_sql_for_the_items_own_queries(
    client, shop, make_item, monkeypatch
):
    make_item(shop, title="Seen before", options={"Size": ["S", "M"]})
    fresh = make_item(shop, title="Never seen", options={"Size": ["S", "M"]})
    add_picture(fresh)
    caches["pages"].clear()
    seen = Item.objects.get(title="Seen before")
    assert client.get(reverse("storefront:item", args=[seen.public_id])).status_code == 200
    built = count_compilations(monkeypatch)
    page = client.get(reverse("storefront:item", args=[fresh.public_id]))
    assert page.status_code == 200 and "Never seen" in page.content.decode()
    # The shop's parts and the header come shared (storefront/shared.py); the item, its SKUs,
    # pictures, questions and stars from the SQL compiled for the first page.
    assert built == []
