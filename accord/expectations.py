"""Known failures of a target: clauses expected to fail, each with a reason, ticket and expiry.

A CI gate on a vendor with known deviations lists them here; they show as expected-fail and do
not fail the gate, one that passes again is flagged for removal, and an expired entry fails again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from accord.errors import ConfigError


def load_expectations(path: str | Path, vendor: str, today: dt.date | None = None) -> dict[str, dict[str, Any]]:
    """The entries for ``vendor``'s clauses: ``{clause id: {reason, ticket, expires, status}}``.

    The file is a YAML list of ``{clause, reason, ticket?, expires?}``; clause ids carry their vendor.
    """
    today = today or dt.date.today()
    source = Path(path)
    try:
        entries = yaml.safe_load(source.read_text()) or []
    except OSError as error:
        raise ConfigError(f"--expectations {path}: cannot read it ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"--expectations {path}: not valid YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(entries, list):
        raise ConfigError(f"--expectations {path}: expected a list of entries with clause and reason")
    found: dict[str, dict[str, Any]] = {}
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not entry.get("clause") or not entry.get("reason"):
            raise ConfigError(f"--expectations {path}: entry {number} needs a clause and a reason")
        clause = str(entry["clause"])
        if not clause.startswith(vendor + "."):
            continue
        expires = entry.get("expires")
        if expires is not None and not isinstance(expires, dt.date):
            try:
                expires = dt.date.fromisoformat(str(expires))
            except ValueError:
                raise ConfigError(f"--expectations {path}: entry {number}: expires must be YYYY-MM-DD") from None
        found[clause] = {
            "reason": str(entry["reason"]),
            "ticket": str(entry["ticket"]) if entry.get("ticket") else None,
            "expires": expires.isoformat() if expires else None,
            "status": "expired" if expires is not None and expires < today else "expected-fail",
        }
    return found
