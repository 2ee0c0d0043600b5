"""A seller opens the stats app inside the seller center; its charts render after traffic."""

import pytest
from django.urls import reverse
from stats_live import browse

from emporium.conftest import PASSWORD
from emporium.fixtures import wait_until_taller

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_the_embedded_dashboard_renders_its_charts_after_demo_traffic(
    page, stats, live_server, shop, seller, item, make_item
):
    others = [make_item(shop, title=f"Silk scarf {n}") for n in range(3)]
    browse(live_server, shop, [item, *others], visits=30)
    stats.deliver()

    page.goto(reverse("members:login") + "?next=" + reverse("market:installed"))
    page.get_by_label("Username").fill(seller.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Open").first.click()

    app = page.frame_locator("[data-testid=embedded-app]")
    # Overview: the figures and the daily chart (ECharts draws on a canvas).
    assert app.locator("[data-kpi=page_views] dd").inner_text() != "0"
    app.locator("[data-chart=overview-daily] canvas").first.wait_for()
    # The other views draw too: items, regions (with the China map) and trends.
    for view, chart in [
        ("items", "most-viewed"),
        ("regions", "region-map"),
        ("trends", "trend-daily"),
    ]:
        app.locator(f"[role=tab][data-view={view}]").click()
        app.locator(f"[data-chart={chart}] canvas").first.wait_for()
    items_table = app.locator("#panel-items [data-table=items]").inner_text()
    assert item.title in items_table or others[0].title in items_table
    assert app.locator("#panel-regions [data-table=provinces] tbody tr").count() >= 1


def test_the_embedded_dashboard_takes_the_height_of_its_page(page, stats, seller):
    page.goto(reverse("members:login") + "?next=" + reverse("market:installed"))
    page.get_by_label("Username").fill(seller.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Open").first.click()

    app = page.frame_locator("[data-testid=embedded-app]")
    # Click a tab once the dashboard has drawn its first view, as its user would; under the
    # whole suite's load the trends table once took over the default 10 s to show.
    app.locator("[data-chart=overview-daily] canvas").first.wait_for(timeout=30_000)
    app.locator("[role=tab][data-view=trends]").click()
    app.locator("#panel-trends [data-table=daily]").wait_for(timeout=30_000)
    # Two 320 px charts and two tables: far longer than the frame's default height.
    wait_until_taller(page, "[data-testid=embedded-app]", 900)
    framed = page.get_by_test_id("embedded-app").bounding_box()["height"]
    assert abs(framed - app.locator("html").bounding_box()["height"]) <= 4  # its border
