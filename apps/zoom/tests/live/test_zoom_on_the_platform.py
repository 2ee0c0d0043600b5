"""The zoom app on a live platform: at install it tiles the shop's pictures, then follows item
events by webhook and by the feed; its admin page opens in the seller center."""

import io

import httpx
import pytest
from emporium_zoom.work import tiles_base
from pictures import cmyk_jpeg, photo
from zoom_live import upload

from emporium.catalog.services import pictures as catalog_pictures
from emporium.catalog.services.items import set_status
from emporium.events.models import Event
from emporium.fixtures import picture_bytes

pytestmark = [pytest.mark.django_db(transaction=True)]


def states(zoom, shop, item):
    found = zoom.state.store.pictures(str(shop.public_id), str(item.public_id))
    pyramids = zoom.state.store.pyramids([p.sha256 for p in found])
    return [pyramids[p.sha256].state if p.sha256 in pyramids else None for p in found]


def png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_install_tiles_the_shops_pictures_and_events_keep_them_in_step(
    zoom, shop, item, close_up_jpeg
):
    catalog_pictures.add_image(item, upload(picture_bytes(size=(640, 480)), "small.png"))
    closeup = catalog_pictures.add_image(item, upload(close_up_jpeg))
    zoom.install(shop)
    zoom.settle()
    assert states(zoom, shop, item) == ["small", "done"]
    sha = closeup.original_sha256
    dzi = httpx.get(f"{zoom.server.url}/tiles/{sha[:2]}/{sha}.dzi")
    assert dzi.status_code == 200 and 'Width="4800"' in dzi.text
    assert dzi.headers["cache-control"] == "public, max-age=31536000, immutable"
    tile = httpx.get(f"{zoom.server.url}/tiles/{sha[:2]}/{sha}_files/13/9_7.jpg")
    assert tile.status_code == 200 and tile.headers["access-control-allow-origin"] == "*"
    assert tile.headers["content-type"] == "image/jpeg"
    assert httpx.get(f"{zoom.server.url}/tiles/{sha[:2]}/..%2F..%2Fzoom.sqlite3").status_code == 404

    # A new picture, by webhook: tiled once.
    retina = catalog_pictures.add_image(item, upload(png(photo("retina", scale=1.5)), "r.png"))
    zoom.deliver()
    zoom.settle()
    assert states(zoom, shop, item) == ["small", "done", "done"]

    # Deleting the item deletes its tiles.
    set_status(item, "deleted")
    zoom.deliver()
    assert zoom.state.store.pictures(str(shop.public_id), str(item.public_id)) == []
    for gone in (sha, retina.original_sha256):
        assert not tiles_base(zoom.state.config.tiles_dir, gone).with_suffix(".dzi").exists()


def test_a_missed_webhook_is_caught_up_from_the_feed(zoom, shop, item, tmp_path):
    zoom.install(shop)
    # The platform normalises a CMYK upload to an RGB original; the app tiles what it gets.
    photo_bytes = png(photo("coffee", scale=4.0))  # 2400 × 1600
    catalog_pictures.add_image(item, upload(photo_bytes, "coffee.png"))
    catalog_pictures.add_image(item, upload(cmyk_jpeg(tmp_path / "c.jpeg").read_bytes()))
    # The app is down when the platform publishes: the webhooks fail; the feed has the events.
    zoom.server.stop()
    zoom.deliver()
    zoom.server.start()
    # The app catches up by itself when it starts; asking again reads whatever is left.
    zoom.state.ingest.catch_up_all()
    last = Event.objects.filter(shop=shop).latest("position").position
    assert zoom.state.store.get(f"feed:{shop.public_id}") == str(last)
    zoom.settle()
    assert states(zoom, shop, item) == ["done", "small"]
