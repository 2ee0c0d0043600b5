"""`emporium serve` and `emporium demo` build absolute URLs on the address they serve."""

import os

import pytest

from emporium.cli import _local_url, _serve_at


@pytest.fixture
def environ(monkeypatch) -> dict[str, str]:
    # A copy, so what _serve_at sets never reaches this test process's settings.
    copy = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "SITE_URL_FILE")}
    monkeypatch.setattr(os, "environ", copy)
    return copy


def test_the_site_url_follows_the_port_served(environ):
    _serve_at("127.0.0.1", 8123)

    assert environ["SITE_URL"] == "http://127.0.0.1:8123"


def test_a_site_url_given_explicitly_wins(environ):
    environ["SITE_URL"] = "https://shop.example.com"

    _serve_at("0.0.0.0", 8123)  # noqa: S104 - the wildcard a container serves on

    assert environ["SITE_URL"] == "https://shop.example.com"


def test_a_site_url_file_counts_as_given(environ, tmp_path):
    environ["SITE_URL_FILE"] = str(tmp_path / "site-url")

    _serve_at("127.0.0.1", 8123)

    assert "SITE_URL" not in environ


def test_another_host_is_allowed_and_named_in_urls(environ):
    environ["ALLOWED_HOSTS"] = "localhost"

    _serve_at("shop.lan", 9000)

    assert environ["SITE_URL"] == "http://shop.lan:9000"
    assert environ["ALLOWED_HOSTS"] == "localhost,shop.lan"


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("0.0.0.0", "http://127.0.0.1:8000"),  # noqa: S104
        ("::", "http://127.0.0.1:8000"),
        ("::1", "http://[::1]:8000"),
        ("localhost", "http://localhost:8000"),
    ],
)
def test_a_wildcard_address_is_reached_on_loopback(host, url):
    assert _local_url(host, 8000) == url
