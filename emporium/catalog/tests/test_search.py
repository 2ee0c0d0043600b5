"""Search finds items on sale by words, filters by category and price, and sorts as asked."""

from decimal import Decimal

from emporium.catalog import services as catalog
from emporium.catalog.models import Category, Item
from emporium.catalog.search import SearchQuery, search_items
from emporium.catalog.search_terms import reindex_category


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


def test_chinese_words_are_found_inside_unspaced_titles(shop, make_item, phones):
    make_item(shop, title="2026新茶 西湖龙井明前特级茶叶 250克", category=phones)
    make_item(shop, title="Wool winter coat", category=phones)
    for word in ["龙井", "西湖龙井", "明前特级", "茶叶", "茶", "新茶 250"]:
        assert titles(SearchQuery(text=word)) == ["2026新茶 西湖龙井明前特级茶叶 250克"], word
    # Characters that are in the title but not next to each other are not the word.
    assert titles(SearchQuery(text="龙茶")) == []
    assert titles(SearchQuery(text="乌龙")) == []


def test_chinese_words_of_the_description_are_found_and_rank_below_the_title(shop, make_item):
    make_item(shop, title="Plain tee", description_html="<p>纯棉面料，夏季透气</p>")
    make_item(shop, title="纯棉短袖T恤")
    assert titles(SearchQuery(text="纯棉")) == ["纯棉短袖T恤", "Plain tee"]


def test_a_category_is_found_by_its_name_in_either_language(shop, make_item, phones):
    make_item(shop, title="Linen summer frock")  # a dress, titled without the word
    make_item(shop, title="法式复古长裙")  # a dress, titled in Chinese
    make_item(shop, title="Pocket phone", category=phones)
    assert set(titles(SearchQuery(text="连衣裙"))) == {"Linen summer frock", "法式复古长裙"}
    assert set(titles(SearchQuery(text="dresses"))) == {"Linen summer frock", "法式复古长裙"}
    assert titles(SearchQuery(text="手机")) == ["Pocket phone"]


def test_mixed_language_queries_need_every_word(shop, make_item, phones):
    make_item(shop, title="iPhone手机壳 透明防摔", category=phones)
    make_item(shop, title="Leather phone case", category=phones)
    assert titles(SearchQuery(text="iphone 防摔")) == ["iPhone手机壳 透明防摔"]
    assert titles(SearchQuery(text="iPhone手机壳")) == ["iPhone手机壳 透明防摔"]
    assert titles(SearchQuery(text="leather 防摔")) == []


def test_quotes_and_operators_inside_chinese_queries_are_plain_text(shop, make_item):
    make_item(shop, title="法式复古连衣裙")
    for text in ['连衣"裙', "连衣裙 OR 外套", "{title}: 连衣", "连衣裙*", "NEAR(连衣 裙)"]:
        search_items(SearchQuery(text=text)).count()  # must not raise
    assert titles(SearchQuery(text='"连衣裙"')) == ["法式复古连衣裙"]


def test_renaming_a_category_is_followed_by_search(shop, make_item, dresses):
    make_item(shop, title="Linen summer frock")
    dresses.name_zh_hans = "裙装"
    dresses.save()
    reindex_category(dresses)
    assert titles(SearchQuery(text="裙装")) == ["Linen summer frock"]
    assert titles(SearchQuery(text="连衣裙")) == []


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


def test_chinese_titles_are_found_by_their_pinyin_and_its_initials(shop, make_item, dresses):
    make_item(shop, title="法式复古碎花连衣裙", category=dresses)
    make_item(shop, title="Linen summer dress", category=dresses)
    make_item(shop, title="纯棉短袖T恤", category=dresses)
    for word in ["lianyiqun", "lianyi", "LianYiQun", "lyq", "lian yi qun", "suihua lyq", "fsfg"]:
        assert titles(SearchQuery(text=word)) == ["法式复古碎花连衣裙"], word
    assert titles(SearchQuery(text="chunmian")) == ["纯棉短袖T恤"]
    # Initials of characters that are not next to each other, or pinyin that is not there: none.
    assert titles(SearchQuery(text="lq")) == []
    assert titles(SearchQuery(text="qunlian")) == []


def test_pinyin_follows_a_title_edit_and_heteronyms_read_as_in_the_phrase(shop, make_item, dresses):
    dress = make_item(shop, title="Linen summer dress", category=dresses)
    catalog.update_item(dress, title="银行卡套 绿色", category=dresses, description_html="")
    assert titles(SearchQuery(text="yinhang")) == ["银行卡套 绿色"]
    assert titles(SearchQuery(text="lvse")) == ["银行卡套 绿色"]  # ü typed as v
    assert titles(SearchQuery(text="yinxing")) == []
    assert titles(SearchQuery(text="linen")) == []
