"""A seller opens the zoom app inside the seller center: which items zoom, which pictures are too
small and by how much, the disk the tiles use; re-tiling queues the pictures again."""

import pytest
from django.urls import reverse
from emporium_zoom.work import tiles_base
from zoom_live import upload

from emporium.catalog.services import pictures as catalog_pictures
from emporium.conftest import PASSWORD
from emporium.fixtures import picture_bytes

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_the_admin_page_shows_what_zooms_and_retiles(
    page, zoom, shop, seller, item, make_item, close_up_jpeg
):
    catalog_pictures.add_image(item, upload(close_up_jpeg))
    plain = make_item(shop, title="Cotton socks")
    catalog_pictures.add_image(plain, upload(picture_bytes(size=(800, 600)), "socks.png"))
    zoom.install(shop)
    zoom.settle()

    page.goto(reverse("members:login") + "?next=" + reverse("market:installed"))
    page.get_by_label("Username").fill(seller.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Open").first.click()
    app = page.frame_locator("[data-testid=embedded-app]")

    assert (
        app.locator("[data-testid=progress-text]").inner_text() == "1 of 1 pictures ready to zoom"
    )
    assert app.locator("[data-testid=zoomable-items]").inner_text() == "1 of 2 items are zoomable"
    assert "MB on disk" in app.locator("[data-testid=disk]").inner_text()
    dress = app.locator(f"tr[data-item='{item.public_id}']")
    assert "zoomable (4800 × 3600)" in dress.inner_text()
    socks = app.locator(f"tr[data-item='{plain.public_id}']")
    assert "too small: 800 px, 2000 px needed (2.5× larger)" in socks.inner_text()

    sha = item.images.last().original_sha256
    dzi = tiles_base(zoom.state.config.tiles_dir, sha).with_suffix(".dzi")
    first_made = dzi.stat().st_mtime_ns
    app.locator("[data-testid=retile-all]").click()
    # Queued again, tiled again; the page follows the progress and shows the result.
    app.locator("[data-testid=progress-text]").wait_for()
    zoom.settle()
    app.locator("li[data-state=done]").wait_for(timeout=20_000)
    assert zoom.state.store.pyramid(sha).state == "done"
    assert dzi.stat().st_mtime_ns > first_made  # tiled anew
