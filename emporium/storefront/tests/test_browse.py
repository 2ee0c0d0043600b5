"""Category and search pages: filters, sorts and pages work; bad filter input never breaks them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from emporium.catalog.models import Category, Item
from emporium.storefront.tests.helpers import text


def titles(response) -> list[str]:
    return [item.title for item in response.context["page"].object_list]


@pytest.fixture
def three_dresses(shop, make_item):
    cheap = make_item(shop, title="Cotton dress", price="50.00")
    middle = make_item(shop, title="Linen dress", price="150.00")
    dear = make_item(shop, title="Silk dress", price="900.00")
    Item.objects.filter(pk=cheap.pk).update(sales_count=5)
    Item.objects.filter(pk=middle.pk).update(sales_count=50)
    Item.objects.filter(pk=dear.pk).update(sales_count=1)
    old = timezone.now() - timedelta(days=3)
    Item.objects.filter(pk=cheap.pk).update(created_at=old)
    return cheap, middle, dear


# Category pages


def test_a_top_category_lists_the_items_of_its_sub_categories(client, three_dresses):
    response = client.get(reverse("storefront:category", args=["women"]))
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Cotton dress", "Linen dress", "Silk dress"]


def test_a_category_page_links_to_its_sub_categories(client, db):
    response = client.get(reverse("storefront:category", args=["women"]))
    for slug in ("dresses", "tops", "skirts", "coats"):
        assert reverse("storefront:category", args=[slug]) in text(response)


def test_a_category_page_leaves_out_items_of_other_categories(
    client, three_dresses, shop, make_item, phones
):
    make_item(shop, title="Pocket phone", category=phones)
    response = client.get(reverse("storefront:category", args=["dresses"]))
    assert "Pocket phone" not in titles(response)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("sales", ["Linen dress", "Cotton dress", "Silk dress"]),
        ("price_asc", ["Cotton dress", "Linen dress", "Silk dress"]),
        ("price_desc", ["Silk dress", "Linen dress", "Cotton dress"]),
        ("relevance", ["Linen dress", "Cotton dress", "Silk dress"]),
    ],
)
def test_a_category_page_sorts_as_asked(client, three_dresses, sort, expected):
    response = client.get(reverse("storefront:category", args=["dresses"]), {"sort": sort})
    assert titles(response) == expected


def test_newest_first_puts_the_oldest_item_last(client, three_dresses):
    response = client.get(reverse("storefront:category", args=["dresses"]), {"sort": "newest"})
    assert titles(response)[-1] == "Cotton dress"


def test_a_category_page_filters_by_price_range(client, three_dresses):
    url = reverse("storefront:category", args=["dresses"])
    response = client.get(url, {"min_price": "100", "max_price": "500"})
    assert titles(response) == ["Linen dress"]
    assert response.context["form"].errors == {}


def test_an_unknown_category_is_not_found(client, db):
    assert client.get(reverse("storefront:category", args=["no-such-thing"])).status_code == 404


def test_an_empty_category_says_so(client, db):
    response = client.get(reverse("storefront:category", args=["tea"]))
    assert response.status_code == 200
    assert "No items in this category yet" in text(response)


def test_categories_are_named_in_chinese_for_chinese_visitors(client, db):
    url = reverse("storefront:category", args=["women"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "<h1>女装</h1>" in text(response)


# Search


def test_search_finds_items_by_words(client, three_dresses):
    response = client.get(reverse("storefront:search"), {"q": "silk"})
    assert titles(response) == ["Silk dress"]
    assert "Results for “silk”" in text(response)


def test_search_filters_by_category_including_sub_categories(
    client, three_dresses, shop, make_item, phones
):
    make_item(shop, title="Phone with dress case", category=phones)
    response = client.get(reverse("storefront:search"), {"q": "dress", "category": "women"})
    assert "Phone with dress case" not in titles(response)
    assert len(titles(response)) == 3


def test_search_shows_an_empty_state_with_a_way_on(client, three_dresses):
    response = client.get(reverse("storefront:search"), {"q": "submarine"})
    page = text(response)
    assert response.status_code == 200
    assert 'data-testid="empty-state"' in page
    assert "Nothing matches “submarine”" in page
    assert reverse("storefront:category", args=["women"]) in page


def test_search_escapes_what_the_visitor_typed(client, db):
    response = client.get(reverse("storefront:search"), {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in text(response)


def test_search_without_words_lists_everything_on_sale(client, three_dresses):
    response = client.get(reverse("storefront:search"))
    assert len(titles(response)) == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_price": "abc"}, "min_price"),
        ({"max_price": "1e999"}, "max_price"),
        ({"min_price": "NaN"}, "min_price"),
        ({"min_price": "Infinity"}, "min_price"),
        ({"min_price": "-5"}, "min_price"),
        ({"max_price": "1.999"}, "max_price"),
        ({"max_price": "99999999999999"}, "max_price"),
        ({"min_price": "500", "max_price": "100"}, "max_price"),
        ({"category": "no-such-category"}, "category"),
        ({"category": "../../etc"}, "category"),
    ],
)
def test_bad_filter_input_is_reported_and_left_out(client, three_dresses, params, field):
    response = client.get(reverse("storefront:search"), {"q": "dress", **params})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'data-testid="filter-errors"' in text(response)
    # The other filters still apply and the results are still shown.
    assert len(titles(response)) >= 1


def test_an_unknown_sort_falls_back_to_the_best_match(client, three_dresses):
    response = client.get(reverse("storefront:search"), {"q": "dress", "sort": "bogus;drop"})
    assert response.status_code == 200
    assert response.context["query"].sort == "relevance"
    assert len(titles(response)) == 3


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0", "1.5", "99999999999999999999999"])
def test_a_page_number_out_of_range_or_not_a_number_still_shows_results(
    client, three_dresses, page
):
    response = client.get(reverse("storefront:search"), {"q": "dress", "page": page})
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_a_very_long_query_is_cut_not_refused(client, three_dresses):
    response = client.get(reverse("storefront:search"), {"q": "dress " * 500})
    assert response.status_code == 200
    assert len(response.context["query"].text) <= 100


# Pagination


@pytest.fixture
def thirty_dresses(shop, make_item):
    return [make_item(shop, title=f"Summer dress {n:02}", price=f"{100 + n}.00") for n in range(30)]


def test_results_come_24_to_a_page(client, thirty_dresses):
    first = client.get(reverse("storefront:search"), {"q": "summer", "sort": "price_asc"})
    second = client.get(
        reverse("storefront:search"), {"q": "summer", "sort": "price_asc", "page": "2"}
    )
    assert len(titles(first)) == 24
    assert titles(second) == [f"Summer dress {n:02}" for n in range(24, 30)]


def test_page_links_keep_the_query_and_filters(client, thirty_dresses):
    response = client.get(
        reverse("storefront:search"), {"q": "summer", "sort": "price_asc", "min_price": "1"}
    )
    links = re.findall(r'href="(\?[^"]*page=2[^"]*)"', text(response))
    assert links
    link = links[0].replace("&amp;", "&")
    assert "q=summer" in link
    assert "sort=price_asc" in link
    assert "min_price=1" in link


def test_a_page_past_the_end_shows_the_last_page(client, thirty_dresses):
    response = client.get(reverse("storefront:category", args=["dresses"]), {"page": "999"})
    assert response.context["page"].number == 2


def test_category_pages_paginate_too(client, thirty_dresses):
    response = client.get(reverse("storefront:category", args=["women"]))
    assert len(titles(response)) == 24
    assert "page=2" in text(response)


def test_every_category_page_renders(client, db):
    for slug in Category.objects.values_list("slug", flat=True):
        assert client.get(reverse("storefront:category", args=[slug])).status_code == 200


def test_browse_pages_need_a_fixed_number_of_queries_however_many_items(
    client, thirty_dresses, django_assert_max_num_queries
):
    # Each list prices its cards as the item page does: SKUs, flash sales, discounts (3); and
    # the page cache's version and next promotion boundary (2, storefront/pagecache.py). A
    # category pages its ids, then reads that page's cards (+1, storefront.listing.paginate_query).
    with django_assert_max_num_queries(8 + 3 + 2):
        client.get(reverse("storefront:category", args=["women"]))
    with django_assert_max_num_queries(6 + 3 + 1):  # the boundary is known for this version
        client.get(reverse("storefront:search"), {"q": "summer", "category": "dresses"})
    with django_assert_max_num_queries(1):  # from the cache: the version only
        client.get(reverse("storefront:category", args=["women"]))
