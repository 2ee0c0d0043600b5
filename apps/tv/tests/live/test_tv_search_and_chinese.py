"""On the TV, by keys only: a Chinese title is found by typing its pinyin initials on the on-screen
keyboard; and a Chinese TV's screens (home, leave dialog, search with and without results,
categories, a category, an item, the sign-in) leave no English — neither one of the app's own
English words nor a run of English words (what sellers typed excepted)."""

import httpx
import pytest
from emporium_tv import i18n

from emporium.lib.untranslated import english_left

pytestmark = [pytest.mark.django_db(transaction=True)]
TV = {"width": 1920, "height": 1080}
KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
COLUMNS = 7  # the on-screen keyboard's grid (tv.css)
DRESS = "法式复古碎花连衣裙"


@pytest.fixture
def chinese_dress(shop, make_item):
    return make_item(shop, title=DRESS, options={"颜色": ["红色"], "尺码": ["S", "M"]})


def open_tv(chromium, tv, locale):
    context = chromium.new_context(viewport=TV, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(tv.url)
    page.wait_for_function("window.__tv.ready")
    return page


def focused(page, attribute: str = "data-key") -> str | None:
    return page.evaluate(
        f"document.activeElement && document.activeElement.getAttribute('{attribute}')"
    )


def press_until(page, key: str, wanted: str, limit: int = 12) -> None:
    for _ in range(limit):
        if focused(page) == wanted:
            return
        page.keyboard.press(key)
    assert focused(page) == wanted, f"{key} never reached {wanted}"


def to_action(page, name: str) -> None:
    """From home: up to the action bar, then along it."""
    page.keyboard.press("ArrowUp")
    press_until(page, "ArrowLeft", "search")
    press_until(page, "ArrowRight", name)


def type_on_screen(page, text: str) -> None:
    """Type with the arrows and OK, from the key under the focus (A when the screen opens)."""
    at = KEYS.index(focused(page)[len("k:") :])
    for letter in text.upper():
        to = KEYS.index(letter)
        rows, cols = to // COLUMNS - at // COLUMNS, to % COLUMNS - at % COLUMNS
        for _ in range(abs(rows)):
            page.keyboard.press("ArrowDown" if rows > 0 else "ArrowUp")
        for _ in range(abs(cols)):
            page.keyboard.press("ArrowRight" if cols > 0 else "ArrowLeft")
        assert focused(page) == f"k:{letter}"
        page.keyboard.press("Enter")
        at = to


def result_titles(page) -> list[str]:
    return page.get_by_test_id("results").locator("[data-testid=card] .t").all_inner_texts()


def test_a_chinese_title_is_found_by_typing_its_pinyin_initials(chromium, tv, chinese_dress):
    page = open_tv(chromium, tv, "en-GB")
    to_action(page, "search")
    page.keyboard.press("Enter")
    page.get_by_test_id("search-field").wait_for()
    assert "lyq finds 连衣裙" in page.locator(".search .hint").inner_text()
    type_on_screen(page, "lyq")
    assert page.get_by_test_id("search-field").inner_text() == "lyq"
    page.get_by_test_id("results").locator("[data-testid=card]").first.wait_for()
    assert result_titles(page) == [DRESS]  # the English "Linen summer dress" is not among them
    # Down into the results and OK: the dress's own screen.
    press_until(page, "ArrowRight", "r:0")
    page.keyboard.press("Enter")
    page.get_by_test_id("item").wait_for()
    assert page.get_by_test_id("item-title").inner_text() == DRESS
    # The whole pinyin finds it too, through the TV's own search route.
    found = httpx.get(f"{tv.url}/data/search", params={"q": "lianyiqun"}, timeout=30).json()
    assert [card["title"] for card in found["items"]] == [DRESS]


def test_the_screens_in_chinese_leave_no_english(chromium, tv, hot_item, chinese_dress):
    msgids = set(i18n.EN.values())
    data = {hot_item.title, DRESS, hot_item.shop.name, "Colour", "Size", "Red", "Blue"}

    def assert_chinese(page, screen: str) -> None:
        page.wait_for_timeout(300)  # a late answer drawing over the screen would be English too
        html = page.content()
        left = english_left(html, msgids, data)
        assert left == [], f"{screen}: {left}"

    # The check sees the app's English where there is English: the same home screen in English.
    english = open_tv(chromium, tv, "en-GB")
    english.get_by_test_id("row-hot").wait_for()
    assert {"Hot now", "Search", "Categories"} <= set(english_left(english.content(), msgids, data))
    english.context.close()

    page = open_tv(chromium, tv, "zh-CN")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.get_by_test_id("row-hot").wait_for()
    assert page.title() == "电视商城"
    assert_chinese(page, "home")

    page.keyboard.press("Escape")
    page.get_by_test_id("leave-dialog").wait_for()
    assert_chinese(page, "leave dialog")
    page.keyboard.press("Escape")

    to_action(page, "search")
    page.keyboard.press("Enter")
    page.get_by_test_id("search-field").wait_for()
    type_on_screen(page, "lyq")
    page.get_by_test_id("results").locator("[data-testid=card]").first.wait_for()
    assert_chinese(page, "search with results")
    type_on_screen(page, "z")  # "lyqz": nothing has it
    page.get_by_test_id("results").get_by_text("没有找到").wait_for()
    assert_chinese(page, "search without results")
    page.keyboard.press("Escape")
    page.get_by_test_id("row-hot").wait_for()

    to_action(page, "categories")
    page.keyboard.press("Enter")
    page.locator("[data-key^='cat:']").first.wait_for()
    assert_chinese(page, "categories")
    assert page.locator("[data-key='cat:women']").inner_text() != "Women"
    press_until(page, "ArrowRight", "cat:women", limit=20)
    page.keyboard.press("Enter")
    page.get_by_test_id("grid").wait_for()
    assert_chinese(page, "a category")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.get_by_test_id("row-hot").wait_for()

    assert focused(page) == "categories"  # Back returns where the buyer came from
    page.keyboard.press("ArrowDown")
    press_until(page, "ArrowLeft", "hot:0")
    page.keyboard.press("Enter")
    page.get_by_test_id("item").wait_for()
    assert_chinese(page, "item")
    press_until(page, "ArrowDown", "buy")
    page.keyboard.press("Enter")
    page.get_by_test_id("user-code").wait_for()
    assert_chinese(page, "sign in")
