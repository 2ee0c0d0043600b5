"""POST /collect: strict about every field, 204 for what it takes, never a 500, never half a row."""

import json

import pytest

from emporium.customer_events.models import CustomerEvent
from emporium.customer_events.tests.conftest import item_page, page_view

pytestmark = pytest.mark.django_db


def test_it_stores_a_page_view_and_answers_204(post_events, item):
    response = post_events([page_view(item_page(item))])

    assert response.status_code == 204
    assert response["Emporium-Events-Accepted"] == "1"
    row = CustomerEvent.objects.get()
    assert (row.name, row.shop_id, row.page_type) == ("page_viewed", item.shop_id, "item")
    assert row.event_id.startswith("cev_") and len(row.event_id) == 36
    assert row.data["page"]["category_id"] == item.category_id


def test_it_accepts_application_json_too(post_events):
    response = post_events([page_view()], content_type="application/json")
    assert response.status_code == 204
    assert CustomerEvent.objects.count() == 1


def test_it_refuses_a_body_that_is_not_json(post_events):
    response = post_events(b"{not json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"
    assert CustomerEvent.objects.count() == 0


@pytest.mark.parametrize("body", ['[{"type": "page_viewed"}]', '{"events": {}}', "null", '"x"'])
def test_it_refuses_json_that_is_not_a_batch(post_events, body):
    assert post_events(body).status_code == 400


def test_it_refuses_a_body_over_the_size_cap(post_events, settings):
    settings.CUSTOMER_EVENTS_MAX_BODY_BYTES = 1000
    big = [page_view(referrer="https://example.com/" + "a" * 900)]
    response = post_events(big)
    assert response.status_code == 413
    assert CustomerEvent.objects.count() == 0


def test_it_refuses_more_events_than_a_batch_may_hold(post_events, settings):
    response = post_events([page_view() for _ in range(settings.CUSTOMER_EVENTS_MAX_BATCH + 1)])
    assert response.status_code == 413
    assert CustomerEvent.objects.count() == 0


def test_it_refuses_other_content_types_and_methods(client, post_events):
    assert (
        post_events([page_view()], content_type="application/x-www-form-urlencoded").status_code
        == 415
    )
    assert client.get("/collect").status_code == 405


def test_it_refuses_a_page_of_another_site(post_events):
    response = post_events([page_view()], HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert post_events([page_view()], HTTP_ORIGIN="http://testserver").status_code == 204


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "clicked_everything"},
        {"engaged_ms": "12"},  # with type engaged_time below: a string is not a number
        {"page_view_id": "short"},
        {"page_view_id": "has spaces in it"},
        {"page": {"type": "home", "path": "no-slash"}},
        {"page": {"type": "cellar", "path": "/"}},
        {"page": {"type": "home", "path": "/", "category_id": 0}},
        {"page": {"type": "home", "path": "/", "category_id": True}},
        {"page": {"type": "item", "path": "/", "item_id": "not-a-uuid"}},
        {"page": {"type": "item", "path": "/", "item_id": "7d1c6a4e-0000-4000-8000-000000000000"}},
        {"page": {"type": "home", "path": "/", "colour": "red"}},
        {"utm": {"source": "x" * 101}},
        {"utm": {"sauce": "newsletter"}},
        {"extra": 1},
    ],
)
def test_a_malformed_event_is_dropped_and_counted_while_the_rest_are_kept(post_events, bad):
    event = page_view(**bad)
    if "engaged_ms" in bad:
        event["type"] = "engaged_time"
    response = post_events([page_view(), event, "not an object", page_view()])

    assert response.status_code == 204
    assert (response["Emporium-Events-Accepted"], response["Emporium-Events-Dropped"]) == ("2", "2")
    assert CustomerEvent.objects.count() == 2


def test_engaged_time_must_be_a_positive_whole_number_of_milliseconds(post_events):
    def engaged(ms):
        return page_view(type="engaged_time", engaged_ms=ms)

    response = post_events([engaged(0), engaged(1.5), engaged(-3), engaged(10**9), engaged(1500)])
    assert response["Emporium-Events-Accepted"] == "1"
    assert CustomerEvent.objects.get().data["engaged_ms"] == 1500


def test_added_to_cart_must_name_a_sku_of_that_item(post_events, item, shop, make_item):
    sku = item.skus.first()
    other_sku = make_item(shop, title="Wool coat").skus.get()

    def added(sku_id, quantity=1):
        return page_view(
            item_page(item), type="added_to_cart", item_id=str(item.public_id),
            sku_id=sku_id, quantity=quantity,
        )  # fmt: skip

    response = post_events([added(other_sku.pk), added(sku.pk, 0), added(sku.pk, 2)])
    assert response["Emporium-Events-Accepted"] == "1"
    row = CustomerEvent.objects.get()
    assert row.data["sku_id"] == sku.pk and row.data["quantity"] == 2
    assert row.shop_id == shop.pk


def test_checkout_completed_carries_the_orders_own_total(post_events, buyer, item, address):
    from emporium.trade import orders

    sku = item.skus.first()
    (order,) = orders.checkout(buyer, address, [(sku, 2)])
    event = page_view(
        {"type": "other", "path": "/orders/pay/"}, type="checkout_completed",
        order_id=str(order.public_id), total="0.01", currency="CNY",
    )  # fmt: skip
    bad_total = dict(event, total="12.5")

    response = post_events([event, bad_total])
    assert response["Emporium-Events-Accepted"] == "1"
    row = CustomerEvent.objects.get()
    assert row.shop_id == order.shop_id
    assert row.data["total"] == f"{order.total_amount:.2f}" != "0.01"
    assert row.data["currency"] == "CNY"


def test_a_page_whose_shop_and_item_disagree_is_dropped(post_events, item, other_shop):
    page = dict(item_page(item), shop_id=str(other_shop.public_id))
    assert post_events([page_view(page)])["Emporium-Events-Dropped"] == "1"
    assert CustomerEvent.objects.count() == 0


def test_a_referrer_keeps_no_query_and_only_web_schemes(post_events):
    post_events([
        page_view(referrer="https://www.baidu.com/s?wd=dress&token=secret#x"),
        page_view(referrer="javascript:alert(1)"),
        page_view(referrer="https://user:pw@example.com:8443/a/b?c=d"),
    ])  # fmt: skip
    referrers = [row.data["referrer"] for row in CustomerEvent.objects.order_by("id")]
    assert referrers == ["https://www.baidu.com/s", None, "https://example.com:8443/a/b"]


def test_utm_parameters_are_kept(post_events):
    post_events([page_view(utm={"source": "newsletter", "campaign": "spring"})])
    assert CustomerEvent.objects.get().data["utm"] == {"source": "newsletter", "campaign": "spring"}


def test_it_never_answers_500_to_random_json(post_events):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
        ),
        max_leaves=20,
    )

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(values, max_size=5))
    def check(events):
        response = post_events(json.dumps({"events": events}))
        assert response.status_code == 204

    check()


def test_search_words_are_trimmed_as_the_docs_promise(post_events):
    """Issue 23, point 10: spaces at the ends dropped, runs made one, a long search cut at 100
    characters rather than the whole page view thrown away; only spaces is no search."""
    search = {"type": "search", "path": "/search/"}
    long_words = "linen " * 30
    response = post_events([
        page_view(search | {"search": "  linen \t  dress  "}),
        page_view(search | {"search": long_words}),
        page_view(search | {"search": "   "}),
    ])  # fmt: skip
    assert response["Emporium-Events-Accepted"] == "3"
    kept = [row.data["page"]["search"] for row in CustomerEvent.objects.order_by("id")]
    assert kept[0] == "linen dress"
    assert kept[1] == long_words.strip()[:100].rstrip() and len(kept[1]) <= 100
    assert kept[2] is None
