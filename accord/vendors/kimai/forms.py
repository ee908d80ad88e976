"""How Kimai's Symfony forms normalise submitted text, shared by the simulator and the suite.

Symfony's TextType trims Unicode separators, control and format characters from both ends, and
turns an empty string into null. A round-trip check compares values after the same steps.
"""

from __future__ import annotations

import unicodedata
from typing import Any

TRIMMED = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def symfony_trim(text: str) -> str:
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start]) in TRIMMED:
        start += 1
    while end > start and unicodedata.category(text[end - 1]) in TRIMMED:
        end -= 1
    return text[start:end]


def submitted(value: Any) -> Any:
    """The value a text field holds after Kimai's form has read it."""
    if isinstance(value, str):
        value = symfony_trim(value)
        return value or None
    return value
