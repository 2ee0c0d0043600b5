"""Cursor pagers: iterate a list across all its pages, fetching each page only when it is needed.

A page is `{"data": [...], "next_cursor": ...}` (and for the event feed also `has_more`); the
next page is asked for with the cursor the last one gave, until there is none.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)


@dataclass
class Page(Generic[T]):
    """One page: its rows, the cursor of the next page, and whether there is one."""

    data: list[T]
    next_cursor: str | None
    has_more: bool

    @classmethod
    def from_json(cls, model: type[T], body: dict[str, Any]) -> Page[T]:
        data = [model.model_validate(row) for row in body.get("data", [])]
        cursor = body.get("next_cursor")
        # Lists end with next_cursor null; the feed always returns a cursor and says has_more.
        has_more = bool(body.get("has_more", cursor is not None)) and bool(data)
        return cls(data=data, next_cursor=cursor, has_more=has_more)


class SyncPager(Generic[T]):
    """`for row in client.items.list(): ...` walks every page; `.pages()` gives them whole."""

    def __init__(
        self, model: type[T], fetch: Callable[[str | None], dict[str, Any]], cursor: str | None
    ) -> None:
        self._model, self._fetch, self._start = model, fetch, cursor

    def pages(self) -> Iterator[Page[T]]:
        cursor = self._start
        while True:
            page = Page.from_json(self._model, self._fetch(cursor))
            yield page
            if not page.has_more:
                return
            cursor = page.next_cursor

    def first_page(self) -> Page[T]:
        return next(self.pages())

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.data

    def to_list(self) -> list[T]:
        return list(self)


class AsyncPager(Generic[T]):
    """`async for row in client.items.list(): ...`; `.pages()` gives whole pages."""

    def __init__(
        self,
        model: type[T],
        fetch: Callable[[str | None], Awaitable[dict[str, Any]]],
        cursor: str | None,
    ) -> None:
        self._model, self._fetch, self._start = model, fetch, cursor

    async def pages(self) -> AsyncIterator[Page[T]]:
        cursor = self._start
        while True:
            page = Page.from_json(self._model, await self._fetch(cursor))
            yield page
            if not page.has_more:
                return
            cursor = page.next_cursor

    async def first_page(self) -> Page[T]:
        async for page in self.pages():
            return page
        raise RuntimeError("unreachable: pages() yields at least one page")

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for row in page.data:
                yield row

    async def to_list(self) -> list[T]:
        return [row async for row in self]
