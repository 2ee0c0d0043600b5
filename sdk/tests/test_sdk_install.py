"""The install helper against the live platform: state kept server-side, once, for a few minutes."""

import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from emporium_sdk import (
    Installer,
    MemoryPendingStore,
    MemoryTokenStore,
    OAuthError,
    Pending,
    SqlitePendingStore,
)
from emporium_sdk.install import query_of
from sdk_contract import SCOPES, consent


@pytest.fixture
def tokens() -> MemoryTokenStore:
    return MemoryTokenStore()


@pytest.fixture
def installer(oauth_app, tokens, tmp_path) -> Installer:
    return Installer(
        oauth_app, tokens, SqlitePendingStore(tmp_path / "pending.sqlite3"), scopes=SCOPES
    )


def with_state(callback: str, state: str) -> str:
    return callback.replace("state=", f"state={state}&was=")


@pytest.mark.django_db(transaction=True)
def test_an_install_saves_the_token_under_the_shop_and_gives_its_client(
    installer, tokens, seller_browser, shop
):
    url = installer.start()
    assert "state" in parse_qs(urlsplit(url).query)
    installed = installer.finish(consent(seller_browser, url))
    assert installed.shop_id == str(shop.public_id)
    assert tokens.load(installed.shop_id) == installed.token
    with installer.client(installed.shop_id) as client:
        assert client.shop.get().name == shop.name


@pytest.mark.django_db(transaction=True)
def test_a_state_this_app_never_started_is_refused_and_the_real_one_still_works(
    installer, tokens, seller_browser, shop
):
    callback = consent(seller_browser, installer.start())
    with pytest.raises(OAuthError) as refused:
        installer.finish(with_state(callback, "forged-state"))
    assert refused.value.error == "invalid_state"
    with pytest.raises(OAuthError, match="invalid_state"):
        installer.finish(callback.replace("state=", "was="))  # no state at all
    assert tokens.load(str(shop.public_id)) is None
    assert installer.finish(callback).shop_id == str(shop.public_id)


@pytest.mark.django_db(transaction=True)
def test_a_used_state_is_refused(installer, seller_browser):
    callback = consent(seller_browser, installer.start())
    installer.finish(callback)
    with pytest.raises(OAuthError) as reused:
        installer.finish(callback)
    assert reused.value.error == "invalid_state"


@pytest.mark.django_db(transaction=True)
def test_a_stale_state_is_refused_and_stays_used(installer, tokens, seller_browser, shop):
    started = time.time() - installer.pending_seconds - 1
    callback = consent(seller_browser, installer.start(now=started))
    with pytest.raises(OAuthError) as expired:
        installer.finish(callback)
    assert expired.value.error == "expired_state"
    assert tokens.load(str(shop.public_id)) is None
    with pytest.raises(OAuthError, match="invalid_state"):
        installer.finish(callback)


@pytest.mark.django_db(transaction=True)
def test_a_callback_from_another_issuer_is_refused(installer, tokens, seller_browser, shop):
    callback = consent(seller_browser, installer.start())
    forged = callback.replace("iss=", "iss=https%3A%2F%2Fevil.example&was=")
    with pytest.raises(OAuthError, match="invalid_issuer"):
        installer.finish(forged)
    assert tokens.load(str(shop.public_id)) is None


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_pending_authorization_is_taken_once_even_by_racing_callbacks(store, tmp_path):
    pending = (
        MemoryPendingStore() if store == "memory" else SqlitePendingStore(tmp_path / "p.sqlite3")
    )
    started = time.time()
    pending.put(Pending("s1", "verifier", started))
    taken = []
    racers = [threading.Thread(target=lambda: taken.append(pending.take("s1"))) for _ in range(8)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert [p for p in taken if p is not None] == [Pending("s1", "verifier", started)]
    assert pending.take("s1") is None and pending.take("unknown") is None


def test_the_sqlite_store_survives_a_restart_and_sweeps_abandoned_states(tmp_path):
    path = tmp_path / "pending.sqlite3"
    SqlitePendingStore(path).put(Pending("old", "v0", time.time() - 3600))
    SqlitePendingStore(path).put(Pending("new", "v1", 1_000.0 + time.time()))
    again = SqlitePendingStore(path)
    assert again.take("old") is None  # swept when "new" was put
    assert again.take("new").code_verifier == "v1"


@pytest.mark.parametrize(
    "callback",
    ["https://app.example/callback?code=c&state=s", "code=c&state=s", {"code": "c", "state": "s"}],
)
def test_a_callback_may_be_a_url_a_query_or_a_mapping(callback):
    assert query_of(callback) == {"code": "c", "state": "s"}


@pytest.mark.django_db(transaction=True)
def test_an_async_app_installs_alike_and_a_used_state_is_refused(
    installer, tokens, seller_browser, shop
):
    from test_sdk_async import run_async

    callback = consent(seller_browser, installer.start())

    async def scenario():
        installed = await installer.finish_async(callback)
        async with installer.async_client(installed.shop_id) as client:
            name = (await client.shop.get()).name
        with pytest.raises(OAuthError, match="invalid_state"):
            await installer.finish_async(callback)
        return installed, name

    installed, name = run_async(scenario())
    assert (installed.shop_id, name) == (str(shop.public_id), shop.name)
    assert tokens.load(installed.shop_id) == installed.token
