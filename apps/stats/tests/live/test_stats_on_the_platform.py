"""The stats app end to end: storefront visits → collector → batched webhook → dashboard figures,
catching up through the feed after downtime, opened embedded with a verified session token."""

from datetime import timedelta

import httpx
import pytest
from stats_live import browse, dashboard, truth

from emporium.events.models import Delivery
from emporium.lib import clock
from emporium.market.embedding import embed_url
from emporium.trade import orders as trading

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_visits_reach_the_dashboard_by_webhook_and_the_figures_match(
    stats, live_server, shop, item, make_item
):
    others = [make_item(shop, title=f"Linen shirt {n}") for n in range(4)]
    browse(live_server, shop, [item, *others], visits=40)
    stats.deliver()
    expected = truth(shop)
    assert expected["page_views"] > 40
    overview = dashboard(stats, "overview", shop)["current"]
    assert overview["page_views"] == expected["page_views"]
    assert overview["visitors"] == expected["visitors"]
    items = dashboard(stats, "items", shop)["items"]
    assert {r["title"]: r["views"] for r in items} == {
        i.title: expected["item_views"][str(i.public_id)]
        for i in [item, *others]
        if expected["item_views"][str(i.public_id)]
    }
    provinces = dashboard(stats, "regions", shop)["provinces"]
    assert sum(r["page_views"] for r in provinces) == expected["page_views"]
    assert {r["province"] for r in provinces} <= {p or "?" for p in expected["provinces"]}
    realtime = dashboard(stats, "realtime", shop)
    assert realtime["counts"]["online_now"] == expected["visitors"]
    assert realtime["feed"]


def test_after_downtime_the_feed_fills_the_gap_and_nothing_counts_twice(
    stats, live_server, shop, item, funded_buyer, address
):
    stats.server.stop()
    browse(live_server, shop, [item], visits=15, seed=5)
    [order] = trading.checkout(funded_buyer, address, [(item.skus.first(), 2)])
    trading.pay(funded_buyer, [order])
    stats.deliver()  # the app is down: the deliveries fail and wait for their retry
    assert Delivery.objects.filter(endpoint=stats.hook, status="pending", attempts=1).exists()
    stats.server.start()
    handled = stats.state.ingest.catch_up(str(shop.public_id))
    assert handled >= 3  # the batch, order.created, order.paid (and what came before)
    expected = truth(shop)
    overview = dashboard(stats, "overview", shop)["current"]
    assert overview["page_views"] == expected["page_views"]
    assert overview["orders"] == 1 and overview["sales"] == f"{order.total_amount:.2f}"
    # The retries arrive later: the same events, which must not count again.
    clock.set_time(clock.now() + timedelta(seconds=6))
    try:
        stats.deliver()
    finally:
        clock.set_time(None)
    assert not Delivery.objects.filter(endpoint=stats.hook).exclude(status="delivered").exists()
    again = dashboard(stats, "overview", shop)["current"]
    assert again == overview


def test_the_embedded_page_opens_with_a_session_token_and_refuses_without(
    stats, live_server, shop, seller
):
    url = embed_url(stats.listing, shop, seller, issuer=live_server.url)
    page = httpx.get(url, timeout=30)
    assert page.status_code == 200 and 'id="panels"' in page.text
    forged = url.replace("session=", "session=eyJhbGciOiJIUzI1NiJ9.e30.bad", 1)
    assert httpx.get(forged, timeout=30).status_code == 401
    chinese = embed_url(stats.listing, shop, seller, issuer=live_server.url, locale="zh-hans")
    assert "店铺统计" in httpx.get(chinese, timeout=30).text  # the seller center's language
    assert httpx.get(f"{stats.server.url}/data/overview", timeout=30).status_code == 401


def test_every_table_exports_as_csv(stats, live_server, shop, item):
    from emporium_stats import dashboard as views
    from emporium_stats import viewer

    browse(live_server, shop, [item], visits=5)
    stats.deliver()
    view_pass = viewer.issue_pass(str(shop.public_id), stats.state.config.client_secret)
    for name in views.TABLES:
        answer = httpx.get(f"{stats.server.url}/export/{name}.csv", params={"pass": view_pass},
                           timeout=30)  # fmt: skip
        assert answer.status_code == 200, (name, answer.text)
        assert answer.headers["content-type"].startswith("text/csv")
    items = httpx.get(f"{stats.server.url}/export/items.csv", params={"pass": view_pass}).text
    assert item.title in items


def test_an_erasure_request_deletes_the_shops_data(stats, live_server, shop, item):
    browse(live_server, shop, [item], visits=5)
    stats.deliver()
    assert dashboard(stats, "overview", shop)["current"]["page_views"] > 0
    stats.state.ingest.handle(
        {"type": "app.erasure_requested", "shop_id": str(shop.public_id), "data": {}}
    )
    assert stats.state.registry.shop(str(shop.public_id)) is None
    from emporium_stats import store as q

    today = clock.now().date()
    found = q.overview(stats.state.store, [str(shop.public_id)], today - timedelta(days=2),
                       today + timedelta(days=2))  # fmt: skip
    assert found["current"]["page_views"] == 0


def test_the_mall_edition_spans_a_brands_shops(stats, live_server, shop, other_shop, make_item):
    from emporium_stats import viewer

    from emporium.market import installs

    mine, theirs = make_item(shop, title="Linen dress"), make_item(other_shop, title="Phone case")
    installs.uninstall(stats.app, shop)
    stats.install(shop, "Mall")
    stats.install(other_shop, "Mall")
    browse(live_server, shop, [mine], visits=8, seed=11)
    browse(live_server, other_shop, [theirs], visits=5, seed=12)
    stats.deliver()
    secret = stats.state.config.client_secret
    my_pass = viewer.issue_pass(str(shop.public_id), secret)
    their_pass = viewer.issue_pass(str(other_shop.public_id), secret)
    made = httpx.post(f"{stats.server.url}/brand", data={"pass": my_pass, "name": "Mei & Otto"})
    assert made.status_code == 200, made.text
    code = made.json()["code"]
    joined = httpx.post(f"{stats.server.url}/brand", data={"pass": their_pass, "code": code})
    assert {s["name"] for s in joined.json()["shops"]} == {shop.name, other_shop.name}
    # A shop's own figures come first (issue 23); the whole brand is "all shops".
    own = dashboard(stats, "overview", shop)["current"]["page_views"]
    assert own == truth(shop)["page_views"]
    both = dashboard(stats, "overview", shop, shop="all")["current"]["page_views"]
    assert both == truth(shop)["page_views"] + truth(other_shop)["page_views"]
    only_theirs = dashboard(stats, "overview", shop, shop=str(other_shop.public_id))
    assert only_theirs["current"]["page_views"] == truth(other_shop)["page_views"]
    per_shop = {
        r["shop_id"]: r["page_views"]
        for r in dashboard(stats, "overview", shop, shop="all")["per_shop"]
    }
    assert per_shop == {str(shop.public_id): truth(shop)["page_views"],
                        str(other_shop.public_id): truth(other_shop)["page_views"]}  # fmt: skip


def test_the_free_plan_has_no_brand_and_a_stranger_cannot_peek(stats, shop, other_shop):
    from emporium_stats import viewer

    secret = stats.state.config.client_secret
    refused = httpx.post(f"{stats.server.url}/brand",
                         data={"pass": viewer.issue_pass(str(shop.public_id), secret), "name": "x"})  # fmt: skip
    assert refused.status_code == 403
    mine = viewer.issue_pass(str(shop.public_id), secret)
    peek = httpx.get(f"{stats.server.url}/data/overview", params={"shop": str(other_shop.public_id)},
                     headers={"x-view-pass": mine})  # fmt: skip
    assert peek.status_code == 422


def test_a_forged_callback_or_webhook_is_refused_and_changes_nothing(stats, shop):
    before = [s.shop_id for s in stats.state.registry.shops()]
    callback = httpx.get(f"{stats.server.url}/oauth/callback",
                         params={"state": "never-issued", "code": "x"}, timeout=30)  # fmt: skip
    assert callback.status_code == 400 and "start the installation again" in callback.text
    body = b'{"id":"evt_1","type":"app.erasure_requested","version":1,"data":{}}'
    forged = httpx.post(f"{stats.server.url}/webhooks", content=body, timeout=30, headers={
        "webhook-id": "evt_1", "webhook-timestamp": "1", "webhook-signature": "v1,bad"})  # fmt: skip
    assert forged.status_code == 400 and forged.text.startswith("refused")
    assert [s.shop_id for s in stats.state.registry.shops()] == before
