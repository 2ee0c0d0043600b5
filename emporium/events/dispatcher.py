"""The dispatcher: publishes new outbox events, fans them out to endpoints and delivers them.

It runs in the background worker (`emporium worker` starts it beside the queue consumer) as a
loop; several workers may run it at once — publishing is serialised by a row lock and each
delivery is leased to one worker at a time. On PostgreSQL an idle loop sleeps until a committed
event's NOTIFY wakes it (`Wakeup`), with a poll as the fallback; on SQLite it polls.
"""

import logging
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from emporium.customer_events.batches import publish_batches
from emporium.ecosystem.models import Installation
from emporium.events import attempts, schedule, transport
from emporium.events.models import Delivery, Event, PublishCounter, WebhookEndpoint
from emporium.events.topics import allowed
from emporium.lib import clock

log = logging.getLogger(__name__)
PUBLISH_BATCH = 500
DELIVERY_BATCH = 256  # due rows looked at per claim
PER_ENDPOINT = 8  # requests in flight to one endpoint from one worker: half its senders
RUN_ONCE_BATCH = 64  # run_once sends a claim's batch before its next claim
HELD = 256  # deliveries a worker holds at once (claimed, and not yet recorded)
HELD_PER_ENDPOINT = 192
CLAIM_AT_LEAST = 96  # while sending, claim again once there is room for this many
RECORD_AT_LEAST = 32
RECORD_AFTER_SECONDS = 0.01
# A claimed delivery whose send has not started this long after its claim is left to its
# lease: an attempt started later might still run when the lease (schedule.LEASE) ends.
SEND_WITHIN_SECONDS = schedule.LEASE.total_seconds() - transport.DEADLINE_SECONDS - 15
CONNECTION_REFRESH_SECONDS = 30.0
CHANNEL = "emporium_events"  # NOTIFYed by a trigger on the outbox table (migration 0002)
# With notifications, how often an idle dispatcher looks anyway: retries that came due, and
# deliveries released by a re-enabled or recovered endpoint, are found within this.
POLL_SECONDS = 1.0


class Wakeup:
    """How the dispatcher learns of new events. On PostgreSQL its connection LISTENs and every
    committed outbox insert NOTIFYs (at commit, so the event is there when it wakes); an idle
    dispatcher sleeps on the socket until then, at most `poll_seconds` (retries coming due, a
    lost connection). Without notifications (SQLite) it looks every `idle_seconds`."""

    def __init__(self, stop: threading.Event, idle_seconds: float, poll_seconds: float):
        self.stop = stop
        self.idle_seconds = idle_seconds
        self.poll_seconds = poll_seconds
        self.listening: object | None = None  # the DB-API connection that LISTENs
        self.looked_at = 0.0
        self.notified = False  # the last `news` was a notification: something is there

    def listen(self) -> bool:
        """LISTEN on this thread's connection (again after a reconnect); False without it."""
        if connection.vendor != "postgresql":
            return False
        connection.ensure_connection()
        if self.listening is not connection.connection:
            with connection.cursor() as cursor:
                cursor.execute(f"LISTEN {CHANNEL}")
            self.listening = connection.connection
            self.looked_at = 0.0  # whatever was written before LISTEN: look once
        return True

    def news(self) -> bool:
        """Whether to look for unpublished events now: notified since the last look (no round
        trip: notifications arrive on the socket), or a poll interval has passed."""
        self.notified = False
        if not self.listen():
            return True
        notified = False
        for _ in connection.connection.notifies(timeout=0):
            notified = True  # all of them: one look answers every event committed so far
        due = time.monotonic() - self.looked_at >= self.poll_seconds
        if notified or due:
            self.looked_at = time.monotonic()
            self.notified = notified
            return True
        return False

    def again(self) -> None:
        """Look again next round (a publish took a batch and more may wait)."""
        self.looked_at = 0.0

    def sleep(self) -> None:
        """Nothing to do: wait for a notification, the poll interval, or `stop`."""
        if not self.listen():
            self.stop.wait(self.idle_seconds)
            return
        left = self.poll_seconds - (time.monotonic() - self.looked_at)
        # In slices, so a stop request ends the wait within one.
        while left > 0 and not self.stop.is_set():
            for _ in connection.connection.notifies(timeout=min(left, 0.5), stop_after=1):
                self.looked_at = 0.0  # woken: the next news() looks
                return
            left = self.poll_seconds - (time.monotonic() - self.looked_at)


def publish() -> int:
    """Give unpublished events their feed positions and create their deliveries; one batch."""
    return publish_leasing()[0]


def publish_leasing(
    room: int = 0, held: Counter[int] | None = None, look_first: bool = True
) -> tuple[int, list[Delivery], int]:
    """`publish`, and lease up to `room` of the new deliveries to this worker in the same
    transaction (claim at publish): they are created already leased, as a claim would leave
    them, so a trickled event costs one write transaction, not a publish and then a claim.
    `held` counts what the worker holds per endpoint (at most HELD_PER_ENDPOINT of one).
    Returns the events published, the deliveries leased, and how many new ones are left due."""
    # The idle loop asks this many times a second: a look at the partial index costs far less
    # than taking the counter's lock to find nothing. Skipped after a notification (`look_first`
    # False): a committed event is there, and the look was a round trip per trickled event.
    if look_first and not Event.objects.filter(position__isnull=True).exists():
        return 0, [], 0
    with transaction.atomic():
        # One statement once the row exists (a round trip less per publish than a separate
        # get_or_create); two workers creating it at once: the loser reads the winner's row.
        counter, _ = PublishCounter.objects.select_for_update().get_or_create(pk=1)
        # Bare columns: the events' JSON is not decoded (nor their shops loaded) to fan out.
        events = list(
            Event.objects.filter(position__isnull=True)
            .order_by("id")
            .values_list("id", "topic", "shop_id", "app_id")[:PUBLISH_BATCH]
        )
        if not events:
            return 0, [], 0
        _number(counter.last_position, [pk for pk, *_ in events])
        counter.last_position += len(events)
        counter.save(update_fields=["last_position"])
        rows = _deliveries_for(events)
        leased = _lease_new(rows, room, held or Counter())
        Delivery.objects.bulk_create(rows)
        taken: list[Delivery] = []
        if leased:
            # Loaded as a claim loads them (the event's payload, its shop, the endpoint); the
            # ids come back from the INSERT (RETURNING, on both databases).
            taken = list(
                Delivery.objects.filter(pk__in=[row.pk for row in leased])
                .select_related("event__shop", "endpoint")
                .order_by("id")
            )
    return len(events), taken, len(rows) - len(leased)


def _lease_new(rows: list[Delivery], room: int, held: Counter[int]) -> list[Delivery]:
    """Mark up to `room` new deliveries leased (next attempt a lease ahead), within the
    per-endpoint limit a claim keeps; the others stay due now, for any worker's claim."""
    taken = Counter(held)
    leased: list[Delivery] = []
    for row in rows:
        if len(leased) >= room:
            break
        if taken[row.endpoint_id] < HELD_PER_ENDPOINT:
            taken[row.endpoint_id] += 1
            row.next_attempt_at = row.created_at + schedule.LEASE
            leased.append(row)
    return leased


def _number(after: int, ids: list[int]) -> None:
    """Positions after+1, after+2, … in id order, in one statement (Django's bulk_update built
    a CASE of 500 branches: most of a publish's CPU)."""
    table = Event._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET position = %s + ranked.n FROM ("  # noqa: S608 - no user input
            f"SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM {table} WHERE id IN ({marks})"
            f") AS ranked WHERE {table}.id = ranked.id",
            [after, *ids],
        )


def _deliveries_for(events: Sequence[tuple[int, str, int | None, int | None]]) -> list[Delivery]:
    now = clock.now()
    endpoints_of_app: dict[int, list[WebhookEndpoint]] = defaultdict(list)
    for endpoint in WebhookEndpoint.objects.filter(enabled=True):
        endpoints_of_app[endpoint.app_id].append(endpoint)
    installs: dict[int, list[Installation]] = defaultdict(list)
    shop_ids = {shop_id for _, _, shop_id, _ in events if shop_id}
    for row in Installation.objects.active().filter(shop_id__in=shop_ids):
        installs[row.shop_id].append(row)
    rows: list[Delivery] = []
    for event_id, topic, shop_id, app_id in events:
        if app_id:
            apps = [app_id]
        else:
            shop_installs = installs[shop_id] if shop_id else []
            apps = [i.app_id for i in shop_installs if allowed(topic, i.scope_set)]
        for app in apps:
            rows.extend(
                Delivery(event_id=event_id, endpoint=endpoint, next_attempt_at=now, created_at=now)
                for endpoint in endpoints_of_app[app]
                if endpoint.wants(topic)
            )
    return rows


def _claim(
    now: datetime,
    limit: int = DELIVERY_BATCH,
    in_flight: Counter[int] | None = None,
    per_endpoint: int = HELD_PER_ENDPOINT,
    look_first: bool = False,
) -> list[Delivery]:
    """Take up to `limit` due deliveries by pushing their next attempt a lease ahead; this worker
    holds at most `per_endpoint` of one endpoint (`in_flight` counts what it holds already)."""
    in_flight = in_flight or Counter()
    full = [pk for pk, count in in_flight.items() if count >= per_endpoint]
    due = (
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=now, endpoint__enabled=True
        )
        .exclude(endpoint_id__in=full)
        .order_by("next_attempt_at", "id")
    )
    # A poll (the last claim found too little) mostly finds nothing: a read first, since the
    # claim's transaction takes SQLite's one write lock at BEGIN, 50 times a second otherwise.
    if look_first and not due.exists():
        return []
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        # Pick from bare (id, endpoint) pairs; only what is taken is loaded with its event,
        # shop and endpoint — not the whole window of due rows on every claim.
        picked: list[int] = []
        taken = Counter(in_flight)
        for pk, endpoint_id in due.values_list("pk", "endpoint_id")[:DELIVERY_BATCH]:
            if len(picked) >= limit:
                break
            if taken[endpoint_id] < per_endpoint:
                taken[endpoint_id] += 1
                picked.append(pk)
        if not picked:
            return []
        Delivery.objects.filter(pk__in=picked).update(next_attempt_at=now + schedule.LEASE)
        claimed = list(
            Delivery.objects.filter(pk__in=picked)
            .select_related("event__shop", "endpoint")
            .order_by("next_attempt_at", "id")
        )
    return claimed


def send_safely(http: transport.Client, delivery: Delivery) -> transport.Outcome:
    """One delivery's attempt; whatever goes wrong in it stays its own failure, never the
    batch's, so one bad endpoint cannot hold back other apps' deliveries."""
    try:
        return attempts.send(http, delivery)
    except Exception as error:
        log.exception("delivery %s failed unexpectedly", delivery.pk)
        return transport.Outcome(None, 0, error=transport.clean(f"{type(error).__name__}", 300))


def deliver_due(
    http: transport.Client | None = None, pool: ThreadPoolExecutor | None = None
) -> int:
    """Send every delivery that is due now (one claimed batch); returns how many were tried."""
    claimed = _claim(clock.now(), RUN_ONCE_BATCH, per_endpoint=PER_ENDPOINT)
    if not claimed:
        return 0
    own_http = http is None
    http = http or transport.client()
    try:
        if pool is None:
            outcomes = [send_safely(http, d) for d in claimed]
        else:
            outcomes = list(pool.map(lambda d: send_safely(http, d), claimed))
    finally:
        if own_http:
            http.close()
    attempts.record_outcomes(list(zip(claimed, outcomes, strict=True)))
    return len(claimed)


def run_once(http: transport.Client | None = None, pool: ThreadPoolExecutor | None = None) -> int:
    """Publish and deliver until nothing is due; returns how many deliveries were tried."""
    while publish():
        pass
    tried = 0
    own_http = http is None
    http = http or transport.client()  # one connection pool for the whole run, kept alive
    try:
        while batch := deliver_due(http, pool):
            tried += batch
    finally:
        if own_http:
            http.close()
    return tried


class Senders:
    """The worker's senders. Deliveries are claimed in batches of dozens (a claim is a
    transaction) and wait in this worker, per endpoint, for a sender; an endpoint has at most
    PER_ENDPOINT requests in flight, so one that hangs holds only its own senders (each for at
    most the attempt's deadline) while other endpoints' deliveries keep being sent. Answers are
    recorded in batches too: once RECORD_AT_LEAST are in, or RECORD_AFTER_SECONDS after the
    first, or when nothing else is in flight."""

    def __init__(self, size: int, http: transport.Client, poll_seconds: float = 0.02):
        self.size = size
        self.http = http
        self.poll_seconds = poll_seconds
        self.claimed_at = 0.0
        self.pool = ThreadPoolExecutor(size, thread_name_prefix="webhook")
        self.in_flight: dict[Future[transport.Outcome], Delivery] = {}
        self.waiting: dict[int, deque[tuple[float, Delivery]]] = defaultdict(deque)
        self.held: Counter[int] = Counter()  # per endpoint: waiting, in flight or unrecorded
        self.sending: Counter[int] = Counter()
        self.answered: list[tuple[Delivery, transport.Outcome]] = []
        self.answered_at = 0.0
        self.drained = False  # the last claim found less than it asked for

    def more(self) -> None:
        """New deliveries were published: worth a claim at once."""
        self.drained = False

    def busy(self) -> bool:
        return bool(self.in_flight or self.answered or any(self.waiting.values()))

    def start(self) -> int:
        """Claim what is due, if worth a transaction now, and hand it to free senders."""
        room = self.room()
        # A claim is a transaction: made only once there is room for a good batch (or when
        # this worker holds nothing), and when the last one found less than it asked for, only
        # after a poll interval or once new deliveries were published (`more`). A poll with
        # little room made claims of a few rows each, 50 a second, during a backlog: most of
        # the dispatcher's CPU on PostgreSQL.
        polled = time.monotonic() - self.claimed_at >= self.poll_seconds
        roomy = not self.held or room >= CLAIM_AT_LEAST
        worth_it = roomy and (polled or not self.drained)
        claimed: list[Delivery] = []
        if room > 0 and worth_it:
            self.claimed_at = time.monotonic()
            claimed = _claim(clock.now(), room, self.held, look_first=self.drained)
            self.drained = len(claimed) < room
            self.hold(claimed, self.claimed_at)
        self._hand_out()
        return len(claimed)

    def room(self) -> int:
        return HELD - self.held.total()

    def hold(self, claimed: list[Delivery], claimed_at: float) -> None:
        """Deliveries leased to this worker (by a claim, or by its publish) wait for a sender."""
        for delivery in claimed:
            self.held[delivery.endpoint_id] += 1
            self.waiting[delivery.endpoint_id].append((claimed_at, delivery))

    def _hand_out(self) -> None:
        now = time.monotonic()
        for endpoint_id, queue in self.waiting.items():
            while queue and len(self.in_flight) < self.size:
                if self.sending[endpoint_id] >= PER_ENDPOINT:
                    break
                taken_at, delivery = queue.popleft()
                if now - taken_at > SEND_WITHIN_SECONDS:
                    # Its lease may run out before an attempt started now could end, and
                    # another worker could take it meanwhile: let the lease lapse instead.
                    self.held[endpoint_id] -= 1
                    continue
                self.sending[endpoint_id] += 1
                self.in_flight[self.pool.submit(send_safely, self.http, delivery)] = delivery
        self.held = +self.held  # drop endpoints that hold nothing
        for endpoint_id in [key for key, queue in self.waiting.items() if not queue]:
            del self.waiting[endpoint_id]

    def finish(self, wait_seconds: float) -> int:
        """Collect answers (waiting up to `wait_seconds` for the first) and record them."""
        got = 0
        if self.in_flight:
            done, _ = wait(self.in_flight, timeout=wait_seconds, return_when=FIRST_COMPLETED)
            for future in done:
                delivery = self.in_flight.pop(future)
                self.sending[delivery.endpoint_id] -= 1
                if not self.answered:
                    self.answered_at = time.monotonic()
                self.answered.append((delivery, future.result()))
            got = len(done)
            self._hand_out()
        due = (
            len(self.answered) >= RECORD_AT_LEAST
            or time.monotonic() - self.answered_at >= RECORD_AFTER_SECONDS
            or not self.in_flight
        )
        if self.answered and due:
            answered, self.answered = self.answered, []
            try:
                # One transaction for the lot (one commit, not one each).
                attempts.record_outcomes(answered, durable=False)
            finally:  # recorded, or left to their leases when recording failed
                for delivery, _ in answered:
                    self.held[delivery.endpoint_id] -= 1
                self.held = +self.held
        return got

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def run_forever(stop: threading.Event, idle_seconds: float | None = None) -> None:
    """The worker's dispatcher loop; `stop` ends it between rounds."""
    if idle_seconds is None:
        idle_seconds = settings.WEBHOOK_IDLE_SECONDS
    http = transport.client()
    senders = Senders(settings.WEBHOOK_SENDERS, http, idle_seconds)
    wakeup = Wakeup(stop, idle_seconds, POLL_SECONDS)
    batched_at = 0.0
    refreshed_at = time.monotonic()
    try:
        while not stop.is_set():
            # Not every round: with CONN_MAX_AGE 0 this closes the connection, and reconnecting
            # (SQLite: a WAL checkpoint on close) cost more than the round's own work.
            if time.monotonic() - refreshed_at >= CONNECTION_REFRESH_SECONDS:
                refreshed_at = time.monotonic()
                close_old_connections()
            try:
                if time.monotonic() - batched_at >= settings.CUSTOMER_EVENTS_BATCH_SECONDS:
                    batched_at = time.monotonic()
                    _batch_customer_events()
                # One publish per round, then a claim: under a steady trickle each publish
                # finds the one event committed since the last, and publishing until none is
                # left starved the claims (at 100 events/s, seconds of latency on PostgreSQL).
                if wakeup.news():
                    # The publish leases what it creates to this worker, up to its room: a
                    # trickled event is one write transaction, and no claim is needed for it.
                    leased_at = time.monotonic()
                    published, leased, left = publish_leasing(
                        senders.room(), senders.held, look_first=not wakeup.notified
                    )
                    senders.hold(leased, leased_at)
                    if left:  # some stayed due (no room here): worth a claim at once
                        senders.more()
                    if published == PUBLISH_BATCH:  # more may wait, notified already
                        wakeup.again()
                busy = senders.start()
                busy += senders.finish(0 if busy else idle_seconds)
            except Exception:
                log.exception("dispatcher round failed; trying again")
                connection.close()  # a broken connection is not reused
                busy = 0
            if not busy and not senders.busy():
                try:
                    wakeup.sleep()
                except Exception:
                    log.exception("waiting for events failed; polling again")
                    connection.close()
                    stop.wait(idle_seconds)
    finally:
        senders.close()
        http.close()
        connection.close()  # this thread's own connection


def _batch_customer_events() -> None:
    # Storefront events reach analytics apps within seconds, not at the minute task: what a
    # "visitors online now" figure needs. The minute task stays as the safety net.
    publish_batches()


def start_thread() -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(stop,), name="dispatcher", daemon=True)
    thread.start()
    return thread, stop


def wait_until_idle(timeout: float = 10.0) -> None:
    """Tests and the benchmark: return once nothing is unpublished or due."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        unpublished = Event.objects.filter(position__isnull=True).exists()
        due = Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=clock.now(), endpoint__enabled=True
        ).exists()
        if not unpublished and not due:
            return
        time.sleep(0.05)
    raise TimeoutError("the dispatcher did not catch up")
