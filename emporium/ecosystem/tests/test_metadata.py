"""RFC 8414 authorization-server metadata: what a standard OAuth client configures itself from."""

from django.conf import settings
from django.test import Client

WELL_KNOWN = "/.well-known/oauth-authorization-server"


def test_the_metadata_document_describes_the_server(db):
    response = Client().get(WELL_KNOWN)
    assert response.status_code == 200
    meta = response.json()
    assert meta["issuer"] == "http://testserver"
    assert meta["authorization_endpoint"] == "http://testserver/o/authorize/"
    assert meta["token_endpoint"] == "http://testserver/o/token/"
    assert meta["revocation_endpoint"] == "http://testserver/o/revoke_token/"
    assert meta["introspection_endpoint"] == "http://testserver/o/introspect/"
    assert meta["scopes_supported"] == sorted(settings.OAUTH2_PROVIDER["SCOPES"])
    assert meta["response_types_supported"] == ["code"]
    assert set(meta["grant_types_supported"]) == {
        "authorization_code",
        "refresh_token",
        "client_credentials",
        "urn:ietf:params:oauth:grant-type:device_code",
    }
    assert meta["device_authorization_endpoint"] == "http://testserver/o/device-authorization/"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert set(meta["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
    }
    assert meta["authorization_response_iss_parameter_supported"] is True


def test_the_issuer_follows_the_host_and_scheme_the_client_used(db, settings):
    settings.ALLOWED_HOSTS = ["api.emporium.example"]
    meta = Client().get(WELL_KNOWN, HTTP_HOST="api.emporium.example", secure=True).json()
    assert meta["issuer"] == "https://api.emporium.example"
    assert meta["token_endpoint"] == "https://api.emporium.example/o/token/"


def test_every_advertised_endpoint_exists(db):
    meta = Client().get(WELL_KNOWN).json()
    for key in ("token_endpoint", "revocation_endpoint", "introspection_endpoint"):
        path = meta[key].removeprefix("http://testserver")
        assert Client().post(path).status_code in (400, 401), key
    authorize = meta["authorization_endpoint"].removeprefix("http://testserver")
    assert Client().get(authorize).status_code == 302  # to the log-in page


def test_the_toolkits_own_management_pages_are_not_routed(db):
    for path in ("/o/applications/", "/o/authorized_tokens/", "/o/device/", "/o/userinfo/"):
        assert Client().get(path).status_code == 404, path
