"""Cookies and TLS behind one switch, a CSP on every page, no third-party scripts, a private secret key."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from emporium.conftest import PASSWORD
from emporium.lib import csp
from emporium.lib.env import secret_file
from emporium.lib.tls import tls_settings

PROJECT = Path(__file__).resolve().parents[3]
HOST = "shop.example.com"


def settings_of(env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings as s; " + "".join(
        f"print(repr(getattr(s, {name!r}, None)));" for name in names
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "emporium.settings", **env},
    )  # fmt: skip


def test_one_setting_turns_on_secure_cookies_hsts_the_proxy_header_and_redirects(tmp_path):
    names = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
             "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS")  # fmt: skip
    var = {"EMPORIUM_VAR_DIR": str(tmp_path)}
    off = settings_of({**var, "BEHIND_TLS": "0"}, *names).stdout.split()
    assert off == ["False", "False", "False", "None", "0"]
    on = settings_of({**var, "BEHIND_TLS": "1", "SITE_URL": f"https://{HOST}"}, *names)
    assert on.stdout.splitlines() == [
        "True", "True", "True", "('HTTP_X_FORWARDED_PROTO', 'https')", "31536000",
    ]  # fmt: skip
    refused = settings_of({**var, "BEHIND_TLS": "1", "SITE_URL": f"http://{HOST}"}, "DEBUG")
    assert refused.returncode != 0 and "needs an https:// SITE_URL" in refused.stderr


@pytest.fixture
def behind_tls(settings):
    settings.ALLOWED_HOSTS = [HOST]
    for name, value in tls_settings(f"https://{HOST}", 31536000, False).items():
        setattr(settings, name, value)


def test_behind_tls_plain_http_is_redirected_and_the_issuer_is_https(behind_tls, buyer):
    client = Client(HTTP_HOST=HOST)
    plain = client.get("/.well-known/oauth-authorization-server")
    assert plain.status_code == 301 and plain["Location"].startswith(f"https://{HOST}/")
    proxied = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    meta = proxied.get("/.well-known/oauth-authorization-server")
    assert meta.json()["issuer"] == f"https://{HOST}"
    assert meta["Strict-Transport-Security"] == "max-age=31536000"
    proxied.get(reverse("members:login"))
    logged_in = proxied.post(reverse("members:login"), {"username": "bob", "password": PASSWORD})
    assert logged_in.status_code == 302
    assert proxied.cookies["sessionid"]["secure"] and proxied.cookies["csrftoken"]["secure"]


def test_the_secret_key_file_is_private_from_the_moment_it_exists(tmp_path, monkeypatch):
    # Were the mode set after writing, there would be a moment the key is world-readable; with
    # chmod unavailable the file must still come out 0600.
    def no_chmod(*args, **kwargs):
        raise AssertionError("the mode must be set when the file is created")

    monkeypatch.setattr(os, "chmod", no_chmod)
    monkeypatch.setattr(Path, "chmod", no_chmod)
    key_file = tmp_path / "secret_key"
    key = secret_file(key_file)
    assert len(key) > 50 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert secret_file(key_file) == key  # read back, never replaced


def test_every_page_carries_the_default_policy(client, item, db):
    for url in ["/", reverse("storefront:item", args=[item.public_id]), reverse("storefront:cart"),
                reverse("members:login"), "/api/v1/docs"]:  # fmt: skip
        policy = csp.parse(client.get(url)["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_a_view_extends_the_policy_without_loosening_the_rest(rf):
    request = rf.get("/")
    csp.allow(request, "frame-src", "https://app.example")
    csp.allow(request, "frame-src", "https://other.example", "https://app.example")

    class Response(dict):
        pass

    response = csp.middleware(lambda r: Response())(request)
    policy = csp.parse(response["Content-Security-Policy"])
    assert policy["frame-src"] == ["https://app.example", "https://other.example"]
    assert policy["script-src"] == ["'self'"]


def test_the_api_docs_load_no_script_from_another_site(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "cdn." not in page and "https://" not in page
    bundle = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200


def test_no_template_has_an_inline_event_handler():
    import re

    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
    found = [
        str(path.relative_to(PROJECT))
        for path in (PROJECT / "emporium").rglob("*.html")
        if handler.search(path.read_text())
    ]
    assert found == []
