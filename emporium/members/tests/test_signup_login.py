"""Sign-up, log-in and log-out: unique names and emails, Django's password rules, cart merging."""

import pytest
from django.urls import reverse

from emporium.conftest import PASSWORD
from emporium.members.models import Member
from emporium.trade.models import Cart, CartLine


def signup(client, **overrides):
    data = {
        "username": "carol",
        "email": "carol@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(reverse("members:signup"), data)


def test_the_signup_page_renders(client, db):
    response = client.get(reverse("members:signup"))
    assert response.status_code == 200
    assert 'name="password2"' in response.content.decode()


def test_a_visitor_signs_up_and_is_logged_in(client, db):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:home")
    member = Member.objects.get(username="carol")
    assert member.email == "carol@example.com"
    assert member.check_password(PASSWORD)
    assert client.get(reverse("members:profile")).context["user"] == member


def test_signup_follows_a_safe_next_link_only(client, db):
    assert signup(client, next="/cart/")["Location"] == "/cart/"
    client.logout()
    response = signup(
        client, username="dave", email="dave@example.com", next="https://evil.example/"
    )
    assert response["Location"] == reverse("storefront:home")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "BOB@Example.com"}, "email"),  # the buyer fixture's email, in other case
        ({"username": "BOB"}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"password2": "something-else-entirely"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password2"),
        ({"password1": "password", "password2": "password"}, "password2"),
        ({"password1": "carol@example.com", "password2": "carol@example.com"}, "password2"),
        ({"username": "no spaces allowed"}, "username"),
    ],
)
def test_signup_refuses_bad_input_with_the_field_named_and_creates_nothing(
    client, buyer, overrides, field
):
    response = signup(client, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Member.objects.count() == 1
    assert not response.context["user"].is_authenticated


def test_a_logged_in_member_is_sent_from_signup_to_the_profile(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("members:signup"))["Location"] == reverse("members:profile")


def test_signup_brings_the_anonymous_cart_along(client, item):
    sku = item.skus.first()
    client.post(reverse("storefront:cart_add"), {"sku": sku.pk, "quantity": 2})
    signup(client)
    member = Member.objects.get(username="carol")
    assert list(CartLine.objects.values_list("cart__member", "sku", "quantity")) == [
        (member.pk, sku.pk, 2)
    ]


def test_the_login_page_renders_with_reset_and_signup_links(client, db):
    page = client.get(reverse("members:login")).content.decode()
    assert reverse("members:password_reset") in page
    assert reverse("members:signup") in page


def test_a_member_logs_in_and_goes_to_next(client, buyer):
    response = client.post(
        reverse("members:login") + "?next=/cart/", {"username": "bob", "password": PASSWORD}
    )
    assert response["Location"] == "/cart/"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, buyer):
    response = client.post(reverse("members:login"), {"username": "bob", "password": "nope"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert "correct username and password" in response.content.decode()


def test_anonymous_cart_merges_at_login_even_though_the_session_key_changes(client, buyer, item):
    sku = item.skus.first()
    client.post(reverse("storefront:cart_add"), {"sku": sku.pk, "quantity": 3})
    old_key = client.session.session_key
    client.post(reverse("members:login"), {"username": "bob", "password": PASSWORD})
    assert client.session.session_key != old_key
    assert list(Cart.objects.values_list("member", "session_key")) == [(buyer.pk, None)]
    assert buyer.cart.lines.get().quantity == 3


def test_log_out_needs_a_post(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("members:logout")).status_code == 405
    response = client.post(reverse("members:logout"))
    assert response["Location"] == reverse("storefront:home")
    assert not client.get(reverse("storefront:home")).context["user"].is_authenticated


def test_the_header_offers_log_out_as_a_form(client, buyer):
    client.force_login(buyer)
    page = client.get(reverse("storefront:home")).content.decode()
    assert f'method="post" action="{reverse("members:logout")}"' in page
