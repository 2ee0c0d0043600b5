"""The abuse matrix of the pages: every route of the URL map × every stranger → the refusal it promises.

Generated from Django's URL resolver. Each route has an entry in ROUTES saying who may use it
(its gate) and whose object its URL names; the test asks it as an anonymous visitor, a logged-in
buyer (Carol), the seller of another shop (Otto) and another developer (Eve), with every method
the route takes, and asserts: never a 5xx; anonymous visitors are sent to log in; a stranger
naming someone else's object is refused (302 elsewhere / 403 / 404), never shown it; no answer
carries Mei's, Bob's or Dana's private strings; and nothing of theirs changes (shop, items,
orders, refunds, reviews, questions, categories, promotions of every kind and coupons, ledger
balances, addresses, apps, endpoints, installations, subscriptions and their charges, buyer
grants, pictures and design: emporium.fixtures.shop_state, shared with the API's matrix).

The Open API's routes (/api/v1) are the operations of the OpenAPI document, tested by token
in emporium/api/tests/test_openapi_matrix*.py; here they are only checked to be operations of
that document. The admin's routes are staff-only by Django's `admin_view`: every one is asked
by each stranger and must send them to the admin's log-in.

A route added to the URL map without an entry here fails `test_every_route_has_an_entry`.
All fixtures are built once per module; each test runs in its own rolled-back savepoint.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from emporium.api.main import api

# --- the table: every route, its gate and the owner of the object its URL names ---------------

PUBLIC = "public"  # anyone; strangers see only what is public
LOGIN = "login"  # any member; anonymous visitors are sent to log in
STAFF = "staff"  # the admin: staff only


@dataclass(frozen=True)
class Route:
    gate: str
    methods: tuple[str, ...] = ("GET",)
    # URL argument → key of VICTIMS (someone else's object) or a literal value.
    args: dict = field(default_factory=dict)
    # Whose object the URL names: a stranger must be refused (never a 200 showing it).
    owner: str | None = None


G, P, GP = ("GET",), ("POST",), ("GET", "POST")
FAKE_UUID = "0b7e9c57-5b2e-4c66-9a5a-2f0f7c1f0a11"

ROUTES: dict[str, Route] = {
    "healthz": Route(PUBLIC),  # the load balancer's: says only that the process answers
    # storefront: public by design; the cart is the visitor's own (by session)
    "storefront:home": Route(PUBLIC),
    "storefront:search": Route(PUBLIC),
    "storefront:category": Route(PUBLIC, args={"slug": "dresses"}),
    "storefront:item": Route(PUBLIC, args={"public_id": "item"}),
    "storefront:ask_question": Route(LOGIN, P, args={"public_id": "item"}),
    "storefront:item_block_context": Route(PUBLIC, args={"public_id": "item", "placement_id": 9}),
    "storefront:shop": Route(PUBLIC, args={"slug": "shop_slug"}),
    "storefront:claim_coupon": Route(LOGIN, P, args={"batch_id": "coupon_batch"}),
    "storefront:cart": Route(PUBLIC),
    "storefront:cart_add": Route(PUBLIC, P),
    "storefront:cart_update": Route(PUBLIC, P, args={"line_id": "bobs_cart_line"}, owner="bob"),
    "storefront:cart_remove": Route(PUBLIC, P, args={"line_id": "bobs_cart_line"}, owner="bob"),
    "customer_events_collect": Route(PUBLIC, P),
    "design:preview": Route(PUBLIC, args={"token": "not-a-token"}),
    # members
    "connected_apps": Route(LOGIN),
    "revoke_app": Route(LOGIN, P, args={"app_id": "app"}),
    "pay_request": Route(LOGIN, GP, args={"public_id": FAKE_UUID}),
    "members:login": Route(PUBLIC, GP),
    "members:logout": Route(PUBLIC, P),
    "members:signup": Route(PUBLIC, G),
    "members:profile": Route(LOGIN),
    "members:profile_edit": Route(LOGIN, GP),
    "members:addresses": Route(LOGIN),
    "members:address_add": Route(LOGIN, GP),
    "members:address_edit": Route(LOGIN, GP, args={"pk": "address"}, owner="bob"),
    "members:address_delete": Route(LOGIN, P, args={"pk": "address"}, owner="bob"),
    "members:address_default": Route(LOGIN, P, args={"pk": "address"}, owner="bob"),
    "members:password_change": Route(LOGIN, G),
    "members:password_change_done": Route(LOGIN),
    "members:password_reset": Route(PUBLIC, G),
    "members:password_reset_done": Route(PUBLIC),
    "members:password_reset_confirm": Route(PUBLIC, args={"uidb64": "MQ", "token": "x-y"}),
    "members:password_reset_complete": Route(PUBLIC),
    # the app market, in the seller center
    "market:browse": Route(LOGIN),
    "market:app": Route(LOGIN, args={"public_id": "app"}),
    "market:install": Route(LOGIN, GP, args={"public_id": "app"}),
    "market:review": Route(LOGIN, P, args={"public_id": "app"}),
    "market:installed": Route(LOGIN),
    "market:open": Route(LOGIN, args={"public_id": "app"}, owner="mei"),
    "market:change_plan": Route(LOGIN, GP, args={"public_id": "app"}, owner="mei"),
    "market:pay_now": Route(LOGIN, P, args={"public_id": "app"}, owner="mei"),
    "market:uninstall": Route(LOGIN, GP, args={"public_id": "app"}, owner="mei"),
    "market:blocks": Route(LOGIN),
    "market:block_change": Route(LOGIN, P, args={"placement_id": 999_999}),
    "market:item_blocks": Route(LOGIN),
    "market:item_block_setup": Route(LOGIN, GP, args={"block_id": 999_999}),
    "market:item_block_off": Route(LOGIN, P, args={"placement_id": 999_999}),
    # the seller center: Mei's objects
    "sellercenter:dashboard": Route(LOGIN),
    "sellercenter:open_shop": Route(LOGIN, G),
    "sellercenter:settings": Route(LOGIN, GP),
    "sellercenter:category_add": Route(LOGIN, P),
    "sellercenter:category_rename": Route(
        LOGIN, P, args={"category_id": "shop_category"}, owner="mei"
    ),
    "sellercenter:category_delete": Route(
        LOGIN, GP, args={"category_id": "shop_category"}, owner="mei"
    ),
    "sellercenter:category_move": Route(
        LOGIN, P, args={"category_id": "shop_category"}, owner="mei"
    ),
    "sellercenter:items": Route(LOGIN, GP),
    "sellercenter:item_create": Route(LOGIN, G),
    "sellercenter:item_edit": Route(LOGIN, GP, args={"public_id": "item"}, owner="mei"),
    "sellercenter:item_skus": Route(LOGIN, P, args={"public_id": "item"}, owner="mei"),
    "sellercenter:item_options": Route(LOGIN, P, args={"public_id": "item"}, owner="mei"),
    "sellercenter:item_pictures": Route(LOGIN, P, args={"public_id": "item"}, owner="mei"),
    "sellercenter:picture_delete": Route(
        LOGIN, P, args={"public_id": "item", "image_id": 1}, owner="mei"
    ),
    "sellercenter:picture_shows": Route(
        LOGIN, P, args={"public_id": "item", "image_id": 1}, owner="mei"
    ),
    "sellercenter:picture_main": Route(
        LOGIN, P, args={"public_id": "item", "image_id": 1}, owner="mei"
    ),
    "sellercenter:item_status": Route(LOGIN, P, args={"public_id": "item"}, owner="mei"),
    "sellercenter:item_delete": Route(LOGIN, GP, args={"public_id": "item"}, owner="mei"),
    "sellercenter:orders": Route(LOGIN),
    "sellercenter:orders_export": Route(LOGIN),
    "sellercenter:order": Route(LOGIN, args={"public_id": "paid_order"}, owner="mei"),
    "sellercenter:order_ship": Route(LOGIN, P, args={"public_id": "paid_order"}, owner="mei"),
    "sellercenter:order_memo": Route(LOGIN, P, args={"public_id": "paid_order"}, owner="mei"),
    "sellercenter:refunds": Route(LOGIN),
    "sellercenter:refund": Route(LOGIN, args={"public_id": "refund"}, owner="mei"),
    "sellercenter:refund_agree": Route(LOGIN, P, args={"public_id": "refund"}, owner="mei"),
    "sellercenter:refund_refuse": Route(LOGIN, P, args={"public_id": "refund"}, owner="mei"),
    "sellercenter:activities": Route(LOGIN),
    "sellercenter:activity_kind": Route(LOGIN, args={"kind": "discounts"}),
    "sellercenter:activity_create": Route(LOGIN, GP, args={"kind": "discounts"}),
    "sellercenter:activity_stop": Route(
        LOGIN, P, args={"kind": "discounts", "activity_id": "discount"}, owner="mei"
    ),
    "sellercenter:finance": Route(LOGIN, GP),
    "sellercenter:settlements": Route(LOGIN),
    "sellercenter:reviews": Route(LOGIN),
    "sellercenter:review_reply": Route(LOGIN, P, args={"public_id": "review"}, owner="mei"),
    "sellercenter:questions": Route(LOGIN),
    "sellercenter:question_answer": Route(LOGIN, P, args={"question_id": "question"}, owner="mei"),
    # a buyer's orders: Bob's objects
    "trade:checkout": Route(LOGIN, GP),
    "trade:pay": Route(LOGIN, GP),
    "trade:wallet": Route(LOGIN, GP),
    "trade:orders": Route(LOGIN),
    "trade:order": Route(LOGIN, args={"public_id": "paid_order"}, owner="bob"),
    "trade:cancel": Route(LOGIN, P, args={"public_id": "pending_order"}, owner="bob"),
    "trade:confirm": Route(LOGIN, P, args={"public_id": "shipped_order"}, owner="bob"),
    "trade:refund": Route(LOGIN, P, args={"public_id": "paid_order"}, owner="bob"),
    "trade:refund_step": Route(
        LOGIN,
        P,
        args={"public_id": "paid_order", "refund_id": "refund_pk", "step": "cancel"},
        owner="bob",
    ),  # fmt: skip
    "trade:review": Route(
        LOGIN, GP, args={"public_id": "settled_order", "line_id": "settled_line"}, owner="bob"
    ),
    # payments: a provider's signed notification; the sandbox card page of an intent
    "finance:notify": Route(PUBLIC, P, args={"provider": "sandbox"}),
    "finance:sandbox_card": Route(LOGIN, GP, args={"public_id": "top_up"}, owner="bob"),
    # pictures: public files by name
    "picture": Route(PUBLIC, args={"shard": "ab", "name": "missing.webp"}),
    "original": Route(PUBLIC, args={"shard": "ab", "name": "missing.webp"}),
    # OAuth 2.0 and the device flow
    "oauth2_provider:authorize": Route(LOGIN, GP),
    "oauth2_provider:token": Route(PUBLIC, P),
    "oauth2_provider:device-authorization": Route(PUBLIC, P),
    "oauth2_provider:revoke-token": Route(PUBLIC, P),
    "oauth2_provider:introspect": Route(PUBLIC, GP),
    "oauth2_provider:whoami": Route(PUBLIC),
    "oauth-authorization-server": Route(PUBLIC),
    "device": Route(LOGIN, GP),
    "device_confirm": Route(LOGIN, GP, args={"user_code": "ABCD-EFGH"}),
    # the developer center: Dana's objects
    "market_dev:listing": Route(LOGIN, GP, args={"public_id": "app"}, owner="dana"),
    "market_dev:listing_submit": Route(LOGIN, P, args={"public_id": "app"}, owner="dana"),
    "market_dev:earnings": Route(LOGIN),
    "ecosystem:home": Route(LOGIN),
    "ecosystem:app_create": Route(LOGIN, G),
    "ecosystem:app_detail": Route(LOGIN, args={"public_id": "app"}, owner="dana"),
    "ecosystem:app_calls": Route(LOGIN, args={"public_id": "app"}, owner="dana"),
    "ecosystem:app_edit": Route(LOGIN, GP, args={"public_id": "app"}, owner="dana"),
    "ecosystem:app_delete": Route(LOGIN, GP, args={"public_id": "app"}, owner="dana"),
    "ecosystem:app_rotate_secret": Route(LOGIN, GP, args={"public_id": "app"}, owner="dana"),
    "ecosystem:app_secret": Route(LOGIN, args={"public_id": "app"}, owner="dana"),
    "ecosystem:webhooks": Route(LOGIN, GP, args={"public_id": "app"}, owner="dana"),
    "ecosystem:webhook_endpoint": Route(
        LOGIN, GP, args={"public_id": "app", "endpoint_id": "endpoint"}, owner="dana"
    ),
    "ecosystem:webhook_replay": Route(
        LOGIN,
        P,
        args={"public_id": "app", "endpoint_id": "endpoint", "delivery_id": 1},
        owner="dana",
    ),  # fmt: skip
    "ecosystem:webhook_enable": Route(
        LOGIN, P, args={"public_id": "app", "endpoint_id": "endpoint"}, owner="dana"
    ),
    "ecosystem:webhook_test": Route(
        LOGIN, P, args={"public_id": "app", "endpoint_id": "endpoint"}, owner="dana"
    ),
    "ecosystem:webhook_delete": Route(
        LOGIN, P, args={"public_id": "app", "endpoint_id": "endpoint"}, owner="dana"
    ),
    "ecosystem:sandbox": Route(LOGIN),
    "ecosystem:sandbox_act_as": Route(LOGIN, P),
    "ecosystem:sandbox_return": Route(LOGIN, P),
    "set_language": Route(PUBLIC, P),
    # the operator's screens, beside the admin
    "operations:overview": Route(STAFF),
    "operations:disputes": Route(STAFF),
    "operations:rule": Route(STAFF, GP, args={"public_id": "refund"}),
    # the Open API's own pages (its operations are in the OpenAPI matrix)
    "api-v1:openapi-json": Route(PUBLIC),
    "api-v1:openapi-view": Route(PUBLIC),
    "api-v1:api-root": Route(PUBLIC),
}
# Open to anyone by Django's design: the admin's log-in page, and its log-out (which only ends
# the caller's own session and sends a stranger to /admin/).
ADMIN_PUBLIC = {"admin:login", "admin:logout"}

# --- the URL map, walked --------------------------------------------------------------------


@dataclass(frozen=True)
class Resolved:
    name: str
    pattern: str  # the full route, e.g. "seller/items/<uuid:public_id>/"
    regex: bool


def walk(patterns, prefix: str = "", namespace: str = "") -> list[Resolved]:
    found: list[Resolved] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace and namespace else (
                entry.namespace or namespace
            )  # fmt: skip
            found += walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            if not entry.name:
                name = f"{namespace}:<unnamed {entry.pattern}>"
            pattern = prefix + str(entry.pattern)
            found.append(Resolved(name, pattern, regex="(?P<" in pattern or "^" in pattern))
    return found


ALL = walk(get_resolver().url_patterns)
API_ROUTES = [r for r in ALL if r.name.startswith("api-v1:") and r.name not in ROUTES]
ADMIN_ROUTES = [r for r in ALL if r.name.startswith("admin:")]
PAGE_ROUTES = [r for r in ALL if r.name in ROUTES]


def test_every_route_has_an_entry():
    """A new page must say who may use it; a new API operation must be in the OpenAPI document."""
    operations = {
        op["operationId"]
        for methods in api.get_openapi_schema(path_prefix="/api/v1/")["paths"].values()
        for op in methods.values()
    }
    missing = [
        r.pattern
        for r in ALL
        if r.name not in ROUTES
        and not r.name.startswith("admin:")
        and not (r.name.startswith("api-v1:") and r.name.removeprefix("api-v1:") in operations)
        and not r.name.startswith("bare-")  # the benchmark's twin, off unless BENCH_BARE_ENDPOINTS
    ]
    assert not missing, f"routes without an entry in ROUTES (say who may use them): {missing}"
    stale = set(ROUTES) - {r.name for r in ALL}
    assert not stale, f"entries for routes that no longer exist: {stale}"
    assert len(PAGE_ROUTES) == len(ROUTES)


# --- the people: victims and strangers, built once --------------------------------------------

SECRETS = {
    "street": "77 Secretive Lane",
    "webhook": "https://hooks.example.com/dana-private-hook",
    "refund_reason": "reason-kept-private-RF9",
    "memo": "memo-kept-private-MM4",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Mei's shop with an item, orders in every state, a refund, a review, a question, a shop
    category, a discount, a threshold, a flash sale and a coupon batch (Bob holds a coupon); Bob's
    address, cart and top-up; Dana's app, listed with a usage plan, installed by Mei, with an
    endpoint; and the strangers Carol (a buyer), Otto (another shop) and Eve (another developer).
    Built in one transaction that is rolled back when the module ends."""
    with django_db_blocker.unblock(), override_settings(PAYMENTS_SANDBOX=True):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built["sessions"] = {}
            for who in ("carol", "otto", "eve", "mei"):
                browser = Client()
                browser.force_login(built["people"][who])
                built["sessions"][who] = browser.cookies[settings.SESSION_COOKIE_NAME].value
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def build_world() -> dict:
    from emporium.api.tests.conftest import make_app
    from emporium.catalog import services as catalog
    from emporium.catalog.models import Category, Item
    from emporium.catalog.tree import plant_tree
    from emporium.community.reviews import ask, write_review
    from emporium.events.models import WebhookEndpoint
    from emporium.finance import wallets
    from emporium.finance.wallets import fund_in_sandbox
    from emporium.fixtures import make_member
    from emporium.lib import clock
    from emporium.market.installs import install
    from emporium.market.listings import PlanSpec, approve, save_listing
    from emporium.market.models import Listing, Plan
    from emporium.members.models import Address
    from emporium.promotions.activities import (
        claim_coupon,
        create_coupons,
        create_discount,
        create_flash_sale,
        create_threshold,
    )
    from emporium.shops.services import add_shop_category, open_shop
    from emporium.trade import cart, orders
    from emporium.trade.models import Cart
    from emporium.trade.refunds import request_refund

    if not Category.objects.exists():
        plant_tree(Category)
    mei, bob, dana = make_member("mei"), make_member("bob"), make_member("dana", is_developer=True)
    carol, otto = make_member("carol"), make_member("otto")
    eve = make_member("eve", is_developer=True)
    shop = open_shop(mei, name="Mei's Closet", description="Dresses")
    open_shop(otto, name="Otto's Gadgets", description="Phones")
    item = catalog.create_item(
        shop, title="Linen dress", option_names=[], category=Category.objects.get(slug="dresses"),
        skus=[catalog.SkuSpec(options={}, price=Decimal("100.00"), stock=50)],
        status=Item.Status.ON_SALE,
    )  # fmt: skip
    sku = item.skus.get()
    fund_in_sandbox(bob, Decimal("5000.00"))
    address = Address.objects.create(
        member=bob, recipient="Bob", phone="13800000000", province="Zhejiang",
        city="Hangzhou", street=SECRETS["street"], is_default=True,
    )  # fmt: skip

    def order(status: str):
        (made,) = orders.checkout(bob, address, [(sku, 1)], note=SECRETS["memo"])
        if status != "pending_payment":
            orders.pay(bob, [made])
        if status in ("shipped", "settled"):
            orders.ship(made, "SF Express", "SF1234567")
        if status == "settled":
            orders.confirm_receipt(made)
        made.refresh_from_db()
        return made

    paid, pending, shipped, settled = (order(s) for s in ("paid", "pending_payment", "shipped",
                                                           "settled"))  # fmt: skip
    refund = request_refund(paid, bob, paid.total_amount, SECRETS["refund_reason"])
    review = write_review(bob, settled.lines.get(), 5, "lovely")
    question = ask(bob, item, "Is it silk?")
    now = clock.now()
    discount = create_discount(
        shop, name="Summer", percent_off=Decimal("10"), items=[item], starts_at=now,
        ends_at=now + timedelta(days=30),
    )  # fmt: skip
    batch = create_coupons(
        shop, name="Ten off", amount_off=Decimal("10"), min_spend=Decimal("100"),
        total_count=100, starts_at=now, ends_at=now + timedelta(days=30),
    )  # fmt: skip
    create_threshold(
        shop, name="Spend more", min_spend=Decimal("300"), amount_off=Decimal("20"),
        starts_at=now, ends_at=now + timedelta(days=30),
    )  # fmt: skip
    create_flash_sale(
        shop, name="Noon", sku=sku, flash_price=Decimal("90"), stock_limit=5, per_buyer_limit=1,
        starts_at=now, ends_at=now + timedelta(days=30),
    )  # fmt: skip
    claim_coupon(batch, bob)
    app = make_app(dana, name="Dana's Helper")
    listing = approve(save_listing(
        app, name="Dana's Helper", summary_en="Helps", description_en="Helps shops.",
        category=Listing.Category.ANALYTICS, scopes=["shop:read", "orders:read"], submit=True,
        plans=[PlanSpec("Metered", Plan.Kind.USAGE, unit_price_amount=Decimal("0.10"),
                        unit_name="call")],
    ))  # fmt: skip
    install(shop, listing, listing.plans.get(), usage_cap="50.00")  # Mei uses Dana's app
    # Saved as the form would after its checks (example.com does not resolve here).
    endpoint = WebhookEndpoint.objects.create(app=app, url=SECRETS["webhook"], topics=["*"])
    bobs_cart = Cart.objects.create(member=bob)
    line = cart.add_to_cart(bobs_cart, sku, 1)
    top_up, _page = wallets.start_top_up(bob, Decimal("20.00"))
    return {
        "people": {"mei": mei, "bob": bob, "dana": dana, "carol": carol, "otto": otto, "eve": eve},
        "shop": shop,
        "item": item.public_id,
        "shop_slug": shop.slug,
        "paid_order": paid.public_id,
        "pending_order": pending.public_id,
        "shipped_order": shipped.public_id,
        "settled_order": settled.public_id,
        "settled_line": settled.lines.get().pk,
        "refund": refund.public_id,
        "refund_pk": refund.pk,
        "review": review.public_id,
        "question": question.pk,
        "shop_category": add_shop_category(shop, "Summer things").pk,
        "discount": discount.pk,
        "coupon_batch": batch.pk,
        "address": address.pk,
        "app": app.public_id,
        "endpoint": endpoint.pk,
        "bobs_cart_line": line.pk,
        "top_up": top_up.public_id,
        "secrets": [*SECRETS.values(), paid.number, pending.number, app.client_id],
    }


@pytest.fixture
def in_world(world, db):
    """Each test's changes live in a savepoint that pytest-django rolls back."""
    return world


def state_of(world: dict) -> dict:
    """Everything of Mei's, Bob's and Dana's that a stranger's request could change."""
    from emporium.fixtures import shop_state

    people = world["people"]
    return shop_state(world["shop"], [people["bob"], people["dana"]])


# --- asking ---------------------------------------------------------------------------------

STRANGERS = ["anonymous", "carol", "otto", "eve"]
# What a stranger might post to any form: enough for a careless view to change something.
FORM = {
    "title": "Stolen", "name": "Stolen", "description": "pwned", "status": "deleted",
    "text": "pwned", "reply": "pwned", "answer": "pwned", "memo": "pwned", "note": "pwned",
    "carrier": "X", "tracking_number": "1", "action": "accept", "reason": "pwned",
    "url": "https://evil.example.com/hook", "topics": "order.paid", "plan": "basic",
    "offset": "1", "stars": "5", "amount": "1.00", "street": "pwned", "price": "1.00",
    "stock": "0", "quantity": "1", "user_code": "ABCD-EFGH", "spending_limit": "1000",
}  # fmt: skip
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def url_of(route: Resolved, world: dict) -> str:
    entry = ROUTES[route.name]

    def value(match: re.Match) -> str:
        given = entry.args.get(match.group(2))
        assert given is not None, f"{route.name}: no value for <{match.group(2)}>"
        return str(world.get(given, given) if isinstance(given, str) else given)

    return "/" + CONVERTER.sub(value, route.pattern)


def client_of(world: dict, who: str) -> Client:
    """A browser of `who`, logged in once per module (a test that logs out is rolled back)."""
    client = Client()
    if who != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][who]
    return client


def ask(client: Client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return client.post(url, FORM, HTTP_ORIGIN="http://testserver")


def refusal_of_anonymous(response, login_path: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(login_path)


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda r: r.name)
def test_a_stranger_gets_the_refusal_the_route_promises(route, in_world):
    entry = ROUTES[route.name]
    url = url_of(route, in_world)
    before = state_of(in_world)
    for who in STRANGERS:
        client = client_of(in_world, who)
        for method in entry.methods:
            response = ask(client, method, url)
            where = f"{method} {url} as {who}: {response.status_code}"
            assert response.status_code < 500, where
            if entry.gate == STAFF:
                assert refusal_of_anonymous(response, "/admin/login/"), where
            elif who == "anonymous" and entry.gate == LOGIN:
                assert refusal_of_anonymous(response, "/account/login/"), where
            elif entry.owner:
                assert response.status_code in (302, 400, 403, 404, 405), where
                if response.status_code == 302:
                    assert (
                        str(in_world.get(entry.args.get("public_id", ""), "-"))
                        not in (response["Location"])
                    ), where
            body = b"".join(response) if response.streaming else response.content
            text = body.decode(errors="replace")
            leaked = [s for s in in_world["secrets"] if s in text]
            assert not leaked, f"{where} leaked {leaked}"
    assert state_of(in_world) == before, f"{route.name} changed someone else's state"


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda r: r.name)
def test_the_admin_sends_every_non_staff_member_to_its_log_in(route, in_world):
    if route.name in ADMIN_PUBLIC:
        return
    url = "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: {"app_label": "shops"}.get(
        m.group(1), "x/"), route.pattern).replace("^", "").replace("$", "")  # fmt: skip
    url = CONVERTER.sub("1", url)
    before = state_of(in_world)
    # One decorator (AdminSite.admin_view) guards them all: a visitor and a member suffice.
    for who, method in [("anonymous", "GET"), ("otto", "GET"), ("otto", "POST")]:
        client = client_of(in_world, who)
        if True:
            response = ask(client, method, url)
            where = f"{method} {url} as {who}: {response.status_code}"
            assert refusal_of_anonymous(response, "/admin/login/"), where
    assert state_of(in_world) == before


def test_the_api_routes_are_the_documents_operations():
    """Each /api/v1 route of the URL map is an operation of the OpenAPI document, so the token
    matrix (emporium/api/tests/test_openapi_matrix*.py), generated from that document, asks it."""
    assert API_ROUTES, "the Open API's routes were not found in the URL map"
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = {op["operationId"] for m in document["paths"].values() for op in m.values()}
    assert {r.name.removeprefix("api-v1:") for r in API_ROUTES} <= operations


def test_a_fake_owner_id_is_a_plain_404_for_its_owner_too(in_world):
    """The refusal a stranger gets for an object is the one for an object that does not exist:
    Mei asking for an order id nobody has gets the same 404 as Otto asking for hers."""
    mei = client_of(in_world, "mei")
    otto = client_of(in_world, "otto")
    assert mei.get(f"/seller/orders/{uuid.uuid4()}/").status_code == 404
    assert otto.get(f"/seller/orders/{in_world['paid_order']}/").status_code == 404
    assert mei.get(f"/seller/orders/{in_world['paid_order']}/").status_code == 200
