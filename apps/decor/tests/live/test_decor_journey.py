"""A seller decorates the shop in the seller center: picks a template, it fills itself, previews
at phone width, publishes; the storefront shows it; rolling back restores the page before."""

import time

import pytest
from django.urls import reverse

from emporium.conftest import PASSWORD
from emporium.fixtures import wait_until_taller

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_seller_decorates_the_shop_from_a_template_and_rolls_it_back(
    page, decor, shop, seller, pictured_items
):
    with decor.page(shop) as app_page:  # what the shop looked like before: an earlier design
        app_page.post("/api/templates/fill", json={"template": "new_arrivals", "lang": "en"})
        app_page.post("/api/design/publish", json={"key": "before"})
    shop_page = reverse("storefront:shop", args=[shop.slug])

    page.goto(reverse("members:login") + "?next=" + reverse("market:installed"))
    page.get_by_label("Username").fill(seller.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Open").first.click()

    app = page.frame_locator("[data-testid=embedded-app]")
    app.locator("[role=tab][data-tab=templates]").click()
    card = app.locator("[data-template=big_sale]")
    card.get_by_role("button", name="Use this template").click()
    # Auto-filled from the shop: the editor lists the sections, the banner holds a picture.
    app.locator("#notice.good").wait_for()
    assert app.locator("#sections li").count() == 4
    assert app.locator("#sections li[data-type=banner] img.slot").get_attribute("src")
    # The heading is changed without code, then undone, then changed again.
    heading = app.get_by_label("Section 1 heading")
    assert heading.input_value() == "Big sale"
    heading.fill("Winter sale")
    heading.press("Tab")
    app.locator("#undo").click()
    assert app.get_by_label("Section 1 heading").input_value() == "Big sale"
    app.get_by_label("Section 1 heading").fill("Winter sale")
    app.get_by_label("Section 1 heading").press("Tab")
    app.locator("#save").click()
    phone = app.frame_locator("#preview-phone")
    phone.get_by_text("Winter sale").first.wait_for()
    box = app.locator("#preview-phone").bounding_box()
    assert 380 <= box["width"] <= 400  # a phone's width, beside the desktop preview
    app.frame_locator("#preview-desktop").get_by_text("Winter sale").first.wait_for()

    app.locator("#publish").click()
    app.locator("#versions li[data-version='2']").wait_for()
    storefront = page.context.new_page()
    storefront.goto(shop_page)
    assert storefront.get_by_text("Winter sale").first.is_visible()
    assert storefront.get_by_text("Just in at").count() == 0

    app.locator("#versions li[data-version='1']").get_by_role("button", name="Roll back").click()
    app.locator("#versions li[data-version='3']").wait_for()
    storefront.reload()
    assert storefront.get_by_text("Just in at").first.is_visible()
    assert storefront.get_by_text("Winter sale").count() == 0


def test_an_edit_made_while_the_last_save_is_on_its_way_is_kept(
    page, decor, shop, seller, pictured_items
):
    # The template's own save is held until the seller has edited; its late answer used to
    # replace the editor's sections, so the edit vanished and "Save" previewed the old heading.
    held = []

    def hold_first_draft_save(route):
        if route.request.method == "PUT" and not held:
            held.append(route)
        else:
            route.continue_()

    page.route("**/api/design/draft", hold_first_draft_save)
    app = open_app(page, seller)
    app.locator("[role=tab][data-tab=templates]").click()
    app.locator("[data-template=big_sale]").get_by_role("button", name="Use this template").click()
    app.get_by_label("Section 1 heading").wait_for()
    deadline = time.monotonic() + 30
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the template's draft save never left the page"
    app.get_by_label("Section 1 heading").fill("Winter sale")
    app.get_by_label("Section 1 heading").press("Tab")
    held[0].continue_()
    app.locator("#notice.good").filter(has_text="Draft saved").wait_for()
    assert app.get_by_label("Section 1 heading").input_value() == "Winter sale"
    app.locator("#save").click()
    app.frame_locator("#preview-phone").get_by_text("Winter sale").first.wait_for()


def test_the_app_speaks_chinese_in_a_chinese_seller_center(
    chromium, live_server, decor, shop, seller
):
    from emporium.market.embedding import embed_url

    context = chromium.new_context(locale="zh-CN")
    zh = context.new_page()
    zh.goto(embed_url(decor.listing, shop, seller, live_server.url, locale="zh-hans"))
    assert zh.get_by_role("tab", name="模板", exact=True).is_visible()
    zh.get_by_role("tab", name="模板", exact=True).click()
    zh.locator("[data-template=festival] h3").wait_for()
    assert zh.locator("[data-template=festival] h3").inner_text() == "节日"
    context.close()


def open_app(page, seller):
    page.goto(reverse("members:login") + "?next=" + reverse("market:installed"))
    page.get_by_label("Username").fill(seller.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Open").first.click()
    return page.frame_locator("[data-testid=embedded-app]")


def test_a_seller_uploads_photographs_and_deletes_one_in_use_after_being_told_where(
    page, decor, shop, seller, tmp_path
):
    from decor_photos import photo

    from emporium.pictures.models import Picture

    files = []
    for name in ("astronaut.png", "coffee.png", "rocket.jpg"):
        path = tmp_path / name
        path.write_bytes(photo(name))
        files.append(str(path))
    (tmp_path / "broken.jpg").write_bytes(photo("rocket.jpg")[:3000])
    files.append(str(tmp_path / "broken.jpg"))

    app = open_app(page, seller)
    app.locator("#upload-folder").fill("banners")
    app.locator("#files").set_input_files(files)
    app.locator("#retry").wait_for()  # the broken file failed; the others went up
    assert app.locator("#upload-count").inner_text() == "3 uploaded · 1 failed"
    assert "damaged" in app.locator("#notice").inner_text()
    assert Picture.objects.filter(shop=shop, folder="banners").count() == 3

    # The coffee picture goes on the draft; deleting it asks, and says where it is used.
    coffee = Picture.objects.get(shop=shop, name="coffee.png")
    with decor.page(shop) as app_page:
        app_page.put("/api/design/draft", json={"sections": [
            {"type": "banner", "settings": {"picture": coffee.key}}]})  # fmt: skip
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    app.get_by_role("textbox", name="Find by name, tag, item").fill("coffee")
    app.get_by_role("button", name="Find by name, tag, item").click()
    app.get_by_role("checkbox", name="coffee.png").check()
    app.locator("#delete").click()
    app.locator("#pictures p").wait_for()  # the album is empty for "coffee" now
    assert asked[0] == "Delete these pictures?"
    assert "coffee.png: design draft" in asked[1]
    assert not Picture.objects.filter(shop=shop, name="coffee.png").exists()


def test_a_seller_puts_a_size_chart_on_a_category_after_a_dry_run_and_undoes_it(
    page, decor, shop, seller, pictured_items
):
    from emporium.catalog.models import Item

    before = {i.pk: i.description_html for i in pictured_items}
    app = open_app(page, seller)
    app.locator("[role=tab][data-tab=descriptions]").click()
    app.locator("#desc-template").select_option("size_chart")
    app.locator("#desc-category").select_option("dresses")
    app.locator("#dry-run").click()
    app.locator("#diff").get_by_text("+<td>88</td>").wait_for()
    assert all(Item.objects.get(pk=pk).description_html == text for pk, text in before.items())

    app.locator("#apply").click()
    app.locator("#job-count[data-state=done]").wait_for()
    assert app.locator("#job-count").inner_text() == "3 / 3"
    assert all("<td>88</td>" in Item.objects.get(pk=pk).description_html for pk in before)

    app.locator("#undo-job").click()
    app.locator("#job-count[data-state=undone]").wait_for()
    assert all(Item.objects.get(pk=pk).description_html == text for pk, text in before.items())


def test_a_seller_reorders_sections_by_dragging_and_picks_a_picture_from_the_album(
    page, decor, shop, seller, pictured_items
):
    with decor.page(shop) as app_page:
        app_page.post("/api/templates/fill", json={"template": "clearance"})
    app = open_app(page, seller)
    app.locator("[role=tab][data-tab=editor]").click()
    types = app.locator("#sections li")
    types.first.wait_for()
    assert [types.nth(i).get_attribute("data-type") for i in range(3)] == [
        "banner",
        "item_grid",
        "coupon_strip",
    ]
    types.nth(2).drag_to(types.nth(0))
    assert [types.nth(i).get_attribute("data-type") for i in range(3)] == [
        "coupon_strip",
        "banner",
        "item_grid",
    ]

    app.locator("#sections li[data-type=banner]").get_by_role(
        "button", name="Pick a picture"
    ).click()
    app.locator("#picker").get_by_text("Silk scarf #1").click()
    app.locator("#picker").get_by_role("button", name="OK").click()
    app.locator("#save").click()
    app.locator("#notice.good").wait_for()
    from emporium.design.models import ShopDesign

    draft = ShopDesign.objects.get(shop=shop).draft["sections"]
    assert [s["type"] for s in draft] == ["coupon_strip", "banner", "item_grid"]
    assert draft[1]["settings"]["picture"] == pictured_items[1].images.first().key


def test_the_embedded_editor_takes_the_height_of_its_page(page, decor, shop, seller):
    with decor.page(shop) as app_page:
        app_page.post("/api/templates/fill", json={"template": "clearance"})
    app = open_app(page, seller)
    app.locator("[role=tab][data-tab=editor]").click()
    app.locator("#sections li").first.wait_for()
    # Sections, versions and two 700 px previews: far longer than the frame's default height.
    wait_until_taller(page, "[data-testid=embedded-app]", 900)
    framed = page.get_by_test_id("embedded-app").bounding_box()["height"]
    assert abs(framed - app.locator("html").bounding_box()["height"]) <= 4  # its border
    # Back to the shorter templates view: the frame shrinks with it, no empty band stays below.
    app.locator("[role=tab][data-tab=templates]").click()
    deadline = time.monotonic() + 10
    while page.get_by_test_id("embedded-app").bounding_box()["height"] >= framed - 100:
        assert time.monotonic() < deadline, "the frame never shrank with its page"
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)
    framed = page.get_by_test_id("embedded-app").bounding_box()["height"]
    assert abs(framed - app.locator("html").bounding_box()["height"]) <= 4
