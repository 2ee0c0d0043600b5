"""The developer center: registering apps, the secret shown once, editing, deleting, and who sees what."""

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from emporium.ecosystem.models import App, DeveloperSandbox
from emporium.ecosystem.registration import register_app
from emporium.ecosystem.tests.helpers import REDIRECT_URI, token_request

FORM = {
    "name": "Shop Stats",
    "redirect_uris": "https://stats.example.com/callback\nhttp://127.0.0.1:8765/callback",
    "webhook_url": "https://stats.example.com/hooks",
    "scopes": ["items:read", "orders:read"],
}


@pytest.fixture
def member_client(buyer) -> Client:
    """Bob, a member who is not (yet) a developer."""
    client = Client()
    client.force_login(buyer)
    return client


@pytest.fixture
def developer_client(developer) -> Client:
    client = Client()
    client.force_login(developer)
    return client


def test_visitors_are_asked_to_log_in(db):
    response = Client().get(reverse("ecosystem:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("members:login"))


def test_a_member_sees_how_to_start_and_gets_no_sandbox_yet(member_client, buyer):
    page = member_client.get(reverse("ecosystem:home"))
    assert page.status_code == 200
    assert "Register an app" in page.content.decode()
    assert not DeveloperSandbox.objects.exists()


def test_registering_shows_the_secret_once_and_stores_only_its_hash(member_client, buyer):
    response = member_client.post(reverse("ecosystem:app_create"), FORM, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert "no-store" in response["Cache-Control"]
    app = App.objects.get(user=buyer)
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert app.client_id in response.content.decode()
    assert app.client_secret.startswith("client_secret_sha256$")
    assert secret not in app.client_secret
    assert check_password(secret, app.client_secret)
    assert app.redirect_uri_list == [
        "https://stats.example.com/callback",
        "http://127.0.0.1:8765/callback",
    ]
    assert app.scope_list == ["items:read", "orders:read"]
    assert app.client_type == App.CLIENT_CONFIDENTIAL
    detail = member_client.get(reverse("ecosystem:app_detail", args=[app.public_id]))
    assert secret not in detail.content.decode()
    assert app.client_id in detail.content.decode()


def test_the_shown_secret_works_at_the_token_endpoint(member_client, buyer):
    response = member_client.post(reverse("ecosystem:app_create"), FORM, follow=True)
    app, secret = App.objects.get(user=buyer), response.context["secret"]
    token = token_request(Client(), app.client_id, secret, grant_type="client_credentials")
    assert token.status_code == 200


def test_reloading_the_secret_page_registers_no_second_app_and_shows_the_secret_no_more(
    member_client, buyer
):
    """POST-redirect-GET: the browser's reload repeats the GET, never the registration."""
    created = member_client.post(reverse("ecosystem:app_create"), FORM)
    assert created.status_code == 302
    shown = member_client.get(created["Location"])
    secret = shown.context["secret"]
    assert secret and secret in shown.content.decode()
    reloaded = member_client.get(created["Location"])
    assert reloaded.status_code == 200 and "no-store" in reloaded["Cache-Control"]
    assert secret not in reloaded.content.decode()
    assert 'data-testid="secret-already-shown"' in reloaded.content.decode()
    assert App.objects.filter(user=buyer).count() == 1


def test_another_developer_cannot_read_a_waiting_secret(member_client, buyer, developer):
    created = member_client.post(reverse("ecosystem:app_create"), FORM)
    other = Client()
    other.force_login(developer)
    assert other.get(created["Location"]).status_code == 404
    assert member_client.get(created["Location"]).context["secret"]


def test_registering_makes_a_developer_with_a_sandbox(member_client, buyer):
    member_client.post(reverse("ecosystem:app_create"), FORM)
    buyer.refresh_from_db()
    assert buyer.is_developer
    assert DeveloperSandbox.objects.filter(developer=buyer).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("redirect_uris", "http://stats.example.com/callback", "must use https"),
        ("redirect_uris", "ftp://stats.example.com/callback", "not an absolute https"),
        ("redirect_uris", "/callback", "not an absolute https"),
        ("redirect_uris", "https://stats.example.com/cb#top", "fragment"),
        ("redirect_uris", "https://user:pw@stats.example.com/cb", "user name or password"),
        ("redirect_uris", "https://*.example.com/cb", "wildcards"),
        ("redirect_uris", "https://stats.example.com:99999/cb", "invalid port"),
        ("redirect_uris", "", "This field is required"),
        ("redirect_uris", "\n".join(f"https://a.example.com/{n}" for n in range(11)), "at most 10"),
        ("redirect_uris", "https://stats.example.com/\x07cb", "control characters"),
        ("webhook_url", "http://stats.example.com/hooks", "must use https"),
        ("scopes", [], "This field is required"),
        ("scopes", ["items:read", "everything"], "not one of the available choices"),
        ("name", "  ", "This field is required"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(member_client, buyer, field, value, words):
    response = member_client.post(reverse("ecosystem:app_create"), FORM | {field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert words in " ".join(errors[field])
    assert not App.objects.exists()
    buyer.refresh_from_db()
    assert not buyer.is_developer


def test_loopback_http_redirects_are_allowed_for_development(member_client):
    uris = "http://127.0.0.1:8765/cb\nhttp://localhost:3000/cb\nhttp://[::1]:9000/cb"
    member_client.post(reverse("ecosystem:app_create"), FORM | {"redirect_uris": uris})
    assert App.objects.get().redirect_uri_list == uris.split()


def test_the_list_shows_only_my_apps(developer_client, developer, other_developer):
    register_app(developer, name="Mine", redirect_uris=[REDIRECT_URI], scopes=["items:read"])
    register_app(
        other_developer, name="Theirs", redirect_uris=[REDIRECT_URI], scopes=["items:read"]
    )
    page = developer_client.get(reverse("ecosystem:home")).content.decode()
    assert "Mine" in page
    assert "Theirs" not in page


@pytest.mark.parametrize("name", ["app_detail", "app_edit", "app_delete", "app_rotate_secret"])
def test_another_developers_app_is_not_found(developer_client, other_developer, name):
    theirs, _ = register_app(
        other_developer, name="Theirs", redirect_uris=[REDIRECT_URI], scopes=["items:read"]
    )
    url = reverse(f"ecosystem:{name}", args=[theirs.public_id])
    assert developer_client.get(url).status_code == 404
    assert developer_client.post(url, FORM).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_editing_an_app(developer_client, app):
    url = reverse("ecosystem:app_edit", args=[app.public_id])
    assert developer_client.get(url).context["form"].initial["scopes"] == app.scope_list
    response = developer_client.post(
        url, FORM | {"name": "Shop Stats Pro", "scopes": ["items:read", "items:write"]}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.name == "Shop Stats Pro"
    assert app.scope_list == ["items:read", "items:write"]


def test_editing_refuses_bad_input_and_keeps_the_app(developer_client, app):
    url = reverse("ecosystem:app_edit", args=[app.public_id])
    response = developer_client.post(url, FORM | {"redirect_uris": "http://evil.example.com/cb"})
    assert list(response.context["form"].errors) == ["redirect_uris"]
    app.refresh_from_db()
    assert app.redirect_uri_list == [REDIRECT_URI]


def test_deleting_asks_first_then_ends_every_token(developer_client, app, secret):
    token = token_request(Client(), app.client_id, secret, grant_type="client_credentials").json()
    url = reverse("ecosystem:app_delete", args=[app.public_id])
    confirm = developer_client.get(url)
    assert "cannot be undone" in confirm.content.decode()
    assert App.objects.filter(pk=app.pk).exists()
    assert developer_client.post(url).status_code == 302
    assert not App.objects.filter(pk=app.pk).exists()
    whoami = Client().get(
        reverse("oauth2_provider:whoami"), HTTP_AUTHORIZATION=f"Bearer {token['access_token']}"
    )
    assert whoami.status_code == 401


def test_the_navigation_links_developers_to_the_developer_center(developer_client, member_client):
    link = f'href="{reverse("ecosystem:home")}"'
    assert link in developer_client.get(reverse("storefront:home")).content.decode()
    assert link not in member_client.get(reverse("storefront:home")).content.decode()
