"""How Kimai's Symfony forms normalise submitted values, shared by the simulator and the suite.

Symfony's TextType trims Unicode separators, control and format characters from both ends, and
turns an empty string into null; a checkbox is false for Kimai's ``false_values``; UrlType adds
``https://`` to a homepage without a scheme; DurationType reads decimal hours, truncating before
2.64 and rounding half away from zero since. A round-trip check compares values after the same steps.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from accord.vendors.kimai.era import has

TRIMMED = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
NUMERIC = re.compile(r"-?\d+(?:\.\d+)?")
# Symfony's FixUrlProtocolListener: a value already carrying a scheme, a path or user info is kept.
HAS_PROTOCOL = re.compile(r"^(?:[/.]|[\w+.-]+://|[^:/?@#]+@)")


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


def checkbox(value: Any) -> bool:
    """Kimai's YesNoType (src/Form/Type/YesNoType.php): null, 0, false, 'false', '' and '0' are
    false, anything else is true. rest-api.md says null turns true: documentation drift."""
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, int | float) and value == 0):
        return False
    return not (isinstance(value, str) and value in ("false", "", "0"))


def homepage(value: str) -> str:
    """UrlType with default_protocol 'https' (src/Form/CustomerEditForm.php)."""
    return value if HAS_PROTOCOL.match(value) else "https://" + value


def money(value: Any) -> float | None:
    """MoneyType: a JSON number or a numeric string (testPostAction sends budget '999'); None if neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and NUMERIC.fullmatch(value.strip()):
        return float(value.strip())
    return None


def _hours(seconds: float, version: str | None) -> int:
    if has(version, "duration-rounds"):
        return int(math.copysign(math.floor(abs(seconds) + 0.5), seconds))
    return int(seconds)  # PHP's (int) cast truncates toward zero


def decimal_seconds(value: Any) -> float | None:
    """Hours as a number or decimal string, times 3600, before Kimai rounds or truncates it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) * 3600
    if isinstance(value, str) and re.fullmatch(r"-?\d+(?:[.,]\d+)?", value.strip()):
        return float(value.strip().replace(",", ".")) * 3600
    return None


def ambiguous_duration(value: Any) -> bool:
    """A decimal duration within float noise of half a second: PHP's round() may pre-round it,
    so which whole second Kimai stores is not certain. Checks leave such values out."""
    seconds = decimal_seconds(value)
    return seconds is not None and abs(abs(seconds) % 1 - 0.5) < 1e-6


def duration_seconds(value: Any, version: str | None = None) -> int | None:
    """Kimai's DurationType (src/Utils/Duration.php parseDurationString): empty is 0; decimal
    hours; ``[-]H:MM[:SS]``; or ``1h30m``-style (PHP's DateInterval). None where Kimai refuses it."""
    if value is None or value == "":
        return 0
    seconds = decimal_seconds(value)
    if seconds is not None:
        return _hours(seconds, version)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"-?\d+:\d+(?::\d+)?", text):
        parts = [int(p) for p in text.lstrip("-").split(":")] + [0]
        total = parts[0] * 3600 + parts[1] * 60 + parts[2]
        return -total if text.startswith("-") else total
    match = re.fullmatch(r"(?:(\d+)[hH])?(?:(\d+)[mM])?(?:(\d+)[sS])?", text)
    if match and any(match.groups()):
        hours, minutes, seconds_part = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + seconds_part
    return None


def stored(field: str, value: Any, version: str | None = None) -> Any:
    """What Kimai stores and answers for a submitted form value (for round-trip comparisons)."""
    if field == "timeBudget":
        return duration_seconds(value, version)
    if field == "budget":
        amount = money(value)
        return value if amount is None else round(amount, 2)
    if field in ("visible", "billable"):
        return checkbox(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # Kimai's form reads every scalar as a string
    value = submitted(value)
    if field == "homepage" and isinstance(value, str):
        return homepage(value)
    return value
