"""Draft → publish, 20 versions kept, rollback, and schedules that yield to a newer manual publish."""

from datetime import timedelta

import pytest

from emporium.design import actions
from emporium.design.models import DesignSchedule, DesignVersion
from emporium.design.tests.conftest import banner, doc
from emporium.ecosystem.installations import installed
from emporium.events.models import Event


def live_heading(shop) -> str | None:
    version = actions.live_version(shop)
    return version.document["sections"][0]["settings"]["heading"] if version else None


def publish(shop, heading: str) -> DesignVersion:
    actions.save_draft(shop, doc(banner(heading=heading)))
    return actions.publish(shop)


def test_a_saved_draft_is_not_live_until_published(shop):
    actions.save_draft(shop, doc(banner(heading="Draft only")))
    assert actions.live_version(shop) is None
    version = actions.publish(shop)
    assert (version.number, version.source) == (1, "manual")
    assert live_heading(shop) == "Draft only"


def test_the_last_20_versions_are_kept(shop):
    for n in range(23):
        publish(shop, f"v{n + 1}")
    numbers = list(DesignVersion.objects.filter(shop=shop).values_list("number", flat=True))
    assert numbers == list(range(23, 3, -1))
    assert live_heading(shop) == "v23"


def test_rollback_makes_an_old_version_live_as_a_new_one(shop):
    first = publish(shop, "spring")
    publish(shop, "summer")
    again = actions.rollback(shop, first.public_id)
    assert (again.number, again.source, again.rolled_back_from) == (3, "rollback", 1)
    assert live_heading(shop) == "spring"


def test_publishing_writes_one_event_in_the_same_transaction(shop, app):
    installed(app, shop, ["design:read"])
    Event.objects.all().delete()
    version = publish(shop, "hello")
    event = Event.objects.get(topic="shop.design_published")
    assert event.data["version"]["number"] == version.number
    assert event.data["version"]["live"] is True
    assert event.data["version"]["sections"][0]["settings"]["heading"] == "hello"


def test_a_schedule_goes_live_then_puts_back_what_was_live(shop, frozen_clock):
    publish(shop, "everyday")
    actions.save_draft(shop, doc(banner(heading="big sale")))
    start = frozen_clock.now() + timedelta(hours=11)
    row = actions.schedule(shop, start, start + timedelta(hours=4))
    actions.save_draft(shop, doc(banner(heading="edited after scheduling")))
    assert actions.run_due_schedules() == 0
    frozen_clock.advance(timedelta(hours=11))
    assert actions.run_due_schedules() == 1
    assert live_heading(shop) == "big sale"
    frozen_clock.advance(timedelta(hours=4))
    assert actions.run_due_schedules() == 1
    assert live_heading(shop) == "everyday"
    row.refresh_from_db()
    assert row.status == "done"
    sources = (
        DesignVersion.objects.filter(shop=shop).order_by("number").values_list("source", flat=True)
    )
    assert list(sources) == ["manual", "scheduled", "schedule_end"]


def test_a_schedule_meeting_a_newer_manual_publish_does_not_overwrite_it(shop, frozen_clock):
    publish(shop, "everyday")
    actions.save_draft(shop, doc(banner(heading="big sale")))
    row = actions.schedule(shop, frozen_clock.now() + timedelta(hours=1))
    frozen_clock.advance(timedelta(minutes=10))
    publish(shop, "fixed by hand")
    frozen_clock.advance(timedelta(hours=1))
    actions.run_due_schedules()
    row.refresh_from_db()
    assert row.status == "superseded"
    assert live_heading(shop) == "fixed by hand"


def test_the_end_of_a_schedule_keeps_a_manual_publish_made_during_it(shop, frozen_clock):
    publish(shop, "everyday")
    actions.save_draft(shop, doc(banner(heading="big sale")))
    start = frozen_clock.now() + timedelta(hours=1)
    row = actions.schedule(shop, start, start + timedelta(hours=2))
    frozen_clock.advance(timedelta(hours=1))
    actions.run_due_schedules()
    frozen_clock.advance(timedelta(minutes=30))
    publish(shop, "typo fixed during the sale")
    frozen_clock.advance(timedelta(hours=2))
    actions.run_due_schedules()
    row.refresh_from_db()
    assert row.status == "done"
    assert "newer publish" in row.note
    assert live_heading(shop) == "typo fixed during the sale"


def test_a_shop_without_a_design_before_the_sale_gets_none_back(shop, frozen_clock):
    actions.save_draft(shop, doc(banner(heading="big sale")))
    start = frozen_clock.now() + timedelta(hours=1)
    actions.schedule(shop, start, start + timedelta(hours=1))
    frozen_clock.advance(timedelta(hours=1))
    actions.run_due_schedules()
    assert live_heading(shop) == "big sale"
    frozen_clock.advance(timedelta(hours=1))
    actions.run_due_schedules()
    assert actions.live_version(shop) is None


def test_a_schedule_runs_once_however_often_the_worker_asks(shop, frozen_clock):
    actions.save_draft(shop, doc(banner(heading="once")))
    row = actions.schedule(shop, frozen_clock.now() + timedelta(minutes=5))
    frozen_clock.advance(timedelta(minutes=5))
    assert actions.start_schedule(row.pk) == 1
    assert actions.start_schedule(row.pk) == 0
    assert actions.run_due_schedules() == 0
    assert DesignVersion.objects.filter(shop=shop).count() == 1


@pytest.mark.parametrize(
    ("start_hours", "end_hours", "field"),
    [(-1, None, "starts_at"), (1, 1, "ends_at"), (24 * 91, None, "starts_at")],
)
def test_bad_schedule_times_are_refused(shop, frozen_clock, start_hours, end_hours, field):
    from emporium.design.actions import DesignError

    now = frozen_clock.now()
    end = now + timedelta(hours=end_hours) if end_hours is not None else None
    with pytest.raises(DesignError) as caught:
        actions.schedule(shop, now + timedelta(hours=start_hours), end)
    assert caught.value.field == field


def test_only_a_waiting_schedule_can_be_cancelled(shop, frozen_clock):
    row = actions.schedule(shop, frozen_clock.now() + timedelta(hours=1))
    assert actions.cancel_schedule(shop, row.public_id).status == DesignSchedule.Status.CANCELLED
    frozen_clock.advance(timedelta(hours=2))
    assert actions.run_due_schedules() == 0
    with pytest.raises(actions.DesignError):
        actions.cancel_schedule(shop, row.public_id)
