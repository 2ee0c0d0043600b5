"""Contract-test fixtures: a live platform server, an app registered on it, a seller who authorizes it."""

from collections.abc import Iterator

import httpx
import pytest
from emporium_sdk import Client, MemoryTokenStore, OAuthApp, Token
from sdk_contract import REDIRECT_URI, SCOPES, Receiver, consent, log_in


@pytest.fixture(autouse=True)
def _sdk_settings(settings):
    """No call-log thread, buckets in the test database, generous limits unless a test sets its
    own, webhooks allowed to reach this machine, and a fast password hasher for the personas."""
    settings.API_CALL_LOG_THREAD = False
    settings.REDIS_URL = ""
    settings.API_RATE_LIMITS = {t: (10_000, 60) for t in ("free", "standard", "premium")}
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    fast = "django.contrib.auth.hashers.MD5PasswordHasher"
    settings.PASSWORD_HASHERS = [fast, *settings.PASSWORD_HASHERS]
    yield
    from emporium.api import calllog

    calllog.discard()  # the log rows of these calls would outlive the test database


@pytest.fixture
def registered(developer):
    """Dana's app, registered as in the developer center: (App row, plain-text secret)."""
    from emporium.ecosystem.registration import register_app

    return register_app(developer, name="Hello", redirect_uris=[REDIRECT_URI], scopes=SCOPES)


@pytest.fixture
def oauth_app(live_server, registered) -> OAuthApp:
    app, secret = registered
    return OAuthApp(app.client_id, secret, base_url=live_server.url, redirect_uri=REDIRECT_URI)


@pytest.fixture
def seller_browser(live_server, seller, shop) -> Iterator[httpx.Client]:
    browser = log_in(live_server.url, seller.username)
    yield browser
    browser.close()


@pytest.fixture
def token(oauth_app, seller_browser) -> Token:
    """The whole authorization-code + PKCE dance over HTTP, as an app and a seller do it."""
    request = oauth_app.authorization_url(SCOPES)
    callback = consent(seller_browser, request.url)
    code = oauth_app.code_from_callback(callback, request.state)
    return oauth_app.exchange_code(code, request.code_verifier)


@pytest.fixture
def token_store(token) -> MemoryTokenStore:
    store = MemoryTokenStore()
    store.save("default", token)
    return store


@pytest.fixture
def client(live_server, oauth_app, token_store) -> Iterator[Client]:
    with Client(live_server.url, oauth=oauth_app, token_store=token_store, max_wait=5) as sdk:
        yield sdk


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def order_in(funded_buyer, address):
    """An order of Bob's for one SKU, taken to `status` the way buyer and seller would."""
    from emporium.trade import orders

    def make(sku, status: str = "paid", quantity: int = 1):
        (order,) = orders.checkout(funded_buyer, address, [(sku, quantity)])
        if status != "pending_payment":
            orders.pay(funded_buyer, [order])
        order.refresh_from_db()
        return order

    return make
