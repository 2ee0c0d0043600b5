"""Client secrets: hashed at rest, rotated with an overlap window in which the old one still works."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from emporium.ecosystem.models import App
from emporium.ecosystem.registration import rotate_secret
from emporium.ecosystem.tests.helpers import basic_auth, token_request


def authenticates(app: App, secret: str) -> bool:
    response = token_request(Client(), app.client_id, secret, grant_type="client_credentials")
    return response.status_code == 200


def test_the_secret_is_stored_hashed(app, secret):
    stored = App.objects.get(pk=app.pk).client_secret
    assert stored != secret
    assert stored.startswith("client_secret_sha256$")
    assert authenticates(app, secret)


def test_after_rotation_both_secrets_work_inside_the_window(app, secret, clock):
    new = rotate_secret(app)
    assert new != secret
    assert authenticates(app, new)
    assert authenticates(app, secret)
    clock.advance(timedelta(hours=23, minutes=59))
    assert authenticates(app, secret)


def test_the_old_secret_stops_working_when_the_window_closes(app, secret, clock):
    new = rotate_secret(app)
    clock.advance(timedelta(hours=24))
    assert not authenticates(app, secret)
    assert authenticates(app, new)


def test_the_window_is_configurable(app, secret, clock, settings):
    settings.OAUTH_SECRET_OVERLAP_HOURS = 2
    rotate_secret(app)
    clock.advance(timedelta(hours=1))
    assert authenticates(app, secret)
    clock.advance(timedelta(hours=1))
    assert not authenticates(app, secret)


def test_no_overlap_retires_the_old_secret_at_once(app, secret, clock, settings):
    settings.OAUTH_SECRET_OVERLAP_HOURS = 0
    new = rotate_secret(app)
    assert not authenticates(app, secret)
    assert authenticates(app, new)


def test_a_second_rotation_retires_the_oldest_secret(app, secret, clock):
    second = rotate_secret(app)
    third = rotate_secret(app)
    assert not authenticates(app, secret)
    assert authenticates(app, second)
    assert authenticates(app, third)


def test_the_old_secret_works_on_every_endpoint_that_authenticates_the_app(app, secret, clock):
    rotate_secret(app)
    for name in ("introspect", "revoke-token"):
        response = Client().post(
            reverse(f"oauth2_provider:{name}"),
            {"token": "whatever"},
            HTTP_AUTHORIZATION=basic_auth(app.client_id, secret),
        )
        assert response.status_code == 200, name
    body = Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": secret},
    )
    assert body.status_code == 200


def test_a_wrong_secret_is_refused_inside_the_window_too(app, clock):
    rotate_secret(app)
    assert not authenticates(app, "guess")
    assert not authenticates(app, "")


def test_rotating_from_the_developer_center(developer, app, secret, clock):
    client = Client()
    client.force_login(developer)
    url = reverse("ecosystem:app_rotate_secret", args=[app.public_id])
    assert "24 hours" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    new = response.context["secret"]
    assert new in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert authenticates(app, new)
    assert authenticates(app, secret)
    detail = client.get(reverse("ecosystem:app_detail", args=[app.public_id])).content.decode()
    assert new not in detail
    assert "previous secret is still accepted" in detail
    reloaded = client.get(response.redirect_chain[-1][0]).content.decode()
    assert new not in reloaded and 'data-testid="secret-already-shown"' in reloaded
    clock.advance(timedelta(hours=25))
    assert not authenticates(app, secret)
    detail = client.get(reverse("ecosystem:app_detail", args=[app.public_id])).content.decode()
    assert "previous secret is still accepted" not in detail
