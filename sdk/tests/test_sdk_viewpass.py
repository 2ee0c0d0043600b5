"""View passes: they name their shop, and refuse forgery, another purpose and age."""

import pytest
from emporium_sdk.viewpass import PASS_SECONDS, ViewPassError, check_pass, issue_pass, issued_at


def test_a_pass_names_its_shop():
    made = issue_pass("shop-1", "secret", purpose="decor", now=1_000)
    assert check_pass(made, "secret", purpose="decor", now=1_060) == "shop-1"


@pytest.mark.parametrize(
    ("secret", "purpose", "at"),
    [("another", "decor", 1_000), ("secret", "stats", 1_000)],
)
def test_a_pass_is_refused_with_another_key_or_purpose(secret, purpose, at):
    made = issue_pass("shop-1", "secret", purpose="decor", now=1_000)
    with pytest.raises(ViewPassError, match="bad view pass"):
        check_pass(made, secret, purpose=purpose, now=at)


def test_a_tampered_garbled_or_old_pass_is_refused():
    made = issue_pass("shop-1", "secret", purpose="decor", now=1_000)
    raw, mac = made.split(".")
    for bad in [raw[:-2] + "xx." + mac, "", ".", "abc", f"{raw}.{mac[:-1]}"]:
        with pytest.raises(ViewPassError):
            check_pass(bad, "secret", purpose="decor", now=1_000)
    with pytest.raises(ViewPassError, match="expired"):
        check_pass(made, "secret", purpose="decor", now=1_000 + PASS_SECONDS + 1)


def test_a_pass_tells_when_it_was_issued_so_an_app_can_end_it_with_an_install():
    made = issue_pass("shop-1", "secret", purpose="stats", now=1_000.5)
    assert issued_at(made, "secret", purpose="stats") == 1_000.5
    with pytest.raises(ViewPassError):
        issued_at(made, "another", purpose="stats")


def test_a_genuinely_signed_pass_that_is_not_an_object_is_refused():
    import base64
    import hashlib
    import hmac

    from emporium_sdk.viewpass import _key

    text = base64.urlsafe_b64encode(b"[1, 2]").decode().rstrip("=")
    mac = hmac.new(_key("secret", "stats"), text.encode(), hashlib.sha256).hexdigest()
    with pytest.raises(ViewPassError, match="bad view pass"):
        check_pass(f"{text}.{mac}", "secret", purpose="stats")
