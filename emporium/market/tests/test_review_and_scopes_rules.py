"""Smaller trust rules of the market and OAuth (issue 22, hole 10): no self-review, no scope for free."""

import pytest

from emporium.ecosystem.models import App
from emporium.ecosystem.oauth import allowed_scopes
from emporium.market import installs, listings, reviews
from emporium.market.billing import BillingError
from emporium.market.models import Review
from emporium.shops.services import open_shop

from .conftest import SCOPES, plan


def test_a_developer_cannot_review_their_own_app(clock, listing, developer, shop):
    own_shop = open_shop(developer, name="Dana's test shop")
    installs.install(own_shop, listing, plan(listing, "Basic"))
    with pytest.raises(BillingError) as refused:
        reviews.review_app(own_shop, listing, 5, "Best app ever")
    assert (refused.value.code, refused.value.status) == ("own_app", 403)
    installs.install(shop, listing, plan(listing, "Basic"))
    reviews.review_app(shop, listing, 4, "Useful")  # another seller's shop may
    listing.refresh_from_db()
    assert Review.objects.count() == 1 and (listing.rating_count, listing.rating) == (1, 4)


def test_an_app_that_registered_no_scope_may_ask_for_none(developer):
    # The developer center refuses an app without scopes; the admin (or a script) can make one.
    bare = App.objects.create(
        name="Bare", user=developer, client_type=App.CLIENT_CONFIDENTIAL,
        authorization_grant_type=App.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://bare.example.com/cb",
    )  # fmt: skip
    assert allowed_scopes(bare) == set()
    with pytest.raises(listings.ListingError):
        listings.check_listing_scopes(bare, SCOPES)
