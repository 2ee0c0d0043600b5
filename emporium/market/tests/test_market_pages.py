"""The market in the seller center, listings in the developer center, the operator's review, the
install/uninstall flow with its events, reviews, embedded pages and shop blocks."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from emporium.conftest import picture_bytes
from emporium.ecosystem.tests.helpers import pkce_pair
from emporium.events.models import Event
from emporium.market import installs, listings
from emporium.market.models import BlockPlacement, Listing, Review
from emporium.market.tests.conftest import fund, make_listing, plan


def test_the_market_has_a_useful_empty_state(seller_client):
    page = seller_client.get(reverse("market:browse"))
    assert page.status_code == 200
    assert "The market has no apps yet" in page.content.decode()


def test_only_approved_listings_are_in_the_market(seller_client, app, developer):
    listing = make_listing(app, approve=False)
    assert seller_client.get(reverse("market:app", args=[app.public_id])).status_code == 404
    assert "Shop Stats" not in seller_client.get(reverse("market:browse")).content.decode()
    listings.approve(listing)
    page = seller_client.get(reverse("market:app", args=[app.public_id])).content.decode()
    assert "Shop Stats" in page and "30.00 per 30 days" in page and "14-day free trial" in page


def test_browsing_by_category_and_search_with_pagination(seller_client, developer):
    from emporium.ecosystem.registration import register_app

    for n in range(14):
        made, _secret = register_app(
            developer, name=f"App {n}", redirect_uris=["https://a.example.com/cb"],
            scopes=["shop:read"],
        )  # fmt: skip
        make_listing(
            made, name=f"Tool {n:02}", scopes=["shop:read"],
            category="marketing" if n % 2 else "analytics",
            summary_en="Coupons galore" if n == 3 else "Useful",
        )  # fmt: skip
    first = seller_client.get(reverse("market:browse")).content.decode()
    assert first.count('class="market-card"') == 12 and "Page 1 of 2" in first
    second = seller_client.get(reverse("market:browse"), {"page": 2}).content.decode()
    assert second.count('class="market-card"') == 2
    marketing = seller_client.get(reverse("market:browse"), {"category": "marketing"})
    assert marketing.content.decode().count('class="market-card"') == 7
    found = seller_client.get(reverse("market:browse"), {"q": "coupons"}).content.decode()
    assert found.count('class="market-card"') == 1 and "Tool 03" in found
    none = seller_client.get(reverse("market:browse"), {"q": "zzz"}).content.decode()
    assert "No app matches" in none


# --- listings in the developer center ----------------------------------------------------------


def listing_form(**overrides) -> dict:
    data = {
        "name": "Shop Stats", "summary_en": "Visitors at a glance", "summary_zh": "",
        "description_en": "Page views.", "description_zh": "", "category": "analytics",
        "scopes": ["shop:read"], "install_url": "", "app_url": "https://stats.example.com/admin",
        "plan_0_name": "Free", "plan_0_kind": "free", "submit": "1",
    }  # fmt: skip
    return data | overrides


def test_a_developer_submits_a_listing_and_sees_the_rejection_reason(
    developer_client, app, admin_client
):
    url = reverse("market_dev:listing", args=[app.public_id])
    icon = picture_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = listing_form() | {"icon": SimpleUploadedFile("i.png", icon, "image/png")}
    assert developer_client.post(url, data).status_code == 302
    listing = Listing.objects.get(app=app)
    assert (listing.status, listing.icon_key != "") == ("pending", True)

    response = admin_client.post(
        reverse("admin:market_listing_changelist"),
        {"action": "reject", ACTION_CHECKBOX_NAME: [listing.pk]},
    )
    assert b"reason" in response.content  # the intermediate page asks for the reason
    admin_client.post(
        reverse("admin:market_listing_changelist"),
        {"action": "reject", ACTION_CHECKBOX_NAME: [listing.pk], "apply": "1",
         "reason": "Screenshots are missing."},
    )  # fmt: skip
    listing.refresh_from_db()
    assert (listing.status, listing.review_reason) == ("rejected", "Screenshots are missing.")
    page = developer_client.get(url).content.decode()
    assert "Screenshots are missing." in page

    admin_client.post(
        reverse("admin:market_listing_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [listing.pk]},
    )
    listing.refresh_from_db()
    assert listing.status == "approved"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"scopes": ["orders:write"]}, "scopes", "Select a valid choice"),
        ({"app_url": "http://stats.example.com/admin"}, "app_url", "must use https"),
        ({"plan_0_kind": "monthly", "plan_0_price": ""}, "plan_0_name", "Enter an amount"),
        ({"plan_0_kind": "usage", "plan_0_unit_price": "0.10"}, "plan_0_name", "Name the unit"),
        ({"plan_0_name": "", "plan_0_kind": ""}, None, "Offer at least one plan."),
        ({"block_0_name": "Best", "block_0_url": "javascript:alert(1)"}, "block_0_name", "https"),
    ],
)
def test_listing_form_errors_are_shown_and_nothing_is_saved(
    developer_client, app, overrides, field, words
):
    response = developer_client.post(
        reverse("market_dev:listing", args=[app.public_id]), listing_form(**overrides)
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    if field:
        assert response.context["form"].errors.get(field)
    assert not Listing.objects.exists()


def test_a_listing_may_only_ask_for_scopes_the_app_registered(app):
    from emporium.market.listings import ListingError

    with pytest.raises(ListingError) as refused:
        make_listing(app, scopes=["orders:write"])
    assert refused.value.field == "scopes" and "did not register" in str(refused.value)


def test_another_developers_app_has_no_listing_page(client, app):
    from emporium.conftest import make_member

    client.force_login(make_member("devon", is_developer=True))
    assert client.get(reverse("market_dev:listing", args=[app.public_id])).status_code == 404


def test_changing_a_used_plans_price_keeps_its_subscribers_terms(clock, app, listing, shop):
    sub = installs.install(shop, listing, plan(listing, "Basic"))
    from decimal import Decimal

    from emporium.market.listings import PlanSpec

    make_listing(app, plans=[PlanSpec("Basic", "monthly", Decimal("35.00"), trial_days=14)])
    sub.refresh_from_db()
    assert (sub.plan.price_amount, sub.plan.retired) == (Decimal("30.00"), True)
    assert [p.price_amount for p in listing.live_plans] == [Decimal("35.00")]


# --- install, consent, uninstall ---------------------------------------------------------------


def test_installing_shows_scopes_in_plain_words_then_starts_the_apps_authorization(
    clock, seller_client, listing, shop, app
):
    url = reverse("market:install", args=[app.public_id])
    page = seller_client.get(url).content.decode()
    assert "See your orders" in page and "Basic" in page
    response = seller_client.post(url, {"plan": plan(listing, "Basic").pk})
    assert response.status_code == 302
    assert response["Location"] == f"https://stats.example.com/install?shop={shop.public_id}"
    event = Event.objects.get(topic="app.installed")
    assert (event.app_id, event.shop_id) == (app.pk, shop.pk)
    listing.refresh_from_db()
    assert listing.install_count == 1


def test_an_app_authorizing_a_seller_who_installed_it_needs_no_second_consent(
    clock, seller_client, listing, shop, app
):
    _verifier, challenge = pkce_pair()
    authorize = reverse("oauth2_provider:authorize") + "?" + "&".join([
        "response_type=code", f"client_id={app.client_id}",
        "redirect_uri=https://stats.example.com/callback", "state=s1",
        f"code_challenge={challenge}", "code_challenge_method=S256",
        "scope=shop:read+orders:read",
    ])  # fmt: skip
    # Not installed yet: the authorization sends the seller to the market's install page.
    first = seller_client.get(authorize)
    assert first.status_code == 302 and first["Location"].startswith(
        reverse("market:install", args=[app.public_id])
    )
    next_url = parse_qs(urlsplit(first["Location"]).query)["next"][0]
    installed = seller_client.post(
        first["Location"], {"plan": plan(listing, "Basic").pk, "next": next_url}
    )
    assert installed["Location"] == next_url
    # Installed: the authorization completes at once, back to the app with a code.
    done = seller_client.get(next_url)
    assert done.status_code == 302
    assert done["Location"].startswith("https://stats.example.com/callback?code=")


def test_the_install_page_never_redirects_elsewhere(clock, seller_client, listing, app):
    url = reverse("market:install", args=[app.public_id]) + "?next=https://evil.example.com/"
    response = seller_client.post(url, {"plan": plan(listing, "Basic").pk})
    assert response["Location"].startswith("https://stats.example.com/install")


def test_uninstalling_asks_first_then_revokes_and_later_requests_erasure(
    clock, seller_client, listing, shop, app, app_api
):
    installs.install(shop, listing, plan(listing, "Basic"))
    url = reverse("market:uninstall", args=[app.public_id])
    assert "Uninstall Shop Stats?" in seller_client.get(url).content.decode()
    assert app_api.get("/shop").status_code == 200
    seller_client.post(url)
    assert app_api.get("/shop").status_code == 401
    assert Event.objects.filter(topic="app.uninstalled").count() == 1

    clock.advance(timedelta(hours=47))
    assert installs.request_erasures() == 0
    clock.advance(timedelta(hours=2))
    assert installs.request_erasures() == 1
    assert installs.request_erasures() == 0  # once per uninstall
    event = Event.objects.get(topic="app.erasure_requested")
    assert event.data["shop_id"] == str(shop.public_id)


# --- reviews -----------------------------------------------------------------------------------


def test_only_a_shop_that_installed_the_app_may_review_it(clock, seller_client, listing, app, shop):
    url = reverse("market:review", args=[app.public_id])
    response = seller_client.post(url, {"rating": 5, "body": "great"}, follow=True)
    assert "Only shops that have installed this app" in response.content.decode()
    assert not Review.objects.exists()
    installs.install(shop, listing, plan(listing, "Basic"))
    seller_client.post(url, {"rating": 4, "body": "good"})
    seller_client.post(url, {"rating": 5, "body": "better now"})  # one review, replaced
    listing.refresh_from_db()
    assert (listing.rating_count, listing.rating) == (1, 5)
    bad = seller_client.post(url, {"rating": 9}, follow=True)
    assert "Give 1 to 5 stars." in bad.content.decode()


# --- embedded pages and blocks -----------------------------------------------------------------


def test_the_embedded_page_gets_a_short_lived_token_signed_with_the_secret(
    clock, seller_client, listing, shop, seller, app, secret
):
    clock.set_time(None)  # PyJWT checks exp and nbf against real time
    installs.install(shop, listing, plan(listing, "Basic"))
    response = seller_client.get(reverse("market:open", args=[app.public_id]))
    src = response.context["src"]
    assert src.startswith("https://stats.example.com/admin?session=")
    token = parse_qs(urlsplit(src).query)["session"][0]
    claims = jwt.decode(token, secret, algorithms=["HS256"], audience=app.client_id)
    assert claims["dest"] == claims["shop"] == str(shop.public_id)
    assert claims["sub"] == str(seller.public_id)
    assert claims["iss"] == "http://testserver"
    assert 0 < claims["exp"] - claims["iat"] <= 60 and claims["nbf"] == claims["iat"]
    assert claims["jti"]
    assert "frame-src https://stats.example.com;" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-secret-" * 4, algorithms=["HS256"], audience=app.client_id)


def test_an_app_without_a_sealed_secret_must_rotate_to_embed(
    clock, seller_client, developer_client, listing, shop, app
):
    from emporium.ecosystem.models import App
    from emporium.ecosystem.registration import rotate_secret

    App.objects.filter(pk=app.pk).update(sealed_secret="")
    installs.install(shop, listing, plan(listing, "Basic"))
    page = seller_client.get(reverse("market:open", args=[app.public_id]))
    assert page.context["problem"] == "secret_not_sealed"
    assert "must rotate" in page.content.decode()
    dev_page = developer_client.get(reverse("market_dev:listing", args=[app.public_id]))
    assert "Rotate the secret once to embed it" in dev_page.content.decode()
    app.refresh_from_db()
    rotate_secret(app)
    assert seller_client.get(reverse("market:open", args=[app.public_id])).context["src"]


def test_blocks_are_placed_ordered_and_shown_sandboxed_on_the_shop_page(
    clock, seller_client, app, shop, client
):
    from emporium.market.listings import BlockSpec
    from emporium.market.tests.conftest import PLANS

    listing = make_listing(app, plans=PLANS, blocks=[
        BlockSpec("Bestsellers", "https://stats.example.com/blocks/best"),
        BlockSpec("Visitors", "https://cdn.stats.example.com/blocks/visitors"),
    ])  # fmt: skip
    blocks_url = reverse("market:blocks")
    best, visitors = listing.blocks.all()
    refused = seller_client.post(blocks_url, {"block": best.pk})
    assert refused.context["form"].errors  # not installed yet
    installs.install(shop, listing, plan(listing, "Basic"))
    seller_client.post(blocks_url, {"block": best.pk})
    seller_client.post(blocks_url, {"block": visitors.pk})
    second = BlockPlacement.objects.get(block=visitors)
    seller_client.post(reverse("market:block_change", args=[second.pk]), {"action": "up"})

    page = client.get(reverse("storefront:shop", args=[shop.slug]))
    html = page.content.decode()
    assert html.index("cdn.stats.example.com") < html.index("blocks/best")
    assert html.count('sandbox="allow-scripts"') == 2 and "allow-same-origin" not in html
    assert f"shop={shop.public_id}" in html
    policy = page["Content-Security-Policy"]
    assert "frame-src https://cdn.stats.example.com https://stats.example.com;" in policy

    seller_client.post(reverse("market:block_change", args=[second.pk]), {"action": "remove"})
    assert BlockPlacement.objects.count() == 1
    installs.uninstall(app, shop)
    assert not BlockPlacement.objects.exists()
    after = client.get(reverse("storefront:shop", args=[shop.slug]))
    assert "<iframe" not in after.content.decode()
    assert "frame-src 'none';" in after["Content-Security-Policy"]


def test_the_finance_page_lists_app_invoices(clock, seller_client, listing, shop, seller):
    fund(seller, "90.00")
    installs.install(shop, listing, plan(listing, "Pro"))
    page = seller_client.get(reverse("sellercenter:finance")).content.decode()
    assert "App charges" in page and "Pro, 30 days" in page


def test_the_earnings_page_shows_the_developers_share(
    clock, developer_client, listing, shop, seller, developer
):
    fund(seller, "90.00")
    installs.install(shop, listing, plan(listing, "Pro"))
    page = developer_client.get(reverse("market_dev:earnings"))
    assert page.context["balance"] == 72
    response = developer_client.post(
        reverse("market_dev:earnings"), {"amount": "100", "bank_account": "6222"}
    )
    assert "Your earnings are less than that." in response.content.decode()
    developer_client.post(reverse("market_dev:earnings"), {"amount": "72", "bank_account": "6222"})
    assert developer.app_payouts.get().amount == 72


def test_a_seller_can_change_plan_from_my_apps(clock, seller_client, listing, shop, app):
    installs.install(shop, listing, plan(listing, "Basic"))
    url = reverse("market:change_plan", args=[app.public_id])
    response = seller_client.post(url, {"plan": plan(listing, "Metered").pk})
    assert "Set a monthly spending limit" in response.content.decode()
    seller_client.post(url, {"plan": plan(listing, "Metered").pk, "usage_cap": "20"})
    assert shop.installations.get().subscription.plan.name == "Metered"


def test_pages_of_another_shops_installation_are_not_found(
    clock, listing, shop, app, other_shop, other_seller
):
    installs.install(shop, listing, plan(listing, "Basic"))
    client = Client()
    client.force_login(other_seller)
    for name in ("market:open", "market:change_plan", "market:uninstall"):
        assert client.get(reverse(name, args=[app.public_id])).status_code == 404
