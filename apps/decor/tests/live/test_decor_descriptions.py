"""Description templates on many items: a dry run first, progress, undo — and a process killed
half-way through 500 items leaves each item old or new, never half, and finishes on restart."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from emporium.catalog.models import Item
from emporium.events.models import Event

pytestmark = [pytest.mark.django_db(transaction=True)]
OPTIONS = {"size_chart": "Size, Chest (cm)\nS, 84\nM, 88", "wash_care": "Hand wash cold"}


def wait_for(decor, shop, job_id: str, state: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    with decor.page(shop) as page:
        while time.monotonic() < deadline:
            status = page.get(f"/api/descriptions/jobs/{job_id}").json()
            if status["state"] == state:
                return status
            time.sleep(0.2)
    raise AssertionError(f"job {job_id} never reached {state}: {status}")


def test_a_size_chart_goes_on_a_category_after_a_dry_run_and_undo_restores_it(
    decor, shop, pictured_items, make_item, phones
):
    phone = make_item(shop, title="Phone", category=phones, description_html="<p>A phone</p>")
    before = {i.pk: i.description_html for i in Item.objects.filter(shop=shop)}
    with decor.page(shop) as page:
        dry = page.post("/api/descriptions/dry-run", json={
            "template": "care", "options": OPTIONS, "item_id": str(pictured_items[0].public_id)}).json()  # fmt: skip
        assert "+<td>M</td>" in dry["diff"] and dry["item"] == "Linen summer dress"
        assert (
            Item.objects.get(pk=pictured_items[0].pk).description_html
            == before[pictured_items[0].pk]
        )

        job = page.post("/api/descriptions/apply", json={
            "template": "care", "options": OPTIONS, "category": "dresses"}).json()  # fmt: skip
        assert job["total"] == 3
        done = wait_for(decor, shop, job["job_id"], "done")
        assert (done["applied"], done["failed"]) == (3, 0)
        for item in pictured_items:
            item.refresh_from_db()
            assert (
                "<td>88</td>" in item.description_html and "Hand wash cold" in item.description_html
            )
        assert (
            Item.objects.get(pk=phone.pk).description_html == "<p>A phone</p>"
        )  # another category

        # Applying again replaces the earlier decoration rather than stacking a second one.
        scarf_id = str(pictured_items[1].public_id)
        again = page.post("/api/descriptions/apply", json={
            "template": "size_chart", "options": OPTIONS, "item_ids": [scarf_id]}).json()  # fmt: skip
        wait_for(decor, shop, again["job_id"], "done")
        scarf = Item.objects.get(pk=pictured_items[1].pk).description_html
        assert scarf.count("<table>") == 1 and "Hand wash" not in scarf

        page.post(f"/api/descriptions/jobs/{again['job_id']}/undo")
        wait_for(decor, shop, again["job_id"], "undone")
        page.post(f"/api/descriptions/jobs/{job['job_id']}/undo")
        assert wait_for(decor, shop, job["job_id"], "undone")["undone"] == 3
    assert {i.pk: i.description_html for i in Item.objects.filter(shop=shop)} == before


@pytest.mark.parametrize(
    ("body", "problem"),
    [({"template": "nope"}, "template"), ({"template": "care", "category": "no-such"}, "items"),
     ({"template": "care", "options": {"header_url": "https://tracker.example/p.gif"},
       "category": "dresses"}, "header_url")],
)  # fmt: skip
def test_bad_apply_requests_are_refused_and_nothing_changes(
    decor, shop, pictured_items, body, problem
):
    before = sorted(Item.objects.values_list("description_html", flat=True))
    with decor.page(shop) as page:
        answer = page.post("/api/descriptions/apply", json=body)
    assert answer.status_code == 422 and problem in answer.json()["error"]
    assert sorted(Item.objects.values_list("description_html", flat=True)) == before


def test_500_items_survive_a_killed_process_change_once_each_and_undo_restores_all(
    decor, shop, make_item, live_server
):
    from emporium_decor import descriptions
    from emporium_decor.web import shop_items

    for n in range(500):
        make_item(shop, title=f"Tee {n:03d}", description_html=f"<p>Tee number {n}</p>")
    tees = Item.objects.filter(shop=shop, title__startswith="Tee ")
    before = dict(tees.values_list("public_id", "description_html"))
    state, shop_id = decor.state, str(shop.public_id)
    with state.client(shop_id) as client:
        every = shop_items(client)
    chosen = descriptions.choose(every, [i.id for i in every if i.title.startswith("Tee ")], "")
    assert len(chosen) == 500
    options = descriptions.Options.parse(OPTIONS, ("/",))
    job_id = state.jobs.plan(shop_id, descriptions.BY_ID["size_chart"], options, chosen, every)
    last_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    # The app's own command, in its own process, killed once a fifth of the items are done.
    config = state.config
    env = {**os.environ, "DECOR_PLATFORM_URL": live_server.url, "DECOR_CLIENT_ID": config.client_id,
           "DECOR_CLIENT_SECRET": config.client_secret, "DECOR_DATA_DIR": str(config.data_dir)}  # fmt: skip
    worker = subprocess.Popen([sys.executable, "-m", "emporium_decor", "resume"], env=env,  # noqa: S603
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while state.jobs.status(job_id).applied < 100:
        assert worker.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)

    journal = {r["item_id"]: r for r in state.jobs.rows(job_id, ["planned", "applied"])}
    now = dict(tees.values_list("public_id", "description_html"))
    halfway = Counter("old" if now[k] == before[k] else "new" for k in now)
    assert set(halfway) == {"old", "new"}, halfway
    for public_id, text in now.items():  # old or new, never half
        assert text in (before[public_id], journal[str(public_id)]["after"])

    state.resume_jobs()  # what the next start of the app does
    status = state.jobs.status(job_id)
    assert (status.state, status.applied, status.failed) == ("done", 500, 0)
    changes = Event.objects.filter(topic="item.updated", pk__gt=last_event)
    updated = Counter(e.data["item"]["id"] for e in changes)
    assert len(updated) == 500 and set(updated.values()) == {1}  # every item changed once
    assert all("<table>" in t for t in tees.values_list("description_html", flat=True))

    with state.client(shop_id) as client:
        state.jobs.undo(client, job_id)
    assert dict(tees.values_list("public_id", "description_html")) == before
