"""Block contexts: made with PyJWT as the platform makes them, checked by the SDK; the frame helper."""

import time

import jwt
import pytest
from emporium_sdk import BlockContextError, SessionTokenError, frame_script, verify_block_context

CLIENT_ID, SECRET = "zoom-client-id", "z" * 128
SHOP, ITEM = "4d6f3c1e-5b0a-4a57-9f0e-2b4f7e1d9c11", "9a1b2c3d-0000-4a57-9f0e-2b4f7e1d9c22"
PLATFORM = "https://emporium.example"


def claims(**changes) -> dict:
    now = int(time.time())
    base = {
        "iss": PLATFORM, "aud": f"{CLIENT_ID}/block", "typ": "block", "shop": SHOP,
        "item": ITEM, "sku": 7, "locale": "zh-hans", "placement": "gallery",
        "iat": now, "nbf": now, "exp": now + 300, "jti": "j-1",
    }  # fmt: skip
    return {k: v for k, v in (base | changes).items() if v != "-"}


def make(secret: str = SECRET, **changes) -> str:
    return jwt.encode(claims(**changes), secret, algorithm="HS256")


def verify(token: str, **kwargs):
    return verify_block_context(token, client_id=CLIENT_ID, client_secret=SECRET, **kwargs)


def test_a_fresh_context_names_shop_item_sku_locale_and_placement():
    context = verify(make(), issuer=PLATFORM)
    assert (context.shop_id, context.item_id, context.sku_id) == (SHOP, ITEM, 7)
    assert (context.locale, context.placement, context.buyer_id) == ("zh-hans", "gallery", None)


def test_the_buyer_and_a_missing_sku_come_through():
    context = verify(make(buyer="b-42", sku=None))
    assert (context.buyer_id, context.sku_id) == ("b-42", None)


@pytest.mark.parametrize(
    ("token", "why"),
    [
        (lambda: make(aud="another-app/block"), "aud"),
        (lambda: make(aud=CLIENT_ID), "aud"),
        (lambda: make(secret="x" * 128), "signature"),
        (lambda: make(typ="-"), "typ"),
        (lambda: make(iss="https://evil.example"), "iss"),
        (lambda: make(item="-"), "item"),
        (lambda: make(sku="7"), "sku"),
        (lambda: make(buyer=42), "buyer"),
        (lambda: make(iat=int(time.time()) - 700, nbf="-", exp=int(time.time()) - 400), "expired"),
        (lambda: make(exp=int(time.time()) + 3600), "longer"),
        (lambda: "not.a.jwt", "malformed"),
    ],
)
def test_a_bad_context_is_refused(token, why):
    with pytest.raises(BlockContextError, match=why):
        verify(token(), issuer=PLATFORM)


def test_a_block_context_is_a_session_token_error_too():
    assert issubclass(BlockContextError, SessionTokenError)


def test_a_block_context_never_passes_for_a_session_token():
    from emporium_sdk import verify_session_token

    with pytest.raises(SessionTokenError, match="aud"):
        verify_session_token(
            make(exp=int(time.time()) + 60), client_id=CLIENT_ID, client_secret=SECRET
        )


def test_the_frame_helper_posts_only_to_the_platform_and_hears_only_it():
    script = frame_script()
    assert "window.parent.postMessage(message, platform)" in script
    assert "event.source !== window.parent || event.origin !== platform" in script
