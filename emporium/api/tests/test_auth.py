"""Bearer tokens and scopes: who may call what, and how a refusal reads."""

from oauth2_provider.models import get_access_token_model

from emporium.api.tests.conftest import Api, error_of


def test_a_call_without_a_token_is_unauthorized(shop):
    response = Api().get("/shop")
    error_of(response, 401, "unauthorized")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_an_unknown_token(shop):
    error_of(Api("made-up").get("/shop"), 401, "invalid_token")


def test_it_refuses_an_expired_token(seller, shop, make_token):
    response = Api(make_token(seller, expires_in=-1)).get("/shop")
    error_of(response, 401, "token_expired")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_it_refuses_a_revoked_token(seller, shop, make_token):
    raw = make_token(seller)
    get_access_token_model().objects.get(user=seller).revoke()
    error_of(Api(raw).get("/shop"), 401, "invalid_token")


def test_it_refuses_a_token_lacking_the_scope(seller, shop, make_token):
    response = Api(make_token(seller, "shop:read")).patch("/shop", {"name": "Renamed"})
    error = error_of(response, 403, "insufficient_scope")
    assert "shop:write" in error["message"]
    assert 'scope="shop:write"' in response["WWW-Authenticate"]
    shop.refresh_from_db()
    assert shop.name == "Mei's Closet"


def test_a_token_reads_what_its_scope_allows(seller, shop, make_token):
    response = Api(make_token(seller, "shop:read")).get("/shop")
    assert response.status_code == 200
    assert response.json()["name"] == "Mei's Closet"


def test_an_app_level_token_reads_the_public_catalog_but_no_shop(item, make_token):
    app_token = Api(make_token(None, "catalog:read"))
    assert app_token.get("/catalog/items").json()["data"][0]["id"] == str(item.public_id)
    assert app_token.get("/categories").status_code == 200
    error_of(app_token.get("/items"), 403, "insufficient_scope")


def test_a_member_without_a_shop_is_told_so(buyer, make_token):
    error_of(Api(make_token(buyer, "items:read")).get("/items"), 403, "shop_required")


def test_categories_are_open_to_items_read_as_well(seller, shop, make_token, category_tree):
    tree = Api(make_token(seller, "items:read")).get("/categories").json()
    women = next(node for node in tree if node["slug"] == "women")
    assert "dresses" in [child["slug"] for child in women["children"]]
    assert women["commission_rate"] == "0.0500"
