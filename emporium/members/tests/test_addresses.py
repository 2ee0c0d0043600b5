"""Shipping addresses: list, add, edit, delete after a confirm page, one default, only your own."""

import pytest
from django.urls import reverse

from emporium.members.addresses import MAX_ADDRESSES, save_address
from emporium.members.models import Address


def address_data(**overrides) -> dict:
    return {
        "recipient": "Bob Buyer",
        "phone": "+86 138 0000 0000",
        "province": "Guangdong",
        "city": "Shenzhen",
        "district": "Nanshan",
        "street": "8 Harbour Road",
        "postal_code": "518000",
        **overrides,
    }


def make_address(member, default=False, **overrides) -> Address:
    return save_address(member, Address(**address_data(**overrides)), make_default=default)


def defaults(member) -> list[str]:
    return list(member.addresses.filter(is_default=True).values_list("street", flat=True))


@pytest.fixture
def logged_in(client, buyer):
    client.force_login(buyer)
    return client


def test_an_empty_list_invites_adding_an_address(logged_in):
    response = logged_in.get(reverse("members:addresses"))
    page = response.content.decode()
    assert 'data-testid="empty-state"' in page
    assert reverse("members:address_add") in page


def test_the_first_address_becomes_the_default(logged_in, buyer):
    assert logged_in.get(reverse("members:address_add")).status_code == 200
    response = logged_in.post(reverse("members:address_add"), address_data())
    assert response["Location"] == reverse("members:addresses")
    assert defaults(buyer) == ["8 Harbour Road"]


def test_a_new_default_takes_over_and_only_one_stays_default(logged_in, buyer):
    make_address(buyer, street="1 Old Street")
    logged_in.post(
        reverse("members:address_add"), address_data(street="2 New Street", is_default="on")
    )
    assert defaults(buyer) == ["2 New Street"]
    assert buyer.addresses.count() == 2


def test_a_second_address_not_marked_default_leaves_the_default_alone(logged_in, buyer):
    make_address(buyer, street="1 Old Street")
    logged_in.post(reverse("members:address_add"), address_data(street="2 New Street"))
    assert defaults(buyer) == ["1 Old Street"]


def test_the_list_shows_every_address_default_first(logged_in, buyer):
    make_address(buyer, street="1 Old Street")
    make_address(buyer, street="2 New Street")
    make_address(buyer, street="3 Home Street", default=True)
    response = logged_in.get(reverse("members:addresses"))
    assert [a.street for a in response.context["addresses"]][0] == "3 Home Street"
    assert response.content.decode().count('data-testid="address"') == 3


def test_a_member_edits_an_address(logged_in, buyer):
    address = make_address(buyer)
    url = reverse("members:address_edit", args=[address.pk])
    assert logged_in.get(url).status_code == 200
    logged_in.post(url, address_data(city="Guangzhou", is_default="on"))
    address.refresh_from_db()
    assert address.city == "Guangzhou"


def test_unticking_default_on_the_only_default_keeps_it_default(logged_in, buyer):
    address = make_address(buyer)
    logged_in.post(reverse("members:address_edit", args=[address.pk]), address_data())
    assert defaults(buyer) == ["8 Harbour Road"]


def test_delete_asks_first_then_deletes(logged_in, buyer):
    address = make_address(buyer)
    url = reverse("members:address_delete", args=[address.pk])
    confirm = logged_in.get(url)
    assert confirm.status_code == 200
    assert "Delete this address?" in confirm.content.decode()
    assert Address.objects.filter(pk=address.pk).exists()
    assert logged_in.post(url)["Location"] == reverse("members:addresses")
    assert not Address.objects.filter(pk=address.pk).exists()


def test_deleting_the_default_hands_it_to_the_newest_other_address(logged_in, buyer):
    make_address(buyer, street="1 Old Street")
    make_address(buyer, street="2 New Street")
    default = buyer.addresses.get(is_default=True)
    logged_in.post(reverse("members:address_delete", args=[default.pk]))
    assert defaults(buyer) == ["2 New Street"]


def test_a_member_sets_another_default(logged_in, buyer):
    make_address(buyer, street="1 Old Street")
    other = make_address(buyer, street="2 New Street")
    url = reverse("members:address_default", args=[other.pk])
    assert logged_in.get(url).status_code == 405
    logged_in.post(url)
    assert defaults(buyer) == ["2 New Street"]


def test_nobody_can_see_change_or_delete_another_member_address(logged_in, seller):
    theirs = make_address(seller)
    for name in ("members:address_edit", "members:address_delete"):
        assert logged_in.get(reverse(name, args=[theirs.pk])).status_code == 404
        assert logged_in.post(reverse(name, args=[theirs.pk]), address_data()).status_code == 404
    assert logged_in.post(reverse("members:address_default", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.city == "Shenzhen"
    assert defaults(seller) == ["8 Harbour Road"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recipient": ""}, "recipient"),
        ({"recipient": "   "}, "recipient"),
        ({"phone": "call me maybe"}, "phone"),
        ({"phone": "1"}, "phone"),
        ({"street": "x" * 201}, "street"),
        ({"province": ""}, "province"),
    ],
)
def test_bad_address_input_names_the_field_and_saves_nothing(logged_in, buyer, overrides, field):
    response = logged_in.post(reverse("members:address_add"), address_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not buyer.addresses.exists()


def test_a_member_keeps_at_most_a_limited_number_of_addresses(logged_in, buyer):
    for n in range(MAX_ADDRESSES):
        make_address(buyer, street=f"{n} Long Street")
    response = logged_in.post(reverse("members:address_add"), address_data())
    assert response.status_code == 200
    assert "at most" in response.content.decode()
    assert buyer.addresses.count() == MAX_ADDRESSES
