"""Shipping address rules: one default per member, the first address is it, at most a few dozen."""

from django.db import transaction
from django.utils.translation import gettext as _

from emporium.lib.errors import DomainError
from emporium.members.models import Address, Member

MAX_ADDRESSES = 20


class AddressError(DomainError):
    """Why an address change was refused, in the member's words."""


def _lock(member_id: int) -> None:
    # Serialises a member's address changes, so two tabs cannot leave two defaults behind.
    Member.objects.select_for_update().filter(pk=member_id).exists()


@transaction.atomic
def save_address(member: Member, address: Address, *, make_default: bool) -> Address:
    """Create or update `address` for `member`; it becomes the default if asked or if none is."""
    _lock(member.pk)
    mine = Address.objects.filter(member=member)
    if address.pk is None and mine.count() >= MAX_ADDRESSES:
        raise AddressError(_("You can keep at most %(n)s addresses.") % {"n": MAX_ADDRESSES})
    other_default = mine.filter(is_default=True).exclude(pk=address.pk).exists()
    address.member = member
    address.is_default = make_default or not other_default
    address.save()
    if address.is_default:
        mine.filter(is_default=True).exclude(pk=address.pk).update(is_default=False)
    return address


@transaction.atomic
def set_default_address(address: Address) -> None:
    _lock(address.member_id)
    Address.objects.filter(member_id=address.member_id).exclude(pk=address.pk).update(
        is_default=False
    )
    Address.objects.filter(pk=address.pk).update(is_default=True)
    address.is_default = True


@transaction.atomic
def delete_address(address: Address) -> None:
    """Delete; if it was the default, the most recently added remaining address takes over."""
    _lock(address.member_id)
    was_default = address.is_default
    member_id = address.member_id
    address.delete()
    if was_default:
        successor = Address.objects.filter(member_id=member_id).order_by("-created_at").first()
        if successor is not None:
            set_default_address(successor)
