"""The decoration app on a live platform: the album, templates that fill themselves, publishing
and rolling back the shop's design — every call through the SDK, over real HTTP."""

import httpx
import pytest
from decor_photos import PHOTOS, photo, recompressed
from django.urls import reverse

from emporium.design.models import ShopDesign
from emporium.pictures.models import Picture

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_installing_imports_every_item_picture_into_the_album(decor, shop, pictured_items):
    with decor.page(shop) as page:
        pictures = page.get("/api/album").json()["pictures"]
    assert len(pictures) == 4  # the dress has two
    dress = [p for p in pictures if p["item_title"] == "Linen summer dress"]
    assert [p["name"] for p in dress] == ["Linen summer dress #1", "Linen summer dress #2"]
    keys = {img.key for item in pictured_items for img in item.images.all()}
    assert {p["key"] for p in pictures} == keys


def test_a_seller_uploads_photographs_tags_finds_and_spots_duplicates(decor, shop):
    from emporium_decor import album

    album.analyse_missing(decor.state.store, str(shop.public_id))  # the item pictures' hashes
    with decor.page(shop) as page:
        for n, name in enumerate(PHOTOS[:4]):
            answer = page.post("/api/album/upload", files={"image": (name, photo(name))},
                               data={"folder": "banners", "tags": "summer, Hero",
                                     "fingerprint": f"{name}:{n}"})  # fmt: skip
            assert answer.status_code == 200, answer.text
        # The same file again after a "failure": the fingerprint finds it, nothing is sent twice.
        again = page.post("/api/album/upload", files={"image": ("a", photo(PHOTOS[0]))},
                          data={"fingerprint": f"{PHOTOS[0]}:0"})  # fmt: skip
        assert again.status_code == 200
        assert Picture.objects.filter(shop=shop).count() == 4
        assert page.post("/api/album/uploaded", json={"fingerprints": [f"{PHOTOS[1]}:1", "new"]}
                         ).json()["uploaded"].keys() == {f"{PHOTOS[1]}:1"}  # fmt: skip
        # The astronaut saved again smaller as a JPEG: other bytes, the same photograph. The
        # item pictures (the same photographs, re-encoded by the platform) are found as well.
        page.post(
            "/api/album/upload", files={"image": ("copy.jpg", recompressed("astronaut.png", 300))}
        )
        groups = page.get("/api/album/duplicates").json()["groups"]
        assert sorted(sorted(p["name"] for p in g) for g in groups) == [
            ["Linen summer dress #1", "chelsea.png"],
            ["Linen summer dress #2", "astronaut.png", "copy.jpg"],
            ["Rocket print tee #1", "rocket.jpg"],
            ["Silk scarf #1", "coffee.png"],
        ]
        found = page.get("/api/album", params={"tag": "hero", "q": "coffee"}).json()["pictures"]
        assert [p["name"] for p in found] == ["coffee.png"]
        assert found[0]["folder"] == "banners"


def test_bad_uploads_are_refused_with_the_reason_and_nothing_is_stored(decor, shop):
    with decor.page(shop) as page:
        broken = page.post(
            "/api/album/upload", files={"image": ("r.jpg", photo("rocket.jpg")[:5000])}
        )
        assert broken.status_code == 422 and "damaged" in broken.json()["error"]
        text = page.post("/api/album/upload", files={"image": ("x.png", b"<svg onload=alert(1)>")})
        assert text.status_code == 422 and "not a picture" in text.json()["error"]
        nothing = page.post("/api/album/upload", files={"note": ("n.txt", b"x")})
        assert nothing.status_code == 422 and "image" in nothing.json()["error"]
    assert not Picture.objects.filter(shop=shop).exists()


def test_the_app_refuses_a_page_without_a_genuine_pass(decor, shop):
    answer = httpx.get(f"{decor.server.url}/api/album", headers={"x-view-pass": "forged.pass"})
    assert answer.status_code == 401


def test_moving_and_deleting_asks_first_for_a_picture_in_use(decor, shop):
    with decor.page(shop) as page:
        made = [page.post("/api/album/upload", files={"image": (n, photo(n))}).json()
                for n in ("chelsea.png", "coffee.png")]  # fmt: skip
        assert page.post("/api/album/move", json={"ids": [m["id"] for m in made], "folder": "lookbook"}
                         ).json() == {"moved": 2}  # fmt: skip
        assert set(Picture.objects.filter(shop=shop).values_list("folder", flat=True)) == {
            "lookbook"
        }
        # The cat picture goes into the draft: deleting it asks first and says where.
        page.put(
            "/api/design/draft",
            json={
                "sections": [
                    {"type": "banner", "settings": {"picture": made[0]["key"], "heading": "Cats"}}
                ]
            },
        )
        asked = page.post("/api/album/delete", json={"ids": [m["id"] for m in made]}).json()
        assert asked["deleted"] == [made[1]["id"]]
        assert [(p["id"], p["where"]) for p in asked["in_use"]] == [
            (made[0]["id"], ["design draft"])
        ]
        item_picture = next(
            p for p in page.get("/api/album").json()["pictures"] if p["source"] == "item"
        )
        confirmed = page.post("/api/album/delete", json={"ids": [made[0]["id"], item_picture["id"]],
                                                          "confirmed": True}).json()  # fmt: skip
        assert (
            confirmed["deleted"] == [made[0]["id"]]
            and confirmed["kept"][0]["id"] == item_picture["id"]
        )
    assert not Picture.objects.filter(shop=shop).exists()


def test_a_template_fills_itself_from_the_shop_then_publishes_and_rolls_back(
    decor, shop, pictured_items, client
):
    shop_page = reverse("storefront:shop", args=[shop.slug])
    best = pictured_items[2]
    best.sales_count = 40
    best.save(update_fields=["sales_count"])
    with decor.page(shop) as page:
        cards = page.get("/api/templates").json()["templates"]
        assert len(cards) >= 8 and not any(c["locked"] for c in cards)  # the Pro plan
        draft = page.post(
            "/api/templates/fill", json={"template": "best_sellers", "lang": "en"}
        ).json()
        slides = draft["sections"][0]["blocks"]
        assert slides[0]["settings"]["picture"] == best.images.first().key
        assert "Best sellers" not in client.get(shop_page).content.decode()  # a draft: not live
        preview = page.post("/api/design/preview").json()
        assert "Best sellers" in httpx.get(preview["url"]).text
        first = page.post("/api/design/publish", json={"key": "k1"}).json()
        live = client.get(shop_page).content.decode()
        assert "Best sellers" in live and "Top of the shop" in live

        page.post("/api/templates/fill", json={"template": "brand_story", "lang": "zh-hans"})
        second = page.post("/api/design/publish", json={"key": "k2"}).json()
        assert second["number"] == first["number"] + 1
        assert "我们的故事" in client.get(shop_page).content.decode()

        versions = page.get("/api/design/versions").json()["versions"]
        assert [v["live"] for v in versions] == [True, False]
        back = page.post(f"/api/design/versions/{versions[1]['id']}/rollback").json()
        assert back["source"] == "rollback"
    restored = client.get(shop_page).content.decode()
    assert "Top of the shop" in restored and "我们的故事" not in restored
    assert ShopDesign.objects.get(shop=shop).live.number == 3


def test_the_free_plan_opens_three_templates(start_decor, shop, pictured_items):
    decor = start_decor()
    decor.install(shop, "Free")
    with decor.page(shop) as page:
        cards = page.get("/api/templates").json()["templates"]
        assert [c["locked"] for c in cards].count(False) == 3
        locked = next(c for c in cards if c["locked"])
        refused = page.post("/api/templates/fill", json={"template": locked["id"]})
    assert refused.status_code == 402


def test_a_design_the_platform_refuses_comes_back_naming_the_setting(decor, shop):
    with decor.page(shop) as page:
        answer = page.put("/api/design/draft", json={"sections": [
            {"type": "item_grid", "settings": {"columns": 9}}]})  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["field"] == "sections.0.settings.columns"


def test_item_events_keep_the_album_in_step(decor, shop, pictured_items):
    from emporium.catalog.services import items as catalog
    from emporium.catalog.services.pictures import remove_image

    dress = pictured_items[0]
    remove_image(dress, dress.images.last().pk)
    catalog.set_status(pictured_items[1], "deleted")
    decor.deliver()
    with decor.page(shop) as page:
        names = sorted(p["name"] for p in page.get("/api/album").json()["pictures"])
    assert names == ["Linen summer dress #1", "Rocket print tee #1"]


def test_a_sale_design_is_scheduled_and_a_time_without_a_zone_is_refused(
    decor, shop, pictured_items
):
    from datetime import UTC, datetime, timedelta

    starts = datetime.now(UTC) + timedelta(hours=2)
    with decor.page(shop) as page:
        page.post("/api/templates/fill", json={"template": "big_sale"})
        made = page.post("/api/design/schedule", json={
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=4)).isoformat()})  # fmt: skip
        assert made.status_code == 200, made.text
        assert made.json()["status"] == "pending"
        listed = page.get("/api/design/versions").json()
        assert [s["id"] for s in listed["schedules"]] == [made.json()["id"]]
        naive = page.post("/api/design/schedule", json={"starts_at": "2030-01-01T20:00:00"})
    assert naive.status_code == 422 and naive.json()["field"] == "starts_at"


def test_a_webhook_without_a_valid_signature_changes_nothing(decor, shop, pictured_items):
    body = b'{"id": "evt_x", "type": "app.erasure_requested", "version": 1, "shop_id": "%s", "data": {}}'
    forged = httpx.post(f"{decor.server.url}/webhooks", content=body % str(shop.public_id).encode(),
                        headers={"webhook-id": "evt_x", "webhook-timestamp": "1700000000",
                                 "webhook-signature": "v1,Zm9yZ2Vk"})  # fmt: skip
    assert forged.status_code == 400
    assert decor.state.store.shop(str(shop.public_id)) is not None
    assert len(decor.state.store.pictures(str(shop.public_id))) == 4


def test_the_embedded_page_opens_only_with_the_platforms_session_token(
    decor, shop, seller, live_server
):
    from emporium.market.embedding import embed_url

    refused = httpx.get(f"{decor.server.url}/app?session=not-a-token")
    assert refused.status_code == 401 and "seller center" in refused.text
    opened = httpx.get(embed_url(decor.listing, shop, seller, live_server.url))
    assert opened.status_code == 200 and 'data-pass="' in opened.text and "Closet" in opened.text
    assert httpx.get(f"{decor.server.url}/healthz").json() == {"ok": True, "shops": 1}
