"""A shop's home-page design as the API returns it and `shop.design_published` carries it."""

from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema

from emporium.design.models import DesignSchedule, DesignVersion, ShopDesign
from emporium.resources.common import UtcDatetime


class BlockOut(Schema):
    type: str = Field(examples=["slide"])
    settings: dict[str, Any]


class SectionOut(Schema):
    id: str = Field(description="stable within the design; the editor's handle for a section")
    type: str = Field(examples=["banner"], description="a kind of GET /design/sections")
    settings: dict[str, Any] = Field(description="every setting of the kind, defaults filled in")
    blocks: list[BlockOut]


class DraftOut(Schema):
    sections: list[SectionOut]
    updated_at: UtcDatetime | None = Field(description="null until the draft is first saved")
    live_version: int | None = Field(description="the number of the version buyers see, if any")


class VersionOut(Schema):
    id: UUID
    number: int = Field(description="1, 2, 3… per shop; only the last 20 are kept")
    source: Literal["manual", "rollback", "scheduled", "schedule_end"]
    rolled_back_from: int | None = Field(description="for a rollback: the version it copied")
    live: bool = Field(description="whether buyers see this version now")
    published_at: UtcDatetime
    sections: list[SectionOut]


class ScheduleOut(Schema):
    id: UUID
    status: Literal["pending", "live", "done", "superseded", "cancelled"]
    starts_at: UtcDatetime
    ends_at: UtcDatetime | None = Field(description="when what was live before comes back")
    note: str = Field(description="why a schedule did less than planned, in plain words")
    created_at: UtcDatetime
    went_live_at: UtcDatetime | None
    ended_at: UtcDatetime | None
    version: int | None = Field(description="the version it published, once it went live")
    sections: list[SectionOut]


class PreviewOut(Schema):
    url: str = Field(description="the draft rendered by the platform; works without a login")
    expires_at: UtcDatetime


class SettingSpecOut(Schema):
    name: str
    kind: Literal[
        "text", "rich_text", "html", "picture", "item", "item_list", "category", "colour",
        "number", "choice", "price",
    ]  # fmt: skip
    label: str
    required: bool
    default: Any = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: list[str] = Field(default_factory=list)
    max_items: int | None = None


class SectionKindOut(Schema):
    type: str
    label: str
    settings: list[SettingSpecOut]
    block_type: str | None = Field(description="null when the section takes no blocks")
    block_settings: list[SettingSpecOut]
    max_blocks: int


class SectionCatalogueOut(Schema):
    max_sections: int = Field(examples=[25])
    max_blocks: int = Field(examples=[50])
    kinds: list[SectionKindOut]


def sections_out(document: dict[str, Any]) -> list[SectionOut]:
    return [
        SectionOut(
            id=s["id"],
            type=s["type"],
            settings=s["settings"],
            blocks=[BlockOut(type=b["type"], settings=b["settings"]) for b in s.get("blocks", [])],
        )
        for s in document.get("sections", [])
    ]


def draft_out(design: ShopDesign) -> DraftOut:
    live = design.live.number if design.live_id and design.live else None
    return DraftOut(
        sections=sections_out(design.draft), updated_at=design.draft_updated_at, live_version=live
    )


def version_out(version: DesignVersion, *, live: bool) -> VersionOut:
    return VersionOut(
        id=version.public_id,
        number=version.number,
        source=version.source,  # type: ignore[arg-type]
        rolled_back_from=version.rolled_back_from,
        live=live,
        published_at=version.published_at,
        sections=sections_out(version.document),
    )


def schedule_out(row: DesignSchedule) -> ScheduleOut:
    return ScheduleOut(
        id=row.public_id,
        status=row.status,  # type: ignore[arg-type]
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        note=row.note,
        created_at=row.created_at,
        went_live_at=row.went_live_at,
        ended_at=row.ended_at,
        version=row.version.number if row.version else None,
        sections=sections_out(row.document),
    )
