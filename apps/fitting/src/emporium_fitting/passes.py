"""The seller's pass for the embedded admin page, after the platform's session token opened it.

The session token lives 60 seconds; the admin page posts forms for longer. So once the token is
verified (with the SDK) the app hands the page a view pass of its own (the SDK's `viewpass`) —
shop id and expiry, signed with a key derived from the client secret — carried in its forms (no
cookie in a third-party frame).
"""

from emporium_sdk import SessionTokenError, verify_session_token, viewpass

PASS_SECONDS = 4 * 3600
PURPOSE = "fitting admin"


class NotAllowed(Exception):
    pass


def open_session(session_token: str, client_id: str, client_secret: str) -> str:
    try:
        claims = verify_session_token(
            session_token, client_id=client_id, client_secret=client_secret
        )
    except SessionTokenError as error:
        raise NotAllowed(str(error)) from None
    return claims.shop_id


def issue(shop_id: str, client_secret: str) -> str:
    return viewpass.issue_pass(shop_id, client_secret, purpose=PURPOSE, seconds=PASS_SECONDS)


def check(token: str, client_secret: str) -> str:
    try:
        return viewpass.check_pass(token, client_secret, purpose=PURPOSE)
    except viewpass.ViewPassError as error:
        raise NotAllowed(str(error)) from None
