"""What an OAuth client does, step by step, through Django's test client."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client
from django.urls import reverse

REDIRECT_URI = "https://app.example.com/callback"


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) as RFC 7636 §4.2 computes it."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_params(app, challenge: str | None, **extra) -> dict:
    params = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT_URI,
        "state": "s-123",
    }
    if challenge is not None:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return {k: v for k, v in (params | extra).items() if v is not None}


def authorize_url(app, challenge: str | None, **extra) -> str:
    return (
        reverse("oauth2_provider:authorize")
        + "?"
        + urlencode(authorize_params(app, challenge, **extra))
    )


def consent(client: Client, app, challenge: str, **extra) -> str:
    """The seller (logged in on `client`) opens the consent screen and authorizes; returns the code."""
    page = client.get(authorize_url(app, challenge, **extra))
    assert page.status_code == 200, page.content
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    response = client.post(reverse("oauth2_provider:authorize"), data | {"allow": "Authorize"})
    assert response.status_code == 302, response.content
    return query_of(response["Location"])["code"]


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def basic_auth(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token_request(client: Client, client_id: str, secret: str, **data):
    return client.post(
        reverse("oauth2_provider:token"), data, HTTP_AUTHORIZATION=basic_auth(client_id, secret)
    )


def exchange(client: Client, app, secret: str, code: str, verifier: str, **extra):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    data = {k: v for k, v in (data | extra).items() if v is not None}
    return token_request(client, app.client_id, secret, **data)
