"""What a seller sends to answer a refund request."""

from ninja import Field, Schema


class AgreeIn(Schema):
    note: str = Field("", max_length=2000)


class RefuseIn(Schema):
    note: str = Field(max_length=2000, description="why, for the buyer; required")
