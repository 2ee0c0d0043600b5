"""When a busy worker claims: only with room for a good batch, so a deep backlog is claimed in
batches of dozens and not a few rows at every poll (each claim is a transaction)."""

import pytest

from emporium.events import dispatcher, transport

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def claims(monkeypatch) -> list[int]:
    asked: list[int] = []

    def claim(now, limit, in_flight=None, per_endpoint=0, look_first=False):
        asked.append(limit)
        return []

    monkeypatch.setattr(dispatcher, "_claim", claim)
    return asked


def holding(count: int) -> dispatcher.Senders:
    senders = dispatcher.Senders(2, transport.client(), poll_seconds=0)
    senders.held[1] = count
    return senders


def test_a_poll_with_little_room_claims_nothing(claims):
    senders = holding(dispatcher.HELD - dispatcher.CLAIM_AT_LEAST + 1)
    senders.start()
    senders.close()
    assert claims == []


def test_room_for_a_batch_is_claimed_at_the_poll(claims):
    senders = holding(dispatcher.HELD - dispatcher.CLAIM_AT_LEAST)
    senders.start()
    senders.close()
    assert claims == [dispatcher.CLAIM_AT_LEAST]


def test_a_worker_holding_nothing_claims_at_once(claims):
    senders = holding(0)
    senders.start()
    senders.close()
    assert claims == [dispatcher.HELD]
