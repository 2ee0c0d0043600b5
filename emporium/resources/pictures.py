"""A picture of the shop's picture space, and where it is used."""

from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from emporium.pictures.models import Picture
from emporium.resources.common import UtcDatetime
from emporium.resources.links import picture_url


class PictureOut(Schema):
    id: UUID
    key: str = Field(description="content address; put it in a design's picture settings")
    name: str
    folder: str = Field(description='"" for the top level, else e.g. "banners/summer"')
    width: int
    height: int
    size_bytes: int = Field(description="counted against the shop's quota")
    url: str = Field(description="the largest variant (1200 px wide at most)")
    thumbnail_url: str = Field(description="a variant 240 px wide")
    created_at: UtcDatetime


class ItemUseOut(Schema):
    id: UUID
    title: str
    where: Literal["pictures", "description"]


class DesignUseOut(Schema):
    where: Literal["draft", "live", "version", "schedule"]
    version: int | None = None
    schedule_id: UUID | None = None


class PictureUsageOut(Schema):
    picture_id: UUID
    items: list[ItemUseOut]
    designs: list[DesignUseOut]


class FolderOut(Schema):
    name: str
    pictures: int


class PictureSpaceOut(Schema):
    used_bytes: int
    quota_bytes: int
    pictures: int
    folders: list[FolderOut]


def picture_out(picture: Picture) -> PictureOut:
    return PictureOut(
        id=picture.public_id,
        key=picture.key,
        name=picture.name,
        folder=picture.folder,
        width=picture.width,
        height=picture.height,
        size_bytes=picture.size_bytes,
        url=picture_url(picture.key, 1200),
        thumbnail_url=picture_url(picture.key, 240),
        created_at=picture.created_at,
    )
