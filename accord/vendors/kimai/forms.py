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


def duration_seconds(value: Any) -> int | None:
    """Kimai's DurationType: hours as a number or decimal string, ``H:MM[:SS]``, or ``1h30m``-style."""
    import re

    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return round(value * 3600)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return round(float(text.replace(",", ".")) * 3600)
    if re.fullmatch(r"\d+:\d+(?::\d+)?", text):
        parts = [int(p) for p in text.split(":")] + [0]
        return parts[0] * 3600 + parts[1] * 60 + parts[2]
    match = re.fullmatch(r"(?:(\d+)[hH])?(?:(\d+)[mM])?(?:(\d+)[sS])?", text)
    if match and any(match.groups()):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    return None


def stored(field: str, value: Any) -> Any:
    """What Kimai stores and answers for a submitted form value (for round-trip comparisons)."""
    if field == "timeBudget":
        return duration_seconds(value)
    if field == "budget" and isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), 2)
    if isinstance(value, int | float) and not isinstance(value, bool) and field != "budget":
        value = str(value)  # Kimai's form reads every scalar as a string
    return submitted(value)
