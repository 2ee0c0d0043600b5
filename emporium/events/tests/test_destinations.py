"""Webhooks never reach our own network: the address checked is the address connected to (no DNS
rebinding), IPv6 forms that lead back to IPv4 are judged by where they lead, and what a refusal
from a private address says is never shown to the developer."""

import ipaddress
import socket

import pytest

from emporium.events import dispatcher, endpoints, transport
from emporium.events.models import DeliveryAttempt, WebhookEndpoint
from emporium.events.tests.receiver import HUGE_BYTES, Receiver
from emporium.shops.services import update_shop

pytestmark = pytest.mark.django_db(transaction=True)


class Resolver:
    """A DNS we control. `answers[name]` is the answer to each lookup in turn (the last one
    repeats); `hosted[address]` is the local port where connecting to a public address lands."""

    def __init__(self, real):
        self.real = real
        self.answers: dict[str, list[list[str]]] = {}
        self.hosted: dict[str, int] = {}

    def __call__(self, host, port, *args, **kwargs):
        if host in self.hosted:
            return self.real("127.0.0.1", self.hosted[host], *args, **kwargs)
        if host not in self.answers:
            return self.real(host, port, *args, **kwargs)
        turns = self.answers[host]
        addresses = turns.pop(0) if len(turns) > 1 else turns[0]
        return [self.info(address, port) for address in addresses]

    @staticmethod
    def info(address: str, port):
        if ipaddress.ip_address(address).version == 6:
            return (
                socket.AF_INET6,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (address, port, 0, 0),
            )
        return (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))


@pytest.fixture
def dns(monkeypatch, settings) -> Resolver:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False  # production's rule
    resolver = Resolver(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return resolver


@pytest.fixture
def internal():
    """A service inside our network that no webhook may reach."""
    running = Receiver().start()
    yield running
    running.stop()


def change_shop(shop) -> None:
    update_shop(shop, name="Renamed", description="")


def test_a_host_that_rebinds_to_a_private_address_after_the_check_is_never_called(
    app, installation, shop, dns, receiver, internal
):
    dns.hosted["1.1.1.1"] = receiver.port  # the app's real, public receiver
    # Public when the endpoint is saved and when the delivery is checked; private a moment later.
    dns.answers["hooks.example"] = [["1.1.1.1"], ["1.1.1.1"], ["127.0.0.1"]]
    dispatcher.run_once()  # the install's own event, before the endpoint exists
    endpoints.subscribe(app, f"http://hooks.example:{internal.port}/hooks", ["*"])
    change_shop(shop)
    dispatcher.run_once()
    assert internal.received == []
    [got] = receiver.received
    assert got.headers["host"] == f"hooks.example:{internal.port}"  # the name, not the address
    assert DeliveryAttempt.objects.get().status_code == 204


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of the cloud metadata address 169.254.169.254
        "64:ff9b:1::a00:1",  # a local-use NAT64 prefix
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::127.0.0.1",  # IPv4-compatible
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "ff02::1",  # multicast
        "224.0.0.1",
        "100.64.0.1",  # carrier-grade NAT
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104 - an address under test, nothing binds to it
    ],
)
def test_ipv6_forms_and_special_ranges_that_lead_inside_are_refused(app, dns, address):
    dns.answers["hooks.example"] = [[address]]
    with pytest.raises(endpoints.EndpointError, match="non-public"):
        endpoints.subscribe(app, "https://hooks.example/hooks", ["*"])
    assert not WebhookEndpoint.objects.exists()


def test_a_host_with_one_private_address_among_public_ones_is_refused(app, dns):
    dns.answers["hooks.example"] = [["1.1.1.1", "10.0.0.7"]]
    with pytest.raises(endpoints.EndpointError, match="non-public"):
        endpoints.subscribe(app, "https://hooks.example/hooks", ["*"])


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "2606:4700::1111", "64:ff9b::808:808", "2002:808:808::1"]
)
def test_public_addresses_in_every_form_are_accepted(address):
    assert transport.is_public(ipaddress.ip_address(address))


def test_a_refusal_from_an_address_that_turned_out_private_is_not_shown(
    app, installation, shop, dns, receiver
):
    # Its name and address look public; behind them (a NAT, a proxy) answers a private host.
    receiver.mode = "down"
    dns.hosted["1.1.1.1"] = receiver.port
    dns.answers["hooks.example"] = [["1.1.1.1"]]
    dispatcher.run_once()  # the install's own event, before the endpoint exists
    endpoints.subscribe(app, f"http://hooks.example:{receiver.port}/hooks", ["*"])
    change_shop(shop)
    dispatcher.run_once()
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code == 503
    assert attempt.response_excerpt == ""


def test_only_a_bounded_excerpt_of_an_endless_answer_is_read_and_kept(endpoint, shop, receiver):
    receiver.mode = "huge"
    change_shop(shop)
    dispatcher.run_once()
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code == 200
    assert attempt.response_excerpt == "x" * transport.EXCERPT
    assert receiver.sent_bytes < HUGE_BYTES / 4  # the rest was never received


def test_control_characters_and_nul_in_an_answer_are_not_stored(endpoint):
    outcome = transport.Outcome(500, 1, excerpt=transport.clean("bad\x00\x1b[31mred\x7f", 500))
    assert outcome.excerpt == "bad[31mred"
