"""One bad endpoint harms no one else: a bad URL is refused when saved and, when one is stored
anyway, fails alone; an attempt has a total deadline; an endpoint that hangs does not delay
another endpoint's deliveries."""

import time

import pytest

from emporium.events import dispatcher, endpoints, transport
from emporium.events.models import DeliveryAttempt, WebhookEndpoint
from emporium.events.tests.receiver import Receiver
from emporium.shops.services import update_shop

pytestmark = pytest.mark.django_db(transaction=True)


def change_shop(shop, n: int = 1) -> None:
    update_shop(shop, name=f"Renamed {n}", description="")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/ho\x01oks",
        "http://127.0.0.1:9/ho\noks",
        "http://127.0.0.1:9/a b",
        "http://127.0.0.1:9/héllo",
        "http://user:secret@127.0.0.1:9/hooks",
        "http://127.0.0.1:99999/hooks",
        "https://" + "a" * 500 + ".example/",
    ],
)
def test_a_url_with_a_control_character_or_other_garbage_is_refused_when_saved(app, url):
    with pytest.raises(endpoints.EndpointError) as refused:
        endpoints.subscribe(app, url, ["*"])
    assert refused.value.field == "url"
    assert not WebhookEndpoint.objects.exists()


def test_a_stored_bad_url_fails_alone_and_never_aborts_the_batch(endpoint, app, shop, receiver):
    bad = WebhookEndpoint.objects.create(app=app, url="http://127.0.0.1:9/ho\x01oks", topics=["*"])
    change_shop(shop)
    dispatcher.run_once()  # raised before, and every later round raised again
    assert len(receiver.received) == 1
    failed = DeliveryAttempt.objects.get(delivery__endpoint=bad)
    assert failed.status_code is None and "control character" in failed.error
    assert DeliveryAttempt.objects.get(delivery__endpoint=endpoint).status_code == 204


def test_an_attempt_ends_at_its_deadline_however_slowly_the_answer_drips(
    endpoint, receiver, monkeypatch
):
    monkeypatch.setattr(transport, "DEADLINE_SECONDS", 1.0)
    receiver.mode = "drip"  # each byte well within the read timeout; the whole far beyond
    started = time.monotonic()
    with transport.client() as http:
        outcome = transport.post(http, receiver.url, b"{}", {})
    assert time.monotonic() - started < 3
    assert not outcome.ok and "Timeout" in outcome.error


@pytest.fixture
def dispatcher_thread():
    thread, stop = dispatcher.start_thread()
    yield thread
    stop.set()
    thread.join(10)


def arrival(receiver: Receiver, path: str, count: int, timeout: float = 20) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        arrived = [r.at for r in receiver.received if r.path == path]
        if len(arrived) >= count:
            return arrived[count - 1]
        time.sleep(0.01)
    raise AssertionError(f"delivery {count} never reached {path}")


def test_an_endpoint_that_hangs_does_not_delay_another_endpoints_deliveries(
    endpoint, app, shop, receiver, dispatcher_thread
):
    # `endpoint` answers at /hooks; a second endpoint, on the same server, never answers.
    receiver.paths["/slow"] = "hang"
    endpoints.subscribe(app, receiver.url_for("/slow"), ["*"])
    latencies = []
    for n in range(1, 7):
        changed = time.monotonic()
        change_shop(shop, n)
        latencies.append(arrival(receiver, "/hooks", n) - changed)
    assert len([r for r in receiver.received if r.path == "/slow"]) >= 2  # it is being tried
    # The dispatcher wakes every 0.2 s; a hanging neighbour used to add its whole timeout (10 s)
    # to every delivery after the first. The margin is for a busy test machine.
    assert max(latencies) < 3, latencies
