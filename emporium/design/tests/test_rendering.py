"""The storefront shop page shows the published design; without one (or closed) it is unchanged."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

from emporium.design import actions
from emporium.design.tests.conftest import banner, doc
from emporium.lib import clock
from emporium.pictures.models import Picture
from emporium.promotions.activities import create_coupons
from emporium.shops.models import Shop


def shop_page(client, shop) -> str:
    response = client.get(reverse("storefront:shop", args=[shop.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_shop_without_a_design_keeps_todays_page(client, shop, item):
    html = shop_page(client, shop)
    assert 'data-testid="shop-design"' not in html
    assert item.title in html


def test_the_published_design_shows_and_the_draft_does_not(client, shop, item, picture):
    actions.save_draft(shop, doc(banner(picture.key, heading="Published banner")))
    actions.publish(shop)
    actions.save_draft(shop, doc(banner(heading="Unpublished draft")))
    html = shop_page(client, shop)
    assert 'data-testid="shop-design"' in html
    assert "Published banner" in html
    assert "Unpublished draft" not in html
    assert f"/media/pictures/{picture.key[:2]}/{picture.key}_1200.webp" in html
    assert item.title in html  # the item listing stays below the design


def test_a_closed_shop_shows_no_design(client, shop, picture):
    actions.save_draft(shop, doc(banner(picture.key, heading="Published banner")))
    actions.publish(shop)
    Shop.objects.filter(pk=shop.pk).update(status=Shop.Status.CLOSED)
    assert (
        "Published banner"
        not in client.get(reverse("storefront:shop", args=[shop.slug])).content.decode()
    )


def test_a_missing_picture_renders_its_placeholder(client, shop, picture):
    actions.save_draft(shop, doc(banner(picture.key, heading="Gone")))
    actions.publish(shop)
    Picture.objects.filter(pk=picture.pk).delete()
    html = shop_page(client, shop)
    assert 'data-testid="design-placeholder"' in html
    assert picture.key not in html


def test_item_grids_follow_their_rule(client, shop, make_item):
    cheap = make_item(shop, title="Cheap socks", price="9.90")
    dear = make_item(shop, title="Dear coat", price="899.00")
    actions.save_draft(shop, doc(
        {"type": "item_grid", "settings": {"heading": "Under 100", "rule": "price_band",
                                           "max_price": "100"}},
        {"type": "item_grid", "settings": {"heading": "Picked", "rule": "hand_picked",
                                           "items": [str(dear.public_id)]}},
    ))  # fmt: skip
    actions.publish(shop)
    html = shop_page(client, shop)
    design = html[html.index('data-testid="shop-design"') : html.index("with-sidebar")]
    under, picked = design.split("Picked")
    assert cheap.title in under and dear.title not in under
    assert dear.title in picked and cheap.title not in picked


def test_every_kind_of_section_renders(client, shop, item, picture):
    from emporium.shops.models import ShopCategory

    group = ShopCategory.objects.create(shop=shop, name="Dresses")
    now = clock.now()
    create_coupons(shop, name="Welcome", amount_off=Decimal("10"), min_spend=Decimal("100"), total_count=5,
                   starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1))  # fmt: skip
    link = str(item.public_id)
    actions.save_draft(shop, doc(
        banner(picture.key, heading="Hero"),
        {"type": "carousel", "blocks": [{"settings": {"picture": picture.key, "caption": "One",
                                                      "link_item": link}}, {"settings": {}}]},
        {"type": "item_grid", "settings": {"rule": "best_selling"}},
        {"type": "category_nav", "blocks": [{"settings": {"category": group.pk}}]},
        {"type": "rich_text", "settings": {"text": "<p><strong>Made by hand</strong></p>"}},
        {"type": "picture_text", "settings": {"text": "<p>Our story</p>", "link_item": link}},
        {"type": "coupon_strip", "settings": {"heading": "Coupons"}},
        {"type": "custom_html", "settings": {"html": "<p>Free <em>gift</em><script>x()</script></p>"}},
    ))  # fmt: skip
    actions.publish(shop)
    html = shop_page(client, shop)
    for expected in ("Hero", "One", item.title, f"?group={group.pk}", "<strong>Made by hand</strong>",
                     "Our story", "Welcome", "Free <em>gift</em>"):  # fmt: skip
        assert expected in html, expected
    assert "x()" not in html
    assert html.count('data-section-type="') == 8


def test_the_shop_page_renders_in_chinese(client, shop, picture):
    actions.save_draft(shop, doc(banner(), {"type": "coupon_strip"}))
    actions.publish(shop)
    response = client.get(
        reverse("storefront:shop", args=[shop.slug]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    html = response.content.decode()
    assert "图片待上传" in html
    assert "暂无可领取的优惠券" in html


def test_a_preview_link_shows_the_draft_until_it_expires(client, shop, settings, monkeypatch):
    from emporium.design.preview import preview_link

    actions.save_draft(shop, doc(banner(heading="Draft to check")))
    url, _expires = preview_link(shop)
    html = client.get(url).content.decode()
    assert "Draft to check" in html
    assert 'data-testid="preview-note"' in html
    assert client.get(url[:-3] + "xx/").status_code == 404
    import time

    later = time.time() + settings.DESIGN_PREVIEW_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(url).status_code == 404


def test_a_design_of_20_sections_renders_in_a_fixed_number_of_queries(
    shop, make_item, picture, django_assert_max_num_queries
):
    from emporium.design.render import render_document

    items = [make_item(shop, title=f"Item {n}") for n in range(6)]
    picked = [str(i.public_id) for i in items]
    sections = [banner(picture.key, heading=f"Banner {n}") for n in range(8)]
    sections += [{"type": "item_grid", "settings": {"rule": "hand_picked", "items": picked}}] * 6
    sections += [{"type": "item_grid", "settings": {"rule": rule}}
                 for rule in ("newest", "best_selling")]  # fmt: skip
    sections += [{"type": "picture_text", "settings": {"picture": picture.key,
                                                       "link_item": picked[0]}}] * 2  # fmt: skip
    sections += [{"type": "category_nav"}, {"type": "coupon_strip"}]
    stored = actions.save_draft(shop, doc(*sections)).draft
    assert len(stored["sections"]) == 20
    # pictures (2), linked and picked items (1), categories (1), one per rule grid (2), coupons (1),
    # every grid's card prices at once (SKUs, flash sales, discounts: 3)
    with django_assert_max_num_queries(10):
        html = render_document(shop, stored)
    assert html.count('data-section-type="') == 20
