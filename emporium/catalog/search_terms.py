"""What the search index reads besides title and description: Chinese text cut into overlapping
pairs of characters, and the names of the item's categories in both languages.

Neither SQLite's FTS5 nor PostgreSQL's `simple` parser splits Chinese into words: 连衣裙红色 is one
token, so 连衣裙 never matches it. Dictionary segmenters (jieba, zhparser) need a dictionary and
a PostgreSQL extension; overlapping bigrams (as Lucene's CJK analyzer does) need neither, work
the same on both engines, and find every word of two or more characters: 连衣裙 is the phrase
"连衣 衣裙". Single characters are indexed too, so a one-character query (茶) finds its items.

Titles are also indexed by their **pinyin**, written together and as initials, from every
character on (连衣裙 → lianyiqun yiqun qun lyq yq q): a query word without Chinese is matched
by prefix, so "lianyiqun", "lianyi" and "lyq" find 连衣裙 — what a keyboard without Chinese input
(a TV remote's on-screen keyboard) can type. See docs/search.md.
"""

import re
from collections.abc import Iterable

from pypinyin import lazy_pinyin

from emporium.catalog.models import Category, Item

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK}]+")
# A query word is a run of CJK characters or a run of other word characters: "iPhone手机壳"
# is the two words "iPhone" and "手机壳".
QUERY_WORD = re.compile(f"[{CJK}]+|[^\\W{CJK}]+")


def bigrams(run: str) -> list[str]:
    """Overlapping pairs of a run of CJK characters; a lone character stands for itself."""
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]


def cjk_terms(text: str) -> str:
    """The text's CJK runs as bigrams (in order, so a phrase of them matches a word), then
    each distinct character once. Text without CJK gives ""."""
    runs = CJK_RUN.findall(text)
    if not runs:
        return ""
    pairs = [pair for run in runs if len(run) > 1 for pair in bigrams(run)]
    singles = dict.fromkeys(char for run in runs for char in run)
    return " ".join([*pairs, *singles])


# A pinyin query word stands for at most this many characters (连衣裙: 3); a longer word of a
# title is still found by its first characters' pinyin, since query words match by prefix.
PINYIN_SPAN = 6


def pinyin_terms(text: str) -> str:
    """The pinyin of the text's CJK runs, from each character on for up to PINYIN_SPAN characters:
    written together, then as initials. Tone marks are dropped and ü is v (绿 → lv), as pinyin
    keyboards type them; a heteronym gets its reading in the phrase (银行 → yinhang)."""
    together: list[str] = []
    initials: list[str] = []
    for run in CJK_RUN.findall(text):
        syllables = lazy_pinyin(run)  # by phrase, so heteronyms read right
        if len(syllables) != len(run):  # a character without pinyin kept as is: one by one
            syllables = [lazy_pinyin(char)[0] for char in run]
        for start in range(len(run)):
            span = [s for s in syllables[start : start + PINYIN_SPAN] if s.isascii() and s]
            if span:
                together.append("".join(span))
                initials.append("".join(s[0] for s in span))
    return " ".join(dict.fromkeys([*together, *initials]))


def title_terms(title: str) -> str:
    """What the index reads for the title besides its words: Chinese pairs, then pinyin."""
    return " ".join(t for t in (cjk_terms(title), pinyin_terms(title)) if t)


def category_terms(path: Iterable[Category]) -> str:
    """The English and Chinese names of a category and its ancestors: 连衣裙 finds dresses
    whose seller wrote only English, and "dress" finds 连衣裙 titled in Chinese."""
    names = [name for c in path for name in (c.name, c.name_zh_hans) if name]
    return " ".join([*(n for n in names if not CJK_RUN.search(n)), cjk_terms(" ".join(names))])


def category_path(category: Category) -> list[Category]:
    """The category and its ancestors, root first (the tree is two levels deep)."""
    path = [category]
    while path[0].parent_id is not None:
        parent = path[0].parent
        assert parent is not None
        path.insert(0, parent)
    return path


def index_fields(title: str, description_text: str, category: Category) -> dict[str, str]:
    """The Item fields the search index reads beyond title and description_text."""
    return {
        "search_title": title_terms(title),
        "search_category": category_terms(category_path(category)),
        "search_text": cjk_terms(description_text),
    }


def reindex_category(category: Category) -> int:
    """After a category is renamed, its items' and its descendants' items' category terms;
    returns how many items changed. One UPDATE per category: the terms depend on it alone."""
    changed, frontier = 0, [category]
    while frontier:
        for c in frontier:
            terms = category_terms(category_path(c))
            changed += Item.objects.filter(category=c).update(search_category=terms)
        frontier = list(Category.objects.filter(parent__in=frontier))
    return changed
