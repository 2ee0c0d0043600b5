"""What a seller sends to answer a refund request."""

from ninja import Field

from emporium.api.schemas.common import Input


class AgreeIn(Input):
    note: str = Field("", max_length=2000)


class RefuseIn(Input):
    note: str = Field(max_length=2000, description="why, for the buyer; required")
