"""Item-page blocks in Chromium, with a block app served on 127.0.0.1 by http.server and using the
SDK's emporium-frame.js: the block sizes its frame, hears a fresh context when the buyer picks
another SKU, ignores a context posted by a stranger, the item page ignores a stranger's resize, and
the block is gone after the uninstall. The seller center's embedded app takes its height too. A
frame follows its page down as well as up, whatever the page's styles, and a page sized by the
frame (100vh) does not grow it forever."""

import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from emporium_sdk import frame_script
from playwright.sync_api import expect

from emporium.conftest import PASSWORD
from emporium.ecosystem.registration import register_app
from emporium.fixtures import wait_until_taller
from emporium.market import installs, item_blocks
from emporium.market.listings import BlockSpec
from emporium.market.models import Block
from emporium.market.tests.conftest import PLANS, SCOPES, make_listing, plan

pytestmark = pytest.mark.django_db(transaction=True)

BLOCK_PAGE = """<!doctype html><html><body style="margin:0">
<div id="tall" style="height:420px;background:#eef">zoom</div>
<p>sku <span id="sku"></span> · contexts <span id="contexts">0</span></p>
{stranger}
<script src="/emporium-frame.js" data-platform="{platform}"></script>
<script>
  function show(token) {{
    var claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    document.getElementById("sku").textContent = String(claims.sku);
  }}
  show(new URLSearchParams(location.search).get("context"));
  EmporiumFrame.onContext(function (token) {{
    var n = document.getElementById("contexts");
    n.textContent = String(Number(n.textContent) + 1);
    show(token);
  }});
</script></body></html>"""

ADMIN_PAGE = """<!doctype html><html><body style="margin:0">
<div id="long" style="height:1500px">settings</div>{stranger}
<script src="/emporium-frame.js" data-platform="{platform}"></script></body></html>"""

# Two views of an app, as in decor's editor: a long one and a short one, switched by a button.
# The page's own styles (`?views=<style>`) are the ways apps lay out html and body; a fixed bar
# never counts.
VIEWS_PAGE = """<!doctype html><html><head><style>{style}</style></head><body>
<nav><button id="long-view">Editor</button> <button id="short-view">Summary</button></nav>
<section id="long" hidden style="height:1589px;background:#eef">editor</section>
<section id="short" style="height:496px;background:#efe">summary</section>
<div style="position:fixed;left:0;right:0;bottom:0;height:40px;background:#fee">saved</div>
<script src="/emporium-frame.js" data-platform="{platform}"></script>
<script>
  function show(view) {{
    document.getElementById("long").hidden = view !== "long";
    document.getElementById("short").hidden = view !== "short";
  }}
  document.getElementById("long-view").onclick = function () {{ show("long"); }};
  document.getElementById("short-view").onclick = function () {{ show("short"); }};
</script></body></html>"""

VIEW_STYLES = {
    "plain": "body { margin: 0 }",
    "margins": "section { margin: 24px 0 }",  # body's 8 px and the sections' margins, collapsing
    "stretched": "html, body { height: 100%; margin: 0 }",
    "screen-high": "body { min-height: 100vh; margin: 0 }",
}

# A page as tall as the frame and more: every height the frame takes, it asks 60 px more. Like the
# stats dashboard's charts, it lays itself out again when the window changes, and says so.
SCREEN_PAGE = """<!doctype html><html><body style="margin:0">
<header style="height:60px">shop</header><main style="min-height:100vh;background:#eef">hero</main>
<script src="/emporium-frame.js" data-platform="{platform}"></script>
<script>window.addEventListener("resize", function () {{ EmporiumFrame.resize(); }});</script>
</body></html>"""

# A stranger's frame inside the app's page (an ad, say), on another origin: for a second it keeps
# asking the platform's page for another height and feeding the app's page a forged context.
STRANGER_FRAME = """<!doctype html><html><body><script>
  var sent = 0;
  var timer = setInterval(function () {
    window.top.postMessage({emporium: 1, type: "resize", height: 300}, "*");
    window.parent.postMessage({emporium: 1, type: "context", context: "x.eyJza3UiOjQyfQ.x"}, "*");
    if (++sent === 10) { clearInterval(timer); document.title = "done"; }
  }, 100);
</script></body></html>"""


class BlockApp:
    """A block app on one port; `stranger` serves the same pages on another port (origin)."""

    def __init__(self, platform: str):
        self.platform = platform
        self.item_url = ""
        self.stranger_url = ""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.stranger = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.stranger_url = f"http://127.0.0.1:{self.stranger.server_port}"

    def _handler(self):
        app = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urllib.parse.urlsplit(self.path)
                path, query = parts.path, dict(urllib.parse.parse_qsl(parts.query))
                stranger = (
                    f'<iframe src="{app.stranger_url}/stranger" width="10" height="10"></iframe>'
                    if query.get("stranger") else ""
                )  # fmt: skip
                fill = {"platform": app.platform, "stranger": stranger}
                block, admin = BLOCK_PAGE.format(**fill), ADMIN_PAGE.format(**fill)
                if "views" in query:
                    style = VIEW_STYLES[query["views"]]
                    block = admin = VIEWS_PAGE.format(style=style, platform=app.platform)
                if "screen" in query:
                    block = admin = SCREEN_PAGE.format(platform=app.platform)
                pages = {
                    "/block": ("text/html", block),
                    "/admin": ("text/html", admin),
                    "/stranger": ("text/html", STRANGER_FRAME),
                    "/emporium-frame.js": ("text/javascript", frame_script()),
                }
                kind, body = pages.get(path, ("text/plain", "not found"))
                self.send_response(200 if path in pages else 404)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.end_headers()
                self.wfile.write(body.encode())

        return Handler

    def __enter__(self):
        for server in (self.server, self.stranger):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        for server in (self.server, self.stranger):
            server.shutdown()
            server.server_close()


@pytest.fixture(params=[""])
def block_app(request, live_server, developer, shop, item):
    """The block app, listed, installed and its block on all items; parametrized with
    "?stranger=1" it puts a stranger's frame inside its block and admin page; "?views=<style>"
    makes both the two-view page, "?screen=1" the page as tall as the frame."""
    query = request.param
    with BlockApp(live_server.url) as tiny:
        app, _secret = register_app(
            developer, name="Zoom", redirect_uris=[f"{tiny.url}/callback"], scopes=SCOPES
        )
        listing = make_listing(
            app, plans=PLANS, app_url=f"{tiny.url}/admin{query}",
            blocks=[BlockSpec("Zoom", f"{tiny.url}/block{query}", Block.Placement.GALLERY)],
        )  # fmt: skip
        installs.install(shop, listing, plan(listing, "Basic"))
        item_blocks.turn_on(shop, listing.blocks.get().pk, all_items=True)
        tiny.app = app
        tiny.item_url = f"{live_server.url}{reverse('storefront:item', args=[item.public_id])}"
        yield tiny


def frame_height(page, test_id: str = "item-block") -> float:
    return page.get_by_test_id(test_id).bounding_box()["height"]


def wait_until_shorter(page, test_id: str, pixels: float, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while frame_height(page, test_id) >= pixels:
        assert time.monotonic() < deadline, f"{test_id} never shrank below {pixels} px"
        page.wait_for_timeout(100)


def open_in_the_seller_center(page, seller) -> None:
    page.goto(reverse("members:login") + "?next=" + reverse("market:installed"))
    page.get_by_label("Username").fill(seller.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Open").first.click()


def assert_it_fits(page, test_id: str) -> None:
    """The frame is as tall as its page's content: no scroll bar, no empty band below."""
    frame = page.frame_locator(f"[data-testid={test_id}]")
    content = frame.locator("body").evaluate(
        "b => { const views = [...document.querySelectorAll('section')].filter(s => !s.hidden);"
        " const last = views[views.length - 1];"
        " return last.getBoundingClientRect().bottom + window.scrollY; }"
    )
    inner = frame.locator("body").evaluate("b => document.documentElement.scrollHeight")
    height = frame_height(page, test_id)
    assert inner <= height + 1  # no scroll bar
    assert content <= height <= content + 30  # the collapsed margins below, the frame's border


@pytest.mark.parametrize("block_app", [f"?views={style}" for style in VIEW_STYLES], indirect=True)
def test_a_block_frame_grows_and_shrinks_with_its_page(page, block_app):
    page.goto(block_app.item_url)
    block = page.frame_locator("[data-testid=item-block]")
    wait_until_taller(page, "[data-testid=item-block]", 496)
    assert_it_fits(page, "item-block")
    block.get_by_role("button", name="Editor").click()
    wait_until_taller(page, "[data-testid=item-block]", 1589)
    assert_it_fits(page, "item-block")
    block.get_by_role("button", name="Summary").click()
    wait_until_shorter(page, "item-block", 1000)
    page.wait_for_timeout(300)  # and stays there
    assert_it_fits(page, "item-block")


@pytest.mark.parametrize("block_app", ["?views=plain"], indirect=True)
def test_the_embedded_app_grows_and_shrinks_with_its_page(page, block_app, seller):
    open_in_the_seller_center(page, seller)
    app = page.frame_locator("[data-testid=embedded-app]")
    app.get_by_role("button", name="Editor").click()
    wait_until_taller(page, "[data-testid=embedded-app]", 1589)
    # Back to the short view: no empty band of a thousand pixels stays in the seller center.
    app.get_by_role("button", name="Summary").click()
    wait_until_shorter(page, "embedded-app", 1000)
    page.wait_for_timeout(300)
    assert_it_fits(page, "embedded-app")


@pytest.mark.parametrize("block_app", ["?screen=1"], indirect=True)
def test_a_page_as_tall_as_its_frame_does_not_grow_it_forever(page, block_app):
    page.goto(block_app.item_url)
    block = page.frame_locator("[data-testid=item-block]")
    expect(block.locator("header")).to_be_attached()
    page.wait_for_timeout(1500)  # each round trip would have grown the frame by 60 px
    settled = frame_height(page)
    page.wait_for_timeout(500)
    assert frame_height(page) == settled
    assert settled < 400  # from 150 px, one step (or two): far from the 4,000 px cap


def test_a_block_sizes_itself_hears_other_skus_and_is_gone_after_uninstall(
    page, block_app, shop, item
):
    page.goto(block_app.item_url)
    block = page.frame_locator("[data-testid=item-block]")
    skus = list(item.skus.order_by("pk"))
    assert block.locator("#sku").inner_text() == str(skus[0].pk)  # the preselected SKU
    wait_until_taller(page, "[data-testid=item-block]", 400)
    # The frame is exactly as tall as the block's page: no scroll bar inside it.
    height = frame_height(page)
    inner = block.locator("body").evaluate("b => document.documentElement.scrollHeight")
    assert abs(height - inner) <= 1

    # Blue, size M: the last SKU; the block is sent a fresh context for it.
    page.get_by_role("button", name="Blue").click()
    page.get_by_role("button", name="M", exact=True).click()
    expect(block.locator("#sku")).to_have_text(str(skus[-1].pk))
    assert block.locator("#contexts").inner_text() != "0"

    installs.uninstall(block_app.app, shop)
    page.reload()
    assert page.get_by_test_id("item-block").count() == 0


def test_a_block_that_loads_before_the_pages_script_still_gets_its_height(page, block_app):
    # Hold the page's deferred script until the block has loaded and sent its height to no one.
    held = []
    page.route("**/item-blocks*.js", lambda route: held.append(route))
    page.goto(block_app.item_url, wait_until="commit")
    block = page.frame_locator("[data-testid=item-block]")
    expect(block.locator("#sku")).not_to_be_empty()
    assert held, "the page's script was not requested"
    held[0].continue_()
    wait_until_taller(page, "[data-testid=item-block]", 400)


@pytest.mark.parametrize("block_app", ["?stranger=1"], indirect=True)
def test_messages_from_an_unexpected_origin_are_ignored_on_both_sides(page, block_app):
    page.goto(block_app.item_url)
    block = page.frame_locator("[data-testid=item-block]")
    stranger = block.frame_locator("iframe")
    expect(stranger.locator("body")).to_be_attached()
    page.wait_for_timeout(1500)  # the stranger's ten messages have been sent by now
    # Its resize asked for 300 px: the frame kept the block's own height (420 px and more).
    assert frame_height(page) > 400
    # Its forged context never reached the block's code.
    assert block.locator("#contexts").inner_text() == "0"
    assert block.locator("#sku").inner_text() != "42"


@pytest.mark.parametrize("block_app", ["?stranger=1"], indirect=True)
def test_the_embedded_app_takes_the_height_it_asks_for_and_no_one_elses(page, block_app, seller):
    page.goto(reverse("members:login") + "?next=" + reverse("market:installed"))
    page.get_by_label("Username").fill(seller.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Open").first.click()
    wait_until_taller(page, "[data-testid=embedded-app]", 1400)
    frame = page.frame_locator("[data-testid=embedded-app]")
    assert frame.locator("#long").is_visible()
    page.wait_for_timeout(1500)  # the stranger inside asked for 300 px ten times meanwhile
    assert page.get_by_test_id("embedded-app").bounding_box()["height"] > 1400


def test_an_embedded_app_that_loads_before_the_pages_script_still_gets_its_height(
    page, block_app, seller
):
    held = []
    page.route("**/embedded-app*.js", lambda route: held.append(route))
    page.goto(reverse("members:login") + "?next=" + reverse("market:installed"))
    page.get_by_label("Username").fill(seller.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Open").first.click(no_wait_after=True)
    expect(page.frame_locator("[data-testid=embedded-app]").locator("#long")).to_be_attached()
    assert held, "the page's script was not requested"
    held[0].continue_()
    wait_until_taller(page, "[data-testid=embedded-app]", 1400)
