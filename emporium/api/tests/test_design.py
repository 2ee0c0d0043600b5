"""The design over the API: draft, preview, publish, versions, rollback, schedules and scopes."""

import pytest

from emporium.api.tests.conftest import Api, error_of
from emporium.design.models import DesignVersion
from emporium.ecosystem.installations import installed
from emporium.events.models import Event

BANNER = {"type": "banner", "settings": {"heading": "Summer sale", "height": "large"}}


def test_the_draft_round_trips_with_defaults(seller_api):
    assert seller_api.get("/design/draft").json() == {
        "sections": [], "updated_at": None, "live_version": None,
    }  # fmt: skip
    response = seller_api.put("/design/draft", {"sections": [dict(BANNER, id="hero")]})
    assert response.status_code == 200, response.content
    (section,) = response.json()["sections"]
    assert section["id"] == "hero"
    assert section["settings"]["text_colour"] == "#ffffff"
    assert seller_api.get("/design/draft").json()["sections"] == [section]


def test_a_bad_setting_is_named_in_the_envelope(seller_api):
    body = {"sections": [BANNER, {"type": "item_grid", "settings": {"columns": 12}}]}
    error = error_of(seller_api.put("/design/draft", body), 422, "validation_error")
    assert error["field"] == "sections.1.settings.columns"
    assert "Section 2 (Item grid)" in error["message"]


def test_the_limits_are_in_the_openapi_document_and_enforced(seller_api):
    document = seller_api.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert schemas["DesignIn"]["properties"]["sections"]["maxItems"] == 25
    assert schemas["SectionIn"]["properties"]["blocks"]["maxItems"] == 50
    error = error_of(
        seller_api.put("/design/draft", {"sections": [BANNER] * 26}), 422, "validation_error"
    )
    assert error["field"].startswith("sections")


def test_an_external_picture_in_custom_html_is_refused_with_a_clear_message(seller_api):
    html = '<p>hi</p><img src="https://tracker.example/p.gif">'
    body = {"sections": [{"type": "custom_html", "settings": {"html": html}}]}
    error = error_of(seller_api.put("/design/draft", body), 422, "validation_error")
    assert error["field"] == "sections.0.settings.html"
    assert "https://tracker.example/p.gif" in error["message"]
    assert "picture space" in error["message"]


def test_publish_versions_and_rollback(seller_api, shop, app):
    installed(app, shop, ["design:read"])
    Event.objects.all().delete()
    seller_api.put("/design/draft", {"sections": [BANNER]})
    first = seller_api.post("/design/publish", HTTP_IDEMPOTENCY_KEY="pub-1")
    assert first.status_code == 201, first.content
    assert first.json()["number"] == 1 and first.json()["live"] is True
    again = seller_api.post("/design/publish", HTTP_IDEMPOTENCY_KEY="pub-1")
    assert again["Idempotent-Replayed"] == "true"
    assert DesignVersion.objects.filter(shop=shop).count() == 1
    seller_api.put("/design/draft", {"sections": []})
    assert seller_api.post("/design/publish").json()["number"] == 2
    versions = seller_api.get("/design/versions").json()
    assert [(v["number"], v["live"]) for v in versions["data"]] == [(2, True), (1, False)]
    rolled = seller_api.post(f"/design/versions/{first.json()['id']}/rollback")
    assert rolled.status_code == 201
    assert (rolled.json()["number"], rolled.json()["rolled_back_from"]) == (3, 1)
    assert seller_api.get("/design/draft").json()["live_version"] == 3
    assert Event.objects.filter(topic="shop.design_published").count() == 3


def test_a_preview_url_shows_the_draft(seller_api, client):
    seller_api.put("/design/draft", {"sections": [BANNER]})
    response = seller_api.post("/design/preview")
    assert response.status_code == 200
    body = response.json()
    assert body["expires_at"].endswith("Z")
    page = client.get(body["url"].removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert "Summer sale" in page.content.decode()


def test_a_schedule_is_made_listed_and_cancelled(seller_api):
    seller_api.put("/design/draft", {"sections": [BANNER]})
    body = {"starts_at": "2030-01-01T12:00:00Z", "ends_at": "2030-01-01T23:00:00+08:00"}
    from datetime import UTC, datetime

    from emporium.lib import clock

    clock.set_time(datetime(2029, 12, 31, tzinfo=UTC))
    try:
        made = seller_api.post("/design/schedules", body, HTTP_IDEMPOTENCY_KEY="sched-1")
        assert made.status_code == 201, made.content
        assert made.json()["status"] == "pending"
        assert made.json()["ends_at"] == "2030-01-01T15:00:00Z"
        listed = seller_api.get("/design/schedules").json()["data"]
        assert [s["id"] for s in listed] == [made.json()["id"]]
        cancelled = seller_api.post(f"/design/schedules/{made.json()['id']}/cancel")
        assert cancelled.json()["status"] == "cancelled"
        again = seller_api.post(f"/design/schedules/{made.json()['id']}/cancel")
        error_of(again, 409, "schedule_not_pending")
        naive = seller_api.post("/design/schedules", {"starts_at": "2030-01-01T12:00:00"})
        assert error_of(naive, 422, "validation_error")["field"] == "starts_at"
    finally:
        clock.set_time(None)


@pytest.mark.parametrize(
    ("method", "path", "needs"),
    [
        ("GET", "/design/draft", "design:read"),
        ("PUT", "/design/draft", "design:write"),
        ("POST", "/design/publish", "design:write"),
        ("GET", "/design/sections", "design:read"),
    ],
)
def test_each_route_needs_its_scope(seller, shop, make_token, method, path, needs):
    api = Api(
        make_token(seller, "items:read design:read" if needs == "design:write" else "items:read")
    )
    response = api.call(method, path, {"sections": []} if method != "GET" else None)
    error = error_of(response, 403, "insufficient_scope")
    assert needs in error["message"]


def test_the_catalogue_describes_every_kind(seller_api):
    body = seller_api.get("/design/sections").json()
    assert (body["max_sections"], body["max_blocks"]) == (25, 50)
    kinds = {kind["type"]: kind for kind in body["kinds"]}
    assert set(kinds) == {"banner", "carousel", "item_grid", "category_nav", "rich_text",
                          "picture_text", "coupon_strip", "custom_html"}  # fmt: skip
    columns = next(s for s in kinds["item_grid"]["settings"] if s["name"] == "columns")
    assert (columns["kind"], columns["minimum"], columns["maximum"]) == ("number", 2, 6)
    assert kinds["carousel"]["block_type"] == "slide"
