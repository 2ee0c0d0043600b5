"""The embedded app is sandboxed and, behind TLS, told an https:// issuer (issue 22, hole 7)."""

from urllib.parse import parse_qs, urlsplit

import jwt
from django.test import Client
from django.urls import reverse

from emporium.lib import csp
from emporium.lib.tls import tls_settings
from emporium.market import installs

from .conftest import plan

HOST = "shop.example.com"


def test_the_embedded_app_frame_is_sandboxed_and_cannot_navigate_the_seller_center(
    clock, seller_client, listing, shop
):
    clock.set_time(None)
    installs.install(shop, listing, plan(listing, "Basic"))
    page = seller_client.get(reverse("market:open", args=[listing.app.public_id]))
    sandbox = page.context["sandbox"].split()
    assert f'sandbox="{page.context["sandbox"]}"' in page.content.decode()
    assert "allow-scripts" in sandbox and not any("top-navigation" in s for s in sandbox)
    policy = csp.parse(page["Content-Security-Policy"])
    assert policy["frame-src"] == ["https://stats.example.com"]
    assert policy["script-src"] == ["'self'"]


def test_behind_tls_the_session_token_names_an_https_issuer(
    clock, settings, seller, listing, shop, app, secret
):
    clock.set_time(None)  # PyJWT checks exp and nbf against real time
    settings.ALLOWED_HOSTS = [HOST]
    for name, value in tls_settings(f"https://{HOST}", 60, False).items():
        setattr(settings, name, value)
    installs.install(shop, listing, plan(listing, "Basic"))
    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    client.force_login(seller)
    src = client.get(reverse("market:open", args=[app.public_id])).context["src"]
    token = parse_qs(urlsplit(src).query)["session"][0]
    claims = jwt.decode(token, secret, algorithms=["HS256"], audience=app.client_id)
    assert claims["iss"] == f"https://{HOST}"
