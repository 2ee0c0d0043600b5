"""Items through the SDK against the live platform: CRUD, SKUs, pictures, pages, typed errors."""

import io

import pytest
from emporium_sdk import ConflictError, NotFoundError, UnprocessableEntityError
from emporium_sdk.models import ItemOut

from emporium.catalog.models import Item
from emporium.conftest import picture_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("category_tree")]


def new_item(client, **extra) -> ItemOut:
    fields = {
        "title": "Linen shirt",
        "category": "dresses",
        "option_names": ["Size"],
        "skus": [
            {"options": {"Size": "S"}, "price": "99.00", "stock": 5},
            {"options": {"Size": "M"}, "price": "109.00", "stock": 3},
        ],
    }
    return client.items.create(**(fields | extra))


def test_an_item_is_created_read_changed_and_deleted(client, shop):
    created = new_item(client)
    assert isinstance(created, ItemOut)
    assert (created.title, created.status, created.stock) == ("Linen shirt", "stock_room", 8)
    assert created.price.amount == "99.00"
    assert client.items.get(created.id) == created

    # On sale once it has a picture: create, add the pictures, then list.
    picture = client.items.add_image(
        created.id, io.BytesIO(picture_bytes()), filename="front.png", content_type="image/png"
    )
    assert (picture.position, picture.width, picture.height) == (0, 64, 48)
    assert client.items.set_status(created.id, status="on_sale").status == "on_sale"

    changed = client.items.update(created.id, title="Linen shirt, washed")
    assert (changed.title, changed.category) == ("Linen shirt, washed", "dresses")

    sku = changed.skus[0]
    updated = client.items.update_sku(created.id, sku.id, price="89.50", stock=7)
    assert (updated.price.amount, updated.stock) == ("89.50", 7)

    replaced = client.items.replace_skus(
        created.id, option_names=[], skus=[{"options": {}, "price": "79.00", "stock": 2}]
    )
    assert [s.price.amount for s in replaced.skus] == ["79.00"]

    delisted = client.items.set_status(created.id, status="stock_room")
    assert delisted.status == "stock_room"

    assert client.items.delete(created.id) is None
    assert client.items.get(created.id).status == "deleted"
    assert [i.id for i in client.items.list()] == []
    assert [i.id for i in client.items.list(status="deleted")] == [created.id]


def test_an_item_cannot_be_created_on_sale_without_a_picture(client, shop):
    with pytest.raises(UnprocessableEntityError) as refused:
        new_item(client, status="on_sale")
    assert (refused.value.code, refused.value.field) == ("picture_required", "status")
    assert not Item.objects.filter(shop=shop).exists()


def test_a_creating_call_sends_an_idempotency_key_so_a_repeat_creates_nothing(client, shop):
    first = new_item(client, idempotency_key="create-shirt-1")
    again = new_item(client, idempotency_key="create-shirt-1")
    assert again.id == first.id
    assert Item.objects.filter(shop=shop).count() == 1
    # Without an explicit key each call gets its own: two calls, two items.
    new_item(client)
    new_item(client)
    assert Item.objects.filter(shop=shop).count() == 3


def test_the_same_key_with_another_body_is_refused(client, shop):
    new_item(client, idempotency_key="k-1")
    with pytest.raises(UnprocessableEntityError) as refused:
        new_item(client, title="Something else", idempotency_key="k-1")
    assert refused.value.code == "idempotency_key_reused"
    assert refused.value.field == "Idempotency-Key"


def test_a_list_is_walked_across_pages(client, shop, make_item):
    made = {str(make_item(shop, title=f"Dress {n}").public_id) for n in range(7)}
    pager = client.items.list(limit=3)
    pages = list(pager.pages())
    assert [len(p.data) for p in pages] == [3, 3, 1]
    assert pages[-1].next_cursor is None
    seen = [item.id for item in client.items.list(limit=3)]
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == made
    first = client.items.list(limit=3).first_page()
    rest = [i.id for i in client.items.list(limit=3, cursor=first.next_cursor)]
    assert [i.id for i in first.data] + rest == seen


def test_errors_are_typed_and_carry_code_field_and_request_id(client, shop, other_shop, make_item):
    others = make_item(other_shop, title="Otto's phone")
    with pytest.raises(NotFoundError) as missing:
        client.items.get(str(others.public_id))
    error = missing.value
    assert (error.status, error.code) == (404, "not_found")
    assert error.request_id.startswith("req_")
    assert error.request_id in str(error)

    with pytest.raises(UnprocessableEntityError) as invalid:
        new_item(client, skus=[{"options": {}, "price": "1.999.00", "stock": 1}], option_names=[])
    assert invalid.value.code == "validation_error"
    assert invalid.value.field == "skus.0.price"

    with pytest.raises(UnprocessableEntityError) as unknown:
        new_item(client, category="no-such-category")
    assert unknown.value.field == "category"


def test_a_domain_refusal_keeps_its_code(client, shop, item, order_in):
    order = order_in(item.skus.first(), status="pending_payment")
    with pytest.raises(ConflictError) as refused:
        client.orders.ship(str(order.public_id), carrier="SF Express", tracking_number="SF1")
    assert refused.value.code == "invalid_transition"


def test_categories_and_the_shop(client, shop):
    tree = client.categories.list()
    assert any(child.slug == "dresses" for top in tree for child in top.children)
    renamed = client.shop.update(description="Linen, mostly")
    assert (renamed.name, renamed.description) == (shop.name, "Linen, mostly")
