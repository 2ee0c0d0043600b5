"""In Chromium: the main pages work under the Content-Security-Policy, with no violation reported."""

import pytest
from django.urls import reverse

from emporium.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# Every violation the page sees, whether or not the browser also logs it.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def visit(context, url: str) -> list[str]:
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    problems += page.evaluate("window.__violations")
    page.close()
    return problems


def logged_in(chromium, base_url: str, username: str):
    context = chromium.new_context(base_url=base_url)
    context.add_init_script(WATCH)
    page = context.new_page()
    page.goto(reverse("members:login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    page.close()
    return context


def test_the_main_pages_run_under_the_policy_without_a_violation(
    chromium, live_server, seller, shop, item, developer
):
    buyer_pages = [
        "/", reverse("storefront:item", args=[item.public_id]), reverse("storefront:cart"),
        reverse("storefront:shop", args=[shop.slug]),
        "/api/v1/docs",
    ]  # fmt: skip
    seller_pages = [reverse("sellercenter:dashboard"), reverse("sellercenter:finance")]
    found = {}
    seller_context = logged_in(chromium, live_server.url, seller.username)
    for url in buyer_pages + seller_pages:
        found[url] = visit(seller_context, url)
    developer_context = logged_in(chromium, live_server.url, developer.username)
    found[reverse("ecosystem:home")] = visit(developer_context, reverse("ecosystem:home"))
    assert {url: problems for url, problems in found.items() if problems} == {}


def test_the_api_docs_render_the_operations_from_our_own_files(chromium, live_server, db):
    context = chromium.new_context(base_url=live_server.url)
    context.add_init_script(WATCH)
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(live_server.url) and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() > 10
    assert page.evaluate("window.__violations") == [] and outside == []
