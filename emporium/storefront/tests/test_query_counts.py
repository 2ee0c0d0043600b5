"""The buyer's hot pages cost a fixed number of queries, whatever the item or the results hold.

Exact pins: a new query per SKU, picture, review or result fails here before it reaches a buyer.
"""

from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emporium.community import reviews
from emporium.conftest import picture_bytes
from emporium.storefront.tests.helpers import add_picture
from emporium.trade import orders

# The item with its shop and category, SKUs, the item's stars, pictures, the last reviews with
# their pictures (none without reviews), the last questions; the shop's running activities (4)
# and rating and the header's categories, shared between pages served under one version
# (storefront/shared.py); flash sales and discounts (the price) only while the shop runs one.
# Whether the shop places item-page app blocks at all rides on the item query; a shop that does
# pays one query for all of them.
ITEM_OWN = 7
SHARED_PARTS = 6
ITEM_PAGE = ITEM_OWN + SHARED_PARTS
ITEM_PAGE_WITH_BLOCKS = ITEM_PAGE + 1
# An anonymous visitor's request reads the page version first (storefront/pagecache.py); served
# from the cache that is all it costs. A page rendered for the cache also asks when the next
# promotion starts or ends (once per version and process); a page with app blocks is never
# cached, so it pays the version only.
PAGE_VERSION = 1
CACHED = PAGE_VERSION
FIRST_RENDER = PAGE_VERSION + 1
# Count and page of the results, the category tree (the side bar and the form's choices), and the
# cards' prices as the item page shows them: the page's SKUs, flash sales and discounts (3).
SEARCH_PAGE = 7


def reviewed(buyer, address, item, times: int) -> None:
    """`times` orders of the item, each received and reviewed with a picture, and a question."""
    for n in range(times):
        (order,) = orders.checkout(buyer, address, [(item.skus.all()[n], 1)])
        orders.pay(buyer, [order])
        orders.ship(order, "SF Express", f"SF{order.pk}")
        orders.confirm_receipt(order)
        picture = SimpleUploadedFile("r.png", picture_bytes(), "image/png")
        reviews.write_review(buyer, order.lines.get(), 5, "Lovely", pictures=[picture])
        reviews.ask(buyer, item, f"Question {n}?")


def test_the_item_page_costs_the_same_queries_however_much_the_item_has(
    client, shop, make_item, funded_buyer, address, django_assert_num_queries
):
    small = make_item(shop, title="Small dress", options={"Size": ["S", "M"]})
    add_picture(small)
    reviewed(funded_buyer, address, small, 1)
    big = make_item(
        shop,
        title="Big dress",
        options={"Colour": ["Red", "Blue", "Green"], "Size": ["S", "M", "L"]},
    )
    for n in range(4):
        add_picture(big, colour=(40 * n, 10, 10))
    reviewed(funded_buyer, address, big, 3)
    for item in (small, big):
        caches["pages"].clear()
        with django_assert_num_queries(ITEM_PAGE + FIRST_RENDER):
            response = client.get(reverse("storefront:item", args=[item.public_id]))
        assert response.status_code == 200
        with django_assert_num_queries(CACHED):
            assert client.get(reverse("storefront:item", args=[item.public_id])).status_code == 200
    # Another item of the shop, first visit: the shop's parts and the header come shared.
    with django_assert_num_queries(ITEM_OWN + PAGE_VERSION):
        assert client.get(reverse("storefront:item", args=[small.public_id])).status_code == 200


def test_a_buyer_logged_in_pays_every_query_of_their_own_page(
    client, buyer, shop, make_item, django_assert_num_queries
):
    dress = make_item(shop, title="Plain dress")
    client.force_login(buyer)
    client.get(reverse("storefront:item", args=[dress.public_id]))
    # No reviews (no review query), no page version read, so of the shared parts only the
    # header's categories are kept (steady_part); the session, the member and the cart count
    # are the logged-in buyer's own.
    with django_assert_num_queries(ITEM_PAGE - 1 - 1 + 3):
        assert client.get(reverse("storefront:item", args=[dress.public_id])).status_code == 200


def test_search_costs_the_same_queries_for_two_results_or_a_full_page(
    client, shop, other_shop, make_item, django_assert_num_queries
):
    make_item(shop, title="Summer dress")
    make_item(other_shop, title="Summer skirt")
    with django_assert_num_queries(SEARCH_PAGE + FIRST_RENDER):
        response = client.get(reverse("storefront:search"), {"q": "summer"})
    assert len(response.context["page"].object_list) == 2
    with django_assert_num_queries(CACHED):
        client.get(reverse("storefront:search"), {"q": "summer"})
    for n in range(28):
        add_picture(make_item(shop if n % 2 else other_shop, title=f"Summer dress {n}"))
    caches["pages"].clear()
    with django_assert_num_queries(SEARCH_PAGE + FIRST_RENDER):
        response = client.get(reverse("storefront:search"), {"q": "summer"})
    assert len(response.context["page"].object_list) == 24


def test_item_page_blocks_cost_one_query_however_many(
    client, shop, make_item, developer, funded_buyer, address, django_assert_num_queries
):
    from emporium.ecosystem.registration import register_app
    from emporium.market import installs, item_blocks, listings
    from emporium.market.listings import BlockSpec, PlanSpec

    item = make_item(shop, title="Dress", options={"Size": ["S", "M"]})
    add_picture(item)
    reviewed(funded_buyer, address, item, 1)
    placements = ["gallery", "buybox", "description"]
    rows = []
    for n, where in enumerate(placements):
        app, _secret = register_app(
            developer, name=f"App {n}", redirect_uris=[f"https://a{n}.example/cb"],
            scopes=["shop:read"],
        )  # fmt: skip
        listing = listings.save_listing(
            app, name=f"App {n}", summary_en="s", description_en="d", category="buyer",
            scopes=["shop:read"], plans=[PlanSpec("Free", "free")], submit=True,
            blocks=[BlockSpec(f"B{n}", f"https://a{n}.example/block", where)],
        )  # fmt: skip
        listings.approve(listing)
        installs.install(shop, listing, listing.plans.get())
        rows.append(listing.blocks.get())
    url = reverse("storefront:item", args=[item.public_id])
    caches["pages"].clear()
    with django_assert_num_queries(ITEM_PAGE + FIRST_RENDER):  # no block placed: no block query
        assert client.get(url).status_code == 200
    item_blocks.turn_on(shop, rows[0].pk, all_items=True)
    # turn_on wrote: a new version, so the shared parts and the next boundary are read again.
    with django_assert_num_queries(ITEM_PAGE_WITH_BLOCKS + FIRST_RENDER):
        assert client.get(url).content.decode().count('data-testid="item-block"') == 1
    for row in rows[1:]:
        item_blocks.turn_on(shop, row.pk, all_items=False, add=[item.pk])
    with django_assert_num_queries(ITEM_PAGE_WITH_BLOCKS + FIRST_RENDER):  # never from the cache
        assert client.get(url).content.decode().count('data-testid="item-block"') == 3


def test_a_members_pages_keep_the_headers_categories_for_a_while(client, buyer, settings):
    client.force_login(buyer)
    client.get(reverse("trade:orders"))
    with CaptureQueriesContext(connection) as seen:
        page = client.get(reverse("trade:orders"))
    assert 'href="/c/' in page.content.decode(), "the header's categories are shown"
    assert not [q for q in seen.captured_queries if "catalog_category" in q["sql"]]
    settings.PAGE_CACHE_SECONDS = 0  # the page cache off: nothing kept
    with CaptureQueriesContext(connection) as seen:
        client.get(reverse("trade:orders"))
    assert [q for q in seen.captured_queries if "catalog_category" in q["sql"]]
