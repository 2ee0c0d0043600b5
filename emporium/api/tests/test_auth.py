"""Bearer tokens and scopes: who may call what, and how a refusal reads."""

from oauth2_provider.models import get_access_token_model

from emporium.api.auth import load_token
from emporium.api.tests.conftest import Api, error_of
from emporium.ecosystem import installations
from emporium.shops.models import Shop


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


# The token's row (with its app, member, shop and the app's suspension) is read on every call:
# nothing about a caller is kept from one request to the next, so a revocation, an uninstall or
# a change to the shop shows on the very next call, whichever worker process answers it.


def test_a_token_in_use_is_refused_on_the_very_next_call_once_revoked(seller, shop, make_token):
    api = Api(make_token(seller))
    assert api.get("/shop").status_code == 200
    assert api.get("/shop").status_code == 200  # looked up, rate-limit lease taken
    get_access_token_model().objects.get(user=seller).revoke()
    error_of(api.get("/shop"), 401, "invalid_token")


def test_uninstalling_the_app_refuses_its_token_on_the_very_next_call(
    seller, shop, app, make_token
):
    installations.installed(app, shop, ["shop:read"])
    api = Api(make_token(seller))
    assert api.get("/shop").status_code == 200
    installations.uninstall(app, shop)
    error_of(api.get("/shop"), 401, "invalid_token")


def test_a_change_to_the_shop_shows_on_the_very_next_call(seller, shop, make_token):
    api = Api(make_token(seller))
    assert api.get("/shop").json()["name"] == "Mei's Closet"
    Shop.objects.filter(pk=shop.pk).update(name="Mei's Attic")
    assert api.get("/shop").json()["name"] == "Mei's Attic"


def test_the_lookup_builds_what_the_orm_would(seller, shop, app, make_token):
    raw = make_token(seller, "shop:read items:read")
    token = load_token(raw)
    orm = get_access_token_model().objects.select_related("application", "user", "user__shop")
    expected = orm.get(pk=token.pk)
    assert token.application == expected.application and token.user == expected.user
    for model_a, model_b in (
        (token, expected),
        (token.application, expected.application),
        (token.user, expected.user),
        (token.user.shop, expected.user.shop),
    ):
        for field in type(model_a)._meta.concrete_fields:
            assert getattr(model_a, field.attname) == getattr(model_b, field.attname), field
    assert token.app_suspended is False
    assert load_token("made-up") is None


def test_an_app_level_token_has_no_member_and_no_shop(make_token):
    token = load_token(make_token(None, "catalog:read"))
    assert token.user is None and token.app_suspended is False
