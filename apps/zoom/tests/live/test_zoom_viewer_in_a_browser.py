"""A buyer zooms into a fabric close-up on the real item page: the zoom app runs as its own server,
installed by Mei over OAuth, its block turned on for her close-up items the way the demo does it;
the storefront's item page frames the viewer beside the gallery in a sandboxed iframe.

The buyer zooms with the wheel, a double click and the buttons (deeper tiles load), drags, uses
the keys, goes full screen and back, and finds the small picture shown plainly; a Chinese buyer
gets the page and the viewer in Chinese."""

import io

import pytest
from django.urls import reverse
from PIL import Image, ImageChops
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from zoom_live import upload

from emporium.catalog.services import pictures as catalog_pictures
from emporium.demo.zoom_app import show_on_close_ups
from emporium.fixtures import picture_bytes, wait_until_taller

pytestmark = [pytest.mark.django_db(transaction=True)]

BLOCK = "[data-testid=item-blocks-gallery] [data-testid=item-block]"


@pytest.fixture
def on_the_item_page(zoom, shop, item, make_item, close_up_jpeg):
    """Mei's dress: a small photo, then the close-up; her plain T-shirt has only a small photo.
    The app tiles at install; the demo's rule puts the viewer on the items worth zooming."""
    catalog_pictures.add_image(item, upload(picture_bytes(size=(800, 600)), "small.png"))
    catalog_pictures.add_image(item, upload(close_up_jpeg))
    plain = make_item(shop, title="Plain T-shirt")
    catalog_pictures.add_image(plain, upload(picture_bytes(size=(800, 600)), "tee.png"))
    zoom.install(shop)
    zoom.settle()
    show_on_close_ups(shop, zoom.listing.blocks.get(name="Zoom viewer"))
    zoom.plain_item = plain
    return zoom


def viewer(page):
    """The viewer's frame (the app's origin; its own page has no script restrictions)."""
    return next(f for f in page.frames if "/block?" in f.url)


DRAWN = (
    "window.zoomViewer && window.zoomViewer.world.getItemCount() === 1 && "
    "window.zoomViewer.world.getItemAt(0).getFullyLoaded()"
)
VIEWER_STATE = """() => {
  const v = window.zoomViewer, item = v && v.world.getItemAt(0);
  return {items: v ? v.world.getItemCount() : null, loading: item ? item._tilesLoading : null,
          size: v ? [v.container.clientWidth, v.container.clientHeight] : null,
          zoom: v ? v.viewport.getZoom(true) : null, bounds: v ? String(v.viewport.getBounds(true)) : null,
          drawArea: item ? String(item.getDrawArea()) : null, opened: v ? v.isOpen() : null,
          cs: v ? String(v.viewport.getContainerSize()) : null,
          visibility: document.visibilityState};
}"""


def wait_drawn(page):
    """Every tile of the view drawn. The wait is long because the app shares two cores with the
    whole suite in CI; a timeout says what the viewer was waiting for and which tiles failed."""
    try:
        viewer(page).wait_for_function(DRAWN, timeout=90_000)
    except PlaywrightTimeout:
        state = viewer(page).evaluate(VIEWER_STATE)
        failed = [m.text for m in getattr(page, "zoom_console", []) if "failed to load" in m.text]
        pytest.fail(f"the view was never fully drawn: {state}; tiles that failed: {failed}")


def zoom_level(page) -> float:
    page.wait_for_timeout(1200)  # OpenSeadragon's spring animation settles
    return viewer(page).evaluate("zoomViewer.viewport.getZoom(true)")


def shot(page) -> Image.Image:
    return Image.open(io.BytesIO(page.locator(BLOCK).screenshot())).convert("RGB")


def open_item(page, item):
    levels: list[int] = []
    page.zoom_console = []
    page.on("console", lambda message: page.zoom_console.append(message))
    page.on(
        "request",
        lambda r: (
            levels.append(int(r.url.split("_files/")[1].split("/")[0]))
            if "/tiles/" in r.url and "_files/" in r.url
            else None
        ),
    )
    page.goto(reverse("storefront:item", args=[item.public_id]))
    return levels


def test_a_buyer_zooms_into_the_fabric_on_the_item_page(page, on_the_item_page, item):
    zoom = on_the_item_page
    levels = open_item(page, item)

    # Beside the gallery, in a sandboxed frame on the app's own origin, allowed full screen only.
    block = page.locator(f"section.gallery {BLOCK}")
    expect(block).to_have_count(1)
    assert block.get_attribute("sandbox") == "allow-scripts"
    assert block.get_attribute("allow") == "fullscreen"
    assert block.get_attribute("src").startswith(f"{zoom.server.url}/block?context=")
    frame = page.frame_locator(BLOCK)
    # It starts on the picture worth zooming (the close-up, the second of two).
    expect(frame.get_by_test_id("counter")).to_have_text("Picture 2 of 2")
    wait_drawn(page)
    assert viewer(page).evaluate("zoomViewer.source.width") == 4800

    # The block asked the item page for its height: the frame shows it whole, without scroll bars.
    wait_until_taller(page, BLOCK, 300)
    page.wait_for_timeout(300)
    inner = viewer(page).evaluate("document.documentElement.scrollHeight")
    assert abs(block.bounding_box()["height"] - inner) <= 1

    before, first_depth = shot(page), max(levels)
    start = zoom_level(page)

    # Wheel zoom over the picture: deeper levels are fetched, and the picture changes.
    box = block.bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["width"] * 3 / 8)
    page.mouse.move(*middle)
    for _ in range(6):
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(150)
    wait_drawn(page)
    after_wheel = zoom_level(page)
    assert after_wheel > start * 2
    assert max(levels) >= first_depth + 2
    assert ImageChops.difference(before, shot(page)).getbbox() is not None

    # A double click zooms in further, down to the deepest tiles (level 13: the full 4800 px).
    page.mouse.dblclick(*middle)
    after_double = zoom_level(page)
    assert after_double > after_wheel * 1.5
    wait_drawn(page)
    assert max(levels) == 13

    # Drag pans: the picture moves with the mouse (to the left: the view's centre goes right).
    centre = viewer(page).evaluate("zoomViewer.viewport.getCenter(true).x")
    page.mouse.down()
    page.mouse.move(middle[0] - 150, middle[1], steps=8)
    page.mouse.up()
    page.wait_for_timeout(800)
    assert viewer(page).evaluate("zoomViewer.viewport.getCenter(true).x") > centre + 0.01

    # The buttons: − zooms out, + zooms in, Reset shows the whole picture again.
    frame.locator("#zoom-out").click()
    out = zoom_level(page)
    assert out < after_double / 1.2
    frame.locator("#zoom-in").click()
    assert zoom_level(page) > out * 1.2
    frame.locator("#home").click()
    assert zoom_level(page) == pytest.approx(start, rel=0.05)

    # The keys: + zooms in while held, arrows pan.
    page.keyboard.down("+")
    page.wait_for_timeout(400)
    page.keyboard.up("+")
    assert zoom_level(page) > start * 1.1
    x = viewer(page).evaluate("zoomViewer.viewport.getCenter(true).x")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1000)
    assert viewer(page).evaluate("zoomViewer.viewport.getCenter(true).x") > x

    # Full screen opens from inside the sandboxed frame, and closes again.
    frame.locator("#full").click()
    viewer(page).wait_for_function("zoomViewer.isFullPage() && document.fullscreenElement !== null")
    assert page.evaluate("document.fullscreenElement && document.fullscreenElement.tagName") == "IFRAME"  # fmt: skip
    frame.locator("#full").click()
    viewer(page).wait_for_function(
        "!zoomViewer.isFullPage() && document.fullscreenElement === null"
    )
    assert page.evaluate("document.fullscreenElement") is None

    # The other picture is too small to zoom: shown plainly, and said so.
    frame.locator("#next").click()
    expect(frame.get_by_test_id("counter")).to_have_text("Picture 1 of 2")
    expect(frame.get_by_test_id("note")).to_contain_text(
        "This picture is 800 × 600 pixels: too small to zoom"
    )
    expect(frame.get_by_test_id("plain-picture")).to_be_visible()
    expect(frame.get_by_test_id("plain-picture")).to_have_js_property("complete", True)
    assert frame.get_by_test_id("plain-picture").evaluate("img => img.naturalWidth") > 0


def test_an_item_without_a_close_up_has_no_viewer(page, on_the_item_page):
    page.goto(reverse("storefront:item", args=[on_the_item_page.plain_item.public_id]))
    expect(page.locator("section.gallery img[data-gallery-main]")).to_be_visible()
    expect(page.locator(BLOCK)).to_have_count(0)


def test_a_tile_lost_on_the_way_is_fetched_again(page, on_the_item_page, item):
    """A busy phone network drops a request now and then: the viewer asks again rather than
    leave a hole in the fabric."""
    asked: dict[str, int] = {}
    lost: set[str] = set()

    def lose_each_tile_once(route):
        url = route.request.url
        asked[url] = asked.get(url, 0) + 1
        if url in lost:
            route.continue_()
        else:
            lost.add(url)
            route.abort("connectionreset")

    page.route("**/tiles/**", lambda route: (
        lose_each_tile_once(route) if "_files/" in route.request.url else route.continue_()
    ))  # fmt: skip
    open_item(page, item)
    wait_drawn(page)  # drawn with holes where tiles were lost: OpenSeadragon retries after that
    assert lost, "no tile was asked for"
    for _ in range(120):
        if all(asked[url] >= 2 for url in lost):
            break
        page.wait_for_timeout(250)
    assert all(asked[url] >= 2 for url in lost), f"tiles asked for once only: {asked}"
    wait_drawn(page)


def test_a_viewer_that_missed_its_size_measures_again(page, on_the_item_page, item):
    """A resize the viewer missed while the frame was laid out once left it drawing for a 1 × 1
    box, never sharp (seen in CI). It measures itself again."""
    open_item(page, item)
    wait_drawn(page)
    size = viewer(page).evaluate("[osd.clientWidth, osd.clientHeight]")
    assert min(size) > 100
    viewer(page).evaluate("zoomViewer.viewport.resize(new OpenSeadragon.Point(1, 1), false)")
    viewer(page).wait_for_function(
        "([w, h]) => { const s = zoomViewer.viewport.getContainerSize();"
        " return s.x === w && s.y === h; }",
        arg=size,
        timeout=30_000,
    )
    wait_drawn(page)


def test_a_chinese_buyer_gets_the_item_page_and_the_viewer_in_chinese(
    page, on_the_item_page, item, live_server
):
    from django.conf import settings

    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}]
    )
    levels = open_item(page, item)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    expect(page.locator(".breadcrumbs")).to_contain_text("首页")
    frame = page.frame_locator(BLOCK)
    expect(frame.get_by_test_id("counter")).to_have_text("第 2 张，共 2 张")
    assert frame.locator("html").get_attribute("lang") == "zh-Hans"
    assert frame.locator("#zoom-in").get_attribute("title") == "放大"
    expect(frame.locator("#home")).to_have_text("复原")
    expect(frame.locator("#full")).to_have_text("全屏")
    wait_drawn(page)
    # The viewer works the same in Chinese: the + button fetches deeper tiles.
    depth = max(levels)
    frame.locator("#zoom-in").click()
    frame.locator("#zoom-in").click()
    wait_drawn(page)
    assert max(levels) > depth
    frame.locator("#next").click()
    expect(frame.get_by_test_id("note")).to_contain_text("800 × 600")
    assert "too small" not in frame.get_by_test_id("note").inner_text()


@pytest.mark.parametrize(
    "spoil",
    [
        {"secret": "another app's secret"},
        {"aud": "someone-else/block"},
        {"typ": "session"},
        {"lifetime": 3600},
        {"iss": "https://another-platform.example"},
    ],
)
def test_a_forged_or_foreign_context_is_refused(zoom, shop, item, spoil):
    import httpx

    token = zoom.block_context(shop, item, **spoil)
    answer = httpx.get(f"{zoom.server.url}/block", params={"context": token})
    assert answer.status_code == 401 and "bad block context" in answer.text
    assert answer.headers["content-security-policy"] == f"frame-ancestors {zoom.platform_url}"


PHONE = {"width": 393, "height": 851}


@pytest.fixture
def phone(chromium, live_server):
    """A phone: a touch screen, a mobile viewport (the page's meta viewport is honoured)."""
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE,
                                   device_scale_factor=2, has_touch=True, is_mobile=True)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def touch(cdp, kind: str, points: list[tuple[float, float]]) -> None:
    """One touch event as the phone's screen sends it (points in the page's CSS pixels)."""
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
        {"x": x, "y": y, "id": n, "radiusX": 4, "radiusY": 4, "force": 1}
        for n, (x, y) in enumerate(points)]})  # fmt: skip


def test_a_buyer_on_a_phone_zooms_with_a_double_tap_and_a_pinch(phone, on_the_item_page, item):
    page = phone
    levels = open_item(page, item)
    block = page.locator(f"section.gallery {BLOCK}")
    expect(block).to_have_count(1)
    block.scroll_into_view_if_needed()
    wait_drawn(page)
    # The viewer knows it is on a touch screen (the gestures below are its touch settings).
    assert viewer(page).evaluate("navigator.maxTouchPoints") > 0
    touch_settings = viewer(page).evaluate(
        "(() => { const g = zoomViewer.gestureSettingsTouch;"
        " return [g.pinchToZoom, g.dblClickToZoom]; })()"
    )
    assert touch_settings == [True, True]
    start, first_depth = zoom_level(page), max(levels)
    box = block.bounding_box()
    assert box["width"] <= PHONE["width"]  # fits the phone's screen, no sideways scrolling
    middle = (box["x"] + box["width"] / 2, box["y"] + box["width"] * 3 / 8)
    assert 0 < middle[1] < PHONE["height"]
    cdp = page.context.new_cdp_session(page)

    # A double tap zooms in, and deeper tiles load.
    for _ in range(2):
        touch(cdp, "touchStart", [middle])
        touch(cdp, "touchEnd", [])
        page.wait_for_timeout(80)
    after_tap = zoom_level(page)
    assert after_tap > start * 1.5
    wait_drawn(page)
    assert max(levels) > first_depth

    # Two fingers moving apart zoom in further (a pinch), and deeper tiles again.
    tapped_depth = max(levels)
    x, y = middle
    touch(cdp, "touchStart", [(x - 20, y), (x + 20, y)])
    for step in range(1, 13):
        spread = 20 + step * 10
        touch(cdp, "touchMove", [(x - spread, y), (x + spread, y)])
        page.wait_for_timeout(30)
    touch(cdp, "touchEnd", [])
    after_pinch = zoom_level(page)
    assert after_pinch > after_tap * 2
    wait_drawn(page)
    assert max(levels) > tapped_depth

    # Fingers moving together zoom back out.
    touch(cdp, "touchStart", [(x - 140, y), (x + 140, y)])
    for step in range(1, 13):
        spread = 140 - step * 10
        touch(cdp, "touchMove", [(x - spread, y), (x + spread, y)])
        page.wait_for_timeout(30)
    touch(cdp, "touchEnd", [])
    assert zoom_level(page) < after_pinch / 2
