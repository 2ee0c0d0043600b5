"""Embedded-app session tokens: made with PyJWT as the platform makes them, checked by the SDK."""

import base64
import json
import time

import jwt
import pytest
from emporium_sdk import SessionTokenError, verify_session_token

CLIENT_ID, SECRET = "hello-client-id", "s" * 128
SHOP = "4d6f3c1e-5b0a-4a57-9f0e-2b4f7e1d9c11"


def claims(**changes) -> dict:
    now = int(time.time())
    base = {
        "iss": "https://emporium.example", "aud": CLIENT_ID, "dest": SHOP, "shop": SHOP,
        "sub": "seller-1", "iat": now, "nbf": now, "exp": now + 60, "jti": "j-1",
    }  # fmt: skip
    return {k: v for k, v in (base | changes).items() if v is not None}


def make(secret: str = SECRET, algorithm: str = "HS256", **changes) -> str:
    return jwt.encode(claims(**changes), secret, algorithm=algorithm)


def verify(token: str, **kwargs):
    return verify_session_token(token, client_id=CLIENT_ID, client_secret=SECRET, **kwargs)


def test_a_fresh_token_for_this_app_gives_the_shop_and_seller():
    session = verify(make())
    assert (session.shop_id, session.sub, session.aud) == (SHOP, "seller-1", CLIENT_ID)
    assert session.claims["jti"] == "j-1"


def test_the_shop_claim_alone_is_enough():
    assert verify(make(dest=None)).shop_id == SHOP


@pytest.mark.parametrize(
    ("token", "why"),
    [
        (lambda: make(aud="another-app"), "aud"),
        (lambda: make(secret="x" * 128), "signature"),
        (lambda: make(algorithm="HS512"), "HS256"),
        (lambda: make(iat=int(time.time()) - 120, nbf=None, exp=int(time.time()) - 60), "expired"),
        (lambda: make(nbf=int(time.time()) + 30), "nbf"),
        (lambda: make(exp=int(time.time()) + 3600), "longer"),
        (lambda: make(dest=None, shop=None), "shop"),
        (lambda: make(exp=None), "exp"),
        (lambda: "not.a.jwt", "malformed"),
        (lambda: "two.parts", "malformed"),
    ],
)
def test_a_bad_token_is_refused(token, why):
    with pytest.raises(SessionTokenError, match=why):
        verify(token())


def segment(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def test_alg_none_and_a_forged_payload_are_refused():
    unsigned = f"{segment({'alg': 'none', 'typ': 'JWT'})}.{segment(claims())}."
    with pytest.raises(SessionTokenError, match="none"):
        verify(unsigned)
    header, _, signature = make().split(".")
    forged = f"{header}.{segment(claims(dest='someone-elses-shop'))}.{signature}"
    with pytest.raises(SessionTokenError, match="signature"):
        verify(forged)


def test_a_little_clock_skew_is_tolerated():
    token = make()
    assert verify(token, now=time.time() + 62).shop_id == SHOP
    with pytest.raises(SessionTokenError, match="expired"):
        verify(token, now=time.time() + 70)
