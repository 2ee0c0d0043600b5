"""The developer center's webhook pages: add endpoints, see every attempt, replay, re-enable."""

import pytest
from django.test import Client
from emporium_sdk.webhooks import verify_webhook

from emporium.events import attempts, dispatcher
from emporium.events.models import DeliveryAttempt, WebhookEndpoint
from emporium.shops.services import update_shop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dev_client(developer) -> Client:
    client = Client()
    client.force_login(developer)
    return client


def page_of(app) -> str:
    return f"/developers/apps/{app.public_id}/webhooks/"


def test_an_app_without_endpoints_says_how_to_start(dev_client, app):
    page = dev_client.get(page_of(app)).content.decode()
    assert 'data-testid="no-endpoints"' in page and "/api/v1/events" in page


def test_adding_an_endpoint_with_chosen_topics(dev_client, app, receiver):
    answer = dev_client.post(page_of(app), {"url": receiver.url, "topics": ["order.paid"]})
    endpoint = WebhookEndpoint.objects.get(app=app)
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{endpoint.pk}/")
    assert endpoint.topics == ["order.paid"]
    detail = dev_client.get(answer["Location"]).content.decode()
    assert endpoint.secret in detail and 'data-testid="no-deliveries"' in detail


def test_a_bad_endpoint_is_refused_with_a_clear_error_and_nothing_saved(dev_client, app):
    answer = dev_client.post(page_of(app), {"url": "ftp://example.com/x", "all_topics": "1"})
    assert answer.status_code == 200
    assert "only http and https" in answer.content.decode()
    answer = dev_client.post(page_of(app), {"url": "https://example.com/x"})
    assert "Choose at least one topic" in answer.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_attempts_are_listed_and_a_delivery_can_be_replayed(
    dev_client, app, endpoint, shop, receiver
):
    receiver.mode = "down"
    update_shop(shop, name="Renamed", description="")
    dispatcher.run_once()
    url = f"{page_of(app)}{endpoint.pk}/"
    page = dev_client.get(url).content.decode()
    assert "shop.updated" in page and "<strong>503</strong>" in page and "unavailable" in page
    delivery = endpoint.deliveries.get()
    receiver.mode = "ok"
    answer = dev_client.post(f"{url}deliveries/{delivery.pk}/replay/", follow=True)
    assert "Sent again: your endpoint answered 204" in answer.content.decode()
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 2
    assert receiver.ids() == [delivery.event.event_id] * 2


def test_a_disabled_endpoint_shows_why_and_turns_back_on(dev_client, app, endpoint):
    attempts.disable_for_failures(endpoint, endpoint.created_at)
    url = f"{page_of(app)}{endpoint.pk}/"
    assert 'data-testid="disabled-notice"' in dev_client.get(url).content.decode()
    dev_client.post(f"{url}enable/")
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.disabled_reason == ""


def test_a_test_message_is_signed_and_delivered(dev_client, app, endpoint, receiver):
    answer = dev_client.post(f"{page_of(app)}{endpoint.pk}/test/", follow=True)
    assert "Test message delivered" in answer.content.decode()
    [got] = receiver.received
    assert verify_webhook(got.body, got.headers, endpoint.secret).type == "webhook.test"


def test_deleting_asks_first(dev_client, app, endpoint):
    url = f"{page_of(app)}{endpoint.pk}/delete/"
    assert 'data-testid="confirm-delete"' in dev_client.get(url).content.decode()
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    dev_client.post(url)
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_another_developers_endpoint_is_a_404(app, endpoint, db):
    from emporium.conftest import make_member

    stranger = make_member("eve", is_developer=True)
    client = Client()
    client.force_login(stranger)
    assert client.get(f"{page_of(app)}{endpoint.pk}/").status_code == 404


def test_the_apps_webhook_url_becomes_its_first_endpoint(developer):
    from emporium.ecosystem.registration import register_app, update_app

    app, _ = register_app(
        developer,
        name="Hooked",
        redirect_uris=["http://127.0.0.1:9999/cb"],
        scopes=["orders:read"],
        webhook_url="https://hooks.example.com/a",
    )
    assert list(app.webhook_endpoints.values_list("url", "topics")) == [
        ("https://hooks.example.com/a", ["*"])
    ]
    update_app(
        app,
        name="Hooked",
        redirect_uris=["http://127.0.0.1:9999/cb"],
        scopes=["orders:read"],
        webhook_url="https://hooks.example.com/b",
    )
    assert list(app.webhook_endpoints.values_list("url", flat=True)) == [
        "https://hooks.example.com/b"
    ]
