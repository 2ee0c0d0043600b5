"""The profile shows the member's roles; its edit form checks email, time zone, developer flag."""

import pytest
from django.urls import reverse


def test_pages_of_the_account_need_a_log_in(client, db):
    for name in (
        "members:profile",
        "members:profile_edit",
        "members:addresses",
        "members:address_add",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("members:login"))


def test_a_buyer_is_shown_as_a_buyer_only(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("members:profile"))
    assert response.context["roles"] == ["buyer"]
    page = response.content.decode()
    assert "bob@example.com" in page
    assert reverse("sellercenter:open_shop") in page


def test_a_seller_is_shown_as_buyer_and_seller_with_their_shop(client, seller, shop):
    client.force_login(seller)
    response = client.get(reverse("members:profile"))
    assert response.context["roles"] == ["buyer", "seller"]
    page = response.content.decode()
    assert reverse("storefront:shop", args=[shop.slug]) in page
    assert reverse("sellercenter:dashboard") in page


def test_a_developer_is_shown_as_a_developer(client, developer):
    client.force_login(developer)
    assert client.get(reverse("members:profile")).context["roles"] == ["buyer", "developer"]


def edit(client, **overrides):
    data = {
        "display_name": "Bobby",
        "email": "bobby@example.com",
        "timezone": "Europe/Paris",
        "is_developer": "on",
        **overrides,
    }
    return client.post(reverse("members:profile_edit"), data)


def test_a_member_edits_their_profile(client, buyer):
    client.force_login(buyer)
    page = client.get(reverse("members:profile_edit")).content.decode()
    assert "I build apps" in page
    assert '<option value="Asia/Shanghai" selected>' in page

    response = edit(client)

    assert response["Location"] == reverse("members:profile")
    buyer.refresh_from_db()
    assert (buyer.display_name, buyer.email, buyer.timezone, buyer.is_developer) == (
        "Bobby",
        "bobby@example.com",
        "Europe/Paris",
        True,
    )


def test_keeping_the_same_email_in_another_case_is_allowed(client, buyer):
    client.force_login(buyer)
    assert edit(client, email="Bob@Example.com").status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"email": "MEI@example.com"}, "email"),  # the seller's
        ({"email": "nope"}, "email"),
        ({"display_name": "x" * 61}, "display_name"),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_changes(client, buyer, seller, overrides, field):
    client.force_login(buyer)
    response = edit(client, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    buyer.refresh_from_db()
    assert (buyer.display_name, buyer.email, buyer.timezone, buyer.is_developer) == (
        "Bob Buyer",
        "bob@example.com",
        "Asia/Shanghai",
        False,
    )
