"""Pagination walkers: how to read a whole collection from each vendor's paging style.

Some APIs list everything in one answer; others page with page/size (an empty page may be a
204), with an offset and a next offset in an envelope, or with max/offset and a paging object.
A vendor declares its walker in its ``Api``; suites and the clean-up sweep call ``walk`` and never
loop on pages themselves. Every walk is bounded in pages, so a target that never says "last
page" cannot hang a run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import requests

from accord.errors import TargetError

Fetch = Callable[[dict[str, Any]], requests.Response]  # query params -> response
MAX_PAGES = 200


class Pagination(Protocol):
    def walk(self, fetch: Fetch, params: dict[str, Any] | None = None) -> Iterator[Any]: ...


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise TargetError(f"a page answered {response.status_code} with a body that is not JSON") from None


def _envelope(response: requests.Response) -> dict[str, Any]:
    """A page of an enveloped style: a JSON object. Anything else (a bare array, a string) is the
    target's deviation, reported as a TargetError, never a crash of the walk or of the clean-up."""
    body = _json(response)
    if not isinstance(body, dict):
        raise TargetError(f"a page answered {response.status_code} with a JSON {type(body).__name__}, not the paging "
                          "envelope (an object with the page's items)")
    return body


@dataclass(frozen=True)
class NoPagination:
    """One request returns the whole collection as a JSON array."""

    def walk(self, fetch: Fetch, params: dict[str, Any] | None = None) -> Iterator[Any]:
        yield from _json(fetch(dict(params or {})))


@dataclass(frozen=True)
class PageSize:
    """``page``/``size`` with a results envelope; an empty page may be a 204."""

    page: str = "page"
    size: str = "size"
    results: str = "results"
    pages_total: str = "pagesTotal"
    first_page: int = 1
    page_size: int = 100

    def walk(self, fetch: Fetch, params: dict[str, Any] | None = None) -> Iterator[Any]:
        page = self.first_page
        for _ in range(MAX_PAGES):
            response = fetch({**(params or {}), self.page: page, self.size: self.page_size})
            if response.status_code == 204:
                return
            body = _envelope(response)
            items = body.get(self.results) or []
            yield from items
            total = body.get(self.pages_total)
            if not items or (isinstance(total, int) and page - self.first_page + 1 >= total):
                return
            page += 1


@dataclass(frozen=True)
class OffsetNext:
    """``offset`` in, ``<envelope>.next_offset`` out, null on the last page."""

    items: str
    offset: str = "offset"
    envelope: str = "pagination"
    next_key: str = "next_offset"

    def walk(self, fetch: Fetch, params: dict[str, Any] | None = None) -> Iterator[Any]:
        offset: Any = 0
        for _ in range(MAX_PAGES):
            body = _envelope(fetch({**(params or {}), self.offset: offset}))
            yield from body.get(self.items) or []
            offset = (body.get(self.envelope) or {}).get(self.next_key)
            if offset is None:
                return


@dataclass(frozen=True)
class MaxOffset:
    """``max``/``offset`` with a ``paging`` object whose ``next`` is null on the last page."""

    items: str = "data"
    max_param: str = "max"
    offset: str = "offset"
    paging: str = "paging"
    page_size: int = 100

    def walk(self, fetch: Fetch, params: dict[str, Any] | None = None) -> Iterator[Any]:
        offset = 0
        for _ in range(MAX_PAGES):
            body = _envelope(fetch({**(params or {}), self.max_param: self.page_size, self.offset: offset}))
            items = body.get(self.items) or []
            yield from items
            if not items or not (body.get(self.paging) or {}).get("next"):
                return
            offset += len(items)


@dataclass(frozen=True)
class SkipTake:
    """``skip``/``take`` in, ``{offset, total, results}`` out: the next page starts after what came.

    The walk ends on an empty page, or once ``total`` is reached, so a total that never arrives or
    lies low cannot loop (``MAX_PAGES`` bounds the rest)."""

    results: str = "Results"
    total: str = "Total"
    skip: str = "Skip"
    take: str = "Take"
    page_size: int = 100

    def walk(self, fetch: Fetch, params: dict[str, Any] | None = None) -> Iterator[Any]:
        skip = 0
        for _ in range(MAX_PAGES):
            body = _json(fetch({**(params or {}), self.skip: skip, self.take: self.page_size}))
            items = (body.get(self.results) if isinstance(body, dict) else None) or []
            yield from items
            skip += len(items)
            total = body.get(self.total) if isinstance(body, dict) else None
            if not items or (isinstance(total, int) and skip >= total):
                return
