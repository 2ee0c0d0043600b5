"""The TV app's own rules: every word in both languages, events applied once, recent items kept short."""

from emporium_sdk import Event
from emporium_tv import i18n
from emporium_tv.config import Config
from emporium_tv.mall import Mall
from emporium_tv.store import RECENT_KEPT, Store


def test_every_word_has_its_chinese():
    assert set(i18n.EN) == set(i18n.ZH)
    assert all(i18n.ZH[key].strip() for key in i18n.ZH)


def test_the_language_follows_the_query_then_the_browser():
    assert i18n.pick("en-GB", "zh-hans") == "zh-hans"
    assert i18n.pick("zh-CN,zh;q=0.9", None) == "zh-hans"
    assert i18n.pick("de-DE", "xx") == "en"


def test_an_event_delivered_twice_is_applied_once(tmp_path):
    mall = Mall(Config(client_id="x", client_secret="y", data_dir=tmp_path))
    mall.store.save_order("sofa", "ord_1", "N1", "pending_payment", "199.00")
    paid = Event(id="evt_1", type="order.paid", version=1, shop_id=None,
                 occurred_at="2026-01-01T00:00:00Z", data={"order": {"id": "ord_1"}})  # fmt: skip
    shipped = Event(id="evt_2", type="order.shipped", version=1, shop_id=None,
                    occurred_at="2026-01-02T00:00:00Z", data={"order": {"id": "ord_1"}})  # fmt: skip
    mall.apply(paid)
    mall.apply(shipped)
    mall.apply(paid)  # a late redelivery does not take the order back to "paid"
    assert mall.store.order_status("ord_1") == "shipped"
    late = Event(id="evt_3", type="order.paid", version=1, shop_id=None,
                 occurred_at="2026-01-01T00:00:00Z", data={"order": {"id": "ord_1"}})  # fmt: skip
    mall.apply(late)  # nor does a "paid" that arrives after "shipped"
    assert mall.store.order_status("ord_1") == "shipped"


def test_recently_viewed_keeps_the_newest_only(tmp_path):
    store = Store(tmp_path / "tv.sqlite3")
    for n in range(RECENT_KEPT + 5):
        store.viewed("sofa", f"item{n}")
    store.viewed("sofa", "item0")  # seen again: first
    recent = store.recent("sofa", limit=100)
    assert len(recent) == RECENT_KEPT and recent[0] == "item0"
    assert store.recent("another-tv") == []
