"""Creating an item in Chromium at phone and desktop width (issue 23, point 8): the tree picker,
the rich-text editor, the options builder's grid, pictures dropped and reordered, all in one step."""

import base64
import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from emporium.catalog.images import image_url
from emporium.catalog.models import Item
from emporium.conftest import picture_bytes

pytestmark = pytest.mark.django_db(transaction=True)

DROP = """([zone, pictures]) => {
  const transfer = new DataTransfer();
  for (const [name, b64] of pictures) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type: "image/png" }));
  }
  zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
}"""


def png(colour) -> str:
    return base64.b64encode(picture_bytes(colour=colour)).decode()


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_a_seller_creates_a_whole_item_in_one_step(
    chromium, live_server, sign_in, shop, category_tree, width, height
):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, shop.owner)
    page.goto(reverse("sellercenter:item_create"))
    page.fill("input[name=title]", "Silk qipao")

    # The category tree: find it, choose the leaf, see the path.
    page.fill("[data-testid=category-filter]", "dress")
    page.get_by_label("Dresses").check()
    assert page.inner_text("[data-testid=chosen-category]") == "Women's clothing › Dresses"

    # The rich-text editor: bold through the toolbar.
    editor = page.locator("[data-testid=rich-editor] .ql-editor")
    editor.click()
    page.keyboard.type("Hand made ")
    page.click(".ql-bold")
    page.keyboard.type("silk")

    # The options builder makes the grid; fill it, then give one SKU its own price.
    page.click("[data-testid=add-option]")
    rows = page.locator("[data-testid=option-row]")
    rows.nth(0).locator("[data-part=name]").fill("Colour")
    rows.nth(0).locator("[data-part=values]").fill("Red, Blue")
    page.click("[data-testid=add-option]")
    rows.nth(1).locator("[data-part=name]").fill("Size")
    rows.nth(1).locator("[data-part=values]").fill("S, M")
    assert page.locator("[data-testid=sku-row]").count() == 4
    page.fill("[data-testid=fill-price]", "1299")
    page.fill("[data-testid=fill-stock]", "5")
    page.click("[data-testid=fill-apply]")
    page.locator("[data-testid=sku-row]").nth(3).locator("[data-col=price]").fill("1399.50")

    # Pictures: dropped on the zone, then the second moved first.
    zone = page.locator("[data-testid=drop-zone]").element_handle()
    page.evaluate(DROP, [zone, [["red.png", png((200, 30, 60))], ["blue.png", png((30, 60, 200))]]])
    queued = page.locator("[data-testid=queued-picture]")
    assert queued.count() == 2
    page.get_by_label("Move earlier: blue.png").click()
    assert queued.nth(0).get_attribute("data-name") == "blue.png"

    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.get_by_label("Put on sale now").check()
    page.click("[data-testid=create-item]")
    page.wait_for_url(re.compile(r"/items/[0-9a-f-]{36}/$"))

    item = Item.objects.get()
    assert (item.title, item.status, item.category.slug) == ("Silk qipao", "on_sale", "dresses")
    assert item.description_html == "<p>Hand made <strong>silk</strong></p>"
    prices = {s.label: (str(s.price), s.stock) for s in item.skus.all()}
    assert prices == {"Red / S": ("1299.00", 5), "Red / M": ("1299.00", 5),
                      "Blue / S": ("1299.00", 5), "Blue / M": ("1399.50", 5)}  # fmt: skip
    images = list(item.images.order_by("position"))
    assert len(images) == 2
    main = page.request.get(image_url(images[0].key, 240)).body()
    red, green, blue = Image.open(io.BytesIO(main)).convert("RGB").getpixel((5, 5))
    assert blue > 150 and red < 80  # the blue picture was moved first: it is the main one
    context.close()
