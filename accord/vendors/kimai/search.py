"""Kimai's ``term`` on the customer list (src/Utils/SearchTerm.php, src/Repository/Search/SearchHelper.php).

Since 2.34 the term is split on whitespace and every word must match: a plain word one of the
searchable fields (SQL ``LIKE %word%``, case-insensitive), ``!word`` none of them, ``name:value``
the meta-field ``name`` (``*`` any value, ``~`` not set). Up to 2.33 the term was one phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

FIELDS = ("name", "comment", "company", "vatId", "number", "contact", "phone", "email", "address", "invoiceEmail")


@dataclass(frozen=True)
class Part:
    term: str
    field: str | None = None
    excluded: bool = False


def parse(term: str, words: bool = True) -> list[Part]:
    """The parts of a term, as SearchTermPart reads each whitespace-separated word."""
    parts = []
    for word in (term.split() if words else [term.strip()]):
        field = None
        if ":" in word:
            head, tail = word.split(":", 1)
            if tail != "":
                field, word = head, ("" if tail == '""' else tail)
        excluded = len(word) > 1 and word[0] == "!"
        parts.append(Part(word[1:] if excluded else word, field, excluded))
    return [part for part in parts if part.term or part.field is not None]


@cache
def _like(needle: str) -> re.Pattern[str]:
    """SQL LIKE %needle% with its wildcards (% any run, _ one character), case-insensitive."""
    body = "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in needle)
    return re.compile(body, re.IGNORECASE | re.DOTALL)


def _has(value: Any, needle: str) -> bool:
    return value is not None and _like(needle).search(str(value)) is not None


def matches(row: dict[str, Any], parts: list[Part], fields: tuple[str, ...] = FIELDS) -> bool:
    for part in parts:
        if part.field is not None:
            metas = [m for m in row.get("metaFields", []) if str(m["name"]).casefold() == part.field.casefold()]
            if part.term == "*":
                ok = any(m["value"] is not None for m in metas)
            elif part.term == "~":
                ok = not metas
            elif part.term == "":
                ok = not metas or any(m["value"] is None for m in metas)
            elif part.excluded:
                ok = bool(metas) and any(not _has(m["value"], part.term) for m in metas)
            else:
                ok = any(_has(m["value"], part.term) for m in metas)
        elif part.excluded:
            ok = not any(_has(row.get(field), part.term) for field in fields)
        else:
            ok = any(_has(row.get(field), part.term) for field in fields)
        if not ok:
            return False
    return True
