"""App blocks and embedded pages: verify the context an item-page block is given, and the small
browser helper a block or embedded page uses to talk to the platform (docs/blocks.md).

The context is a JWT (HS256) signed with the app's client secret — the same checks as a session
token (HS256 only, fresh) — whose audience is "<client id>/block" and `typ` "block": a context,
public in every item page, can never pass for the session token of the app's admin page.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from pydantic import BaseModel

from emporium_sdk.errors import SessionTokenError
from emporium_sdk.session import LEEWAY, verified_claims

MAX_LIFETIME = 300  # seconds between iat and exp of a block context


class BlockContextError(SessionTokenError):
    """A block context is malformed, wrongly signed, expired, not for this app or not a block's."""


class BlockContext(BaseModel):
    """Where the block is shown: shop, item, the SKU chosen (None before a choice), the buyer's
    language, the placement, and the buyer's app-specific id only if the buyer authorized the app."""

    shop_id: str
    item_id: str
    sku_id: int | None
    locale: str
    placement: str
    buyer_id: str | None = None
    aud: str
    iss: str | None = None
    exp: int
    claims: dict[str, Any]


def verify_block_context(
    token: str,
    *,
    client_id: str,
    client_secret: str,
    issuer: str | None = None,
    now: float | None = None,
    leeway: int = LEEWAY,
) -> BlockContext:
    """The context's claims if the platform signed it for this app's block and it is fresh; pass
    `issuer` (the platform's origin) to refuse a context from another platform."""
    try:
        claims = verified_claims(
            token, client_id=f"{client_id}/block", client_secret=client_secret, now=now,
            leeway=leeway,
            max_lifetime=MAX_LIFETIME,
        )  # fmt: skip
    except SessionTokenError as error:
        raise BlockContextError(str(error)) from None
    if claims.get("typ") != "block":
        raise BlockContextError("not a block context (typ)")
    if issuer is not None and claims.get("iss") != issuer:
        raise BlockContextError("the context is from another platform (iss)")
    for name in ("shop", "item", "locale", "placement"):
        if not isinstance(claims.get(name), str) or not claims[name]:
            raise BlockContextError(f"the context names no {name}")
    sku, buyer = claims.get("sku"), claims.get("buyer")
    if sku is not None and (not isinstance(sku, int) or isinstance(sku, bool)):
        raise BlockContextError("the sku claim is not a number")
    if buyer is not None and not isinstance(buyer, str):
        raise BlockContextError("the buyer claim is not a string")
    return BlockContext(
        shop_id=claims["shop"], item_id=claims["item"], sku_id=sku, locale=claims["locale"],
        placement=claims["placement"], buyer_id=buyer, aud=client_id, iss=claims.get("iss"),
        exp=int(claims["exp"]), claims=claims,
    )  # fmt: skip


def frame_script() -> str:
    """The browser helper for a block or an embedded page (emporium-frame.js): serve it from your
    own origin or inline it. It asks for the frame's height and hears new contexts, checking that
    every message comes from the platform's origin and the parent window."""
    return files("emporium_sdk").joinpath("static/emporium-frame.js").read_text(encoding="utf-8")
