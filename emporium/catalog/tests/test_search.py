"""Search finds items on sale by words, filters by category and price, and sorts as asked."""

from decimal import Decimal

from emporium.catalog import services as catalog
from emporium.catalog.models import Category, Item
from emporium.catalog.search import SearchQuery, search_items


def titles(query: SearchQuery) -> list[str]:
    return [i.title for i in search_items(query)]


def test_it_finds_items_by_title_words_and_word_prefixes(shop, make_item):
    make_item(shop, title="Linen summer dress")
    make_item(shop, title="Wool winter coat")
    assert titles(SearchQuery(text="summer")) == ["Linen summer dress"]
    assert titles(SearchQuery(text="win")) == ["Wool winter coat"]
    assert titles(SearchQuery(text="linen dress")) == ["Linen summer dress"]
    assert titles(SearchQuery(text="linen coat")) == []


def test_it_finds_words_of_the_description(shop, make_item):
    make_item(shop, title="Plain tee", description_html="<p>Organic <b>cotton</b> jersey</p>")
    assert titles(SearchQuery(text="cotton")) == ["Plain tee"]


def test_it_ranks_title_matches_above_description_matches(shop, make_item):
    make_item(shop, title="Silk scarf", description_html="goes with a dress")
    make_item(shop, title="Silk dress")
    assert titles(SearchQuery(text="dress")) == ["Silk dress", "Silk scarf"]


def test_it_treats_search_operators_typed_by_a_visitor_as_plain_text(shop, make_item):
    make_item(shop, title="Linen summer dress")
    for text in ['"', "dress OR", "NEAR(a b)", "title:dress", "*", "dress AND NOT"]:
        search_items(SearchQuery(text=text)).count()  # must not raise
    assert titles(SearchQuery(text='dress"')) == ["Linen summer dress"]


def test_it_follows_a_title_edit(shop, make_item, dresses):
    dress = make_item(shop, title="Linen summer dress")
    catalog.update_item(dress, title="Velvet evening gown", category=dresses, description_html="")
    assert titles(SearchQuery(text="summer")) == []
    assert titles(SearchQuery(text="velvet")) == ["Velvet evening gown"]


def test_it_hides_items_that_are_not_on_sale(shop, make_item):
    make_item(shop, title="Hidden dress", status=Item.Status.STOCK_ROOM)
    make_item(shop, title="Deleted dress", status=Item.Status.DELETED)
    assert titles(SearchQuery(text="dress")) == []


def test_it_matches_chinese_text_as_a_substring(shop, make_item):
    make_item(shop, title="法式复古连衣裙")
    assert titles(SearchQuery(text="连衣裙")) == ["法式复古连衣裙"]


def test_a_parent_category_includes_its_children(shop, make_item, phones):
    make_item(shop, title="Dress")
    make_item(shop, title="Phone", category=phones)
    women = Category.objects.get(slug="women")
    assert titles(SearchQuery(category=women)) == ["Dress"]


def test_it_filters_by_price_range_and_sorts(shop, make_item):
    make_item(shop, title="Cheap", price="10.00")
    make_item(shop, title="Middle", price="50.00")
    make_item(shop, title="Dear", price="90.00")
    in_range = SearchQuery(min_price=Decimal("20"), max_price=Decimal("100"), sort="price_asc")
    assert titles(in_range) == ["Middle", "Dear"]
    assert titles(SearchQuery(sort="price_desc")) == ["Dear", "Middle", "Cheap"]
    assert titles(SearchQuery(sort="newest")) == ["Dear", "Middle", "Cheap"]


def test_best_sellers_come_first_by_sales(shop, make_item):
    slow = make_item(shop, title="Slow")
    fast = make_item(shop, title="Fast")
    Item.objects.filter(pk=fast.pk).update(sales_count=50)
    Item.objects.filter(pk=slow.pk).update(sales_count=5)
    assert titles(SearchQuery(sort="sales")) == ["Fast", "Slow"]
