"""Change a shop's design: save the draft, publish, roll back, schedule. The API, pages and the
worker all call these; each change is one transaction and writes its event in it (outbox)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from emporium.design.models import DesignSchedule, DesignVersion, ShopDesign
from emporium.design.validation import validate_document
from emporium.events import announce
from emporium.lib import clock
from emporium.lib.errors import DomainError
from emporium.shops.models import Shop

KEPT_VERSIONS = 20
MAX_PENDING_SCHEDULES = 10
Source = DesignVersion.Source


class DesignError(DomainError):
    pass


def design_of(shop: Shop) -> ShopDesign:
    design, _created = ShopDesign.objects.get_or_create(shop=shop)
    return design


def _locked(shop: Shop) -> ShopDesign:
    """The shop's design row, locked: publishes of one shop happen one after another."""
    design_of(shop)
    # No join here: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join (live).
    return ShopDesign.objects.select_for_update().get(shop=shop)


def live_version(shop: Shop) -> DesignVersion | None:
    design = ShopDesign.objects.filter(shop=shop).select_related("live").first()
    return design.live if design else None


def save_draft(shop: Shop, raw: Any) -> ShopDesign:
    document = validate_document(shop, raw)
    with transaction.atomic():
        design = _locked(shop)
        design.draft = document
        design.draft_updated_at = clock.now()
        design.save(update_fields=["draft", "draft_updated_at"])
    return design


def publish(shop: Shop) -> DesignVersion:
    """Publish the draft as it is now: a new version, live at once."""
    with transaction.atomic():
        design = _locked(shop)
        return _publish(design, design.draft, Source.MANUAL)


def rollback(shop: Shop, version_id: UUID) -> DesignVersion:
    """Make an earlier version live again, as a new version (so history only grows forward)."""
    with transaction.atomic():
        design = _locked(shop)
        old = DesignVersion.objects.filter(shop=shop, public_id=version_id).first()
        if old is None:
            raise DesignError(
                _("There is no such version of your design."), code="not_found", status=404
            )
        return _publish(design, old.document, Source.ROLLBACK, rolled_back_from=old.number)


def _publish(
    design: ShopDesign, document: dict, source: str, rolled_back_from: int | None = None
) -> DesignVersion:
    now = clock.now()
    shop = design.shop
    last = DesignVersion.objects.filter(shop=shop).aggregate(n=Max("number"))["n"] or 0
    version = DesignVersion.objects.create(
        shop=shop, number=last + 1, document=document, source=source,
        rolled_back_from=rolled_back_from, published_at=now,
    )  # fmt: skip
    design.live = version
    fields = ["live"]
    if source in (Source.MANUAL, Source.ROLLBACK):
        design.manual_published_at = now
        fields.append("manual_published_at")
    design.save(update_fields=fields)
    kept = DesignVersion.objects.filter(shop=shop).order_by("-number")[:KEPT_VERSIONS]
    DesignVersion.objects.filter(shop=shop).exclude(
        pk__in=list(kept.values_list("pk", flat=True))
    ).delete()
    announce.design_published(version)
    return version


def schedule(shop: Shop, starts_at: datetime, ends_at: datetime | None = None) -> DesignSchedule:
    """Publish the draft as it is now at `starts_at`; at `ends_at`, put back what was live."""
    now = clock.now()
    if starts_at.tzinfo is None or (ends_at is not None and ends_at.tzinfo is None):
        raise DesignError(
            _("Give times with their zone (ISO 8601, e.g. Z for UTC)."), field="starts_at"
        )
    if starts_at <= now:
        raise DesignError(
            _("The start must be in the future; publish now instead."), field="starts_at"
        )
    if ends_at is not None and ends_at <= starts_at:
        raise DesignError(_("The end must come after the start."), field="ends_at")
    horizon = settings.DESIGN_SCHEDULE_MAX_DAYS
    if (starts_at - now).days >= horizon:
        raise DesignError(
            _("A schedule starts within %(days)s days.") % {"days": horizon}, field="starts_at"
        )
    with transaction.atomic():
        design = _locked(shop)
        pending = DesignSchedule.objects.filter(shop=shop, status=DesignSchedule.Status.PENDING)
        if pending.count() >= MAX_PENDING_SCHEDULES:
            raise DesignError(
                _("A shop has at most %(n)s waiting schedules; cancel one first.")
                % {"n": MAX_PENDING_SCHEDULES},
                code="too_many_schedules",
            )
        return DesignSchedule.objects.create(
            shop=shop, document=design.draft, starts_at=starts_at, ends_at=ends_at, created_at=now
        )


def cancel_schedule(shop: Shop, schedule_id: UUID) -> DesignSchedule:
    with transaction.atomic():
        _locked(shop)
        row = DesignSchedule.objects.filter(shop=shop, public_id=schedule_id).first()
        if row is None:
            raise DesignError(_("There is no such schedule."), code="not_found", status=404)
        if row.status != DesignSchedule.Status.PENDING:
            raise DesignError(
                _("Only a waiting schedule can be cancelled; this one is %(status)s.")
                % {"status": row.get_status_display()},
                code="schedule_not_pending",
            )
        row.status = DesignSchedule.Status.CANCELLED
        row.save(update_fields=["status"])
        return row


def run_due_schedules() -> int:
    """Start and end the schedules whose time has come; the worker calls it every minute."""
    now = clock.now()
    done = 0
    Status = DesignSchedule.Status
    due = DesignSchedule.objects.filter(status=Status.PENDING, starts_at__lte=now)
    for row in due.order_by("starts_at", "id"):
        done += start_schedule(row.pk)
    ending = DesignSchedule.objects.filter(status=Status.LIVE, ends_at__lte=now)
    for row in ending.order_by("ends_at", "id"):
        done += end_schedule(row.pk)
    return done


def start_schedule(schedule_pk: int) -> int:
    """Go live, unless a person published by hand after the schedule was made: theirs is newer."""
    Status = DesignSchedule.Status
    with transaction.atomic():
        shop = Shop.objects.get(design_schedules__pk=schedule_pk)
        design = _locked(shop)
        # Re-read under the lock: another worker may have taken it meanwhile.
        row = DesignSchedule.objects.get(pk=schedule_pk)
        if row.status != Status.PENDING:
            return 0
        now = clock.now()
        if design.manual_published_at and design.manual_published_at > row.created_at:
            row.status = Status.SUPERSEDED
            row.note = "a manual publish made after this schedule is kept"
            row.ended_at = now
            row.save(update_fields=["status", "note", "ended_at"])
            return 1
        row.revert_document = design.live.document if design.live else None
        row.version = _publish(design, row.document, Source.SCHEDULED)
        row.went_live_at = now
        row.status = Status.LIVE if row.ends_at else Status.DONE
        row.save(update_fields=["revert_document", "version", "went_live_at", "status"])
        return 1


def end_schedule(schedule_pk: int) -> int:
    """Put back what was live before, only if this schedule's version is still the live one."""
    Status = DesignSchedule.Status
    with transaction.atomic():
        shop = Shop.objects.get(design_schedules__pk=schedule_pk)
        design = _locked(shop)
        row = DesignSchedule.objects.get(pk=schedule_pk)
        if row.status != Status.LIVE:
            return 0
        row.status, row.ended_at = Status.DONE, clock.now()
        if row.version_id is None or design.live_id != row.version_id:
            row.note = "a newer publish is live, so nothing was put back"
        elif row.revert_document is None:
            design.live = None
            design.save(update_fields=["live"])
        else:
            _publish(design, row.revert_document, Source.SCHEDULE_END)
        row.save(update_fields=["status", "ended_at", "note"])
        return 1
