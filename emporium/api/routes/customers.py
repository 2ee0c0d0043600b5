"""GET /customers: buyers who ordered from this shop — name, region and order counts only.

No email, phone or street ever leaves through this scope: an app learns how a shop's buyers
are spread and how often they come back, not how to reach them.
"""

from django.db.models import Count, Max, Min, OuterRef, Subquery
from ninja import Query, Router

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.pagination import paginate
from emporium.api.schemas.common import PageQuery
from emporium.members.models import Member
from emporium.resources.common import Page
from emporium.resources.customers import CustomerOut
from emporium.resources.orders import customer_id
from emporium.shops.models import Shop
from emporium.trade.models import Order

router = Router(tags=["customers"])


def _last_regions(shop: Shop, buyer_ids: list[int]) -> dict[int, dict]:
    """The last order's address snapshot of each buyer, one query for the page."""
    last = Order.objects.filter(shop=shop, buyer=OuterRef("pk")).order_by("-created_at", "-id")
    rows = Member.objects.filter(pk__in=buyer_ids).annotate(
        address=Subquery(last.values("address")[:1])
    )
    return {member.pk: member.address or {} for member in rows}


@router.get("", response=Page[CustomerOut], auth=Scoped("customers:read"))
def list_customers(request: ApiRequest, page: Query[PageQuery]) -> dict:
    """Everyone who placed an order in the shop, first customers first."""
    shop = request.auth.acting_for
    grouped = (
        Order.objects.filter(shop=shop)
        .values("buyer", "buyer__public_id", "buyer__display_name", "buyer__username")
        .annotate(
            order_count=Count("id"),
            first_order_at=Min("created_at"),
            last_order_at=Max("created_at"),
        )
    )
    rows, cursor = paginate(grouped, page, key="first_order_at", tiebreak="buyer", name="customers")
    regions = _last_regions(shop, [row["buyer"] for row in rows])
    data = [
        CustomerOut(
            id=customer_id(shop, row["buyer__public_id"]),
            name=row["buyer__display_name"] or row["buyer__username"],
            province=str(regions.get(row["buyer"], {}).get("province", "")),
            city=str(regions.get(row["buyer"], {}).get("city", "")),
            order_count=row["order_count"],
            first_order_at=row["first_order_at"],
            last_order_at=row["last_order_at"],
        )
        for row in rows
    ]
    return {"data": data, "next_cursor": cursor}
