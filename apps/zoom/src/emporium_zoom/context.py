"""Who is looking: the platform's signed context for an item-page block, and the seller's pass for
the admin page (after the SDK has verified the platform's session token).

`open_block` is the one place that reads a block context: the SDK's `verify_block_context`
(docs/blocks.md: HS256, audience "<client id>/block", `typ` "block", 5 minutes).
"""

from dataclasses import dataclass

from emporium_sdk import (
    BlockContextError,
    SessionTokenError,
    verify_block_context,
    verify_session_token,
    viewpass,
)

PASS_SECONDS = viewpass.PASS_SECONDS
VIEW_PURPOSE = "zoom admin"


class NotAllowed(Exception):
    pass


@dataclass(frozen=True)
class Viewing:
    """What a block context says: whose item is shown, in which language, by which platform."""

    shop_id: str
    item_id: str
    locale: str
    platform: str  # the platform's origin (iss): where the viewer posts its height


def open_block(token: str, *, client_id: str, client_secret: str, platform: str) -> Viewing:
    try:
        context = verify_block_context(
            token, client_id=client_id, client_secret=client_secret, issuer=platform
        )
    except BlockContextError as error:
        raise NotAllowed(f"bad block context: {error}") from None
    return Viewing(context.shop_id, context.item_id, context.locale, platform)


def open_session(token: str, *, client_id: str, client_secret: str) -> str:
    """The shop id of the platform's session token for the embedded admin page."""
    try:
        return verify_session_token(token, client_id=client_id, client_secret=client_secret).shop_id
    except SessionTokenError as error:
        raise NotAllowed(str(error)) from None


def issue_pass(shop_id: str, client_secret: str, now: float | None = None) -> str:
    """The admin page outlives the 60-second session token: it carries the SDK's view pass instead
    (no cookie: the page is in another site's frame)."""
    return viewpass.issue_pass(shop_id, client_secret, purpose=VIEW_PURPOSE, now=now)


def check_pass(admin_pass: str, client_secret: str, now: float | None = None) -> str:
    try:
        return viewpass.check_pass(admin_pass, client_secret, purpose=VIEW_PURPOSE, now=now)
    except viewpass.ViewPassError as error:
        raise NotAllowed(str(error)) from None
