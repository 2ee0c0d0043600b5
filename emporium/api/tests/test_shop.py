"""GET and PATCH /shop."""

from emporium.api.tests.conftest import error_of


def test_it_shows_the_sellers_shop(seller_api, shop):
    body = seller_api.get("/shop").json()
    assert body["id"] == str(shop.public_id)
    assert (body["name"], body["status"], body["logo_url"]) == ("Mei's Closet", "open", "")
    assert body["url"].endswith(f"/shop/{shop.slug}/")
    assert body["created_at"].endswith("Z")


def test_it_changes_only_what_is_sent(seller_api, shop):
    body = seller_api.patch("/shop", {"description": "Linen, mostly"}).json()
    assert (body["name"], body["description"]) == ("Mei's Closet", "Linen, mostly")
    shop.refresh_from_db()
    assert shop.description == "Linen, mostly"


def test_a_blank_name_is_refused_and_nothing_changes(seller_api, shop):
    error = error_of(
        seller_api.patch("/shop", {"name": "  ", "description": "new"}), 422, "validation_error"
    )
    assert error["field"] == "name"
    shop.refresh_from_db()
    assert (shop.name, shop.description) == ("Mei's Closet", "Dresses and coats")


def test_another_shops_name_is_refused(seller_api, shop, other_shop):
    error = error_of(seller_api.patch("/shop", {"name": "otto's gadgets"}), 422, "validation_error")
    assert error["field"] == "name"


def test_it_lists_the_shops_own_categories_with_the_ids_customer_events_carry(
    seller_api, shop, other_shop
):
    from emporium.shops.services import add_shop_category

    summer = add_shop_category(shop, "Summer")
    add_shop_category(other_shop, "Phones")
    body = seller_api.get("/shop/categories").json()
    assert body == [{"id": summer.pk, "name": "Summer", "position": summer.position}]


def test_categories_carry_the_id_of_page_category_id(seller_api, dresses):
    tree = seller_api.get("/categories").json()
    found, todo = {}, list(tree)
    while todo:
        node = todo.pop()
        found[node["slug"]] = node["id"]
        todo.extend(node["children"])
    assert found["dresses"] == dresses.pk
