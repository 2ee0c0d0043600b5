"""The shop's home-page design: the section catalogue, the draft, preview, publish, versions,
rollback and schedules (docs/design.md)."""

from typing import Any
from uuid import UUID

from ninja import Query, Router
from ninja.responses import Status

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import not_found
from emporium.api.idempotency import idempotent
from emporium.api.pagination import paginate
from emporium.api.schemas.common import PageQuery
from emporium.api.schemas.design import DesignIn, ScheduleIn
from emporium.design import actions
from emporium.design.models import DesignSchedule, DesignVersion
from emporium.design.preview import preview_link
from emporium.design.sections import CATALOGUE, MAX_BLOCKS, MAX_SECTIONS, Setting
from emporium.resources.common import Page
from emporium.resources.design import (
    DraftOut,
    PreviewOut,
    ScheduleOut,
    SectionCatalogueOut,
    SectionKindOut,
    SettingSpecOut,
    VersionOut,
    draft_out,
    schedule_out,
    version_out,
)

router = Router(tags=["design"])
READ, WRITE = Scoped("design:read"), Scoped("design:write")


def _spec(setting: Setting) -> SettingSpecOut:
    return SettingSpecOut(
        name=setting.name, kind=setting.kind, label=str(setting.label),  # type: ignore[arg-type]
        required=setting.required, default=setting.default, max_length=setting.max_length,
        minimum=setting.minimum, maximum=setting.maximum, choices=list(setting.choices),
        max_items=setting.max_items,
    )  # fmt: skip


@router.get("/sections", response=SectionCatalogueOut, auth=READ)
def design_sections(request: ApiRequest) -> SectionCatalogueOut:
    """The kinds of section the platform renders and the typed settings of each."""
    kinds = [
        SectionKindOut(
            type=kind.name,
            label=str(kind.label),
            settings=[_spec(s) for s in kind.settings],
            block_type=kind.block_type or None,
            block_settings=[_spec(s) for s in kind.block_settings],
            max_blocks=kind.max_blocks,
        )  # fmt: skip
        for kind in CATALOGUE.values()
    ]
    return SectionCatalogueOut(max_sections=MAX_SECTIONS, max_blocks=MAX_BLOCKS, kinds=kinds)


@router.get("/draft", response=DraftOut, auth=READ)
def get_design_draft(request: ApiRequest) -> DraftOut:
    """The draft the seller (or an app) is working on; buyers never see it."""
    return draft_out(actions.design_of(request.auth.acting_for))


@router.put("/draft", response=DraftOut, auth=WRITE)
def save_design_draft(request: ApiRequest, payload: DesignIn) -> DraftOut:
    """Replace the draft. Refusals name the fault, e.g. `sections.3.settings.columns`."""
    shop = request.auth.acting_for
    raw: dict[str, Any] = payload.model_dump(exclude_none=True)
    return draft_out(actions.save_draft(shop, raw))


@router.post("/preview", response=PreviewOut, auth=READ)
def preview_design(request: ApiRequest) -> PreviewOut:
    """A link that shows the current draft as buyers would see it, for DESIGN_PREVIEW_SECONDS."""
    url, expires_at = preview_link(request.auth.acting_for)
    return PreviewOut(url=url, expires_at=expires_at)


@router.post("/publish", response={201: VersionOut}, auth=WRITE)
@idempotent
def publish_design(request: ApiRequest) -> Status:
    """Publish the draft now: a new version, live at once (`shop.design_published`)."""
    return Status(201, version_out(actions.publish(request.auth.acting_for), live=True))


@router.get("/versions", response=Page[VersionOut], auth=READ)
def list_design_versions(request: ApiRequest, filters: Query[PageQuery]) -> dict:
    """Published versions, newest first; the last 20 are kept."""
    shop = request.auth.acting_for
    live = actions.live_version(shop)
    rows = DesignVersion.objects.filter(shop=shop)
    page, cursor = paginate(rows, filters, key="number", descending=True, name="design_versions")
    data = [version_out(v, live=live is not None and v.pk == live.pk) for v in page]
    return {"data": data, "next_cursor": cursor}


def _version(request: ApiRequest, version_id: UUID) -> DesignVersion:
    version = DesignVersion.objects.filter(
        shop=request.auth.acting_for, public_id=version_id
    ).first()
    if version is None:
        raise not_found()
    return version


@router.get("/versions/{version_id}", response=VersionOut, auth=READ)
def get_design_version(request: ApiRequest, version_id: UUID) -> VersionOut:
    version = _version(request, version_id)
    live = actions.live_version(request.auth.acting_for)
    return version_out(version, live=live is not None and live.pk == version.pk)


@router.post("/versions/{version_id}/rollback", response={201: VersionOut}, auth=WRITE)
@idempotent
def rollback_design(request: ApiRequest, version_id: UUID) -> Status:
    """Make an earlier version live again, as a new version that copies it."""
    version = _version(request, version_id)
    return Status(201, version_out(actions.rollback(version.shop, version_id), live=True))


@router.get("/schedules", response=Page[ScheduleOut], auth=READ)
def list_design_schedules(request: ApiRequest, filters: Query[PageQuery]) -> dict:
    """Scheduled publishes, latest start first, whatever their status."""
    rows = DesignSchedule.objects.filter(shop=request.auth.acting_for).select_related("version")
    page, cursor = paginate(
        rows, filters, key="starts_at", descending=True, name="design_schedules"
    )
    return {"data": [schedule_out(row) for row in page], "next_cursor": cursor}


@router.post("/schedules", response={201: ScheduleOut}, auth=WRITE)
@idempotent
def schedule_design(request: ApiRequest, payload: ScheduleIn) -> Status:
    """Publish the draft as it is now at `starts_at`; at `ends_at`, put back what was live.
    A person's publish made after the schedule wins: the schedule is then `superseded`."""
    row = actions.schedule(request.auth.acting_for, payload.starts_at, payload.ends_at)
    return Status(201, schedule_out(row))


@router.post("/schedules/{schedule_id}/cancel", response=ScheduleOut, auth=WRITE)
def cancel_design_schedule(request: ApiRequest, schedule_id: UUID) -> ScheduleOut:
    """Cancel a schedule that has not started yet."""
    shop = request.auth.acting_for
    if not DesignSchedule.objects.filter(shop=shop, public_id=schedule_id).exists():
        raise not_found()
    return schedule_out(actions.cancel_schedule(shop, schedule_id))
