"""Description templates applied to many items at once, with a dry run, progress and undo.

A job is journalled before anything changes: for every chosen item the description before and
the one to write (`planned`). Each item then changes in one API call (the platform writes a
description whole, so an item is only ever old or new) and is marked `applied` after. A process
killed half-way leaves `planned` rows; `resume` settles each by looking at the item: still the
old text → apply it now; anything else → it was applied. Undo writes every `before` back.

Re-applying a template replaces the earlier decoration instead of stacking on it: the base of
an item already decorated by an applied job is that job's `before`.
"""

from __future__ import annotations

import difflib
import html
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from emporium_sdk import Client, EmporiumError
from emporium_sdk.models import ItemOut

from emporium_decor.store import Store

log = logging.getLogger(__name__)
BLOCKS = ("header", "size_chart", "wash_care", "own_pictures", "original", "related")


@dataclass(frozen=True)
class DescriptionTemplate:
    id: str
    name: dict[str, str]
    blocks: tuple[str, ...]


TEMPLATES = [
    DescriptionTemplate("size_chart", {"en": "Size chart", "zh-hans": "尺码表"},
                        ("original", "size_chart")),
    DescriptionTemplate("care", {"en": "Size chart and care", "zh-hans": "尺码与洗护"},
                        ("header", "original", "size_chart", "wash_care")),
    DescriptionTemplate("pictures", {"en": "Pictures in order", "zh-hans": "按顺序展示商品图"},
                        ("original", "own_pictures")),
    DescriptionTemplate("full", {"en": "Full page", "zh-hans": "完整详情页"},
                        ("header", "original", "size_chart", "wash_care", "own_pictures", "related")),
]  # fmt: skip
BY_ID = {t.id: t for t in TEMPLATES}
WORDS = {
    "en": {"size_chart": "Size chart", "wash_care": "Care", "related": "You may also like",
           "size": "Size"},
    "zh-hans": {"size_chart": "尺码表", "wash_care": "洗护说明", "related": "猜你喜欢",
                "size": "尺码"},
}  # fmt: skip


class BadOptions(ValueError):
    """Template options the seller must correct; the message names the field."""


@dataclass
class Options:
    """What the seller fills in a form — never HTML."""

    header_url: str = ""  # a picture of the album (its platform URL)
    size_rows: list[list[str]] = field(default_factory=list)  # first row: the column names
    care_lines: list[str] = field(default_factory=list)
    related: int = 4
    lang: str = "en"

    @classmethod
    def parse(cls, raw: dict[str, Any], allowed_prefixes: tuple[str, ...]) -> Options:
        chart = str(raw.get("size_chart") or "")
        rows = [[c.strip() for c in line.split(",")] for line in chart.splitlines() if line.strip()]
        if rows and any(len(r) != len(rows[0]) for r in rows):
            raise BadOptions("size_chart: every line needs as many values as the first")
        if len(rows) > 30:
            raise BadOptions("size_chart: at most 30 lines")
        header = str(raw.get("header_url") or "")
        if header and not header.startswith(allowed_prefixes):
            raise BadOptions("header_url: pick a picture of your album (the platform serves it)")
        try:
            related = int(raw.get("related", 4))
        except (TypeError, ValueError):
            raise BadOptions("related: a number from 0 to 8") from None
        if not 0 <= related <= 8:
            raise BadOptions("related: a number from 0 to 8")
        care = [ln.strip() for ln in str(raw.get("wash_care") or "").splitlines() if ln.strip()]
        return cls(header_url=header, size_rows=rows, care_lines=care[:12], related=related,
                   lang=str(raw.get("lang") or "en"))  # fmt: skip


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render(template: DescriptionTemplate, item: ItemOut, base: str, options: Options,
           related: list[ItemOut]) -> str:  # fmt: skip
    """The item's new description: the template's blocks around its own text."""
    words = WORDS.get(options.lang, WORDS["en"])
    parts: list[str] = []
    for block in template.blocks:
        if block == "original":
            parts.append(base)
        elif block == "header" and options.header_url:
            parts.append(f'<p><img src="{_e(options.header_url)}" alt="{_e(item.title)}"></p>')
        elif block == "size_chart" and options.size_rows:
            head, *body = options.size_rows
            cells = "".join(f"<th>{_e(c)}</th>" for c in head)
            rows = "".join(
                "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in body
            )
            parts.append(f"<h3>{words['size_chart']}</h3><table><thead><tr>{cells}</tr></thead>"
                         f"<tbody>{rows}</tbody></table>")  # fmt: skip
        elif block == "wash_care" and options.care_lines:
            lines = "".join(f"<li>{_e(line)}</li>" for line in options.care_lines)
            parts.append(f"<h3>{words['wash_care']}</h3><ul>{lines}</ul>")
        elif block == "own_pictures" and item.images:
            pictures = sorted(item.images, key=lambda i: i.position)
            parts.append("".join(
                f'<p><img src="{_e(p.urls.get("1200", ""))}" alt="{_e(item.title)}"></p>'
                for p in pictures
            ))  # fmt: skip
        elif block == "related" and related and options.related:
            links = "".join(
                f'<li><a href="{_e(r.url)}">{_e(r.title)}</a></li>'
                for r in related[: options.related]
            )
            parts.append(f"<h3>{words['related']}</h3><ul>{links}</ul>")
    return "".join(parts)


def related_for(item: ItemOut, items: list[ItemOut]) -> list[ItemOut]:
    same = [i for i in items if i.category == item.category and i.id != item.id]
    return sorted(same, key=lambda i: -i.sales_count)


def diff(before: str, after: str) -> list[str]:
    """A line diff of two descriptions, tags on lines of their own so it reads."""

    def lines(text: str) -> list[str]:
        return [ln for ln in text.replace("><", ">\n<").splitlines() if ln.strip()]

    return list(difflib.unified_diff(lines(before), lines(after), "before", "after", lineterm=""))


# --- jobs ----------------------------------------------------------------------------------


@dataclass
class JobStatus:
    job_id: str
    state: str
    total: int
    applied: int
    undone: int
    failed: int
    errors: list[str]

    def public(self) -> dict[str, Any]:
        return self.__dict__.copy()


class Jobs:
    """Bulk applies of one app process; the journal lives in the app's store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._running: dict[str, threading.Thread] = {}

    def base_of(self, shop_id: str, item: ItemOut) -> str:
        """The item's undecorated text: the `before` of the job whose output it still shows."""
        with self.store.connect() as db:
            row = db.execute(
                "SELECT ji.before FROM job_item ji JOIN job j ON j.job_id = ji.job_id"
                " WHERE j.shop_id = ? AND ji.item_id = ? AND ji.state = 'applied'"
                " AND ji.after = ? ORDER BY j.created_at DESC LIMIT 1",
                (shop_id, item.id, item.description_html),
            ).fetchone()
        return str(row["before"]) if row else item.description_html

    def plan(self, shop_id: str, template: DescriptionTemplate, options: Options,
             chosen: list[ItemOut], every: list[ItemOut]) -> str:  # fmt: skip
        """Journal the job (every item's before and after) before anything is written."""
        job_id = uuid.uuid4().hex
        rows = []
        for item in chosen:
            after = render(template, item, self.base_of(shop_id, item), options,
                           related_for(item, every))  # fmt: skip
            rows.append((job_id, item.id, item.title, item.description_html, after, "planned"))
        with self.store.connect() as db:
            db.execute(
                "INSERT INTO job VALUES (?, ?, ?, ?, ?, 'running')",
                (job_id, shop_id, template.id, json.dumps(options.__dict__, ensure_ascii=False),
                 datetime.now(UTC).isoformat()),
            )  # fmt: skip
            db.executemany(
                "INSERT INTO job_item (job_id, item_id, title, before, after, state)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
        return job_id

    def _set(self, job_id: str, item_id: str, state: str, after: str | None = None,
             error: str = "") -> None:  # fmt: skip
        with self.store.connect() as db:
            if after is None:
                db.execute("UPDATE job_item SET state = ?, error = ? WHERE job_id = ? AND item_id = ?",
                           (state, error, job_id, item_id))  # fmt: skip
            else:
                db.execute(
                    "UPDATE job_item SET state = ?, after = ?, error = ? WHERE job_id = ? AND item_id = ?",
                    (state, after, error, job_id, item_id),
                )

    def _job_state(self, job_id: str, state: str) -> None:
        with self.store.connect() as db:
            db.execute("UPDATE job SET state = ? WHERE job_id = ?", (state, job_id))

    def rows(self, job_id: str, states: Iterable[str]) -> list[dict[str, Any]]:
        wanted = list(states)
        marks = ",".join("?" for _ in wanted)
        with self.store.connect() as db:
            found = db.execute(
                f"SELECT * FROM job_item WHERE job_id = ? AND state IN ({marks})"  # noqa: S608
                " ORDER BY item_id",
                (job_id, *wanted),
            ).fetchall()
        return [dict(r) for r in found]

    def run(self, client: Client, job_id: str, progress: Callable[[], None] | None = None) -> None:
        """Apply every planned item (also what `resume` does after a crash)."""
        for row in self.rows(job_id, ["planned"]):
            try:
                current = client.items.get(row["item_id"])
                if current.description_html != row["before"]:
                    # Written before a crash (or changed by the seller since): not written twice.
                    self._set(job_id, row["item_id"], "applied", after=current.description_html)
                    continue
                done = client.items.update(row["item_id"], description_html=row["after"])
                # The platform cleans descriptions: what it stored is what undo compares with.
                self._set(job_id, row["item_id"], "applied", after=done.description_html)
            except EmporiumError as error:
                self._set(job_id, row["item_id"], "failed", error=str(error)[:300])
            if progress:
                progress()
        self._job_state(job_id, "done")

    def mark_undoing(self, job_id: str) -> None:
        """Before the undo starts in the background, so a page polling at once never reads the
        job as still `done`."""
        self._job_state(job_id, "undoing")

    def undo(self, client: Client, job_id: str) -> None:
        """Every item this job changed gets its previous description back."""
        self._job_state(job_id, "undoing")
        for row in self.rows(job_id, ["applied", "planned"]):
            try:
                current = client.items.get(row["item_id"])
                if current.description_html == row["before"]:
                    self._set(job_id, row["item_id"], "undone")
                    continue
                client.items.update(row["item_id"], description_html=row["before"])
                self._set(job_id, row["item_id"], "undone")
            except EmporiumError as error:
                self._set(job_id, row["item_id"], "failed", error=f"undo: {error}"[:300])
        self._job_state(job_id, "undone")

    def status(self, job_id: str) -> JobStatus | None:
        with self.store.connect() as db:
            job = db.execute("SELECT * FROM job WHERE job_id = ?", (job_id,)).fetchone()
            if job is None:
                return None
            counts = dict(db.execute(
                "SELECT state, COUNT(*) FROM job_item WHERE job_id = ? GROUP BY state", (job_id,)
            ).fetchall())  # fmt: skip
            errors = [r[0] for r in db.execute(
                "SELECT error FROM job_item WHERE job_id = ? AND error != '' LIMIT 5", (job_id,)
            ).fetchall()]  # fmt: skip
        return JobStatus(job_id, job["state"], sum(counts.values()), counts.get("applied", 0),
                         counts.get("undone", 0), counts.get("failed", 0), errors)  # fmt: skip

    def owner(self, job_id: str) -> str | None:
        with self.store.connect() as db:
            row = db.execute("SELECT shop_id FROM job WHERE job_id = ?", (job_id,)).fetchone()
        return str(row["shop_id"]) if row else None

    def unfinished(self) -> list[tuple[str, str]]:
        """(job, shop) of jobs a stopped process left running or undoing."""
        with self.store.connect() as db:
            rows = db.execute(
                "SELECT job_id, shop_id, state FROM job WHERE state IN ('running', 'undoing')"
            ).fetchall()
        return [(r["job_id"], r["shop_id"]) for r in rows]

    def recent(self, shop_id: str, limit: int = 10) -> list[dict[str, Any]]:
        with self.store.connect() as db:
            rows = db.execute(
                "SELECT job_id, template, created_at, state FROM job WHERE shop_id = ?"
                " ORDER BY created_at DESC LIMIT ?",
                (shop_id, limit),
            ).fetchall()
        return [dict(r) for r in rows]

    def start(self, target: Callable[[], None], job_id: str) -> None:
        """Run in the background; the page polls `status` for its progress bar."""
        thread = threading.Thread(target=self._guarded(target, job_id), daemon=True)
        self._running[job_id] = thread
        thread.start()

    def _guarded(self, target: Callable[[], None], job_id: str) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except Exception:  # the journal keeps the job; `resume` finishes it
                log.exception("description job %s stopped", job_id)
                self._job_state(job_id, "failed")

        return run

    def wait(self, job_id: str, timeout: float = 600) -> None:
        thread = self._running.get(job_id)
        if thread:
            thread.join(timeout)


def choose(items: list[ItemOut], item_ids: list[str], category: str) -> list[ItemOut]:
    """The items of a request: the ids given, or every item of a platform category."""
    if item_ids:
        wanted = set(item_ids)
        return [i for i in items if i.id in wanted]
    if category:
        return [i for i in items if i.category == category]
    return []
