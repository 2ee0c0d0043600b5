"""In real Chromium: collect.js reports page views, add-to-cart and the last page's engaged time."""

import time

import pytest
from django.urls import reverse

from emporium.conftest import CHROMIUM, CHROMIUM_ARGS
from emporium.customer_events import journal
from emporium.customer_events.models import CustomerEvent
from emporium.customer_events.tests.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def visitor(chromium, live_server):
    """A page of a Chromium that says it is an ordinary browser: headless Chromium says
    "HeadlessChrome", which the collector drops as a bot. It is a browser of its own, launched
    with --user-agent, because Playwright's per-context user agent does not reach the beacons
    a page sends while it is being left."""
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--user-agent={BROWSER_UA}"]
    )
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    browser.close()


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        journal.drain()  # as the dispatcher does: answered events go from the journal to the table
        if condition():
            return
        time.sleep(0.1)
    got = list(
        CustomerEvent.objects.order_by("id").values_list("name", "page_type", "page_view_id")
    )
    raise AssertionError(f"the collector did not receive the expected events in time: {got}")


def test_a_visit_is_reported_with_the_engaged_time_of_its_last_page(visitor, shop, make_item):
    coat = make_item(shop, title="Wool winter coat", price="420.00")
    item_url = reverse("storefront:item", args=[coat.public_id])

    visitor.goto("/")
    visitor.goto(item_url)
    visitor.locator("[data-quantity]").fill("2")
    visitor.locator("[data-add-button]").click()
    visitor.wait_for_url(f"**{item_url}")
    assert visitor.get_by_test_id("cart-count").inner_text() == "2"
    visitor.wait_for_timeout(400)  # the visitor reads the page a little
    visitor.goto("about:blank")  # and leaves the site: the last page of the visit

    def in_visit_order():
        # Beacons go out as each page is left and may land in any order (the home page's after
        # the item page's), so the visit's order is the referrer chain, not the arrival.
        views = list(CustomerEvent.objects.filter(name="page_viewed").order_by("id"))
        return sorted(views, key=lambda v: (v.page_type != "home", back_on_item(v)))

    def back_on_item(view):
        return (view.data.get("referrer") or "").endswith(item_url)

    def last_page_reported():
        views = in_visit_order()
        if len(views) < 3:
            return False
        last = views[-1].page_view_id
        return CustomerEvent.objects.filter(name="engaged_time", page_view_id=last).exists()

    wait_for(last_page_reported)
    views = in_visit_order()
    assert [v.page_type for v in views] == ["home", "item", "item"]
    assert views[1].shop_id == shop.pk and views[1].data["page"]["item_id"] == str(coat.public_id)
    assert views[2].data["referrer"].endswith(item_url), "back on the item page after adding"
    assert len({v.page_view_id for v in views}) == 3
    assert len({v.session_id for v in views}) == 1, "one visit"
    assert len({v.visitor_id for v in views[1:]}) == 1

    added = CustomerEvent.objects.get(name="added_to_cart")
    assert added.data == {
        "page": added.data["page"], "item_id": str(coat.public_id),
        "sku_id": coat.skus.get().pk, "quantity": 2,
    }  # fmt: skip
    assert added.page_view_id == views[1].page_view_id

    engaged = CustomerEvent.objects.filter(name="engaged_time", page_view_id=views[2].page_view_id)
    spent = sum(e.data["engaged_ms"] for e in engaged)
    assert spent >= 300, "the time actually spent on the last page, not 0 for want of a next one"


def test_time_without_focus_or_while_hidden_is_not_engaged(visitor, shop, make_item):
    coat = make_item(shop, title="Wool winter coat", price="420.00")
    visitor.goto(reverse("storefront:item", args=[coat.public_id]))
    # Headless Chromium cannot lose focus or be hidden for real; make the page say so.
    visitor.evaluate("""() => {
        window.__focused = true;
        document.hasFocus = () => window.__focused;
        window.__hidden = false;
        Object.defineProperty(document, "visibilityState",
            {get: () => (window.__hidden ? "hidden" : "visible")});
    }""")
    # The page notes when each change happened (ms since navigation), so the test does not
    # depend on how fast a loaded machine runs it.
    visitor.wait_for_timeout(300)
    blurred = visitor.evaluate(
        "() => { window.__focused = false; window.dispatchEvent(new Event('blur'));"
        " return performance.now(); }"
    )
    visitor.wait_for_timeout(1500)  # another window has the focus: not engaged
    focused = visitor.evaluate(
        "() => { window.__focused = true; window.dispatchEvent(new Event('focus'));"
        " return performance.now(); }"
    )
    visitor.wait_for_timeout(300)
    hidden = visitor.evaluate(
        "() => { window.__hidden = true; document.dispatchEvent(new Event('visibilitychange'));"
        " return performance.now(); }"
    )

    wait_for(lambda: CustomerEvent.objects.filter(name="engaged_time").exists())
    visitor.wait_for_timeout(1500)  # hidden: not engaged either
    visitor.goto("about:blank")
    visitor.wait_for_timeout(500)

    reported = [e.data["engaged_ms"] for e in CustomerEvent.objects.filter(name="engaged_time")]
    assert len(reported) == 1, "hidden, then left: nothing more to report"
    # Engaged: from the script's start to the blur, and from the focus to the hiding; never the
    # unfocused stretch, nor the hidden one after.
    refocused = hidden - focused
    assert refocused - 50 <= reported[0] <= blurred + refocused + 50
