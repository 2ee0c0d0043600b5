"""What a seller sends to reply to a review."""

from ninja import Field

from emporium.api.schemas.common import Input


class ReplyIn(Input):
    reply: str = Field(max_length=5000, description="at most 1000 characters are kept")
