"""Find English left on a page meant to be in Chinese: catalogue msgids and runs of English words.

Plain Python (the tests hand in the catalogue's msgids and the page's own data), used by the tests
that render trust screens in zh-hans. Text inside `<code>`, `<pre>`, `<script>`, `<style>` and
`<kbd>` is skipped: scope names, topic names, URLs and ids are the same in every language; so is
an element marked `translate="no"` (HTML's own attribute, e.g. a licence's required wording).
"""

import re
from html.parser import HTMLParser

SKIPPED = {"code", "pre", "script", "style", "kbd", "template", "textarea"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Three or more English words in a row: a sentence or a label nobody translated.
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ ,;:/()&-]+[A-Za-z][A-Za-z'’]*){2,}")
ADDRESS = re.compile(r"\S+://\S*|\S+@\S+")
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{\{[^}]*\}\}|\{[^}]*\}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        nested = bool(self.skipping) and tag == self.skipping[-1]
        kept_as_is = ("translate", "no") in attrs and tag not in VOID
        if tag in SKIPPED or nested or kept_as_is:
            self.skipping.append(tag)
        elif not self.skipping:
            for name, value in attrs:
                if name in {"placeholder", "title", "aria-label"} and value:
                    self.chunks.append(value)
                if tag == "input" and name == "value" and ("type", "submit") in attrs and value:
                    self.chunks.append(value)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID and tag not in SKIPPED:
            self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    """The page's text nodes and the attributes a person reads, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    return parser.chunks


def english_left(
    html: str, msgids: set[str], data: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    """What on the page is still English: text equal to or containing a catalogue msgid, or a
    run of three English words. `data` is what people typed (names, titles), allowed as is."""
    found = []
    fixed = sorted((PLACEHOLDER.split(m)[0].strip() for m in msgids), key=len, reverse=True)
    whole = {m for m in fixed if m and re.search(r"[A-Za-z]{2}", m)}
    long_ones = [m for m in whole if len(m.split()) >= 3]
    for chunk in visible_text(html):
        for name in sorted(data, key=len, reverse=True):
            chunk = chunk.replace(name, " ")
        chunk = ADDRESS.sub(" ", chunk).strip()
        if not chunk:
            continue
        if chunk in whole:
            found.append(chunk)
            continue
        hits = [m for m in long_ones if m in chunk]
        found.extend(hits)
        if not hits:
            found.extend(ENGLISH_RUN.findall(chunk))
    return sorted(set(found))
