"""What an app sends to change a shop's design and its picture space. Settings are checked
against the section catalogue (GET /design/sections) by the domain, which names the setting."""

from typing import Any, Literal, get_args

from ninja import Field

from emporium.api.schemas.common import AwareTime, Input, PageQuery
from emporium.design.sections import CATALOGUE, MAX_BLOCKS, MAX_SECTIONS

SectionType = Literal[
    "banner", "carousel", "item_grid", "category_nav", "rich_text", "picture_text",
    "coupon_strip", "custom_html",
]  # fmt: skip
assert set(get_args(SectionType)) == set(CATALOGUE)  # noqa: S101 - the two lists must agree


class BlockIn(Input):
    type: str | None = Field(None, max_length=40, description="the section's block type")
    settings: dict[str, Any] = Field(default_factory=dict)


class SectionIn(Input):
    id: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_-]{1,40}$", description="kept if given, else made up"
    )
    type: SectionType
    settings: dict[str, Any] = Field(
        default_factory=dict, description="by name, as GET /design/sections describes them"
    )
    blocks: list[BlockIn] = Field(default_factory=list, max_length=MAX_BLOCKS)


class DesignIn(Input):
    sections: list[SectionIn] = Field(max_length=MAX_SECTIONS)


class ScheduleIn(Input):
    starts_at: AwareTime = Field(description="when the draft (as it is now) goes live")
    ends_at: AwareTime | None = Field(None, description="when what was live before comes back")


class PictureFilter(PageQuery):
    folder: str | None = Field(None, max_length=120, description="only this folder")


class PicturePatch(Input):
    name: str | None = Field(None, max_length=120)
    folder: str | None = Field(None, max_length=120, description='"" moves it to the top level')


class PictureUploadForm(Input):
    name: str = Field("", max_length=120, description="defaults to the file's name")
    folder: str = Field("", max_length=120, description='e.g. "banners/summer"; "" is the top')
