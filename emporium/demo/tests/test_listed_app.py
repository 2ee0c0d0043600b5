"""A demo app is registered, listed, subscribed and installed once; a re-run reuses all of it."""

from emporium.demo import books_app, decor_app, tv_app
from emporium.events.models import WebhookEndpoint
from emporium.market.installs import active_installation
from emporium.market.models import Listing


def test_a_demo_app_is_listed_approved_and_a_rerun_reuses_it(developer, shop, other_shop):
    first = decor_app.register_decor_app("http://127.0.0.1:8300")
    again = decor_app.register_decor_app("http://127.0.0.1:8300")
    assert again == first
    env = first.env("http://platform", "http://decor")
    assert env["DECOR_CLIENT_ID"] == first.client_id and env["DECOR_PUBLIC_URL"] == "http://decor"
    listing = Listing.objects.get(name=decor_app.APP_NAME)
    assert listing.status == Listing.Status.APPROVED
    assert sorted(p.name for p in listing.plans.all()) == ["Free", "Pro"]
    (hook,) = WebhookEndpoint.objects.filter(app=listing.app)
    assert hook.url == "http://127.0.0.1:8300/webhooks" and set(decor_app.TOPICS) <= set(
        hook.topics
    )
    assert listing.app.tier == listing.app.Tier.STANDARD

    shops = decor_app.market_installs()
    assert decor_app.market_installs() == shops == [shop, other_shop]
    installed = active_installation(listing.app, shop)
    assert installed is not None and installed.subscription.plan.name == "Pro"


def test_a_rerun_adds_what_a_newer_app_asks_for(developer, shop):
    books_app.register_books_app("http://127.0.0.1:8600")
    hook = WebhookEndpoint.objects.get(url="http://127.0.0.1:8600/webhooks")
    hook.topics = ["order.paid"]  # as an older version of the demo subscribed it
    hook.save(update_fields=["topics"])
    books_app.register_books_app("http://127.0.0.1:8600")
    hook.refresh_from_db()
    assert set(books_app.TOPICS) <= set(hook.topics)
    app = Listing.objects.get(name=books_app.APP_NAME).app
    assert set(books_app.BUYER_SCOPES) <= set(app.scope_list)


def test_a_buyer_app_comes_back_to_its_own_page(developer):
    credentials = tv_app.register_tv_app("http://127.0.0.1:8500")
    app = Listing.objects.get(name=tv_app.APP_NAME).app
    assert app.client_id == credentials.client_id
    assert "http://127.0.0.1:8500/" in app.redirect_uris.split()
