"""Forged analytics: /collect refuses scripts without an Origin, limits each visitor and address,
and believes X-Forwarded-For only from our own proxies (issue 22, hole 6)."""

from emporium.customer_events.models import CustomerEvent

from .conftest import BROWSER_UA, page_view

OTHER_UA = BROWSER_UA.replace("Chrome/131", "Chrome/130")


def test_a_batch_without_an_origin_is_refused(post_events, db):
    response = post_events([page_view()], origin=None)
    assert response.status_code == 403 and response.json()["error"]["code"] == "foreign_origin"
    assert not CustomerEvent.objects.exists()


def test_one_visitor_is_limited_and_another_is_not(post_events, settings, db):
    settings.CUSTOMER_EVENTS_PER_VISITOR_MINUTE = 3
    assert [post_events([page_view()]).status_code for _ in range(4)] == [204, 204, 204, 429]
    refused = post_events([page_view()])
    assert refused.json()["error"]["code"] == "rate_limited" and int(refused["Retry-After"]) > 0
    assert post_events([page_view()], ua=OTHER_UA).status_code == 204
    assert post_events([page_view()], ip="114.114.114.114").status_code == 204
    assert CustomerEvent.objects.count() == 5


def test_one_address_is_limited_whatever_browser_it_claims(post_events, settings, db):
    settings.CUSTOMER_EVENTS_PER_ADDRESS_MINUTE = 3
    answers = [post_events([page_view()], ua=BROWSER_UA.replace("131", str(n))).status_code
               for n in range(4)]  # fmt: skip
    assert answers == [204, 204, 204, 429]
    assert post_events([page_view()], ip="114.114.114.114").status_code == 204


def test_a_forwarded_for_header_from_a_stranger_is_not_believed(post_events, settings, db):
    settings.CUSTOMER_EVENTS_PER_ADDRESS_MINUTE = 2
    forged = [
        post_events([page_view()], HTTP_X_FORWARDED_FOR=f"36.110.0.{n}").status_code
        for n in range(3)
    ]
    assert forged == [204, 204, 429], "a new X-Forwarded-For per request must not dodge the limit"
    settings.TRUSTED_PROXIES = ["223.5.5.5"]  # now the sender is our proxy
    assert post_events([page_view()], HTTP_X_FORWARDED_FOR="36.110.0.9").status_code == 204
