"""Helpers of the stats app's live tests: visitors on the real collector, the dashboard's JSON."""

import json
import random
from collections import Counter

import httpx

from emporium.customer_events.models import CustomerEvent
from emporium.demo.traffic import AGENTS, ShopTraffic, visit

ADDRESSES = ["36.110.0.1", "114.80.0.1", "183.60.0.1", "60.190.0.1"]  # public, in China


def browse(live_server, shop, items, visits: int, seed: int = 3) -> None:
    """Visitors on the real collector, over HTTP, as collect.js sends them."""
    rng = random.Random(seed)
    plan = ShopTraffic(shop, list(items), [], visits)
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        for _ in range(visits):
            headers = {"content-type": "text/plain", "user-agent": rng.choice(AGENTS),
                       "x-forwarded-for": rng.choice(ADDRESSES), "origin": live_server.url}  # fmt: skip
            for _offset, events in visit(rng, plan):  # page after page, as a browser sends them
                answer = http.post(
                    "/collect", content=json.dumps({"events": events}), headers=headers
                )
                assert answer.status_code == 204


def dashboard(stats, view: str, viewer_shop, **params) -> dict:
    """A view's JSON as the dashboard of `viewer_shop`'s seller fetches it."""
    from emporium_stats import viewer

    view_pass = viewer.issue_pass(str(viewer_shop.public_id), stats.state.config.client_secret)
    answer = httpx.get(f"{stats.server.url}/data/{view}", params=params,
                       headers={"x-view-pass": view_pass}, timeout=30)  # fmt: skip
    assert answer.status_code == 200, answer.text
    return answer.json()


def truth(shop) -> dict:
    """The figures computed independently, from the platform's own rows of the collector."""
    rows = list(CustomerEvent.objects.filter(shop=shop))
    views = [r for r in rows if r.name == "page_viewed"]
    return {
        "page_views": len(views),
        "visitors": len({r.visitor_id for r in views}),
        "item_views": Counter(
            r.data["page"]["item_id"] for r in views if r.data["page"].get("item_id")
        ),
        "provinces": Counter(r.province for r in views),
    }
