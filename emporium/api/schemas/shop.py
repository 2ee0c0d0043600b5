"""What a seller sends to change the shop."""

from ninja import Field

from emporium.api.schemas.common import Input
from emporium.shops.models import Shop

MAX_NAME = Shop._meta.get_field("name").max_length
MAX_DESCRIPTION = Shop._meta.get_field("description").max_length


class ShopPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=MAX_NAME)
    description: str | None = Field(None, max_length=MAX_DESCRIPTION)
