"""Search quality in both languages: recall and precision of catalog search on the demo catalogue,
against the search of before (Chinese as a title substring, no category names), in one run.

    uv run python bench/search_recall.py [--items 3000] [--write-docs]

It seeds the demo into its own var dir (var/bench-search, or $BENCH_SEARCH_VAR_DIR; SQLite unless
DATABASE_URL names PostgreSQL) and runs a fixed set of English and Chinese queries. An item is
relevant to a query when every query word appears in its title, description or the English or
Chinese name of its category or a parent category (case-insensitive substring): what a shopper
who typed the words means. Recall = relevant items found / relevant items; precision = relevant
items found / items found.
"""

import argparse
import os
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
os.environ.setdefault(
    "EMPORIUM_VAR_DIR", os.environ.get("BENCH_SEARCH_VAR_DIR", str(PROJECT / "var/bench-search"))
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporium.settings")

QUERIES = [
    # Chinese: category names, words inside unspaced titles, one character, descriptions.
    "连衣裙", "裙", "手机", "耳机", "茶叶", "龙井", "西湖龙井", "铁观音", "红茶", "明前特级",
    "零食", "芒果干", "巴旦木", "茶", "茶 礼盒", "保质期", "产地直发",
    # English, and mixed.
    "dress", "linen dress", "linen", "tea", "headphones", "snacks", "phone", "龙井 250",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from emporium.demo.seed import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo(items=args.items, progress=lambda line: None)

    rows = [measure(query) for query in QUERIES]
    report = render(rows, args.items)
    print(report)
    if args.write_docs:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from harness import DOCS, replace_section

        DOCS.write_text(replace_section(DOCS.read_text(), "## Search in two languages", report))


def measure(query: str) -> dict:
    from emporium.catalog.search import SearchQuery, search_items

    relevant = relevant_items(query)
    started = time.perf_counter()
    found = set(search_items(SearchQuery(text=query)).values_list("pk", flat=True))
    seconds = time.perf_counter() - started
    before = set(search_before(query))
    return {
        "query": query,
        "relevant": len(relevant),
        "recall": _ratio(len(found & relevant), len(relevant)),
        "precision": _ratio(len(found & relevant), len(found)),
        "before_recall": _ratio(len(before & relevant), len(relevant)),
        "ms": seconds * 1000,
    }


def relevant_items(query: str) -> set[int]:
    """Judged without the search index: substrings of everything a shopper sees of the item."""
    from emporium.catalog.models import Category, Item

    categories = {c.pk: c for c in Category.objects.all()}

    def names(category_id: int) -> str:
        path, c = [], categories[category_id]
        while c is not None:
            path += [c.name, c.name_zh_hans]
            c = categories.get(c.parent_id) if c.parent_id else None
        return " ".join(path)

    words = query.lower().split()
    items = Item.objects.visible().values_list("pk", "title", "description_text", "category_id")
    return {
        pk
        for pk, title, text, category_id in items
        if all(w in f"{title} {text} {names(category_id)}".lower() for w in words)
    }


def search_before(query: str) -> list[int]:
    """The search this replaced: Chinese text as a substring of the title only; other words in
    title and description by prefix; category names not searched."""
    from django.db import connection
    from django.db.models import Q

    from emporium.catalog.models import Item
    from emporium.catalog.search_terms import CJK_RUN

    items = Item.objects.visible()
    words = query.split()
    if CJK_RUN.search(query):
        condition = Q()
        for word in words:
            condition &= Q(title__icontains=word)
        return list(items.filter(condition).values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        terms = " & ".join(
            "(setweight(to_tsvector('simple', title), 'A') || "
            "to_tsvector('simple', description_text)) @@ to_tsquery('simple', %s)"
            for _ in words
        )
        where, params = [terms], [f"{w}:*" for w in words]
    else:
        fts = " ".join('{title description_text} : "' + w + '"*' for w in words)
        where = ["catalog_item_fts.rowid = catalog_item.id", "catalog_item_fts MATCH %s"]
        params = [fts]
        items = items.extra(tables=["catalog_item_fts"])  # noqa: S610
    # The words come from the fixed QUERIES list and travel as parameters.
    return list(items.extra(where=where, params=params).values_list("pk", flat=True))  # noqa: S610


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def render(rows: list[dict], items: int) -> str:
    from django.db import connection

    lines = [
        f"Search quality on the demo catalogue ({items:,} items, {connection.vendor}): "
        "`uv run python bench/search_recall.py`",
        "",
        "| query | relevant | recall | precision | recall before | time |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['query']} | {r['relevant']} | {r['recall']:.0%} | {r['precision']:.0%} "
            f"| {r['before_recall']:.0%} | {r['ms']:.1f} ms |"
        )
    mean = {
        k: sum(r[k] for r in rows) / len(rows) for k in ("recall", "precision", "before_recall")
    }
    lines += [
        "",
        f"Mean recall {mean['recall']:.0%} (before: {mean['before_recall']:.0%}), "
        f"mean precision {mean['precision']:.0%}.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
