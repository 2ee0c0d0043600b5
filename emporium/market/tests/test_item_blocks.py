"""Item-page app blocks: review before anything goes live, the seller's choice of items, the signed
context and its refusals, the item page's frames and CSP, and blocks vanishing at once."""

import jwt
import pytest
from django.http import HttpResponse
from django.urls import reverse
from emporium_sdk import BlockContextError, verify_block_context

from emporium.market import billing, embedding, installs, item_blocks, listings
from emporium.market.listings import BlockSpec
from emporium.market.models import Block, BlockPlacement, ItemBlockPlacement, Subscription
from emporium.market.tests.conftest import PLANS, START, make_listing, plan

NOW = START.timestamp()  # the frozen clock of the market tests

ZOOM = BlockSpec("Zoom", "https://zoom.example.com/block", Block.Placement.GALLERY, fullscreen=True)
FIT = BlockSpec("Fit", "https://fit.example.com/block", Block.Placement.BUY_BOX)
NOTES = BlockSpec("Notes", "https://stats.example.com/notes", Block.Placement.DESCRIPTION)
SHOP_BLOCK = BlockSpec("Bestsellers", "https://stats.example.com/blocks/best")


@pytest.fixture
def blocky(app):
    """Dana's listing with a shop-page block and three item-page blocks, approved."""
    return make_listing(app, blocks=[SHOP_BLOCK, ZOOM, FIT, NOTES])


@pytest.fixture
def installed(clock, blocky, shop):
    installs.install(shop, blocky, plan(blocky, "Basic"))
    return blocky


def block(listing, name: str) -> Block:
    return listing.blocks.get(name=name)


def item_page(client, item):
    return client.get(reverse("storefront:item", args=[item.public_id]))


def contexts(response) -> list[dict]:
    """The claims of each block's context on the page, unverified (the tests verify separately)."""
    html = response.content.decode()
    tokens = [part.split('"')[0].split("&")[0] for part in html.split("context=")[1:]]
    return [jwt.decode(t, options={"verify_signature": False}) for t in tokens]


# --- review: nothing unreviewed reaches a shop (issue 22, hole 5) -------------------------------


def test_an_edited_listing_keeps_its_reviewed_block_and_app_urls_until_approved(
    clock, app, secret, listing, shop, seller, client
):
    installs.install(shop, listing, plan(listing, "Basic"))
    best = listing.blocks.get()
    BlockPlacement.objects.create(shop=shop, block=best)
    listings.save_listing(
        app, name="Shop Stats", summary_en="Stats", description_en="Stats.",
        category="analytics", scopes=["shop:read"], plans=PLANS, submit=True,
        app_url="https://evil.example.net/admin",
        blocks=[BlockSpec("Bestsellers", "https://evil.example.net/block")],
    )  # fmt: skip
    listing.refresh_from_db()
    assert listing.status == listing.Status.PENDING
    page = client.get(reverse("storefront:shop", args=[shop.slug])).content.decode()
    assert "https://stats.example.com/blocks/best" in page and "evil.example.net" not in page
    src = embedding.embed_url(listing, shop, seller, "https://emporium.example")
    assert src.startswith("https://stats.example.com/admin?")

    listings.approve(listing)
    listing.refresh_from_db()
    page = client.get(reverse("storefront:shop", args=[shop.slug])).content.decode()
    assert "https://evil.example.net/block" in page
    assert embedding.embed_url(listing, shop, seller, "x").startswith("https://evil.example.net/")


def test_a_block_added_by_an_edit_cannot_be_placed_before_review(clock, app, listing, shop):
    installs.install(shop, listing, plan(listing, "Basic"))
    listings.save_listing(
        app, name="Shop Stats", summary_en="Stats", description_en="Stats.",
        category="analytics", scopes=["shop:read"], plans=PLANS, submit=True,
        blocks=[SHOP_BLOCK, ZOOM],
    )  # fmt: skip
    assert not item_blocks.item_page_blocks(shop).exists()
    with pytest.raises(billing.BillingError):
        item_blocks.turn_on(shop, block(listing, "Zoom").pk, all_items=True)


def test_a_block_must_say_where_it_goes(app):
    with pytest.raises(listings.ListingError, match="where"):
        make_listing(app, blocks=[BlockSpec("Zoom", "https://zoom.example.com/b", "header")])


# --- the seller's choice -------------------------------------------------------------------------


def test_blocks_show_on_all_items_or_only_the_chosen_ones(installed, shop, make_item, client):
    first, second = make_item(shop, title="First"), make_item(shop, title="Second")
    item_blocks.turn_on(shop, block(installed, "Zoom").pk, all_items=True)
    item_blocks.turn_on(shop, block(installed, "Fit").pk, all_items=False, add=[second.pk])
    on_first, on_second = item_page(client, first), item_page(client, second)
    assert on_first.content.decode().count('data-testid="item-block"') == 1
    assert on_second.content.decode().count('data-testid="item-block"') == 2
    html = on_second.content.decode()
    assert html.index("zoom.example.com") < html.index('data-testid="item-blocks-buybox"')
    assert 'data-testid="item-blocks-gallery"' in html


def test_a_seller_cannot_choose_another_shops_item_or_nothing(
    installed, shop, other_shop, make_item
):
    theirs = make_item(other_shop, title="Phone")
    zoom = block(installed, "Zoom")
    with pytest.raises(billing.BillingError, match="own shop"):
        item_blocks.turn_on(shop, zoom.pk, all_items=False, add=[theirs.pk])
    with pytest.raises(billing.BillingError, match="at least one"):
        item_blocks.turn_on(shop, zoom.pk, all_items=False)
    assert not ItemBlockPlacement.objects.exists()  # nothing half-written


def test_a_shop_page_block_is_not_an_item_page_block(installed, shop):
    with pytest.raises(billing.BillingError):
        item_blocks.turn_on(shop, block(installed, "Bestsellers").pk, all_items=True)


# --- the page: sandbox, full screen, CSP, context ------------------------------------------------


def test_each_block_is_sandboxed_and_only_a_reviewed_request_goes_full_screen(
    installed, shop, item, client
):
    for name in ("Zoom", "Fit"):
        item_blocks.turn_on(shop, block(installed, name).pk, all_items=True)
    html = item_page(client, item).content.decode()
    frames = [part.split(">")[0] for part in html.split("<iframe")[1:]]
    assert all('sandbox="allow-scripts"' in frame for frame in frames)
    assert not any("allow-same-origin" in frame for frame in frames)
    assert ['allow="fullscreen"' in frame for frame in frames] == [True, False]

    listings.approve(installed, allow_fullscreen=False)
    html = item_page(client, item).content.decode()
    assert 'allow="fullscreen"' not in html


def test_the_item_page_csp_names_only_the_block_origins(installed, shop, item, make_item, client):
    bare = make_item(shop, title="No blocks here")
    item_blocks.turn_on(shop, block(installed, "Zoom").pk, all_items=False, add=[item.pk])
    item_blocks.turn_on(shop, block(installed, "Fit").pk, all_items=False, add=[item.pk])
    policy = item_page(client, item)["Content-Security-Policy"]
    assert "frame-src https://fit.example.com https://zoom.example.com;" in policy
    assert "stats.example.com" not in policy
    assert "frame-src 'none'" in item_page(client, bare)["Content-Security-Policy"]


def test_frame_src_replaces_that_of_a_site_wide_policy_and_keeps_the_rest():
    response = HttpResponse()
    response["Content-Security-Policy"] = "default-src 'self'; frame-src 'none'; img-src *"
    item_blocks.set_frame_src(response, ["https://b.example", "https://a.example"])
    assert response["Content-Security-Policy"] == (
        "frame-src https://a.example https://b.example; default-src 'self'; img-src *"
    )


def test_the_context_is_signed_for_the_app_and_names_shop_item_sku_and_locale(
    installed, app, secret, shop, item, client
):
    item_blocks.turn_on(shop, block(installed, "Zoom").pk, all_items=True)
    response = client.get(
        reverse("storefront:item", args=[item.public_id]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    token = response.content.decode().split("context=")[1].split('"')[0]
    context = verify_block_context(
        token, client_id=app.client_id, client_secret=secret, issuer="http://testserver", now=NOW
    )
    preselected = item.skus.order_by("pk").first()
    assert (context.shop_id, context.item_id) == (str(shop.public_id), str(item.public_id))
    assert (context.sku_id, context.locale, context.placement) == (
        preselected.pk,
        "zh-hans",
        "gallery",
    )
    assert context.buyer_id is None and "buyer" not in context.claims
    assert context.exp - context.claims["iat"] == 300
    with pytest.raises(BlockContextError, match="aud"):
        verify_block_context(token, client_id="another-app", client_secret=secret, now=NOW)
    # Public in the page, it can never open the app's admin page as a session token would.
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, secret, algorithms=["HS256"], audience=app.client_id,
                   options={"verify_iat": False, "verify_nbf": False, "verify_exp": False})  # fmt: skip


def test_a_buyer_id_goes_into_the_context_only_when_the_caller_gives_one(installed, shop, item):
    item_blocks.turn_on(shop, block(installed, "Zoom").pk, all_items=True)
    (zoom,) = item_blocks.shown_on(item)
    viewer = item_blocks.Viewer(issuer="https://e.example", locale="en")
    plain = jwt.decode(
        item_blocks.block_context(zoom, "k" * 32, item, None, viewer, None),
        "k" * 32, algorithms=["HS256"], audience=f"{zoom.app.client_id}/block",
        options={"verify_iat": False, "verify_nbf": False, "verify_exp": False},
    )  # fmt: skip
    assert "buyer" not in plain
    granted = jwt.decode(
        item_blocks.block_context(zoom, "k" * 32, item, None, viewer, "b-123"),
        "k" * 32, algorithms=["HS256"], audience=f"{zoom.app.client_id}/block",
        options={"verify_iat": False, "verify_nbf": False, "verify_exp": False},
    )  # fmt: skip
    assert granted["buyer"] == "b-123"


def test_the_item_page_names_the_buyer_only_to_the_apps_the_buyer_authorized(
    installed, app, shop, item, buyer, client
):
    from emporium.ecosystem import buyer_grants

    item_blocks.turn_on(shop, block(installed, "Zoom").pk, all_items=True)
    client.force_login(buyer)
    assert all("buyer" not in claims for claims in contexts(item_page(client, item)))
    grant = buyer_grants.consent(buyer, app, ["buyer:profile"])
    assert {claims.get("buyer") for claims in contexts(item_page(client, item))} == {grant.buyer_id}
    buyer_grants.revoke(buyer, app)
    assert all("buyer" not in claims for claims in contexts(item_page(client, item)))
    client.logout()
    assert all("buyer" not in claims for claims in contexts(item_page(client, item)))


def test_another_sku_gets_a_fresh_context(installed, app, secret, shop, item, client):
    row = item_blocks.turn_on(shop, block(installed, "Zoom").pk, all_items=True)
    blue_m = item.skus.order_by("pk").last()
    url = reverse("storefront:item_block_context", args=[item.public_id, row.pk])
    answer = client.get(url, {"sku": blue_m.pk})
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    context = verify_block_context(
        answer.json()["context"], client_id=app.client_id, client_secret=secret, now=NOW
    )
    assert (context.sku_id, context.item_id) == (blue_m.pk, str(item.public_id))


def test_a_block_asking_for_a_context_it_was_not_granted_is_refused(
    installed, shop, item, make_item, client
):
    elsewhere = make_item(shop, title="Another item")
    chosen = item_blocks.turn_on(shop, block(installed, "Fit").pk, all_items=False, add=[item.pk])
    everywhere = item_blocks.turn_on(shop, block(installed, "Zoom").pk, all_items=True)

    def ask(on, placement, **query):
        url = reverse("storefront:item_block_context", args=[on.public_id, placement.pk])
        return client.get(url, query)

    not_here = ask(elsewhere, chosen)
    assert not_here.status_code == 404
    assert not_here.json()["error"]["code"] == "block_not_here"
    other_sku = ask(item, everywhere, sku=elsewhere.skus.get().pk)
    assert (other_sku.status_code, other_sku.json()["error"]["code"]) == (422, "sku_not_of_item")
    assert ask(item, everywhere, sku="1 OR 1=1").status_code == 422
    installs.uninstall(installed.app, shop)
    assert ask(item, everywhere).status_code == 404


# --- blocks vanish at once -----------------------------------------------------------------------


@pytest.mark.parametrize("how", ["uninstall", "suspend", "take_down"])
def test_a_block_disappears_at_once(how, installed, shop, item, client):
    item_blocks.turn_on(shop, block(installed, "Zoom").pk, all_items=True)
    assert 'data-testid="item-block"' in item_page(client, item).content.decode()
    if how == "uninstall":
        installs.uninstall(installed.app, shop)
    elif how == "suspend":
        Subscription.objects.filter(installation__shop=shop).update(
            status=Subscription.Status.SUSPENDED
        )
    else:
        listings.take_down(installed)
    response = item_page(client, item)
    assert 'data-testid="item-block"' not in response.content.decode()
    assert "frame-src 'none'" in response["Content-Security-Policy"]


# --- the seller center ---------------------------------------------------------------------------


def test_item_page_blocks_page_has_an_empty_state(seller_client):
    response = seller_client.get(reverse("market:item_blocks"))
    assert 'data-testid="empty-state"' in response.content.decode()


def test_a_seller_turns_a_block_on_for_chosen_items_then_off_after_confirming(
    installed, seller_client, shop, make_item
):
    first, second = make_item(shop, title="First"), make_item(shop, title="Second")
    zoom = block(installed, "Zoom")
    setup = reverse("market:item_block_setup", args=[zoom.pk])
    refused = seller_client.post(setup, {"scope": "chosen", "shown": [first.pk, second.pk]})
    assert "Choose at least one item" in refused.content.decode()
    seller_client.post(
        setup, {"scope": "chosen", "items": [second.pk], "shown": [first.pk, second.pk]}
    )
    row = ItemBlockPlacement.objects.get(shop=shop)
    assert (row.all_items, list(row.items.all())) == (False, [second])
    listing_page = seller_client.get(reverse("market:item_blocks")).content.decode()
    assert "1 chosen item" in listing_page

    off = reverse("market:item_block_off", args=[row.pk])
    confirm = seller_client.get(off)
    assert "Take Zoom off your item pages?" in confirm.content.decode()
    assert ItemBlockPlacement.objects.exists()  # asking changes nothing
    seller_client.post(off)
    assert not ItemBlockPlacement.objects.exists()


def test_another_shops_placement_cannot_be_turned_off(installed, shop, other_shop, other_seller):
    from django.test import Client

    row = item_blocks.turn_on(shop, block(installed, "Zoom").pk, all_items=True)
    intruder = Client()
    intruder.force_login(other_seller)
    assert intruder.post(reverse("market:item_block_off", args=[row.pk])).status_code == 404
    assert ItemBlockPlacement.objects.filter(pk=row.pk).exists()


def test_the_embedded_page_gets_the_sellers_time_zone(clock, listing, shop, seller):
    installs.install(shop, listing, plan(listing, "Basic"))
    seller.timezone = "Europe/Paris"
    src = embedding.embed_url(listing, shop, seller, "https://e.example", locale="zh-hans")
    assert "locale=zh-hans" in src and "tz=Europe%2FParis" in src
